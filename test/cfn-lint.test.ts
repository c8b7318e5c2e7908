import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AccessControl,
  ClusterMode,
  Durability,
  Engine,
  IamUser,
  LogDestination,
  NetworkType,
  NoPasswordUser,
  NodeType,
  ParameterGroup,
  PasswordUser,
  ReplicationGroup,
  RestoreSource,
  TransitEncryptionMode,
  UserEngine,
  UserGroup,
} from '../src';
import { cfnLint, cfnLintCommand } from './helpers/cfn-lint';

// Templates using every construct and most props, beyond the examples: CloudFormation's own
// schema (through cfn-lint) must accept each of them.
function kitchenSink(): Record<string, unknown> {
  const app = new App({ context: { 'availability-zones:account=111111111111:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'] } });
  const stack = new Stack(app, 'KitchenSink', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 1 });

  new ReplicationGroup(stack, 'Everything', {
    vpc,
    engine: Engine.VALKEY_8_1,
    nodeType: NodeType.M7G_XLARGE,
    replicasPerShard: 2,
    preferredAvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    port: 6380,
    parameterGroup: new ParameterGroup(stack, 'Params', {
      engine: Engine.VALKEY_8_1,
      parameters: { 'maxmemory-policy': 'allkeys-lru', 'timeout': '300', 'notify-keyspace-events': 'KEA', 'slowlog-log-slower-than': '5000' },
    }),
    transitEncryptionMode: TransitEncryptionMode.PREFERRED,
    encryptionKey: new kms.Key(stack, 'Key'),
    authToken: SecretValue.secretsManager('cache/token'),
    backupRetention: Duration.days(7),
    preferredBackupWindow: '03:00-04:00',
    preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
    notificationTopic: new sns.Topic(stack, 'Events'),
    logDelivery: { slowLog: LogDestination.cloudWatchLogs(new logs.LogGroup(stack, 'SlowLog')), engineLog: LogDestination.kinesisFirehose('engine-log-stream') },
    networkType: NetworkType.IPV4,
    replicationGroupId: 'everything',
    description: 'every prop',
    finalSnapshotName: 'everything-final',
    restoreFrom: RestoreSource.fromSnapshot('nightly'),
  });

  new ReplicationGroup(stack, 'Tiered', {
    vpc,
    nodeType: NodeType.R6GD_XLARGE,
    clusterMode: ClusterMode.ENABLED,
    nodeGroups: [
      { slots: '0-8191', primaryAvailabilityZone: 'us-east-1a', replicaAvailabilityZones: ['us-east-1b'] },
      { slots: '8192-16383', primaryAvailabilityZone: 'us-east-1b', replicaAvailabilityZones: ['us-east-1c', 'us-east-1a'], replicaCount: 2 },
    ],
    restoreFrom: RestoreSource.fromRdbFiles(new s3.Bucket(stack, 'Seed'), ['shard-1.rdb', 'shard-2.rdb']),
  });

  const valkeyUsers = new UserGroup(stack, 'ValkeyUsers', {
    engine: UserEngine.VALKEY,
    users: [
      new PasswordUser(stack, 'App', { userId: 'app', accessControl: AccessControl.readWrite('app:*') }),
      new IamUser(stack, 'Reader', { userId: 'reader', accessControl: AccessControl.readOnly() }),
    ],
  });
  new ReplicationGroup(stack, 'Durable', { vpc, engine: Engine.VALKEY_9_0, durability: Durability.SYNC, userGroup: valkeyUsers });

  const redisUsers = new UserGroup(stack, 'RedisUsers', {
    engine: UserEngine.REDIS,
    users: [new NoPasswordUser(stack, 'Default', { userId: 'redis-default', userName: 'default', engine: UserEngine.REDIS, accessControl: AccessControl.fromAccessString('on ~* +@read') })],
  });
  new ReplicationGroup(stack, 'Redis', { vpc, engine: Engine.REDIS_7_1, clusterMode: ClusterMode.ENABLED, shards: 2, replicasPerShard: 0, userGroup: redisUsers });

  return { KitchenSink: app.synth().getStackByName('KitchenSink').template };
}

const lint = cfnLintCommand();
if (!lint) {
  // eslint-disable-next-line no-console
  console.log('SKIPPED cfn-lint checks: cfn-lint is not installed on this machine');
}
(lint ? test : test.skip)('cfn-lint accepts templates using every construct', () => {
  // Durability is newer than the resource schemas cfn-lint 1.51 bundles (aws-cdk-lib 2.276's spec has it).
  expect(cfnLint(kitchenSink(), /E3002:Additional properties are not allowed \('Durability' was unexpected\)/)).toBe('');
});
