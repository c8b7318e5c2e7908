import * as fc from 'fast-check';
import { MutableString } from '../../engine/server/commands/mutable-string';
import { memory } from '../../engine/server/memory';
import { crc64, dumpPayload, encodeValue, parseRdb, RdbError, RdbParser, RdbWriter, restorePayload, withFooter } from '../../engine/server/rdb';
import { ByteWriter } from '../../engine/server/rdb/bytes';
import { ListpackBuilder, readListpack } from '../../engine/server/rdb/listpack';
import { lzfCompress, lzfDecompress } from '../../engine/server/rdb/lzf';
import { HashObject } from '../../engine/server/types/hash';
import { ListObject } from '../../engine/server/types/list';
import { SetObject } from '../../engine/server/types/set';
import { formatId, makeId, StreamObject } from '../../engine/server/types/stream';
import { ZSet } from '../../engine/server/types/zset';

/*
 * The RDB codec on its own: checksums, LZF, listpacks, the encodings only older servers write
 * (built here byte by byte from the format), file opcodes, and corrupted input.
 */

// ------------------------------------------------------------------ encoders of old formats (test-only)

/** A ziplist of entries (strings, or integers given as numbers/bigints in the encoding they need). */
function ziplist(items: Array<string | number | bigint>): Buffer {
  const entries: Buffer[] = [];
  let prev = 0;
  for (const it of items) {
    const parts: Buffer[] = [prev < 254 ? Buffer.from([prev]) : Buffer.concat([Buffer.from([0xfe]), u32le(prev)])];
    if (typeof it === 'string') {
      const n = it.length;
      if (n < 64) parts.push(Buffer.from([n]));
      else if (n < 16384) parts.push(Buffer.from([0x40 + Math.floor(n / 256), n % 256]));
      else parts.push(Buffer.concat([Buffer.from([0x80]), u32be(n)]));
      parts.push(Buffer.from(it, 'latin1'));
    } else {
      const v = BigInt(it);
      if (v >= 0n && v <= 12n) parts.push(Buffer.from([0xf1 + Number(v)]));
      else if (v >= -128n && v <= 127n) parts.push(Buffer.from([0xfe]), intLE(v, 1));
      else if (v >= -32768n && v <= 32767n) parts.push(Buffer.from([0xc0]), intLE(v, 2));
      else if (v >= -8388608n && v <= 8388607n) parts.push(Buffer.from([0xf0]), intLE(v, 3));
      else if (v >= -2147483648n && v <= 2147483647n) parts.push(Buffer.from([0xd0]), intLE(v, 4));
      else parts.push(Buffer.from([0xe0]), intLE(v, 8));
    }
    const e = Buffer.concat(parts);
    prev = e.length;
    entries.push(e);
  }
  const body = Buffer.concat(entries);
  const out = Buffer.alloc(10 + body.length + 1);
  out.writeUInt32LE(out.length, 0);
  out.writeUInt32LE(10 + body.length - prev, 4);
  out.writeUInt16LE(items.length, 8);
  body.copy(out, 10);
  out[out.length - 1] = 0xff;
  return out;
}

function u32le(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}
function u32be(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
}
function intLE(v: bigint, n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return b.subarray(0, n);
}

function intset(width: 2 | 4 | 8, values: bigint[]): Buffer {
  const out = Buffer.alloc(8 + width * values.length);
  out.writeUInt32LE(width, 0);
  out.writeUInt32LE(values.length, 4);
  values.forEach((v, i) => intLE(v, width).copy(out, 8 + i * width));
  return out;
}

function zipmap(pairs: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [Buffer.from([pairs.length])];
  const len = (n: number) => (n < 254 ? Buffer.from([n]) : Buffer.concat([Buffer.from([254]), u32le(n)]));
  for (const [k, v] of pairs) parts.push(len(k.length), Buffer.from(k, 'latin1'), len(v.length), Buffer.from([2]), Buffer.from(v, 'latin1'), Buffer.from([0, 0]));
  parts.push(Buffer.from([255]));
  return Buffer.concat(parts);
}

/** A value of RDB type `type` whose payload the callback writes, wrapped as a DUMP payload. */
function payload(type: number, write: (w: ByteWriter) => void): Buffer {
  const w = new ByteWriter();
  w.u8(type);
  write(w);
  return withFooter(w.take());
}

// ------------------------------------------------------------------ primitives

test('CRC-64/Jones has the standard check value', () => {
  expect(crc64(Buffer.from('123456789'))).toBe(0xe9c6d914c4b8d9can);
});

test('LZF round-trips any input and rejects malformed data without throwing', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 255 }), (raw, alpha) => {
    const input = Buffer.from(raw.map((b) => b % alpha));
    const packed = lzfCompress(input, input.length + 64);
    if (input.length < 4) return packed === undefined;
    return packed !== undefined && lzfDecompress(packed, input.length)!.equals(input);
  }), { numRuns: 300 });
  expect(lzfCompress(Buffer.alloc(1000, 7), 20)!.length).toBeLessThanOrEqual(20);
  expect(lzfCompress(Buffer.from(Array.from({ length: 64 }, (_, i) => i)), 60)).toBeUndefined();
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 500 }), (junk, n) => {
    const out = lzfDecompress(Buffer.from(junk), n);
    return out === undefined || out.length === n;
  }), { numRuns: 300 });
});

test('listpacks round-trip integers at every encoding boundary and strings of every length class', () => {
  const values = ['0', '127', '128', '-1', '-4096', '4095', '-4097', '4096', '32767', '-32768', '32768', '8388607', '-8388608', '8388608',
    '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '01', '-0', '+1', '1.0',
    '', 'a', 'x'.repeat(63), 'x'.repeat(64), 'y'.repeat(126), 'y'.repeat(127), 'z'.repeat(4095), 'z'.repeat(4096), 'w'.repeat(20000)];
  const lp = new ListpackBuilder();
  for (const v of values) lp.string(v);
  expect(readListpack(lp.build())).toEqual(values);
  const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
  fc.assert(fc.property(fc.array(fc.oneof(fc.string({ maxLength: 300 }), int64)), (arr) => {
    const b = new ListpackBuilder();
    for (const v of arr) b.string(v);
    const latin = arr.map((s) => Buffer.from(s, 'latin1').toString('latin1'));
    return JSON.stringify(readListpack(b.build())) === JSON.stringify(latin);
  }), { numRuns: 200 });
});

// ------------------------------------------------------------------ every type and old encoding

describe('value types older servers write', () => {
  test('lists: plain, ziplist, quicklist (ziplist nodes, one compressed), quicklist 2 (plain and packed nodes)', () => {
    const items = ['a', 'bb', 'x'.repeat(100), 'y'.repeat(20000), 0, 12, 13, -1, 200, -30000, 1000000, -2000000000, 9007199254740993n];
    const want = items.map(String);
    const zl = ziplist(items);
    const l1 = restorePayload(payload(10, (w) => w.blob(zl))) as ListObject;
    expect(l1.items()).toEqual(want);
    const ql = restorePayload(payload(14, (w) => {
      w.len(2);
      w.blob(ziplist(['p', 'q']), false);
      w.blob(ziplist(['r'.repeat(300), 's'.repeat(300)])); // LZF-compressed node
    })) as ListObject;
    expect(ql.items()).toEqual(['p', 'q', 'r'.repeat(300), 's'.repeat(300)]);
    const lp = new ListpackBuilder().string('m').string('77').build();
    const q2 = restorePayload(payload(18, (w) => {
      w.len(2);
      w.len(1); // plain node: one raw element
      w.string('z'.repeat(5000));
      w.len(2);
      w.blob(lp);
    })) as ListObject;
    expect(q2.items()).toEqual(['z'.repeat(5000), 'm', '77']);
    expect(q2.type).toBe('list');
  });

  test('sets: intsets of 16, 32 and 64-bit values, listpack', () => {
    for (const [width, vals] of [[2, [-5n, 3n, 300n]], [4, [-70000n, 1n, 70000n]], [8, [-(2n ** 63n), 0n, 2n ** 63n - 1n]]] as const) {
      const s = restorePayload(payload(11, (w) => w.blob(intset(width, [...vals])))) as SetObject;
      expect(s.encoding()).toBe('intset');
      expect(s.items()).toEqual(vals.map(String));
    }
    const s = restorePayload(payload(20, (w) => w.blob(new ListpackBuilder().string('a').string('5').string('b').build()))) as SetObject;
    expect([...s.members].sort()).toEqual(['5', 'a', 'b']);
  });

  test('sorted sets: RDB_TYPE_ZSET (ASCII scores), ziplist', () => {
    const z = restorePayload(payload(3, (w) => {
      w.len(4);
      w.string('a');
      w.u8(3);
      w.latin1('1.5');
      w.string('b');
      w.u8(254); // +inf
      w.string('c');
      w.u8(255); // -inf
      w.string('d');
      w.u8(4);
      w.latin1('-2e3');
    })) as ZSet;
    expect(z.items()).toEqual(['c', 'd', 'a', 'b']);
    expect([...z.dict.values()].sort((x, y) => x - y)).toEqual([-Infinity, -2000, 1.5, Infinity]);
    const nan = payload(3, (w) => {
      w.len(1);
      w.string('a');
      w.u8(253);
    });
    expect(() => restorePayload(nan)).toThrow(RdbError);
    const zz = restorePayload(payload(12, (w) => w.blob(ziplist(['m1', '2.5', 'm2', 7, 'm3', '-inf'])))) as ZSet;
    expect(zz.items()).toEqual(['m3', 'm1', 'm2']);
    expect(zz.score('m2')).toBe(7);
  });

  test('hashes: zipmap, ziplist', () => {
    const h = restorePayload(payload(9, (w) => w.blob(zipmap([['f', 'v'], ['long', 'q'.repeat(300)]])))) as HashObject;
    expect([...h.map]).toEqual([['f', 'v'], ['long', 'q'.repeat(300)]]);
    const h2 = restorePayload(payload(13, (w) => w.blob(ziplist(['a', 1, 'b', 'two'])))) as HashObject;
    expect([...h2.map]).toEqual([['a', '1'], ['b', 'two']]);
    const dup = payload(13, (w) => w.blob(ziplist(['a', 1, 'a', 2])));
    expect(() => restorePayload(dup)).toThrow(/Bad data format/);
  });

  /** A stream node listpack: master fields [f], entries (id delta from the master, fields, deleted?). */
  function streamNode(entries: Array<{ ms: number; seq: number; fv: string[]; deleted?: boolean }>): Buffer {
    const lp = new ListpackBuilder();
    const live = entries.filter((e) => !e.deleted).length;
    lp.int(live).int(entries.length - live).int(1).string('f').int(0);
    for (const e of entries) {
      const same = e.fv.length === 2 && e.fv[0] === 'f';
      lp.int((e.deleted ? 1 : 0) + (same ? 2 : 0)).int(e.ms).int(e.seq);
      if (same) {lp.string(e.fv[1]).int(4);} else {
        lp.int(e.fv.length / 2);
        for (const x of e.fv) lp.string(x);
        lp.int(e.fv.length + 4);
      }
    }
    return lp.build();
  }

  test('streams: RDB_TYPE_STREAM_LISTPACKS (Redis 5/6) and _3 (Valkey 7.2+, consumer active time)', () => {
    const master = makeId(100, 0);
    const node = streamNode([{ ms: 0, seq: 0, fv: ['f', '1'] }, { ms: 0, seq: 1, fv: ['f', '2'], deleted: true }, { ms: 5, seq: 0, fv: ['g', 'x', 'h', 'y'] }]);
    const body = (type: number) => payload(type, (w) => {
      w.len(1);
      w.string(master);
      w.blob(node);
      w.len(2); // length
      w.len(105); // last id
      w.len(0);
      if (type >= 19) {
        w.len(100);
        w.len(0); // first id
        w.len(100);
        w.len(1); // max deleted
        w.len(3); // entries added
      }
      w.len(1); // groups
      w.string('grp');
      w.len(100);
      w.len(0);
      if (type >= 19) w.len(1);
      w.len(1); // group PEL
      w.latin1(master);
      w.i64le(1700000000000);
      w.len(3);
      w.len(1); // consumers
      w.string('alice');
      w.i64le(1700000000500);
      if (type >= 21) w.i64le(1700000000400);
      w.len(1);
      w.latin1(master);
    });
    for (const type of [15, 19, 21]) {
      const s = restorePayload(body(type)) as StreamObject;
      expect(s.length).toBe(2);
      const seen: string[] = [];
      s.range(makeId(0, 0), makeId(1e9, 0), false, 0, (id, fv) => {
        seen.push(`${formatId(id)}:${fv.join(',')}`);
      });
      expect(seen).toEqual(['100-0:f,1', '105-0:g,x,h,y']);
      expect(formatId(s.lastId)).toBe('105-0');
      expect(s.entriesAdded).toBe(type >= 19 ? 3 : 2);
      expect(formatId(s.maxDeletedId)).toBe(type >= 19 ? '100-1' : '0-0');
      const g = s.groups.get('grp')!;
      expect(g.entriesRead).toBe(1);
      const nack = g.pel.get(master)!;
      expect(nack.consumer.name).toBe('alice');
      expect(nack.deliveryCount).toBe(3);
      expect(g.consumers.get('alice')!.seenTime).toBe(1700000000500);
    }
  });

  test('module values and Valkey 9 field-expiring hashes fail with a clear reason', () => {
    expect(() => restorePayload(payload(7, (w) => w.len(1234)))).toThrow(/module value/);
    expect(() => restorePayload(payload(22, (w) => w.len(0)))).toThrow(/field expirations/);
    expect(() => restorePayload(payload(42, (w) => w.len(0)))).toThrow(/unknown RDB object type 42/);
  });

  test('a string held in a mutable buffer (bitmaps) is written as the plain string it stands for', () => {
    const m = MutableString.from('bits\x00\xff', 0);
    expect(encodeValue(m)).toEqual(encodeValue('bits\x00\xff'));
    expect(restorePayload(dumpPayload(m))).toBe('bits\x00\xff');
  });

  test('reading leaves the memory account alone (the Db counts a value when it stores it)', () => {
    const before = memory.dataset;
    const p = payload(5, (w) => {
      w.len(300);
      for (let i = 0; i < 300; i++) {
        w.string(`m${i}`);
        w.doubleLE(i);
      }
    });
    const z = restorePayload(p) as ZSet;
    expect(z.size).toBe(300);
    expect(z.bytes).toBeGreaterThan(300 * 64);
    expect(memory.dataset).toBe(before);
  });
});

// ------------------------------------------------------------------ files

/** A small file of every kind of record. */
function sampleFile(): Buffer {
  const chunks: Buffer[] = [];
  const w = new RdbWriter((b) => chunks.push(b));
  w.header({ 'redis-ver': '7.0.15', 'redis-bits': 64, 'ctime': 1700000000, 'aof-base': 0 });
  w.functions(["#!lua name=x\nredis.register_function('x', function() return 1 end)"]);
  w.selectDb(0, 5, 1);
  w.entry({ key: 'str', value: 'hello world, hello world, hello world', expireAt: 4102444800000 });
  w.entry({ key: 'list', value: ListObject.from(['a', 'b', '3']), idle: 42 });
  const h = new HashObject();
  h.set('f', 'v');
  w.entry({ key: 'hash', value: h, freq: 9 });
  w.entry({ key: 'set', value: SetObject.from(['1', '2', 'x']) });
  const z = new ZSet();
  z.set('m', 1.25);
  w.entry({ key: 'zset', value: z });
  w.selectDb(3, 1, 0);
  const s = new StreamObject(false);
  s.append(makeId(5, 1), ['k', 'v'], { maxBytes: 4096, maxEntries: 100 });
  w.entry({ key: 'stream', value: s });
  w.end();
  return Buffer.concat(chunks);
}

describe('files', () => {
  test('every record our writer makes reads back', () => {
    const c = parseRdb(sampleFile());
    expect(c.version).toBe(10);
    expect(c.aux.get('ctime')).toBe('1700000000');
    expect(c.functions).toHaveLength(1);
    const db0 = c.dbs.get(0)!;
    expect(db0.map((e) => e.key)).toEqual(['str', 'list', 'hash', 'set', 'zset']);
    expect(db0[0]).toMatchObject({ value: 'hello world, hello world, hello world', expireAt: 4102444800000 });
    expect(db0[1].idle).toBe(42);
    expect(db0[2].freq).toBe(9);
    expect((c.dbs.get(3)![0].value as StreamObject).length).toBe(1);
  });

  test('RdbParser reads a file in steps, handing out nothing before the end', () => {
    const file = sampleFile();
    const p = new RdbParser(file);
    let steps = 0;
    let last = p.offset;
    while (!p.step(1)) {
      steps++;
      expect(p.offset).toBeGreaterThan(last);
      last = p.offset;
      expect(() => p.contents).toThrow(/not fully parsed/);
    }
    expect(steps).toBeGreaterThan(10);
    expect(p.contents.dbs.get(0)!.map((e) => e.key)).toEqual(parseRdb(file).dbs.get(0)!.map((e) => e.key));
    const bad = Buffer.from(file);
    bad[bad.length - 1] = 255 - bad[bad.length - 1];
    const q = new RdbParser(bad);
    expect(() => {
      while (!q.step(2));
    }).toThrow(/checksum mismatch/);
  });

  test('opcodes of other versions: EXPIRETIME in seconds, lua scripts, slot info, Valkey 9 signature', () => {
    const w = new ByteWriter();
    w.latin1('REDIS0006');
    w.u8(250);
    w.string('lua');
    w.string('return 1');
    w.u8(254);
    w.len(2);
    w.u8(253);
    w.u32le(2000000000);
    w.u8(0);
    w.string('k');
    w.string('v');
    w.u8(244);
    w.len(1);
    w.len(2);
    w.len(0);
    w.u8(255);
    const body = w.take();
    const file = Buffer.concat([body, Buffer.from(new BigUint64Array([crc64(body)]).buffer)]);
    const c = parseRdb(file);
    expect(c.scripts).toEqual(['return 1']);
    expect(c.dbs.get(2)).toEqual([{ key: 'k', value: 'v', expireAt: 2000000000000 }]);
    const valkey = Buffer.from(file);
    valkey.write('VALKEY080', 0, 'latin1');
    valkey.writeBigUInt64LE(0n, valkey.length - 8); // checksum disabled
    expect(parseRdb(valkey).version).toBe(80);
    const newer = Buffer.from(valkey);
    newer.write('REDIS0012', 0, 'latin1');
    expect(() => parseRdb(newer)).toThrow(/unsupported RDB version 12/);
  });

  test('module aux data and pre-GA functions fail with a clear reason', () => {
    const mk = (op: number) => Buffer.concat([Buffer.from('REDIS0010', 'latin1'), Buffer.from([op, 0, 0, 0, 255]), Buffer.alloc(8)]);
    expect(() => parseRdb(mk(247))).toThrow(/module auxiliary data.*offset 9/);
    expect(() => parseRdb(mk(246))).toThrow(/release-candidate/);
  });

  test('a truncated file fails with RdbError at every length', () => {
    const file = sampleFile();
    for (let n = 0; n < file.length; n++) {
      let err: unknown;
      try {
        parseRdb(file.subarray(0, n));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RdbError);
      expect((err as RdbError).offset).toBeLessThanOrEqual(n);
      expect((err as Error).message).toMatch(/at byte offset \d+/);
    }
  });

  test('any flipped byte fails with RdbError (checksum or decoding), a zero checksum disables the check', () => {
    const file = sampleFile();
    for (let i = 0; i < file.length; i++) {
      const bad = Buffer.from(file);
      bad[i] = 255 - bad[i];
      expect(() => parseRdb(bad)).toThrow(RdbError);
    }
    const bad = Buffer.from(file);
    bad[file.indexOf('7.0.15')] = '8'.charCodeAt(0); // a valid file, but not the one that was checksummed
    expect(() => parseRdb(bad)).toThrow(/checksum mismatch.*at byte offset/);
    bad.writeBigUInt64LE(0n, bad.length - 8);
    expect(parseRdb(bad).dbs.get(3)).toHaveLength(1);
  });

  test('random payloads with a valid footer never crash the decoder', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 21 }), fc.uint8Array({ maxLength: 200 }), (type, junk) => {
      try {
        restorePayload(withFooter(Buffer.concat([Buffer.from([type]), Buffer.from(junk)])));
      } catch (e) {
        return e instanceof RdbError && /^Bad data format/.test(e.message);
      }
      return true;
    }), { numRuns: 2000 });
  });
});
