import type { BlockState, Client } from '../client';
import type { Replication } from './replication';

/** A client waiting for replicas to acknowledge an offset: WAIT, or a write held for durability. */
interface Waiter {
  readonly client: Client;
  readonly offset: number;
  readonly n: number;
  /** A write's reply, sent only once `n` replicas have its offset (sync-replicas). */
  readonly held?: Buffer;
  readonly timeoutMs: number;
}

/**
 * WAIT and synchronous durability. Under `sync-replicas <n>` a write's reply is held back (the
 * client is blocked, so its next commands wait too) until n replicas acknowledged the write's
 * offset; after `sync-replicas-timeout` ms the client gets a NOTDURABLE error instead, never a
 * success reply for a write that is not on n replicas. This is what the constructs' `durability`
 * prop maps to.
 */
export class SyncWaits {
  private waiters: Waiter[] = [];

  /** sync-replicas, kept in a field: it is read after every propagated write. */
  private syncReplicas: number;

  constructor(private readonly repl: Replication) {
    const config = repl.server.config;
    this.syncReplicas = config.getNumber('sync-replicas');
    config.onChange('sync-replicas', (v) => (this.syncReplicas = Number(v)));
  }

  /** WAIT numreplicas timeout. */
  public wait(client: Client, n: number, timeoutMs: number): void {
    const offset = this.repl.offset;
    const got = this.repl.ackedAtLeast(offset);
    if (got >= n || client.multi !== undefined || this.repl.server.inExec) {
      client.reply.int(got);
      return;
    }
    this.block({ client, offset, n, timeoutMs });
    this.repl.requestAcks();
  }

  /** After a client's write was propagated: hold its reply (from `mark` on) until it is on n replicas. */
  public holdForDurability(client: Client, mark: number): void {
    if (client.blocked !== undefined) return;
    const state = this.prepareHold(client, mark);
    if (state !== undefined) this.repl.server.block(client, state);
  }

  /**
   * Takes the reply written since `mark` aside and returns the block that releases it once n
   * replicas acknowledged the current offset (or answers NOTDURABLE on timeout); undefined when
   * sync-replicas is off or the offset is acknowledged already.
   */
  public prepareHold(client: Client, mark: number): BlockState | undefined {
    const n = this.syncReplicas;
    if (n <= 0) return undefined;
    const offset = this.repl.offset;
    if (this.repl.ackedAtLeast(offset) >= n) return undefined;
    const held = client.reply.bytesSince(mark);
    client.reply.rollback(mark);
    this.repl.requestAcks();
    return this.waitState({ client, offset, n, held, timeoutMs: this.repl.server.config.getNumber('sync-replicas-timeout') });
  }

  private block(w: Waiter): void {
    this.repl.server.block(w.client, this.waitState(w));
  }

  /** Registers the waiter; the returned block answers it on timeout. */
  private waitState(w: Waiter): BlockState {
    this.waiters.push(w);
    const c = w.client;
    return {
      keys: [],
      db: c.db,
      deadline: w.timeoutMs > 0 ? Date.now() + w.timeoutMs : 0,
      tryServe: () => false,
      onTimeout: () => {
        this.remove(w);
        const got = this.repl.ackedAtLeast(w.offset);
        if (w.held === undefined) {
          c.reply.int(got);
        } else {
          const msg = `NOTDURABLE the write was applied on the primary but is not durable: acknowledged by ${got} of ${w.n} required replicas within ${w.timeoutMs} ms`;
          c.reply.error(msg);
          this.repl.server.countError(msg);
        }
      },
    };
  }

  private remove(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  /** Replica acks changed: serves every waiter whose offset is now on enough replicas. */
  public check(): void {
    if (this.waiters.length === 0) return;
    for (const w of [...this.waiters]) {
      const got = this.repl.ackedAtLeast(w.offset);
      if (got < w.n || w.client.blocked === undefined) continue;
      this.remove(w);
      if (w.held !== undefined) w.client.reply.rawBytes(w.held);
      else w.client.reply.int(got);
      this.repl.server.unblock(w.client, false);
    }
  }

  /** Timeouts are the blocked-client deadlines the server cron enforces; nothing extra here. */
  public expire(_now: number): void {}

  public drop(client: Client): void {
    this.waiters = this.waiters.filter((w) => w.client !== client);
  }

  /** The node stopped being a primary: waiters get `msg` (a held write never reads as durable). */
  public failAll(msg: string): void {
    for (const w of [...this.waiters]) {
      this.remove(w);
      w.client.reply.error(w.held === undefined ? msg : `NOTDURABLE the write was applied but the node stopped being a primary before ${w.n} replicas acknowledged it`);
      this.repl.server.unblock(w.client, false);
    }
  }
}
