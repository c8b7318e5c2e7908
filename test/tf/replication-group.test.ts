import { TerraformOutput } from 'cdktn';
import { onlyResource, resourcesOf, synthJson, tfStack } from './helpers';
import { AccessControl, ClusterMode, Durability, Engine, IpDiscovery, LogFormat, NetworkType, NodeType, RestoreSource, tf, TransitEncryptionMode } from '../../src';

const RG = 'aws_elasticache_replication_group';

describe('defaults, as the CloudFormation face has them', () => {
  test('cluster mode disabled: Valkey 8.1 on r7g.large, 1 replica, Multi-AZ, TLS, at-rest encryption, backups', () => {
    const { stack } = tfStack();
    new tf.ReplicationGroup(stack, 'Cache');
    expect(onlyResource(synthJson(stack), RG)).toEqual({
      replication_group_id: expect.stringMatching(/^teststack-cache-[0-9a-f]{8}$/),
      description: 'Replication group TestStack/Cache',
      engine: 'valkey',
      engine_version: '8.1',
      node_type: 'cache.r7g.large',
      cluster_mode: 'disabled',
      parameter_group_name: 'default.valkey8',
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      port: 6379,
      transit_encryption_enabled: true,
      at_rest_encryption_enabled: true,
      snapshot_retention_limit: 1,
      auto_minor_version_upgrade: true,
    });
  });

  test('no replicas: no Multi-AZ, no failover; t1.micro: no backups; Redis OSS 6.2: no cluster_mode argument', () => {
    const { stack } = tfStack();
    new tf.ReplicationGroup(stack, 'A', { replicationGroupId: 'a', replicasPerShard: 0 });
    new tf.ReplicationGroup(stack, 'B', { replicationGroupId: 'b', nodeType: NodeType.of('cache.t1.micro') });
    new tf.ReplicationGroup(stack, 'C', { replicationGroupId: 'c', engine: Engine.REDIS_6_2 });
    const rgs = Object.values(resourcesOf(synthJson(stack), RG));
    const byId = Object.fromEntries(rgs.map((r: any) => [r.replication_group_id, r]));
    expect(byId.a).toMatchObject({ num_cache_clusters: 1, multi_az_enabled: false, automatic_failover_enabled: false });
    expect(byId.b).toMatchObject({ multi_az_enabled: false, automatic_failover_enabled: false, snapshot_retention_limit: 0 });
    expect(byId.c).toMatchObject({ engine: 'redis', engine_version: '6.2', parameter_group_name: 'default.redis6.x' });
    expect(byId.c.cluster_mode).toBeUndefined();
  });

  test('generated names stay valid and unique for long, odd construct paths', () => {
    const { stack } = tfStack('9-Stack_With.A.Long.Name.That.Goes.On.And.On');
    new tf.ReplicationGroup(stack, '--Cache--Of--Doom--With--A--Long--Id--');
    new tf.ReplicationGroup(stack, '--Cache--Of--Doom--With--A--Long--Id--2');
    const ids = Object.values(resourcesOf(synthJson(stack), RG)).map((r: any) => r.replication_group_id);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(40);
      expect(id).toMatch(/^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/);
    }
  });
});

describe('every prop reaches Terraform under the provider argument name', () => {
  test('cluster mode disabled with every option', () => {
    const { stack } = tfStack();
    const pg = new tf.ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, parameterGroupName: 'tuned', parameters: { 'maxmemory-policy': 'allkeys-lru' } });
    new tf.ReplicationGroup(stack, 'Cache', {
      subnetIds: ['subnet-1', 'subnet-2'],
      securityGroupIds: ['sg-1'],
      engine: Engine.VALKEY_8_1,
      nodeType: NodeType.M7G_XLARGE,
      replicasPerShard: 2,
      preferredAvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      port: 6380,
      parameterGroup: pg,
      transitEncryptionMode: TransitEncryptionMode.PREFERRED,
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k',
      authToken: 'a-very-long-token-1234',
      backupRetentionDays: 7,
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'Sun:05:00-Sun:06:00',
      autoMinorVersionUpgrade: false,
      notificationTopicArn: 'arn:aws:sns:us-east-1:111111111111:events',
      logDelivery: {
        slowLog: tf.LogDestination.cloudWatchLogs('/cache/slow'),
        engineLog: tf.LogDestination.kinesisFirehose('engine-stream', LogFormat.TEXT),
      },
      networkType: NetworkType.DUAL_STACK,
      ipDiscovery: IpDiscovery.IPV6,
      replicationGroupId: 'My-Cache',
      description: 'sessions',
      finalSnapshotName: 'My-Cache-Final',
      restoreFrom: RestoreSource.fromSnapshot('nightly-2026-11-01'),
      region: 'us-east-1',
      tags: { team: 'payments' },
    });
    const json = synthJson(stack);
    const pgId = Object.keys(resourcesOf(json, 'aws_elasticache_parameter_group'))[0];
    const snId = Object.keys(resourcesOf(json, 'aws_elasticache_subnet_group'))[0];
    expect(onlyResource(json, RG)).toEqual({
      replication_group_id: 'my-cache',
      description: 'sessions',
      engine: 'valkey',
      engine_version: '8.1',
      node_type: 'cache.m7g.xlarge',
      cluster_mode: 'disabled',
      parameter_group_name: `\${aws_elasticache_parameter_group.${pgId}.name}`,
      num_cache_clusters: 3,
      preferred_cache_cluster_azs: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      port: 6380,
      subnet_group_name: `\${aws_elasticache_subnet_group.${snId}.name}`,
      security_group_ids: ['sg-1'],
      transit_encryption_enabled: true,
      transit_encryption_mode: 'preferred',
      at_rest_encryption_enabled: true,
      kms_key_id: 'arn:aws:kms:us-east-1:111111111111:key/k',
      auth_token: 'a-very-long-token-1234',
      snapshot_retention_limit: 7,
      snapshot_window: '03:00-04:00',
      snapshot_name: 'nightly-2026-11-01',
      final_snapshot_identifier: 'my-cache-final',
      maintenance_window: 'sun:05:00-sun:06:00',
      auto_minor_version_upgrade: false,
      notification_topic_arn: 'arn:aws:sns:us-east-1:111111111111:events',
      log_delivery_configuration: [
        { log_type: 'slow-log', destination_type: 'cloudwatch-logs', destination: '/cache/slow', log_format: 'json' },
        { log_type: 'engine-log', destination_type: 'kinesis-firehose', destination: 'engine-stream', log_format: 'text' },
      ],
      network_type: 'dual_stack',
      ip_discovery: 'ipv6',
      region: 'us-east-1',
      tags: { team: 'payments' },
    });
    expect(onlyResource(json, 'aws_elasticache_subnet_group')).toMatchObject({ subnet_ids: ['subnet-1', 'subnet-2'], region: 'us-east-1', tags: { team: 'payments' } });
  });

  test('cluster mode enabled: explicit node groups, data tiering, durability, RDB seeding, a user group', () => {
    const { stack } = tfStack();
    const user = new tf.IamUser(stack, 'Worker', { userId: 'worker', accessControl: AccessControl.fullAccessExceptDangerous('jobs:*') });
    const users = new tf.UserGroup(stack, 'Users', { userGroupId: 'jobs', users: [user] });
    new tf.ReplicationGroup(stack, 'Cache', {
      replicationGroupId: 'jobs',
      engine: Engine.VALKEY_9_0,
      nodeType: NodeType.R6GD_XLARGE,
      clusterMode: ClusterMode.ENABLED,
      durability: Durability.SYNC,
      userGroup: users,
      restoreFrom: RestoreSource.fromRdbFileArns(['arn:aws:s3:::seed/a.rdb', 'arn:aws:s3:::seed/b.rdb']),
      nodeGroups: [
        { slots: '0-8191', primaryAvailabilityZone: 'us-east-1a', replicaAvailabilityZones: ['us-east-1b'], replicaCount: 1 },
        { nodeGroupId: '0002', slots: '8192-16383', replicaCount: 2 },
      ],
    });
    const json = synthJson(stack);
    const rg = onlyResource(json, RG);
    expect(rg).toMatchObject({
      cluster_mode: 'enabled',
      num_node_groups: 2,
      node_group_configuration: [
        { node_group_id: '0001', slots: '0-8191', primary_availability_zone: 'us-east-1a', replica_availability_zones: ['us-east-1b'], replica_count: 1 },
        { node_group_id: '0002', slots: '8192-16383', replica_count: 2 },
      ],
      data_tiering_enabled: true,
      durability: 'sync',
      parameter_group_name: 'default.valkey9.cluster.on',
      snapshot_arns: ['arn:aws:s3:::seed/a.rdb', 'arn:aws:s3:::seed/b.rdb'],
      user_group_ids: [`\${aws_elasticache_user_group.${Object.keys(resourcesOf(json, 'aws_elasticache_user_group'))[0]}.user_group_id}`],
    });
    expect(rg.replicas_per_node_group).toBeUndefined();
    expect(rg.num_cache_clusters).toBeUndefined();
    expect(onlyResource(json, 'aws_elasticache_user')).toEqual({
      user_id: 'worker', user_name: 'worker', engine: 'valkey', access_string: 'on ~jobs:* &* +@all -@admin -@dangerous', authentication_mode: { type: 'iam' },
    });
  });

  test('no-password users say so twice, as the provider and the API take it', () => {
    const { stack } = tfStack();
    new tf.NoPasswordUser(stack, 'Public', { userId: 'public', userName: 'default', accessControl: AccessControl.readOnly('public:*') });
    expect(onlyResource(synthJson(stack), 'aws_elasticache_user')).toEqual({
      user_id: 'public', user_name: 'default', engine: 'redis', access_string: 'on ~public:* -@all +@read', authentication_mode: { type: 'no-password-required' }, no_password_required: true,
    });
  });

  test('parameters added later and an imported default group', () => {
    const { stack } = tfStack();
    const pg = new tf.ParameterGroup(stack, 'Params', { family: 'redis7', parameterGroupName: 'later' });
    pg.addParameter('timeout', '300');
    expect(pg.parameterValue('timeout')).toBe('300');
    expect(pg.parameterValue('maxmemory-policy')).toBe('volatile-lru');
    const imported = tf.ParameterGroup.fromParameterGroupName(stack, 'Default', 'default.valkey8.cluster.on');
    expect([imported.family, imported.clusterEnabled]).toEqual(['valkey8', true]);
    new tf.ReplicationGroup(stack, 'Cache', { clusterMode: ClusterMode.ENABLED, parameterGroup: imported });
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_elasticache_parameter_group')).toEqual({
      name: 'later', family: 'redis7', description: 'Parameters for redis7, cluster mode disabled', parameter: [{ name: 'timeout', value: '300' }],
    });
    expect(onlyResource(json, RG).parameter_group_name).toBe('default.valkey8.cluster.on');
  });
});

describe('attributes are Terraform references', () => {
  test('endpoints, id, ARN; member ids computed from the id', () => {
    const { stack } = tfStack();
    const rg = new tf.ReplicationGroup(stack, 'Cache', { replicationGroupId: 'sessions', replicasPerShard: 2 });
    new TerraformOutput(stack, 'primary', { value: rg.primaryEndpoint.socketAddress });
    new TerraformOutput(stack, 'reader', { value: rg.readerEndpoint.hostname });
    new TerraformOutput(stack, 'id', { value: rg.replicationGroupId });
    new TerraformOutput(stack, 'arn', { value: rg.replicationGroupArn });
    const json = synthJson(stack);
    const logicalId = Object.keys(resourcesOf(json, RG))[0];
    expect(json.output).toEqual({
      primary: { value: `\${${RG}.${logicalId}.primary_endpoint_address}:6379` },
      reader: { value: `\${${RG}.${logicalId}.reader_endpoint_address}` },
      id: { value: `\${${RG}.${logicalId}.replication_group_id}` },
      arn: { value: `\${${RG}.${logicalId}.arn}` },
    });
    expect(rg.memberClusterIds).toEqual(['sessions-001', 'sessions-002', 'sessions-003']);
    expect(() => rg.configurationEndpoint).toThrow(/configurationEndpoint of 'TestStack\/Cache' does not exist for this cluster mode; use primaryEndpoint \/ readerEndpoint/);
  });

  test('cluster mode enabled: the configuration endpoint only', () => {
    const { stack } = tfStack();
    const rg = new tf.ReplicationGroup(stack, 'Cache', { replicationGroupId: 'big', clusterMode: ClusterMode.ENABLED, shards: 2, port: 7000 });
    new TerraformOutput(stack, 'config', { value: rg.configurationEndpoint.socketAddress });
    const json = synthJson(stack);
    expect(json.output.config.value).toBe(`\${${RG}.${Object.keys(resourcesOf(json, RG))[0]}.configuration_endpoint_address}:7000`);
    expect(rg.memberClusterIds).toEqual(['big-0001-001', 'big-0001-002', 'big-0002-001', 'big-0002-002']);
    expect(() => rg.primaryEndpoint).toThrow(/use configurationEndpoint/);
  });
});
