/**
 * HINCRBYFLOAT's arithmetic as Valkey does it on x86-64: both operands are parsed into an 80-bit
 * long double (64-bit mantissa), added with rounding to 64 bits, and printed with "%.17Lf" with
 * trailing zeros removed. Emulated exactly with BigInt, so replies such as 1.5 + 0.1 → "1.6" and
 * 9223372036854775807 + 0.5 → "9223372036854775807.5" match the real server byte for byte.
 */

/** A finite long double: (-1)^neg × m × 2^e, with 2^63 ≤ m < 2^64 (or m = 0). */
export interface LongDouble {
  neg: boolean;
  m: bigint;
  e: number;
}

const MANT_BITS = 64;
/** Exponent (of the top bit) beyond which a long double overflows to infinity. */
const MAX_EXP = 16384;
const NUM_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Rounds num / den × 2^shift (num, den > 0) to a 64-bit mantissa, half to even. */
function round(neg: boolean, num: bigint, den: bigint, shift: number): LongDouble {
  if (num === 0n) return { neg, m: 0n, e: 0 };
  let e = bitLength(num) - bitLength(den) - MANT_BITS;
  for (;;) {
    const n = e < 0 ? num << BigInt(-e) : num;
    const d = e > 0 ? den << BigInt(e) : den;
    let q = n / d;
    const r = n % d;
    if (q >= 1n << 64n) {
      e++;
      continue;
    }
    if (q < 1n << 63n) {
      e--;
      continue;
    }
    const twice = 2n * r;
    if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
    if (q === 1n << 64n) return { neg, m: 1n << 63n, e: e + 1 + shift };
    return { neg, m: q, e: e + shift };
  }
}

/** Parses a decimal (or inf) as strtold would; undefined when not a number, Infinity-marked when out of range. */
export function parseLongDouble(s: string): LongDouble | 'inf' | undefined {
  const l = s.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(l)) return 'inf';
  const g = NUM_RE.exec(s);
  if (!g || (g[2] === '' && (g[3] === undefined || g[3] === ''))) return undefined;
  const digits = (g[2] + (g[3] ?? '')).replace(/^0+/, '');
  const neg = g[1] === '-';
  if (digits === '') return { neg, m: 0n, e: 0 };
  const exp10 = Number(g[4] ?? '0') - (g[3] ?? '').length;
  if (exp10 + digits.length > 4933) return 'inf';
  if (exp10 + digits.length < -4950) return { neg, m: 0n, e: 0 };
  const d = BigInt(digits);
  const v = exp10 >= 0 ? round(neg, d * 10n ** BigInt(exp10), 1n, 0) : round(neg, d, 10n ** BigInt(-exp10), 0);
  return v.e + MANT_BITS > MAX_EXP ? 'inf' : v;
}

/** a + b rounded to a long double; 'inf' on overflow. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | 'inf' {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const emin = Math.min(a.e, b.e);
  const x = (a.neg ? -a.m : a.m) << BigInt(a.e - emin);
  const y = (b.neg ? -b.m : b.m) << BigInt(b.e - emin);
  const s = x + y;
  if (s === 0n) return { neg: false, m: 0n, e: 0 };
  const v = round(s < 0n, s < 0n ? -s : s, 1n, emin);
  return v.e + MANT_BITS > MAX_EXP ? 'inf' : v;
}

/** "%.17Lf" with trailing zeros (and a trailing '.') removed, "-0" as "0". */
export function formatLongDoubleHuman(v: LongDouble): string {
  const scale = 10n ** 17n;
  let q: bigint;
  if (v.e >= 0) {
    q = (v.m << BigInt(v.e)) * scale;
  } else {
    const num = v.m * scale;
    const den = 1n << BigInt(-v.e);
    q = num / den;
    const twice = 2n * (num % den);
    if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  }
  let s = q.toString().padStart(18, '0');
  s = `${s.slice(0, -17)}.${s.slice(-17)}`.replace(/0+$/, '').replace(/\.$/, '');
  return v.neg && s !== '0' ? `-${s}` : s;
}
