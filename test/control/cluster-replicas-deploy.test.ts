// End to end, per-shard replicas of a cluster-mode-enabled group: NodeGroupConfiguration with a
// ReplicaCount and AZs per shard, then increase-replica-count / decrease-replica-count with
// --new-replica-count, with --replica-configuration per shard (the AWS CLI's shorthand) and with
// --replicas-to-remove; every change leaves a clean cluster, replicas hold their shard's data,
// removed replicas stop.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Cluster } from 'ioredis';
import { alive, cli, json, ok, tearDown, tempDir } from './control-cli';
import { waitFor } from '../engine/nodes';

jest.setTimeout(300000);

interface StateNode { cacheClusterId: string; role: string; pid: number; availabilityZone: string; endpoint: { address: string; port: number } }

describe('per-shard replica counts in cluster mode', () => {
  const work = tempDir('cme-replicas-');
  const stateDir = path.join(work, 'state');
  const template = path.join(work, 'template.json');
  let client: Cluster;
  let cfg = { host: '', port: 0 };

  const shards = (): Record<string, StateNode[]> => Object.fromEntries(
    JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')).replicationGroups.shop.nodeGroups
      .map((ng: { nodeGroupId: string; members: StateNode[] }) => [ng.nodeGroupId, ng.members]));
  const replicaCounts = () => Object.fromEntries(Object.entries(shards()).map(([id, ms]) => [id, ms.filter((m) => m.role === 'replica').length]));
  const verb = (args: string[]) => json([...args, '--replication-group-id', 'shop', '--apply-immediately', '--state-dir', stateDir]);
  /** `redis-cli --cluster check`: every slot covered, nothing open, and the replicas per primary. */
  const check = () => {
    const r = spawnSync('redis-cli', ['--cluster', 'check', `${cfg.host}:${cfg.port}`], { encoding: 'utf8', timeout: 30000 });
    const out = `${r.stdout}${r.stderr}`;
    return { clean: out.includes('[OK] All 16384 slots covered.') && !/\[ERR\]|\[WARNING\]/.test(out), replicas: [...out.matchAll(/(\d+) slaves\./g)].map((m) => Number(m[1])).reduce((a, b) => a + b, 0) };
  };
  /** Every replica answers DBSIZE with its primary's count (it has synced). */
  const replicasSynced = () => Object.values(shards()).every((ms) => {
    const size = (n: StateNode) => spawnSync('redis-cli', ['-h', n.endpoint.address, '-p', String(n.endpoint.port), 'DBSIZE'], { encoding: 'utf8' }).stdout.trim();
    const p = size(ms.find((m) => m.role === 'primary')!);
    return ms.filter((m) => m.role === 'replica').every((r) => size(r) === p);
  });

  afterAll(async () => {
    client?.disconnect();
    await tearDown(stateDir, work);
  });

  test('NodeGroupConfiguration: a replica count and AZs per shard', async () => {
    fs.writeFileSync(template, JSON.stringify({
      Resources: {
        Shop: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: {
            ReplicationGroupId: 'shop',
            ReplicationGroupDescription: 'per-shard replicas',
            Engine: 'valkey',
            CacheNodeType: 'cache.t4g.micro',
            ClusterMode: 'enabled',
            AutomaticFailoverEnabled: true,
            NumNodeGroups: 3,
            NodeGroupConfiguration: [
              { NodeGroupId: '0001', ReplicaCount: 2, PrimaryAvailabilityZone: 'local-1c', ReplicaAvailabilityZones: ['local-1a', 'local-1b'] },
              { NodeGroupId: '0002', ReplicaCount: 0, PrimaryAvailabilityZone: 'local-1b' },
              { NodeGroupId: '0003', ReplicaCount: 1 },
            ],
          },
        },
      },
    }));
    const out = await ok(['deploy', template, '--state-dir', stateDir]);
    const m = /configuration endpoint: (\S+):(\d+)/.exec(out)!;
    cfg = { host: m[1], port: Number(m[2]) };
    expect(replicaCounts()).toEqual({ '0001': 2, '0002': 0, '0003': 1 });
    const s = shards();
    expect(s['0001'].map((n) => `${n.role}@${n.availabilityZone}`)).toEqual(['primary@local-1c', 'replica@local-1a', 'replica@local-1b']);
    expect(s['0002'][0].availabilityZone).toBe('local-1b');
    const g = (await json(['describe-replication-groups', '--replication-group-id', 'shop', '--state-dir', stateDir])).ReplicationGroups[0];
    expect(g.NodeGroups.map((ng: any) => ng.NodeGroupMembers.length)).toEqual([3, 1, 2]);
    expect(check()).toEqual({ clean: true, replicas: 3 });
    client = new Cluster([cfg], { redisOptions: { maxRetriesPerRequest: 5 } });
    await Promise.all(Array.from({ length: 200 }, (_, i) => client.set(`item:${i}`, `${i}`)));
  });

  test('increase-replica-count: --replica-configuration for one shard, then --new-replica-count for all', async () => {
    const r = await verb(['increase-replica-count', '--replica-configuration', 'NodeGroupId=0002,NewReplicaCount=1,PreferredAvailabilityZones=local-1a']);
    expect(r.ReplicationGroup.Status).toBe('available');
    expect(replicaCounts()).toEqual({ '0001': 2, '0002': 1, '0003': 1 });
    expect(shards()['0002'].find((n) => n.role === 'replica')!.availabilityZone).toBe('local-1a');
    await verb(['increase-replica-count', '--new-replica-count', '2']);
    expect(replicaCounts()).toEqual({ '0001': 2, '0002': 2, '0003': 2 });
    expect(check()).toEqual({ clean: true, replicas: 6 });
    await waitFor(replicasSynced, 'every new replica to hold its shard\'s keys');
    const events = (await json(['describe-events', '--state-dir', stateDir])).Events.map((e: any) => e.Message);
    expect(events).toContain('Adding replica shop-0002-002 to replication group shop');
  });

  test('the API refuses counts that do not go the verb\'s way', async () => {
    const bad = await cli(['increase-replica-count', '--replication-group-id', 'shop', '--new-replica-count', '1', '--apply-immediately', '--state-dir', stateDir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidParameterValue/);
    const unknown = await cli(['decrease-replica-count', '--replication-group-id', 'shop', '--replica-configuration', 'NodeGroupId=0009,NewReplicaCount=0', '--apply-immediately', '--state-dir', stateDir]);
    expect(unknown.stderr).toMatch(/NodeGroupNotFound/);
  });

  test('decrease-replica-count: per shard (two shards in one call), then --replicas-to-remove; removed nodes stop', async () => {
    const before = shards();
    await verb(['decrease-replica-count', '--replica-configuration', 'NodeGroupId=0001,NewReplicaCount=0', 'NodeGroupId=0003,NewReplicaCount=1']);
    expect(replicaCounts()).toEqual({ '0001': 0, '0002': 2, '0003': 1 });
    const named = shards()['0002'].find((n) => n.role === 'replica')!.cacheClusterId;
    await verb(['decrease-replica-count', '--replicas-to-remove', named]);
    expect(replicaCounts()).toEqual({ '0001': 0, '0002': 1, '0003': 1 });
    expect(shards()['0002'].some((n) => n.cacheClusterId === named)).toBe(false);
    const left = new Set(Object.values(shards()).flat().map((n) => n.pid));
    for (const n of Object.values(before).flat()) if (!left.has(n.pid)) expect(alive(n.pid)).toBe(false);
    expect(check()).toEqual({ clean: true, replicas: 2 });
    const values = await Promise.all(Array.from({ length: 200 }, (_, i) => client.get(`item:${i}`)));
    expect(values.every((v, i) => v === `${i}`)).toBe(true);
  });
});
