import * as fs from 'fs';
import * as path from 'path';
import { startNode, waitFor } from './nodes';
import { useScratchNodes } from './scratch-nodes';
import { parseRdb } from '../../engine/server/rdb';

/*
 * rdbcompression and rdbchecksum as Valkey has them: off, strings are saved without LZF and the
 * checksum field is 0 (which every loader skips); rdbchecksum no also skips the check on load.
 */

jest.setTimeout(60000);

const scratch = useScratchNodes('rdbopt-');
const node = async (args: string[], redis = false) => (await scratch.start(args, redis)).c;

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
    const on = await save(fs.mkdtempSync(path.join(scratch.root, 'on-')), [], how);
    expect(on.includes(LONG)).toBe(false);
    expect(on.includes(ITEM)).toBe(false);
    expect(checksumOf(on)).not.toBe(0n);

    const dir = fs.mkdtempSync(path.join(scratch.root, 'off-'));
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
    const dir = fs.mkdtempSync(path.join(scratch.root, 'bad-'));
    const file = await save(dir, [], 'SAVE');
    await scratch.stopAll();
    file[file.length - 1] = 255 - file[file.length - 1];
    fs.writeFileSync(path.join(dir, 'dump.rdb'), file);
    await expect(startNode(['--dir', dir])).rejects.toThrow(/checksum mismatch/);
    const c = await node(['--dir', dir, '--rdbchecksum', 'no']);
    expect(await c.call('GET', 'long')).toBe(LONG);
  });
});
