import type { DataObject } from '../db';
import { memory, stringBytes } from '../memory';

/*
 * Stream IDs are two unsigned 64-bit numbers (ms, seq). Internally an ID is a 16-char latin1
 * string: ms then seq, each big-endian. Plain string comparison then orders IDs numerically, an
 * ID is one V8 string (usable as a Map key), and replies format it back to "ms-seq".
 */

/** 0-0. */
export const ID_ZERO = '\0'.repeat(16);
/** 18446744073709551615-18446744073709551615. */
export const ID_MAX = '\xff'.repeat(16);

const TWO32 = 4294967296;

function u32chars(v: number): string {
  return String.fromCharCode(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
}

/** The 8 chars of an unsigned 64-bit number (a safe integer or a bigint). */
function u64chars(v: number | bigint): string {
  if (typeof v === 'number') return u32chars(Math.floor(v / TWO32)) + u32chars(v >>> 0);
  return u32chars(Number(v >> 32n)) + u32chars(Number(v & 0xffffffffn));
}

function u32at(s: string, i: number): number {
  return ((s.charCodeAt(i) << 24) | (s.charCodeAt(i + 1) << 16) | (s.charCodeAt(i + 2) << 8) | s.charCodeAt(i + 3)) >>> 0;
}

/** The unsigned 64-bit number at char offset `i` (0 = ms, 8 = seq) as a decimal string. */
function u64text(s: string, i: number): string {
  const hi = u32at(s, i);
  const lo = u32at(s, i + 4);
  if (hi < 0x200000) return String(hi * TWO32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** The ms part as a number (exact below 2^53). */
export function idMs(id: string): number {
  return u32at(id, 0) * TWO32 + u32at(id, 4);
}

/** The ms or seq part as a bigint. */
export function idPart(id: string, seq: boolean): bigint {
  const i = seq ? 8 : 0;
  return (BigInt(u32at(id, i)) << 32n) | BigInt(u32at(id, i + 4));
}

export function makeId(ms: number | bigint, seq: number | bigint): string {
  return u64chars(ms) + u64chars(seq);
}

/** "ms-seq". */
export function formatId(id: string): string {
  return `${u64text(id, 0)}-${u64text(id, 8)}`;
}

/** The next ID (seq+1, carrying into ms), or undefined after the last possible ID. */
export function incrId(id: string): string | undefined {
  if (id === ID_MAX) return undefined;
  let i = 15;
  while (id.charCodeAt(i) === 255) i--;
  return id.slice(0, i) + String.fromCharCode(id.charCodeAt(i) + 1) + '\0'.repeat(15 - i);
}

/** The previous ID, or undefined before 0-0. */
export function decrId(id: string): string | undefined {
  if (id === ID_ZERO) return undefined;
  let i = 15;
  while (id.charCodeAt(i) === 0) i--;
  return id.slice(0, i) + String.fromCharCode(id.charCodeAt(i) - 1) + '\xff'.repeat(15 - i);
}

/** Whether two IDs share the ms part. */
export function sameMs(a: string, b: string): boolean {
  return a.slice(0, 8) === b.slice(0, 8);
}

/** Whether the seq part is all ones. */
export function seqIsMax(id: string): boolean {
  return id.slice(8) === '\xff'.repeat(8);
}

// ------------------------------------------------------------------------ listpack size model

/** Bytes of one listpack element holding `s` (integers are stored as integers, as listpack does). */
function lpStringSize(s: string): number {
  const n = s.length;
  if (n > 0 && n <= 20 && /^(0|-?[1-9]\d*)$/.test(s)) {
    const v = n < 16 ? Number(s) : BigInt(s);
    if (typeof v === 'number' || (v >= -9223372036854775808n && v <= 9223372036854775807n)) return lpIntSize(v);
  }
  const enc = n < 64 ? 1 : n < 4096 ? 2 : 5;
  return enc + n + backlenSize(enc + n);
}

function lpIntSize(v: number | bigint): number {
  const x = typeof v === 'bigint' ? (v >= -2147483648n && v <= 2147483647n ? Number(v) : undefined) : v;
  if (x === undefined) return 10;
  if (x >= 0 && x <= 127) return 2;
  if (x >= -4096 && x <= 4095) return 3;
  if (x >= -32768 && x <= 32767) return 4;
  if (x >= -8388608 && x <= 8388607) return 5;
  if (x >= -2147483648 && x <= 2147483647) return 6;
  return 10;
}

function backlenSize(n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : n < 268435456 ? 4 : 5;
}

/** The int64 difference a - b of two unsigned 64-bit parts, as listpack stores it. */
function partDelta(a: string, b: string, seq: boolean): number | bigint {
  const i = seq ? 8 : 0;
  const ah = u32at(a, i);
  const bh = u32at(b, i);
  if (ah < 0x200000 && bh < 0x200000) return (ah - bh) * TWO32 + (u32at(a, i + 4) - u32at(b, i + 4));
  return BigInt.asIntN(64, idPart(a, seq) - idPart(b, seq));
}

// ------------------------------------------------------------------------ entries

/**
 * A run of entries, as Valkey's listpack nodes of the stream's radix tree: nodes close at
 * stream-node-max-entries entries (deleted ones included) or stream-node-max-bytes, deleted
 * entries stay inside a node as tombstones until the whole node goes. Modelling the nodes makes
 * approximate trimming (`~`) and XINFO's radix-tree-keys match the real server.
 */
export class StreamNode {
  /** Entry IDs in order, tombstones included. */
  public readonly ids: string[] = [];
  /** Field/value pairs flattened, or null for a deleted entry. */
  public readonly fvs: Array<string[] | null> = [];
  public live = 0;
  public deleted = 0;
  /** Estimated listpack bytes, without the live/deleted counters. */
  public lpBytes: number;

  constructor(public readonly master: string, public readonly masterFields: string[]) {
    let b = 7 + 2 /* num-fields */ + 2; /* terminator */
    for (const f of masterFields) b += lpStringSize(f);
    this.lpBytes = b;
  }

  public get bytes(): number {
    return this.lpBytes + lpIntSize(this.live) + lpIntSize(this.deleted);
  }

  /** Appends an entry, accounting its listpack bytes (flags, id deltas, fields, lp-count). */
  public push(id: string, fv: string[]): void {
    const m = this.masterFields;
    let same = fv.length === m.length * 2;
    for (let i = 0; same && i < m.length; i++) if (fv[i * 2] !== m[i]) same = false;
    let b = 2 + lpIntSize(partDelta(id, this.master, false)) + lpIntSize(partDelta(id, this.master, true));
    if (same) {
      for (let i = 1; i < fv.length; i += 2) b += lpStringSize(fv[i]);
      b += lpIntSize(fv.length / 2 + 3);
    } else {
      b += lpIntSize(fv.length / 2);
      for (const s of fv) b += lpStringSize(s);
      b += lpIntSize(fv.length + 4);
    }
    this.lpBytes += b;
    this.ids.push(id);
    this.fvs.push(fv);
    this.live++;
  }

  public get lastId(): string {
    return this.ids[this.ids.length - 1];
  }

  /** Index of the first slot with id >= `id`. */
  public lowerBound(id: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Estimated bytes of one entry (its ID string, the pairs array and the strings). */
function entryBytes(fv: readonly string[]): number {
  let b = 40 + 16 + 8 * fv.length;
  for (const s of fv) b += stringBytes(s.length);
  return b;
}

/** A pending entry: delivered to a consumer, not acknowledged yet. */
export interface Nack {
  consumer: Consumer;
  deliveryTime: number;
  deliveryCount: number;
}

const NACK_BYTES = 96;
const CONSUMER_BYTES = 96;
const GROUP_BYTES = 160;

/**
 * A map ordered by its string keys (stream IDs): a list of sorted chunks, for the PELs, which
 * need seeks, ordered walks, and inserts and deletes anywhere.
 */
export class OrderedMap<V> {
  private static readonly CHUNK = 128;

  private static lower(arr: string[], key: string): number {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (arr[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private keys: string[][] = [];
  private vals: V[][] = [];
  private n = 0;
  public get size(): number {
    return this.n;
  }

  private chunkFor(key: string): number {
    const ks = this.keys;
    let lo = 0;
    let hi = ks.length - 1;
    // last chunk whose first key <= key
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (ks[mid][0] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  public get(key: string): V | undefined {
    if (this.n === 0) return undefined;
    const c = this.chunkFor(key);
    const arr = this.keys[c];
    const i = OrderedMap.lower(arr, key);
    return i < arr.length && arr[i] === key ? this.vals[c][i] : undefined;
  }

  /** Inserts or replaces; true if the key is new. */
  public set(key: string, v: V): boolean {
    if (this.n === 0) {
      this.keys = [[key]];
      this.vals = [[v]];
      this.n = 1;
      return true;
    }
    const c = this.chunkFor(key);
    const arr = this.keys[c];
    const i = OrderedMap.lower(arr, key);
    if (i < arr.length && arr[i] === key) {
      this.vals[c][i] = v;
      return false;
    }
    if (i === arr.length) {
      arr.push(key);
      this.vals[c].push(v);
    } else {
      arr.splice(i, 0, key);
      this.vals[c].splice(i, 0, v);
    }
    this.n++;
    if (arr.length > OrderedMap.CHUNK * 2) {
      const half = arr.length >>> 1;
      this.keys.splice(c + 1, 0, arr.splice(half));
      this.vals.splice(c + 1, 0, this.vals[c].splice(half));
    }
    return true;
  }

  public delete(key: string): boolean {
    if (this.n === 0) return false;
    const c = this.chunkFor(key);
    const arr = this.keys[c];
    const i = OrderedMap.lower(arr, key);
    if (i >= arr.length || arr[i] !== key) return false;
    arr.splice(i, 1);
    this.vals[c].splice(i, 1);
    this.n--;
    if (arr.length === 0) {
      this.keys.splice(c, 1);
      this.vals.splice(c, 1);
    }
    return true;
  }

  public first(): string | undefined {
    return this.n === 0 ? undefined : this.keys[0][0];
  }

  public last(): string | undefined {
    if (this.n === 0) return undefined;
    const arr = this.keys[this.keys.length - 1];
    return arr[arr.length - 1];
  }

  /** Entries with key >= `from`, in order, until `visit` returns false. Safe against deleting the visited key. */
  public walk(from: string, visit: (key: string, v: V) => boolean): void {
    let key: string | undefined = this.seek(from);
    while (key !== undefined) {
      const v = this.get(key)!;
      if (!visit(key, v)) return;
      key = this.seekAfter(key);
    }
  }

  /** The first key >= `key`. */
  public seek(key: string): string | undefined {
    if (this.n === 0) return undefined;
    let c = this.chunkFor(key);
    let i = OrderedMap.lower(this.keys[c], key);
    if (i === this.keys[c].length) {
      c++;
      i = 0;
    }
    return c < this.keys.length ? this.keys[c][i] : undefined;
  }

  /** The first key > `key`. */
  public seekAfter(key: string): string | undefined {
    const next = incrId(key);
    return next === undefined ? undefined : this.seek(next);
  }

  /** All keys in order. */
  public *entries(): IterableIterator<[string, V]> {
    for (let c = 0; c < this.keys.length; c++) {
      const ks = this.keys[c];
      const vs = this.vals[c];
      for (let i = 0; i < ks.length; i++) yield [ks[i], vs[i]];
    }
  }
}

export class Consumer {
  public readonly pel = new OrderedMap<Nack>();
  constructor(public readonly name: string, public seenTime: number) {}
}

/** A consumer group. `entriesRead` is -1 when unknown (Valkey's SCG_INVALID_ENTRIES_READ). */
export class ConsumerGroup {
  public readonly pel = new OrderedMap<Nack>();
  public readonly consumers = new Map<string, Consumer>();
  constructor(public readonly name: string, public lastId: string, public entriesRead: number) {}

  /** Consumers in name order (the radix tree order Valkey lists them in). */
  public sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** Node limits (stream-node-max-bytes / -entries), read from the config by the command module. */
export interface NodeLimits {
  maxBytes: number;
  maxEntries: number;
}

/** How XADD/XTRIM trim. */
export interface TrimArgs {
  strategy: 'maxlen' | 'minid';
  maxlen: number;
  minid: string;
  approx: boolean;
  /** 0 = no limit. */
  limit: number;
}

/**
 * A stream: entries ordered by ID in listpack-like nodes, the deleted-entries bookkeeping of
 * Valkey 7 (max-deleted-entry-id, entries-added, recorded first ID) and the consumer groups.
 */
export class StreamObject implements DataObject {
  public readonly type = 'stream' as const;
  public bytes = 64;
  public readonly nodes: StreamNode[] = [];
  public length = 0;
  public lastId = ID_ZERO;
  public firstId = ID_ZERO;
  public maxDeletedId = ID_ZERO;
  public entriesAdded = 0;
  public readonly groups = new Map<string, ConsumerGroup>();

  /**
   * `accounted`: whether the object's bytes are part of memory.dataset (it is in a database);
   * clones being built are not yet.
   */
  constructor(private accounted = true) {}

  public encoding(): string {
    return 'stream';
  }

  private grow(delta: number): void {
    this.bytes += delta;
    if (this.accounted) memory.dataset += delta;
  }

  // ---------------------------------------------------------------- entries

  /** Appends an entry whose ID the caller checked is greater than lastId. */
  public append(id: string, fv: string[], limits: NodeLimits): void {
    let node = this.nodes.length > 0 ? this.nodes[this.nodes.length - 1] : undefined;
    if (node) {
      let elelen = 0;
      for (const s of fv) elelen += s.length;
      const maxBytes = limits.maxBytes === 0 || limits.maxBytes > 1 << 30 ? 1 << 30 : limits.maxBytes;
      if (node.bytes + elelen >= maxBytes) node = undefined;
      else if (limits.maxEntries && node.live + node.deleted >= limits.maxEntries) node = undefined;
    }
    if (!node) {
      const fields: string[] = [];
      for (let i = 0; i < fv.length; i += 2) fields.push(fv[i]);
      node = new StreamNode(id, fields);
      this.nodes.push(node);
      this.grow(64 + 8 * fields.length);
    }
    node.push(id, fv);
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
    this.grow(entryBytes(fv));
  }

  /** Index of the node that may hold `id` (the last node whose master <= id), or -1. */
  private nodeFor(id: string): number {
    const ns = this.nodes;
    let lo = 0;
    let hi = ns.length - 1;
    if (hi < 0 || ns[0].master > id) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (ns[mid].master <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The fields of a live entry, or undefined. */
  public getEntry(id: string): string[] | undefined {
    const n = this.nodeFor(id);
    if (n < 0) return undefined;
    const node = this.nodes[n];
    const i = node.lowerBound(id);
    if (i < node.ids.length && node.ids[i] === id) return node.fvs[i] ?? undefined;
    return undefined;
  }

  public has(id: string): boolean {
    return this.getEntry(id) !== undefined;
  }

  /**
   * Visits live entries with start <= id <= end, ascending or descending, until `visit` returns
   * false or `count` (0 = all) entries were visited. Returns how many were visited.
   */
  public range(start: string, end: string, rev: boolean, count: number, visit: (id: string, fv: string[]) => boolean | void): number {
    if (start > end || this.length === 0) return 0;
    let n = 0;
    const ns = this.nodes;
    if (!rev) {
      let ni = Math.max(0, this.nodeFor(start));
      let i = ns.length > 0 ? ns[ni].lowerBound(start) : 0;
      for (; ni < ns.length; ni++, i = 0) {
        const node = ns[ni];
        for (; i < node.ids.length; i++) {
          const id = node.ids[i];
          if (id > end) return n;
          const fv = node.fvs[i];
          if (fv === null) continue;
          n++;
          if (visit(id, fv) === false || n === count) return n;
        }
      }
    } else {
      let ni = this.nodeFor(end);
      if (ni < 0) return 0;
      let i = ns[ni].lowerBound(end);
      if (i >= ns[ni].ids.length || ns[ni].ids[i] > end) i--;
      for (; ni >= 0; ni--, i = ni >= 0 ? ns[ni].ids.length - 1 : 0) {
        const node = ns[ni];
        for (; i >= 0; i--) {
          const id = node.ids[i];
          if (id < start) return n;
          const fv = node.fvs[i];
          if (fv === null) continue;
          n++;
          if (visit(id, fv) === false || n === count) return n;
        }
      }
    }
    return n;
  }

  /** The first or last live entry ID (or 0-0 / undefined when empty). */
  public edgeId(last: boolean): string | undefined {
    let found: string | undefined;
    this.range(ID_ZERO, ID_MAX, last, 1, (id) => {
      found = id;
    });
    return found;
  }

  /** The last live ID (Valkey's streamLastValidID), 0-0 when empty. */
  public lastValidId(): string {
    return this.length === 0 ? ID_ZERO : this.edgeId(true)!;
  }

  /** Deletes one entry (XDEL); true if it was there. Updates tombstone bookkeeping like XDEL. */
  public deleteEntry(id: string): boolean {
    const n = this.nodeFor(id);
    if (n < 0) return false;
    const node = this.nodes[n];
    const i = node.lowerBound(id);
    if (i >= node.ids.length || node.ids[i] !== id) return false;
    const fv = node.fvs[i];
    if (fv === null) return false;
    this.markDeleted(node, i);
    if (node.live === 0) this.removeNode(n);
    return true;
  }

  private markDeleted(node: StreamNode, i: number): void {
    const fv = node.fvs[i]!;
    node.fvs[i] = null;
    node.live--;
    node.deleted++;
    this.length--;
    this.grow(-entryBytes(fv) + 40);
  }

  private removeNode(n: number): void {
    const node = this.nodes[n];
    let b = 64 + 8 * node.masterFields.length;
    for (const fv of node.fvs) b += fv === null ? 40 : entryBytes(fv);
    this.length -= node.live;
    this.nodes.splice(n, 1);
    this.grow(-b);
  }

  /** Recomputes the recorded first ID after deletions. */
  public refreshFirstId(): void {
    this.firstId = this.length === 0 ? ID_ZERO : this.edgeId(false)!;
  }

  /** Trims like Valkey's streamTrim (whole nodes first; `approx` stops at a node boundary). Returns entries removed. */
  public trim(args: TrimArgs): number {
    let deleted = 0;
    while (this.nodes.length > 0) {
      if (args.strategy === 'maxlen' && this.length <= args.maxlen) break;
      const node = this.nodes[0];
      const entries = node.live;
      if (args.limit && deleted + entries > args.limit) break;
      const removeNode = args.strategy === 'maxlen' ? this.length - entries >= args.maxlen : node.lastId < args.minid;
      if (removeNode) {
        this.removeNode(0);
        deleted += entries;
        continue;
      }
      if (args.approx) break;
      for (let i = 0; i < node.ids.length; i++) {
        const stop = args.strategy === 'maxlen' ? this.length <= args.maxlen : node.ids[i] >= args.minid;
        if (stop) break;
        if (node.fvs[i] !== null) {
          this.markDeleted(node, i);
          deleted++;
        }
      }
      break;
    }
    this.refreshFirstId();
    return deleted;
  }

  // ---------------------------------------------------------------- groups

  public createGroup(name: string, lastId: string, entriesRead: number): ConsumerGroup | undefined {
    if (this.groups.has(name)) return undefined;
    const g = new ConsumerGroup(name, lastId, entriesRead);
    this.groups.set(name, g);
    this.grow(GROUP_BYTES + stringBytes(name.length));
    return g;
  }

  public destroyGroup(name: string): boolean {
    const g = this.groups.get(name);
    if (!g) return false;
    this.groups.delete(name);
    let b = GROUP_BYTES + stringBytes(name.length) + g.pel.size * NACK_BYTES;
    for (const c of g.consumers.values()) b += CONSUMER_BYTES + stringBytes(c.name.length);
    this.grow(-b);
    return true;
  }

  /** Groups in name order. */
  public sortedGroups(): ConsumerGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  public createConsumer(g: ConsumerGroup, name: string, now: number): Consumer | undefined {
    if (g.consumers.has(name)) return undefined;
    const c = new Consumer(name, now);
    g.consumers.set(name, c);
    this.grow(CONSUMER_BYTES + stringBytes(name.length));
    return c;
  }

  /** Deletes a consumer and its pending entries; returns how many were pending. */
  public deleteConsumer(g: ConsumerGroup, c: Consumer): number {
    const pending = c.pel.size;
    for (const [id] of c.pel.entries()) g.pel.delete(id);
    g.consumers.delete(c.name);
    this.grow(-(CONSUMER_BYTES + stringBytes(c.name.length) + pending * NACK_BYTES));
    return pending;
  }

  /** Adds a pending entry owned by `c` (replacing any previous owner), delivered now. */
  public addNack(g: ConsumerGroup, c: Consumer, id: string, now: number): Nack {
    const nack = g.pel.get(id);
    if (nack) {
      nack.consumer.pel.delete(id);
      nack.consumer = c;
      nack.deliveryTime = now;
      nack.deliveryCount = 1;
      c.pel.set(id, nack);
      return nack;
    }
    return this.forceNack(g, id, c, now);
  }

  /** Removes a pending entry from the group and its consumer. */
  public removeNack(g: ConsumerGroup, id: string, nack: Nack): void {
    g.pel.delete(id);
    nack.consumer.pel.delete(id);
    this.grow(-NACK_BYTES);
  }

  /** A NACK created by XCLAIM FORCE (no owner yet: the caller assigns it). */
  public forceNack(g: ConsumerGroup, id: string, c: Consumer, now: number): Nack {
    const nack: Nack = { consumer: c, deliveryTime: now, deliveryCount: 1 };
    g.pel.set(id, nack);
    c.pel.set(id, nack);
    this.grow(NACK_BYTES);
    return nack;
  }

  /** Moves a NACK to another consumer. */
  public moveNack(id: string, nack: Nack, to: Consumer): void {
    if (nack.consumer === to) return;
    nack.consumer.pel.delete(id);
    nack.consumer = to;
    to.pel.set(id, nack);
  }

  // ---------------------------------------------------------------- lag (Valkey 7 semantics)

  /** Whether a tombstone may lie in [start, end] (streamRangeHasTombstones). */
  public rangeHasTombstones(start: string, end: string = ID_MAX): boolean {
    if (this.length === 0 || this.maxDeletedId === ID_ZERO) return false;
    if (this.firstId > this.maxDeletedId) return false;
    return start <= this.maxDeletedId && this.maxDeletedId <= end;
  }

  /** The logical read counter of `id`, or -1 when it cannot be known (streamEstimateDistanceFromFirstEverEntry). */
  public estimateDistance(id: string): number {
    if (this.entriesAdded === 0) return 0;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return -1;
    if (this.maxDeletedId === ID_ZERO || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - this.length;
      if (id === this.firstId) return this.entriesAdded - this.length + 1;
    }
    return -1;
  }

  /** A group's lag, or undefined when unknown. */
  public lag(g: ConsumerGroup): number | undefined {
    if (this.entriesAdded === 0) return 0;
    if (g.entriesRead !== -1 && !this.rangeHasTombstones(g.lastId)) return this.entriesAdded - g.entriesRead;
    const read = this.estimateDistance(g.lastId);
    return read === -1 ? undefined : this.entriesAdded - read;
  }

  /** Advances a group past `id` when delivering it (keeps entries-read as Valkey does). */
  public advanceGroup(g: ConsumerGroup, id: string): void {
    if (id <= g.lastId) return;
    if (g.entriesRead !== -1 && !this.rangeHasTombstones(id)) g.entriesRead++;
    else if (this.entriesAdded) g.entriesRead = this.estimateDistance(id);
    g.lastId = id;
  }

  // ---------------------------------------------------------------- copy

  /** A deep copy (COPY); its bytes are not yet counted in memory.dataset (the database adds them). */
  public clone(): StreamObject {
    const s = new StreamObject(false);
    for (const node of this.nodes) {
      const n = new StreamNode(node.master, node.masterFields.slice());
      n.ids.push(...node.ids);
      for (const fv of node.fvs) n.fvs.push(fv === null ? null : fv.slice());
      n.live = node.live;
      n.deleted = node.deleted;
      n.lpBytes = node.lpBytes;
      s.nodes.push(n);
    }
    s.length = this.length;
    s.lastId = this.lastId;
    s.firstId = this.firstId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    for (const g of this.groups.values()) {
      const ng = new ConsumerGroup(g.name, g.lastId, g.entriesRead);
      for (const c of g.consumers.values()) ng.consumers.set(c.name, new Consumer(c.name, c.seenTime));
      for (const [id, nack] of g.pel.entries()) {
        const owner = ng.consumers.get(nack.consumer.name)!;
        const copy: Nack = { consumer: owner, deliveryTime: nack.deliveryTime, deliveryCount: nack.deliveryCount };
        ng.pel.set(id, copy);
        owner.pel.set(id, copy);
      }
      s.groups.set(g.name, ng);
    }
    s.bytes = this.bytes;
    s.accounted = true;
    return s;
  }
}
