import type { Client } from '../client';
import { scanByHash } from '../db';
import { memory } from '../memory';
import { INT64_MAX, INT64_MIN, int64Arg, is, parseInt64 } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { readObject, writeObject } from './keyspace';
import { addLongDouble, formatLongDoubleHuman, LongDouble, parseLongDouble } from './long-double';
import { matches, rangeCountArg, scanCursorArg, scanOptions } from './scan-args';
import { HashObject } from '../types/hash';
import { bindLimits } from '../types/limits';

const LONG_MAX = 9223372036854775807;

/** The hash at `key` for writing, created (not yet stored) when missing. */
function hashForWrite(c: Client, key: string): { h: HashObject; created: boolean } {
  bindLimits(c.server.config);
  const h = writeObject<HashObject>(c, key, 'hash');
  return h ? { h, created: false } : { h: new HashObject(), created: true };
}

function commit(c: Client, key: string, h: HashObject, created: boolean, before: number): void {
  if (created) {
    c.db.set(key, h);
  } else {
    memory.dataset += h.bytes - before;
    c.db.touch(key);
  }
}

function hset(c: Client, argv: string[], okReply: boolean): void {
  if (argv.length % 2 === 1) throw new CommandError(Errors.arity(okReply ? 'hmset' : 'hset'));
  const key = argv[1];
  const { h, created } = hashForWrite(c, key);
  const before = h.bytes;
  let added = 0;
  for (let i = 2; i < argv.length; i += 2) if (h.set(argv[i], argv[i + 1])) added++;
  commit(c, key, h, created, before);
  c.server.notify('h', 'hset', key, c.db);
  if (okReply) c.reply.ok();
  else c.reply.int(added);
}

function hsetnx(c: Client, argv: string[]): void {
  const key = argv[1];
  const { h, created } = hashForWrite(c, key);
  if (h.get(argv[2]) !== undefined) return c.reply.int(0);
  const before = h.bytes;
  h.set(argv[2], argv[3]);
  commit(c, key, h, created, before);
  c.server.notify('h', 'hset', key, c.db);
  c.reply.int(1);
}

function hdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const h = writeObject<HashObject>(c, key, 'hash');
  if (!h) return c.reply.int(0);
  const before = h.bytes;
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (h.delete(argv[i])) {
      deleted++;
      if (h.size === 0) break;
    }
  }
  if (deleted > 0) {
    memory.dataset += h.bytes - before;
    c.server.notify('h', 'hdel', key, c.db);
    if (h.size === 0) {
      c.db.delete(key);
      c.server.notify('g', 'del', key, c.db);
    } else {
      c.db.touch(key);
    }
  }
  c.reply.int(deleted);
}

function hincrby(c: Client, argv: string[]): void {
  const incr = int64Arg(argv[3]);
  const key = argv[1];
  const { h, created } = hashForWrite(c, key);
  const cur = h.get(argv[2]);
  let n: number | bigint = 0;
  if (cur !== undefined) {
    const p = parseInt64(cur);
    if (p === undefined) throw new CommandError('ERR hash value is not an integer');
    n = p;
  }
  let r: number | bigint;
  if (typeof n === 'number' && typeof incr === 'number' && Number.isSafeInteger(n + incr)) {
    r = n + incr;
  } else {
    const b = BigInt(n) + BigInt(incr);
    if (b > INT64_MAX || b < INT64_MIN) throw new CommandError(Errors.overflow);
    r = Number.isSafeInteger(Number(b)) ? Number(b) : b;
  }
  const before = h.bytes;
  h.set(argv[2], String(r));
  commit(c, key, h, created, before);
  c.server.notify('h', 'hincrby', key, c.db);
  c.reply.int(r);
}

function hincrbyfloat(c: Client, argv: string[]): void {
  const incr = parseLongDouble(argv[3]);
  if (incr === undefined) throw new CommandError(Errors.notFloat);
  if (incr === 'inf') throw new CommandError('ERR value is NaN or Infinity');
  const key = argv[1];
  const { h, created } = hashForWrite(c, key);
  const cur = h.get(argv[2]);
  let n: LongDouble | 'inf' = { neg: false, m: 0n, e: 0 };
  if (cur !== undefined) {
    const p = cur.length > 5000 ? undefined : parseLongDouble(cur);
    if (p === undefined) throw new CommandError('ERR hash value is not a float');
    n = p;
  }
  const r = n === 'inf' ? 'inf' : addLongDouble(n, incr);
  if (r === 'inf') throw new CommandError('ERR increment would produce NaN or Infinity');
  const s = formatLongDoubleHuman(r);
  const before = h.bytes;
  h.set(argv[2], s);
  commit(c, key, h, created, before);
  c.server.notify('h', 'hincrbyfloat', key, c.db);
  c.reply.bulk(s);
}

function hmget(c: Client, argv: string[]): void {
  const h = readObject<HashObject>(c, argv[1], 'hash');
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bulk(h ? h.get(argv[i]) : null);
}

/** HKEYS (1), HVALS (2), HGETALL (3). */
function hgetall(c: Client, argv: string[], what: number): void {
  const h = readObject<HashObject>(c, argv[1], 'hash');
  const size = h ? h.size : 0;
  if (what === 3) c.reply.map(size);
  else c.reply.array(size);
  if (!h) return;
  for (const [f, v] of h.map) {
    if (what & 1) c.reply.bulk(f);
    if (what & 2) c.reply.bulk(v);
  }
}

function randomIndexes(size: number, count: number): number[] {
  // partial Fisher-Yates: `count` distinct indexes out of `size`, sorted for one pass over the map
  const idx = new Array<number>(size);
  for (let i = 0; i < size; i++) idx[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (size - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, count).sort((a, b) => a - b);
}

function hrandfield(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    const h = readObject<HashObject>(c, argv[1], 'hash');
    if (!h) return c.reply.nil();
    const i = Math.floor(Math.random() * h.size);
    let k = 0;
    for (const f of h.map.keys()) if (k++ === i) return c.reply.bulk(f);
    return;
  }
  const l = rangeCountArg(argv[2]);
  let withValues = false;
  if (argv.length > 4 || (argv.length === 4 && !is(argv[3], 'withvalues'))) throw new CommandError(Errors.syntax);
  if (argv.length === 4) {
    withValues = true;
    if (l < -LONG_MAX / 2 || l > LONG_MAX / 2) throw new CommandError('ERR value is out of range');
  }
  const h = readObject<HashObject>(c, argv[1], 'hash');
  if (!h) return c.reply.array(0);
  const uniq = l >= 0;
  const count = Math.abs(l);
  if (count === 0) return c.reply.array(0);
  const pair = (f: string, v: string): void => {
    if (withValues && c.reply.resp === 3) c.reply.array(2);
    c.reply.bulk(f);
    if (withValues) c.reply.bulk(v);
  };
  const header = (n: number): void => c.reply.array(withValues && c.reply.resp === 2 ? n * 2 : n);
  if (!uniq || count === 1) {
    const entries = [...h.map];
    header(count);
    for (let i = 0; i < count; i++) {
      const e = entries[Math.floor(Math.random() * entries.length)];
      pair(e[0], e[1]);
    }
    return;
  }
  if (count >= h.size) {
    header(h.size);
    for (const [f, v] of h.map) pair(f, v);
    return;
  }
  const want = randomIndexes(h.size, count);
  const picked: Array<[string, string]> = [];
  let i = 0;
  let w = 0;
  for (const e of h.map) {
    if (w < want.length && want[w] === i) {
      picked.push(e);
      w++;
    }
    i++;
  }
  // the order of the reply is random too
  for (let k = picked.length - 1; k > 0; k--) {
    const j = Math.floor(Math.random() * (k + 1));
    const t = picked[k];
    picked[k] = picked[j];
    picked[j] = t;
  }
  header(count);
  for (const [f, v] of picked) pair(f, v);
}

function hscan(c: Client, argv: string[]): void {
  const cursor = scanCursorArg(argv[2]);
  const h = readObject<HashObject>(c, argv[1], 'hash');
  if (!h) {
    c.reply.array(2);
    c.reply.bulk('0');
    return c.reply.array(0);
  }
  const opts = scanOptions(argv, 3);
  let fields: string[];
  let next = 0;
  if (h.isListpack) {
    fields = [];
    for (const f of h.map.keys()) if (matches(opts.pattern, f)) fields.push(f);
  } else {
    const r = scanByHash(h.map.keys(), cursor, opts.count, (f) => matches(opts.pattern, f));
    fields = r.keys;
    next = r.next;
  }
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(fields.length * 2);
  for (const f of fields) {
    c.reply.bulk(f);
    c.reply.bulk(h.get(f));
  }
}

/** Hash commands. */
export const hashCommands: CommandSpec[] = [
  command('hset', -4, 'write denyoom fast', [1, 1, 1], 'hash', (c, a) => hset(c, a, false)),
  command('hmset', -4, 'write denyoom fast', [1, 1, 1], 'hash', (c, a) => hset(c, a, true)),
  command('hsetnx', 4, 'write denyoom fast', [1, 1, 1], 'hash', hsetnx),
  command('hget', 3, 'readonly fast', [1, 1, 1], 'hash', (c, a) => {
    const h = readObject<HashObject>(c, a[1], 'hash');
    c.reply.bulk(h ? h.get(a[2]) : null);
  }),
  command('hmget', -3, 'readonly fast', [1, 1, 1], 'hash', hmget),
  command('hdel', -3, 'write fast', [1, 1, 1], 'hash', hdel),
  command('hlen', 2, 'readonly fast', [1, 1, 1], 'hash', (c, a) => {
    const h = readObject<HashObject>(c, a[1], 'hash');
    c.reply.int(h ? h.size : 0);
  }),
  command('hstrlen', 3, 'readonly fast', [1, 1, 1], 'hash', (c, a) => {
    const h = readObject<HashObject>(c, a[1], 'hash');
    c.reply.int(h?.get(a[2])?.length ?? 0);
  }),
  command('hexists', 3, 'readonly fast', [1, 1, 1], 'hash', (c, a) => {
    const h = readObject<HashObject>(c, a[1], 'hash');
    c.reply.int(h && h.get(a[2]) !== undefined ? 1 : 0);
  }),
  command('hkeys', 2, 'readonly', [1, 1, 1], 'hash', (c, a) => hgetall(c, a, 1)),
  command('hvals', 2, 'readonly', [1, 1, 1], 'hash', (c, a) => hgetall(c, a, 2)),
  command('hgetall', 2, 'readonly', [1, 1, 1], 'hash', (c, a) => hgetall(c, a, 3)),
  command('hincrby', 4, 'write denyoom fast', [1, 1, 1], 'hash', hincrby),
  command('hincrbyfloat', 4, 'write denyoom fast', [1, 1, 1], 'hash', hincrbyfloat),
  command('hrandfield', -2, 'readonly', [1, 1, 1], 'hash', hrandfield),
  command('hscan', -3, 'readonly', [1, 1, 1], 'hash', hscan),
];
