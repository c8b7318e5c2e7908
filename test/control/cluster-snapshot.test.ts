import * as fs from 'fs';
import { Cluster } from 'ioredis';
import { memDir, ourShards, TestNode } from './cluster-nodes';
import { ClusterHandle, createCluster, evenLayout, restoreShards, snapshotShards } from '../../engine/control/cluster';

// Cluster-mode snapshots through the control plane's library: one RDB per shard from a 3-shard
// group, restored into a 2-shard group (keys routed by slot), read back through ioredis Cluster.

jest.setTimeout(120000);

const dir = memDir();
const nodes: TestNode[] = [];
const clusters: ClusterHandle[] = [];
const clients: Cluster[] = [];

afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  clusters.forEach((c) => c.close());
  await Promise.all(nodes.map((n) => n.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function clientFor(ns: TestNode[]): Cluster {
  const c = new Cluster(ns.map((n) => ({ host: '127.0.0.1', port: n.member.port })), { redisOptions: { maxRetriesPerRequest: 3 } });
  clients.push(c);
  return c;
}

test('3 shards snapshot → restore into 2 shards: every key, type and TTL lands on its slot\'s owner', async () => {
  const from = await ourShards(dir, ['0001', '0002', '0003'], 0);
  nodes.push(...from);
  clusters.push(await createCluster(from.map((n) => n.member), evenLayout(3)));
  const a = clientFor(from);
  for (let i = 0; i < 400; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => a.set(`s:${i + j}`, `v${i + j}`)));
  await a.hset('h:{x}', 'f1', 'a', 'f2', 'b');
  await a.rpush('l:{x}', '1', '2', '3');
  await a.set('ttl:1', 'x', 'PX', 600000);
  await a.set('gone', 'x', 'PX', 1);

  const snaps = await snapshotShards(clusters[0]);
  expect(snaps.map((s) => s.nodeGroupId)).toEqual(['0001', '0002', '0003']);

  const to = await ourShards(dir, ['0001', '0002'], 0);
  nodes.push(...to);
  const target = await createCluster(to.map((n) => n.member), evenLayout(2));
  clusters.push(target);
  const res = await restoreShards(target, snaps.map((s) => s.rdb));
  expect(res.keys).toBe(403);
  expect(Object.values(res.perGroup).reduce((x, y) => x + y, 0)).toBe(403);
  expect(Object.keys(res.perGroup).sort()).toEqual(['0001', '0002']);

  const b = clientFor(to);
  const got = await Promise.all(Array.from({ length: 400 }, (_, i) => b.get(`s:${i}`)));
  expect(got).toEqual(Array.from({ length: 400 }, (_, i) => `v${i}`));
  expect(await b.hgetall('h:{x}')).toEqual({ f1: 'a', f2: 'b' });
  expect(await b.lrange('l:{x}', 0, -1)).toEqual(['1', '2', '3']);
  const ttl = await b.pttl('ttl:1');
  expect(ttl).toBeGreaterThan(500000);
  expect(await b.exists('gone')).toBe(0);
});
