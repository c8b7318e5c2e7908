import { Differential } from './differential';
import { InProc } from './inproc';
import { RunningNode, startNode, waitFor } from './nodes';
import { RespClient } from './resp-client';

const MAXMEMORY = 2 * 1024 * 1024;
const VALUE = 'v'.repeat(100);

/** Encodes commands as one pipelined RESP buffer. */
function encode(cmds: string[][]): Buffer {
  const parts: string[] = [];
  for (const c of cmds) {
    parts.push(`*${c.length}\r\n`);
    for (const a of c) parts.push(`$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`);
  }
  return Buffer.from(parts.join(''), 'latin1');
}

async function pipeline(c: RespClient, cmds: string[][]) {
  return c.sendMany(encode(cmds), cmds.length);
}

async function infoField(c: RespClient, field: string): Promise<number> {
  const info = (await c.call('INFO', 'everything')) as string;
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  if (!m) throw new Error(`no ${field} in INFO`);
  return Number(m[1]);
}

describe('maxmemory eviction policies', () => {
  let node: RunningNode;
  let c: RespClient;
  afterEach(async () => {
    c?.close();
    await node?.stop();
  });

  async function start(policy: string, extra: string[] = []): Promise<void> {
    node = await startNode(['--maxmemory', String(MAXMEMORY), '--maxmemory-policy', policy, ...extra]);
    c = await RespClient.connect(node.port);
  }

  /** Writes `n` keys `${prefix}:i` in batches, calling `between` after each batch. */
  async function fill(prefix: string, n: number, opts: string[] = [], between?: () => Promise<void>): Promise<void> {
    for (let i = 0; i < n; i += 500) {
      const batch: string[][] = [];
      for (let j = i; j < Math.min(n, i + 500); j++) batch.push(['SET', `${prefix}:${j}`, VALUE, ...opts]);
      const replies = await pipeline(c, batch);
      for (const r of replies) expect(r).toEqual({ simple: 'OK' });
      if (between) await between();
    }
  }

  async function existing(keys: string[]): Promise<number> {
    return (await c.call('EXISTS', ...keys)) as number;
  }

  async function expectNearLimit(): Promise<void> {
    const used = await infoField(c, 'used_memory');
    expect(used).toBeLessThanOrEqual(MAXMEMORY + 1024);
    expect(used).toBeGreaterThan(MAXMEMORY * 0.9);
    expect(await infoField(c, 'evicted_keys')).toBeGreaterThan(0);
  }

  const hot = Array.from({ length: 50 }, (_, i) => `hot:${i}`);

  test('allkeys-lru keeps the recently used keys', async () => {
    await start('allkeys-lru', ['--maxmemory-samples', '10']);
    await fill('hot', 50);
    // keep the hot keys recently used while cold keys push memory over the limit
    await fill('cold', 15000, [], async () => {
      await c.call('MGET', ...hot);
    });
    await expectNearLimit();
    expect(await existing(hot)).toBe(50);
    expect(await c.call('DBSIZE')).toBeLessThan(15050);
  });

  test('allkeys-lfu keeps the frequently used keys', async () => {
    await start('allkeys-lfu', ['--maxmemory-samples', '10']);
    await fill('hot', 50);
    for (let i = 0; i < 30; i++) await c.call('MGET', ...hot);
    await fill('cold', 15000, [], async () => {
      await c.call('MGET', ...hot);
    });
    await expectNearLimit();
    expect(await existing(hot)).toBe(50);
    expect(await c.call('OBJECT', 'FREQ', 'hot:1')).toBeGreaterThan(5);
  });

  test('allkeys-random evicts old and new keys alike', async () => {
    await start('allkeys-random');
    await fill('a', 15000);
    await expectNearLimit();
    const size = (await c.call('DBSIZE')) as number;
    expect(size).toBeLessThan(15000);
    const early = await existing(Array.from({ length: 1000 }, (_, i) => `a:${i}`));
    const late = await existing(Array.from({ length: 1000 }, (_, i) => `a:${14000 + i}`));
    // random eviction: early keys are not all gone (not FIFO) and late keys were evicted too (not LIFO)
    expect(early).toBeGreaterThan(0);
    expect(late).toBeLessThan(1000);
  });

  test.each(['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'])('%s evicts only keys with a TTL, then answers OOM', async (policy) => {
    await start(policy);
    const perm = Array.from({ length: 200 }, (_, i) => `perm:${i}`);
    await fill('perm', 200);
    await fill('vol', 12000, ['EX', '100000']);
    await expectNearLimit();
    expect(await existing(perm)).toBe(200);
    // with no volatile keys left to evict, writes fail
    let oom: unknown;
    for (let i = 0; i < 20000 && !oom; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => ['SET', `more:${i + j}`, VALUE]);
      oom = (await pipeline(c, batch)).find((r) => typeof r === 'object' && r !== null && 'error' in r);
    }
    expect(oom).toEqual({ error: "OOM command not allowed when used memory > 'maxmemory'." });
    expect(await existing(perm)).toBe(200);
    expect(await c.call('GET', 'perm:1')).toBe(VALUE); // reads still work
  });

  test('volatile-ttl evicts the keys closest to expiring first', async () => {
    await start('volatile-ttl', ['--maxmemory-samples', '10']);
    const long = Array.from({ length: 100 }, (_, i) => `long:${i}`);
    await fill('long', 100, ['EX', '1000000']);
    await fill('short', 12000, ['EX', '10000']);
    await expectNearLimit();
    expect(await existing(long)).toBe(100);
  });

  test('noeviction answers OOM to writes and lets reads and deletes through', async () => {
    await start('noeviction');
    let oom: unknown;
    for (let i = 0; i < 20000 && !oom; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => ['SET', `k:${i + j}`, VALUE]);
      oom = (await pipeline(c, batch)).find((r) => typeof r === 'object' && r !== null && 'error' in r);
    }
    expect(oom).toEqual({ error: "OOM command not allowed when used memory > 'maxmemory'." });
    expect(await infoField(c, 'evicted_keys')).toBe(0);
    expect(await c.call('GET', 'k:0')).toBe(VALUE);
    expect(await c.call('DEL', 'k:0', 'k:1', 'k:2')).toBe(3);
    // lowering maxmemory at run time evicts in the background (time-boxed slices, then the cron) without a command
    expect(await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random')).toEqual({ simple: 'OK' });
    expect(await c.call('CONFIG', 'SET', 'maxmemory', String(MAXMEMORY / 2))).toEqual({ simple: 'OK' });
    await waitFor(async () => (await infoField(c, 'used_memory')) <= MAXMEMORY / 2, 'eviction down to the new maxmemory');
  });

  test('the OOM error and the commands it lets through match redis-server', async () => {
    const d = await Differential.start(['--maxmemory', '1']);
    if (!d) throw new Error('redis-server is not installed');
    try {
      await d.check([['SET', 'a', '1'], ['GET', 'a'], ['DEL', 'a'], ['EXISTS', 'a'], ['INCR', 'n'], ['EXPIRE', 'a', 10], ['COPY', 'a', 'b'], ['SORT', 'nokey'], ['SORT_RO', 'nokey']]);
    } finally {
      await d.stop();
    }
  });
});

describe('eviction internals', () => {
  test('each evicted key sends an `evicted` notification (class e) and counts in evicted_keys', () => {
    const n = new InProc([['maxmemory', String(MAXMEMORY)], ['maxmemory-policy', 'allkeys-random'], ['notify-keyspace-events', 'Ee']]);
    const events: string[] = [];
    n.server.pubsub.subscribe(n.server.pubsub.patterns, '*', n.server.fakeClient()); // the node skips unheard notifications
    n.server.pubsub.publish = (channel: string, message: string) => {
      if (channel === '__keyevent@0__:evicted') events.push(message);
      return 0;
    };
    for (let i = 0; i < 12000; i++) expect(n.call('SET', `k${i}`, VALUE)).toEqual({ simple: 'OK' });
    expect(events.length).toBeGreaterThan(1000);
    expect(events.length).toBe(n.server.stats.evictedKeys);
    expect(n.call('DBSIZE')).toBe(12000 - events.length);
    expect(n.server.usedMemory()).toBeLessThanOrEqual(MAXMEMORY + 400);
  });
});
