import type { Client } from '../client';
import type { DataObject, Db, Value } from '../db';
import { CommandError, Errors } from './command';

/**
 * Key lookups the data-type modules share: they count keyspace hits and misses (INFO) and raise
 * WRONGTYPE, as Valkey's lookupKeyRead / lookupKeyWrite do.
 */
export function lookupRead(c: Client, key: string): Value | undefined {
  const v = c.db.get(key);
  if (v === undefined) {
    c.server.stats.keyspaceMisses++;
    c.server.notify('m', 'keymiss', key, c.db);
  } else {
    c.server.stats.keyspaceHits++;
  }
  return v;
}

export function lookupWrite(c: Client, key: string): Value | undefined {
  return c.db.get(key);
}

/** A string value for reading, or undefined; WRONGTYPE for another type. */
export function readString(c: Client, key: string): string | undefined {
  const v = lookupRead(c, key);
  if (v !== undefined && typeof v !== 'string') throw new CommandError(Errors.wrongType);
  return v;
}

/** A string value for writing, or undefined; WRONGTYPE for another type. */
export function writeString(c: Client, key: string): string | undefined {
  const v = lookupWrite(c, key);
  if (v !== undefined && typeof v !== 'string') throw new CommandError(Errors.wrongType);
  return v;
}

/** A collection of `type` for reading (counting hits/misses), or undefined; WRONGTYPE otherwise. */
export function readObject<T extends DataObject>(c: Client, key: string, type: DataObject['type']): T | undefined {
  const v = lookupRead(c, key);
  if (v === undefined) return undefined;
  if (typeof v === 'string' || v.type !== type) throw new CommandError(Errors.wrongType);
  return v as T;
}

/** A collection of `type` for writing, or undefined; WRONGTYPE otherwise. */
export function writeObject<T extends DataObject>(c: Client, key: string, type: DataObject['type']): T | undefined {
  const v = lookupWrite(c, key);
  if (v === undefined) return undefined;
  if (typeof v === 'string' || v.type !== type) throw new CommandError(Errors.wrongType);
  return v as T;
}

/** Removes a collection key that became empty (Valkey never keeps empty collections). */
export function deleteIfEmpty(db: Db, key: string, size: number): boolean {
  if (size > 0) return false;
  db.delete(key);
  return true;
}
