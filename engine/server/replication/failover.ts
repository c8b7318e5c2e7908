import type { Client } from '../client';
import type { ReplicaLink, Replication } from './replication';
import { CommandError } from '../commands/command';

type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: a coordinated switch of roles. Writes stop
 * (they answer READONLY, what they would get once the switch is done; Redis pauses them instead),
 * the target replica is waited for until it acknowledged every byte, then this node becomes its
 * replica with `PSYNC <replid> <offset> FAILOVER`, which makes the target promote itself and
 * continue our history: nothing is lost and no full sync happens.
 */
export class Failover {
  public state: FailoverState = 'no-failover';
  private target: { host: string; port: number } | undefined;
  private deadline = 0;
  private force = false;

  constructor(private readonly repl: Replication) {}

  public get blocksWrites(): boolean {
    return this.state !== 'no-failover';
  }

  public command(c: Client, argv: string[]): void {
    let to: { host: string; port: number } | undefined;
    let force = false;
    let abort = false;
    let timeout = 0;
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i].toLowerCase();
      if (a === 'to' && i + 2 < argv.length && to === undefined) {
        to = { host: argv[i + 1], port: Number(argv[i + 2]) };
        if (!/^\d+$/.test(argv[i + 2])) throw new CommandError('ERR value is not an integer or out of range');
        i += 2;
      } else if (a === 'force' && !force) {
        force = true;
      } else if (a === 'abort' && !abort) {
        abort = true;
      } else if (a === 'timeout' && i + 1 < argv.length && timeout === 0) {
        if (!/^\d+$/.test(argv[i + 1]) || Number(argv[i + 1]) <= 0) throw new CommandError('ERR FAILOVER timeout must be greater than 0');
        timeout = Number(argv[++i]);
      } else {
        throw new CommandError('ERR syntax error');
      }
    }
    if (abort) {
      if (to !== undefined || force || timeout > 0) throw new CommandError('ERR FAILOVER with ABORT can only be used on its own');
      if (this.state === 'no-failover') throw new CommandError('ERR No failover in progress.');
      this.abort('Failover aborted by user request');
      c.reply.ok();
      return;
    }
    if (this.repl.link !== undefined) throw new CommandError('ERR FAILOVER is not valid when server is a replica.');
    if (this.repl.replicas.size === 0) throw new CommandError('ERR FAILOVER requires connected replicas.');
    if (this.state !== 'no-failover') throw new CommandError('ERR FAILOVER already in progress.');
    if (force && (to === undefined || timeout === 0)) throw new CommandError('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
    if (to !== undefined && this.linkTo(to) === undefined) throw new CommandError('ERR FAILOVER target HOST and PORT is not a replica.');
    this.target = to;
    this.force = force;
    this.deadline = timeout > 0 ? Date.now() + timeout : 0;
    this.state = 'waiting-for-sync';
    // Expiry pauses too (expired keys are kept, hidden), so no DEL grows the stream meanwhile.
    for (const db of this.repl.server.dbs) db.keepExpired = () => true;
    this.repl.server.log.notice(`FAILOVER requested to ${to ? `${to.host}:${to.port}` : 'any replica'}.`);
    c.reply.ok();
    this.check(Date.now());
  }

  private linkTo(t: { host: string; port: number }): ReplicaLink | undefined {
    for (const r of this.repl.replicas.values()) if (r.ip === t.host && r.port === t.port) return r;
    return undefined;
  }

  /** On acks and in the cron: switch once the target has everything, or give up at the deadline. */
  public check(now: number): void {
    if (this.state !== 'waiting-for-sync') return;
    const offset = this.repl.offset;
    let ready: ReplicaLink | undefined;
    if (this.target !== undefined) {
      const r = this.linkTo(this.target);
      if (r !== undefined && r.ackOffset >= offset) ready = r;
    } else {
      for (const r of this.repl.replicas.values()) if (r.ackOffset >= offset) ready = r;
    }
    if (ready === undefined && this.deadline > 0 && now >= this.deadline) {
      if (!this.force || this.target === undefined) {
        this.abort('Failover target did not catch up in time');
        return;
      }
    } else if (ready === undefined) {
      return;
    }
    const to = this.target ?? { host: ready!.ip, port: ready!.port };
    this.state = 'failover-in-progress';
    this.repl.server.log.notice(`Failover target ${to.host}:${to.port} is synced, failing over.`);
    this.repl.replicate(to.host, to.port, true);
  }

  /** The switch is done (our link to the new primary is up) or abandoned. */
  public finish(): void {
    if (this.state === 'waiting-for-sync' && this.repl.link === undefined) for (const db of this.repl.server.dbs) db.keepExpired = undefined;
    this.state = 'no-failover';
    this.target = undefined;
  }

  private abort(why: string): void {
    this.repl.server.log.notice(`FAILOVER aborted: ${why}`);
    this.finish();
  }
}
