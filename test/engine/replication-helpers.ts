import Redis from 'ioredis';
import { RunningNode, startNode, waitFor } from './nodes';

/** ioredis connection that does not retry forever (tests stop servers under it). */
export function connect(port: number): Redis {
  return new Redis({ port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1, retryStrategy: () => null, enableOfflineQueue: true });
}

/**
 * Jest hooks for tests that start our nodes with an ioredis client each: after each test the
 * clients (and those given to `keep`) disconnect and the nodes stop, resumed first in case a test
 * paused one (SIGSTOP).
 */
export function useNodesWithClients() {
  const procs: RunningNode[] = [];
  const conns: Redis[] = [];
  afterEach(async () => {
    conns.splice(0).forEach((c) => c.disconnect());
    await Promise.all(procs.splice(0).map(async (p) => {
      try {
        process.kill(p.pid, 'SIGCONT');
      } catch {
        // already gone
      }
      await p.stop();
    }));
  });
  return {
    /** Starts a node and connects a client (errors ignored: tests stop nodes under it). */
    async node(directives: string[] = []): Promise<{ n: RunningNode; c: Redis }> {
      const n = await startNode(directives);
      procs.push(n);
      const c = connect(n.port);
      c.on('error', () => undefined);
      conns.push(c);
      return { n, c };
    },
    /** Disconnects a client the test made itself after the test. */
    keep(c: Redis): void {
      conns.push(c);
    },
  };
}

/** A field of INFO (any section). */
export async function info(r: Redis, field: string, section = 'everything'): Promise<string | undefined> {
  const text = (await r.call('INFO', section)) as string;
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(text);
  return m ? m[1].trim() : undefined;
}

/** Waits until the replica processed everything the primary produced, then a bit of GETACK round trip. */
export async function waitInSync(primary: Redis, replica: Redis, what = 'replica in sync'): Promise<void> {
  await waitFor(async () => {
    const link = await info(replica, 'master_link_status', 'replication');
    if (link !== 'up') return false;
    const p = Number(await info(primary, 'master_repl_offset', 'replication'));
    const s = Number(await info(replica, 'slave_repl_offset', 'replication'));
    return p === s;
  }, what, 20000);
}

const sortStr = (a: string[]) => [...a].sort();

/**
 * The whole dataset as canonical text, key by key: type, value (sorted where order is not part
 * of the type), the absolute expiry (PEXPIRETIME), and for streams the entries, groups and PELs.
 * `entriesRead: false` leaves out the groups' entries-read: Redis 7.0 propagates XREADGROUP as
 * XCLAIM ... LASTID alone, which does not carry it (later versions also send XGROUP SETID ENTRIESREAD,
 * as our node does), so a replica of a real 7.0 primary cannot know it.
 */
export async function canonicalDump(r: Redis, opts: { entriesRead?: boolean } = {}, dbs = [0, 1, 2, 3]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const db of dbs) {
    await r.call('SELECT', String(db));
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = (await r.call('SCAN', cursor, 'COUNT', '1000')) as [string, string[]];
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    for (const key of sortStr(keys)) {
      const type = (await r.call('TYPE', key)) as string;
      let value: unknown;
      if (type === 'string') {value = await r.call('GET', key);} else if (type === 'list') {value = await r.call('LRANGE', key, '0', '-1');} else if (type === 'set') {value = sortStr((await r.call('SMEMBERS', key)) as string[]);} else if (type === 'zset') {value = await r.call('ZRANGE', key, '0', '-1', 'WITHSCORES');} else if (type === 'hash') {
        const flat = (await r.call('HGETALL', key)) as string[];
        const pairs: string[] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
        value = sortStr(pairs);
      } else if (type === 'stream') {
        const groups = (await r.call('XINFO', 'GROUPS', key)) as unknown[][];
        const gs: unknown[] = [];
        for (const g of groups) {
          const name = g[1] as string;
          const consumers = (await r.call('XINFO', 'CONSUMERS', key, name)) as unknown[][];
          const pending = (await r.call('XPENDING', key, name, '-', '+', '1000')) as unknown[][];
          gs.push({
            group: g.filter((_, i) => i % 2 === 0).map((k, i) => `${k}=${g[i * 2 + 1]}`).filter((s) => !s.startsWith('lag=') && (opts.entriesRead !== false || !s.startsWith('entries-read='))),
            consumers: consumers.map((c) => `${c[1]}:${c[3]}`).sort(),
            pending: pending.map((p) => `${p[0]}:${p[1]}:${p[3]}`),
          });
        }
        value = { entries: await r.call('XRANGE', key, '-', '+'), len: await r.call('XLEN', key), groups: gs };
      }
      out[`${db}:${key}`] = { type, value, expireAt: await r.call('PEXPIRETIME', key) };
    }
  }
  await r.call('SELECT', '0');
  return out;
}

/**
 * Writes every data type and the commands whose propagation is rewritten: relative expiries,
 * INCRBYFLOAT, SPOP, blocking pops served later, XADD with `*` and approximate trimming,
 * XREADGROUP, MULTI/EXEC, scripts, other databases, deletes and expiries. `tag` keeps rounds apart.
 */
export async function writeEverything(r: Redis, blocker: Redis, tag: string): Promise<void> {
  const k = (n: string) => `${tag}:${n}`;
  await r.call('SET', k('s'), 'v1');
  await r.call('SET', k('ex'), 'v', 'EX', '1000');
  await r.call('SET', k('px'), 'v', 'PX', '500000', 'GET');
  await r.call('SETEX', k('setex'), '2000', 'v');
  await r.call('PSETEX', k('psetex'), '3000000', 'v');
  await r.call('SET', k('getex'), 'v');
  await r.call('GETEX', k('getex'), 'EX', '700');
  await r.call('SET', k('getdel'), 'v');
  await r.call('GETDEL', k('getdel'));
  await r.call('SET', k('f'), '10.5');
  await r.call('INCRBYFLOAT', k('f'), '0.1');
  await r.call('INCR', k('n'));
  await r.call('APPEND', k('s'), '-more');
  await r.call('SETRANGE', k('s'), '1', 'XY');
  await r.call('SETBIT', k('bits'), '77', '1');
  await r.call('PFADD', k('hll'), 'a', 'b', 'c');
  await r.call('EXPIRE', k('s'), '5000');
  await r.call('PEXPIRE', k('n'), '900000');
  await r.call('EXPIREAT', k('f'), String(Math.floor(Date.now() / 1000) + 4000));
  await r.call('PERSIST', k('n'));
  await r.call('SET', k('gone'), 'v');
  await r.call('EXPIRE', k('gone'), '-1'); // deletes at once: sent as DEL
  await r.call('RPUSH', k('list'), 'a', 'b', 'c', 'd', 'e');
  await r.call('LPOP', k('list'));
  await r.call('LMOVE', k('list'), k('list2'), 'LEFT', 'RIGHT');
  await r.call('HSET', k('hash'), 'f1', 'v1', 'f2', 'v2', 'n', '1.5');
  await r.call('HINCRBYFLOAT', k('hash'), 'n', '2.25');
  await r.call('HDEL', k('hash'), 'f2');
  await r.call('SADD', k('set'), ...Array.from({ length: 40 }, (_, i) => `m${i}`));
  await r.call('SPOP', k('set'));
  await r.call('SPOP', k('set'), '5');
  await r.call('SREM', k('set'), 'm0', 'm1');
  await r.call('ZADD', k('zset'), '1', 'a', '2', 'b', '3', 'c', '4.5', 'd');
  await r.call('ZINCRBY', k('zset'), '0.25', 'a');
  await r.call('ZPOPMIN', k('zset'));
  await r.call('GEOADD', k('geo'), '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania');
  await r.call('XADD', k('stream'), '*', 'a', '1');
  for (let i = 0; i < 30; i++) await r.call('XADD', k('stream'), 'MAXLEN', '~', '10', '*', 'i', String(i));
  await r.call('XGROUP', 'CREATE', k('stream'), 'g1', '0');
  await r.call('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '3', 'STREAMS', k('stream'), '>');
  await r.call('XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '2', 'STREAMS', k('stream'), '>');
  const pel = (await r.call('XPENDING', k('stream'), 'g1', '-', '+', '1')) as string[][];
  if (pel.length > 0) await r.call('XACK', k('stream'), 'g1', pel[0][0]);
  // Blocking pops served later are sent as the non-blocking pop.
  const blpop = blocker.call('BLPOP', k('bl'), '5');
  await waitFor(async () => Number(await info(r, 'blocked_clients', 'clients')) > 0, 'BLPOP blocked');
  await r.call('RPUSH', k('bl'), 'x', 'y');
  await blpop;
  const bz = blocker.call('BZPOPMIN', k('bz'), '5');
  await waitFor(async () => Number(await info(r, 'blocked_clients', 'clients')) > 0, 'BZPOPMIN blocked');
  await r.call('ZADD', k('bz'), '1', 'one', '2', 'two');
  await bz;
  // Transactions and scripts.
  await r.multi().call('INCRBY', k('tx'), '5').call('SET', k('tx2'), 'in-multi', 'EX', '800').call('SPOP', k('set')).exec();
  await r.call('EVAL', "redis.call('SET', KEYS[1], 'from-lua'); redis.call('EXPIRE', KEYS[1], 600); return redis.call('INCRBYFLOAT', KEYS[2], '1.5')", '2', k('lua'), k('luaf'));
  // Other databases, moves and deletes.
  await r.call('SELECT', '1');
  await r.call('SET', k('db1'), 'one');
  await r.call('HSET', k('db1h'), 'a', '1');
  await r.call('SELECT', '2');
  await r.call('SET', k('doomed'), 'x');
  await r.call('FLUSHDB');
  await r.call('SELECT', '0');
  await r.call('SET', k('mv'), 'moved');
  await r.call('MOVE', k('mv'), '3');
  await r.call('RENAME', k('list2'), k('list3'));
  await r.call('SET', k('del'), 'x');
  await r.call('DEL', k('del'));
  // Keys that expire on the primary: their DELs reach the replica.
  await r.call('SET', k('short'), 'x', 'PX', '50');
  await r.call('HSET', k('shorth'), 'a', '1');
  await r.call('PEXPIRE', k('shorth'), '50');
}

/** Waits until the primary expired the short-lived keys (active expiry), so the DELs are in the stream. */
export async function waitExpired(r: Redis, tag: string): Promise<void> {
  await waitFor(async () => (await r.call('EXISTS', `${tag}:short`, `${tag}:shorth`)) === 0, 'short keys expired');
}
