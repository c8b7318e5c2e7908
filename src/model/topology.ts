/**
 * Node naming and layout of a replication group, as ElastiCache does it.
 * Cluster mode disabled: one node group `0001`, member clusters `<rg>-001`, `<rg>-002`, ...
 * Cluster mode enabled: node groups `0001`...; member clusters `<rg>-<shard 4 digits>-<node 3 digits>`.
 */
export const TOTAL_SLOTS = 16384;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Node group ids `0001`, `0002`, ... */
export function nodeGroupIds(shards: number): string[] {
  return Array.from({ length: shards }, (_, i) => pad(i + 1, 4));
}

/** Member cache cluster ids of a group (the CloudWatch `CacheClusterId` of each node). */
export function memberClusterIds(
  replicationGroupId: string,
  clusterModeEnabled: boolean,
  shards: number,
  replicasPerShard: number | number[],
): string[] {
  const replicasOf = (s: number) => (Array.isArray(replicasPerShard) ? replicasPerShard[s] ?? 0 : replicasPerShard);
  if (!clusterModeEnabled) {
    return Array.from({ length: 1 + replicasOf(0) }, (_, i) => `${replicationGroupId}-${pad(i + 1, 3)}`);
  }
  const ids: string[] = [];
  for (let s = 0; s < shards; s++) {
    for (let n = 0; n < 1 + replicasOf(s); n++) {
      ids.push(`${replicationGroupId}-${pad(s + 1, 4)}-${pad(n + 1, 3)}`);
    }
  }
  return ids;
}

/** ElastiCache's even split of the 16384 slots over `shards`, as `start-end` strings. */
export function evenSlotRanges(shards: number): string[] {
  const ranges: string[] = [];
  const base = Math.floor(TOTAL_SLOTS / shards);
  const extra = TOTAL_SLOTS % shards;
  let start = 0;
  for (let i = 0; i < shards; i++) {
    const size = base + (i < extra ? 1 : 0);
    ranges.push(`${start}-${start + size - 1}`);
    start += size;
  }
  return ranges;
}

/** Parses `0-100,200-300` into inclusive ranges; undefined if malformed or out of 0..16383. */
export function parseSlots(slots: string): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (const part of slots.split(',')) {
    const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (a > b || b >= TOTAL_SLOTS) return undefined;
    out.push([a, b]);
  }
  return out;
}
