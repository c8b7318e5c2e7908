import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { GlideClusterClient } from '@valkey/valkey-glide';
import Redis, { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { buildCluster, call, ClusterNodeHandle, myId, slotSplit, startClusterNode, stopAll, tempDir, text } from './cluster-helpers';
import { startNode } from './nodes';
import { RespClient, Resp } from './resp-client';

// Three primaries with one (view-only) replica each, built with the admin commands; then the
// cluster-aware clients and tools against it.
describe('cluster of 3 primaries and 3 replicas', () => {
  let dir: string;
  let primaries: ClusterNodeHandle[];
  let replicas: ClusterNodeHandle[];
  let all: ClusterNodeHandle[];
  const seeds = () => primaries.map((p) => ({ host: '127.0.0.1', port: p.port }));

  beforeAll(async () => {
    dir = tempDir();
    all = [];
    for (let i = 0; i < 6; i++) all.push(await startClusterNode(dir));
    primaries = all.slice(0, 3);
    replicas = all.slice(3);
    await buildCluster(primaries, replicas);
  }, 60000);

  afterAll(async () => {
    await stopAll(all);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every node answers the same CLUSTER SLOTS and SHARDS, INFO reports the cluster', async () => {
    const norm = (r: Resp) => JSON.stringify(r);
    const slots = await Promise.all(all.map((h) => call(h, 'CLUSTER', 'SLOTS')));
    for (const s of slots) expect(norm(s)).toBe(norm(slots[0]));
    const ids = await Promise.all(all.map(myId));
    // [start, end, [ip, port, id, {}], replica...] per primary
    const split = slotSplit(3);
    const expected = split.map(([a, b], i) => [a, b, ['127.0.0.1', primaries[i].port, ids[i], []], ['127.0.0.1', replicas[i].port, ids[i + 3], []]]);
    expect(slots[0]).toEqual(expected);

    const sortShards = (r: Resp) => JSON.stringify((r as Resp[]).map((x) => JSON.stringify(x)).sort());
    const shards = await Promise.all(all.map((h) => call(h, 'CLUSTER', 'SHARDS')));
    for (const s of shards) expect(sortShards(s)).toBe(sortShards(shards[0]));
    const first = (shards[0] as Resp[]).find((s) => JSON.stringify(s).includes(ids[0])) as Resp[];
    expect(first[0]).toBe('slots');
    expect(first[1]).toEqual([split[0][0], split[0][1]]);
    expect(first[2]).toBe('nodes');
    expect((first[3] as Resp[])[0]).toEqual(['id', ids[0], 'port', primaries[0].port, 'ip', '127.0.0.1', 'endpoint', '127.0.0.1', 'role', 'master', 'replication-offset', 0, 'health', 'online']);
    expect(((first[3] as Resp[])[1] as Resp[]).slice(0, 2)).toEqual(['id', ids[3]]);

    // Every replica shares its primary's shard id.
    expect(text(await call(replicas[0], 'CLUSTER', 'MYSHARDID'))).toBe(text(await call(primaries[0], 'CLUSTER', 'MYSHARDID')));
    const info = text(await call(primaries[1], 'CLUSTER', 'INFO'));
    expect(info).toMatch(/^cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:6\r\ncluster_size:3\r\n/);
    expect(info).toMatch(/cluster_current_epoch:\d+\r\ncluster_my_epoch:\d+\r\n/);
    expect(text(await call(primaries[1], 'INFO', 'cluster'))).toContain('cluster_enabled:1');
    const links = (await call(primaries[0], 'CLUSTER', 'LINKS')) as Resp[];
    expect(links.length).toBeGreaterThanOrEqual(5);
    expect((links[0] as Resp[]).filter((_, i) => i % 2 === 0)).toEqual(['direction', 'node', 'create-time', 'events', 'send-buffer-allocated', 'send-buffer-used']);
    expect(await call(replicas[0], 'CLUSTER', 'REPLICAS', ids[0])).toEqual([expect.stringContaining(`${ids[3]} 127.0.0.1:${replicas[0].port}@`)]);
  });

  test('redis-cli --cluster check: all slots covered, no open slots, nodes agree', () => {
    const r = spawnSync('redis-cli', ['--cluster', 'check', `127.0.0.1:${primaries[0].port}`], { encoding: 'utf8' });
    if (r.error) return; // redis-cli not installed
    expect(r.stdout).toContain('[OK] All nodes agree about slots configuration.');
    expect(r.stdout).toContain('[OK] All 16384 slots covered.');
    expect(r.stdout).not.toMatch(/\[WARNING\]|\[ERR\]/);
    expect(r.stdout).toMatch(/-> \d+ keys \| 5461 slots \| 1 slaves\./);
  });

  test('redirections: MOVED, CROSSSLOT, MULTI/EXEC, READONLY on a replica, SELECT', async () => {
    const p0 = primaries[0];
    const slotOf = async (k: string) => (await call(p0, 'CLUSTER', 'KEYSLOT', k)) as number;
    const foo = await slotOf('foo'); // 12182: third shard
    expect(foo).toBe(12182);
    expect(await call(p0, 'GET', 'foo')).toEqual({ error: `MOVED 12182 127.0.0.1:${primaries[2].port}` });
    expect(await call(p0, 'MSET', 'a', '1', 'b', '2')).toEqual({ error: "CROSSSLOT Keys in request don't hash to the same slot" });
    expect(await call(primaries[2], 'SET', 'foo', 'bar')).toEqual({ simple: 'OK' });
    expect(await call(primaries[2], 'MSET', '{foo}1', 'x', '{foo}2', 'y')).toEqual({ simple: 'OK' });
    expect(await call(primaries[2], 'CLUSTER', 'COUNTKEYSINSLOT', 12182)).toBe(3);
    expect(((await call(primaries[2], 'CLUSTER', 'GETKEYSINSLOT', 12182, 10)) as string[]).sort()).toEqual(['foo', '{foo}1', '{foo}2']);
    expect(await call(primaries[2], 'CLUSTER', 'GETKEYSINSLOT', 12182, 1)).toHaveLength(1);
    // A transaction across slots fails at EXEC with CROSSSLOT, a queued command for another node dooms it.
    const p2 = primaries[2];
    expect(await call(p2, 'MULTI')).toEqual({ simple: 'OK' });
    expect(await call(p2, 'SET', 'foo', '1')).toEqual({ simple: 'QUEUED' });
    expect(await call(p2, 'SET', '{foo}1', '1')).toEqual({ simple: 'QUEUED' });
    expect(await call(p2, 'EXEC')).toEqual([{ simple: 'OK' }, { simple: 'OK' }]);
    expect(await call(p2, 'MULTI')).toEqual({ simple: 'OK' });
    expect(await call(p2, 'SET', 'foo', '1')).toEqual({ simple: 'QUEUED' });
    expect(await call(p2, 'SET', 'zz{foo}', '1')).toEqual({ simple: 'QUEUED' });
    expect(await call(p2, 'SET', 'other', '1')).toEqual({ simple: 'QUEUED' }); // 'other' is on p2 too, but another slot
    expect(await call(p2, 'EXEC')).toEqual({ error: "CROSSSLOT Keys in request don't hash to the same slot" });
    expect(await call(p2, 'MULTI')).toEqual({ simple: 'OK' });
    expect(await call(p2, 'GET', 'b')).toEqual({ error: `MOVED 3300 127.0.0.1:${primaries[0].port}` });
    expect(await call(p2, 'EXEC')).toEqual({ error: 'EXECABORT Transaction discarded because of previous errors.' });
    // A replica redirects to its primary, unless READONLY for reads.
    const r2 = replicas[2];
    expect(await call(r2, 'GET', 'foo')).toEqual({ error: `MOVED 12182 127.0.0.1:${p2.port}` });
    expect(await call(r2, 'READONLY')).toEqual({ simple: 'OK' });
    expect(await call(r2, 'GET', 'foo')).toBeNull(); // served locally (no data until replication is wired)
    expect(await call(r2, 'SET', 'foo', 'x')).toEqual({ error: `MOVED 12182 127.0.0.1:${p2.port}` });
    expect(await call(r2, 'GET', 'b')).toEqual({ error: `MOVED 3300 127.0.0.1:${primaries[0].port}` });
    expect(await call(r2, 'READWRITE')).toEqual({ simple: 'OK' });
    expect(await call(r2, 'GET', 'foo')).toEqual({ error: `MOVED 12182 127.0.0.1:${p2.port}` });
    expect(await call(p0, 'SELECT', 1)).toEqual({ error: 'ERR SELECT is not allowed in cluster mode' });
    // Sharded pub/sub goes by slot too.
    expect(await call(p0, 'SPUBLISH', 'foo', 'm')).toEqual({ error: `MOVED 12182 127.0.0.1:${p2.port}` });
    const sub = await RespClient.connect(p0.port);
    expect(await sub.call('SSUBSCRIBE', 'foo')).toEqual({ error: `MOVED 12182 127.0.0.1:${p2.port}` });
    expect(await sub.call('SSUBSCRIBE', 'a', 'foo')).toEqual({ error: "CROSSSLOT Keys in request don't hash to the same slot" });
    sub.close();
    await call(p2, 'DEL', 'foo', '{foo}1', '{foo}2', 'zz{foo}');
  });

  test('scripts: keys must be local and in one slot', async () => {
    const p2 = primaries[2];
    expect(await call(p2, 'EVAL', "return redis.call('get', KEYS[1])", 1, 'foo')).toBeNull();
    expect(await call(primaries[0], 'EVAL', "return redis.call('get', KEYS[1])", 1, 'foo')).toEqual({ error: expect.stringMatching(/^MOVED 12182 /) });
    const cross = await call(p2, 'EVAL', "redis.call('set', KEYS[1], 1); return redis.call('set', '{foo}x', 1)", 1, 'foo');
    expect(cross).toEqual({ simple: 'OK' });
    // Scripts without a shebang may touch several local slots (eval compatibility mode); with one they may not.
    expect(await call(p2, 'EVAL', "redis.call('get', KEYS[1]); return redis.call('get', 'other')", 1, 'foo')).toBeNull();
    const r = await call(p2, 'EVAL', "#!lua\nredis.call('get', KEYS[1]); return redis.call('get', 'other')", 1, 'foo');
    expect(r).toEqual({ error: expect.stringContaining('Script attempted to access keys that do not hash to the same slot') });
    const nonLocal = await call(p2, 'EVAL', "return redis.call('get', 'b')", 0);
    expect(nonLocal).toEqual({ error: expect.stringContaining('Script attempted to access a non local key in a cluster node script: ') });
    expect(await call(p2, 'EVAL', '#!lua flags=no-cluster\nreturn 1', 0)).toEqual({ error: "ERR Can not run script on cluster, 'no-cluster' flag is set." });
    await call(p2, 'DEL', 'foo', '{foo}x');
  });

  test('ioredis Cluster: mixed workload over every shard', async () => {
    const c = new Cluster(seeds(), { redisOptions: { maxRetriesPerRequest: 2 } });
    try {
      for (let i = 0; i < 300; i++) await c.set(`io:${i}`, String(i));
      const got = await Promise.all(Array.from({ length: 300 }, (_, i) => c.get(`io:${i}`)));
      expect(got).toEqual(Array.from({ length: 300 }, (_, i) => String(i)));
      await c.hset('io:{h}', 'f', 'v');
      await c.rpush('io:{h}:l', 'a', 'b');
      expect(await c.mget('io:{h}:x', 'io:{h}:y')).toEqual([null, null]);
      const res = await c.multi().incr('io:{t}n').incr('io:{t}n').exec();
      expect(res?.map(([, v]) => v)).toEqual([1, 2]);
      const perNode = await Promise.all(primaries.map(async (p) => (await call(p, 'DBSIZE')) as number));
      expect(perNode.every((n) => n > 50)).toBe(true);
      await Promise.all(Array.from({ length: 300 }, (_, i) => c.del(`io:${i}`)));
      await c.del('io:{h}', 'io:{h}:l');
      await c.del('io:{t}n');
    } finally {
      c.disconnect();
    }
  });

  test('node-redis createCluster (RESP2 and RESP3) and sharded pub/sub', async () => {
    for (const RESP of [2, 3] as const) {
      const c = createCluster({ rootNodes: seeds().map((s) => ({ socket: s })), RESP });
      await c.connect();
      try {
        for (let i = 0; i < 100; i++) await c.set(`nr:${RESP}:${i}`, String(i));
        for (let i = 0; i < 100; i++) expect(await c.get(`nr:${RESP}:${i}`)).toBe(String(i));
        for (let i = 0; i < 100; i++) await c.del(`nr:${RESP}:${i}`);
      } finally {
        await c.quit();
      }
    }
    const c = createCluster({ rootNodes: seeds().map((s) => ({ socket: s })) });
    await c.connect();
    try {
      const got: string[] = [];
      await c.sSubscribe('news{foo}', (m) => got.push(m));
      await c.sPublish('news{foo}', 'hello');
      const deadline = Date.now() + 5000;
      while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(got).toEqual(['hello']);
    } finally {
      await c.quit();
    }
  });

  test('valkey-glide cluster client', async () => {
    const c = await GlideClusterClient.createClient({ addresses: seeds(), requestTimeout: 5000 });
    try {
      for (let i = 0; i < 100; i++) expect(await c.set(`gl:${i}`, String(i))).toBe('OK');
      for (let i = 0; i < 100; i++) expect(await c.get(`gl:${i}`)).toBe(String(i));
      expect(await c.mget(['gl:1', 'gl:2', 'gl:3'])).toEqual(['1', '2', '3']); // glide splits by slot
      for (let i = 0; i < 100; i++) await c.del([`gl:${i}`]);
    } finally {
      c.close();
    }
  });

  test('redis-cli -c follows MOVED', () => {
    const cli = (...args: string[]) => spawnSync('redis-cli', ['-c', '-p', String(primaries[0].port), ...args], { encoding: 'utf8' });
    if (cli('PING').error) return;
    expect(cli('SET', 'foo', 'cli').stdout.trim()).toBe('OK');
    expect(cli('GET', 'foo').stdout.trim()).toBe('cli');
    expect(cli('DEL', 'foo').stdout.trim()).toBe('1');
  });

  test('ioredis to one node sees MOVED as an error (the raw reply)', async () => {
    const r = new Redis({ port: primaries[0].port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      await expect(r.get('foo')).rejects.toThrow(`MOVED 12182 127.0.0.1:${primaries[2].port}`);
    } finally {
      r.disconnect();
    }
  });
});

describe('cluster commands on a standalone node', () => {
  test('CLUSTER, READONLY, ASKING answer that cluster support is disabled', async () => {
    const node = await startNode();
    const c = await RespClient.connect(node.port);
    try {
      for (const cmd of [['CLUSTER', 'INFO'], ['READONLY'], ['READWRITE'], ['ASKING'], ['CLUSTER', 'SLOTS']]) {
        expect(await c.call(...cmd)).toEqual({ error: 'ERR This instance has cluster support disabled' });
      }
    } finally {
      c.close();
      await node.stop();
    }
  });
});
