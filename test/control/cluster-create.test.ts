import * as fs from 'fs';
import { Cluster } from 'ioredis';
import { clusterCheck, ourNode, ourShards, TestNode } from './cluster-nodes';
import { addReplicas, ClusterHandle, createCluster, evenLayout, failoverShard, reattach, readView, removeReplicas } from '../../engine/control/cluster';
import { keySlot } from '../../engine/server/cluster/slots';
import { tempDir } from '../engine/cluster-helpers';
import { waitFor } from '../engine/nodes';

// The control plane's cluster library against our node: 3 shards × 1 replica built with
// createCluster, used by ioredis Cluster, checked by redis-cli; kill -9 of a primary, failover,
// the old primary back as a replica; a replica added and removed.

jest.setTimeout(120000);

const GROUPS = ['0001', '0002', '0003'];
const dir = tempDir();
let nodes: Array<TestNode & { handle: { port: number; file: string } }> = [];
const extra: TestNode[] = [];
let cluster: ClusterHandle;
let client: Cluster;

beforeAll(async () => {
  nodes = await ourShards(dir, GROUPS, 1);
  cluster = await createCluster(nodes.map((n) => n.member), evenLayout(GROUPS));
  client = new Cluster(nodes.slice(0, 3).map((n) => ({ host: '127.0.0.1', port: n.member.port })), {
    redisOptions: { maxRetriesPerRequest: 3 }, retryDelayOnTryAgain: 20, retryDelayOnClusterDown: 50,
  });
});

afterAll(async () => {
  client?.disconnect();
  cluster?.close();
  await Promise.all([...nodes, ...extra].map((n) => n.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('createCluster: every node agrees, the service\'s even split, one replica per shard', async () => {
  const v = await readView(cluster.members[0].link);
  expect(v.ok).toBe(true);
  expect(v.nodes.size).toBe(6);
  const slotsOf = (g: string) => v.nodes.get(cluster.primaryOf(g).id)!.slots;
  expect(slotsOf('0001')).toEqual([[0, 5461]]);
  expect(slotsOf('0002')).toEqual([[5462, 10922]]);
  expect(slotsOf('0003')).toEqual([[10923, 16383]]);
  for (const g of GROUPS) {
    const [r] = cluster.replicasOf(g);
    expect(v.nodes.get(r.id)!.primaryId).toBe(cluster.primaryOf(g).id);
  }
  const check = clusterCheck(nodes[0].member.port);
  if (check) expect(check.ok ? 'ok' : check.output).toBe('ok');
});

test('ioredis Cluster reads and writes across all shards', async () => {
  for (let i = 0; i < 300; i++) await client.set(`k:${i}`, `v${i}`);
  for (let i = 0; i < 300; i++) expect(await client.get(`k:${i}`)).toBe(`v${i}`);
});

test('kill -9 a primary: failoverShard promotes its replica, clients write again; the old primary comes back as a replica', async () => {
  const victim = nodes.find((n) => n.member.nodeGroupId === '0002' && n.member.role === 'primary')!;
  const replica = cluster.replicasOf('0002')[0];
  // A key in 0002's slots (5462..10922).
  let i = 0;
  while (keySlot(`f:${i}`) < 5462 || keySlot(`f:${i}`) > 10922) i++;
  const keyIn0002 = `f:${i}`;
  const killedAt = Date.now();
  victim.kill();
  await waitFor(() => cluster.primaryOf('0002').link.closed, 'the link to the killed primary to drop');
  const promoted = await failoverShard(cluster, '0002');
  expect(promoted.id).toBe(replica.id);
  let firstWrite = 0;
  await waitFor(async () => {
    try {
      await client.set(keyIn0002, 'after');
      firstWrite = Date.now();
      return true;
    } catch {
      return false;
    }
  }, 'a write to the failed shard', 20000);
  console.log(`failover: kill -9 to first successful write ${firstWrite - killedAt} ms`);
  expect(await client.get(keyIn0002)).toBe('after');
  // The other shards never stopped.
  for (let k = 0; k < 100; k++) await client.set(`g:${k}`, 'x');
  const check = clusterCheck(nodes[0].member.port);
  if (check) expect(check.output).toContain('[OK] All 16384 slots covered.');

  // Restart with its nodes.conf: it hears the newer epoch and is told to replicate the new primary.
  const back = await ourNode(dir, '0002', 'replica', victim.handle as never);
  nodes[nodes.indexOf(victim)] = back;
  const m = await reattach(cluster, back.member);
  const v = await readView(m.link);
  expect(v.nodes.get(m.id)!.primaryId).toBe(promoted.id);
  expect(v.nodes.get(m.id)!.flags.has('slave')).toBe(true);
});

test('increase and decrease replica count of one shard', async () => {
  const n = await ourNode(dir, '0001', 'replica');
  extra.push(n);
  const [added] = await addReplicas(cluster, [n.member]);
  let v = await readView(cluster.primaryOf('0001').link);
  expect(v.nodes.get(added.id)!.primaryId).toBe(cluster.primaryOf('0001').id);
  expect(cluster.replicasOf('0001')).toHaveLength(2);
  await removeReplicas(cluster, [n.member]);
  v = await readView(cluster.primaryOf('0001').link);
  expect(v.nodes.has(added.id)).toBe(false);
  expect(v.nodes.size).toBe(6);
  expect(cluster.replicasOf('0001')).toHaveLength(1);
});
