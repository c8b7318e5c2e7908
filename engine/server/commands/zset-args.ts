import type { Client } from '../client';
import type { Config } from '../config';
import type { LexBound, LexRange, ScoreRange, ZsetLimits } from '../types/zset';

/**
 * Number parsing as Valkey does it for sorted sets: C's strtod (leading spaces, hex, inf, nan),
 * with string2d's extra rules for scores, and the range syntaxes of ZRANGEBYSCORE / ZRANGEBYLEX.
 */

const DEC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const SPECIAL_RE = /^([+-]?)(inf|infinity|nan|nan\([0-9a-zA-Z_]*\))$/i;

/** strtod over the whole string (after optional leading whitespace); NaN for "nan", undefined when not fully consumed. */
export function strtod(s: string, allowSpace: boolean): number | undefined {
  let t = s;
  if (allowSpace) t = t.replace(/^[ \t\n\v\f\r]+/, '');
  if (t.length === 0) return allowSpace && s.length === 0 ? 0 : allowSpace ? 0 : undefined;
  if (DEC_RE.test(t)) return Number(t);
  const sp = SPECIAL_RE.exec(t);
  if (sp) {
    if (sp[2].toLowerCase().startsWith('nan')) return NaN;
    return sp[1] === '-' ? -Infinity : Infinity;
  }
  const hx = HEX_RE.exec(t);
  if (hx && (hx[2].length > 0 || (hx[3] !== undefined && hx[3].length > 0))) {
    const digits = hx[2] + (hx[3] ?? '');
    let v = 0;
    for (let i = 0; i < digits.length; i++) v = v * 16 + parseInt(digits[i], 16);
    const exp = (hx[4] ? Number(hx[4]) : 0) - 4 * (hx[3]?.length ?? 0);
    v = v * Math.pow(2, exp);
    return hx[1] === '-' ? -v : v;
  }
  return undefined;
}

/** Valkey's string2d: no empty input, no leading space, full consumption, no NaN, no overflow or underflow to zero. */
export function parseScore(s: string): number | undefined {
  if (s.length === 0) return undefined;
  const small = smallInteger(s);
  if (small !== undefined) return small;
  const ch = s.charCodeAt(0);
  if (ch === 32 || (ch >= 9 && ch <= 13)) return undefined;
  const v = strtod(s, false);
  if (v === undefined || Number.isNaN(v)) return undefined;
  if (!Number.isFinite(v) && !SPECIAL_RE.test(s)) return undefined; // ERANGE overflow
  if (v === 0 && DEC_RE.test(s) && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return undefined; // ERANGE underflow
  return v;
}

/** A plain decimal integer of up to 15 digits (the usual score), exactly; undefined for anything else. */
function smallInteger(s: string): number | undefined {
  const n = s.length;
  if (n > 15) return undefined;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return undefined;
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return s.charCodeAt(0) === 45 ? -v : v;
}

/** ZRANGEBYSCORE min/max, or undefined ("min or max is not a float"). */
export function parseScoreRange(min: string, max: string): ScoreRange | undefined {
  const a = parseBound(min);
  const b = parseBound(max);
  if (!a || !b) return undefined;
  return { min: a[0], minex: a[1], max: b[0], maxex: b[1] };
}

function parseBound(s: string): [number, boolean] | undefined {
  const ex = s.charCodeAt(0) === 40; // '('
  const v = strtod(ex ? s.slice(1) : s, true);
  if (v === undefined || Number.isNaN(v)) return undefined;
  return [v, ex];
}

/** ZRANGEBYLEX min/max, or undefined ("min or max not valid string range item"). */
export function parseLexRange(min: string, max: string): LexRange | undefined {
  const a = parseLexBound(min);
  const b = parseLexBound(max);
  if (!a || !b) return undefined;
  return { min: a, max: b };
}

function parseLexBound(s: string): LexBound | undefined {
  const c = s.charCodeAt(0);
  if (c === 43 && s.length === 1) return { kind: 1, value: '', ex: false };
  if (c === 45 && s.length === 1) return { kind: -1, value: '', ex: false };
  if (c === 40) return { kind: 0, value: s.slice(1), ex: true };
  if (c === 91) return { kind: 0, value: s.slice(1), ex: false };
  return undefined;
}

/** True when a score range is empty by construction (min > max, or equal with an exclusive side). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** True when a lex range is empty by construction. */
export function lexRangeEmpty(r: LexRange): boolean {
  const { min, max } = r;
  if (min.kind === 1 || max.kind === -1) return true;
  if (min.kind === -1 || max.kind === 1) return false;
  return min.value > max.value || (min.value === max.value && (min.ex || max.ex));
}

const limitsCache = new WeakMap<Config, ZsetLimits>();

/** zset-max-listpack-entries / -value, cached per config and kept current by CONFIG SET. */
export function zsetLimits(c: Client): ZsetLimits {
  const cfg = c.server.config;
  let l = limitsCache.get(cfg);
  if (!l) {
    const lim: ZsetLimits = { entries: cfg.getNumber('zset-max-listpack-entries'), value: cfg.getNumber('zset-max-listpack-value') };
    cfg.onChange('zset-max-listpack-entries', (v) => (lim.entries = Number(v)));
    cfg.onChange('zset-max-listpack-value', (v) => (lim.value = Number(v)));
    limitsCache.set(cfg, lim);
    l = lim;
  }
  return l;
}
