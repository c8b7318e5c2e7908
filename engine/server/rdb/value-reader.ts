import type { Value } from '../db';
import { memory } from '../memory';
import { ByteReader, parseDouble } from './bytes';
import * as C from './constants';
import { readIntset } from './intset';
import { readListpack } from './listpack';
import { readStream } from './stream';
import { readZiplist } from './ziplist';
import { readZipmap } from './zipmap';
import { HashObject } from '../types/hash';
import { ListObject } from '../types/list';
import { SetObject } from '../types/set';
import { ZSet, ZsetLimits } from '../types/zset';

/** What the reader needs from the loading node (encoding thresholds that live in its config). */
export interface ReadOptions {
  /** zset-max-listpack-entries / -value (default 128 / 64). */
  zset?: ZsetLimits;
  /** rdbchecksum no: the file's checksum is not verified (it is still read). */
  skipChecksum?: boolean;
}

const DEFAULT_ZSET: ZsetLimits = { entries: 128, value: 64 };

const TYPE_NAMES: Record<number, string> = {
  [C.T_MODULE_PRE_GA]: 'module value (pre-GA format)',
  [C.T_MODULE_2]: 'module value',
  [C.T_HASH_2]: 'hash with field expirations (Valkey 9)',
};

/** True for the type bytes that start a key (as opposed to opcodes). */
export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 22);
}

/**
 * Reads one value of RDB type `type` (every type Redis 2.x..7.x and Valkey 7.2/8 write). Returns
 * undefined for an empty collection (Redis skips those when loading a file; RESTORE rejects
 * them). Objects are built with the type modules' own constructors, so their encodings and byte
 * estimates are what the commands would have made; memory.dataset is left unchanged (the Db
 * accounts for the value when it is stored).
 */
export function readValue(r: ByteReader, type: number, opts: ReadOptions = {}): Value | undefined {
  const before = memory.dataset;
  try {
    return readAny(r, type, opts);
  } finally {
    memory.dataset = before;
  }
}

function readAny(r: ByteReader, type: number, opts: ReadOptions): Value | undefined {
  const at = r.pos;
  switch (type) {
    case C.T_STRING:
      return r.string();
    case C.T_LIST: {
      const n = r.count();
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(r.string());
      return list(items);
    }
    case C.T_SET: {
      const n = r.count();
      const members: string[] = [];
      for (let i = 0; i < n; i++) members.push(r.string());
      return set(r, members, at);
    }
    case C.T_ZSET:
    case C.T_ZSET_2: {
      const n = r.count(type === C.T_ZSET ? 2 : 9);
      const members: string[] = [];
      const scores: number[] = [];
      for (let i = 0; i < n; i++) {
        members.push(r.string());
        const sat = r.pos;
        const score = type === C.T_ZSET ? r.asciiDouble() : r.doubleLE();
        if (Number.isNaN(score)) r.fail('zset score is NaN', sat);
        scores.push(score);
      }
      return zset(r, members, scores, opts, at);
    }
    case C.T_HASH: {
      const n = r.count(2);
      const fv: string[] = [];
      for (let i = 0; i < n; i++) fv.push(r.string(), r.string());
      return hash(r, fv, at);
    }
    case C.T_HASH_ZIPMAP:
      return hash(r, readZipmap(r.blob(), r.base + at), at);
    case C.T_LIST_ZIPLIST:
      return list(readZiplist(r.blob(), r.base + at));
    case C.T_SET_INTSET:
      return set(r, readIntset(r.blob(), r.base + at), at);
    case C.T_SET_LISTPACK:
      return set(r, readListpack(r.blob(), r.base + at), at);
    case C.T_ZSET_ZIPLIST:
    case C.T_ZSET_LISTPACK: {
      const items = type === C.T_ZSET_ZIPLIST ? readZiplist(r.blob(), r.base + at) : readListpack(r.blob(), r.base + at);
      if (items.length % 2 !== 0) r.fail('sorted set blob with an odd number of elements', at);
      const members: string[] = [];
      const scores: number[] = [];
      for (let i = 0; i < items.length; i += 2) {
        const score = parseDouble(items[i + 1]);
        if (score === undefined || Number.isNaN(score)) r.fail(`invalid zset score '${items[i + 1]}'`, at);
        members.push(items[i]);
        scores.push(score);
      }
      return zset(r, members, scores, opts, at);
    }
    case C.T_HASH_ZIPLIST:
    case C.T_HASH_LISTPACK: {
      const items = type === C.T_HASH_ZIPLIST ? readZiplist(r.blob(), r.base + at) : readListpack(r.blob(), r.base + at);
      if (items.length % 2 !== 0) r.fail('hash blob with an odd number of elements', at);
      return hash(r, items, at);
    }
    case C.T_LIST_QUICKLIST:
    case C.T_LIST_QUICKLIST_2: {
      const nodes = r.count();
      const items: string[] = [];
      for (let i = 0; i < nodes; i++) {
        const nat = r.pos;
        const container = type === C.T_LIST_QUICKLIST_2 ? r.len() : C.QUICKLIST_NODE_PACKED;
        if (container === C.QUICKLIST_NODE_PLAIN) {
          items.push(r.string());
          continue;
        }
        if (container !== C.QUICKLIST_NODE_PACKED) r.fail(`unknown quicklist container ${container}`, nat);
        const bat = r.pos;
        const blob = r.blob();
        const part = type === C.T_LIST_QUICKLIST ? readZiplist(blob, r.base + bat) : readListpack(blob, r.base + bat);
        for (const s of part) items.push(s);
      }
      return list(items);
    }
    case C.T_STREAM_LISTPACKS:
    case C.T_STREAM_LISTPACKS_2:
    case C.T_STREAM_LISTPACKS_3:
      return readStream(r, type);
    default: {
      const name = TYPE_NAMES[type];
      if (name) return r.fail(`cannot load a ${name} (RDB type ${type}): not supported by this server`, at - 1);
      return r.fail(`unknown RDB object type ${type}`, at - 1);
    }
  }
}

function list(items: string[]): ListObject | undefined {
  return items.length === 0 ? undefined : ListObject.from(items);
}

function set(r: ByteReader, members: string[], at: number): SetObject | undefined {
  if (members.length === 0) return undefined;
  const s = SetObject.from(members);
  if (s.size !== members.length) r.fail('duplicate set member', at);
  return s;
}

function zset(r: ByteReader, members: string[], scores: number[], opts: ReadOptions, at: number): ZSet | undefined {
  if (members.length === 0) return undefined;
  let maxLen = 0;
  for (const m of members) if (m.length > maxLen) maxLen = m.length;
  const z = ZSet.create(members.length, maxLen, opts.zset ?? DEFAULT_ZSET);
  for (let i = 0; i < members.length; i++) {
    if (!z.set(members[i], scores[i])) r.fail('duplicate sorted set member', at);
  }
  return z;
}

function hash(r: ByteReader, fv: string[], at: number): HashObject | undefined {
  if (fv.length === 0) return undefined;
  const h = new HashObject();
  for (let i = 0; i < fv.length; i += 2) {
    if (!h.set(fv[i], fv[i + 1])) r.fail('duplicate hash field', at);
  }
  return h;
}
