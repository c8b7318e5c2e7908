import { RdbError } from './error';

/**
 * Zipmaps (Redis < 2.6 small hashes): a count byte, then key/value pairs each with a length
 * (1 byte, or 254 + u32 LE) and the value with a "free" byte of padding after it; 255 ends it.
 * Returns fields and values interleaved.
 */
export function readZipmap(zm: Buffer, base = 0): string[] {
  const fail = (reason: string, at: number): never => {
    throw new RdbError(`invalid zipmap: ${reason}`, base + at);
  };
  const out: string[] = [];
  let p = 1;
  const len = (): number => {
    if (p >= zm.length) fail('entry past the end', p);
    const b = zm[p];
    if (b < 254) {
      p++;
      return b;
    }
    if (b === 254) {
      if (p + 5 > zm.length) fail('length past the end', p);
      const v = zm.readUInt32LE(p + 1);
      p += 5;
      return v;
    }
    return -1;
  };
  for (;;) {
    const at = p;
    const klen = len();
    if (klen < 0) break;
    if (p + klen > zm.length) fail('key past the end', at);
    const k = zm.latin1Slice(p, p + klen);
    p += klen;
    const vlen = len();
    if (vlen < 0) fail('value missing', at);
    if (p + 1 + vlen > zm.length) fail('value past the end', at);
    const free = zm[p++];
    const v = zm.latin1Slice(p, p + vlen);
    p += vlen + free;
    out.push(k, v);
  }
  if (p !== zm.length - 1) fail('data after the end marker', p);
  return out;
}
