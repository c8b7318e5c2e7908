import * as crypto from 'crypto';
import type { BlockState, Client } from '../client';
import { CMD_WRITE, CommandError, CommandSpec, Errors } from '../commands/command';
import type { Db } from '../db';
import { checkOutputBuffer } from '../limits';
import type { Server } from '../server';
import { Backlog, encodeCommand } from './backlog';
import { Failover } from './failover';
import { FullSync } from './full-sync';
import type { ReplicationHooks } from './hooks';
import { MasterLink } from './master-link';
import { rdbAux } from './rdb-bridge';
import { parseReply, Parsed } from './reply-reader';
import { RULES, propagates } from './rewrite';
import { SyncWaits } from './sync-waits';

/** A replica connected to this node (the primary side of a link). */
export interface ReplicaLink {
  readonly client: Client;
  /** wait_bgsave: its RDB is being made; the stream since its starting offset waits in `pending`. */
  state: 'online' | 'wait_bgsave';
  pending: Buffer[] | undefined;
  ackOffset: number;
  ackTime: number;
  /** The RDB of its full sync is still being written: its bytes do not count against the output limit. */
  sending: boolean;
  readonly ip: string;
  readonly port: number;
}

/** What a connection told us in REPLCONF before its PSYNC. */
interface ReplicaHello {
  port: number;
  ip?: string;
  capaEof: boolean;
  capaPsync2: boolean;
}

const ZERO_ID = '0'.repeat(40);
/** REPLCONF options besides ACK/GETACK (accepted; the ones that matter are recorded). */
const REPLCONF_OPTIONS = new Set(['listening-port', 'ip-address', 'capa', 'rdb-only', 'rdb-filter-only']);

export function newReplid(): string {
  return crypto.randomBytes(20).toString('hex');
}

/**
 * Replication state of one node, both sides: as a primary it propagates writes into the backlog
 * and to its replicas and answers PSYNC; as a replica (`link`) it applies its primary's stream.
 * Replication IDs follow PSYNC2: `replid2`/`secondOffset` keep the previous history so replicas of
 * the same primary can continue partially with a promoted sibling.
 */
export class Replication implements ReplicationHooks {
  public replid = newReplid();
  public replid2 = ZERO_ID;
  public secondOffset = -1;
  /** master_repl_offset: bytes of stream produced (primary) or processed (replica). */
  public offset = 0;
  public backlog: Backlog | undefined;
  public backlogIdleSince = Date.now();
  public readonly replicas = new Map<Client, ReplicaLink>();
  private readonly hellos = new WeakMap<Client, ReplicaHello>();
  /** The link to our primary while this node is a replica. */
  public link: MasterLink | undefined;
  public readonly waits: SyncWaits;
  public readonly failover = new Failover(this);
  /** The full-sync snapshot in progress, shared by replicas that ask meanwhile. */
  private fullSync: { sync: FullSync; offset: number } | undefined;
  /** Commands of the current top-level command, to send at once (wrapped in MULTI/EXEC if several). */
  private pending: Array<{ db: number; argv: string[] }> = [];
  private depth = 0;
  /** The database the stream last SELECTed (-1: the next command sends SELECT). */
  private streamDb = -1;
  /** Argument vectors of clients blocked by a command, for when they are served. */
  private readonly blockedArgv = new WeakMap<Client, string[]>();
  private lastPing = Date.now();
  private lastAckSent = 0;
  /** Stream bytes not yet written to the replicas (flushed once per event-loop turn). */
  private outQueue: Buffer[] = [];
  private outScheduled = false;
  private getackScheduled = false;

  /** min-replicas-to-write and sync-replicas, read on every write. */
  private minReplicasToWrite = 0;
  private syncReplicas = 0;

  constructor(public readonly server: Server) {
    this.waits = new SyncWaits(this);
    server.config.onChange('repl-backlog-size', (v) => this.backlog?.resize(Number(v)));
    server.cronHooks.push((now) => this.cron(now));
    // Read on every write: kept as numbers rather than looked up per command.
    const track = (name: string, set: (n: number) => void): void => {
      set(server.config.getNumber(name));
      server.config.onChange(name, (v) => set(Number(v)));
    };
    track('min-replicas-to-write', (n) => (this.minReplicasToWrite = n));
    track('sync-replicas', (n) => (this.syncReplicas = n));
  }

  public get isReplica(): boolean {
    return this.link !== undefined;
  }

  // ---------------------------------------------------------------- hooks from the core

  public refuse(client: Client, spec: CommandSpec): string | undefined {
    const link = this.link;
    const write = (spec.bits & CMD_WRITE) !== 0;
    if (link !== undefined) {
      if (client === link.client) return undefined;
      if (!link.connected && !this.server.config.getBool('replica-serve-stale-data') && !spec.flags.includes('stale')) {
        return "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
      }
      if (write && this.server.config.getBool('replica-read-only')) return "READONLY You can't write against a read only replica.";
      return undefined;
    }
    if (write && this.failover.blocksWrites) return "READONLY You can't write against a read only replica.";
    if (write) {
      const min = this.minReplicasToWrite;
      if (min > 0 && this.goodReplicas() < min) return 'NOREPLICAS Not enough good replicas to write.';
      const sync = this.syncReplicas;
      if (sync > 0 && this.replicas.size < sync) return 'NOREPLICAS Not enough good replicas to write.';
    }
    return undefined;
  }

  public enter(): number {
    this.depth++;
    return this.server.dirty;
  }

  public leave(client: Client, spec: CommandSpec, argv: string[], dirtyBefore: number, mark: number): void {
    this.depth--;
    const link = this.link;
    if (link !== undefined && link.applying) return; // the primary's stream is proxied as received
    if (client.blocked !== undefined) {
      this.blockedArgv.set(client, argv);
    } else if (this.backlog !== undefined && propagates(spec, this.server.dirty !== dirtyBefore)) {
      this.collect(client, spec, argv, mark);
    }
    if (this.depth === 0 && this.pending.length > 0) this.flushPending(client, mark);
  }

  public served(client: Client, mark: number): BlockState | undefined {
    const argv = this.blockedArgv.get(client);
    this.blockedArgv.delete(client);
    if (argv === undefined || this.backlog === undefined || (this.link !== undefined && this.link.applying)) return undefined;
    const spec = this.server.commands.get(argv[0].toLowerCase());
    if (spec === undefined) return undefined;
    this.collect(client, spec, argv, mark);
    if (this.depth > 0 || this.pending.length === 0) return undefined;
    this.flushPending(undefined, mark);
    return client.socket !== undefined ? this.waits.prepareHold(client, mark) : undefined;
  }

  public expired(db: Db, key: string): void {
    this.deleted(db, key, this.server.config.getBool('lazyfree-lazy-expire'));
  }

  public evicted(db: Db, key: string): void {
    this.deleted(db, key, this.server.config.getBool('lazyfree-lazy-eviction'));
  }

  private deleted(db: Db, key: string, lazy: boolean): void {
    if (this.backlog === undefined || this.link !== undefined) return;
    const argv = [lazy ? 'UNLINK' : 'DEL', key];
    if (this.depth > 0) this.pending.push({ db: db.id, argv });
    else this.feed([{ db: db.id, argv }]);
  }

  public clientClosed(client: Client): void {
    if (this.replicas.delete(client)) {
      this.server.log.notice(`Connection with replica ${client.addr} lost.`);
      if (this.replicas.size === 0) this.backlogIdleSince = Date.now();
      this.waits.check();
    }
    this.waits.drop(client);
  }

  // ---------------------------------------------------------------- propagation

  private collect(client: Client, spec: CommandSpec, argv: string[], mark: number): void {
    if (client.reply.byteAt(mark) === 0x2d) return; // an error reply: nothing was done
    const rule = RULES.get(spec.name);
    let out: string[][] | undefined;
    if (rule !== undefined) {
      const buf = client.reply.bytesSince(mark);
      let parsed: Parsed | undefined;
      const reply = () => (parsed ??= buf.length > 0 ? parseReply(buf, 0).v : null);
      out = rule(client.db, argv, reply);
    }
    const db = client.db.id;
    if (out === undefined) this.pending.push({ db, argv });
    else for (const a of out) this.pending.push({ db, argv: a });
  }

  private flushPending(client: Client | undefined, mark: number): void {
    let cmds = this.pending;
    this.pending = [];
    if (cmds.length > 1) cmds = [{ db: cmds[0].db, argv: ['MULTI'] }, ...cmds, { db: cmds[cmds.length - 1].db, argv: ['EXEC'] }];
    this.feed(cmds);
    if (client !== undefined && client.socket !== undefined) this.waits.holdForDurability(client, mark);
  }

  /** Appends commands to the stream (with SELECT when the database changes). */
  public feed(cmds: Array<{ db: number; argv: string[] }>): void {
    const parts: Buffer[] = [];
    for (const c of cmds) {
      if (c.db !== this.streamDb) {
        parts.push(encodeCommand(['SELECT', String(c.db)]));
        this.streamDb = c.db;
      }
      parts.push(encodeCommand(c.argv));
    }
    this.feedRaw(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  /**
   * Appends stream bytes as they are (a replica proxying its primary's stream, PING, GETACK). The
   * backlog and offset move at once; the sockets get what accumulated once per event-loop turn
   * (as Redis writes replica buffers before sleeping), so a burst of writes is one write per replica.
   */
  public feedRaw(buf: Buffer): void {
    if (this.backlog === undefined) return;
    this.backlog.append(buf);
    this.offset = this.backlog.offset;
    if (this.replicas.size === 0) return;
    this.outQueue.push(buf);
    if (!this.outScheduled) {
      this.outScheduled = true;
      setImmediate(() => this.flushStream());
    }
  }

  /** Sends the stream bytes queued since the last turn to every replica. */
  public flushStream(): void {
    this.outScheduled = false;
    if (this.outQueue.length === 0) return;
    const out = this.outQueue.length === 1 ? this.outQueue[0] : Buffer.concat(this.outQueue);
    this.outQueue = [];
    for (const r of [...this.replicas.values()]) {
      const socket = r.client.socket;
      if (socket === undefined) continue;
      if (r.pending !== undefined) {
        r.pending.push(out); // its RDB is still being made
        continue;
      }
      socket.write(out);
      // A replica that does not keep up is dropped at its output buffer limit (it resyncs later).
      if (!r.sending && socket.writableLength > 0) checkOutputBuffer(r.client);
    }
  }

  /** Creates the backlog (when the first replica attaches, or when this node becomes a replica). */
  public ensureBacklog(): Backlog {
    if (this.backlog === undefined) this.backlog = new Backlog(this.server.config.getNumber('repl-backlog-size'), this.offset);
    return this.backlog;
  }

  /** Replicas whose last ack is within min-replicas-max-lag seconds. */
  public goodReplicas(): number {
    const maxLag = this.server.config.getNumber('min-replicas-max-lag') * 1000;
    const now = Date.now();
    let n = 0;
    for (const r of this.replicas.values()) if (now - r.ackTime <= maxLag) n++;
    return n;
  }

  /** Replicas that acknowledged `offset`. */
  public ackedAtLeast(offset: number): number {
    let n = 0;
    for (const r of this.replicas.values()) if (r.ackOffset >= offset) n++;
    return n;
  }

  /** Asks every replica for its offset (REPLCONF GETACK *), once per event-loop turn. */
  public requestAcks(): void {
    // While a FAILOVER waits, the stream must not grow (the target must reach our exact offset):
    // the replicas' ACK every second is enough, as in Redis where paused clients stop GETACK too.
    if (this.getackScheduled || this.failover.blocksWrites) return;
    this.getackScheduled = true;
    setImmediate(() => {
      this.getackScheduled = false;
      if (this.replicas.size > 0 && this.link === undefined) {
        this.feedRaw(encodeCommand(['REPLCONF', 'GETACK', '*']));
        this.flushStream(); // now, not a turn later: a held write waits on this round trip
      }
    });
  }

  // ---------------------------------------------------------------- primary side: REPLCONF / PSYNC

  public replconf(client: Client, argv: string[]): void {
    if (argv.length % 2 === 0) throw new CommandError(Errors.syntax);
    for (let i = 1; i + 1 < argv.length; i += 2) {
      const opt = argv[i].toLowerCase();
      const val = argv[i + 1];
      if (opt === 'ack') {
        const r = this.replicas.get(client);
        if (r) {
          const off = Number(val);
          if (off > r.ackOffset) r.ackOffset = off;
          r.ackTime = Date.now();
          this.waits.check();
          this.failover.check(r.ackTime);
        }
        return; // no reply to ACKs
      }
      if (opt === 'getack') {
        if (this.link !== undefined && client === this.link.client) this.link.sendAck();
        return;
      }
      if (!REPLCONF_OPTIONS.has(opt)) throw new CommandError(`ERR Unrecognized REPLCONF option: ${argv[i]}`);
      const hello = this.hellos.get(client) ?? { port: 0, capaEof: false, capaPsync2: false };
      if (opt === 'listening-port') hello.port = Number(val);
      if (opt === 'ip-address') hello.ip = val;
      if (opt === 'capa' && val.toLowerCase() === 'eof') hello.capaEof = true;
      if (opt === 'capa' && val.toLowerCase() === 'psync2') hello.capaPsync2 = true;
      this.hellos.set(client, hello);
    }
    client.reply.ok();
  }

  /** PSYNC replid offset (and SYNC: `replid` undefined). Writes straight to the socket. */
  public psync(client: Client, replid: string | undefined, from: number, failover = false): void {
    const socket = client.socket;
    if (socket === undefined) return;
    if (failover) {
      // Our primary hands over (FAILOVER): it asks with our common replication id; we promote
      // ourselves and continue its history.
      if (this.link === undefined || replid !== this.replid) {
        client.reply.error('ERR PSYNC FAILOVER replid must match my replid.');
        return;
      }
      this.server.log.notice(`Failover request received for replid ${replid}.`);
      this.promote('FAILOVER request from our primary');
    }
    if (this.link !== undefined && !this.link.connected) {
      client.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
      return;
    }
    const hello = this.hellos.get(client) ?? { port: 0, capaEof: false, capaPsync2: false };
    const stats = this.server.stats;
    this.flushStream(); // what is queued predates this replica's starting point
    const sameHistory = replid === this.replid || (replid === this.replid2 && from <= this.secondOffset);
    if (replid !== undefined && sameHistory && this.backlog !== undefined && this.backlog.covers(from)) {
      stats.syncPartialOk++;
      socket.write(hello.capaPsync2 ? `+CONTINUE ${this.replid}\r\n` : '+CONTINUE\r\n');
      const missed = this.backlog.readFrom(from);
      if (missed.length > 0) socket.write(missed);
      this.attach(client, hello);
      this.server.log.notice(`Partial resynchronization request from ${client.addr} accepted. Sending ${missed.length} bytes of backlog starting from offset ${from}.`);
      return;
    }
    if (replid !== undefined && replid !== '?') stats.syncPartialErr++;
    stats.syncFull++;
    this.ensureBacklog();
    // The RDB is the dataset at `start` (a point-in-time snapshot); the stream after `start` waits
    // in the link's `pending` until the RDB is sent, then follows it on the same socket.
    let start = this.offset;
    const link = this.attach(client, hello);
    link.state = 'wait_bgsave';
    link.pending = [];
    const send = (rdb: Buffer | Error) => this.sendRdb(link, rdb);
    if (this.fullSync !== undefined && this.fullSync.sync.running && this.backlog!.covers(this.fullSync.offset + 1)) {
      // Share the snapshot in progress: this replica starts at its offset too.
      start = this.fullSync.offset;
      link.pending.push(this.backlog!.readFrom(start + 1));
      socket.write(`+FULLRESYNC ${this.replid} ${start}\r\n`);
      this.fullSync.sync.join(send);
      return;
    }
    if (replid !== undefined) socket.write(`+FULLRESYNC ${this.replid} ${start}\r\n`);
    this.streamDb = -1; // the replica starts in db 0 after loading: the next command selects
    const sync = new FullSync(this.server, rdbAux(this.server, this.replid, start));
    this.fullSync = { sync, offset: start };
    sync.start(send);
  }

  /** The full-sync RDB is ready: `$<len>`, the payload, then the stream since its offset. */
  private sendRdb(link: ReplicaLink, rdb: Buffer | Error): void {
    const client = link.client;
    const socket = client.socket;
    if (this.replicas.get(client) !== link || socket === undefined || socket.destroyed) return;
    if (rdb instanceof Error) {
      this.server.log.warning(`Full resync of ${client.addr} failed: ${rdb.message}`);
      this.server.killClient(client);
      return;
    }
    // Always the `$<len>` form: a real replica reading the `$EOF:` form expects nothing after the
    // mark until it acknowledged, while our stream follows the payload at once.
    socket.write(`$${rdb.length}\r\n`);
    socket.write(rdb);
    for (const b of link.pending ?? []) socket.write(b);
    link.pending = undefined;
    link.state = 'online';
    link.sending = socket.writableLength > 0;
    if (link.sending) socket.once('drain', () => (link.sending = false));
    this.server.log.notice(`Synchronization with replica ${client.addr} succeeded (${rdb.length} bytes RDB)`);
  }

  private attach(client: Client, hello: ReplicaHello): ReplicaLink {
    client.replKind = 'replica';
    const ip = hello.ip ?? (client.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');
    // Nothing counts as acknowledged (WAIT, sync-replicas) before the replica's first ACK.
    const link: ReplicaLink = { client, state: 'online', pending: undefined, ackOffset: 0, ackTime: Date.now(), sending: false, ip, port: hello.port };
    const socket = client.socket;
    if (socket !== undefined && socket.writableLength > 0) {
      link.sending = true;
      socket.once('drain', () => (link.sending = false));
    }
    this.replicas.set(client, link);
    return link;
  }

  // ---------------------------------------------------------------- role changes

  /** REPLICAOF host port (`failover`: FAILOVER's switch, PSYNC with the FAILOVER flag). */
  public replicate(host: string, port: number, failover = false): void {
    if (!failover) this.failover.finish();
    // A primary with a backlog asks the new primary to continue its own history (PSYNC2); one
    // without a backlog has none to offer and asks for a full sync.
    if (this.link !== undefined) this.link.close();
    this.disconnectReplicas();
    this.waits.failAll('UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)');
    this.server.role = 'slave';
    this.link = new MasterLink(this, host, port, failover);
    for (const db of this.server.dbs) db.keepExpired = () => !(this.link !== undefined && this.link.applying);
    this.server.log.notice(`Connecting to MASTER ${host}:${port}`);
    this.link.connect();
  }

  /** REPLICAOF NO ONE: becomes a primary; the old history stays continuable as replid2. */
  public promote(why = 'user request from REPLICAOF NO ONE'): void {
    this.failover.finish();
    if (this.link === undefined) return;
    this.link.close();
    this.link = undefined;
    this.server.role = 'master';
    for (const db of this.server.dbs) db.keepExpired = undefined;
    this.shiftReplid();
    this.disconnectReplicas();
    this.server.log.notice(`MASTER MODE enabled (${why})`);
  }

  /** New history: the current one becomes replid2, continuable up to the current offset. */
  public shiftReplid(): void {
    this.replid2 = this.replid;
    this.secondOffset = this.offset + 1;
    this.replid = newReplid();
    this.streamDb = -1;
  }

  /** DEBUG CHANGE-REPL-ID: a new history with no second id (replicas must resync fully). */
  public changeReplid(): void {
    this.replid = newReplid();
    this.replid2 = ZERO_ID;
    this.secondOffset = -1;
  }

  /** After a full resync from our primary: its history is ours. */
  public adoptHistory(replid: string, offset: number): void {
    this.replid = replid;
    this.replid2 = ZERO_ID;
    this.secondOffset = -1;
    this.offset = offset;
    this.backlog = new Backlog(this.server.config.getNumber('repl-backlog-size'), offset);
    this.disconnectReplicas(); // our dataset changed: our own replicas resync
  }

  /** After +CONTINUE <id> with a new id: the primary's history changed (it was promoted). */
  public continueAs(replid: string): void {
    if (replid === this.replid) return;
    this.replid2 = this.replid;
    this.secondOffset = this.offset + 1;
    this.replid = replid;
    this.disconnectReplicas();
  }

  public disconnectReplicas(): void {
    for (const c of [...this.replicas.keys()]) this.server.killClient(c);
  }

  // ---------------------------------------------------------------- cron

  private cron(now: number): void {
    const period = this.server.config.getNumber('repl-ping-replica-period') * 1000;
    if (this.link === undefined && this.replicas.size > 0 && now - this.lastPing >= period && !this.failover.blocksWrites) {
      this.lastPing = now;
      this.feedRaw(encodeCommand(['PING']));
    }
    const timeout = this.server.config.getNumber('repl-timeout') * 1000;
    for (const r of [...this.replicas.values()]) {
      if (now - r.ackTime > timeout) {
        this.server.log.warning(`Disconnecting timedout replica: ${r.ip}:${r.port}`);
        this.server.killClient(r.client);
      }
    }
    const ttl = this.server.config.getNumber('repl-backlog-ttl') * 1000;
    if (this.backlog !== undefined && this.link === undefined && this.replicas.size === 0 && ttl > 0 && now - this.backlogIdleSince > ttl) {
      // Like Redis: the backlog goes after repl-backlog-ttl without replicas, and the history with it.
      this.backlog = undefined;
      this.shiftReplid();
    }
    if (this.link !== undefined) {
      if (now - this.lastAckSent >= 1000) {
        this.lastAckSent = now;
        this.link.sendAck();
      }
      this.link.cron(now);
    }
    this.waits.expire(now);
    this.failover.check(now);
  }
}
