import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunningNode, startNode, startRedis, waitFor } from './nodes';
import { RespClient } from './resp-client';
import { parseRdb } from '../../engine/server/rdb';

/*
 * rdbcompression and rdbchecksum as Valkey has them: off, strings are saved without LZF and the
 * checksum field is 0 (which every loader skips); rdbchecksum no also skips the check on load.
 */

jest.setTimeout(60000);

const started: RunningNode[] = [];
const clients: RespClient[] = [];
let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rdbopt-'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(started.splice(0).map((n) => n.stop()));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

async function node(args: string[], redis = false): Promise<RespClient> {
  const n = redis ? await startRedis(args) : await startNode(args);
  if (!n) throw new Error('redis-server is required');
  started.push(n);
  const c = await RespClient.connect(n.port);
  clients.push(c);
  return c;
}

const LONG = 'abc'.repeat(400); // LZF packs it to a few bytes
const ITEM = 'x'.repeat(64);

/** Saves a long string and a list of long items, with SAVE or BGSAVE; returns the file. */
async function save(dir: string, args: string[], how: 'SAVE' | 'BGSAVE'): Promise<Buffer> {
  const c = await node(['--dir', dir, ...args]);
  await c.call('SET', 'long', LONG);
  await c.call('RPUSH', 'list', ITEM, ITEM, ITEM);
  if (how === 'SAVE') {
    expect(await c.call('SAVE')).toEqual({ simple: 'OK' });
  } else {
    const before = Number(await c.call('LASTSAVE'));
    await c.call('BGSAVE');
    await waitFor(async () => {
      const text = String(await c.call('INFO', 'persistence'));
      return text.includes('rdb_bgsave_in_progress:0') && text.includes('rdb_last_bgsave_status:ok') && Number(await c.call('LASTSAVE')) >= before;
    }, 'BGSAVE to finish');
  }
  return fs.readFileSync(path.join(dir, 'dump.rdb'));
}

function checksumOf(file: Buffer): bigint {
  return file.readBigUInt64LE(file.length - 8);
}

describe('rdbcompression and rdbchecksum', () => {
  test.each(['SAVE', 'BGSAVE'] as const)('%s: by default strings are LZF-compressed and checksummed; with both off, raw and a zero checksum that redis-server loads', async (how) => {
    const on = await save(fs.mkdtempSync(path.join(root, 'on-')), [], how);
    expect(on.includes(LONG)).toBe(false);
    expect(on.includes(ITEM)).toBe(false);
    expect(checksumOf(on)).not.toBe(0n);

    const dir = fs.mkdtempSync(path.join(root, 'off-'));
    const off = await save(dir, ['--rdbcompression', 'no', '--rdbchecksum', 'no'], how);
    expect(off.includes(LONG)).toBe(true);
    expect(off.includes(ITEM)).toBe(true);
    expect(checksumOf(off)).toBe(0n);
    const entries = parseRdb(off).dbs.get(0)!;
    expect(entries.map((e) => e.key).sort()).toEqual(['list', 'long']);

    const r = await node(['--dir', dir, '--dbfilename', 'dump.rdb'], true);
    expect(await r.call('GET', 'long')).toBe(LONG);
    expect(await r.call('LRANGE', 'list', 0, -1)).toEqual([ITEM, ITEM, ITEM]);
  });

  test('a file whose checksum does not match is refused, unless rdbchecksum is no', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'bad-'));
    const file = await save(dir, [], 'SAVE');
    await Promise.all(started.splice(0).map((n) => n.stop()));
    file[file.length - 1] = 255 - file[file.length - 1];
    fs.writeFileSync(path.join(dir, 'dump.rdb'), file);
    await expect(startNode(['--dir', dir])).rejects.toThrow(/checksum mismatch/);
    const c = await node(['--dir', dir, '--rdbchecksum', 'no']);
    expect(await c.call('GET', 'long')).toBe(LONG);
  });
});
