import { performance } from 'perf_hooks';
import type { Db } from './db';
import type { Server } from './server';

/**
 * maxmemory eviction, as Valkey does it: before a command that may grow memory (and from the cron
 * while over the limit), keys are evicted until used_memory is back under maxmemory. LRU, LFU and
 * volatile-ttl are approximated by sampling `maxmemory-samples` keys per database into an eviction
 * pool of the best candidates; the random policies pick random keys. `evicted_keys` counts them and
 * each sends an `evicted` keyspace notification.
 */

/** The eviction pool size (Valkey's EVPOOL_SIZE). */
const POOL_SIZE = 16;
/** The LFU counter of a new key (Valkey's LFU_INIT_VAL). */
export const LFU_INIT_VAL = 5;

/** Minutes since the epoch, the LFU decay clock. */
function minutes(now: number): number {
  return Math.floor(now / 60000);
}

/** LFU settings, updated from the config. */
const lfu = { logFactor: 10, decayTime: 1 };

/** The LFU counter in an `access` entry, decayed by the periods elapsed since its last update. */
export function lfuCounter(entry: number | undefined, now: number): number {
  if (entry === undefined) return 0;
  const counter = entry % 256;
  const last = Math.floor(entry / 256);
  const periods = lfu.decayTime > 0 ? Math.floor((minutes(now) - last) / lfu.decayTime) : 0;
  return periods >= counter ? 0 : counter - periods;
}

/** Logarithmic increment: the higher the counter, the less likely it grows (Valkey's LFULogIncr). */
function lfuLogIncr(counter: number): number {
  if (counter >= 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1 / (base * lfu.logFactor + 1);
  return Math.random() < p ? counter + 1 : counter;
}

/** The `Db.lfuAccess` function: a new key starts at LFU_INIT_VAL, an access decays then increments. */
function lfuAccess(old: number | undefined, isNew: boolean): number {
  const now = Date.now();
  const counter = isNew ? LFU_INIT_VAL : lfuLogIncr(lfuCounter(old, now));
  return minutes(now) * 256 + counter;
}

/**
 * Random sampling of a Map's keys in O(1) amortized per sample: a snapshot array of the keys, rebuilt
 * when 1/32 of it is gone or the map has grown past it; keys found missing are dropped on the way.
 * Keys written after the snapshot are not sampled until the next rebuild, so rebuilds are frequent
 * (every n/32 evictions) to keep new keys from being immune under steady eviction.
 */
export class KeySampler {
  private keys: string[] = [];
  private removed = 0;
  private source: Map<string, unknown> | undefined;

  /** Up to `n` random keys present in `map` (fewer when the map is small); may repeat. */
  public sample(map: Map<string, unknown>, n: number, out: string[]): void {
    out.length = 0;
    if (map.size === 0) return;
    if (this.source !== map || this.keys.length === 0 || this.removed > this.keys.length / 32 || map.size > this.keys.length + 8) {
      this.rebuild(map);
    }
    const want = Math.min(n, map.size);
    for (let tries = 0; out.length < want && tries < want * 4 && this.keys.length > 0; tries++) {
      const i = Math.floor(Math.random() * this.keys.length);
      const k = this.keys[i];
      if (map.has(k)) {
        out.push(k);
      } else {
        this.keys[i] = this.keys[this.keys.length - 1];
        this.keys.pop();
        this.removed++;
      }
    }
    if (out.length === 0) {
      // the snapshot only held dead keys: start again from the map
      this.rebuild(map);
      if (this.keys.length > 0) out.push(this.keys[Math.floor(Math.random() * this.keys.length)]);
    }
  }

  /** One random key of `map`, or undefined. */
  public one(map: Map<string, unknown>): string | undefined {
    const out: string[] = [];
    this.sample(map, 1, out);
    return out[0];
  }

  /** A key was removed (evicted): counts towards the next rebuild. */
  public noteRemoved(): void {
    this.removed++;
  }

  private rebuild(map: Map<string, unknown>): void {
    this.source = map;
    this.keys = [...map.keys()];
    this.removed = 0;
  }
}

/** Samplers per database: all keys, and keys with a TTL. */
const samplers = new WeakMap<Db, { all: KeySampler; volatile: KeySampler }>();
export function samplersOf(db: Db): { all: KeySampler; volatile: KeySampler } {
  let s = samplers.get(db);
  if (!s) samplers.set(db, (s = { all: new KeySampler(), volatile: new KeySampler() }));
  return s;
}

interface PoolEntry {
  idle: number;
  key: string;
  db: Db;
}

/** The eviction machinery of one server. */
export class Evictor {
  private readonly pool: PoolEntry[] = [];
  private readonly sampleBuf: string[] = [];
  private nextDb = 0;
  /** When LRU tracking started: keys without an access entry count as idle since then. */
  private trackingSince = Date.now();

  constructor(private readonly server: Server) {}

  /** The maxmemory-policy now in force. */
  public get policy(): string {
    return this.server.config.get('maxmemory-policy');
  }

  /** Turns the per-key access tracking on or off for the policy (Db.access, Db.lfuAccess). */
  public configure(): void {
    const policy = this.policy;
    const tracked = policy.endsWith('-lru') || policy.endsWith('-lfu');
    const isLfu = policy.endsWith('-lfu');
    lfu.logFactor = this.server.config.getNumber('lfu-log-factor');
    lfu.decayTime = this.server.config.getNumber('lfu-decay-time');
    for (const db of this.server.dbs) {
      const wasLfu = db.lfuAccess !== undefined;
      if (!tracked) {
        db.access = undefined;
        db.lfuAccess = undefined;
        continue;
      }
      // Switching between LRU and LFU starts the data afresh (Valkey's values are then meaningless too).
      if (!db.access || wasLfu !== isLfu) {
        db.access = new Map();
        this.trackingSince = Date.now();
      }
      db.lfuAccess = isLfu ? lfuAccess : undefined;
    }
    this.pool.length = 0;
  }

  /** Seconds a key has been idle (OBJECT IDLETIME), from the LRU data when tracked. */
  public idleSeconds(db: Db, key: string, now = Date.now()): number {
    const at = db.access?.get(key) ?? this.trackingSince;
    return Math.max(0, Math.floor((now - at) / 1000));
  }

  /**
   * Evicts keys until used memory is at most `maxmemory`. True when there is room now (or when the
   * time limit stopped it while it still made progress, the cron continues); false when nothing is
   * left to evict (OOM).
   */
  public evict(maxmemory: number): boolean {
    const policy = this.policy;
    if (policy === 'noeviction') return this.server.usedMemory() <= maxmemory;
    const limitUs = timeLimitUs(this.server.config.getNumber('maxmemory-eviction-tenacity'));
    const t0 = performance.now();
    let n = 0;
    while (this.server.usedMemory() > maxmemory) {
      if (!this.evictOne(policy)) return false;
      // check the clock every 16 keys, like Valkey
      if ((++n & 15) === 0 && (performance.now() - t0) * 1000 > limitUs) return true;
    }
    return true;
  }

  /** Evicts one key by the policy; false when there is no candidate. */
  private evictOne(policy: string): boolean {
    const volatile = policy.startsWith('volatile-');
    const dbs = this.server.dbs;
    if (policy.endsWith('-random')) {
      for (let i = 0; i < dbs.length; i++) {
        const db = dbs[this.nextDb++ % dbs.length];
        const map = volatile ? db.expires : db.dict;
        if (map.size === 0) continue;
        const s = samplersOf(db);
        const key = (volatile ? s.volatile : s.all).one(map);
        if (key !== undefined) {
          this.remove(db, key);
          return true;
        }
      }
      return false;
    }
    // LRU, LFU, TTL: refill the pool from samples of every database, then take the best candidate.
    for (;;) {
      const samples = this.server.config.getNumber('maxmemory-samples');
      let any = false;
      for (const db of dbs) {
        const map = volatile ? db.expires : db.dict;
        if (map.size === 0) continue;
        any = true;
        this.populate(db, map, volatile, policy, samples);
      }
      if (!any) return false;
      // the best candidate is the last one; skip entries whose key went away meanwhile
      while (this.pool.length > 0) {
        const e = this.pool.pop()!;
        const live = volatile ? e.db.expires.has(e.key) : e.db.dict.has(e.key);
        if (live) {
          this.remove(e.db, e.key);
          return true;
        }
      }
    }
  }

  /** Adds sampled keys to the pool, kept sorted by ascending idle score and at most POOL_SIZE long. */
  private populate(db: Db, map: Map<string, unknown>, volatile: boolean, policy: string, samples: number): void {
    const s = samplersOf(db);
    (volatile ? s.volatile : s.all).sample(map, samples, this.sampleBuf);
    const now = Date.now();
    for (const key of this.sampleBuf) {
      let idle: number;
      if (policy.endsWith('-lru')) idle = now - (db.access?.get(key) ?? this.trackingSince);
      else if (policy.endsWith('-lfu')) idle = 255 - lfuCounter(db.access?.get(key), now);
      else idle = -(db.expires.get(key) ?? 0); // volatile-ttl: the sooner it expires, the better
      const pool = this.pool;
      if (pool.some((e) => e.key === key && e.db === db)) continue;
      if (pool.length >= POOL_SIZE && idle <= pool[0].idle) continue;
      let i = 0;
      while (i < pool.length && pool[i].idle < idle) i++;
      pool.splice(i, 0, { idle, key, db });
      if (pool.length > POOL_SIZE) pool.shift();
    }
  }

  private remove(db: Db, key: string): void {
    db.delete(key);
    const s = samplersOf(db);
    s.all.noteRemoved();
    s.volatile.noteRemoved();
    this.server.stats.evictedKeys++;
    this.server.repl?.evicted(db, key);
    this.server.notify('e', 'evicted', key, db);
  }
}

/** Valkey's evictionTimeLimitUs: how long one eviction run may take, by maxmemory-eviction-tenacity. */
function timeLimitUs(tenacity: number): number {
  if (tenacity <= 10) return 50 * tenacity || 1;
  if (tenacity < 100) return 500 * Math.pow(1.15, tenacity - 10);
  return Infinity;
}

const evictors = new WeakMap<Server, Evictor>();

/** The server's evictor (installed by installEviction). */
export function evictorOf(server: Server): Evictor | undefined {
  return evictors.get(server);
}

/**
 * Installs eviction on a server: the `evict` hook, access tracking per policy (re-done on CONFIG SET),
 * eviction as soon as maxmemory is lowered and from the cron while memory is over the limit.
 */
export function installEviction(server: Server): Evictor {
  const ev = new Evictor(server);
  evictors.set(server, ev);
  server.evict = (max) => ev.evict(max);
  ev.configure();
  for (const name of ['maxmemory-policy', 'lfu-log-factor', 'lfu-decay-time']) server.config.onChange(name, () => ev.configure());
  // Over the limit without a command (maxmemory lowered): evict in time-boxed slices, yielding to clients
  // between them, as Valkey's eviction time proc does.
  let scheduled = false;
  const overLimit = () => {
    const max = server.config.getNumber('maxmemory');
    if (max === 0 || server.usedMemory() <= max || scheduled) return;
    if (ev.evict(max) && server.usedMemory() > max) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        overLimit();
      });
    }
  };
  server.config.onChange('maxmemory', overLimit);
  server.cronHooks.push(overLimit);
  return ev;
}
