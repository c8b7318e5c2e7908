/**
 * Node type and engine version changes on a cluster-mode-enabled group, rolled shard by shard as
 * the service does: in each shard the replicas are replaced first (each back in sync before the
 * next), then one of them takes over with a coordinated CLUSTER FAILOVER (no acknowledged write
 * lost), then the old primary is replaced and comes back as a replica. A replaced node restarts in
 * its own dir, so it keeps its nodes.conf: the same cluster node id, and the slots it owned. A shard
 * without a replica has its primary saved and restarted in place (its slots are down meanwhile).
 */
import { clusterHandle, failoverClusterShard, launchAll, memberOf } from './cluster-mode';
import type { ControlPlane } from './control-plane';
import type { RollingChange } from './rolling';
import { converge, reattach } from '../cluster';
import { Group, Node, NodeGroup, setPhase } from '../state/types';

const pending = (change: RollingChange) => (n: Node) => (change.nodeType !== undefined && n.nodeType !== change.nodeType)
  || (change.engineVersion !== undefined && n.engineVersion !== change.engineVersion);

/** Restarts one cluster node on the new type / version; returns once it is back in the cluster (a replica: synced). */
async function replaceMember(cp: ControlPlane, group: Group, ng: NodeGroup, node: Node, change: RollingChange): Promise<void> {
  const id = node.cacheClusterId;
  cp.busy.add(id);
  try {
    setPhase(node, 'modifying');
    cp.repointEndpoints(group);
    cp.save();
    const cluster = await clusterHandle(cp, group);
    // A primary only gets here without a replica to hand over to: its data comes back from the dump.
    if (node.role === 'primary') await cp.call(group, node, ['SAVE'], 60000);
    if (node.pid !== undefined) await cp.host(node).stop(node.pid);
    if (change.nodeType !== undefined) node.nodeType = change.nodeType;
    if (change.engineVersion !== undefined) node.engineVersion = change.engineVersion;
    await launchAll(cp, group, [node]);
    if (node.role === 'replica') {
      await reattach(cluster, memberOf(ng, node), { convergeTimeoutMs: 60000 });
      await cp.waitReady(group, node, 60000);
    } else {
      await cluster.attach(memberOf(ng, node));
      await converge(cluster, 60000);
    }
    setPhase(node, 'available');
    cp.repointEndpoints(group);
    cp.save();
  } finally {
    cp.busy.delete(id);
  }
}

async function rollShard(cp: ControlPlane, group: Group, ng: NodeGroup, change: RollingChange): Promise<void> {
  const todo = pending(change);
  for (const r of ng.members.filter((n) => n.role === 'replica' && todo(n))) await replaceMember(cp, group, ng, r, change);
  const primary = ng.members.find((n) => n.role === 'primary');
  if (!primary || !todo(primary)) return;
  if (ng.members.some((n) => n.role === 'replica' && cp.isUp(n))) {
    cp.busy.add(primary.cacheClusterId);
    try {
      // The old primary is up: a coordinated failover, after which it is a replica of the new one.
      await failoverClusterShard(cp, group, primary, 'test');
    } finally {
      cp.busy.delete(primary.cacheClusterId);
    }
  }
  await replaceMember(cp, group, ng, primary, change);
}

/** Rolls every shard of a cluster-mode group to `change`, one shard after the other. */
export async function rollClusterShards(cp: ControlPlane, group: Group, change: RollingChange): Promise<void> {
  for (const ng of [...group.nodeGroups]) await rollShard(cp, group, ng, change);
}
