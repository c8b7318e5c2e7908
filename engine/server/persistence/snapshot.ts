/**
 * A point-in-time snapshot of the keyspace without fork(): the databases are walked in slices
 * between event-loop turns while clients keep writing, and the file holds exactly the dataset of
 * the moment the snapshot started (T0).
 *
 * How it stays point-in-time:
 * - Copy-on-write per key: before a key first changes during the snapshot (Db.set/delete/
 *   setExpire/persist, and before any `write` command, served blocked command or script command
 *   touches its keys), its T0 value and expiry are kept: strings by reference (they are
 *   immutable), other types serialized (encodeValue). A key absent at T0 is marked new. Later
 *   changes to a touched key cost nothing more.
 * - The walk follows each database's live Map iterator and writes only untouched keys (their
 *   live value is the T0 value), remembering which (an array of references to the key strings
 *   the keyspace holds, 8 bytes per key, built as it goes: no stall at T0). Keys created after
 *   T0 are marked new and skipped. A touched key may have been written before it was touched, or
 *   not (a JS Map cannot tell where a live iterator stands, and a deleted key is gone from it):
 *   so touched keys are left to the end, where one pass over the written-keys array finds those
 *   already written; the T0 copies of the others are written then. Every T0 key is written
 *   exactly once.
 * - FLUSHDB/FLUSHALL hand the emptied maps to the snapshot (Db.clear via `takeMaps`); SWAPDB
 *   moves the maps between databases, and the snapshot follows the maps, not the Db objects.
 * Extra memory: the written-keys arrays plus the copies of keys changed during the snapshot
 * (rdb_last_cow_size reports the copies' peak bytes).
 */
import type { CommandSpec } from '../commands/command';
import type { CowHooks, Db, Value } from '../db';
import { encodeValue, RdbWriter } from '../rdb';
import { ByteReader } from '../rdb/bytes';
import { readValue } from '../rdb/value-reader';
import type { Server } from '../server';

/** The T0 state of a key changed before the walk reached it. */
interface Saved {
  /** A string value as is, or any other type serialized (type byte + payload). */
  value: string | Buffer;
  expireAt: number | undefined;
}
/** Marks in `touched`: the key did not exist at T0 / its saved value is written already. */
const NEW = 0;
const DONE = 1;

interface DbState {
  readonly id: number;
  readonly dict: Map<string, Value>;
  readonly expires: Map<string, number>;
  readonly sizeAtT0: number;
  readonly expiresAtT0: number;
  readonly touched: Map<string, Saved | typeof NEW | typeof DONE>;
  /** The walk over the live map, then over `written` (finding touched keys written already). */
  iter: Iterator<string> | undefined;
  /** Keys written from their live value, in walk order. */
  readonly written: string[];
  writtenCount: number;
  phase: 'walk' | 'resolve' | 'copies' | 'done';
  resolveAt: number;
  /** Touched keys not found written yet (the resolve pass). */
  pending: Set<string> | undefined;
}

export class Snapshot implements CowHooks {
  public readonly startedAt = Date.now();
  public readonly keysTotal: number;
  public keysProcessed = 0;
  /** Bytes held by copies now, and their peak. */
  public cowBytes = 0;
  public cowPeak = 0;
  private readonly states: DbState[] = [];
  private readonly byDict = new Map<Map<string, Value>, DbState>();
  private dbIndex = 0;
  private started = false;
  private attachedTo: Server | undefined;

  /** Fixes T0: each database's maps, its size, and the FUNCTION libraries. O(databases). */
  constructor(dbs: readonly Db[], public readonly functions: readonly string[]) {
    let total = 0;
    for (const db of dbs) {
      const st: DbState = {
        id: db.id,
        dict: db.dict,
        expires: db.expires,
        sizeAtT0: db.dict.size,
        expiresAtT0: db.expires.size,
        touched: new Map(),
        iter: undefined,
        written: [], // sized when the walk of this database starts
        writtenCount: 0,
        phase: db.dict.size > 0 ? 'walk' : 'done',
        resolveAt: 0,
        pending: undefined,
      };
      total += st.sizeAtT0;
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

  /** Copy-on-write: keeps the T0 state of `key` before its first change. */
  public before(db: Db, key: string): void {
    const st = this.byDict.get(db.dict);
    // once a database's walk is over, each of its T0 keys is written or copied already
    if (st === undefined || st.phase !== 'walk' || st.touched.has(key)) return;
    const v = st.dict.get(key);
    if (v === undefined) {
      st.touched.set(key, NEW);
      return;
    }
    const saved: Saved = { value: copyOf(v), expireAt: st.expires.get(key) };
    st.touched.set(key, saved);
    this.cowBytes += savedBytes(key, saved);
    if (this.cowBytes > this.cowPeak) this.cowPeak = this.cowBytes;
  }

  /** FLUSHDB/FLUSHALL: keep the maps (the snapshot still reads them), the database starts afresh. */
  public takeMaps(db: Db): boolean {
    const st = this.byDict.get(db.dict);
    return st !== undefined && st.phase === 'walk';
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
    const budget = () => ++n >= maxKeys || ((n & 63) === 0 && now() >= deadline);
    while (this.dbIndex < this.states.length) {
      const st = this.states[this.dbIndex];
      if (st.phase === 'walk') {
        if (st.iter === undefined) {
          w.selectDb(st.id, st.sizeAtT0, st.expiresAtT0);
          st.iter = st.dict.keys();
          st.written.length = st.sizeAtT0; // one allocation instead of growing by copies
        }
        for (;;) {
          const r = st.iter.next();
          if (r.done) {
            st.iter = undefined;
            st.phase = 'resolve';
            st.pending = new Set();
            for (const [k, t] of st.touched) if (t !== NEW && t !== DONE) st.pending.add(k);
            if (st.pending.size === 0) st.resolveAt = st.writtenCount;
            break;
          }
          const key = r.value;
          if (st.touched.has(key)) continue; // left to the end (or new since T0)
          w.entry({ key, value: st.dict.get(key)!, expireAt: st.expires.get(key) });
          st.written[st.writtenCount++] = key;
          this.keysProcessed++;
          if (budget()) return false;
        }
      }
      if (st.phase === 'resolve') {
        const pending = st.pending!;
        while (st.resolveAt < st.writtenCount) {
          const key = st.written[st.resolveAt++];
          if (pending.size > 0 && pending.delete(key)) st.touched.set(key, DONE);
          if ((st.resolveAt & 4095) === 0 && now() >= deadline) return false;
        }
        st.written.length = 0;
        st.phase = 'copies';
        st.iter = pending.values();
      }
      if (st.phase === 'copies') {
        for (;;) {
          const r = st.iter!.next();
          if (r.done) break;
          const key = r.value;
          const t = st.touched.get(key) as Saved;
          w.entry({ key, value: valueOf(t.value), expireAt: t.expireAt });
          this.cowBytes -= savedBytes(key, t);
          st.touched.set(key, DONE);
          this.keysProcessed++;
          if (budget()) return false;
        }
        st.iter = undefined;
        st.pending = undefined;
        st.phase = 'done';
        st.touched.clear();
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
