import fc from 'fast-check';
import Redis from 'ioredis';
import { inProcess, keyEvents, waitBlocked } from './collections-helpers';
import { Differential, useDifferential } from './differential';
import { RunningNode } from './nodes';
import { Resp, RespClient } from './resp-client';
import { Config } from '../../engine/server';
import { bindLimits, limits } from '../../engine/server/types/limits';
import { ListObject } from '../../engine/server/types/list';

let d: Differential;
useDifferential((x) => (d = x), ['--notify-keyspace-events', 'KEA']);

describe('lists: differential', () => {
  test('push, pop, length, index, range', async () => {
    await d.check([
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['LPUSH', 'l', 'z', 'y'],
      ['LRANGE', 'l', '0', '-1'],
      ['LRANGE', 'l', '-100', '100'],
      ['LRANGE', 'l', '5', '2'],
      ['LRANGE', 'l', '-2', '-1'],
      ['LRANGE', 'l', '7', '10'],
      ['LRANGE', 'l', 'x', '1'],
      ['LRANGE', 'nolist', '0', '-1'],
      ['LLEN', 'l'],
      ['LLEN', 'nolist'],
      ['LINDEX', 'l', '0'],
      ['LINDEX', 'l', '-1'],
      ['LINDEX', 'l', '-8'],
      ['LINDEX', 'l', '7'],
      ['LINDEX', 'l', 'x'],
      ['LINDEX', 'nolist', 'x'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'l', '0'],
      ['RPOP', 'l', '-1'],
      ['RPOP', 'l', 'x'],
      ['LPOP', 'l', '1', '2'],
      ['LPOP', 'nolist'],
      ['LPOP', 'nolist', '0'],
      ['LPOP', 'nolist', '3'],
      ['RPOP', 'l', '100'],
      ['LLEN', 'l'],
      ['DBSIZE'],
      ['LPUSHX', 'l', 'a'],
      ['RPUSHX', 'l', 'a', 'b'],
      ['RPUSH', 'l', 'x'],
      ['LPUSHX', 'l', 'a', 'b'],
      ['RPUSHX', 'l', 'c'],
      ['LRANGE', 'l', '0', '-1'],
      ['SET', 's', 'str'],
      ['LPUSH', 's', 'a'],
      ['LPUSHX', 's', 'a'],
      ['LRANGE', 's', '0', '-1'],
      ['LPOP', 's'],
      ['LLEN', 's'],
      ['LINDEX', 's', '0'],
      ['LPUSH', 'l'],
      ['LINDEX', 'l'],
    ]);
  });

  test('LSET, LTRIM, LREM, LINSERT', async () => {
    await d.check([
      ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'd', 'a'],
      ['LSET', 'l', '0', 'A'],
      ['LSET', 'l', '-1', 'Z'],
      ['LSET', 'l', '7', 'x'],
      ['LSET', 'l', '-8', 'x'],
      ['LSET', 'l', 'x', 'x'],
      ['LSET', 'nolist', '0', 'x'],
      ['LSET', 'nolist', 'x', 'x'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '1', 'a'],
      ['LREM', 'l', '-1', 'a'],
      ['LREM', 'l', '0', 'zz'],
      ['LRANGE', 'l', '0', '-1'],
      ['LREM', 'l', '0', 'a'],
      ['LREM', 'l', 'x', 'a'],
      ['LREM', 'nolist', '0', 'a'],
      ['LINSERT', 'l', 'BEFORE', 'c', 'x'],
      ['LINSERT', 'l', 'after', 'Z', 'y'],
      ['LINSERT', 'l', 'after', 'nope', 'y'],
      ['LINSERT', 'l', 'middle', 'c', 'y'],
      ['LINSERT', 'nolist', 'before', 'c', 'y'],
      ['LRANGE', 'l', '0', '-1'],
      ['LTRIM', 'l', '1', '-2'],
      ['LRANGE', 'l', '0', '-1'],
      ['LTRIM', 'l', '-100', '100'],
      ['LTRIM', 'l', 'a', '1'],
      ['LTRIM', 'nolist', '0', '1'],
      ['LTRIM', 'l', '5', '1'],
      ['LLEN', 'l'],
      ['DBSIZE'],
      ['RPUSH', 'l', 'a', 'b', 'c'],
      ['LTRIM', 'l', '-1', '-1'],
      ['LRANGE', 'l', '0', '-1'],
      ['RPUSH', 'n', 'x', 'x', 'y', 'x'],
      ['LREM', 'n', '-2', 'x'],
      ['LRANGE', 'n', '0', '-1'],
      ['LREM', 'n', '0', 'x'],
      ['LREM', 'n', '0', 'y'],
      ['DBSIZE'],
    ]);
  });

  test('LPOS with RANK, COUNT and MAXLEN', async () => {
    const cmds: string[][] = [['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a', '1', '2', 'a']];
    for (const opts of [[], ['RANK', '1'], ['RANK', '2'], ['RANK', '-1'], ['RANK', '-3'], ['RANK', '9'], ['COUNT', '0'], ['COUNT', '2'],
      ['RANK', '2', 'COUNT', '2'], ['RANK', '-2', 'COUNT', '0'], ['MAXLEN', '4'], ['MAXLEN', '4', 'COUNT', '0'], ['RANK', '-1', 'MAXLEN', '2'],
      ['RANK', '0'], ['COUNT', '-1'], ['MAXLEN', '-1'], ['RANK', 'x'], ['COUNT', 'x'], ['RANK'], ['FOO', '1'], ['RANK', '-9223372036854775808'],
      ['RANK', '-9223372036854775807'], ['COUNT', '1', 'COUNT', '3']]) {
      cmds.push(['LPOS', 'l', 'a', ...opts], ['LPOS', 'l', 'zz', ...opts], ['LPOS', 'nolist', 'a', ...opts]);
    }
    await d.check(cmds);
  });

  test('LMOVE, RPOPLPUSH and LMPOP', async () => {
    await d.check([
      ['RPUSH', 'a', '1', '2', '3'],
      ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
      ['LMOVE', 'a', 'b', 'right', 'left'],
      ['LMOVE', 'a', 'b', 'up', 'left'],
      ['LMOVE', 'a', 'b', 'left', 'down'],
      ['LRANGE', 'b', '0', '-1'],
      ['RPOPLPUSH', 'a', 'a'],
      ['LRANGE', 'a', '0', '-1'],
      ['RPOPLPUSH', 'b', 'b'],
      ['LRANGE', 'b', '0', '-1'],
      ['RPOPLPUSH', 'a', 'b'],
      ['LLEN', 'a'],
      ['RPOPLPUSH', 'a', 'b'],
      ['RPOPLPUSH', 'nolist', 'b'],
      ['SET', 's', 'x'],
      ['RPOPLPUSH', 'b', 's'],
      ['RPOPLPUSH', 's', 'b'],
      ['RPOPLPUSH', 'nolist', 's'],
      ['LRANGE', 'b', '0', '-1'],
      ['LMPOP', '2', 'nolist', 'b', 'LEFT'],
      ['LMPOP', '2', 'nolist', 'b', 'RIGHT', 'COUNT', '2'],
      ['LMPOP', '1', 'b', 'left', 'count', '10'],
      ['LMPOP', '1', 'b', 'left'],
      ['LMPOP', '0', 'b', 'left'],
      ['LMPOP', 'x', 'b', 'left'],
      ['LMPOP', '3', 'b', 'left'],
      ['LMPOP', '1', 'b', 'middle'],
      ['LMPOP', '1', 'b', 'left', 'count', '0'],
      ['LMPOP', '1', 'b', 'left', 'count', 'x'],
      ['LMPOP', '1', 'b', 'left', 'count', '1', 'count', '1'],
      ['LMPOP', '1', 'b', 'left', 'foo'],
      ['LMPOP', '2', 'nolist', 's', 'left'],
      ['RPUSH', 'x', 'v'],
      ['LMPOP', '2', 'x', 's', 'left'],
      ['DBSIZE'],
    ]);
  });

  test('blocking commands that need not block, and argument errors', async () => {
    await d.check([
      ['RPUSH', 'a', '1', '2', '3'],
      ['BLPOP', 'nolist', 'a', '0'],
      ['BRPOP', 'nolist', 'a', '0.5'],
      ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'b', 'a', '0'],
      ['BLMPOP', '0', '2', 'nolist', 'a', 'LEFT', 'COUNT', '5'],
      ['BLMPOP', '0', '0', 'a', 'LEFT'],
      ['BLMPOP', 'x', '1', 'a', 'LEFT'],
      ['BLMPOP', '-1', '1', 'a', 'LEFT'],
      ['BLMPOP', '0', '1', 'a', 'UP'],
      ['BLPOP', 'a', '-1'],
      ['BLPOP', 'a', 'x'],
      ['BLPOP', 'a', 'inf'],
      ['BLPOP', 'a', '1e30'],
      ['BLPOP', 'a', 'nan'],
      ['BLMOVE', 'a', 'b', 'UP', 'LEFT', 'x'],
      ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', 'x'],
      ['SET', 's', 'x'],
      ['BLPOP', 's', 'a', '0'],
      ['BLPOP', 'nolist', 's', '0'],
      ['BLMOVE', 's', 'b', 'LEFT', 'LEFT', '0'],
      ['BLPOP', 'nolist', '0.01'],
      ['BRPOP', 'nolist', '0.01'],
      ['BLMPOP', '0.01', '1', 'nolist', 'LEFT'],
      ['BLMOVE', 'nolist', 'b', 'LEFT', 'LEFT', '0.01'],
      ['BRPOPLPUSH', 'nolist', 'b', '0.01'],
    ]);
  });

  test('RESP3 replies', async () => {
    await d.both('HELLO', '3');
    try {
      await d.check([
        ['RPUSH', 'a', '1', '2', '3'],
        ['LPOP', 'a', '1'],
        ['LPOP', 'nolist'],
        ['LPOP', 'nolist', '2'],
        ['LMPOP', '1', 'a', 'LEFT'],
        ['LMPOP', '1', 'nolist', 'LEFT'],
        ['LPOS', 'a', '3'],
        ['LPOS', 'a', '9'],
        ['BLPOP', 'nolist', '0.01'],
        ['BLMOVE', 'nolist', 'b', 'LEFT', 'LEFT', '0.01'],
        ['LINDEX', 'a', '5'],
      ]);
    } finally {
      await d.both('HELLO', '2');
    }
  });

  test('randomized command sequences (seeded)', async () => {
    const keys = ['k1', 'k2', 'k3'];
    const key = fc.constantFrom(...keys);
    const elem = fc.constantFrom('a', 'b', 'c', '1', '-2', '', 'long-element-xxxxxxxxxxxx');
    const idx = fc.integer({ min: -6, max: 6 }).map(String);
    const side = fc.constantFrom('LEFT', 'RIGHT');
    const cmd = fc.oneof(
      fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, fc.array(elem, { minLength: 1, maxLength: 4 })).map(([c, k, es]) => [c, k, ...es]),
      fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.option(fc.integer({ min: 0, max: 4 }).map(String), { nil: undefined }))
        .map(([c, k, n]) => (n === undefined ? [c, k] : [c, k, n])),
      fc.tuple(key, idx, idx).map(([k, a, b]) => ['LRANGE', k, a, b]),
      fc.tuple(key, idx, idx).map(([k, a, b]) => ['LTRIM', k, a, b]),
      fc.tuple(key, idx).map(([k, i]) => ['LINDEX', k, i]),
      fc.tuple(key, idx, elem).map(([k, i, e]) => ['LSET', k, i, e]),
      fc.tuple(key, fc.integer({ min: -3, max: 3 }).map(String), elem).map(([k, n, e]) => ['LREM', k, n, e]),
      fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), elem, elem).map(([k, w, p, e]) => ['LINSERT', k, w, p, e]),
      fc.tuple(key, elem, fc.constantFrom('1', '2', '-1', '-2')).map(([k, e, r]) => ['LPOS', k, e, 'RANK', r, 'COUNT', '0']),
      fc.tuple(key, key, side, side).map(([a, b, x, y]) => ['LMOVE', a, b, x, y]),
      fc.tuple(key, key).map(([a, b]) => ['RPOPLPUSH', a, b]),
      fc.tuple(key, key, side, fc.integer({ min: 1, max: 3 }).map(String)).map(([a, b, s, n]) => ['LMPOP', '2', a, b, s, 'COUNT', n]),
      fc.tuple(key, key).map(([a, b]) => ['BLPOP', a, b, '0.01']),
      key.map((k) => ['LLEN', k]),
    );
    const runs = fc.sample(fc.array(cmd, { minLength: 10, maxLength: 40 }), { seed: 20240601, numRuns: 40 });
    for (const seq of runs) {
      await d.both('FLUSHALL');
      await d.check([...seq, ...keys.map((k) => ['LRANGE', k, '0', '-1']), ['DBSIZE']]);
    }
  });
});

describe('lists: keyspace events', () => {
  test('event names and order match redis-server', async () => {
    const cmds = [
      ['RPUSH', 'l', 'a', 'b', 'c', 'd'],
      ['LPUSH', 'l', 'z'],
      ['LPUSHX', 'l', 'y'],
      ['RPUSHX', 'nolist', 'y'],
      ['LPOP', 'l'],
      ['RPOP', 'l', '1'],
      ['LSET', 'l', '0', 'q'],
      ['LINSERT', 'l', 'BEFORE', 'q', 'p'],
      ['LREM', 'l', '0', 'zz'],
      ['LREM', 'l', '1', 'p'],
      ['LTRIM', 'l', '0', '1'],
      ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'l', 'm'],
      ['LMPOP', '1', 'm', 'LEFT', 'COUNT', '1'],
      ['BLPOP', 'm', '0'],
      ['RPUSH', 'k', 'a', 'b'],
      ['LTRIM', 'k', '5', '6'],
    ];
    const theirs = await keyEvents(d.theirs.port, cmds);
    const ours = inProcess();
    for (const c of cmds) ours.run(...c);
    expect(ours.events).toEqual(theirs);
  });
});

/** Runs a blocking scenario against one server; returns what each step observed. */
async function blockingScenario(port: number, scenario: (clients: RespClient[], admin: RespClient) => Promise<Resp[]>): Promise<Resp[]> {
  const admin = await RespClient.connect(port);
  const clients = await Promise.all([0, 1, 2].map(() => RespClient.connect(port)));
  try {
    await admin.call('FLUSHALL');
    return await scenario(clients, admin);
  } finally {
    clients.forEach((c) => c.close());
    admin.close();
  }
}

async function bothScenario(scenario: (clients: RespClient[], admin: RespClient) => Promise<Resp[]>): Promise<Resp[]> {
  const theirs = await blockingScenario(d.theirs.port, scenario);
  const ours = await blockingScenario(d.ours.port, scenario);
  expect(ours).toEqual(theirs);
  return ours;
}

describe('lists: blocking', () => {
  test('clients blocked on a key are served first come, first served', async () => {
    const out = await bothScenario(async ([c1, c2, c3], admin) => {
      const r1 = c1.call('BLPOP', 'q', '0');
      await waitBlocked(admin, 1);
      const r2 = c2.call('BRPOP', 'q', 'other', '0');
      await waitBlocked(admin, 2);
      const r3 = c3.call('BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '5');
      await waitBlocked(admin, 3);
      const pushed = await admin.call('RPUSH', 'q', 'a', 'b', 'c', 'd', 'e');
      return [pushed, await r1, await r2, await r3, await admin.call('LLEN', 'q'), await admin.call('DBSIZE')];
    });
    expect(out[1]).toEqual(['q', 'a']);
  });

  test('one push serves only as many clients as it has elements', async () => {
    await bothScenario(async ([c1, c2], admin) => {
      const r1 = c1.call('BRPOP', 'q', '0');
      await waitBlocked(admin, 1);
      const r2 = c2.call('BRPOP', 'q', '0');
      await waitBlocked(admin, 2);
      const pushed = await admin.call('LPUSH', 'q', 'x');
      const first = await r1;
      await waitBlocked(admin, 1);
      const second = await admin.call('RPUSH', 'q', 'y', 'z');
      return [pushed, first, second, await r2, await admin.call('LRANGE', 'q', '0', '-1')];
    });
  });

  test('timeouts answer a null array and leave the connection usable', async () => {
    await bothScenario(async ([c1, c2], admin) => {
      const t0 = Date.now();
      const r1 = await c1.call('BLPOP', 'q', '0.2');
      const r2 = await c2.call('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0.1');
      const elapsed = Date.now() - t0;
      return [r1, r2, elapsed >= 250 && elapsed < 3000 ? 'in time' : `took ${elapsed}`, await c1.call('PING'), await admin.call('DBSIZE')];
    });
  });

  test('commands pipelined behind a blocked one wait for it', async () => {
    await bothScenario(async ([c1], admin) => {
      const replies = c1.sendMany('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*2\r\n$4\r\nLLEN\r\n$1\r\nq\r\n', 2);
      await waitBlocked(admin, 1);
      await admin.call('RPUSH', 'q', 'a', 'b');
      return [...(await replies)];
    });
  });

  test('BLMOVE chains: a served move wakes the clients blocked on its destination', async () => {
    await bothScenario(async ([c1, c2, c3], admin) => {
      const r1 = c1.call('BLMOVE', 'a', 'b', 'RIGHT', 'LEFT', '0');
      await waitBlocked(admin, 1);
      const r2 = c2.call('BRPOPLPUSH', 'b', 'c', '0');
      await waitBlocked(admin, 2);
      const r3 = c3.call('BLPOP', 'c', '0');
      await waitBlocked(admin, 3);
      const pushed = await admin.call('RPUSH', 'a', 'v1', 'v2');
      return [pushed, await r1, await r2, await r3, await admin.call('LRANGE', 'a', '0', '-1'), await admin.call('DBSIZE')];
    });
  });

  test('a key of another type does not serve a blocked client; a later push does', async () => {
    await bothScenario(async ([c1], admin) => {
      const r1 = c1.call('BLPOP', 'q', '0');
      await waitBlocked(admin, 1);
      await admin.call('SET', 'q', 'string');
      await admin.call('FLUSHALL');
      await admin.call('RPUSH', 'q', 'late');
      return [await r1];
    });
  });

  test('a closed blocked client is forgotten', async () => {
    await bothScenario(async ([c1, c2], admin) => {
      void c1.call('BLPOP', 'q', '0').catch(() => undefined);
      await waitBlocked(admin, 1);
      c1.close();
      await waitBlocked(admin, 0);
      const r2 = c2.call('BLPOP', 'q', '0');
      await waitBlocked(admin, 1);
      await admin.call('RPUSH', 'q', 'only');
      return [await r2];
    });
  });

  test('a client that may not block (EXEC, scripts) gets the timeout reply at once', () => {
    const n = inProcess();
    expect(n.run('BLPOP', 'q', '0')).toBe('*-1\r\n');
    expect(n.run('BLMPOP', '0', '1', 'q', 'LEFT')).toBe('*-1\r\n');
    expect(n.run('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0')).toBe('$-1\r\n');
    expect(n.run('BRPOPLPUSH', 'q', 'd', '0')).toBe('$-1\r\n');
    n.run('RPUSH', 'q', 'a');
    expect(n.run('BRPOPLPUSH', 'q', 'd', '0')).toBe('$1\r\na\r\n');
    expect(n.client.blocked).toBeUndefined();
  });
});

describe('lists: encoding (Valkey thresholds)', () => {
  afterEach(() => bindLimits(new Config()));

  test('listpack while small, quicklist beyond list-max-listpack-size, back when shrunk to half', () => {
    const cfg = new Config();
    cfg.set('list-max-listpack-size', ['4'], true);
    bindLimits(cfg);
    expect(limits.listMaxListpackSize).toBe(4);
    const n = inProcess({ 'list-max-listpack-size': '4' });
    n.run('RPUSH', 'l', 'a', 'b', 'c', 'd');
    const l = () => n.server.dbs[0].peek('l') as ListObject;
    expect(l().encoding()).toBe('listpack');
    n.run('RPUSH', 'l', 'e');
    expect(l().encoding()).toBe('quicklist');
    n.run('LPOP', 'l', '2');
    expect(l().encoding()).toBe('quicklist');
    n.run('LPOP', 'l');
    expect(l().encoding()).toBe('listpack');
  });

  test('size-based limit (-2: 8 KB) and big elements', () => {
    const n = inProcess();
    n.run('RPUSH', 'l', 'x'.repeat(100));
    const l = () => n.server.dbs[0].peek('l') as ListObject;
    expect(l().encoding()).toBe('listpack');
    n.run('RPUSH', 'l', 'y'.repeat(9000));
    expect(l().encoding()).toBe('quicklist');
    n.run('RPOP', 'l');
    expect(l().encoding()).toBe('listpack');
  });

  test('items() and clone() for SORT and COPY', () => {
    const a = ListObject.from(['1', '2', '3']);
    a.pushLeft('0');
    const b = a.clone();
    b.popRight();
    expect(a.items()).toEqual(['0', '1', '2', '3']);
    expect(b.items()).toEqual(['0', '1', '2']);
    expect(b.bytes).toBeLessThan(a.bytes);
  });

  test('the ring buffer keeps order through growth, wrap-around, inserts and removals', () => {
    const l = new ListObject();
    const model: string[] = [];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const op = rnd(6);
      const v = String(i);
      if (op === 0) {
        l.pushLeft(v);
        model.unshift(v);
      } else if (op === 1 || op === 2) {
        l.pushRight(v);
        model.push(v);
      } else if (op === 3) {
        expect(l.popLeft()).toBe(model.shift());
      } else if (op === 4) {
        expect(l.popRight()).toBe(model.pop());
      } else if (model.length > 0) {
        const at = rnd(model.length + 1);
        l.insertAt(at, v);
        model.splice(at, 0, v);
      }
      expect(l.length).toBe(model.length);
    }
    expect(l.items()).toEqual(model);
    for (let i = 0; i < model.length; i += 37) expect(l.at(i)).toBe(model[i]);
  });

  test('memory accounting follows pushes and pops', async () => {
    const c = d.a;
    const used = async () => Number(/used_memory:(\d+)/.exec((await c.call('INFO', 'memory')) as string)![1]);
    const before = await used();
    await c.call('RPUSH', 'big', ...Array.from({ length: 1000 }, (_v, i) => `element-${i}`));
    const grown = await used();
    expect(grown - before).toBeGreaterThan(1000 * 24);
    await c.call('LTRIM', 'big', '1', '0');
    expect(await used()).toBe(before);
  });
});

describe('lists: ioredis', () => {
  let node: RunningNode;
  beforeAll(() => {
    node = d.ours;
  });

  test('push, range, blocking pop', async () => {
    const r = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    const r2 = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    await r.connect();
    await r2.connect();
    try {
      expect(await r.rpush('jobs', 'a', 'b')).toBe(2);
      expect(await r.lrange('jobs', 0, -1)).toEqual(['a', 'b']);
      expect(await r.blpop('jobs', 1)).toEqual(['jobs', 'a']);
      expect(await r.lmove('jobs', 'done', 'LEFT', 'RIGHT')).toBe('b');
      const waiting = r.brpop('later', 0);
      await waitBlocked(d.a, 1);
      await r2.lpush('later', 'x');
      expect(await waiting).toEqual(['later', 'x']);
    } finally {
      r.disconnect();
      r2.disconnect();
    }
  });
});
