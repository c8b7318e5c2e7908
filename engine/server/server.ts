import * as fs from 'fs';
import * as net from 'net';
import { performance } from 'perf_hooks';
import * as tls from 'tls';
import { Acl } from './acl';
import { BlockState, Client } from './client';
import type { Cluster } from './cluster/cluster';
import {
  arityOk, CMD_DENYOOM, CMD_LOADING, CMD_NO_AUTH, CMD_NO_MULTI, CMD_NOSCRIPT, CMD_READONLY, CMD_SKIP_SLOWLOG, CMD_WRITE,
  CommandError, CommandSpec, Errors, keyPositions,
} from './commands/command';
import { CommandTable } from './commands/table';
import { Config } from './config';
import { Db, KeyspaceEvents } from './db';
import { recordLatency } from './latency-histogram';
import { Log } from './log';
import { memory } from './memory';
import { classBit, NOTIFY_KEYEVENT, NOTIFY_KEYSPACE, NOTIFY_NEW, parseNotifyFlags } from './notify-flags';
import { holdIfPaused } from './pause';
import { PubSubHub } from './pubsub-hub';
import type { ReplicationHooks } from './replication/hooks';
import { quoteArg } from './repr';
import { ProtocolError, QueryBufferLimitError } from './resp/parser';
import { acceptWithSharedReadBuffer } from './shared-read';
import { StartupError } from './startup';
import { Tracking } from './tracking';

/** Per-command statistics (INFO commandstats). */
export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** Latency histogram buckets (latency-histogram.ts), made on the first timed call. */
  hist: Uint32Array | undefined;
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
  /** Full and partial resyncs served (INFO sync_full, sync_partial_ok, sync_partial_err). */
  public syncFull = 0;
  public syncPartialOk = 0;
  public syncPartialErr = 0;
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
  /** Client-side caching (CLIENT TRACKING). */
  public readonly tracking: Tracking = new Tracking(this);
  /** latency-tracking: per-command latency histograms (LATENCY HISTOGRAM, INFO latencystats). */
  public latencyTracking = true;
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
  /** The listeners of each bound address, and the ports they use (for CONFIG SET bind). */
  private readonly bound = new Map<string, net.Server[]>();
  private boundPorts = { port: 0, tlsPort: 0 };
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
  /** processInput calls in progress (nested when serving a blocked client); commands chain clock reads only there. */
  private feeding = 0;
  /** The end of the previous command of the current input batch (performance.now), or -1. */
  private clockAt = -1;
  /** Cluster mode (cluster-enabled yes): routes commands by slot; undefined on a standalone node. */
  public cluster: Cluster | undefined;
  /** Extra periodic work (save schedule, replication...) registered by modules. */
  public readonly cronHooks: Array<(now: number) => void> = [];
  /** Keyspace changes (every key modification counts), as Redis' server.dirty: INFO rdb_changes_since_last_save, the save schedule, replication. */
  public dirty = 0;
  /** Replication (replication/): refuses writes on replicas, propagates writes; set when installed. */
  public repl: ReplicationHooks | undefined;
  /** Set while a snapshot runs: called before a `write` command (or a served blocked one) changes its keys. */
  public beforeWrite: ((db: Db, spec: CommandSpec, argv: readonly string[]) => void) | undefined;
  /** Refuses write commands (and PING) with its error while set (stop-writes-on-bgsave-error). */
  public writeGuard: ((spec: CommandSpec) => string | undefined) | undefined;
  /** The command a blocked client waits in, so a snapshot can copy its keys before it is served. */
  private readonly blockedCommands = new Map<Client, { spec: CommandSpec; argv: string[] }>();
  private runningSpec: CommandSpec | undefined;
  private runningArgv: string[] = [];

  constructor(config: Config) {
    this.config = config;
    this.log = new Log(config);
    const events: KeyspaceEvents = {
      modified: (db, key) => this.keyModified(db, key),
      expired: (db, key) => {
        this.repl?.expired(db, key);
        this.notify('x', 'expired', key, db);
      },
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
      for (const host of binds) {
        const b = await this.listenHost(host, port, tlsPort, opts);
        boundPort = b.port || boundPort;
        boundTls = b.tlsPort || boundTls;
      }
    } catch (e) {
      await Promise.all(this.listeners.map((l) => new Promise<void>((res) => l.close(() => res()))));
      this.listeners.length = 0;
      this.bound.clear();
      throw e;
    }
    this.boundPorts = { port: boundPort, tlsPort: boundTls };
    const hz = this.config.getNumber('hz');
    this.cron = setInterval(() => this.serverCron(), Math.max(1, Math.floor(1000 / hz)));
    this.cron.unref();
    return { port: boundPort, tlsPort: boundTls };
  }

  /**
   * CONFIG SET bind at run time: listens on the added addresses (all or nothing: throws when one
   * cannot be bound), then stops listening on the removed ones. Open connections stay, as in Valkey.
   */
  public async rebind(hosts: readonly string[]): Promise<void> {
    const added = hosts.filter((h) => !this.bound.has(h));
    const removed = [...this.bound.keys()].filter((h) => !hosts.includes(h));
    const tlsPort = this.boundPorts.tlsPort;
    const opts = added.length > 0 && tlsPort > 0 ? tlsOptions(this.config) : undefined;
    const done: string[] = [];
    try {
      for (const h of added) {
        await this.listenHost(h, this.boundPorts.port, tlsPort, opts);
        done.push(h);
      }
    } catch (e) {
      done.forEach((h) => this.unlisten(h));
      throw e;
    }
    removed.forEach((h) => this.unlisten(h));
  }

  /** Listens on one address: the plain port (when > 0) and the TLS port (with `opts`). */
  private async listenHost(host: string, port: number, tlsPort: number, opts?: tls.TlsOptions): Promise<{ port: number; tlsPort: number }> {
    const servers: net.Server[] = [];
    const out = { port: 0, tlsPort: 0 };
    try {
      if (port > 0) {
        const srv = net.createServer({ noDelay: true }, (s) => this.accept(s));
        servers.push(srv);
        out.port = await listenOn(srv, port, host);
        acceptWithSharedReadBuffer(srv, (s) => this.accept(s, true));
      }
      if (opts) {
        const srv = this.tlsServer(opts);
        servers.push(srv);
        out.tlsPort = await listenOn(srv, tlsPort, host);
      }
    } catch (e) {
      servers.forEach((s) => s.listening && s.close());
      throw e;
    }
    this.listeners.push(...servers);
    this.bound.set(host, servers);
    return out;
  }

  private unlisten(host: string): void {
    for (const s of this.bound.get(host) ?? []) {
      s.close();
      this.listeners.splice(this.listeners.indexOf(s), 1);
    }
    this.bound.delete(host);
  }

  private tlsServer(opts: tls.TlsOptions): tls.Server {
    const optional = this.config.get('tls-auth-clients') === 'optional';
    const srv = tls.createServer(opts, (s) => {
      // optional: a client may present no certificate, but a presented one must verify.
      if (optional && !s.authorized && Object.keys(s.getPeerCertificate() ?? {}).length > 0) {
        s.destroy();
        return;
      }
      this.accept(s);
    });
    srv.on('tlsClientError', () => undefined); // a failed handshake only closes that connection
    return srv;
  }

  /** A new connection; `borrowed`: its reads come as views of a shared buffer (shared-read.ts), returns their handler. */
  private accept(socket: net.Socket, borrowed = false): ((chunk: Buffer) => void) | undefined {
    socket.setNoDelay(true);
    if (this.clients.size >= this.config.getNumber('maxclients')) {
      this.stats.rejectedConnections++;
      socket.on('error', () => undefined);
      socket.end('-ERR max number of clients reached\r\n');
      return undefined;
    }
    const keepalive = this.config.getNumber('tcp-keepalive');
    if (keepalive > 0) socket.setKeepAlive(true, keepalive * 1000);
    const client = new Client(this.nextClientId++, socket, this, this.dbs[0]);
    this.clients.set(client.id, client);
    this.stats.totalConnections++;
    const onData = (chunk: Buffer) => this.onData(client, chunk, borrowed);
    if (!borrowed) socket.on('data', onData);
    socket.on('error', () => undefined); // a reset connection is just closed
    socket.on('close', () => this.removeClient(client));
    return onData;
  }

  private onData(client: Client, chunk: Buffer, borrowed = false): void {
    this.stats.netInputBytes += chunk.length;
    client.lastInteraction = Date.now();
    if (client.blocked) {
      client.pendingInput.push(borrowed ? Buffer.from(chunk) : chunk); // a blocked client's next commands wait until it is served
      client.pendingInputBytes += chunk.length;
      if (client.pendingInputBytes > this.config.getNumber('client-query-buffer-limit')) this.queryBufferLimitReached(client);
      return;
    }
    this.processInput(client, chunk, borrowed);
  }

  /**
   * Parses and runs every complete command in `chunk`, then writes the replies at once. `borrowed`:
   * the chunk is only valid during this call (the parser copies what it keeps).
   */
  public processInput(client: Client, chunk: Buffer, borrowed = false): void {
    client.parser.authRequired = !client.authenticated;
    this.feeding++;
    try {
      client.parser.feed(chunk, (argv) => {
        if (client.closeAfterReply || client.closed) return false;
        this.call(client, argv);
        return client.blocked === undefined;
      }, borrowed);
    } catch (e) {
      if (e instanceof QueryBufferLimitError) return this.queryBufferLimitReached(client);
      if (!(e instanceof ProtocolError)) throw e;
      client.reply.error(`ERR Protocol error: ${e.message}`);
      client.closeAfterReply = true;
    } finally {
      this.feeding--;
      this.clockAt = -1;
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
    this.tracking.disable(client);
    this.repl?.clientClosed(client);
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
    if (!client.authenticated && (spec.bits & CMD_NO_AUTH) === 0) {
      this.rejectCommand(client, 'NOAUTH Authentication required.', spec);
      return;
    }
    if (client.multi && (spec.bits & CMD_NO_MULTI) !== 0) {
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
    if (this.loading && (spec.bits & CMD_LOADING) === 0) {
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
    if (this.writeGuard !== undefined) {
      const misconf = this.writeGuard(spec);
      if (misconf) {
        this.rejectCommand(client, misconf, spec);
        return;
      }
    }
    if (this.repl !== undefined) {
      const refused = this.repl.refuse(client, spec);
      if (refused !== undefined) {
        this.rejectCommand(client, refused, spec);
        return;
      }
    }
    if (holdIfPaused(this, client, spec, argv)) return; // CLIENT PAUSE
    if (client.multi && !MULTI_IMMEDIATE.has(spec.name)) {
      client.multi.push({ argv });
      client.reply.simple('QUEUED');
      return;
    }
    if (this.maxmemory > 0 && (spec.bits & CMD_DENYOOM) !== 0 && !this.makeRoomFor(client)) {
      this.rejectCommand(client, Errors.oom, spec);
      return;
    }
    this.execute(client, spec, argv);
  }

  /** Runs a looked-up, checked command (also used by EXEC and scripts). */
  public execute(client: Client, spec: CommandSpec, argv: string[]): void {
    if (this.monitors.size > 0 && (spec.bits & CMD_NOSCRIPT) === 0 && spec.name !== 'auth') this.feedMonitors(client, argv);
    const stats = this.commandStats(spec.name);
    client.lastCommand = spec.name;
    const mark = client.reply.mark();
    if (this.beforeWrite !== undefined && (spec.bits & CMD_WRITE) !== 0) {
      this.beforeWrite(client.db, spec, argv);
      this.clockAt = -1; // the snapshot's copying is not the command's time
    }
    this.runningSpec = spec;
    this.runningArgv = argv;
    // Client tracking: the client whose command this is (EXEC's commands run as their client's; a client
    // resumed inside another's command, as by CLIENT UNBLOCK, is the current one until its command ends).
    const tracking = this.tracking;
    const outer = tracking.current;
    const top = outer !== client;
    if (top) tracking.current = client;
    const repl = this.repl;
    const dirty = repl === undefined ? 0 : repl.enter();
    // Consecutive commands of one input batch share a clock read: one command's end is the next one's start.
    const t0 = this.clockAt >= 0 ? this.clockAt : performance.now();
    this.clockAt = -1;
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
    if ((spec.bits & CMD_READONLY) !== 0 && tracking.clients.size > 0) tracking.rememberKeys(spec, argv);
    const t1 = performance.now();
    if (this.feeding > 0) this.clockAt = t1;
    const usec = (t1 - t0) * 1000;
    if (repl !== undefined) repl.leave(client, spec, argv, dirty, mark);
    stats.calls++;
    stats.usec += usec;
    if (this.latencyTracking) recordLatency(stats, usec);
    this.stats.totalCommands++;
    const slower = this.slowlogThreshold;
    if (slower >= 0 && usec >= slower && (spec.bits & CMD_SKIP_SLOWLOG) === 0) this.addSlowlog(client, argv, usec);
    if (this.onCommandTimed !== undefined) this.onCommandTimed(spec, usec);
    if (top) tracking.commandDone(client, spec, outer);
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
    if (!s) this.stats.commands.set(name, (s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, hist: undefined }));
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
    this.dirty++;
    if (this.tracking.armed) this.tracking.keyModified(key);
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
    if (this.runningSpec) this.blockedCommands.set(client, { spec: this.runningSpec, argv: this.runningArgv });
    for (const key of state.keys) {
      const id = `${state.db.id}\0${key}`;
      let s = this.blockedOn.get(id);
      if (!s) this.blockedOn.set(id, (s = new Set()));
      s.add(client);
    }
  }

  /**
   * Unblocks a client; `timedOut` answers its timeout reply. Resumes its pending input, unless
   * `then` blocks it again at once (a served write whose reply waits for replica acks).
   */
  public unblock(client: Client, timedOut: boolean, then?: BlockState): void {
    const state = client.blocked;
    if (!state) return;
    client.blocked = undefined;
    this.blockedCommands.delete(client);
    for (const key of state.keys) {
      const id = `${state.db.id}\0${key}`;
      const s = this.blockedOn.get(id);
      s?.delete(client);
      if (s && s.size === 0) this.blockedOn.delete(id);
    }
    if (timedOut) state.onTimeout();
    if (client.closed) return;
    if (then !== undefined) {
      this.block(client, then);
      return;
    }
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
          const cmd = this.beforeWrite !== undefined ? this.blockedCommands.get(c) : undefined;
          if (cmd && cmd.spec.flags.includes('write')) this.beforeWrite!(c.blocked.db, cmd.spec, cmd.argv);
          const mark = c.reply.mark();
          if (c.blocked.tryServe()) this.unblock(c, false, this.repl?.served(c, mark));
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

  /** A new client id (connections made by the node itself, such as the link to its primary). */
  public allocClientId(): number {
    return this.nextClientId++;
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
