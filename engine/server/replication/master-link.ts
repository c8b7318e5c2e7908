import * as fs from 'fs';
import * as net from 'net';
import * as tls from 'tls';
import { Client } from '../client';
import { encodeCommand } from './backlog';
import { loadDataset } from './rdb-bridge';
import type { Replication } from './replication';
import { RequestParser } from '../resp/parser';

type LinkState = 'connect' | 'connecting' | 'handshake' | 'transfer' | 'connected';

/**
 * The replica side of replication: the connection to our primary. Handshake (PING, AUTH,
 * REPLCONF listening-port / capa, PSYNC), the RDB transfer in either form real primaries use
 * (`$<len>` or diskless `$EOF:<40 bytes mark>`), then the command stream, applied through the
 * master client and proxied byte for byte to our own replicas. Reconnects with PSYNC after a drop.
 */
export class MasterLink {
  public state: LinkState = 'connect';
  /** The primary's commands run as this client (no ACL, sees logically expired keys). */
  public client: Client | undefined;
  /** True while a command of the stream runs: its effects are not propagated again. */
  public applying = false;
  public lastIo = Date.now();
  public downSince = Date.now();
  /** RDB transfer progress (INFO master_sync_*). */
  public syncTotal = -1;
  public syncRead = 0;
  private socket: net.Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private lineWaiter: ((line: string) => void) | undefined;
  private transfer: { len: number; eof: string | undefined; parts: Buffer[]; replid: string; offset: number } | undefined;
  private parser: RequestParser | undefined;
  private closed = false;
  private nextAttempt = 0;
  /** Bumped on every (re)connection, so a stale handshake stops. */
  private generation = 0;

  constructor(private readonly repl: Replication, public readonly host: string, public readonly port: number, private failover = false) {}

  public get connected(): boolean {
    return this.state === 'connected';
  }

  public connect(): void {
    if (this.closed) return;
    const config = this.repl.server.config;
    const gen = ++this.generation;
    this.state = 'connecting';
    this.lastIo = Date.now();
    this.buf = Buffer.alloc(0);
    let socket: net.Socket;
    const onConnected = () => {
      if (gen === this.generation) void this.handshake(gen);
    };
    if (config.getBool('tls-replication')) {
      const read = (f: string) => (f ? fs.readFileSync(f) : undefined);
      try {
        socket = tls.connect({
          host: this.host,
          port: this.port,
          cert: read(config.get('tls-cert-file')),
          key: read(config.get('tls-key-file')),
          ca: read(config.get('tls-ca-cert-file')),
          // Like Valkey: the primary's certificate must chain to our CA; host names are not checked.
          checkServerIdentity: () => undefined,
        }, onConnected);
      } catch (e) {
        this.repl.server.log.warning(`Unable to connect to MASTER over TLS: ${(e as Error).message}`);
        this.retryLater();
        return;
      }
    } else {
      socket = net.connect({ host: this.host, port: this.port }, onConnected);
    }
    socket.setNoDelay(true);
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      if (gen === this.generation) this.onData(chunk);
    });
    socket.on('error', (e) => {
      if (gen === this.generation && this.state !== 'connected') this.repl.server.log.warning(`Error condition on socket for SYNC: ${e.message}`);
    });
    socket.on('close', () => {
      if (gen === this.generation) this.onClose();
    });
  }

  /** REPLICAOF NO ONE / another primary: stops for good. */
  public close(): void {
    this.closed = true;
    this.generation++;
    this.dropClient();
    this.socket?.destroy();
    this.socket = undefined;
  }

  private retryLater(): void {
    this.state = 'connect';
    this.nextAttempt = Date.now() + 1000;
  }

  private onClose(): void {
    if (this.state === 'connected') {
      this.repl.server.log.notice('Connection with master lost.');
      this.downSince = Date.now();
    }
    this.dropClient();
    this.socket = undefined;
    this.lineWaiter = undefined;
    this.transfer = undefined;
    this.retryLater();
  }

  private dropClient(): void {
    const c = this.client;
    if (c === undefined) return;
    this.client = undefined;
    const server = this.repl.server;
    if (server.clients.get(c.id) === c) server.killClient(c);
  }

  private fail(why: string): void {
    this.repl.server.log.warning(why);
    this.socket?.destroy();
  }

  // ---------------------------------------------------------------- handshake

  private send(argv: string[]): void {
    this.socket?.write(encodeCommand(argv));
  }

  private readLine(): Promise<string> {
    return new Promise((resolve) => {
      this.lineWaiter = resolve;
      this.pumpLines();
    });
  }

  private pumpLines(): void {
    const w = this.lineWaiter;
    if (w === undefined) return;
    const i = this.buf.indexOf(10);
    if (i < 0) return;
    const line = this.buf.latin1Slice(0, i > 0 && this.buf[i - 1] === 13 ? i - 1 : i);
    this.buf = this.buf.subarray(i + 1);
    this.lineWaiter = undefined;
    w(line);
  }

  private async ask(argv: string[]): Promise<string> {
    this.send(argv);
    return this.readLine();
  }

  private async handshake(gen: number): Promise<void> {
    const server = this.repl.server;
    const config = server.config;
    this.state = 'handshake';
    server.log.notice('MASTER <-> REPLICA sync started');
    const pong = await this.ask(['PING']);
    if (gen !== this.generation) return;
    if (pong.startsWith('-') && !/^-(NOAUTH|NOPERM|ERR operation not permitted)/.test(pong)) return this.fail(`Error reply to PING from master: '${pong}'`);
    const pass = config.get('masterauth');
    if (pass) {
      const user = config.get('masteruser');
      const r = await this.ask(user ? ['AUTH', user, pass] : ['AUTH', pass]);
      if (gen !== this.generation) return;
      if (r.startsWith('-')) return this.fail(`Unable to AUTH to MASTER: ${r}`);
    }
    const announcedPort = config.getNumber('replica-announce-port') || this.ownPort();
    await this.ask(['REPLCONF', 'listening-port', String(announcedPort)]);
    const ip = config.get('replica-announce-ip');
    if (ip) await this.ask(['REPLCONF', 'ip-address', ip]);
    await this.ask(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']);
    if (gen !== this.generation) return;
    const repl = this.repl;
    const psync = repl.backlog !== undefined ? ['PSYNC', repl.replid, String(repl.offset + 1)] : ['PSYNC', '?', '-1'];
    if (this.failover) psync.push('FAILOVER'); // FAILOVER's switch: the target promotes itself
    let reply = await this.ask(psync);
    while (reply === '' && gen === this.generation) reply = await this.readLine(); // keepalives before the reply
    if (gen !== this.generation) return;
    if (reply.startsWith('+FULLRESYNC')) {
      const [, replid, offset] = reply.split(' ');
      server.log.notice(`Full resync from master: ${replid}:${offset}`);
      let head = '';
      while (head === '') head = await this.readLine(); // newlines are keepalives while the primary prepares the RDB
      if (gen !== this.generation) return;
      if (!head.startsWith('$')) return this.fail(`Bad protocol from MASTER, the first byte is not '$': '${head}'`);
      const eof = head.startsWith('$EOF:') ? head.slice(5) : undefined;
      this.transfer = { len: eof ? -1 : Number(head.slice(1)), eof, parts: [], replid, offset: Number(offset) };
      this.syncTotal = eof ? -1 : Number(head.slice(1));
      this.syncRead = 0;
      this.state = 'transfer';
      this.onTransfer();
    } else if (reply.startsWith('+CONTINUE')) {
      const newId = reply.split(' ')[1];
      server.log.notice(`Successful partial resynchronization with master${newId ? ` (replid ${newId})` : ''}.`);
      repl.ensureBacklog();
      if (newId) repl.continueAs(newId);
      this.online(this.buf);
      this.failoverDone();
    } else {
      this.fail(`Unexpected reply to PSYNC from master: ${reply}`);
    }
  }

  private ownPort(): number {
    const config = this.repl.server.config;
    return config.getNumber('port') || config.getNumber('tls-port');
  }

  // ---------------------------------------------------------------- transfer and stream

  private onData(chunk: Buffer): void {
    this.lastIo = Date.now();
    if (this.state === 'connected') {
      this.onStream(chunk);
      return;
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.state === 'transfer') this.onTransfer();
    else this.pumpLines();
  }

  private onTransfer(): void {
    const t = this.transfer!;
    const data = this.buf;
    this.buf = Buffer.alloc(0);
    if (t.eof === undefined) {
      const need = t.len - this.syncRead;
      if (data.length < need) {
        t.parts.push(data);
        this.syncRead += data.length;
        return;
      }
      t.parts.push(data.subarray(0, need));
      this.syncRead += need;
      this.loaded(Buffer.concat(t.parts), data.subarray(need));
      return;
    }
    // Diskless: the payload ends with the 40-byte mark announced in `$EOF:<mark>`.
    t.parts.push(data);
    this.syncRead += data.length;
    const mark = Buffer.from(t.eof, 'latin1');
    const tailLen = Math.min(this.syncRead, data.length + mark.length);
    const tail = Buffer.concat(t.parts).subarray(this.syncRead - tailLen);
    const at = tail.indexOf(mark);
    if (at < 0) {
      if (t.parts.length > 64) t.parts = [Buffer.concat(t.parts)];
      return;
    }
    const all = Buffer.concat(t.parts);
    const end = this.syncRead - tailLen + at;
    this.loaded(all.subarray(0, end), all.subarray(end + mark.length));
  }

  private loaded(rdb: Buffer, rest: Buffer): void {
    const server = this.repl.server;
    const t = this.transfer!;
    this.transfer = undefined;
    server.log.notice(`MASTER <-> REPLICA sync: Loading DB in memory (${rdb.length} bytes)`);
    try {
      server.loading = true;
      loadDataset(server, rdb);
    } catch (e) {
      this.fail(`Failed trying to load the MASTER synchronization DB from socket: ${(e as Error).message}`);
      return;
    } finally {
      server.loading = false;
    }
    this.repl.adoptHistory(t.replid, t.offset);
    server.log.notice('MASTER <-> REPLICA sync: Finished with success');
    this.online(rest);
    this.sendAck(); // a diskless primary puts us online on our first ACK
    this.failoverDone();
  }

  private online(rest: Buffer): void {
    const server = this.repl.server;
    const c = new Client(server.allocClientId(), this.socket, server, server.dbs[0]);
    c.authenticated = true;
    c.replKind = 'master';
    server.clients.set(c.id, c);
    this.client = c;
    this.parser = new RequestParser({ maxBulkLen: Number.MAX_SAFE_INTEGER, maxQueryBuffer: Number.MAX_SAFE_INTEGER });
    this.state = 'connected';
    this.buf = Buffer.alloc(0);
    if (rest.length > 0) this.onStream(rest);
  }

  private onStream(chunk: Buffer): void {
    try {
      this.parser!.feed(chunk, (argv) => {
        this.apply(argv);
        return this.state === 'connected';
      });
    } catch (e) {
      this.fail(`Protocol error in the master stream: ${(e as Error).message}`);
    }
  }

  /** Runs one command of the primary's stream and passes its bytes on (backlog, our replicas). */
  private apply(argv: string[]): void {
    const server = this.repl.server;
    const c = this.client!;
    let spec = server.commands.lookup(argv[0]);
    if (spec?.subcommands && argv.length >= 2) spec = spec.subcommands.get(argv[1].toLowerCase());
    this.applying = true;
    try {
      if (spec === undefined) {
        server.log.warning(`Unknown command '${argv[0]}' in the master stream`);
      } else if (c.multi !== undefined && spec.name !== 'exec' && spec.name !== 'discard' && spec.name !== 'multi') {
        c.multi.push({ argv });
      } else {
        server.execute(c, spec, argv);
      }
    } finally {
      this.applying = false;
    }
    c.reply.rollback(0);
    this.repl.feedRaw(encodeCommand(argv));
  }

  private failoverDone(): void {
    if (!this.failover) return;
    this.failover = false;
    this.repl.failover.finish();
  }

  public sendAck(): void {
    if (this.state === 'connected') this.send(['REPLCONF', 'ACK', String(this.repl.offset)]);
  }

  public cron(now: number): void {
    if (this.closed) return;
    if (this.state === 'connect' && now >= this.nextAttempt) {
      this.repl.server.log.notice(`Connecting to MASTER ${this.host}:${this.port}`);
      this.connect();
      return;
    }
    const timeout = this.repl.server.config.getNumber('repl-timeout') * 1000;
    if (this.state !== 'connect' && now - this.lastIo > timeout) {
      this.fail(this.state === 'connected' ? 'MASTER timeout: no data nor PING received...' : 'Timeout connecting to the MASTER...');
    }
  }
}
