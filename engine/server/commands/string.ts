import type { Client } from '../client';
import { int64Arg, intArg, INT64_MAX, INT64_MIN, parseInt64 } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { readString, writeString } from './keyspace';
import { addLongDouble, formatLongDoubleHuman, LongDouble, parseLongDouble } from './long-double';

/** Largest string value (proto-max-bulk-len default), for APPEND and SETRANGE. */
const MAX_STRING = 512 * 1024 * 1024;

function checkSize(c: Client, len: number): void {
  if (len > c.server.config.getNumber('proto-max-bulk-len')) throw new CommandError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
}

/** Parses SET / GETEX expiry options; returns the absolute expiry in ms, 0 to persist, or undefined. */
function expiryOption(unit: string, arg: string | undefined, cmd: string): number {
  if (arg === undefined) throw new CommandError(Errors.syntax);
  const n = parseInt64(arg);
  if (n === undefined) throw new CommandError(Errors.notInteger);
  const v = Number(n);
  if (v <= 0 || (unit !== 'exat' && unit !== 'pxat' && v > Number.MAX_SAFE_INTEGER / 1000)) {
    throw new CommandError(`ERR invalid expire time in '${cmd}' command`);
  }
  const now = Date.now();
  switch (unit) {
    case 'ex':
      return now + v * 1000;
    case 'px':
      return now + v;
    case 'exat':
      return v * 1000;
    default:
      return v;
  }
}

function set(c: Client, argv: string[]): void {
  const [, key, value] = argv;
  let nx = false;
  let xx = false;
  let get = false;
  let keepTtl = false;
  let expireAt: number | undefined;
  for (let i = 3; i < argv.length; i++) {
    const o = argv[i].toLowerCase();
    if (o === 'nx' && !xx) {nx = true;} else if (o === 'xx' && !nx) {xx = true;} else if (o === 'get') {get = true;} else if (o === 'keepttl' && expireAt === undefined) {keepTtl = true;} else if ((o === 'ex' || o === 'px' || o === 'exat' || o === 'pxat') && expireAt === undefined && !keepTtl) {
      expireAt = expiryOption(o, argv[++i], 'set');
    } else {throw new CommandError(Errors.syntax);}
  }
  const old = get ? readString(c, key) : undefined;
  const exists = get ? old !== undefined : nx || xx ? c.db.has(key) : false;
  if ((nx && exists) || (xx && !exists)) {
    if (get) c.reply.bulk(old);
    else c.reply.nil();
    return;
  }
  c.db.set(key, value, keepTtl);
  // A time already past still sets the TTL (Redis 7.0 notifies set and expire; the key goes on its next access).
  if (expireAt !== undefined) c.db.setExpire(key, expireAt);
  c.server.notify('$', 'set', key, c.db);
  if (expireAt !== undefined) c.server.notify('g', 'expire', key, c.db);
  if (get) c.reply.bulk(old);
  else c.reply.ok();
}

function incrBy(c: Client, key: string, delta: number | bigint): void {
  const cur = writeString(c, key);
  let n: number | bigint = 0;
  if (cur !== undefined) {
    const p = parseInt64(cur);
    if (p === undefined) throw new CommandError(Errors.notInteger);
    n = p;
  }
  let result: number | bigint;
  if (typeof n === 'number' && typeof delta === 'number' && Number.isSafeInteger(n + delta)) {
    result = n + delta;
  } else {
    const r = BigInt(n) + BigInt(delta);
    if (r > INT64_MAX || r < INT64_MIN) throw new CommandError(Errors.overflow);
    result = Number.isSafeInteger(Number(r)) ? Number(r) : r;
  }
  c.db.set(key, String(result), true);
  c.server.notify('$', 'incrby', key, c.db);
  c.reply.int(result);
}

function incrByFloat(c: Client, argv: string[]): void {
  const key = argv[1];
  const incr = parseLongDouble(argv[2]);
  if (incr === undefined) throw new CommandError(Errors.notFloat);
  const cur = writeString(c, key);
  let n: LongDouble | 'inf' = { neg: false, m: 0n, e: 0 };
  if (cur !== undefined) {
    const p = cur.length > 5000 ? undefined : parseLongDouble(cur);
    if (p === undefined) throw new CommandError(Errors.notFloat);
    n = p;
  }
  // Redis adds and prints in long double: the shared emulation gives the same digits (HINCRBYFLOAT too).
  const r = n === 'inf' || incr === 'inf' ? 'inf' : addLongDouble(n, incr);
  if (r === 'inf') throw new CommandError('ERR increment would produce NaN or Infinity');
  const out = formatLongDoubleHuman(r);
  c.db.set(key, out, true);
  c.server.notify('$', 'incrbyfloat', key, c.db);
  c.reply.bulk(out);
}

function getrange(c: Client, argv: string[]): void {
  const s = readString(c, argv[1]) ?? '';
  let start = intArg(argv[2]);
  let end = intArg(argv[3]);
  const len = s.length;
  if (start < 0 && end < 0 && start > end) {
    c.reply.bulk('');
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (len === 0 || start > end) {
    c.reply.bulk('');
    return;
  }
  c.reply.bulk(s.slice(start, end + 1));
}

function setrange(c: Client, argv: string[]): void {
  const key = argv[1];
  const offset = intArg(argv[2]);
  if (offset < 0) throw new CommandError('ERR offset is out of range');
  const value = argv[3];
  const cur = writeString(c, key);
  if (cur === undefined && value.length === 0) {
    c.reply.int(0);
    return;
  }
  if (offset + value.length > MAX_STRING) throw new CommandError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  checkSize(c, offset + value.length);
  const base = cur ?? '';
  if (value.length === 0) {
    c.reply.int(base.length);
    return;
  }
  const padded = base.length < offset ? base + '\0'.repeat(offset - base.length) : base;
  const next = padded.slice(0, offset) + value + padded.slice(offset + value.length);
  c.db.set(key, next, true);
  c.server.notify('$', 'setrange', key, c.db);
  c.reply.int(next.length);
}

function getex(c: Client, argv: string[]): void {
  const key = argv[1];
  let expireAt: number | undefined;
  let persist = false;
  for (let i = 2; i < argv.length; i++) {
    const o = argv[i].toLowerCase();
    if ((o === 'ex' || o === 'px' || o === 'exat' || o === 'pxat') && expireAt === undefined && !persist) {
      expireAt = expiryOption(o, argv[++i], 'getex');
    } else if (o === 'persist' && expireAt === undefined && !persist) {persist = true;} else {throw new CommandError(Errors.syntax);}
  }
  const v = readString(c, key);
  if (v === undefined) {
    c.reply.nil();
    return;
  }
  if (expireAt !== undefined) {
    if (expireAt <= Date.now()) {
      c.db.delete(key);
      c.server.notify('g', 'del', key, c.db);
    } else {
      c.db.setExpire(key, expireAt);
      c.server.notify('g', 'expire', key, c.db);
    }
  } else if (persist && c.db.persist(key)) {
    c.server.notify('g', 'persist', key, c.db);
  }
  c.reply.bulk(v);
}

function lcs(c: Client, argv: string[]): void {
  const a = readString(c, argv[1]) ?? '';
  const b = readString(c, argv[2]) ?? '';
  let wantLen = false;
  let wantIdx = false;
  let minMatch = 0;
  let withLen = false;
  for (let i = 3; i < argv.length; i++) {
    const o = argv[i].toLowerCase();
    if (o === 'len') {wantLen = true;} else if (o === 'idx') {wantIdx = true;} else if (o === 'withmatchlen') {withLen = true;} else if (o === 'minmatchlen' && i + 1 < argv.length) {
      minMatch = intArg(argv[++i]);
      if (minMatch < 0) minMatch = 0;
    } else {throw new CommandError(Errors.syntax);}
  }
  if (wantLen && wantIdx) throw new CommandError('ERR If you want both the length and indexes, please just use IDX.');
  if ((a.length + 1) * (b.length + 1) > 512 * 1024 * 1024) throw new CommandError('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  const w = b.length + 1;
  const dp = new Uint32Array((a.length + 1) * w);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i * w + j] = a[i - 1] === b[j - 1] ? dp[(i - 1) * w + j - 1] + 1 : Math.max(dp[(i - 1) * w + j], dp[i * w + j - 1]);
    }
  }
  const total = dp[a.length * w + b.length];
  if (wantLen) {
    c.reply.int(total);
    return;
  }
  // Walk back collecting the LCS and, for IDX, the matched ranges (as Valkey does).
  const out: string[] = [];
  const matches: Array<[[number, number], [number, number], number]> = [];
  let i = a.length;
  let j = b.length;
  let range: [number, number, number, number] | undefined;
  const emit = () => {
    if (range) {
      const len = range[1] - range[0] + 1;
      if (len >= minMatch) matches.push([[range[0], range[1]], [range[2], range[3]], len]);
      range = undefined;
    }
  };
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      out.push(a[i - 1]);
      if (range && range[0] === i && range[2] === j) {
        range[0] = i - 1;
        range[2] = j - 1;
      } else {
        emit();
        range = [i - 1, i - 1, j - 1, j - 1];
      }
      i--;
      j--;
    } else if (dp[(i - 1) * w + j] > dp[i * w + j - 1]) {
      i--;
    } else {
      j--;
    }
  }
  emit();
  if (!wantIdx) {
    c.reply.bulk(out.reverse().join(''));
    return;
  }
  c.reply.map(2);
  c.reply.bulk('matches');
  c.reply.array(matches.length);
  for (const [ra, rb, len] of matches) {
    c.reply.array(withLen ? 3 : 2);
    c.reply.array(2);
    c.reply.int(ra[0]);
    c.reply.int(ra[1]);
    c.reply.array(2);
    c.reply.int(rb[0]);
    c.reply.int(rb[1]);
    if (withLen) c.reply.int(len);
  }
  c.reply.bulk('len');
  c.reply.int(total);
}

/** String commands (bit operations live in bitmap.ts). */
export const stringCommands: CommandSpec[] = [
  command('get', 2, 'readonly fast', [1, 1, 1], 'string', (c, a) => c.reply.bulk(readString(c, a[1]))),
  command('set', -3, 'write denyoom', [1, 1, 1], 'string', set),
  command('setnx', 3, 'write denyoom fast', [1, 1, 1], 'string', (c, a) => {
    if (c.db.has(a[1])) return c.reply.int(0);
    c.db.set(a[1], a[2]);
    c.server.notify('$', 'set', a[1], c.db);
    c.reply.int(1);
  }),
  command('setex', 4, 'write denyoom', [1, 1, 1], 'string', (c, a) => setWithTtl(c, a, 1000, 'setex')),
  command('psetex', 4, 'write denyoom', [1, 1, 1], 'string', (c, a) => setWithTtl(c, a, 1, 'psetex')),
  command('getset', 3, 'write denyoom fast', [1, 1, 1], 'string', (c, a) => {
    const old = writeString(c, a[1]);
    c.db.set(a[1], a[2]);
    c.server.notify('$', 'set', a[1], c.db);
    c.reply.bulk(old);
  }),
  command('getdel', 2, 'write fast', [1, 1, 1], 'string', (c, a) => {
    const v = readString(c, a[1]);
    if (v !== undefined) {
      c.db.delete(a[1]);
      c.server.notify('g', 'del', a[1], c.db);
    }
    c.reply.bulk(v);
  }),
  command('getex', -2, 'write fast', [1, 1, 1], 'string', getex),
  command('mget', -2, 'readonly fast', [1, -1, 1], 'string', (c, a) => {
    c.reply.array(a.length - 1);
    for (let i = 1; i < a.length; i++) {
      const v = c.db.get(a[i]);
      if (v === undefined) c.server.stats.keyspaceMisses++;
      else c.server.stats.keyspaceHits++;
      c.reply.bulk(typeof v === 'string' ? v : null);
    }
  }),
  command('mset', -3, 'write denyoom', [1, -1, 2], 'string', (c, a) => {
    if (a.length % 2 === 0) throw new CommandError(Errors.arity('mset'));
    for (let i = 1; i < a.length; i += 2) {
      c.db.set(a[i], a[i + 1]);
      c.server.notify('$', 'set', a[i], c.db);
    }
    c.reply.ok();
  }),
  command('msetnx', -3, 'write denyoom', [1, -1, 2], 'string', (c, a) => {
    if (a.length % 2 === 0) throw new CommandError(Errors.arity('msetnx'));
    for (let i = 1; i < a.length; i += 2) if (c.db.has(a[i])) return c.reply.int(0);
    for (let i = 1; i < a.length; i += 2) {
      c.db.set(a[i], a[i + 1]);
      c.server.notify('$', 'set', a[i], c.db);
    }
    c.reply.int(1);
  }),
  command('append', 3, 'write denyoom', [1, 1, 1], 'string', (c, a) => {
    const cur = writeString(c, a[1]);
    const next = (cur ?? '') + a[2];
    checkSize(c, next.length);
    c.db.set(a[1], next, true);
    c.server.notify('$', 'append', a[1], c.db);
    c.reply.int(next.length);
  }),
  command('strlen', 2, 'readonly fast', [1, 1, 1], 'string', (c, a) => c.reply.int((readString(c, a[1]) ?? '').length)),
  command('incr', 2, 'write denyoom fast', [1, 1, 1], 'string', (c, a) => incrBy(c, a[1], 1)),
  command('decr', 2, 'write denyoom fast', [1, 1, 1], 'string', (c, a) => incrBy(c, a[1], -1)),
  command('incrby', 3, 'write denyoom fast', [1, 1, 1], 'string', (c, a) => incrBy(c, a[1], int64Arg(a[2]))),
  command('decrby', 3, 'write denyoom fast', [1, 1, 1], 'string', (c, a) => {
    const d = int64Arg(a[2]);
    if (typeof d === 'bigint' && d === INT64_MIN) throw new CommandError('ERR decrement would overflow');
    incrBy(c, a[1], typeof d === 'bigint' ? -d : -d);
  }),
  command('incrbyfloat', 3, 'write denyoom fast', [1, 1, 1], 'string', incrByFloat),
  command('getrange', 4, 'readonly', [1, 1, 1], 'string', getrange),
  command('substr', 4, 'readonly', [1, 1, 1], 'string', getrange),
  command('setrange', 4, 'write denyoom', [1, 1, 1], 'string', setrange),
  command('lcs', -3, 'readonly', [1, 2, 1], 'string', lcs),
];

function setWithTtl(c: Client, a: string[], unitMs: number, name: string): void {
  const ttl = intArg(a[2]);
  if (ttl <= 0 || ttl > Number.MAX_SAFE_INTEGER / unitMs) throw new CommandError(`ERR invalid expire time in '${name}' command`);
  c.db.set(a[1], a[3]);
  c.db.setExpire(a[1], Date.now() + ttl * unitMs);
  c.server.notify('$', 'set', a[1], c.db);
  c.server.notify('g', 'expire', a[1], c.db);
  c.reply.ok();
}

