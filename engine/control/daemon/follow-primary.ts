/**
 * A replica being started or resynced (recovery, new replica, reboot, rolling change) syncs from
 * the primary it was launched with. The failover lane may promote another node meanwhile: the
 * replica is then re-pointed to the new primary here (it is not `available` yet, so the failover
 * does not re-point it), rather than waiting out its timeout on a dead primary.
 */
import type { ControlPlane } from './control-plane';
import { promotable } from '../health/pick-replica';
import type { Group, Node } from '../state/types';

/** The replica's primary failed and no failover will replace it: waiting longer is pointless. */
export class PrimaryLost extends Error {}

function nodeGroupMembers(group: Group, node: Node): Node[] {
  return (group.nodeGroups.find((ng) => ng.members.includes(node)) ?? group.nodeGroups[0]).members;
}

/**
 * Given the replica's INFO replication: true once it has synced from its node group's current
 * primary. Re-points it when it follows another node; throws (give up, the monitor retries) when
 * the primary failed and no failover will replace it.
 */
export async function syncedFromCurrentPrimary(cp: ControlPlane, group: Group, node: Node, info: Record<string, string>): Promise<boolean> {
  const shard = nodeGroupMembers(group, node);
  const primary = shard.find((n) => n.role === 'primary');
  if (primary === undefined || primary === node) return false;
  if (cp.failed.has(primary.cacheClusterId)) {
    const failoverComing = group.spec.automaticFailover && shard.some((n) => n !== node && promotable(cp, n));
    if (!failoverComing) {
      throw new PrimaryLost(`node ${node.cacheClusterId} not ready: its primary ${primary.cacheClusterId} failed while it synced`);
    }
    return false; // the failover lane is about to promote one; this node follows it then
  }
  // Cluster mode: replicas follow their shard's new primary through the cluster bus.
  if (group.spec.clusterMode === 'enabled') return info.master_link_status === 'up';
  const follows = info.master_host === primary.endpoint.address && Number(info.master_port) === primary.endpoint.port;
  if (!follows) {
    if (cp.isUp(primary)) await cp.call(group, node, ['REPLICAOF', primary.endpoint.address, String(primary.endpoint.port)], 1000);
    return false;
  }
  return info.master_link_status === 'up';
}
