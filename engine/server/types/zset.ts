import type { DataObject } from '../db';
import { memory, stringBytes } from '../memory';

/**
 * A sorted set: a skiplist with spans (O(log n) rank, range by score and by lex) ordered by
 * (score, member bytes), plus a member → score Map for O(1) ZSCORE. Members are latin1 strings,
 * so JS string comparison is byte comparison.
 *
 * The encoding Valkey would report (listpack while small, skiplist once it grows past
 * zset-max-listpack-entries / -value) is tracked as a flag; the conversion is one-way.
 */

const MAX_LEVEL = 32;
/** Estimated bytes of an empty sorted set (object, map, skiplist header). */
const ZSET_BASE = 96;
/** Estimated bytes of one element besides its member string (node, arrays, map slot). */
const ELEMENT_OVERHEAD = 64;

function elementBytes(member: string): number {
  return ELEMENT_OVERHEAD + stringBytes(member.length);
}

export class ZNode {
  public backward: ZNode | null = null;
  public readonly next: Array<ZNode | null>;
  public readonly span: number[];
  constructor(public member: string, public score: number, level: number) {
    this.next = new Array<ZNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** A score range: min/max with exclusive flags (ZRANGEBYSCORE syntax). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** A lex range bound: kind -1 is '-', 1 is '+', 0 a string (exclusive or not). */
export interface LexBound {
  kind: -1 | 0 | 1;
  value: string;
  ex: boolean;
}

export interface LexRange {
  min: LexBound;
  max: LexBound;
}

/** Scratch arrays of insert/unlink (one event loop, no re-entrancy: shared to avoid per-call allocations). */
const UPDATE: ZNode[] = new Array<ZNode>(MAX_LEVEL);
const RANK: number[] = new Array<number>(MAX_LEVEL).fill(0);

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < 0.25) level++;
  return level;
}

/** (score, member) strictly before (s, m)? */
function before(node: ZNode, s: number, m: string): boolean {
  return node.score < s || (node.score === s && node.member < m);
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}
export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}
export function lexGteMin(v: string, r: LexRange): boolean {
  const b = r.min;
  if (b.kind === -1) return true;
  if (b.kind === 1) return false;
  return b.ex ? v > b.value : v >= b.value;
}
export function lexLteMax(v: string, r: LexRange): boolean {
  const b = r.max;
  if (b.kind === 1) return true;
  if (b.kind === -1) return false;
  return b.ex ? v < b.value : v <= b.value;
}

/** Thresholds of the listpack encoding (zset-max-listpack-entries / -value). */
export interface ZsetLimits {
  entries: number;
  value: number;
}

export class ZSet implements DataObject {
  /** Creates the encoding ZADD / stores would pick for `count` elements whose longest member is `maxLen`. */
  public static create(count: number, maxLen: number, limits: ZsetLimits): ZSet {
    const z = new ZSet();
    if (count > limits.entries || maxLen > limits.value) z.listpack = false;
    return z;
  }

  public readonly type = 'zset' as const;
  public bytes = ZSET_BASE;
  /** Member → score. */
  public readonly dict = new Map<string, number>();
  /** True while Valkey would keep this set as a listpack. */
  public listpack = true;
  private readonly head = new ZNode('', 0, MAX_LEVEL);
  private tailNode: ZNode | null = null;
  private level = 1;

  public get size(): number {
    return this.dict.size;
  }

  public encoding(): string {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  private grow(delta: number): void {
    this.bytes += delta;
    memory.dataset += delta;
  }

  /** Converts to skiplist if adding a member of `len` bytes would exceed the listpack limits. */
  public checkGrow(len: number, limits: ZsetLimits): void {
    if (this.listpack && (this.dict.size + 1 > limits.entries || len > limits.value)) this.listpack = false;
  }

  /** After building a store result: back to listpack when it fits (Valkey's zsetConvertToListpackIfNeeded). */
  public fitEncoding(limits: ZsetLimits): void {
    if (this.dict.size > limits.entries) return;
    for (const m of this.dict.keys()) if (m.length > limits.value) return;
    this.listpack = true;
    this.normalizeZeros();
  }

  private normalizeZeros(): void {
    for (let x = this.head.next[0]; x; x = x.next[0]) {
      if (Object.is(x.score, -0)) {
        x.score = 0;
        this.dict.set(x.member, 0);
      }
    }
  }

  public score(member: string): number | undefined {
    return this.dict.get(member);
  }

  /**
   * Sets a member's score (adds it when new). The caller checked the encoding limits with
   * checkGrow first. Returns true when the member is new.
   */
  public set(member: string, score: number): boolean {
    if (this.listpack && score === 0) score = 0; // the listpack stores -0 as the integer 0
    const cur = this.dict.get(member);
    if (cur === undefined) {
      this.insert(member, score);
      this.dict.set(member, score);
      this.grow(elementBytes(member));
      return true;
    }
    if (cur !== score) {
      this.updateScore(member, cur, score);
      this.dict.set(member, score);
    }
    return false;
  }

  /** Removes a member; true if it was there. */
  public delete(member: string): boolean {
    const cur = this.dict.get(member);
    if (cur === undefined) return false;
    this.unlink(cur, member);
    this.dict.delete(member);
    this.grow(-elementBytes(member));
    return true;
  }

  private insert(member: string, score: number): ZNode {
    const update = UPDATE;
    const rank = RANK;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let n = x.next[i];
      while (n && before(n, score, member)) {
        rank[i] += x.span[i];
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.dict.size;
      }
      this.level = level;
    }
    const node = new ZNode(member, score, level);
    for (let i = 0; i < level; i++) {
      node.next[i] = update[i].next[i];
      update[i].next[i] = node;
      node.span[i] = update[i].span[i] - (rank[0] - rank[i]);
      update[i].span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = level; i < this.level; i++) update[i].span[i]++;
    node.backward = update[0] === this.head ? null : update[0];
    if (node.next[0]) node.next[0].backward = node;
    else this.tailNode = node;
    return node;
  }

  private unlink(score: number, member: string): void {
    const update = UPDATE;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && before(n, score, member)) {
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const node = x.next[0];
    if (!node || node.member !== member) return;
    for (let i = 0; i < this.level; i++) {
      if (update[i].next[i] === node) {
        update[i].span[i] += node.span[i] - 1;
        update[i].next[i] = node.next[i];
      } else {
        update[i].span[i]--;
      }
    }
    if (node.next[0]) node.next[0].backward = node.backward;
    else this.tailNode = node.backward;
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
  }

  private updateScore(member: string, cur: number, score: number): void {
    // Same position: change in place (Valkey's zslUpdateScore fast path).
    const node = this.find(cur, member);
    if (node) {
      const prev = node.backward;
      const next = node.next[0];
      if ((prev === null || before(prev, score, member)) && (next === null || !before(next, score, member))) {
        node.score = score;
        return;
      }
    }
    this.unlink(cur, member);
    this.insert(member, score);
  }

  private find(score: number, member: string): ZNode | null {
    return this.firstIn((n) => !before(n, score, member), (n) => n.member === member);
  }

  /** 0-based rank of a member, or -1. */
  public rank(member: string): number {
    const score = this.dict.get(member);
    if (score === undefined) return -1;
    let r = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && (before(n, score, member) || n.member === member)) {
        r += x.span[i];
        x = n;
        if (x.member === member && x.score === score) return r - 1;
        n = x.next[i];
      }
    }
    return -1;
  }

  /** The node at 0-based rank, or null. */
  public byRank(rank: number): ZNode | null {
    if (rank < 0 || rank >= this.dict.size) return null;
    const target = rank + 1;
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (x.next[i] && traversed + x.span[i] <= target) {
        traversed += x.span[i];
        x = x.next[i]!;
      }
      if (traversed === target) return x;
    }
    return null;
  }

  public first(): ZNode | null {
    return this.head.next[0];
  }

  public last(): ZNode | null {
    return this.tailNode;
  }

  /** First node with a score in range, or null. */
  public firstInScore(r: ScoreRange): ZNode | null {
    return this.firstIn((n) => scoreGteMin(n.score, r), (n) => scoreLteMax(n.score, r));
  }

  /** Last node with a score in range, or null. */
  public lastInScore(r: ScoreRange): ZNode | null {
    return this.lastIn((n) => scoreGteMin(n.score, r), (n) => scoreLteMax(n.score, r));
  }

  public firstInLex(r: LexRange): ZNode | null {
    return this.firstIn((n) => lexGteMin(n.member, r), (n) => lexLteMax(n.member, r));
  }

  public lastInLex(r: LexRange): ZNode | null {
    return this.lastIn((n) => lexGteMin(n.member, r), (n) => lexLteMax(n.member, r));
  }

  /** First node of a range given by its bounds (each monotonic along the list), or null. */
  private firstIn(aboveMin: (n: ZNode) => boolean, belowMax: (n: ZNode) => boolean): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && !aboveMin(n)) {
        x = n;
        n = x.next[i];
      }
    }
    const n = x.next[0];
    return n && belowMax(n) ? n : null;
  }

  /** Last node of a range given by its bounds, or null. */
  private lastIn(aboveMin: (n: ZNode) => boolean, belowMax: (n: ZNode) => boolean): ZNode | null {
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && belowMax(n)) {
        x = n;
        n = x.next[i];
      }
    }
    return x !== this.head && aboveMin(x) ? x : null;
  }

  /** 0-based rank of a node reached by a range search. */
  public rankOf(node: ZNode): number {
    let r = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && (before(n, node.score, node.member) || n === node)) {
        r += x.span[i];
        x = n;
        if (x === node) return r - 1;
        n = x.next[i];
      }
    }
    return -1;
  }

  /** Members in order (SORT, introspection). */
  public items(): string[] {
    const out: string[] = [];
    for (let x = this.head.next[0]; x; x = x.next[0]) out.push(x.member);
    return out;
  }

  /** A deep copy with the same encoding and bytes (COPY); the keyspace counts it when it is stored. */
  public clone(): ZSet {
    const z = new ZSet();
    z.listpack = this.listpack;
    for (let x = this.head.next[0]; x; x = x.next[0]) {
      z.insert(x.member, x.score);
      z.dict.set(x.member, x.score);
    }
    z.bytes = this.bytes;
    return z;
  }
}
