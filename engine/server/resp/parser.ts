/**
 * Incremental parser of client requests: RESP multibulk (`*N\r\n$len\r\narg\r\n...`) and inline
 * commands (`SET k v\r\n`), as Valkey reads them. Arguments come out as latin1 strings, which map
 * bytes 0-255 one to one, so keys and values stay binary-safe and cost one V8 string each.
 */

/** A protocol error: the reply is `-ERR Protocol error: ...` and the connection closes. */
export class ProtocolError extends Error {}

/** The client's unparsed input passed client-query-buffer-limit: it is closed without a reply, as Valkey does. */
export class QueryBufferLimitError extends ProtocolError {}

const CR = 13;
const LF = 10;
const MAX_INLINE = 64 * 1024;
const MAX_MULTIBULK = 2147483647;
/** Before authentication, requests are kept tiny (Valkey's limits for unauthenticated clients). */
const UNAUTH_MAX_MULTIBULK = 10;
const UNAUTH_MAX_BULK = 16384;
/** Multibulk counts up to this get their argv array allocated at once. */
const PREALLOC_ARGS = 1024;
/** The placeholder argv between requests (never handed out). */
const NO_ARGS: string[] = [];
/** Memory counted per parsed argument on top of its bytes (for the query buffer limit). */
const ARG_OVERHEAD = 16;

export interface ParserLimits {
  /** Largest bulk argument (proto-max-bulk-len). */
  maxBulkLen: number;
  /** Largest unparsed request kept in memory (client-query-buffer-limit). */
  maxQueryBuffer: number;
}

export class RequestParser {
  private buf: Buffer | undefined;
  private pos = 0;
  // State of a multibulk request being read across chunks.
  private argsLeft = -1;
  private args: string[] = NO_ARGS;
  /** Arguments of `args` read so far. */
  private argc = 0;
  private bulkLen = -1;
  /** Bytes held by the arguments of the multibulk request being read. */
  private argBytes = 0;
  /** Chunks of a large bulk argument, joined once it is complete (no quadratic re-copying). */
  private waiting: Buffer[] = [];
  private waitingLen = 0;
  /** Bytes still needed before the current bulk argument can be parsed. */
  private need = 0;
  /** Set by the server while the client is not authenticated: requests must be small. */
  public authRequired = false;

  constructor(private readonly limits: ParserLimits) {}

  /** Bytes received but not parsed yet. */
  public get pending(): number {
    return (this.buf ? this.buf.length - this.pos : 0) + this.waitingLen;
  }

  /**
   * Feeds a chunk; calls `onCommand` for every complete request in it. Throws ProtocolError on a
   * malformed request (the caller replies and closes). `borrowed`: the chunk is valid only during
   * the call (a shared read buffer), so what is kept of it is copied.
   */
  public feed(chunk: Buffer, onCommand: (argv: string[]) => boolean | void, borrowed = false): void {
    if (this.need > 0) {
      // Waiting for the rest of a large bulk: keep chunks aside until it is complete.
      this.waiting.push(borrowed ? Buffer.from(chunk) : chunk);
      this.waitingLen += chunk.length;
      if (this.waitingLen < this.need) {
        this.checkQueryBuffer((this.buf ? this.buf.length - this.pos : 0) + this.waitingLen);
        return;
      }
      const parts = this.buf && this.pos < this.buf.length ? [this.buf.subarray(this.pos), ...this.waiting] : this.waiting;
      this.buf = Buffer.concat(parts);
      this.waiting = [];
      this.waitingLen = 0;
      this.need = 0;
    } else if (this.buf && this.pos < this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    } else {
      this.buf = chunk;
    }
    this.pos = 0;
    const buf = this.buf;
    try {
      for (;;) {
        const argv = this.argsLeft >= 0 ? this.readMultibulk(buf) : this.readRequest(buf);
        if (argv === undefined) break;
        if (argv.length > 0 && onCommand(argv) === false) {
          // The caller stops reading (e.g. the client is blocked or closed); keep the rest.
          break;
        }
      }
    } finally {
      if (this.pos >= buf.length) {
        this.buf = undefined;
        this.pos = 0;
      } else if (borrowed && buf === chunk) {
        this.buf = Buffer.from(buf.subarray(this.pos));
        this.pos = 0;
      }
    }
    if (this.buf !== undefined) {
      const rest = this.buf.length - this.pos;
      this.checkQueryBuffer(rest);
      if (this.bulkLen >= 0) this.need = this.bulkLen + 2 - rest;
    }
  }

  private checkQueryBuffer(pending: number): void {
    if (pending + this.argBytes > this.limits.maxQueryBuffer) throw new QueryBufferLimitError('query buffer limit reached');
  }

  private readRequest(buf: Buffer): string[] | undefined {
    if (this.pos >= buf.length) return undefined;
    if (buf[this.pos] === 42 /* '*' */) {
      const fast = scanLength(buf, this.pos + 1);
      if (fast > 0 && fast <= MAX_MULTIBULK && !(this.authRequired && fast > UNAUTH_MAX_MULTIBULK)) {
        this.pos = scanEnd;
        return this.readArgs(buf, fast);
      }
      const end = buf.indexOf(LF, this.pos);
      if (end < 0) {
        if (buf.length - this.pos > MAX_INLINE) throw new ProtocolError('too big mbulk count string');
        return undefined;
      }
      const n = parseIntStrict(buf, this.pos + 1, end - 1);
      if (buf[end - 1] !== CR || n === undefined || n > MAX_MULTIBULK) throw new ProtocolError('invalid multibulk length');
      if (this.authRequired && n > UNAUTH_MAX_MULTIBULK) throw new ProtocolError('unauthenticated multibulk length');
      this.pos = end + 1;
      if (n <= 0) return [];
      return this.readArgs(buf, n);
    }
    return this.readInline(buf);
  }

  /**
   * The `n` arguments after a multibulk header, in one pass over local variables while each is
   * complete and in the usual form; the first one that is not (incomplete, or an error to report)
   * hands over to readMultibulk, in the state it would have reached reading them one by one.
   */
  private readArgs(buf: Buffer, n: number): string[] | undefined {
    // Preallocated up to a sane size (the count is the client's word until the arguments arrive).
    const args = n <= PREALLOC_ARGS ? new Array<string>(n) : new Array<string>();
    const end = buf.length;
    const maxBulk = this.authRequired ? Math.min(UNAUTH_MAX_BULK, this.limits.maxBulkLen) : this.limits.maxBulkLen;
    let pos = this.pos;
    let i = 0;
    for (; i < n; i++) {
      if (pos >= end || buf[pos] !== 36 /* '$' */) break;
      const len = scanLength(buf, pos + 1);
      if (len < 0 || len > maxBulk) break;
      const start = scanEnd;
      if (end - start < len + 2) break;
      args[i] = i === 0 ? commandName(buf, start, start + len) : latin1(buf, start, start + len);
      pos = start + len + 2;
    }
    this.pos = pos;
    if (i === n) return args;
    let bytes = 0;
    for (let k = 0; k < i; k++) bytes += args[k].length + ARG_OVERHEAD;
    this.args = args;
    this.argc = i;
    this.argsLeft = n - i;
    this.argBytes = bytes;
    return this.readMultibulk(buf);
  }

  private readMultibulk(buf: Buffer): string[] | undefined {
    while (this.argsLeft > 0) {
      if (this.bulkLen < 0) {
        if (this.pos >= buf.length) return undefined;
        if (buf[this.pos] !== 36 /* '$' */) {
          throw new ProtocolError(`expected '$', got '${String.fromCharCode(buf[this.pos])}'`);
        }
        // Fast path for the usual `$<digits>\r\n` fully in the buffer (no leading zero): no indexOf call.
        const fast = scanLength(buf, this.pos + 1);
        if (fast >= 0) {
          const len = fast;
          if (len > this.limits.maxBulkLen) throw new ProtocolError('invalid bulk length');
          if (this.authRequired && len > UNAUTH_MAX_BULK) throw new ProtocolError('unauthenticated bulk length');
          this.bulkLen = len;
          this.pos = scanEnd;
        } else {
          this.readBulkHeaderSlow(buf);
          if (this.bulkLen < 0) return undefined;
        }
      }
      if (buf.length - this.pos < this.bulkLen + 2) return undefined;
      this.args[this.argc++] = latin1(buf, this.pos, this.pos + this.bulkLen);
      this.argBytes += this.bulkLen + ARG_OVERHEAD;
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.argsLeft--;
    }
    this.argsLeft = -1;
    this.argBytes = 0;
    const argv = this.args;
    this.args = NO_ARGS;
    this.argc = 0;
    return argv;
  }

  /** The general `$len\r\n` header parse: sets bulkLen and pos, or leaves bulkLen -1 when incomplete. */
  private readBulkHeaderSlow(buf: Buffer): void {
    const end = buf.indexOf(LF, this.pos);
    if (end < 0) {
      if (buf.length - this.pos > MAX_INLINE) throw new ProtocolError('too big bulk count string');
      return;
    }
    const len = parseIntStrict(buf, this.pos + 1, end - 1);
    if (buf[end - 1] !== CR || len === undefined || len < 0 || len > this.limits.maxBulkLen) {
      throw new ProtocolError('invalid bulk length');
    }
    if (this.authRequired && len > UNAUTH_MAX_BULK) throw new ProtocolError('unauthenticated bulk length');
    this.bulkLen = len;
    this.pos = end + 1;
  }

  private readInline(buf: Buffer): string[] | undefined {
    const end = buf.indexOf(LF, this.pos);
    if (end < 0) {
      if (buf.length - this.pos > MAX_INLINE) throw new ProtocolError('too big inline request');
      return undefined;
    }
    const lineEnd = end > this.pos && buf[end - 1] === CR ? end - 1 : end;
    const line = buf.latin1Slice(this.pos, lineEnd);
    this.pos = end + 1;
    return splitInline(line);
  }
}

/**
 * buf[s, e) as a latin1 string. Short arguments (command names, options, keys, small values) are
 * built in JS: latin1Slice is a call into C++ whose fixed cost dominates up to a few dozen bytes
 * (measured: String.fromCharCode with 16 arguments takes about half the time of latin1Slice).
 */
export function latin1(b: Buffer, s: number, e: number): string {
  switch (e - s) {
    case 0: return '';
    case 1: return String.fromCharCode(b[s]);
    case 2: return String.fromCharCode(b[s], b[s + 1]);
    case 3: return String.fromCharCode(b[s], b[s + 1], b[s + 2]);
    case 4: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7],
      b[s + 8], b[s + 9], b[s + 10]);
    case 12: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7],
      b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7],
      b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7],
      b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7],
      b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    case 16: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7],
      b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
    default: return b.latin1Slice(s, e);
  }
}

/** Recently seen command names, by a hash of their bytes (see commandName). */
const names: Array<string | undefined> = new Array<string | undefined>(256).fill(undefined);

/**
 * The first argument of a request (the command name): the same few names come again and again, so
 * the string made last time for the same bytes is handed out again. That saves making the string
 * and, since V8 keeps a string's hash, hashing it again in the command table lookup.
 */
function commandName(b: Buffer, s: number, e: number): string {
  const n = e - s;
  if (n === 0 || n > 16) return latin1(b, s, e);
  let h = n;
  for (let i = s; i < e; i++) h = (Math.imul(h, 31) + b[i]) | 0;
  const slot = h & 255;
  const cached = names[slot];
  if (cached !== undefined && cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === b[s + i]) i++;
    if (i === n) return cached;
  }
  const made = latin1(b, s, e);
  names[slot] = made;
  return made;
}

/** Where the last successful scanLength stopped (after the CR LF); module state keeps the hot path allocation-free. */
let scanEnd = 0;

/**
 * Reads `<digits>\r\n` at `start`: the number, or -1 when the header is not in that simple form
 * (incomplete, a leading zero, a sign, too long) and the general parse must decide.
 */
function scanLength(buf: Buffer, start: number): number {
  const limit = Math.min(buf.length, start + 10);
  let i = start;
  let n = 0;
  let c = 0;
  while (i < limit && (c = buf[i]) >= 48 && c <= 57) {
    n = n * 10 + (c - 48);
    i++;
  }
  if (i === start || (buf[start] === 48 && i > start + 1) || i + 1 >= buf.length || buf[i] !== CR || buf[i + 1] !== LF) return -1;
  scanEnd = i + 2;
  return n;
}

/** Parses a decimal integer in buf[start, end); undefined if it is not one. */
function parseIntStrict(buf: Buffer, start: number, end: number): number | undefined {
  if (start >= end) return undefined;
  let i = start;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  if (i >= end) return undefined;
  let n = 0;
  for (; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return neg ? -n : n;
}

/**
 * Splits an inline command the way Valkey's sdssplitargs does: spaces separate, "double quotes"
 * take \n \r \t \b \a \xHH escapes, 'single quotes' only \', and a closing quote must be followed
 * by a space.
 */
export function splitInline(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    for (;;) {
      if (inDq) {
        if (i >= n) throw new ProtocolError('unbalanced quotes in request');
        const c = line[i];
        if (c === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          cur += String.fromCharCode(parseInt(line.substr(i + 2, 2), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) throw new ProtocolError('unbalanced quotes in request');
          inDq = false;
          i++;
          break;
        } else {
          cur += c;
        }
      } else if (inSq) {
        if (i >= n) throw new ProtocolError('unbalanced quotes in request');
        const c = line[i];
        if (c === '\\' && line[i + 1] === "'") {
          cur += "'";
          i++;
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) throw new ProtocolError('unbalanced quotes in request');
          inSq = false;
          i++;
          break;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) break;
        const c = line[i];
        if (isSpace(line.charCodeAt(i))) break;
        if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
      }
      i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /[0-9a-fA-F]/.test(c);
}
