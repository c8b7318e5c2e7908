/**
 * The Global Datastore verbs the control plane runs: FailoverGlobalReplicationGroup (promote a
 * secondary region; the old primary follows it) and DisassociateGlobalReplicationGroup (a secondary
 * leaves and takes writes), plus what a deploy needs to stop a group following another region.
 */
import { followClusterUpstream } from './cluster-upstream';
import { globalEvents } from './events';
import { globalUpstream, promotionTarget, syncMemberInfo } from './upstream';
import { ApiError } from '../api/errors';
import type { ControlPlane } from '../daemon/control-plane';
import { sleep } from '../hosts/local';
import type { DeployedGlobalReplicationGroup } from '../plan/types';
import type { Group, Mutable, Node } from '../state/types';

type Global = Mutable<DeployedGlobalReplicationGroup>;
type Input = Record<string, unknown>;

function need(input: Input, key: string): string {
  const v = input[key];
  if (typeof v !== 'string' || v === '') throw new ApiError('InvalidParameterValue', `The parameter ${key} must be provided.`);
  return v;
}

export function globalOf(cp: ControlPlane, id: string): Global {
  const g = cp.state.globalReplicationGroups?.[id];
  if (!g) throw new ApiError('GlobalReplicationGroupNotFoundFault', `Global replication group ${id} not found.`);
  return g;
}

function groupOf(cp: ControlPlane, id: string): Group {
  const g = cp.state.replicationGroups[id];
  if (!g) throw new ApiError('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found.`);
  return g;
}

/** Points the primary of `group` where its membership says: the primary region, or nowhere (it takes writes). */
export async function follow(cp: ControlPlane, group: Group): Promise<void> {
  if (group.spec.clusterMode === 'enabled') return followClusterUpstream(cp, group);
  const primary = cp.primaryOf(group);
  if (!primary || !cp.isUp(primary)) return; // a node restarted later gets its replicaof from the membership
  await cp.call(group, primary, ['REPLICAOF', ...promotionTarget(cp.state, group)]);
}

/** Offset a node has: what it wrote (a primary) or what it has from its upstream (a replica). */
async function offsetOf(cp: ControlPlane, group: Group, p: Node | undefined): Promise<number> {
  if (!p) return -1;
  const info = await cp.info(group, p, 'replication', 1000);
  return Number(info.role === 'master' ? info.master_repl_offset : info.slave_repl_offset ?? -1);
}

/** Each shard's primary (one for cluster mode disabled), by node group id. */
function shardPrimaries(group: Group): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const ng of group.nodeGroups) {
    const p = ng.members.find((n) => n.role === 'primary');
    if (p) out.set(ng.nodeGroupId, p);
  }
  return out;
}

/** Whether every shard primary of `newGroup` has the offset `want` gives for its shard. */
async function caughtUp(cp: ControlPlane, newGroup: Group, want: Map<string, number>): Promise<boolean> {
  const now = shardPrimaries(newGroup);
  for (const [id, offset] of want) if ((await offsetOf(cp, newGroup, now.get(id)).catch(() => -1)) < offset) return false;
  return true;
}

/**
 * FailoverGlobalReplicationGroup: the old primary stops taking writes, the chosen secondary catches
 * up with it (up to 5 s) and is promoted; the old primary and the other secondaries then replicate
 * from it. Clients of the old primary region get READONLY and move to the new region's endpoint.
 */
export async function failoverGlobal(cp: ControlPlane, input: Input): Promise<Global> {
  const g = globalOf(cp, need(input, 'globalReplicationGroupId'));
  const region = need(input, 'primaryRegion');
  const target = need(input, 'primaryReplicationGroupId');
  if (g.status !== 'available') {
    throw new ApiError('InvalidGlobalReplicationGroupState', `Global replication group ${g.globalReplicationGroupId} is not available or is in primary-only state (${g.status}).`);
  }
  const member = g.members.find((m) => m.replicationGroupId === target);
  if (!member || member.region !== region) {
    throw new ApiError('InvalidParameterValue', `Replication group ${target} is not a member of ${g.globalReplicationGroupId} in region ${region}.`);
  }
  if (member.role === 'PRIMARY') throw new ApiError('InvalidParameterValue', `Replication group ${target} is already the primary of ${g.globalReplicationGroupId}.`);
  const oldMember = g.members.find((m) => m.role === 'PRIMARY')!;
  const newGroup = groupOf(cp, target);
  const oldGroup = groupOf(cp, oldMember.replicationGroupId);
  for (const x of [newGroup, oldGroup]) {
    const p = cp.primaryOf(x);
    if (x.status !== 'available' || !p || !cp.isUp(p)) throw new ApiError('InvalidReplicationGroupState', `Replication group ${x.replicationGroupId} is not available.`);
  }

  g.status = 'modifying';
  cp.emit(globalEvents.failoverStarted(g.globalReplicationGroupId, region, target));
  const oldPrimaries = [...shardPrimaries(oldGroup).values()];
  // Writes pause on the old primaries (one per shard) while the new ones catch up (engines without CLIENT PAUSE WRITE go on).
  for (const p of oldPrimaries) await cp.call(oldGroup, p, ['CLIENT', 'PAUSE', '10000', 'WRITE']).catch(() => undefined);
  try {
    const want = new Map<string, number>();
    for (const [id, p] of shardPrimaries(oldGroup)) want.set(id, await offsetOf(cp, oldGroup, p));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(await caughtUp(cp, newGroup, want))) await sleep(20);

    member.role = 'PRIMARY';
    oldMember.role = 'SECONDARY';
    syncMemberInfo(cp.state);
    cp.save();
    await follow(cp, newGroup);
    cp.emit(globalEvents.promoted(target, g.globalReplicationGroupId));
    for (const m of g.members.filter((x) => x.role === 'SECONDARY')) {
      const x = groupOf(cp, m.replicationGroupId);
      await follow(cp, x);
      const up = globalUpstream(cp.state, x);
      if (x === oldGroup && up) cp.emit(globalEvents.demoted(x.replicationGroupId, g.globalReplicationGroupId, target));
    }
  } finally {
    for (const p of oldPrimaries) await cp.call(oldGroup, p, ['CLIENT', 'UNPAUSE']).catch(() => undefined);
    g.status = 'available';
    cp.save();
  }
  cp.emit(globalEvents.failoverCompleted(g.globalReplicationGroupId, target));
  return g;
}

/** DisassociateGlobalReplicationGroup: a secondary leaves the datastore and takes writes in its region. */
export async function disassociateGlobal(cp: ControlPlane, input: Input): Promise<Global> {
  const g = globalOf(cp, need(input, 'globalReplicationGroupId'));
  const id = need(input, 'replicationGroupId');
  const region = need(input, 'replicationGroupRegion');
  const member = g.members.find((m) => m.replicationGroupId === id && m.region === region);
  if (!member) throw new ApiError('InvalidParameterValue', `Replication group ${id} is not a member of ${g.globalReplicationGroupId} in region ${region}.`);
  if (member.role === 'PRIMARY') throw new ApiError('InvalidParameterValue', `Replication group ${id} is the primary of ${g.globalReplicationGroupId}: fail over first, or delete the Global Datastore.`);
  if (g.status !== 'available') throw new ApiError('InvalidGlobalReplicationGroupState', `Global replication group ${g.globalReplicationGroupId} is not available (${g.status}).`);
  g.status = 'modifying';
  member.status = 'disassociating';
  cp.save();
  g.members = g.members.filter((m) => m !== member);
  syncMemberInfo(cp.state);
  await follow(cp, groupOf(cp, id));
  g.status = g.members.some((m) => m.role === 'SECONDARY') ? 'available' : 'primary-only';
  cp.emit(globalEvents.disassociated(id, g.globalReplicationGroupId));
  return g;
}

/** A group that left its datastore (the datastore was deleted): its primary takes writes. */
export async function stopFollowing(cp: ControlPlane, groupId: string): Promise<void> {
  syncMemberInfo(cp.state);
  const group = cp.state.replicationGroups[groupId];
  if (group) await follow(cp, group).catch(() => undefined);
}
