import { CMD_WRITE, CommandSpec } from '../commands/command';
import type { Db } from '../db';
import type { Parsed } from './reply-reader';
import { formatId, makeId, StreamObject } from '../types/stream';

/**
 * Propagation rules: what a command that changed the dataset sends to the replicas, as Redis 7.0
 * does it, so a replica (ours or a real redis-server) ends with the same dataset. Relative
 * expiries become absolute, non-deterministic commands are sent as their effects, blocking
 * commands as their non-blocking forms. `undefined` means "the command line as it is".
 */
export type Rule = (db: Db, argv: string[], reply: () => Parsed) => string[][] | undefined;

/** What a key's expiry is now: DEL when it is gone (expired at once), else PEXPIREAT or PERSIST. */
function expiryEffect(db: Db, key: string): string[] {
  if (!db.dict.has(key)) return ['DEL', key];
  const at = db.expires.get(key);
  return at === undefined ? ['PERSIST', key] : ['PEXPIREAT', key, String(at)];
}

/** SET/SETEX/PSETEX with a relative or second-based expiry → SET key value PXAT <ms>. */
function setWithExpiry(db: Db, key: string, value: string): string[][] {
  const at = db.expires.get(key);
  if (!db.dict.has(key)) return [['DEL', key]];
  return [at === undefined ? ['SET', key, value] : ['SET', key, value, 'PXAT', String(at)]];
}

const lower = (s: string) => s.toLowerCase();

function strings(v: Parsed): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** "ms-seq" → the engine's internal stream ID. */
function internalId(text: string): string {
  const dash = text.indexOf('-');
  return makeId(BigInt(text.slice(0, dash)), BigInt(text.slice(dash + 1)));
}

/** Index of XADD's ID argument (after NOMKSTREAM and the trim options). */
function xaddIdIndex(argv: string[]): number {
  let i = 2;
  while (i < argv.length) {
    const a = lower(argv[i]);
    if (a === 'nomkstream') i++;
    else if (a === 'maxlen' || a === 'minid') i += argv[i + 1] === '~' || argv[i + 1] === '=' ? 3 : 2;
    else if (a === 'limit') i += 2;
    else return i;
  }
  return i;
}

/**
 * Approximate trimming (`~`) depends on node boundaries: rewritten as exact trimming to what the
 * stream holds now (MAXLEN = length, MINID = first ID), LIMIT dropped (Redis does the same).
 */
function exactTrim(db: Db, argv: string[], from: number, to: number): string[] {
  const s = db.dict.get(argv[1]);
  const out = argv.slice(0, from);
  for (let i = from; i < to; i++) {
    const a = lower(argv[i]);
    if ((a === 'maxlen' || a === 'minid') && argv[i + 1] === '~' && s instanceof StreamObject) {
      out.push(argv[i], '=', a === 'maxlen' ? String(s.length) : s.length > 0 ? formatId(s.firstId) : argv[i + 2]);
      i += 2;
    } else if (a === 'limit' && out.includes('=')) {
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out.concat(argv.slice(to));
}

/** BLMPOP/LMPOP and BZMPOP/ZMPOP: the direction argument after the keys. */
function mpopWhere(argv: string[], numkeysAt: number): string {
  return lower(argv[numkeysAt + 1 + Number(argv[numkeysAt])] ?? 'left');
}

/** XREADGROUP → XCLAIM per delivered entry and XGROUP SETID (Redis' streamPropagateXCLAIM / GroupID). */
function xreadgroupEffects(db: Db, argv: string[], reply: () => Parsed): string[][] | undefined {
  let group = '';
  let consumer = '';
  let noack = false;
  for (let i = 1; i < argv.length; i++) {
    const a = lower(argv[i]);
    if (a === 'group') {
      group = argv[i + 1];
      consumer = argv[i + 2];
      i += 2;
    } else if (a === 'noack') {
      noack = true;
    } else if (a === 'streams') {
      break;
    }
  }
  const r = reply();
  if (!Array.isArray(r)) return [];
  // RESP2: [[key, entries], ...]; RESP3 map flattened: [key, entries, ...].
  const pairs: Array<[string, Parsed]> = [];
  if (typeof r[0] === 'string') for (let i = 0; i < r.length; i += 2) pairs.push([r[i] as string, r[i + 1]]);
  else for (const p of r) if (Array.isArray(p)) pairs.push([p[0] as string, p[1]]);
  const out: string[][] = [];
  for (const [key, entries] of pairs) {
    const s = db.dict.get(key);
    if (!(s instanceof StreamObject)) continue;
    const g = s.groups.get(group);
    if (!g) continue;
    out.push(['XGROUP', 'CREATECONSUMER', key, group, consumer]);
    if (!noack && Array.isArray(entries)) {
      for (const e of entries) {
        if (!Array.isArray(e) || typeof e[0] !== 'string') continue;
        const nack = g.pel.get(internalId(e[0]));
        if (!nack) continue;
        out.push(['XCLAIM', key, group, consumer, '0', e[0], 'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount),
          'FORCE', 'JUSTID', 'LASTID', formatId(g.lastId)]);
      }
    }
    out.push(['XGROUP', 'SETID', key, group, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
  }
  return out;
}

export const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['expire', (db, a) => [expiryEffect(db, a[1])]],
  ['pexpire', (db, a) => [expiryEffect(db, a[1])]],
  ['expireat', (db, a) => [expiryEffect(db, a[1])]],
  ['pexpireat', (db, a) => (db.dict.has(a[1]) ? undefined : [['DEL', a[1]]])],
  ['set', (db, a) => {
    for (let i = 3; i < a.length; i++) {
      const o = lower(a[i]);
      if (o === 'ex' || o === 'px' || o === 'exat') return setWithExpiry(db, a[1], a[2]);
      if (o === 'pxat') return db.dict.has(a[1]) ? undefined : [['DEL', a[1]]];
    }
    return undefined;
  }],
  ['setex', (db, a) => setWithExpiry(db, a[1], a[3])],
  ['psetex', (db, a) => setWithExpiry(db, a[1], a[3])],
  ['getex', (db, a) => (a.length > 2 ? [expiryEffect(db, a[1])] : [])],
  ['getdel', (_db, a) => [['DEL', a[1]]]],
  ['incrbyfloat', (_db, a, r) => [['SET', a[1], String(r()), 'KEEPTTL']]],
  ['hincrbyfloat', (_db, a, r) => [['HSET', a[1], a[2], String(r())]]],
  ['spop', (_db, a, r) => {
    const members = strings(r());
    const out: string[][] = [];
    for (let i = 0; i < members.length; i += 1024) out.push(['SREM', a[1], ...members.slice(i, i + 1024)]);
    return out;
  }],
  ['blpop', (_db, _a, r) => [['LPOP', strings(r())[0]]]],
  ['brpop', (_db, _a, r) => [['RPOP', strings(r())[0]]]],
  ['brpoplpush', (_db, a) => [['RPOPLPUSH', a[1], a[2]]]],
  ['blmove', (_db, a) => [['LMOVE', a[1], a[2], a[3], a[4]]]],
  ['blmpop', (_db, a, r) => mpop(r(), mpopWhere(a, 2) === 'left' ? 'LPOP' : 'RPOP')],
  ['lmpop', (_db, a, r) => mpop(r(), mpopWhere(a, 1) === 'left' ? 'LPOP' : 'RPOP')],
  ['bzpopmin', (_db, _a, r) => [['ZPOPMIN', strings(r())[0]]]],
  ['bzpopmax', (_db, _a, r) => [['ZPOPMAX', strings(r())[0]]]],
  ['bzmpop', (_db, a, r) => mpop(r(), mpopWhere(a, 2) === 'min' ? 'ZPOPMIN' : 'ZPOPMAX')],
  ['zmpop', (_db, a, r) => mpop(r(), mpopWhere(a, 1) === 'min' ? 'ZPOPMIN' : 'ZPOPMAX')],
  ['xadd', (db, a, r) => {
    const id = r();
    if (typeof id !== 'string') return [];
    const at = xaddIdIndex(a);
    const out = exactTrim(db, a, 2, at);
    out[out.length - (a.length - at)] = id;
    return [out];
  }],
  ['xtrim', (db, a) => [exactTrim(db, a, 2, a.length)]],
  ['xreadgroup', xreadgroupEffects],
  // MIGRATE reaches the replicas as the DEL of the keys it moved (as Valkey): a replica running
  // MIGRATE itself would send its own, older copies to the target.
  ['migrate', (db, a) => {
    let keys = [a[3]];
    for (let j = 6; j < a.length; j++) {
      const opt = lower(a[j]);
      if (opt === 'auth') {j++;} else if (opt === 'auth2') {j += 2;} else if (opt === 'keys') {
        keys = a.slice(j + 1);
        break;
      }
    }
    const gone = keys.filter((key) => key !== '' && !db.dict.has(key));
    return gone.length ? [['DEL', ...gone]] : [];
  }],
  ['restore', (db, a) => {
    if (a[2] === '0' || a.slice(4).some((x) => lower(x) === 'absttl')) return undefined;
    const at = db.expires.get(a[1]);
    if (at === undefined) return undefined;
    const out = a.slice();
    out[2] = String(at);
    out.push('ABSTTL');
    return [out];
  }],
]);

/** LMPOP/ZMPOP replies `[key, [elements]]`: sent as LPOP/RPOP/ZPOPMIN/ZPOPMAX key count. */
function mpop(r: Parsed, cmd: string): string[][] {
  if (!Array.isArray(r) || typeof r[0] !== 'string' || !Array.isArray(r[1])) return [];
  return [[cmd, r[0], String(r[1].length)]];
}

/** Commands never propagated as themselves: their effects are (EXEC's and scripts' commands). */
export const EFFECTS_ONLY = new Set(['exec', 'eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

/** Commands propagated even when no key changed (Redis forces these). */
export const ALWAYS = new Set(['flushall', 'flushdb', 'swapdb', 'publish', 'function|load', 'function|delete', 'function|flush', 'function|restore',
  'xreadgroup', 'xgroup|create', 'xgroup|setid', 'xgroup|createconsumer', 'xgroup|delconsumer', 'xgroup|destroy', 'xclaim', 'xautoclaim', 'xack']);

/** True when the spec is a write (or forced) command whose effects the replicas need. */
export function propagates(spec: CommandSpec, dirtyChanged: boolean): boolean {
  if (EFFECTS_ONLY.has(spec.name)) return false;
  if (ALWAYS.has(spec.name)) return true;
  return dirtyChanged && (spec.bits & CMD_WRITE) !== 0;
}
