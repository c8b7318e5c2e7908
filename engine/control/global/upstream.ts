/**
 * Cross-region replication of a Global Datastore: the primary of a secondary member replicates from
 * the primary member's primary endpoint (the stable address that follows the primary region's own
 * failovers), so the whole secondary group is read-only and answers writes with READONLY.
 */
import { control, type Address, type Group, type State } from '../state/types';

/** The Global Datastore a replication group is a member of, and its role there. */
export function membershipOf(state: State, replicationGroupId: string): { globalId: string; role: 'PRIMARY' | 'SECONDARY' } | undefined {
  for (const g of Object.values(state.globalReplicationGroups ?? {})) {
    const m = g.members.find((x) => x.replicationGroupId === replicationGroupId);
    if (m) return { globalId: g.globalReplicationGroupId, role: m.role };
  }
  return undefined;
}

/**
 * Where the primary of `group` replicates from: the primary endpoint of its Global Datastore's
 * primary member when `group` is a secondary member; undefined otherwise (it takes writes).
 */
export function globalUpstream(state: State, group: Group): Address | undefined {
  const m = membershipOf(state, group.replicationGroupId);
  if (m?.role !== 'SECONDARY') return undefined;
  const primaryId = state.globalReplicationGroups![m.globalId].members.find((x) => x.role === 'PRIMARY')?.replicationGroupId;
  const primary = primaryId !== undefined ? state.replicationGroups[primaryId] : undefined;
  return primary?.nodeGroups[0]?.primaryEndpoint;
}

/** Arguments of the REPLICAOF that makes `group`'s new primary what it should be after a failover. */
export function promotionTarget(state: State, group: Group): string[] {
  const up = globalUpstream(state, group);
  return up ? [up.address, String(up.port)] : ['NO', 'ONE'];
}

/** Each replication group's GlobalReplicationGroupInfo (DescribeReplicationGroups), from the memberships. */
export function syncMemberInfo(state: State): void {
  for (const g of Object.values(state.replicationGroups)) {
    const m = membershipOf(state, g.replicationGroupId);
    if (m) g.globalReplicationGroupInfo = { GlobalReplicationGroupId: m.globalId, GlobalReplicationGroupMemberRole: m.role };
    else delete g.globalReplicationGroupInfo;
  }
}

/**
 * The region a replication group runs in (its Global Datastore membership, else the deploy that
 * owns it, else the one running now) as a small number: its hosts and endpoints are 127.<slot>.x.x,
 * so each region of a state dir has its own loopback range (the first region deployed keeps 127.0).
 */
export function regionSlot(state: State, replicationGroupId: string): number {
  let region: string | undefined;
  for (const g of Object.values(state.globalReplicationGroups ?? {})) {
    region ??= g.members.find((m) => m.replicationGroupId === replicationGroupId)?.region;
  }
  region ??= state.control?.deployRegions?.[`replicationGroups/${replicationGroupId}`] ?? state.region;
  const slots = (control(state).regionSlots ??= {});
  if (slots[region] === undefined) slots[region] = Object.keys(slots).length;
  return Math.min(slots[region], 254);
}
