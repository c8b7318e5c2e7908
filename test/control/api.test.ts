import * as fs from 'fs';
import * as path from 'path';
import { deployedFrom, specOf } from './state-fixture';
import {
  ApiError,
  describeCacheClusters,
  describeCacheParameters,
  describeEvents,
  describeReplicationGroups,
  describeSnapshots,
  describeUserGroups,
  describeUsers,
  events,
  notificationBody,
  cacheClustersTable,
  replicationGroupsTable,
  eventsTable,
  parametersTable,
} from '../../engine/control/api';
import { DeployedState } from '../../engine/control/plan';
import { Template } from '../../engine/control/spec/template-file';

// The ElastiCache API's field names (fixtures/api-shapes.json, from the SDK's shapes in
// research/specs/sdk_inputs.txt; checked against that file when it is there).
const SHAPES_FILE = path.join(__dirname, 'fixtures', 'api-shapes.json');
const SDK = new Map(Object.entries(JSON.parse(fs.readFileSync(SHAPES_FILE, 'utf8')) as Record<string, string[]>).filter(([k]) => k !== '//').map(([k, v]) => [k, new Set(v)]));
const RESEARCH = '/work/shared/research/specs/sdk_inputs.txt';

(fs.existsSync(RESEARCH) ? test : test.skip)('the shape fixture matches the SDK shapes of the research notes', () => {
  const text = fs.readFileSync(RESEARCH, 'utf8');
  for (const [shape, fields] of SDK) {
    const section = text.split(`###### ${shape}\n`)[1].split('\n###### ')[0];
    const names = [...section.matchAll(/^- (\w+)/gm)].map((m) => m[1]);
    expect(names).toEqual([...fields]);
  }
});

function expectFieldsOf(shape: string, obj: object): void {
  const fields = SDK!.get(shape)!;
  expect(fields.size).toBeGreaterThan(0);
  for (const key of Object.keys(obj)) {
    if (!fields.has(key)) throw new Error(`${shape} has no field ${key} (fields: ${[...fields].join(', ')})`);
  }
}

const NOW = '2026-03-01T12:00:00.000Z';
const cmd: Template = {
  Resources: {
    Params: { Type: 'AWS::ElastiCache::ParameterGroup', Properties: { CacheParameterGroupFamily: 'valkey8', Description: 'p', Properties: { 'maxmemory-policy': 'allkeys-lru' } } },
    Default: { Type: 'AWS::ElastiCache::User', Properties: { UserId: 'app-default', UserName: 'default', Engine: 'valkey', AccessString: 'off -@all', AuthenticationMode: { Type: 'password', Passwords: ['app-password-0123456789', 'next-password-0123456789'] } } },
    Team: { Type: 'AWS::ElastiCache::UserGroup', Properties: { UserGroupId: 'team', Engine: 'valkey', UserIds: ['app-default'] } },
    Sessions: {
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: {
        ReplicationGroupId: 'sessions',
        ReplicationGroupDescription: 'sessions',
        Engine: 'valkey',
        EngineVersion: '8.1',
        CacheNodeType: 'cache.r7g.large',
        NumCacheClusters: 3,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        TransitEncryptionEnabled: true,
        AtRestEncryptionEnabled: true,
        CacheParameterGroupName: { Ref: 'Params' },
        UserGroupIds: [{ Ref: 'Team' }],
        SnapshotRetentionLimit: 1,
        SnapshotWindow: '05:00-06:00',
      },
    },
    Board: {
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: {
        ReplicationGroupId: 'board',
        ReplicationGroupDescription: 'board',
        Engine: 'valkey',
        EngineVersion: '8.1',
        CacheNodeType: 'cache.r7g.large',
        ClusterMode: 'enabled',
        NumNodeGroups: 2,
        ReplicasPerNodeGroup: 1,
        CacheParameterGroupName: 'default.valkey8.cluster.on',
      },
    },
  },
};

function state(): DeployedState {
  const s = deployedFrom(specOf(cmd), NOW);
  const sessions = s.replicationGroups.sessions;
  return {
    ...s,
    snapshots: [{
      snapshotName: 'nightly',
      replicationGroupId: 'sessions',
      replicationGroupDescription: 'sessions',
      snapshotSource: 'manual',
      snapshotStatus: 'available',
      engine: 'valkey',
      engineVersion: '8.1',
      nodeType: 'cache.r7g.large',
      numNodeGroups: 1,
      port: 6379,
      parameterGroupName: sessions.spec.parameterGroupName,
      automaticFailover: true,
      clusterMode: 'disabled',
      snapshotRetentionLimit: 1,
      snapshotWindow: '05:00-06:00',
      dataTiering: false,
      arn: 'arn:aws:elasticache:us-east-1:000000000000:snapshot:nightly',
      nodeSnapshots: [{ cacheClusterId: 'sessions-002', nodeGroupId: '0001', cacheNodeId: '0001', cacheSize: 5 * 1024 * 1024, cacheNodeCreateTime: NOW, snapshotCreateTime: NOW, file: '/tmp/x.rdb' }],
    }],
    events: [
      { ...events.testFailoverCalled('sessions', '0001'), date: '2026-03-01T11:50:00.000Z' },
      { ...events.failoverCompleted('sessions-002', 'sessions-001', 'sessions-002'), date: '2026-03-01T11:50:02.000Z' },
      { ...events.recoveringCacheNodes('sessions-001', ['0001']), date: '2026-03-01T11:50:03.000Z' },
      { ...events.finishedRecovery('sessions-001', ['0001']), date: '2026-03-01T11:50:09.000Z' },
      { ...events.replicationGroupCreated('sessions'), date: '2026-03-01T09:00:00.000Z' },
    ],
  };
}

test('every field is one of the API shape (ReplicationGroup, NodeGroup, NodeGroupMember, Snapshot, Event)', () => {
  const s = state();
  for (const g of describeReplicationGroups(s).ReplicationGroups) {
    expectFieldsOf('ReplicationGroup', g);
    for (const ng of g.NodeGroups) {
      expectFieldsOf('NodeGroup', ng);
      for (const m of ng.NodeGroupMembers) expectFieldsOf('NodeGroupMember', m);
    }
  }
  for (const snap of describeSnapshots(s).Snapshots) expectFieldsOf('Snapshot', snap);
  for (const e of describeEvents(s, { now: new Date(NOW), duration: 600 }).Events) expectFieldsOf('Event', e);
});

test('DescribeReplicationGroups: cluster mode disabled has primary/reader endpoints and member roles; enabled has a configuration endpoint and slots', () => {
  const [board, sessions] = describeReplicationGroups(state()).ReplicationGroups;
  expect(sessions).toMatchSnapshot();
  expect(sessions).toMatchObject({ ReplicationGroupId: 'sessions', Status: 'available', ClusterEnabled: false, AutomaticFailover: 'enabled', MultiAZ: 'enabled', MemberClusters: ['sessions-001', 'sessions-002', 'sessions-003'], AuthTokenEnabled: false, UserGroupIds: ['team'] });
  expect(sessions.NodeGroups[0].PrimaryEndpoint).toBeDefined();
  expect(sessions.NodeGroups[0].NodeGroupMembers.map((m) => m.CurrentRole)).toEqual(['primary', 'replica', 'replica']);
  expect(sessions.ConfigurationEndpoint).toBeUndefined();
  expect(board.ConfigurationEndpoint).toBeDefined();
  expect(board.NodeGroups.map((g) => [g.NodeGroupId, g.Slots, g.PrimaryEndpoint])).toEqual([['0001', '0-8191', undefined], ['0002', '8192-16383', undefined]]);
  expect(board.MemberClusters).toEqual(['board-0001-001', 'board-0001-002', 'board-0002-001', 'board-0002-002']);
  expect(board.NodeGroups[0].NodeGroupMembers[0]).toEqual({ CacheClusterId: 'board-0001-001', CacheNodeId: '0001', PreferredAvailabilityZone: 'us-east-1a' });
});

test('DescribeCacheClusters with and without node info; the default parameter group of a cluster-mode group', () => {
  const all = describeCacheClusters(state()).CacheClusters;
  expect(all.map((c) => c.CacheClusterId)).toEqual(['board-0001-001', 'board-0001-002', 'board-0002-001', 'board-0002-002', 'sessions-001', 'sessions-002', 'sessions-003']);
  expect(all[0].CacheNodes).toBeUndefined();
  expect(all[0].CacheParameterGroup.CacheParameterGroupName).toBe('default.valkey8.cluster.on');
  const one = describeCacheClusters(state(), { cacheClusterId: 'sessions-002', showCacheNodeInfo: true }).CacheClusters;
  expect(one).toMatchSnapshot();
  expect(one[0].CacheNodes![0].Endpoint).toEqual({ Address: '127.0.1.2', Port: expect.any(Number) });
});

test('DescribeSnapshots, DescribeEvents (window, filters), DescribeUsers with the built-in default user, DescribeUserGroups', () => {
  const s = state();
  expect(describeSnapshots(s, { replicationGroupId: 'sessions' })).toMatchSnapshot();
  expect(describeSnapshots(s, { snapshotSource: 'system' }).Snapshots).toEqual([]);
  const recent = describeEvents(s, { now: new Date(NOW) }).Events;
  expect(recent.map((e) => e.Message)).toEqual([
    'Finished recovery for cache nodes 0001',
    'Recovering cache nodes 0001',
    'Failover from primary node sessions-001 to replica node sessions-002 completed',
    'Test Failover API called for node group 0001',
  ]);
  expect(describeEvents(s, { now: new Date(NOW), duration: 24 * 60, sourceType: 'replication-group', sourceIdentifier: 'sessions' }).Events.map((e) => e.Message)).toEqual([
    'Test Failover API called for node group 0001',
    'Replication group sessions created',
  ]);
  // Duration is ignored once an end time is given: the hour before it.
  expect(describeEvents(s, { now: new Date(NOW), duration: 24 * 60, endTime: '2026-03-01T09:30:00.000Z' }).Events.map((e) => e.Message)).toEqual(['Replication group sessions created']);
  expect(describeUsers(s)).toMatchSnapshot();
  expect(describeUsers(s).Users.map((u) => [u.UserId, u.Authentication])).toEqual([
    ['app-default', { Type: 'password', PasswordCount: 2 }],
    ['default', { Type: 'no-password' }],
  ]);
  expect(describeUserGroups(s).UserGroups).toEqual([expect.objectContaining({ UserGroupId: 'team', Status: 'active', UserIds: ['app-default'], ReplicationGroups: ['sessions'] })]);
});

test('DescribeCacheParameters: the family catalogue with the group values, filtered by source', () => {
  const s = state();
  const name = s.replicationGroups.sessions.spec.parameterGroupName!;
  const user = describeCacheParameters(s, { cacheParameterGroupName: name, source: 'user' }).Parameters;
  expect(user).toEqual([expect.objectContaining({ ParameterName: 'maxmemory-policy', ParameterValue: 'allkeys-lru', Source: 'user', ChangeType: 'immediate', IsModifiable: true })]);
  const all = describeCacheParameters(s, { cacheParameterGroupName: 'default.valkey8.cluster.on' }).Parameters;
  expect(all.find((p) => p.ParameterName === 'cluster-enabled')).toMatchObject({ ParameterValue: 'yes', Source: 'system' });
  expect(all.find((p) => p.ParameterName === 'databases')).toMatchObject({ ChangeType: 'requires-reboot', DataType: 'integer' });
  expect(all.length).toBeGreaterThan(50);
});

test('errors carry the service fault codes', () => {
  const s = state();
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as ApiError).code;
    }
    return 'no error';
  };
  expect(code(() => describeReplicationGroups(s, { replicationGroupId: 'nope' }))).toBe('ReplicationGroupNotFoundFault');
  expect(code(() => describeCacheClusters(s, { cacheClusterId: 'nope' }))).toBe('CacheClusterNotFound');
  expect(code(() => describeSnapshots(s, { snapshotName: 'nope' }))).toBe('SnapshotNotFoundFault');
  expect(code(() => describeCacheParameters(s, { cacheParameterGroupName: 'nope' }))).toBe('CacheParameterGroupNotFound');
  expect(code(() => describeEvents(s, { maxRecords: 5 }))).toBe('InvalidParameterValue');
  expect(code(() => describeUsers(s, { userId: 'nope' }))).toBe('UserNotFound');
  expect(new ApiError('X', 'y').toJSON()).toEqual({ Error: { Code: 'X', Message: 'y' } });
});

test('event catalogue: notifications name the SNS event, as ElastiCache publishes them', () => {
  // A failover is one notification (the group's), while DescribeEvents has both the node's and the group's message.
  expect(events.failoverCompleted('c-002', 'c-001', 'c-002')).toEqual({ sourceType: 'cache-cluster', sourceIdentifier: 'c-002', message: 'Failover from primary node c-001 to replica node c-002 completed' });
  expect(notificationBody(events.failoverCompletedForGroup('c', 'c-001', 'c-002'))).toEqual({ 'ElastiCache:FailoverComplete': 'c' });
  expect(notificationBody(events.snapshotSucceeded('rg', 'snap'))).toEqual({ 'ElastiCache:SnapshotComplete': 'rg' });
  expect(notificationBody(events.testFailoverCalled('rg', '0001'))).toBeUndefined();
});

test('tables: readable default output with endpoints', () => {
  const s = state();
  const rg = replicationGroupsTable(describeReplicationGroups(s));
  expect(rg).toMatchSnapshot();
  expect(rg).toMatch(/\| sessions +\| available +\| valkey +\| cache\.r7g\.large +\| disabled +\| 3 +\| enabled +\| enabled +\| yes +\|/);
  expect(rg).toMatch(/\| sessions +\| 0001 +\| primary +\| 127\.0\.0\.1:\d+ +\|/);
  expect(cacheClustersTable(describeCacheClusters(s, { showCacheNodeInfo: true }))).toContain('sessions-003');
  expect(eventsTable(describeEvents(s, { now: new Date(NOW) }))).toContain('Failover from primary node sessions-001');
  expect(parametersTable({ Parameters: [] })).toContain('(none)');
  const width = (t: string) => new Set(t.split('\n').map((l) => l.length));
  expect(width(rg.split('\n').slice(0, 8).join('\n')).size).toBe(1);
});
