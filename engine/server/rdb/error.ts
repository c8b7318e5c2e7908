/**
 * A file or payload we cannot read. `reason` is the bare cause (what RESTORE replies with);
 * `message` adds the byte offset where reading stopped, so a bad file can be located with a hex
 * dump. Offsets inside a compressed or embedded blob (ziplist, listpack) are the blob's own
 * offset plus the file offset of the string that holds it.
 */
export class RdbError extends Error {
  public readonly reason: string;

  constructor(message: string, public readonly offset: number) {
    super(`${message} (at byte offset ${offset})`);
    this.name = 'RdbError';
    this.reason = message;
  }
}
