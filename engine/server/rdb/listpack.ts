import { RdbError } from './error';
import { isInt64String } from '../types/limits';

/*
 * Listpacks (Redis 7 / Valkey compact encoding of small hashes, sets, sorted sets, list nodes
 * and stream nodes): a 6-byte header (total bytes u32 LE, element count u16 LE, 65535 = unknown),
 * the entries, and 0xFF. An entry is an encoding byte (small unsigned, 13/16/24/32/64-bit signed
 * integers, strings with 6/12/32-bit lengths), its data, then its own length backwards in 1..5
 * bytes so the list can be walked from the tail.
 */

/** Bytes of the back-length of an entry of `n` bytes (encoding + data). */
function backlenSize(n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : n < 268435456 ? 4 : 5;
}

/** Decodes a listpack into its elements (integers as decimal strings). */
export function readListpack(lp: Buffer, base = 0): string[] {
  const fail = (reason: string, at: number): never => {
    throw new RdbError(`invalid listpack: ${reason}`, base + at);
  };
  if (lp.length < 7) fail('too short', 0);
  const total = lp.readUInt32LE(0);
  if (total !== lp.length) fail(`header says ${total} bytes, blob has ${lp.length}`, 0);
  const declared = lp.readUInt16LE(4);
  const out: string[] = [];
  let p = 6;
  const end = lp.length - 1;
  while (p < end) {
    const at = p;
    const b = lp[p];
    let size: number; // encoding + data
    let v: string;
    if (b < 0x80) {
      v = String(b);
      size = 1;
    } else if ((b & 0xc0) === 0x80) {
      const n = b & 0x3f;
      size = 1 + n;
      if (p + size > end) fail('string past the end', at);
      v = lp.latin1Slice(p + 1, p + 1 + n);
    } else if ((b & 0xe0) === 0xc0) {
      if (p + 2 > end) fail('integer past the end', at);
      const u = ((b & 0x1f) << 8) | lp[p + 1];
      v = String(u >= 4096 ? u - 8192 : u);
      size = 2;
    } else if ((b & 0xf0) === 0xe0) {
      if (p + 2 > end) fail('string past the end', at);
      const n = ((b & 0x0f) << 8) | lp[p + 1];
      size = 2 + n;
      if (p + size > end) fail('string past the end', at);
      v = lp.latin1Slice(p + 2, p + 2 + n);
    } else {
      switch (b) {
        case 0xf0: {
          if (p + 5 > end) fail('string past the end', at);
          const n = lp.readUInt32LE(p + 1);
          size = 5 + n;
          if (p + size > end) fail('string past the end', at);
          v = lp.latin1Slice(p + 5, p + 5 + n);
          break;
        }
        case 0xf1:
          if (p + 3 > end) fail('integer past the end', at);
          v = String(lp.readInt16LE(p + 1));
          size = 3;
          break;
        case 0xf2:
          if (p + 4 > end) fail('integer past the end', at);
          v = String(lp.readIntLE(p + 1, 3));
          size = 4;
          break;
        case 0xf3:
          if (p + 5 > end) fail('integer past the end', at);
          v = String(lp.readInt32LE(p + 1));
          size = 5;
          break;
        case 0xf4:
          if (p + 9 > end) fail('integer past the end', at);
          v = lp.readBigInt64LE(p + 1).toString();
          size = 9;
          break;
        default:
          return fail(`unknown entry encoding 0x${b.toString(16)}`, at);
      }
    }
    p += size + backlenSize(size);
    if (p > end) fail('entry past the end', at);
    out.push(v);
  }
  if (p !== end || lp[end] !== 0xff) fail('missing terminator', end);
  if (declared !== 65535 && declared !== out.length) fail(`header says ${declared} elements, found ${out.length}`, 4);
  return out;
}

/** Builds a listpack, encoding integer-looking strings as integers, as listpack does. */
export class ListpackBuilder {
  private parts: Buffer[] = [];
  private bytes = 6;
  private count = 0;

  public get size(): number {
    return this.count;
  }

  /** Appends a string element (stored as an integer when it is a canonical int64). */
  public string(s: string): this {
    if (s.length <= 20 && isInt64String(s)) return this.int(s.length < 16 ? Number(s) : BigInt(s));
    const n = s.length;
    const hdr = n < 64 ? 1 : n < 4096 ? 2 : 5;
    const size = hdr + n;
    const e = Buffer.allocUnsafe(size + backlenSize(size));
    if (hdr === 1) {e[0] = 0x80 | n;} else if (hdr === 2) {
      e[0] = 0xe0 | (n >>> 8);
      e[1] = n & 0xff;
    } else {
      e[0] = 0xf0;
      e.writeUInt32LE(n, 1);
    }
    e.latin1Write(s, hdr);
    return this.push(e, size);
  }

  /** Appends an integer element (a safe integer, or a bigint within int64). */
  public int(v: number | bigint): this {
    if (typeof v === 'bigint' && v >= -2147483648n && v <= 2147483647n) v = Number(v);
    let e: Buffer;
    let size: number;
    if (typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
      size = 9;
      e = Buffer.allocUnsafe(10);
      e[0] = 0xf4;
      e.writeBigInt64LE(BigInt(v), 1);
    } else if (v >= 0 && v <= 127) {
      size = 1;
      e = Buffer.allocUnsafe(2);
      e[0] = v;
    } else if (v >= -4096 && v <= 4095) {
      size = 2;
      e = Buffer.allocUnsafe(3);
      const u = v < 0 ? v + 8192 : v;
      e[0] = 0xc0 | (u >>> 8);
      e[1] = u & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      size = 3;
      e = Buffer.allocUnsafe(4);
      e[0] = 0xf1;
      e.writeInt16LE(v, 1);
    } else if (v >= -8388608 && v <= 8388607) {
      size = 4;
      e = Buffer.allocUnsafe(5);
      e[0] = 0xf2;
      e.writeIntLE(v, 1, 3);
    } else {
      size = 5;
      e = Buffer.allocUnsafe(6);
      e[0] = 0xf3;
      e.writeInt32LE(v, 1);
    }
    return this.push(e, size);
  }

  private push(e: Buffer, size: number): this {
    // back-length: the entry size, most significant 7-bit group first, every byte but the first flagged
    let i = size;
    const n = backlenSize(size);
    for (let k = n - 1; k >= 0; k--) {
      e[size + k] = (i & 127) | (k === 0 ? 0 : 128);
      i = Math.floor(i / 128);
    }
    this.parts.push(e);
    this.bytes += e.length;
    this.count++;
    return this;
  }

  public build(): Buffer {
    const out = Buffer.allocUnsafe(this.bytes + 1);
    out.writeUInt32LE(this.bytes + 1, 0);
    out.writeUInt16LE(Math.min(this.count, 65535), 4);
    let p = 6;
    for (const e of this.parts) {
      e.copy(out, p);
      p += e.length;
    }
    out[p] = 0xff;
    return out;
  }
}
