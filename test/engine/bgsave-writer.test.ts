import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { readDataset, expectSameDataset, populate } from './dataset';
import { startNode, waitFor } from './nodes';
import { RespClient } from './resp-client';
import { useScratchNodes } from './scratch-nodes';

/*
 * The BGSAVE file as the writer thread makes it (CRC, encryption, writes and fsync off the main
 * thread): encrypted round trip, and an aborted BGSAVE (FLUSHALL with save points) leaving neither
 * a temp file nor a damaged dump.rdb behind.
 */

jest.setTimeout(60000);

const scratch = useScratchNodes('bgwriter-');
const node = (args: string[]) => scratch.start(args);

async function persistence(c: RespClient): Promise<Record<string, string>> {
  const text = String(await c.call('INFO', 'persistence'));
  return Object.fromEntries(text.split('\r\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
}

async function bgsave(c: RespClient): Promise<void> {
  const saves = Number((await persistence(c)).rdb_saves);
  expect(await c.call('BGSAVE')).toEqual({ simple: 'Background saving started' });
  await waitFor(async () => Number((await persistence(c)).rdb_saves) > saves, 'the BGSAVE to finish');
  expect((await persistence(c)).rdb_last_bgsave_status).toBe('ok');
}

describe('BGSAVE through the writer thread', () => {
  test('an encrypted BGSAVE file restarts with every key; without the key it is refused', async () => {
    const dir = fs.mkdtempSync(path.join(scratch.root, 'enc-'));
    const keyFile = path.join(scratch.root, 'key.hex');
    fs.writeFileSync(keyFile, crypto.randomBytes(32).toString('hex'));
    const a = await node(['--dir', dir, '--snapshot-key-file', keyFile, '--enable-debug-command', 'yes']);
    await populate(a.c);
    await a.c.call('DEBUG', 'POPULATE', 3000);
    const expected = await readDataset(a.c);
    await bgsave(a.c);
    await a.n.stop();
    const file = fs.readFileSync(path.join(dir, 'dump.rdb'));
    expect(file.subarray(0, 8).toString('latin1')).toBe('CDKE-RDB');
    expect(file.includes(Buffer.from('value:1999'))).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']);
    const b = await node(['--dir', dir, '--snapshot-key-file', keyFile]);
    expectSameDataset(await readDataset(b.c), expected);
    await expect(startNode(['--dir', dir])).rejects.toThrow(/is an encrypted snapshot/);
  });

  test('a file of many chunks, with values larger than a chunk, restarts with every byte (buffers go back and forth to the writer thread)', async () => {
    const dir = fs.mkdtempSync(path.join(scratch.root, 'big-'));
    const a = await node(['--dir', dir, '--enable-debug-command', 'yes', '--rdbcompression', 'no']);
    await a.c.call('DEBUG', 'POPULATE', 30000, 'k', 200);
    const big = [crypto.randomBytes(300 * 1024).toString('latin1'), crypto.randomBytes(140 * 1024).toString('latin1')];
    await a.c.call('SET', 'big:0', big[0]);
    await a.c.call('SET', 'big:1', big[1]);
    await a.c.call('RPUSH', 'big:list', big[1], 'x', big[0]);
    const expected = await readDataset(a.c);
    await bgsave(a.c);
    await a.n.stop();
    // 30000 × ~210 bytes and the large values: some 7 MB, far more chunks than the pool keeps
    expect(fs.statSync(path.join(dir, 'dump.rdb')).size).toBeGreaterThan(6_500_000);
    const b = await node(['--dir', dir]);
    expectSameDataset(await readDataset(b.c), expected);
    expect(await b.c.call('STRLEN', 'big:0')).toBe(300 * 1024);
  });

  test('FLUSHALL during a BGSAVE (save points set) aborts it: the empty dataset is saved, no temp file stays, the next BGSAVE works', async () => {
    const dir = fs.mkdtempSync(path.join(scratch.root, 'abort-'));
    const a = await node(['--dir', dir, '--save', '3600 1000000', '--enable-debug-command', 'yes']);
    await a.c.call('DEBUG', 'POPULATE', 20000);
    await a.c.call('CONFIG', 'SET', 'rdb-key-save-delay', '50');
    expect(await a.c.call('BGSAVE')).toEqual({ simple: 'Background saving started' });
    await waitFor(async () => Number((await persistence(a.c)).current_save_keys_processed) > 1000, 'the walk to be under way');
    expect(await a.c.call('FLUSHALL')).toEqual({ simple: 'OK' });
    expect((await persistence(a.c)).rdb_bgsave_in_progress).toBe('0');
    await waitFor(() => fs.readdirSync(dir).length === 1, 'the aborted temp file to go', 5000);
    expect(fs.readdirSync(dir)).toEqual(['dump.rdb']);
    await a.c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
    await a.c.call('SET', 'after', 'flush');
    await bgsave(a.c);
    await a.n.stop();
    const b = await node(['--dir', dir]);
    expect(await b.c.call('DBSIZE')).toBe(1);
    expect(await b.c.call('GET', 'after')).toBe('flush');
  });
});
