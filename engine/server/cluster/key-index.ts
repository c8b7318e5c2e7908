import type { Db } from '../db';
import { keySlot, SLOTS } from './slots';

/**
 * Keys of database 0 by hash slot (COUNTKEYSINSLOT, GETKEYSINSLOT, slot migration), kept current
 * through the Db's key hooks. Code that fills `db.dict` directly (loaders, SWAPDB) bypasses the
 * hooks: a size mismatch is noticed on the next read and the index is rebuilt once.
 */
export class KeyIndex {
  private readonly bySlot: Array<Set<string> | undefined> = new Array(SLOTS);
  private count = 0;

  constructor(private readonly db: Db) {
    db.keyHooks = {
      added: (k) => this.add(k),
      removed: (k) => this.remove(k),
      cleared: () => this.reset(),
    };
    this.rebuild();
  }

  private add(key: string): void {
    const slot = keySlot(key);
    let s = this.bySlot[slot];
    if (!s) this.bySlot[slot] = s = new Set();
    if (!s.has(key)) {
      s.add(key);
      this.count++;
    }
  }

  private remove(key: string): void {
    const slot = keySlot(key);
    const s = this.bySlot[slot];
    if (s && s.delete(key)) {
      this.count--;
      if (s.size === 0) this.bySlot[slot] = undefined;
    }
  }

  private reset(): void {
    this.bySlot.fill(undefined);
    this.count = 0;
  }

  private rebuild(): void {
    this.reset();
    for (const k of this.db.dict.keys()) this.add(k);
  }

  private fresh(): void {
    if (this.count !== this.db.dict.size) this.rebuild();
  }

  /** Keys in a slot (logically expired ones included, as Valkey counts them). */
  public countInSlot(slot: number): number {
    this.fresh();
    return this.bySlot[slot]?.size ?? 0;
  }

  public keysInSlot(slot: number, max: number): string[] {
    this.fresh();
    const out: string[] = [];
    const s = this.bySlot[slot];
    if (!s) return out;
    for (const k of s) {
      if (out.length >= max) break;
      out.push(k);
    }
    return out;
  }
}
