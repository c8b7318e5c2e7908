import { RdbError } from './error';

/*
 * Ziplists (Redis < 7 compact encoding): header (zlbytes u32, zltail u32, zllen u16, all LE),
 * entries, 0xFF. An entry is the previous entry's length (1 byte, or 0xFE + u32), an encoding
 * (strings with 6/14/32-bit lengths, the 32-bit one big-endian; int16/32/64, int24, int8 and
 * 0..12 immediates) and its data. Only read: we never write ziplists.
 */

export function readZiplist(zl: Buffer, base = 0): string[] {
  const fail = (reason: string, at: number): never => {
    throw new RdbError(`invalid ziplist: ${reason}`, base + at);
  };
  if (zl.length < 11) fail('too short', 0);
  if (zl.readUInt32LE(0) !== zl.length) fail(`header says ${zl.readUInt32LE(0)} bytes, blob has ${zl.length}`, 0);
  const declared = zl.readUInt16LE(8);
  const out: string[] = [];
  const end = zl.length - 1;
  let p = 10;
  while (p < end) {
    const at = p;
    p += zl[p] === 0xfe ? 5 : 1;
    if (p >= end) fail('entry past the end', at);
    const b = zl[p];
    let v: string;
    switch (b >>> 6) {
      case 0: {
        const n = b & 0x3f;
        if (p + 1 + n > end) fail('string past the end', at);
        v = zl.latin1Slice(p + 1, p + 1 + n);
        p += 1 + n;
        break;
      }
      case 1: {
        if (p + 2 > end) fail('string past the end', at);
        const n = ((b & 0x3f) << 8) | zl[p + 1];
        if (p + 2 + n > end) fail('string past the end', at);
        v = zl.latin1Slice(p + 2, p + 2 + n);
        p += 2 + n;
        break;
      }
      case 2: {
        if (p + 5 > end) fail('string past the end', at);
        const n = zl.readUInt32BE(p + 1);
        if (p + 5 + n > end) fail('string past the end', at);
        v = zl.latin1Slice(p + 5, p + 5 + n);
        p += 5 + n;
        break;
      }
      default: {
        const need = b === 0xc0 ? 2 : b === 0xd0 ? 4 : b === 0xe0 ? 8 : b === 0xf0 ? 3 : b === 0xfe ? 1 : b >= 0xf1 && b <= 0xfd ? 0 : -1;
        if (need < 0) fail(`unknown entry encoding 0x${b.toString(16)}`, at);
        if (p + 1 + need > end) fail('integer past the end', at);
        if (b === 0xc0) v = String(zl.readInt16LE(p + 1));
        else if (b === 0xd0) v = String(zl.readInt32LE(p + 1));
        else if (b === 0xe0) v = zl.readBigInt64LE(p + 1).toString();
        else if (b === 0xf0) v = String(zl.readIntLE(p + 1, 3));
        else if (b === 0xfe) v = String(zl.readInt8(p + 1));
        else v = String((b & 0x0f) - 1);
        p += 1 + need;
      }
    }
    out.push(v);
  }
  if (p !== end || zl[end] !== 0xff) fail('missing terminator', end);
  if (declared !== 65535 && declared !== out.length) fail(`header says ${declared} entries, found ${out.length}`, 8);
  return out;
}
