import fc from 'fast-check';
import Redis from 'ioredis';
import { inProcess, keyEvents, sortReply } from './collections-helpers';
import { Differential, useDifferential } from './differential';
import { Resp } from './resp-client';
import { Config } from '../../engine/server';
import { bindLimits } from '../../engine/server/types/limits';
import { SetObject } from '../../engine/server/types/set';

let d: Differential;
useDifferential((x) => (d = x), ['--notify-keyspace-events', 'KEA']);

/** Set replies have no defined order; SSCAN's item list neither. */
function unordered(cmd: string[], r: Resp): Resp {
  const name = cmd[0].toUpperCase();
  if (name === 'SSCAN' && Array.isArray(r) && r.length === 2) return [r[0], sortReply(r[1])];
  if (['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF'].includes(name)) return sortReply(r);
  // with a count covering the whole set, SPOP and SRANDMEMBER answer every member (reply type included)
  if ((name === 'SRANDMEMBER' || name === 'SPOP') && cmd.length === 3) return sortReply(r);
  return r;
}

describe('sets: differential', () => {
  test('add, remove, membership, cardinality', async () => {
    await d.check([
      ['SADD', 's', 'a', 'b', 'c', 'a'],
      ['SADD', 's', 'a'],
      ['SADD', 'n', '3', '1', '2', '-5'],
      ['SMEMBERS', 's'],
      ['SMEMBERS', 'n'],
      ['SMEMBERS', 'noset'],
      ['SISMEMBER', 's', 'a'],
      ['SISMEMBER', 's', 'z'],
      ['SISMEMBER', 'noset', 'a'],
      ['SMISMEMBER', 's', 'a', 'z', 'b'],
      ['SMISMEMBER', 'noset', 'a'],
      ['SCARD', 's'],
      ['SCARD', 'noset'],
      ['SREM', 's', 'a', 'z', 'a'],
      ['SREM', 'noset', 'a'],
      ['SREM', 's', 'b', 'c'],
      ['SCARD', 's'],
      ['DBSIZE'],
      ['SET', 'str', 'x'],
      ['SADD', 'str', 'a'],
      ['SREM', 'str', 'a'],
      ['SMEMBERS', 'str'],
      ['SISMEMBER', 'str', 'a'],
      ['SMISMEMBER', 'str', 'a'],
      ['SCARD', 'str'],
      ['SPOP', 'str'],
      ['SRANDMEMBER', 'str'],
      ['SADD', 's'],
    ], unordered);
  });

  test('SMOVE', async () => {
    await d.check([
      ['SADD', 'a', '1', '2', 'x'],
      ['SMOVE', 'a', 'b', '1'],
      ['SMOVE', 'a', 'b', '1'],
      ['SMOVE', 'a', 'a', '2'],
      ['SMOVE', 'a', 'a', 'zz'],
      ['SMOVE', 'noset', 'a', '2'],
      ['SADD', 'b', '2'],
      ['SMOVE', 'a', 'b', '2'],
      ['SMOVE', 'a', 'b', 'x'],
      ['SCARD', 'a'],
      ['SMEMBERS', 'b'],
      ['SET', 'str', 'v'],
      ['SMOVE', 'b', 'str', 'x'],
      ['SMOVE', 'str', 'b', 'x'],
      ['SMOVE', 'noset', 'str', 'x'],
      ['DBSIZE'],
    ], unordered);
  });

  test('SINTER, SUNION, SDIFF, their STORE forms and SINTERCARD', async () => {
    await d.check([
      ['SADD', 'a', '1', '2', '3', 'x', 'y'],
      ['SADD', 'b', '2', '3', '4', 'y'],
      ['SADD', 'c', '3', 'y', 'z'],
      ['SINTER', 'a', 'b', 'c'],
      ['SINTER', 'a'],
      ['SINTER', 'a', 'noset'],
      ['SUNION', 'a', 'b', 'c', 'noset'],
      ['SDIFF', 'a', 'b'],
      ['SDIFF', 'a', 'noset', 'c'],
      ['SDIFF', 'noset', 'a'],
      ['SINTERSTORE', 'd', 'a', 'b'],
      ['SMEMBERS', 'd'],
      ['SUNIONSTORE', 'd', 'a', 'c'],
      ['SCARD', 'd'],
      ['SDIFFSTORE', 'd', 'a', 'b', 'c'],
      ['SMEMBERS', 'd'],
      ['SINTERSTORE', 'd', 'a', 'noset'],
      ['SCARD', 'd'],
      ['SDIFFSTORE', 'a', 'a', 'a'],
      ['SCARD', 'a'],
      ['SUNIONSTORE', 'e', 'noset'],
      ['SUNIONSTORE', 'b', 'b', 'c'],
      ['SMEMBERS', 'b'],
      ['SINTERCARD', '2', 'b', 'c'],
      ['SINTERCARD', '2', 'b', 'c', 'LIMIT', '1'],
      ['SINTERCARD', '2', 'b', 'c', 'LIMIT', '0'],
      ['SINTERCARD', '2', 'b', 'noset'],
      ['SINTERCARD', '0', 'b'],
      ['SINTERCARD', 'x', 'b'],
      ['SINTERCARD', '3', 'b', 'c'],
      ['SINTERCARD', '1', 'b', 'LIMIT', '-1'],
      ['SINTERCARD', '1', 'b', 'LIMIT', 'x'],
      ['SINTERCARD', '1', 'b', 'FOO'],
      ['SET', 'str', 'v'],
      ['SINTER', 'noset', 'str'],
      ['SUNION', 'b', 'str'],
      ['SDIFF', 'noset', 'str'],
      ['SINTERSTORE', 'd', 'b', 'str'],
      ['SINTERCARD', '2', 'noset', 'str'],
      ['SINTERSTORE', 'str', 'b', 'c'],
      ['SMEMBERS', 'str'],
      ['SDIFFSTORE', 'str', 'noset'],
      ['DBSIZE'],
    ], unordered);
  });

  test('SPOP and SRANDMEMBER: errors and replies that do not depend on chance', async () => {
    await d.both('SADD', 's', '1', '2', '3');
    await d.check([
      ['SPOP', 'noset'],
      ['SPOP', 'noset', '3'],
      ['SPOP', 's', '0'],
      ['SPOP', 's', '-1'],
      ['SPOP', 's', 'x'],
      ['SPOP', 's', '1', '2'],
      ['SRANDMEMBER', 'noset'],
      ['SRANDMEMBER', 'noset', '3'],
      ['SRANDMEMBER', 'noset', '-3'],
      ['SRANDMEMBER', 's', '0'],
      ['SRANDMEMBER', 's', 'x'],
      ['SRANDMEMBER', 's', '1', '2'],
      ['SRANDMEMBER', 's', '-9223372036854775808'],
      ['SRANDMEMBER', 's', '3'],
      ['SRANDMEMBER', 's', '10'],
      ['SPOP', 's', '10'],
      ['DBSIZE'],
    ], (cmd, r) => (cmd[0] === 'SRANDMEMBER' || cmd[0] === 'SPOP' ? sortReply(r) : r));
  });

  test('SPOP and SRANDMEMBER: shapes and membership', async () => {
    const members = Array.from({ length: 50 }, (_v, i) => `m${i}`);
    const c = d.a;
    await c.call('SADD', 's', ...members);
    const all = new Set(members);
    expect(all.has((await c.call('SRANDMEMBER', 's')) as string)).toBe(true);
    for (const n of [1, 7, 49]) {
      const r = (await c.call('SRANDMEMBER', 's', n)) as string[];
      expect(r).toHaveLength(n);
      expect(new Set(r).size).toBe(n);
      r.forEach((m) => expect(all.has(m)).toBe(true));
    }
    const neg = (await c.call('SRANDMEMBER', 's', -200)) as string[];
    expect(neg).toHaveLength(200);
    neg.forEach((m) => expect(all.has(m)).toBe(true));
    const popped = new Set<string>();
    const one = (await c.call('SPOP', 's')) as string;
    popped.add(one);
    const some = (await c.call('SPOP', 's', 10)) as string[];
    expect(some).toHaveLength(10);
    some.forEach((m) => popped.add(m));
    expect(popped.size).toBe(11);
    popped.forEach((m) => expect(all.has(m)).toBe(true));
    expect(await c.call('SCARD', 's')).toBe(39);
    const rest = (await c.call('SPOP', 's', 100)) as string[];
    expect(new Set([...rest, ...popped])).toEqual(all);
    expect(await c.call('SCARD', 's')).toBe(0);
  });

  test('RESP3: set replies', async () => {
    await d.both('HELLO', '3');
    try {
      await d.both('SADD', 's', 'a', 'b', 'c');
      await d.check([
        ['SMEMBERS', 's'],
        ['SMEMBERS', 'noset'],
        ['SINTER', 's', 's'],
        ['SUNION', 's', 'noset'],
        ['SDIFF', 's', 'noset'],
        ['SRANDMEMBER', 's', '5'],
        ['SRANDMEMBER', 's', '0'],
        ['SPOP', 's', '0'],
        ['SPOP', 'noset', '2'],
        ['SMISMEMBER', 's', 'a', 'z'],
        ['SPOP', 's', '5'],
      ], unordered);
    } finally {
      await d.both('HELLO', '2');
    }
  });

  test('SSCAN: small sets in one call, big ones by cursor', async () => {
    await d.check([
      ['SADD', 'ints', '5', '1', '3'],
      ['SSCAN', 'ints', '0'],
      ['SSCAN', 'ints', '0', 'MATCH', '1*'],
      ['SSCAN', 'ints', '0', 'COUNT', '0'],
      ['SSCAN', 'ints', 'abc'],
      ['SSCAN', 'noset', '0'],
    ], unordered);
    const members = Array.from({ length: 700 }, (_v, i) => `${i}`);
    await d.both('SADD', 'big', ...members);
    for (const client of [d.a, d.b]) {
      const seen = new Set<string>();
      let cursor = '0';
      do {
        const [next, items] = (await client.call('SSCAN', 'big', cursor, 'COUNT', '50')) as [string, string[]];
        items.forEach((m) => seen.add(m));
        cursor = next;
      } while (cursor !== '0');
      expect(seen.size).toBe(700);
    }
  });

  test('intset encoding and its conversion to hashtable match redis-server', async () => {
    // Redis 7.0 has intset and hashtable only; while a set holds integers both agree.
    const ints = Array.from({ length: 512 }, (_v, i) => String(i * 7 - 100));
    const n = inProcess();
    n.run('SADD', 'i', ...ints);
    const enc = (k: string) => (n.server.dbs[0].peek(k) as SetObject).encoding();
    expect(enc('i')).toBe('intset');
    n.run('SADD', 'i', '100000');
    expect(enc('i')).toBe('hashtable');
    n.run('SREM', 'i', '100000', '0');
    expect(enc('i')).toBe('hashtable');
  });

  test('randomized command sequences (seeded)', async () => {
    const keys = ['s1', 's2', 's3'];
    const key = fc.constantFrom(...keys);
    const member = fc.constantFrom('a', 'b', 'c', '1', '2', '-3', '');
    const cmd = fc.oneof(
      fc.tuple(key, fc.array(member, { minLength: 1, maxLength: 4 })).map(([k, ms]) => ['SADD', k, ...ms]),
      fc.tuple(key, fc.array(member, { minLength: 1, maxLength: 3 })).map(([k, ms]) => ['SREM', k, ...ms]),
      fc.tuple(key, key, member).map(([a, b, m]) => ['SMOVE', a, b, m]),
      fc.tuple(key, member).map(([k, m]) => ['SISMEMBER', k, m]),
      fc.tuple(fc.constantFrom('SINTER', 'SUNION', 'SDIFF'), key, key).map(([c, a, b]) => [c, a, b]),
      fc.tuple(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), key, key, key).map(([c, x, a, b]) => [c, x, a, b]),
      fc.tuple(key, key, fc.constantFrom('0', '1', '2')).map(([a, b, l]) => ['SINTERCARD', '2', a, b, 'LIMIT', l]),
      key.map((k) => ['SCARD', k]),
      key.map((k) => ['SMEMBERS', k]),
    );
    const runs = fc.sample(fc.array(cmd, { minLength: 10, maxLength: 40 }), { seed: 777, numRuns: 40 });
    for (const seq of runs) {
      await d.both('FLUSHALL');
      await d.check([...seq, ...keys.map((k) => ['SMEMBERS', k]), ['DBSIZE']], unordered);
    }
  });

  test('keyspace events match redis-server', async () => {
    const cmds = [
      ['SADD', 's', 'a', 'b', 'c'],
      ['SADD', 's', 'a'],
      ['SREM', 's', 'zz'],
      ['SREM', 's', 'a'],
      ['SMOVE', 's', 't', 'b'],
      ['SMOVE', 's', 't', 'c'],
      ['SADD', 'u', '1', '2'],
      ['SINTERSTORE', 'x', 't', 'u'],
      ['SUNIONSTORE', 'x', 't', 'u'],
      ['SDIFFSTORE', 'y', 't', 'u'],
      ['SINTERSTORE', 'y', 't', 'nope'],
      ['SPOP', 'u'],
      ['SPOP', 'u', '5'],
      ['SADD', 'v', '1', '2', '3'],
      ['SPOP', 'v', '1'],
    ];
    const theirs = await keyEvents(d.theirs.port, cmds);
    const ours = inProcess();
    for (const c of cmds) ours.run(...c);
    expect(ours.events).toEqual(theirs);
  });
});

describe('sets: encoding (Valkey thresholds)', () => {
  afterEach(() => bindLimits(new Config()));

  test('intset, listpack, hashtable, one-way', () => {
    const n = inProcess({ 'set-max-intset-entries': '4', 'set-max-listpack-entries': '3', 'set-max-listpack-value': '5' });
    const enc = (k: string) => (n.server.dbs[0].peek(k) as SetObject).encoding();
    n.run('SADD', 'i', '1', '2', '3', '4');
    expect(enc('i')).toBe('intset');
    n.run('SADD', 'i', '5');
    expect(enc('i')).toBe('hashtable');
    n.run('SADD', 'l', '1', 'a');
    expect(enc('l')).toBe('listpack');
    n.run('SADD', 'l', 'b');
    expect(enc('l')).toBe('listpack');
    n.run('SADD', 'l', 'c');
    expect(enc('l')).toBe('hashtable');
    n.run('SREM', 'l', 'a', 'b', 'c');
    expect(enc('l')).toBe('hashtable');
    n.run('SADD', 'v', 'toolong');
    expect(enc('v')).toBe('hashtable');
    n.run('SADD', 'm', '1');
    n.run('SADD', 'm', 'abc');
    expect(enc('m')).toBe('listpack');
    n.run('SADD', 'big', 'a', 'b', 'c', 'd');
    expect(enc('big')).toBe('hashtable');
    n.run('SINTERSTORE', 'st', 'i', 'i');
    expect(enc('st')).toBe('hashtable');
    n.run('SADD', 'i2', '7', '8');
    n.run('SUNIONSTORE', 'st2', 'i2');
    expect(enc('st2')).toBe('intset');
  });

  test('items() (intsets ascending) and clone()', () => {
    const n = inProcess();
    n.run('SADD', 's', '10', '-2', '3');
    const s = n.server.dbs[0].peek('s') as SetObject;
    expect(s.items()).toEqual(['-2', '3', '10']);
    const copy = s.clone();
    copy.add('x');
    expect(copy.encoding()).toBe('listpack');
    expect(s.encoding()).toBe('intset');
    expect(s.size).toBe(3);
    expect(copy.size).toBe(4);
  });

  test('memory accounting follows SADD, SREM and SPOP', async () => {
    const c = d.a;
    const used = async () => Number(/used_memory:(\d+)/.exec((await c.call('INFO', 'memory')) as string)![1]);
    const before = await used();
    await c.call('SADD', 's', ...Array.from({ length: 300 }, (_v, i) => `member-${i}`));
    expect((await used()) - before).toBeGreaterThan(300 * 30);
    await c.call('SREM', 's', ...Array.from({ length: 100 }, (_v, i) => `member-${i}`));
    await c.call('SPOP', 's', '150');
    await c.call('SINTERSTORE', 'd', 's', 's');
    await c.call('SPOP', 's', '1000');
    await c.call('SDIFFSTORE', 'd', 's');
    expect(await used()).toBe(before);
  });
});

test('sets: ioredis happy path', async () => {
  const r = new Redis({ port: d.ours.port, host: '127.0.0.1', lazyConnect: true });
  await r.connect();
  try {
    expect(await r.sadd('tags', 'a', 'b', 'c')).toBe(3);
    expect((await r.smembers('tags')).sort()).toEqual(['a', 'b', 'c']);
    expect(await r.sismember('tags', 'b')).toBe(1);
    await r.sadd('other', 'b', 'z');
    expect(await r.sinter('tags', 'other')).toEqual(['b']);
  } finally {
    r.disconnect();
  }
});
