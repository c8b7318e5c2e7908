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
import { RollingChange, pendingFor, restartChanged } from './rolling';
import { converge, reattach } from '../cluster';
import { Group, Node, NodeGroup } from '../state/types';

/** Restarts one cluster node on the new type / version; returns once it is back in the cluster (a replica: synced). */
async function replaceMember(cp: ControlPlane, group: Group, ng: NodeGroup, node: Node, change: RollingChange): Promise<void> {
  const cluster = await clusterHandle(cp, group);
  await restartChanged(cp, group, node, change, async () => {
    await launchAll(cp, group, [node]);
    if (node.role === 'replica') {
      await reattach(cluster, memberOf(ng, node), { convergeTimeoutMs: 60000 });
      await cp.waitReady(group, node, 60000);
    } else {
      await cluster.attach(memberOf(ng, node));
      await converge(cluster, 60000);
    }
  });
}

async function rollShard(cp: ControlPlane, group: Group, ng: NodeGroup, change: RollingChange): Promise<void> {
  const todo = pendingFor(change);
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
