import { engineOf } from '../commands/scripting';
import type { Value } from '../db';
import { parseRdb, RdbWriter } from '../rdb';
import type { Server } from '../server';

/**
 * The RDB payload of a full resync: the dataset serialized at one point in time (synchronously,
 * so it is exactly the state at the replication offset announced with +FULLRESYNC), and loaded
 * back on the replica. Function libraries travel with it, as in Redis 7.0.
 */

/** A value as the RDB writer takes it (buffer-backed strings as plain strings). */
function plain(v: Value): Value {
  return typeof v !== 'string' && v.type === 'string' && v.toLatin1 ? v.toLatin1() : v;
}

export function serializeDataset(server: Server, replid: string, offset: number): Buffer {
  const chunks: Buffer[] = [];
  const w = new RdbWriter((c) => chunks.push(c));
  w.header({
    'redis-ver': '7.0.15',
    'redis-bits': 64,
    'ctime': Math.floor(Date.now() / 1000),
    'used-mem': server.usedMemory(),
    'repl-stream-db': 0,
    'repl-id': replid,
    'repl-offset': offset,
    'aof-base': 0,
  });
  const engine = engineOf(server);
  if (engine !== undefined && engine.libraries.size > 0) w.functions([...engine.libraries.values()].map((l) => l.code));
  for (const db of server.dbs) {
    if (db.dict.size === 0) continue;
    w.selectDb(db.id, db.dict.size, db.expires.size);
    for (const [key, v] of db.dict) w.entry({ key, value: plain(v), expireAt: db.expires.get(key) });
  }
  w.end();
  return Buffer.concat(chunks);
}

/** Replaces the dataset (and the function libraries) with an RDB file's. Throws RdbError on a bad file, before changing anything. */
export function loadDataset(server: Server, rdb: Buffer): void {
  const config = server.config;
  const contents = parseRdb(rdb, { zset: { entries: config.getNumber('zset-max-listpack-entries'), value: config.getNumber('zset-max-listpack-value') } });
  for (const db of server.dbs) db.clear();
  const engine = engineOf(server);
  if (engine !== undefined) {
    engine.flushLibraries();
    for (const code of contents.functions) engine.loadLibrary(code, true);
  } else if (contents.functions.length > 0) {
    server.log.warning('The RDB from the primary has function libraries but the scripting engine is not ready: they were not loaded');
  }
  for (const [id, entries] of contents.dbs) {
    const db = server.dbs[id];
    if (db === undefined) continue;
    for (const e of entries) {
      db.set(e.key, e.value);
      if (e.expireAt !== undefined) db.setExpire(e.key, e.expireAt);
    }
  }
}
