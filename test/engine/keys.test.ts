import fc from 'fast-check';
import { Differential, sorted, useDifferential } from './differential';
import { InProc } from './inproc';
import { waitFor } from './nodes';
import { Resp, RespClient } from './resp-client';
import { registerListFactory } from '../../engine/server/commands/keys';
import type { DataObject } from '../../engine/server/db';

type Cmd = Array<string | number>;

describe('generic key commands, differential against redis-server', () => {
  let d: Differential;
  useDifferential((started) => {
    d = started;
  });
  beforeEach(async () => {
    await d.both('SELECT', 0);
  });

  test('DEL, UNLINK, EXISTS, TYPE, TOUCH', async () => {
    await d.check([
      ['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3'],
      ['EXISTS', 'a', 'a', 'nokey', 'b'], ['EXISTS', 'nokey'],
      ['TYPE', 'a'], ['TYPE', 'nokey'],
      ['TOUCH', 'a', 'nokey', 'b', 'a'],
      ['DEL', 'a', 'a', 'nokey'], ['DEL', 'a'], ['UNLINK', 'b', 'c', 'nokey'], ['UNLINK', 'b'],
      ['DEL'], ['EXISTS'], ['TYPE'], ['TYPE', 'a', 'b'], ['TOUCH'], ['UNLINK'],
      ['DBSIZE'],
    ]);
  });

  test('EXPIRE family: options, errors, overflow, past times', async () => {
    await d.check([
      ['SET', 'k', 'v'],
      ['EXPIRE', 'k', 100, 'NX'], ['EXPIRE', 'k', 200, 'NX'], ['TTL', 'k'],
      ['EXPIRE', 'k', 50, 'GT'], ['EXPIRE', 'k', 150, 'GT'], ['TTL', 'k'],
      ['EXPIRE', 'k', 500, 'LT'], ['EXPIRE', 'k', 60, 'lt'], ['TTL', 'k'],
      ['EXPIRE', 'k', 70, 'XX'], ['TTL', 'k'],
      ['PERSIST', 'k'], ['PERSIST', 'k'], ['TTL', 'k'], ['PTTL', 'k'],
      ['EXPIRE', 'k', 10, 'XX'], ['EXPIRE', 'k', 10, 'GT'], ['EXPIRE', 'k', 10, 'LT'], ['TTL', 'k'],
      ['EXPIRE', 'k', 10, 'NX', 'XX'], ['EXPIRE', 'k', 10, 'GT', 'LT'], ['EXPIRE', 'k', 10, 'NX', 'GT'], ['EXPIRE', 'k', 10, 'bogus'],
      ['EXPIRE', 'k', 'abc'], ['EXPIRE', 'k', '1.5'], ['EXPIRE', 'k', ''], ['PEXPIRE', 'k', '99999999999999999999'],
      ['EXPIRE', 'k', '9223372036854776'], ['EXPIRE', 'k', '-9223372036854776'], ['PEXPIRE', 'k', '9223372036854775807'],
      ['EXPIREAT', 'k', '9223372036854775807'], ['EXPIRE', 'nokey', 10], ['EXPIRE', 'nokey', 10, 'bogus'], ['PERSIST', 'nokey'],
      ['TTL', 'nokey'], ['PTTL', 'nokey'], ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'nokey'],
      ['EXPIREAT', 'k', 4000000000], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', 4000000000123], ['EXPIRETIME', 'k'], ['PEXPIRETIME', 'k'],
      ['PEXPIREAT', 'k', 4000000000123, 'GT'], ['PEXPIREAT', 'k', 4000000000124, 'GT'], ['PEXPIRETIME', 'k'],
      ['SET', 'k', 'v2'], ['TTL', 'k'], ['EXPIRETIME', 'k'],
      // a time in the past deletes the key at once
      ['EXPIRE', 'k', -1], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['PEXPIREAT', 'k', 1], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['EXPIREAT', 'k', 0, 'NX'], ['EXISTS', 'k'],
      ['SET', 'k', 'v'], ['EXPIRE', 'k', 0, 'XX'], ['EXISTS', 'k'],
      ['EXPIRE', 'k'], ['TTL'], ['PERSIST'],
    ]);
    // PTTL counts down in milliseconds from the TTL set
    await d.both('SET', 'p', 'v');
    await d.both('PEXPIRE', 'p', 100000);
    const [ours, theirs] = await d.both('PTTL', 'p');
    for (const r of [ours, theirs]) {
      expect(typeof r).toBe('number');
      expect(r as number).toBeGreaterThan(98000);
      expect(r as number).toBeLessThanOrEqual(100000);
    }
  });

  test('keys with a TTL disappear without being touched (active expiry) and on access (lazy)', async () => {
    const c = d.a;
    for (let i = 0; i < 50; i++) await c.call('SET', `t${i}`, 'v', 'PX', 50);
    await c.call('SET', 'keep', 'v');
    // DBSIZE does not look the keys up: only the active cycle can bring it down
    await waitFor(async () => (await c.call('DBSIZE')) === 1, 'the active expire cycle');
    const info = (await c.call('INFO', 'stats')) as string;
    expect(Number(/expired_keys:(\d+)/.exec(info)![1])).toBeGreaterThanOrEqual(50);
    // lazy: with the active cycle off (needs DEBUG) a GET still hides and removes an expired key
    await d.check([['SET', 'lazy', 'v', 'PX', 1]]);
    await new Promise((r) => setTimeout(r, 5));
    await d.check([['GET', 'lazy'], ['EXISTS', 'lazy'], ['TTL', 'lazy']]);
  });

  test('RENAME, RENAMENX keep the TTL; errors', async () => {
    await d.check([
      ['RENAME', 'nokey', 'x'], ['RENAMENX', 'nokey', 'x'],
      ['SET', 'a', '1'], ['EXPIREAT', 'a', 4000000000], ['RENAME', 'a', 'a'], ['RENAMENX', 'a', 'a'],
      ['RENAME', 'a', 'b'], ['EXISTS', 'a'], ['GET', 'b'], ['EXPIRETIME', 'b'],
      ['SET', 'c', '3'], ['RENAMENX', 'b', 'c'], ['RENAMENX', 'b', 'd'], ['EXPIRETIME', 'd'],
      ['RENAME', 'd', 'c'], ['GET', 'c'], ['EXPIRETIME', 'c'], ['DBSIZE'],
      ['RENAME', 'a'], ['RENAMENX', 'a', 'b', 'c'],
    ]);
  });

  test('COPY, MOVE, SWAPDB across databases', async () => {
    await d.check([
      ['SET', 'a', 'va'], ['EXPIREAT', 'a', 4000000000],
      ['COPY', 'a', 'a'], ['COPY', 'a', 'b', 'DB', 99], ['COPY', 'a', 'b', 'DB', 'x'], ['COPY', 'a', 'b', 'DB'], ['COPY', 'a', 'b', 'bogus'],
      ['COPY', 'nokey', 'b'], ['COPY', 'a', 'b'], ['GET', 'b'], ['EXPIRETIME', 'b'],
      ['SET', 'c', 'vc'], ['COPY', 'a', 'c'], ['COPY', 'a', 'c', 'REPLACE'], ['GET', 'c'],
      ['COPY', 'a', 'a', 'DB', 1], ['COPY', 'a', 'a', 'DB', 1], ['COPY', 'a', 'a', 'DB', 1, 'REPLACE', 'REPLACE'],
      ['MOVE', 'a', 0], ['MOVE', 'a', 99], ['MOVE', 'a', -1], ['MOVE', 'a', 'x'], ['MOVE', 'nokey', 1],
      ['MOVE', 'a', 1], ['MOVE', 'b', 1], ['EXISTS', 'b'],
      ['SELECT', 1], ['GET', 'a'], ['EXPIRETIME', 'a'], ['DBSIZE'],
      ['SELECT', 0], ['DBSIZE'],
      ['SWAPDB', 0, 1], ['DBSIZE'], ['GET', 'a'], ['SELECT', 1], ['DBSIZE'], ['GET', 'c'],
      ['SWAPDB', 0, 'x'], ['SWAPDB', 'x', 0], ['SWAPDB', 0, 99], ['SWAPDB', -1, 0], ['SWAPDB', 1, 1], ['SWAPDB', 0],
    ]);
  });

  test('KEYS and SCAN (MATCH, COUNT, TYPE) see the same keys', async () => {
    for (let i = 0; i < 120; i++) await d.both('SET', `user:${i}`, i);
    for (let i = 0; i < 30; i++) await d.both('SET', `item:${i}`, i);
    await d.check([['KEYS', '*'], ['KEYS', 'user:1?'], ['KEYS', 'item:[12]*'], ['KEYS', 'nomatch*'], ['KEYS', 'user:\\*']], (_c, r) => sorted(r));
    await d.check([
      ['SCAN', 'x'], ['SCAN', '-'], ['SCAN', 0, 'COUNT', 0], ['SCAN', 0, 'COUNT', -1], ['SCAN', 0, 'COUNT', 'x'], ['SCAN', 0, 'MATCH'],
      ['SCAN', 0, 'TYPE'], ['SCAN', 0, 'bogus', 1], ['SCAN', '18446744073709551616'], ['SCAN', 0, 'TYPE', 'nosuchtype'],
    ], (c, r) => (Array.isArray(r) && c[1] === '0' && c.includes('nosuchtype') ? [r[1]] : r));
    const full = async (client: RespClient, ...opts: Cmd): Promise<string[]> => {
      const seen = new Set<string>();
      let cursor = '0';
      do {
        const r = (await client.call('SCAN', cursor, ...opts)) as [string, string[]];
        cursor = r[0];
        r[1].forEach((k) => seen.add(k));
      } while (cursor !== '0');
      return [...seen].sort();
    };
    for (const opts of [[], ['COUNT', 7], ['MATCH', 'item:*'], ['MATCH', 'user:1*', 'COUNT', 1000], ['TYPE', 'string'], ['TYPE', 'STRING'], ['TYPE', 'list']] as Cmd[]) {
      expect(await full(d.a, ...opts)).toEqual(await full(d.b, ...opts));
    }
  });

  test('RANDOMKEY', async () => {
    await d.check([['RANDOMKEY'], ['SET', 'only', '1'], ['RANDOMKEY'], ['RANDOMKEY', 'x']]);
    for (let i = 0; i < 20; i++) await d.a.call('SET', `r${i}`, 1);
    const seen = new Set<Resp>();
    for (let i = 0; i < 60; i++) seen.add(await d.a.call('RANDOMKEY'));
    expect(seen.size).toBeGreaterThan(5);
  });

  test('OBJECT ENCODING, REFCOUNT, FREQ, IDLETIME, HELP', async () => {
    await d.check([
      ['SET', 'i', '12345'], ['SET', 's', '0'], ['SET', 'neg', '-7'], ['SET', 'z', '-0'], ['SET', 'lead', '01'], ['SET', 'big', '123456789012345678901'],
      ['SET', 'max', '9223372036854775807'], ['SET', 'over', '9223372036854775808'],
      ['SET', 'e44', 'x'.repeat(44)], ['SET', 'r45', 'x'.repeat(45)], ['SET', 'emp', ''],
      ...['i', 's', 'neg', 'z', 'lead', 'big', 'max', 'over', 'e44', 'r45', 'emp', 'nokey'].map((k) => ['OBJECT', 'ENCODING', k]),
      ['OBJECT', 'REFCOUNT', 's'], ['OBJECT', 'REFCOUNT', 'i'], ['OBJECT', 'REFCOUNT', 'e44'], ['OBJECT', 'REFCOUNT', 'neg'], ['OBJECT', 'REFCOUNT', 'nokey'],
      ['OBJECT', 'FREQ', 'i'], ['OBJECT', 'FREQ', 'nokey'], ['OBJECT', 'IDLETIME', 'nokey'],
      ['OBJECT', 'HELP'], ['OBJECT'], ['OBJECT', 'ENCODING'], ['OBJECT', 'bogus', 'x'], ['OBJECT', 'HELP', 'x'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['SET', 'w', 'hello'], ['OBJECT', 'FREQ', 'w'], ['GET', 'w'], ['OBJECT', 'FREQ', 'w'],
      ['OBJECT', 'IDLETIME', 'w'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['SET', 'w', 'again'], ['OBJECT', 'IDLETIME', 'w'], ['OBJECT', 'FREQ', 'w'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
    ]);
    // RESP3: a missing key is the RESP3 null
    await d.both('HELLO', 3);
    await d.check([['OBJECT', 'ENCODING', 'nokey'], ['OBJECT', 'ENCODING', 'i'], ['TYPE', 'nokey'], ['TTL', 'nokey'], ['OBJECT', 'FREQ', 'nokey']]);
    await d.both('HELLO', 2);
  });

  test('SORT argument errors and non-list values', async () => {
    await d.check([
      ['SORT', 'nokey'], ['SORT_RO', 'nokey'], ['SET', 's', 'x'], ['SORT', 's'], ['SORT', 's', 'LIMIT', 'a', 'b'], ['SORT', 's', 'bogus'],
      ['SORT', 'nokey', 'LIMIT', 0], ['SORT', 'nokey', 'BY'], ['SORT', 'nokey', 'GET'], ['SORT', 'nokey', 'STORE'], ['SORT_RO', 'nokey', 'STORE', 'dst'],
      ['SORT', 'nokey', 'STORE', 'dst'], ['SET', 'dst', 'x'], ['SORT', 'nokey', 'STORE', 'dst'], ['EXISTS', 'dst'],
      ['SORT', 'nokey', 'ASC', 'DESC', 'ALPHA', 'LIMIT', 0, 10, 'BY', 'nosort', 'GET', '#'],
      ['SORT'], ['SORT_RO'],
    ]);
  });

  test('WAIT with no replicas', async () => {
    await d.check([['WAIT', 0, 0], ['WAIT', -1, 0], ['WAIT', 'x', 0], ['WAIT', 'x', 'y'], ['WAIT', 1, 'x'], ['WAIT', 1, -1], ['WAIT', 0], ['WAIT', 1, 50]]);
    const t0 = Date.now();
    expect(await d.a.call('WAIT', 2, 200)).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  test('randomized sequences of generic and string commands (seeded)', async () => {
    const keys = ['k1', 'k2', 'k3', 'k4'];
    const key = fc.constantFrom(...keys);
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      fc.tuple(fc.constant('SET'), key, fc.oneof(fc.integer({ min: -20, max: 20000 }).map(String), fc.string({ maxLength: 50 }))),
      fc.tuple(fc.constant('DEL'), key, key),
      fc.tuple(fc.constant('UNLINK'), key),
      fc.tuple(fc.constant('EXISTS'), key, key, key),
      fc.tuple(fc.constant('TYPE'), key),
      fc.tuple(fc.constantFrom('EXPIRE', 'PEXPIRE'), key, fc.integer({ min: 1000, max: 100000 }), fc.constantFrom('NX', 'XX', 'GT', 'LT', 'XX')),
      fc.tuple(fc.constant('EXPIREAT'), key, fc.integer({ min: 3000000000, max: 4000000000 })),
      fc.tuple(fc.constant('EXPIRETIME'), key),
      fc.tuple(fc.constant('PERSIST'), key),
      fc.tuple(fc.constantFrom('RENAME', 'RENAMENX', 'COPY'), key, key),
      fc.tuple(fc.constant('COPY'), key, key, fc.constant('REPLACE')),
      fc.tuple(fc.constant('MOVE'), key, fc.constantFrom('1', '2')),
      fc.tuple(fc.constant('SELECT'), fc.constantFrom('0', '1')),
      fc.tuple(fc.constant('SWAPDB'), fc.constantFrom('0', '1', '2'), fc.constantFrom('0', '1', '2')),
      fc.tuple(fc.constant('OBJECT'), fc.constant('ENCODING'), key),
      fc.tuple(fc.constant('OBJECT'), fc.constant('REFCOUNT'), key),
      fc.tuple(fc.constant('TOUCH'), key, key),
      fc.tuple(fc.constant('DBSIZE')),
      fc.tuple(fc.constant('KEYS'), fc.constantFrom('*', 'k[12]', 'k?')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 40 }), async (cmds) => {
        await d.both('SELECT', 0);
        await d.both('FLUSHALL');
        await d.check(cmds, (c, r) => (c[0] === 'KEYS' ? sorted(r) : r));
      }),
      { seed: 424242, numRuns: 60 },
    );
  });
});

/** Minimal list/set/zset/hash objects, planted in an in-process node to test SORT against real types in redis-server. */
class FakeCollection implements DataObject {
  public bytes = 64;
  constructor(public readonly type: 'list' | 'set' | 'zset', private readonly els: string[]) {}
  public encoding(): string {
    return this.type === 'list' ? 'listpack' : 'hashtable';
  }
  public items(): string[] {
    return [...this.els];
  }
  public clone(): DataObject {
    return new FakeCollection(this.type, [...this.els]);
  }
}
class FakeHash implements DataObject {
  public readonly type = 'hash';
  public bytes = 64;
  constructor(private readonly fields: Map<string, string>) {}
  public encoding(): string {
    return 'listpack';
  }
  public getField(f: string): string | undefined {
    return this.fields.get(f);
  }
}

describe('SORT against redis-server (lists, sets, sorted sets through the items() accessor)', () => {
  let d: Differential;
  let ours: InProc;
  useDifferential((started) => {
    d = started;
  }, [], false);
  beforeAll(() => {
    registerListFactory((items) => new FakeCollection('list', items));
  });

  /** The same data in redis-server (real commands) and in the in-process node (planted objects). */
  async function load(): Promise<void> {
    ours = new InProc();
    const redis = d.b;
    await redis.call('FLUSHALL');
    const db = ours.server.dbs[0];
    const list = ['3', '10', '-2.5', '1e2', '7', '10', '0x10', ' 4'];
    await redis.call('RPUSH', 'nums', ...list);
    db.set('nums', new FakeCollection('list', list));
    const words = ['pear', 'apple', 'Banana', 'cherry', 'apple2', 'fig'];
    await redis.call('RPUSH', 'words', ...words);
    db.set('words', new FakeCollection('list', words));
    const setEls = ['5', '1', '4', '2', '3'];
    await redis.call('SADD', 'set', ...setEls);
    db.set('set', new FakeCollection('set', setEls));
    // zset members by rank
    await redis.call('ZADD', 'zs', 3, 'c', 1, 'a', 2, 'b', 5, 'e', 4, 'd');
    db.set('zs', new FakeCollection('zset', ['a', 'b', 'c', 'd', 'e']));
    // weights and hash fields for BY / GET
    const ids = ['1', '2', '3', '4', '5'];
    const weights = ['50', '10', '40', '20', '30'];
    for (let i = 0; i < ids.length; i++) {
      await redis.call('SET', `w_${ids[i]}`, weights[i]);
      db.set(`w_${ids[i]}`, weights[i]);
      await redis.call('SET', `name_${ids[i]}`, `n${ids[i]}`);
      db.set(`name_${ids[i]}`, `n${ids[i]}`);
      await redis.call('HSET', `h_${ids[i]}`, 'f', `hf${6 - Number(ids[i])}`);
      db.set(`h_${ids[i]}`, new FakeHash(new Map([['f', `hf${6 - Number(ids[i])}`]])));
    }
    await redis.call('RPUSH', 'ids', ...ids);
    db.set('ids', new FakeCollection('list', ids));
    await redis.call('SET', 'str', 'x');
    db.set('str', 'x');
  }

  async function same(cmds: Cmd[]): Promise<void> {
    for (const cmd of cmds) {
      const theirs = await d.b.call(...cmd);
      const mine = ours.call(...cmd);
      expect({ cmd, reply: mine }).toEqual({ cmd, reply: theirs });
    }
  }

  test('numeric and ALPHA sorts, ASC/DESC, LIMIT', async () => {
    await load();
    await same([
      ['SORT', 'nums'], ['SORT', 'nums', 'DESC'], ['SORT', 'nums', 'LIMIT', 1, 3], ['SORT', 'nums', 'LIMIT', -5, 2], ['SORT', 'nums', 'LIMIT', 6, -1],
      ['SORT', 'nums', 'LIMIT', 100, 5], ['SORT', 'nums', 'LIMIT', 0, 0],
      ['SORT', 'words'], ['SORT', 'words', 'ALPHA'], ['SORT', 'words', 'ALPHA', 'DESC', 'LIMIT', 1, 2],
      ['SORT', 'set'], ['SORT', 'set', 'DESC'], ['SORT_RO', 'set', 'LIMIT', 1, 2],
      ['SORT', 'zs', 'ALPHA'], ['SORT', 'zs', 'BY', 'nosort'], ['SORT', 'zs', 'BY', 'nosort', 'DESC'], ['SORT', 'zs', 'BY', 'nosort', 'LIMIT', 1, 2],
      ['SORT', 'zs', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 2], ['SORT', 'zs'], ['SORT', 'str'],
      ['SORT', 'nums', 'BY', 'nosort'], ['SORT', 'nums', 'BY', 'nosort', 'LIMIT', 2, 3],
    ]);
  });

  test('BY and GET with keys, # and hash fields, STORE', async () => {
    await load();
    await same([
      ['SORT', 'ids', 'BY', 'w_*'], ['SORT', 'ids', 'BY', 'w_*', 'DESC'], ['SORT', 'ids', 'BY', 'h_*->f', 'ALPHA'],
      ['SORT', 'ids', 'BY', 'missing_*'], ['SORT', 'ids', 'BY', 'w_*', 'GET', '#', 'GET', 'name_*', 'GET', 'h_*->f', 'GET', 'nope_*', 'GET', 'w_*->f'],
      ['SORT', 'ids', 'GET', 'name_*', 'LIMIT', 1, 2], ['SORT', 'ids', 'GET', 'constant'], ['SORT', 'ids', 'BY', 'w_*', 'GET', 'h_*->'],
      ['SORT', 'set', 'BY', 'w_*', 'GET', '#', 'GET', 'name_*'], ['SORT', 'set', 'BY', 'w_*'], ['SORT', 'set', 'BY', 'h_*->f', 'ALPHA', 'DESC'],
      ['SORT', 'ids', 'BY', 'w_*', 'GET', 'name_*', 'STORE', 'dst'], ['TYPE', 'dst'],
      ['SORT', 'set', 'BY', 'nosort', 'STORE', 'dst2'],
      ['SORT', 'nokey', 'STORE', 'dst'], ['EXISTS', 'dst'],
    ]);
    // the stored list holds what redis-server's holds
    await d.b.call('SORT', 'ids', 'BY', 'w_*', 'GET', 'name_*', 'GET', 'nope_*', 'STORE', 'out');
    ours.call('SORT', 'ids', 'BY', 'w_*', 'GET', 'name_*', 'GET', 'nope_*', 'STORE', 'out');
    const stored = ours.server.dbs[0].peek('out') as DataObject;
    expect(stored.items!()).toEqual(await d.b.call('LRANGE', 'out', 0, -1));
  });

  test('values that are not numbers', async () => {
    await load();
    await same([['SORT', 'words'], ['SORT', 'ids', 'BY', 'name_*'], ['SORT', 'words', 'LIMIT', 0, 1]]);
  });
});

describe('keyspace notifications of the generic commands', () => {
  let d: Differential;
  useDifferential((started) => {
    d = started;
  }, ['--notify-keyspace-events', 'KEA'], false);

  test('del, expire, persist, rename_from/to, move_from/to, copy_to, expired — as redis-server sends them', async () => {
    const sub = await RespClient.connect(d.theirs.port);
    expect(await sub.call('PSUBSCRIBE', '__key*__:*')).toEqual(['psubscribe', '__key*__:*', 1]);
    const ours = new InProc([['notify-keyspace-events', 'KEA']]);
    const events: string[][] = [];
    // A subscriber, so the node publishes (it skips notifications nobody listens to), then capture them.
    ours.server.pubsub.subscribe(ours.server.pubsub.patterns, '__key*__:*', ours.server.fakeClient());
    ours.server.pubsub.publish = (channel: string, message: string) => {
      events.push([channel, message]);
      return 0;
    };
    const cmds: Cmd[] = [
      ['SET', 'a', '1'], ['EXPIRE', 'a', 100], ['PERSIST', 'a'], ['RENAME', 'a', 'b'], ['COPY', 'b', 'c'], ['COPY', 'b', 'c', 'DB', 1],
      ['MOVE', 'c', 2], ['DEL', 'b', 'nokey'], ['SET', 'x', '1'], ['EXPIRE', 'x', -1], ['SET', 'y', '1'], ['UNLINK', 'y'],
      ['SET', 'z', '1'], ['PEXPIRE', 'z', 1],
    ];
    for (const cmd of cmds) {
      await d.b.call(...cmd);
      ours.call(...cmd);
    }
    await new Promise((r) => setTimeout(r, 10));
    await d.b.call('GET', 'z');
    ours.call('GET', 'z');
    const theirs: string[][] = [];
    await waitFor(async () => {
      while (theirs.length < events.length) {
        const m = (await sub.next(2000)) as Resp[];
        theirs.push([m[2] as string, m[3] as string]);
      }
      return true;
    }, 'the notifications');
    expect(events).toEqual(theirs);
    expect(events.map((e) => e[0])).toEqual(expect.arrayContaining(['__keyevent@0__:rename_from', '__keyevent@1__:copy_to', '__keyevent@2__:move_to', '__keyevent@0__:expired']));
    sub.close();
  });
});
