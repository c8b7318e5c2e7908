import { knownVersions } from '#model/engine-versions';
import { clusterEnabledOf } from '#model/parameters/catalogue';
import { evenSlotRanges, nodeGroupIds } from '#model/topology';
import {
  ClusterModeName,
  DurabilityName,
  EngineName,
  LogDeliveryConfig,
  NodeGroupConfig,
  ParameterGroupDesired,
  ReplicationGroupDesired,
  SubnetGroupDesired,
  TransitEncryptionModeName,
} from '../model';
import { PropertyReader } from '../properties';

/** What the group reader needs from the rest of the template. */
export interface ReplicationGroupLookups {
  readonly parameterGroups: ReadonlyMap<string, ParameterGroupDesired>;
  readonly subnetGroups: ReadonlyMap<string, SubnetGroupDesired>;
  readonly availabilityZones: string[];
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  readonly metadata?: Record<string, unknown>;
  readonly updatePolicy?: Record<string, unknown>;
}

/** Metadata key the constructs write the final snapshot's name under. */
export const FINAL_SNAPSHOT_METADATA = 'cdk-elasticache:FinalSnapshotName';

/**
 * AWS::ElastiCache::ReplicationGroup → the resolved group, with the service's defaults where the
 * template is silent (engine redis, port 6379, no failover, no encryption, 0-day retention).
 */
export function readReplicationGroup(p: PropertyReader, id: string, generatedId: boolean, look: ReplicationGroupLookups): ReplicationGroupDesired {
  p.required('ReplicationGroupDescription');
  const globalReplicationGroupId = p.string('GlobalReplicationGroupId');
  // A Global Datastore secondary takes its node type (and engine) from the primary.
  if (!p.has('GlobalReplicationGroupId')) p.required('CacheNodeType');

  const engine = (p.string('Engine') ?? 'redis').toLowerCase();
  const versions = engine === 'valkey' || engine === 'redis' ? knownVersions(engine) : [''];
  const engineVersion = p.string('EngineVersion') ?? versions[versions.length - 1];
  const parameterGroupName = p.string('CacheParameterGroupName')?.toLowerCase();
  const customGroup = parameterGroupName ? look.parameterGroups.get(parameterGroupName) : undefined;
  const groupClusterEnabled = customGroup
    ? clusterEnabledOf(customGroup.parameters)
    : parameterGroupName ? clusterEnabledOf(parameterGroupName) : undefined;

  const numNodeGroupsGiven = p.number('NumNodeGroups');
  const configs = p.objects('NodeGroupConfiguration');
  const clusterModeGiven = p.string('ClusterMode')?.toLowerCase();
  // Without ClusterMode the service goes by the parameter group's cluster-enabled, then the shard count.
  const clusterMode = (clusterModeGiven ?? (groupClusterEnabled || (numNodeGroupsGiven ?? configs?.length ?? 1) > 1 ? 'enabled' : 'disabled')) as ClusterModeName;
  const cme = clusterMode === 'enabled';
  const numNodeGroups = numNodeGroupsGiven ?? (cme ? configs?.length ?? 1 : 1);

  const preferredAzs = p.strings('PreferredCacheClusterAZs');
  const numCacheClusters = p.number('NumCacheClusters');
  const replicasGiven = p.number('ReplicasPerNodeGroup');
  const firstConfigReplicas = configs?.[0]?.ReplicaCount;
  const replicasPerNodeGroup = replicasGiven
    ?? (numCacheClusters !== undefined ? numCacheClusters - 1 : undefined)
    ?? (firstConfigReplicas !== undefined ? Number(firstConfigReplicas) : undefined)
    ?? (preferredAzs ? preferredAzs.length - 1 : 0);

  const nodeGroups = readNodeGroups(p, cme, numNodeGroups, replicasPerNodeGroup, configs, preferredAzs);
  const subnetGroupName = p.string('CacheSubnetGroupName')?.toLowerCase();
  const subnetAzs = subnetGroupName ? look.subnetGroups.get(subnetGroupName)?.availabilityZones : undefined;

  const metadataName = look.metadata?.[FINAL_SNAPSHOT_METADATA];
  const finalSnapshotName = look.deletionPolicy === 'Snapshot'
    ? (typeof metadataName === 'string' ? metadataName : `${id}-final-snapshot`)
    : undefined;
  const multiAz = p.boolean('MultiAZEnabled') ?? false;

  return {
    origin: p.origin,
    replicationGroupId: id,
    generatedId,
    description: p.string('ReplicationGroupDescription') ?? '',
    engine: engine as EngineName,
    engineVersion,
    nodeType: p.string('CacheNodeType') ?? '',
    clusterMode,
    numNodeGroups,
    replicasPerNodeGroup,
    ...(numCacheClusters !== undefined ? { numCacheClusters } : {}),
    nodeGroups,
    ...(preferredAzs ? { preferredCacheClusterAzs: preferredAzs } : {}),
    // Cluster mode enabled always fails over automatically; elsewhere the API default is off.
    automaticFailover: p.boolean('AutomaticFailoverEnabled') ?? cme,
    multiAz,
    port: p.number('Port') ?? 6379,
    ...opt('parameterGroupName', parameterGroupName),
    ...opt('subnetGroupName', subnetGroupName),
    availabilityZones: subnetAzs && subnetAzs.length > 0 ? subnetAzs : look.availabilityZones,
    transitEncryption: p.boolean('TransitEncryptionEnabled') ?? false,
    ...opt('transitEncryptionMode', p.string('TransitEncryptionMode') as TransitEncryptionModeName | undefined),
    atRestEncryption: p.boolean('AtRestEncryptionEnabled') ?? false,
    ...opt('kmsKeyId', p.string('KmsKeyId', { quiet: true }) ?? (p.has('KmsKeyId') ? '(template key)' : undefined)),
    ...opt('authToken', p.string('AuthToken')),
    userGroupIds: (p.strings('UserGroupIds') ?? []).map((u) => u.toLowerCase()),
    snapshotRetentionLimit: p.number('SnapshotRetentionLimit') ?? 0,
    ...opt('snapshotWindow', p.string('SnapshotWindow')),
    ...opt('maintenanceWindow', p.string('PreferredMaintenanceWindow')),
    ...opt('snapshottingClusterId', p.string('SnapshottingClusterId')),
    ...opt('finalSnapshotName', finalSnapshotName),
    ...opt('snapshotName', p.string('SnapshotName')),
    ...opt('snapshotArns', p.strings('SnapshotArns')),
    ...opt('notificationTopicArn', p.string('NotificationTopicArn')),
    logDelivery: readLogDelivery(p),
    dataTiering: p.boolean('DataTieringEnabled') ?? false,
    ...opt('durability', p.string('Durability') as DurabilityName | undefined),
    ...opt('networkType', p.string('NetworkType')),
    ...opt('ipDiscovery', p.string('IpDiscovery')),
    ...opt('autoMinorVersionUpgrade', p.boolean('AutoMinorVersionUpgrade')),
    ...opt('globalReplicationGroupId', globalReplicationGroupId?.toLowerCase()),
    // Security groups do not exist locally; ids are kept only for describe output.
    securityGroupIds: p.strings('SecurityGroupIds', { quiet: true }) ?? [],
    tags: p.tags(),
    ...(look.updatePolicy?.UseOnlineResharding === true || look.updatePolicy?.UseOnlineResharding === 'true' ? { useOnlineResharding: true } : {}),
    ...opt('deletionPolicy', policy(look.deletionPolicy)),
    ...opt('updateReplacePolicy', policy(look.updateReplacePolicy)),
  };
}

function readNodeGroups(
  p: PropertyReader,
  cme: boolean,
  shards: number,
  replicas: number,
  configs: Array<Record<string, unknown>> | undefined,
  preferredAzs: string[] | undefined,
): NodeGroupConfig[] {
  if (!cme) {
    const c = configs?.[0] ? p.nested(configs[0], 'NodeGroupConfiguration[0]') : undefined;
    const primaryAz = preferredAzs?.[0] ?? c?.string('NodeGroupConfiguration[0].PrimaryAvailabilityZone');
    const replicaAzs = preferredAzs ? preferredAzs.slice(1) : c?.strings('NodeGroupConfiguration[0].ReplicaAvailabilityZones');
    return [{ nodeGroupId: '0001', replicaCount: replicas, ...opt('primaryAvailabilityZone', primaryAz), ...opt('replicaAvailabilityZones', replicaAzs) }];
  }
  const count = Number.isInteger(shards) && shards > 0 && shards <= 500 ? shards : 1;
  const ids = nodeGroupIds(count);
  const slots = evenSlotRanges(count);
  return ids.map((defaultId, i) => {
    const at = `NodeGroupConfiguration[${i}]`;
    const c = configs?.[i] ? p.nested(configs[i], at) : undefined;
    return {
      nodeGroupId: c?.string(`${at}.NodeGroupId`) ?? defaultId,
      slots: c?.string(`${at}.Slots`) ?? slots[i],
      replicaCount: c?.number(`${at}.ReplicaCount`) ?? replicas,
      ...opt('primaryAvailabilityZone', c?.string(`${at}.PrimaryAvailabilityZone`)),
      ...opt('replicaAvailabilityZones', c?.strings(`${at}.ReplicaAvailabilityZones`)),
    };
  });
}

function readLogDelivery(p: PropertyReader): LogDeliveryConfig[] {
  return (p.objects('LogDeliveryConfigurations') ?? []).map((l, i) => {
    const at = `LogDeliveryConfigurations[${i}]`;
    const r = p.nested(l, at);
    type Details = { CloudWatchLogsDetails?: { LogGroup?: unknown }; KinesisFirehoseDetails?: { DeliveryStream?: unknown } };
    const details = (l.DestinationDetails ?? {}) as Details;
    const destination = details.CloudWatchLogsDetails?.LogGroup ?? details.KinesisFirehoseDetails?.DeliveryStream;
    return {
      logType: r.string(`${at}.LogType`) ?? '',
      destinationType: r.string(`${at}.DestinationType`) ?? '',
      logFormat: r.string(`${at}.LogFormat`) ?? '',
      ...opt('destination', typeof destination === 'string' ? destination : undefined),
    };
  });
}

function policy(v: string | undefined): 'Delete' | 'Snapshot' | 'Retain' | undefined {
  return v === 'Delete' || v === 'Snapshot' || v === 'Retain' ? v : undefined;
}

/** `{ key: value }` when value is defined, else `{}` (keeps undefined keys out of the model). */
export function opt<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}
