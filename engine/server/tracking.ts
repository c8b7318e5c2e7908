import type { Client } from './client';
import { CommandError, CommandSpec, command, Errors } from './commands/command';
import type { Server } from './server';

/**
 * Client-side caching (CLIENT TRACKING), as Valkey's tracking.c does it.
 *
 * Default mode: the keys a tracking client reads (readonly commands, also inside MULTI and scripts)
 * go into one table, key → ids of the clients that may cache it (not per database, as in Valkey).
 * When a key is modified (any write, expiry, eviction: the keyspace's `modified` signal) its entry
 * is removed and each client still tracking gets one invalidation message. BCAST mode: clients
 * register prefixes instead; modified keys matching a prefix are collected and sent once per
 * prefix after the current batch of commands (Valkey does it in beforeSleep).
 *
 * Messages: RESP3 push `invalidate [keys]`; with REDIRECT to a RESP2 connection in pub/sub mode,
 * a `message` on `__redis__:invalidate`. FLUSHDB/FLUSHALL send a null invalidation to every
 * tracking client and drop the whole table. Invalidations meant for the client whose command is
 * running wait until its reply is written (Valkey's tracking_pending_keys).
 */

interface ClientTracking {
  /** REDIRECT client id, 0 for none. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING YES (optin) / NO (optout) was given for the next command or transaction. */
  caching: boolean;
  brokenRedir: boolean;
  /** BCAST prefixes. */
  prefixes: Set<string>;
}

/** One BCAST prefix: its clients and the keys modified since the last broadcast (→ last modifier). */
interface PrefixState {
  readonly clients: Set<Client>;
  keys: Map<string, Client | undefined>;
}

/** Readonly commands whose own keys are not remembered (only the commands they run are). */
const NOT_REMEMBERED = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);
const INVALIDATE_CHANNEL = '__redis__:invalidate';

export class Tracking {
  /** Clients with tracking on, and their options. */
  public readonly clients = new Map<Client, ClientTracking>();
  /** Key → ids of clients that read it. */
  private readonly table = new Map<string, Set<number>>();
  /** Pairs (key, client) in the table (INFO tracking_total_items). */
  private items = 0;
  private readonly prefixes = new Map<string, PrefixState>();
  /**
   * The client whose top-level command is running (set by Server.execute). Readonly commands
   * remember keys for it, even when a script runs them.
   */
  public current: Client | undefined;
  /** True while keys may need invalidating: checked by the keyspace signal before calling in. */
  public armed = false;
  /** Messages for the running client, sent after its reply. `keys` null: flush (null invalidation). */
  private pending: Array<{ tc: Client; keys: string[] | null }> = [];
  /** Connections we wrote messages to, flushed after the batch. */
  private readonly receivers = new Set<Client>();
  private scheduled = false;
  /** Set during FLUSHDB/FLUSHALL: the per-key signals of the emptied databases are not invalidations. */
  private muted = false;
  private readonly afterBatchBound: () => void;

  constructor(private readonly server: Server) {
    this.afterBatchBound = () => this.afterBatch();
  }

  // ------------------------------------------------------------ hooks called by the server

  /** A readonly command ran (`spec`, `argv`): remembers its keys for the current client. */
  public rememberKeys(spec: CommandSpec, argv: readonly string[]): void {
    const c = this.current;
    if (c === undefined) return;
    const st = this.clients.get(c);
    if (st === undefined || st.bcast) return;
    if ((st.optin && !st.caching) || (st.optout && st.caching)) return;
    if (NOT_REMEMBERED.has(spec.name) || spec.flags.includes('pubsub')) return;
    let positions: number[];
    try {
      positions = this.server.keysOf(spec, argv);
    } catch {
      return; // a malformed line (its command already answered the error) reads no key
    }
    for (const i of positions) {
      const key = argv[i];
      if (key === undefined) continue;
      let ids = this.table.get(key);
      if (ids === undefined) this.table.set(key, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.items++;
      }
    }
    this.armed = true;
    const max = this.server.config.getNumber('tracking-table-max-keys');
    if (max > 0 && this.table.size > max) this.schedule();
  }

  /** A key was modified (write, expiry, eviction). */
  public keyModified(key: string): void {
    if (this.muted) return;
    if (this.prefixes.size > 0) this.rememberForBroadcast(key);
    this.invalidateKey(key, true);
  }

  /**
   * End of a top-level command of `client`: sends the invalidations that waited for its reply and
   * drops the CLIENT CACHING flag after the command (or the transaction) it applied to. `outer`: the
   * client whose command was running around it, if any (it is the current one again).
   */
  public commandDone(client: Client, spec: CommandSpec, outer: Client | undefined): void {
    this.current = outer;
    if (this.clients.size === 0 && this.pending.length === 0) return;
    if (this.pending.length > 0) {
      const p = this.pending;
      this.pending = [];
      for (const m of p) this.send(m.tc, m.keys);
    }
    const st = this.clients.get(client);
    if (st !== undefined && st.caching && client.multi === undefined && !spec.name.startsWith('client|')) st.caching = false;
  }

  /** Before FLUSHDB/FLUSHALL empties databases: null invalidation to every tracking client, table dropped. */
  public flushStart(): void {
    for (const c of this.clients.keys()) this.send(c, null);
    this.table.clear();
    this.items = 0;
    this.muted = true;
    this.rearm();
  }

  public flushEnd(): void {
    this.muted = false;
  }

  /** A connection closed (or RESET): tracking off. */
  public disable(c: Client): void {
    const st = this.clients.get(c);
    if (st === undefined) return;
    for (const p of st.prefixes) {
      const ps = this.prefixes.get(p);
      if (ps === undefined) continue;
      ps.clients.delete(c);
      if (ps.clients.size === 0) this.prefixes.delete(p);
    }
    this.clients.delete(c);
    this.rearm();
  }

  /** INFO fields. */
  public info(): { clients: number; keys: number; items: number; prefixes: number } {
    return { clients: this.clients.size, keys: this.table.size, items: this.items, prefixes: this.prefixes.size };
  }

  /** CLIENT LIST flags (t, R, B) and redir. */
  public listFlags(c: Client): string {
    const st = this.clients.get(c);
    if (st === undefined) return '';
    return `t${st.brokenRedir ? 'R' : ''}${st.bcast ? 'B' : ''}`;
  }

  public redirectOf(c: Client): number {
    return this.clients.get(c)?.redirect ?? -1;
  }

  // ------------------------------------------------------------ invalidation

  /** Valkey's trackingInvalidateKey: every client that read `key` is told, the entry is dropped. */
  private invalidateKey(key: string, fromSignal: boolean): void {
    const ids = this.table.get(key);
    if (ids === undefined) return;
    this.table.delete(key);
    this.items -= ids.size;
    if (this.table.size === 0) this.rearm();
    for (const id of ids) {
      const tc = this.server.clients.get(id);
      const st = tc === undefined ? undefined : this.clients.get(tc);
      if (st === undefined || st.bcast) continue;
      // NOLOOP: not about keys the client changed itself (table evictions are nobody's change).
      if (fromSignal && st.noloop && tc === this.current) continue;
      this.send(tc!, [key]);
    }
  }

  private rememberForBroadcast(key: string): void {
    for (const [prefix, ps] of this.prefixes) {
      if (!key.startsWith(prefix)) continue;
      ps.keys.set(key, this.current);
      this.schedule();
    }
  }

  /**
   * Valkey's sendTrackingMessage: to the client, or to its REDIRECT connection. A message for the
   * connection whose command is running waits until that command's reply is written.
   */
  private send(tc: Client, keys: string[] | null): void {
    if (tc.closed) return;
    const st = this.clients.get(tc);
    if (st === undefined) return;
    let to = tc;
    const redirected = st.redirect !== 0;
    if (redirected) {
      const target = this.server.clients.get(st.redirect);
      if (target === undefined || target.closed) {
        st.brokenRedir = true;
        if (tc.reply.resp === 3) {
          if (tc === this.current) {
            this.pending.push({ tc, keys });
            return;
          }
          tc.reply.push(2);
          tc.reply.bulk('tracking-redir-broken');
          tc.reply.int(st.redirect);
          this.delivered(tc);
        }
        return;
      }
      to = target;
    }
    if (to.reply.resp !== 3 && !(redirected && to.subscriptionCount > 0)) return; // RESP2 without a pub/sub redirect: nowhere to send it
    if (to === this.current) {
      this.pending.push({ tc, keys });
      return;
    }
    const r = to.reply;
    if (r.resp === 3) {
      r.push(2);
      r.bulk('invalidate');
    } else {
      r.array(3);
      r.bulk('message');
      r.bulk(INVALIDATE_CHANNEL);
    }
    if (keys === null) {
      r.nil();
    } else {
      r.array(keys.length);
      for (const k of keys) r.bulk(k);
    }
    this.delivered(to);
  }

  private delivered(c: Client): void {
    this.receivers.add(c);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.afterBatchBound);
  }

  /** After the current batch: BCAST broadcasts, the table size limit, then one flush per receiver. */
  private afterBatch(): void {
    this.scheduled = false;
    if (this.current !== undefined) {
      this.schedule(); // a command is still running (should not happen between event-loop turns)
      return;
    }
    this.broadcast();
    this.limitTable();
    for (const c of this.receivers) if (!c.closed) this.server.flushClient(c);
    this.receivers.clear();
  }

  /** Valkey's trackingBroadcastInvalidationMessages: one message per prefix, keys in byte order. */
  private broadcast(): void {
    const order = this.prefixes.size > 1 ? [...this.prefixes.keys()].sort(byteOrder) : [...this.prefixes.keys()];
    for (const prefix of order) {
      const ps = this.prefixes.get(prefix)!;
      if (ps.keys.size === 0) continue;
      const modified = ps.keys;
      ps.keys = new Map();
      const keys = [...modified.keys()].sort(byteOrder);
      for (const c of ps.clients) {
        const st = this.clients.get(c);
        if (st === undefined) continue;
        const mine = st.noloop ? keys.filter((k) => modified.get(k) !== c) : keys;
        if (mine.length > 0) this.send(c, mine);
      }
    }
  }

  /** tracking-table-max-keys: the oldest keys are invalidated until the table fits. */
  private limitTable(): void {
    const max = this.server.config.getNumber('tracking-table-max-keys');
    if (max === 0) return;
    while (this.table.size > max) {
      const oldest = this.table.keys().next().value as string;
      this.invalidateKey(oldest, false);
    }
  }

  private rearm(): void {
    this.armed = this.clients.size > 0 || this.table.size > 0;
  }

  // ------------------------------------------------------------ CLIENT subcommands

  /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. */
  public trackingCommand(c: Client, argv: string[]): void {
    let redirect = 0;
    let bcast = false;
    let optin = false;
    let optout = false;
    let noloop = false;
    const prefixes: string[] = [];
    for (let j = 3; j < argv.length; j++) {
      const opt = argv[j].toLowerCase();
      const more = j + 1 < argv.length;
      if (opt === 'redirect' && more) {
        j++;
        if (redirect !== 0) throw new CommandError('ERR A client can only redirect to a single other client');
        if (!/^-?\d+$/.test(argv[j]) || !Number.isSafeInteger(Number(argv[j]))) throw new CommandError(Errors.notInteger);
        redirect = Number(argv[j]);
        if (!this.server.clients.has(redirect)) throw new CommandError('ERR The client ID you want redirect to does not exist');
      } else if (opt === 'bcast') {
        bcast = true;
      } else if (opt === 'optin') {
        optin = true;
      } else if (opt === 'optout') {
        optout = true;
      } else if (opt === 'noloop') {
        noloop = true;
      } else if (opt === 'prefix' && more) {
        prefixes.push(argv[++j]);
      } else {
        throw new CommandError(Errors.syntax);
      }
    }
    const mode = argv[2].toLowerCase();
    if (mode === 'on') {
      const st = this.clients.get(c);
      if (!bcast && prefixes.length > 0) throw new CommandError('ERR PREFIX option requires BCAST mode to be enabled');
      if (st !== undefined && st.bcast !== bcast) {
        throw new CommandError('ERR You can\'t switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.');
      }
      if (bcast && (optin || optout)) throw new CommandError('ERR OPTIN and OPTOUT are not compatible with BCAST');
      if (optin && optout) throw new CommandError('ERR You can\'t specify both OPTIN mode and OPTOUT mode');
      if (st !== undefined && ((optin && st.optout) || (optout && st.optin))) {
        throw new CommandError('ERR You can\'t switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.');
      }
      if (bcast) checkPrefixCollisions(st?.prefixes, prefixes);
      this.enable(c, redirect, { bcast, optin, optout, noloop }, prefixes);
    } else if (mode === 'off') {
      this.disable(c);
    } else {
      throw new CommandError(Errors.syntax);
    }
    c.reply.ok();
  }

  private enable(c: Client, redirect: number, opts: { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }, prefixes: string[]): void {
    let st = this.clients.get(c);
    if (st === undefined) {
      st = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedir: false, prefixes: new Set() };
      this.clients.set(c, st);
    }
    st.redirect = redirect;
    st.brokenRedir = false;
    st.bcast = opts.bcast;
    st.optin = opts.optin;
    st.optout = opts.optout;
    st.noloop = opts.noloop;
    if (opts.bcast) {
      for (const p of prefixes.length === 0 ? [''] : prefixes) {
        let ps = this.prefixes.get(p);
        if (ps === undefined) this.prefixes.set(p, (ps = { clients: new Set(), keys: new Map() }));
        ps.clients.add(c);
        st.prefixes.add(p);
      }
    }
    this.rearm();
  }

  /** CLIENT CACHING YES|NO. */
  public cachingCommand(c: Client, argv: string[]): void {
    const st = this.clients.get(c);
    if (st === undefined) throw new CommandError('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
    const opt = argv[2].toLowerCase();
    if (opt === 'yes') {
      if (!st.optin) throw new CommandError('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
    } else if (opt === 'no') {
      if (!st.optout) throw new CommandError('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
    } else {
      throw new CommandError(Errors.syntax);
    }
    st.caching = true;
    c.reply.ok();
  }

  /** CLIENT TRACKINGINFO: flags (a set), redirect, prefixes. */
  public trackingInfoCommand(c: Client): void {
    const st = this.clients.get(c);
    const flags: string[] = [st ? 'on' : 'off'];
    if (st) {
      if (st.bcast) flags.push('bcast');
      if (st.optin) flags.push('optin');
      if (st.optin && st.caching) flags.push('caching-yes');
      if (st.optout) flags.push('optout');
      if (st.optout && st.caching) flags.push('caching-no');
      if (st.noloop) flags.push('noloop');
      if (st.brokenRedir) flags.push('broken_redirect');
    }
    const r = c.reply;
    r.map(3);
    r.bulk('flags');
    r.set(flags.length);
    for (const f of flags) r.bulk(f);
    r.bulk('redirect');
    r.int(st ? st.redirect : -1);
    r.bulk('prefixes');
    const prefixes = st ? [...st.prefixes].sort(byteOrder) : [];
    r.array(prefixes.length);
    for (const p of prefixes) r.bulk(p);
  }
}

/** Byte order of latin1 strings (a radix tree's order in Valkey). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Valkey's checkPrefixCollisionsOrReply: a prefix may not be a prefix of another (existing or given). */
function checkPrefixCollisions(existing: Set<string> | undefined, given: string[]): void {
  const overlap = (a: string, b: string) => (a.length <= b.length ? b.startsWith(a) : a.startsWith(b));
  const sortedExisting = existing ? [...existing].sort(byteOrder) : [];
  for (let i = 0; i < given.length; i++) {
    for (const p of sortedExisting) {
      if (overlap(p, given[i])) {
        throw new CommandError(`ERR Prefix '${given[i]}' overlaps with an existing prefix '${p}'. Prefixes for a single client must not overlap.`);
      }
    }
    for (let j = i + 1; j < given.length; j++) {
      if (overlap(given[i], given[j])) {
        throw new CommandError(`ERR Prefix '${given[i]}' overlaps with another provided prefix '${given[j]}'. Prefixes for a single client must not overlap.`);
      }
    }
  }
}

/** The CLIENT subcommands of client-side caching (replace the connection module's entries). */
export function trackingClientSubcommands(): CommandSpec[] {
  const sub = (name: string, arity: number, handler: (c: Client, a: string[]) => void) =>
    command(`client|${name}`, arity, 'noscript loading stale', [0, 0, 0], 'connection', handler);
  return [
    sub('tracking', -3, (c, a) => c.server.tracking.trackingCommand(c, a)),
    sub('caching', 3, (c, a) => c.server.tracking.cachingCommand(c, a)),
    sub('getredir', 2, (c) => c.reply.int(c.server.tracking.redirectOf(c))),
    sub('trackinginfo', 2, (c) => c.server.tracking.trackingInfoCommand(c)),
  ];
}
