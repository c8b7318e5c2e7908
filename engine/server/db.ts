import { EXPIRE_OVERHEAD, KEY_OVERHEAD, memory, stringBytes } from './memory';

/**
 * A value in the keyspace: strings are stored as latin1 JS strings (binary-safe, one V8 string
 * each); every other type is an object with a `type` and a `bytes` estimate it keeps current.
 */
export type Value = string | DataObject;

export interface DataObject {
  /**
   * 'string' only for a string kept in a mutable buffer (bitmaps and HyperLogLogs edited in place,
   * see commands/mutable-string.ts): `get`/`peek` hand it out as a latin1 string (`toLatin1`).
   */
  readonly type: 'list' | 'hash' | 'set' | 'zset' | 'stream' | 'string';
  /** Estimated bytes of the object's contents (kept current by the type's module). */
  bytes: number;
  /** OBJECT ENCODING (listpack, quicklist, hashtable, intset, skiplist, stream). */
  encoding(): string;
  /**
   * A deep copy (COPY): an independent object of the same type and contents whose `bytes` equals this
   * one's. It is not yet in any database, so it does not add to `memory.dataset` (Db.set does).
   */
  clone?(): DataObject;
  /**
   * The elements as strings, for SORT: a list in order, a set's members in any order, a sorted set's
   * members by rank (ascending score). Lists, sets and sorted sets implement it.
   */
  items?(): string[];
  /** A hash's value of `field`, or undefined (SORT BY/GET `pattern->field`). Hashes implement it. */
  getField?(field: string): string | undefined;
  /** Only for type 'string': the value as a latin1 string. */
  toLatin1?(): string;
}

/** The type name TYPE answers for a value. */
export function typeName(v: Value): string {
  return typeof v === 'string' ? 'string' : v.type;
}

/** Estimated bytes of a value. */
export function valueBytes(v: Value): number {
  return typeof v === 'string' ? stringBytes(v.length) : v.bytes;
}

/** Hooks the server installs: WATCH invalidation, blocked-client wake-up, keyspace notifications. */
export interface KeyspaceEvents {
  modified(db: Db, key: string): void;
  expired(db: Db, key: string): void;
  /** A key was added (the `new` keyspace event). */
  created(db: Db, key: string): void;
}

/** One numbered database. */
export class Db {
  /** Keys → values (swapped wholesale by SWAPDB, so not readonly). */
  public dict = new Map<string, Value>();
  public expires = new Map<string, number>();
  /** Keys last-access clock (ms), kept only while an LRU/LFU eviction policy is active. */
  public access?: Map<string, number>;
  /**
   * Set by the eviction module under an LFU policy: the new `access` entry from the old one (undefined
   * when the key has none) and whether the key was just created. Unset under LRU (the clock is stored).
   */
  public lfuAccess?: (old: number | undefined, isNew: boolean) => number;
  /** Hits/misses are counted by the server; expired keys counted here. */
  public expiredKeys = 0;
  private expireCursor: Iterator<[string, number]> | undefined;
  /** Told when keys are added or removed (the cluster's per-slot key index); undefined elsewhere. */
  public keyHooks?: { added(key: string): void; removed(key: string): void; cleared(): void };

  constructor(public readonly id: number, private readonly events: KeyspaceEvents, private readonly clock: () => number = Date.now) {}

  public get size(): number {
    return this.dict.size;
  }

  /** Lazy expiry, as every read and write does first. True if the key was expired and removed. */
  public expireIfNeeded(key: string, now = this.clock()): boolean {
    const at = this.expires.get(key);
    if (at === undefined || at > now) return false;
    this.removeExpired(key);
    return true;
  }

  private removeExpired(key: string): void {
    this.delete(key);
    this.expiredKeys++;
    this.events.expired(this, key);
  }

  /**
   * The live value of a key (expired keys are removed first). A string kept in a mutable buffer
   * is turned back into a JS string here, so every string command sees strings.
   */
  public get(key: string): Value | undefined {
    const v = this.getRaw(key);
    return v !== undefined && typeof v !== 'string' && v.type === 'string' ? this.flatten(key, v) : v;
  }

  /** Like `get`, but a string kept in a mutable buffer stays one (for the modules that edit them in place). */
  public getRaw(key: string): Value | undefined {
    if (this.expires.size > 0 && this.expireIfNeeded(key)) return undefined;
    const v = this.dict.get(key);
    if (v !== undefined && this.access) this.accessed(key, false);
    return v;
  }

  /** The value without expiring or touching it (for introspection). */
  public peek(key: string): Value | undefined {
    const v = this.dict.get(key);
    return v !== undefined && typeof v !== 'string' && v.type === 'string' ? this.flatten(key, v) : v;
  }

  /**
   * Replaces a value with an equal one in another representation (a string and its mutable
   * buffer form): the memory account moves, no modification is signalled.
   */
  public swapRepresentation(key: string, value: Value): void {
    const old = this.dict.get(key);
    if (old === undefined || old === value) return;
    memory.dataset += valueBytes(value) - valueBytes(old);
    this.dict.set(key, value);
  }

  private flatten(key: string, v: DataObject): string {
    const s = v.toLatin1!();
    this.swapRepresentation(key, s);
    return s;
  }

  public has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Stores a value. By default an existing TTL is cleared, as SET does; `keepTtl` keeps it.
   * Signals the modification (WATCH, blocked clients).
   */
  public set(key: string, value: Value, keepTtl = false): void {
    const old = this.dict.get(key);
    if (old === undefined) memory.dataset += KEY_OVERHEAD + stringBytes(key.length) + valueBytes(value);
    else if (old !== value) memory.dataset += valueBytes(value) - valueBytes(old);
    this.dict.set(key, value);
    if (old === undefined) {
      this.keyHooks?.added(key);
      this.events.created(this, key);
    }
    if (!keepTtl && this.expires.size > 0 && this.expires.delete(key)) memory.dataset -= EXPIRE_OVERHEAD;
    if (this.access) this.accessed(key, old === undefined);
    this.events.modified(this, key);
  }

  /** Records an access for eviction: the clock (LRU) or the LFU counter. */
  private accessed(key: string, isNew: boolean): void {
    const lfu = this.lfuAccess;
    this.access!.set(key, lfu ? lfu(this.access!.get(key), isNew) : this.clock());
  }

  /** Adds a new key holding a collection object that already accounts for its own bytes. */
  public add(key: string, value: Value): void {
    this.set(key, value);
  }

  /** Removes a key; true if it existed. */
  public delete(key: string): boolean {
    const old = this.dict.get(key);
    if (old === undefined) return false;
    this.dict.delete(key);
    this.keyHooks?.removed(key);
    memory.dataset -= KEY_OVERHEAD + stringBytes(key.length) + valueBytes(old);
    if (this.expires.delete(key)) memory.dataset -= EXPIRE_OVERHEAD;
    this.access?.delete(key);
    this.events.modified(this, key);
    return true;
  }

  /** Signals that a key's value changed in place (collections). */
  public touch(key: string): void {
    if (this.access) this.accessed(key, false);
    this.events.modified(this, key);
  }

  /** Sets an absolute expiry (ms since epoch); a time in the past deletes the key. */
  public setExpire(key: string, atMs: number): void {
    if (!this.expires.has(key)) memory.dataset += EXPIRE_OVERHEAD;
    this.expires.set(key, atMs);
    this.events.modified(this, key);
  }

  public getExpire(key: string): number | undefined {
    return this.expires.get(key);
  }

  /** Removes the expiry; true if there was one. */
  public persist(key: string): boolean {
    if (!this.expires.delete(key)) return false;
    memory.dataset -= EXPIRE_OVERHEAD;
    this.events.modified(this, key);
    return true;
  }

  /** Empties the database. */
  public clear(): void {
    for (const [k, v] of this.dict) memory.dataset -= KEY_OVERHEAD + stringBytes(k.length) + valueBytes(v);
    memory.dataset -= this.expires.size * EXPIRE_OVERHEAD;
    const keys = [...this.dict.keys()];
    this.dict.clear();
    this.keyHooks?.cleared();
    this.expires.clear();
    this.access?.clear();
    for (const k of keys) this.events.modified(this, k);
  }

  /**
   * SWAPDB: exchanges the contents (keys, expiries, access data) with another database; the ids stay.
   * O(1): the maps are swapped, not copied (the caller invalidates WATCHes).
   */
  public swapWith(other: Db): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.access, other.access] = [other.access, this.access];
    this.expireCursor = undefined;
    other.expireCursor = undefined;
  }

  /** A uniformly random live key, or undefined. */
  public randomKey(): string | undefined {
    for (let tries = 0; tries < 100 && this.dict.size > 0; tries++) {
      const k = nthKey(this.dict, Math.floor(Math.random() * this.dict.size));
      if (k !== undefined && !this.expireIfNeeded(k)) return k;
    }
    return undefined;
  }

  /**
   * Active expiry: checks up to `budget` keys with a TTL, continuing where the previous cycle
   * stopped, and removes the expired ones. Returns how many it removed and checked.
   */
  public activeExpireCycle(budget: number, now = this.clock()): { removed: number; checked: number } {
    let removed = 0;
    let checked = 0;
    if (this.expires.size === 0) return { removed, checked };
    this.expireCursor ??= this.expires.entries();
    while (checked < budget) {
      const n = this.expireCursor.next();
      if (n.done) {
        this.expireCursor = undefined;
        break;
      }
      checked++;
      const [key, at] = n.value;
      if (at <= now) {
        this.removeExpired(key);
        removed++;
      }
    }
    return { removed, checked };
  }

  /**
   * SCAN: keys in the order of a stable 32-bit hash, from `cursor` (a hash value) on. Keys present
   * for the whole scan are returned exactly once, whatever is added or removed meanwhile.
   */
  public scan(cursor: number, count: number, filter?: (key: string, v: Value) => boolean): { next: number; keys: string[] } {
    return scanByHash(this.dict.keys(), cursor, count, (k) => {
      if (this.expireIfNeeded(k)) return false;
      return filter ? filter(k, this.dict.get(k)!) : true;
    });
  }
}

/** The n-th key of a map (O(n), used only for RANDOMKEY and eviction sampling fallbacks). */
function nthKey<K>(map: Map<K, unknown>, n: number): K | undefined {
  let i = 0;
  for (const k of map.keys()) if (i++ === n) return k;
  return undefined;
}

/** FNV-1a over a latin1 string, as an unsigned 32-bit number. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Cursor iteration shared by SCAN, HSCAN, SSCAN and ZSCAN: returns up to about `count` items whose
 * hash is >= cursor, in hash order, and the cursor to continue from (0 when done). Items sharing a
 * hash are returned together, so none is skipped.
 */
export function scanByHash(items: Iterable<string>, cursor: number, count: number, accept: (s: string) => boolean): { next: number; keys: string[] } {
  const found: Array<[number, string]> = [];
  for (const s of items) {
    const h = hash32(s);
    if (h >= cursor) found.push([h, s]);
  }
  found.sort((a, b) => a[0] - b[0]);
  const keys: string[] = [];
  let i = 0;
  while (i < found.length && i < count) i++;
  // finish the run of equal hashes so the next cursor skips none
  while (i < found.length && i > 0 && found[i][0] === found[i - 1][0]) i++;
  for (let j = 0; j < i; j++) if (accept(found[j][1])) keys.push(found[j][1]);
  const next = i < found.length ? found[i][0] : 0;
  return { next, keys };
}
