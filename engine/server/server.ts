import * as fs from 'fs';
import * as net from 'net';
import { performance } from 'perf_hooks';
import * as tls from 'tls';
import { Acl } from './acl';
import { Client } from './client';
import type { Cluster } from './cluster/cluster';
import { arityOk, CommandError, CommandSpec, Errors, keyPositions } from './commands/command';
import { CommandTable } from './commands/table';
import { Config } from './config';
import { Db, KeyspaceEvents } from './db';
import { Log } from './log';
import { memory } from './memory';
import { classBit, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, NOTIFY_NEW, parseNotifyFlags } from './notify-flags';
import { PubSubHub } from './pubsub-hub';
import { quoteArg } from './repr';
import { ProtocolError, QueryBufferLimitError } from './resp/parser';
import { StartupError } from './startup';

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
  public readonly acl: Acl = new Acl(this);
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
  /** notify-keyspace-events as bits (notify-flags.ts). */
  private notifyFlags = 0;
  /** Inside EXEC: blocking commands answer as on timeout instead of blocking. */
  public inExec = false;
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
  /** Active expiry on (DEBUG SET-ACTIVE-EXPIRE turns it off for tests). */
  public activeExpire = true;
  /** Called with each command's duration when set (the latency monitor installs it while enabled). */
  public onCommandTimed: ((spec: CommandSpec, usec: number) => void) | undefined;
  /**
   * Set while a script runs past lua-time-limit (the scripting module): the BUSY error a command
   * gets, or undefined for commands allowed while busy. Active expiry pauses meanwhile.
   */
  public busyError: ((client: Client, spec: CommandSpec, argv: string[]) => string | undefined) | undefined;
  /** slowlog-log-slower-than, kept in a field: it is read after every command. */
  private slowlogThreshold: number;
  /** maxmemory, kept in a field: it is read before every write. */
  private maxmemory: number;
  /** Cluster mode (cluster-enabled yes): routes commands by slot; undefined on a standalone node. */
  public cluster: Cluster | undefined;
  /** Extra periodic work (save schedule, replication...) registered by modules. */
  public readonly cronHooks: Array<(now: number) => void> = [];

  constructor(config: Config) {
    this.config = config;
    this.log = new Log(config);
    const events: KeyspaceEvents = {
      modified: (db, key) => this.keyModified(db, key),
      expired: (db, key) => this.notify('x', 'expired', key, db),
      created: (db, key) => {
        if (this.notifyFlags & NOTIFY_NEW) this.notify('n', 'new', key, db);
      },
    };
    this.slowlogThreshold = config.getNumber('slowlog-log-slower-than');
    config.onChange('slowlog-log-slower-than', (v) => (this.slowlogThreshold = Number(v)));
    this.maxmemory = config.getNumber('maxmemory');
    config.onChange('maxmemory', (v) => (this.maxmemory = Number(v)));
    const n = config.getNumber('databases');
    for (let i = 0; i < n; i++) this.dbs.push(new Db(i, events));
    this.acl.setRequirePass(config.get('requirepass'));
    config.onChange('requirepass', (v) => this.acl.setRequirePass(v));
    this.notifyFlags = parseNotifyFlags(config.get('notify-keyspace-events')) ?? 0;
    config.onChange('notify-keyspace-events', (v) => (this.notifyFlags = parseNotifyFlags(v) ?? 0));
    this.pubsub.watchConfig(config);
  }

  // ---------------------------------------------------------------- network

  /** Starts listening on the plain and TLS ports; resolves with the bound ports. */
  public async listen(): Promise<{ port: number; tlsPort: number }> {
    this.acl.loadAtStartup();
    const binds = this.config.get('bind').split(/\s+/).filter(Boolean);
    const port = this.config.getNumber('port');
    const tlsPort = this.config.getNumber('tls-port');
    // Every TLS file is checked before anything listens, so a bad one stops start-up cleanly.
    const opts = tlsPort > 0 ? tlsOptions(this.config) : undefined;
    let boundPort = 0;
    let boundTls = 0;
    try {
      if (port > 0) {
        for (const host of binds) {
          const srv = net.createServer({ noDelay: true }, (s) => this.accept(s));
          boundPort = await listenOn(srv, port, host);
          this.listeners.push(srv);
        }
      }
      if (opts) boundTls = await this.listenTls(opts, binds, tlsPort);
    } catch (e) {
      await Promise.all(this.listeners.map((l) => new Promise<void>((res) => l.close(() => res()))));
      this.listeners.length = 0;
      throw e;
    }
    const hz = this.config.getNumber('hz');
    this.cron = setInterval(() => this.serverCron(), Math.max(1, Math.floor(1000 / hz)));
    this.cron.unref();
    return { port: boundPort, tlsPort: boundTls };
  }

  private async listenTls(opts: tls.TlsOptions, binds: string[], tlsPort: number): Promise<number> {
    let bound = 0;
    const optional = this.config.get('tls-auth-clients') === 'optional';
    for (const host of binds) {
      const srv = tls.createServer(opts, (s) => {
        // optional: a client may present no certificate, but a presented one must verify.
        if (optional && !s.authorized && Object.keys(s.getPeerCertificate() ?? {}).length > 0) {
          s.destroy();
          return;
        }
        this.accept(s);
      });
      srv.on('tlsClientError', () => undefined); // a failed handshake only closes that connection
      bound = await listenOn(srv, tlsPort, host);
      this.listeners.push(srv);
    }
    return bound;
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
      client.pendingInputBytes += chunk.length;
      if (client.pendingInputBytes > this.config.getNumber('client-query-buffer-limit')) this.queryBufferLimitReached(client);
      return;
    }
    this.processInput(client, chunk);
  }

  /** Parses and runs every complete command in `chunk`, then writes the replies at once. */
  public processInput(client: Client, chunk: Buffer): void {
    client.parser.authRequired = !client.authenticated;
    try {
      client.parser.feed(chunk, (argv) => {
        if (client.closeAfterReply || client.closed) return false;
        this.call(client, argv);
        return client.blocked === undefined;
      });
    } catch (e) {
      if (e instanceof QueryBufferLimitError) return this.queryBufferLimitReached(client);
      if (!(e instanceof ProtocolError)) throw e;
      client.reply.error(`ERR Protocol error: ${e.message}`);
      client.closeAfterReply = true;
    }
    this.flushClient(client);
  }

  /** client-query-buffer-limit: the client is closed without a reply, as Valkey does. */
  private queryBufferLimitReached(client: Client): void {
    this.log.warning(`Closing client that reached max query buffer length: id=${client.id} addr=${client.addr} (qbuf initial bytes: ${client.parser.pending})`);
    this.killClient(client);
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
    let spec = this.commands.lookup(argv[0]);
    if (!spec) {
      this.rejectCommand(client, Errors.unknown(argv[0], argv.slice(1)));
      return;
    }
    if (spec.subcommands && argv.length >= 2) {
      const sub = spec.subcommands.get(argv[1].toLowerCase());
      if (!sub) {
        this.rejectCommand(client, Errors.unknownSub(argv[1], spec.name), spec);
        return;
      }
      spec = sub;
    }
    if (!arityOk(spec, argv.length)) {
      this.rejectCommand(client, Errors.arity(spec.name), spec);
      return;
    }
    if (!client.authenticated && !spec.flags.includes('no-auth')) {
      this.rejectCommand(client, 'NOAUTH Authentication required.', spec);
      return;
    }
    if (client.multi && spec.flags.includes('no-multi')) {
      this.rejectCommand(client, 'ERR Command not allowed inside a transaction', spec);
      return;
    }
    const denied = this.acl.check(client, spec, argv);
    if (denied) {
      this.rejectCommand(client, denied, spec);
      return;
    }
    if (this.cluster !== undefined) {
      const redirect = this.cluster.route(client, spec, argv);
      if (redirect !== undefined) {
        this.rejectRedirect(client, redirect, spec);
        return;
      }
    }
    if (this.loading && !spec.flags.includes('loading')) {
      this.rejectCommand(client, 'LOADING Valkey is loading the dataset in memory', spec);
      return;
    }
    if (client.subscriptionCount > 0 && client.reply.resp === 2 && !SUBSCRIBE_CONTEXT.has(spec.name)) {
      this.rejectCommand(client, `ERR Can't execute '${spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`, spec);
      return;
    }
    if (this.busyError !== undefined) {
      const busy = this.busyError(client, spec, argv);
      if (busy) {
        this.rejectCommand(client, busy, spec);
        if (client.multi) client.multiError = true;
        return;
      }
    }
    if (client.multi && !MULTI_IMMEDIATE.has(spec.name)) {
      client.multi.push({ argv });
      client.reply.simple('QUEUED');
      return;
    }
    if (this.maxmemory > 0 && spec.flags.includes('denyoom') && !this.makeRoomFor(client)) {
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
    const slower = this.slowlogThreshold;
    if (slower >= 0 && usec >= slower && !spec.flags.includes('skip-slowlog')) this.addSlowlog(client, argv, usec);
    if (this.onCommandTimed !== undefined) this.onCommandTimed(spec, usec);
    // Inside EXEC the transaction is atomic: blocked clients are served after it, not between its commands.
    if (this.readyKeys.size > 0 && !this.inExec) this.serveBlockedClients();
  }

  /** A command refused before it ran; inside MULTI it dooms the transaction. A refused EXEC answers EXECABORT (and discards any transaction). */
  private rejectCommand(client: Client, msg: string, spec?: CommandSpec): void {
    if (client.multi) client.multiError = true;
    if (spec && spec.name === 'exec') {
      if (client.multi) this.discardTransaction(client);
      msg = `EXECABORT Transaction discarded because of: ${msg.startsWith('ERR ') ? msg.slice(4) : msg}`;
    }
    client.reply.error(msg);
    this.countError(msg);
    if (spec) this.commandStats(spec.name).rejectedCalls++;
  }

  /** A cluster redirection (MOVED, ASK, CROSSSLOT...): a refused EXEC discards the transaction and answers the error itself, as Valkey does. */
  private rejectRedirect(client: Client, msg: string, spec: CommandSpec): void {
    if (spec.name !== 'exec') return this.rejectCommand(client, msg, spec);
    this.discardTransaction(client);
    client.reply.error(msg);
    this.countError(msg);
    this.commandStats(spec.name).rejectedCalls++;
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
    const line = `${now.toFixed(6)} [${client.db.id} ${client.addr}] ${argv.map(quoteArg).join(' ')}`;
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
    const max = this.maxmemory;
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

  /**
   * Before a whole-database change (FLUSHALL...): every watched key that exists now is touched
   * (watching a missing key is not disturbed by emptying its database, as in Valkey).
   */
  public touchAllWatched(): void {
    for (const [id, set] of this.watchers) {
      const sep = id.indexOf('\0');
      const db = this.dbs[Number(id.slice(0, sep))];
      if (db && db.peek(id.slice(sep + 1)) !== undefined) for (const c of set) c.dirtyCas = true;
    }
  }

  /** Before SWAPDB a b: a watched key of either database is touched if it exists in either one. */
  public touchWatchedForSwap(a: Db, b: Db): void {
    for (const [id, set] of this.watchers) {
      const sep = id.indexOf('\0');
      const dbId = Number(id.slice(0, sep));
      if (dbId !== a.id && dbId !== b.id) continue;
      const key = id.slice(sep + 1);
      if (a.peek(key) !== undefined || b.peek(key) !== undefined) for (const c of set) c.dirtyCas = true;
    }
  }

  /** Leaves MULTI: drops the queue and the error flag, and unwatches every key (DISCARD, EXEC, RESET). */
  public discardTransaction(client: Client): void {
    client.multi = undefined;
    client.multiError = false;
    this.unwatchAll(client);
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

  /**
   * Keyspace notification (notify-keyspace-events): `cls` is the event class letter ('g', '$',
   * 'x'...). Published on `__keyspace@<db>__:<key>` (K) and `__keyevent@<db>__:<event>` (E).
   */
  public notify(cls: string, event: string, key: string, db: Db): void {
    const flags = this.notifyFlags;
    if (flags === 0 || (flags & classBit(cls)) === 0 || this.pubsub.idle) return;
    if (flags & NOTIFY_KEYSPACE) this.pubsub.publish(`__keyspace@${db.id}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) this.pubsub.publish(`__keyevent@${db.id}__:${event}`, key);
  }

  // ---------------------------------------------------------------- blocking

  /** Blocks a client until `state.tryServe()` succeeds or the deadline passes. */
  public block(client: Client, state: Client['blocked'] & object): void {
    if (this.inExec) {
      state.onTimeout(); // blocking commands inside MULTI/EXEC do not block
      return;
    }
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
    client.pendingInputBytes = 0;
    for (const chunk of pending) {
      if (client.blocked) {
        client.pendingInput.push(chunk);
        client.pendingInputBytes += chunk.length;
      } else {
        this.processInput(client, chunk);
      }
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
    for (const db of this.busyError === undefined ? this.dbs : []) {
      if (db.expires.size === 0 || !this.activeExpire) continue;
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
    this.cluster?.close();
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

/** TLS server options from the tls-* directives; a missing or bad file is a StartupError naming it. */
function tlsOptions(config: Config): tls.TlsOptions {
  const auth = config.get('tls-auth-clients');
  const certFile = config.get('tls-cert-file');
  const keyFile = config.get('tls-key-file');
  const caFile = config.get('tls-ca-cert-file');
  if (!certFile || !keyFile) throw new StartupError('Failed to configure TLS: tls-cert-file and tls-key-file must be set when tls-port is enabled');
  if (auth !== 'no' && !caFile) {
    throw new StartupError('Failed to configure TLS: either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!');
  }
  const read = (what: string, file: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (e) {
      throw new StartupError(`Failed to configure TLS: failed to load ${what} '${file}': ${(e as Error).message}`);
    }
  };
  const opts: tls.TlsOptions = {
    cert: read('certificate (tls-cert-file)', certFile),
    key: read('private key (tls-key-file)', keyFile),
    ca: caFile ? read('CA certificate (tls-ca-cert-file)', caFile) : undefined,
    requestCert: auth !== 'no',
    rejectUnauthorized: auth === 'yes',
  };
  try {
    tls.createSecureContext(opts);
  } catch (e) {
    throw new StartupError(`Failed to configure TLS: ${(e as Error).message} (tls-cert-file '${certFile}', tls-key-file '${keyFile}'${caFile ? `, tls-ca-cert-file '${caFile}'` : ''})`);
  }
  return opts;
}

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
