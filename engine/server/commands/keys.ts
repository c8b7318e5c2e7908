import type { Client } from '../client';
import type { DataObject, Db, Value } from '../db';
import { typeName } from '../db';
import { evictorOf, lfuCounter, samplersOf } from '../evict';
import { globMatch } from '../glob';
import { int64Arg, intArg, is, parseInt64 } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { lookupRead, lookupWrite } from './keyspace';

/**
 * Generic key commands: DEL, EXISTS, the EXPIRE family, TTL, TYPE, RENAME, KEYS, SCAN, RANDOMKEY,
 * OBJECT, COPY, MOVE, TOUCH, SWAPDB, SORT and WAIT, with Valkey's replies, errors and keyspace events.
 *
 * Conventions this module relies on (optional members of DataObject, see db.ts):
 * - `clone()`: COPY deep-copies collections through it.
 * - `items()`: SORT reads lists (in order), sets and sorted sets (by rank) through it.
 * - `getField(field)`: SORT BY/GET `pattern->field` reads hashes through it.
 * - `registerListFactory`: the list module registers how to build a list (SORT ... STORE).
 */

const SAME_OBJECT = 'ERR source and destination objects are the same';
const DB_RANGE = 'ERR DB index is out of range';

let listFactory: ((items: string[]) => DataObject) | undefined;

/** The list module registers its constructor here so SORT ... STORE can create lists. */
export function registerListFactory(fn: (items: string[]) => DataObject): void {
  listFactory = fn;
}

/** A key's live value without touching its access time (expired keys are removed first). */
function peekLive(db: Db, key: string): Value | undefined {
  if (db.expires.size > 0 && db.expireIfNeeded(key)) return undefined;
  return db.peek(key);
}

/** Like peekLive, counting a keyspace hit or miss (Valkey's LOOKUP_NOTOUCH reads). */
function lookupNoTouch(c: Client, key: string): Value | undefined {
  const v = peekLive(c.db, key);
  if (v === undefined) c.server.stats.keyspaceMisses++;
  else c.server.stats.keyspaceHits++;
  return v;
}

/** A HELP reply: an array of status lines, as Valkey's addReplyHelp writes it. */
export function helpReply(c: Client, lines: string[]): void {
  c.reply.array(lines.length);
  for (const l of lines) c.reply.simple(l);
}

// ------------------------------------------------------------------ strings' encodings

/** Whether a string is a 64-bit integer as Valkey's string2l accepts it (no '-0', no leading zeros). */
function isLongString(s: string): boolean {
  if (s.length === 0 || s.length > 20) return false;
  if (s === '0') return true;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === s.length) return false;
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return false;
  for (i++; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 48 || ch > 57) return false;
  }
  if (s.length < 19) return true;
  const b = BigInt(s);
  return b <= 9223372036854775807n && b >= -9223372036854775808n;
}

/** OBJECT ENCODING of a string value: int, embstr (up to 44 bytes) or raw. */
export function stringEncoding(v: string): string {
  if (isLongString(v)) return 'int';
  return v.length <= 44 ? 'embstr' : 'raw';
}

/** OBJECT ENCODING of any value. */
export function encodingOf(v: Value): string {
  return typeof v === 'string' ? stringEncoding(v) : v.encoding();
}

function lruOrLfuPolicy(c: Client): boolean {
  const p = c.server.config.get('maxmemory-policy');
  return p.endsWith('-lru') || p.endsWith('-lfu');
}

/** OBJECT REFCOUNT: Valkey shares the integers 0..9999 (refcount INT_MAX) unless an LRU/LFU maxmemory is set. */
function refcountOf(c: Client, v: Value): number {
  if (typeof v !== 'string' || !isLongString(v) || v.length > 5) return 1;
  const n = Number(v);
  const shared = n >= 0 && n < 10000 && !(c.server.config.getNumber('maxmemory') > 0 && lruOrLfuPolicy(c));
  return shared ? 2147483647 : 1;
}

// ------------------------------------------------------------------ DEL, EXISTS, TYPE, TOUCH

function del(c: Client, argv: string[]): void {
  let n = 0;
  const db = c.db;
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i];
    if (db.expires.size > 0 && db.expireIfNeeded(key)) continue;
    if (db.delete(key)) {
      n++;
      c.server.notify('g', 'del', key, db);
    }
  }
  c.reply.int(n);
}

function exists(c: Client, argv: string[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (lookupNoTouch(c, argv[i]) !== undefined) n++;
  c.reply.int(n);
}

function touch(c: Client, argv: string[]): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (lookupRead(c, argv[i]) !== undefined) n++;
  c.reply.int(n);
}

// ------------------------------------------------------------------ expiry

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

/** EXPIRE / PEXPIRE / EXPIREAT / PEXPIREAT: `unitMs` 1000 or 1, `relative` adds the current time. */
function expireGeneric(c: Client, argv: string[], unitMs: number, relative: boolean): void {
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const o = argv[i].toLowerCase();
    if (o === 'nx') flags |= NX;
    else if (o === 'xx') flags |= XX;
    else if (o === 'gt') flags |= GT;
    else if (o === 'lt') flags |= LT;
    else throw new CommandError(`ERR Unsupported option ${argv[i]}`);
  }
  if (flags & NX && flags & (XX | GT | LT)) throw new CommandError('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (flags & GT && flags & LT) throw new CommandError('ERR GT and LT options at the same time are not compatible');
  const raw = int64Arg(argv[2]);
  const base = relative ? Date.now() : 0;
  let when: number;
  if (typeof raw === 'number' && Math.abs(raw) < 2 ** 42) {
    when = raw * unitMs + base;
  } else {
    let b = BigInt(raw);
    const bad = `ERR invalid expire time in '${argv[0].toLowerCase()}' command`;
    if (unitMs === 1000) {
      if (b > LLONG_MAX / 1000n || b < LLONG_MIN / 1000n) throw new CommandError(bad);
      b *= 1000n;
    }
    if (b > LLONG_MAX - BigInt(base)) throw new CommandError(bad);
    when = Number(b + BigInt(base));
  }
  const db = c.db;
  const key = argv[1];
  if (lookupWrite(c, key) === undefined) {
    c.reply.int(0);
    return;
  }
  if (flags) {
    const cur = db.getExpire(key);
    if ((flags & NX && cur !== undefined) || (flags & XX && cur === undefined) || (flags & GT && (cur === undefined || when <= cur)) ||
        (flags & LT && cur !== undefined && when >= cur)) {
      c.reply.int(0);
      return;
    }
  }
  if (when <= Date.now()) {
    db.delete(key);
    c.server.notify('g', 'del', key, db);
  } else {
    db.setExpire(key, when);
    c.server.notify('g', 'expire', key, db);
  }
  c.reply.int(1);
}

/** TTL / PTTL / EXPIRETIME / PEXPIRETIME. */
function ttlGeneric(c: Client, key: string, ms: boolean, absolute: boolean): void {
  if (lookupNoTouch(c, key) === undefined) {
    c.reply.int(-2);
    return;
  }
  const at = c.db.getExpire(key);
  if (at === undefined) {
    c.reply.int(-1);
    return;
  }
  if (absolute) {
    c.reply.int(ms ? at : Math.floor(at / 1000));
    return;
  }
  const ttl = Math.max(0, at - Date.now());
  c.reply.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

function persist(c: Client, argv: string[]): void {
  const key = argv[1];
  if (lookupWrite(c, key) !== undefined && c.db.persist(key)) {
    c.server.notify('g', 'persist', key, c.db);
    c.reply.int(1);
  } else {
    c.reply.int(0);
  }
}

// ------------------------------------------------------------------ RENAME, COPY, MOVE, SWAPDB

function rename(c: Client, argv: string[], nx: boolean): void {
  const [, src, dst] = argv;
  const db = c.db;
  const v = lookupWrite(c, src);
  if (v === undefined) throw new CommandError(Errors.noSuchKey);
  if (src === dst) {
    if (nx) c.reply.int(0);
    else c.reply.ok();
    return;
  }
  const expire = db.getExpire(src);
  if (lookupWrite(c, dst) !== undefined) {
    if (nx) {
      c.reply.int(0);
      return;
    }
    db.delete(dst);
  }
  db.set(dst, v);
  if (expire !== undefined) db.setExpire(dst, expire);
  db.delete(src);
  c.server.notify('g', 'rename_from', src, db);
  c.server.notify('g', 'rename_to', dst, db);
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

/** A DB index argument: an int, then in range. */
function dbArg(c: Client, s: string): Db {
  const n = parseInt64(s);
  if (n === undefined || typeof n === 'bigint' || n > 2147483647 || n < -2147483648) throw new CommandError(Errors.notInteger);
  const db = c.server.dbs[n];
  if (n < 0 || !db) throw new CommandError(DB_RANGE);
  return db;
}

/** A deep copy of a value (strings are immutable, so shared). */
function cloneValue(v: Value): Value {
  if (typeof v === 'string') return v;
  if (!v.clone) throw new CommandError(`ERR COPY is not supported for ${v.type} values yet`);
  return v.clone();
}

function copy(c: Client, argv: string[]): void {
  const [, src, dst] = argv;
  let target = c.db;
  let replace = false;
  for (let i = 3; i < argv.length; i++) {
    if (is(argv[i], 'replace')) replace = true;
    else if (is(argv[i], 'db') && i + 1 < argv.length) target = dbArg(c, argv[++i]);
    else throw new CommandError(Errors.syntax);
  }
  if (target === c.db && src === dst) throw new CommandError(SAME_OBJECT);
  const v = lookupRead(c, src);
  if (v === undefined) {
    c.reply.int(0);
    return;
  }
  const expire = c.db.getExpire(src);
  if (target.get(dst) !== undefined) {
    if (!replace) {
      c.reply.int(0);
      return;
    }
    target.delete(dst);
  }
  target.set(dst, cloneValue(v));
  if (expire !== undefined) target.setExpire(dst, expire);
  c.server.notify('g', 'copy_to', dst, target);
  c.reply.int(1);
}

function move(c: Client, argv: string[]): void {
  if (c.server.cluster) throw new CommandError('ERR MOVE is not allowed in cluster mode');
  const key = argv[1];
  const target = dbArg(c, argv[2]);
  const src = c.db;
  if (target === src) throw new CommandError(SAME_OBJECT);
  const v = lookupWrite(c, key);
  if (v === undefined || target.get(key) !== undefined) {
    c.reply.int(0);
    return;
  }
  const expire = src.getExpire(key);
  target.set(key, v);
  if (expire !== undefined) target.setExpire(key, expire);
  src.delete(key);
  c.server.notify('g', 'move_from', key, src);
  c.server.notify('g', 'move_to', key, target);
  c.reply.int(1);
}

function swapdb(c: Client, argv: string[]): void {
  if (c.server.cluster) throw new CommandError('ERR SWAPDB is not allowed in cluster mode');
  const parse = (s: string, which: string): number => {
    const n = parseInt64(s);
    if (n === undefined || typeof n === 'bigint' || n > 2147483647 || n < -2147483648) throw new CommandError(`ERR invalid ${which} DB index`);
    return n;
  };
  const a = parse(argv[1], 'first');
  const b = parse(argv[2], 'second');
  const dbs = c.server.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) throw new CommandError(DB_RANGE);
  if (a !== b) {
    dbs[a].swapWith(dbs[b]);
    c.server.touchAllWatched();
  }
  c.reply.ok();
}

// ------------------------------------------------------------------ KEYS, SCAN, RANDOMKEY

function keys(c: Client, argv: string[]): void {
  const pattern = argv[1];
  const all = pattern === '*';
  const db = c.db;
  const now = Date.now();
  const out: string[] = [];
  for (const k of db.dict.keys()) {
    if (!all && !globMatch(pattern, k)) continue;
    const at = db.expires.size > 0 ? db.expires.get(k) : undefined;
    if (at !== undefined && at <= now) continue;
    out.push(k);
  }
  c.reply.bulks(out);
}

/** Parses a SCAN-family cursor ("ERR invalid cursor" otherwise). */
export function cursorArg(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new CommandError('ERR invalid cursor');
  let b = BigInt(s);
  if (b < 0n) b += 1n << 64n; // strtoul wraps negative numbers
  if (b >= 1n << 64n) throw new CommandError('ERR invalid cursor');
  return Number(b);
}

function scan(c: Client, argv: string[]): void {
  const cursor = cursorArg(argv[1]);
  let count = 10;
  let pattern: string | undefined;
  let type: string | undefined;
  for (let i = 2; i < argv.length; i++) {
    const left = argv.length - i - 1;
    if (is(argv[i], 'count') && left >= 1) {
      count = intArg(argv[++i]);
      if (count < 1) throw new CommandError(Errors.syntax);
    } else if (is(argv[i], 'match') && left >= 1) {
      pattern = argv[++i];
      if (pattern === '*') pattern = undefined;
    } else if (is(argv[i], 'type') && left >= 1) {
      type = argv[++i].toLowerCase();
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  let r: { next: number; keys: string[] };
  if (cursor > 0xffffffff) {
    r = { next: 0, keys: [] };
  } else {
    const filter = pattern === undefined && type === undefined ? undefined : (k: string, v: Value) =>
      (pattern === undefined || globMatch(pattern, k)) && (type === undefined || typeName(v) === type);
    r = c.db.scan(cursor, count, filter);
  }
  c.reply.array(2);
  c.reply.bulk(String(r.next));
  c.reply.bulks(r.keys);
}

function randomkey(c: Client): void {
  const db = c.db;
  const sampler = samplersOf(db).all;
  for (let tries = 0; tries < 100 && db.dict.size > 0; tries++) {
    const k = sampler.one(db.dict);
    if (k === undefined) break;
    if (db.expires.size > 0 && db.expireIfNeeded(k)) continue;
    c.reply.bulk(k);
    return;
  }
  c.reply.nil();
}

// ------------------------------------------------------------------ OBJECT

const LFU_NOT_SELECTED = 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LFU_SELECTED = 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

function objectLookup(c: Client, key: string): Value | undefined {
  const v = lookupNoTouch(c, key);
  if (v === undefined) c.reply.nil();
  return v;
}

const objectSubcommands: CommandSpec[] = [
  command('object|encoding', 3, 'readonly', [2, 2, 1], 'keyspace', (c, a) => {
    const v = objectLookup(c, a[2]);
    if (v !== undefined) c.reply.bulk(encodingOf(v));
  }),
  command('object|refcount', 3, 'readonly', [2, 2, 1], 'keyspace', (c, a) => {
    const v = objectLookup(c, a[2]);
    if (v !== undefined) c.reply.int(refcountOf(c, v));
  }),
  command('object|idletime', 3, 'readonly', [2, 2, 1], 'keyspace', (c, a) => {
    const v = peekLive(c.db, a[2]);
    if (v === undefined) {
      c.server.stats.keyspaceMisses++;
      c.reply.nil();
      return;
    }
    c.server.stats.keyspaceHits++;
    if (c.server.config.get('maxmemory-policy').endsWith('-lfu')) throw new CommandError(LFU_SELECTED);
    c.reply.int(evictorOf(c.server)?.idleSeconds(c.db, a[2]) ?? 0);
  }),
  command('object|freq', 3, 'readonly', [2, 2, 1], 'keyspace', (c, a) => {
    const v = peekLive(c.db, a[2]);
    if (v === undefined) {
      c.server.stats.keyspaceMisses++;
      c.reply.nil();
      return;
    }
    c.server.stats.keyspaceHits++;
    if (!c.server.config.get('maxmemory-policy').endsWith('-lfu')) throw new CommandError(LFU_NOT_SELECTED);
    c.reply.int(lfuCounter(c.db.access?.get(a[2]), Date.now()));
  }),
  command('object|help', 2, 'loading stale', [0, 0, 0], 'keyspace', (c) => helpReply(c, [
    'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    'ENCODING <key>',
    '    Return the kind of internal representation used in order to store the value',
    '    associated with a <key>.',
    'FREQ <key>',
    '    Return the access frequency index of the <key>. The returned integer is',
    '    proportional to the logarithm of the recent access frequency of the key.',
    'IDLETIME <key>',
    '    Return the idle time of the <key>, that is the approximated number of',
    '    seconds elapsed since the last access to the key.',
    'REFCOUNT <key>',
    '    Return the number of references of the value associated with the specified',
    '    <key>.',
    'HELP',
    '    Prints this help.',
  ])),
];

// ------------------------------------------------------------------ SORT

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  start: number;
  count: number;
  hasLimit: boolean;
  by: string | undefined;
  dontsort: boolean;
  gets: string[];
  store: string | undefined;
}

function parseSort(argv: string[], readonly: boolean): SortOptions {
  const o: SortOptions = {
    desc: false, alpha: false, start: 0, count: -1, hasLimit: false, by: undefined, dontsort: false, gets: [], store: undefined,
  };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j].toLowerCase();
    if (a === 'asc') {
      o.desc = false;
    } else if (a === 'desc') {
      o.desc = true;
    } else if (a === 'alpha') {
      o.alpha = true;
    } else if (a === 'limit' && left >= 2) {
      o.start = intArg(argv[j + 1]);
      o.count = intArg(argv[j + 2]);
      o.hasLimit = true;
      j += 2;
    } else if (a === 'store' && left >= 1 && !readonly) {
      o.store = argv[++j];
    } else if (a === 'by' && left >= 1) {
      o.by = argv[++j];
      // a BY pattern without '*' means "do not sort" (BY nosort)
      if (!o.by.includes('*')) o.dontsort = true;
    } else if (a === 'get' && left >= 1) {
      o.gets.push(argv[++j]);
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return o;
}

/**
 * Valkey's lookupKeyByPattern: `#` is the element itself; the first `*` is replaced by the element;
 * `key->field` reads a hash field. Undefined when missing or of another type.
 */
function lookupByPattern(c: Client, pattern: string, subst: string, write: boolean): string | undefined {
  if (pattern === '#') return subst;
  const star = pattern.indexOf('*');
  if (star < 0) return undefined;
  const arrow = pattern.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, keyEnd);
  const v = write ? lookupWrite(c, key) : lookupRead(c, key);
  if (v === undefined) return undefined;
  if (hasField) {
    if (typeof v === 'string' || v.type !== 'hash' || !v.getField) return undefined;
    return v.getField(pattern.slice(arrow + 2));
  }
  return typeof v === 'string' ? v : undefined;
}

/** strtod as SORT uses it: leading spaces, decimal/exponent/hex/inf forms, nothing after; NaN rejected. */
function sortScore(s: string): number | undefined {
  const t = s.replace(/^[ \t\n\v\f\r]+/, '');
  if (t === '') return s === '' ? 0 : undefined;
  let v: number;
  if (/^[+-]?(inf|infinity)$/i.test(t)) v = t.startsWith('-') ? -Infinity : Infinity;
  else if (/^[+-]?0x[0-9a-f]+$/i.test(t)) v = (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]?0x/i, ''), 16);
  else if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) v = Number(t);
  else return undefined;
  if (Number.isNaN(v) || !Number.isFinite(v) && !/inf/i.test(t)) return undefined; // ERANGE
  return v;
}

/** Binary comparison of latin1 strings (memcmp, then length). */
function cmpBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface SortItem {
  ele: string;
  score: number;
  cmp: string | undefined;
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const o = parseSort(argv, readonly);
  const key = argv[1];
  const sv = o.store !== undefined ? lookupWrite(c, key) : lookupRead(c, key);
  if (sv !== undefined && (typeof sv === 'string' || (sv.type !== 'list' && sv.type !== 'set' && sv.type !== 'zset'))) {
    throw new CommandError(Errors.wrongType);
  }
  let elements: string[] = sv === undefined ? [] : sortItems(sv);
  let dontsort = o.dontsort;
  let by = o.by;
  let alpha = o.alpha;
  // An unsorted set's order is arbitrary: when storing, sort it so the result is deterministic.
  if (dontsort && sv !== undefined && sv.type === 'set' && o.store !== undefined) {
    dontsort = false;
    alpha = true;
    by = undefined;
  }
  if (dontsort) by = undefined;
  const len = elements.length;
  let start = o.start < 0 ? 0 : o.start;
  let end = o.count < 0 ? len - 1 : start + o.count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  if (dontsort && sv !== undefined && sv.type === 'zset' && o.desc) elements = elements.slice().reverse();
  let out: string[];
  if (!dontsort) {
    const vec: SortItem[] = new Array(len);
    let convError = false;
    for (let j = 0; j < len; j++) {
      const ele = elements[j];
      const item: SortItem = { ele, score: 0, cmp: undefined };
      vec[j] = item;
      let byval: string | undefined = ele;
      if (by !== undefined) {
        byval = lookupByPattern(c, by, ele, o.store !== undefined);
        if (byval === undefined) continue;
      }
      if (alpha) {
        if (by !== undefined) item.cmp = byval;
      } else {
        const s = sortScore(byval);
        if (s === undefined) convError = true;
        else item.score = s;
      }
    }
    if (convError) throw new CommandError("ERR One or more scores can't be converted into double");
    const sign = o.desc ? -1 : 1;
    const byPattern = by !== undefined;
    vec.sort((x, y) => {
      let r: number;
      if (!alpha) {
        r = x.score > y.score ? 1 : x.score < y.score ? -1 : cmpBytes(x.ele, y.ele);
      } else if (byPattern) {
        if (x.cmp === undefined || y.cmp === undefined) r = x.cmp === y.cmp ? 0 : x.cmp === undefined ? -1 : 1;
        else r = cmpBytes(x.cmp, y.cmp);
      } else {
        r = cmpBytes(x.ele, y.ele);
      }
      return r * sign;
    });
    out = vec.map((v) => v.ele);
  } else {
    out = elements;
  }
  const results: Array<string | null> = [];
  for (let j = start; j <= end; j++) {
    if (o.gets.length === 0) {
      results.push(out[j]);
      continue;
    }
    for (const g of o.gets) results.push(lookupByPattern(c, g, out[j], o.store !== undefined) ?? null);
  }
  if (o.store === undefined) {
    c.reply.bulks(results);
    return;
  }
  const db = c.db;
  if (results.length > 0) {
    if (!listFactory) throw new CommandError('ERR SORT STORE needs the list type, which is not registered');
    db.set(o.store, listFactory(results.map((r) => r ?? '')));
    c.server.notify('g', 'sortstore', o.store, db);
  } else if (db.delete(o.store)) {
    c.server.notify('g', 'del', o.store, db);
  }
  c.reply.int(results.length);
}

/** The elements SORT reads from a list, set or sorted set. */
function sortItems(v: DataObject): string[] {
  if (!v.items) throw new CommandError(`ERR SORT is not supported for ${v.type} values yet`);
  return v.items();
}

/** SORT's keys: the source, and the STORE destination. */
function sortKeys(argv: readonly string[]): number[] {
  const keysAt = [1];
  for (let j = 2; j < argv.length; j++) {
    const a = argv[j].toLowerCase();
    if (a === 'limit') j += 2;
    else if ((a === 'get' || a === 'by') && j + 1 < argv.length) j++;
    else if (a === 'store' && j + 1 < argv.length) keysAt.push(++j);
  }
  return keysAt;
}

// ------------------------------------------------------------------ WAIT

function wait(c: Client, argv: string[]): void {
  const numreplicas = intArg(argv[1]);
  const t = parseInt64(argv[2]);
  if (t === undefined) throw new CommandError('ERR timeout is not an integer or out of range');
  const timeout = Number(t);
  if (timeout < 0) throw new CommandError('ERR timeout is negative');
  // No replicas: every acknowledged count is 0.
  if (numreplicas <= 0 || c.multi) {
    c.reply.int(0);
    return;
  }
  c.server.block(c, {
    keys: [],
    db: c.db,
    deadline: timeout > 0 ? Date.now() + timeout : 0,
    tryServe: () => false,
    onTimeout: () => c.reply.int(0),
  });
}

// ------------------------------------------------------------------ table

export const keyCommands: CommandSpec[] = [
  command('del', -2, 'write', [1, -1, 1], 'keyspace', del),
  command('unlink', -2, 'write fast', [1, -1, 1], 'keyspace', del),
  command('exists', -2, 'readonly fast', [1, -1, 1], 'keyspace', exists),
  command('touch', -2, 'readonly fast', [1, -1, 1], 'keyspace', touch),
  command('type', 2, 'readonly fast', [1, 1, 1], 'keyspace', (c, a) => {
    const v = lookupNoTouch(c, a[1]);
    c.reply.simple(v === undefined ? 'none' : typeName(v));
  }),
  command('expire', -3, 'write fast', [1, 1, 1], 'keyspace', (c, a) => expireGeneric(c, a, 1000, true)),
  command('pexpire', -3, 'write fast', [1, 1, 1], 'keyspace', (c, a) => expireGeneric(c, a, 1, true)),
  command('expireat', -3, 'write fast', [1, 1, 1], 'keyspace', (c, a) => expireGeneric(c, a, 1000, false)),
  command('pexpireat', -3, 'write fast', [1, 1, 1], 'keyspace', (c, a) => expireGeneric(c, a, 1, false)),
  command('ttl', 2, 'readonly fast', [1, 1, 1], 'keyspace', (c, a) => ttlGeneric(c, a[1], false, false)),
  command('pttl', 2, 'readonly fast', [1, 1, 1], 'keyspace', (c, a) => ttlGeneric(c, a[1], true, false)),
  command('expiretime', 2, 'readonly fast', [1, 1, 1], 'keyspace', (c, a) => ttlGeneric(c, a[1], false, true)),
  command('pexpiretime', 2, 'readonly fast', [1, 1, 1], 'keyspace', (c, a) => ttlGeneric(c, a[1], true, true)),
  command('persist', 2, 'write fast', [1, 1, 1], 'keyspace', persist),
  command('rename', 3, 'write', [1, 2, 1], 'keyspace', (c, a) => rename(c, a, false)),
  command('renamenx', 3, 'write fast', [1, 2, 1], 'keyspace', (c, a) => rename(c, a, true)),
  command('copy', -3, 'write denyoom', [1, 2, 1], 'keyspace', copy),
  command('move', 3, 'write fast', [1, 1, 1], 'keyspace', move),
  command('swapdb', 3, 'write fast', [0, 0, 0], 'keyspace dangerous', swapdb),
  command('keys', 2, 'readonly', [0, 0, 0], 'keyspace dangerous', keys),
  command('scan', -2, 'readonly', [0, 0, 0], 'keyspace', scan),
  command('randomkey', 1, 'readonly', [0, 0, 0], 'keyspace', randomkey),
  command('object', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'object'));
  }, { subcommands: objectSubcommands }),
  command('sort', -2, 'write denyoom movablekeys', [1, 1, 1], 'set sortedset list dangerous', (c, a) => sortGeneric(c, a, false), { getKeys: sortKeys }),
  command('sort_ro', -2, 'readonly movablekeys', [1, 1, 1], 'set sortedset list dangerous', (c, a) => sortGeneric(c, a, true)),
  command('wait', 3, 'noscript', [0, 0, 0], 'connection', wait),
];
