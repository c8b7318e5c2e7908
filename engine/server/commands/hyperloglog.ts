import type { Client } from '../client';
import { command, CommandError, CommandSpec } from './command';
import { bytesOf, makeMutable, MutableString, readStringLike, StringLike, writeStringLike } from './mutable-string';

/**
 * HyperLogLog with Valkey's exact string representation, so the bytes GET returns (and DUMP/RDB
 * carry) are interchangeable with valkey-server / redis-server:
 *
 * - a 16-byte header: "HYLL", the encoding (0 dense, 1 sparse), 3 unused bytes, and the cached
 *   cardinality as 8 little-endian bytes whose top bit set means "stale";
 * - dense: 16384 6-bit registers packed LSB-first (12288 bytes);
 * - sparse: run-length opcodes ZERO (00xxxxxx), XZERO (01xxxxxx yyyyyyyy) and VAL (1vvvvvxx),
 *   edited in place exactly as Valkey does (split, then merge adjacent VALs), promoted to dense
 *   past hll-sparse-max-bytes or for a register above 32;
 * - MurmurHash64A with seed 0xadc83b19: the low 14 bits pick the register, the run of zeros
 *   after them (plus one) is the value;
 * - the cardinality estimator of Ertl's "New cardinality estimation algorithms for HyperLogLog
 *   sketches" (as Redis 7 uses).
 *
 * Values are edited as MutableStrings (commands/mutable-string.ts): a dense PFADD is O(1).
 */

const P = 14;
const REGISTERS = 1 << P;
const Q = 64 - P;
const HDR = 16;
const DENSE_SIZE = HDR + (REGISTERS * 6) / 8;
const DENSE = 0;
const SPARSE = 1;
const VAL_MAX_VALUE = 32;
const VAL_MAX_LEN = 4;
const ZERO_MAX_LEN = 64;
const XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.721347520444481703680;

const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';

// ---- MurmurHash64A (64-bit arithmetic on 32-bit halves) ----

let mulHi = 0;
let mulLo = 0;

/** (ah:al) * (bh:bl) mod 2^64 into mulHi:mulLo. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const lo = a0 * b0;
  const m1 = a1 * b0;
  const m2 = a0 * b1;
  const t = (lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  mulLo = (((t & 0xffff) << 16) | (lo & 0xffff)) >>> 0;
  const hi = a1 * b1 + (m1 >>> 16) + (m2 >>> 16) + Math.floor(t / 65536);
  mulHi = (hi + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const SEED = 0xadc83b19;

/** Register index and value (run of zeros + 1) of an element, as hllPatLen computes them. */
let patIndex = 0;
function patLen(s: string): number {
  const len = s.length;
  mul64(0, len, M_HI, M_LO);
  let hh = mulHi;
  let hl = (mulLo ^ SEED) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    let kl = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    let kh = (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24)) >>> 0;
    mul64(kh, kl, M_HI, M_LO);
    kh = mulHi;
    kl = (mulLo ^ (kh >>> 15)) >>> 0;
    mul64(kh, kl, M_HI, M_LO);
    hh = (hh ^ mulHi) >>> 0;
    hl = (hl ^ mulLo) >>> 0;
    mul64(hh, hl, M_HI, M_LO);
    hh = mulHi;
    hl = mulLo;
  }
  const rest = len & 7;
  if (rest > 0) {
    // the tail bytes, little endian, into the high then the low word
    for (let k = rest - 1; k >= 4; k--) hh ^= s.charCodeAt(i + k) << ((k - 4) * 8);
    for (let k = Math.min(rest, 4) - 1; k >= 0; k--) hl ^= s.charCodeAt(i + k) << (k * 8);
    mul64(hh >>> 0, hl >>> 0, M_HI, M_LO);
    hh = mulHi;
    hl = mulLo;
  }
  hl = (hl ^ (hh >>> 15)) >>> 0;
  mul64(hh, hl, M_HI, M_LO);
  hh = mulHi;
  hl = (mulLo ^ (mulHi >>> 15)) >>> 0;
  patIndex = hl & (REGISTERS - 1);
  // the run of zeros in bits 14..63, counted from bit 14, plus one; 51 when all are zero
  const x = hl >>> P;
  if (x !== 0) return 31 - Math.clz32(x & -x) + 1;
  if (hh !== 0) return 32 - P + (31 - Math.clz32(hh & -hh)) + 1;
  return Q + 1;
}

// ---- representation ----

function isHll(v: StringLike): boolean {
  const len = v.length;
  if (len < HDR) return false;
  if (typeof v === 'string') {
    if (!v.startsWith('HYLL')) return false;
    const enc = v.charCodeAt(4);
    return enc === SPARSE || (enc === DENSE && len === DENSE_SIZE);
  }
  const b = v.buf;
  if (b[0] !== 72 || b[1] !== 89 || b[2] !== 76 || b[3] !== 76) return false;
  return b[4] === SPARSE || (b[4] === DENSE && len === DENSE_SIZE);
}

/** A new, empty sparse HLL: the header and XZERO opcodes covering every register. */
function newHll(): MutableString {
  const m = new MutableString(Buffer.alloc(HDR + 2 * 4), HDR + (REGISTERS / XZERO_MAX_LEN) * 2);
  m.buf.latin1Write('HYLL', 0);
  m.buf[4] = SPARSE;
  let p = HDR;
  for (let left = REGISTERS; left > 0; left -= XZERO_MAX_LEN, p += 2) {
    const n = Math.min(left, XZERO_MAX_LEN) - 1;
    m.buf[p] = (n >> 8) | 0x40;
    m.buf[p + 1] = n & 0xff;
  }
  return m;
}

function invalidateCache(b: Uint8Array): void {
  b[15] |= 0x80;
}

function denseGet(b: Uint8Array, reg: number): number {
  const pos = reg * 6;
  const i = HDR + (pos >> 3);
  const fb = pos & 7;
  return ((b[i] >> fb) | ((b[i + 1] ?? 0) << (8 - fb))) & 63;
}

/** Sets a dense register if `count` is larger; 1 if it changed. */
function denseSet(b: Uint8Array, reg: number, count: number): number {
  const pos = reg * 6;
  const i = HDR + (pos >> 3);
  const fb = pos & 7;
  const old = ((b[i] >> fb) | ((b[i + 1] ?? 0) << (8 - fb))) & 63;
  if (count <= old) return 0;
  b[i] = (b[i] & ~(63 << fb)) | (count << fb);
  if (i + 1 < b.length) b[i + 1] = (b[i + 1] & ~(63 >> (8 - fb))) | (count >> (8 - fb));
  return 1;
}

/** Sparse to dense in place (the header, cached cardinality included, is kept). False if corrupt. */
function sparseToDense(m: MutableString): boolean {
  const s = m.buf;
  if (s[4] === DENSE) return true;
  const d = Buffer.alloc(DENSE_SIZE);
  s.copy(d, 0, 0, HDR);
  d[4] = DENSE;
  let idx = 0;
  const end = m.length;
  let p = HDR;
  while (p < end) {
    const op = s[p];
    if ((op & 0xc0) === 0) {
      const run = (op & 0x3f) + 1;
      if (run + idx > REGISTERS) break;
      idx += run;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      const run = (((op & 0x3f) << 8) | s[p + 1]) + 1;
      if (run + idx > REGISTERS) break;
      idx += run;
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const val = ((op >> 2) & 0x1f) + 1;
      if (run + idx > REGISTERS) break;
      while (run-- > 0) denseSet(d, idx++, val);
      p++;
    }
  }
  if (idx !== REGISTERS) return false;
  m.replaceBuffer(d, DENSE_SIZE);
  return true;
}

/**
 * Sets sparse register `index` to `count` if larger, as Valkey's hllSparseSet does byte for byte
 * (the encoding must match so GET bytes agree). 1 if updated, 0 if not, -1 if corrupt. May
 * promote `m` to dense.
 */
function sparseSet(m: MutableString, index: number, count: number, maxBytes: number): number {
  if (count > VAL_MAX_VALUE) return promote(m, index, count);
  m.reserve(3);
  const b = m.buf;
  let end = m.length;
  let p = HDR;
  let first = 0;
  let prev = -1;
  let span = 0;
  // step 1: find the opcode covering `index`
  while (p < end) {
    const op = b[p];
    const xzero = (op & 0xc0) === 0x40;
    const oplen = xzero ? 2 : 1;
    // ZERO, VAL, XZERO (the most frequent first, as Valkey orders them)
    span = (op & 0xc0) === 0 ? (op & 0x3f) + 1 : op & 0x80 ? (op & 3) + 1 : (((op & 0x3f) << 8) | b[p + 1]) + 1;
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = b[p];
  const isXzero = (op & 0xc0) === 0x40;
  const isZero = (op & 0xc0) === 0;
  const isVal = !isXzero && !isZero;
  let next = isXzero ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const runlen = isZero ? (op & 0x3f) + 1 : isXzero ? (((op & 0x3f) << 8) | b[p + 1]) + 1 : (op & 3) + 1;
  let simple = false;
  if (isVal) {
    const old = ((op >> 2) & 0x1f) + 1;
    if (old >= count) return 0;
    if (runlen === 1) {
      b[p] = valOp(count, 1);
      simple = true;
    }
  }
  if (!simple && isZero && runlen === 1) {
    b[p] = valOp(count, 1);
    simple = true;
  }
  if (!simple) {
    // step 2: split the opcode into up to three (at most 5 bytes)
    const seq = splitSeq;
    let n = 0;
    const last = first + span - 1;
    if (isZero || isXzero) {
      if (index !== first) n = zeroOp(seq, n, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) n = zeroOp(seq, n, last - index);
    } else {
      const cur = ((op >> 2) & 0x1f) + 1;
      if (index !== first) seq[n++] = valOp(cur, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) seq[n++] = valOp(cur, last - index);
    }
    // step 3: put the sequence in place of the old opcode
    const oldlen = isXzero ? 2 : 1;
    const delta = n - oldlen;
    if (delta > 0 && m.length + delta > maxBytes) return promote(m, index, count);
    if (delta !== 0 && next >= 0) b.copyWithin(next + delta, next, end);
    if (delta < 0) b.fill(0, end + delta, end);
    m.length += delta;
    for (let k = 0; k < n; k++) b[p + k] = seq[k];
    end += delta;
  }
  // step 4: merge adjacent VAL opcodes with the same value, up to 5 opcodes from prev
  p = prev >= 0 ? prev : HDR;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const o = b[p];
    if ((o & 0xc0) === 0x40) {
      p += 2;
      continue;
    } else if ((o & 0xc0) === 0) {
      p++;
      continue;
    }
    if (p + 1 < end && b[p + 1] & 0x80) {
      const v1 = ((o >> 2) & 0x1f) + 1;
      const v2 = ((b[p + 1] >> 2) & 0x1f) + 1;
      if (v1 === v2) {
        const len = (o & 3) + 1 + (b[p + 1] & 3) + 1;
        if (len <= VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          b.copyWithin(p, p + 1, end);
          b[end - 1] = 0;
          m.length--;
          end--;
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(b);
  return 1;
}

const splitSeq = new Uint8Array(5);

function valOp(val: number, len: number): number {
  return (((val - 1) << 2) | (len - 1) | 0x80) & 0xff;
}

/** Writes a ZERO or XZERO opcode for `len` registers at seq[n]; returns the next position. */
function zeroOp(seq: Uint8Array, n: number, len: number): number {
  if (len > ZERO_MAX_LEN) {
    seq[n] = ((len - 1) >> 8) | 0x40;
    seq[n + 1] = (len - 1) & 0xff;
    return n + 2;
  }
  seq[n] = len - 1;
  return n + 1;
}

function promote(m: MutableString, index: number, count: number): number {
  if (!sparseToDense(m)) return -1;
  return denseSet(m.buf, index, count);
}

/** Register histogram of a HLL (bytes `b`, `len` long); false if the sparse form is corrupt. */
function histogram(b: Uint8Array, len: number, histo: Int32Array): boolean {
  if (b[4] === DENSE) {
    for (let r = 0; r < REGISTERS; r++) histo[denseGet(b, r)]++;
    return true;
  }
  let idx = 0;
  let p = HDR;
  while (p < len) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      const run = (op & 0x3f) + 1;
      idx += run;
      histo[0] += run;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      const run = (((op & 0x3f) << 8) | (b[p + 1] ?? 0)) + 1;
      idx += run;
      histo[0] += run;
      p += 2;
    } else {
      const run = (op & 3) + 1;
      idx += run;
      histo[((op >> 2) & 0x1f) + 1] += run;
      p++;
    }
  }
  return idx === REGISTERS;
}

/** max[i] = max(max[i], register i) over a HLL; false if the sparse form is corrupt. */
function mergeInto(max: Uint8Array, b: Uint8Array, len: number): boolean {
  if (b[4] === DENSE) {
    for (let r = 0; r < REGISTERS; r++) {
      const v = denseGet(b, r);
      if (v > max[r]) max[r] = v;
    }
    return true;
  }
  let i = 0;
  let p = HDR;
  while (p < len) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      i += (op & 0x3f) + 1;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      i += (((op & 0x3f) << 8) | (b[p + 1] ?? 0)) + 1;
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const val = ((op >> 2) & 0x1f) + 1;
      if (run + i > REGISTERS) break;
      while (run-- > 0) {
        if (val > max[i]) max[i] = val;
        i++;
      }
      p++;
    }
  }
  return i === REGISTERS;
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** The cardinality estimate from a register histogram. */
function estimate(histo: Int32Array): number {
  const m = REGISTERS;
  let z = m * tau((m - histo[Q + 1]) / m);
  for (let j = Q; j >= 1; j--) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  return Math.round((ALPHA_INF * m * m) / z);
}

const histo = new Int32Array(64);
const maxRegs = new Uint8Array(REGISTERS);

// ---- commands ----

/** The HLL stored at `key` for writing (converted to its mutable form), or undefined. */
function writeHll(c: Client, key: string): MutableString | undefined {
  const v = writeStringLike(c, key);
  if (v === undefined) return undefined;
  if (!isHll(v)) throw new CommandError(NOT_HLL);
  return makeMutable(c, key, v);
}

function pfadd(c: Client, argv: string[]): void {
  const key = argv[1];
  let m = writeHll(c, key);
  let updated = 0;
  if (m === undefined) {
    m = newHll();
    c.db.set(key, m);
    updated++;
  }
  const maxBytes = argv.length > 2 ? c.server.config.getNumber('hll-sparse-max-bytes') : 0;
  for (let j = 2; j < argv.length; j++) {
    const count = patLen(argv[j]);
    const r = m.buf[4] === DENSE ? denseSet(m.buf, patIndex, count) : sparseSet(m, patIndex, count, maxBytes);
    if (r === 1) updated++;
    else if (r < 0) throw new CommandError(INVALID_HLL);
  }
  if (updated) {
    c.db.touch(key);
    c.server.notify('$', 'pfadd', key, c.db);
    invalidateCache(m.buf);
  }
  c.reply.int(updated ? 1 : 0);
}

function pfcount(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    maxRegs.fill(0);
    for (let j = 1; j < argv.length; j++) {
      const v = readStringLike(c, argv[j]);
      if (v === undefined) continue;
      if (!isHll(v)) throw new CommandError(NOT_HLL);
      if (!mergeInto(maxRegs, bytesOf(v, 0, v.length), v.length)) throw new CommandError(INVALID_HLL);
    }
    histo.fill(0);
    for (let r = 0; r < REGISTERS; r++) histo[maxRegs[r]]++;
    c.reply.int(estimate(histo));
    return;
  }
  const key = argv[1];
  const v = readStringLike(c, key);
  if (v === undefined) return c.reply.int(0);
  if (!isHll(v)) throw new CommandError(NOT_HLL);
  const b = bytesOf(v, 0, v.length);
  if ((b[15] & 0x80) === 0) {
    // the cached cardinality (little endian, 63 bits)
    const lo = (b[8] | (b[9] << 8) | (b[10] << 16) | (b[11] << 24)) >>> 0;
    const hi = (b[12] | (b[13] << 8) | (b[14] << 16) | (b[15] << 24)) >>> 0;
    c.reply.int(hi < 0x200000 ? hi * 4294967296 + lo : (BigInt(hi) << 32n) | BigInt(lo));
    return;
  }
  histo.fill(0);
  if (!histogram(b, v.length, histo)) throw new CommandError(INVALID_HLL);
  const card = estimate(histo);
  const m = makeMutable(c, key, v);
  let x = card;
  for (let i = 8; i < 16; i++) {
    m.buf[i] = x % 256;
    x = Math.floor(x / 256);
  }
  c.db.touch(key);
  c.reply.int(card);
}

function pfmerge(c: Client, argv: string[]): void {
  maxRegs.fill(0);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const v = readStringLike(c, argv[j]);
    if (v === undefined) continue;
    if (!isHll(v)) throw new CommandError(NOT_HLL);
    const b = bytesOf(v, 0, v.length);
    if (b[4] === DENSE) useDense = true;
    if (!mergeInto(maxRegs, b, v.length)) throw new CommandError(INVALID_HLL);
  }
  const key = argv[1];
  let m = writeHll(c, key);
  if (m === undefined) {
    m = newHll();
    c.db.set(key, m);
  }
  if (useDense && !sparseToDense(m)) throw new CommandError(INVALID_HLL);
  const maxBytes = c.server.config.getNumber('hll-sparse-max-bytes');
  for (let r = 0; r < REGISTERS; r++) {
    const val = maxRegs[r];
    if (val === 0) continue;
    if (m.buf[4] === DENSE) denseSet(m.buf, r, val);
    else sparseSet(m, r, val, maxBytes);
  }
  invalidateCache(m.buf);
  c.db.touch(key);
  c.server.notify('$', 'pfadd', key, c.db);
  c.reply.ok();
}

function pfdebug(c: Client, argv: string[]): void {
  const sub = argv[1];
  const key = argv[2];
  const v = writeStringLike(c, key);
  if (v === undefined) throw new CommandError('ERR The specified key does not exist');
  if (!isHll(v)) throw new CommandError(NOT_HLL);
  const enc = typeof v === 'string' ? v.charCodeAt(4) : v.buf[4];
  switch (sub.toLowerCase()) {
    case 'getreg': {
      let b: Uint8Array;
      if (enc === SPARSE) {
        const m = makeMutable(c, key, v);
        if (!sparseToDense(m)) throw new CommandError(INVALID_HLL);
        b = m.buf;
      } else {
        b = bytesOf(v, 0, v.length);
      }
      c.reply.array(REGISTERS);
      for (let r = 0; r < REGISTERS; r++) c.reply.int(denseGet(b, r));
      return;
    }
    case 'decode': {
      if (enc !== SPARSE) throw new CommandError('ERR HLL encoding is not sparse');
      const b = bytesOf(v, 0, v.length);
      const parts: string[] = [];
      let p = HDR;
      while (p < v.length) {
        const op = b[p];
        if ((op & 0xc0) === 0) {
          parts.push(`z:${(op & 0x3f) + 1}`);
          p++;
        } else if ((op & 0xc0) === 0x40) {
          parts.push(`Z:${(((op & 0x3f) << 8) | (b[p + 1] ?? 0)) + 1}`);
          p += 2;
        } else {
          parts.push(`v:${((op >> 2) & 0x1f) + 1},${(op & 3) + 1}`);
          p++;
        }
      }
      c.reply.bulk(parts.join(' '));
      return;
    }
    case 'encoding':
      c.reply.simple(enc === DENSE ? 'dense' : 'sparse');
      return;
    case 'todense': {
      if (enc === SPARSE) {
        const m = makeMutable(c, key, v);
        if (!sparseToDense(m)) throw new CommandError(INVALID_HLL);
        c.reply.int(1);
      } else {
        c.reply.int(0);
      }
      return;
    }
    default:
      throw new CommandError(`ERR Unknown PFDEBUG subcommand '${sub}'`);
  }
}

/**
 * PFSELFTEST: the checks valkey-server runs, scaled down to stay within a command's time budget
 * (10 register passes instead of 1000, 100k elements instead of 10M).
 */
function pfselftest(c: Client): void {
  const dense = Buffer.alloc(DENSE_SIZE);
  const bytes = new Uint8Array(REGISTERS);
  for (let cycle = 0; cycle < 10; cycle++) {
    for (let r = 0; r < REGISTERS; r++) {
      const v = Math.floor(Math.random() * 64);
      bytes[r] = v;
      const pos = r * 6;
      const i = HDR + (pos >> 3);
      const fb = pos & 7;
      dense[i] = (dense[i] & ~(63 << fb)) | (v << fb);
      if (i + 1 < dense.length) dense[i + 1] = (dense[i + 1] & ~(63 >> (8 - fb))) | (v >> (8 - fb));
    }
    for (let r = 0; r < REGISTERS; r++) {
      const v = denseGet(dense, r);
      if (v !== bytes[r]) throw new CommandError(`TESTFAILED Register ${r} should be ${bytes[r]} but is ${v}`);
    }
  }
  dense.fill(0, HDR);
  const sparse = newHll();
  const relerr = 1.04 / Math.sqrt(REGISTERS);
  const maxBytes = c.server.config.getNumber('hll-sparse-max-bytes');
  const seed = Math.floor(Math.random() * 0x100000000);
  const ele = Buffer.alloc(8);
  let checkpoint = 1;
  for (let j = 1; j <= 100000; j++) {
    ele.writeUInt32LE((j ^ seed) >>> 0, 0);
    ele.writeUInt32LE(0, 4);
    const count = patLen(ele.latin1Slice(0, 8));
    denseSet(dense, patIndex, count);
    if (sparse.buf[4] === DENSE) denseSet(sparse.buf, patIndex, count);
    else sparseSet(sparse, patIndex, count, maxBytes);
    if (j !== checkpoint) continue;
    if (j < maxBytes / 2 && sparse.buf[4] !== SPARSE) throw new CommandError('TESTFAILED sparse encoding not used');
    histo.fill(0);
    histogram(dense, DENSE_SIZE, histo);
    const a = estimate(histo);
    histo.fill(0);
    histogram(sparse.buf, sparse.length, histo);
    if (a !== estimate(histo)) throw new CommandError('TESTFAILED dense/sparse disagree');
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    const abserr = Math.abs(checkpoint - a);
    if (abserr > maxerr) throw new CommandError(`TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`);
    checkpoint *= 10;
  }
  c.reply.ok();
}

/** HyperLogLog commands. */
export const hyperloglogCommands: CommandSpec[] = [
  command('pfadd', -2, 'write denyoom fast', [1, 1, 1], 'hyperloglog', pfadd),
  command('pfcount', -2, 'readonly', [1, -1, 1], 'hyperloglog', pfcount),
  command('pfmerge', -2, 'write denyoom', [1, -1, 1], 'hyperloglog', pfmerge),
  command('pfdebug', 3, 'write denyoom admin', [2, 2, 1], 'hyperloglog', pfdebug),
  command('pfselftest', 1, 'admin', [0, 0, 0], 'hyperloglog', (c) => pfselftest(c)),
];
