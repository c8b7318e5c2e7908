/**
 * Online resharding: scale out (new node groups join, then slots move to them), scale in (the
 * removed groups' slots move out, then their nodes are forgotten) and rebalance, all as slot moves
 * (migrate-slot.ts) while clients keep working. Progress is reported as the service's
 * Resharding.SlotMigration.ProgressPercentage.
 */
import { ClusterHandle, ClusterMember, Member, SlotLayout } from './cluster';
import { attachReplicas, converge, joinMembers } from './create';
import { moveSlots, MoveOptions } from './migrate-slot';
import { readView, slotOwners } from './view';

export interface ReshardProgress {
  /** Resharding.SlotMigration.ProgressPercentage: slots moved / slots to move × 100. */
  readonly progressPercentage: number;
  readonly slotsMoved: number;
  readonly slotsToMove: number;
  readonly keysMoved: number;
}

export interface ReshardOptions extends MoveOptions {
  /** New nodes (primaries and replicas of the groups the layout adds), already running in cluster mode. */
  readonly newNodes?: readonly ClusterMember[];
  readonly onProgress?: (p: ReshardProgress) => void;
  /** Source/target pairs moving slots at once (default 4). */
  readonly concurrency?: number;
  /** Slots of one pair moved as one pipelined batch (default 64). */
  readonly slotsPerBatch?: number;
  readonly convergeTimeoutMs?: number;
}

export interface ReshardResult extends ReshardProgress {
  /** Nodes of removed groups: forgotten by the cluster and reset; the caller stops them. */
  readonly removed: ClusterMember[];
  readonly durationMs: number;
}

interface Move { slot: number; from: string; to: string }

/** The slot moves that turn the current owners (by group) into `target`. */
export function planMoves(owners: ReadonlyArray<string | undefined>, target: SlotLayout): Move[] {
  const want = new Array<string | undefined>(owners.length).fill(undefined);
  for (const [g, ranges] of Object.entries(target)) for (const [a, b] of ranges) for (let s = a; s <= b; s++) want[s] = g;
  const moves: Move[] = [];
  for (let s = 0; s < owners.length; s++) {
    if (want[s] === undefined) throw new Error(`target layout leaves slot ${s} unassigned`);
    if (owners[s] === undefined) throw new Error(`slot ${s} has no owner in the cluster`);
    if (owners[s] !== want[s]) moves.push({ slot: s, from: owners[s]!, to: want[s]! });
  }
  return moves;
}

export async function reshard(cluster: ClusterHandle, target: SlotLayout, opts: ReshardOptions = {}): Promise<ReshardResult> {
  const started = Date.now();
  // 1. New groups join (empty primaries, then their replicas).
  const added: Member[] = [];
  for (const n of opts.newNodes ?? []) added.push(await cluster.attach(n));
  if (added.length) {
    const via = cluster.live().find((m) => !added.includes(m))!;
    await joinMembers(cluster, via, added, opts.convergeTimeoutMs);
    await attachReplicas(cluster, added.filter((m) => m.role === 'replica'));
    await converge(cluster, opts.convergeTimeoutMs);
  }
  for (const g of Object.keys(target)) cluster.primaryOf(g);

  // 2. Slot moves, planned from what the cluster says now.
  const moves = planMoves(await groupOwners(cluster), target);
  let slotsMoved = 0;
  let keysMoved = 0;
  const report = () => opts.onProgress?.({
    progressPercentage: moves.length ? Math.floor((slotsMoved / moves.length) * 10000) / 100 : 100,
    slotsMoved,
    slotsToMove: moves.length,
    keysMoved,
  });
  report();
  // Moves grouped by (from, to) pair; `concurrency` pairs run at once, each pair's slots in order.
  const byPair = new Map<string, Move[]>();
  for (const m of moves) byPair.set(`${m.from}>${m.to}`, [...(byPair.get(`${m.from}>${m.to}`) ?? []), m]);
  const queues = [...byPair.values()];
  const per = Math.max(1, opts.slotsPerBatch ?? 64);
  const worker = async () => {
    for (let q = queues.shift(); q; q = queues.shift()) {
      for (let i = 0; i < q.length; i += per) {
        const batch = q.slice(i, i + per);
        // Read after the await: workers run concurrently, so `keysMoved += await ...` would lose their counts.
        const keys = await moveSlots(cluster, batch.map((m) => m.slot), cluster.primaryOf(batch[0].from), cluster.primaryOf(batch[0].to), opts);
        keysMoved += keys;
        slotsMoved += batch.length;
        report();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));

  // 3. Removed groups: every other node forgets them, then they reset (no gossip brings them back).
  const removed = cluster.members.filter((m) => !(m.nodeGroupId in target));
  if (removed.length) await removeMembers(cluster, removed);
  await converge(cluster, opts.convergeTimeoutMs);
  return { progressPercentage: 100, slotsMoved, slotsToMove: moves.length, keysMoved, removed: removed.map(strip), durationMs: Date.now() - started };
}

/** Slot → node group, as the cluster says now. */
export async function groupOwners(cluster: ClusterHandle): Promise<Array<string | undefined>> {
  const view = await readView(cluster.live()[0].link);
  return slotOwners(view).map((id) => (id === undefined ? undefined : cluster.byId(id)?.nodeGroupId));
}

function strip(m: Member): ClusterMember {
  return { host: m.host, port: m.port, nodeGroupId: m.nodeGroupId, role: m.role };
}

/**
 * Takes slot-less nodes out of the cluster: CLUSTER FORGET on every remaining node (which bans
 * them for 60 s), then CLUSTER RESET HARD on each removed node that still answers.
 */
export async function removeMembers(cluster: ClusterHandle, removed: readonly Member[]): Promise<void> {
  const stay = cluster.live().filter((m) => !removed.includes(m));
  // Replicas first: a node refuses to forget its own primary.
  const order = [...removed].sort((a, b) => (a.role === b.role ? 0 : a.role === 'replica' ? -1 : 1));
  for (const r of order) {
    await Promise.all(stay.map(async (m) => {
      const res = await m.link.call(['CLUSTER', 'FORGET', r.id]);
      if (res instanceof Error && !/Unknown node/i.test(res.message)) throw new Error(`CLUSTER FORGET ${r.id} on ${m.host}:${m.port}: ${res.message}`);
    }));
  }
  for (const r of removed) {
    if (!r.link.closed) await r.link.call(['CLUSTER', 'RESET', 'HARD']).catch(() => undefined);
    cluster.detach(r);
  }
}
