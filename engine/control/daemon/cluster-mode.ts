/**
 * Cluster-mode-enabled groups on the control plane: node groups of cluster-enabled nodes
 * (`<rg>-0001-001`), joined into one cluster by the cluster library, a configuration endpoint
 * (a proxy to any healthy node), per-shard failover and online resharding. The control plane
 * calls in here where a group's `clusterMode` is `enabled`; everything else is shared.
 */
import * as fs from 'fs';
import { evenSlotRanges, nodeGroupIds } from '#model/topology';
import { azIndex } from './control-plane';
import type { ControlPlane } from './control-plane';
import { inFailoverLane } from './failover-lane';
import { events } from '../api/event-messages';
import {
  ClusterHandle, ClusterMember, balancedLayout, createCluster, failoverShard, groupOwners, layoutFromSlots, reattach, reshard, restoreShards,
} from '../cluster';
import type { LinkOptions } from '../cluster';
import { refollowSecondaries } from '../global/cluster-upstream';
import { regionSlot } from '../global/upstream';
import { pickReplica, promotable } from '../health/pick-replica';
import { allocateAddress, endpointAddresses, hostAddresses, sleep } from '../hosts/local';
import { ADMIN_USER } from '../nodes/acl';
import type { ReplicationGroupDesired } from '../spec/model';
import { Group, Node, NodeGroup, addressesInUse, members, setPhase } from '../state/types';

const now = () => new Date().toISOString();
const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function isClusterMode(group: { spec: ReplicationGroupDesired }): boolean {
  return group.spec.clusterMode === 'enabled';
}

/** Config lines every node of a cluster-mode group gets (its nodes.conf lives in its own dir). */
export function clusterModeLines(group: Group): string[] {
  return ['cluster-enabled yes', 'cluster-config-file nodes.conf', ...(group.spec.transitEncryption ? ['tls-cluster yes'] : [])];
}

/** The node group a node belongs to. */
export function nodeGroupOf(group: Group, node: Node): NodeGroup {
  return group.nodeGroups.find((ng) => ng.members.includes(node)) ?? group.nodeGroups[0];
}

/** Open cluster handles, per control plane and group (a killed node's link closes; the handle stays). */
const handles = new WeakMap<ControlPlane, Map<string, ClusterHandle>>();

function linkOptions(cp: ControlPlane, group: Group): LinkOptions {
  return {
    user: ADMIN_USER,
    password: cp.adminSecret,
    tlsCa: group.spec.transitEncryption ? fs.readFileSync(cp.ca.caFile, 'utf8') : undefined,
  };
}

export const memberOf = (ng: NodeGroup, n: Node): ClusterMember => ({
  host: n.endpoint.address, port: n.endpoint.port, nodeGroupId: ng.nodeGroupId, role: n.role,
});

/** The group's cluster handle; (re)opened on the nodes that are up after a control plane restart. */
export async function clusterHandle(cp: ControlPlane, group: Group): Promise<ClusterHandle> {
  let byGroup = handles.get(cp);
  if (!byGroup) handles.set(cp, (byGroup = new Map()));
  const known = byGroup.get(group.replicationGroupId);
  if (known) return known;
  const up = group.nodeGroups.flatMap((ng) => ng.members.filter((n) => cp.isUp(n)).map((n) => memberOf(ng, n)));
  const h = await ClusterHandle.connect(up, linkOptions(cp, group));
  byGroup.set(group.replicationGroupId, h);
  return h;
}

export function closeClusterHandle(cp: ControlPlane, groupId: string): void {
  handles.get(cp)?.get(groupId)?.close();
  handles.get(cp)?.delete(groupId);
}

// ---- placement -------------------------------------------------------------------------------

/**
 * AZ of a node: the template's preferred AZ when given; else shard k's primary goes to AZ k
 * (round robin) and its replicas to the next AZs, so each shard spans AZs (Multi-AZ).
 */
function pickAz(group: Group, shardIndex: number, position: number): string {
  const cfg = group.spec.nodeGroups[shardIndex];
  const preferred = position === 0 ? cfg?.primaryAvailabilityZone : cfg?.replicaAvailabilityZones?.[position - 1];
  if (preferred) return preferred;
  const azs = group.spec.availabilityZones.length > 0 ? group.spec.availabilityZones : ['local-1a', 'local-1b', 'local-1c'];
  return azs[(shardIndex + position) % azs.length];
}

/** Adds a node record to node group `ng` (`<rg>-<ng>-<nnn>`), in `az` when given; the caller launches it. */
export async function addClusterNode(cp: ControlPlane, group: Group, ng: NodeGroup, role: Node['role'], az?: string): Promise<Node> {
  const taken = new Set(members(group).map((n) => n.cacheClusterId));
  let i = 1;
  while (taken.has(`${group.replicationGroupId}-${ng.nodeGroupId}-${pad(i, 3)}`)) i++;
  const id = `${group.replicationGroupId}-${ng.nodeGroupId}-${pad(i, 3)}`;
  const shardIndex = Math.max(0, group.nodeGroups.indexOf(ng));
  az ??= pickAz(group, shardIndex, ng.members.length);
  const hosts = hostAddresses(azIndex(az), regionSlot(cp.state, group.replicationGroupId));
  const address = await allocateAddress(hosts, group.spec.port, addressesInUse(cp.state), cp.dir.root);
  const node: Node = {
    cacheClusterId: id,
    cacheNodeId: '0001',
    role,
    status: 'creating',
    nodeStatus: 'creating',
    availabilityZone: az,
    hostId: `local:${address}`,
    endpoint: { address, port: group.spec.port },
    engineVersion: group.spec.engineVersion,
    nodeType: group.spec.nodeType,
    createTime: now(),
    parameterApplyStatus: 'in-sync',
  };
  fs.rmSync(cp.nodeDir(node), { recursive: true, force: true });
  ng.members.push(node);
  cp.save();
  return node;
}

/** Waits until a node answers PING (before it joins, a cluster-mode replica has no primary yet). */
async function waitPing(cp: ControlPlane, group: Group, node: Node, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (node.pid !== undefined && !cp.host(node).isRunning(node.pid, cp.nodeDir(node))) throw new Error(`node ${node.cacheClusterId} exited while starting`);
    try {
      await cp.call(group, node, ['PING'], 500);
      return;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(25);
  }
  throw new Error(`node ${node.cacheClusterId} not answering after ${timeoutMs} ms (${last})`);
}

/** Launches nodes, waits for them to answer; returns when all do. */
export async function launchAll(cp: ControlPlane, group: Group, nodes: Node[]): Promise<void> {
  await Promise.all(nodes.map((n) => cp.launch(group, n)));
  await Promise.all(nodes.map((n) => waitPing(cp, group, n)));
}

/** Waits until every replica among `nodes` has synced, then marks all of them available. */
export async function markReady(cp: ControlPlane, group: Group, nodes: Node[]): Promise<void> {
  await Promise.all(nodes.filter((n) => n.role === 'replica').map((n) => cp.waitReady(group, n)));
  for (const n of nodes) {
    setPhase(n, 'available');
    cp.emit(events.cacheClusterProvisioned(n.cacheClusterId));
  }
}

// ---- create ----------------------------------------------------------------------------------

export async function createClusterGroup(cp: ControlPlane, spec: ReplicationGroupDesired, restoreFiles?: readonly string[]): Promise<Group> {
  if (spec.transitEncryption) cp.ca.ensure();
  const slot = regionSlot(cp.state, spec.replicationGroupId);
  const configEp = await allocateAddress(endpointAddresses(slot), spec.port, addressesInUse(cp.state), cp.dir.root);
  const id = spec.replicationGroupId;
  const even = evenSlotRanges(spec.nodeGroups.length);
  const group: Group = {
    spec: spec as Group['spec'],
    replicationGroupId: id,
    arn: `arn:aws:elasticache:${cp.state.region}:${cp.state.accountId}:replicationgroup:${id}`,
    status: 'creating',
    createTime: now(),
    nodeGroups: spec.nodeGroups.map((ng, i) => ({ nodeGroupId: ng.nodeGroupId, status: 'creating', slots: ng.slots ?? even[i], members: [] })),
    configurationEndpoint: { address: configEp, port: spec.port },
    caFile: spec.transitEncryption ? cp.ca.caFile : undefined,
  };
  cp.state.replicationGroups[id] = group;
  cp.save();
  await cp.startEndpoints(group);
  try {
    const nodes: Node[] = [];
    for (const [i, ng] of group.nodeGroups.entries()) {
      nodes.push(await addClusterNode(cp, group, ng, 'primary'));
      for (let r = 0; r < spec.nodeGroups[i].replicaCount; r++) nodes.push(await addClusterNode(cp, group, ng, 'replica'));
    }
    await launchAll(cp, group, nodes);
    const cluster = await createCluster(
      group.nodeGroups.flatMap((ng) => ng.members.map((n) => memberOf(ng, n))),
      layoutFromSlots(group.nodeGroups),
      // Gossip takes longer to reach every node of a large group on a small machine.
      { ...linkOptions(cp, group), convergeTimeoutMs: Math.max(60000, nodes.length * 3000) },
    );
    if (!handles.has(cp)) handles.set(cp, new Map());
    handles.get(cp)!.set(id, cluster);
    // Seeding: every key of the files goes to the shard owning its slot, whatever shard count
    // the files came from; replicas are attached already and receive it too.
    if (restoreFiles && restoreFiles.length > 0) await restoreShards(cluster, restoreFiles.map((f) => fs.readFileSync(f)));
    await markReady(cp, group, nodes);
    group.status = 'available';
    for (const ng of group.nodeGroups) ng.status = 'available';
    cp.emit(events.replicationGroupCreated(id));
    return group;
  } catch (e) {
    group.status = 'create-failed';
    cp.emit({ sourceType: 'replication-group', sourceIdentifier: id, message: `Failed to create replication group ${id}: ${(e as Error).message.split('\n')[0]}` });
    throw e;
  }
}

// ---- failover and recovery -------------------------------------------------------------------

/**
 * A failed primary of a shard: its replica is promoted (CLUSTER FAILOVER TAKEOVER through the
 * library) on the failover lane, never behind the control plane's queue; the failed node is
 * recovered by the monitor afterwards and rejoins as a replica (a test failover whose primary was
 * down replaces it here).
 */
export async function failoverClusterShard(cp: ControlPlane, group: Group, oldPrimary: Node, why: 'failed' | 'test'): Promise<Node | undefined> {
  const next = await inFailoverLane(cp, group.replicationGroupId, () => promoteInShard(cp, group, oldPrimary, why));
  if (next !== undefined && why === 'test' && !cp.isUp(oldPrimary)) await replaceClusterNode(cp, group, oldPrimary);
  return next;
}

async function promoteInShard(cp: ControlPlane, group: Group, oldPrimary: Node, why: 'failed' | 'test'): Promise<Node | undefined> {
  // Another failover (or a removal) got there first while this one waited in the lane.
  if (cp.state.replicationGroups[group.replicationGroupId] !== group || group.status === 'deleting') return undefined;
  if (oldPrimary.role !== 'primary' || !members(group).includes(oldPrimary)) return undefined;
  const ng = nodeGroupOf(group, oldPrimary);
  const candidates = ng.members.filter((n) => promotable(cp, n));
  if (candidates.length === 0) {
    cp.emit({ sourceType: 'replication-group', sourceIdentifier: group.replicationGroupId, message: `Failover not possible for node group ${ng.nodeGroupId}: no available replica` });
    return undefined;
  }
  const cluster = await clusterHandle(cp, group);
  const next = (await pickReplica(cp, group, oldPrimary, candidates, ng.nodeGroupId))!;
  // Nodes being restarted or resynced are not waited for (one may be stopped mid-recovery): they rejoin with reattach.
  const ignore = members(group).filter((n) => n !== oldPrimary && !cp.isUp(n)).map((n) => ({ host: n.endpoint.address, port: n.endpoint.port }));
  await failoverShard(cluster, ng.nodeGroupId, { replica: { host: next.endpoint.address, port: next.endpoint.port }, force: why === 'failed', ignore });
  oldPrimary.role = 'replica';
  next.role = 'primary';
  cp.repointEndpoints(group);
  cp.save();
  await refollowSecondaries(cp, group); // a Global Datastore's cluster-mode secondaries follow the new primary
  cp.emit(events.failoverCompleted(next.cacheClusterId, oldPrimary.cacheClusterId, next.cacheClusterId));
  cp.emit(events.failoverCompletedForGroup(group.replicationGroupId, oldPrimary.cacheClusterId, next.cacheClusterId));
  return next;
}

/** Restarts a failed node on its host (its nodes.conf kept) and makes it a replica of its shard's primary. */
export async function replaceClusterNode(cp: ControlPlane, group: Group, node: Node): Promise<void> {
  if (!cp.state.replicationGroups[group.replicationGroupId] || !members(group).includes(node)) return;
  const ng = nodeGroupOf(group, node);
  if (node.role === 'primary') {
    if (group.spec.automaticFailover && ng.members.some((n) => n.role === 'replica' && cp.isUp(n))) {
      await failoverClusterShard(cp, group, node, 'failed');
      if (node.role === 'primary') return; // not failed over: the monitor tries again
      // It rejoins as a replica of the new primary, below.
    }
  } else if (!ng.members.some((n) => n.role === 'primary' && cp.isUp(n))) {
    return; // wait for a primary to sync from
  }
  const id = node.cacheClusterId;
  cp.emit(events.recoveringCacheNodes(id, [node.cacheNodeId]));
  setPhase(node, 'rebooting');
  cp.save();
  if (node.pid !== undefined) {
    const h = cp.host(node);
    if (h.isRunning(node.pid, cp.nodeDir(node))) {
      h.resume(node.pid);
      await h.stop(node.pid, 1000);
    }
  }
  try {
    await cp.launch(group, node);
    await waitPing(cp, group, node);
    if (node.role === 'replica') {
      await reattach(await clusterHandle(cp, group), memberOf(ng, node));
      await cp.waitReady(group, node);
    } else {
      // No replica to promote: the primary comes back in place with its nodes.conf and data.
      await (await clusterHandle(cp, group)).attach(memberOf(ng, node));
    }
    cp.failed.delete(id);
    setPhase(node, 'available');
    cp.repointEndpoints(group);
    cp.emit(events.finishedRecovery(id, [node.cacheNodeId]));
  } catch (e) {
    cp.failed.add(id);
    cp.save();
    await sleep(500); // the monitor tries again on its next tick
    throw e;
  }
}

// ---- resharding ------------------------------------------------------------------------------

export interface ShardChange {
  /** Node groups wanted after the change. */
  readonly count: number;
  /** Node groups to remove (scale in); default: the highest ids. */
  readonly remove?: readonly string[];
  /** Node groups to keep (scale in), instead of `remove`. */
  readonly retain?: readonly string[];
  /** Same node groups, slots spread evenly over them (online rebalancing). */
  readonly rebalance?: boolean;
}

/**
 * Online resharding: new node groups (primary + the group's replicas per shard) join and get
 * slots, or removed node groups hand theirs over and stop. Status `modifying` with the slot
 * migration progress while it runs.
 */
export async function reshardGroup(cp: ControlPlane, group: Group, change: ShardChange): Promise<void> {
  const current = group.nodeGroups.map((ng) => ng.nodeGroupId);
  let keep: string[];
  const added: string[] = [];
  if (change.count >= current.length) {
    keep = [...current];
    const free = nodeGroupIds(current.length + change.count + 1).filter((g) => !current.includes(g));
    added.push(...free.slice(0, change.count - current.length));
  } else if (change.retain && change.retain.length > 0) {
    keep = current.filter((g) => change.retain!.includes(g));
  } else {
    const remove = change.remove && change.remove.length > 0 ? change.remove : current.slice(change.count);
    keep = current.filter((g) => !remove.includes(g));
  }
  if (keep.length + added.length !== change.count) {
    throw new Error(`node groups to keep (${keep.length}) and add (${added.length}) do not make ${change.count}`);
  }
  if (added.length === 0 && keep.length === current.length && !change.rebalance) return;
  const replicas = group.spec.nodeGroups[0]?.replicaCount ?? group.spec.replicasPerNodeGroup;
  group.status = 'modifying';
  const setProgress = (progressPercentage: number) => {
    group.pendingModifiedValues = { ...(group.pendingModifiedValues ?? {}), resharding: { progressPercentage } };
    cp.save();
  };
  setProgress(0);
  try {
    const fresh: Node[] = [];
    for (const gid of added) {
      const ng: NodeGroup = { nodeGroupId: gid, status: 'creating', members: [] };
      group.nodeGroups.push(ng);
      fresh.push(await addClusterNode(cp, group, ng, 'primary'));
      for (let r = 0; r < replicas; r++) fresh.push(await addClusterNode(cp, group, ng, 'replica'));
    }
    await launchAll(cp, group, fresh);
    // A primary that loses its last slot by SETSLOT turns into a replica of the slot's new owner
    // (cluster-allow-replica-migration): groups going away keep their roles until they are forgotten.
    for (const ng of group.nodeGroups.filter((x) => !keep.includes(x.nodeGroupId) && !added.includes(x.nodeGroupId))) {
      for (const n of ng.members.filter((m) => cp.isUp(m))) await cp.call(group, n, ['CONFIG', 'SET', 'cluster-allow-replica-migration', 'no']);
    }
    const cluster = await clusterHandle(cp, group);
    const target = balancedLayout(await groupOwners(cluster), [...keep, ...added]);
    await reshard(cluster, target, {
      newNodes: group.nodeGroups.filter((ng) => added.includes(ng.nodeGroupId)).flatMap((ng) => ng.members.map((n) => memberOf(ng, n))),
      onProgress: (p) => setProgress(p.progressPercentage),
    });
    await markReady(cp, group, fresh);
    for (const ng of group.nodeGroups) {
      if (target[ng.nodeGroupId]) ng.slots = target[ng.nodeGroupId].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
      if (ng.status === 'creating') ng.status = 'available';
    }
    // Removed node groups: the library has made the cluster forget them; their processes stop here.
    const gone = group.nodeGroups.filter((ng) => !keep.includes(ng.nodeGroupId) && !added.includes(ng.nodeGroupId));
    for (const ng of gone) {
      for (const n of ng.members) {
        cluster.detach(memberOf(ng, n));
        cp.busy.add(n.cacheClusterId);
        if (n.pid !== undefined) await cp.host(n).stop(n.pid);
        fs.rmSync(cp.nodeDir(n), { recursive: true, force: true });
        cp.failed.delete(n.cacheClusterId);
        cp.busy.delete(n.cacheClusterId);
        cp.emit(events.cacheClusterDeleted(n.cacheClusterId));
      }
    }
    group.nodeGroups = group.nodeGroups.filter((ng) => !gone.includes(ng));
    cp.repointEndpoints(group);
  } finally {
    group.status = 'available';
    if (group.pendingModifiedValues) {
      delete group.pendingModifiedValues.resharding;
      if (Object.keys(group.pendingModifiedValues).length === 0) delete group.pendingModifiedValues;
    }
    cp.save();
  }
}
