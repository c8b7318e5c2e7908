import calculateSlot from 'cluster-key-slot';

/** Hash slots of a cluster: 16384, CRC16 of the key (or of its `{hash tag}`) modulo 16384. */
export const SLOTS = 16384;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The slot of a key, with Valkey's hash tag rule: the part between the first `{` and the first `}`
 * after it, when not empty; otherwise the whole key. Keys are latin1 strings (one char per byte);
 * non-ASCII ones go through a Buffer so the library does not UTF-8 encode them.
 */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    // cluster-key-slot 1.1.2 mishandles an empty tag (`a{}{b}` hashes "{b" instead of the whole key).
    if (close === open + 1) return crc16(bytes(key)) & 0x3fff;
    if (close > open + 1) return calculateSlot(bytes(key.slice(open + 1, close)));
  }
  return calculateSlot(bytes(key));
}

function bytes(s: string): string | Buffer {
  return NON_ASCII.test(s) ? Buffer.from(s, 'latin1') : s;
}

/** CRC-16/XMODEM (polynomial 0x1021, initial 0), the checksum behind hash slots. */
function crc16(data: string | Buffer): number {
  let crc = 0;
  for (let i = 0; i < data.length; i++) {
    const b = typeof data === 'string' ? data.charCodeAt(i) : data[i];
    crc ^= b << 8;
    for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** A slot number argument: an integer in 0..16383, or undefined. */
export function parseSlot(arg: string): number | undefined {
  if (!/^-?\d+$/.test(arg)) return undefined;
  const n = Number(arg);
  return n >= 0 && n < SLOTS ? n : undefined;
}

/** Consecutive runs of slots for which `pick(slot)` is true, as [start, end] pairs. */
export function slotRanges(pick: (slot: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let s = 0; s <= SLOTS; s++) {
    const on = s < SLOTS && pick(s);
    if (on && start < 0) {start = s;} else if (!on && start >= 0) {
      out.push([start, s - 1]);
      start = -1;
    }
  }
  return out;
}

/** Random 40-hex id (node ids, shard ids). */
export function randomId(): string {
  let s = '';
  while (s.length < 40) s += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, 40);
}
