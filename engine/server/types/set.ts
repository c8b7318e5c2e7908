import type { DataObject } from '../db';
import { stringBytes } from '../memory';
import { isInt64String, limits } from './limits';

/** Estimated bytes of an empty set object (the object, its Map and its array). */
const SET_BASE = 112;
/** Estimated bytes per member besides its string: the Map entry and the array slot. */
const MEMBER_OVERHEAD = 32;

const INTSET = 0;
const LISTPACK = 1;
const HASHTABLE = 2;
const ENCODINGS = ['intset', 'listpack', 'hashtable'];

function intCompare(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A set: members in an array plus a Map member → index, so membership, add, remove (swap with the
 * last) and picking a random member (SPOP, SRANDMEMBER) are all O(1).
 *
 * Encodings follow Valkey 8: intset while every member is an integer and there are at most
 * set-max-intset-entries, listpack while small (set-max-listpack-entries/value), else hashtable;
 * conversions are one-way. (Redis 7.0 has no listpack sets: it goes intset → hashtable.)
 */
export class SetObject implements DataObject {
  /** An empty set with the encoding Valkey's setTypeCreate picks for a first member and a size hint. */
  public static create(first: string, sizeHint: number): SetObject {
    const s = new SetObject();
    if (isInt64String(first) && sizeHint <= limits.setMaxIntsetEntries) s.enc = INTSET;
    else if (sizeHint <= limits.setMaxListpackEntries) s.enc = LISTPACK;
    else s.enc = HASHTABLE;
    return s;
  }

  /** A set built from members (store commands), starting as an intset as Valkey's do. */
  public static from(members: Iterable<string>): SetObject {
    const s = new SetObject();
    for (const m of members) s.add(m);
    return s;
  }

  public readonly type = 'set' as const;
  public bytes = SET_BASE;
  private readonly index = new Map<string, number>();
  private arr: string[] = [];
  private enc = INTSET;

  public get size(): number {
    return this.arr.length;
  }

  /** Small encodings answer SSCAN in one call, as Valkey does. */
  public get isCompact(): boolean {
    return this.enc !== HASHTABLE;
  }

  public encoding(): string {
    return ENCODINGS[this.enc];
  }

  /** Members; an intset iterates in ascending order, as in Valkey. */
  public items(): string[] {
    const out = this.arr.slice();
    if (this.enc === INTSET) out.sort(intCompare);
    return out;
  }

  /** Members without copying (do not modify); unordered. */
  public get members(): readonly string[] {
    return this.arr;
  }

  public clone(): SetObject {
    const s = new SetObject();
    s.arr = this.arr.slice();
    for (let i = 0; i < s.arr.length; i++) s.index.set(s.arr[i], i);
    s.enc = this.enc;
    s.bytes = this.bytes;
    return s;
  }

  public has(m: string): boolean {
    return this.index.has(m);
  }

  /** Adds a member; true if it was new. */
  public add(m: string): boolean {
    if (this.index.has(m)) return false;
    const n = this.arr.length;
    if (this.enc === INTSET) {
      if (!isInt64String(m)) {
        const fits = n < limits.setMaxListpackEntries && m.length <= limits.setMaxListpackValue && this.maxLength() <= limits.setMaxListpackValue;
        this.enc = fits ? LISTPACK : HASHTABLE;
      } else if (n + 1 > Math.min(limits.setMaxIntsetEntries, 1 << 30)) {
        this.enc = HASHTABLE;
      }
    } else if (this.enc === LISTPACK && (n >= limits.setMaxListpackEntries || m.length > limits.setMaxListpackValue)) {
      this.enc = HASHTABLE;
    }
    this.index.set(m, n);
    this.arr.push(m);
    this.bytes += MEMBER_OVERHEAD + stringBytes(m.length);
    return true;
  }

  /** Removes a member; true if it was there. */
  public delete(m: string): boolean {
    const i = this.index.get(m);
    if (i === undefined) return false;
    this.index.delete(m);
    const last = this.arr.pop()!;
    if (i < this.arr.length) {
      this.arr[i] = last;
      this.index.set(last, i);
    }
    this.bytes -= MEMBER_OVERHEAD + stringBytes(m.length);
    return true;
  }

  /** A uniformly random member (the set must not be empty). */
  public random(): string {
    return this.arr[Math.floor(Math.random() * this.arr.length)];
  }

  private maxLength(): number {
    let max = 0;
    for (const s of this.arr) if (s.length > max) max = s.length;
    return max;
  }
}
