import type { Client } from '../client';
import { dumpPayload, RdbError, restorePayload, verifyFooter, withFooter } from '../rdb';
import { parseInt64 } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { lookupRead, lookupWrite } from './keyspace';
import { zsetLimits } from './zset-args';
import { ByteWriter, ByteReader } from '../rdb/bytes';
import { OP_FUNCTION2 } from '../rdb/constants';
import { parseLibraryMeta, ScriptEngine } from '../scripting/engine';

/*
 * DUMP / RESTORE and FUNCTION DUMP / FUNCTION RESTORE, on the RDB value serialization
 * (engine/server/rdb), so payloads move between this node and real Valkey/Redis both ways.
 */

const BUSYKEY = 'BUSYKEY Target key name already exists.';

function dump(c: Client, argv: string[]): void {
  const v = lookupRead(c, argv[1]);
  if (v === undefined) {
    c.reply.nil();
    return;
  }
  c.reply.bulk(dumpPayload(v).toString('latin1'));
}

/** A non-negative integer option value, with RESTORE's own error when negative. */
function nonNegative(s: string, error: string): number {
  const v = parseInt64(s);
  if (v === undefined) throw new CommandError(Errors.notInteger);
  if (v < 0) throw new CommandError(error);
  return Number(v);
}

function restore(c: Client, argv: string[]): void {
  const key = argv[1];
  let replace = false;
  let absTtl = false;
  let idle = -1;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = argv.length - j - 1;
    if (opt === 'replace') {replace = true;} else if (opt === 'absttl') {absTtl = true;} else if (opt === 'idletime' && more >= 1 && freq === -1) {idle = nonNegative(argv[++j], 'ERR Invalid IDLETIME value, must be >= 0');} else if (opt === 'freq' && more >= 1 && idle === -1) {
      freq = nonNegative(argv[++j], 'ERR Invalid FREQ value, must be >= 0 and <= 255');
      if (freq > 255) throw new CommandError('ERR Invalid FREQ value, must be >= 0 and <= 255');
    } else {throw new CommandError(Errors.syntax);}
  }
  const db = c.db;
  if (!replace && lookupWrite(c, key) !== undefined) throw new CommandError(BUSYKEY);
  const ttlArg = parseInt64(argv[2]);
  if (ttlArg === undefined) throw new CommandError(Errors.notInteger);
  if (ttlArg < 0) throw new CommandError('ERR Invalid TTL value, must be >= 0');
  let value;
  try {
    value = restorePayload(Buffer.from(argv[3], 'latin1'), { zset: zsetLimits(c) });
  } catch (e) {
    if (e instanceof RdbError) throw new CommandError(`ERR ${e.reason}`);
    throw e;
  }
  const deleted = replace && db.delete(key);
  let ttl = Number(ttlArg);
  if (ttl && !absTtl) ttl += Date.now();
  if (ttl && ttl <= Date.now()) {
    // already expired: the key is not created (a replaced one is gone)
    if (deleted) c.server.notify('g', 'del', key, db);
    c.reply.ok();
    return;
  }
  db.set(key, value);
  if (ttl) db.setExpire(key, ttl);
  setAccess(c, key, idle, freq);
  c.server.notify('g', 'restore', key, db);
  c.reply.ok();
}

/**
 * IDLETIME / FREQ: the key's eviction data, when the policy tracks it (an `access` entry holds the
 * last access in ms under LRU, and minutes-since-epoch * 256 + counter under LFU, see evict.ts).
 */
function setAccess(c: Client, key: string, idle: number, freq: number): void {
  const access = c.db.access;
  if (!access) return;
  const now = Date.now();
  if (c.db.lfuAccess) {
    if (freq >= 0) access.set(key, Math.floor(now / 60000) * 256 + freq);
  } else if (idle >= 0) {
    access.set(key, now - idle * 1000);
  }
}

// ------------------------------------------------------------------------- FUNCTION DUMP/RESTORE

/** FUNCTION DUMP: one FUNCTION2 record per library, with the DUMP footer. */
export function functionDump(c: Client, e: ScriptEngine): void {
  const w = new ByteWriter();
  for (const lib of e.libraries.values()) {
    w.u8(OP_FUNCTION2);
    w.string(lib.code);
  }
  c.reply.bulk(withFooter(w.take()).toString('latin1'));
}

/** The library sources of a FUNCTION DUMP payload; throws CommandError as Valkey words it. */
function payloadLibraries(payload: Buffer): string[] {
  try {
    verifyFooter(payload);
  } catch (err) {
    if (err instanceof RdbError) throw new CommandError('ERR DUMP payload version or checksum are wrong');
    throw err;
  }
  const r = new ByteReader(payload, 0, payload.length - 10);
  const codes: string[] = [];
  while (r.remaining > 0) {
    if (r.u8() !== OP_FUNCTION2) throw new CommandError('ERR given type is not a function');
    try {
      codes.push(r.string());
    } catch (err) {
      if (err instanceof RdbError) throw new CommandError('ERR failed loading the given functions payload');
      throw err;
    }
  }
  return codes;
}

/** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]: all libraries or none. */
export function functionRestore(c: Client, argv: string[], e: ScriptEngine): void {
  if (argv.length > 4) throw new CommandError(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try FUNCTION HELP.`);
  let policy = 'append';
  if (argv.length === 4) {
    policy = argv[3].toLowerCase();
    if (policy !== 'flush' && policy !== 'append' && policy !== 'replace') {
      throw new CommandError('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
    }
  }
  const codes = payloadLibraries(Buffer.from(argv[2], 'latin1'));
  if (policy === 'append') {
    for (const code of codes) {
      const { name } = parseLibraryMeta(code);
      if (e.libraries.has(name)) throw new CommandError(`ERR Library ${name} already exists`);
    }
  }
  const old = [...e.libraries.values()].map((l) => l.code);
  if (policy === 'flush') e.flushLibraries();
  try {
    for (const code of codes) e.loadLibrary(code, policy !== 'append');
  } catch (err) {
    // put the libraries back as they were
    e.flushLibraries();
    for (const code of old) e.loadLibrary(code, false);
    throw err;
  }
  c.reply.ok();
}

export const dumpCommands: CommandSpec[] = [
  command('dump', 2, 'readonly', [1, 1, 1], 'keyspace', dump),
  command('restore', -4, 'write denyoom', [1, 1, 1], 'keyspace dangerous', restore),
];
