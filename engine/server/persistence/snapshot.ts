/**
 * A point-in-time snapshot of the keyspace without fork(): the databases are walked in slices
 * between event-loop turns while clients keep writing, and the file holds exactly the dataset of
 * the moment the snapshot started (T0).
 *
 * How it stays point-in-time:
 * - At T0 each database's key order is fixed as an array of the key strings (references to the
 *   strings the keyspace already holds, 8 bytes per key, no copies; ~9 ms per million keys). The
 *   walk goes through that array, so every T0 key is visited exactly once whatever is deleted,
 *   re-created or inserted meanwhile (a JS Map cannot tell where a live iterator stands, and
 *   without that a key deleted during the walk could be written twice or not at all).
 * - Copy-on-write per key: before a key first changes during the snapshot (Db.set/delete/
 *   setExpire/persist, and before any `write` command, served blocked command or script command
 *   touches its keys), its T0 value and expiry are kept: strings by reference (they are
 *   immutable), other types serialized (encodeValue). A key absent at T0 is marked new and
 *   skipped. Later changes to a touched key cost nothing more.
 * - FLUSHDB/FLUSHALL hand the emptied maps to the snapshot (Db.clear via `takeMaps`); SWAPDB
 *   moves the maps between databases, and the snapshot follows the maps, not the Db objects.
 * Extra memory: the key arrays plus the copies of keys changed during the snapshot
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
  readonly keys: string[];
  readonly expiresAtT0: number;
  next: number;
  readonly touched: Map<string, Saved | typeof NEW | typeof DONE>;
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

  /** Fixes T0: the key order of every database and the FUNCTION libraries. */
  constructor(dbs: readonly Db[], public readonly functions: readonly string[]) {
    let total = 0;
    for (const db of dbs) {
      const st: DbState = {
        id: db.id,
        dict: db.dict,
        expires: db.expires,
        keys: db.dict.size > 0 ? Array.from(db.dict.keys()) : [],
        expiresAtT0: db.expires.size,
        next: 0,
        touched: new Map(),
      };
      total += st.keys.length;
      this.states.push(st);
      this.byDict.set(st.dict, st);
    }
    this.keysTotal = total;
  }

  /** Installs the copy-on-write hooks (BGSAVE); a synchronous SAVE needs none. */
  public attach(server: Server): void {
    this.attachedTo = server;
    for (const db of server.dbs) db.cow = this;
    server.beforeWrite = (db, spec, argv) => this.beforeCommand(db, spec, argv);
  }

  public detach(): void {
    const server = this.attachedTo;
    if (!server) return;
    for (const db of server.dbs) if (db.cow === this) db.cow = undefined;
    if (server.beforeWrite !== undefined) server.beforeWrite = undefined;
    this.attachedTo = undefined;
  }

  private beforeCommand(db: Db, spec: CommandSpec, argv: readonly string[]): void {
    const server = this.attachedTo!;
    for (const i of server.keysOf(spec, argv)) this.before(db, argv[i]);
  }

  /** Copy-on-write: keeps the T0 state of `key` before its first change. */
  public before(db: Db, key: string): void {
    const st = this.byDict.get(db.dict);
    if (st === undefined || st.touched.has(key)) return;
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
    return this.byDict.has(db.dict);
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
    while (this.dbIndex < this.states.length) {
      const st = this.states[this.dbIndex];
      if (st.next === 0 && st.keys.length > 0) w.selectDb(st.id, st.keys.length, st.expiresAtT0);
      while (st.next < st.keys.length) {
        const key = st.keys[st.next++];
        this.writeKey(w, st, key);
        this.keysProcessed++;
        if (++n >= maxKeys || ((n & 63) === 0 && now() >= deadline)) return false;
      }
      this.dbIndex++;
    }
    w.end();
    return true;
  }

  private writeKey(w: RdbWriter, st: DbState, key: string): void {
    const t = st.touched.get(key);
    if (t === undefined) {
      const value = st.dict.get(key);
      if (value === undefined) return; // cannot happen: a T0 key that changed is in `touched`
      w.entry({ key, value, expireAt: st.expires.get(key) });
      return;
    }
    if (t === NEW || t === DONE) return;
    w.entry({ key, value: valueOf(t.value), expireAt: t.expireAt });
    this.cowBytes -= savedBytes(key, t);
    st.touched.set(key, DONE);
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
