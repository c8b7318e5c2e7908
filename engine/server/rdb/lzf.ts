/**
 * LZF, the compression of RDB strings (liblzf's format, which Redis uses). No well-kept npm
 * package implements it, and the format is small:
 *
 * - a control byte below 32 starts a literal run of control+1 bytes;
 * - otherwise it is a back reference: length-2 in its top 3 bits (7 means "add the next byte"),
 *   and a 13-bit distance-1 made of its low 5 bits and the following byte.
 *
 * The compressor is a greedy single-pass matcher with a hash of the next 3 bytes, like liblzf's;
 * its output is not byte-identical to liblzf's, but any LZF decoder reads it.
 */

const HASH_BITS = 14;
const MAX_LIT = 32;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);
const TABLE = new Int32Array(1 << HASH_BITS);
let nextBase = 1;

/**
 * Compresses `input` into at most `maxOut` bytes; undefined when it does not fit (the caller
 * then stores the string uncompressed, as Redis does).
 */
export function lzfCompress(input: Uint8Array, maxOut: number): Buffer | undefined {
  const n = input.length;
  if (n < 4 || maxOut <= 0) return undefined;
  const out = Buffer.allocUnsafe(maxOut + MAX_LIT + 8);
  // The hash table is shared between calls: slots hold `base + position`, so a slot written by
  // an earlier call (below `base`) reads as empty without clearing 64 KiB per string.
  if (nextBase + n + 1 > 0x7fffffff) {
    TABLE.fill(0);
    nextBase = 1;
  }
  const table = TABLE;
  const base = nextBase;
  nextBase += n + 1;
  let ip = 0;
  let op = 1; // out[0] is the first literal run's control byte
  let lit = 0;
  const hash = (p: number) => {
    const v = (input[p] << 16) | (input[p + 1] << 8) | input[p + 2];
    return (Math.imul(v, 0x9e3779b1) >>> (32 - HASH_BITS)) & ((1 << HASH_BITS) - 1);
  };
  while (ip < n - 2) {
    const h = hash(ip);
    const slot = table[h];
    const ref = slot >= base ? slot - base : -1;
    table[h] = base + ip;
    const off = ip - ref - 1;
    if (ref >= 0 && off < MAX_OFF && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]) {
      let len = 3;
      const maxLen = Math.min(MAX_REF, n - ip);
      while (len < maxLen && input[ref + len] === input[ip + len]) len++;
      // close the literal run (or drop its unused control byte)
      if (lit > 0) out[op - lit - 1] = lit - 1;
      else op--;
      const l = len - 2;
      if (op + 3 > maxOut) return undefined;
      if (l < 7) {
        out[op++] = (l << 5) | (off >>> 8);
      } else {
        out[op++] = (7 << 5) | (off >>> 8);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      op++; // the next literal run's control byte
      lit = 0;
      // index the positions inside the match, so later data can refer to them
      const end = ip + len;
      for (ip++; ip < end && ip < n - 2; ip++) table[hash(ip)] = base + ip;
      ip = end;
      if (op > maxOut) return undefined;
      continue;
    }
    out[op++] = input[ip++];
    lit++;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
    if (op > maxOut) return undefined;
  }
  while (ip < n) {
    out[op++] = input[ip++];
    lit++;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  if (lit > 0) out[op - lit - 1] = lit - 1;
  else op--;
  if (op > maxOut) return undefined;
  return out.subarray(0, op);
}

/** Decompresses to exactly `outLen` bytes; undefined when the data is not valid LZF of that size. */
export function lzfDecompress(input: Uint8Array, outLen: number): Buffer | undefined {
  const out = Buffer.allocUnsafe(outLen);
  let ip = 0;
  let op = 0;
  const n = input.length;
  while (ip < n) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const len = ctrl + 1;
      if (op + len > outLen || ip + len > n) return undefined;
      for (let i = 0; i < len; i++) out[op++] = input[ip++];
      continue;
    }
    let len = ctrl >>> 5;
    if (len === 7) {
      if (ip >= n) return undefined;
      len += input[ip++];
    }
    if (ip >= n) return undefined;
    const ref = op - ((ctrl & 0x1f) << 8) - input[ip++] - 1;
    len += 2;
    if (ref < 0 || op + len > outLen) return undefined;
    for (let i = 0; i < len; i++) out[op++] = out[ref + i];
  }
  return op === outLen ? out : undefined;
}
