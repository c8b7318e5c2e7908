import { RdbError } from './error';

/** Intsets (sets of integers): encoding (2, 4 or 8 bytes) u32 LE, count u32 LE, sorted values LE. */
export function readIntset(is: Buffer, base = 0): string[] {
  const fail = (reason: string, at: number): never => {
    throw new RdbError(`invalid intset: ${reason}`, base + at);
  };
  if (is.length < 8) fail('too short', 0);
  const width = is.readUInt32LE(0);
  const n = is.readUInt32LE(4);
  if (width !== 2 && width !== 4 && width !== 8) fail(`unknown encoding ${width}`, 0);
  if (8 + n * width !== is.length) fail(`${n} values of ${width} bytes do not fill ${is.length} bytes`, 4);
  const out = new Array<string>(n);
  for (let i = 0, p = 8; i < n; i++, p += width) {
    out[i] = width === 2 ? String(is.readInt16LE(p)) : width === 4 ? String(is.readInt32LE(p)) : is.readBigInt64LE(p).toString();
  }
  return out;
}
