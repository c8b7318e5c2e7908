/**
 * Moving hash slots between primaries, online, with the sequence redis-cli --cluster reshard uses:
 * IMPORTING on the target, MIGRATING on the source, keys in batches with MIGRATE ... KEYS (clients
 * get -ASK for the slot meanwhile), then SETSLOT NODE on the target, the source and every other
 * primary (-MOVED from then on). Several slots of one source/target pair move as one batch whose
 * SETSLOT commands are pipelined: a node that saves its cluster config once per event-loop turn (as
 * Valkey does) then pays one config fsync per batch instead of one per slot.
 */
import { ClusterHandle, Member } from './cluster';
import { Reply } from './link';

export interface MoveOptions {
  /** Keys per GETKEYSINSLOT / MIGRATE round (default 100). */
  readonly keysPerMigrate?: number;
  /** MIGRATE commands sent to a source at once (default 2). */
  readonly migratesInFlight?: number;
  /** MIGRATE's I/O timeout, ms (default 10000). */
  readonly migrateTimeoutMs?: number;
  /** Tell every other primary too (redis-cli does; gossip would spread it anyway). Default true. */
  readonly announceToAll?: boolean;
}

function authArgs(cluster: ClusterHandle): string[] {
  const { user, password } = cluster.linkOptions;
  if (password === undefined) return [];
  return user !== undefined ? ['AUTH2', user, password] : ['AUTH', password];
}

/** The same command for each slot, pipelined on one link; throws on the first error reply. */
async function each(m: Member, slots: readonly number[], args: (slot: number) => Array<string | number>): Promise<void> {
  const replies = await Promise.all(slots.map((s) => m.link.call(args(s))));
  const bad = replies.findIndex((r: Reply) => r instanceof Error);
  if (bad >= 0) throw new Error(`${args(slots[bad]).join(' ')} on ${m.host}:${m.port}: ${(replies[bad] as Error).message}`);
}

/**
 * A node that briefly sees the cluster down (a peer late to answer on a loaded machine) refuses
 * MIGRATE with -CLUSTERDOWN or -TRYAGAIN: wait and retry, within `timeoutMs`.
 */
async function retryDown(f: () => Promise<Reply>, timeoutMs: number): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await f();
    if (!(r instanceof Error) || !/^(CLUSTERDOWN|TRYAGAIN)/.test(r.message) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** MIGRATE of `keys` (all in `slot`) from the MIGRATING source to the IMPORTING target. */
async function migrateBatch(cluster: ClusterHandle, slot: number, keys: string[], source: Member, target: Member, opts: MoveOptions): Promise<void> {
  const timeout = opts.migrateTimeoutMs ?? 10000;
  const head = [target.host, target.port, '', 0, timeout, ...authArgs(cluster)];
  let r = await retryDown(() => source.link.call(['MIGRATE', ...head, 'KEYS', ...keys], timeout * 2 + 1000), timeout);
  // The target already has one of the keys: under ASK a client only creates keys there that the
  // source did not have, so the source's copy is the one to keep.
  if (r instanceof Error && /BUSYKEY/.test(r.message)) r = await source.link.call(['MIGRATE', ...head, 'REPLACE', 'KEYS', ...keys], timeout * 2 + 1000);
  if (r instanceof Error) throw new Error(`MIGRATE of slot ${slot} from ${source.host}:${source.port} to ${target.host}:${target.port}: ${r.message}`);
}

/**
 * Moves the keys of slots whose source is MIGRATING; returns how many. Each round asks for the keys
 * of every slot still holding some in one pipeline, then sends one MIGRATE per non-empty slot
 * (MIGRATE KEYS takes one slot's keys), a few at a time: empty slots cost one round trip for a
 * whole batch rather than one each.
 */
async function migrateKeys(cluster: ClusterHandle, slots: readonly number[], source: Member, target: Member, opts: MoveOptions): Promise<number> {
  const batch = opts.keysPerMigrate ?? 100;
  let moved = 0;
  let left = [...slots];
  while (left.length) {
    const lists = await Promise.all(left.map(async (s) => {
      const r = await source.link.call(['CLUSTER', 'GETKEYSINSLOT', s, batch]);
      if (r instanceof Error) throw new Error(`CLUSTER GETKEYSINSLOT ${s} on ${source.host}:${source.port}: ${r.message}`);
      return r as string[];
    }));
    const busy = left.map((s, i) => ({ slot: s, keys: lists[i] })).filter((x) => x.keys.length > 0);
    // A node runs a MIGRATE blocked (as Valkey), and every command of a pipeline before serving
    // another client: a few MIGRATEs in flight keep the link busy without starving the clients.
    const queue = [...busy];
    await Promise.all(Array.from({ length: Math.max(1, opts.migratesInFlight ?? 2) }, async () => {
      for (let x = queue.shift(); x; x = queue.shift()) await migrateBatch(cluster, x.slot, x.keys, source, target, opts);
    }));
    for (const x of busy) moved += x.keys.length;
    // A slot that gave fewer keys than asked may have been refilled by a client meanwhile: asking again costs one reply.
    left = busy.map((x) => x.slot);
  }
  return moved;
}

/** Moves `slots` from `source` to `target`; returns the number of keys moved. */
export async function moveSlots(
  cluster: ClusterHandle, slots: readonly number[], source: Member, target: Member, opts: MoveOptions = {},
): Promise<number> {
  await each(target, slots, (s) => ['CLUSTER', 'SETSLOT', s, 'IMPORTING', source.id]);
  await each(source, slots, (s) => ['CLUSTER', 'SETSLOT', s, 'MIGRATING', target.id]);
  const moved = await migrateKeys(cluster, slots, source, target, opts);
  // Target first: it takes a new config epoch, so its claim wins everywhere.
  await each(target, slots, (s) => ['CLUSTER', 'SETSLOT', s, 'NODE', target.id]);
  // A source that has just lost its last slot may already have followed the target as its replica
  // (the target's gossip arrives first): it no longer takes SETSLOT, and needs none.
  await each(source, slots, (s) => ['CLUSTER', 'SETSLOT', s, 'NODE', target.id]).catch((e: Error) => {
    if (!/only with masters/.test(e.message)) throw e;
  });
  if (opts.announceToAll ?? true) {
    const others = cluster.live().filter((m) => m.role === 'primary' && m !== source && m !== target);
    await Promise.all(others.map((m) => each(m, slots, (s) => ['CLUSTER', 'SETSLOT', s, 'NODE', target.id]).catch(() => undefined)));
  }
  return moved;
}

/** One slot (redis-cli's unit). */
export function moveSlot(cluster: ClusterHandle, slot: number, source: Member, target: Member, opts: MoveOptions = {}): Promise<number> {
  return moveSlots(cluster, [slot], source, target, opts);
}
