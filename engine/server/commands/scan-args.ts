import { globMatch } from '../glob';
import { INT64_MIN, int64Arg, intArg, is } from './args';
import { CommandError, Errors } from './command';

/**
 * A SCAN-family cursor as Valkey parses it (strtoull: an optional sign, digits, no spaces; a
 * negative value wraps around). Cursors beyond 32 bits (our hash-order cursors) scan nothing.
 */
export function scanCursorArg(s: string): number {
  if (!/^[+-]?\d*$/.test(s) || s === '+' || s === '-') throw new CommandError('ERR invalid cursor');
  const neg = s.charCodeAt(0) === 45;
  const digits = s.replace(/^[+-]/, '');
  if (digits === '') return 0;
  let v = BigInt(digits);
  if (v > 18446744073709551615n) throw new CommandError('ERR invalid cursor');
  if (neg && v !== 0n) v = 18446744073709551616n - v;
  return v > 4294967295n ? 4294967296 : Number(v);
}

export interface ScanOptions {
  count: number;
  /** undefined: no filter ('*' counts as none). */
  pattern: string | undefined;
}

/** MATCH / COUNT options from `at` on (HSCAN, SSCAN). */
export function scanOptions(argv: string[], at: number): ScanOptions {
  let count = 10;
  let pattern: string | undefined;
  for (let i = at; i < argv.length; i += 2) {
    const more = i + 1 < argv.length;
    if (is(argv[i], 'count') && more) {
      count = intArg(argv[i + 1]);
      if (count < 1) throw new CommandError(Errors.syntax);
    } else if (is(argv[i], 'match') && more) {
      pattern = argv[i + 1] === '*' ? undefined : argv[i + 1];
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return { count, pattern };
}

export function matches(pattern: string | undefined, s: string): boolean {
  return pattern === undefined || globMatch(pattern, s);
}

/** HRANDFIELD / SRANDMEMBER count: a 64-bit integer in -LONG_MAX..LONG_MAX. */
export function rangeCountArg(s: string): number {
  const v = int64Arg(s);
  if (v === INT64_MIN) throw new CommandError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  return Number(v);
}
