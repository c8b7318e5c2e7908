/**
 * Moving one hash slot between primaries, online, exactly as redis-cli --cluster reshard does:
 * IMPORTING on the target, MIGRATING on the source, keys in batches with MIGRATE ... KEYS (clients
 * get -ASK for the slot meanwhile), then SETSLOT NODE on the target, the source and every other
 * primary (-MOVED from then on).
 */
import { ClusterHandle, Member } from './cluster';

export interface MoveOptions {
  /** Keys per GETKEYSINSLOT / MIGRATE round (default 100, redis-cli's --cluster-pipeline default 10). */
  readonly batch?: number;
  /** MIGRATE's I/O timeout, ms (default 10000). */
  readonly migrateTimeoutMs?: number;
}

function authArgs(cluster: ClusterHandle): string[] {
  const { user, password } = cluster.linkOptions;
  if (password === undefined) return [];
  return user !== undefined ? ['AUTH2', user, password] : ['AUTH', password];
}

/** Moves `slot` from `source` to `target`; returns the number of keys moved. */
export async function moveSlot(cluster: ClusterHandle, slot: number, source: Member, target: Member, opts: MoveOptions = {}): Promise<number> {
  const batch = opts.batch ?? 100;
  const timeout = opts.migrateTimeoutMs ?? 10000;
  await target.link.cmd('CLUSTER', 'SETSLOT', slot, 'IMPORTING', source.id);
  await source.link.cmd('CLUSTER', 'SETSLOT', slot, 'MIGRATING', target.id);
  let moved = 0;
  for (;;) {
    const keys = await source.link.cmd('CLUSTER', 'GETKEYSINSLOT', slot, batch) as string[];
    if (!keys.length) break;
    const args = [target.host, target.port, '', 0, timeout, ...authArgs(cluster), 'KEYS', ...keys];
    let r = await source.link.call(['MIGRATE', ...args], timeout * 2 + 1000);
    // A key the target already has (written there under ASK): the source's copy is the older one
    // only if the client wrote it after the move started, which ASK prevents, so replacing is safe.
    if (r instanceof Error && /BUSYKEY/.test(r.message)) r = await source.link.call(['MIGRATE', ...args.slice(0, -keys.length - 1), 'REPLACE', 'KEYS', ...keys], timeout * 2 + 1000);
    if (r instanceof Error) throw new Error(`MIGRATE of slot ${slot} from ${source.host}:${source.port} to ${target.host}:${target.port}: ${r.message}`);
    moved += keys.length;
  }
  await target.link.cmd('CLUSTER', 'SETSLOT', slot, 'NODE', target.id);
  await source.link.cmd('CLUSTER', 'SETSLOT', slot, 'NODE', target.id);
  const others = cluster.live().filter((m) => m.role === 'primary' && m !== source && m !== target);
  // Others learn it by gossip anyway; telling them saves clients a round of redirects.
  await Promise.all(others.map((m) => m.link.call(['CLUSTER', 'SETSLOT', slot, 'NODE', target.id]).catch(() => undefined)));
  return moved;
}
