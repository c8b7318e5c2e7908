/**
 * Memory accounting of the dataset. One node is one process, so one account: every keyspace
 * and data-type change adds its estimated delta here. INFO reports it as used_memory (plus the
 * process baseline) and maxmemory eviction compares against it, so both are deterministic and
 * cheap, unlike reading the V8 heap (which moves with garbage collection).
 */
export const memory = {
  /** Estimated bytes held by keys, values, expiries and collection internals. */
  dataset: 0,
};

/** Estimated bytes of a key entry in the keyspace (the Map slot, the key string). */
export const KEY_OVERHEAD = 72;
/** Estimated bytes of a V8 string of `len` latin1 characters. */
export function stringBytes(len: number): number {
  return 16 + ((len + 7) & ~7);
}
/** Estimated bytes of an expiry entry. */
export const EXPIRE_OVERHEAD = 48;
