/**
 * `cdk-elasticache snapshot ...`: offline tools for snapshot files.
 * - `export --key-file K in out`: an encrypted snapshot → the plain RDB file (for use elsewhere).
 * - `encrypt --key-file K in out` (alias `import`): a plain RDB file (from any Valkey/Redis) → an
 *   encrypted snapshot our node loads with `--snapshot-key-file K`.
 * Both check that the input parses as RDB and write the output durably (temp file, fsync, rename).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { parseRdb } from '../rdb';
import { decryptFileSync, isEncrypted, readKeyFile } from './crypto';
import { SnapshotFile } from './snapshot-file';

function writeOut(out: string, data: Buffer, key: Buffer | undefined): void {
  const f = new SnapshotFile(path.dirname(path.resolve(out)), path.basename(out), key, `.${path.basename(out)}.tmp-${process.pid}`);
  try {
    f.write(data);
    f.commitSync();
  } catch (e) {
    f.abort();
    throw e;
  }
}

/** The plain RDB bytes of an encrypted snapshot, checked to parse. */
export function exportSnapshot(keyFile: string, input: string, output: string): void {
  const plain = decryptFileSync(input, readKeyFile(keyFile));
  parseRdb(plain);
  writeOut(output, plain, undefined);
}

/** Encrypts a plain RDB file (checked to parse first). */
export function encryptSnapshot(keyFile: string, input: string, output: string): void {
  const key = readKeyFile(keyFile);
  const plain = fs.readFileSync(input);
  if (isEncrypted(plain)) throw new Error(`${input} is encrypted already`);
  parseRdb(plain);
  writeOut(output, plain, key);
}

export function snapshotCommand(): Command {
  const cmd = new Command('snapshot').description('snapshot (RDB) file tools: export an encrypted snapshot as plain RDB, encrypt a plain one');
  const run = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  };
  cmd.command('export')
    .description('decrypt an encrypted snapshot into a plain RDB file that Valkey/Redis load')
    .requiredOption('--key-file <file>', 'the key: 32 raw bytes or 64 hex characters')
    .argument('<in>', 'encrypted snapshot')
    .argument('<out>', 'plain RDB file to write')
    .action((input: string, output: string, o: { keyFile: string }) => run(() => exportSnapshot(o.keyFile, input, output)));
  cmd.command('encrypt')
    .alias('import')
    .description('encrypt a plain RDB file (e.g. from another Valkey/Redis) for a node started with --snapshot-key-file')
    .requiredOption('--key-file <file>', 'the key: 32 raw bytes or 64 hex characters')
    .argument('<in>', 'plain RDB file')
    .argument('<out>', 'encrypted snapshot to write')
    .action((input: string, output: string, o: { keyFile: string }) => run(() => encryptSnapshot(o.keyFile, input, output)));
  return cmd;
}
