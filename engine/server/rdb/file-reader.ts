import { ByteReader } from './bytes';
import * as C from './constants';
import { crc64 } from './crc64';
import { RdbError } from './error';
import type { RdbEntry } from './file-writer';
import { isObjectType, ReadOptions, readValue } from './value-reader';

/** Everything an RDB file holds. */
export interface RdbContents {
  version: number;
  /** AUX fields (the last value wins for repeated ones). */
  aux: Map<string, string>;
  /** FUNCTION2 library sources, in file order. */
  functions: string[];
  /** Pre-7.0 files: the EVAL scripts saved as "lua" AUX fields (Redis 7 does not load them). */
  scripts: string[];
  /** Keys per database, in file order. Keys already expired are included (the loader decides). */
  dbs: Map<number, RdbEntry[]>;
}

const MAX_VERSION = 11;
const VALKEY_VERSIONS = new Set([80]);

function header(r: ByteReader): number {
  if (r.remaining < 9) r.fail('not an RDB file: too short', 0);
  const magic = r.buf.latin1Slice(0, 9);
  let m = /^REDIS(\d{4})$/.exec(magic);
  if (m) {
    const v = Number(m[1]);
    if (v < 1 || v > MAX_VERSION) r.fail(`unsupported RDB version ${v}`, 5);
    r.pos = 9;
    return v;
  }
  m = /^VALKEY(\d{3})$/.exec(magic);
  if (m) {
    const v = Number(m[1]);
    if (!VALKEY_VERSIONS.has(v)) r.fail(`unsupported RDB version ${v}`, 6);
    r.pos = 9;
    return v;
  }
  return r.fail('not an RDB file: wrong signature', 0);
}

/**
 * Parses a whole RDB file. All or nothing: any problem (truncation, unknown type, bad encoding,
 * checksum mismatch) throws RdbError naming the byte offset and the reason.
 */
export function parseRdb(file: Buffer, opts?: ReadOptions): RdbContents {
  const r = new ByteReader(file);
  const version = header(r);
  const out: RdbContents = { version, aux: new Map(), functions: [], scripts: [], dbs: new Map() };
  let db = 0;
  let entries: RdbEntry[] | undefined;
  let keys: Set<string> | undefined;
  let expireAt: number | undefined;
  let idle: number | undefined;
  let freq: number | undefined;
  const selectDb = (id: number) => {
    db = id;
    entries = out.dbs.get(id);
    if (!entries) out.dbs.set(id, (entries = []));
    keys = new Set(entries.map((e) => e.key));
  };
  for (;;) {
    const at = r.pos;
    const op = r.u8();
    if (op === C.OP_EOF) break;
    switch (op) {
      case C.OP_AUX: {
        const k = r.string();
        const v = r.string();
        out.aux.set(k, v);
        if (k === 'lua') out.scripts.push(v);
        continue;
      }
      case C.OP_SELECTDB:
        selectDb(r.len());
        continue;
      case C.OP_RESIZEDB:
        r.len();
        r.len();
        continue;
      case C.OP_EXPIRETIME:
        expireAt = r.u32le() * 1000;
        continue;
      case C.OP_EXPIRETIME_MS:
        expireAt = r.i64le();
        continue;
      case C.OP_IDLE:
        idle = r.len();
        continue;
      case C.OP_FREQ:
        freq = r.u8();
        continue;
      case C.OP_FUNCTION2:
        out.functions.push(r.string());
        continue;
      case C.OP_FUNCTION_PRE_GA:
        throw r.fail('functions in the Redis 7.0 release-candidate format are not supported', at);
      case C.OP_MODULE_AUX:
        throw r.fail('module auxiliary data: this server loads no modules', at);
      case C.OP_SLOT_INFO:
        r.len();
        r.len();
        r.len();
        continue;
      case C.OP_SLOT_IMPORT:
        throw r.fail('cluster slot import state (Valkey 9) is not supported', at);
      default:
        break;
    }
    if (!isObjectType(op)) r.fail(`unknown opcode or type ${op}`, at);
    if (!entries) selectDb(db);
    const kat = r.pos;
    const key = r.string();
    const value = readValue(r, op, opts);
    if (keys!.has(key)) r.fail('duplicate key', kat);
    if (value !== undefined) {
      keys!.add(key);
      const e: RdbEntry = { key, value };
      if (expireAt !== undefined) e.expireAt = expireAt;
      if (idle !== undefined) e.idle = idle;
      if (freq !== undefined) e.freq = freq;
      entries!.push(e);
    }
    expireAt = idle = freq = undefined;
  }
  if (version >= 5) {
    const at = r.pos;
    if (r.remaining < 8) r.fail('unexpected end of file: checksum missing', at);
    const stored = file.readBigUInt64LE(at);
    if (stored !== 0n) {
      const actual = crc64(file, 0, at);
      if (actual !== stored) throw new RdbError(`checksum mismatch: file says ${stored.toString(16)}, data gives ${actual.toString(16)}`, at);
    }
  }
  return out;
}
