import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { Cluster } from 'ioredis';
import { clusterCheck, memDir, redisNode, TestNode } from './cluster-nodes';
import { balancedLayout, ClusterHandle, createCluster, evenLayout, failoverShard, groupOwners, readView, reshard } from '../../engine/control/cluster';
import { keySlot } from '../../engine/server/cluster/slots';
import { waitFor } from '../engine/nodes';

// The same library driving Debian's redis-server 7.0 in cluster mode (real replication, real bus):
// the commands it sends are ones a real server understands. 3 shards × 1 replica, scale out to 4,
// kill -9 a primary and fail over with its data intact, then a coordinated failover under writes. Skipped when
// redis-server is missing.

jest.setTimeout(180000);

const dir = memDir();
const nodes: TestNode[] = [];
let cluster: ClusterHandle | undefined;
let client: Cluster | undefined;

afterAll(async () => {
  client?.disconnect();
  cluster?.close();
  await Promise.all(nodes.map((n) => n.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('createCluster, reshard 3 → 4 and failover on redis-server', async () => {
  const groups = ['0001', '0002', '0003'];
  const specs = [...groups.map((id) => [id, 'primary']), ...groups.map((id) => [id, 'replica'])] as Array<[string, 'primary' | 'replica']>;
  for (const [g, r] of specs) {
    const n = await redisNode(dir, g, r);
    if (!n) return; // no redis-server here
    nodes.push(n);
  }
  cluster = await createCluster(nodes.map((n) => n.member), evenLayout(groups));
  const check = clusterCheck(nodes[0].member.port);
  if (check) expect(check.ok ? 'ok' : check.output).toBe('ok');

  client = new Cluster(nodes.slice(0, 3).map((n) => ({ host: '127.0.0.1', port: n.member.port })), { redisOptions: { maxRetriesPerRequest: 5 } });
  for (let i = 0; i < 1000; i += 200) await Promise.all(Array.from({ length: 200 }, (_, j) => client!.set(`r:${i + j}`, `v${i + j}`)));

  const added = await redisNode(dir, '0004', 'primary');
  nodes.push(added!);
  const out = await reshard(cluster, balancedLayout(await groupOwners(cluster), [...groups, '0004']), { newNodes: [added!.member] });
  expect(out.slotsMoved).toBe(4096);
  const v = await readView(cluster.members[0].link);
  expect(v.nodes.get(cluster.primaryOf('0004').id)!.slots.reduce((n, [a, b]) => n + b - a + 1, 0)).toBe(4096);
  const check4 = clusterCheck(nodes[0].member.port);
  if (check4) expect(check4.ok ? 'ok' : check4.output).toBe('ok');
  const got = await Promise.all(Array.from({ length: 1000 }, (_, i) => client!.get(`r:${i}`)));
  expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => `v${i}`));

  // kill -9 the primary of 0002; its replica takes over with the replicated keys.
  const victim = nodes.find((n) => n.member.nodeGroupId === '0002' && n.member.role === 'primary')!;
  const ranges = v.nodes.get(cluster.primaryOf('0002').id)!.slots;
  const inShard = Array.from({ length: 1000 }, (_, i) => `r:${i}`).filter((k) => ranges.some(([a, b]) => keySlot(k) >= a && keySlot(k) <= b));
  expect(inShard.length).toBeGreaterThan(0);
  // redis-server starts a replica's first (diskless) sync after repl-diskless-sync-delay (5 s): the reshard can finish
  // sooner, so wait until the replica has everything its primary has before killing the primary.
  const standby = nodes.find((n) => n.member.nodeGroupId === '0002' && n.member.role === 'replica')!;
  const replInfo = (port: number) => spawnSync('redis-cli', ['-p', String(port), 'INFO', 'replication'], { encoding: 'utf8' }).stdout;
  const field = (info: string, name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1];
  await waitFor(() => {
    const r = replInfo(standby.member.port);
    return field(r, 'master_link_status') === 'up' && field(r, 'master_sync_in_progress') === '0'
      && field(r, 'slave_repl_offset') === field(replInfo(victim.member.port), 'master_repl_offset');
  }, 'the 0002 replica in sync with its primary', 30000);
  victim.kill();
  await new Promise<void>((res) => { const t = setInterval(() => cluster!.primaryOf('0002').link.closed && (clearInterval(t), res()), 20); });
  await failoverShard(cluster, '0002');
  const after = await Promise.all(inShard.map((k) => client!.get(k)));
  expect(after).toEqual(inShard.map((k) => `v${k.slice(2)}`));

  // A coordinated failover of 0001 (its primary up: CLIENT PAUSE WRITE, catch-up, CLUSTER FAILOVER) while a client
  // writes: no acknowledged write is lost.
  let stop = false;
  const acked: string[] = [];
  const writing = (async () => {
    for (let i = 0; !stop; i++) {
      try {
        await client!.set(`c:${i}`, `${i}`);
        acked.push(`c:${i}`);
      } catch {
        /* not acknowledged: not checked */
      }
    }
  })();
  await waitFor(() => acked.length > 50, 'writes before the failover');
  const old0001 = cluster.primaryOf('0001');
  await failoverShard(cluster, '0001');
  expect(cluster.primaryOf('0001')).not.toBe(old0001);
  const before = acked.length;
  await waitFor(() => acked.length > before + 50, 'writes after the failover');
  stop = true;
  await writing;
  const back = await Promise.all(acked.map((k) => client!.get(k)));
  expect(back).toEqual(acked.map((k) => k.slice(2)));
});
