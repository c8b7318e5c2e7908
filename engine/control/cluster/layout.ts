/**
 * Target layouts for resharding. The service's even split (`evenLayout`) renumbers every range
 * when the shard count changes; `balancedLayout` reaches the same per-shard counts with the fewest
 * slot moves (each group keeps what it can of its own slots), as redis-cli --cluster rebalance does.
 */
import { SlotLayout } from './cluster';

const TOTAL = 16384;

export function toRanges(slots: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const s of [...slots].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[1] === s - 1) last[1] = s;
    else out.push([s, s]);
  }
  return out;
}

/**
 * `owners`: slot → current node group. `groups`: the groups after resharding (new ones included,
 * removed ones left out). Returns a layout with 16384/n slots per group (the first remainder
 * groups get one more).
 */
export function balancedLayout(owners: ReadonlyArray<string | undefined>, groups: readonly string[]): SlotLayout {
  const n = groups.length;
  if (!n) throw new Error('at least one node group');
  const sorted = [...groups].sort();
  const quota = new Map(sorted.map((g, i) => [g, Math.floor(TOTAL / n) + (i < TOTAL % n ? 1 : 0)]));
  const keep = new Map<string, number[]>(sorted.map((g) => [g, []]));
  const free: number[] = [];
  for (let s = 0; s < TOTAL; s++) {
    const g = owners[s];
    const mine = g !== undefined ? keep.get(g) : undefined;
    if (mine && mine.length < quota.get(g!)!) mine.push(s);
    else free.push(s);
  }
  let i = 0;
  for (const g of sorted) {
    const mine = keep.get(g)!;
    while (mine.length < quota.get(g)!) mine.push(free[i++]);
  }
  return Object.fromEntries(sorted.map((g) => [g, toRanges(keep.get(g)!)]));
}
