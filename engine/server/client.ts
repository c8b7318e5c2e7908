import type { Socket } from 'net';
import { TLSSocket } from 'tls';
import type { Db } from './db';
import { checkOutputBuffer } from './limits';
import { RequestParser } from './resp/parser';
import { Reply } from './resp/reply';
import type { Server } from './server';

/** A command queued between MULTI and EXEC. */
export interface QueuedCommand {
  readonly argv: string[];
}

/** What a blocked client waits for; the type module that blocked it decides when it can go on. */
export interface BlockState {
  /** Keys (in `db`) whose modification may unblock the client. */
  readonly keys: readonly string[];
  readonly db: Db;
  /** Deadline in ms since epoch, or 0 for none. */
  readonly deadline: number;
  /** Tries to serve the client now; true when it was served (and is unblocked). */
  readonly tryServe: () => boolean;
  /** Answers the timeout reply (null array by default). */
  readonly onTimeout: () => void;
}

/** One connection and its state. */
export class Client {
  public readonly id: number;
  public name = '';
  public libName = '';
  public libVersion = '';
  public db: Db;
  public readonly reply = new Reply();
  public readonly parser: RequestParser;
  /** The authenticated user name (ACL). */
  public user = 'default';
  public authenticated: boolean;
  public readonly createdAt = Date.now();
  public lastInteraction = Date.now();
  public lastCommand = 'NULL';
  /** MULTI state: undefined outside a transaction. */
  public multi: QueuedCommand[] | undefined;
  /** An error was queued in MULTI (EXECABORT). */
  public multiError = false;
  /** WATCHed keys, as `${db}\u0000${key}`. */
  public readonly watched = new Set<string>();
  /** A watched key changed: EXEC fails. */
  public dirtyCas = false;
  public readonly channels = new Set<string>();
  public readonly patterns = new Set<string>();
  public readonly shardChannels = new Set<string>();
  public blocked: BlockState | undefined;
  /** Set while EXEC or a script runs commands: blocking commands answer at once instead of blocking. */
  public denyBlocking = false;
  /** READONLY mode (cluster replicas). */
  public readOnly = false;
  /** CLIENT NO-EVICT / NO-TOUCH flags. */
  public noEvict = false;
  public noTouch = false;
  /** Set when the client must close after its pending replies are written. */
  public closeAfterReply = false;
  public closed = false;
  /** A replication connection: a replica of ours ('replica') or our primary's stream ('master'). */
  public replKind: '' | 'replica' | 'master' = '';
  /** MONITOR mode. */
  public monitor = false;
  /** RESP3 client-side tracking is not supported; kept for CLIENT INFO. */
  public flags = '';
  /** Input processing is paused while blocked; unparsed input waits here. */
  public pendingInput: Buffer[] = [];
  public pendingInputBytes = 0;
  /** A plain TCP socket (not TLS): replies are written from the reply buffer without a copy. */
  private readonly plainSocket: boolean;

  constructor(
    id: number,
    public readonly socket: Socket | undefined,
    public readonly server: Server,
    db: Db,
  ) {
    this.id = id;
    this.db = db;
    this.parser = new RequestParser({
      maxBulkLen: server.config.getNumber('proto-max-bulk-len'),
      maxQueryBuffer: server.config.getNumber('client-query-buffer-limit'),
    });
    this.authenticated = server.acl.defaultUserNeedsNoAuth();
    this.plainSocket = socket !== undefined && !(socket instanceof TLSSocket);
  }

  /** `addr` as CLIENT LIST prints it. */
  public get addr(): string {
    const s = this.socket;
    if (!s) return '';
    return `${s.remoteAddress?.replace(/^::ffff:/, '')}:${s.remotePort}`;
  }

  public get laddr(): string {
    const s = this.socket;
    if (!s) return '';
    return `${s.localAddress?.replace(/^::ffff:/, '')}:${s.localPort}`;
  }

  /** Pub/sub subscriptions in total (channels, patterns and shard channels: the client is in pub/sub mode while > 0). */
  public get subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  /** Writes pending replies to the socket. */
  public flush(): void {
    const socket = this.socket;
    if (this.reply.pendingBytes > 0 && socket && !socket.destroyed) {
      // The reply buffer itself is written (no copy) and reused when the socket took it at once;
      // TLS sockets get a copy (TLS may keep cleartext aside before the handshake is done).
      if (this.plainSocket) {
        socket.write(this.reply.lend());
        const queued = socket.writableLength > 0;
        this.reply.release(!queued);
        if (queued) checkOutputBuffer(this);
      } else {
        socket.write(this.reply.take()!);
        if (socket.writableLength > 0) checkOutputBuffer(this);
      }
    } else {
      this.reply.take(); // nobody to read it
    }
    if (this.closeAfterReply && this.socket && !this.closed) {
      this.socket.end();
    }
  }
}
