import { notFound } from './errors';
import { ApiSnapshot } from './shapes';
import { DeployedSnapshot, DeployedState } from '../plan/types';

/** `5 MB`-style sizes as DescribeSnapshots shows CacheSize. */
export function formatCacheSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Math.round(mb)} MB` : `${Math.max(0, Math.round(bytes / 1024))} KB`;
}

export function apiSnapshot(s: DeployedSnapshot): ApiSnapshot {
  const single = s.nodeSnapshots.length === 1 && s.clusterMode !== 'enabled';
  return {
    SnapshotName: s.snapshotName,
    ReplicationGroupId: s.replicationGroupId,
    ...(s.replicationGroupDescription !== undefined ? { ReplicationGroupDescription: s.replicationGroupDescription } : {}),
    // A cluster-mode-disabled group's snapshot is taken from one node, which it names.
    ...(single ? { CacheClusterId: s.nodeSnapshots[0].cacheClusterId } : {}),
    SnapshotStatus: s.snapshotStatus,
    SnapshotSource: s.snapshotSource,
    CacheNodeType: s.nodeType,
    Engine: s.engine,
    EngineVersion: s.engineVersion,
    ...(single ? { NumCacheNodes: 1 } : {}),
    ...(s.maintenanceWindow ? { PreferredMaintenanceWindow: s.maintenanceWindow } : {}),
    Port: s.port,
    ...(s.parameterGroupName ? { CacheParameterGroupName: s.parameterGroupName } : {}),
    ...(s.subnetGroupName ? { CacheSubnetGroupName: s.subnetGroupName } : {}),
    AutoMinorVersionUpgrade: true,
    SnapshotRetentionLimit: s.snapshotRetentionLimit,
    ...(s.snapshotWindow ? { SnapshotWindow: s.snapshotWindow } : {}),
    NumNodeGroups: s.numNodeGroups,
    AutomaticFailover: s.automaticFailover ? 'enabled' : 'disabled',
    NodeSnapshots: s.nodeSnapshots.map((n) => ({
      CacheClusterId: n.cacheClusterId,
      NodeGroupId: n.nodeGroupId,
      CacheNodeId: n.cacheNodeId,
      NodeGroupConfiguration: { NodeGroupId: n.nodeGroupId, ...(n.slots ? { Slots: n.slots } : {}) },
      CacheSize: formatCacheSize(n.cacheSize),
      CacheNodeCreateTime: n.cacheNodeCreateTime,
      SnapshotCreateTime: n.snapshotCreateTime,
    })),
    ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
    ARN: s.arn,
    DataTiering: s.dataTiering ? 'enabled' : 'disabled',
  };
}

/** DescribeSnapshots with the CLI's filters (--replication-group-id, --snapshot-name, --snapshot-source). */
export function describeSnapshots(
  state: DeployedState,
  options: { replicationGroupId?: string; snapshotName?: string; snapshotSource?: 'manual' | 'automated' | 'system' } = {},
): { Snapshots: ApiSnapshot[] } {
  // The API's `system` source means the automatic snapshots.
  const source = options.snapshotSource === 'system' ? 'automated' : options.snapshotSource;
  const snaps = state.snapshots.filter((s) =>
    (options.replicationGroupId === undefined || s.replicationGroupId === options.replicationGroupId)
    && (options.snapshotName === undefined || s.snapshotName === options.snapshotName)
    && (source === undefined || s.snapshotSource === source));
  if (options.snapshotName !== undefined && snaps.length === 0) throw notFound.snapshot(options.snapshotName);
  return { Snapshots: snaps.map(apiSnapshot) };
}
