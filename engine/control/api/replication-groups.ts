import { notFound } from './errors';
import { ApiEndpoint, ApiLogDeliveryConfiguration, ApiNodeGroup, ApiReplicationGroup } from './shapes';
import { DeployedReplicationGroup, DeployedState, Endpoint } from '../plan/types';

export function apiEndpoint(e: Endpoint): ApiEndpoint {
  return { Address: e.address, Port: e.port };
}

export function apiLogDelivery(g: DeployedReplicationGroup): ApiLogDeliveryConfiguration[] {
  return g.spec.logDelivery.map((l) => ({
    LogType: l.logType,
    DestinationType: l.destinationType,
    DestinationDetails: l.destinationType === 'kinesis-firehose'
      ? { KinesisFirehoseDetails: { DeliveryStream: l.destination ?? '' } }
      : { CloudWatchLogsDetails: { LogGroup: l.destination ?? '' } },
    LogFormat: l.logFormat,
    Status: 'active',
  }));
}

/** EffectiveDurability: what the group really does (sync only with Multi-AZ and a replica in every shard). */
function effectiveDurability(g: DeployedReplicationGroup): string | undefined {
  const d = g.spec.durability;
  if (d === undefined) return undefined;
  if (d === 'sync' || d === 'async') return d;
  return d === 'disabled' ? 'disabled' : 'async';
}

export function apiReplicationGroup(g: DeployedReplicationGroup): ApiReplicationGroup {
  const s = g.spec;
  const cme = s.clusterMode === 'enabled';
  const nodeGroups: ApiNodeGroup[] = g.nodeGroups.map((ng) => ({
    NodeGroupId: ng.nodeGroupId,
    Status: ng.status,
    // Cluster mode disabled: the stable primary and reader endpoints live on the node group.
    ...(!cme && ng.primaryEndpoint ? { PrimaryEndpoint: apiEndpoint(ng.primaryEndpoint) } : {}),
    ...(!cme && ng.readerEndpoint ? { ReaderEndpoint: apiEndpoint(ng.readerEndpoint) } : {}),
    ...(cme && ng.slots ? { Slots: ng.slots } : {}),
    NodeGroupMembers: ng.members.map((m) => ({
      CacheClusterId: m.cacheClusterId,
      CacheNodeId: m.cacheNodeId,
      // Cluster mode enabled members have no per-node read endpoint or role in this API.
      ...(!cme ? { ReadEndpoint: apiEndpoint(m.endpoint) } : {}),
      PreferredAvailabilityZone: m.availabilityZone,
      ...(!cme ? { CurrentRole: m.role } : {}),
    })),
  }));
  const pending = g.pendingModifiedValues;
  const durability = effectiveDurability(g);
  return {
    ReplicationGroupId: g.replicationGroupId,
    Description: s.description,
    GlobalReplicationGroupInfo: g.globalReplicationGroupInfo ? { ...g.globalReplicationGroupInfo } : {},
    Status: g.status,
    PendingModifiedValues: pending ? apiPending(pending) : {},
    MemberClusters: g.nodeGroups.flatMap((ng) => ng.members.map((m) => m.cacheClusterId)).sort(),
    NodeGroups: nodeGroups,
    ...(s.snapshottingClusterId ? { SnapshottingClusterId: s.snapshottingClusterId } : {}),
    AutomaticFailover: s.automaticFailover ? 'enabled' : 'disabled',
    MultiAZ: s.multiAz ? 'enabled' : 'disabled',
    ...(cme && g.configurationEndpoint ? { ConfigurationEndpoint: apiEndpoint(g.configurationEndpoint) } : {}),
    SnapshotRetentionLimit: s.snapshotRetentionLimit,
    ...(s.snapshotWindow ? { SnapshotWindow: s.snapshotWindow } : {}),
    ClusterEnabled: cme,
    CacheNodeType: s.nodeType,
    AuthTokenEnabled: s.authToken !== undefined,
    ...(g.authTokenLastModifiedDate ? { AuthTokenLastModifiedDate: g.authTokenLastModifiedDate } : {}),
    TransitEncryptionEnabled: s.transitEncryption,
    AtRestEncryptionEnabled: s.atRestEncryption,
    ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
    ARN: g.arn,
    ...(s.userGroupIds.length > 0 ? { UserGroupIds: [...s.userGroupIds] } : {}),
    LogDeliveryConfigurations: apiLogDelivery(g),
    ReplicationGroupCreateTime: g.createTime,
    DataTiering: s.dataTiering ? 'enabled' : 'disabled',
    AutoMinorVersionUpgrade: s.autoMinorVersionUpgrade ?? true,
    NetworkType: s.networkType ?? 'ipv4',
    IpDiscovery: s.ipDiscovery ?? 'ipv4',
    ...(s.transitEncryption ? { TransitEncryptionMode: s.transitEncryptionMode ?? 'required' } : {}),
    ClusterMode: s.clusterMode,
    Engine: s.engine,
    ...(s.durability ? { Durability: s.durability } : {}),
    ...(durability ? { EffectiveDurability: durability } : {}),
  };
}

function apiPending(p: NonNullable<DeployedReplicationGroup['pendingModifiedValues']>): Record<string, unknown> {
  return {
    ...(p.primaryClusterId ? { PrimaryClusterId: p.primaryClusterId } : {}),
    ...(p.automaticFailoverStatus ? { AutomaticFailoverStatus: p.automaticFailoverStatus } : {}),
    ...(p.authTokenStatus ? { AuthTokenStatus: p.authTokenStatus } : {}),
    ...(p.userGroups
      ? { UserGroups: { UserGroupIdsToAdd: p.userGroups.userGroupIdsToAdd, UserGroupIdsToRemove: p.userGroups.userGroupIdsToRemove } }
      : {}),
    ...(p.transitEncryptionEnabled !== undefined ? { TransitEncryptionEnabled: p.transitEncryptionEnabled } : {}),
    ...(p.transitEncryptionMode ? { TransitEncryptionMode: p.transitEncryptionMode } : {}),
    ...(p.clusterMode ? { ClusterMode: p.clusterMode } : {}),
    ...(p.resharding ? { Resharding: { SlotMigration: { ProgressPercentage: p.resharding.progressPercentage } } } : {}),
  };
}

/** DescribeReplicationGroups: one group by id, or every group (sorted by id). */
export function describeReplicationGroups(
  state: DeployedState,
  options: { replicationGroupId?: string } = {},
): { ReplicationGroups: ApiReplicationGroup[] } {
  const groups = Object.values(state.replicationGroups)
    .filter((g) => options.replicationGroupId === undefined || g.replicationGroupId === options.replicationGroupId)
    .sort((a, b) => a.replicationGroupId.localeCompare(b.replicationGroupId));
  if (options.replicationGroupId !== undefined && groups.length === 0) throw notFound.replicationGroup(options.replicationGroupId);
  return { ReplicationGroups: groups.map(apiReplicationGroup) };
}
