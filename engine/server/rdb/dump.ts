import type { Value } from '../db';
import { ByteReader } from './bytes';
import { RDB_WRITE_VERSION } from './constants';
import { Crc64 } from './crc64';
import { RdbError } from './error';
import { ReadOptions, readValue } from './value-reader';
import { encodeValue } from './value-writer';

/*
 * DUMP payloads: the value's RDB type byte and payload, the RDB version (2 bytes LE) and the
 * CRC-64 of everything before it (8 bytes LE). FUNCTION DUMP uses the same footer.
 */

export const PAYLOAD_ERROR = 'DUMP payload version or checksum are wrong';
export const BAD_FORMAT = 'Bad data format';

/** Appends the version and checksum footer. */
export function withFooter(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length + 10);
  body.copy(out, 0);
  out.writeUInt16LE(RDB_WRITE_VERSION, body.length);
  new Crc64().update(out, 0, body.length + 2).digest().copy(out, body.length + 2);
  return out;
}

/** Highest payload version we accept: RDB 11 (Redis 7.2, Valkey 7.2/8) and Valkey 9's 80. */
function versionAccepted(v: number): boolean {
  return v <= 11 || v === 80;
}

/** Checks the footer; returns the payload's RDB version. Throws RdbError(PAYLOAD_ERROR). */
export function verifyFooter(payload: Buffer): number {
  if (payload.length < 10) throw new RdbError(PAYLOAD_ERROR, 0);
  const footer = payload.length - 10;
  const version = payload.readUInt16LE(footer);
  if (!versionAccepted(version)) throw new RdbError(PAYLOAD_ERROR, footer);
  const crc = new Crc64().update(payload, 0, footer + 2).digest();
  if (!crc.equals(payload.subarray(footer + 2))) throw new RdbError(PAYLOAD_ERROR, footer + 2);
  return version;
}

/** DUMP: the serialized value with its footer. */
export function dumpPayload(value: Value): Buffer {
  return withFooter(encodeValue(value));
}

/**
 * RESTORE: the value of a DUMP payload. Throws RdbError whose `reason` is PAYLOAD_ERROR (bad
 * version or checksum) or BAD_FORMAT (anything the value decoder rejects, empty collections
 * included); the message then carries the decoder's own reason and offset.
 */
export function restorePayload(payload: Buffer, opts?: ReadOptions): Value {
  verifyFooter(payload);
  const r = new ByteReader(payload, 0, payload.length - 10);
  try {
    const type = r.u8();
    return readValue(r, type, opts) ?? r.fail('empty collection');
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    const err = new RdbError(BAD_FORMAT, e.offset);
    err.message = `${BAD_FORMAT}: ${e.message}`;
    throw err;
  }
}
