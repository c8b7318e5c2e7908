import type { Client } from '../client';
import { scanByHash } from '../db';
import { memory } from '../memory';
import { intArg, is } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { readObject, writeObject } from './keyspace';
import { matches, rangeCountArg, scanCursorArg, scanOptions } from './scan-args';
import { bindLimits } from '../types/limits';
import { SetObject } from '../types/set';

function sadd(c: Client, argv: string[]): void {
  bindLimits(c.server.config);
  const key = argv[1];
  let s = writeObject<SetObject>(c, key, 'set');
  const created = s === undefined;
  if (!s) s = SetObject.create(argv[2], argv.length - 2);
  const before = s.bytes;
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (s.add(argv[i])) added++;
  if (created) {
    c.db.set(key, s);
  } else if (added > 0) {
    memory.dataset += s.bytes - before;
    c.db.touch(key);
  }
  if (added > 0) c.server.notify('s', 'sadd', key, c.db);
  c.reply.int(added);
}

/** After members were removed from `s` (its bytes were `before`): accounts, deletes it when empty. */
function afterRemove(c: Client, key: string, s: SetObject, before: number): void {
  memory.dataset += s.bytes - before;
  if (s.size === 0) {
    c.db.delete(key);
    c.server.notify('g', 'del', key, c.db);
  } else {
    c.db.touch(key);
  }
}

function srem(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = writeObject<SetObject>(c, key, 'set');
  if (!s) return c.reply.int(0);
  const before = s.bytes;
  let removed = 0;
  for (let i = 2; i < argv.length; i++) {
    if (s.delete(argv[i])) {
      removed++;
      if (s.size === 0) break;
    }
  }
  if (removed > 0) {
    c.server.notify('s', 'srem', key, c.db);
    afterRemove(c, key, s, before);
  }
  c.reply.int(removed);
}

function smove(c: Client, argv: string[]): void {
  bindLimits(c.server.config);
  const [, srcKey, dstKey, m] = argv;
  const src = c.db.get(srcKey);
  const dst = c.db.get(dstKey);
  if (src === undefined) return c.reply.int(0);
  if (typeof src === 'string' || src.type !== 'set' || (dst !== undefined && (typeof dst === 'string' || dst.type !== 'set'))) {
    throw new CommandError(Errors.wrongType);
  }
  const from = src as SetObject;
  if (src === dst) return c.reply.int(from.has(m) ? 1 : 0);
  const before = from.bytes;
  if (!from.delete(m)) return c.reply.int(0);
  c.server.notify('s', 'srem', srcKey, c.db);
  memory.dataset += from.bytes - before;
  if (from.size === 0) {
    c.db.delete(srcKey);
    c.server.notify('g', 'del', srcKey, c.db);
  } else {
    c.db.touch(srcKey);
  }
  let to = dst as SetObject | undefined;
  if (!to) {
    to = SetObject.create(m, 1);
    to.add(m);
    c.db.set(dstKey, to);
    c.server.notify('s', 'sadd', dstKey, c.db);
  } else {
    const b = to.bytes;
    if (to.add(m)) {
      memory.dataset += to.bytes - b;
      c.db.touch(dstKey);
      c.server.notify('s', 'sadd', dstKey, c.db);
    }
  }
  c.reply.int(1);
}

function spop(c: Client, argv: string[]): void {
  if (argv.length > 3) throw new CommandError(Errors.syntax);
  const key = argv[1];
  if (argv.length === 2) {
    const s = writeObject<SetObject>(c, key, 'set');
    if (!s) return c.reply.nil();
    const before = s.bytes;
    const m = s.random();
    s.delete(m);
    c.server.notify('s', 'spop', key, c.db);
    afterRemove(c, key, s, before);
    return c.reply.bulk(m);
  }
  const count = intArg(argv[2], 'ERR value is out of range, must be positive');
  if (count < 0) throw new CommandError('ERR value is out of range, must be positive');
  const s = writeObject<SetObject>(c, key, 'set');
  if (!s || count === 0) return c.reply.set(0);
  c.server.notify('s', 'spop', key, c.db);
  if (count >= s.size) {
    const all = s.items();
    c.reply.set(all.length);
    for (const m of all) c.reply.bulk(m);
    c.db.delete(key);
    c.server.notify('g', 'del', key, c.db);
    return;
  }
  const before = s.bytes;
  c.reply.set(count);
  for (let i = 0; i < count; i++) {
    const m = s.random();
    s.delete(m);
    c.reply.bulk(m);
  }
  afterRemove(c, key, s, before);
}

function srandmember(c: Client, argv: string[]): void {
  if (argv.length > 3) throw new CommandError(Errors.syntax);
  if (argv.length === 2) {
    const s = readObject<SetObject>(c, argv[1], 'set');
    return c.reply.bulk(s ? s.random() : null);
  }
  const l = rangeCountArg(argv[2]);
  const s = readObject<SetObject>(c, argv[1], 'set');
  if (!s || l === 0) return c.reply.array(0);
  const count = Math.abs(l);
  if (l < 0 || count === 1) {
    c.reply.array(count);
    for (let i = 0; i < count; i++) c.reply.bulk(s.random());
    return;
  }
  if (count >= s.size) {
    c.reply.bulks(s.items());
    return;
  }
  // distinct members: a partial Fisher-Yates over a copy
  const arr = s.members.slice();
  c.reply.array(count);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (arr.length - i));
    const t = arr[i];
    arr[i] = arr[j];
    arr[j] = t;
    c.reply.bulk(arr[i]);
  }
}

/** Sources of SINTER/SUNION/SDIFF (and their STORE forms): undefined for a missing key; WRONGTYPE checked for all. */
function sources(c: Client, keys: string[], store: boolean): Array<SetObject | undefined> {
  const out: Array<SetObject | undefined> = [];
  for (const k of keys) out.push(store ? writeObject<SetObject>(c, k, 'set') : readObject<SetObject>(c, k, 'set'));
  return out;
}

/** The intersection's members, stopping at `limit` (0: no limit). */
function intersect(sets: Array<SetObject | undefined>, limit: number): string[] {
  const out: string[] = [];
  if (sets.some((s) => s === undefined)) return out;
  const sorted = (sets as SetObject[]).slice().sort((a, b) => a.size - b.size);
  const [first, ...rest] = sorted;
  for (const m of first.members) {
    let all = true;
    for (const s of rest) {
      if (!s.has(m)) {
        all = false;
        break;
      }
    }
    if (all) {
      out.push(m);
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

function unionOrDiff(sets: Array<SetObject | undefined>, diff: boolean): string[] {
  if (!diff) {
    const seen = new Set<string>();
    for (const s of sets) if (s) for (const m of s.members) seen.add(m);
    return [...seen];
  }
  const [first, ...rest] = sets;
  if (!first) return [];
  const out: string[] = [];
  for (const m of first.members) if (!rest.some((s) => s !== undefined && s.has(m))) out.push(m);
  return out;
}

const INTER = 0;
const UNION = 1;
const DIFF = 2;
const STORE_EVENTS = ['sinterstore', 'sunionstore', 'sdiffstore'];

function setOp(c: Client, argv: string[], op: number, store: boolean): void {
  const keys = argv.slice(store ? 2 : 1);
  const sets = sources(c, keys, store);
  const result = op === INTER ? intersect(sets, 0) : unionOrDiff(sets, op === DIFF);
  if (!store) {
    c.reply.set(result.length);
    for (const m of result) c.reply.bulk(m);
    return;
  }
  bindLimits(c.server.config);
  const dst = argv[1];
  if (result.length === 0) {
    if (c.db.delete(dst)) c.server.notify('g', 'del', dst, c.db);
    return c.reply.int(0);
  }
  c.db.set(dst, SetObject.from(result));
  c.server.notify('s', STORE_EVENTS[op], dst, c.db);
  c.reply.int(result.length);
}

function sintercard(c: Client, argv: string[]): void {
  const numkeys = intArg(argv[1], 'ERR numkeys should be greater than 0');
  if (numkeys < 1) throw new CommandError('ERR numkeys should be greater than 0');
  if (numkeys > argv.length - 2) throw new CommandError("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (is(argv[j], 'limit') && j + 1 < argv.length) {
      limit = intArg(argv[++j], "ERR LIMIT can't be negative");
      if (limit < 0) throw new CommandError("ERR LIMIT can't be negative");
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const sets = sources(c, argv.slice(2, 2 + numkeys), false);
  c.reply.int(intersect(sets, limit).length);
}

function sscan(c: Client, argv: string[]): void {
  const cursor = scanCursorArg(argv[2]);
  const s = readObject<SetObject>(c, argv[1], 'set');
  if (!s) {
    c.reply.array(2);
    c.reply.bulk('0');
    return c.reply.array(0);
  }
  const opts = scanOptions(argv, 3);
  let out: string[];
  let next = 0;
  if (s.isCompact) {
    out = s.items().filter((m) => matches(opts.pattern, m));
  } else {
    const r = scanByHash(s.members, cursor, opts.count, (m) => matches(opts.pattern, m));
    out = r.keys;
    next = r.next;
  }
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulks(out);
}

function sintercardKeys(argv: readonly string[]): number[] {
  // as Valkey's keynum key spec: a numkeys past the arguments (or not a count) gives no keys at all
  const n = Number(argv[1]);
  const out: number[] = [];
  if (!Number.isInteger(n) || n < 0 || 1 + n >= argv.length) return out;
  for (let i = 0; i < n; i++) out.push(2 + i);
  return out;
}

/** Set commands. */
export const setCommands: CommandSpec[] = [
  command('sadd', -3, 'write denyoom fast', [1, 1, 1], 'set', sadd),
  command('srem', -3, 'write fast', [1, 1, 1], 'set', srem),
  command('smembers', 2, 'readonly', [1, 1, 1], 'set', (c, a) => {
    const s = readObject<SetObject>(c, a[1], 'set');
    if (!s) return c.reply.set(0);
    const items = s.items();
    c.reply.set(items.length);
    for (const m of items) c.reply.bulk(m);
  }),
  command('sismember', 3, 'readonly fast', [1, 1, 1], 'set', (c, a) => {
    const s = readObject<SetObject>(c, a[1], 'set');
    c.reply.int(s && s.has(a[2]) ? 1 : 0);
  }),
  command('smismember', -3, 'readonly fast', [1, 1, 1], 'set', (c, a) => {
    const s = readObject<SetObject>(c, a[1], 'set');
    c.reply.array(a.length - 2);
    for (let i = 2; i < a.length; i++) c.reply.int(s && s.has(a[i]) ? 1 : 0);
  }),
  command('scard', 2, 'readonly fast', [1, 1, 1], 'set', (c, a) => {
    const s = readObject<SetObject>(c, a[1], 'set');
    c.reply.int(s ? s.size : 0);
  }),
  command('spop', -2, 'write fast', [1, 1, 1], 'set', spop),
  command('srandmember', -2, 'readonly', [1, 1, 1], 'set', srandmember),
  command('smove', 4, 'write fast', [1, 2, 1], 'set', smove),
  command('sinter', -2, 'readonly', [1, -1, 1], 'set', (c, a) => setOp(c, a, INTER, false)),
  command('sintercard', -3, 'readonly movablekeys', [0, 0, 0], 'set', sintercard, { getKeys: sintercardKeys }),
  command('sinterstore', -3, 'write denyoom', [1, -1, 1], 'set', (c, a) => setOp(c, a, INTER, true)),
  command('sunion', -2, 'readonly', [1, -1, 1], 'set', (c, a) => setOp(c, a, UNION, false)),
  command('sunionstore', -3, 'write denyoom', [1, -1, 1], 'set', (c, a) => setOp(c, a, UNION, true)),
  command('sdiff', -2, 'readonly', [1, -1, 1], 'set', (c, a) => setOp(c, a, DIFF, false)),
  command('sdiffstore', -3, 'write denyoom', [1, -1, 1], 'set', (c, a) => setOp(c, a, DIFF, true)),
  command('sscan', -3, 'readonly', [1, 1, 1], 'set', sscan),
];
