import type { DataObject } from '../db';
import { stringBytes } from '../memory';
import { limits, listpackEntrySize } from './limits';

/** Estimated bytes of an empty list object (the object and its ring array). */
const LIST_BASE = 80;
/** Listpack header and terminator. */
const LP_OVERHEAD = 7;
/** Node size limits of list-max-listpack-size -1..-5. */
const SIZE_LEVELS = [4096, 8192, 16384, 32768, 65536];
/** Valkey's SIZE_SAFETY_LIMIT for count-limited nodes. */
const SAFETY_LIMIT = 8192;

function elementBytes(s: string): number {
  return 8 + stringBytes(s.length);
}

/**
 * A list: a ring buffer (power-of-two capacity, head index), so pushes and pops at both ends are
 * O(1) amortized and index access is O(1). Measured (Node 20, loaded 2-core box): 1M LPUSH + 1M RPOP
 * take ~0.2 s on the ring, while a plain array's unshift is O(n) (100k unshifts ~0.95 s). Chunked
 * arrays were not built: the ring already gives O(1) at both ends and O(1) LINDEX with no per-chunk
 * objects; middle inserts/removals (LINSERT, LREM) are O(n), as in Valkey's quicklist.
 *
 * The encoding is tracked as Valkey does (listpack while small, quicklist beyond
 * list-max-listpack-size, back to listpack when it shrinks to half the limit) using an estimate
 * of the listpack's byte size kept current on every change.
 */
export class ListObject implements DataObject {
  /** A list holding `items` in order, with its encoding decided as Valkey's list creation does. */
  public static from(items: readonly string[]): ListObject {
    const l = new ListObject();
    let add = 0;
    for (const s of items) add += s.length;
    l.growCheck(add, items.length);
    for (const s of items) l.pushRight(s);
    return l;
  }

  public readonly type = 'list' as const;
  public bytes = LIST_BASE;
  private buf: Array<string | undefined> = new Array(4);
  private head = 0;
  private len = 0;
  private listpack = true;
  /** Estimated listpack bytes of the elements (all entries plus header). */
  private lpBytes = LP_OVERHEAD;

  public get length(): number {
    return this.len;
  }

  public encoding(): string {
    return this.listpack ? 'listpack' : 'quicklist';
  }

  /** Elements in order (SORT, DUMP...). */
  public items(): string[] {
    const out = new Array<string>(this.len);
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.len; i++) out[i] = this.buf[(this.head + i) & mask]!;
    return out;
  }

  public clone(): ListObject {
    const l = new ListObject();
    l.buf = this.buf.slice();
    l.head = this.head;
    l.len = this.len;
    l.listpack = this.listpack;
    l.lpBytes = this.lpBytes;
    l.bytes = this.bytes;
    return l;
  }

  /**
   * Before adding `addCount` elements of `addBytes` raw bytes: converts listpack → quicklist when
   * the result would exceed list-max-listpack-size (Valkey's listTypeTryConvertListpack).
   */
  public growCheck(addBytes: number, addCount: number): void {
    if (this.listpack && exceedsLimit(this.lpBytes + addBytes, this.len + addCount)) this.listpack = false;
  }

  /** After removals: back to listpack when it fits in half the limit (listTypeTryConvertQuicklist). */
  public shrinkCheck(): void {
    if (this.listpack) return;
    const fill = limits.listMaxListpackSize;
    if (fill >= 0) {
      if (this.lpBytes <= SAFETY_LIMIT && this.len <= Math.floor((fill === 0 ? 1 : fill) / 2)) this.listpack = true;
    } else if (this.lpBytes <= SIZE_LEVELS[Math.min(-fill, 5) - 1] / 2) {
      this.listpack = true;
    }
  }

  /** The element at index `i` (0 ≤ i < length). */
  public at(i: number): string {
    return this.buf[(this.head + i) & (this.buf.length - 1)]!;
  }

  public setAt(i: number, v: string): void {
    const j = (this.head + i) & (this.buf.length - 1);
    const old = this.buf[j]!;
    this.buf[j] = v;
    this.bytes += elementBytes(v) - elementBytes(old);
    this.lpBytes += listpackEntrySize(v) - listpackEntrySize(old);
  }

  public pushLeft(v: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = v;
    this.len++;
    this.added(v);
  }

  public pushRight(v: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.buf[(this.head + this.len) & (this.buf.length - 1)] = v;
    this.len++;
    this.added(v);
  }

  public popLeft(): string | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head]!;
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.len--;
    this.removed(v);
    return v;
  }

  public popRight(): string | undefined {
    if (this.len === 0) return undefined;
    const j = (this.head + this.len - 1) & (this.buf.length - 1);
    const v = this.buf[j]!;
    this.buf[j] = undefined;
    this.len--;
    this.removed(v);
    return v;
  }

  /** Inserts `v` so that it becomes index `i` (0 ≤ i ≤ length). */
  public insertAt(i: number, v: string): void {
    if (i === 0) return this.pushLeft(v);
    this.pushRight(v);
    for (let k = this.len - 1; k > i; k--) this.put(k, this.at(k - 1));
    this.put(i, v);
  }

  /** Keeps only elements for which `keep` answers true (in order); returns how many were removed. */
  public filter(keep: (v: string, i: number) => boolean): number {
    const items = this.items();
    const kept: string[] = [];
    for (let i = 0; i < items.length; i++) {
      if (keep(items[i], i)) kept.push(items[i]);
      else this.unaccount(items[i]);
    }
    this.reset(kept);
    return items.length - kept.length;
  }

  /** Keeps indexes start..end inclusive (already clamped; start > end empties the list). */
  public trim(start: number, end: number): void {
    if (start > end || start >= this.len) {
      this.filter(() => false);
      return;
    }
    const tail = this.len - 1 - end;
    for (let i = 0; i < start; i++) this.popLeft();
    for (let i = 0; i < tail; i++) this.popRight();
  }

  private put(i: number, v: string): void {
    this.buf[(this.head + i) & (this.buf.length - 1)] = v;
  }

  private added(v: string): void {
    this.bytes += elementBytes(v);
    this.lpBytes += listpackEntrySize(v);
  }

  private unaccount(v: string): void {
    this.bytes -= elementBytes(v);
    this.lpBytes -= listpackEntrySize(v);
  }

  private removed(v: string): void {
    this.unaccount(v);
    const cap = this.buf.length;
    if (cap > 64 && this.len < cap >>> 2) this.resize(cap >>> 1);
  }

  private reset(items: string[]): void {
    let cap = 4;
    while (cap < items.length) cap *= 2;
    const buf = new Array<string | undefined>(cap);
    for (let i = 0; i < items.length; i++) buf[i] = items[i];
    this.buf = buf;
    this.head = 0;
    this.len = items.length;
  }

  private resize(cap: number): void {
    const next = new Array<string | undefined>(cap);
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) & mask];
    this.buf = next;
    this.head = 0;
  }
}

/** Valkey's quicklistNodeExceedsLimit for list-max-listpack-size. */
function exceedsLimit(bytes: number, count: number): boolean {
  const fill = limits.listMaxListpackSize;
  if (fill < 0) return bytes > SIZE_LEVELS[Math.min(-fill, 5) - 1];
  if (bytes > SAFETY_LIMIT) return true;
  return count > (fill === 0 ? 1 : fill);
}
