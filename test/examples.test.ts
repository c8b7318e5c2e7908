import { Template } from 'aws-cdk-lib/assertions';
import { cfnLint, cfnLintCommand } from './helpers/cfn-lint';
import { buildApp } from '../examples/typescript/app';

// The README's three shapes, synthesized as the example app: full-template snapshots catch any
// unintended change, cfn-lint checks CloudFormation would accept them.
const assembly = buildApp().synth();
const templates = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));

test.each(Object.keys(templates))('%s template snapshot', (name) => {
  expect(templates[name]).toMatchSnapshot();
});

test('cluster mode disabled example: 1 primary + 2 replicas, Multi-AZ', () => {
  Template.fromJSON(templates.SessionStore).hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
    NumCacheClusters: 3,
    MultiAZEnabled: true,
    AutomaticFailoverEnabled: true,
  });
});

test('cluster mode enabled example: 3 shards x 1 replica, TLS, RBAC, custom cluster parameter group', () => {
  const t = Template.fromJSON(templates.Leaderboard);
  t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
    NumNodeGroups: 3,
    ReplicasPerNodeGroup: 1,
    TransitEncryptionEnabled: true,
    UserGroupIds: [{ Ref: Object.keys(t.findResources('AWS::ElastiCache::UserGroup'))[0] }],
  });
  t.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
    CacheParameterGroupFamily: 'valkey8',
    Properties: { 'cluster-enabled': 'yes', 'maxmemory-policy': 'allkeys-lru', 'notify-keyspace-events': 'Ex' },
  });
  t.resourceCountIs('AWS::ElastiCache::User', 2);
});

test('global datastore example: primary in us-east-1, secondary in eu-west-1', () => {
  const primary = Template.fromJSON(templates.GlobalPrimary);
  primary.hasResourceProperties('AWS::ElastiCache::GlobalReplicationGroup', {
    GlobalReplicationGroupIdSuffix: 'catalog',
    Members: [{ ReplicationGroupId: { Ref: Object.keys(primary.findResources('AWS::ElastiCache::ReplicationGroup'))[0] }, ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY' }],
  });
  const secondary = Template.fromJSON(templates.GlobalSecondary);
  const rg: any = Object.values(secondary.findResources('AWS::ElastiCache::ReplicationGroup'))[0];
  expect(rg.Properties.GlobalReplicationGroupId).toBeDefined();
  expect(rg.Properties.Engine).toBeUndefined();
  expect(rg.Properties.CacheNodeType).toBeUndefined();
  expect(rg.Properties.ReplicasPerNodeGroup).toBe(1);
});

const lint = cfnLintCommand();
if (!lint) {
  // eslint-disable-next-line no-console
  console.log('SKIPPED cfn-lint checks: cfn-lint is not installed on this machine');
}
(lint ? test : test.skip)('cfn-lint accepts every example template', () => {
  expect(cfnLint(templates)).toBe('');
});
