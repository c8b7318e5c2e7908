import { RdbError } from './error';
import { lzfCompress, lzfDecompress } from './lzf';
import { isInt64String } from '../types/limits';

/*
 * The RDB primitives: lengths (6/14/32/64-bit), strings (raw, int-encoded, LZF), binary doubles,
 * millisecond times. Strings are latin1 JS strings (one char per byte), as in the keyspace.
 */

const TWO32 = 4294967296;
/** Lengths above this are read as bigints by the callers that allow them (stream IDs). */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A growable output buffer. */
export class ByteWriter {
  public buf: Buffer;
  public length = 0;
  /** Whether `string` and `blob` try LZF by default (rdbcompression). */
  public compress = true;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** The bytes written so far (a view: copy it before writing more if it must stay). */
  public bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** Takes the bytes written so far and starts over. */
  public take(): Buffer {
    const out = Buffer.from(this.bytes());
    this.length = 0;
    return out;
  }

  public u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }

  public raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Latin1 chars as bytes. */
  public latin1(s: string): void {
    const n = s.length;
    this.room(n);
    if (n <= 32) {
      // short strings (most keys and values): a loop is cheaper than the native call
      const buf = this.buf;
      let at = this.length;
      for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    } else {
      this.buf.latin1Write(s, this.length);
    }
    this.length += n;
  }

  public u32le(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.length);
    this.length += 4;
  }

  /** A signed 64-bit little-endian integer (millisecond times). */
  public i64le(v: number | bigint): void {
    this.room(8);
    if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
      // millisecond times: two 32-bit halves, no BigInt per call
      this.buf.writeUInt32LE(v % TWO32, this.length);
      this.buf.writeUInt32LE(Math.floor(v / TWO32), this.length + 4);
    } else {
      this.buf.writeBigInt64LE(BigInt(v), this.length);
    }
    this.length += 8;
  }

  public doubleLE(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.length);
    this.length += 8;
  }

  /** An RDB length (a non-negative integer, or a bigint up to 2^64-1). */
  public len(v: number | bigint): void {
    if (typeof v === 'bigint') {
      if (v <= MAX_SAFE) {v = Number(v);} else {
        this.room(9);
        this.buf[this.length++] = 0x81;
        this.buf.writeBigUInt64BE(v, this.length);
        this.length += 8;
        return;
      }
    }
    this.room(9);
    if (v < 64) {
      this.buf[this.length++] = v;
    } else if (v < 16384) {
      this.buf[this.length++] = 0x40 | (v >>> 8);
      this.buf[this.length++] = v & 0xff;
    } else if (v < TWO32) {
      this.buf[this.length++] = 0x80;
      this.buf.writeUInt32BE(v, this.length);
      this.length += 4;
    } else {
      this.buf[this.length++] = 0x81;
      this.buf.writeUInt32BE(Math.floor(v / TWO32), this.length);
      this.buf.writeUInt32BE(v >>> 0, this.length + 4);
      this.length += 8;
    }
  }

  /**
   * An RDB string as Redis saves it: small integers int-encoded, strings over 20 bytes
   * LZF-compressed when that saves at least 4 bytes, else raw.
   */
  public string(s: string, compress = this.compress): void {
    const n = s.length;
    if (n <= 11 && n > 0 && isInt64String(s)) {
      const v = Number(s);
      if (v >= -128 && v <= 127) {
        this.u8(0xc0);
        this.u8(v & 0xff);
        return;
      }
      if (v >= -32768 && v <= 32767) {
        this.room(3);
        this.buf[this.length++] = 0xc1;
        this.buf.writeInt16LE(v, this.length);
        this.length += 2;
        return;
      }
      if (v >= -2147483648 && v <= 2147483647) {
        this.room(5);
        this.buf[this.length++] = 0xc2;
        this.buf.writeInt32LE(v, this.length);
        this.length += 4;
        return;
      }
    }
    if (compress && n > 20 && this.lzf(Buffer.from(s, 'latin1'))) return;
    this.len(n);
    this.latin1(s);
  }

  /** A string of raw bytes (listpacks, ziplists), compressed like any string. */
  public blob(b: Buffer, compress = this.compress): void {
    if (compress && b.length > 20 && this.lzf(b)) return;
    this.len(b.length);
    this.raw(b);
  }

  /** Writes `input` LZF-compressed when that saves at least 4 bytes; false (nothing written) when not. */
  private lzf(input: Buffer): boolean {
    const packed = lzfCompress(input, input.length - 4);
    if (!packed) return false;
    this.u8(0xc3);
    this.len(packed.length);
    this.len(input.length);
    this.raw(packed);
    return true;
  }
}

/** A reader over a buffer; every read checks bounds and throws RdbError with the offset. */
export class ByteReader {
  public pos: number;

  /** `base`: the file offset of buf[0] (for error offsets of embedded blobs). */
  constructor(public readonly buf: Buffer, start = 0, public readonly end = buf.length, public readonly base = 0) {
    this.pos = start;
  }

  public fail(reason: string, at = this.pos): never {
    throw new RdbError(reason, this.base + at);
  }

  public need(n: number): void {
    if (this.pos + n > this.end) this.fail(`unexpected end of data (${n} bytes needed, ${Math.max(0, this.end - this.pos)} left)`);
  }

  public get remaining(): number {
    return this.end - this.pos;
  }

  public u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  public u32le(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  public i64le(): number {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  public doubleLE(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  public bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  public latin1(n: number): string {
    this.need(n);
    const s = this.buf.latin1Slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /**
   * A length or the special-encoding marker: `{ len }` or `{ enc }` (the 6-bit kind after 0b11).
   * 64-bit lengths above 2^53 come back as bigints.
   */
  public lenOrEnc(): { len: number | bigint; enc: number } {
    const at = this.pos;
    const b = this.u8();
    const kind = b >>> 6;
    if (kind === 0) return { len: b & 0x3f, enc: -1 };
    if (kind === 1) return { len: ((b & 0x3f) << 8) | this.u8(), enc: -1 };
    if (kind === 3) return { len: 0, enc: b & 0x3f };
    if (b === 0x80) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return { len: v, enc: -1 };
    }
    if (b === 0x81) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return { len: v <= MAX_SAFE ? Number(v) : v, enc: -1 };
    }
    return this.fail(`unknown length encoding 0x${b.toString(16)}`, at);
  }

  /** A length that must fit in a safe integer. */
  public len(): number {
    const at = this.pos;
    const { len, enc } = this.lenOrEnc();
    if (enc >= 0) this.fail('an encoded value where a length was expected', at);
    if (typeof len === 'bigint') this.fail(`length ${len} too large`, at);
    return len as number;
  }

  /** A 64-bit unsigned length as a bigint (stream IDs, counters). */
  public bigLen(): bigint {
    const at = this.pos;
    const { len, enc } = this.lenOrEnc();
    if (enc >= 0) this.fail('an encoded value where a length was expected', at);
    return BigInt(len);
  }

  /** A count of elements: also checked against the bytes left (each element takes at least `minBytes`). */
  public count(minBytes = 1): number {
    const at = this.pos;
    const n = this.len();
    if (n * minBytes > this.remaining) this.fail(`count ${n} exceeds the data left`, at);
    return n;
  }

  /** An RDB string as a latin1 string. */
  public string(): string {
    const at = this.pos;
    const { len, enc } = this.lenOrEnc();
    if (enc < 0) {
      if (typeof len === 'bigint' || len > this.remaining) this.fail(`string length ${len} exceeds the data left`, at);
      return this.latin1(len as number);
    }
    switch (enc) {
      case 0: {
        this.need(1);
        return String(this.buf.readInt8(this.pos++));
      }
      case 1: {
        this.need(2);
        const v = this.buf.readInt16LE(this.pos);
        this.pos += 2;
        return String(v);
      }
      case 2: {
        this.need(4);
        const v = this.buf.readInt32LE(this.pos);
        this.pos += 4;
        return String(v);
      }
      case 3:
        return this.lzf(at).toString('latin1');
      default:
        return this.fail(`unknown string encoding ${enc}`, at);
    }
  }

  /** An RDB string as bytes (ziplists, listpacks, intsets), decompressed when needed. */
  public blob(): Buffer {
    const at = this.pos;
    const { len, enc } = this.lenOrEnc();
    if (enc < 0) {
      if (typeof len === 'bigint' || len > this.remaining) this.fail(`string length ${len} exceeds the data left`, at);
      return this.bytes(len as number);
    }
    if (enc === 3) return this.lzf(at);
    this.pos = at;
    return Buffer.from(this.string(), 'latin1');
  }

  private lzf(at: number): Buffer {
    const clen = this.len();
    const ulen = this.len();
    if (clen > this.remaining) this.fail(`compressed length ${clen} exceeds the data left`, at);
    // a back reference (2..3 bytes) expands to at most 264 bytes: larger claims are corrupt
    if (ulen > clen * 132 + 64 || ulen > 0x7fffffff) this.fail(`uncompressed length ${ulen} impossible for ${clen} compressed bytes`, at);
    const out = lzfDecompress(this.bytes(clen), ulen);
    if (!out) this.fail('invalid LZF-compressed string', at);
    return out;
  }

  /** An old-style (RDB_TYPE_ZSET) double: a length byte then ASCII; 253..255 are nan, +inf, -inf. */
  public asciiDouble(): number {
    const at = this.pos;
    const n = this.u8();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    const v = parseDouble(this.latin1(n));
    if (v === undefined) this.fail('invalid double', at);
    return v;
  }
}

/** A score as Redis stores it in ziplists/listpacks or ASCII doubles ("1.5", "inf", "-inf"). */
export function parseDouble(s: string): number | undefined {
  const t = s.toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan' || t === '-nan') return NaN;
  if (s.length === 0 || /\s/.test(s)) return undefined;
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}
