import { Unresolvable } from '../intrinsics';

/**
 * The AWS provider's arguments of each aws_elasticache_* resource and the CloudFormation property
 * each one carries: a Terraform resource is read by the same per-type readers as a CloudFormation
 * one, then problems are named back with the Terraform argument.
 */
export const TERRAFORM_TYPES: Record<string, string> = {
  aws_elasticache_replication_group: 'AWS::ElastiCache::ReplicationGroup',
  aws_elasticache_parameter_group: 'AWS::ElastiCache::ParameterGroup',
  aws_elasticache_subnet_group: 'AWS::ElastiCache::SubnetGroup',
  aws_elasticache_user: 'AWS::ElastiCache::User',
  aws_elasticache_user_group: 'AWS::ElastiCache::UserGroup',
  aws_elasticache_global_replication_group: 'AWS::ElastiCache::GlobalReplicationGroup',
};

/** ElastiCache resource types the local deploy refuses, and why. */
export const UNSUPPORTED_TERRAFORM_TYPES: Record<string, string> = {
  aws_elasticache_cluster: 'a stand-alone cache cluster is not supported locally; declare an aws_elasticache_replication_group (num_cache_clusters = 1 gives a single node)',
  aws_elasticache_serverless_cache: 'serverless caches are not supported locally; declare an aws_elasticache_replication_group instead',
  aws_elasticache_reserved_cache_node: 'reserved nodes are a billing construct; remove it for the local deploy',
};

/** Terraform argument → CloudFormation property, per resource type. */
const SIMPLE: Record<string, Record<string, string>> = {
  aws_elasticache_replication_group: {
    replication_group_id: 'ReplicationGroupId',
    description: 'ReplicationGroupDescription',
    replication_group_description: 'ReplicationGroupDescription',
    global_replication_group_id: 'GlobalReplicationGroupId',
    engine: 'Engine',
    engine_version: 'EngineVersion',
    node_type: 'CacheNodeType',
    parameter_group_name: 'CacheParameterGroupName',
    num_node_groups: 'NumNodeGroups',
    replicas_per_node_group: 'ReplicasPerNodeGroup',
    num_cache_clusters: 'NumCacheClusters',
    number_cache_clusters: 'NumCacheClusters',
    preferred_cache_cluster_azs: 'PreferredCacheClusterAZs',
    availability_zones: 'PreferredCacheClusterAZs',
    automatic_failover_enabled: 'AutomaticFailoverEnabled',
    multi_az_enabled: 'MultiAZEnabled',
    port: 'Port',
    subnet_group_name: 'CacheSubnetGroupName',
    security_group_ids: 'SecurityGroupIds',
    security_group_names: 'CacheSecurityGroupNames',
    transit_encryption_enabled: 'TransitEncryptionEnabled',
    transit_encryption_mode: 'TransitEncryptionMode',
    at_rest_encryption_enabled: 'AtRestEncryptionEnabled',
    kms_key_id: 'KmsKeyId',
    auth_token: 'AuthToken',
    user_group_ids: 'UserGroupIds',
    durability: 'Durability',
    snapshot_retention_limit: 'SnapshotRetentionLimit',
    snapshot_window: 'SnapshotWindow',
    snapshot_name: 'SnapshotName',
    snapshot_arns: 'SnapshotArns',
    maintenance_window: 'PreferredMaintenanceWindow',
    notification_topic_arn: 'NotificationTopicArn',
    data_tiering_enabled: 'DataTieringEnabled',
    network_type: 'NetworkType',
    ip_discovery: 'IpDiscovery',
    auto_minor_version_upgrade: 'AutoMinorVersionUpgrade',
    tags: 'Tags',
    // Special: see toCloudFormation.
    cluster_mode: 'ClusterMode',
    node_group_configuration: 'NodeGroupConfiguration',
    log_delivery_configuration: 'LogDeliveryConfigurations',
  },
  aws_elasticache_parameter_group: { name: 'CacheParameterGroupName', family: 'CacheParameterGroupFamily', description: 'Description', parameter: 'Properties', tags: 'Tags' },
  aws_elasticache_subnet_group: { name: 'CacheSubnetGroupName', description: 'Description', subnet_ids: 'SubnetIds', tags: 'Tags' },
  aws_elasticache_user: {
    user_id: 'UserId',
    user_name: 'UserName',
    engine: 'Engine',
    access_string: 'AccessString',
    passwords: 'Passwords',
    no_password_required: 'NoPasswordRequired',
    authentication_mode: 'AuthenticationMode',
    tags: 'Tags',
  },
  aws_elasticache_user_group: { user_group_id: 'UserGroupId', engine: 'Engine', user_ids: 'UserIds', tags: 'Tags' },
  aws_elasticache_global_replication_group: {
    global_replication_group_id_suffix: 'GlobalReplicationGroupIdSuffix',
    global_replication_group_description: 'GlobalReplicationGroupDescription',
    primary_replication_group_id: 'Members',
    engine_version: 'EngineVersion',
    cache_node_type: 'CacheNodeType',
    parameter_group_name: 'CacheParameterGroupName',
    automatic_failover_enabled: 'AutomaticFailoverEnabled',
    num_node_groups: 'GlobalNodeGroupCount',
  },
};

/** Arguments that change how Terraform manages the resource, not what it is (read and ignored locally). */
const MANAGEMENT_ARGUMENTS: Record<string, readonly string[]> = {
  aws_elasticache_replication_group: ['apply_immediately', 'auth_token_update_strategy', 'final_snapshot_identifier', 'region', 'tags_all', 'timeouts', 'auth_token_wo', 'auth_token_wo_version'],
  aws_elasticache_parameter_group: ['region', 'tags_all'],
  aws_elasticache_subnet_group: ['region', 'tags_all'],
  aws_elasticache_user: ['region', 'tags_all', 'timeouts'],
  aws_elasticache_user_group: ['region', 'tags_all'],
  aws_elasticache_global_replication_group: ['region', 'timeouts'],
};

/** Meta-arguments of every Terraform resource. */
const META_ARGUMENTS = ['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection'];

/** The Terraform argument for a CloudFormation property name (first match), to name problems as the user wrote them. */
export function terraformArgument(type: string, cfnProperty: string): string | undefined {
  const [head, ...rest] = cfnProperty.split(/(?=[.[])/);
  const table = SIMPLE[type];
  if (!table) return undefined;
  const arg = Object.keys(table).find((a) => table[a] === head);
  if (!arg) return undefined;
  const nested = rest.join('').replace(/\.([A-Z][A-Za-z]*)/g, (_, name: string) => `.${snake(name)}`);
  return arg + nested;
}

function snake(name: string): string {
  return name.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
}

/** What converting a resource's arguments gave. */
export interface Converted {
  /** CloudFormation-shaped properties, for the shared readers. */
  readonly properties: Record<string, unknown>;
  /** Arguments the resource type does not have. */
  readonly unknown: string[];
}

/**
 * A resolved aws_elasticache_* resource's arguments as the CloudFormation properties of the same
 * resource: names mapped, nested blocks reshaped (tags maps, parameter blocks, log delivery, the
 * deprecated cluster_mode block), values unchanged.
 */
export function toCloudFormation(type: string, args: Record<string, unknown>): Converted {
  const table = SIMPLE[type] ?? {};
  const properties: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [arg, raw] of Object.entries(args)) {
    if (META_ARGUMENTS.includes(arg) || (MANAGEMENT_ARGUMENTS[type] ?? []).includes(arg) || raw === null || raw === undefined) continue;
    const prop = table[arg];
    if (!prop) {
      unknown.push(arg);
      continue;
    }
    const value = raw instanceof Unresolvable ? raw : reshape(type, arg, raw);
    if (arg === 'cluster_mode' && typeof value === 'object' && value !== null && !(value instanceof Unresolvable)) {
      // The deprecated block form: { num_node_groups, replicas_per_node_group }.
      const block = (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
      if (block?.num_node_groups !== undefined) properties.NumNodeGroups = block.num_node_groups;
      if (block?.replicas_per_node_group !== undefined) properties.ReplicasPerNodeGroup = block.replicas_per_node_group;
      properties.ClusterMode = 'enabled';
      continue;
    }
    properties[prop] = value;
  }
  return { properties, unknown };
}

function blocks(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value as Array<Record<string, unknown>>;
  return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
}

/** Drops undefined members (an unset nested argument), which the readers would take for unresolved. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function reshape(type: string, arg: string, value: unknown): unknown {
  switch (arg) {
    case 'tags':
      return Object.entries((value ?? {}) as Record<string, unknown>).map(([Key, Value]) => ({ Key, Value }));
    case 'node_group_configuration':
      return blocks(value).map((g) => compact({
        NodeGroupId: g.node_group_id,
        Slots: g.slots,
        PrimaryAvailabilityZone: g.primary_availability_zone,
        ReplicaAvailabilityZones: g.replica_availability_zones,
        ReplicaCount: g.replica_count,
      }));
    case 'log_delivery_configuration':
      return blocks(value).map((l) => compact({
        LogType: l.log_type,
        DestinationType: l.destination_type,
        LogFormat: l.log_format,
        DestinationDetails: l.destination_type === 'kinesis-firehose'
          ? { KinesisFirehoseDetails: { DeliveryStream: l.destination } }
          : { CloudWatchLogsDetails: { LogGroup: l.destination } },
      }));
    case 'parameter':
      return Object.fromEntries(blocks(value).map((p) => [String(p.name), p.value]));
    case 'authentication_mode': {
      const m = blocks(value)[0] ?? {};
      return compact({ Type: m.type, Passwords: m.passwords });
    }
    case 'primary_replication_group_id':
      return type === 'aws_elasticache_global_replication_group' ? [{ ReplicationGroupId: value, Role: 'PRIMARY' }] : value;
    default:
      return value;
  }
}
