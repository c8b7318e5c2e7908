import calculateSlot from 'cluster-key-slot';

/** Hash slots of a cluster: 16384, CRC16 of the key (or of its `{hash tag}`) modulo 16384. */
export const SLOTS = 16384;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The slot of a key. Keys are latin1 strings (one char per byte): pure ASCII ones hash as they are,
 * others go through a Buffer so bytes >= 0x80 are not UTF-8 encoded by the library.
 */
export function keySlot(key: string): number {
  return calculateSlot(NON_ASCII.test(key) ? Buffer.from(key, 'latin1') : key);
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
