/**
 * Cross-region replication of a Global Datastore: the primary of a secondary member replicates from
 * the primary member's primary endpoint (the stable address that follows the primary region's own
 * failovers), so the whole secondary group is read-only and answers writes with READONLY.
 */
import type { Address, Group, State } from '../state/types';

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
