import { memory, stringBytes } from '../memory';
import { ByteReader, ByteWriter } from './bytes';
import { T_STREAM_LISTPACKS_3 } from './constants';
import { ListpackBuilder, readListpack } from './listpack';
import { ID_ZERO, idPart, makeId, Nack, StreamNode, StreamObject } from '../types/stream';

/*
 * Streams in RDB: the radix tree's nodes (16-byte master ID, listpack), the stream's counters,
 * then the consumer groups with their PELs and consumers.
 *
 * A node's listpack: the master entry (live count, deleted count, master field count, the master
 * fields, 0), then per entry: flags, ms and seq deltas from the master ID, the fields (only the
 * values when they are the master fields: SAMEFIELDS), and the entry's element count.
 */

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;
/** Valkey's SCG_INVALID_ENTRIES_READ (-1), saved as an unsigned 64-bit length. */
const INVALID_ENTRIES_READ = 0xffffffffffffffffn;

function writeId(w: ByteWriter, id: string): void {
  w.len(idPart(id, false));
  w.len(idPart(id, true));
}

/** A stream as RDB_TYPE_STREAM_LISTPACKS_2. Deleted entries (tombstones) are left out. */
export function writeStream(w: ByteWriter, s: StreamObject): void {
  const nodes = s.nodes.filter((n) => n.live > 0);
  w.len(nodes.length);
  for (const node of nodes) {
    w.string(node.master);
    w.blob(nodeListpack(node));
  }
  w.len(s.length);
  writeId(w, s.lastId);
  writeId(w, s.firstId);
  writeId(w, s.maxDeletedId);
  w.len(s.entriesAdded);
  const groups = s.sortedGroups();
  w.len(groups.length);
  for (const g of groups) {
    w.string(g.name);
    writeId(w, g.lastId);
    w.len(g.entriesRead < 0 ? INVALID_ENTRIES_READ : g.entriesRead);
    w.len(g.pel.size);
    for (const [id, nack] of g.pel.entries()) {
      w.latin1(id);
      w.i64le(nack.deliveryTime);
      w.len(nack.deliveryCount);
    }
    const consumers = g.sortedConsumers();
    w.len(consumers.length);
    for (const c of consumers) {
      w.string(c.name);
      w.i64le(c.seenTime);
      w.len(c.pel.size);
      for (const [id] of c.pel.entries()) w.latin1(id);
    }
  }
}

function delta(id: string, master: string, seq: boolean): number | bigint {
  const d = BigInt.asIntN(64, idPart(id, seq) - idPart(master, seq));
  return d >= -9007199254740991n && d <= 9007199254740991n ? Number(d) : d;
}

function nodeListpack(node: StreamNode): Buffer {
  const lp = new ListpackBuilder();
  const mf = node.masterFields;
  lp.int(node.live).int(0).int(mf.length);
  for (const f of mf) lp.string(f);
  lp.int(0);
  for (let i = 0; i < node.ids.length; i++) {
    const fv = node.fvs[i];
    if (fv === null) continue;
    const id = node.ids[i];
    let same = fv.length === mf.length * 2;
    for (let k = 0; same && k < mf.length; k++) if (fv[k * 2] !== mf[k]) same = false;
    lp.int(same ? FLAG_SAMEFIELDS : 0).int(delta(id, node.master, false)).int(delta(id, node.master, true));
    if (same) {
      for (let k = 1; k < fv.length; k += 2) lp.string(fv[k]);
      lp.int(fv.length / 2 + 3);
    } else {
      lp.int(fv.length / 2);
      for (const x of fv) lp.string(x);
      lp.int(fv.length + 4);
    }
  }
  return lp.build();
}

// ------------------------------------------------------------------------------------ reading

/** Bytes a node adds to a stream's estimate (StreamObject.append's accounting). */
function nodeOverhead(fields: number): number {
  return 64 + 8 * fields;
}

/** Bytes of one entry in a stream's estimate (stream.ts's entryBytes). */
function entryBytes(fv: readonly string[]): number {
  let b = 56 + 8 * fv.length;
  for (const x of fv) b += stringBytes(x.length);
  return b;
}

function int(r: ByteReader, s: string | undefined, at: number): bigint {
  if (s === undefined || !/^-?\d+$/.test(s)) return r.fail('invalid stream listpack: integer expected', at);
  return BigInt(s);
}

/** Reads a stream of type 15, 19 or 21 into a StreamObject. */
export function readStream(r: ByteReader, type: number): StreamObject {
  const before = memory.dataset;
  try {
    return readStreamBody(r, type);
  } finally {
    memory.dataset = before; // the object is not in a database yet: Db.set accounts for it
  }
}

function readStreamBody(r: ByteReader, type: number): StreamObject {
  const s = new StreamObject();
  let bytes = s.bytes;
  const nodes = r.count(2);
  let lastMaster = '';
  let total = 0;
  for (let n = 0; n < nodes; n++) {
    const at = r.pos;
    const key = r.string();
    if (key.length !== 16) r.fail('stream node key is not a 128-bit ID', at);
    if (key <= lastMaster && n > 0) r.fail('stream node IDs out of order', at);
    lastMaster = key;
    const lpAt = r.pos;
    const items = readListpack(r.blob(), r.base + lpAt);
    if (items.length === 0) r.fail('empty stream listpack', lpAt);
    let i = 0;
    const next = () => items[i++];
    const live = Number(int(r, next(), lpAt));
    const deleted = Number(int(r, next(), lpAt));
    const nf = Number(int(r, next(), lpAt));
    if (nf < 0 || i + nf > items.length) r.fail('invalid stream listpack: master fields', lpAt);
    const fields = items.slice(i, i + nf);
    i += nf;
    if (next() !== '0') r.fail('invalid stream listpack: master entry terminator', lpAt);
    const node = new StreamNode(key, fields);
    bytes += nodeOverhead(fields.length);
    const masterMs = idPart(key, false);
    const masterSeq = idPart(key, true);
    let prev = '';
    for (let e = 0; e < live + deleted; e++) {
      if (i >= items.length) r.fail('invalid stream listpack: fewer entries than counted', lpAt);
      const flags = Number(int(r, next(), lpAt));
      const ms = BigInt.asUintN(64, masterMs + int(r, next(), lpAt));
      const seq = BigInt.asUintN(64, masterSeq + int(r, next(), lpAt));
      const id = makeId(ms, seq);
      if (id <= prev || id < key) r.fail('invalid stream listpack: entry IDs out of order', lpAt);
      prev = id;
      const fv: string[] = [];
      if (flags & FLAG_SAMEFIELDS) {
        for (let k = 0; k < nf; k++) fv.push(fields[k], next());
      } else {
        const cnt = Number(int(r, next(), lpAt));
        for (let k = 0; k < cnt * 2; k++) fv.push(next());
      }
      next(); // lp-count
      if (i > items.length || fv.some((x) => x === undefined)) r.fail('invalid stream listpack: entry past the end', lpAt);
      node.push(id, fv);
      if (flags & FLAG_DELETED) {
        node.fvs[node.fvs.length - 1] = null;
        node.live--;
        node.deleted++;
        bytes += 40;
      } else {
        bytes += entryBytes(fv);
      }
    }
    if (i !== items.length) r.fail('invalid stream listpack: data after the last entry', lpAt);
    if (node.live !== live) r.fail('invalid stream listpack: live count mismatch', lpAt);
    if (node.live === 0) {
      bytes -= nodeOverhead(fields.length) + 40 * node.deleted;
      continue; // Redis never keeps an empty node
    }
    total += node.live;
    s.nodes.push(node);
  }
  const lenAt = r.pos;
  s.length = r.len();
  if (s.length !== total) r.fail(`stream length ${s.length} but ${total} entries`, lenAt);
  s.lastId = makeId(r.bigLen(), r.bigLen());
  if (type >= 19) {
    s.firstId = makeId(r.bigLen(), r.bigLen());
    s.maxDeletedId = makeId(r.bigLen(), r.bigLen());
    s.entriesAdded = Number(r.bigLen());
  } else {
    s.firstId = s.length > 0 ? s.edgeId(false)! : ID_ZERO;
    s.maxDeletedId = ID_ZERO;
    s.entriesAdded = s.length;
  }
  if (s.nodes.length > 0 && s.nodes[s.nodes.length - 1].lastId > s.lastId) r.fail('stream entry ID above the last ID', lenAt);
  s.bytes = bytes;
  readGroups(r, s, type);
  return s;
}

function readGroups(r: ByteReader, s: StreamObject, type: number): void {
  const ngroups = r.count(2);
  for (let g = 0; g < ngroups; g++) {
    const at = r.pos;
    const name = r.string();
    const lastId = makeId(r.bigLen(), r.bigLen());
    let entriesRead = -1;
    if (type >= 19) {
      const v = r.bigLen();
      entriesRead = v === INVALID_ENTRIES_READ ? -1 : Number(v);
    } else {
      entriesRead = s.estimateDistance(lastId);
    }
    const group = s.createGroup(name, lastId, entriesRead);
    if (!group) r.fail(`duplicate consumer group '${name}'`, at);
    const pending = new Map<string, { time: number; count: number }>();
    const npel = r.count(17);
    for (let i = 0; i < npel; i++) {
      const id = r.latin1(16);
      const time = r.i64le();
      const count = r.len();
      if (pending.has(id)) r.fail('duplicate PEL entry', at);
      pending.set(id, { time, count });
    }
    const nconsumers = r.count(10);
    for (let c = 0; c < nconsumers; c++) {
      const cat = r.pos;
      const cname = r.string();
      const seen = r.i64le();
      if (type >= T_STREAM_LISTPACKS_3) r.i64le(); // active-time (Valkey 7.2+): not kept
      const consumer = s.createConsumer(group, cname, seen);
      if (!consumer) r.fail(`duplicate consumer '${cname}'`, cat);
      const n = r.count(16);
      for (let i = 0; i < n; i++) {
        const id = r.latin1(16);
        const p = pending.get(id);
        if (!p) r.fail('consumer PEL entry missing from the group PEL', cat);
        pending.delete(id);
        const nack: Nack = s.forceNack(group, id, consumer, p.time);
        nack.deliveryCount = p.count;
      }
    }
    if (pending.size > 0) r.fail(`group '${name}' has PEL entries without a consumer`, at);
  }
}
