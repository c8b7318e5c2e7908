/**
 * Node type and engine version changes, rolled like the service does: in each node group the
 * replicas are replaced first (one at a time, each resynced before the next), then a replica that
 * already runs the new type is promoted, then the old primary is replaced and comes back as a
 * replica. The group is `modifying` meanwhile and clients keep a primary through the endpoint. A
 * node group without a replica has its primary saved (SAVE) and restarted on the new type, loading
 * its data back. Cluster-mode groups roll shard by shard the same way (cluster-rolling.ts).
 */
import { isClusterMode } from './cluster-mode';
import { rollClusterShards } from './cluster-rolling';
import { ControlPlane } from './control-plane';
import { events } from '../api/event-messages';
import { failover } from '../health/monitor';
import type { ReplicationGroupDesired } from '../spec/model';
import { Group, Node, setPhase } from '../state/types';

export interface RollingChange {
  readonly nodeType?: string;
  readonly engineVersion?: string;
}

/** Whether a node still runs what `change` moves away from. */
export const pendingFor = (change: RollingChange) => (n: Node): boolean => (change.nodeType !== undefined && n.nodeType !== change.nodeType)
  || (change.engineVersion !== undefined && n.engineVersion !== change.engineVersion);

/**
 * Restarts `node` on the new type / version, either mode: busy and `modifying` meanwhile, a primary
 * saved first (it only gets here without a replica to hand over to: its data comes back from the
 * dump), stopped, the change recorded, then `restart` launches it and waits until it serves.
 */
export async function restartChanged(cp: ControlPlane, group: Group, node: Node, change: RollingChange, restart: () => Promise<void>): Promise<void> {
  const id = node.cacheClusterId;
  cp.busy.add(id);
  try {
    setPhase(node, 'modifying');
    cp.repointEndpoints(group);
    cp.save();
    if (node.role === 'primary') await cp.call(group, node, ['SAVE'], 60000);
    if (node.pid !== undefined) await cp.host(node).stop(node.pid);
    if (change.nodeType !== undefined) node.nodeType = change.nodeType;
    if (change.engineVersion !== undefined) node.engineVersion = change.engineVersion;
    await restart();
    setPhase(node, 'available');
    cp.repointEndpoints(group);
    cp.save();
  } finally {
    cp.busy.delete(id);
  }
}

/** Restarts one node on the new type / version and waits until it serves (a replica: synced). */
async function replaceOne(cp: ControlPlane, group: Group, node: Node, change: RollingChange): Promise<void> {
  await restartChanged(cp, group, node, change, async () => {
    await cp.launch(group, node);
    await cp.waitReady(group, node, 60000);
  });
}

async function rollNodeGroup(cp: ControlPlane, group: Group, nodeGroupId: string, change: RollingChange): Promise<void> {
  const ng = group.nodeGroups.find((x) => x.nodeGroupId === nodeGroupId)!;
  const pending = pendingFor(change);
  // Roles are read afresh before each step: an automatic failover (its own lane) may change them meanwhile.
  for (;;) {
    const replica = ng.members.find((n) => n.role === 'replica' && pending(n));
    if (replica) {
      await replaceOne(cp, group, replica, change);
      continue;
    }
    const primary = ng.members.find((n) => n.role === 'primary');
    if (!primary || !pending(primary)) return;
    if (ng.members.some((n) => n.role === 'replica' && cp.isUp(n))) {
      cp.busy.add(primary.cacheClusterId);
      try {
        await failover(cp, group, primary, 'test');
      } finally {
        cp.busy.delete(primary.cacheClusterId);
      }
      if (primary.role === 'replica') continue; // rolled as a replica now
    }
    await replaceOne(cp, group, primary, change);
  }
}

/** Rolls every node of `group` to `desired`'s node type and engine version; the spec is updated at the end. */
export async function rollGroup(cp: ControlPlane, group: Group, desired: ReplicationGroupDesired): Promise<void> {
  const id = group.replicationGroupId;
  // What the nodes run, not the spec: earlier actions of the same deploy may have set the spec already.
  const all = group.nodeGroups.flatMap((ng) => ng.members);
  const change: RollingChange = {
    nodeType: all.some((n) => n.nodeType !== desired.nodeType) ? desired.nodeType : undefined,
    engineVersion: all.some((n) => n.engineVersion !== desired.engineVersion) ? desired.engineVersion : undefined,
  };
  group.status = 'modifying';
  for (const ng of group.nodeGroups) ng.status = 'modifying';
  cp.save();
  try {
    if (isClusterMode(group)) await rollClusterShards(cp, group, change);
    else for (const ng of group.nodeGroups) await rollNodeGroup(cp, group, ng.nodeGroupId, change);
    group.spec = { ...desired } as Group['spec'];
    if (change.nodeType !== undefined) cp.emit(events.scalingComplete(id, change.nodeType));
    cp.emit(events.replicationGroupModified(id));
  } catch (e) {
    if (change.nodeType !== undefined) cp.emit(events.scalingFailed(id, change.nodeType));
    throw e;
  } finally {
    group.status = 'available';
    for (const ng of group.nodeGroups) ng.status = 'available';
    cp.save();
  }
}
