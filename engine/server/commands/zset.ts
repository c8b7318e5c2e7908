import type { Client } from '../client';
import type { Db, Value } from '../db';
import { scanByHash } from '../db';
import { globMatch } from '../glob';
import { intArg, parseInt64 } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { lookupRead, lookupWrite, readObject, writeObject } from './keyspace';
import { lexRangeEmpty, parseLexRange, parseScore, parseScoreRange, scoreRangeEmpty, strtod, zsetLimits } from './zset-args';
import { formatDouble } from '../resp/reply';
import { lexGteMin, lexLteMax, LexRange, scoreGteMin, scoreLteMax, ScoreRange, ZNode, ZSet, ZsetLimits } from '../types/zset';

const NAN_ERR = 'ERR resulting score is not a number (NaN)';
const SCORE_RANGE_ERR = 'ERR min or max is not a float';
const LEX_RANGE_ERR = 'ERR min or max not valid string range item';
const POSITIVE_ERR = 'ERR value is out of range, must be positive';

function readZset(c: Client, key: string): ZSet | undefined {
  return readObject<ZSet>(c, key, 'zset');
}

function writeZset(c: Client, key: string): ZSet | undefined {
  return writeObject<ZSet>(c, key, 'zset');
}

/** A score argument ("value is not a valid float"). */
function scoreArg(s: string, error = Errors.notFloat): number {
  const v = parseScore(s);
  if (v === undefined) throw new CommandError(error);
  return v;
}

/** Valkey's getLongFromObject: a 64-bit integer (kept as a number; huge values saturate harmlessly). */
function longArg(s: string): number {
  return intArg(s);
}

function positiveLong(s: string): number {
  const v = parseInt64(s);
  if (v === undefined) throw new CommandError(POSITIVE_ERR);
  const n = Number(v);
  if (n < 0) throw new CommandError(POSITIVE_ERR);
  return n;
}

/** Writes one score (a double in RESP3, a bulk string in RESP2). */
function replyScore(c: Client, score: number): void {
  c.reply.double(score);
}

/** Writes members (and scores): flat in RESP2, [member, score] pairs in RESP3. */
function replyNodes(c: Client, nodes: readonly ZNode[], withScores: boolean): void {
  const r = c.reply;
  if (!withScores) {
    r.array(nodes.length);
    for (let i = 0; i < nodes.length; i++) r.bulk(nodes[i].member);
    return;
  }
  if (r.resp === 3) {
    r.array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      r.array(2);
      r.bulk(nodes[i].member);
      r.double(nodes[i].score);
    }
  } else {
    r.array(nodes.length * 2);
    for (let i = 0; i < nodes.length; i++) {
      r.bulk(nodes[i].member);
      r.double(nodes[i].score);
    }
  }
}

/** Same as replyNodes for parallel member / score arrays. */
function replyPairs(c: Client, members: readonly string[], scores: readonly number[], withScores: boolean): void {
  const r = c.reply;
  if (!withScores) {
    r.array(members.length);
    for (let i = 0; i < members.length; i++) r.bulk(members[i]);
  } else if (r.resp === 3) {
    r.array(members.length);
    for (let i = 0; i < members.length; i++) {
      r.array(2);
      r.bulk(members[i]);
      r.double(scores[i]);
    }
  } else {
    r.array(members.length * 2);
    for (let i = 0; i < members.length; i++) {
      r.bulk(members[i]);
      r.double(scores[i]);
    }
  }
}

/**
 * Stores members/scores (already in order or not) as a new sorted set at `dst`, replacing it;
 * an empty result deletes `dst`. Returns the stored size. Notifies `event` (or del).
 */
export function storeZset(c: Client, dst: string, members: readonly string[], scores: readonly number[], event: string): number {
  const db = c.db;
  if (members.length === 0) {
    if (db.delete(dst)) c.server.notify('g', 'del', dst, db);
    return 0;
  }
  const limits = zsetLimits(c);
  let maxLen = 0;
  for (let i = 0; i < members.length; i++) if (members[i].length > maxLen) maxLen = members[i].length;
  const z = new ZSet();
  z.listpack = false;
  db.set(dst, z);
  for (let i = 0; i < members.length; i++) z.set(members[i], scores[i]);
  z.fitEncoding(limits);
  c.server.notify('z', event, dst, db);
  return z.size;
}

// ---------------------------------------------------------------- ZADD / ZINCRBY

const ADDED = 1;
const UPDATED = 2;
const NOP = 4;
const NAN = 8;

interface AddFlags {
  incr: boolean;
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

/** Valkey's zsetAdd: returns the flags above; `out[0]` receives the new score. */
function zsetAdd(z: ZSet, score: number, member: string, f: AddFlags, limits: ZsetLimits, out: number[]): number {
  if (Number.isNaN(score)) return NAN;
  const cur = z.score(member);
  if (cur !== undefined) {
    if (f.nx) return NOP;
    if (f.incr) {
      score += cur;
      if (Number.isNaN(score)) return NAN;
    }
    if ((f.lt && score >= cur) || (f.gt && score <= cur)) return NOP;
    out[0] = score;
    if (score !== cur) {
      z.set(member, score);
      return UPDATED;
    }
    return 0;
  }
  if (f.xx) return NOP;
  z.checkGrow(member.length, limits);
  z.set(member, score);
  out[0] = score;
  return ADDED;
}

const scoreOut = [0];

function zadd(c: Client, argv: string[], incrCommand: boolean): void {
  const key = argv[1];
  const f: AddFlags = { incr: incrCommand, nx: false, xx: false, gt: false, lt: false };
  let ch = false;
  let idx = 2;
  if (!incrCommand) {
    for (; idx < argv.length; idx++) {
      const o = argv[idx].toLowerCase();
      if (o === 'nx') f.nx = true;
      else if (o === 'xx') f.xx = true;
      else if (o === 'ch') ch = true;
      else if (o === 'incr') f.incr = true;
      else if (o === 'gt') f.gt = true;
      else if (o === 'lt') f.lt = true;
      else break;
    }
  }
  let elements = argv.length - idx;
  if (elements % 2 !== 0 || elements === 0) throw new CommandError(Errors.syntax);
  elements /= 2;
  if (f.nx && f.xx) throw new CommandError('ERR XX and NX options at the same time are not compatible');
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) throw new CommandError('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (f.incr && elements > 1) throw new CommandError('ERR INCR option supports a single increment-element pair');
  const scores: number[] = new Array<number>(elements);
  let maxLen = 0;
  for (let j = 0; j < elements; j++) {
    scores[j] = scoreArg(argv[idx + j * 2]);
    const len = argv[idx + j * 2 + 1].length;
    if (len > maxLen) maxLen = len;
  }
  let z = writeZset(c, key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (z === undefined && !f.xx) {
    z = ZSet.create(elements, maxLen, zsetLimits(c));
    c.db.set(key, z);
  }
  if (z !== undefined) {
    const limits = zsetLimits(c);
    for (let j = 0; j < elements; j++) {
      const r = zsetAdd(z, scores[j], argv[idx + j * 2 + 1], f, limits, scoreOut);
      if (r === NAN) {
        finishAdd(c, key, added + updated, f.incr, z);
        throw new CommandError(NAN_ERR);
      }
      if (r & ADDED) added++;
      if (r & UPDATED) updated++;
      if (!(r & NOP)) {
        processed++;
        score = scoreOut[0];
      }
    }
    finishAdd(c, key, added + updated, f.incr, z);
  }
  if (f.incr) {
    if (processed) replyScore(c, score);
    else c.reply.nil();
  } else {
    c.reply.int(ch ? added + updated : added);
  }
}

function finishAdd(c: Client, key: string, changes: number, incr: boolean, z: ZSet): void {
  if (changes > 0) {
    c.db.touch(key);
    c.server.notify('z', incr ? 'zincr' : 'zadd', key, c.db);
  } else if (z.size === 0) {
    c.db.delete(key); // a set created for nothing (XX is handled before; NaN on a new key cannot happen)
  }
}

// ---------------------------------------------------------------- removal

function zrem(c: Client, argv: string[]): void {
  const key = argv[1];
  const z = writeZset(c, key);
  if (!z) return c.reply.int(0);
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (z.delete(argv[i])) deleted++;
    if (z.size === 0) break;
  }
  if (deleted > 0) {
    c.server.notify('z', 'zrem', key, c.db);
    if (z.size === 0) {
      c.db.delete(key);
      c.server.notify('g', 'del', key, c.db);
    } else {
      c.db.touch(key);
    }
  }
  c.reply.int(deleted);
}

function zremrange(c: Client, argv: string[], kind: 'rank' | 'score' | 'lex'): void {
  const key = argv[1];
  let start = 0;
  let end = 0;
  let sr: ScoreRange | undefined;
  let lr: LexRange | undefined;
  if (kind === 'rank') {
    start = longArg(argv[2]);
    end = longArg(argv[3]);
  } else if (kind === 'score') {
    sr = parseScoreRange(argv[2], argv[3]);
    if (!sr) throw new CommandError(SCORE_RANGE_ERR);
  } else {
    lr = parseLexRange(argv[2], argv[3]);
    if (!lr) throw new CommandError(LEX_RANGE_ERR);
  }
  const z = writeZset(c, key);
  if (!z) return c.reply.int(0);
  const victims: string[] = [];
  if (kind === 'rank') {
    const llen = z.size;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return c.reply.int(0);
    if (end >= llen) end = llen - 1;
    let n = z.byRank(start);
    for (let i = start; i <= end && n; i++, n = n.next[0]) victims.push(n.member);
  } else if (sr) {
    for (let n = z.firstInScore(sr); n && scoreLteMax(n.score, sr); n = n.next[0]) victims.push(n.member);
  } else if (lr) {
    for (let n = z.firstInLex(lr); n && lexLteMax(n.member, lr); n = n.next[0]) victims.push(n.member);
  }
  for (const m of victims) z.delete(m);
  if (victims.length > 0) {
    c.server.notify('z', `zremrangeby${kind}`, key, c.db);
    if (z.size === 0) {
      c.db.delete(key);
      c.server.notify('g', 'del', key, c.db);
    } else {
      c.db.touch(key);
    }
  }
  c.reply.int(victims.length);
}

// ---------------------------------------------------------------- reads

function zcount(c: Client, argv: string[]): void {
  const r = parseScoreRange(argv[2], argv[3]);
  if (!r) throw new CommandError(SCORE_RANGE_ERR);
  const z = readZset(c, argv[1]);
  if (!z) return c.reply.int(0);
  const first = z.firstInScore(r);
  if (!first) return c.reply.int(0);
  const last = z.lastInScore(r)!;
  c.reply.int(z.rankOf(last) - z.rankOf(first) + 1);
}

function zlexcount(c: Client, argv: string[]): void {
  const r = parseLexRange(argv[2], argv[3]);
  if (!r) throw new CommandError(LEX_RANGE_ERR);
  const z = readZset(c, argv[1]);
  if (!z) return c.reply.int(0);
  const first = z.firstInLex(r);
  if (!first) return c.reply.int(0);
  const last = z.lastInLex(r)!;
  c.reply.int(z.rankOf(last) - z.rankOf(first) + 1);
}

function zrank(c: Client, argv: string[], rev: boolean): void {
  const z = readZset(c, argv[1]);
  if (!z) return c.reply.nil();
  const r = z.rank(argv[2]);
  if (r < 0) return c.reply.nil();
  c.reply.int(rev ? z.size - 1 - r : r);
}

// ---------------------------------------------------------------- ZRANGE family

const enum RangeType { Auto, Rank, Score, Lex }

/** Nodes of a rank range (Valkey's start/end sanitizing). */
function rankRange(z: ZSet, start: number, end: number, rev: boolean, out: ZNode[]): void {
  const llen = z.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return;
  if (end >= llen) end = llen - 1;
  let n = rev ? z.byRank(llen - 1 - start) : z.byRank(start);
  for (let i = start; i <= end && n; i++) {
    out.push(n);
    n = rev ? n.backward : n.next[0];
  }
}

function scoreRange(z: ZSet, r: ScoreRange, rev: boolean, offset: number, limit: number, out: ZNode[]): void {
  if (scoreRangeEmpty(r)) return;
  let n = rev ? z.lastInScore(r) : z.firstInScore(r);
  while (n && offset !== 0) {
    n = rev ? n.backward : n.next[0];
    offset--;
  }
  while (n && limit !== 0) {
    if (rev ? !scoreGteMin(n.score, r) : !scoreLteMax(n.score, r)) break;
    out.push(n);
    limit--;
    n = rev ? n.backward : n.next[0];
  }
}

function lexRange(z: ZSet, r: LexRange, rev: boolean, offset: number, limit: number, out: ZNode[]): void {
  if (lexRangeEmpty(r)) return;
  let n = rev ? z.lastInLex(r) : z.firstInLex(r);
  while (n && offset !== 0) {
    n = rev ? n.backward : n.next[0];
    offset--;
  }
  while (n && limit !== 0) {
    if (rev ? !lexGteMin(n.member, r) : !lexLteMax(n.member, r)) break;
    out.push(n);
    limit--;
    n = rev ? n.backward : n.next[0];
  }
}

/**
 * Valkey's zrangeGenericCommand: ZRANGE, ZRANGESTORE and the legacy forms. `argStart` is the
 * index of the source key; `fixedType` / `fixedRev` are set by the legacy commands.
 */
function zrangeGeneric(c: Client, argv: string[], argStart: number, store: boolean, fixedType: RangeType, fixedRev: boolean | undefined): void {
  const key = argv[argStart];
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let hasLimit = false;
  let rev = fixedRev;
  let type = fixedType;
  for (let j = argStart + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const o = argv[j].toLowerCase();
    if (!store && o === 'withscores') {
      withScores = true;
    } else if (o === 'limit' && left >= 2) {
      offset = longArg(argv[j + 1]);
      limit = longArg(argv[j + 2]);
      hasLimit = true;
      j += 2;
    } else if (rev === undefined && o === 'rev') {
      rev = true;
    } else if (type === RangeType.Auto && o === 'bylex') {
      type = RangeType.Lex;
    } else if (type === RangeType.Auto && o === 'byscore') {
      type = RangeType.Score;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  if (rev === undefined) rev = false;
  if (type === RangeType.Auto) type = RangeType.Rank;
  if (hasLimit && type === RangeType.Rank) {
    throw new CommandError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && type === RangeType.Lex) throw new CommandError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  if (rev && (type === RangeType.Score || type === RangeType.Lex)) {
    const t = maxIdx;
    maxIdx = minIdx;
    minIdx = t;
  }
  let start = 0;
  let end = 0;
  let sr: ScoreRange | undefined;
  let lr: LexRange | undefined;
  if (type === RangeType.Rank) {
    start = longArg(argv[minIdx]);
    end = longArg(argv[maxIdx]);
  } else if (type === RangeType.Score) {
    sr = parseScoreRange(argv[minIdx], argv[maxIdx]);
    if (!sr) throw new CommandError(SCORE_RANGE_ERR);
  } else {
    lr = parseLexRange(argv[minIdx], argv[maxIdx]);
    if (!lr) throw new CommandError(LEX_RANGE_ERR);
  }
  const z = readZset(c, key);
  const nodes: ZNode[] = [];
  if (z) {
    if (type === RangeType.Rank) {rankRange(z, start, end, rev, nodes);} else if (offset >= 0 && !(offset > 0 && offset >= z.size)) {
      if (sr) scoreRange(z, sr, rev, offset, limit, nodes);
      else if (lr) lexRange(z, lr, rev, offset, limit, nodes);
    }
  }
  if (store) {
    const dst = argv[1];
    const members = nodes.map((n) => n.member);
    const scores = nodes.map((n) => n.score);
    c.reply.int(storeZset(c, dst, members, scores, 'zrangestore'));
    return;
  }
  replyNodes(c, nodes, withScores);
}

// ---------------------------------------------------------------- pops

/** Pops up to `count` from one end; returns members and scores. Notifies and deletes the key when emptied. */
function popFrom(c: Client, db: Db, key: string, z: ZSet, max: boolean, count: number, members: string[], scores: number[]): void {
  for (let i = 0; i < count && z.size > 0; i++) {
    const n = max ? z.last()! : z.first()!;
    members.push(n.member);
    scores.push(n.score);
    z.delete(n.member);
  }
  c.server.notify('z', max ? 'zpopmax' : 'zpopmin', key, db);
  if (z.size === 0) {
    db.delete(key);
    c.server.notify('g', 'del', key, db);
  } else {
    db.touch(key);
  }
}

function zpop(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) throw new CommandError(Errors.syntax);
  const hasCount = argv.length === 3;
  let count = 1;
  if (hasCount) {
    count = positiveLong(argv[2]);
    if (count <= 0) return c.reply.array(0);
  }
  const nested = hasCount && c.reply.resp === 3;
  const z = writeZset(c, argv[1]);
  if (!z) return c.reply.array(0);
  const members: string[] = [];
  const scores: number[] = [];
  popFrom(c, c.db, argv[1], z, max, count, members, scores);
  if (nested) {
    replyPairs(c, members, scores, true);
    return;
  }
  c.reply.array(members.length * 2);
  for (let i = 0; i < members.length; i++) {
    c.reply.bulk(members[i]);
    c.reply.double(scores[i]);
  }
}

/** ZMPOP / BZMPOP argument parsing from `at` (numkeys). */
function parseMpop(argv: string[], at: number): { keys: string[]; max: boolean; count: number } {
  const numkeys = parseInt64(argv[at]);
  if (numkeys === undefined) throw new CommandError(Errors.notInteger);
  const n = Number(numkeys);
  if (n <= 0) throw new CommandError('ERR numkeys should be greater than 0');
  if (n > argv.length - at - 2) throw new CommandError(Errors.syntax);
  const keys = argv.slice(at + 1, at + 1 + n);
  let i = at + 1 + n;
  const where = argv[i++].toLowerCase();
  let max: boolean;
  if (where === 'min') max = false;
  else if (where === 'max') max = true;
  else throw new CommandError(Errors.syntax);
  let count = -1;
  for (; i < argv.length; i++) {
    if (argv[i].toLowerCase() === 'count' && count === -1 && i + 1 < argv.length) {
      const v = parseInt64(argv[++i]);
      if (v === undefined || Number(v) <= 0) throw new CommandError('ERR count should be greater than 0');
      count = Number(v);
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  return { keys, max, count: count === -1 ? 1 : count };
}

/** The first non-empty sorted set among `keys` (WRONGTYPE on the way raises), or undefined. */
function firstZset(c: Client, keys: readonly string[]): [string, ZSet] | undefined {
  for (const k of keys) {
    const z = writeZset(c, k);
    if (z && z.size > 0) return [k, z];
  }
  return undefined;
}

function replyMpop(c: Client, key: string, members: string[], scores: number[]): void {
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.array(members.length);
  for (let i = 0; i < members.length; i++) {
    c.reply.array(2);
    c.reply.bulk(members[i]);
    c.reply.double(scores[i]);
  }
}

function zmpop(c: Client, argv: string[]): void {
  const { keys, max, count } = parseMpop(argv, 1);
  const found = firstZset(c, keys);
  if (!found) return c.reply.nilArray();
  const members: string[] = [];
  const scores: number[] = [];
  popFrom(c, c.db, found[0], found[1], max, count, members, scores);
  replyMpop(c, found[0], members, scores);
}

/** Timeout argument of blocking commands (seconds, may be fractional); returns the deadline in ms or 0. */
function timeoutArg(s: string): number {
  const v = strtod(s, false);
  if (v === undefined || Number.isNaN(v) || !Number.isFinite(v) || s.length === 0 || /^\s/.test(s)) {
    throw new CommandError('ERR timeout is not a float or out of range');
  }
  if (v < 0) throw new CommandError('ERR timeout is negative');
  const ms = Math.ceil(v * 1000);
  return ms > 0 ? Date.now() + ms : 0;
}

function blockingPop(c: Client, keys: string[], deadline: number, serve: () => boolean): void {
  if (serve()) return;
  if (c.multi !== undefined || c.socket === undefined) {
    c.reply.nilArray();
    return;
  }
  const db = c.db;
  c.server.block(c, {
    keys,
    db,
    deadline,
    tryServe: () => {
      const saved = c.db;
      c.db = db;
      try {
        return serve();
      } finally {
        c.db = saved;
      }
    },
    onTimeout: () => c.reply.nilArray(),
  });
}

function bzpop(c: Client, argv: string[], max: boolean): void {
  const deadline = timeoutArg(argv[argv.length - 1]);
  const keys = argv.slice(1, -1);
  blockingPop(c, keys, deadline, () => {
    const found = firstZset(c, keys);
    if (!found) return false;
    const members: string[] = [];
    const scores: number[] = [];
    popFrom(c, c.db, found[0], found[1], max, 1, members, scores);
    c.reply.array(3);
    c.reply.bulk(found[0]);
    c.reply.bulk(members[0]);
    c.reply.double(scores[0]);
    return true;
  });
}

function bzmpop(c: Client, argv: string[]): void {
  const deadline = timeoutArg(argv[1]);
  const { keys, max, count } = parseMpop(argv, 2);
  blockingPop(c, keys, deadline, () => {
    const found = firstZset(c, keys);
    if (!found) return false;
    const members: string[] = [];
    const scores: number[] = [];
    popFrom(c, c.db, found[0], found[1], max, count, members, scores);
    replyMpop(c, found[0], members, scores);
    return true;
  });
}

// ---------------------------------------------------------------- ZRANDMEMBER, ZSCAN, ZMSCORE

function zrandmember(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    const z = readZset(c, argv[1]);
    if (!z || z.size === 0) return c.reply.nil();
    c.reply.bulk(z.byRank(Math.floor(Math.random() * z.size))!.member);
    return;
  }
  let withScores = false;
  if (argv.length === 4) {
    if (argv[3].toLowerCase() !== 'withscores') throw new CommandError(Errors.syntax);
    withScores = true;
  } else if (argv.length > 4) {
    throw new CommandError(Errors.syntax);
  }
  const l = parseInt64(argv[2]);
  if (l === undefined) throw new CommandError(Errors.notInteger);
  let count = Number(l);
  if (count < -Number.MAX_SAFE_INTEGER || (withScores && count < -4611686018427387903)) throw new CommandError('ERR value is out of range');
  const z = readZset(c, argv[1]);
  if (!z || count === 0) return c.reply.array(0);
  const size = z.size;
  const nodes: ZNode[] = [];
  if (count < 0) {
    count = -count;
    for (let i = 0; i < count; i++) nodes.push(z.byRank(Math.floor(Math.random() * size))!);
  } else if (count >= size) {
    for (let n = z.first(); n; n = n.next[0]) nodes.push(n);
  } else {
    // distinct random ranks
    const picked = new Set<number>();
    while (picked.size < count) picked.add(Math.floor(Math.random() * size));
    for (const r of picked) nodes.push(z.byRank(r)!);
  }
  replyNodes(c, nodes, withScores);
}

function zscan(c: Client, argv: string[]): void {
  const cursorText = argv[2];
  const cur = parseInt64(cursorText);
  if (cur === undefined || /^-/.test(cursorText)) {
    // Valkey parses the cursor as unsigned; a negative or non-number is invalid
    if (!/^\d+$/.test(cursorText)) throw new CommandError('ERR invalid cursor');
  }
  let count = 10;
  let pattern: string | undefined;
  for (let i = 3; i < argv.length; i++) {
    const o = argv[i].toLowerCase();
    const left = argv.length - i - 1;
    if (o === 'count' && left >= 1) {
      count = intArg(argv[++i]);
      if (count < 1) throw new CommandError(Errors.syntax);
    } else if (o === 'match' && left >= 1) {
      pattern = argv[++i];
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const z = readZset(c, argv[1]);
  const r = c.reply;
  if (!z) {
    r.array(2);
    r.bulk('0');
    r.array(0);
    return;
  }
  let items: string[];
  let next = 0;
  if (z.listpack) {
    items = z.items();
  } else {
    const cursor = Number(cursorText);
    const res = scanByHash(z.dict.keys(), cursor > 0xffffffff ? 0xffffffff : cursor, count, () => true);
    items = res.keys;
    next = res.next;
  }
  const matchAll = pattern === undefined || pattern === '*';
  const out: string[] = [];
  for (const m of items) {
    if (!matchAll && !globMatch(pattern!, m)) continue;
    out.push(m, formatDouble(z.score(m)!));
  }
  r.array(2);
  r.bulk(String(next));
  r.bulks(out);
}

function zmscore(c: Client, argv: string[]): void {
  const z = readZset(c, argv[1]);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const s = z?.score(argv[i]);
    if (s === undefined) c.reply.nil();
    else c.reply.double(s);
  }
}

// ---------------------------------------------------------------- ZUNION / ZINTER / ZDIFF

const enum SetOp { Union, Inter, Diff }
const enum Aggr { Sum, Min, Max }

interface Source {
  /** member → score (sets give 1). */
  map: Map<string, number> | undefined;
  weight: number;
}

function sourceOf(v: Value | undefined): Map<string, number> | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') throw new CommandError(Errors.wrongType);
  if (v.type === 'zset') return (v as ZSet).dict;
  if (v.type === 'set') {
    const m = new Map<string, number>();
    for (const s of (v as unknown as { items(): string[] }).items()) m.set(s, 1);
    return m;
  }
  throw new CommandError(Errors.wrongType);
}

function aggregate(a: Aggr, target: number, v: number): number {
  if (a === Aggr.Sum) {
    const s = target + v;
    return Number.isNaN(s) ? 0 : s;
  }
  if (a === Aggr.Min) return v < target ? v : target;
  return v > target ? v : target;
}

function setOpGeneric(c: Client, argv: string[], numkeysIdx: number, dst: string | undefined, op: SetOp, cardinalityOnly: boolean): void {
  const name = argv[0].toLowerCase();
  const setnum = longArg(argv[numkeysIdx]);
  if (setnum < 1) {
    throw new CommandError(`ERR at least 1 input key is needed for '${name}' command`);
  }
  if (setnum > argv.length - (numkeysIdx + 1)) throw new CommandError(Errors.syntax);
  const src: Source[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = dst !== undefined ? lookupWrite(c, argv[j]) : lookupRead(c, argv[j]);
    src.push({ map: sourceOf(v), weight: 1 });
  }
  let aggr = Aggr.Sum;
  let withScores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const o = argv[j].toLowerCase();
    if (op !== SetOp.Diff && !cardinalityOnly && remaining >= setnum + 1 && o === 'weights') {
      j++;
      for (let i = 0; i < setnum; i++, j++) src[i].weight = scoreArg(argv[j], 'ERR weight value is not a float');
    } else if (op !== SetOp.Diff && !cardinalityOnly && remaining >= 2 && o === 'aggregate') {
      const a = argv[j + 1].toLowerCase();
      if (a === 'sum') aggr = Aggr.Sum;
      else if (a === 'min') aggr = Aggr.Min;
      else if (a === 'max') aggr = Aggr.Max;
      else throw new CommandError(Errors.syntax);
      j += 2;
    } else if (dst === undefined && !cardinalityOnly && o === 'withscores') {
      j++;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && o === 'limit') {
      const v = parseInt64(argv[j + 1]);
      if (v === undefined) throw new CommandError(Errors.notInteger);
      if (Number(v) < 0) throw new CommandError("ERR LIMIT can't be negative");
      limit = Number(v);
      j += 2;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const size = (s: Source): number => (s.map ? s.map.size : 0);
  if (op !== SetOp.Diff) src.sort((a, b) => size(a) - size(b));
  const result = new Map<string, number>();
  if (op === SetOp.Inter) {
    if (size(src[0]) > 0) {
      for (const [m, s0] of src[0].map!) {
        let score = src[0].weight * s0;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < src.length; k++) {
          const v = src[k].map?.get(m);
          if (v === undefined) break;
          let value = src[k].weight * v;
          if (Number.isNaN(value)) value = 0;
          score = aggregate(aggr, score, value);
        }
        if (k === src.length) {
          result.set(m, score);
          if (cardinalityOnly && limit > 0 && result.size >= limit) break;
        }
      }
    }
  } else if (op === SetOp.Union) {
    for (const s of src) {
      if (!s.map) continue;
      for (const [m, v] of s.map) {
        let value = s.weight * v;
        if (Number.isNaN(value)) value = 0;
        const cur = result.get(m);
        result.set(m, cur === undefined ? value : aggregate(aggr, cur, value));
      }
    }
  } else if (src[0].map) {
    for (const [m, v] of src[0].map) {
      let found = false;
      for (let k = 1; k < src.length && !found; k++) if (src[k].map?.has(m)) found = true;
      if (!found) result.set(m, v);
    }
  }
  if (cardinalityOnly) return c.reply.int(result.size);
  // order by (score, member)
  const members = [...result.keys()];
  members.sort((a, b) => {
    const d = result.get(a)! - result.get(b)!;
    if (d !== 0 && !Number.isNaN(d)) return d < 0 ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const scores = members.map((m) => result.get(m)!);
  if (dst !== undefined) {
    const event = op === SetOp.Union ? 'zunionstore' : op === SetOp.Inter ? 'zinterstore' : 'zdiffstore';
    c.reply.int(storeZset(c, dst, members, scores, event));
    return;
  }
  replyPairs(c, members, scores, withScores);
}

/** Keys of ZUNIONSTORE-like commands: the destination (if any) and numkeys sources. */
function setOpKeys(numkeysIdx: number, hasDst: boolean): (argv: readonly string[]) => number[] {
  return (argv) => {
    // as Valkey's keynum key spec: a numkeys past the arguments (or not a count) gives no keys at all
    const n = Number(argv[numkeysIdx]);
    if (!Number.isInteger(n) || n < 0 || numkeysIdx + n >= argv.length) return [];
    const out: number[] = hasDst ? [1] : [];
    for (let i = 0; i < n; i++) out.push(numkeysIdx + 1 + i);
    return out;
  };
}

function bzmpopKeys(argv: readonly string[]): number[] {
  return setOpKeys(2, false)(argv);
}

export const zsetCommands: CommandSpec[] = [
  command('zadd', -4, 'write denyoom fast', [1, 1, 1], 'sortedset', (c, a) => zadd(c, a, false)),
  command('zincrby', 4, 'write denyoom fast', [1, 1, 1], 'sortedset', (c, a) => zadd(c, a, true)),
  command('zrem', -3, 'write fast', [1, 1, 1], 'sortedset', zrem),
  command('zremrangebyrank', 4, 'write', [1, 1, 1], 'sortedset', (c, a) => zremrange(c, a, 'rank')),
  command('zremrangebyscore', 4, 'write', [1, 1, 1], 'sortedset', (c, a) => zremrange(c, a, 'score')),
  command('zremrangebylex', 4, 'write', [1, 1, 1], 'sortedset', (c, a) => zremrange(c, a, 'lex')),
  command('zcard', 2, 'readonly fast', [1, 1, 1], 'sortedset', (c, a) => c.reply.int(readZset(c, a[1])?.size ?? 0)),
  command('zcount', 4, 'readonly fast', [1, 1, 1], 'sortedset', zcount),
  command('zlexcount', 4, 'readonly fast', [1, 1, 1], 'sortedset', zlexcount),
  command('zscore', 3, 'readonly fast', [1, 1, 1], 'sortedset', (c, a) => {
    const s = readZset(c, a[1])?.score(a[2]);
    if (s === undefined) c.reply.nil();
    else c.reply.double(s);
  }),
  command('zmscore', -3, 'readonly fast', [1, 1, 1], 'sortedset', zmscore),
  command('zrank', 3, 'readonly fast', [1, 1, 1], 'sortedset', (c, a) => zrank(c, a, false)),
  command('zrevrank', 3, 'readonly fast', [1, 1, 1], 'sortedset', (c, a) => zrank(c, a, true)),
  command('zrange', -4, 'readonly', [1, 1, 1], 'sortedset', (c, a) => zrangeGeneric(c, a, 1, false, RangeType.Auto, undefined)),
  command('zrangestore', -5, 'write denyoom', [1, 2, 1], 'sortedset', (c, a) => zrangeGeneric(c, a, 2, true, RangeType.Auto, undefined)),
  command('zrevrange', -4, 'readonly', [1, 1, 1], 'sortedset', (c, a) => zrangeGeneric(c, a, 1, false, RangeType.Rank, true)),
  command('zrangebyscore', -4, 'readonly', [1, 1, 1], 'sortedset', (c, a) => zrangeGeneric(c, a, 1, false, RangeType.Score, false)),
  command('zrevrangebyscore', -4, 'readonly', [1, 1, 1], 'sortedset', (c, a) => zrangeGeneric(c, a, 1, false, RangeType.Score, true)),
  command('zrangebylex', -4, 'readonly', [1, 1, 1], 'sortedset', (c, a) => zrangeGeneric(c, a, 1, false, RangeType.Lex, false)),
  command('zrevrangebylex', -4, 'readonly', [1, 1, 1], 'sortedset', (c, a) => zrangeGeneric(c, a, 1, false, RangeType.Lex, true)),
  command('zpopmin', -2, 'write fast', [1, 1, 1], 'sortedset', (c, a) => zpop(c, a, false)),
  command('zpopmax', -2, 'write fast', [1, 1, 1], 'sortedset', (c, a) => zpop(c, a, true)),
  command('bzpopmin', -3, 'write noscript blocking fast', [1, -2, 1], 'sortedset', (c, a) => bzpop(c, a, false)),
  command('bzpopmax', -3, 'write noscript blocking fast', [1, -2, 1], 'sortedset', (c, a) => bzpop(c, a, true)),
  command('zmpop', -4, 'write', [0, 0, 0], 'sortedset', zmpop, { getKeys: setOpKeys(1, false) }),
  command('bzmpop', -5, 'write blocking', [0, 0, 0], 'sortedset', bzmpop, { getKeys: bzmpopKeys }),
  command('zrandmember', -2, 'readonly', [1, 1, 1], 'sortedset', zrandmember),
  command('zscan', -3, 'readonly', [1, 1, 1], 'sortedset', zscan),
  command('zunionstore', -4, 'write denyoom', [0, 0, 0], 'sortedset', (c, a) => setOpGeneric(c, a, 2, a[1], SetOp.Union, false), {
    getKeys: setOpKeys(2, true),
  }),
  command('zinterstore', -4, 'write denyoom', [0, 0, 0], 'sortedset', (c, a) => setOpGeneric(c, a, 2, a[1], SetOp.Inter, false), {
    getKeys: setOpKeys(2, true),
  }),
  command('zdiffstore', -4, 'write denyoom', [0, 0, 0], 'sortedset', (c, a) => setOpGeneric(c, a, 2, a[1], SetOp.Diff, false), {
    getKeys: setOpKeys(2, true),
  }),
  command('zunion', -3, 'readonly', [0, 0, 0], 'sortedset', (c, a) => setOpGeneric(c, a, 1, undefined, SetOp.Union, false), {
    getKeys: setOpKeys(1, false),
  }),
  command('zinter', -3, 'readonly', [0, 0, 0], 'sortedset', (c, a) => setOpGeneric(c, a, 1, undefined, SetOp.Inter, false), {
    getKeys: setOpKeys(1, false),
  }),
  command('zdiff', -3, 'readonly', [0, 0, 0], 'sortedset', (c, a) => setOpGeneric(c, a, 1, undefined, SetOp.Diff, false), {
    getKeys: setOpKeys(1, false),
  }),
  command('zintercard', -3, 'readonly', [0, 0, 0], 'sortedset', (c, a) => setOpGeneric(c, a, 1, undefined, SetOp.Inter, true), {
    getKeys: setOpKeys(1, false),
  }),
];
