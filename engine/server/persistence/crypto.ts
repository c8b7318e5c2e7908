/**
 * Encryption at rest of snapshot files: AES-256-GCM over the whole RDB file, in a small container.
 *
 * Container (all of it is authenticated: the header is the GCM additional data):
 *
 *   offset  size  field
 *   0       8     magic "CDKE-RDB"
 *   8       1     container version (1)
 *   9       1     algorithm (1 = AES-256-GCM)
 *   10      8     key id: the first 8 bytes of SHA-256("cdk-elasticache snapshot key id" || key)
 *   18      12    nonce (random per file)
 *   30      n     ciphertext of the RDB file (same length as the plain file)
 *   30+n    16    GCM tag
 *
 * The key id tells a wrong key (id differs) from a damaged or tampered file (id matches, tag fails)
 * without revealing the key. The key file holds 32 raw bytes, or 64 hexadecimal characters
 * (surrounding whitespace and a trailing newline are ignored).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';

export const MAGIC = Buffer.from('CDKE-RDB', 'latin1');
const VERSION = 1;
const ALG_AES_256_GCM = 1;
export const HEADER_LEN = 30;
const TAG_LEN = 16;
/** Read size while decrypting (the plain file is assembled in one preallocated buffer). */
const READ_CHUNK = 1 << 20;

/** A key file or encrypted file problem, with a message meant for the operator. */
export class SnapshotCryptoError extends Error {}

/** Reads a key file: 32 raw bytes or 64 hex characters. */
export function readKeyFile(file: string): Buffer {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    throw new SnapshotCryptoError(`can't read snapshot key file '${file}': ${(e as Error).message}`);
  }
  if (raw.length === 32) return raw;
  const text = raw.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  throw new SnapshotCryptoError(`snapshot key file '${file}' must hold 32 raw bytes or 64 hexadecimal characters (it has ${raw.length} bytes)`);
}

/** The key id stored in the header. */
export function keyId(key: Buffer): Buffer {
  return crypto.createHash('sha256').update('cdk-elasticache snapshot key id').update(key).digest().subarray(0, 8);
}

/** Whether a file starts with the container's magic. */
export function isEncrypted(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Encrypts a stream of chunks: `header()` first, `update()` per chunk, `final()` (rest and tag) last. */
export class Encryptor {
  private readonly cipher: crypto.CipherGCM;
  private readonly head: Buffer;

  constructor(key: Buffer) {
    const nonce = crypto.randomBytes(12);
    this.head = Buffer.concat([MAGIC, Buffer.from([VERSION, ALG_AES_256_GCM]), keyId(key), nonce]);
    this.cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
    this.cipher.setAAD(this.head);
  }

  public header(): Buffer {
    return this.head;
  }

  public update(chunk: Buffer): Buffer {
    return this.cipher.update(chunk);
  }

  public final(): Buffer {
    const rest = this.cipher.final();
    return Buffer.concat([rest, this.cipher.getAuthTag()]);
  }
}

/** Checks the header and returns the decipher for the body. */
function openContainer(head: Buffer, size: number, key: Buffer, what: string): crypto.DecipherGCM {
  if (size < HEADER_LEN + TAG_LEN || !isEncrypted(head)) throw new SnapshotCryptoError(`${what} is not an encrypted snapshot (bad header)`);
  if (head[8] !== VERSION || head[9] !== ALG_AES_256_GCM) {
    throw new SnapshotCryptoError(`${what}: unsupported encrypted snapshot version ${head[8]} / algorithm ${head[9]}`);
  }
  const id = head.subarray(10, 18);
  if (!id.equals(keyId(key))) {
    throw new SnapshotCryptoError(`${what} was encrypted with another key (key id ${id.toString('hex')}, the key file gives ${keyId(key).toString('hex')})`);
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, head.subarray(18, 30));
  decipher.setAAD(head.subarray(0, HEADER_LEN));
  return decipher;
}

const TAMPERED = (what: string) => `${what} failed authentication: the file is damaged or was modified (nothing was loaded)`;

/**
 * Decrypts an encrypted snapshot file into one buffer (read in chunks; only the plain file is held).
 * Throws SnapshotCryptoError on a wrong key or a damaged file; the plain bytes are returned only
 * once the tag has verified.
 */
export async function decryptFile(file: string, key: Buffer): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(HEADER_LEN);
    await fh.read(head, 0, HEADER_LEN, 0);
    const decipher = openContainer(head, size, key, file);
    const tag = Buffer.alloc(TAG_LEN);
    await fh.read(tag, 0, TAG_LEN, size - TAG_LEN);
    decipher.setAuthTag(tag);
    const bodyLen = size - HEADER_LEN - TAG_LEN;
    const out = Buffer.allocUnsafe(bodyLen);
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(1, bodyLen)));
    let done = 0;
    while (done < bodyLen) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, bodyLen - done), HEADER_LEN + done);
      if (bytesRead === 0) throw new SnapshotCryptoError(`${file}: unexpected end of file`);
      const plain = decipher.update(chunk.subarray(0, bytesRead));
      plain.copy(out, done);
      done += bytesRead;
    }
    finish(decipher, file);
    return out;
  } finally {
    await fh.close();
  }
}

/** The synchronous form of decryptFile (CLI verbs, DEBUG RELOAD). */
export function decryptFileSync(file: string, key: Buffer): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(HEADER_LEN);
    fs.readSync(fd, head, 0, HEADER_LEN, 0);
    const decipher = openContainer(head, size, key, file);
    const tag = Buffer.alloc(TAG_LEN);
    fs.readSync(fd, tag, 0, TAG_LEN, size - TAG_LEN);
    decipher.setAuthTag(tag);
    const bodyLen = size - HEADER_LEN - TAG_LEN;
    const out = Buffer.allocUnsafe(bodyLen);
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(1, bodyLen)));
    let done = 0;
    while (done < bodyLen) {
      const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, bodyLen - done), HEADER_LEN + done);
      if (n === 0) throw new SnapshotCryptoError(`${file}: unexpected end of file`);
      decipher.update(chunk.subarray(0, n)).copy(out, done);
      done += n;
    }
    finish(decipher, file);
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function finish(decipher: crypto.DecipherGCM, file: string): void {
  try {
    decipher.final();
  } catch {
    throw new SnapshotCryptoError(TAMPERED(file));
  }
}
