/**
 * A snapshot file being written durably: a temp file in `dir` (temp-<pid>.rdb, as Valkey names
 * it), fsync, rename over the target, fsync of the directory. Until the rename the previous file
 * is untouched, so a crash mid-save leaves it intact. With a key, the bytes go through AES-256-GCM
 * (crypto.ts) on their way to the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { Encryptor } from './crypto';

const fsyncAsync = promisify(fs.fsync);
const closeAsync = promisify(fs.close);

export class SnapshotFile {
  public readonly tempPath: string;
  public readonly finalPath: string;
  /** Bytes written to the file so far. */
  public bytes = 0;
  private fd: number | undefined;
  private readonly enc: Encryptor | undefined;
  /** Background mode: chunks queue here and go to the file with async writes (libuv's pool). */
  private readonly queue: Buffer[] = [];
  private writing = false;
  private error: Error | undefined;
  private drainWaiters: Array<() => void> = [];
  /** Bytes queued and not yet written (background mode). */
  public queuedBytes = 0;
  /** Set for BGSAVE: writes do not block the event loop. */
  public background = false;

  constructor(public readonly dir: string, filename: string, key: Buffer | undefined, tempName = `temp-${process.pid}.rdb`) {
    this.finalPath = path.resolve(dir, filename);
    this.tempPath = path.resolve(dir, tempName);
    this.fd = fs.openSync(this.tempPath, 'w', 0o600);
    if (key) {
      this.enc = new Encryptor(key);
      this.put(this.enc.header());
    }
  }

  /** Appends plain RDB bytes (encrypted on the way when a key is set). */
  public write(chunk: Buffer): void {
    this.put(this.enc ? this.enc.update(chunk) : chunk);
  }

  private put(data: Buffer): void {
    if (this.error) throw this.error;
    if (this.background) {
      this.queue.push(data);
      this.queuedBytes += data.length;
      this.pump();
      return;
    }
    let off = 0;
    while (off < data.length) off += fs.writeSync(this.fd!, data, off, data.length - off);
    this.bytes += data.length;
  }

  private pump(): void {
    if (this.writing || this.fd === undefined) return;
    const data = this.queue.shift();
    if (!data) {
      for (const w of this.drainWaiters.splice(0)) w();
      return;
    }
    this.writing = true;
    const writeFrom = (off: number) => {
      fs.write(this.fd!, data, off, data.length - off, null, (err, n) => {
        if (err) {
          this.error = err;
          this.writing = false;
          this.queue.length = 0;
          this.queuedBytes = 0;
          for (const w of this.drainWaiters.splice(0)) w();
          return;
        }
        this.bytes += n;
        if (off + n < data.length) return writeFrom(off + n);
        this.queuedBytes -= data.length;
        this.writing = false;
        this.pump();
      });
    };
    writeFrom(0);
  }

  /** Resolves when the queue is written (or a write failed: `commit` reports it). */
  public drained(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.drainWaiters.push(r));
  }

  /** Completes the file without yielding (SAVE, shutdown). */
  public commitSync(): void {
    if (this.enc) this.put(this.enc.final());
    fs.fsyncSync(this.fd!);
    fs.closeSync(this.fd!);
    this.fd = undefined;
    fs.renameSync(this.tempPath, this.finalPath);
    syncDirSync(path.dirname(this.finalPath));
  }

  /** Completes the file; the fsyncs run on libuv's thread pool, so clients are served meanwhile. */
  public async commit(): Promise<void> {
    if (this.enc) this.put(this.enc.final());
    await this.drained();
    if (this.error) throw this.error;
    const fd = this.fd!;
    await fsyncAsync(fd);
    await closeAsync(fd);
    this.fd = undefined;
    await fs.promises.rename(this.tempPath, this.finalPath);
    await syncDir(path.dirname(this.finalPath));
  }

  /** Drops the temp file (failed or aborted save); the previous file stays. */
  public abort(): void {
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      fs.unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
  }
}

/** fsync of a directory, so a rename in it is durable. */
function syncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
