import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expectSameDataset, populate, readDataset, rng } from './dataset';
import { waitFor } from './nodes';
import { RespClient } from './resp-client';
import { useScratchNodes } from './scratch-nodes';
import { dumpPayload, parseRdb, RdbContents, RdbError, RdbWriter, restorePayload } from '../../engine/server/rdb';

/*
 * Round trips with the real server: RDB files written by redis-server (every type, small and
 * large encodings, streams with groups, TTLs, several databases, functions) parse into the same
 * data; files written by our RdbWriter pass redis-check-rdb and load into redis-server intact.
 */

jest.setTimeout(120000);

const LIBRARY = "#!lua name=rdblib\nredis.register_function('rdb_echo', function(keys, args) return args[1] end)";

/** Thresholds that force the compact encodings off (many quicklist and stream nodes, hashtables). */
const TINY = [
  '--hash-max-listpack-entries', '2', '--zset-max-listpack-entries', '2', '--set-max-intset-entries', '4',
  '--list-max-listpack-size', '3', '--stream-node-max-entries', '4',
];

const scratch = useScratchNodes('rdb-redis-');
const redis = async (args: string[]) => (await scratch.start(args, true)).c;
const ours = async (args: string[] = []) => (await scratch.start(args)).c;

/** Loads parsed entries into a node with RESTORE (value payloads from our writer) and PEXPIREAT. */
async function restoreAll(c: RespClient, dbs: RdbContents['dbs']): Promise<void> {
  for (const [db, entries] of dbs) {
    await c.call('SELECT', db);
    for (const e of entries) {
      const r = await c.call('RESTORE', e.key, e.expireAt ?? 0, dumpPayload(e.value), 'ABSTTL');
      expect(r).toEqual({ simple: 'OK' });
    }
  }
  await c.call('SELECT', 0);
}

describe.each([
  ['default thresholds', [] as string[]],
  ['tiny thresholds', TINY],
])('files written by redis-server (%s)', (_name, config) => {
  test('parse into the same data, functions included', async () => {
    const sub = fs.mkdtempSync(path.join(scratch.root, 'theirs-'));
    const r = await redis(['--dir', sub, '--dbfilename', 'dump.rdb', ...config]);
    await populate(r);
    expect(await r.call('FUNCTION', 'LOAD', LIBRARY)).toBe('rdblib');
    expect(await r.call('SAVE')).toEqual({ simple: 'OK' });
    const file = fs.readFileSync(path.join(sub, 'dump.rdb'));
    const contents = parseRdb(file);
    expect(contents.version).toBe(10);
    expect(contents.aux.get('redis-ver')).toBe('7.0.15');
    expect(contents.functions).toEqual([LIBRARY]);
    expect([...contents.dbs.keys()].sort()).toEqual([0, 1, 9]);
    const expected = await readDataset(r);
    expect(expected.length).toBeGreaterThan(45);
    expect(expected.find((k) => k.key === 'stream:large')!.value).toMatchObject({ length: 322 });
    // the file holds the compact encodings of the configuration (or the large ones with TINY)
    const enc = async (k: string) => (await r.call('OBJECT', 'ENCODING', k)) as string;
    expect(await enc('hash:small')).toBe(config.length ? 'hashtable' : 'listpack');
    expect(await enc('zset:small')).toBe(config.length ? 'skiplist' : 'listpack');
    expect(await enc('set:int16')).toBe('intset');
    expect(contents.dbs.get(0)!.length + contents.dbs.get(1)!.length + contents.dbs.get(9)!.length).toBe(expected.length);

    // damaged copies of the real file never load, and fail only with RdbError
    const rand = rng(7);
    for (let i = 0; i < 200; i++) {
      const bad = Buffer.from(file);
      const at = Math.floor(rand() * bad.length);
      bad[at] = (bad[at] + 1 + Math.floor(rand() * 255)) % 256;
      const cut = i % 3 === 0 ? bad.subarray(0, Math.floor(rand() * bad.length)) : bad;
      expect(() => parseRdb(cut)).toThrow(RdbError);
    }

    // the parsed values, put into our node, read back the same as the real server's
    const o = await ours(config);
    await restoreAll(o, contents.dbs);
    expectSameDataset(await readDataset(o), expected);
  });
});

test.each([
  ['allkeys-lru', 'idle'],
  ['allkeys-lfu', 'freq'],
] as const)('files written under %s carry the %s of every key', async (policy, field) => {
  const sub = fs.mkdtempSync(path.join(scratch.root, 'policy-'));
  const r = await redis(['--dir', sub, '--dbfilename', 'dump.rdb', '--maxmemory-policy', policy]);
  await r.call('SET', 'a', '1');
  await r.call('RPUSH', 'b', 'x');
  await r.call('PEXPIREAT', 'b', 4102444800000);
  expect(await r.call('SAVE')).toEqual({ simple: 'OK' });
  const entries = parseRdb(fs.readFileSync(path.join(sub, 'dump.rdb'))).dbs.get(0)!;
  expect(entries.map((e) => e.key).sort()).toEqual(['a', 'b']);
  for (const e of entries) expect(typeof e[field]).toBe('number');
  expect(entries.find((e) => e.key === 'b')!.expireAt).toBe(4102444800000);
});

describe('files written by RdbWriter', () => {
  test('pass redis-check-rdb and load into redis-server with every key, type, TTL and value', async () => {
    // the dataset lives in our node; DUMP hands its objects' serialization to this process
    const o = await ours();
    await populate(o);
    expect(await o.call('FUNCTION', 'LOAD', LIBRARY)).toBe('rdblib');
    const expected = await readDataset(o);

    const chunks: Buffer[] = [];
    const w = new RdbWriter((b) => chunks.push(b));
    w.header({ 'redis-ver': '7.0.15', 'redis-bits': 64, 'ctime': Math.floor(Date.now() / 1000), 'used-mem': 1048576, 'aof-base': 0 });
    w.functions([LIBRARY]);
    const byDb = new Map<number, typeof expected>();
    for (const k of expected) byDb.set(k.db, [...(byDb.get(k.db) ?? []), k]);
    for (const [db, keys] of byDb) {
      await o.call('SELECT', db);
      w.selectDb(db, keys.length, keys.filter((k) => k.expireAt >= 0).length);
      for (const k of keys) {
        const payload = await o.call('DUMP', k.key);
        expect(typeof payload).toBe('string');
        const value = restorePayload(Buffer.from(payload as string, 'latin1'));
        w.entry({ key: k.key, value, expireAt: k.expireAt >= 0 ? k.expireAt : undefined });
      }
    }
    w.end();
    expect(chunks.length).toBeGreaterThan(1); // written incrementally
    const sub = fs.mkdtempSync(path.join(scratch.root, 'ours-'));
    const file = path.join(sub, 'snapshot.rdb');
    fs.writeFileSync(file, Buffer.concat(chunks));

    const check = execFileSync('redis-check-rdb', [file]).toString();
    expect(check).toMatch(/RDB looks OK/);
    expect(check).toMatch(new RegExp(`${expected.length} keys read`));

    const r = await redis(['--dir', sub, '--dbfilename', 'snapshot.rdb', '--sanitize-dump-payload', 'yes']);
    await waitFor(async () => /loading:0/.test(String(await r.call('INFO', 'persistence'))), 'redis to load the file');
    expectSameDataset(await readDataset(r), expected);
    expect(JSON.stringify(await r.call('FCALL', 'rdb_echo', 0, 'hi'))).toBe('"hi"');

    // and our parser reads our own file back to the same keys
    const back = parseRdb(fs.readFileSync(file));
    expect(back.functions).toEqual([LIBRARY]);
    expect([...back.dbs.values()].reduce((n, es) => n + es.length, 0)).toBe(expected.length);
  });
});
