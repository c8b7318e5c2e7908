/**
 * Persistence of one node: SAVE/BGSAVE (point-in-time, without fork: snapshot.ts), the `save`
 * schedule, the dirty counter, loading the file at start-up, saving at shutdown, encryption at
 * rest (crypto.ts) and the counters behind INFO persistence (info.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { VERSION } from '../commands/connection';
import { librarySources, restoreLibraries } from '../commands/scripting';
import type { Db } from '../db';
import { parseRdb, RdbContents, RdbEntry, RdbParser, RdbWriter, RdbWriterOptions } from '../rdb';
import type { Server } from '../server';
import { BackgroundFile } from './background-file';
import { decryptFile, decryptFileSync, isEncrypted, readKeyFile } from './crypto';
import { Snapshot } from './snapshot';
import { SnapshotFile } from './snapshot-file';

/**
 * While clients send commands, a BGSAVE slice takes SLICE_SHARE times the time since the last one
 * (what the thread spent on clients, or waiting for them), within [SLICE_MS_MIN, SLICE_MS_BUSY],
 * and the next one is a timer away: in between the loop serves requests as they come and sleeps
 * when there are none, rather than spinning, which on shared cores would have the OS treat the
 * node as CPU-bound and preempt it for long stretches (and starve clients running beside it).
 * When clients are quiet (no command for IDLE_AFTER_MS), SLICE_MS_IDLE slices back to back.
 */
const SLICE_SHARE = 0.5;
const SLICE_MS_MIN = 0.25;
const SLICE_MS_BUSY = 2;
const SLICE_MS_IDLE = 10;
const IDLE_AFTER_MS = 50;
/** BGSAVE bytes queued for the disk (or the writer thread) before the walk waits for them. */
const MAX_QUEUED_BYTES = 2 * 1024 * 1024;
/** Longest a loading slice keeps the event loop, ms. */
const LOAD_SLICE_MS = 5;
/** After a failed BGSAVE the schedule waits this long before trying again (Valkey's CONFIG_BGSAVE_RETRY_DELAY). */
const RETRY_DELAY_MS = 5000;

export const MISCONF = 'MISCONF Valkey is configured to save RDB snapshots, but it\'s currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Valkey logs for details about the RDB error.';

/** Where a BGSAVE's bytes go: a writer thread (BackgroundFile), or async writes from this thread. */
type BgFile = Pick<SnapshotFile, 'write' | 'queuedBytes' | 'drained' | 'commit' | 'abort' | 'bytes'>;

/** A BGSAVE in progress. */
interface Background {
  readonly snap: Snapshot;
  readonly file: BgFile;
  readonly writer: RdbWriter;
  readonly dirtyAtStart: number;
  readonly aux: Record<string, string | number>;
  timer: NodeJS.Immediate | NodeJS.Timeout | undefined;
  aborted: boolean;
  /** Slices run, their total and longest time (ms), for the log. */
  slices: number;
  sliceMs: number;
  sliceMax: number;
  /** total_commands_processed at the last slice: clients active in between get shorter slices. */
  commandsSeen: number;
  /** When the last slice ended (performance.now()): the time since is what the turn spent on clients. */
  lastEnd: number;
  /** When a slice last saw commands processed since the one before. */
  activeAt: number;
}

/** Loading progress (INFO loading_* fields). */
export interface LoadProgress {
  readonly startedAt: number;
  readonly totalBytes: number;
  readonly totalKeys: number;
  doneKeys: number;
}

/** Under a per-key delay (rdb-key-save-delay, key-load-delay), keys handled per timer tick of max(1 ms, delay). */
function keysPerTick(delayUs: number): number {
  return delayUs > 0 ? Math.max(1, Math.floor(1000 / delayUs)) : Infinity;
}

/** parseRdb in slices of about LOAD_SLICE_MS between event-loop turns (clients get -LOADING meanwhile). */
async function parseSliced(buf: Buffer, skipChecksum: boolean): Promise<RdbContents> {
  const parser = new RdbParser(buf, { skipChecksum });
  let deadline = performance.now() + LOAD_SLICE_MS;
  while (!parser.step(256)) {
    if (performance.now() >= deadline) {
      await new Promise((res) => setImmediate(res));
      deadline = performance.now() + LOAD_SLICE_MS;
    }
  }
  return parser.contents;
}

const registry = new WeakMap<Server, Persistence>();

/** The persistence state of a node (undefined if it has none installed). */
export function persistenceOf(server: Server): Persistence | undefined {
  return registry.get(server);
}

export function installPersistence(server: Server): Persistence {
  const p = new Persistence(server);
  registry.set(server, p);
  return p;
}

export class Persistence {
  /** Unix time (s) of the last successful save (LASTSAVE); the start time until then. */
  public lastSave: number;
  public lastBgsaveOk = true;
  public lastBgsaveTimeSec = -1;
  public saves = 0;
  public lastCowSize = 0;
  public loadedKeys = 0;
  public expiredAtLoad = 0;
  public loadProgress: LoadProgress | undefined;
  public bgsaveScheduled = false;
  public bg: Background | undefined;
  private lastBgsaveTry = 0;
  private key: Buffer | undefined | null = null;

  constructor(private readonly server: Server) {
    this.lastSave = Math.floor(server.startedAt / 1000);
    server.cronHooks.push((now) => this.cron(now));
    const update = () => this.updateWriteGuard();
    server.config.onChange('save', update);
    server.config.onChange('stop-writes-on-bgsave-error', update);
  }

  /** dir/dbfilename, resolved. */
  public get filePath(): string {
    return path.resolve(this.server.config.get('dir'), this.server.config.get('dbfilename'));
  }

  /** The `save` directive as (seconds, changes) pairs; empty when saving is off. */
  public savePoints(): Array<[number, number]> {
    const parts = this.server.config.get('save').split(/\s+/).filter((p) => p !== '' && p !== '""');
    const out: Array<[number, number]> = [];
    for (let i = 0; i + 1 < parts.length; i += 2) out.push([Number(parts[i]), Number(parts[i + 1])]);
    return out;
  }

  /** The encryption key (snapshot-key-file), read once; undefined when files are plain. */
  public encryptionKey(): Buffer | undefined {
    if (this.key === null) {
      const file = this.server.config.get('snapshot-key-file');
      this.key = file ? readKeyFile(file) : undefined;
    }
    return this.key;
  }

  /** rdbcompression / rdbchecksum, read when a save starts. */
  private writerOptions(): RdbWriterOptions {
    return { compress: this.server.config.getBool('rdbcompression'), checksum: this.server.config.getBool('rdbchecksum') };
  }

  private aux(): Record<string, string | number> {
    return {
      'redis-ver': VERSION,
      'redis-bits': 64,
      'ctime': Math.floor(Date.now() / 1000),
      'used-mem': this.server.usedMemory(),
      'aof-base': 0,
    };
  }

  // ---------------------------------------------------------------- saving

  /** SAVE: writes the file now, blocking. Throws with the reason on failure (the old file stays). */
  public saveSync(): void {
    const server = this.server;
    const snap = new Snapshot(server.dbs, librarySources(server), { passes: 1 });
    const file = this.openFile();
    try {
      const w = new RdbWriter((chunk) => file.write(chunk), this.writerOptions());
      snap.step(w, this.aux(), Infinity, Infinity, () => 0);
      file.commitSync();
    } catch (e) {
      file.abort();
      server.log.warning(`Failed saving the DB: ${(e as Error).message}`);
      throw e;
    }
    server.dirty = 0;
    this.lastSave = Math.floor(Date.now() / 1000);
    this.saves++;
    server.log.notice('DB saved on disk');
  }

  private openFile(): SnapshotFile {
    const dir = path.resolve(this.server.config.get('dir'));
    try {
      return new SnapshotFile(dir, this.server.config.get('dbfilename'), this.encryptionKey());
    } catch (e) {
      throw new Error(`Failed opening the temp RDB file temp-${process.pid}.rdb (in server root dir ${dir}) for saving: ${(e as Error).message}`);
    }
  }

  /** BGSAVE: starts a point-in-time snapshot written in slices. False if one is running already. */
  public startBgsave(): boolean {
    if (this.bg) return false;
    const server = this.server;
    this.lastBgsaveTry = Date.now();
    let file: BgFile;
    const opts = this.writerOptions();
    // CRC, encryption and writes in a worker thread when the compiled worker is there
    const threaded = BackgroundFile.available;
    try {
      if (threaded) {
        const dir = path.resolve(this.server.config.get('dir'));
        try {
          file = new BackgroundFile(dir, this.server.config.get('dbfilename'), this.encryptionKey(), opts.checksum !== false);
        } catch (e) {
          throw new Error(`Failed opening the temp RDB file temp-${process.pid}.rdb (in server root dir ${dir}) for saving: ${(e as Error).message}`);
        }
      } else {
        const f = this.openFile();
        f.background = true;
        file = f;
      }
    } catch (e) {
      server.log.warning(`Can't save in background: ${(e as Error).message}`);
      this.lastBgsaveOk = false;
      this.updateWriteGuard();
      return true;
    }
    const snap = new Snapshot(server.dbs, librarySources(server));
    snap.attach(server);
    const bg: Background = {
      snap,
      file,
      // the threaded file copies each chunk into its pool: the writer lends its buffer
      writer: new RdbWriter((chunk) => file.write(chunk), { ...opts, trailer: !threaded, borrow: threaded }),
      dirtyAtStart: server.dirty,
      aux: this.aux(),
      timer: undefined,
      aborted: false,
      slices: 0,
      sliceMs: 0,
      sliceMax: 0,
      commandsSeen: -1,
      lastEnd: 0,
      activeAt: -Infinity,
    };
    this.bg = bg;
    this.bgsaveScheduled = false;
    server.log.notice(`Background saving started (point-in-time walk of ${snap.keysTotal} keys, no fork)`);
    this.schedule(bg, 0);
    return true;
  }

  private schedule(bg: Background, delayMs: number): void {
    const run = () => this.slice(bg);
    bg.timer = delayMs > 0 ? setTimeout(run, delayMs) : setImmediate(run);
  }

  private slice(bg: Background): void {
    if (bg.aborted) return;
    bg.timer = undefined;
    if (bg.file.queuedBytes > MAX_QUEUED_BYTES) {
      // the disk is behind: wait for the writes instead of holding more of the file in memory
      void bg.file.drained().then(() => this.schedule(bg, 0));
      return;
    }
    // rdb-key-save-delay (µs per key, as in Valkey; for tests): about 1000/delay keys per 1 ms timer tick
    const delayUs = this.server.config.getNumber('rdb-key-save-delay');
    let done: boolean;
    const t0 = performance.now();
    const commands = this.server.stats.totalCommands;
    // clients count as quiet only after IDLE_AFTER_MS without a command: a loaded machine delays
    // their next request past a turn or two, and a long slice then would hold all of them
    if (commands !== bg.commandsSeen) bg.activeAt = t0;
    const busy = t0 - bg.activeAt < IDLE_AFTER_MS;
    const sliceMs = busy ? Math.min(SLICE_MS_BUSY, Math.max(SLICE_MS_MIN, (t0 - bg.lastEnd) * SLICE_SHARE)) : SLICE_MS_IDLE;
    bg.commandsSeen = commands;
    try {
      done = bg.snap.step(bg.writer, bg.aux, keysPerTick(delayUs), t0 + sliceMs, () => performance.now());
      bg.lastEnd = performance.now();
      const took = bg.lastEnd - t0;
      bg.slices++;
      bg.sliceMs += took;
      if (took > bg.sliceMax) bg.sliceMax = took;
    } catch (e) {
      this.bgsaveDone(bg, e as Error);
      return;
    }
    if (!done) {
      this.schedule(bg, delayUs > 0 ? Math.max(1, delayUs / 1000) : busy ? 1 : 0);
      return;
    }
    bg.snap.detach();
    bg.file.commit().then(() => this.bgsaveDone(bg, undefined), (e: Error) => this.bgsaveDone(bg, e));
  }

  private bgsaveDone(bg: Background, err: Error | undefined): void {
    if (bg.aborted) return;
    const server = this.server;
    bg.snap.detach();
    this.bg = undefined;
    const secs = Math.round((Date.now() - bg.snap.startedAt) / 1000);
    this.lastBgsaveTimeSec = secs;
    this.lastCowSize = bg.snap.cowPeak;
    if (err) {
      bg.file.abort();
      this.lastBgsaveOk = false;
      server.log.warning(`Background saving error: ${err.message}`);
    } else {
      this.lastBgsaveOk = true;
      this.lastSave = Math.floor(Date.now() / 1000);
      this.saves++;
      server.dirty = Math.max(0, server.dirty - bg.dirtyAtStart);
      server.log.notice(`DB saved on disk (${bg.snap.keysProcessed} keys, ${bg.file.bytes} bytes, copy-on-write peak ${bg.snap.cowPeak} bytes; ${bg.slices} slices, mean ${(bg.sliceMs / Math.max(1, bg.slices)).toFixed(2)} ms, longest ${bg.sliceMax.toFixed(1)} ms)`);
      server.log.notice('Background saving terminated with success');
    }
    this.updateWriteGuard();
  }

  /** Stops a running BGSAVE and drops its temp file (SHUTDOWN, FLUSHALL, DEBUG RELOAD). */
  public abortBgsave(why: string): void {
    const bg = this.bg;
    if (!bg) return;
    bg.aborted = true;
    if (bg.timer !== undefined) {
      clearTimeout(bg.timer as NodeJS.Timeout);
      clearImmediate(bg.timer as NodeJS.Immediate);
    }
    bg.snap.detach();
    bg.file.abort();
    this.bg = undefined;
    this.server.log.warning(`Background saving aborted: ${why}`);
  }

  /** stop-writes-on-bgsave-error: writes (and PING) get MISCONF while the last BGSAVE failed. */
  private updateWriteGuard(): void {
    const on = !this.lastBgsaveOk && this.server.config.getBool('stop-writes-on-bgsave-error') && this.savePoints().length > 0;
    this.server.writeGuard = on ? (spec) => (spec.flags.includes('write') || spec.name === 'ping' ? MISCONF : undefined) : undefined;
  }

  /** The save schedule (and BGSAVE SCHEDULE), checked by the server cron. */
  private cron(now: number): void {
    if (this.bg || this.server.loading || this.server.shuttingDown) return;
    if (this.bgsaveScheduled) {
      this.startBgsave();
      return;
    }
    const dirty = this.server.dirty;
    if (dirty === 0) return;
    if (!this.lastBgsaveOk && now - this.lastBgsaveTry < RETRY_DELAY_MS) return;
    const since = now / 1000 - this.lastSave;
    for (const [secs, changes] of this.savePoints()) {
      if (dirty >= changes && since > secs) {
        this.server.log.notice(`${changes} changes in ${secs} seconds. Saving...`);
        this.startBgsave();
        return;
      }
    }
  }

  /**
   * Before the process exits (SHUTDOWN, SIGTERM): with save points configured (or SAVE), a final
   * synchronous save, unless NOSAVE. Returns an error text when the save failed (the node keeps running).
   */
  public prepareShutdown(opts: { save?: boolean; nosave?: boolean; force?: boolean } = {}): string | undefined {
    if (this.bg) this.abortBgsave('shutting down');
    // never while loading: the keyspace is partial and the file on disk is the good copy
    if (this.server.loading || opts.nosave || (!opts.save && this.savePoints().length === 0)) return undefined;
    this.server.log.notice('Saving the final RDB snapshot before exiting.');
    try {
      this.saveSync();
    } catch {
      if (opts.force) return undefined;
      this.server.log.warning('Error trying to save the DB, can\'t exit.');
      return 'ERR Errors trying to SHUTDOWN. Check logs.';
    }
    return undefined;
  }

  /** After FLUSHALL: with save points configured the (now empty) dataset is saved at once, as Valkey does. */
  public afterFlushAll(): void {
    if (this.savePoints().length === 0) return;
    this.abortBgsave('FLUSHALL');
    try {
      this.saveSync();
    } catch {
      // logged; the schedule retries
    }
  }

  // ---------------------------------------------------------------- loading

  /**
   * Loads dir/dbfilename at start-up, if it exists: read (and decrypt), parse all of it, then
   * install the keys in slices between event-loop turns (clients get -LOADING meanwhile, INFO and
   * PING answer). Throws with the reason (an RdbError names the offset); nothing is installed then.
   */
  public async loadAtStartup(): Promise<void> {
    this.encryptionKey(); // a bad key file stops the start-up, not the first save
    const file = this.filePath;
    if (!fs.existsSync(file)) return;
    const server = this.server;
    const t0 = Date.now();
    server.loading = true;
    try {
      const size = fs.statSync(file).size;
      this.loadProgress = { startedAt: t0, totalBytes: size, totalKeys: 0, doneKeys: 0 };
      const buf = await this.readFile(file);
      const contents = await parseSliced(buf, !server.config.getBool('rdbchecksum'));
      this.checkDbs(contents);
      const total = [...contents.dbs.values()].reduce((a, e) => a + e.length, 0);
      this.loadProgress = { startedAt: t0, totalBytes: size, totalKeys: total, doneKeys: 0 };
      this.logFileInfo(contents);
      await this.install(contents);
      await restoreLibraries(server, contents.functions);
    } finally {
      server.loading = false;
      this.loadProgress = undefined;
    }
    server.dirty = 0;
    server.log.notice(`Done loading RDB, keys loaded: ${this.loadedKeys}, keys expired: ${this.expiredAtLoad}.`);
    server.log.notice(`DB loaded from disk: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
  }

  private async readFile(file: string): Promise<Buffer> {
    const head = Buffer.alloc(8);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, 8, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!isEncrypted(head)) return fs.promises.readFile(file);
    const key = this.encryptionKey();
    if (!key) throw new Error(`${file} is an encrypted snapshot: start the node with --snapshot-key-file <key file>`);
    return decryptFile(file, key);
  }

  private readFileSync(file: string): Buffer {
    const buf = fs.readFileSync(file);
    if (!isEncrypted(buf)) return buf;
    const key = this.encryptionKey();
    if (!key) throw new Error(`${file} is an encrypted snapshot: start the node with --snapshot-key-file <key file>`);
    return decryptFileSync(file, key);
  }

  private checkDbs(contents: RdbContents): void {
    const n = this.server.dbs.length;
    for (const id of contents.dbs.keys()) {
      if (id >= n) throw new Error(`FATAL: Data file was created with a server configured to handle more than ${n} databases (it has db ${id})`);
    }
  }

  private logFileInfo(contents: RdbContents): void {
    const log = this.server.log;
    const ver = contents.aux.get('valkey-ver') ?? contents.aux.get('redis-ver');
    if (ver) log.notice(`Loading RDB produced by version ${ver}`);
    const ctime = Number(contents.aux.get('ctime'));
    if (ctime > 0) log.notice(`RDB age ${Math.max(0, Math.floor(Date.now() / 1000) - ctime)} seconds`);
    const mem = Number(contents.aux.get('used-mem'));
    if (mem > 0) log.notice(`RDB memory usage when created ${(mem / 1024 / 1024).toFixed(2)} Mb`);
  }

  /** Puts parsed keys into the databases in slices (key-load-delay µs per key slows it, for tests). */
  private async install(contents: RdbContents): Promise<void> {
    const delayUs = this.server.config.getNumber('key-load-delay');
    const now = Date.now();
    this.loadedKeys = this.expiredAtLoad = 0;
    let deadline = performance.now() + LOAD_SLICE_MS;
    for (const [id, entries] of contents.dbs) {
      const db = this.server.dbs[id];
      for (let i = 0; i < entries.length; i++) {
        this.put(db, entries[i], now);
        entries[i] = undefined as never; // the parsed copy goes as it is installed
        this.loadProgress!.doneKeys++;
        if (delayUs > 0) {
          if (this.loadProgress!.doneKeys % keysPerTick(delayUs) === 0) await new Promise((r) => setTimeout(r, Math.max(1, delayUs / 1000)));
        } else if ((i & 255) === 0 && performance.now() >= deadline) {
          await new Promise((r) => setImmediate(r));
          deadline = performance.now() + LOAD_SLICE_MS;
        }
      }
    }
  }

  private installSync(contents: RdbContents): void {
    const now = Date.now();
    this.loadedKeys = this.expiredAtLoad = 0;
    for (const [id, entries] of contents.dbs) for (const e of entries) this.put(this.server.dbs[id], e, now);
  }

  /** One key; keys already expired are dropped (counted as rdb_last_load_keys_expired), as a primary does. */
  private put(db: Db, e: RdbEntry, now: number): void {
    if (e.expireAt !== undefined && e.expireAt <= now) {
      this.expiredAtLoad++;
      return;
    }
    db.set(e.key, e.value);
    if (e.expireAt !== undefined) db.setExpire(e.key, e.expireAt);
    this.loadedKeys++;
  }

  /** DEBUG RELOAD: save, empty the keyspace, load the file again (blocking). Throws on failure. */
  public reload(opts: { save: boolean; flush: boolean }): void {
    if (this.bg) this.abortBgsave('DEBUG RELOAD');
    if (opts.save) this.saveSync();
    const contents = parseRdb(this.readFileSync(this.filePath), { skipChecksum: !this.server.config.getBool('rdbchecksum') });
    this.checkDbs(contents);
    if (opts.flush) for (const db of this.server.dbs) db.clear();
    this.installSync(contents);
    void restoreLibraries(this.server, contents.functions).catch((e: Error) => this.server.log.warning(`DEBUG RELOAD: ${e.message}`));
    this.server.dirty = 0;
  }
}
