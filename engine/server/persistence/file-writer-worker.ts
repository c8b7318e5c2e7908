/**
 * The disk half of a BGSAVE, in a worker thread (background-file.ts starts it): the main thread
 * serializes keys and posts the plain RDB bytes; this thread computes the CRC-64, encrypts when
 * the node has a key, writes to the temp file, and at the end appends the checksum field, fsyncs
 * and closes it. The main thread opened the file and renames it: this thread never touches paths,
 * so an aborted save's late work cannot meet the next save's temp file.
 *
 * Messages in: { chunk: ArrayBuffer, length } | { commit: true } | { abort: true }.
 * Messages out: { written: n, buffer } per chunk (the buffer goes back to the main thread's pool),
 * { synced: bytes } after commit, { error: message }.
 */
import * as fs from 'fs';
import { parentPort, workerData } from 'worker_threads';
import { Encryptor } from './crypto';
import { Crc64 } from '../rdb/crc64';

interface Init {
  readonly fd: number;
  readonly key: Uint8Array | undefined;
  readonly checksum: boolean;
}

const init = workerData as Init;
const port = parentPort!;
let fd: number | undefined = init.fd;
let bytes = 0;
let failed = false;
const crc = init.checksum ? new Crc64() : undefined;
const enc = init.key ? new Encryptor(Buffer.from(init.key)) : undefined;

function put(data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += fs.writeSync(fd!, data, off, data.length - off);
  bytes += data.length;
}

/** Plain RDB bytes: into the checksum, then (encrypted) to the file. */
function plain(data: Uint8Array): void {
  crc?.update(data);
  put(enc ? enc.update(data as Buffer) : data);
}

function close(): void {
  if (fd === undefined) return;
  const f = fd;
  fd = undefined;
  try {
    fs.closeSync(f);
  } catch {
    // closed already
  }
}

function fail(e: Error): void {
  failed = true;
  close();
  port.postMessage({ error: e.message });
}

if (enc) {
  try {
    put(enc.header());
  } catch (e) {
    fail(e as Error);
  }
}

port.on('message', (m: { chunk?: ArrayBuffer; length?: number; commit?: true; abort?: true }) => {
  if (m.abort) {
    close();
    port.close();
    return;
  }
  if (failed) return;
  try {
    if (m.chunk) {
      const n = m.length ?? m.chunk.byteLength;
      plain(new Uint8Array(m.chunk, 0, n));
      port.postMessage({ written: n, buffer: m.chunk }, [m.chunk]);
    } else if (m.commit) {
      // the checksum field: the CRC of everything before it, or 0 with rdbchecksum no
      const trailer = crc ? crc.digest() : Buffer.alloc(8);
      put(enc ? enc.update(trailer) : trailer);
      if (enc) put(enc.final());
      fs.fsyncSync(fd!);
      close();
      port.postMessage({ synced: bytes });
      port.close();
    }
  } catch (e) {
    fail(e as Error);
  }
});
