/**
 * A pipelining RESP2 connection to one node (the cluster code, and the admin calls of
 * nodes/admin-client.ts). The control plane ships in the package's
 * runtime, where ioredis is not a dependency. Strings are byte strings (latin1 both ways), so keys
 * and DUMP payloads pass through unchanged.
 */
import * as net from 'net';
import * as tls from 'tls';

export type Reply = string | number | null | Error | Reply[];

export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Credentials and transport for every node of a group. */
export interface LinkOptions {
  readonly user?: string;
  readonly password?: string;
  /** CA to trust when the nodes speak TLS. */
  readonly tlsCa?: string;
  /** Per-command timeout, ms (default 5000). */
  readonly timeoutMs?: number;
}

function parseReply(buf: Buffer, pos: number): { value: Reply; next: number } | undefined {
  if (pos >= buf.length) return undefined;
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const type = buf[pos];
  const line = buf.toString('latin1', pos + 1, eol);
  switch (type) {
    case 0x2b: return { value: line, next: eol + 2 }; // +
    case 0x2d: return { value: new Error(line), next: eol + 2 }; // -
    case 0x3a: return { value: Number(line), next: eol + 2 }; // :
    case 0x24: { // $
      const len = Number(line);
      if (len < 0) return { value: null, next: eol + 2 };
      if (buf.length < eol + 4 + len) return undefined;
      return { value: buf.toString('latin1', eol + 2, eol + 2 + len), next: eol + 4 + len };
    }
    case 0x2a: { // *
      const n = Number(line);
      if (n < 0) return { value: null, next: eol + 2 };
      const items: Reply[] = [];
      let p = eol + 2;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, p);
        if (!r) return undefined;
        items.push(r.value);
        p = r.next;
      }
      return { value: items, next: p };
    }
    default: return { value: new Error(`protocol error: unexpected byte ${type}`), next: buf.length };
  }
}

function encode(args: ReadonlyArray<string | number>): Buffer {
  const parts: string[] = [`*${args.length}\r\n`];
  for (const a of args) {
    const s = String(a);
    parts.push(`$${Buffer.byteLength(s, 'latin1')}\r\n`, s, '\r\n');
  }
  return Buffer.from(parts.join(''), 'latin1');
}

export class NodeLink {
  static async open(addr: NodeAddress, opts: LinkOptions = {}): Promise<NodeLink> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = opts.tlsCa !== undefined
        ? tls.connect({ host: addr.host, port: addr.port, ca: opts.tlsCa, checkServerIdentity: () => undefined })
        : net.connect({ host: addr.host, port: addr.port });
      const timer = setTimeout(() => { s.destroy(); reject(new Error(`connect to ${addr.host}:${addr.port} timed out`)); }, timeoutMs);
      s.once(opts.tlsCa !== undefined ? 'secureConnect' : 'connect', () => { clearTimeout(timer); resolve(s); });
      s.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
    const link = new NodeLink(addr, socket, timeoutMs);
    if (opts.password !== undefined) {
      const r = await link.call(opts.user !== undefined ? ['AUTH', opts.user, opts.password] : ['AUTH', opts.password]).catch((e: Error) => e);
      if (r instanceof Error) {
        link.close();
        // Not the arguments: they hold the password.
        throw new Error(`AUTH on ${addr.host}:${addr.port}: ${r.message}`);
      }
    }
    return link;
  }

  private buf: Buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }> = [];
  private closedError?: Error;

  private constructor(public readonly addr: NodeAddress, private readonly socket: net.Socket, private readonly timeoutMs: number) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      let pos = 0;
      for (;;) {
        const r = parseReply(this.buf, pos);
        if (!r) break;
        pos = r.next;
        const w = this.waiting.shift();
        if (w) { clearTimeout(w.timer); w.resolve(r.value); }
      }
      this.buf = this.buf.subarray(pos);
    });
    const fail = (e: Error) => {
      this.closedError ??= e;
      for (const w of this.waiting.splice(0)) { clearTimeout(w.timer); w.reject(this.closedError); }
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error(`connection to ${addr.host}:${addr.port} closed`)));
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  /** Sends a command; resolves with the reply (an Error value for an error reply), rejects on I/O failure. */
  call(args: ReadonlyArray<string | number>, timeoutMs = this.timeoutMs): Promise<Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${args[0]} to ${this.addr.host}:${this.addr.port} timed out after ${timeoutMs} ms`));
        this.socket.destroy();
      }, timeoutMs);
      this.waiting.push({ resolve, reject, timer });
      this.socket.write(encode(args));
    });
  }

  /** Like call, but an error reply throws. */
  async cmd(...args: Array<string | number>): Promise<Reply> {
    const r = await this.call(args);
    if (r instanceof Error) throw new Error(`${args.slice(0, 3).join(' ')} on ${this.addr.host}:${this.addr.port}: ${r.message}`);
    return r;
  }

  /** A command whose reply is text (CLUSTER NODES, INFO, MYID). */
  async text(...args: Array<string | number>): Promise<string> {
    const r = await this.cmd(...args);
    if (typeof r !== 'string') throw new Error(`${args.join(' ')}: expected text, got ${JSON.stringify(r)}`);
    return r;
  }

  /** Runs `fn` once when the connection drops (a killed node closes it at once). */
  onClose(fn: () => void): void {
    this.socket.once('close', fn);
  }

  close(): void {
    this.closedError ??= new Error('closed');
    this.socket.destroy();
  }
}
