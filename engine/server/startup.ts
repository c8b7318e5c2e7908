import * as fs from 'fs';
import { Config, ConfigError, parseConfigText } from './config';
import { splitInline } from './resp/parser';

/** A start-up configuration error, printed the way valkey-server prints it. */
export class StartupError extends Error {}

/**
 * Builds the configuration from an optional config file and `--directive value...` arguments,
 * as valkey-server does: file first, then the command line.
 */
export function loadConfig(file: string | undefined, cliArgs: string[]): Config {
  const config = new Config();
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'latin1');
    } catch (e) {
      throw new StartupError(`Fatal error, can't open config file '${file}': ${(e as Error).message}`);
    }
    for (const { line, raw, args } of parseConfigText(text, splitInline)) {
      apply(config, args, `Reading the configuration file, at line ${line}`, raw);
    }
  }
  // Command line: --name value [value...] until the next --option.
  const lines: string[][] = [];
  for (const a of cliArgs) {
    if (a.startsWith('--')) lines.push([a.slice(2)]);
    else if (lines.length > 0) lines[lines.length - 1].push(a);
    else throw new StartupError(`Invalid argument '${a}': options are --<directive> <value>`);
  }
  lines.forEach((args, i) => apply(config, args, `Reading the configuration from the command line, option ${i + 1}`, args.join(' ')));
  return config;
}

function apply(config: Config, args: string[], where: string, raw: string): void {
  const [name, ...values] = args;
  try {
    if (values.length === 0 && name !== 'save') throw new ConfigError('wrong number of arguments');
    config.set(name, values, true);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const reason = e.message.startsWith('Bad directive') ? e.message : `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}`;
    throw new StartupError(`\n*** FATAL CONFIG FILE ERROR (cdk-elasticache) ***\n${where}\n>>> '${raw}'\n${reason}`);
  }
}
