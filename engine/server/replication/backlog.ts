/**
 * The replication backlog: the last `size` bytes of the replication stream in a ring buffer, so a
 * replica that reconnects with `PSYNC <replid> <offset>` gets the bytes it missed (+CONTINUE)
 * instead of a full resync. Offsets are stream offsets as in INFO (master_repl_offset counts
 * every byte ever propagated; the first byte has offset 1).
 */
export class Backlog {
  private buf: Buffer;
  /** Write position in `buf`. */
  private idx = 0;
  /** Bytes of history held (<= buf.length). */
  public histlen = 0;
  /** Stream offset of the last byte written (master_repl_offset). */
  public offset: number;

  constructor(size: number, offset: number) {
    this.buf = Buffer.alloc(Math.max(16, size));
    this.offset = offset;
  }

  public get size(): number {
    return this.buf.length;
  }

  /** repl_backlog_first_byte_offset: the offset of the oldest byte held. */
  public get firstByteOffset(): number {
    return this.offset - this.histlen + 1;
  }

  public append(data: Buffer): void {
    this.offset += data.length;
    const size = this.buf.length;
    let src = data;
    if (src.length > size) src = src.subarray(src.length - size);
    const first = Math.min(src.length, size - this.idx);
    src.copy(this.buf, this.idx, 0, first);
    if (first < src.length) src.copy(this.buf, 0, first);
    this.idx = (this.idx + src.length) % size;
    this.histlen = Math.min(size, this.histlen + src.length);
  }

  /** Can a replica continue from `from` (the offset of the first byte it lacks)? */
  public covers(from: number): boolean {
    return from >= this.firstByteOffset && from <= this.offset + 1;
  }

  /** The bytes from stream offset `from` to the end (call `covers` first). */
  public readFrom(from: number): Buffer {
    const n = this.offset + 1 - from;
    if (n <= 0) return Buffer.alloc(0);
    const size = this.buf.length;
    const start = (this.idx - n + size * 2) % size;
    if (start + n <= size) return Buffer.from(this.buf.subarray(start, start + n));
    return Buffer.concat([this.buf.subarray(start), this.buf.subarray(0, n - (size - start))]);
  }

  /** repl-backlog-size changed: keeps the most recent history that fits. */
  public resize(size: number): void {
    const keep = Math.min(this.histlen, Math.max(16, size));
    const tail = this.readFrom(this.offset + 1 - keep);
    this.buf = Buffer.alloc(Math.max(16, size));
    this.idx = 0;
    this.histlen = 0;
    const off = this.offset - tail.length;
    this.offset = off;
    this.append(tail);
  }
}

/** Encodes a command as a RESP multibulk, the form every replication stream carries. */
export function encodeCommand(argv: readonly string[]): Buffer {
  let len = 16;
  for (const a of argv) len += a.length + 16;
  const out = Buffer.allocUnsafe(len);
  let p = out.latin1Write(`*${argv.length}\r\n`, 0);
  for (const a of argv) {
    p += out.latin1Write(`$${a.length}\r\n`, p);
    p += out.latin1Write(a, p);
    out[p++] = 13;
    out[p++] = 10;
  }
  return out.subarray(0, p);
}
