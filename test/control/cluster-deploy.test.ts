// End to end, cluster mode enabled: a template with 3 shards × 1 replica deployed locally, used
// through its configuration endpoint with ioredis' Cluster client and `redis-cli -c`, the three
// cluster clients (ioredis, node-redis, valkey-glide) running a mixed workload, a shard's
// primary killed with SIGKILL (the replica takes over, the old node rejoins as a replica), a
// redeploy with 4 shards (online resharding, progress shown while it runs), a scale-in with the
// shard configuration verb, and destroy leaving no process behind.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Cluster } from 'ioredis';
import { glideCluster, ioredisCluster, mixedWorkload, nodeRedisCluster, Ops, readBack } from './cluster-clients';
import { alive, json, knownPids, ok, tearDown, tempDir } from './control-cli';
import { waitFor } from '../engine/nodes';

jest.setTimeout(300000);

const FIXTURE = path.join(__dirname, 'fixtures', 'cluster-3x1.json');
const KEYS = 300;

interface StateNode {
  cacheClusterId: string; role: string; status: string; pid: number; availabilityZone: string; endpoint: { address: string; port: number };
}
interface StateNodeGroup { nodeGroupId: string; members: StateNode[] }

function redisCli(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('redis-cli', args, { encoding: 'utf8', timeout: 30000 });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** `redis-cli --cluster check`: clean when every slot is covered and nothing is open or in disagreement. */
function clusterCheck(host: string, port: number): { clean: boolean; output: string } {
  const { output } = redisCli(['--cluster', 'check', `${host}:${port}`]);
  return { clean: output.includes('[OK] All 16384 slots covered.') && !/\[ERR\]|\[WARNING\]/.test(output), output };
}

describe('deploy a cluster-mode-enabled group, fail over a shard, reshard, destroy', () => {
  const work = tempDir('cme-e2e-');
  const stateDir = path.join(work, 'state');
  const template = path.join(work, 'template.json');
  let cfg = { host: '', port: 0 };
  let client: Cluster;

  const nodeGroups = (): StateNodeGroup[] => JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')).replicationGroups.board.nodeGroups;
  const describe = async () => (await json(['describe-replication-groups', '--replication-group-id', 'board', '--state-dir', stateDir])).ReplicationGroups[0];
  const keysIntact = async () => {
    const values = await Promise.all(Array.from({ length: KEYS }, (_, i) => client.get(`key:${i}`)));
    return values.every((v, i) => v === `v${i}`);
  };

  beforeAll(() => {
    fs.copyFileSync(FIXTURE, template);
  });

  afterAll(async () => {
    client?.disconnect();
    await tearDown(stateDir, work);
  });

  test('deploy: a configuration endpoint, node ids per shard, each shard across AZs, a clean cluster', async () => {
    const started = Date.now();
    const out = await ok(['deploy', template, '--state-dir', stateDir]);
    // eslint-disable-next-line no-console
    console.log(`deploy to available (3 shards × 1 replica): ${Date.now() - started} ms`);
    const m = /configuration endpoint: (\S+):(\d+)/.exec(out);
    expect(m).not.toBeNull();
    cfg = { host: m![1], port: Number(m![2]) };

    const g = await describe();
    expect(g.Status).toBe('available');
    expect(g.ClusterEnabled).toBe(true);
    expect(g.ConfigurationEndpoint).toEqual({ Address: cfg.host, Port: cfg.port });
    expect(g.NodeGroups.map((ng: any) => ng.NodeGroupId)).toEqual(['0001', '0002', '0003']);
    expect(g.NodeGroups.map((ng: any) => ng.Slots)).toEqual(['0-5461', '5462-10922', '10923-16383']);
    expect(g.MemberClusters).toEqual(['board-0001-001', 'board-0001-002', 'board-0002-001', 'board-0002-002', 'board-0003-001', 'board-0003-002']);
    for (const ng of nodeGroups()) {
      expect(new Set(ng.members.map((n) => n.availabilityZone)).size).toBe(2);
    }
    // Per-node endpoints: describe-cache-clusters shows each node's own address.
    const cc = await json(['describe-cache-clusters', '--show-cache-node-info', '--state-dir', stateDir]);
    expect(cc.CacheClusters).toHaveLength(6);
    for (const c of cc.CacheClusters) expect(c.CacheNodes[0].Endpoint.Address).toMatch(/^127\.0\.\d+\.\d+$/);
    const check = clusterCheck(cfg.host, cfg.port);
    expect(check.output).toMatch(/3 masters/);
    expect(check.clean).toBe(true);
  });

  test('ioredis Cluster through the configuration endpoint; redis-cli -c follows MOVED', async () => {
    client = new Cluster([{ host: cfg.host, port: cfg.port }], {
      redisOptions: { maxRetriesPerRequest: 5 }, retryDelayOnTryAgain: 20, retryDelayOnClusterDown: 50, retryDelayOnMoved: 0,
    });
    for (let i = 0; i < KEYS; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => client.set(`key:${i + j}`, `v${i + j}`)));
    expect(await keysIntact()).toBe(true);
    expect(redisCli(['-c', '-h', cfg.host, '-p', String(cfg.port), 'SET', 'cli-key', 'hello']).output.trim()).toBe('OK');
    expect(redisCli(['-c', '-h', cfg.host, '-p', String(cfg.port), 'GET', 'cli-key']).output.trim()).toBe('hello');
    expect(redisCli(['-c', '-h', cfg.host, '-p', String(cfg.port), 'GET', 'key:7']).output.trim()).toBe('v7');
  });

  test('ioredis Cluster, node-redis createCluster and valkey-glide: a mixed workload each, and each reads what the others wrote', async () => {
    const clients: Ops[] = [];
    try {
      clients.push(ioredisCluster(cfg), await nodeRedisCluster(cfg), await glideCluster(cfg));
      const started = Date.now();
      const left = await Promise.all(clients.map((c, i) => mixedWorkload(c, `mixed${i}`)));
      const all = Object.assign({}, ...left) as Record<string, string>;
      await Promise.all(clients.map((c) => readBack(c, all)));
      // eslint-disable-next-line no-console
      console.log(`mixed workload, 3 clients at once: ${Object.keys(all).length} keys written and read back by each in ${Date.now() - started} ms`);
      // The resharding tests below move the keys written above only.
      await Promise.all(Object.keys(all).map((k) => clients[0].del(k)));
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    }
  });

  test('kill -9 of a shard primary: its replica takes over, clients recover, the old node rejoins as a replica', async () => {
    const ng = nodeGroups().find((x) => x.nodeGroupId === '0002')!;
    const primary = ng.members.find((n) => n.role === 'primary')!;
    const replica = ng.members.find((n) => n.role === 'replica')!;
    const dbsize = (n: StateNode) => redisCli(['-h', n.endpoint.address, '-p', String(n.endpoint.port), 'DBSIZE']).output.trim();
    await waitFor(() => dbsize(replica) === dbsize(primary), 'the replica to hold what its primary holds');

    const killedAt = Date.now();
    process.kill(primary.pid, 'SIGKILL');
    // Keys of every shard, written until all succeed again (shard 0002's slots included).
    await waitFor(async () => {
      try {
        await Promise.all(Array.from({ length: 30 }, (_, i) => client.set(`after:${i}`, 'x')));
        return true;
      } catch {
        return false;
      }
    }, 'writes to every shard after the kill', 30000);
    // eslint-disable-next-line no-console
    console.log(`shard failover: kill -9 to writes on every shard through the cluster client: ${Date.now() - killedAt} ms`);
    expect(await keysIntact()).toBe(true);

    const events = (await json(['describe-events', '--state-dir', stateDir])).Events.map((e: any) => e.Message);
    expect(events).toContain(`Failover from primary node ${primary.cacheClusterId} to replica node ${replica.cacheClusterId} completed`);
    await waitFor(() => {
      const now = nodeGroups().find((x) => x.nodeGroupId === '0002')!.members;
      const old = now.find((n) => n.cacheClusterId === primary.cacheClusterId)!;
      return now.find((n) => n.cacheClusterId === replica.cacheClusterId)!.role === 'primary'
        && old.role === 'replica' && old.status === 'available' && old.pid !== primary.pid
        && clusterCheck(cfg.host, cfg.port).clean;
    }, 'the old primary back as a replica and a clean cluster', 60000);
    expect(clusterCheck(cfg.host, cfg.port).output).toMatch(/3 masters/);
  });

  test('redeploy with 4 shards (UseOnlineResharding): modifying with progress, keys intact, a clean cluster', async () => {
    const t = JSON.parse(fs.readFileSync(template, 'utf8'));
    t.Resources.Board.Properties.NumNodeGroups = 4;
    fs.writeFileSync(template, JSON.stringify(t));
    const started = Date.now();
    const deploying = ok(['deploy', template, '--state-dir', stateDir]);
    let sawProgress: number | undefined;
    let done = false;
    void deploying.finally(() => { done = true; }).catch(() => undefined);
    while (!done) {
      const g = await describe().catch(() => undefined);
      const p = g?.PendingModifiedValues?.Resharding?.SlotMigration?.ProgressPercentage;
      if (g?.Status === 'modifying' && typeof p === 'number') sawProgress = Math.max(sawProgress ?? 0, p);
      await new Promise((r) => setTimeout(r, 200));
    }
    const out = await deploying;
    // eslint-disable-next-line no-console
    console.log(`reshard 3 → 4 shards by redeploy: ${Date.now() - started} ms (last progress seen ${sawProgress}%)`);
    expect(out).toMatch(/board-0004-001/);
    expect(sawProgress).toBeDefined();
    const g = await describe();
    expect(g.Status).toBe('available');
    expect(g.PendingModifiedValues).toEqual({});
    expect(g.NodeGroups.map((ng: any) => ng.NodeGroupId)).toEqual(['0001', '0002', '0003', '0004']);
    expect(await keysIntact()).toBe(true);
    const check = clusterCheck(cfg.host, cfg.port);
    expect(check.output).toMatch(/4 masters/);
    expect(check.clean).toBe(true);
  });

  test('modify-replication-group-shard-configuration scales in: the removed shard\'s nodes stop, keys stay', async () => {
    const removed = nodeGroups().find((x) => x.nodeGroupId === '0001')!.members;
    const r = await json(['modify-replication-group-shard-configuration', '--replication-group-id', 'board', '--node-group-count', '3',
      '--node-groups-to-remove', '0001', '--apply-immediately', '--state-dir', stateDir]);
    expect(r.ReplicationGroup.Status).toBe('modifying');
    await waitFor(async () => (await describe()).Status === 'available', 'the scale-in to finish', 180000);
    const g = await describe();
    expect(g.NodeGroups.map((ng: any) => ng.NodeGroupId)).toEqual(['0002', '0003', '0004']);
    for (const n of removed) expect(alive(n.pid)).toBe(false);
    expect(await keysIntact()).toBe(true);
    const check = clusterCheck(cfg.host, cfg.port);
    expect(check.output).toMatch(/3 masters/);
    expect(check.clean).toBe(true);
  });

  test('destroy leaves no process', async () => {
    client.disconnect();
    const pids = knownPids(stateDir);
    expect(pids.length).toBeGreaterThan(6);
    await ok(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});
