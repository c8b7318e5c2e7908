import type { Config } from '../config';

/**
 * Encoding thresholds of the collection types (Valkey's *-max-listpack-* and set-max-intset-entries),
 * read once from the config and kept current by CONFIG SET. Encodings only decide what OBJECT
 * ENCODING answers (and, as in Valkey, small sets and hashes are answered whole by SCAN-family
 * commands); the storage itself is the same JS structure for every encoding.
 */
export const limits = {
  listMaxListpackSize: -2,
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  setMaxListpackEntries: 128,
  setMaxListpackValue: 64,
};

let bound: Config | undefined;

const KEYS: Array<[keyof typeof limits, string]> = [
  ['listMaxListpackSize', 'list-max-listpack-size'],
  ['hashMaxListpackEntries', 'hash-max-listpack-entries'],
  ['hashMaxListpackValue', 'hash-max-listpack-value'],
  ['setMaxIntsetEntries', 'set-max-intset-entries'],
  ['setMaxListpackEntries', 'set-max-listpack-entries'],
  ['setMaxListpackValue', 'set-max-listpack-value'],
];

/** Binds `limits` to a node's config (cheap when already bound: one comparison). */
export function bindLimits(config: Config): void {
  if (bound === config) return;
  bound = config;
  for (const [field, name] of KEYS) {
    limits[field] = config.getNumber(name);
    config.onChange(name, (v) => {
      if (bound === config) limits[field] = Number(v);
    });
  }
}

/**
 * True when `s` is a decimal 64-bit integer as Valkey's string2ll accepts it (no '+', no leading
 * zeros, no spaces), the test that decides intset membership and listpack integer entries.
 */
export function isInt64String(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1; // "0" only; "-0" and "01" are not integers
  for (; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 48 || ch > 57) return false;
  }
  if (n - (s.charCodeAt(0) === 45 ? 1 : 0) < 19) return true;
  const b = BigInt(s);
  return b <= 9223372036854775807n && b >= -9223372036854775808n;
}

/** Bytes a string takes as one listpack entry (encoding, data and back-length), as Valkey's listpack lays it out. */
export function listpackEntrySize(s: string): number {
  const n = s.length;
  if (n <= 20 && isInt64String(s)) {
    if (n < 16) {
      const v = Number(s);
      if (v >= 0 && v <= 127) return 2;
      if (v >= -4096 && v <= 4095) return 3;
      if (v >= -32768 && v <= 32767) return 4;
      if (v >= -8388608 && v <= 8388607) return 5;
      if (v >= -2147483648 && v <= 2147483647) return 6;
    }
    return 10;
  }
  const enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return enc + (enc < 128 ? 1 : enc < 16384 ? 2 : enc < 2097152 ? 3 : enc < 268435456 ? 4 : 5);
}
