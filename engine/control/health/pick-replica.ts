/**
 * Which replica a failover promotes: the most up-to-date one (highest replication offset it has
 * processed, read from INFO replication), so the fewest acknowledged writes are lost. Ties (the
 * usual case on a quiet group) go by placement: a replica in the AZ the template prefers for the
 * node group's primary, then one outside the old primary's AZ (Multi-AZ: the failure may be the
 * AZ's), then the lowest cache cluster id, so the choice is deterministic.
 */
import type { ControlPlane } from '../daemon/control-plane';
import type { Group, Node } from '../state/types';

export interface Candidate {
  readonly node: Node;
  /** Replication offset processed; -1 when unknown (a replica that does not answer ranks last). */
  readonly offset: number;
}

/**
 * A replica a failover may promote: available, not failed, and not in the middle of a change of the
 * control plane's own (replaced, rolled, removed: those mark it busy).
 */
export function promotable(cp: ControlPlane, n: Node): boolean {
  return n.role === 'replica' && cp.isUp(n) && !cp.busy.has(n.cacheClusterId);
}

/** The template's preferred AZ for the primary of the node group `oldPrimary` is in. */
export function preferredPrimaryAz(group: Group, nodeGroupId: string): string | undefined {
  const ng = group.spec.nodeGroups.find((g) => g.nodeGroupId === nodeGroupId) ?? group.spec.nodeGroups[0];
  return ng?.primaryAvailabilityZone ?? (nodeGroupId === '0001' ? group.spec.preferredCacheClusterAzs?.[0] : undefined);
}

/** Orders candidates best first (pure: the offsets are already read). */
export function rankCandidates(candidates: readonly Candidate[], oldPrimary: Node, preferredAz?: string): Candidate[] {
  const placement = (n: Node) => {
    if (preferredAz !== undefined && n.availabilityZone === preferredAz) return 0;
    return n.availabilityZone !== oldPrimary.availabilityZone ? 1 : 2;
  };
  return [...candidates].sort((a, b) => b.offset - a.offset
    || placement(a.node) - placement(b.node)
    || a.node.cacheClusterId.localeCompare(b.node.cacheClusterId));
}

/**
 * Reads each live replica's offset and returns the one to promote (undefined when there is none).
 * `resyncing`: replicas being recovered; one counts only once it has synced into the same
 * replication history as a live candidate (same replication id: its offset is then comparable; a
 * node back from a crash reports its old history's id and offset until its sync ends).
 */
export async function pickReplica(
  cp: ControlPlane, group: Group, oldPrimary: Node, replicas: readonly Node[], nodeGroupId: string, resyncing: readonly Node[] = [],
): Promise<Node | undefined> {
  const live = replicas.filter((n) => n !== oldPrimary && promotable(cp, n));
  if (live.length === 0) return undefined;
  const read = async (node: Node) => {
    try {
      const info = await cp.info(group, node, 'replication', 500);
      const offset = Number(info.slave_repl_offset ?? info.master_repl_offset);
      // a transfer in progress (an RDB loading) lists its byte counts
      return { node, offset: Number.isFinite(offset) ? offset : -1, replid: info.master_replid, loading: info.master_sync_total_bytes !== undefined };
    } catch {
      return { node, offset: -1, replid: undefined, loading: true };
    }
  };
  const candidates = await Promise.all(live.map(read));
  const histories = new Set(candidates.filter((c) => c.offset >= 0).map((c) => c.replid));
  // and only when it is ahead of every live one: a node mid-recovery is the last choice otherwise
  const best = Math.max(...candidates.map((c) => c.offset));
  const extra = (await Promise.all(resyncing.filter((n) => !live.includes(n)).map(read)))
    .filter((c) => !c.loading && c.offset > best && histories.has(c.replid));
  return rankCandidates([...candidates, ...extra], oldPrimary, preferredPrimaryAz(group, nodeGroupId))[0].node;
}
