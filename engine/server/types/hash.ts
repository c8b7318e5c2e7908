import type { DataObject } from '../db';
import { stringBytes } from '../memory';
import { limits } from './limits';

/** Estimated bytes of an empty hash object (the object and its Map). */
const HASH_BASE = 96;
/** Estimated bytes of one Map entry besides its two strings. */
const ENTRY_OVERHEAD = 24;

function entryBytes(field: string, value: string): number {
  return ENTRY_OVERHEAD + stringBytes(field.length) + stringBytes(value.length);
}

/**
 * A hash: a Map field → value (insertion order, like a listpack). The encoding is listpack while
 * it has at most hash-max-listpack-entries fields and no field or value longer than
 * hash-max-listpack-value bytes, then hashtable for good (Valkey never converts back).
 */
export class HashObject implements DataObject {
  public readonly type = 'hash' as const;
  public bytes = HASH_BASE;
  public readonly map = new Map<string, string>();
  private listpack = true;

  public get size(): number {
    return this.map.size;
  }

  public get isListpack(): boolean {
    return this.listpack;
  }

  public encoding(): string {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  /** Fields and values interleaved, in iteration order (SORT BY/GET patterns use the map directly). */
  public items(): string[] {
    const out: string[] = [];
    for (const [f, v] of this.map) out.push(f, v);
    return out;
  }

  public clone(): HashObject {
    const h = new HashObject();
    for (const [f, v] of this.map) h.map.set(f, v);
    h.listpack = this.listpack;
    h.bytes = this.bytes;
    return h;
  }

  public get(field: string): string | undefined {
    return this.map.get(field);
  }

  /** Sets a field; true when it was new. Converts to hashtable as Valkey's hashTypeSet does. */
  public set(field: string, value: string): boolean {
    if (this.listpack && (field.length > limits.hashMaxListpackValue || value.length > limits.hashMaxListpackValue)) this.listpack = false;
    const old = this.map.get(field);
    this.map.set(field, value);
    if (old === undefined) {
      this.bytes += entryBytes(field, value);
      if (this.listpack && this.map.size > limits.hashMaxListpackEntries) this.listpack = false;
      return true;
    }
    this.bytes += stringBytes(value.length) - stringBytes(old.length);
    return false;
  }

  /** Removes a field; true if it existed. */
  public delete(field: string): boolean {
    const old = this.map.get(field);
    if (old === undefined) return false;
    this.map.delete(field);
    this.bytes -= entryBytes(field, old);
    return true;
  }
}
