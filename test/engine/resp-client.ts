import * as net from 'net';

/** A reply as data, keeping its RESP type, so differential tests compare types too. */
export type Resp =
  | { simple: string }
  | { error: string }
  | number
  | bigint
  | string
  | null
  | Resp[]
  | { map: Array<[Resp, Resp]> }
  | { set: Resp[] }
  | { double: string }
  | { bool: boolean }
  | { verbatim: string }
  | { push: Resp[] };

/**
 * A minimal raw RESP2/RESP3 client for tests: sends commands as multibulk (or raw bytes) and
 * parses replies exactly, without the interpretation a real client library adds.
 */
export class RespClient {
  public static connect(port: number): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RespClient(s)));
      s.once('error', reject);
    });
  }

  private buf = Buffer.alloc(0);
  private waiters: Array<(r: Resp) => void> = [];
  private readonly socket: net.Socket;
  public closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.drain();
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => (this.closed = true));
  }

  /** Sends one command and waits for its reply. */
  public call(...args: Array<string | number | Buffer>): Promise<Resp> {
    const parts = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
      const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'latin1');
      parts.push(Buffer.from(`$${b.length}\r\n`), Buffer.from(b), Buffer.from('\r\n'));
    }
    return this.send(Buffer.concat(parts));
  }

  /** Sends raw bytes and waits for the next reply. */
  public send(raw: Buffer | string): Promise<Resp> {
    const p = this.next();
    this.socket.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
    return p;
  }

  /** Sends raw bytes holding `n` commands and waits for their `n` replies. */
  public sendMany(raw: Buffer | string, n: number): Promise<Resp[]> {
    const replies = Array.from({ length: n }, () => this.next());
    this.socket.write(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw);
    return Promise.all(replies);
  }

  /** Waits for the next reply (pushes included). */
  public next(timeoutMs = 10000): Promise<Resp> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no reply in time')), timeoutMs);
      t.unref();
      this.waiters.push((r) => {
        clearTimeout(t);
        resolve(r);
      });
      this.drain();
    });
  }

  public close(): void {
    this.socket.destroy();
  }

  /** Resolves when the server closes the connection. */
  public waitClosed(): Promise<void> {
    return new Promise((res) => (this.closed ? res() : this.socket.once('close', () => res())));
  }

  private drain(): void {
    while (this.waiters.length > 0) {
      const r = parse(this.buf, 0);
      if (!r) return;
      this.buf = this.buf.subarray(r.end);
      this.waiters.shift()!(r.value);
    }
  }
}

function line(buf: Buffer, pos: number): { s: string; next: number } | undefined {
  const i = buf.indexOf('\r\n', pos);
  if (i < 0) return undefined;
  return { s: buf.toString('latin1', pos + 1, i), next: i + 2 };
}

function parse(buf: Buffer, pos: number): { value: Resp; end: number } | undefined {
  if (pos >= buf.length) return undefined;
  const t = String.fromCharCode(buf[pos]);
  const l = line(buf, pos);
  if (!l) return undefined;
  switch (t) {
    case '+': return { value: { simple: l.s }, end: l.next };
    case '-': return { value: { error: l.s }, end: l.next };
    case ':': {
      const n = BigInt(l.s);
      return { value: n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n, end: l.next };
    }
    case '_': return { value: null, end: l.next };
    case ',': return { value: { double: l.s }, end: l.next };
    case '#': return { value: { bool: l.s === 't' }, end: l.next };
    case '(': return { value: BigInt(l.s), end: l.next };
    case '$':
    case '=': {
      const n = Number(l.s);
      if (n < 0) return { value: null, end: l.next };
      if (buf.length < l.next + n + 2) return undefined;
      const s = buf.toString('latin1', l.next, l.next + n);
      return { value: t === '=' ? { verbatim: s } : s, end: l.next + n + 2 };
    }
    case '*':
    case '~':
    case '>':
    case '%': {
      const n = Number(l.s);
      if (n < 0) return { value: null, end: l.next };
      const count = t === '%' ? n * 2 : n;
      const items: Resp[] = [];
      let p = l.next;
      for (let i = 0; i < count; i++) {
        const r = parse(buf, p);
        if (!r) return undefined;
        items.push(r.value);
        p = r.end;
      }
      if (t === '~') return { value: { set: items }, end: p };
      if (t === '>') return { value: { push: items }, end: p };
      if (t === '%') {
        const pairs: Array<[Resp, Resp]> = [];
        for (let i = 0; i < items.length; i += 2) pairs.push([items[i], items[i + 1]]);
        return { value: { map: pairs }, end: p };
      }
      return { value: items, end: p };
    }
    default:
      throw new Error(`bad reply type byte ${JSON.stringify(t)} in ${JSON.stringify(buf.toString('latin1', pos, pos + 40))}`);
  }
}
