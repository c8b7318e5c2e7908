import fc from 'fast-check';
import Redis from 'ioredis';
import { inProcess, keyEvents, sortReply } from './collections-helpers';
import { Differential, useDifferential } from './differential';
import { Resp } from './resp-client';
import { Config } from '../../engine/server';
import { HashObject } from '../../engine/server/types/hash';
import { bindLimits } from '../../engine/server/types/limits';

let d: Differential;
useDifferential((x) => (d = x), ['--notify-keyspace-events', 'KEA']);

/** HGETALL, HKEYS, HVALS and HSCAN of a hashtable have no defined order. */
function unordered(cmd: string[], r: Resp): Resp {
  const name = cmd[0].toUpperCase();
  if (name === 'HGETALL' && Array.isArray(r)) {
    const pairs: string[][] = [];
    for (let i = 0; i < r.length; i += 2) pairs.push([r[i] as string, r[i + 1] as string]);
    return sortReply(pairs as Resp) as Resp;
  }
  if (['HGETALL', 'HKEYS', 'HVALS'].includes(name)) return sortReply(r);
  return r;
}

describe('hashes: differential', () => {
  test('set, get, delete, lengths and errors', async () => {
    await d.check([
      ['HSET', 'h', 'a', '1', 'b', '2', 'a', '3'],
      ['HSET', 'h', 'c'],
      ['HSET', 'h', 'c', '1', 'd'],
      ['HMSET', 'h', 'c', '4', 'd', '5'],
      ['HMSET', 'h', 'c'],
      ['HSETNX', 'h', 'c', 'x'],
      ['HSETNX', 'h', 'e', ''],
      ['HSETNX', 'new', 'f', 'v'],
      ['HGET', 'h', 'a'],
      ['HGET', 'h', 'zz'],
      ['HGET', 'nohash', 'a'],
      ['HMGET', 'h', 'a', 'zz', 'b'],
      ['HMGET', 'nohash', 'a', 'b'],
      ['HLEN', 'h'],
      ['HLEN', 'nohash'],
      ['HSTRLEN', 'h', 'a'],
      ['HSTRLEN', 'h', 'e'],
      ['HSTRLEN', 'h', 'zz'],
      ['HSTRLEN', 'nohash', 'zz'],
      ['HEXISTS', 'h', 'a'],
      ['HEXISTS', 'h', 'zz'],
      ['HEXISTS', 'nohash', 'a'],
      ['HGETALL', 'h'],
      ['HKEYS', 'h'],
      ['HVALS', 'h'],
      ['HGETALL', 'nohash'],
      ['HKEYS', 'nohash'],
      ['HDEL', 'h', 'a', 'a', 'zz'],
      ['HDEL', 'nohash', 'a'],
      ['HDEL', 'new', 'f'],
      ['HLEN', 'new'],
      ['DBSIZE'],
      ['SET', 's', 'x'],
      ['HSET', 's', 'a', '1'],
      ['HGET', 's', 'a'],
      ['HMGET', 's', 'a'],
      ['HGETALL', 's'],
      ['HDEL', 's', 'a'],
      ['HLEN', 's'],
      ['HSETNX', 's', 'a', 'b'],
      ['HEXISTS', 's', 'a'],
      ['HSTRLEN', 's', 'a'],
      ['HRANDFIELD', 's'],
      ['HSCAN', 's', '0'],
      ['HINCRBY', 's', 'a', '1'],
    ], unordered);
  });

  test('HINCRBY and HINCRBYFLOAT', async () => {
    await d.check([
      ['HINCRBY', 'h', 'n', '5'],
      ['HINCRBY', 'h', 'n', '-10'],
      ['HINCRBY', 'h', 'n', 'x'],
      ['HINCRBY', 'h', 'n', '1.5'],
      ['HSET', 'h', 'big', '9223372036854775806', 'str', 'abc', 'sp', ' 1', 'f', '1.5'],
      ['HINCRBY', 'h', 'big', '1'],
      ['HINCRBY', 'h', 'big', '1'],
      ['HINCRBY', 'h', 'n', '-9223372036854775808'],
      ['HINCRBY', 'h', 'n', '-9223372036854775808'],
      ['HINCRBY', 'h', 'str', '1'],
      ['HINCRBY', 'h', 'sp', '1'],
      ['HINCRBY', 'h', 'f', '1'],
      ['HINCRBYFLOAT', 'h', 'f', '0.1'],
      ['HINCRBYFLOAT', 'h', 'f', '-1.6'],
      ['HINCRBYFLOAT', 'h', 'g', '3.0e3'],
      ['HINCRBYFLOAT', 'h', 'g', '1e-5'],
      ['HINCRBYFLOAT', 'h', 'n', '1'],
      ['HINCRBYFLOAT', 'h', 'str', '1'],
      ['HINCRBYFLOAT', 'h', 'f', 'x'],
      ['HINCRBYFLOAT', 'h', 'f', 'inf'],
      ['HINCRBYFLOAT', 'h', 'f', 'nan'],
      ['HSET', 'h', 'max', '1.7e308'],
      ['HINCRBYFLOAT', 'h', 'max', '1.7e308'],
      ['HINCRBYFLOAT', 'h', 'f', '10.5'],
      ['HGETALL', 'h'],
    ], unordered);
  });

  test('HRANDFIELD: shapes, membership and errors', async () => {
    const fields = Array.from({ length: 20 }, (_v, i) => [`f${i}`, `v${i}`]).flat();
    await d.both('HSET', 'h', ...fields);
    await d.check([
      ['HRANDFIELD', 'nohash'],
      ['HRANDFIELD', 'nohash', '5'],
      ['HRANDFIELD', 'nohash', '-5', 'WITHVALUES'],
      ['HRANDFIELD', 'h', '0'],
      ['HRANDFIELD', 'h', 'x'],
      ['HRANDFIELD', 'h', '1', 'foo'],
      ['HRANDFIELD', 'h', '1', 'withvalues', 'x'],
      ['HRANDFIELD', 'h', '-9223372036854775808'],
      ['HRANDFIELD', 'h', '-9223372036854775807', 'withvalues'],
      ['HRANDFIELD', 'h', '9223372036854775807', 'withvalues'],
      ['HRANDFIELD', 'h', '100'],
    ], unordered);
    const all = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) all.set(fields[i], fields[i + 1]);
    const c = d.a;
    const one = (await c.call('HRANDFIELD', 'h')) as string;
    expect(all.has(one)).toBe(true);
    for (const n of [1, 5, 19, 20, 30]) {
      const r = (await c.call('HRANDFIELD', 'h', n)) as string[];
      expect(r).toHaveLength(Math.min(n, 20));
      expect(new Set(r).size).toBe(r.length);
      r.forEach((f) => expect(all.has(f)).toBe(true));
    }
    const neg = (await c.call('HRANDFIELD', 'h', -50, 'WITHVALUES')) as string[];
    expect(neg).toHaveLength(100);
    for (let i = 0; i < neg.length; i += 2) expect(all.get(neg[i])).toBe(neg[i + 1]);
    const wv = (await c.call('HRANDFIELD', 'h', 7, 'WITHVALUES')) as string[];
    expect(wv).toHaveLength(14);
    await c.call('HELLO', '3');
    const r3 = (await c.call('HRANDFIELD', 'h', 3, 'WITHVALUES')) as string[][];
    expect(r3).toHaveLength(3);
    r3.forEach(([f, v]) => expect(all.get(f)).toBe(v));
    expect(await c.call('HGETALL', 'nohash')).toEqual({ map: [] });
    await c.call('HELLO', '2');
  });

  test('RESP3: HGETALL is a map', async () => {
    await d.both('HELLO', '3');
    try {
      await d.check([
        ['HSET', 'h', 'a', '1', 'b', '2'],
        ['HGETALL', 'h'],
        ['HGETALL', 'nohash'],
        ['HRANDFIELD', 'h', '0'],
        ['HINCRBYFLOAT', 'h', 'a', '0.5'],
        ['HGET', 'h', 'zz'],
      ], unordered);
    } finally {
      await d.both('HELLO', '2');
    }
  });

  test('HSCAN: small hashes in one call, big ones by cursor; MATCH and COUNT', async () => {
    await d.check([
      ['HSET', 'h', 'a1', '1', 'b1', '2', 'a2', '3'],
      ['HSCAN', 'h', '0'],
      ['HSCAN', 'h', '0', 'MATCH', 'a*'],
      ['HSCAN', 'h', '0', 'COUNT', '1'],
      ['HSCAN', 'h', '0', 'COUNT', '0'],
      ['HSCAN', 'h', '0', 'COUNT', 'x'],
      ['HSCAN', 'h', '0', 'MATCH'],
      ['HSCAN', 'h', '0', 'FOO', 'bar'],
      ['HSCAN', 'h', 'x'],
      ['HSCAN', 'h', '-1'],
      ['HSCAN', 'h', '18446744073709551616'],
      ['HSCAN', 'nohash', '0'],
      ['HSCAN', 'nohash', '0', 'COUNT', '0'],
    ]);
    // more fields than any default hash-max-listpack-entries (Debian's redis-server says 512), so both use a hashtable
    const fields = Array.from({ length: 600 }, (_v, i) => [`field:${i}`, `${i}`]).flat();
    await d.both('HSET', 'big', ...fields);
    for (const client of [d.a, d.b]) {
      const seen = new Map<string, string>();
      let cursor = '0';
      let calls = 0;
      do {
        const [next, items] = (await client.call('HSCAN', 'big', cursor, 'MATCH', 'field:1*', 'COUNT', '20')) as [string, string[]];
        for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
        cursor = next;
        calls++;
      } while (cursor !== '0');
      expect(calls).toBeGreaterThan(1);
      expect(seen.size).toBe(111);
      expect(seen.get('field:150')).toBe('150');
    }
  });

  test('randomized command sequences (seeded)', async () => {
    const keys = ['h1', 'h2'];
    const key = fc.constantFrom(...keys);
    const field = fc.constantFrom('a', 'b', 'c', 'n', '');
    const value = fc.constantFrom('1', '-7', 'x', '2.5', '', '9223372036854775807');
    const cmd = fc.oneof(
      fc.tuple(key, fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 })).map(([k, fv]) => ['HSET', k, ...fv.flat()]),
      fc.tuple(key, field, value).map(([k, f, v]) => ['HSETNX', k, f, v]),
      fc.tuple(key, fc.array(field, { minLength: 1, maxLength: 3 })).map(([k, fs]) => ['HDEL', k, ...fs]),
      fc.tuple(key, field).map(([k, f]) => ['HGET', k, f]),
      fc.tuple(key, field, fc.constantFrom('1', '-3', '100')).map(([k, f, n]) => ['HINCRBY', k, f, n]),
      fc.tuple(key, field, fc.constantFrom('0.5', '-1.25', '3')).map(([k, f, n]) => ['HINCRBYFLOAT', k, f, n]),
      fc.tuple(key, field).map(([k, f]) => ['HSTRLEN', k, f]),
      fc.tuple(key, field).map(([k, f]) => ['HEXISTS', k, f]),
      key.map((k) => ['HLEN', k]),
      key.map((k) => ['HGETALL', k]),
    );
    const runs = fc.sample(fc.array(cmd, { minLength: 10, maxLength: 40 }), { seed: 424242, numRuns: 40 });
    for (const seq of runs) {
      await d.both('FLUSHALL');
      await d.check([...seq, ...keys.map((k) => ['HGETALL', k]), ['DBSIZE']], unordered);
    }
  });

  test('keyspace events match redis-server', async () => {
    const cmds = [
      ['HSET', 'h', 'a', '1', 'b', '2'],
      ['HSET', 'h', 'a', '1'],
      ['HMSET', 'h', 'c', '3'],
      ['HSETNX', 'h', 'c', '3'],
      ['HSETNX', 'h', 'd', '4'],
      ['HINCRBY', 'h', 'n', '1'],
      ['HINCRBYFLOAT', 'h', 'f', '1.5'],
      ['HDEL', 'h', 'zz'],
      ['HDEL', 'h', 'a', 'b'],
      ['HDEL', 'h', 'c', 'd', 'n', 'f'],
    ];
    const theirs = await keyEvents(d.theirs.port, cmds);
    const ours = inProcess();
    for (const c of cmds) ours.run(...c);
    expect(ours.events).toEqual(theirs);
  });
});

describe('hashes: encoding (Valkey thresholds)', () => {
  afterEach(() => bindLimits(new Config()));

  test('listpack until hash-max-listpack-entries / -value, then hashtable for good', () => {
    const n = inProcess({ 'hash-max-listpack-entries': '3', 'hash-max-listpack-value': '8' });
    const h = () => n.server.dbs[0].peek('h') as HashObject;
    n.run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    expect(h().encoding()).toBe('listpack');
    n.run('HSET', 'h', 'd', '4');
    expect(h().encoding()).toBe('hashtable');
    n.run('HDEL', 'h', 'a', 'b', 'c');
    expect(h().encoding()).toBe('hashtable');
    n.run('HSET', 'v', 'a', '12345678');
    expect((n.server.dbs[0].peek('v') as HashObject).encoding()).toBe('listpack');
    n.run('HINCRBYFLOAT', 'v', 'a', '0.5');
    expect((n.server.dbs[0].peek('v') as HashObject).encoding()).toBe('hashtable');
    n.run('HSET', 'w', 'longfield', '1');
    expect((n.server.dbs[0].peek('w') as HashObject).encoding()).toBe('hashtable');
  });

  test('items() and clone()', () => {
    const n = inProcess();
    n.run('HSET', 'h', 'a', '1', 'b', '2');
    const h = n.server.dbs[0].peek('h') as HashObject;
    const copy = h.clone();
    copy.set('c', '3');
    expect(h.items()).toEqual(['a', '1', 'b', '2']);
    expect(copy.items()).toEqual(['a', '1', 'b', '2', 'c', '3']);
    expect(copy.bytes).toBeGreaterThan(h.bytes);
  });

  test('memory accounting follows HSET and HDEL', async () => {
    const c = d.a;
    const used = async () => Number(/used_memory:(\d+)/.exec((await c.call('INFO', 'memory')) as string)![1]);
    const before = await used();
    await c.call('HSET', 'h', ...Array.from({ length: 200 }, (_v, i) => [`f${i}`, 'x'.repeat(i)]).flat());
    expect((await used()) - before).toBeGreaterThan(200 * 100);
    await c.call('HSET', 'h', 'f0', 'y'.repeat(1000));
    await c.call('HDEL', 'h', ...Array.from({ length: 200 }, (_v, i) => `f${i}`));
    expect(await used()).toBe(before);
  });
});

test('hashes: ioredis happy path', async () => {
  const r = new Redis({ port: d.ours.port, host: '127.0.0.1', lazyConnect: true });
  await r.connect();
  try {
    expect(await r.hset('user:1', { name: 'Ada', visits: '1' })).toBe(2);
    expect(await r.hincrby('user:1', 'visits', 2)).toBe(3);
    expect(await r.hgetall('user:1')).toEqual({ name: 'Ada', visits: '3' });
    expect(await r.hmget('user:1', 'name', 'nope')).toEqual(['Ada', null]);
  } finally {
    r.disconnect();
  }
});
