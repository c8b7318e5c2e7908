import { Resp, RespClient } from './resp-client';

/*
 * Dataset helpers for the RDB and DUMP tests: fill a server with every type in small and large
 * encodings (expiring keys, several databases, streams with groups), and read a whole dataset
 * back over RESP in a canonical form that two servers can be compared on.
 */

type Cmd = Array<string | number | Buffer>;

/** A deterministic pseudo-random generator (tests must be reproducible). */
export function rng(seed: number): () => number {
  let s = seed % 4294967296;
  return () => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
}

function bytes(rand: () => number, n: number, alphabet = 256): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rand() * alphabet));
  return s;
}

/** Commands that build the reference dataset: every type, small and large, TTLs, dbs 0, 1 and 9. */
export function datasetCommands(seed = 1): Cmd[][] {
  const r = rng(seed);
  const db0: Cmd[] = [];
  const c = (...a: Array<string | number>) => db0.push(a);
  // strings: int-encoded (8/16/32-bit and beyond), empty, binary, compressible, incompressible
  c('SET', 'str:small', 'hello');
  for (const v of ['0', '-1', '127', '-128', '300', '-32768', '70000', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808', '007', '1.5']) c('SET', `str:int:${v}`, v);
  c('SET', 'str:empty', '');
  c('SET', 'str:binary', bytes(r, 300));
  c('SET', 'str:compressible', 'abcdefgh'.repeat(400));
  c('SET', 'str:long', bytes(r, 20000, 16));
  c('SET', '\x00bin\xffkey', 'v');
  // lists
  c('RPUSH', 'list:small', 'a', 'b', '1', '-5', '100000', '9223372036854775807', 'x'.repeat(70));
  const items: string[] = [];
  for (let i = 0; i < 1200; i++) items.push(i % 3 === 0 ? String(i * 1000003) : bytes(r, 1 + (i % 90), 64));
  c('RPUSH', 'list:large', ...items);
  c('RPUSH', 'list:hugeitem', 'a', 'y'.repeat(10000), 'b');
  // sets: intset (16/32/64-bit), listpack, hashtable
  c('SADD', 'set:int16', '1', '2', '-3', '300');
  c('SADD', 'set:int64', '1', '5000000000', '-9223372036854775808');
  c('SADD', 'set:small', 'a', 'b', 'c', '1');
  const ints: string[] = [];
  for (let i = 0; i < 700; i++) ints.push(String(i * 7 - 1000));
  c('SADD', 'set:intlarge', ...ints);
  const strs: string[] = [];
  for (let i = 0; i < 300; i++) strs.push(`m${i}:${bytes(r, i % 20, 64)}`);
  c('SADD', 'set:large', ...strs);
  c('SADD', 'set:longmember', 'short', 'z'.repeat(100));
  // sorted sets: listpack and skiplist, special scores
  c('ZADD', 'zset:small', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '0', 'e', '-0.000001', 'f', '1e300', 'g');
  const zs: Array<string | number> = [];
  for (let i = 0; i < 400; i++) zs.push(String((r() - 0.5) * 1e6), `member:${i}`);
  c('ZADD', 'zset:large', ...zs);
  c('ZADD', 'zset:longmember', '1', 'q'.repeat(100));
  // hashes
  c('HSET', 'hash:small', 'f1', 'v1', 'f2', '2', 'num', '-17');
  const hs: string[] = [];
  for (let i = 0; i < 300; i++) hs.push(`field:${i}`, i % 2 ? String(i) : bytes(r, i % 50, 64));
  c('HSET', 'hash:large', ...hs);
  c('HSET', 'hash:longvalue', 'f', 'w'.repeat(200));
  // streams: small with a group, large over several nodes with deletions and groups
  c('XADD', 'stream:small', '1-1', 'a', '1', 'b', '2');
  c('XADD', 'stream:small', '1-2', 'a', '3', 'b', '4');
  c('XADD', 'stream:small', '2-0', 'c', 'x'.repeat(30));
  c('XGROUP', 'CREATE', 'stream:small', 'g1', '0');
  c('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 'stream:small', '>');
  c('XDEL', 'stream:small', '1-2');
  for (let i = 1; i <= 350; i++) {
    const fields = i % 5 === 0 ? ['other', String(i), 'extra', bytes(r, 10, 64)] : ['temp', String(20 + (i % 7)), 'hum', String(i * 3), 'label', `s${i}`];
    c('XADD', 'stream:large', `${1000 + i}-${i % 3}`, ...fields);
  }
  for (let i = 10; i < 200; i += 7) c('XDEL', 'stream:large', `${1000 + i}-${i % 3}`);
  c('XGROUP', 'CREATE', 'stream:large', 'readers', '0');
  c('XGROUP', 'CREATE', 'stream:large', 'late', '$');
  c('XGROUP', 'CREATE', 'stream:large', 'mid', '1100-0');
  c('XREADGROUP', 'GROUP', 'readers', 'bob', 'COUNT', '40', 'STREAMS', 'stream:large', '>');
  c('XREADGROUP', 'GROUP', 'readers', 'carol', 'COUNT', '25', 'STREAMS', 'stream:large', '>');
  c('XACK', 'stream:large', 'readers', '1001-1', '1002-2', '1003-0');
  c('XCLAIM', 'stream:large', 'readers', 'dave', '0', '1004-1', '1005-2');
  c('XGROUP', 'CREATECONSUMER', 'stream:large', 'readers', 'idle-one');
  c('XADD', 'stream:empty', '5-5', 'f', 'v');
  c('XDEL', 'stream:empty', '5-5');
  c('XGROUP', 'CREATE', 'stream:mk', 'g', '$', 'MKSTREAM');
  // expiring keys (far in the future so the comparison is stable)
  c('SET', 'ttl:str', 'v', 'PX', '86400000');
  c('RPUSH', 'ttl:list', 'a');
  c('PEXPIREAT', 'ttl:list', String(Date.now() + 7200000));
  c('HSET', 'ttl:hash', 'f', 'v');
  c('EXPIRE', 'ttl:hash', '5000');
  const db1: Cmd[] = [['SET', 'db1:key', 'one'], ['SADD', 'db1:set', 'x', 'y'], ['SET', 'db1:ttl', 'v', 'EX', '9999']];
  const db9: Cmd[] = [['ZADD', 'db9:z', '1', 'one'], ['RPUSH', 'db9:l', 'only']];
  return [db0, db1, [], [], [], [], [], [], [], db9];
}

/** Runs datasetCommands on a server (databases 0..9, FLUSHALL first). */
export async function populate(c: RespClient, seed = 1): Promise<void> {
  await c.call('FLUSHALL');
  const dbs = datasetCommands(seed);
  for (let db = 0; db < dbs.length; db++) {
    if (dbs[db].length === 0) continue;
    await c.call('SELECT', db);
    for (const cmd of dbs[db]) {
      const reply = await c.call(...cmd);
      if (reply && typeof reply === 'object' && 'error' in reply) throw new Error(`${cmd.join(' ').slice(0, 80)}: ${reply.error}`);
    }
  }
  await c.call('SELECT', 0);
}

async function call(c: RespClient, ...a: Array<string | number>): Promise<Resp> {
  const r = await c.call(...a);
  if (r && typeof r === 'object' && 'error' in r) throw new Error(`${a.join(' ')}: ${r.error}`);
  return r;
}

/** Pairs of a RESP2 flat key/value array as an object. */
function pairsOf(r: Resp): Record<string, Resp> {
  const out: Record<string, Resp> = {};
  const a = r as Resp[];
  for (let i = 0; i + 1 < a.length; i += 2) out[String(a[i])] = a[i + 1];
  return out;
}

/** A stream's observable state: entries and the XINFO STREAM FULL fields both servers have. */
async function streamState(c: RespClient, key: string): Promise<unknown> {
  const entries = await call(c, 'XRANGE', key, '-', '+');
  const info = pairsOf(await call(c, 'XINFO', 'STREAM', key, 'FULL', 'COUNT', 0));
  const groups = (info.groups as Resp[]).map((g) => {
    const gf = pairsOf(g);
    return {
      name: gf.name,
      lastId: gf['last-delivered-id'],
      entriesRead: gf['entries-read'],
      pending: gf.pending,
      consumers: (gf.consumers as Resp[]).map((x) => {
        const cf = pairsOf(x);
        return { name: cf.name, seen: cf['seen-time'], pending: cf.pending };
      }),
    };
  });
  return {
    entries,
    length: info.length,
    lastId: info['last-generated-id'],
    maxDeleted: info['max-deleted-entry-id'],
    added: info['entries-added'],
    firstId: info['recorded-first-entry-id'],
    groups,
  };
}

/** One key's canonical value (collections in a stable order). */
async function valueOf(c: RespClient, key: string, type: string): Promise<unknown> {
  switch (type) {
    case 'string': return call(c, 'GET', key);
    case 'list': return call(c, 'LRANGE', key, 0, -1);
    case 'set': return ((await call(c, 'SMEMBERS', key)) as string[]).sort();
    case 'zset': return call(c, 'ZRANGE', key, 0, -1, 'WITHSCORES');
    case 'hash': {
      const a = (await call(c, 'HGETALL', key)) as string[];
      const pairs: string[][] = [];
      for (let i = 0; i < a.length; i += 2) pairs.push([a[i], a[i + 1]]);
      return pairs.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    }
    case 'stream': return streamState(c, key);
    default: throw new Error(`unexpected type ${type} of ${key}`);
  }
}

export interface KeyState { db: number; key: string; type: string; expireAt: number; value: unknown }

/** Every key of databases 0..15, sorted, with type, absolute expiry (-1 none) and value. */
export async function readDataset(c: RespClient): Promise<KeyState[]> {
  const out: KeyState[] = [];
  for (let db = 0; db < 16; db++) {
    await call(c, 'SELECT', db);
    const keys = ((await call(c, 'KEYS', '*')) as string[]).sort();
    for (const key of keys) {
      const type = String(((await call(c, 'TYPE', key)) as { simple: string }).simple);
      const expireAt = Number(await call(c, 'PEXPIRETIME', key));
      out.push({ db, key, type, expireAt, value: await valueOf(c, key, type) });
    }
  }
  await call(c, 'SELECT', 0);
  return out;
}

/** Compares two datasets key by key; the error names the first difference. */
export function expectSameDataset(actual: KeyState[], expected: KeyState[]): void {
  const name = (k: KeyState) => `db${k.db}:${JSON.stringify(k.key)}`;
  const a = new Map(actual.map((k) => [name(k), k]));
  const e = new Map(expected.map((k) => [name(k), k]));
  const missing = [...e.keys()].filter((k) => !a.has(k));
  const extra = [...a.keys()].filter((k) => !e.has(k));
  if (missing.length || extra.length) throw new Error(`keys differ: missing ${missing.join(', ')}; extra ${extra.join(', ')}`);
  for (const [k, want] of e) {
    const got = a.get(k)!;
    for (const f of ['type', 'expireAt', 'value'] as const) {
      const x = JSON.stringify(got[f], big);
      const y = JSON.stringify(want[f], big);
      if (x !== y) throw new Error(`${k}: ${f} differs\n  actual:   ${x.slice(0, 600)}\n  expected: ${y.slice(0, 600)}`);
    }
  }
}

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
