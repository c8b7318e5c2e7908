import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/terraform/main';

// The Terraform example app synthesized as `cdktn synth` does: cdktf.out/stacks/<name>/cdk.tf.json.
// Every argument of every ElastiCache resource is checked, so nothing reaches Terraform unseen.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-example-'));
buildApp(outdir).synth();
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function stackJson(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
}

/** The resources of a type, by the construct path cdktn records, without that metadata. */
function byPath(json: any, type: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [logicalId, r] of Object.entries<any>(json.resource[type] ?? {})) {
    const { '//': meta, ...args } = r;
    out[meta.metadata.path] = { logicalId, args };
  }
  return out;
}

const ref = (type: string, logicalId: string, attr: string) => `\${${type}.${logicalId}.${attr}}`;

/** What every example group renders by default: Valkey 8.1 on r7g.large, failover and Multi-AZ, encrypted, daily backups. */
const DEFAULT_ARGS = {
  engine: 'valkey',
  engine_version: '8.1',
  node_type: 'cache.r7g.large',
  automatic_failover_enabled: true,
  multi_az_enabled: true,
  port: 6379,
  transit_encryption_enabled: true,
  at_rest_encryption_enabled: true,
  snapshot_retention_limit: 1,
  auto_minor_version_upgrade: true,
};

test('every stack is written where cdktn puts it, with the aws provider required', () => {
  expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['global-catalog', 'leaderboard', 'quick-start', 'session-store']);
  for (const name of ['global-catalog', 'leaderboard', 'quick-start', 'session-store']) {
    const json = stackJson(name);
    expect(json.terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: '>= 6.0' } });
    expect(json.provider).toEqual({ aws: [{ region: 'us-east-1' }] });
  }
});

test('quick start: a cluster-mode-enabled group from a few lines, with the defaults', () => {
  const json = stackJson('quick-start');
  const subnets = byPath(json, 'aws_elasticache_subnet_group')['quick-start/Cache/SubnetGroup/Resource'];
  const rg = byPath(json, 'aws_elasticache_replication_group')['quick-start/Cache/Resource'];
  expect(rg.args).toEqual({
    replication_group_id: expect.stringMatching(/^quick-start-cache-[0-9a-f]{8}$/),
    description: 'Replication group quick-start/Cache',
    ...DEFAULT_ARGS,
    cluster_mode: 'enabled',
    parameter_group_name: 'default.valkey8.cluster.on',
    num_node_groups: 3,
    replicas_per_node_group: 1,
    subnet_group_name: ref('aws_elasticache_subnet_group', subnets.logicalId, 'name'),
  });
  expect(subnets.args).toEqual({
    name: expect.stringMatching(/^quick-start-cache-subnetgroup-[0-9a-f]{8}$/),
    description: 'Subnets of replication group quick-start/Cache',
    subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002', 'subnet-0a1b2c3d4e5f60003'],
  });
  expect(json.output).toEqual({ endpoint: { value: `${ref('aws_elasticache_replication_group', rg.logicalId, 'configuration_endpoint_address')}:6379` } });
});

test('cluster mode disabled: 1 primary + 2 replicas, Multi-AZ', () => {
  const json = stackJson('session-store');
  const subnets = byPath(json, 'aws_elasticache_subnet_group')['session-store/Sessions/SubnetGroup/Resource'];
  const rg = byPath(json, 'aws_elasticache_replication_group')['session-store/Sessions/Resource'];
  expect(rg.args).toEqual({
    replication_group_id: 'sessions',
    description: 'Replication group session-store/Sessions',
    ...DEFAULT_ARGS,
    cluster_mode: 'disabled',
    parameter_group_name: 'default.valkey8',
    num_cache_clusters: 3,
    subnet_group_name: ref('aws_elasticache_subnet_group', subnets.logicalId, 'name'),
    security_group_ids: ['sg-0a1b2c3d4e5f60001'],
  });
  expect(subnets.args.subnet_ids).toEqual(['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002']);
  expect(json.output).toEqual({
    primary_endpoint: { value: `${ref('aws_elasticache_replication_group', rg.logicalId, 'primary_endpoint_address')}:6379` },
    reader_endpoint: { value: `${ref('aws_elasticache_replication_group', rg.logicalId, 'reader_endpoint_address')}:6379` },
  });
});

test('cluster mode enabled: 3 shards x 1 replica, TLS, RBAC, custom cluster parameter group', () => {
  const json = stackJson('leaderboard');
  const pg = byPath(json, 'aws_elasticache_parameter_group')['leaderboard/Parameters/Resource'];
  const ug = byPath(json, 'aws_elasticache_user_group')['leaderboard/Users/Resource'];
  const users = byPath(json, 'aws_elasticache_user');
  const subnets = byPath(json, 'aws_elasticache_subnet_group')['leaderboard/Leaderboard/SubnetGroup/Resource'];
  const rg = byPath(json, 'aws_elasticache_replication_group')['leaderboard/Leaderboard/Resource'];
  expect(pg.args).toEqual({
    name: 'leaderboard-params',
    family: 'valkey8',
    description: 'Parameters for valkey8, cluster mode enabled (cluster-enabled yes)',
    parameter: [
      { name: 'cluster-enabled', value: 'yes' },
      { name: 'maxmemory-policy', value: 'allkeys-lru' },
      { name: 'notify-keyspace-events', value: 'Ex' },
    ],
  });
  expect(users['leaderboard/DefaultUser/Resource'].args).toEqual({
    user_id: 'leaderboard-default',
    user_name: 'default',
    engine: 'valkey',
    access_string: 'off -@all',
    authentication_mode: { type: 'password', passwords: ['${var.default_password}'] },
  });
  expect(users['leaderboard/App/Resource'].args).toEqual({
    user_id: 'leaderboard-app',
    user_name: 'app',
    engine: 'valkey',
    access_string: 'on ~board:* +@read +@write +@sortedset +@connection -@dangerous +cluster|slots +cluster|shards +cluster|nodes +cluster|info +cluster|myid +info',
    authentication_mode: { type: 'password', passwords: ['${var.app_password}'] },
  });
  expect(ug.args).toEqual({
    user_group_id: 'leaderboard-users',
    engine: 'valkey',
    user_ids: ['leaderboard/DefaultUser/Resource', 'leaderboard/App/Resource'].map((p) => ref('aws_elasticache_user', users[p].logicalId, 'user_id')),
  });
  expect(rg.args).toEqual({
    replication_group_id: 'leaderboard',
    description: 'Replication group leaderboard/Leaderboard',
    ...DEFAULT_ARGS,
    cluster_mode: 'enabled',
    parameter_group_name: ref('aws_elasticache_parameter_group', pg.logicalId, 'name'),
    num_node_groups: 3,
    replicas_per_node_group: 1,
    subnet_group_name: ref('aws_elasticache_subnet_group', subnets.logicalId, 'name'),
    user_group_ids: [ref('aws_elasticache_user_group', ug.logicalId, 'user_group_id')],
  });
  expect(json.variable).toEqual({ default_password: { type: 'string', sensitive: true }, app_password: { type: 'string', sensitive: true } });
});

test('Global Datastore: primary in us-east-1, secondary in eu-west-1', () => {
  const json = stackJson('global-catalog');
  const rgs = byPath(json, 'aws_elasticache_replication_group');
  const primary = rgs['global-catalog/Catalog/Resource'];
  const secondary = rgs['global-catalog/CatalogEu/Resource'];
  const global = byPath(json, 'aws_elasticache_global_replication_group')['global-catalog/Global/Resource'];
  const subnets = byPath(json, 'aws_elasticache_subnet_group')['global-catalog/Catalog/SubnetGroup/Resource'];
  expect(primary.args).toEqual({
    replication_group_id: 'catalog-use1',
    description: 'Replication group global-catalog/Catalog',
    ...DEFAULT_ARGS,
    cluster_mode: 'enabled',
    parameter_group_name: 'default.valkey8.cluster.on',
    num_node_groups: 2,
    replicas_per_node_group: 1,
    subnet_group_name: ref('aws_elasticache_subnet_group', subnets.logicalId, 'name'),
    region: 'us-east-1',
  });
  expect(subnets.args.region).toBe('us-east-1');
  expect(global.args).toEqual({
    global_replication_group_id_suffix: 'catalog',
    global_replication_group_description: 'Global Datastore global-catalog/Global',
    primary_replication_group_id: ref('aws_elasticache_replication_group', primary.logicalId, 'replication_group_id'),
    region: 'us-east-1',
  });
  // The secondary takes engine, node type, shards, parameter group and encryption from the primary.
  expect(secondary.args).toEqual({
    replication_group_id: 'catalog-euw1',
    description: 'Replication group global-catalog/CatalogEu',
    global_replication_group_id: ref('aws_elasticache_global_replication_group', global.logicalId, 'global_replication_group_id'),
    replicas_per_node_group: 1,
    automatic_failover_enabled: true,
    multi_az_enabled: true,
    port: 6379,
    subnet_group_name: 'catalog-euw1-subnets',
    snapshot_retention_limit: 1,
    auto_minor_version_upgrade: true,
    region: 'eu-west-1',
  });
});
