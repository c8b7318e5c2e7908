// Benchmark (not a test): how long synthesizing a 500-shard cluster-mode-enabled group takes with
// the L2 construct, against the bare L1 (CfnReplicationGroup) with the same shape measured in the
// same run, so the ratio shows what validation, defaults and metrics cost on this machine.
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnReplicationGroup } from 'aws-cdk-lib/aws-elasticache';
import { aliasPackageToLib } from '../scripts/package-alias';

aliasPackageToLib();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('cdk-elasticache') as typeof import('cdk-elasticache');

const SHARDS = 500;
const RUNS = 5;

function withL2(): number {
  const t0 = performance.now();
  const app = new App();
  const stack = new Stack(app, 'Bench', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0 });
  const group = new lib.ReplicationGroup(stack, 'Big', {
    vpc,
    replicationGroupId: 'big',
    clusterMode: lib.ClusterMode.ENABLED,
    shards: SHARDS,
    replicasPerShard: 0,
    nodeType: lib.NodeType.R7G_LARGE,
  });
  group.metricEngineCPUUtilization(); // a group metric over all 500 nodes
  app.synth();
  return performance.now() - t0;
}

function withL1(): number {
  const t0 = performance.now();
  const app = new App();
  const stack = new Stack(app, 'Bench', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0 });
  const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
  new CfnReplicationGroup(stack, 'Big', {
    replicationGroupId: 'big',
    replicationGroupDescription: 'bench',
    engine: 'valkey',
    engineVersion: '8.1',
    cacheNodeType: 'cache.r7g.large',
    numNodeGroups: SHARDS,
    replicasPerNodeGroup: 0,
    automaticFailoverEnabled: true,
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    securityGroupIds: [sg.securityGroupId],
  });
  app.synth();
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
withL2();
withL1(); // warm-up: module loading and JIT
const l2 = median(Array.from({ length: RUNS }, withL2));
const l1 = median(Array.from({ length: RUNS }, withL1));
console.log(`synth of a ${SHARDS}-shard group, median of ${RUNS}: cdk-elasticache ${l2.toFixed(0)} ms, bare L1 ${l1.toFixed(0)} ms, ratio ${(l2 / l1).toFixed(2)}`);
