import type { Client } from '../client';
import type { CommandSpec } from '../commands/command';
import type { Server } from '../server';
import { keySlot } from './slots';
import type { ClusterState } from './state';

/** Redirection and refusal errors, spelled as Valkey spells them. */
export const RouteErrors = {
  crossSlot: "CROSSSLOT Keys in request don't hash to the same slot",
  unbound: 'CLUSTERDOWN Hash slot not served',
  down: 'CLUSTERDOWN The cluster is down',
  downReadOnly: 'CLUSTERDOWN The cluster is down and only accepts read commands',
  tryAgain: 'TRYAGAIN Multiple keys request during rehashing of slot',
};

/** Why a query is not served here: the error code (for scripts' own messages) and the reply. */
export interface Refusal {
  readonly code: 'crossslot' | 'unbound' | 'down' | 'down-ro' | 'tryagain' | 'ask' | 'moved';
  readonly error: string;
}

export interface Query {
  readonly commands: ReadonlyArray<{ spec: CommandSpec; argv: readonly string[] }>;
  readonly write: boolean;
  readonly asking: boolean;
  readonly readOnlyClient: boolean;
}

const SHARD_PUBSUB = new Set(['spublish', 'ssubscribe', 'sunsubscribe']);

/**
 * Valkey's getNodeByQuery: whether this node serves the keys of a command (or of every command of
 * a transaction), and if not, the redirection or refusal. `slot` is the keys' slot (-1 = no keys).
 */
export function routeQuery(server: Server, st: ClusterState, q: Query): { slot: number; refusal?: Refusal } {
  const db = server.dbs[0];
  const now = Date.now();
  let slot = -1;
  let firstKey: string | undefined;
  let owner;
  let migrating = false;
  let importing = false;
  let multipleKeys = false;
  let missing = 0;
  let existing = 0;
  let shardPubsub = false;
  let isMigrate = false;
  let askingCmd = false;
  for (const { spec, argv } of q.commands) {
    if (SHARD_PUBSUB.has(spec.name)) shardPubsub = true;
    if (spec.name === 'migrate') isMigrate = true;
    if (spec.flags.includes('asking')) askingCmd = true;
    for (const i of server.keysOf(spec, argv)) {
      const key = argv[i];
      const ks = keySlot(key);
      if (firstKey === undefined) {
        firstKey = key;
        slot = ks;
        owner = st.owner[ks];
        if (!owner) return { slot, refusal: { code: 'unbound', error: RouteErrors.unbound } };
        if (owner === st.myself && st.migrating.has(ks)) migrating = true;
        else if (st.importing.has(ks)) importing = true;
      } else if (ks !== slot) {
        return { slot, refusal: { code: 'crossslot', error: RouteErrors.crossSlot } };
      } else if (key !== firstKey) {
        multipleKeys = true;
      }
      if (migrating || importing) {
        const at = db.expires.get(key);
        if (!db.dict.has(key) || (at !== undefined && at <= now)) missing++;
        else existing++;
      }
    }
  }
  if (owner === undefined) return { slot: -1 };
  if (!st.ok) {
    const cfg = server.config;
    if (shardPubsub) {
      if (!cfg.getBool('cluster-allow-pubsubshard-when-down')) return { slot, refusal: { code: 'down', error: RouteErrors.down } };
    } else if (!cfg.getBool('cluster-allow-reads-when-down')) {
      return { slot, refusal: { code: 'down', error: RouteErrors.down } };
    } else if (q.write) {
      return { slot, refusal: { code: 'down-ro', error: RouteErrors.downReadOnly } };
    }
  }
  if ((migrating || importing) && isMigrate) return { slot };
  if (migrating && missing > 0) {
    if (existing > 0) return { slot, refusal: { code: 'tryagain', error: RouteErrors.tryAgain } };
    const target = st.nodes.get(st.migrating.get(slot)!);
    if (target) return { slot, refusal: { code: 'ask', error: `ASK ${slot} ${target.ip}:${target.port}` } };
  }
  if (importing && (q.asking || askingCmd)) {
    if (multipleKeys && missing > 0) return { slot, refusal: { code: 'tryagain', error: RouteErrors.tryAgain } };
    return { slot };
  }
  const me = st.myself;
  if ((q.readOnlyClient || shardPubsub) && !q.write && me.role === 'slave' && me.primaryId === owner.id) return { slot };
  if (owner !== me) return { slot, refusal: { code: 'moved', error: `MOVED ${slot} ${owner.ip}:${owner.port}` } };
  return { slot };
}

/** Per-client routing state: ASKING, and the slot of the running command's keys (scripts compare against it). */
export class ClientRouting {
  private readonly asking = new WeakSet<Client>();
  private readonly slots = new WeakMap<Client, number>();

  public setAsking(c: Client): void {
    this.asking.add(c);
  }

  /** The ASKING flag for this command; it lasts one command (or until EXEC inside MULTI), as in Valkey. */
  public takeAsking(c: Client, spec: CommandSpec): boolean {
    const on = this.asking.has(c);
    if (on && spec.name !== 'asking' && (!c.multi || spec.name === 'exec')) this.asking.delete(c);
    return on;
  }

  public slotOf(c: Client): number {
    return this.slots.get(c) ?? -1;
  }

  public setSlot(c: Client, slot: number): void {
    this.slots.set(c, slot);
  }

  public clear(c: Client): void {
    this.asking.delete(c);
  }
}
