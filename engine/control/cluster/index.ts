/** Cluster-mode operations the control plane runs against live nodes (see README.md). */
export { ClusterHandle, evenLayout, layoutFromSlots } from './cluster';
export type { ClusterMember, Member, Role, SlotLayout } from './cluster';
export { converge, createCluster } from './create';
export type { CreateOptions } from './create';
export { failoverShard, reattach } from './failover';
export type { FailoverOptions } from './failover';
export { NodeLink } from './link';
export type { LinkOptions, Reply } from './link';
export { balancedLayout, toRanges } from './layout';
export { moveSlot, moveSlots } from './migrate-slot';
export type { MoveOptions } from './migrate-slot';
export { addReplicas, removeReplicas } from './replicas';
export { groupOwners, planMoves, reshard } from './reshard';
export type { ReshardOptions, ReshardProgress, ReshardResult } from './reshard';
export { restoreShards, snapshotShards } from './snapshot';
export type { RestoreResult, ShardSnapshot } from './snapshot';
export { readView, slotOwners, waitConverged } from './view';
export type { NodeView } from './view';
