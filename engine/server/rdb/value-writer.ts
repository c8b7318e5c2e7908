import type { Value } from '../db';
import { ByteWriter } from './bytes';
import { T_HASH, T_LIST, T_SET, T_STREAM_LISTPACKS_2, T_STRING, T_ZSET_2 } from './constants';
import { writeStream } from './stream';
import type { HashObject } from '../types/hash';
import type { ListObject } from '../types/list';
import type { SetObject } from '../types/set';
import type { StreamObject } from '../types/stream';
import type { ZSet } from '../types/zset';

/**
 * Writes a value as its RDB type byte and payload. Plain encodings (string, list, set, zset2,
 * hash), which every Redis since 4.0 and Valkey load, whatever the thresholds of the loading
 * server; streams as RDB_TYPE_STREAM_LISTPACKS_2, what Redis 7.0 writes.
 */
export function writeValue(w: ByteWriter, value: Value): void {
  if (typeof value === 'string') {
    w.u8(T_STRING);
    w.string(value);
    return;
  }
  switch (value.type) {
    case 'string':
      w.u8(T_STRING);
      w.string(value.toLatin1!());
      return;
    case 'list': {
      const items = (value as ListObject).items();
      w.u8(T_LIST);
      w.len(items.length);
      for (const s of items) w.string(s);
      return;
    }
    case 'set': {
      const members = (value as SetObject).members;
      w.u8(T_SET);
      w.len(members.length);
      for (const s of members) w.string(s);
      return;
    }
    case 'zset': {
      const z = value as ZSet;
      w.u8(T_ZSET_2);
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
      w.u8(T_HASH);
      w.len(h.size);
      for (const [f, v] of h.map) {
        w.string(f);
        w.string(v);
      }
      return;
    }
    case 'stream':
      w.u8(T_STREAM_LISTPACKS_2);
      writeStream(w, value as StreamObject);
      return;
  }
}

/** A value's RDB type byte and payload (what DUMP serializes, before its footer). */
export function encodeValue(value: Value): Buffer {
  const w = new ByteWriter();
  writeValue(w, value);
  return w.take();
}
