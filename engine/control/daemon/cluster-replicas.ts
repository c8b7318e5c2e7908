/**
 * IncreaseReplicaCount / DecreaseReplicaCount on a cluster-mode-enabled group, per shard: new
 * replicas join the cluster and replicate their shard's primary; removed ones (the named
 * `ReplicasToRemove`, else down ones first, then the newest) are forgotten by the cluster and stop.
 */
import * as fs from 'fs';
import { addClusterNode, clusterHandle, launchAll, markReady, memberOf } from './cluster-mode';
import { ApiError, ControlPlane } from './control-plane';
import { events } from '../api/event-messages';
import { addReplicas, removeReplicas } from '../cluster';
import { followClusterUpstream } from '../global/cluster-upstream';
import { membershipOf } from '../global/upstream';
import { Group, Node, NodeGroup } from '../state/types';

/** One shard's wanted replica count (the API's ConfigureShard). */
export interface ShardReplicas {
  readonly nodeGroupId: string;
  readonly newReplicaCount: number;
  readonly preferredAvailabilityZones?: readonly string[];
}

export interface ReplicaChange {
  readonly op: 'increase' | 'decrease';
  /** Every shard to this count (`--new-replica-count`)... */
  readonly newReplicaCount?: number;
  /** ...or per shard (`--replica-configuration`). */
  readonly replicaConfiguration?: readonly ShardReplicas[];
  /** Decrease: these cache cluster ids go (`--replicas-to-remove`). */
  readonly replicasToRemove?: readonly string[];
}

const replicasIn = (ng: NodeGroup) => ng.members.filter((n) => n.role === 'replica');

/** Checks the request the way the API does and resolves it into per-shard targets. */
export function planReplicaChange(group: Group, change: ReplicaChange): Map<NodeGroup, ShardReplicas> {
  const given = [change.newReplicaCount !== undefined, (change.replicaConfiguration?.length ?? 0) > 0, (change.replicasToRemove?.length ?? 0) > 0]
    .filter(Boolean).length;
  if (given !== 1) {
    throw new ApiError('InvalidParameterCombination', change.op === 'increase'
      ? 'Specify either NewReplicaCount or ReplicaConfiguration.'
      : 'Specify exactly one of NewReplicaCount, ReplicaConfiguration or ReplicasToRemove.');
  }
  const targets = new Map<NodeGroup, ShardReplicas>();
  const find = (id: string) => {
    const ng = group.nodeGroups.find((x) => x.nodeGroupId === id);
    if (!ng) throw new ApiError('NodeGroupNotFoundFault', `Node group ${id} not found.`);
    return ng;
  };
  if (change.replicasToRemove?.length) {
    for (const id of change.replicasToRemove) {
      const ng = group.nodeGroups.find((x) => x.members.some((n) => n.cacheClusterId === id));
      const node = ng?.members.find((n) => n.cacheClusterId === id);
      if (!ng || !node) throw new ApiError('CacheClusterNotFound', `CacheCluster ${id} not found in ${group.replicationGroupId}.`);
      if (node.role !== 'replica') throw new ApiError('InvalidParameterValue', `${id} is a primary node; only replicas can be removed.`);
      const prev = targets.get(ng)?.newReplicaCount ?? replicasIn(ng).length;
      targets.set(ng, { nodeGroupId: ng.nodeGroupId, newReplicaCount: prev - 1 });
    }
  } else if (change.newReplicaCount !== undefined) {
    for (const ng of group.nodeGroups) targets.set(ng, { nodeGroupId: ng.nodeGroupId, newReplicaCount: change.newReplicaCount });
  } else {
    for (const c of change.replicaConfiguration!) targets.set(find(c.nodeGroupId), c);
  }
  let changes = 0;
  for (const [ng, t] of targets) {
    const n = t.newReplicaCount;
    const current = replicasIn(ng).length;
    if (!Number.isInteger(n) || n < 0 || n > 5) throw new ApiError('InvalidParameterValue', 'NewReplicaCount must be between 0 and 5.');
    if (change.op === 'increase' ? n < current : n > current) {
      throw new ApiError('InvalidParameterValue',
        `NewReplicaCount ${n} for node group ${ng.nodeGroupId} must be ${change.op === 'increase' ? 'greater' : 'less'} than its current count ${current}.`);
    }
    if (n !== current) changes++;
  }
  if (changes === 0) throw new ApiError('InvalidParameterValue', 'The requested replica counts are the current ones.');
  return targets;
}

/** Applies per-shard targets: adds first (all shards at once), then removes. */
export async function changeClusterReplicas(
  cp: ControlPlane, group: Group, targets: Map<NodeGroup, ShardReplicas>, named: readonly string[] = [],
): Promise<void> {
  const id = group.replicationGroupId;
  group.status = 'modifying';
  for (const ng of targets.keys()) ng.status = 'modifying';
  cp.save();
  try {
    const fresh: Array<{ ng: NodeGroup; node: Node }> = [];
    for (const [ng, t] of targets) {
      const want = t.newReplicaCount - replicasIn(ng).length;
      for (let i = 0; i < want; i++) {
        const node = await addClusterNode(cp, group, ng, 'replica', t.preferredAvailabilityZones?.[i]);
        cp.emit(events.increaseReplicaCountStarted(id, node.cacheClusterId));
        fresh.push({ ng, node });
      }
    }
    if (fresh.length > 0) {
      await launchAll(cp, group, fresh.map((f) => f.node));
      const cluster = await clusterHandle(cp, group);
      await addReplicas(cluster, fresh.map((f) => memberOf(f.ng, f.node)));
      await markReady(cp, group, fresh.map((f) => f.node));
      // a Global Datastore secondary: the new replicas learn the primary region's shard primaries
      // (only once they replicate in their shard: a fresh node is a slotless primary at first)
      if (membershipOf(cp.state, id)?.role === 'SECONDARY') await followClusterUpstream(cp, group);
      for (const { node } of fresh) {
        cp.emit(events.cacheNodeAdded(node.cacheClusterId, node.cacheNodeId, node.availabilityZone));
        cp.emit(events.increaseReplicaCountFinished(id, node.cacheClusterId));
      }
    }
    const gone: Array<{ ng: NodeGroup; node: Node }> = [];
    for (const [ng, t] of targets) {
      const replicas = replicasIn(ng);
      const extra = replicas.length - t.newReplicaCount;
      if (extra <= 0) continue;
      const order = [
        ...replicas.filter((n) => named.includes(n.cacheClusterId)),
        ...replicas.filter((n) => !named.includes(n.cacheClusterId) && !cp.isUp(n)),
        ...replicas.filter((n) => !named.includes(n.cacheClusterId) && cp.isUp(n)).reverse(),
      ];
      for (const node of order.slice(0, extra)) gone.push({ ng, node });
    }
    if (gone.length > 0) {
      for (const { node } of gone) cp.busy.add(node.cacheClusterId);
      const cluster = await clusterHandle(cp, group);
      const live = gone.filter(({ node }) => cluster.find({ host: node.endpoint.address, port: node.endpoint.port }));
      await removeReplicas(cluster, live.map(({ node }) => ({ host: node.endpoint.address, port: node.endpoint.port })));
      for (const { ng, node } of gone) {
        if (node.pid !== undefined) await cp.host(node).stop(node.pid);
        ng.members = ng.members.filter((n) => n !== node);
        fs.rmSync(cp.nodeDir(node), { recursive: true, force: true });
        cp.failed.delete(node.cacheClusterId);
        cp.busy.delete(node.cacheClusterId);
        cp.emit(events.cacheClusterDeleted(node.cacheClusterId));
        cp.emit(events.decreaseReplicaCountFinished(id, node.cacheClusterId));
      }
      cp.repointEndpoints(group);
    }
  } finally {
    group.status = 'available';
    for (const ng of targets.keys()) ng.status = 'available';
    cp.save();
  }
}

/** The verb's input (CLI option names camel-cased) as a ReplicaChange. */
export function replicaChangeFromInput(op: string, input: Record<string, unknown>): ReplicaChange {
  const count = input.newReplicaCount;
  const configs = Array.isArray(input.replicaConfiguration) ? input.replicaConfiguration as Array<Record<string, unknown>> : [];
  const remove = Array.isArray(input.replicasToRemove) ? input.replicasToRemove.map(String) : [];
  return {
    op: op === 'increase-replica-count' ? 'increase' : 'decrease',
    newReplicaCount: count === undefined || count === null || count === '' ? undefined : Number(count),
    replicaConfiguration: configs.map((c) => ({
      nodeGroupId: String(c.nodeGroupId ?? ''),
      newReplicaCount: Number(c.newReplicaCount),
      ...(Array.isArray(c.preferredAvailabilityZones) ? { preferredAvailabilityZones: c.preferredAvailabilityZones.map(String) } : {}),
    })),
    replicasToRemove: remove,
  };
}
