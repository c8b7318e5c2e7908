import type { Server } from '../server';

/**
 * The RDB payload of a full resync: the dataset serialized at one point in time, and loaded back on
 * the replica. INTERIM: this covers strings (with expiries) and the RDB framing only, so the
 * replication protocol can be exercised before the RDB codec (branch engine-rdb,
 * engine/server/rdb/) lands; it is then replaced by RdbWriter / parseRdb and deleted.
 */

const RDB_VERSION = 10; // Redis 7.0 loads RDB versions up to 10

function lenBytes(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x80;
  b.writeUInt32BE(n, 1);
  return b;
}

function str(s: string): Buffer {
  return Buffer.concat([lenBytes(s.length), Buffer.from(s, 'latin1')]);
}

/** The whole dataset as an RDB file (synchronously: the caller's point in time). */
export function serializeDataset(server: Server): Buffer {
  const parts: Buffer[] = [Buffer.from(`REDIS${String(RDB_VERSION).padStart(4, '0')}`, 'latin1')];
  const aux = (k: string, v: string) => parts.push(Buffer.from([0xfa]), str(k), str(v));
  aux('redis-ver', '7.0.15');
  aux('redis-bits', '64');
  aux('ctime', String(Math.floor(Date.now() / 1000)));
  aux('aof-base', '0');
  for (const db of server.dbs) {
    if (db.dict.size === 0) continue;
    parts.push(Buffer.from([0xfe]), lenBytes(db.id), Buffer.from([0xfb]), lenBytes(db.dict.size), lenBytes(db.expires.size));
    for (const [key, v] of db.dict) {
      const value = typeof v === 'string' ? v : v.type === 'string' && v.toLatin1 ? v.toLatin1() : undefined;
      const typeName = typeof v === 'string' ? 'string' : v.type;
      if (value === undefined) throw new Error(`RDB serialization of ${typeName} values needs the RDB codec (engine-rdb)`);
      const at = db.expires.get(key);
      if (at !== undefined) {
        const t = Buffer.alloc(9);
        t[0] = 0xfc;
        t.writeBigUInt64LE(BigInt(at), 1);
        parts.push(t);
      }
      parts.push(Buffer.from([0]), str(key), str(value));
    }
  }
  parts.push(Buffer.from([0xff]), Buffer.alloc(8)); // a zero checksum means "not computed"
  return Buffer.concat(parts);
}

class Reader {
  public pos = 0;
  constructor(private readonly b: Buffer) {}
  public byte(): number {
    if (this.pos >= this.b.length) throw new Error('RDB truncated');
    return this.b[this.pos++];
  }
  public bytes(n: number): Buffer {
    if (this.pos + n > this.b.length) throw new Error('RDB truncated');
    const out = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** A length, or { special } for the encoded-string forms. */
  public len(): { n: number; special?: number } {
    const f = this.byte();
    const t = f >> 6;
    if (t === 0) return { n: f & 0x3f };
    if (t === 1) return { n: ((f & 0x3f) << 8) | this.byte() };
    if (t === 3) return { n: 0, special: f & 0x3f };
    if (f === 0x80) return { n: this.bytes(4).readUInt32BE(0) };
    if (f === 0x81) return { n: Number(this.bytes(8).readBigUInt64BE(0)) };
    throw new Error(`bad RDB length byte ${f}`);
  }
  public string(): string {
    const l = this.len();
    if (l.special === undefined) return this.bytes(l.n).latin1Slice(0, l.n);
    if (l.special === 0) return String(this.bytes(1).readInt8(0));
    if (l.special === 1) return String(this.bytes(2).readInt16LE(0));
    if (l.special === 2) return String(this.bytes(4).readInt32LE(0));
    if (l.special === 3) {
      const clen = this.len().n;
      const ulen = this.len().n;
      return lzfDecompress(this.bytes(clen), ulen).latin1Slice(0, ulen);
    }
    throw new Error(`bad RDB string encoding ${l.special}`);
  }
}

function lzfDecompress(inp: Buffer, outLen: number): Buffer {
  const out = Buffer.alloc(outLen);
  let i = 0;
  let o = 0;
  while (i < inp.length) {
    const ctrl = inp[i++];
    if (ctrl < 32) {
      inp.copy(out, o, i, i + ctrl + 1);
      i += ctrl + 1;
      o += ctrl + 1;
    } else {
      let len = ctrl >> 5;
      let ref = o - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) len += inp[i++];
      ref -= inp[i++];
      len += 2;
      for (let k = 0; k < len; k++) out[o++] = out[ref++];
    }
  }
  return out;
}

/** Replaces the dataset with an RDB file's (a replica after +FULLRESYNC). */
export function loadDataset(server: Server, rdb: Buffer): void {
  const r = new Reader(rdb);
  const magic = r.bytes(9).latin1Slice(0, 9);
  if (!magic.startsWith('REDIS')) throw new Error('not an RDB file');
  for (const db of server.dbs) db.clear();
  let db = server.dbs[0];
  let expireAt: number | undefined;
  for (;;) {
    const op = r.byte();
    if (op === 0xff) break;
    if (op === 0xfa) {
      r.string();
      r.string();
    } else if (op === 0xfe) {
      db = server.dbs[r.len().n] ?? db;
    } else if (op === 0xfb) {
      r.len();
      r.len();
    } else if (op === 0xfc) {
      expireAt = Number(r.bytes(8).readBigUInt64LE(0));
    } else if (op === 0xfd) {
      expireAt = r.bytes(4).readUInt32LE(0) * 1000;
    } else if (op === 0xf8 || op === 0xf9) {
      if (op === 0xf8) r.len(); else r.byte(); // LRU idle / LFU freq
    } else if (op === 0xf5) {
      r.string(); // function library: needs the RDB codec to be loaded
    } else if (op === 0) {
      const key = r.string();
      const value = r.string();
      db.set(key, value);
      if (expireAt !== undefined) db.setExpire(key, expireAt);
      expireAt = undefined;
    } else {
      throw new Error(`RDB value type ${op} needs the RDB codec (engine-rdb)`);
    }
  }
}
