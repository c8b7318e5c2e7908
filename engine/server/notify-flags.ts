/**
 * notify-keyspace-events: the class letters as bits, parsed and printed as Valkey does.
 */

export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m (not part of A)
export const NOTIFY_MODULE = 1 << 12; // d
export const NOTIFY_NEW = 1 << 13; // n (not part of A)
/** `A`: every class but key-miss and new. */
export const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET
  | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

/** Class letter (char code) → bit; 0 for a letter that is not a class. */
const BIT_OF = new Int32Array(128);
const LETTERS: Array<[string, number]> = [
  ['K', NOTIFY_KEYSPACE], ['E', NOTIFY_KEYEVENT], ['g', NOTIFY_GENERIC], ['$', NOTIFY_STRING], ['l', NOTIFY_LIST],
  ['s', NOTIFY_SET], ['h', NOTIFY_HASH], ['z', NOTIFY_ZSET], ['x', NOTIFY_EXPIRED], ['e', NOTIFY_EVICTED],
  ['t', NOTIFY_STREAM], ['m', NOTIFY_KEY_MISS], ['d', NOTIFY_MODULE], ['n', NOTIFY_NEW], ['A', NOTIFY_ALL],
];
for (const [l, b] of LETTERS) BIT_OF[l.charCodeAt(0)] = b;

/** The bit of one class letter as the notify call sites pass it ('g', '$', 'x'...), 0 if unknown. */
export function classBit(cls: string): number {
  const c = cls.charCodeAt(0);
  return c < 128 ? BIT_OF[c] : 0;
}

/** Parses a flags string; undefined when it holds a character that is not a class. */
export function parseNotifyFlags(s: string): number | undefined {
  let flags = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const b = c < 128 ? BIT_OF[c] : 0;
    if (b === 0) return undefined;
    flags |= b;
  }
  return flags;
}

/** The canonical text CONFIG GET shows (A, or the classes in Valkey's order; then K, E, m). */
export function notifyFlagsToString(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    s += 'A';
  } else {
    if (flags & NOTIFY_GENERIC) s += 'g';
    if (flags & NOTIFY_STRING) s += '$';
    if (flags & NOTIFY_LIST) s += 'l';
    if (flags & NOTIFY_SET) s += 's';
    if (flags & NOTIFY_HASH) s += 'h';
    if (flags & NOTIFY_ZSET) s += 'z';
    if (flags & NOTIFY_EXPIRED) s += 'x';
    if (flags & NOTIFY_EVICTED) s += 'e';
    if (flags & NOTIFY_STREAM) s += 't';
    if (flags & NOTIFY_MODULE) s += 'd';
    if (flags & NOTIFY_NEW) s += 'n';
  }
  if (flags & NOTIFY_KEYSPACE) s += 'K';
  if (flags & NOTIFY_KEYEVENT) s += 'E';
  if (flags & NOTIFY_KEY_MISS) s += 'm';
  return s;
}
