import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ClusterMode, Engine, GlobalDatastore, NodeType, ReplicationGroup } from '../src';
import { errorOf } from './helpers/stack';

function regionStack(app: App, id: string, region: string): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(app, id, { env: { account: '111111111111', region }, crossRegionReferences: true });
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }) };
}

function primaryGroup(app: App, nodeType = NodeType.R7G_LARGE) {
  const { stack, vpc } = regionStack(app, 'Primary', 'us-east-1');
  const group = new ReplicationGroup(stack, 'Catalog', { vpc, replicationGroupId: 'catalog', nodeType, clusterMode: ClusterMode.ENABLED, shards: 2 });
  return { stack, group };
}

test('a Global Datastore of the primary, and a secondary in another region', () => {
  const app = new App();
  const { stack, group } = primaryGroup(app);
  const global = new GlobalDatastore(stack, 'Global', { primary: group, globalDatastoreIdSuffix: 'catalog', description: 'catalog everywhere' });
  const eu = regionStack(app, 'Eu', 'eu-west-1');
  const secondary = new ReplicationGroup(eu.stack, 'Catalog', { vpc: eu.vpc, replicationGroupId: 'catalog-eu', replicasPerShard: 2, globalDatastore: global });

  Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::GlobalReplicationGroup', {
    GlobalReplicationGroupIdSuffix: 'catalog',
    GlobalReplicationGroupDescription: 'catalog everywhere',
    Members: [{ ReplicationGroupId: { Ref: stack.getLogicalId(group.resource) }, ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY' }],
  });
  const rg: any = Object.values(Template.fromStack(eu.stack).findResources('AWS::ElastiCache::ReplicationGroup'))[0];
  expect(rg.Properties.GlobalReplicationGroupId).toBeDefined();
  for (const inherited of ['Engine', 'EngineVersion', 'CacheNodeType', 'CacheParameterGroupName', 'NumNodeGroups', 'TransitEncryptionEnabled', 'AtRestEncryptionEnabled']) {
    expect([inherited, rg.Properties[inherited]]).toEqual([inherited, undefined]);
  }
  expect(rg.Properties.ReplicasPerNodeGroup).toBe(2);
  // the secondary takes the primary's shape
  expect(secondary.engine).toBe(group.engine);
  expect(secondary.shards).toBe(2);
  expect(global.secondaryReplicationGroups).toEqual([secondary]);
  expect(stack.resolve(global.globalDatastoreId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(global.resource), 'GlobalReplicationGroupId'] });
});

test('replication lag: the worst secondary node, read in the secondary region', () => {
  const app = new App();
  const { stack, group } = primaryGroup(app);
  const global = new GlobalDatastore(stack, 'Global', { primary: group });
  const eu = regionStack(app, 'Eu', 'eu-west-1');
  new ReplicationGroup(eu.stack, 'Catalog', { vpc: eu.vpc, replicationGroupId: 'catalog-eu', globalDatastore: global });
  const lag = global.metricReplicationLag() as cloudwatch.MathExpression;
  expect(lag.expression).toBe('MAX([lag0,lag1,lag2,lag3])');
  const first = Object.values(lag.usingMetrics)[0] as cloudwatch.Metric;
  expect(first.metricName).toBe('GlobalDatastoreReplicationLag');
  expect(first.region).toBe('eu-west-1');
});

test('replication lag needs a secondary', () => {
  const app = new App();
  const { stack, group } = primaryGroup(app);
  const global = new GlobalDatastore(stack, 'Global', { primary: group });
  expect(() => global.metricReplicationLag()).toThrow(/has no secondary yet/);
});

test('G4: a secondary cannot set what it inherits', () => {
  const app = new App();
  const { stack, group } = primaryGroup(app);
  const global = new GlobalDatastore(stack, 'Global', { primary: group });
  const eu = regionStack(app, 'Eu', 'eu-west-1');
  const msg = errorOf(() => new ReplicationGroup(eu.stack, 'Catalog', { vpc: eu.vpc, globalDatastore: global, engine: Engine.VALKEY_8_1, nodeType: NodeType.R7G_XLARGE }));
  expect(msg).toMatch(/ReplicationGroup at 'Eu\/Catalog' is invalid/);
  expect(msg).toMatch(/engine: engine is set on a secondary member .*\[rule G4/);
  expect(msg).toMatch(/nodeType: nodeType is set on a secondary member/);
});

test('G1: at most two secondaries, each in its own region other than the primary', () => {
  const app = new App();
  const { stack, group } = primaryGroup(app);
  const global = new GlobalDatastore(stack, 'Global', { primary: group });
  for (const [id, region] of [['A', 'eu-west-1'], ['B', 'us-east-1'], ['C', 'eu-west-1']]) {
    const s = regionStack(app, id, region);
    new ReplicationGroup(s.stack, 'Catalog', { vpc: s.vpc, globalDatastore: global });
  }
  const msg = errorOf(() => app.synth());
  expect(msg).toMatch(/3 secondary replication groups joined .*\[rule G1: at most 2 secondary regions\]/);
  expect(msg).toMatch(/a secondary is in us-east-1, the primary's region/);
  expect(msg).toMatch(/two secondaries are in eu-west-1/);
});

test('G2: node types below large cannot be in a Global Datastore', () => {
  const app = new App();
  const { stack, group } = primaryGroup(app, NodeType.T4G_MEDIUM);
  const msg = errorOf(() => new GlobalDatastore(stack, 'Global', { primary: group }));
  expect(msg).toMatch(/GlobalDatastore at 'Primary\/Global' is invalid/);
  expect(msg).toMatch(/rule G2/);
});

test('N8: the id suffix', () => {
  const app = new App();
  const { stack, group } = primaryGroup(app);
  expect(errorOf(() => new GlobalDatastore(stack, 'Global', { primary: group, globalDatastoreIdSuffix: 'bad--suffix-' }))).toMatch(/globalDatastoreIdSuffix: .*\[rule N8/);
});
