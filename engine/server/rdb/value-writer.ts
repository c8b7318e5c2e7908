import type { Value } from '../db';
import { ByteWriter } from './bytes';
import { T_HASH, T_LIST, T_SET, T_STREAM_LISTPACKS_2, T_STRING, T_ZSET_2 } from './constants';
import { writeStream } from './stream';
import type { HashObject } from '../types/hash';
import type { ListObject } from '../types/list';
import type { SetObject } from '../types/set';
import type { StreamObject } from '../types/stream';
import type { ZSet } from '../types/zset';

/*
 * Values are written in plain encodings (string, list, set, zset2, hash), which every Redis since
 * 4.0 and Valkey load whatever the thresholds of the loading server; streams as
 * RDB_TYPE_STREAM_LISTPACKS_2, what Redis 7.0 writes.
 */

const TYPES = { string: T_STRING, list: T_LIST, set: T_SET, zset: T_ZSET_2, hash: T_HASH, stream: T_STREAM_LISTPACKS_2 };

/** The RDB type byte a value is written with. */
export function rdbTypeOf(value: Value): number {
  return typeof value === 'string' ? T_STRING : TYPES[value.type];
}

/** Writes a value's payload (what follows the type byte and, in files, the key). */
export function writePayload(w: ByteWriter, value: Value): void {
  if (typeof value === 'string') {
    w.string(value);
    return;
  }
  switch (value.type) {
    case 'string':
      w.string(value.toLatin1!());
      return;
    case 'list': {
      const items = (value as ListObject).items();
      w.len(items.length);
      for (const s of items) w.string(s);
      return;
    }
    case 'set': {
      const members = (value as SetObject).members;
      w.len(members.length);
      for (const s of members) w.string(s);
      return;
    }
    case 'zset': {
      const z = value as ZSet;
      w.len(z.size);
      // highest first, as Redis saves them (its loader then inserts at the skiplist head)
      for (let x = z.last(); x; x = x.backward) {
        w.string(x.member);
        w.doubleLE(x.score);
      }
      return;
    }
    case 'hash': {
      const h = value as HashObject;
      w.len(h.size);
      for (const [f, v] of h.map) {
        w.string(f);
        w.string(v);
      }
      return;
    }
    case 'stream':
      writeStream(w, value as StreamObject);
      return;
  }
}

/** A value's RDB type byte and payload (what DUMP serializes, before its footer). */
export function encodeValue(value: Value): Buffer {
  const w = new ByteWriter();
  w.u8(rdbTypeOf(value));
  writePayload(w, value);
  return w.take();
}
