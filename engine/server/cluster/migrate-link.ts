import * as path from 'path';
import { Worker } from 'worker_threads';

/** What the target answered: one [type char, text] per command, or an IOERR. */
export interface TransferResult {
  readonly error?: string;
  readonly replies?: ReadonlyArray<[string, string]>;
}

const RESULT_BYTES = 1 << 20;

/**
 * Synchronous request/replies to another node for MIGRATE: the I/O runs in migrate-worker.js while
 * this thread waits on a shared word, so the node is blocked for the duration, as Valkey is.
 */
export class MigrateLink {
  private worker: Worker | undefined;
  private readonly sab = new SharedArrayBuffer(8 + RESULT_BYTES);
  private readonly control = new Int32Array(this.sab, 0, 2);
  private nextId = 1;

  private start(): Worker {
    if (!this.worker) {
      this.worker = new Worker(path.join(__dirname, 'migrate-worker.js'), { workerData: { sab: this.sab } });
      this.worker.unref();
      this.worker.on('error', () => (this.worker = undefined));
      this.worker.on('exit', () => (this.worker = undefined));
    }
    return this.worker;
  }

  /** Sends `data` (RESP commands) to host:port and reads `replies` replies, within `timeoutMs`. */
  public call(host: string, port: number, timeoutMs: number, data: Buffer, replies: number): TransferResult {
    const id = this.nextId++;
    if (this.nextId > 0x7fffffff) this.nextId = 1;
    this.start().postMessage({ id, host, port, timeout: timeoutMs, data, replies });
    // The worker times out on its own; the margin covers a connect plus a read timeout and the thread hop.
    const deadline = Date.now() + timeoutMs * 2 + 1000;
    for (;;) {
      const done = Atomics.load(this.control, 0);
      if (done === id) break;
      const left = deadline - Date.now();
      if (left <= 0) return { error: 'IOERR error or timeout reading to target instance' };
      Atomics.wait(this.control, 0, done, left);
    }
    const len = Atomics.load(this.control, 1);
    const text = Buffer.from(this.sab, 8, len).toString('latin1');
    return JSON.parse(text) as TransferResult;
  }

  public close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
