import { CfnParameter, Duration, Errors, RemovalPolicy, SecretValue, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ClusterMode,
  Durability,
  Engine,
  IpDiscovery,
  LogDestination,
  LogFormat,
  NetworkType,
  NodeType,
  ParameterGroup,
  ReplicationGroup,
  RestoreSource,
  SubnetGroup,
  TransitEncryptionMode,
} from '../src';
import { REPLICATION_GROUP_RULE_CASES, RuleFace } from './helpers/replication-group-rule-cases';
import { errorOf, stackWithVpc } from './helpers/stack';

const RG = 'AWS::ElastiCache::ReplicationGroup';

describe('ReplicationGroup defaults', () => {
  test('cluster mode disabled: Valkey 8.1 on r7g.large, 1 replica, Multi-AZ, TLS, at-rest encryption, backups', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', { vpc });
    const t = Template.fromStack(stack);
    t.hasResourceProperties(RG, {
      Engine: 'valkey',
      EngineVersion: '8.1',
      CacheNodeType: 'cache.r7g.large',
      ClusterMode: 'disabled',
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      Port: 6379,
      CacheParameterGroupName: 'default.valkey8',
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      SnapshotRetentionLimit: 1,
      AutoMinorVersionUpgrade: true,
      ReplicationGroupDescription: 'Replication group TestStack/Cache',
      CacheSubnetGroupName: { Ref: Match.stringLikeRegexp('CacheSubnetGroup') },
      SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('CacheSecurityGroup'), 'GroupId'] }],
    });
    const props = t.findResources(RG);
    const rg = Object.values(props)[0] as any;
    expect(rg.Properties.NumNodeGroups).toBeUndefined();
    expect(rg.Properties.ReplicasPerNodeGroup).toBeUndefined();
    expect(rg.Properties.DataTieringEnabled).toBeUndefined();
    expect(rg.UpdatePolicy).toEqual({ UseOnlineResharding: true });
    expect(rg.DeletionPolicy).toBe('Snapshot');
    expect(rg.UpdateReplacePolicy).toBe('Snapshot');
  });

  test('a subnet group from the private subnets and a closed security group', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', { vpc });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
      SubnetIds: vpc.privateSubnets.map((s) => ({ Ref: Match.stringLikeRegexp(Stack.of(s).getLogicalId(s.node.defaultChild as ec2.CfnSubnet)) })),
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Replication group TestStack/Cache',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
  });

  test('cluster mode enabled: 3 shards x 1 replica, cluster.on parameter group, configuration endpoint', () => {
    const { stack, vpc } = stackWithVpc();
    const rg = new ReplicationGroup(stack, 'Cache', { vpc, clusterMode: ClusterMode.ENABLED });
    Template.fromStack(stack).hasResourceProperties(RG, {
      ClusterMode: 'enabled',
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 1,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      CacheParameterGroupName: 'default.valkey8.cluster.on',
      NumCacheClusters: Match.absent(),
    });
    expect(stack.resolve(rg.configurationEndpoint.hostname)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Cache/), 'ConfigurationEndPoint.Address'] });
    expect(rg.configurationEndpoint.port).toBe(6379);
    expect(() => rg.primaryEndpoint).toThrow(/primaryEndpoint of 'TestStack\/Cache' does not exist for this cluster mode; use configurationEndpoint/);
    expect(rg.memberClusterIds).toHaveLength(6);
  });

  test('no replicas: no Multi-AZ, no automatic failover', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', { vpc, replicasPerShard: 0 });
    Template.fromStack(stack).hasResourceProperties(RG, { NumCacheClusters: 1, MultiAZEnabled: false, AutomaticFailoverEnabled: false });
  });

  test('defaults follow what the node type supports (t2: failover only in cluster mode; t1.micro: no backups)', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'T2', { vpc, nodeType: NodeType.of('cache.t2.medium'), replicationGroupId: 't2' });
    new ReplicationGroup(stack, 'T1', { vpc, nodeType: NodeType.of('cache.t1.micro'), replicationGroupId: 't1' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties(RG, { ReplicationGroupId: 't2', MultiAZEnabled: false, AutomaticFailoverEnabled: false });
    t.hasResourceProperties(RG, { ReplicationGroupId: 't1', MultiAZEnabled: false, AutomaticFailoverEnabled: false, SnapshotRetentionLimit: 0 });
  });

  test('engine versions this library does not know are warnings', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Newer', { vpc, engine: Engine.valkey('10.0') });
    new ReplicationGroup(stack, 'Unknown', { vpc, engine: Engine.valkey('8.3') });
    const a = Annotations.fromStack(stack);
    a.hasWarning('/TestStack/Newer', Match.stringLikeRegexp('valkey 10.0 is newer than the versions this library knows'));
    a.hasWarning('/TestStack/Unknown', Match.stringLikeRegexp('valkey 8.3 is not a version ElastiCache offers'));
  });

  test('Redis OSS 6.2 gets the redis6.x family and no ClusterMode property', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', { vpc, engine: Engine.REDIS_6_2 });
    Template.fromStack(stack).hasResourceProperties(RG, {
      Engine: 'redis',
      EngineVersion: '6.2',
      CacheParameterGroupName: 'default.redis6.x',
      ClusterMode: Match.absent(),
    });
  });
});

describe('ReplicationGroup props', () => {
  test('every prop reaches the template', () => {
    const { stack, vpc } = stackWithVpc();
    const key = new kms.Key(stack, 'Key');
    const topic = new sns.Topic(stack, 'Topic');
    const slow = new logs.LogGroup(stack, 'Slow');
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    const pg = new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, parameters: { 'maxmemory-policy': 'allkeys-lru' } });
    new ReplicationGroup(stack, 'Cache', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [sg],
      engine: Engine.VALKEY_8_1,
      nodeType: NodeType.M7G_XLARGE,
      replicasPerShard: 2,
      preferredAvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      port: 6380,
      parameterGroup: pg,
      transitEncryptionMode: TransitEncryptionMode.PREFERRED,
      encryptionKey: key,
      authToken: SecretValue.unsafePlainText('a-very-long-token-1234'),
      backupRetention: Duration.days(7),
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'Sun:05:00-Sun:06:00',
      autoMinorVersionUpgrade: false,
      notificationTopic: topic,
      logDelivery: {
        slowLog: LogDestination.cloudWatchLogs(slow),
        engineLog: LogDestination.kinesisFirehose('engine-stream', LogFormat.TEXT),
      },
      networkType: NetworkType.DUAL_STACK,
      ipDiscovery: IpDiscovery.IPV6,
      replicationGroupId: 'My-Cache',
      description: 'sessions',
      finalSnapshotName: 'my-cache-final',
      snapshottingClusterId: 'my-cache-002',
    });
    const t = Template.fromStack(stack);
    t.hasResource(RG, { Metadata: { 'cdk-elasticache:FinalSnapshotName': 'my-cache-final' } });
    const expected: Record<string, unknown> = {
      ReplicationGroupId: 'my-cache',
      ReplicationGroupDescription: 'sessions',
      CacheNodeType: 'cache.m7g.xlarge',
      NumCacheClusters: 3,
      PreferredCacheClusterAZs: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      Port: 6380,
      CacheParameterGroupName: { Ref: Match.stringLikeRegexp('Params') },
      SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('Sg'), 'GroupId'] }],
      TransitEncryptionMode: 'preferred',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
      AuthToken: 'a-very-long-token-1234',
      SnapshotRetentionLimit: 7,
      SnapshotWindow: '03:00-04:00',
      SnapshottingClusterId: 'my-cache-002',
      PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      AutoMinorVersionUpgrade: false,
      NotificationTopicArn: { Ref: Match.stringLikeRegexp('Topic') },
      LogDeliveryConfigurations: [
        { LogType: 'slow-log', DestinationType: 'cloudwatch-logs', LogFormat: 'json', DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: Match.stringLikeRegexp('Slow') } } } },
        { LogType: 'engine-log', DestinationType: 'kinesis-firehose', LogFormat: 'text', DestinationDetails: { KinesisFirehoseDetails: { DeliveryStream: 'engine-stream' } } },
      ],
      NetworkType: 'dual_stack',
      IpDiscovery: 'ipv6',
    };
    for (const [name, value] of Object.entries(expected)) {
      // one property at a time, so a failure names the property
      expect([name, Object.keys(t.findResources(RG, { Properties: { [name]: value } })).length]).toEqual([name, 1]);
    }
    t.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: vpc.publicSubnets.map(() => Match.anyValue()) });
  });

  test('explicit node groups become NodeGroupConfiguration', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', {
      vpc,
      clusterMode: ClusterMode.ENABLED,
      nodeGroups: [
        { slots: '0-8191', primaryAvailabilityZone: 'us-east-1a', replicaAvailabilityZones: ['us-east-1b'], replicaCount: 1 },
        { nodeGroupId: '0002', slots: '8192-16383', replicaCount: 2 },
      ],
    });
    Template.fromStack(stack).hasResourceProperties(RG, {
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: Match.absent(),
      NodeGroupConfiguration: [
        { NodeGroupId: '0001', Slots: '0-8191', PrimaryAvailabilityZone: 'us-east-1a', ReplicaAvailabilityZones: ['us-east-1b'], ReplicaCount: 1 },
        { NodeGroupId: '0002', Slots: '8192-16383', ReplicaCount: 2 },
      ],
    });
  });

  test('data tiering follows an r6gd node type', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', { vpc, nodeType: NodeType.R6GD_XLARGE });
    Template.fromStack(stack).hasResourceProperties(RG, { DataTieringEnabled: true, CacheNodeType: 'cache.r6gd.xlarge' });
  });

  test('user group and durability', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', { vpc, engine: Engine.VALKEY_9_0, durability: Durability.SYNC });
    Template.fromStack(stack).hasResourceProperties(RG, { Durability: 'sync', CacheParameterGroupName: 'default.valkey9' });
  });

  test('restore from a snapshot or from RDB files in S3', () => {
    const { stack, vpc } = stackWithVpc();
    const bucket = s3.Bucket.fromBucketName(stack, 'Seed', 'seed-bucket');
    new ReplicationGroup(stack, 'A', { vpc, restoreFrom: RestoreSource.fromSnapshot('nightly-2026-11-01') });
    new ReplicationGroup(stack, 'B', { vpc, restoreFrom: RestoreSource.fromRdbFiles(bucket, ['dump.rdb']) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties(RG, { SnapshotName: 'nightly-2026-11-01' });
    t.hasResourceProperties(RG, { SnapshotArns: [{ 'Fn::Join': ['', Match.arrayWith([':s3:::seed-bucket/dump.rdb'])] }] });
  });

  test('tags reach the group, its subnet group and its security group', () => {
    const { stack, vpc } = stackWithVpc();
    const rg = new ReplicationGroup(stack, 'Cache', { vpc });
    Tags.of(rg).add('team', 'payments');
    const t = Template.fromStack(stack);
    t.hasResourceProperties(RG, { Tags: [{ Key: 'team', Value: 'payments' }] });
    t.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { Tags: [{ Key: 'team', Value: 'payments' }] });
  });

  test('an existing subnet group and a removal policy', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', { vpc, subnetGroup: SubnetGroup.fromSubnetGroupName(stack, 'Sn', 'shared-subnets'), removalPolicy: RemovalPolicy.RETAIN });
    const t = Template.fromStack(stack);
    t.hasResource(RG, { DeletionPolicy: 'Retain', Properties: Match.objectLike({ CacheSubnetGroupName: 'shared-subnets' }) });
    t.resourceCountIs('AWS::ElastiCache::SubnetGroup', 0);
  });
});

describe('ReplicationGroup surface', () => {
  test('endpoints, id and ARN', () => {
    const { stack, vpc } = stackWithVpc();
    const rg = new ReplicationGroup(stack, 'Cache', { vpc, replicationGroupId: 'sessions' });
    expect(stack.resolve(rg.replicationGroupId)).toEqual({ Ref: expect.stringMatching(/^Cache/) });
    expect(stack.resolve(rg.primaryEndpoint.hostname)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Cache/), 'PrimaryEndPoint.Address'] });
    expect(stack.resolve(rg.readerEndpoint.hostname)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Cache/), 'ReaderEndPoint.Address'] });
    expect(rg.primaryEndpoint.port).toBe(6379);
    expect(stack.resolve(rg.primaryEndpoint.socketAddress)).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'PrimaryEndPoint.Address'] }, ':6379']] });
    expect(stack.resolve(rg.replicationGroupArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:111111111111:replicationgroup:', { Ref: expect.any(String) }]] });
    expect(() => rg.configurationEndpoint).toThrow(/use primaryEndpoint \/ readerEndpoint/);
    expect(stack.resolve(rg.replicationGroupRef.replicationGroupId)).toEqual(stack.resolve(rg.replicationGroupId));
  });

  test('connections open the cache port', () => {
    const { stack, vpc } = stackWithVpc();
    const rg = new ReplicationGroup(stack, 'Cache', { vpc, port: 6390 });
    const client = new ec2.SecurityGroup(stack, 'Client', { vpc });
    rg.connections.allowDefaultPortFrom(client);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 6390, ToPort: 6390, IpProtocol: 'tcp' });
  });

  test('group metrics combine the member nodes', () => {
    const { stack, vpc } = stackWithVpc();
    const rg = new ReplicationGroup(stack, 'Cache', { vpc, replicationGroupId: 'sessions', replicasPerShard: 2 });
    const m = rg.metricEvictions() as cloudwatch.MathExpression;
    expect(m.expression).toBe('SUM([n0,n1,n2])');
    const nodes = Object.values(m.usingMetrics) as cloudwatch.Metric[];
    expect(nodes.map((n) => stack.resolve(n.dimensions!.CacheClusterId))).toEqual([0, 1, 2].map((i) => ({ 'Fn::Join': ['', [{ Ref: expect.any(String) }, `-00${i + 1}`]] })));
    expect(nodes[0].statistic).toBe('Sum');
    const cpu = rg.metricEngineCPUUtilization() as cloudwatch.MathExpression;
    expect(cpu.expression).toBe('AVG([n0,n1,n2])');
    const peak = rg.metric('EngineCPUUtilization', { statistic: 'Maximum' }) as cloudwatch.MathExpression;
    expect(peak.expression).toBe('MAX([n0,n1,n2])');
    // an alarm can be made from a group metric
    new cloudwatch.Alarm(stack, 'Evicting', { metric: m, threshold: 0, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Expression: 'SUM([n0,n1,n2])' })]) });
  });

  test('cluster-mode member ids and the SEARCH fallback for large groups', () => {
    const { stack, vpc } = stackWithVpc();
    const rg = new ReplicationGroup(stack, 'Cache', { vpc, replicationGroupId: 'big', clusterMode: ClusterMode.ENABLED, shards: 6, replicasPerShard: 1 });
    expect(rg.memberClusterIds.map((id) => stack.resolve(id)['Fn::Join'][1][1])).toEqual([
      '-0001-001', '-0001-002', '-0002-001', '-0002-002', '-0003-001', '-0003-002',
      '-0004-001', '-0004-002', '-0005-001', '-0005-002', '-0006-001', '-0006-002',
    ]);
    const m = rg.metricCurrConnections() as cloudwatch.MathExpression;
    expect(m.expression).toMatch(/^SUM\(SEARCH\('\{AWS\/ElastiCache,CacheClusterId\} MetricName="CurrConnections"/);
  });

  test('grantConnect gives elasticache:Connect on the group (and the user)', () => {
    const { stack, vpc } = stackWithVpc();
    const rg = new ReplicationGroup(stack, 'Cache', { vpc });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    rg.grantConnect(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'elasticache:Connect', Effect: 'Allow' })] },
    });
  });

  test('fromReplicationGroupAttributes', () => {
    const { stack } = stackWithVpc();
    const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-123');
    const rg = ReplicationGroup.fromReplicationGroupAttributes(stack, 'Imported', {
      replicationGroupId: 'legacy',
      securityGroups: [sg],
      primaryEndpointAddress: 'master.legacy.abc.use1.cache.amazonaws.com',
      replicasPerShard: 1,
    });
    expect(rg.primaryEndpoint.socketAddress).toBe('master.legacy.abc.use1.cache.amazonaws.com:6379');
    expect(rg.memberClusterIds).toEqual(['legacy-001', 'legacy-002']);
    expect(() => rg.readerEndpoint).toThrow(/imported without readerEndpointAddress/);
    expect(stack.resolve(rg.replicationGroupArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:111111111111:replicationgroup:legacy']] });
  });
});

describe('ReplicationGroup rules', () => {
  // The same cases run against the Terraform face (test/tf/rules.test.ts).
  test.each(REPLICATION_GROUP_RULE_CASES)('%s', (_name, props, expected) => {
    const { stack, vpc } = stackWithVpc();
    const face: RuleFace = {
      authToken: (value) => ({ authToken: SecretValue.unsafePlainText(value) }),
      backupRetentionDays: (days) => ({ backupRetention: Duration.days(days) }),
      kmsKey: () => ({ encryptionKey: new kms.Key(stack, 'K') }),
      parameterGroup: (p) => new ParameterGroup(stack, 'P', p),
    };
    const msg = errorOf(() => new ReplicationGroup(stack, 'Cache', { vpc, ...props(face) }));
    expect(msg).toMatch(/^ReplicationGroup at 'TestStack\/Cache' is invalid/);
    expect(msg).toMatch(expected);
  });

  test('errors are aws-cdk-lib ValidationErrors bound to the construct', () => {
    const { stack, vpc } = stackWithVpc();
    try {
      new ReplicationGroup(stack, 'Cache', { vpc, replicasPerShard: 6 });
      throw new Error('no error');
    } catch (e) {
      expect(Errors.isValidationError(e)).toBe(true);
    }
  });

  test('Multi-AZ without replicas reports H2 alone, not the failover rule too', () => {
    const { stack, vpc } = stackWithVpc();
    const msg = errorOf(() => new ReplicationGroup(stack, 'Cache', { vpc, replicasPerShard: 0, multiAz: true }));
    expect(msg).toMatch(/\(1 problem\)/);
  });

  test('every problem is listed at once', () => {
    const { stack, vpc } = stackWithVpc();
    const msg = errorOf(() => new ReplicationGroup(stack, 'Cache', { vpc, replicasPerShard: 6, transitEncryption: false, authToken: SecretValue.unsafePlainText('a-very-long-token-1234') }));
    expect(msg).toMatch(/\(2 problems\)/);
    expect(msg).toMatch(/rule T1/);
    expect(msg).toMatch(/rule S1/);
  });

  test('values hidden behind tokens are not checked', () => {
    const { stack, vpc } = stackWithVpc();
    const token = SecretValue.secretsManager('cache/token');
    const replicas = new CfnParameter(stack, 'Replicas', { type: 'Number' }).valueAsNumber;
    new ReplicationGroup(stack, 'Cache', { vpc, authToken: token, replicasPerShard: replicas });
    Template.fromStack(stack).hasResourceProperties(RG, { AuthToken: '{{resolve:secretsmanager:cache/token:SecretString:::}}' });
  });

  test('a quota above 90 nodes is a warning, not an error', () => {
    const { stack, vpc } = stackWithVpc();
    new ReplicationGroup(stack, 'Cache', { vpc, clusterMode: ClusterMode.ENABLED, shards: 50, replicasPerShard: 1 });
    Annotations.fromStack(stack).hasWarning('/TestStack/Cache', Match.stringLikeRegexp('100 nodes exceed the default quota of 90 .*rule T3'));
  });
});
