import type { Client } from '../client';
import { parseInt64 } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { byteAt, bytesOf, MutableString, readStringLike, StringLike, writeStringLike } from './mutable-string';

/**
 * Bit operations on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.
 *
 * Strings of SMALL bytes or more that a bit command writes are kept as a MutableString (edited in
 * place, O(1) per SETBIT); GET and the other string commands get them back as a JS string through
 * Db.get. Smaller strings stay JS strings and are rebuilt per write, which costs less than the
 * buffer's fixed overhead.
 */

const BIT_OFFSET_ERR = 'ERR bit offset is not an integer or out of range';
const BIT_VALUE_ERR = 'ERR bit is not an integer or out of range';
const BITFIELD_TYPE_ERR = 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

/** Strings shorter than this stay JS strings when a bit command writes them. */
const SMALL = 256;
/** Work area for writes to small strings (never stored). */
const small = new MutableString(Buffer.alloc(SMALL), 0);
/** Set by openBits: the key was missing or its string had to grow. */
let openedDirty = false;

/** Bits set in each byte value. */
const POP = new Uint8Array(256);
for (let i = 1; i < 256; i++) POP[i] = (i & 1) + POP[i >> 1];

/** Number of set bits in `a`, 32 bits at a time where aligned. */
export function popcount(a: Uint8Array): number {
  let n = 0;
  let i = 0;
  const len = a.length;
  while (i < len && ((a.byteOffset + i) & 3) !== 0) n += POP[a[i++]];
  const words = (len - i) >> 2;
  if (words > 0) {
    const w = new Uint32Array(a.buffer, a.byteOffset + i, words);
    for (let k = 0; k < words; k++) {
      let v = w[k];
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    i += words * 4;
  }
  while (i < len) n += POP[a[i++]];
  return n;
}

/**
 * A bit offset argument: non-negative, below proto-max-bulk-len bytes. With `hash`, `#N` means
 * N * bits (BITFIELD).
 */
function bitOffset(c: Client, arg: string, hash: boolean, bits: number): number {
  const useHash = hash && bits > 0 && arg.charCodeAt(0) === 35;
  const v = parseInt64(useHash ? arg.slice(1) : arg);
  if (v === undefined) throw new CommandError(BIT_OFFSET_ERR);
  let n = Number(v);
  if (useHash) n *= bits;
  if (n < 0 || Math.floor(n / 8) >= c.server.config.getNumber('proto-max-bulk-len')) throw new CommandError(BIT_OFFSET_ERR);
  return n;
}

/**
 * The key's string opened for in-place writes, zero-padded to at least `len` bytes (Valkey's
 * lookupStringForBitCommand). It is the stored value when that is already a MutableString (grown
 * in place); otherwise a copy that closeBits stores. Sets `openedDirty`.
 */
function openBits(c: Client, key: string, len: number): MutableString {
  const v = writeStringLike(c, key);
  if (v !== undefined && typeof v !== 'string') {
    openedDirty = len > v.length;
    if (openedDirty) v.resize(len);
    return v;
  }
  openedDirty = v === undefined || len > v.length;
  const s = v ?? '';
  const n = Math.max(s.length, len);
  if (n < SMALL) {
    small.buf.fill(0);
    small.buf.latin1Write(s, 0);
    small.length = n;
    return small;
  }
  return MutableString.from(s, n);
}

/** Stores a bitmap opened by openBits (if it is not the stored value) and signals a change. */
function closeBits(c: Client, key: string, m: MutableString, changed: boolean): void {
  if (c.db.dict.get(key) === m) {
    if (changed) c.db.touch(key);
  } else if (changed) {
    c.db.set(key, m === small ? m.toLatin1() : m, true);
  } else if (m !== small) {
    // an unchanged large string: keep the converted form for the next write
    c.db.swapRepresentation(key, m);
  }
}

function setbit(c: Client, argv: string[]): void {
  const key = argv[1];
  const offset = bitOffset(c, argv[2], false, 0);
  const on = parseInt64(argv[3]);
  if (on !== 0 && on !== 1) throw new CommandError(BIT_VALUE_ERR);
  const byte = Math.floor(offset / 8);
  const m = openBits(c, key, byte + 1);
  const mask = 1 << (7 - (offset & 7));
  const cur = m.buf[byte];
  const was = (cur & mask) !== 0;
  const changed = openedDirty || was !== (on === 1);
  if (changed) m.buf[byte] = on === 1 ? cur | mask : cur & ~mask;
  closeBits(c, key, m, changed);
  if (changed) c.server.notify('$', 'setbit', key, c.db);
  c.reply.int(was ? 1 : 0);
}

function getbit(c: Client, argv: string[]): void {
  const offset = bitOffset(c, argv[2], false, 0);
  const v = readStringLike(c, argv[1]);
  if (v === undefined) return c.reply.int(0);
  const byte = Math.floor(offset / 8);
  c.reply.int(byteAt(v, byte) & (1 << (7 - (offset & 7))) ? 1 : 0);
}

/** An integer argument as a Number (64-bit values beyond 2^53 are rounded; only used to clamp ranges). */
function rangeArg(arg: string): number {
  const v = parseInt64(arg);
  if (v === undefined) throw new CommandError(Errors.notInteger);
  return Number(v);
}

/** BIT or BYTE (case-insensitive); true for BIT. */
function unitArg(arg: string): boolean {
  const u = arg.toLowerCase();
  if (u === 'bit') return true;
  if (u === 'byte') return false;
  throw new CommandError(Errors.syntax);
}

function bitcount(c: Client, argv: string[]): void {
  const v = readStringLike(c, argv[1]);
  if (v === undefined) return c.reply.int(0);
  const len = v.length;
  let start: number;
  let end: number;
  let isBit = false;
  if (argv.length === 4 || argv.length === 5) {
    start = rangeArg(argv[2]);
    end = rangeArg(argv[3]);
    if (argv.length === 5) isBit = unitArg(argv[4]);
    const total = isBit ? len * 8 : len;
    if (start < 0 && end < 0 && start > end) return c.reply.int(0);
    if (start < 0) start = total + start;
    if (end < 0) end = total + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
  } else if (argv.length === 2) {
    start = 0;
    end = len - 1;
  } else {
    throw new CommandError(Errors.syntax);
  }
  if (start > end) return c.reply.int(0);
  if (!isBit) return c.reply.int(popcount(bytesOf(v, start, end + 1)));
  const first = Math.floor(start / 8);
  const last = Math.floor(end / 8);
  const bytes = bytesOf(v, first, last + 1);
  // bits of the edge bytes outside the range
  const headMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
  const tailMask = (1 << (7 - (end & 7))) - 1;
  c.reply.int(popcount(bytes) - POP[bytes[0] & headMask] - POP[bytes[bytes.length - 1] & tailMask]);
}

/** Position of the first bit equal to `bit` in bits [from, to] of `v`, or -1. */
function findBit(v: StringLike, bit: number, from: number, to: number): number {
  const first = Math.floor(from / 8);
  const last = Math.floor(to / 8);
  const bytes = bytesOf(v, first, last + 1);
  const skip = bit ? 0 : 0xff;
  for (let i = 0; i < bytes.length; i++) {
    let b = bytes[i];
    if (b === skip) continue;
    // force bits outside the range to the value we are not looking for
    if (i === 0) {
      const head = ~((1 << (8 - (from & 7))) - 1) & 0xff;
      b = bit ? b & ~head : b | head;
    }
    if (i === bytes.length - 1) {
      const tail = (1 << (7 - (to & 7))) - 1;
      b = bit ? b & ~tail : b | tail;
    }
    if (!bit) b = ~b & 0xff;
    if (b === 0) continue;
    return (first + i) * 8 + Math.clz32(b) - 24;
  }
  return -1;
}

function bitpos(c: Client, argv: string[]): void {
  const bit = parseInt64(argv[2]);
  if (bit === undefined) throw new CommandError(Errors.notInteger);
  if (bit !== 0 && bit !== 1) throw new CommandError('ERR The bit argument must be 1 or 0.');
  const v = readStringLike(c, argv[1]);
  if (v === undefined) return c.reply.int(bit ? -1 : 0);
  const len = v.length;
  let start: number;
  let end: number;
  let isBit = false;
  let endGiven = false;
  const argc = argv.length;
  if (argc >= 4 && argc <= 6) {
    start = rangeArg(argv[3]);
    if (argc === 6) isBit = unitArg(argv[5]);
    if (argc >= 5) {
      end = rangeArg(argv[4]);
      endGiven = true;
    } else {
      end = len - 1;
    }
    const total = isBit ? len * 8 : len;
    if (start < 0) start = total + start;
    if (end < 0) end = total + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
  } else if (argc === 3) {
    start = 0;
    end = len - 1;
  } else {
    throw new CommandError(Errors.syntax);
  }
  if (start > end) return c.reply.int(-1);
  const from = isBit ? start : start * 8;
  const to = isBit ? end : end * 8 + 7;
  const pos = findBit(v, bit, from, to);
  if (pos >= 0 || bit === 1 || endGiven) return c.reply.int(pos);
  // looking for a clear bit with no explicit end: the string continues with zeros
  c.reply.int(to + 1);
}

function bitop(c: Client, argv: string[]): void {
  const op = argv[1].toLowerCase();
  if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') throw new CommandError(Errors.syntax);
  if (op === 'not' && argv.length !== 4) throw new CommandError('ERR BITOP NOT must be called with a single source key.');
  const dest = argv[2];
  const srcs: Uint8Array[] = [];
  let maxLen = 0;
  for (let i = 3; i < argv.length; i++) {
    const v = readStringLike(c, argv[i]);
    if (v === undefined) {
      srcs.push(new Uint8Array(0));
      continue;
    }
    srcs.push(typeof v === 'string' ? Buffer.from(v, 'latin1') : v.buf.subarray(0, v.length));
    if (v.length > maxLen) maxLen = v.length;
  }
  if (maxLen === 0) {
    if (c.db.delete(dest)) c.server.notify('g', 'del', dest, c.db);
    return c.reply.int(0);
  }
  const res = Buffer.alloc(maxLen);
  const s0 = srcs[0];
  if (op === 'not') {
    for (let i = 0; i < maxLen; i++) res[i] = ~s0[i];
  } else {
    res.set(s0);
    for (let k = 1; k < srcs.length; k++) {
      const s = srcs[k];
      const n = s.length;
      if (op === 'and') {
        for (let i = 0; i < n; i++) res[i] &= s[i];
        res.fill(0, n);
      } else if (op === 'or') {
        for (let i = 0; i < n; i++) res[i] |= s[i];
      } else {
        for (let i = 0; i < n; i++) res[i] ^= s[i];
      }
    }
  }
  c.db.set(dest, res.latin1Slice(0, maxLen));
  c.server.notify('$', 'set', dest, c.db);
  c.reply.int(maxLen);
}

// ---- BITFIELD ----

const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;
const OW_WRAP = 0;
const OW_SAT = 1;
const OW_FAIL = 2;

interface BitfieldOp {
  op: number;
  offset: number;
  bits: number;
  signed: boolean;
  value: bigint;
  overflow: number;
}

function bitfieldType(arg: string): { signed: boolean; bits: number } {
  // lower case only in Redis 7.0 ('I8' is an error)
  const t = arg.charCodeAt(0);
  if (t !== 0x69 && t !== 0x75) throw new CommandError(BITFIELD_TYPE_ERR);
  const signed = t === 0x69;
  // the width is read up to a NUL byte, as strlen would
  const nul = arg.indexOf('\0');
  const v = parseInt64(arg.slice(1, nul < 0 ? undefined : nul));
  if (v === undefined || v < 1 || (signed && v > 64) || (!signed && v > 63)) throw new CommandError(BITFIELD_TYPE_ERR);
  return { signed, bits: Number(v) };
}

/** Reads `bits` bits (MSB first) at bit `rel` from byte `base` of `buf`, unsigned. */
function readBits(buf: Uint8Array, base: number, rel: number, bits: number): bigint {
  let hi = 0;
  let lo = 0;
  for (let j = 0; j < bits; j++, rel++) {
    const bit = (buf[base + (rel >> 3)] >> (7 - (rel & 7))) & 1;
    hi = ((hi << 1) | (lo >>> 31)) >>> 0;
    lo = ((lo << 1) | bit) >>> 0;
  }
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Writes the low `bits` bits of `value` (MSB first) at bit `rel` from byte `base` of `buf`. */
function writeBits(buf: Uint8Array, base: number, rel: number, bits: number, value: bigint): void {
  const u = BigInt.asUintN(64, value);
  const hi = Number(u >> 32n);
  const lo = Number(u & 0xffffffffn);
  for (let j = bits - 1; j >= 0; j--, rel++) {
    const bit = j >= 32 ? (hi >>> (j - 32)) & 1 : (lo >>> j) & 1;
    const i = base + (rel >> 3);
    const mask = 1 << (7 - (rel & 7));
    buf[i] = bit ? buf[i] | mask : buf[i] & ~mask;
  }
}

function toSigned(u: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, u);
}

const nine = new Uint8Array(9);

function bitfield(c: Client, argv: string[], readOnly: boolean): void {
  const ops: BitfieldOp[] = [];
  let overflow = OW_WRAP;
  let writes = false;
  let highest = 0;
  for (let j = 2; j < argv.length; j++) {
    const rem = argv.length - j - 1;
    const sub = argv[j].toLowerCase();
    if (sub === 'overflow' && rem >= 1) {
      const t = argv[++j].toLowerCase();
      if (t === 'wrap') overflow = OW_WRAP;
      else if (t === 'sat') overflow = OW_SAT;
      else if (t === 'fail') overflow = OW_FAIL;
      else throw new CommandError('ERR Invalid OVERFLOW type specified');
      continue;
    }
    const op = sub === 'get' && rem >= 2 ? OP_GET : sub === 'set' && rem >= 3 ? OP_SET : sub === 'incrby' && rem >= 3 ? OP_INCRBY : -1;
    if (op < 0) throw new CommandError(Errors.syntax);
    const { signed, bits } = bitfieldType(argv[j + 1]);
    const offset = bitOffset(c, argv[j + 2], true, bits);
    let value = 0n;
    if (op !== OP_GET) {
      writes = true;
      if (offset + bits - 1 > highest) highest = offset + bits - 1;
      const v = parseInt64(argv[j + 3]);
      if (v === undefined) throw new CommandError(Errors.notInteger);
      value = BigInt(v);
    }
    ops.push({ op, offset, bits, signed, value, overflow });
    j += op === OP_GET ? 2 : 3;
  }
  const key = argv[1];
  let src: StringLike | undefined;
  let m: MutableString | undefined;
  if (!writes) {
    src = readStringLike(c, key);
  } else {
    if (readOnly) throw new CommandError('ERR BITFIELD_RO only supports the GET subcommand');
    m = openBits(c, key, Math.floor(highest / 8) + 1);
    src = m;
  }
  c.reply.array(ops.length);
  let changes = 0;
  for (const o of ops) {
    const base = Math.floor(o.offset / 8);
    const rel = o.offset - base * 8;
    if (o.op === OP_GET) {
      for (let i = 0; i < 9; i++) nine[i] = src === undefined ? 0 : byteAt(src, base + i);
      const u = readBits(nine, 0, rel, o.bits);
      c.reply.int(o.signed ? toSigned(u, o.bits) : u);
      continue;
    }
    const buf = m!.buf;
    const oldU = readBits(buf, base, rel, o.bits);
    let next: bigint;
    let ret: bigint;
    let over = false;
    if (o.signed) {
      const old = toSigned(oldU, o.bits);
      const max = (1n << BigInt(o.bits - 1)) - 1n;
      const min = -max - 1n;
      let sum = o.op === OP_INCRBY ? old + o.value : o.value;
      if (sum > max || sum < min) {
        over = true;
        sum = o.overflow === OW_SAT ? (sum > max ? max : min) : BigInt.asIntN(o.bits, sum);
      }
      next = sum;
      ret = o.op === OP_INCRBY ? next : old;
    } else {
      const max = (1n << BigInt(o.bits)) - 1n;
      const v = BigInt.asUintN(64, o.value);
      let sum = o.op === OP_INCRBY ? oldU + o.value : v;
      if (v > max && o.op === OP_SET) {
        over = true;
        sum = o.overflow === OW_SAT ? max : BigInt.asUintN(o.bits, v);
      } else if (sum > max || sum < 0n) {
        over = true;
        sum = o.overflow === OW_SAT ? (sum > max ? max : 0n) : BigInt.asUintN(o.bits, sum);
      }
      next = sum;
      ret = o.op === OP_INCRBY ? next : oldU;
    }
    if (over && o.overflow === OW_FAIL) {
      c.reply.nil();
    } else {
      c.reply.int(ret);
      writeBits(buf, base, rel, o.bits, next);
    }
    changes++;
  }
  if (m) {
    closeBits(c, key, m, changes > 0);
    if (changes > 0) c.server.notify('$', 'setbit', key, c.db);
  }
}

/** Bit commands (strings). */
export const bitmapCommands: CommandSpec[] = [
  command('setbit', 4, 'write denyoom', [1, 1, 1], 'bitmap', setbit),
  command('getbit', 3, 'readonly fast', [1, 1, 1], 'bitmap', getbit),
  command('bitcount', -2, 'readonly', [1, 1, 1], 'bitmap', bitcount),
  command('bitpos', -3, 'readonly', [1, 1, 1], 'bitmap', bitpos),
  command('bitop', -4, 'write denyoom', [2, -1, 1], 'bitmap', bitop),
  command('bitfield', -2, 'write denyoom', [1, 1, 1], 'bitmap', (c, a) => bitfield(c, a, false)),
  command('bitfield_ro', -2, 'readonly fast', [1, 1, 1], 'bitmap', (c, a) => bitfield(c, a, true)),
];
