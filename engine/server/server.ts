import * as fs from 'fs';
import * as net from 'net';
import { performance } from 'perf_hooks';
import * as tls from 'tls';
import { Acl } from './acl';
import { Client } from './client';
import { arityOk, CommandError, CommandSpec, Errors, keyPositions } from './commands/command';
import { CommandTable } from './commands/table';
import { Config } from './config';
import { Db, KeyspaceEvents } from './db';
import { Log } from './log';
import { memory } from './memory';
import { PubSubHub } from './pubsub-hub';
import { ProtocolError } from './resp/parser';

/** Per-command statistics (INFO commandstats). */
export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/** Counters behind INFO stats. */
export class Stats {
  public totalConnections = 0;
  public totalCommands = 0;
  public rejectedConnections = 0;
  public keyspaceHits = 0;
  public keyspaceMisses = 0;
  public evictedKeys = 0;
  public netInputBytes = 0;
  public netOutputBytes = 0;
  public totalErrorReplies = 0;
  public aclDeniedCmd = 0;
  public aclDeniedKey = 0;
  public aclDeniedChannel = 0;
  public aclDeniedAuth = 0;
  public readonly commands = new Map<string, CommandStats>();
  public readonly errors = new Map<string, number>();
  /** Ops per second, sampled by the cron. */
  public instantaneousOps = 0;
  public lastOpsSample = { at: Date.now(), commands: 0 };
}

/** Notification classes (notify-keyspace-events letters). */
const NOTIFY_CLASSES = 'g$lshzxetdmn';

/** An entry of the slow log. */
export interface SlowLogEntry {
  id: number;
  time: number;
  usec: number;
  argv: string[];
  addr: string;
  name: string;
}

/**
 * One data node: the keyspace, the clients and the command dispatch, on one event loop.
 */
export class Server {
  public readonly config: Config;
  public readonly acl = new Acl();
  public readonly stats = new Stats();
  public readonly pubsub = new PubSubHub();
  public readonly commands = new CommandTable();
  public readonly log: Log;
  public dbs: Db[] = [];
  public readonly clients = new Map<number, Client>();
  public readonly startedAt = Date.now();
  public readonly runId = randomHex(40);
  public slowlog: SlowLogEntry[] = [];
  private slowlogId = 0;
  private nextClientId = 1;
  private readonly listeners: net.Server[] = [];
  private cron: NodeJS.Timeout | undefined;
  /** WATCHed keys: `${db}\0${key}` → clients. */
  private readonly watchers = new Map<string, Set<Client>>();
  /** Clients blocked on keys: `${db}\0${key}` → clients in arrival order. */
  private readonly blockedOn = new Map<string, Set<Client>>();
  private readonly readyKeys = new Set<string>();
  private notifyFlags = '';
  /** Set by SHUTDOWN; the process exits when listeners are closed. */
  public shuttingDown = false;
  /** Called after SHUTDOWN (the CLI exits the process). */
  public onShutdown: (() => void) | undefined;
  /** The replication role this node reports (the replication module changes it). */
  public role: 'master' | 'slave' = 'master';
  /** Monitors (MONITOR). */
  public readonly monitors = new Set<Client>();
  /** Data loading (-LOADING); set by the persistence module while it reads a file. */
  public loading = false;
  /** Extra periodic work (save schedule, replication...) registered by modules. */
  public readonly cronHooks: Array<(now: number) => void> = [];

  constructor(config: Config) {
    this.config = config;
    this.log = new Log(config);
    const events: KeyspaceEvents = {
      modified: (db, key) => this.keyModified(db, key),
      expired: (db, key) => this.notify('x', 'expired', key, db),
    };
    const n = config.getNumber('databases');
    for (let i = 0; i < n; i++) this.dbs.push(new Db(i, events));
    this.acl.setRequirePass(config.get('requirepass'));
    config.onChange('requirepass', (v) => this.acl.setRequirePass(v));
    this.notifyFlags = config.get('notify-keyspace-events');
    config.onChange('notify-keyspace-events', (v) => (this.notifyFlags = v));
  }

  // ---------------------------------------------------------------- network

  /** Starts listening on the plain and TLS ports; resolves with the bound ports. */
  public async listen(): Promise<{ port: number; tlsPort: number }> {
    const binds = this.config.get('bind').split(/\s+/).filter(Boolean);
    const port = this.config.getNumber('port');
    const tlsPort = this.config.getNumber('tls-port');
    let boundPort = 0;
    let boundTls = 0;
    if (port > 0) {
      for (const host of binds) {
        const srv = net.createServer({ noDelay: true }, (s) => this.accept(s));
        boundPort = await listenOn(srv, port, host);
        this.listeners.push(srv);
      }
    }
    if (tlsPort > 0) {
      const auth = this.config.get('tls-auth-clients');
      const ca = this.config.get('tls-ca-cert-file');
      const opts: tls.TlsOptions = {
        cert: fs.readFileSync(this.config.get('tls-cert-file')),
        key: fs.readFileSync(this.config.get('tls-key-file')),
        ca: ca ? fs.readFileSync(ca) : undefined,
        requestCert: auth !== 'no',
        rejectUnauthorized: auth === 'yes',
      };
      for (const host of binds) {
        const srv = tls.createServer(opts, (s) => this.accept(s));
        boundTls = await listenOn(srv, tlsPort, host);
        this.listeners.push(srv);
      }
    }
    const hz = this.config.getNumber('hz');
    this.cron = setInterval(() => this.serverCron(), Math.max(1, Math.floor(1000 / hz)));
    this.cron.unref();
    return { port: boundPort, tlsPort: boundTls };
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    if (this.clients.size >= this.config.getNumber('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    const keepalive = this.config.getNumber('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    const client = new Client(this.nextClientId++, socket, this, this.dbs[0]);
    this.clients.set(client.id, client);
    this.stats.totalConnections++;
    socket.on('data', (chunk: Buffer) => this.onData(client, chunk));
    socket.on('error', () => undefined); // a reset connection is just closed
    socket.on('close', () => this.removeClient(client));
  }

  private onData(client: Client, chunk: Buffer): void {
    this.stats.netInputBytes += chunk.length;
    client.lastInteraction = Date.now();
    if (client.blocked) {
      client.pendingInput.push(chunk); // a blocked client's next commands wait until it is served
      return;
    }
    this.processInput(client, chunk);
  }

  /** Parses and runs every complete command in `chunk`, then writes the replies at once. */
  public processInput(client: Client, chunk: Buffer): void {
    try {
      client.parser.feed(chunk, (argv) => {
        if (client.closeAfterReply || client.closed) return false;
        this.call(client, argv);
        return client.blocked === undefined;
      });
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      client.reply.error(`ERR Protocol error: ${e.message}`);
      client.closeAfterReply = true;
    }
    this.flushClient(client);
  }

  public flushClient(client: Client): void {
    this.stats.netOutputBytes += client.reply.pendingBytes;
    client.flush();
  }

  private removeClient(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    this.clients.delete(client.id);
    this.unwatchAll(client);
    this.unblock(client, false);
    this.pubsub.removeClient(client);
    this.monitors.delete(client);
  }

  /** Closes a client's connection (CLIENT KILL, timeouts, output limits). */
  public killClient(client: Client): void {
    client.socket?.destroy();
    this.removeClient(client);
  }

  // ---------------------------------------------------------------- dispatch

  /**
   * Runs one command line for a client: lookup, arity, auth, ACL, MULTI queueing, OOM, then the
   * handler, with statistics. Replies go to the client's reply buffer.
   */
  public call(client: Client, argv: string[]): void {
    const name = argv[0].toLowerCase();
    let spec = this.commands.get(name);
    if (!spec) {
      this.rejectCommand(client, Errors.unknown(argv[0], argv.slice(1)));
      if (client.multi) client.multiError = true;
      return;
    }
    if (spec.subcommands && argv.length >= 2) {
      const sub = spec.subcommands.get(argv[1].toLowerCase());
      if (!sub) {
        this.rejectCommand(client, Errors.unknownSub(argv[1], spec.name), spec);
        if (client.multi) client.multiError = true;
        return;
      }
      spec = sub;
    }
    if (!arityOk(spec, argv.length)) {
      this.rejectCommand(client, Errors.arity(spec.name), spec);
      if (client.multi) client.multiError = true;
      return;
    }
    if (!client.authenticated && !spec.flags.includes('no-auth')) {
      this.rejectCommand(client, 'NOAUTH Authentication required.', spec);
      return;
    }
    const denied = this.acl.check(client.user, spec, argv);
    if (denied) {
      this.rejectCommand(client, denied, spec);
      if (client.multi) client.multiError = true;
      return;
    }
    if (this.loading && !spec.flags.includes('loading')) {
      this.rejectCommand(client, 'LOADING Valkey is loading the dataset in memory', spec);
      return;
    }
    if (client.subscriptionCount > 0 && client.reply.resp === 2 && !SUBSCRIBE_CONTEXT.has(spec.name)) {
      this.rejectCommand(client, `ERR Can't execute '${spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`, spec);
      return;
    }
    if (client.multi && !MULTI_IMMEDIATE.has(spec.name)) {
      client.multi.push({ argv });
      client.reply.simple('QUEUED');
      return;
    }
    if (spec.flags.includes('denyoom') && !this.makeRoomFor(client)) {
      this.rejectCommand(client, Errors.oom, spec);
      return;
    }
    this.execute(client, spec, argv);
  }

  /** Runs a looked-up, checked command (also used by EXEC and scripts). */
  public execute(client: Client, spec: CommandSpec, argv: string[]): void {
    if (this.monitors.size > 0 && !spec.flags.includes('noscript') && spec.name !== 'auth') this.feedMonitors(client, argv);
    const stats = this.commandStats(spec.name);
    client.lastCommand = spec.name;
    const mark = client.reply.mark();
    const t0 = performance.now();
    try {
      spec.handler(client, argv);
    } catch (e) {
      if (e instanceof CommandError) {
        client.reply.rollback(mark);
        client.reply.error(e.message);
        this.countError(e.message);
        stats.failedCalls++;
      } else {
        // A bug must not take the node down: answer an error and log it.
        client.reply.rollback(mark);
        const msg = `ERR internal error running '${spec.name}': ${(e as Error).message}`;
        client.reply.error(msg);
        this.countError(msg);
        stats.failedCalls++;
        this.log.warning(`internal error in ${spec.name}: ${(e as Error).stack}`);
      }
    }
    const usec = (performance.now() - t0) * 1000;
    stats.calls++;
    stats.usec += usec;
    this.stats.totalCommands++;
    const slower = this.config.getNumber('slowlog-log-slower-than');
    if (slower >= 0 && usec >= slower) this.addSlowlog(client, argv, usec);
    if (this.readyKeys.size > 0) this.serveBlockedClients();
  }

  private rejectCommand(client: Client, msg: string, spec?: CommandSpec): void {
    client.reply.error(msg);
    this.countError(msg);
    if (spec) this.commandStats(spec.name).rejectedCalls++;
  }

  /** Counts an error reply by its code (INFO errorstats). */
  public countError(msg: string): void {
    this.stats.totalErrorReplies++;
    const code = msg.split(' ', 1)[0];
    this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
  }

  public commandStats(name: string): CommandStats {
    let s = this.stats.commands.get(name);
    if (!s) this.stats.commands.set(name, (s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 }));
    return s;
  }

  /** Key argument positions of a command line (COMMAND GETKEYS, ACL, cluster routing). */
  public keysOf(spec: CommandSpec, argv: readonly string[]): number[] {
    return keyPositions(spec, argv);
  }

  private addSlowlog(client: Client, argv: string[], usec: number): void {
    const max = this.config.getNumber('slowlog-max-len');
    if (max === 0) return;
    const shown = argv.slice(0, 32).map((a) => (a.length > 128 ? `${a.slice(0, 128)}... (${a.length - 128} more bytes)` : a));
    if (argv.length > 32) shown[31] = `... (${argv.length - 31} more arguments)`;
    const time = Math.floor(Date.now() / 1000);
    const entry = { id: this.slowlogId++, time, usec: Math.round(usec), argv: shown, addr: client.addr, name: client.name };
    this.slowlog.unshift(entry);
    if (this.slowlog.length > max) this.slowlog.length = max;
  }

  private feedMonitors(client: Client, argv: string[]): void {
    const now = Date.now() / 1000;
    const line = `${now.toFixed(6)} [${client.db.id} ${client.addr}] ${argv.map((a) => JSON.stringify(a)).join(' ')}`;
    for (const m of this.monitors) {
      if (m === client) continue;
      m.reply.simple(line);
      m.flush();
    }
  }

  /**
   * Before a command that may grow memory: under maxmemory, evict per the policy (the eviction
   * module installs `evict`); false when there is still no room (OOM).
   */
  public makeRoomFor(_client: Client): boolean {
    const max = this.config.getNumber('maxmemory');
    if (max === 0 || this.usedMemory() <= max) return true;
    return this.evict(max);
  }

  /** Eviction; replaced by the eviction module. The core only knows noeviction. */
  public evict: (maxmemory: number) => boolean = () => false;

  /** used_memory: the dataset estimate plus a fixed baseline for the process' own structures. */
  public usedMemory(): number {
    return memory.dataset + BASELINE_MEMORY;
  }

  // ---------------------------------------------------------------- keyspace events

  private keyModified(db: Db, key: string): void {
    if (this.watchers.size > 0) {
      const w = this.watchers.get(`${db.id}\0${key}`);
      if (w) for (const c of w) c.dirtyCas = true;
    }
    if (this.blockedOn.size > 0) {
      const id = `${db.id}\0${key}`;
      if (this.blockedOn.has(id)) this.readyKeys.add(id);
    }
  }

  /** Every watched key of every database was touched (FLUSHALL, SWAPDB...). */
  public touchAllWatched(): void {
    for (const set of this.watchers.values()) for (const c of set) c.dirtyCas = true;
  }

  public watch(client: Client, key: string): void {
    const id = `${client.db.id}\0${key}`;
    if (client.watched.has(id)) return;
    client.watched.add(id);
    let s = this.watchers.get(id);
    if (!s) this.watchers.set(id, (s = new Set()));
    s.add(client);
  }

  public unwatchAll(client: Client): void {
    for (const id of client.watched) {
      const s = this.watchers.get(id);
      s?.delete(client);
      if (s && s.size === 0) this.watchers.delete(id);
    }
    client.watched.clear();
    client.dirtyCas = false;
  }

  /** Keyspace notification (notify-keyspace-events): `cls` is the event class letter. */
  public notify(cls: string, event: string, key: string, db: Db): void {
    const flags = this.notifyFlags;
    if (flags === '') return;
    const all = flags.includes('A');
    const enabled = flags.includes(cls) || (all && NOTIFY_CLASSES.includes(cls) && cls !== 'm' && cls !== 'n');
    if (!enabled) return;
    if (flags.includes('K')) this.pubsub.publish(`__keyspace@${db.id}__:${key}`, event);
    if (flags.includes('E')) this.pubsub.publish(`__keyevent@${db.id}__:${event}`, key);
  }

  // ---------------------------------------------------------------- blocking

  /** Blocks a client until `state.tryServe()` succeeds or the deadline passes. */
  public block(client: Client, state: Client['blocked'] & object): void {
    client.blocked = state;
    for (const key of state.keys) {
      const id = `${state.db.id}\0${key}`;
      let s = this.blockedOn.get(id);
      if (!s) this.blockedOn.set(id, (s = new Set()));
      s.add(client);
    }
  }

  /** Unblocks a client; `timedOut` answers its timeout reply. Resumes its pending input. */
  public unblock(client: Client, timedOut: boolean): void {
    const state = client.blocked;
    if (!state) return;
    client.blocked = undefined;
    for (const key of state.keys) {
      const id = `${state.db.id}\0${key}`;
      const s = this.blockedOn.get(id);
      s?.delete(client);
      if (s && s.size === 0) this.blockedOn.delete(id);
    }
    if (timedOut) state.onTimeout();
    if (client.closed) return;
    this.flushClient(client);
    const pending = client.pendingInput;
    client.pendingInput = [];
    // Commands pipelined behind the blocking one may wait in the parser: an empty chunk resumes them.
    if (pending.length === 0) pending.push(EMPTY_INPUT);
    for (const chunk of pending) {
      if (client.blocked) client.pendingInput.push(chunk);
      else this.processInput(client, chunk);
    }
  }

  /** Serves clients blocked on keys that became ready, in the order they blocked. */
  private serveBlockedClients(): void {
    while (this.readyKeys.size > 0) {
      const ids = [...this.readyKeys];
      this.readyKeys.clear();
      for (const id of ids) {
        const waiting = this.blockedOn.get(id);
        if (!waiting) continue;
        for (const c of [...waiting]) {
          if (!c.blocked) continue;
          if (c.blocked.tryServe()) this.unblock(c, false);
        }
      }
    }
  }

  // ---------------------------------------------------------------- cron

  private serverCron(): void {
    const now = Date.now();
    // Active expiry: a bounded slice per database per tick, more with active-expire-effort.
    const effort = this.config.getNumber('active-expire-effort');
    const budget = 20 * effort;
    for (const db of this.dbs) {
      if (db.expires.size === 0) continue;
      const deadline = performance.now() + 1 + effort * 0.25;
      let r;
      do {
        r = db.activeExpireCycle(budget, now);
      } while (r.removed > budget / 4 && performance.now() < deadline);
    }
    // Blocked client timeouts and idle timeouts.
    const idle = this.config.getNumber('timeout') * 1000;
    for (const c of this.clients.values()) {
      const idleTooLong = idle > 0 && !c.blocked && c.subscriptionCount === 0 && !c.monitor && now - c.lastInteraction > idle;
      if (c.blocked && c.blocked.deadline > 0 && c.blocked.deadline <= now) {
        this.unblock(c, true);
      } else if (idleTooLong) {
        this.killClient(c);
      }
    }
    const elapsed = now - this.stats.lastOpsSample.at;
    if (elapsed >= 1000) {
      this.stats.instantaneousOps = Math.round(((this.stats.totalCommands - this.stats.lastOpsSample.commands) * 1000) / elapsed);
      this.stats.lastOpsSample = { at: now, commands: this.stats.totalCommands };
    }
    this.cronHooks.forEach((h) => h(now));
  }

  /** Stops listening and closes every client. */
  public async close(): Promise<void> {
    if (this.cron) clearInterval(this.cron);
    for (const c of this.clients.values()) {
      c.socket?.destroy();
      this.removeClient(c);
    }
    await Promise.all(this.listeners.map((l) => new Promise<void>((res) => l.close(() => res()))));
  }

  /** A client not bound to a socket (scripts, replication stream, tests). */
  public fakeClient(): Client {
    return new Client(0, undefined, this, this.dbs[0]);
  }
}

/** Commands a RESP2 client in subscribe mode may still run. */
const SUBSCRIBE_CONTEXT = new Set(['subscribe', 'ssubscribe', 'psubscribe', 'unsubscribe', 'sunsubscribe', 'punsubscribe', 'ping', 'quit', 'reset']);
/** Commands that run at once inside MULTI instead of being queued. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** An empty read: feeding it resumes parsing what the parser still holds. */
const EMPTY_INPUT = Buffer.alloc(0);
/** Memory the process uses before any key (INFO used_memory baseline, like a fresh valkey-server's ~900 KB). */
const BASELINE_MEMORY = 900 * 1024;

function listenOn(srv: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => {
      srv.off('error', reject);
      resolve((srv.address() as net.AddressInfo).port);
    });
  });
}

function randomHex(n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}
