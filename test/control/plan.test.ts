import { deployedFrom, specOf } from './state-fixture';
import { plan, PlanAction } from '../../engine/control/plan';
import { Template } from '../../engine/control/spec/template-file';

// A cluster-mode-disabled group with a custom parameter group, a subnet group, RBAC users and a
// notification topic; each test changes one thing and checks what the planner does about it.
const PASSWORD = 'app-password-0123456789';
type Parts = { rg: Record<string, unknown>; params: Record<string, string>; users: string[]; extra: Record<string, unknown> };
function template(change: (t: Parts) => void = () => {}): Template {
  const rg: Record<string, unknown> = {
    ReplicationGroupId: 'sessions',
    ReplicationGroupDescription: 'sessions',
    Engine: 'valkey',
    EngineVersion: '8.1',
    CacheNodeType: 'cache.r7g.large',
    NumCacheClusters: 3,
    AutomaticFailoverEnabled: true,
    MultiAZEnabled: true,
    TransitEncryptionEnabled: true,
    CacheParameterGroupName: { Ref: 'Params' },
    CacheSubnetGroupName: { Ref: 'Subnets' },
    UserGroupIds: [{ Ref: 'Team' }],
  };
  const params: Record<string, string> = { 'maxmemory-policy': 'allkeys-lru' };
  const users = ['app-default', 'app'];
  const extra: Record<string, unknown> = {};
  change({ rg, params, users, extra });
  return {
    Resources: {
      Params: { Type: 'AWS::ElastiCache::ParameterGroup', Properties: { CacheParameterGroupFamily: 'valkey8', Description: 'p', Properties: params } },
      Subnets: { Type: 'AWS::ElastiCache::SubnetGroup', Properties: { Description: 's', SubnetIds: ['subnet-1', 'subnet-2'] } },
      Default: { Type: 'AWS::ElastiCache::User', Properties: { UserId: 'app-default', UserName: 'default', Engine: 'valkey', AccessString: 'off -@all', AuthenticationMode: { Type: 'password', Passwords: [PASSWORD] } } },
      App: { Type: 'AWS::ElastiCache::User', Properties: { UserId: 'app', UserName: 'app', Engine: 'valkey', AccessString: 'on ~* +@all', AuthenticationMode: { Type: 'password', Passwords: [PASSWORD] } } },
      Team: { Type: 'AWS::ElastiCache::UserGroup', Properties: { UserGroupId: 'team', Engine: 'valkey', UserIds: users } },
      Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: rg },
      ...extra,
    } as Template['Resources'],
  };
}

const deployed = () => deployedFrom(specOf(template()));
const kinds = (actions: PlanAction[]) => actions.map((a) => a.kind);
const planFor = (change: Parameters<typeof template>[0]) => plan(specOf(template(change)), deployed()).actions;

test('first deploy: dependencies first (parameter and subnet groups, users), then the user group, then the replication group', () => {
  const actions = plan(specOf(template()), deployedFrom(specOf({ Resources: {} }))).actions;
  expect(kinds(actions)).toEqual(['create-parameter-group', 'create-subnet-group', 'create-user', 'create-user', 'create-user-group', 'create-replication-group']);
  expect(actions[5].summary).toBe('create replication group sessions: valkey 8.1 cache.r7g.large, 3 node(s), Multi-AZ');
});

test('an unchanged template plans nothing', () => {
  expect(plan(specOf(template()), deployed()).actions).toEqual([]);
});

test('NumCacheClusters up or down adds or removes replicas in place (no replacement)', () => {
  const up = planFor(({ rg }) => { rg.NumCacheClusters = 5; });
  expect(up).toEqual([expect.objectContaining({ kind: 'increase-replica-count', replicationGroupId: 'sessions', nodeGroupId: '0001', from: 2, to: 4 })]);
  const down = planFor(({ rg }) => { rg.NumCacheClusters = 2; });
  expect(down).toEqual([expect.objectContaining({ kind: 'decrease-replica-count', from: 2, to: 1, summary: 'remove 1 replica(s) from sessions (2 → 1)' })]);
});

test('replica counts go by the nodes running: a replica added with increase-replica-count is not added again', () => {
  const state = deployed();
  const ng = state.replicationGroups.sessions.nodeGroups[0];
  const extra = { ...ng.members[1], cacheClusterId: 'sessions-004' };
  const sessions = { ...state.replicationGroups.sessions, nodeGroups: [{ ...ng, members: [...ng.members, extra] }] };
  const drifted = { ...state, replicationGroups: { sessions } };
  expect(plan(specOf(template(({ rg }) => { rg.NumCacheClusters = 4; })), drifted).actions).toEqual([]);
});

test('changing the replica count and turning Multi-AZ off: replicas added before, removed after the modification', () => {
  const actions = planFor(({ rg }) => { rg.NumCacheClusters = 1; rg.MultiAZEnabled = false; rg.AutomaticFailoverEnabled = false; });
  expect(kinds(actions)).toEqual(['modify-replication-group', 'decrease-replica-count']);
  expect((actions[0] as Extract<PlanAction, { kind: 'modify-replication-group' }>).changes.map((c) => c.property).sort()).toEqual(['AutomaticFailoverEnabled', 'MultiAZEnabled']);
});

test.each([
  ['Port', ({ rg }: { rg: Record<string, unknown> }) => { rg.Port = 6380; }],
  ['AtRestEncryptionEnabled', ({ rg }: { rg: Record<string, unknown> }) => { rg.AtRestEncryptionEnabled = true; }],
  ['CacheSubnetGroupName', ({ rg }: { rg: Record<string, unknown> }) => { rg.CacheSubnetGroupName = 'other-subnets'; }],
  ['Engine', ({ rg }: { rg: Record<string, unknown> }) => { rg.Engine = 'redis'; rg.EngineVersion = '7.1'; }],
  ['PreferredCacheClusterAZs', ({ rg }: { rg: Record<string, unknown> }) => { rg.PreferredCacheClusterAZs = ['us-east-1a', 'us-east-1b', 'us-east-1c']; }],
  ['SnapshotName', ({ rg }: { rg: Record<string, unknown> }) => { rg.SnapshotName = 'seed'; }],
])('%s requires replacement, as in CloudFormation', (property, change) => {
  const actions = planFor(change as Parameters<typeof template>[0]);
  const replace = actions.find((a) => a.kind === 'replace-replication-group');
  expect(replace).toBeDefined();
  expect((replace as Extract<PlanAction, { kind: 'replace-replication-group' }>).changes.map((c) => c.property)).toContain(property);
  expect(replace!.summary).toMatch(new RegExp(`${property}.* requires replacement`));
});

test('a replaced group with UpdateReplacePolicy Snapshot is snapshotted before it is deleted', () => {
  const withPolicy = (t: Template) => ({ ...t, Resources: { ...t.Resources, Cache: { ...t.Resources!.Cache, UpdateReplacePolicy: 'Snapshot' } } });
  const state = deployedFrom(specOf(withPolicy(template())));
  const actions = plan(specOf(withPolicy(template(({ rg }) => { rg.Port = 6380; }))), state).actions;
  expect(actions).toEqual([expect.objectContaining({ kind: 'replace-replication-group', snapshotBeforeDelete: true })]);
  expect(planFor(({ rg }) => { rg.Port = 6380; })[0]).not.toHaveProperty('snapshotBeforeDelete');
});

test('ReplicationGroupId renamed: the old group is replaced by the new one', () => {
  const actions = planFor(({ rg }) => { rg.ReplicationGroupId = 'sessions-v2'; });
  expect(actions).toEqual([expect.objectContaining({ kind: 'replace-replication-group', replicationGroupId: 'sessions', changes: [{ property: 'ReplicationGroupId', field: 'replicationGroupId', from: 'sessions', to: 'sessions-v2' }] })]);
});

test('node type and engine version: nodes replaced one by one; redis → valkey is an in-place upgrade', () => {
  const actions = planFor(({ rg }) => { rg.CacheNodeType = 'cache.r7g.xlarge'; rg.EngineVersion = '8.2'; });
  expect(actions).toEqual([expect.objectContaining({ kind: 'rolling-replace-nodes', changes: [{ property: 'EngineVersion', field: 'engineVersion', from: '8.1', to: '8.2' }, { property: 'CacheNodeType', field: 'nodeType', from: 'cache.r7g.large', to: 'cache.r7g.xlarge' }] })]);
  const redis = specOf(template(({ rg }) => { rg.Engine = 'redis'; rg.EngineVersion = '7.1'; rg.UserGroupIds = undefined; }));
  const toValkey = plan(specOf(template(({ rg }) => { rg.UserGroupIds = undefined; rg.EngineVersion = '8.1'; })), deployedFrom(redis)).actions;
  expect(kinds(toValkey)).toEqual(['rolling-replace-nodes']);
});

test('parameters: a dynamic change applies live, a static one leaves the nodes pending a reboot', () => {
  const actions = planFor(({ params }) => { params['maxmemory-policy'] = 'volatile-lru'; params.databases = '32'; });
  expect(actions).toEqual([expect.objectContaining({
    kind: 'modify-parameter-group',
    affectedReplicationGroups: ['sessions'],
    changes: [
      { name: 'databases', to: '32', applyType: 'static' },
      { name: 'maxmemory-policy', from: 'allkeys-lru', to: 'volatile-lru', applyType: 'dynamic' },
    ],
  })]);
  expect(actions[0].summary).toContain('databases (default) → 32 [static: pending-reboot]');
});

test('settings that modify in place: windows, retention, description, user groups', () => {
  const actions = planFor(({ rg }) => { rg.SnapshotRetentionLimit = 5; rg.SnapshotWindow = '03:00-04:00'; rg.ReplicationGroupDescription = 'new'; });
  expect(actions).toEqual([expect.objectContaining({ kind: 'modify-replication-group' })]);
  expect((actions[0] as Extract<PlanAction, { kind: 'modify-replication-group' }>).changes.map((c) => c.property).sort()).toEqual(['ReplicationGroupDescription', 'SnapshotRetentionLimit', 'SnapshotWindow']);
});

test('auth token: adding one replaces the group, rotating modifies it, and the values never appear', () => {
  const noToken = (t: { rg: Record<string, unknown> }) => { t.rg.UserGroupIds = undefined; };
  const withToken = (token: string) => (t: { rg: Record<string, unknown> }) => { noToken(t); t.rg.AuthToken = token; };
  const add = plan(specOf(template(withToken('token-one-0123456789'))), deployedFrom(specOf(template(noToken)))).actions;
  expect(add.find((a) => a.kind === 'replace-replication-group')?.summary).toMatch(/AuthToken requires replacement/);
  const rotate = plan(specOf(template(withToken('token-two-0123456789'))), deployedFrom(specOf(template(withToken('token-one-0123456789'))))).actions;
  expect(rotate).toEqual([expect.objectContaining({ kind: 'modify-replication-group', changes: [{ property: 'AuthToken', field: 'authToken', from: '(secret)', to: '(secret)' }] })]);
  // The desired spec carries the token to apply; what the plan shows (changes, summary) does not.
  expect(JSON.stringify(rotate.map((a) => [a.summary, (a as { changes?: unknown }).changes]))).not.toContain('token-');
});

test('users and user groups: membership changes modify the group; a password change modifies the user without showing it', () => {
  const actions = planFor(({ users, extra }) => {
    users.pop();
    extra.Ops = { Type: 'AWS::ElastiCache::User', Properties: { UserId: 'ops', UserName: 'ops', Engine: 'valkey', AccessString: 'on ~* +@all', AuthenticationMode: { Type: 'password', Passwords: ['ops-password-0123456789'] } } };
    users.push('ops');
  });
  expect(kinds(actions)).toEqual(['create-user', 'modify-user-group']);
  expect(actions[1]).toMatchObject({ userIdsToAdd: ['ops'], userIdsToRemove: ['app'] });
  const t = template();
  (t.Resources!.App.Properties!.AuthenticationMode as { Passwords: string[] }).Passwords = ['new-password-0123456789'];
  const pw = plan(specOf(t), deployed()).actions;
  expect(pw).toEqual([expect.objectContaining({ kind: 'modify-user', userId: 'app', changes: [{ property: 'AuthenticationMode.Passwords', field: 'passwords', from: '(secret)', to: '(secret)' }] })]);
});

test('removing everything: the group first (with its final snapshot), then the user group, then users and groups', () => {
  const t = template();
  const state = deployedFrom(specOf({ ...t, Resources: { ...t.Resources, Cache: { ...t.Resources!.Cache, DeletionPolicy: 'Snapshot' } } }));
  const actions = plan(specOf({ Resources: {} }), state).actions;
  expect(kinds(actions)).toEqual(['delete-replication-group', 'delete-user-group', 'delete-parameter-group', 'delete-subnet-group', 'delete-user', 'delete-user']);
  expect(actions[0]).toMatchObject({ replicationGroupId: 'sessions', finalSnapshotName: 'sessions-final-snapshot' });
});

describe('cluster mode enabled', () => {
  const cme = (shards: number, replicas: number, online: boolean): Template => ({
    Resources: {
      Cache: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: { ReplicationGroupId: 'board', ReplicationGroupDescription: 'b', Engine: 'valkey', EngineVersion: '8.1', CacheNodeType: 'cache.r7g.large', ClusterMode: 'enabled', NumNodeGroups: shards, ReplicasPerNodeGroup: replicas, CacheParameterGroupName: 'default.valkey8.cluster.on' },
        ...(online ? { UpdatePolicy: { UseOnlineResharding: true } } : {}),
      },
    },
  });
  test('ReplicasPerNodeGroup requires replacement in CloudFormation', () => {
    expect(kinds(plan(specOf(cme(2, 2, true)), deployedFrom(specOf(cme(2, 1, true)))).actions)).toEqual(['replace-replication-group']);
  });
  test('NumNodeGroups: online resharding with UseOnlineResharding, replacement without', () => {
    const online = plan(specOf(cme(3, 1, true)), deployedFrom(specOf(cme(2, 1, true)))).actions;
    expect(online).toEqual([expect.objectContaining({ kind: 'modify-shard-configuration', changes: [{ property: 'NumNodeGroups', field: 'numNodeGroups', from: 2, to: 3 }] })]);
    expect(kinds(plan(specOf(cme(3, 1, false)), deployedFrom(specOf(cme(2, 1, false)))).actions)).toEqual(['replace-replication-group']);
  });
});
