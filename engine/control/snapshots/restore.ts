/**
 * Where a new group's data comes from: a snapshot (`SnapshotName`) or RDB files (`SnapshotArns`),
 * with the service's rule: a cluster-mode-disabled group restores one RDB file of a
 * cluster-mode-disabled group; a cluster-mode-enabled group restores any number of files of either
 * kind, into any shard count (keys go to the shard that owns their slot).
 */
import { findSnapshot, rdbFromArn, snapshotFiles } from './snapshots';
import { ApiError, ControlPlane } from '../daemon/control-plane';
import type { ReplicationGroupDesired } from '../spec/model';

export function restoreFilesFor(cp: ControlPlane, spec: ReplicationGroupDesired): string[] | undefined {
  const cme = spec.clusterMode === 'enabled';
  if (spec.snapshotName !== undefined) {
    const files = snapshotFiles(cp, spec.snapshotName);
    if (!cme && findSnapshot(cp, spec.snapshotName)!.clusterMode === 'enabled') {
      throw new ApiError('InvalidParameterCombination',
        `Snapshot ${spec.snapshotName} is of a cluster-mode-enabled group; ${spec.replicationGroupId} has cluster mode disabled and can only restore a snapshot of a cluster-mode-disabled group.`);
    }
    return files;
  }
  if (spec.snapshotArns && spec.snapshotArns.length > 0) {
    if (!cme && spec.snapshotArns.length > 1) {
      throw new ApiError('InvalidParameterValue',
        `${spec.replicationGroupId} has cluster mode disabled: SnapshotArns takes one RDB file (${spec.snapshotArns.length} given).`);
    }
    return spec.snapshotArns.map((a) => rdbFromArn(cp, a));
  }
  return undefined;
}

/** Runs the create with the source snapshot `restoring` meanwhile, as the service shows it. */
export async function whileRestoring<T>(cp: ControlPlane, spec: ReplicationGroupDesired, create: () => Promise<T>): Promise<T> {
  const snap = spec.snapshotName !== undefined ? findSnapshot(cp, spec.snapshotName) : undefined;
  if (snap) {
    snap.snapshotStatus = 'restoring';
    cp.save();
  }
  try {
    return await create();
  } finally {
    if (snap && cp.state.snapshots.includes(snap)) {
      snap.snapshotStatus = 'available';
      cp.save();
    }
  }
}
