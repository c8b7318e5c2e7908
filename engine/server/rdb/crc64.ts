/**
 * CRC-64/Jones as Redis computes it (reflected polynomial 0x95ac9329ac4bc9b5, init 0, no final
 * xor): the checksum that ends RDB files and DUMP payloads. Table-driven, the 64-bit state kept
 * as two 32-bit halves so no BigInt is made per byte.
 */

const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;
const TABLE_HI = new Uint32Array(256);
const TABLE_LO = new Uint32Array(256);

for (let n = 0; n < 256; n++) {
  let hi = 0;
  let lo = n;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (carry) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[n] = hi;
  TABLE_LO[n] = lo;
}

/** An incremental CRC-64. */
export class Crc64 {
  private hi = 0;
  private lo = 0;

  public update(buf: Uint8Array, start = 0, end = buf.length): this {
    let hi = this.hi;
    let lo = this.lo;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ buf[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx];
      hi = (hi >>> 8) ^ TABLE_HI[idx];
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** The checksum as 8 little-endian bytes (how RDB stores it). */
  public digest(): Buffer {
    const b = Buffer.allocUnsafe(8);
    b.writeUInt32LE(this.lo, 0);
    b.writeUInt32LE(this.hi, 4);
    return b;
  }

  public value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }
}

/** The CRC-64 of a buffer (or a part of it), as a bigint. */
export function crc64(buf: Uint8Array, start = 0, end = buf.length): bigint {
  return new Crc64().update(buf, start, end).value();
}
