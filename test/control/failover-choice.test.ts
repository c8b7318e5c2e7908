// Which replica a failover promotes (cluster mode disabled): on a quiet group (equal offsets) the
// one in the AZ the template prefers for the primary; when a replica lags, the most up-to-date one
// even if placement prefers the other. Each failover is one FailoverComplete notification and one
// "Failover ... completed" event per source (the node's and the group's).
import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { json, ok, tearDown, tempDir, topology } from './control-cli';
import { waitFor } from '../engine/nodes';

const ADMIN = 'cdk-elasticache-admin';

describe('failover promotes the most up-to-date replica, placement breaking ties', () => {
  const work = tempDir('crun-pick-');
  const stateDir = path.join(work, 'state');
  const clients: Redis[] = [];
  const file = path.join(work, 'template.json');

  beforeAll(() => {
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'pick-events' } },
        Cache: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: {
            ReplicationGroupId: 'pick',
            ReplicationGroupDescription: 'failover choice',
            Engine: 'redis',
            CacheNodeType: 'cache.t4g.micro',
            NumCacheClusters: 3,
            AutomaticFailoverEnabled: true,
            MultiAZEnabled: true,
            Port: 6411,
            // 001 (primary) and 003 in b, 002 in c: b is where the template wants the primary.
            PreferredCacheClusterAZs: ['us-east-1b', 'us-east-1c', 'us-east-1b'],
            NotificationTopicArn: { Ref: 'Topic' },
          },
        },
      },
    }));
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await tearDown(stateDir, work);
  });

  const admin = (address: string, port: number) => {
    const c = new Redis({ host: address, port, username: ADMIN, password: fs.readFileSync(path.join(stateDir, 'admin.secret'), 'utf8').trim(), lazyConnect: false, maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  };
  const offset = async (c: Redis) => Number(/(?:slave_repl_offset|master_repl_offset):(\d+)/.exec(await c.info('replication'))![1]);
  const member = async (id: string) => (await topology(stateDir, 'pick')).members.find((m) => m.CacheClusterId === id)!;
  const notifications = () => fs.readFileSync(path.join(stateDir, 'events', 'pick-events.jsonl'), 'utf8').trim().split('\n')
    .filter((l) => /FailoverComplete/.test(l));
  const failoverEvents = async (from: string) => (await json(['describe-events', '--state-dir', stateDir])).Events
    .filter((e: any) => e.Message.startsWith(`Failover from primary node ${from} `)).map((e: any) => `${e.SourceType} ${e.SourceIdentifier} ${e.Message}`);

  test('equal offsets: the replica in the preferred AZ is promoted (test-failover)', async () => {
    await ok(['deploy', file, '--state-dir', stateDir]);
    const t = await topology(stateDir, 'pick');
    expect(t.members.map((m) => `${m.CacheClusterId} ${m.CurrentRole} ${m.PreferredAvailabilityZone}`)).toEqual([
      'pick-001 primary us-east-1b', 'pick-002 replica us-east-1c', 'pick-003 replica us-east-1b',
    ]);
    const writer = new Redis({ host: t.primary.host, port: t.primary.port, retryStrategy: () => 10 });
    clients.push(writer);
    await writer.set('k', 'v');
    const [r2, r3] = await Promise.all(['pick-002', 'pick-003'].map(async (id) => {
      const m = await member(id);
      return admin(m.ReadEndpoint.Address, m.ReadEndpoint.Port);
    }));
    await waitFor(async () => (await offset(r2)) === (await offset(r3)) && (await r2.get('k')) === 'v', 'both replicas at the same offset');

    const r = await json(['test-failover', '--replication-group-id', 'pick', '--node-group-id', '0001', '--state-dir', stateDir]);
    expect(r.ReplicationGroup.NodeGroups[0].NodeGroupMembers.find((m: any) => m.CurrentRole === 'primary').CacheClusterId).toBe('pick-003');
    expect(await failoverEvents('pick-001')).toEqual([
      'replication-group pick Failover from primary node pick-001 to replica node pick-003 completed',
      'cache-cluster pick-003 Failover from primary node pick-001 to replica node pick-003 completed',
    ]);
    expect(notifications().map((l) => JSON.parse(JSON.parse(l).Message))).toEqual([{ 'ElastiCache:FailoverComplete': 'pick' }]);
  });

  test('a lagging replica is passed over although placement prefers it (kill -9 of the primary)', async () => {
    // Now 003 (b) is the primary; 001 (b, the preferred AZ) and 002 (c) replicate from it.
    const t = await topology(stateDir, 'pick');
    const p = await member('pick-003');
    expect(p.CurrentRole).toBe('primary');
    const m1 = await member('pick-001');
    const m2 = await member('pick-002');
    const lagging = admin(m1.ReadEndpoint.Address, m1.ReadEndpoint.Port);
    const current = admin(m2.ReadEndpoint.Address, m2.ReadEndpoint.Port);
    await waitFor(async () => /master_link_status:up/.test(await lagging.info('replication')), 'pick-001 to be a synced replica');
    // Cut 001 off its primary (a port nothing listens on): it still answers, its offset stops.
    await lagging.call('REPLICAOF', '127.0.0.1', '1');
    const writer = new Redis({ host: t.primary.host, port: t.primary.port, retryStrategy: () => 10, maxRetriesPerRequest: null });
    clients.push(writer);
    for (let i = 0; i < 200; i++) await writer.set(`after-cut-${i}`, String(i));
    await waitFor(async () => (await current.get('after-cut-199')) === '199', 'pick-002 to have every write');
    expect(await offset(current)).toBeGreaterThan(await offset(lagging));

    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    process.kill(state.replicationGroups.pick.nodeGroups[0].members.find((n: any) => n.cacheClusterId === 'pick-003').pid, 'SIGKILL');
    await waitFor(async () => (await member('pick-002')).CurrentRole === 'primary', 'pick-002 to be promoted', 20000);
    expect(await writer.get('after-cut-199')).toBe('199');
    // The passed-over replica follows the new primary and catches up.
    await waitFor(async () => (await lagging.get('after-cut-199')) === '199', 'pick-001 to resync from pick-002', 20000);
    expect(await failoverEvents('pick-003')).toEqual([
      'replication-group pick Failover from primary node pick-003 to replica node pick-002 completed',
      'cache-cluster pick-002 Failover from primary node pick-003 to replica node pick-002 completed',
    ]);
    expect(notifications()).toHaveLength(2);
  });
});
