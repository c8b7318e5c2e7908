/**
 * Reply writer of one client: encodes RESP2 or RESP3 into a reusable buffer that is flushed to the
 * socket once per batch of commands (one write per read, not one per reply).
 */
const CRLF = '\r\n';
/** Up to this length, strings are copied into the reply in JS rather than by latin1Write. */
const SHORT_TEXT = 32;

/** A reply value for code that builds replies as data (scripts, EXEC, MULTI queues, tests). */
export type ReplyValue =
  | { t: 'simple'; v: string }
  | { t: 'error'; v: string }
  | { t: 'int'; v: number | bigint }
  | { t: 'bulk'; v: string | null }
  | { t: 'array'; v: ReplyValue[] | null }
  | { t: 'map'; v: Array<[ReplyValue, ReplyValue]> }
  | { t: 'set'; v: ReplyValue[] }
  | { t: 'double'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'verbatim'; v: string; format?: string }
  | { t: 'push'; v: ReplyValue[] };

export class Reply {
  /** Protocol version the client chose with HELLO (2 or 3). */
  public resp: 2 | 3 = 2;
  private buf: Buffer = Buffer.allocUnsafe(4096);
  private len = 0;
  /** Total bytes written since the last flush (for output buffer limits). */
  public get pendingBytes(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private raw(s: string): void {
    this.ensure(s.length);
    this.len += this.buf.latin1Write(s, this.len);
  }

  /** Writes `s` (latin1) at the end; short strings byte by byte (latin1Write's C++ call costs more than the copy). */
  private text(s: string): void {
    const n = s.length;
    if (n > SHORT_TEXT) {
      this.len += this.buf.latin1Write(s, this.len);
      return;
    }
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    this.len = at;
  }

  /**
   * `<prefix><n>\r\n` for a header or an integer reply, the digits written in place (no string);
   * other numbers (bigint, huge, fractional) take the string path.
   */
  private line(prefix: number, n: number | bigint): void {
    if (typeof n !== 'number' || !(n > -1e9 && n < 1e9) || n !== Math.floor(n)) {
      this.raw(`${String.fromCharCode(prefix)}${n}${CRLF}`);
      return;
    }
    this.ensure(14);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = prefix;
    let v = n;
    if (v < 0) {
      buf[at++] = 45; // '-'
      v = -v;
    }
    let digits = 1;
    for (let t = v; t >= 10; t = (t / 10) | 0) digits++;
    at += digits;
    for (let i = 1; i <= digits; i++) {
      buf[at - i] = 48 + (v % 10);
      v = (v / 10) | 0;
    }
    buf[at++] = 13;
    buf[at++] = 10;
    this.len = at;
  }

  /** `+OK` */
  public ok(): void {
    this.ensure(5);
    const buf = this.buf;
    const at = this.len;
    buf[at] = 43;
    buf[at + 1] = 79;
    buf[at + 2] = 75;
    buf[at + 3] = 13;
    buf[at + 4] = 10;
    this.len = at + 5;
  }

  public simple(s: string): void {
    this.raw(`+${s}${CRLF}`);
  }

  /** An error; `msg` starts with its code (`ERR ...`, `WRONGTYPE ...`). */
  public error(msg: string): void {
    this.raw(`-${msg.replace(/[\r\n]+/g, ' ')}${CRLF}`);
  }

  public int(n: number | bigint): void {
    this.line(58 /* : */, n);
  }

  /** A bulk string (latin1 bytes), or the null reply. */
  public bulk(s: string | null | undefined): void {
    if (s === null || s === undefined) {
      this.nil();
      return;
    }
    const n = s.length;
    this.line(36 /* $ */, n);
    this.ensure(n + 2);
    this.text(s);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  /** A bulk string from a number. */
  public bulkNumber(n: number): void {
    this.bulk(String(n));
  }

  /** Null: `$-1` in RESP2, `_` in RESP3. */
  public nil(): void {
    this.raw(this.resp === 3 ? '_\r\n' : '$-1\r\n');
  }

  /** Null array: `*-1` in RESP2, `_` in RESP3. */
  public nilArray(): void {
    this.raw(this.resp === 3 ? '_\r\n' : '*-1\r\n');
  }

  public array(n: number): void {
    this.line(42 /* * */, n);
  }

  /** A map of `n` pairs: `%n` in RESP3, a flat array of 2n in RESP2. */
  public map(n: number): void {
    if (this.resp === 3) this.line(37 /* % */, n);
    else this.line(42 /* * */, n * 2);
  }

  /** A set of `n`: `~n` in RESP3, an array in RESP2. */
  public set(n: number): void {
    this.line(this.resp === 3 ? 126 /* ~ */ : 42 /* * */, n);
  }

  /** A push message (pub/sub in RESP3; an array in RESP2). */
  public push(n: number): void {
    this.line(this.resp === 3 ? 62 /* > */ : 42 /* * */, n);
  }

  /** A double: `,` in RESP3, a bulk string in RESP2 (Valkey's %.17g formatting). */
  public double(d: number): void {
    const s = formatDouble(d);
    if (this.resp === 3) this.raw(`,${s === 'inf' ? 'inf' : s === '-inf' ? '-inf' : s}${CRLF}`);
    else this.bulk(s);
  }

  /** A double already formatted (`,text` in RESP3, a bulk string in RESP2), for replies with their own format. */
  public doubleText(text: string): void {
    if (this.resp === 3) this.raw(`,${text}${CRLF}`);
    else this.bulk(text);
  }

  /** A big number: `(` in RESP3, a bulk string in RESP2. */
  public bigNumber(s: string): void {
    if (this.resp === 3) this.raw(`(${s}${CRLF}`);
    else this.bulk(s);
  }

  public bool(b: boolean): void {
    if (this.resp === 3) this.raw(b ? '#t\r\n' : '#f\r\n');
    else this.int(b ? 1 : 0);
  }

  /** Verbatim text (`=` in RESP3), a bulk string in RESP2. */
  public verbatim(text: string, format = 'txt'): void {
    if (this.resp === 3) {
      const body = `${format}:${text}`;
      this.raw(`=${body.length}${CRLF}`);
      this.raw(body);
      this.raw(CRLF);
    } else {
      this.bulk(text);
    }
  }

  /** An array of bulk strings. */
  public bulks(items: ReadonlyArray<string | null>): void {
    this.array(items.length);
    for (const s of items) this.bulk(s);
  }

  /** Writes a reply built as data. */
  public value(v: ReplyValue): void {
    switch (v.t) {
      case 'simple': return this.simple(v.v);
      case 'error': return this.error(v.v);
      case 'int': return this.int(v.v);
      case 'bulk': return this.bulk(v.v);
      case 'null': return this.nil();
      case 'double': return this.double(v.v);
      case 'bool': return this.bool(v.v);
      case 'verbatim': return this.verbatim(v.v, v.format);
      case 'array':
        if (v.v === null) return this.nilArray();
        this.array(v.v.length);
        for (const x of v.v) this.value(x);
        return;
      case 'set':
        this.set(v.v.length);
        for (const x of v.v) this.value(x);
        return;
      case 'push':
        this.push(v.v.length);
        for (const x of v.v) this.value(x);
        return;
      case 'map':
        this.map(v.v.length);
        for (const [k, x] of v.v) {
          this.value(k);
          this.value(x);
        }
        return;
    }
  }

  /** Takes the bytes written so far (a copy, so the buffer can be reused) and resets. */
  public take(): Buffer | undefined {
    if (this.len === 0) return undefined;
    const out = Buffer.allocUnsafe(this.len);
    this.buf.copy(out, 0, 0, this.len);
    this.len = 0;
    if (this.buf.length > 1 << 20) this.buf = Buffer.allocUnsafe(4096); // do not keep a huge buffer
    return out;
  }

  /**
   * The bytes written so far as a view of the reply buffer (no copy) for a socket write, and resets.
   * Nothing may be written until `release`: the socket may still hold the view.
   */
  public lend(): Buffer {
    const out = this.buf.subarray(0, this.len);
    this.len = 0;
    return out;
  }

  /** After `lend`: `reusable` when the socket took the bytes at once, else the lent buffer stays the socket's. */
  public release(reusable: boolean): void {
    if (!reusable || this.buf.length > 1 << 20) this.buf = Buffer.allocUnsafe(4096);
  }

  /** Current write position, to roll back a partially written reply. */
  public mark(): number {
    return this.len;
  }

  /** A copy of the bytes written since `mark` (a reply held back or read again by replication). */
  public bytesSince(mark: number): Buffer {
    return Buffer.from(this.buf.subarray(mark, this.len));
  }

  /** The byte at `pos` of the pending output, or -1 past its end (is a reply an error?). */
  public byteAt(pos: number): number {
    return pos < this.len ? this.buf[pos] : -1;
  }

  /** Appends already encoded reply bytes (a held reply, released). */
  public rawBytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  /** Drops everything written after `mark`. */
  public rollback(mark: number): void {
    this.len = mark;
  }
}

/** Formats a double like Valkey (%.17g, with inf/-inf/nan and integers without a decimal point). */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (Number.isInteger(d) && Math.abs(d) < 1e17) return d === 0 && Object.is(d, -0) ? '-0' : String(d);
  let s = d.toPrecision(17);
  if (s.includes('e')) {
    const [m, e] = s.split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const exp = Number(e);
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}
