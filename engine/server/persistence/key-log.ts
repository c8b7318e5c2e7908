/**
 * An append-only list of key references in fixed blocks, reused from one pass to the next. A
 * single growing array reallocates as it grows, and a fresh one per pass leaves the last one's
 * megabytes for the next full GC; these blocks are allocated once, at their full size (64 KiB,
 * below V8's large-object size), so the list holds 8 bytes a key and leaves no garbage.
 */
const BLOCK_BITS = 13;
const BLOCK = 1 << BLOCK_BITS;

export class KeyLog {
  private readonly blocks: string[][] = [];
  public length = 0;

  public push(key: string): void {
    const b = this.length >>> BLOCK_BITS;
    if (b === this.blocks.length) this.blocks.push(new Array<string>(BLOCK));
    this.blocks[b][this.length & (BLOCK - 1)] = key;
    this.length++;
  }

  public at(i: number): string {
    return this.blocks[i >>> BLOCK_BITS][i & (BLOCK - 1)];
  }

  /** Empties the list and keeps its blocks for the next pass (stale references are overwritten). */
  public clear(): void {
    this.length = 0;
  }
}
