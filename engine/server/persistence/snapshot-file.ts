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
    let off = 0;
    while (off < data.length) off += fs.writeSync(this.fd!, data, off, data.length - off);
    this.bytes += data.length;
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

async function syncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
