/**
 * A BGSAVE's file written by a worker thread (file-writer-worker.ts): CRC-64, encryption, the
 * writes and the fsync leave the main thread, which only serializes keys. The main thread opens
 * the temp file (so a bad `dir` fails at once, as with SnapshotFile), hands its descriptor to the
 * worker, and renames the file once the worker has synced it. Chunks are moved, not copied
 * (transferred ArrayBuffers); `queuedBytes` counts those not written yet, for back-pressure.
 *
 * The RdbWriter feeding it must leave the checksum field out (`trailer: false`): the worker, which
 * sees every byte, appends it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { syncDir } from './snapshot-file';

const WORKER = path.join(__dirname, 'file-writer-worker.js');
/** A pooled buffer's size: the RDB writer hands over about 64 KiB at a time. */
const POOL_BUFFER_BYTES = 128 * 1024;
/** Pooled buffers kept for reuse (more are allocated while the disk is behind, then dropped). */
const POOL_KEEP = 24;

export class BackgroundFile {
  /** Whether the compiled worker is there (it is not when the sources run under ts-jest). */
  public static get available(): boolean {
    return fs.existsSync(WORKER);
  }

  public readonly tempPath: string;
  public readonly finalPath: string;
  /** Bytes written to the file so far. */
  public bytes = 0;
  /** Bytes posted to the worker and not written yet. */
  public queuedBytes = 0;
  private readonly worker: Worker;
  private readonly pool: ArrayBuffer[] = [];
  private error: Error | undefined;
  private drainWaiters: Array<() => void> = [];
  private syncWaiter: ((e: Error | undefined) => void) | undefined;
  private finished = false;
  private aborted = false;

  constructor(dir: string, filename: string, key: Buffer | undefined, checksum: boolean, tempName = `temp-${process.pid}.rdb`) {
    this.finalPath = path.resolve(dir, filename);
    this.tempPath = path.resolve(dir, tempName);
    const fd = fs.openSync(this.tempPath, 'w', 0o600);
    try {
      // it holds a few chunks at a time: a small heap keeps its memory small
      this.worker = new Worker(WORKER, {
        workerData: { fd, key: key ? new Uint8Array(key) : undefined, checksum },
        resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
      });
    } catch (e) {
      fs.closeSync(fd);
      fs.unlinkSync(this.tempPath);
      throw e;
    }
    this.worker.on('message', (m: { written?: number; buffer?: ArrayBuffer; synced?: number; error?: string }) => {
      if (m.written !== undefined) {
        if (m.buffer && m.buffer.byteLength === POOL_BUFFER_BYTES && this.pool.length < POOL_KEEP) this.pool.push(m.buffer);
        this.queuedBytes -= m.written;
        this.bytes += m.written;
        if (this.queuedBytes === 0) this.wakeDrained();
      } else if (m.synced !== undefined) {
        this.bytes = m.synced;
        this.finished = true;
        this.syncWaiter?.(undefined);
      } else if (m.error !== undefined) {
        this.fail(new Error(m.error));
      }
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => {
      if (!this.finished) this.fail(new Error('the snapshot writer thread exited'));
    });
  }

  private fail(e: Error): void {
    if (this.error || this.finished) return;
    this.error = e;
    this.wakeDrained();
    this.syncWaiter?.(e);
  }

  private wakeDrained(): void {
    for (const w of this.drainWaiters.splice(0)) w();
  }

  /** Hands plain RDB bytes to the worker (copied: the caller may reuse `chunk` at once). */
  public write(chunk: Uint8Array): void {
    if (this.error) throw this.error;
    let ab: ArrayBuffer;
    if (chunk.length <= POOL_BUFFER_BYTES) {
      ab = this.pool.pop() ?? new ArrayBuffer(POOL_BUFFER_BYTES);
    } else {
      ab = new ArrayBuffer(chunk.length); // a key larger than a pooled buffer: its own, not kept
    }
    new Uint8Array(ab).set(chunk);
    this.queuedBytes += chunk.length;
    this.worker.postMessage({ chunk: ab, length: chunk.length }, [ab]);
  }

  /** Resolves when everything posted is written (or the worker failed: `commit` reports it). */
  public drained(): Promise<void> {
    if (this.queuedBytes === 0 || this.error) return Promise.resolve();
    return new Promise((r) => this.drainWaiters.push(r));
  }

  /** The checksum field, fsync and close (in the worker), then the rename and the directory's fsync. */
  public async commit(): Promise<void> {
    if (this.error) throw this.error;
    const synced = new Promise<Error | undefined>((r) => (this.syncWaiter = r));
    this.worker.postMessage({ commit: true });
    const err = await synced;
    if (err) throw err;
    if (this.aborted) throw new Error('aborted');
    await fs.promises.rename(this.tempPath, this.finalPath);
    await syncDir(path.dirname(this.finalPath));
  }

  /** Drops the temp file (failed or aborted save); the worker closes its descriptor and ends. */
  public abort(): void {
    this.finished = this.aborted = true;
    this.worker.postMessage({ abort: true });
    this.worker.unref();
    try {
      fs.unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
  }
}
