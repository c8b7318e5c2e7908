/**
 * The RDB format: values (DUMP/RESTORE), whole files (snapshots, replication full sync).
 * See each module for its part of the format.
 */
export { RDB_WRITE_VERSION } from './constants';
export { RdbError } from './error';
export { dumpPayload, restorePayload, verifyFooter, withFooter, PAYLOAD_ERROR, BAD_FORMAT } from './dump';
export { encodeValue } from './value-writer';
export { readValue, ReadOptions } from './value-reader';
export { RdbWriter, RdbEntry } from './file-writer';
export { parseRdb, RdbContents } from './file-reader';
export { crc64, Crc64 } from './crc64';
