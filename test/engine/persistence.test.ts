import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { expectSameDataset, KeyState, populate, readDataset } from './dataset';
import { CLI, freePort, startRedis, waitFor } from './nodes';
import { Resp, RespClient } from './resp-client';
import { useScratchNodes } from './scratch-nodes';
import { parseRdb } from '../../engine/server/rdb';

/*
 * Persistence through the public surface: SAVE/BGSAVE files, restarts that load them, real
 * redis-server files, LOADING, encryption at rest, crash safety and the save schedule.
 */

jest.setTimeout(120000);

const scratch = useScratchNodes('persist-');
const spawned: ChildProcess[] = [];

afterEach(() => {
  for (const p of spawned.splice(0)) if (p.exitCode === null && p.signalCode === null) process.kill(p.pid!, 'SIGKILL');
});

function newDir(): string {
  return fs.mkdtempSync(path.join(scratch.root, 'd-'));
}

const node = (args: string[]) => scratch.start(args);

async function info(c: RespClient, section = 'persistence'): Promise<Record<string, string>> {
  const r = (await c.call('INFO', section)) as string | { verbatim: string };
  const text = typeof r === 'string' ? r : r.verbatim;
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

async function bgsaveDone(c: RespClient): Promise<void> {
  await waitFor(async () => (await info(c)).rdb_bgsave_in_progress === '0', 'BGSAVE to finish', 60000);
}

/** Our node as a raw process (start-up may not reach "Ready": loading, refused files). */
function spawnNode(args: string[]): { proc: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [CLI, 'server', '--bind', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  return { proc, out: () => out, exited };
}

function isError(r: Resp): r is { error: string } {
  return r !== null && typeof r === 'object' && 'error' in r;
}

describe('SAVE, BGSAVE and loading at start-up', () => {
  test('every type, TTLs, several databases and functions survive SAVE and a restart; the file passes redis-check-rdb', async () => {
    const dir = newDir();
    const a = await node(['--dir', dir]);
    await populate(a.c);
    await a.c.call('FUNCTION', 'LOAD', "#!lua name=plib\nredis.register_function('pecho', function(keys, args) return args[1] end)");
    const expected = await readDataset(a.c);
    const before = Number((await info(a.c)).rdb_changes_since_last_save);
    expect(before).toBeGreaterThan(0);
    expect(await a.c.call('SAVE')).toEqual({ simple: 'OK' });
    const after = await info(a.c);
    expect(after.rdb_changes_since_last_save).toBe('0');
    expect(after.rdb_saves).toBe('1');
    expect(Number(await a.c.call('LASTSAVE'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
    await a.n.stop();
    const check = spawnSync('redis-check-rdb', [path.join(dir, 'dump.rdb')], { encoding: 'utf8' });
    if (check.error === undefined) expect(check.stdout).toMatch(/RDB looks OK/);

    const b = await node(['--dir', dir]);
    expectSameDataset(await readDataset(b.c), expected);
    expect(await b.c.call('FCALL', 'pecho', 0, 'hi')).toBe('hi');
    const i = await info(b.c);
    expect(Number(i.rdb_last_load_keys_loaded)).toBe(expected.length);
    expect(i.loading).toBe('0');
  });

  test('DEBUG RELOAD saves and loads the dataset again', async () => {
    const dir = newDir();
    const a = await node(['--dir', dir, '--enable-debug-command', 'yes']);
    await a.c.call('RPUSH', 'l', 'a', 'b');
    await a.c.call('SET', 's', 'v', 'PX', 100000);
    const before = await readDataset(a.c);
    expect(await a.c.call('DEBUG', 'RELOAD')).toEqual({ simple: 'OK' });
    expectSameDataset(await readDataset(a.c), before);
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
  });

  test('an RDB file written by redis-server loads at start-up of our node', async () => {
    const dir = newDir();
    const r = await startRedis(['--dir', dir, '--dbfilename', 'from-redis.rdb']);
    if (!r) throw new Error('redis-server is required');
    scratch.keepNode(r);
    const rc = await RespClient.connect(r.port);
    scratch.keepClient(rc);
    await populate(rc);
    const expected = await readDataset(rc);
    expect(await rc.call('SAVE')).toEqual({ simple: 'OK' });
    const b = await node(['--dir', dir, '--dbfilename', 'from-redis.rdb']);
    expectSameDataset(await readDataset(b.c), expected);
  });

  test('a file we cannot read stops the start-up with the offset and the reason; nothing is served', async () => {
    const dir = newDir();
    const a = await node(['--dir', dir]);
    const value = crypto.randomBytes(50).toString('hex');
    await a.c.call('SET', 'k', value);
    await a.c.call('SAVE');
    await a.n.stop();
    const file = path.join(dir, 'dump.rdb');
    const buf = fs.readFileSync(file);
    const at = buf.indexOf(value);
    expect(at).toBeGreaterThan(0);
    buf[at + 3] = buf[at + 3] === 0x30 ? 0x31 : 0x30; // a digit inside the value: the checksum no longer matches
    fs.writeFileSync(file, buf);
    const p = spawnNode(['--port', String(await freePort()), '--dir', dir]);
    expect(await p.exited).toBe(1);
    expect(p.out()).toMatch(/Fatal error loading the DB.*checksum mismatch.*at byte offset \d+/);
    expect(p.out()).not.toMatch(/Ready to accept connections/);
  });

  test('while a long load runs, INFO answers loading:1 and commands get -LOADING; then the data is there', async () => {
    const dir = newDir();
    const a = await node(['--dir', dir, '--enable-debug-command', 'yes']);
    await a.c.call('DEBUG', 'POPULATE', 1500);
    await a.c.call('SAVE');
    await a.n.stop();
    const port = await freePort();
    // key-load-delay: µs per key (as in Valkey), so the 1500 keys take over a second
    const p = spawnNode(['--port', String(port), '--dir', dir, '--key-load-delay', '1000', '--enable-debug-command', 'yes']);
    let c: RespClient | undefined;
    await waitFor(async () => {
      try {
        c = await RespClient.connect(port);
        return true;
      } catch {
        return false;
      }
    }, 'the node to listen');
    scratch.keepClient(c!);
    const during = await info(c!);
    expect(during.loading).toBe('1');
    expect(Number(during.loading_loaded_perc)).toBeLessThan(100);
    const r = await c!.call('GET', 'key:1');
    expect(r).toEqual({ error: 'LOADING Valkey is loading the dataset in memory' });
    await waitFor(async () => (await info(c!)).loading === '0', 'loading to end', 30000);
    expect(await c!.call('GET', 'key:1')).toBe('value:1');
    expect(await c!.call('DBSIZE')).toBe(1500);
    expect(p.out()).toMatch(/DB loaded from disk/);
  });

  test('SHUTDOWN saves when save points are set, SHUTDOWN NOSAVE does not; SIGTERM saves too', async () => {
    const dir = newDir();
    const port1 = await freePort();
    const p1 = spawnNode(['--port', String(port1), '--dir', dir, '--save', '3600 1']);
    await waitFor(() => /Ready to accept/.test(p1.out()), 'start');
    const c1 = await RespClient.connect(port1);
    scratch.keepClient(c1);
    await c1.call('SET', 'a', '1');
    c1.call('SHUTDOWN').catch(() => undefined); // no reply: the connection closes
    expect(await p1.exited).toBe(0);
    expect(parseRdb(fs.readFileSync(path.join(dir, 'dump.rdb'))).dbs.get(0)!.map((e) => e.key)).toEqual(['a']);

    const port2 = await freePort();
    const p2 = spawnNode(['--port', String(port2), '--dir', dir, '--save', '3600 1']);
    await waitFor(() => /Ready to accept/.test(p2.out()), 'start');
    const c2 = await RespClient.connect(port2);
    scratch.keepClient(c2);
    expect(await c2.call('GET', 'a')).toBe('1');
    await c2.call('SET', 'b', '2');
    c2.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    expect(await p2.exited).toBe(0);
    expect(parseRdb(fs.readFileSync(path.join(dir, 'dump.rdb'))).dbs.get(0)!.map((e) => e.key)).toEqual(['a']);

    const n3 = await node(['--dir', dir, '--save', '3600 1']);
    await n3.c.call('SET', 'c', '3');
    await n3.n.stop(); // SIGTERM
    expect(parseRdb(fs.readFileSync(path.join(dir, 'dump.rdb'))).dbs.get(0)!.map((e) => e.key).sort()).toEqual(['a', 'c']);
  });

  test('the save schedule fires (save 1 1) and BGSAVE SCHEDULE waits for the running one', async () => {
    const dir = newDir();
    const a = await node(['--dir', dir, '--save', '1 1', '--enable-debug-command', 'yes']);
    await a.c.call('SET', 'x', 'y');
    await waitFor(async () => (await info(a.c)).rdb_saves === '1', 'the scheduled save', 10000);
    expect(a.n.output()).toMatch(/1 changes in 1 seconds\. Saving\.\.\./);
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
    expect((await info(a.c)).rdb_changes_since_last_save).toBe('0');

    await a.c.call('CONFIG', 'SET', 'save', '');
    await a.c.call('DEBUG', 'POPULATE', 3000);
    await a.c.call('CONFIG', 'SET', 'rdb-key-save-delay', '100');
    expect(await a.c.call('BGSAVE')).toEqual({ simple: 'Background saving started' });
    expect(await a.c.call('BGSAVE')).toEqual({ error: 'ERR Background save already in progress' });
    expect(await a.c.call('SAVE')).toEqual({ error: 'ERR Background save already in progress' });
    expect(await a.c.call('BGSAVE', 'SCHEDULE')).toEqual({ simple: 'Background saving scheduled' });
    await a.c.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
    await waitFor(async () => Number((await info(a.c)).rdb_saves) >= 3, 'the scheduled BGSAVE', 30000);
  });

  test('stop-writes-on-bgsave-error: after a failed BGSAVE writes and PING get MISCONF until a save succeeds', async () => {
    const dir = newDir();
    const a = await node(['--dir', dir, '--save', '3600 1']);
    await a.c.call('SET', 'k', 'v');
    await a.c.call('CONFIG', 'SET', 'dir', path.join(dir, 'missing'));
    await a.c.call('BGSAVE');
    await bgsaveDone(a.c);
    expect((await info(a.c)).rdb_last_bgsave_status).toBe('err');
    const r = await a.c.call('SET', 'k', 'w');
    expect(isError(r) && r.error).toMatch(/^MISCONF /);
    expect(isError(await a.c.call('PING'))).toBe(true);
    expect(await a.c.call('GET', 'k')).toBe('v');
    await a.c.call('CONFIG', 'SET', 'dir', dir);
    await a.c.call('BGSAVE');
    await bgsaveDone(a.c);
    expect(await a.c.call('SET', 'k', 'w')).toEqual({ simple: 'OK' });
  });
});

describe('BGSAVE is point-in-time', () => {
  test('a client mutating, deleting and creating keys while BGSAVE runs: the file holds exactly the dataset at its start', async () => {
    const dir = newDir();
    const a = await node(['--dir', dir, '--enable-debug-command', 'yes']);
    await populate(a.c);
    // more plain keys so the walk lasts, and collections the writer changes in place
    await a.c.call('SELECT', 2);
    await a.c.call('DEBUG', 'POPULATE', 3000, 'pk');
    await a.c.call('SELECT', 0);
    for (let i = 0; i < 20; i++) {
      await a.c.call('RPUSH', `cl:${i}`, 'a', 'b', 'c');
      await a.c.call('HSET', `ch:${i}`, 'f', String(i));
      await a.c.call('ZADD', `cz:${i}`, 1, 'm');
      await a.c.call('SET', `cs:${i}`, `v${i}`, 'EX', 1000 + i);
    }
    const expected = await readDataset(a.c);
    const w = await RespClient.connect(a.n.port);
    scratch.keepClient(w);
    // a client blocked in BLMOVE before the snapshot: served during it, it changes its destination
    const blocked = await RespClient.connect(a.n.port);
    scratch.keepClient(blocked);
    const served = blocked.call('BLMOVE', 'bl:src', 'cl:0', 'LEFT', 'RIGHT', 0);
    await waitFor(async () => (await info(a.c, 'clients')).blocked_clients === '1', 'BLMOVE to block');

    await a.c.call('CONFIG', 'SET', 'rdb-key-save-delay', '200');
    expect(await a.c.call('BGSAVE')).toEqual({ simple: 'Background saving started' });
    let rounds = 0;
    while ((await info(a.c)).rdb_bgsave_in_progress === '1' && rounds < 200) {
      const i = rounds++;
      const cmds: Array<Array<string | number>> = [
        ['SET', `cs:${i % 20}`, `changed${i}`],
        ['DEL', `ch:${(i + 3) % 20}`],
        ['SET', `new:${i}`, 'fresh'],
        ['RPUSH', `cl:${(i + 1) % 20}`, `x${i}`],
        ['HSET', `ch:${(i + 5) % 20}`, 'g', String(i)],
        ['ZINCRBY', `cz:${i % 20}`, 1, 'm'],
        ['PERSIST', `cs:${(i + 7) % 20}`],
        ['SELECT', 2], ['EXPIRE', `pk:${i}`, 5000], ['DEL', `pk:${2999 - i}`], ['SET', `pk:${2999 - i}`, 're-created'], ['SELECT', 0],
        ['MULTI'], ['INCR', 'str:int:0'], ['LPOP', 'list:small'], ['EXEC'],
        ['EVAL', "redis.call('SADD', KEYS[1], ARGV[1]); return redis.call('HINCRBY', KEYS[2], 'n', 1)", 2, 'set:small', 'hash:small', `e${i}`],
        ...(i === 3 ? [['RPUSH', 'bl:src', 'moved']] : []),
        ...(i === 5 ? [['SWAPDB', 0, 1], ['SET', 'in-swapped', 'x'], ['SWAPDB', 0, 1]] : []),
        ...(i === 7 ? [['SELECT', 9], ['FLUSHDB'], ['SET', 'after-flush', '1'], ['SELECT', 0]] : []),
      ];
      const replies: Resp[] = [];
      for (const cmd of cmds) replies.push(await w.call(...cmd));
      for (const r of replies) if (isError(r)) throw new Error(`write failed: ${r.error}`);
    }
    expect(rounds).toBeGreaterThan(8); // the writes really ran during the walk
    expect(await served).toBe('moved');
    await bgsaveDone(a.c);
    const st = await info(a.c);
    expect(st.rdb_last_bgsave_status).toBe('ok');
    expect(Number(st.rdb_last_cow_size)).toBeGreaterThan(0);
    const live = await readDataset(a.c);
    expect(JSON.stringify(live)).not.toEqual(JSON.stringify(expected));

    const copy = newDir();
    fs.copyFileSync(path.join(dir, 'dump.rdb'), path.join(copy, 'dump.rdb'));
    const b = await node(['--dir', copy]);
    expectSameDataset(await readDataset(b.c), expected);
  });
});

describe('crash safety', () => {
  test('kill -9 during a BGSAVE leaves the previous file intact', async () => {
    const dir = newDir();
    const a = await node(['--dir', dir, '--enable-debug-command', 'yes']);
    await a.c.call('SET', 'generation', '1');
    await a.c.call('SAVE');
    const first = fs.readFileSync(path.join(dir, 'dump.rdb'));
    await a.c.call('SET', 'generation', '2');
    await a.c.call('DEBUG', 'POPULATE', 20000);
    await a.c.call('CONFIG', 'SET', 'rdb-key-save-delay', '50');
    await a.c.call('BGSAVE');
    await waitFor(async () => Number((await info(a.c)).current_save_keys_processed) > 1000, 'the walk to be under way');
    expect(fs.existsSync(path.join(dir, `temp-${a.n.pid}.rdb`))).toBe(true);
    process.kill(a.n.pid, 'SIGKILL');
    await a.n.stop();
    expect(fs.readFileSync(path.join(dir, 'dump.rdb')).equals(first)).toBe(true);
    const b = await node(['--dir', dir]);
    expect(await b.c.call('GET', 'generation')).toBe('1');
    expect(await b.c.call('DBSIZE')).toBe(1);
  });
});

describe('encryption at rest', () => {
  function keyFile(dir: string, name: string, hex = true): string {
    const f = path.join(dir, name);
    const key = crypto.randomBytes(32);
    fs.writeFileSync(f, hex ? `${key.toString('hex')}\n` : key);
    return f;
  }

  test('round trip with the key; wrong key, tampered byte and missing key are refused; export gives a plain RDB', async () => {
    const dir = newDir();
    const keys = newDir();
    const k1 = keyFile(keys, 'k1.hex');
    const k2 = keyFile(keys, 'k2.bin', false);
    const a = await node(['--dir', dir, '--snapshot-key-file', k1]);
    await populate(a.c);
    const expected: KeyState[] = await readDataset(a.c);
    await a.c.call('SAVE');
    await a.c.call('SET', 'not-saved', '1');
    await a.n.stop();
    const file = path.join(dir, 'dump.rdb');
    const enc = fs.readFileSync(file);
    expect(enc.subarray(0, 8).toString('latin1')).toBe('CDKE-RDB');
    expect(enc.includes(Buffer.from('str:small'))).toBe(false);

    const b = await node(['--dir', dir, '--snapshot-key-file', k1]);
    expectSameDataset(await readDataset(b.c), expected);
    await b.n.stop();

    const wrong = spawnNode(['--port', String(await freePort()), '--dir', dir, '--snapshot-key-file', k2]);
    expect(await wrong.exited).toBe(1);
    expect(wrong.out()).toMatch(/encrypted with another key/);

    const none = spawnNode(['--port', String(await freePort()), '--dir', dir]);
    expect(await none.exited).toBe(1);
    expect(none.out()).toMatch(/is an encrypted snapshot: start the node with --snapshot-key-file/);

    const out = path.join(keys, 'plain.rdb');
    execFileSync(process.execPath, [CLI, 'snapshot', 'export', '--key-file', k1, file, out]);
    expect(fs.readFileSync(out).subarray(0, 5).toString('latin1')).toBe('REDIS');
    const check = spawnSync('redis-check-rdb', [out], { encoding: 'utf8' });
    if (check.error === undefined) expect(check.stdout).toMatch(/RDB looks OK/);
    const bad = spawnSync(process.execPath, [CLI, 'snapshot', 'export', '--key-file', k2, file, path.join(keys, 'x.rdb')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/another key/);
    // encrypt (import) a plain file under the other key; the node loads it with that key
    const dir2 = newDir();
    execFileSync(process.execPath, [CLI, 'snapshot', 'encrypt', '--key-file', k2, out, path.join(dir2, 'dump.rdb')]);
    const c = await node(['--dir', dir2, '--snapshot-key-file', k2]);
    expectSameDataset(await readDataset(c.c), expected);
    await c.n.stop();

    const short = path.join(keys, 'short.key');
    fs.writeFileSync(short, 'abc');
    const badKey = spawnNode(['--port', String(await freePort()), '--dir', newDir(), '--snapshot-key-file', short]);
    expect(await badKey.exited).toBe(1);
    expect(badKey.out()).toMatch(/must hold 32 raw bytes or 64 hexadecimal characters/);

    enc[enc.length - 100] = (enc[enc.length - 100] + 1) % 256;
    fs.writeFileSync(file, enc);
    const tampered = spawnNode(['--port', String(await freePort()), '--dir', dir, '--snapshot-key-file', k1]);
    expect(await tampered.exited).toBe(1);
    expect(tampered.out()).toMatch(/failed authentication: the file is damaged or was modified/);
  });
});
