import type { Client } from '../client';
import type { Db } from '../db';
import { memory } from '../memory';
import { INT64_MIN, int64Arg, intArg, is, parseDouble } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { readObject, writeObject } from './keyspace';
import { bindLimits } from '../types/limits';
import { ListObject } from '../types/list';

/** Marks RANK -9223372036854775808 (distinct from -9223372036854775807, which a double cannot tell apart). */
const LONG_MIN = -Infinity;

/** Whether a client may block now: not inside MULTI/EXEC, not from a script or an internal client. */
export function mayBlock(c: Client): boolean {
  return c.multi === undefined && !c.denyBlocking && c.socket !== undefined;
}

/**
 * A blocking command's timeout in seconds (float) → an absolute deadline in ms, 0 for none, with
 * Valkey's errors (the value is rounded up to whole ms; what does not fit a 64-bit integer counts as negative).
 */
export function timeoutArg(s: string): number {
  const v = parseDouble(s);
  if (v === undefined) throw new CommandError('ERR timeout is not a float or out of range');
  const ms = Math.ceil(v * 1000);
  if (!(ms < 9223372036854775807) || ms < 0) throw new CommandError('ERR timeout is negative');
  return ms > 0 ? Date.now() + ms : 0;
}

function side(s: string): boolean {
  if (is(s, 'left')) return true;
  if (is(s, 'right')) return false;
  throw new CommandError(Errors.syntax);
}

/** Stores a new list or accounts an in-place change (memory.dataset follows the object's bytes). */
function commit(db: Db, key: string, l: ListObject, created: boolean, before: number): void {
  if (created) {
    db.set(key, l);
  } else {
    memory.dataset += l.bytes - before;
    db.touch(key);
  }
}

/** After elements were removed: deletes the key when empty (with `del`), else signals the change. */
function afterRemove(c: Client, db: Db, key: string, l: ListObject, before: number): void {
  if (l.length === 0) {
    memory.dataset += l.bytes - before;
    db.delete(key);
    c.server.notify('g', 'del', key, db);
  } else {
    l.shrinkCheck();
    memory.dataset += l.bytes - before;
    db.touch(key);
  }
}

function push(c: Client, argv: string[], left: boolean, onlyExisting: boolean): void {
  bindLimits(c.server.config);
  const key = argv[1];
  let l = writeObject<ListObject>(c, key, 'list');
  const created = l === undefined;
  if (!l) {
    if (onlyExisting) return c.reply.int(0);
    l = new ListObject();
  }
  const before = l.bytes;
  let add = 0;
  for (let i = 2; i < argv.length; i++) add += argv[i].length;
  l.growCheck(add, argv.length - 2);
  if (left) for (let i = 2; i < argv.length; i++) l.pushLeft(argv[i]);
  else for (let i = 2; i < argv.length; i++) l.pushRight(argv[i]);
  commit(c.db, key, l, created, before);
  c.server.notify('l', left ? 'lpush' : 'rpush', key, c.db);
  c.reply.int(l.length);
}

function countArg(s: string, msg: string): number {
  const n = intArg(s, `ERR ${msg}`);
  if (n < 0) throw new CommandError(`ERR ${msg}`);
  return n;
}

function pop(c: Client, argv: string[], left: boolean): void {
  if (argv.length > 3) throw new CommandError(Errors.arity(argv[0].toLowerCase()));
  const hasCount = argv.length === 3;
  const count = hasCount ? countArg(argv[2], 'value is out of range, must be positive') : 1;
  const key = argv[1];
  const l = writeObject<ListObject>(c, key, 'list');
  if (!l) return hasCount ? c.reply.nilArray() : c.reply.nil();
  if (hasCount && count === 0) return c.reply.array(0);
  const before = l.bytes;
  if (!hasCount) {
    c.reply.bulk(left ? l.popLeft() : l.popRight());
  } else {
    const n = Math.min(count, l.length);
    c.reply.array(n);
    for (let i = 0; i < n; i++) c.reply.bulk(left ? l.popLeft() : l.popRight());
  }
  c.server.notify('l', left ? 'lpop' : 'rpop', key, c.db);
  afterRemove(c, c.db, key, l, before);
}

/** Pops up to `count` elements and answers [key, [elements]] (LMPOP / BLMPOP). */
function popRangeWithKey(c: Client, db: Db, key: string, l: ListObject, left: boolean, count: number): void {
  const before = l.bytes;
  const n = Math.min(count, l.length);
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.array(n);
  for (let i = 0; i < n; i++) c.reply.bulk(left ? l.popLeft() : l.popRight());
  c.server.notify('l', left ? 'lpop' : 'rpop', key, db);
  afterRemove(c, db, key, l, before);
}

/** Pops one element and answers [key, element] (BLPOP / BRPOP). */
function popOneWithKey(c: Client, db: Db, key: string, l: ListObject, left: boolean): void {
  const before = l.bytes;
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.bulk(left ? l.popLeft() : l.popRight());
  c.server.notify('l', left ? 'lpop' : 'rpop', key, db);
  afterRemove(c, db, key, l, before);
}

/** A non-empty list of `db` to serve a blocked client from (other types are skipped, as in Redis 7.0). */
function servableList(db: Db, key: string): ListObject | undefined {
  const v = db.get(key);
  if (v === undefined || typeof v === 'string' || v.type !== 'list') return undefined;
  return (v as ListObject).length > 0 ? (v as ListObject) : undefined;
}

/**
 * LMOVE's core: pops from `src`, pushes to `dst` (created if missing), answers the element.
 * Notifications and order as Valkey: push event on dst, pop event on src, then `del` if emptied.
 */
function moveElement(
  c: Client, db: Db, srcKey: string, src: ListObject, dstKey: string, dst: ListObject | undefined, from: boolean, to: boolean,
): void {
  bindLimits(c.server.config);
  const srcBefore = src.bytes;
  const v = from ? src.popLeft()! : src.popRight()!;
  memory.dataset += src.bytes - srcBefore;
  const created = dst === undefined;
  const target = dst ?? new ListObject();
  const dstBefore = target.bytes;
  target.growCheck(v.length, 1);
  if (to) target.pushLeft(v);
  else target.pushRight(v);
  commit(db, dstKey, target, created, dstBefore);
  c.server.notify('l', to ? 'lpush' : 'rpush', dstKey, db);
  c.reply.bulk(v);
  c.server.notify('l', from ? 'lpop' : 'rpop', srcKey, db);
  afterRemove(c, db, srcKey, src, src.bytes);
}

function lmove(c: Client, srcKey: string, dstKey: string, from: boolean, to: boolean): void {
  const src = writeObject<ListObject>(c, srcKey, 'list');
  if (!src || src.length === 0) return c.reply.nil();
  const dst = writeObject<ListObject>(c, dstKey, 'list');
  moveElement(c, c.db, srcKey, src, dstKey, dst, from, to);
}

interface MpopArgs {
  keys: string[];
  left: boolean;
  count: number;
}

/** LMPOP/BLMPOP arguments: numkeys at `at`, the keys, LEFT|RIGHT, [COUNT n]. */
function mpopArgs(argv: string[], at: number): MpopArgs {
  const numkeys = intArg(argv[at], 'ERR numkeys should be greater than 0');
  if (numkeys < 1) throw new CommandError('ERR numkeys should be greater than 0');
  const whereIdx = at + numkeys + 1;
  if (whereIdx >= argv.length) throw new CommandError(Errors.syntax);
  const left = side(argv[whereIdx]);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && is(argv[j], 'count') && j + 1 < argv.length) {
      count = intArg(argv[++j], 'ERR count should be greater than 0');
      if (count < 1) throw new CommandError('ERR count should be greater than 0');
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return { keys: argv.slice(at + 1, whereIdx), left, count: count === -1 ? 1 : count };
}

function lmpop(c: Client, argv: string[]): void {
  const a = mpopArgs(argv, 1);
  for (const key of a.keys) {
    const l = writeObject<ListObject>(c, key, 'list');
    if (!l || l.length === 0) continue;
    return popRangeWithKey(c, c.db, key, l, a.left, a.count);
  }
  c.reply.nilArray();
}

/**
 * BLPOP / BRPOP / BLMPOP: pops from the first non-empty list, else blocks (FIFO among the
 * clients blocked on a key) until a push serves it or the timeout answers a null array.
 */
function blockingPop(c: Client, keys: string[], left: boolean, count: number, deadline: number): void {
  for (const key of keys) {
    const l = writeObject<ListObject>(c, key, 'list');
    if (!l || l.length === 0) continue;
    if (count === -1) popOneWithKey(c, c.db, key, l, left);
    else popRangeWithKey(c, c.db, key, l, left, count);
    return;
  }
  if (!mayBlock(c)) return c.reply.nilArray();
  const db = c.db;
  c.server.block(c, {
    keys,
    db,
    deadline,
    tryServe: () => {
      for (const key of keys) {
        const l = servableList(db, key);
        if (!l) continue;
        if (count === -1) popOneWithKey(c, db, key, l, left);
        else popRangeWithKey(c, db, key, l, left, count);
        return true;
      }
      return false;
    },
    onTimeout: () => c.reply.nilArray(),
  });
}

function blmove(c: Client, srcKey: string, dstKey: string, from: boolean, to: boolean, deadline: number): void {
  const src = writeObject<ListObject>(c, srcKey, 'list');
  if (src && src.length > 0) return lmove(c, srcKey, dstKey, from, to);
  if (!mayBlock(c)) return c.reply.nil();
  const db = c.db;
  c.server.block(c, {
    keys: [srcKey],
    db,
    deadline,
    tryServe: () => {
      const l = servableList(db, srcKey);
      if (!l) return false;
      const d = db.get(dstKey);
      if (d !== undefined && (typeof d === 'string' || d.type !== 'list')) {
        c.reply.error(Errors.wrongType);
        return true;
      }
      moveElement(c, db, srcKey, l, dstKey, d as ListObject | undefined, from, to);
      return true;
    },
    onTimeout: () => c.reply.nilArray(),
  });
}

function lrange(c: Client, argv: string[]): void {
  let start = intArg(argv[2]);
  let end = intArg(argv[3]);
  const l = readObject<ListObject>(c, argv[1], 'list');
  if (!l) return c.reply.array(0);
  const len = l.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return c.reply.array(0);
  if (end >= len) end = len - 1;
  c.reply.array(end - start + 1);
  for (let i = start; i <= end; i++) c.reply.bulk(l.at(i));
}

function ltrim(c: Client, argv: string[]): void {
  let start = intArg(argv[2]);
  let end = intArg(argv[3]);
  const key = argv[1];
  const l = writeObject<ListObject>(c, key, 'list');
  if (!l) return c.reply.ok();
  const len = l.length;
  const before = l.bytes;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end >= len) end = len - 1;
  l.trim(start, end);
  c.server.notify('l', 'ltrim', key, c.db);
  afterRemove(c, c.db, key, l, before);
  c.reply.ok();
}

function lrem(c: Client, argv: string[]): void {
  const count = intArg(argv[2]);
  const key = argv[1];
  const elem = argv[3];
  const l = writeObject<ListObject>(c, key, 'list');
  if (!l) return c.reply.int(0);
  const before = l.bytes;
  const len = l.length;
  let removed: number;
  if (count >= 0) {
    let left = count === 0 ? Infinity : count;
    removed = l.filter((v) => {
      if (left > 0 && v === elem) {
        left--;
        return false;
      }
      return true;
    });
  } else {
    // from the tail: find which indexes go first, then filter
    const drop = new Set<number>();
    for (let i = len - 1; i >= 0 && drop.size < -count; i--) if (l.at(i) === elem) drop.add(i);
    removed = drop.size > 0 ? l.filter((_v, i) => !drop.has(i)) : 0;
  }
  if (removed > 0) {
    c.server.notify('l', 'lrem', key, c.db);
    afterRemove(c, c.db, key, l, before);
  }
  c.reply.int(removed);
}

function linsert(c: Client, argv: string[]): void {
  bindLimits(c.server.config);
  let after: boolean;
  if (is(argv[2], 'after')) after = true;
  else if (is(argv[2], 'before')) after = false;
  else throw new CommandError(Errors.syntax);
  const key = argv[1];
  const l = writeObject<ListObject>(c, key, 'list');
  if (!l) return c.reply.int(0);
  const pivot = argv[3];
  const len = l.length;
  let i = 0;
  while (i < len && l.at(i) !== pivot) i++;
  if (i === len) return c.reply.int(-1);
  const before = l.bytes;
  l.growCheck(argv[4].length, 1);
  l.insertAt(after ? i + 1 : i, argv[4]);
  memory.dataset += l.bytes - before;
  c.db.touch(key);
  c.server.notify('l', 'linsert', key, c.db);
  c.reply.int(l.length);
}

function lpos(c: Client, argv: string[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = j + 1 < argv.length;
    if (opt === 'rank' && more) {
      const r = int64Arg(argv[++j]);
      rank = r === INT64_MIN ? LONG_MIN : Number(r);
      if (rank === 0) throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
    } else if (opt === 'count' && more) {
      count = countArg(argv[++j], "COUNT can't be negative");
    } else if (opt === 'maxlen' && more) {
      maxlen = countArg(argv[++j], "MAXLEN can't be negative");
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  let fromTail = false;
  if (rank < 0) {
    fromTail = true;
    rank = rank === LONG_MIN ? 1 : -rank; // Valkey's -LONG_MIN overflow matches from the first hit
  }
  const l = readObject<ListObject>(c, argv[1], 'list');
  if (!l) return count !== -1 ? c.reply.array(0) : c.reply.nil();
  const elem = argv[2];
  const len = l.length;
  const found: number[] = [];
  let matches = 0;
  for (let index = 0; index < len && (maxlen === 0 || index < maxlen); index++) {
    const pos = fromTail ? len - index - 1 : index;
    if (l.at(pos) !== elem) continue;
    matches++;
    if (matches < rank) continue;
    found.push(pos);
    if (count === -1 || (count > 0 && matches - rank + 1 >= count)) break;
  }
  if (count !== -1) {
    c.reply.array(found.length);
    for (const p of found) c.reply.int(p);
  } else if (found.length > 0) {
    c.reply.int(found[0]);
  } else {
    c.reply.nil();
  }
}

function lindex(c: Client, argv: string[]): void {
  const l = readObject<ListObject>(c, argv[1], 'list');
  if (!l) return c.reply.nil();
  let i = intArg(argv[2]);
  if (i < 0) i += l.length;
  c.reply.bulk(i >= 0 && i < l.length ? l.at(i) : null);
}

function lset(c: Client, argv: string[]): void {
  bindLimits(c.server.config);
  const key = argv[1];
  const l = writeObject<ListObject>(c, key, 'list');
  if (!l) throw new CommandError(Errors.noSuchKey);
  let i = intArg(argv[2]);
  const v = argv[3];
  l.growCheck(v.length, 0);
  if (i < 0) i += l.length;
  if (i < 0 || i >= l.length) throw new CommandError(Errors.outOfRange);
  const before = l.bytes;
  l.setAt(i, v);
  l.shrinkCheck();
  memory.dataset += l.bytes - before;
  c.db.touch(key);
  c.server.notify('l', 'lset', key, c.db);
  c.reply.ok();
}

function llen(c: Client, argv: string[]): void {
  const l = readObject<ListObject>(c, argv[1], 'list');
  c.reply.int(l ? l.length : 0);
}

function mpopKeys(at: number): (argv: readonly string[]) => number[] {
  return (argv) => {
    // as Valkey's keynum key spec: a numkeys past the arguments (or not a count) gives no keys at all
    const n = Number(argv[at]);
    const out: number[] = [];
    if (!Number.isInteger(n) || n < 0 || at + n >= argv.length) return out;
    for (let i = 0; i < n; i++) out.push(at + 1 + i);
    return out;
  };
}

/** List commands, blocking ones included. */
export const listCommands: CommandSpec[] = [
  command('lpush', -3, 'write denyoom fast', [1, 1, 1], 'list', (c, a) => push(c, a, true, false)),
  command('rpush', -3, 'write denyoom fast', [1, 1, 1], 'list', (c, a) => push(c, a, false, false)),
  command('lpushx', -3, 'write denyoom fast', [1, 1, 1], 'list', (c, a) => push(c, a, true, true)),
  command('rpushx', -3, 'write denyoom fast', [1, 1, 1], 'list', (c, a) => push(c, a, false, true)),
  command('lpop', -2, 'write fast', [1, 1, 1], 'list', (c, a) => pop(c, a, true)),
  command('rpop', -2, 'write fast', [1, 1, 1], 'list', (c, a) => pop(c, a, false)),
  command('llen', 2, 'readonly fast', [1, 1, 1], 'list', llen),
  command('lindex', 3, 'readonly', [1, 1, 1], 'list', lindex),
  command('lset', 4, 'write denyoom', [1, 1, 1], 'list', lset),
  command('lrange', 4, 'readonly', [1, 1, 1], 'list', lrange),
  command('ltrim', 4, 'write', [1, 1, 1], 'list', ltrim),
  command('lrem', 4, 'write', [1, 1, 1], 'list', lrem),
  command('linsert', 5, 'write denyoom', [1, 1, 1], 'list', linsert),
  command('lpos', -3, 'readonly', [1, 1, 1], 'list', lpos),
  command('lmove', 5, 'write denyoom', [1, 2, 1], 'list', (c, a) => {
    const from = side(a[3]);
    const to = side(a[4]);
    lmove(c, a[1], a[2], from, to);
  }),
  command('rpoplpush', 3, 'write denyoom', [1, 2, 1], 'list', (c, a) => lmove(c, a[1], a[2], false, true)),
  command('lmpop', -4, 'write movablekeys', [0, 0, 0], 'list', lmpop, { getKeys: mpopKeys(1) }),
  command('blpop', -3, 'write noscript blocking', [1, -2, 1], 'list', (c, a) => {
    const deadline = timeoutArg(a[a.length - 1]);
    blockingPop(c, a.slice(1, -1), true, -1, deadline);
  }),
  command('brpop', -3, 'write noscript blocking', [1, -2, 1], 'list', (c, a) => {
    const deadline = timeoutArg(a[a.length - 1]);
    blockingPop(c, a.slice(1, -1), false, -1, deadline);
  }),
  command('blmove', 6, 'write denyoom noscript blocking', [1, 2, 1], 'list', (c, a) => {
    const from = side(a[3]);
    const to = side(a[4]);
    blmove(c, a[1], a[2], from, to, timeoutArg(a[5]));
  }),
  command('brpoplpush', 4, 'write denyoom noscript blocking', [1, 2, 1], 'list', (c, a) => blmove(c, a[1], a[2], false, true, timeoutArg(a[3]))),
  command('blmpop', -5, 'write blocking movablekeys', [0, 0, 0], 'list', (c, a) => {
    const m = mpopArgs(a, 2);
    const deadline = timeoutArg(a[1]);
    blockingPop(c, m.keys, m.left, m.count, deadline);
  }, { getKeys: mpopKeys(2) }),
];

