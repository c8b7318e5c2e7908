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
 * An RDB file parsed in steps, so a node can keep answering (-LOADING) while it reads a large
 * file: `step()` reads up to `maxRecords` records and returns true once the whole file, checksum
 * included, has been read; `contents` is available only then. All or nothing: any problem
 * (truncation, unknown type, bad encoding, checksum mismatch) throws RdbError naming the byte
 * offset and the reason, and nothing is handed out.
 */
export class RdbParser {
  private readonly r: ByteReader;
  private readonly out: RdbContents;
  private finished = false;
  private db = 0;
  private entries: RdbEntry[] | undefined;
  private keys: Set<string> | undefined;
  private expireAt: number | undefined;
  private idle: number | undefined;
  private freq: number | undefined;

  constructor(private readonly file: Buffer, private readonly opts?: ReadOptions) {
    this.r = new ByteReader(file);
    const version = header(this.r);
    this.out = { version, aux: new Map(), functions: [], scripts: [], dbs: new Map() };
  }

  /** Bytes read so far (for loading progress). */
  public get offset(): number {
    return this.r.pos;
  }

  public get done(): boolean {
    return this.finished;
  }

  /** The file's contents, once `step()` returned true. */
  public get contents(): RdbContents {
    if (!this.finished) throw new Error('RDB file not fully parsed yet');
    return this.out;
  }

  /** Reads up to `maxRecords` records (keys, AUX fields, opcodes); true when the file is done. */
  public step(maxRecords = Infinity): boolean {
    const r = this.r;
    for (let n = 0; n < maxRecords && !this.finished; n++) {
      const at = r.pos;
      const op = r.u8();
      if (op === C.OP_EOF) {
        this.checksum();
        this.finished = true;
        break;
      }
      if (!this.opcode(op, at)) this.key(op);
    }
    return this.finished;
  }

  private selectDb(id: number): void {
    this.db = id;
    let entries = this.out.dbs.get(id);
    if (!entries) this.out.dbs.set(id, (entries = []));
    this.entries = entries;
    this.keys = new Set(entries.map((e) => e.key));
  }

  /** Handles a non-key record; false when `op` is an object type. */
  private opcode(op: number, at: number): boolean {
    const r = this.r;
    switch (op) {
      case C.OP_AUX: {
        const k = r.string();
        const v = r.string();
        this.out.aux.set(k, v);
        if (k === 'lua') this.out.scripts.push(v);
        return true;
      }
      case C.OP_SELECTDB:
        this.selectDb(r.len());
        return true;
      case C.OP_RESIZEDB:
        r.len();
        r.len();
        return true;
      case C.OP_EXPIRETIME:
        this.expireAt = r.u32le() * 1000;
        return true;
      case C.OP_EXPIRETIME_MS:
        this.expireAt = r.i64le();
        return true;
      case C.OP_IDLE:
        this.idle = r.len();
        return true;
      case C.OP_FREQ:
        this.freq = r.u8();
        return true;
      case C.OP_FUNCTION2:
        this.out.functions.push(r.string());
        return true;
      case C.OP_FUNCTION_PRE_GA:
        return r.fail('functions in the Redis 7.0 release-candidate format are not supported', at);
      case C.OP_MODULE_AUX:
        return r.fail('module auxiliary data: this server loads no modules', at);
      case C.OP_SLOT_INFO:
        r.len();
        r.len();
        r.len();
        return true;
      case C.OP_SLOT_IMPORT:
        return r.fail('cluster slot import state (Valkey 9) is not supported', at);
      default:
        if (!isObjectType(op)) r.fail(`unknown opcode or type ${op}`, at);
        return false;
    }
  }

  private key(type: number): void {
    const r = this.r;
    if (!this.entries) this.selectDb(this.db);
    const kat = r.pos;
    const key = r.string();
    const value = readValue(r, type, this.opts);
    if (this.keys!.has(key)) r.fail('duplicate key', kat);
    if (value !== undefined) {
      this.keys!.add(key);
      const e: RdbEntry = { key, value };
      if (this.expireAt !== undefined) e.expireAt = this.expireAt;
      if (this.idle !== undefined) e.idle = this.idle;
      if (this.freq !== undefined) e.freq = this.freq;
      this.entries!.push(e);
    }
    this.expireAt = this.idle = this.freq = undefined;
  }

  private checksum(): void {
    const r = this.r;
    if (this.out.version < 5) return;
    const at = r.pos;
    if (r.remaining < 8) r.fail('unexpected end of file: checksum missing', at);
    const stored = this.file.readBigUInt64LE(at);
    if (stored === 0n || this.opts?.skipChecksum) return; // saved / loaded with rdbchecksum no
    const actual = crc64(this.file, 0, at);
    if (actual !== stored) throw new RdbError(`checksum mismatch: file says ${stored.toString(16)}, data gives ${actual.toString(16)}`, at);
  }
}

/** Parses a whole RDB file at once (see RdbParser for the guarantees). */
export function parseRdb(file: Buffer, opts?: ReadOptions): RdbContents {
  const p = new RdbParser(file, opts);
  p.step();
  return p.contents;
}
