import type { Client } from '../client';
import type { DataObject, Value } from '../db';
import { memory } from '../memory';
import { CommandError, Errors } from './command';

/**
 * Estimated bytes of a mutable string beyond its buffer capacity (measured: ~257 of V8 heap and
 * ArrayBuffer accounting per object, node 20): this object, the Buffer view,
 * its ArrayBuffer and the malloc'd backing store header.
 */
export const MUTABLE_OVERHEAD = 256;
/** Greedy growth stops doubling here, as sds does. */
const MAX_PREALLOC = 1024 * 1024;

/**
 * A string value kept in a mutable buffer, so bit and HyperLogLog commands edit it in place
 * (O(1) per SETBIT instead of rebuilding an immutable JS string). It is still a string for every
 * other command: `Db.get`/`Db.peek` turn it back into a latin1 JS string (`toLatin1`) and store
 * that instead, so GET, APPEND, SETRANGE... never see this object.
 *
 * Bytes of `buf` past `length` are always zero. `bytes` (the Db's estimate for this value) is the
 * capacity plus MUTABLE_OVERHEAD; when the buffer changes size while the object is stored, the
 * same delta goes to `memory.dataset`.
 */
export class MutableString implements DataObject {
  /** A stored copy of `s`, grown (zero-padded) to at least `minLength` bytes. */
  public static from(s: string, minLength: number, capacity = Math.max(s.length, minLength)): MutableString {
    const m = new MutableString(Buffer.alloc(capacity), Math.max(s.length, minLength));
    if (s.length > 0) m.buf.latin1Write(s, 0);
    return m;
  }

  public readonly type = 'string' as const;
  public bytes: number;

  constructor(public buf: Buffer, public length: number) {
    this.bytes = buf.length + MUTABLE_OVERHEAD;
  }

  public encoding(): string {
    return 'raw';
  }

  public toLatin1(): string {
    return this.buf.latin1Slice(0, this.length);
  }

  /**
   * Sets the length to `len` (new bytes are zero; bytes cut off are zeroed), growing the buffer
   * greedily. The object must be the stored value (the memory account moves with it).
   */
  public resize(len: number): void {
    if (len > this.buf.length) {
      const cap = len < MAX_PREALLOC ? len * 2 : len + MAX_PREALLOC;
      const nb = Buffer.alloc(cap);
      this.buf.copy(nb, 0, 0, this.length);
      this.replaceBuffer(nb, len);
      return;
    }
    if (len < this.length) this.buf.fill(0, len, this.length);
    this.length = len;
  }

  /** Makes room for `extra` more bytes without changing the length (the memory account moves). */
  public reserve(extra: number): void {
    const len = this.length + extra;
    if (len <= this.buf.length) return;
    const cap = len < MAX_PREALLOC ? len * 2 : len + MAX_PREALLOC;
    const nb = Buffer.alloc(cap);
    this.buf.copy(nb, 0, 0, this.length);
    this.replaceBuffer(nb, this.length);
  }

  /** Swaps in another buffer (bytes past `len` must be zero); the memory account moves. */
  public replaceBuffer(buf: Buffer, len: number): void {
    const delta = buf.length - this.buf.length;
    this.buf = buf;
    this.length = len;
    this.bytes += delta;
    memory.dataset += delta;
  }
}

/** A string value in either representation. */
export type StringLike = string | MutableString;

/** The value of `key` for a reading command (counts hits/misses); WRONGTYPE for non-strings. */
export function readStringLike(c: Client, key: string): StringLike | undefined {
  const v = c.db.getRaw(key);
  if (v === undefined) {
    c.server.stats.keyspaceMisses++;
    return undefined;
  }
  c.server.stats.keyspaceHits++;
  return checkString(v);
}

/** The value of `key` for a writing command; WRONGTYPE for non-strings. */
export function writeStringLike(c: Client, key: string): StringLike | undefined {
  const v = c.db.getRaw(key);
  return v === undefined ? undefined : checkString(v);
}

function checkString(v: Value): StringLike {
  if (typeof v === 'string' || v instanceof MutableString) return v;
  throw new CommandError(Errors.wrongType);
}

/**
 * The stored mutable form of an existing string key: a JS string is converted once and swapped
 * in without signalling a modification (the value is equal).
 */
export function makeMutable(c: Client, key: string, v: StringLike): MutableString {
  if (typeof v !== 'string') return v;
  const m = MutableString.from(v, v.length);
  c.db.swapRepresentation(key, m);
  return m;
}

/** Byte `i` of a string value (0 past the end). */
export function byteAt(v: StringLike, i: number): number {
  if (i >= v.length) return 0;
  return typeof v === 'string' ? v.charCodeAt(i) : v.buf[i];
}

let scratch = Buffer.alloc(64 * 1024);

/**
 * Bytes [start, end) of a string value as a Uint8Array: a view for a mutable string, a copy for a
 * JS string (in a shared scratch buffer when small: valid until the next call).
 */
export function bytesOf(v: StringLike, start: number, end: number): Uint8Array {
  if (typeof v !== 'string') return v.buf.subarray(start, end);
  const n = end - start;
  if (n > 1024 * 1024) return Buffer.from(start === 0 && end === v.length ? v : v.slice(start, end), 'latin1');
  if (n > scratch.length) scratch = Buffer.alloc(Math.max(n, scratch.length * 2));
  scratch.latin1Write(start === 0 && end === v.length ? v : v.slice(start, end), 0);
  return scratch.subarray(0, n);
}
