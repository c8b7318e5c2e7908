import { createClient } from 'redis';
import { Differential, useDifferential } from './differential';
import { waitFor } from './nodes';
import { Resp, RespClient } from './resp-client';

/**
 * Client-side caching (CLIENT TRACKING), differential against redis-server 7.0: each role (the
 * tracking client, a writer, a redirect target) is a pair of raw connections, one to each server;
 * the same steps go to both and every reply and push message must be equal.
 */

/** One role in a differential scenario: a connection to our node and one to redis-server. */
class Twin {
  public static async open(d: Differential, resp3 = true): Promise<Twin> {
    const t = new Twin(await RespClient.connect(d.ours.port), await RespClient.connect(d.theirs.port));
    if (resp3) await t.same('HELLO', '3').catch(() => undefined);
    opened.push(t);
    return t;
  }

  private constructor(public readonly ours: RespClient, public readonly theirs: RespClient) {}

  public call(...args: Array<string | number>): Promise<[Resp, Resp]> {
    return Promise.all([this.ours.call(...args), this.theirs.call(...args)]);
  }

  /** Sends a command to both and expects equal replies; returns ours. */
  public async same(...args: Array<string | number>): Promise<Resp> {
    const [x, y] = await this.call(...args);
    if (args[0] !== 'HELLO') expect({ cmd: args, reply: x }).toEqual({ cmd: args, reply: y });
    return x;
  }

  /** The next message (a push) on both, expected equal (after `normalize`); returns ours. */
  public async next(normalize: (r: Resp) => Resp = (r) => r): Promise<Resp> {
    const [x, y] = await Promise.allSettled([this.ours.next(5000), this.theirs.next(5000)]);
    if (x.status === 'rejected' || y.status === 'rejected') {
      throw new Error(`no message in time: ours ${JSON.stringify(x)}, redis ${JSON.stringify(y)}`);
    }
    expect(normalize(x.value)).toEqual(normalize(y.value));
    return x.value;
  }

  /** Nothing was pushed meanwhile: the next reply on both is PING's. */
  public async quiet(): Promise<void> {
    const [x, y] = await this.call('PING');
    expect([x, y]).toEqual([{ simple: 'PONG' }, { simple: 'PONG' }]);
  }

  /** The CLIENT ID of each side. */
  public async ids(): Promise<[number, number]> {
    const [x, y] = await this.call('CLIENT', 'ID');
    return [x as number, y as number];
  }

  public close(): void {
    this.ours.close();
    this.theirs.close();
  }
}

const opened: Twin[] = [];
const invalidate = (...keys: string[]): Resp => ({ push: ['invalidate', keys] });

/** A text reply (RESP2 bulk or RESP3 verbatim). */
function text(r: Resp): string {
  return r !== null && typeof r === 'object' && 'verbatim' in r ? r.verbatim.slice(4) : String(r);
}

function infoField(r: Resp, field: string): string {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(text(r));
  return m ? m[1].trim() : '';
}

describe('CLIENT TRACKING, differential against redis-server', () => {
  let d: Differential;
  useDifferential((started) => {
    d = started;
  }, [], false);
  afterEach(async () => {
    for (const t of opened.splice(0)) t.close();
    await waitFor(async () => {
      const [x, y] = await d.both('INFO', 'clients');
      return infoField(x, 'connected_clients') === '1' && infoField(y, 'connected_clients') === '1';
    }, 'test connections to close');
    await d.both('FLUSHALL');
  });

  test('default mode: keys read are invalidated once, when another client changes them', async () => {
    const t = await Twin.open(d);
    const w = await Twin.open(d);
    await t.same('CLIENT', 'TRACKING', 'ON');
    await t.same('GET', 'k');
    await t.same('MGET', 'a', 'b');
    await t.same('HGETALL', 'h');
    await w.same('SET', 'k', '1');
    await t.next();
    await w.same('SET', 'k', '2'); // no longer tracked: k was not read again
    await t.quiet();
    await w.same('MSET', 'a', '1', 'b', '2', 'c', '3');
    await t.next();
    await t.next();
    await w.same('HSET', 'h', 'f', 'v');
    expect(await t.next()).toEqual(invalidate('h'));
    await t.quiet();
    // Keys in another database share the table (it is not per database, as in Valkey).
    await t.same('GET', 'x');
    await w.same('SELECT', 1);
    await w.same('SET', 'x', '1');
    expect(await t.next()).toEqual(invalidate('x'));
  });

  test('the client changing a key it caches gets the message after its reply; NOLOOP suppresses it', async () => {
    const t = await Twin.open(d);
    await t.same('CLIENT', 'TRACKING', 'ON');
    await t.same('GET', 'k');
    await t.same('SET', 'k', 'v');
    expect(await t.next()).toEqual(invalidate('k'));
    await t.same('CLIENT', 'TRACKING', 'ON', 'NOLOOP');
    await t.same('GET', 'k');
    await t.same('SET', 'k', 'w');
    await t.quiet();
    await t.same('CLIENT', 'TRACKINGINFO');
  });

  test('OPTIN and OPTOUT with CLIENT CACHING, which lasts one command or one transaction', async () => {
    const t = await Twin.open(d);
    const w = await Twin.open(d);
    await t.same('CLIENT', 'TRACKING', 'ON', 'OPTIN');
    await t.same('GET', 'a');
    await t.same('CLIENT', 'CACHING', 'YES');
    await t.same('CLIENT', 'TRACKINGINFO');
    await t.same('GET', 'b');
    await t.same('GET', 'c');
    await t.same('CLIENT', 'CACHING', 'YES');
    await t.same('MULTI');
    await t.same('GET', 'd');
    await t.same('GET', 'e');
    await t.same('EXEC');
    await t.same('CLIENT', 'TRACKINGINFO');
    await w.same('MSET', 'a', 1, 'b', 1, 'c', 1, 'd', 1, 'e', 1);
    expect(await t.next()).toEqual(invalidate('b'));
    expect(await t.next()).toEqual(invalidate('d'));
    expect(await t.next()).toEqual(invalidate('e'));
    await t.quiet();
    await t.same('CLIENT', 'TRACKING', 'OFF');
    await t.same('CLIENT', 'TRACKING', 'ON', 'OPTOUT');
    await t.same('CLIENT', 'CACHING', 'NO');
    await t.same('GET', 'a');
    await t.same('GET', 'b');
    await w.same('MSET', 'a', 2, 'b', 2);
    expect(await t.next()).toEqual(invalidate('b'));
    await t.quiet();
  });

  test('BCAST with prefixes: one message per prefix per batch, NOLOOP filters the own changes', async () => {
    const t = await Twin.open(d);
    const w = await Twin.open(d);
    await t.same('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'obj:');
    await t.same('CLIENT', 'TRACKINGINFO');
    // One pipelined batch: one message per prefix, its keys in byte order.
    const batch = '*3\r\n$3\r\nSET\r\n$6\r\nuser:2\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$6\r\nuser:1\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$5\r\nother\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$5\r\nobj:9\r\n$1\r\n1\r\n';
    const [x, y] = await Promise.all([w.ours.sendMany(batch, 4), w.theirs.sendMany(batch, 4)]);
    expect(x).toEqual(y);
    expect(await t.next()).toEqual(invalidate('obj:9'));
    expect(await t.next()).toEqual(invalidate('user:1', 'user:2'));
    await t.quiet();
    await t.same('CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP', 'PREFIX', 'z');
    await t.same('SET', 'za', '1');
    await t.quiet();
    await w.same('SET', 'zb', '1');
    expect(await t.next()).toEqual(invalidate('zb'));
    const [n, m] = await t.call('INFO', 'stats');
    expect(infoField(n, 'tracking_total_prefixes')).toBe('3');
    expect(infoField(m, 'tracking_total_prefixes')).toBe('3');
  });

  test('FLUSHDB and FLUSHALL send a null invalidation to every tracking client', async () => {
    const t = await Twin.open(d);
    const b = await Twin.open(d);
    const w = await Twin.open(d);
    await t.same('CLIENT', 'TRACKING', 'ON');
    await b.same('CLIENT', 'TRACKING', 'ON', 'BCAST');
    await t.same('GET', 'k');
    await w.same('FLUSHDB');
    expect(await t.next()).toEqual({ push: ['invalidate', null] });
    expect(await b.next()).toEqual({ push: ['invalidate', null] });
    await w.same('SET', 'k', '1'); // the table was dropped: no message for k to t
    await t.quiet();
    expect(await b.next()).toEqual(invalidate('k'));
    await t.same('FLUSHALL');
    await t.next();
    await b.next();
  });

  test('writes inside MULTI/EXEC, scripts, expiry and deletion invalidate; reads inside scripts track', async () => {
    const t = await Twin.open(d);
    const w = await Twin.open(d);
    await w.same('SET', 's', '1');
    await t.same('CLIENT', 'TRACKING', 'ON');
    await w.same('SET', 'e', '1', 'PX', '1000');
    await t.same('EVAL', 'return redis.call("GET", KEYS[1])', 1, 's');
    await t.same('MULTI');
    await t.same('GET', 'm');
    await t.same('STRLEN', 'e');
    await t.same('EXEC');
    await w.same('EVAL', 'redis.call("INCR", KEYS[1]) return 1', 1, 's');
    expect(await t.next()).toEqual(invalidate('s'));
    await w.same('MULTI');
    await w.same('LPUSH', 'm', 'x');
    await w.same('EXEC');
    expect(await t.next()).toEqual(invalidate('m'));
    // e expires by itself: the active expiry cycle invalidates it.
    expect(await t.next()).toEqual(invalidate('e'));
    await t.same('GET', 'm');
    await w.same('DEL', 'm');
    expect(await t.next()).toEqual(invalidate('m'));
    const [x, y] = await t.call('INFO', 'stats');
    expect([infoField(x, 'tracking_total_keys'), infoField(y, 'tracking_total_keys')]).toEqual(['0', '0']);
  });

  test('RESP2 with REDIRECT: messages on __redis__:invalidate; a closed target breaks the redirection', async () => {
    const r = await Twin.open(d, false);
    const t = await Twin.open(d, false);
    const w = await Twin.open(d);
    const [ro, rt] = await r.ids();
    await r.same('SUBSCRIBE', '__redis__:invalidate');
    const [x, y] = await Promise.all([t.ours.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', ro), t.theirs.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', rt)]);
    expect([x, y]).toEqual([{ simple: 'OK' }, { simple: 'OK' }]);
    const redirs = await t.call('CLIENT', 'GETREDIR');
    expect(redirs).toEqual([ro, rt]);
    await t.same('GET', 'k');
    await w.same('SET', 'k', '1');
    expect(await r.next()).toEqual(['message', '__redis__:invalidate', ['k']]);
    await w.same('FLUSHALL');
    expect(await r.next()).toEqual(['message', '__redis__:invalidate', null]);
    // A RESP3 tracker told that its target is gone.
    const t3 = await Twin.open(d);
    await Promise.all([t3.ours.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', ro), t3.theirs.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', rt)]);
    await t3.same('GET', 'j');
    r.close();
    await waitFor(async () => {
      const [a, b] = await w.call('CLIENT', 'LIST');
      return !text(a).includes(`id=${ro} `) && !text(b).includes(`id=${rt} `);
    }, 'the redirect target to go');
    await w.same('SET', 'j', '1');
    const [pa, pb] = await Promise.all([t3.ours.next(), t3.theirs.next()]);
    expect(pa).toEqual({ push: ['tracking-redir-broken', ro] });
    expect(pb).toEqual({ push: ['tracking-redir-broken', rt] });
    const info = await t3.call('CLIENT', 'TRACKINGINFO');
    expect(info[0]).toEqual({ map: [['flags', { set: ['on', 'broken_redirect'] }], ['redirect', ro], ['prefixes', []]] });
    expect(info[1]).toEqual({ map: [['flags', { set: ['on', 'broken_redirect'] }], ['redirect', rt], ['prefixes', []]] });
    const list = await t3.call('CLIENT', 'INFO');
    expect(text(list[0])).toMatch(/ flags=tR /);
    expect(text(list[1])).toMatch(/ flags=tR /);
  });

  test('error replies and introspection, as Valkey spells them (RESP2 and RESP3)', async () => {
    for (const resp3 of [false, true]) {
      const t = await Twin.open(d, resp3);
      for (const cmd of [
        ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETREDIR'], ['CLIENT', 'CACHING', 'YES'],
        ['CLIENT', 'TRACKING'], ['CLIENT', 'TRACKING', 'maybe'], ['CLIENT', 'TRACKING', 'ON', 'BOGUS'],
        ['CLIENT', 'TRACKING', 'ON', 'REDIRECT'], ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', 'x'], ['CLIENT', 'TRACKING', 'ON', 'REDIRECT', 987654],
        ['CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a'], ['CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'], ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a'], ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'abc'],
        ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'b'], ['CLIENT', 'TRACKING', 'ON'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETREDIR'],
        ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'TRACKING', 'OFF'], ['CLIENT', 'TRACKING', 'ON', 'OPTIN', 'NOLOOP'],
        ['CLIENT', 'TRACKING', 'ON', 'OPTOUT'], ['CLIENT', 'CACHING', 'NO'], ['CLIENT', 'CACHING', 'maybe'], ['CLIENT', 'CACHING', 'YES'],
        ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'OFF'], ['CLIENT', 'TRACKING', 'ON', 'OPTOUT'], ['CLIENT', 'CACHING', 'NO'],
        ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'CACHING', 'NO', 'extra'], ['CLIENT', 'TRACKINGINFO', 'extra'],
      ]) {
        await t.same(...cmd);
      }
      const [x, y] = await t.call('CLIENT', 'INFO');
      expect(/ flags=(\S+) /.exec(text(x))?.[1]).toBe(/ flags=(\S+) /.exec(text(y))?.[1]);
      expect(/ redir=(\S+) /.exec(text(x))?.[1]).toBe(/ redir=(\S+) /.exec(text(y))?.[1]);
      await t.same('RESET');
      await t.same('CLIENT', 'TRACKINGINFO');
      t.close();
    }
    const [x, y] = await d.both('COMMAND', 'INFO', 'client|tracking', 'client|caching', 'client|getredir', 'client|trackinginfo');
    const head = (r: Resp) => (r as Resp[]).map((e) => (Array.isArray(e) ? e.slice(0, 3) : e));
    expect(head(x)).toEqual(head(y));
    await d.check([['CONFIG', 'GET', 'tracking-table-max-keys'], ['CONFIG', 'GET', 'latency-tracking']]);
  });

  test('keys of malformed or failing readonly commands are tracked as Valkey does', async () => {
    const t = await Twin.open(d);
    const w = await Twin.open(d);
    await w.same('SET', 'str', 'v');
    await t.same('CLIENT', 'TRACKING', 'ON');
    for (const cmd of [['XREAD', 'STREAMS', 'a'], ['ZUNION', 'x', 'c'], ['SINTERCARD', '1', 'd', 'LIMIT'],
      ['EVAL_RO', 'return redis.call("GET", KEYS[1])', 1, 'e'], ['LRANGE', 'str', 0, -1], ['GEORADIUS_RO', 'f', 0, 0, 1, 'km', 'STORE', 'g'],
      ['SORT_RO', 'h', 'BY', 'nosort'], ['LCS', 'i', 'j', 'BOGUS']]) {
      await t.same(...cmd);
    }
    await w.same('MSET', 'a', 1, 'b', 1, 'c', 1, 'd', 1, 'e', 1, 'f', 1, 'g', 1, 'h', 1, 'i', 1, 'j', 1, 'str', 1);
    // Everything pushed before PING's reply (the pushes were written before PING is read).
    const drain = async (c: RespClient) => {
      const got: Resp[] = [await c.send('*1\r\n$4\r\nPING\r\n')];
      while (JSON.stringify(got[got.length - 1]) !== JSON.stringify({ simple: 'PONG' })) got.push(await c.next(5000));
      return got.slice(0, -1).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    };
    const [x, y] = await Promise.all([drain(t.ours), drain(t.theirs)]);
    expect(x).toEqual(y);
  });

  test('randomized reads and writes in default, OPTIN, OPTOUT and NOLOOP modes give the same messages', async () => {
    const seed = Date.now() % 100000;
    let state = seed;
    const rnd = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const key = () => `r${rnd(6)}`;
    const t = await Twin.open(d);
    const w = await Twin.open(d);
    const drain = async (c: RespClient) => {
      const got: Resp[] = [await c.send('*1\r\n$4\r\nPING\r\n')];
      while (JSON.stringify(got[got.length - 1]) !== JSON.stringify({ simple: 'PONG' })) got.push(await c.next(5000));
      return got.slice(0, -1);
    };
    for (const mode of [[], ['OPTIN'], ['OPTOUT'], ['NOLOOP']]) {
      await t.same('CLIENT', 'TRACKING', 'OFF');
      await t.same('CLIENT', 'TRACKING', 'ON', ...mode);
      for (let step = 0; step < 40; step++) {
        const op = rnd(7);
        const cmd: Array<string | number> =
          op === 0 ? ['GET', key()] : op === 1 ? ['MGET', key(), key()] : op === 2 ? ['EXISTS', key()]
            : op === 3 ? ['SET', key(), step] : op === 4 ? ['DEL', key()] : op === 5 ? ['CLIENT', 'CACHING', mode[0] === 'OPTOUT' ? 'NO' : 'YES'] : ['INCR', key()];
        const by = op === 3 || op === 4 || op === 6 ? (rnd(2) === 0 ? t : w) : t;
        await by.same(...cmd);
        const [x, y] = await Promise.all([drain(t.ours), drain(t.theirs)]);
        expect({ seed, mode, step, cmd, pushes: x }).toEqual({ seed, mode, step, cmd, pushes: y });
      }
    }
  });

  test('a client resumed by CLIENT UNBLOCK tracks its own reads, not the unblocker\'s', async () => {
    const t = await Twin.open(d);
    const u = await Twin.open(d);
    const w = await Twin.open(d);
    const [to, tt] = await t.ids();
    await t.same('CLIENT', 'TRACKING', 'ON');
    await u.same('CLIENT', 'TRACKING', 'ON');
    // t blocks, with a GET pipelined behind the BLPOP.
    const pipeline = '*3\r\n$5\r\nBLPOP\r\n$4\r\nlist\r\n$1\r\n0\r\n*2\r\n$3\r\nGET\r\n$1\r\nx\r\n';
    const replies = Promise.all([t.ours.sendMany(pipeline, 2), t.theirs.sendMany(pipeline, 2)]);
    await waitFor(async () => {
      const [a, b] = await w.call('INFO', 'clients');
      return infoField(a, 'blocked_clients') === '1' && infoField(b, 'blocked_clients') === '1';
    }, 't to block');
    const unblocked = await Promise.all([u.ours.call('CLIENT', 'UNBLOCK', to), u.theirs.call('CLIENT', 'UNBLOCK', tt)]);
    expect(unblocked).toEqual([1, 1]);
    const [x, y] = await replies;
    expect(x).toEqual(y);
    await w.same('SET', 'x', '1');
    expect(await t.next()).toEqual(invalidate('x'));
    await u.quiet();
  });

  test('INFO tracking_* counters', async () => {
    const t = await Twin.open(d);
    const u = await Twin.open(d);
    const b = await Twin.open(d);
    await t.same('CLIENT', 'TRACKING', 'ON');
    await u.same('CLIENT', 'TRACKING', 'ON');
    await b.same('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'p', 'PREFIX', 'q');
    await t.same('MGET', 'a', 'b', 'c');
    await u.same('MGET', 'b', 'c', 'd');
    const [x, y] = await t.call('INFO', 'everything');
    for (const f of ['tracking_clients', 'tracking_total_keys', 'tracking_total_items', 'tracking_total_prefixes']) {
      expect(`${f}:${infoField(x, f)}`).toBe(`${f}:${infoField(y, f)}`);
    }
    expect(infoField(x, 'tracking_total_items')).toBe('6');
  });
});

describe('CLIENT TRACKING on our node', () => {
  let d: Differential;
  beforeAll(async () => {
    const started = await Differential.start();
    if (!started) throw new Error('redis-server is required');
    d = started;
  });
  afterAll(async () => {
    for (const t of opened.splice(0)) t.close();
    await d?.stop();
  });

  test('tracking-table-max-keys: keys over the limit are invalidated until the table fits (both servers)', async () => {
    // Redis picks the keys to drop at random, we drop the oldest: the counts must agree.
    for (const port of [d.ours.port, d.theirs.port]) {
      const t = await RespClient.connect(port);
      try {
        await t.call('HELLO', '3');
        expect(await t.call('CONFIG', 'SET', 'tracking-table-max-keys', '2')).toEqual({ simple: 'OK' });
        await t.call('CLIENT', 'TRACKING', 'ON');
        await t.call('MGET', 'k1', 'k2', 'k3', 'k4', 'k5');
        const got: string[] = [];
        while (got.length < 3) {
          const m = (await t.next()) as { push: [string, string[]] };
          expect(m.push[0]).toBe('invalidate');
          got.push(...m.push[1]);
        }
        expect(new Set(got).size).toBe(3);
        expect(infoField(await t.call('INFO', 'stats'), 'tracking_total_keys')).toBe('2');
        if (port === d.ours.port) expect(got.sort()).toEqual(['k1', 'k2', 'k3']);
      } finally {
        await t.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
        t.close();
      }
    }
  });

  test('an evicted key is invalidated', async () => {
    const t = await RespClient.connect(d.ours.port);
    const w = await RespClient.connect(d.ours.port);
    try {
      await t.call('HELLO', '3');
      await w.call('SET', 'victim', 'x'.repeat(1000));
      await t.call('CLIENT', 'TRACKING', 'ON');
      await t.call('GET', 'victim');
      const used = Number(infoField(await w.call('INFO', 'memory'), 'used_memory'));
      await w.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
      await w.call('CONFIG', 'SET', 'maxmemory', used + 50_000);
      for (let i = 0; i < 5000 && (await w.call('EXISTS', 'victim')) === 1; i++) await w.call('SET', `fill${i}`, 'y'.repeat(1000));
      expect(await w.call('EXISTS', 'victim')).toBe(0);
      expect(await t.next()).toEqual(invalidate('victim'));
    } finally {
      await w.call('CONFIG', 'SET', 'maxmemory', 0);
      await w.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      await w.call('FLUSHALL');
      t.close();
      w.close();
    }
  });

  test("node-redis v5's client-side cache (RESP3) serves hits and drops entries on invalidation", async () => {
    const client = createClient({ url: `redis://127.0.0.1:${d.ours.port}`, RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0 } });
    const writer = createClient({ url: `redis://127.0.0.1:${d.ours.port}` });
    await client.connect();
    await writer.connect();
    try {
      await writer.set('csc', 'one');
      expect(await client.get('csc')).toBe('one');
      expect(await client.get('csc')).toBe('one');
      const cache = client.clientSideCache!;
      expect(cache.stats().hitCount).toBe(1);
      expect(cache.stats().missCount).toBe(1);
      await writer.set('csc', 'two');
      await waitFor(() => cache.size() === 0, 'the cached entry to be invalidated');
      expect(await client.get('csc')).toBe('two');
      await writer.flushAll();
      await waitFor(() => cache.size() === 0, 'the cache to be flushed');
      expect(await client.get('csc')).toBeNull();
    } finally {
      client.destroy();
      writer.destroy();
    }
  });
});
