import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSpec, SpecError, validateSpec } from '../../engine/control/spec';
import { readTerraformConfig } from '../../engine/control/spec/terraform/read';
import { buildApp as buildTerraformApp } from '../../examples/terraform/main';
import { buildApp as buildCdkApp } from '../../examples/typescript/app';

// Terraform JSON read into the deployment model: the Terraform example as CDK Terrain writes it,
// and a hand-written configuration with what people write (variables, locals, count, for_each,
// data sources, random passwords, associations).
let tfOut: string;
let cdkOut: string;
const PASSWORDS = { TF_VAR_default_password: 'default-password-0123456789', TF_VAR_app_password: 'app-password-0123456789' };

beforeAll(() => {
  tfOut = fs.mkdtempSync(path.join(os.tmpdir(), 'tfspec-tf-'));
  cdkOut = fs.mkdtempSync(path.join(os.tmpdir(), 'tfspec-cdk-'));
  buildTerraformApp(tfOut).synth();
  buildCdkApp(cdkOut).synth();
});
afterAll(() => {
  fs.rmSync(tfOut, { recursive: true, force: true });
  fs.rmSync(cdkOut, { recursive: true, force: true });
});

test('a cdktf.out folder: stacks chosen like cdk.out stacks', () => {
  expect(() => readSpec(tfOut, { env: {} })).toThrow(SpecError);
  expect(() => readSpec(tfOut, { env: {} })).toThrow(/has 4 stacks; choose one with --stack NAME:\n(.|\n)*leaderboard: 5 ElastiCache resource types/);
  expect(() => readSpec(tfOut, { stackName: 'nope', env: {} })).toThrow(/has no stack 'nope'/);
  const spec = readSpec(tfOut, { stackName: 'quick-start', env: {} });
  expect(spec.source).toEqual({ kind: 'terraform-json', path: tfOut, templatePath: path.join(tfOut, 'stacks', 'quick-start', 'cdk.tf.json') });
  expect(spec.region).toBe('us-east-1'); // from the provider block
  expect(validateSpec(spec)).toEqual([]);
  expect(spec.replicationGroups[0]).toMatchObject({ clusterMode: 'enabled', numNodeGroups: 3, replicasPerNodeGroup: 1, parameterGroupName: 'default.valkey8.cluster.on' });
  const endpoint = { deferred: true, logicalId: expect.stringMatching(/^aws_elasticache_replication_group\.Cache_/), resourceId: spec.replicationGroups[0].replicationGroupId, attribute: 'ConfigurationEndPoint.Address' };
  expect(spec.outputs).toEqual([{ name: 'endpoint', value: { deferredParts: [endpoint, ':6379'] } }]);
});

test('the same shape reads to the same model from CloudFormation and from Terraform', () => {
  const tf = readSpec(path.join(tfOut, 'stacks', 'leaderboard', 'cdk.tf.json'), { env: PASSWORDS });
  const cfn = readSpec(cdkOut, { stackName: 'Leaderboard', env: {}, secrets: { 'leaderboard/default-password': PASSWORDS.TF_VAR_default_password, 'leaderboard/app-password': PASSWORDS.TF_VAR_app_password } });
  expect(validateSpec(tf)).toEqual([]);
  expect(validateSpec(cfn)).toEqual([]);
  const shape = (s: typeof tf) => {
    // Names (generated differently) and the final snapshot (a CloudFormation removal policy) aside.
    const omit = ['origin', 'availabilityZones', 'subnetGroupName', 'parameterGroupName', 'securityGroupIds', 'finalSnapshotName', 'useOnlineResharding', 'generatedId', 'tags', 'userGroupIds', 'description', 'deletionPolicy', 'updateReplacePolicy'];
    return Object.fromEntries(Object.entries(s.replicationGroups[0]).filter(([k]) => !omit.includes(k)));
  };
  expect(shape(tf)).toEqual(shape(cfn));
  expect(tf.replicationGroups[0].description.toLowerCase()).toBe(cfn.replicationGroups[0].description.toLowerCase()); // the stacks' names differ in case
  expect(tf.parameterGroups.map((g) => [g.family, g.parameters])).toEqual(cfn.parameterGroups.map((g) => [g.family, g.parameters]));
  const users = (s: typeof tf) => s.users.map(({ origin, tags, ...u }) => u).sort((a, b) => a.userId.localeCompare(b.userId));
  expect(users(tf)).toEqual(users(cfn));
  expect(tf.userGroups.map((g) => [g.userGroupId, g.engine, g.userIds])).toEqual([['leaderboard-users', 'valkey', ['leaderboard-default', 'leaderboard-app']]]);
  expect(tf.replicationGroups[0]).toMatchObject({ parameterGroupName: 'leaderboard-params', userGroupIds: ['leaderboard-users'], origin: { type: 'aws_elasticache_replication_group', constructPath: 'leaderboard/Leaderboard/Resource' } });
});

test('a sensitive variable without a value is a problem that says how to pass it', () => {
  const spec = readSpec(path.join(tfOut, 'stacks', 'leaderboard', 'cdk.tf.json'), { env: {} });
  const problems = validateSpec(spec).filter((p) => p.severity === 'error');
  expect(problems).toEqual(expect.arrayContaining([
    expect.objectContaining({ logicalId: expect.stringMatching(/^aws_elasticache_user\.App_/), property: 'authentication_mode', rule: 'SPEC-PARAMETER', fix: 'set it: TF_VAR_app_password=... or --parameters app_password=...' }),
  ]));
});

test('Global Datastore: primary and secondary members with their regions', () => {
  const spec = readSpec(tfOut, { stackName: 'global-catalog', env: {} });
  // Both regions deploy locally (the secondary joins the datastore at deploy time).
  expect(validateSpec(spec).map((p) => `${p.severity} ${p.property} ${p.rule}`)).toEqual(['warning subnet_group_name SPEC-REF']);
  expect(spec.globalDatastores).toEqual([expect.objectContaining({
    globalReplicationGroupIdSuffix: 'catalog',
    members: [
      { replicationGroupId: 'catalog-use1', region: 'us-east-1', role: 'PRIMARY' },
      { replicationGroupId: 'catalog-euw1', region: 'eu-west-1', role: 'SECONDARY' },
    ],
  })]);
  expect(spec.replicationGroups.find((g) => g.replicationGroupId === 'catalog-euw1')?.globalReplicationGroupId).toBe('local-catalog');
});

/** A configuration as a person writes it, not a synthesizer. */
function handWritten(): Record<string, any> {
  return {
    provider: { aws: [{ region: '${var.region}' }, { alias: 'west', region: 'us-west-2' }] },
    variable: {
      region: { type: 'string', default: 'eu-central-1' },
      shards: { type: 'number', default: 2 },
      teams: { type: 'list(string)', default: ['red', 'blue'] },
    },
    locals: { prefix: 'shop', node_type: 'cache.m7g.large', name: '${local.prefix}-cache' },
    data: { aws_availability_zones: { available: { state: 'available' } }, aws_region: { current: {} } },
    resource: {
      aws_subnet: {
        a: { vpc_id: 'vpc-1', cidr_block: '10.0.1.0/24', availability_zone: '${data.aws_availability_zones.available.names[0]}' },
        b: { vpc_id: 'vpc-1', cidr_block: '10.0.2.0/24', availability_zone: '${data.aws_availability_zones.available.names[1]}' },
      },
      random_password: { auth: { length: 32, special: true, override_special: '!&#$^<>-' } },
      aws_elasticache_subnet_group: { main: { name: '${local.prefix}-subnets', subnet_ids: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'] } },
      aws_elasticache_parameter_group: { tuned: { name: '${local.prefix}-params', family: 'redis7', parameter: [{ name: 'cluster-enabled', value: 'yes' }, { name: 'maxmemory-policy', value: 'allkeys-lfu' }] } },
      aws_elasticache_replication_group: {
        main: {
          replication_group_id: '${local.name}',
          description: 'shop cache in ${data.aws_region.current.name}',
          engine: 'redis',
          engine_version: '7.1',
          node_type: '${local.node_type}',
          parameter_group_name: '${aws_elasticache_parameter_group.tuned.name}',
          subnet_group_name: '${aws_elasticache_subnet_group.main.name}',
          cluster_mode: { num_node_groups: '${var.shards}', replicas_per_node_group: 1 },
          automatic_failover_enabled: true,
          transit_encryption_enabled: true,
          auth_token: '${random_password.auth.result}',
          final_snapshot_identifier: 'shop-final',
          tags: { team: 'shop' },
        },
        per_team: {
          for_each: '${toset(var.teams)}',
          replication_group_id: 'team-${each.key}',
          description: 'cache of ${each.value}',
          node_type: 'cache.t4g.small',
          num_cache_clusters: 1,
        },
        numbered: {
          count: 2,
          provider: 'aws.west',
          replication_group_id: 'numbered-${count.index}',
          description: 'numbered ${count.index}',
          node_type: 'cache.t4g.small',
          engine: 'valkey',
          engine_version: '8.1',
        },
      },
      aws_elasticache_user: {
        app: { user_id: 'app', user_name: 'app', engine: 'redis', access_string: 'on ~* +@all', passwords: ['${random_password.auth.result}'] },
        default: { user_id: 'shop-default', user_name: 'default', engine: 'redis', access_string: 'off -@all', authentication_mode: { type: 'no-password-required' } },
      },
      aws_elasticache_user_group: { users: { user_group_id: 'shop-users', engine: 'redis', user_ids: ['${aws_elasticache_user.default.user_id}'] } },
      aws_elasticache_user_group_association: { app: { user_group_id: '${aws_elasticache_user_group.users.user_group_id}', user_id: '${aws_elasticache_user.app.user_id}' } },
    },
    output: {
      endpoint: { value: 'rediss://${aws_elasticache_replication_group.main.configuration_endpoint_address}:${aws_elasticache_replication_group.main.port}' },
      ids: { value: '${aws_elasticache_replication_group.numbered[*].id}' },
      unknown: { value: '${data.aws_vpc.main.id}' },
    },
  };
}

const SOURCE = { kind: 'terraform-json' as const, path: 'main.tf.json', templatePath: 'main.tf.json' };

test('what people write: variables, locals, data sources, count, for_each, random passwords, associations', () => {
  const spec = readTerraformConfig(handWritten(), SOURCE, 'shop', { env: {} });
  expect(validateSpec(spec).filter((p) => p.severity === 'error')).toEqual([]);
  expect(spec.region).toBe('eu-central-1');
  const byId = Object.fromEntries(spec.replicationGroups.map((g) => [g.replicationGroupId, g]));
  expect(Object.keys(byId).sort()).toEqual(['numbered-0', 'numbered-1', 'shop-cache', 'team-blue', 'team-red']);
  const main = byId['shop-cache'];
  expect(main).toMatchObject({
    description: 'shop cache in eu-central-1',
    engine: 'redis',
    nodeType: 'cache.m7g.large',
    clusterMode: 'enabled',
    numNodeGroups: 2,
    replicasPerNodeGroup: 1,
    nodeGroups: [{ nodeGroupId: '0001', slots: '0-8191', replicaCount: 1 }, { nodeGroupId: '0002', slots: '8192-16383', replicaCount: 1 }],
    parameterGroupName: 'shop-params',
    subnetGroupName: 'shop-subnets',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    transitEncryption: true,
    atRestEncryption: false,
    finalSnapshotName: 'shop-final',
    deletionPolicy: 'Snapshot',
    tags: { team: 'shop' },
    origin: { logicalId: 'aws_elasticache_replication_group.main', type: 'aws_elasticache_replication_group' },
  });
  // random_password: generated once, kept by the control plane and given back on the next read.
  expect(main.authToken).toMatch(/^[A-Za-z0-9!&#$^<>-]{32}$/);
  expect(spec.generatedSecrets['random_password.auth']).toBe(main.authToken);
  expect(spec.users.find((u) => u.userId === 'app')?.passwords).toEqual([main.authToken]);
  const again = readTerraformConfig(handWritten(), SOURCE, 'shop', { env: {}, generatedSecrets: spec.generatedSecrets });
  expect(again.replicationGroups.find((g) => g.replicationGroupId === 'shop-cache')?.authToken).toBe(main.authToken);

  expect(byId['team-red']).toMatchObject({ description: 'cache of red', origin: { logicalId: 'aws_elasticache_replication_group.per_team["red"]' }, numNodeGroups: 1, replicasPerNodeGroup: 0 });
  expect(byId['numbered-1']).toMatchObject({ engine: 'valkey', atRestEncryption: true, deletionPolicy: 'Delete', origin: { logicalId: 'aws_elasticache_replication_group.numbered[1]' } });
  expect(spec.userGroups).toEqual([expect.objectContaining({ userGroupId: 'shop-users', userIds: ['shop-default', 'app'] })]);
  expect(spec.users.find((u) => u.userId === 'shop-default')?.authenticationType).toBe('no-password-required');
  expect(spec.parameterGroups[0]).toMatchObject({ name: 'shop-params', family: 'redis7', description: 'Managed by Terraform', parameters: { 'cluster-enabled': 'yes', 'maxmemory-policy': 'allkeys-lfu' } });

  expect(spec.outputs).toEqual([
    { name: 'endpoint', value: { deferredParts: ['rediss://', { deferred: true, logicalId: 'aws_elasticache_replication_group.main', resourceId: 'shop-cache', attribute: 'ConfigurationEndPoint.Address' }, ':6379'] } },
    { name: 'ids', value: ['numbered-0', 'numbered-1'] },
  ]);
  expect(spec.problems).toEqual([expect.objectContaining({ property: 'output.unknown', severity: 'warning', message: expect.stringMatching(/data source aws_vpc\.main/) })]);
});

test('variables from TF_VAR_ and --parameters override defaults', () => {
  const spec = readTerraformConfig(handWritten(), SOURCE, 'shop', { env: { TF_VAR_shards: '4', TF_VAR_region: 'ap-south-1' }, parameters: { teams: '["green"]' } });
  expect(spec.region).toBe('ap-south-1');
  expect(spec.replicationGroups.find((g) => g.replicationGroupId === 'shop-cache')?.numNodeGroups).toBe(4);
  expect(spec.replicationGroups.map((g) => g.replicationGroupId)).toContain('team-green');
});

test('rule problems name the Terraform arguments', () => {
  const config = handWritten();
  const main = config.resource.aws_elasticache_replication_group.main;
  main.automatic_failover_enabled = false;
  main.snapshot_retention_limit = 40;
  main.node_group_configuration = [{ slots: '0-100' }, { slots: '200-16383' }];
  delete main.cluster_mode;
  main.cluster_mode = 'enabled';
  main.num_node_groups = 2;
  config.resource.aws_elasticache_replication_group.main.bogus = 1;
  config.resource.aws_elasticache_cluster = { old: { cluster_id: 'old', engine: 'redis', node_type: 'cache.t4g.small', num_cache_nodes: 1 } };
  config.resource.aws_elasticache_parameter_group.tuned.parameter.push({ name: 'maxmemory-polcy', value: 'x' });
  const problems = validateSpec(readTerraformConfig(config, SOURCE, 'shop', { env: {} })).filter((p) => p.severity === 'error');
  const brief = problems.map((p) => `${p.logicalId} ${p.property ?? '-'} ${p.rule}`);
  expect(brief).toEqual(expect.arrayContaining([
    'aws_elasticache_replication_group.main automatic_failover_enabled T8',
    'aws_elasticache_replication_group.main snapshot_retention_limit B1',
    'aws_elasticache_replication_group.main node_group_configuration T7',
    'aws_elasticache_replication_group.main bogus SPEC-PROPERTY',
    'aws_elasticache_cluster.old - SPEC-UNSUPPORTED',
    'aws_elasticache_parameter_group.tuned parameter.maxmemory-polcy E5',
  ]));
});

test('what cannot be evaluated locally says which expression and why', () => {
  const config = handWritten();
  config.resource.aws_elasticache_replication_group.main.node_type = '${var.big ? "cache.r7g.xlarge" : local.node_type}';
  config.resource.aws_elasticache_replication_group.main.port = '${data.aws_ssm_parameter.port.value}';
  config.resource.aws_elasticache_replication_group.numbered.count = '${length(data.aws_subnets.all.ids)}';
  const problems = readTerraformConfig(config, SOURCE, 'shop', { env: {} }).problems;
  expect(problems).toEqual(expect.arrayContaining([
    expect.objectContaining({ property: 'node_type', rule: 'SPEC-UNRESOLVED', message: expect.stringMatching(/node_type needs the expression \$\{var\.big \? .*operators and conditionals are not evaluated|node_type needs the expression/) }),
    expect.objectContaining({ property: 'port', message: expect.stringMatching(/data source aws_ssm_parameter\.port/) }),
    expect.objectContaining({ logicalId: 'aws_elasticache_replication_group.numbered', property: 'count', message: expect.stringMatching(/count must be a whole number known before the deploy/) }),
  ]));
});
