#!/usr/bin/env node
/**
 * The `cdk-elasticache` command. `server` runs one data node in the foreground, like valkey-server.
 * CLI parsing by commander (well kept, the de-facto Node CLI parser): subcommands, help, errors.
 */
import { Command } from 'commander';
import { registerControlCommands } from './control/cli/commands';
import { snapshotCommand } from './server/persistence/snapshot-tool';
import { runServer } from './server/run';

const program = new Command();
program
  .name('cdk-elasticache')
  .description('ElastiCache for Valkey / Redis OSS, locally: the bundled data node (server)')
  .showHelpAfterError();

program
  .command('server')
  .description('run one Valkey-compatible node in the foreground, like valkey-server')
  .argument('[config-file]', 'a valkey.conf-style file')
  .argument('[directives...]', '--<directive> <value> pairs, as valkey-server takes them (e.g. --port 6380 --maxmemory 100mb)')
  .allowUnknownOption(true)
  .helpOption('-h, --help', 'show this help')
  .action(async (configFile: string | undefined, directives: string[]) => {
    // A first argument starting with -- is a directive, not a config file.
    const args = [...(configFile !== undefined ? [configFile] : []), ...directives];
    const file = args[0] !== undefined && !args[0].startsWith('--') ? args.shift() : undefined;
    process.exitCode = await runServer(file, args);
  });

program.addCommand(snapshotCommand());
registerControlCommands(program);

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
