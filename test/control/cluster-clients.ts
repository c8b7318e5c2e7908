// The three cluster-aware clients against a deployed group's configuration endpoint (optionally
// over TLS with the local CA and an AUTH token), each running the same mixed workload: single
// keys spread over every shard, multi-key commands within a hash tag, counters, hashes, lists,
// TTLs, deletes, and reads of what the others wrote.
import { GlideClusterClient } from '@valkey/valkey-glide';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';

export interface Connect {
  readonly host: string;
  readonly port: number;
  /** PEM of the CA to trust: TLS on. */
  readonly ca?: string;
  readonly password?: string;
  /** ACL user (default: the default user). */
  readonly username?: string;
}

/** What a client must do; each client maps it onto its own API. */
export interface Ops {
  readonly name: string;
  set(k: string, v: string): Promise<unknown>;
  get(k: string): Promise<string | null>;
  msetTagged(pairs: Record<string, string>): Promise<unknown>;
  mgetTagged(keys: string[]): Promise<Array<string | null>>;
  incrBy(k: string, n: number): Promise<number>;
  hset(k: string, f: Record<string, string>): Promise<unknown>;
  hgetall(k: string): Promise<Record<string, string>>;
  rpush(k: string, vs: string[]): Promise<unknown>;
  lrange(k: string): Promise<string[]>;
  expire(k: string, s: number): Promise<unknown>;
  ttl(k: string): Promise<number>;
  del(k: string): Promise<unknown>;
  close(): Promise<void>;
}

export function ioredisCluster(c: Connect): Ops {
  const client = new Cluster([{ host: c.host, port: c.port }], {
    redisOptions: { maxRetriesPerRequest: 5, username: c.username, password: c.password, ...(c.ca ? { tls: { ca: c.ca } } : {}) },
    ...(c.ca ? { dnsLookup: (address, cb) => cb(null, address) } : {}),
    retryDelayOnTryAgain: 20,
    retryDelayOnClusterDown: 50,
  });
  return {
    name: 'ioredis Cluster',
    set: (k, v) => client.set(k, v),
    get: (k) => client.get(k),
    msetTagged: (p) => client.mset(p),
    mgetTagged: (ks) => client.mget(ks),
    incrBy: (k, n) => client.incrby(k, n),
    hset: (k, f) => client.hset(k, f),
    hgetall: (k) => client.hgetall(k),
    rpush: (k, vs) => client.rpush(k, ...vs),
    lrange: (k) => client.lrange(k, 0, -1),
    expire: (k, s) => client.expire(k, s),
    ttl: (k) => client.ttl(k),
    del: (k) => client.del(k),
    close: async () => { client.disconnect(); },
  };
}

export async function nodeRedisCluster(c: Connect): Promise<Ops> {
  const client = createCluster({
    rootNodes: [{ socket: c.ca ? { host: c.host, port: c.port, tls: true, ca: c.ca } : { host: c.host, port: c.port } }],
    defaults: {
      ...(c.username ? { username: c.username } : {}),
      ...(c.password ? { password: c.password } : {}),
      ...(c.ca ? { socket: { tls: true, ca: c.ca } } : {}),
    },
  });
  client.on('error', () => undefined);
  await client.connect();
  return {
    name: 'node-redis createCluster',
    set: (k, v) => client.set(k, v),
    get: (k) => client.get(k),
    msetTagged: (p) => client.mSet(p),
    mgetTagged: (ks) => client.mGet(ks),
    incrBy: (k, n) => client.incrBy(k, n),
    hset: (k, f) => client.hSet(k, f),
    hgetall: async (k) => ({ ...(await client.hGetAll(k)) }),
    rpush: (k, vs) => client.rPush(k, vs),
    lrange: (k) => client.lRange(k, 0, -1),
    expire: (k, s) => client.expire(k, s),
    ttl: (k) => client.ttl(k),
    del: (k) => client.del(k),
    close: async () => { await client.quit(); },
  };
}

export async function glideCluster(c: Connect): Promise<Ops> {
  const client = await GlideClusterClient.createClient({
    addresses: [{ host: c.host, port: c.port }],
    requestTimeout: 5000,
    ...(c.password ? { credentials: { password: c.password, ...(c.username ? { username: c.username } : {}) } } : {}),
    ...(c.ca ? { useTLS: true, advancedConfiguration: { tlsAdvancedConfiguration: { rootCertificates: c.ca } } } : {}),
  });
  const str = (v: unknown) => (v === null ? null : String(v));
  return {
    name: 'valkey-glide GlideClusterClient',
    set: (k, v) => client.set(k, v),
    get: async (k) => str(await client.get(k)),
    msetTagged: (p) => client.mset(p),
    mgetTagged: async (ks) => (await client.mget(ks)).map(str),
    incrBy: (k, n) => client.incrBy(k, n),
    hset: (k, f) => client.hset(k, f),
    hgetall: async (k) => Object.fromEntries((await client.hgetall(k)).map((e) => [String(e.field), String(e.value)])),
    rpush: (k, vs) => client.rpush(k, vs),
    lrange: async (k) => (await client.lrange(k, 0, -1)).map(String),
    expire: (k, s) => client.expire(k, s),
    ttl: (k) => client.ttl(k),
    del: (k) => client.del([k]),
    close: async () => { client.close(); },
  };
}

/**
 * The mixed workload under `prefix`; returns the keys it left (for the other clients to read).
 * Throws on the first wrong answer.
 */
export async function mixedWorkload(ops: Ops, prefix: string, keys = 200): Promise<Record<string, string>> {
  const expect = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${ops.name}: ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };
  const left: Record<string, string> = {};
  for (let i = 0; i < keys; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => ops.set(`${prefix}:k:${i + j}`, `v${i + j}`)));
  }
  const got = await Promise.all(Array.from({ length: keys }, (_, i) => ops.get(`${prefix}:k:${i}`)));
  got.forEach((v, i) => expect(`GET ${prefix}:k:${i}`, v, `v${i}`));
  for (let i = 0; i < keys; i++) left[`${prefix}:k:${i}`] = `v${i}`;
  // Every key starts with the prefix (ACL key patterns), the hash tag keeps these three on one slot.
  const tagged = { [`${prefix}:{${prefix}}:a`]: '1', [`${prefix}:{${prefix}}:b`]: '2', [`${prefix}:{${prefix}}:c`]: '3' };
  await ops.msetTagged(tagged);
  expect('MGET in a hash tag', await ops.mgetTagged(Object.keys(tagged)), ['1', '2', '3']);
  Object.assign(left, tagged);
  await Promise.all(Array.from({ length: 20 }, () => ops.incrBy(`${prefix}:counter`, 5)));
  expect('counter', await ops.get(`${prefix}:counter`), '100');
  left[`${prefix}:counter`] = '100';
  await ops.hset(`${prefix}:hash`, { f1: 'x', f2: 'y' });
  expect('HGETALL', await ops.hgetall(`${prefix}:hash`), { f1: 'x', f2: 'y' });
  await ops.rpush(`${prefix}:list`, ['a', 'b', 'c']);
  expect('LRANGE', await ops.lrange(`${prefix}:list`), ['a', 'b', 'c']);
  await ops.expire(`${prefix}:k:0`, 1000);
  const ttl = await ops.ttl(`${prefix}:k:0`);
  if (ttl <= 900 || ttl > 1000) throw new Error(`${ops.name}: TTL ${ttl}`);
  await ops.set(`${prefix}:gone`, 'x');
  await ops.del(`${prefix}:gone`);
  expect('GET after DEL', await ops.get(`${prefix}:gone`), null);
  return left;
}

/** Reads every key another client left. */
export async function readBack(ops: Ops, left: Record<string, string>): Promise<void> {
  const keys = Object.keys(left);
  const values = await Promise.all(keys.map((k) => ops.get(k)));
  const wrong = keys.filter((k, i) => values[i] !== left[k]);
  if (wrong.length) throw new Error(`${ops.name}: ${wrong.length} keys read back wrong, e.g. ${wrong[0]}`);
}
