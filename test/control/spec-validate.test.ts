import * as path from 'path';
import { readSpec, readTemplate, validateSpec } from '../../engine/control/spec';
import { ClusterMode, Engine, NodeType, ReplicationGroup } from '../../src';
import { errorOf, stackWithVpc } from '../helpers/stack';

const source = { kind: 'cloudformation-json' as const, path: 'inline.json', templatePath: 'inline.json' };

test('a bad template: every problem listed at once, by resource, property and rule', () => {
  const spec = readSpec(path.join(__dirname, 'fixtures', 'bad.yaml'), { env: {} });
  const problems = validateSpec(spec);
  const got = problems.map((p) => `${p.logicalId} ${p.property ?? ''} ${p.rule} ${p.severity}`);
  expect(got).toEqual(expect.arrayContaining([
    // reading
    'Cache Portt SPEC-PROPERTY error',
    'Cache SnapshotName SPEC-UNRESOLVED error',
    'Legacy  SPEC-UNSUPPORTED error',
    'Serverless  SPEC-UNSUPPORTED error',
    // parameter group rules (src/model/parameters)
    'Params Properties.maxmemory-polcy E5 error',
    'Params Properties.databases E5 error',
    // users and user groups (src/model/users)
    'Admin UserId N5 error',
    'Admin AuthenticationMode.Passwords S10 error',
    'Users UserIds[1] SPEC-REF error',
    'Users UserGroupId N6 error',
    // the replication group (src/model/replication-group-rules)
    'Cache ReplicationGroupId N1 error',
    'Cache ReplicasPerNodeGroup T1 error',
    'Cache AutomaticFailoverEnabled T8 error',
    'Cache MultiAZEnabled H1 error',
    'Cache AuthToken S1 error',
    'Cache AuthToken S2 error',
    'Cache AuthToken S3 error',
    'Cache UserGroupIds S9 error',
    'Cache CacheParameterGroupName T9 error',
    'Cache SnapshotRetentionLimit B1 error',
    'Cache Port T17 error',
    'Cache UserGroupIds[1] SPEC-REF error',
    'Cache UserGroupIds SPEC-REF error',
    'Cache CacheSubnetGroupName SPEC-REF warning',
    'Cache NotificationTopicArn SPEC-REF warning',
  ]));
  expect(problems.find((p) => p.property === 'Portt')!.fix).toBe('write it as Port');
  expect(problems.filter((p) => p.logicalId === 'Cache' && p.rule === 'SPEC-REF' && p.severity === 'error').map((p) => p.property)).toEqual(['UserGroupIds[1]', 'UserGroupIds']);
  // User ids match whatever their case (ElastiCache stores them lower-case); only 'ghost' dangles.
  expect(problems.filter((p) => p.logicalId === 'Users' && p.rule === 'SPEC-REF').map((p) => p.property)).toEqual(['UserIds[1]']);
  expect(problems.find((p) => p.logicalId === 'Legacy')!.fix).toMatch(/declare a ReplicationGroup/);
  expect(problems.find((p) => p.property === 'SnapshotName')!.fix).toMatch(/exports of other stacks are not available locally/);
  for (const p of problems) {
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.fix.length).toBeGreaterThan(0);
  }
});

// The deploy runs the constructs' own rules: the same mistake made in construct props and in a
// hand-written template is reported under the same rule ids.
describe('same rules as the constructs', () => {
  const base = { ReplicationGroupDescription: 'd', Engine: 'valkey', EngineVersion: '8.1', CacheNodeType: 'cache.r7g.large', TransitEncryptionEnabled: true };
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['T8', { clusterMode: ClusterMode.ENABLED, automaticFailover: false, replicasPerShard: 1, multiAz: false }, { ClusterMode: 'enabled', AutomaticFailoverEnabled: false, ReplicasPerNodeGroup: 1, CacheParameterGroupName: 'default.valkey8.cluster.on' }],
    ['T1', { replicasPerShard: 6 }, { NumCacheClusters: 7, AutomaticFailoverEnabled: true, MultiAZEnabled: true }],
    ['H2', { replicasPerShard: 0, multiAz: true }, { NumCacheClusters: 1, AutomaticFailoverEnabled: true, MultiAZEnabled: true }],
    ['T2', { shards: 2 }, { ClusterMode: 'disabled', NumNodeGroups: 2, NumCacheClusters: 2, AutomaticFailoverEnabled: true }],
    ['N1', { replicationGroupId: '1cache--x-' }, { ReplicationGroupId: '1cache--x-', NumCacheClusters: 2, AutomaticFailoverEnabled: true }],
    ['B2', { preferredBackupWindow: '05:00-05:30' }, { SnapshotWindow: '05:00-05:30', SnapshotRetentionLimit: 1, NumCacheClusters: 2, AutomaticFailoverEnabled: true }],
    ['E2', { engine: Engine.valkey('8') }, { EngineVersion: '8', NumCacheClusters: 2, AutomaticFailoverEnabled: true }],
    ['D1', { nodeType: NodeType.R6GD_XLARGE, dataTiering: false }, { CacheNodeType: 'cache.r6gd.xlarge', NumCacheClusters: 2, AutomaticFailoverEnabled: true }],
  ];
  test.each(cases)('%s', (rule, props, cfn) => {
    const { stack, vpc } = stackWithVpc();
    const constructRules = [...errorOf(() => new ReplicationGroup(stack, 'Cache', { vpc, ...props })).matchAll(/\[rule ([A-Z0-9-]+):/g)].map((m) => m[1]);
    const spec = readTemplate({ Resources: { Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ...base, ...cfn } } } }, source, 'inline', 'us-east-1', '000000000000', { env: {} });
    const templateRules = validateSpec(spec).filter((p) => p.severity === 'error').map((p) => p.rule);
    expect(constructRules).toContain(rule);
    expect([...new Set(templateRules)].sort()).toEqual([...new Set(constructRules)].sort());
  });
});

test('a valid hand-written template with defaults left to the service', () => {
  const spec = readTemplate({
    Resources: { Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: 'minimal', CacheNodeType: 'cache.t4g.micro' } } },
  }, source, 'inline', 'us-east-1', '000000000000', { env: {} });
  expect(validateSpec(spec)).toEqual([]);
  expect(spec.replicationGroups[0]).toMatchObject({ engine: 'redis', engineVersion: '7.1', port: 6379, automaticFailover: false, multiAz: false, replicasPerNodeGroup: 0, transitEncryption: false, atRestEncryption: false, snapshotRetentionLimit: 0, generatedId: true });
});

test('dangling references and duplicate ids', () => {
  const spec = readTemplate({
    Resources: {
      A: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupId: 'same', ReplicationGroupDescription: 'a', CacheNodeType: 'cache.t4g.micro', CacheParameterGroupName: 'my-existing-params' } },
      B: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupId: 'Same', ReplicationGroupDescription: 'b', CacheNodeType: 'cache.t4g.micro', SecurityGroupIds: [{ 'Fn::GetAtt': ['Nope', 'GroupId'] }] } },
    },
  }, source, 'inline', 'us-east-1', '000000000000', { env: {} });
  const problems = validateSpec(spec).map((p) => [p.logicalId, p.property, p.rule]);
  expect(problems).toEqual([
    ['B', 'ReplicationGroupId', 'SPEC-DUPLICATE'],
    ['A', 'CacheParameterGroupName', 'SPEC-REF'],
  ]);
});
