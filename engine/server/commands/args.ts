import { CommandError, Errors } from './command';

const INT_RE = /^-?(0|[1-9]\d*)$/;
export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/**
 * Parses a 64-bit signed integer exactly as Valkey's string2ll accepts it (no spaces, no '+',
 * no leading zeros). Returns a number when it is safe, else a bigint; undefined if invalid.
 */
export function parseInt64(s: string): number | bigint | undefined {
  const n = s.length;
  if (n === 0 || n > 20) return undefined;
  if (n < 16) {
    // Up to 15 characters the value is a safe integer: read the digits directly (no regex, no Number()).
    let i = 0;
    const neg = s.charCodeAt(0) === 45; // '-'
    if (neg) i = 1;
    if (i === n || (s.charCodeAt(i) === 48 && n > i + 1)) return undefined; // nothing, or a leading zero
    let v = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      v = v * 10 + c;
    }
    return neg ? -v : v;
  }
  if (!INT_RE.test(s)) return undefined;
  const b = BigInt(s);
  if (b > INT64_MAX || b < INT64_MIN) return undefined;
  return Number.isSafeInteger(Number(b)) ? Number(b) : b;
}

/** An integer argument or the "not an integer" error. */
export function intArg(s: string, error = Errors.notInteger): number {
  const v = parseInt64(s);
  if (v === undefined) throw new CommandError(error);
  return typeof v === 'bigint' ? Number(v) : v;
}

/** A 64-bit integer argument kept exact (bigint beyond 2^53). */
export function int64Arg(s: string): number | bigint {
  const v = parseInt64(s);
  if (v === undefined) throw new CommandError(Errors.notInteger);
  return v;
}

/** A non-negative integer argument. */
export function uintArg(s: string, error = Errors.notInteger): number {
  const v = intArg(s, error);
  if (v < 0) throw new CommandError(error);
  return v;
}

/**
 * Parses a double as Valkey's strtold-based parser does: decimal or exponent forms, inf/-inf,
 * no NaN, no surrounding spaces. Undefined when invalid.
 */
export function parseDouble(s: string): number | undefined {
  if (s.length === 0 || s.length > 5000 || /^\s|\s$/.test(s)) return undefined;
  const l = s.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return undefined;
  const v = Number(s);
  return Number.isNaN(v) ? undefined : v;
}

/** A float argument or the "not a valid float" error. */
export function floatArg(s: string, error = Errors.notFloat): number {
  const v = parseDouble(s);
  if (v === undefined) throw new CommandError(error);
  return v;
}

/** Case-insensitive option comparison. */
export function is(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length === word.length && arg.toLowerCase() === word;
}
