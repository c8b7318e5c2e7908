/**
 * A point-in-time snapshot of the keyspace without fork(): the databases are walked in slices
 * between event-loop turns while clients keep writing, and the file holds exactly the dataset of
 * the moment the snapshot started (T0).
 *
 * How it stays point-in-time:
 * - Copy-on-write per key: before a key first changes during the snapshot (Db.set/delete/
 *   setExpire/persist, and before any `write` command, served blocked command or script command
 *   touches its keys), its T0 value and expiry are kept unless the walk has written the key
 *   already: strings by reference (they are immutable), other types serialized (encodeValue). A
 *   key absent at T0 is marked new. Later changes to a touched key cost nothing more.
 * - Knowing whether a key is written already costs nothing per key: a database is walked in
 *   passes, pass p writing the keys whose hash (passHash) falls in the p-th of `passes` equal hash ranges.
 *   A key of an earlier pass is written already (or did not exist at T0, and no later pass looks
 *   at it), a key of a later pass is not: a cursor comparison. Only within the running pass is it
 *   unknown (a JS Map cannot tell where a live iterator stands, and a deleted key is gone from
 *   it), so the pass remembers the keys it wrote (an array of references to the key strings the
 *   keyspace holds) and, at its end, one pass over that array finds which of the keys touched
 *   during the pass were written before they changed; the T0 copies of the others are written
 *   then. Every T0 key is written exactly once, and keys created after T0 never.
 * - FLUSHDB/FLUSHALL hand the emptied maps to the snapshot (Db.clear via `takeMaps`); SWAPDB
 *   moves the maps between databases, and the snapshot follows the maps, not the Db objects.
 *
 * Extra memory: the copies of keys changed during the snapshot before the walk wrote them
 * (rdb_last_cow_size reports their peak bytes), their entries in `touched`, and the running
 * pass's written-keys list (a KeyLog whose blocks the next pass reuses): 8 bytes per key of one
 * pass, at most KEYS_PER_PASS keys (4 MiB) up to MAX_PASSES * KEYS_PER_PASS keys in a database, a
 * 1/MAX_PASSES share of it above. The file's bytes go through a fixed pool of buffers
 * (background-file.ts). Measured under a write load: peak RSS growth about 20-25 MB at 250k, 1M and
 * 2M keys alike, a fixed part of it the writer thread. The price is
 * main-thread CPU: each pass iterates the whole database and hashes every key (some 60 ns a key
 * on the test machine, against some 700 ns to serialize one): a million keys take 2 passes,
 * about +15% on the walk; from 1.6M keys on they take 4, about +30%, and hold 2 bytes a key.
 */
import type { CommandSpec } from '../commands/command';
import type { CowHooks, Db, Value } from '../db';
import { encodeValue, RdbWriter } from '../rdb';
import { KeyLog } from './key-log';
import { ByteReader } from '../rdb/bytes';
import { readValue } from '../rdb/value-reader';
import type { Server } from '../server';

/** Keys a pass aims at (its written-keys array: 8 bytes each), and the most passes a database gets. */
const KEYS_PER_PASS = 1 << 19;
const MAX_PASSES = 4;
const TWO32 = 4294967296;

/** The T0 state of a key changed before the walk reached it. */
interface Saved {
  /** A string value as is, or any other type serialized (type byte + payload). */
  value: string | Buffer;
  expireAt: number | undefined;
}
/** Marks in `touched`: the key did not exist at T0 / its saved value is written already. */
const NEW = 0;
const DONE = 1;
type Mark = Saved | typeof NEW | typeof DONE;

interface DbState {
  readonly id: number;
  readonly dict: Map<string, Value>;
  readonly expires: Map<string, number>;
  readonly sizeAtT0: number;
  readonly expiresAtT0: number;
  /** Hash ranges the walk goes through, one pass each (1: a single pass, no hashing). */
  readonly passes: number;
  pass: number;
  /** Keys touched since T0, per pass, from the running pass on (earlier passes need no record). */
  readonly touched: Array<Map<string, Mark>>;
  /** The running pass's walk over the live map, then over its pending copies. */
  iter: IterableIterator<string> | undefined;
  /** Keys the running pass wrote from their live value, in walk order. */
  written: KeyLog;
  phase: 'walk' | 'resolve' | 'copies' | 'done';
  resolveAt: number;
  /** Touched keys of the running pass not found written yet (the resolve pass). */
  pending: Set<string> | undefined;
}

/** The pass that writes `key`. */
function passOf(st: DbState, key: string): number {
  return st.passes === 1 ? 0 : Math.floor((passHash(key) * st.passes) / TWO32);
}

/**
 * FNV-1a over the key, or over 16 characters spread along it and its length when longer: every
 * pass hashes every key, so it is kept cheap; an uneven spread only makes some passes longer.
 */
function passHash(s: string): number {
  const n = s.length;
  let h = 0x811c9dc5;
  if (n <= 16) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    const step = n / 16;
    for (let i = 0; i < 16; i++) h = Math.imul(h ^ s.charCodeAt(Math.floor(i * step)), 0x01000193);
    h = Math.imul(h ^ n, 0x01000193);
  }
  return h >>> 0;
}

export class Snapshot implements CowHooks {
  public readonly startedAt = Date.now();
  public readonly keysTotal: number;
  public keysProcessed = 0;
  /** Bytes held by copies now, and their peak. */
  public cowBytes = 0;
  public cowPeak = 0;
  /** T0 copies made (keys changed before the walk wrote them). */
  public copies = 0;
  /** Longest written-keys array a pass held (for the log and tests). */
  public writtenPeak = 0;
  private readonly states: DbState[] = [];
  private readonly byDict = new Map<Map<string, Value>, DbState>();
  private dbIndex = 0;
  private started = false;
  private attachedTo: Server | undefined;

  /**
   * Fixes T0: each database's maps, its size, and the FUNCTION libraries. O(databases).
   * `opts.passes`: hash ranges per database (default: by size; 1 for a synchronous SAVE, where
   * nothing changes while it runs).
   */
  constructor(dbs: readonly Db[], public readonly functions: readonly string[], opts: { passes?: number } = {}) {
    let total = 0;
    for (const db of dbs) {
      const size = db.dict.size;
      const passes = opts.passes ?? Math.min(MAX_PASSES, Math.max(1, Math.ceil(size / KEYS_PER_PASS)));
      const st: DbState = {
        id: db.id,
        dict: db.dict,
        expires: db.expires,
        sizeAtT0: size,
        expiresAtT0: db.expires.size,
        passes,
        pass: 0,
        touched: Array.from({ length: passes }, () => new Map<string, Mark>()),
        iter: undefined,
        written: new KeyLog(),
        phase: size > 0 ? 'walk' : 'done',
        resolveAt: 0,
        pending: undefined,
      };
      total += size;
      this.states.push(st);
      this.byDict.set(st.dict, st);
    }
    this.keysTotal = total;
  }

  /** Installs the copy-on-write hooks (BGSAVE); a synchronous SAVE needs none. */
  public attach(server: Server): void {
    this.attachedTo = server;
    for (const db of server.dbs) db.cow = this;
    server.beforeWrite = this.commandHook;
  }

  public detach(): void {
    const server = this.attachedTo;
    if (!server) return;
    for (const db of server.dbs) if (db.cow === this) db.cow = undefined;
    if (server.beforeWrite === this.commandHook) server.beforeWrite = undefined;
    this.attachedTo = undefined;
  }

  private readonly commandHook = (db: Db, spec: CommandSpec, argv: readonly string[]): void => {
    const server = this.attachedTo!;
    for (const i of server.keysOf(spec, argv)) this.before(db, argv[i]);
  };

  /** Copy-on-write: keeps the T0 state of `key` before its first change, unless it is written already. */
  public before(db: Db, key: string): void {
    const st = this.byDict.get(db.dict);
    if (st === undefined || st.phase === 'done') return;
    const p = passOf(st, key);
    // an earlier pass wrote the key already (or it did not exist at T0 and no pass is left to see
    // it); once the running pass has finished its walk, each of its T0 keys is written or copied
    if (p < st.pass || (p === st.pass && st.phase !== 'walk')) return;
    const touched = st.touched[p];
    if (touched.has(key)) return;
    const v = st.dict.get(key);
    if (v === undefined) {
      touched.set(key, NEW);
      return;
    }
    const saved: Saved = { value: copyOf(v), expireAt: st.expires.get(key) };
    touched.set(key, saved);
    this.copies++;
    this.cowBytes += savedBytes(key, saved);
    if (this.cowBytes > this.cowPeak) this.cowPeak = this.cowBytes;
  }

  /** FLUSHDB/FLUSHALL: keep the maps (the snapshot still reads them), the database starts afresh. */
  public takeMaps(db: Db): boolean {
    const st = this.byDict.get(db.dict);
    return st !== undefined && st.phase !== 'done';
  }

  /**
   * Writes the next slice: up to `maxKeys` keys or until `deadline` (performance.now()). Returns
   * true when everything, EOF and checksum included, has been written.
   */
  public step(w: RdbWriter, aux: Record<string, string | number>, maxKeys: number, deadline: number, now: () => number): boolean {
    if (!this.started) {
      this.started = true;
      w.header(aux);
      w.functions(this.functions);
    }
    let n = 0;
    let seen = 0;
    const budget = () => ++n >= maxKeys || ((n & 31) === 0 && now() >= deadline);
    while (this.dbIndex < this.states.length) {
      const st = this.states[this.dbIndex];
      while (st.phase !== 'done') {
        const touched = st.touched[st.pass];
        if (st.phase === 'walk') {
          if (st.iter === undefined) {
            if (st.pass === 0) w.selectDb(st.id, st.sizeAtT0, st.expiresAtT0);
            st.iter = st.dict.keys();
          }
          const iter = st.iter;
          const dict = st.dict;
          const expires = st.expires;
          const written = st.written;
          const single = st.passes === 1;
          // for-of resumes the live iterator where the last slice left it (Map iterators have no
          // return(), so leaving the loop does not close them), and allocates no result objects
          for (const key of iter) {
            if (!single && passOf(st, key) !== st.pass) {
              // keys of other passes cost a hash each: check the deadline now and then
              if ((++seen & 1023) === 0 && now() >= deadline) return false;
              continue;
            }
            if (touched.has(key)) continue; // left to the end of the pass (or new since T0)
            w.put(key, dict.get(key)!, expires.size > 0 ? expires.get(key) : undefined);
            written.push(key);
            this.keysProcessed++;
            if (budget()) return false;
          }
          st.iter = undefined;
          st.phase = 'resolve';
          st.resolveAt = 0;
          st.pending = new Set();
          for (const [k, t] of touched) if (t !== NEW && t !== DONE) st.pending.add(k);
          if (written.length > this.writtenPeak) this.writtenPeak = written.length;
        }
        if (st.phase === 'resolve') {
          const pending = st.pending!;
          const written = st.written;
          while (pending.size > 0 && st.resolveAt < written.length) {
            const key = written.at(st.resolveAt++);
            if (pending.delete(key)) {
              // written before it changed: its copy goes unused
              this.cowBytes -= savedBytes(key, touched.get(key) as Saved);
              touched.set(key, DONE);
            }
            if ((st.resolveAt & 4095) === 0 && now() >= deadline) return false;
          }
          st.written.clear();
          st.phase = 'copies';
          st.iter = pending.values();
        }
        if (st.phase === 'copies') {
          for (const key of st.iter!) {
            const t = touched.get(key) as Saved;
            w.put(key, valueOf(t.value), t.expireAt);
            this.cowBytes -= savedBytes(key, t);
            touched.set(key, DONE);
            this.keysProcessed++;
            if (budget()) return false;
          }
          st.iter = undefined;
          st.pending = undefined;
          touched.clear();
          st.pass++;
          st.phase = st.pass < st.passes ? 'walk' : 'done';
          if (st.phase === 'done') st.written = new KeyLog(); // lets its blocks go
        }
      }
      this.dbIndex++;
    }
    w.end();
    return true;
  }
}

/** The T0 copy of a value: strings are immutable and kept as they are; others are serialized. */
function copyOf(v: Value): string | Buffer {
  if (typeof v === 'string') return v;
  if (v.type === 'string') return v.toLatin1!();
  return encodeValue(v);
}

function valueOf(saved: string | Buffer): Value {
  if (typeof saved === 'string') return saved;
  const r = new ByteReader(saved);
  const type = r.u8();
  return readValue(r, type)!;
}

function savedBytes(key: string, s: Saved): number {
  return 64 + key.length + s.value.length;
}
