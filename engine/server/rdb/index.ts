/**
 * The RDB format: values (DUMP/RESTORE), whole files (snapshots, replication full sync).
 * See each module for its part of the format.
 */
export { RDB_WRITE_VERSION } from './constants';
export { RdbError } from './error';
export { dumpPayload, restorePayload, verifyFooter, withFooter, PAYLOAD_ERROR, BAD_FORMAT } from './dump';
export { encodeValue } from './value-writer';
export { readValue } from './value-reader';
export type { ReadOptions } from './value-reader';
export { RdbWriter } from './file-writer';
export type { RdbEntry, RdbWriterOptions } from './file-writer';
export { parseRdb, RdbParser } from './file-reader';
export type { RdbContents } from './file-reader';
export { crc64, Crc64 } from './crc64';
