import type { Value } from '../db';
import { ByteWriter } from './bytes';
import * as C from './constants';
import { Crc64 } from './crc64';
import { rdbTypeOf, writePayload } from './value-writer';

/** One key as stored in an RDB file. */
export interface RdbEntry {
  key: string;
  value: Value;
  /** Absolute expiry, ms since the epoch. */
  expireAt?: number;
  /** LRU idle time in seconds (saved when an LRU policy is active). */
  idle?: number;
  /** LFU counter 0..255 (saved when an LFU policy is active). */
  freq?: number;
}

/** Bytes buffered before they are handed to the sink. */
const CHUNK = 64 * 1024;
/** The checksum field of a file saved with rdbchecksum no: loaders skip the check. */
const NO_CHECKSUM = Buffer.alloc(8);

/**
 * Writes an RDB file incrementally: header, functions, then per database SELECTDB/RESIZEDB and
 * its entries, then EOF and the CRC-64 of everything written. The sink gets chunks of about
 * 64 KiB (and the rest on `flush()` / `end()`), so a snapshot can be written in slices between
 * event-loop turns without holding the file in memory.
 */
/** rdbcompression / rdbchecksum: off, strings are written raw and the checksum field is 0 (as Valkey does). */
export interface RdbWriterOptions {
  compress?: boolean;
  checksum?: boolean;
  /**
   * false: `end()` stops after the EOF opcode and the checksum field is left to the sink's owner
   * (a BGSAVE's writer thread computes the CRC off the main thread). Default true.
   */
  trailer?: boolean;
  /**
   * true: the sink gets a view of the writer's buffer, valid only during the call (it copies what
   * it keeps), so no chunk is allocated per 64 KiB. Default false: each chunk is the sink's own.
   */
  borrow?: boolean;
}

export class RdbWriter {
  private readonly w = new ByteWriter(CHUNK * 2);
  private readonly crc: Crc64 | undefined;
  private readonly compress: boolean;
  private readonly trailer: boolean;
  private readonly borrow: boolean;
  private written = 0;

  constructor(private readonly sink: (chunk: Buffer) => void, opts: RdbWriterOptions = {}) {
    this.compress = opts.compress !== false;
    this.trailer = opts.trailer !== false;
    this.borrow = opts.borrow === true;
    this.crc = opts.checksum === false || !this.trailer ? undefined : new Crc64();
    this.w.compress = this.compress;
  }

  /** Bytes handed to the sink plus those buffered. */
  public get size(): number {
    return this.written + this.w.length;
  }

  /** "REDIS0010" and the AUX fields (redis-ver, redis-bits, ctime, used-mem, aof-base, ...). */
  public header(aux: Record<string, string | number>): void {
    this.w.latin1(`REDIS${String(C.RDB_WRITE_VERSION).padStart(4, '0')}`);
    for (const [k, v] of Object.entries(aux)) {
      this.w.u8(C.OP_AUX);
      this.w.string(k);
      this.w.string(typeof v === 'number' ? String(Math.trunc(v)) : v);
    }
    this.maybeFlush();
  }

  /** One FUNCTION2 record per library (its full source, with the #! line). */
  public functions(librarySources: readonly string[]): void {
    for (const code of librarySources) {
      this.w.u8(C.OP_FUNCTION2);
      this.w.string(code);
    }
    this.maybeFlush();
  }

  /** Starts a database: SELECTDB and the RESIZEDB hint. */
  public selectDb(db: number, dbSize: number, expiresSize: number): void {
    this.w.u8(C.OP_SELECTDB);
    this.w.len(db);
    this.w.u8(C.OP_RESIZEDB);
    this.w.len(dbSize);
    this.w.len(expiresSize);
    this.maybeFlush();
  }

  /** One key: its expiry, idle time or frequency, then type, key and value. */
  public entry(e: RdbEntry): void {
    const w = this.w;
    if (e.expireAt !== undefined) {
      w.u8(C.OP_EXPIRETIME_MS);
      w.i64le(Math.trunc(e.expireAt));
    }
    if (e.idle !== undefined) {
      w.u8(C.OP_IDLE);
      w.len(Math.max(0, Math.trunc(e.idle)));
    }
    if (e.freq !== undefined) {
      w.u8(C.OP_FREQ);
      w.u8(Math.max(0, Math.min(255, Math.trunc(e.freq))));
    }
    w.u8(rdbTypeOf(e.value));
    w.string(e.key);
    writePayload(w, e.value);
    this.maybeFlush();
  }

  /** One key without idle time or frequency (the snapshot walk: no object per key). */
  public put(key: string, value: Value, expireAt: number | undefined): void {
    const w = this.w;
    if (expireAt !== undefined) {
      w.u8(C.OP_EXPIRETIME_MS);
      w.i64le(Math.trunc(expireAt));
    }
    if (typeof value === 'string') {
      w.u8(C.T_STRING);
      w.string(key);
      w.string(value);
    } else {
      w.u8(rdbTypeOf(value));
      w.string(key);
      writePayload(w, value);
    }
    if (w.length >= CHUNK) this.flush();
  }

  /** EOF and the checksum; flushes everything. */
  public end(): void {
    this.w.u8(C.OP_EOF);
    if (!this.trailer) {
      // the sink's owner appends the checksum field
    } else if (this.crc) {
      this.crc.update(this.w.buf, 0, this.w.length);
      this.w.raw(this.crc.digest());
    } else {
      this.w.raw(NO_CHECKSUM);
    }
    this.emit();
  }

  /** Hands whatever is buffered to the sink now. */
  public flush(): void {
    this.crc?.update(this.w.buf, 0, this.w.length);
    this.emit();
  }

  private maybeFlush(): void {
    if (this.w.length >= CHUNK) this.flush();
  }

  private emit(): void {
    if (this.w.length === 0) return;
    const chunk = this.borrow ? this.w.bytes() : this.w.take();
    this.written += chunk.length;
    this.sink(chunk);
    if (this.borrow) this.w.length = 0;
  }
}
