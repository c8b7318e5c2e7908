/**
 * Reads back a RESP2/RESP3 reply a command wrote into its client's buffer: the propagation
 * rules take what a non-deterministic command did (SPOP's members, a served BLPOP's key) from it.
 */
export type Parsed = string | number | null | Parsed[];

/** Parses the reply at `pos`; returns it and the position after it (strings are latin1). */
export function parseReply(b: Buffer, pos: number): { v: Parsed; next: number } {
  const t = b[pos];
  const eol = b.indexOf(13, pos);
  const head = b.latin1Slice(pos + 1, eol);
  let next = eol + 2;
  switch (t) {
    case 0x2b: // +
    case 0x2d: // -
    case 0x28: // ( big number
    case 0x2c: // , double
      return { v: head, next };
    case 0x3a: // :
      return { v: Number(head), next };
    case 0x23: // # bool
      return { v: head === 't' ? 1 : 0, next };
    case 0x5f: // _ null
      return { v: null, next };
    case 0x24: // $
    case 0x3d: { // = verbatim
      const n = Number(head);
      if (n < 0) return { v: null, next };
      let s = b.latin1Slice(next, next + n);
      if (t === 0x3d) s = s.slice(4);
      return { v: s, next: next + n + 2 };
    }
    case 0x2a: // *
    case 0x7e: // ~ set
    case 0x3e: // > push
    case 0x25: { // % map: flattened key, value, ...
      let n = Number(head);
      if (n < 0) return { v: null, next };
      if (t === 0x25) n *= 2;
      const out: Parsed[] = [];
      for (let i = 0; i < n; i++) {
        const r = parseReply(b, next);
        out.push(r.v);
        next = r.next;
      }
      return { v: out, next };
    }
    default:
      throw new Error(`unexpected reply type byte ${t} at ${pos}`);
  }
}
