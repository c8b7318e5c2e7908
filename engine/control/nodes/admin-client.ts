/**
 * A small RESP2 client the control plane uses to talk to nodes (PING, INFO, REPLICAOF, CONFIG SET,
 * ACL LOAD, BGSAVE). The control plane ships in the package's runtime, where ioredis is not a
 * dependency, and it only needs request/reply on one connection with a timeout.
 */
import * as net from 'net';
import * as tls from 'tls';

export type Reply = string | number | null | Error | Reply[];

export interface AdminTarget {
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  /** CA to trust when the node speaks TLS. */
  readonly tlsCa?: string;
}

/** Parses one RESP2 reply from `buf` at `pos`; returns undefined when incomplete. */
function parseReply(buf: Buffer, pos: number): { value: Reply; next: number } | undefined {
  if (pos >= buf.length) return undefined;
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString('latin1', pos + 1, eol);
  switch (type) {
    case '+': return { value: line, next: eol + 2 };
    case '-': return { value: new Error(line), next: eol + 2 };
    case ':': return { value: Number(line), next: eol + 2 };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next: eol + 2 };
      if (buf.length < eol + 2 + len + 2) return undefined;
      return { value: buf.toString('latin1', eol + 2, eol + 2 + len), next: eol + 2 + len + 2 };
    }
    case '*': {
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
    default: return { value: new Error(`protocol error: unexpected '${type}'`), next: buf.length };
  }
}

function encode(args: readonly string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  return s;
}

/** One connection to a node; commands are answered in order. */
export class AdminConnection {
  static async open(target: AdminTarget, timeoutMs = 1000): Promise<AdminConnection> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = target.tlsCa !== undefined
        ? tls.connect({ host: target.host, port: target.port, ca: target.tlsCa, servername: undefined, checkServerIdentity: () => undefined })
        : net.connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => { s.destroy(); reject(new Error(`connect to ${target.host}:${target.port} timed out`)); }, timeoutMs);
      s.once(target.tlsCa !== undefined ? 'secureConnect' : 'connect', () => { clearTimeout(timer); resolve(s); });
      s.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
    const c = new AdminConnection(socket, timeoutMs);
    if (target.password !== undefined) {
      const r = await c.call(target.user !== undefined ? ['AUTH', target.user, target.password] : ['AUTH', target.password]);
      if (r instanceof Error) { c.close(); throw r; }
    }
    return c;
  }

  private buf: Buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }> = [];
  private closedError?: Error;

  private constructor(private readonly socket: net.Socket, private readonly timeoutMs: number) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      for (;;) {
        const r = parseReply(this.buf, 0);
        if (!r) break;
        this.buf = this.buf.subarray(r.next);
        const w = this.waiting.shift();
        if (w) { clearTimeout(w.timer); w.resolve(r.value); }
      }
    });
    const fail = (e: Error) => {
      this.closedError = e;
      for (const w of this.waiting.splice(0)) { clearTimeout(w.timer); w.reject(e); }
    };
    socket.on('error', fail);
    socket.on('close', () => fail(this.closedError ?? new Error('connection closed')));
  }

  /** Sends a command; resolves with the reply (an Error value for an error reply), rejects on I/O failure. */
  call(args: readonly string[], timeoutMs = this.timeoutMs): Promise<Reply> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${args[0]} timed out after ${timeoutMs} ms`));
        this.socket.destroy();
      }, timeoutMs);
      this.waiting.push({ resolve, reject, timer });
      this.socket.write(encode(args), 'latin1');
    });
  }

  /** Runs `fn` once when the connection drops (a killed node closes it at once). */
  onClose(fn: () => void): void {
    this.socket.once('close', fn);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Opens, runs one command, closes. Throws on I/O failure or an error reply. */
export async function adminCall(target: AdminTarget, args: readonly string[], timeoutMs = 1000): Promise<Reply> {
  const c = await AdminConnection.open(target, timeoutMs);
  try {
    const r = await c.call(args, timeoutMs);
    if (r instanceof Error) throw r;
    return r;
  } finally {
    c.close();
  }
}

/** `INFO section` parsed into field → value. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
