import type { Client } from '../client';
import type { Db } from '../db';
import { parseInt64 } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';
import { readObject, writeObject } from './keyspace';
import {
  ConsumerGroup, decrId, formatId, ID_MAX, ID_ZERO, idMs, incrId, makeId, NodeLimits, sameMs, seqIsMax, StreamObject, TrimArgs,
} from '../types/stream';

/*
 * Streams with consumer groups, after Valkey's t_stream.c as Redis 7.0 answers: replies, errors,
 * the entries-read / lag bookkeeping and the blocking XREAD / XREADGROUP.
 */

const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';
const U64_MAX = 18446744073709551615n;

// ------------------------------------------------------------------------ argument parsing

/** Valkey's string2ull: a strict int64 first, then strtoull's lenient form (spaces, sign, zeros). */
function parseU64(s: string): number | bigint | undefined {
  const strict = parseInt64(s);
  if (strict !== undefined) {
    if (s === '-0') return 0;
    return strict < 0 ? undefined : strict;
  }
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (!m) return undefined;
  let v = BigInt(m[2]);
  if (v > U64_MAX) return undefined;
  if (m[1] === '-' && v !== 0n) v = (1n << 64n) - v;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Set by parseId: the ID was given as `ms-*` (XADD only). */
let seqAuto = false;

/**
 * Parses a stream ID argument (streamGenericParseIDOrReply): `ms[-seq]`, `-` and `+` unless
 * strict, and `ms-*` when `allowSeqAuto`. `missingMax`: a missing seq is the maximum, else 0.
 */
function parseId(arg: string, missingMax: boolean, strict: boolean, allowSeqAuto = false): string {
  seqAuto = false;
  if (arg.length > 127) throw new CommandError(INVALID_ID);
  const nul = arg.indexOf('\0');
  const s = nul >= 0 ? arg.slice(0, nul) : arg;
  if (s === '-' || s === '+') {
    if (strict) throw new CommandError(INVALID_ID);
    return s === '-' ? ID_ZERO : ID_MAX;
  }
  const dash = s.indexOf('-');
  const ms = parseU64(dash >= 0 ? s.slice(0, dash) : s);
  if (ms === undefined) throw new CommandError(INVALID_ID);
  if (dash < 0) return missingMax ? makeId(ms, U64_MAX) : makeId(ms, 0);
  const rest = s.slice(dash + 1);
  if (allowSeqAuto && rest === '*') {
    seqAuto = true;
    return makeId(ms, 0);
  }
  const seq = parseU64(rest);
  if (seq === undefined) throw new CommandError(INVALID_ID);
  return makeId(ms, seq);
}

/** An interval bound for XRANGE / XPENDING / XAUTOCLAIM: `(id` is exclusive. */
function parseBound(arg: string, end: boolean): string {
  if (arg.length > 1 && arg[0] === '(') {
    const id = parseId(arg.slice(1), end, true);
    const moved = end ? decrId(id) : incrId(id);
    if (moved === undefined) throw new CommandError(end ? 'ERR invalid end ID for the interval' : 'ERR invalid start ID for the interval');
    return moved;
  }
  return parseId(arg, end, false);
}

function longArg(s: string, error: string = Errors.notInteger): number {
  const v = parseInt64(s);
  if (v === undefined) throw new CommandError(error);
  return Number(v);
}

function eq(a: string, word: string): boolean {
  return a.length === word.length && a.toLowerCase() === word;
}

function limits(c: Client): NodeLimits {
  return { maxBytes: c.server.config.getNumber('stream-node-max-bytes'), maxEntries: c.server.config.getNumber('stream-node-max-entries') };
}

/** Whether the client may block (not in MULTI, not a script or internal client). */
function mayBlock(c: Client): boolean {
  return c.multi === undefined && c.socket !== undefined && !(c as { denyBlocking?: boolean }).denyBlocking;
}

// ------------------------------------------------------------------------ replies

/** Entries gathered by a range walk (module-level buffers: no allocation per call). */
const gotIds: string[] = [];
const gotFvs: string[][] = [];
function gather(id: string, fv: string[]): void {
  gotIds.push(id);
  gotFvs.push(fv);
}

function collect(s: StreamObject, start: string, end: string, rev: boolean, count: number): number {
  gotIds.length = 0;
  gotFvs.length = 0;
  return s.range(start, end, rev, count, gather);
}

function replyEntry(c: Client, id: string, fv: readonly string[]): void {
  c.reply.array(2);
  c.reply.bulk(formatId(id));
  c.reply.array(fv.length);
  for (let i = 0; i < fv.length; i++) c.reply.bulk(fv[i]);
}

/** Writes the gathered entries as an array. */
function replyGathered(c: Client): void {
  const n = gotIds.length;
  c.reply.array(n);
  for (let i = 0; i < n; i++) replyEntry(c, gotIds[i], gotFvs[i]);
}

/** One entry by ID, or null (for XCLAIM / XAUTOCLAIM / XINFO first and last entry). */
function replyEntryOrNull(c: Client, s: StreamObject, id: string): void {
  const fv = s.getEntry(id);
  if (fv) replyEntry(c, id, fv);
  else c.reply.nil();
}

// ------------------------------------------------------------------------ XADD / XTRIM

interface AddTrimArgs {
  trim: TrimArgs | undefined;
  noMkStream: boolean;
  /** Explicit ID, or undefined for `*`. */
  id: string | undefined;
  seqAuto: boolean;
  /** Position of the ID (XADD) or argc (XTRIM). */
  next: number;
}

/** streamParseAddOrTrimArgsOrReply. */
function parseAddTrim(c: Client, argv: string[], isXadd: boolean): AddTrimArgs {
  const out: AddTrimArgs = { trim: undefined, noMkStream: false, id: undefined, seqAuto: false, next: argv.length };
  let limitGiven = false;
  let limit = 0;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const o = argv[i];
    if (isXadd && o === '*') break;
    const lo = o.toLowerCase();
    if ((lo === 'maxlen' || lo === 'minid') && more > 0) {
      if (out.trim) throw new CommandError('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      let approx = false;
      const nx = argv[i + 1];
      if (more >= 2 && nx === '~') {
        approx = true;
        i++;
      } else if (more >= 2 && nx === '=') {
        i++;
      }
      if (lo === 'maxlen') {
        const v = longArg(argv[i + 1]);
        if (v < 0) throw new CommandError('ERR The MAXLEN argument must be >= 0.');
        out.trim = { strategy: 'maxlen', maxlen: v, minid: ID_ZERO, approx, limit: 0 };
      } else {
        out.trim = { strategy: 'minid', maxlen: 0, minid: parseId(argv[i + 1], false, true), approx, limit: 0 };
      }
      i++;
    } else if (lo === 'limit' && more > 0) {
      limit = longArg(argv[i + 1]);
      if (limit < 0) throw new CommandError('ERR The LIMIT argument must be >= 0.');
      limitGiven = true;
      i++;
    } else if (isXadd && lo === 'nomkstream') {
      out.noMkStream = true;
    } else if (isXadd) {
      out.id = parseId(o, false, true, true);
      out.seqAuto = seqAuto;
      break;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  out.next = i;
  if (limit && !out.trim) throw new CommandError('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  if (!isXadd && !out.trim) throw new CommandError('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (limitGiven) {
    if (!out.trim!.approx) throw new CommandError('ERR syntax error, LIMIT cannot be used without the special ~ option');
    out.trim!.limit = limit;
  } else if (out.trim?.approx) {
    const perNode = c.server.config.getNumber('stream-node-max-entries');
    out.trim.limit = 100 * perNode > 0 ? Math.min(100 * perNode, 1000000) : 10000;
  }
  return out;
}

function xadd(c: Client, argv: string[]): void {
  const key = argv[1];
  const args = parseAddTrim(c, argv, true);
  const fieldPos = args.next + 1;
  const nfv = argv.length - fieldPos;
  if (nfv < 2 || nfv % 2 === 1) throw new CommandError(Errors.arity('xadd'));
  if (args.id !== undefined && !args.seqAuto && args.id === ID_ZERO) throw new CommandError('ERR The ID specified in XADD must be greater than 0-0');
  let s = writeObject<StreamObject>(c, key, 'stream');
  if (!s) {
    if (args.noMkStream) {
      c.reply.nil();
      return;
    }
    s = new StreamObject();
    c.db.add(key, s);
  }
  if (s.lastId === ID_MAX) throw new CommandError('ERR The stream has exhausted the last possible ID, unable to add more items');
  let id: string | undefined;
  if (args.id === undefined) {
    const now = Date.now();
    if (now > idMs(s.lastId)) id = makeId(now, 0);
    else id = incrId(s.lastId);
  } else if (args.seqAuto) {
    if (sameMs(s.lastId, args.id)) id = seqIsMax(s.lastId) ? undefined : incrId(s.lastId);
    else id = args.id;
  } else {
    id = args.id;
  }
  if (id === undefined || id <= s.lastId) throw new CommandError('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  s.append(id, argv.slice(fieldPos), limits(c));
  c.reply.bulk(formatId(id));
  c.db.touch(key);
  c.server.notify('t', 'xadd', key, c.db);
  if (args.trim && s.trim(args.trim) > 0) c.server.notify('t', 'xtrim', key, c.db);
}

function xtrim(c: Client, argv: string[]): void {
  const key = argv[1];
  const args = parseAddTrim(c, argv, false);
  const s = writeObject<StreamObject>(c, key, 'stream');
  if (!s) {
    c.reply.int(0);
    return;
  }
  const deleted = s.trim(args.trim!);
  if (deleted > 0) {
    c.server.notify('t', 'xtrim', key, c.db);
    c.db.touch(key);
  }
  c.reply.int(deleted);
}

// ------------------------------------------------------------------------ XLEN / XRANGE / XDEL

function xrange(c: Client, argv: string[], rev: boolean): void {
  const start = parseBound(rev ? argv[3] : argv[2], false);
  const end = parseBound(rev ? argv[2] : argv[3], true);
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (eq(argv[j], 'count') && j + 1 < argv.length) {
      count = longArg(argv[++j]);
      if (count < 0) count = 0;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const s = readObject<StreamObject>(c, argv[1], 'stream');
  if (!s) {
    c.reply.array(0);
    return;
  }
  if (count === 0) {
    c.reply.nilArray();
    return;
  }
  collect(s, start, end, rev, count === -1 ? 0 : count);
  replyGathered(c);
}

function xdel(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = writeObject<StreamObject>(c, key, 'stream');
  if (!s) {
    c.reply.int(0);
    return;
  }
  const ids: string[] = [];
  for (let j = 2; j < argv.length; j++) ids.push(parseId(argv[j], false, true));
  let deleted = 0;
  let firstDeleted = false;
  for (const id of ids) {
    if (!s.deleteEntry(id)) continue;
    if (id === s.firstId) firstDeleted = true;
    if (id > s.maxDeletedId) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = ID_ZERO;
    else if (firstDeleted) s.refreshFirstId();
    c.db.touch(key);
    c.server.notify('t', 'xdel', key, c.db);
  }
  c.reply.int(deleted);
}

// ------------------------------------------------------------------------ XREAD / XREADGROUP

/** Serves a group read of new entries (after the group's last ID): advances the group and fills the PELs. */
function serveGroupNew(c: Client, s: StreamObject, g: ConsumerGroup, consumerName: string, count: number, noack: boolean, key: string, db: Db): void {
  const consumer = g.consumers.get(consumerName) ?? createConsumer(c, s, g, consumerName, key, db);
  const start = incrId(g.lastId);
  if (start === undefined) {
    c.reply.array(0);
    return;
  }
  collect(s, start, ID_MAX, false, count);
  const now = Date.now();
  const n = gotIds.length;
  c.reply.array(n);
  for (let i = 0; i < n; i++) {
    const id = gotIds[i];
    s.advanceGroup(g, id);
    replyEntry(c, id, gotFvs[i]);
    if (!noack) s.addNack(g, consumer, id, now);
  }
}

/** Serves a consumer's history (its PEL from `start`), bumping delivery counts. */
function serveHistory(c: Client, s: StreamObject, g: ConsumerGroup, consumerName: string, start: string, count: number): void {
  const consumer = g.consumers.get(consumerName)!;
  const ids: string[] = [];
  consumer.pel.walk(start, (id) => {
    ids.push(id);
    return !count || ids.length < count;
  });
  const now = Date.now();
  c.reply.array(ids.length);
  for (const id of ids) {
    const fv = s.getEntry(id);
    if (fv) {
      replyEntry(c, id, fv);
      const nack = consumer.pel.get(id)!;
      nack.deliveryTime = now;
      nack.deliveryCount++;
    } else {
      c.reply.array(2);
      c.reply.bulk(formatId(id));
      c.reply.nilArray();
    }
  }
}

function createConsumer(c: Client, s: StreamObject, g: ConsumerGroup, name: string, key: string, db: Db) {
  const created = s.createConsumer(g, name, Date.now())!;
  c.server.notify('t', 'xgroup-createconsumer', key, db);
  return created;
}

/** Keys of XREAD / XREADGROUP (the half of the arguments after STREAMS). */
function xreadKeys(argv: readonly string[]): number[] {
  const from = argv[0].length === 10 ? 4 : 1;
  for (let i = from; i < argv.length; i++) {
    if (eq(argv[i], 'streams')) {
      const n = Math.floor((argv.length - i - 1) / 2);
      const out: number[] = [];
      for (let k = 0; k < n; k++) out.push(i + 1 + k);
      return out;
    }
  }
  return [];
}

function xread(c: Client, argv: string[]): void {
  const group = argv[0].length === 10;
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let nstreams = 0;
  let noack = false;
  let groupName: string | undefined;
  let consumerName = '';
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i].toLowerCase();
    if (o === 'block' && more > 0) {
      const t = parseInt64(argv[++i]);
      if (t === undefined) throw new CommandError('ERR timeout is not an integer or out of range');
      if (t < 0) throw new CommandError('ERR timeout is negative');
      timeout = Number(t);
    } else if (o === 'count' && more > 0) {
      count = longArg(argv[++i]);
      if (count < 0) count = 0;
    } else if (o === 'streams' && more > 0) {
      streamsArg = i + 1;
      nstreams = argv.length - streamsArg;
      if (nstreams % 2 !== 0) {
        throw new CommandError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
      }
      nstreams /= 2;
      break;
    } else if (o === 'group' && more >= 2) {
      if (!group) throw new CommandError('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
      groupName = argv[i + 1];
      consumerName = argv[i + 2];
      i += 2;
    } else if (o === 'noack') {
      if (!group) throw new CommandError('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
      noack = true;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  if (streamsArg === 0) throw new CommandError(Errors.syntax);
  if (group && groupName === undefined) throw new CommandError('ERR Missing GROUP option for XREADGROUP');

  const keys = argv.slice(streamsArg, streamsArg + nstreams);
  const ids: string[] = new Array<string>(nstreams);
  const groups: ConsumerGroup[] = [];
  for (let k = 0; k < nstreams; k++) {
    const key = keys[k];
    const arg = argv[streamsArg + nstreams + k];
    const s = readObject<StreamObject>(c, key, 'stream');
    if (groupName !== undefined) {
      const g = s?.groups.get(groupName);
      if (!g) throw new CommandError(`NOGROUP No such key '${key}' or consumer group '${groupName}' in XREADGROUP with GROUP option`);
      groups.push(g);
    }
    if (arg === '$') {
      if (group) {
        throw new CommandError(
          'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, ' +
            'or use the > ID to get new messages. The $ ID would just return an empty result set.',
        );
      }
      ids[k] = s ? s.lastId : ID_ZERO;
    } else if (arg === '>') {
      if (!group) throw new CommandError('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
      ids[k] = ID_MAX;
    } else {
      ids[k] = parseId(arg, false, true);
    }
  }

  // Decide which streams are served now (consumers are created on the way, as Valkey does).
  const serve: number[] = [];
  const now = Date.now();
  for (let k = 0; k < nstreams; k++) {
    const s = c.db.get(keys[k]) as StreamObject | undefined;
    if (!s) continue;
    if (groupName !== undefined) {
      const g = groups[k];
      if (ids[k] !== ID_MAX || (s.length && s.lastValidId() > g.lastId)) {
        serve.push(k);
        // Redis 7.0 creates (or refreshes) the consumer only for streams it serves now.
        const consumer = g.consumers.get(consumerName);
        if (consumer) consumer.seenTime = now;
        else createConsumer(c, s, g, consumerName, keys[k], c.db);
      }
    } else if (s.length && s.lastValidId() > ids[k]) {
      serve.push(k);
    }
  }
  if (serve.length > 0) {
    if (c.reply.resp === 2) c.reply.array(serve.length);
    else c.reply.map(serve.length);
    for (const k of serve) {
      const s = c.db.get(keys[k]) as StreamObject;
      if (c.reply.resp === 2) c.reply.array(2);
      c.reply.bulk(keys[k]);
      if (groupName !== undefined) {
        const g = groups[k];
        if (ids[k] !== ID_MAX) {
          const start = incrId(ids[k]);
          if (start === undefined) c.reply.array(0);
          else serveHistory(c, s, g, consumerName, start, count);
        } else {
          serveGroupNew(c, s, g, consumerName, count, noack, keys[k], c.db);
        }
      } else {
        const start = incrId(ids[k]);
        if (start === undefined) {c.reply.array(0);} else {
          collect(s, start, ID_MAX, false, count);
          replyGathered(c);
        }
      }
    }
    return;
  }
  if (timeout === -1 || !mayBlock(c)) {
    c.reply.nilArray();
    return;
  }
  blockRead(c, keys, ids, timeout, count || 1000, groupName, consumerName, noack);
}

function blockRead(
  c: Client, keys: string[], ids: string[], timeout: number, count: number, groupName: string | undefined, consumerName: string, noack: boolean,
): void {
  const db = c.db;
  const tryServe = (): boolean => {
    for (let k = 0; k < keys.length; k++) {
      const v = db.get(keys[k]);
      if (groupName !== undefined) {
        if (v === undefined || typeof v === 'string' || v.type !== 'stream') {
          c.reply.error('UNBLOCKED the stream key no longer exists');
          c.server.countError('UNBLOCKED');
          return true;
        }
        const s = v as StreamObject;
        const g = s.groups.get(groupName);
        if (!g) {
          c.reply.error('NOGROUP the consumer group this client was blocked on no longer exists');
          c.server.countError('NOGROUP');
          return true;
        }
        if (s.length === 0 || s.lastValidId() <= g.lastId) continue;
        const consumer = g.consumers.get(consumerName);
        if (consumer) consumer.seenTime = Date.now();
        replyOneStream(c, keys[k]);
        serveGroupNew(c, s, g, consumerName, count, noack, keys[k], db);
        return true;
      }
      if (v === undefined || typeof v === 'string' || v.type !== 'stream') continue;
      const s = v as StreamObject;
      if (s.length === 0 || s.lastValidId() <= ids[k]) continue;
      replyOneStream(c, keys[k]);
      collect(s, incrId(ids[k])!, ID_MAX, false, count);
      replyGathered(c);
      return true;
    }
    return false;
  };
  c.server.block(c, {
    keys,
    db,
    deadline: timeout > 0 ? Date.now() + timeout : 0,
    tryServe,
    onTimeout: () => c.reply.nilArray(),
  });
}

function replyOneStream(c: Client, key: string): void {
  if (c.reply.resp === 2) {
    c.reply.array(1);
    c.reply.array(2);
  } else {
    c.reply.map(1);
  }
  c.reply.bulk(key);
}

// ------------------------------------------------------------------------ groups

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

function help(c: Client, lines: readonly string[]): void {
  c.reply.array(lines.length);
  for (const l of lines) c.reply.simple(l);
}

function subSyntax(argv: string[]): CommandError {
  return new CommandError(`ERR unknown subcommand or wrong number of arguments for '${argv[1].slice(0, 128)}'. Try ${argv[0].toUpperCase()} HELP.`);
}

function entriesReadArg(s: string): number {
  const v = longArg(s);
  if (v < 0 && v !== -1) throw new CommandError('ERR value for ENTRIESREAD must be positive or -1');
  return v;
}

/** XGROUP subcommands share Valkey's checks: options first, then key, then group. */
function xgroup(c: Client, argv: string[]): void {
  const sub = argv[1].toLowerCase();
  const key = argv[2];
  let mkstream = false;
  let entriesRead = -1;
  if (sub === 'create') {
    for (let i = 5; i < argv.length;) {
      if (eq(argv[i], 'mkstream')) {
        mkstream = true;
        i++;
      } else if (eq(argv[i], 'entriesread') && i + 1 < argv.length) {
        entriesRead = entriesReadArg(argv[i + 1]);
        i += 2;
      } else {
        throw subSyntax(argv);
      }
    }
  } else if (sub === 'setid') {
    if (argv.length === 7) {
      if (!eq(argv[5], 'entriesread')) throw subSyntax(argv);
      entriesRead = entriesReadArg(argv[6]);
    } else if (argv.length !== 5) {
      throw subSyntax(argv);
    }
  }
  let s = writeObject<StreamObject>(c, key, 'stream');
  const groupName = argv[3];
  let g: ConsumerGroup | undefined;
  if (!mkstream) {
    if (!s) {
      throw new CommandError('ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.');
    }
    g = s.groups.get(groupName);
    if (!g && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      throw new CommandError(`NOGROUP No such consumer group '${groupName}' for key name '${key}'`);
    }
  }
  switch (sub) {
    case 'create': {
      if (argv.length > 8) throw subSyntax(argv);
      const id = argv[4] === '$' ? (s ? s.lastId : ID_ZERO) : parseId(argv[4], false, true);
      if (!s) {
        s = new StreamObject();
        c.db.add(key, s);
      }
      if (!s.createGroup(groupName, id, entriesRead)) throw new CommandError('BUSYGROUP Consumer Group name already exists');
      c.reply.ok();
      c.server.notify('t', 'xgroup-create', key, c.db);
      return;
    }
    case 'setid': {
      const id = argv[4] === '$' ? s!.lastId : parseId(argv[4], false, false);
      g!.lastId = id;
      g!.entriesRead = entriesRead;
      c.reply.ok();
      c.server.notify('t', 'xgroup-setid', key, c.db);
      return;
    }
    case 'destroy':
      if (g && s!.destroyGroup(groupName)) {
        c.reply.int(1);
        c.server.notify('t', 'xgroup-destroy', key, c.db);
        c.db.touch(key); // wakes XREADGROUP clients blocked on the group (-NOGROUP)
      } else {
        c.reply.int(0);
      }
      return;
    case 'createconsumer': {
      const created = s!.createConsumer(g!, argv[4], Date.now());
      if (created) c.server.notify('t', 'xgroup-createconsumer', key, c.db);
      c.reply.int(created ? 1 : 0);
      return;
    }
    case 'delconsumer': {
      const consumer = g!.consumers.get(argv[4]);
      let pending = 0;
      if (consumer) {
        pending = s!.deleteConsumer(g!, consumer);
        c.server.notify('t', 'xgroup-delconsumer', key, c.db);
      }
      c.reply.int(pending);
      return;
    }
    default:
      throw subSyntax(argv);
  }
}

function xsetid(c: Client, argv: string[]): void {
  const key = argv[1];
  const id = parseId(argv[2], false, true);
  let entriesAdded = -1;
  let maxDeleted = ID_ZERO;
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    if (eq(argv[i], 'entriesadded') && more > 0) {
      entriesAdded = longArg(argv[i + 1]);
      if (entriesAdded < 0) throw new CommandError('ERR entries_added must be positive');
    } else if (eq(argv[i], 'maxdeletedid') && more > 0) {
      maxDeleted = parseId(argv[i + 1], false, true);
      if (id < maxDeleted) throw new CommandError('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const s = writeObject<StreamObject>(c, key, 'stream');
  if (!s) throw new CommandError(Errors.noSuchKey);
  // Redis 7.0 does not compare with the current max-deleted-entry-id (later versions do).
  if (s.length > 0) {
    if (id < s.lastValidId()) throw new CommandError('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1 && s.length > entriesAdded) throw new CommandError('ERR The entries_added specified in XSETID is smaller than the target stream length');
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDeleted !== ID_ZERO) s.maxDeletedId = maxDeleted;
  c.reply.ok();
  c.server.notify('t', 'xsetid', key, c.db);
}

function xack(c: Client, argv: string[]): void {
  const s = readObject<StreamObject>(c, argv[1], 'stream');
  const g = s?.groups.get(argv[2]);
  if (!s || !g) {
    c.reply.int(0);
    return;
  }
  const ids: string[] = [];
  for (let j = 3; j < argv.length; j++) ids.push(parseId(argv[j], false, true));
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.get(id);
    if (nack) {
      s.removeNack(g, id, nack);
      acked++;
    }
  }
  c.reply.int(acked);
}

function xpending(c: Client, argv: string[]): void {
  const key = argv[1];
  const groupName = argv[2];
  const summary = argv.length === 3;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) throw new CommandError(Errors.syntax);
  let start = ID_ZERO;
  let end = ID_MAX;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | undefined;
  if (argv.length >= 6) {
    let at = 3;
    if (eq(argv[3], 'idle')) {
      minIdle = longArg(argv[4]);
      if (argv.length < 8) throw new CommandError(Errors.syntax);
      at += 2;
    }
    count = longArg(argv[at + 2]);
    if (count < 0) count = 0;
    start = parseBound(argv[at], false);
    end = parseBound(argv[at + 1], true);
    if (at + 3 < argv.length) consumerName = argv[at + 3];
  }
  const s = readObject<StreamObject>(c, key, 'stream');
  const g = s?.groups.get(groupName);
  if (!s || !g) throw new CommandError(`NOGROUP No such key '${key}' or consumer group '${groupName}'`);
  if (summary) {
    c.reply.array(4);
    c.reply.int(g.pel.size);
    if (g.pel.size === 0) {
      c.reply.nil();
      c.reply.nil();
      c.reply.nilArray();
      return;
    }
    c.reply.bulk(formatId(g.pel.first()!));
    c.reply.bulk(formatId(g.pel.last()!));
    const owners = g.sortedConsumers().filter((x) => x.pel.size > 0);
    c.reply.array(owners.length);
    for (const o of owners) {
      c.reply.array(2);
      c.reply.bulk(o.name);
      c.reply.bulk(String(o.pel.size));
    }
    return;
  }
  let pel = g.pel;
  if (consumerName !== undefined) {
    const consumer = g.consumers.get(consumerName);
    if (!consumer) {
      c.reply.array(0);
      return;
    }
    pel = consumer.pel;
  }
  const now = Date.now();
  const rows: Array<[string, string, number, number]> = [];
  if (count > 0) {
    pel.walk(start, (id, nack) => {
      if (id > end) return false;
      if (minIdle && now - nack.deliveryTime < minIdle) return true;
      rows.push([id, nack.consumer.name, Math.max(0, now - nack.deliveryTime), nack.deliveryCount]);
      return rows.length < count;
    });
  }
  c.reply.array(rows.length);
  for (const [id, name, idle, n] of rows) {
    c.reply.array(4);
    c.reply.bulk(formatId(id));
    c.reply.bulk(name);
    c.reply.int(idle);
    c.reply.int(n);
  }
}

function xclaim(c: Client, argv: string[]): void {
  const key = argv[1];
  const s = readObject<StreamObject>(c, key, 'stream');
  const g = s?.groups.get(argv[2]);
  if (!s || !g) throw new CommandError(`NOGROUP No such key '${key}' or consumer group '${argv[2]}'`);
  let minIdle = longArg(argv[4], 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minIdle < 0) minIdle = 0;
  const ids: string[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    try {
      ids.push(parseId(argv[j], false, true));
    } catch {
      break;
    }
  }
  const now = Date.now();
  let retryCount = -1;
  let deliveryTime = -1;
  let force = false;
  let justId = false;
  let lastId = ID_ZERO;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const o = argv[j].toLowerCase();
    if (o === 'force') force = true;
    else if (o === 'justid') justId = true;
    else if (o === 'idle' && more > 0) deliveryTime = now - longArg(argv[++j], 'ERR Invalid IDLE option argument for XCLAIM');
    else if (o === 'time' && more > 0) deliveryTime = longArg(argv[++j], 'ERR Invalid TIME option argument for XCLAIM');
    else if (o === 'retrycount' && more > 0) retryCount = longArg(argv[++j], 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
    else if (o === 'lastid' && more > 0) lastId = parseId(argv[++j], false, true);
    else throw new CommandError(`ERR Unrecognized XCLAIM option '${argv[j]}'`);
  }
  if (lastId > g.lastId) g.lastId = lastId;
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  const name = argv[3];
  let consumer = undefined as ReturnType<typeof g.consumers.get>;
  const out: string[] = [];
  for (const id of ids) {
    let nack = g.pel.get(id);
    if (!s.has(id)) {
      if (nack) s.removeNack(g, id, nack);
      continue;
    }
    let forced = false;
    if (force && !nack) forced = true;
    if (!nack && !forced) continue;
    if (nack && minIdle && now - nack.deliveryTime < minIdle) continue;
    if (!consumer) {
      consumer = g.consumers.get(name);
      if (consumer) consumer.seenTime = now;
      else consumer = createConsumer(c, s, g, name, key, c.db);
    }
    if (forced) nack = s.forceNack(g, id, consumer, now);
    else s.moveNack(id, nack!, consumer);
    nack!.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack!.deliveryCount = retryCount;
    else if (!justId) nack!.deliveryCount++;
    out.push(id);
  }
  c.reply.array(out.length);
  for (const id of out) {
    if (justId) c.reply.bulk(formatId(id));
    else replyEntryOrNull(c, s, id);
  }
}

function xautoclaim(c: Client, argv: string[]): void {
  const key = argv[1];
  let minIdle = longArg(argv[4], 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdle < 0) minIdle = 0;
  const start = parseBound(argv[5], false);
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (eq(argv[j], 'count') && more > 0) {
      const v = parseInt64(argv[j + 1]);
      if (v === undefined || v < 1 || v > Math.floor(9223372036854775807 / 16)) throw new CommandError('ERR COUNT must be > 0');
      count = Number(v);
      j++;
    } else if (eq(argv[j], 'justid')) {
      justId = true;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  const s = readObject<StreamObject>(c, key, 'stream');
  const g = s?.groups.get(argv[2]);
  if (!s || !g) throw new CommandError(`NOGROUP No such key '${key}' or consumer group '${argv[2]}'`);
  let attempts = count * 10;
  const now = Date.now();
  const name = argv[3];
  let consumer = undefined as ReturnType<typeof g.consumers.get>;
  const claimed: string[] = [];
  const deleted: string[] = [];
  let cursor: string | undefined = g.pel.seek(start);
  while (attempts > 0 && count > 0 && cursor !== undefined) {
    attempts--;
    const id: string = cursor;
    const nack = g.pel.get(id)!;
    cursor = g.pel.seekAfter(id);
    if (!s.has(id)) {
      s.removeNack(g, id, nack);
      deleted.push(id);
      continue;
    }
    if (minIdle && now - nack.deliveryTime < minIdle) continue;
    if (!consumer) {
      consumer = g.consumers.get(name);
      if (consumer) consumer.seenTime = now;
      else consumer = createConsumer(c, s, g, name, key, c.db);
    }
    s.moveNack(id, nack, consumer);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    claimed.push(id);
    count--;
  }
  c.reply.array(3);
  c.reply.bulk(formatId(cursor ?? ID_ZERO));
  c.reply.array(claimed.length);
  for (const id of claimed) {
    if (justId) c.reply.bulk(formatId(id));
    else replyEntryOrNull(c, s, id);
  }
  c.reply.array(deleted.length);
  for (const id of deleted) c.reply.bulk(formatId(id));
}

// ------------------------------------------------------------------------ XINFO

function xinfo(c: Client, argv: string[]): void {
  const sub = argv[1].toLowerCase();
  const key = argv[2];
  const s = readObject<StreamObject>(c, key, 'stream');
  if (!s) throw new CommandError(Errors.noSuchKey);
  if (sub === 'consumers') {
    const g = s.groups.get(argv[3]);
    if (!g) throw new CommandError(`NOGROUP No such consumer group '${argv[3]}' for key name '${key}'`);
    const now = Date.now();
    const list = g.sortedConsumers();
    c.reply.array(list.length);
    for (const con of list) {
      c.reply.map(3);
      c.reply.bulk('name');
      c.reply.bulk(con.name);
      c.reply.bulk('pending');
      c.reply.int(con.pel.size);
      c.reply.bulk('idle');
      c.reply.int(Math.max(0, now - con.seenTime));
    }
    return;
  }
  if (sub === 'groups') {
    const list = s.sortedGroups();
    c.reply.array(list.length);
    for (const g of list) {
      c.reply.map(6);
      c.reply.bulk('name');
      c.reply.bulk(g.name);
      c.reply.bulk('consumers');
      c.reply.int(g.consumers.size);
      c.reply.bulk('pending');
      c.reply.int(g.pel.size);
      c.reply.bulk('last-delivered-id');
      c.reply.bulk(formatId(g.lastId));
      replyReadAndLag(c, s, g);
    }
    return;
  }
  // STREAM [FULL [COUNT n]]
  let full = false;
  let count = 10;
  const rest = argv.length - 3;
  if (rest > 0) {
    if (!eq(argv[3], 'full')) throw subSyntax(argv);
    full = true;
    if (rest === 3) {
      if (!eq(argv[4], 'count')) throw subSyntax(argv);
      count = longArg(argv[5]);
      if (count < 0) count = 10;
    } else if (rest !== 1) {
      throw subSyntax(argv);
    }
  }
  c.reply.map(full ? 9 : 10);
  c.reply.bulk('length');
  c.reply.int(s.length);
  c.reply.bulk('radix-tree-keys');
  c.reply.int(s.nodes.length);
  c.reply.bulk('radix-tree-nodes');
  c.reply.int(radixNodes(s));
  c.reply.bulk('last-generated-id');
  c.reply.bulk(formatId(s.lastId));
  c.reply.bulk('max-deleted-entry-id');
  c.reply.bulk(formatId(s.maxDeletedId));
  c.reply.bulk('entries-added');
  c.reply.int(s.entriesAdded);
  c.reply.bulk('recorded-first-entry-id');
  c.reply.bulk(formatId(s.firstId));
  if (!full) {
    c.reply.bulk('groups');
    c.reply.int(s.groups.size);
    for (const [field, last] of [['first-entry', false], ['last-entry', true]] as const) {
      c.reply.bulk(field);
      const id = s.edgeId(last);
      if (id) replyEntryOrNull(c, s, id);
      else c.reply.nil();
    }
    return;
  }
  c.reply.bulk('entries');
  collect(s, ID_ZERO, ID_MAX, false, count);
  replyGathered(c);
  c.reply.bulk('groups');
  const groups = s.sortedGroups();
  c.reply.array(groups.length);
  for (const g of groups) {
    c.reply.map(7);
    c.reply.bulk('name');
    c.reply.bulk(g.name);
    c.reply.bulk('last-delivered-id');
    c.reply.bulk(formatId(g.lastId));
    replyReadAndLag(c, s, g);
    c.reply.bulk('pel-count');
    c.reply.int(g.pel.size);
    c.reply.bulk('pending');
    const pend: Array<[string, string, number, number]> = [];
    for (const [id, nack] of g.pel.entries()) {
      if (count && pend.length >= count) break;
      pend.push([id, nack.consumer.name, nack.deliveryTime, nack.deliveryCount]);
    }
    c.reply.array(pend.length);
    for (const [id, name, t, n] of pend) {
      c.reply.array(4);
      c.reply.bulk(formatId(id));
      c.reply.bulk(name);
      c.reply.int(t);
      c.reply.int(n);
    }
    c.reply.bulk('consumers');
    const consumers = g.sortedConsumers();
    c.reply.array(consumers.length);
    for (const con of consumers) {
      c.reply.map(4);
      c.reply.bulk('name');
      c.reply.bulk(con.name);
      c.reply.bulk('seen-time');
      c.reply.int(con.seenTime);
      c.reply.bulk('pel-count');
      c.reply.int(con.pel.size);
      c.reply.bulk('pending');
      const cp: Array<[string, number, number]> = [];
      for (const [id, nack] of con.pel.entries()) {
        if (count && cp.length >= count) break;
        cp.push([id, nack.deliveryTime, nack.deliveryCount]);
      }
      c.reply.array(cp.length);
      for (const [id, t, n] of cp) {
        c.reply.array(3);
        c.reply.bulk(formatId(id));
        c.reply.int(t);
        c.reply.int(n);
      }
    }
  }
}

function replyReadAndLag(c: Client, s: StreamObject, g: ConsumerGroup): void {
  c.reply.bulk('entries-read');
  if (g.entriesRead !== -1) c.reply.int(g.entriesRead);
  else c.reply.nil();
  c.reply.bulk('lag');
  const lag = s.lag(g);
  if (lag === undefined) c.reply.nil();
  else c.reply.int(lag);
}

/** An estimate of the radix tree's node count (Valkey's rax internals; not modelled exactly). */
function radixNodes(s: StreamObject): number {
  return s.nodes.length === 0 ? 1 : s.nodes.length + 1;
}

// ------------------------------------------------------------------------ table

function subcommand(name: string, arity: number, flags: string, handler: (c: Client, argv: string[]) => void): CommandSpec {
  const keyed = !name.endsWith('|help');
  return command(name, arity, flags, keyed ? [2, 2, 1] : [0, 0, 0], 'stream', handler);
}

/** Stream commands. */
export const streamCommands: CommandSpec[] = [
  command('xadd', -5, 'write denyoom fast', [1, 1, 1], 'stream', xadd),
  command('xtrim', -4, 'write', [1, 1, 1], 'stream', xtrim),
  command('xlen', 2, 'readonly fast', [1, 1, 1], 'stream', (c, a) => c.reply.int(readObject<StreamObject>(c, a[1], 'stream')?.length ?? 0)),
  command('xrange', -4, 'readonly', [1, 1, 1], 'stream', (c, a) => xrange(c, a, false)),
  command('xrevrange', -4, 'readonly', [1, 1, 1], 'stream', (c, a) => xrange(c, a, true)),
  command('xdel', -3, 'write fast', [1, 1, 1], 'stream', xdel),
  command('xread', -4, 'readonly blocking movablekeys', [0, 0, 0], 'stream', xread, { getKeys: xreadKeys }),
  command('xreadgroup', -7, 'write blocking movablekeys', [0, 0, 0], 'stream', xread, { getKeys: xreadKeys }),
  command('xsetid', -3, 'write denyoom fast', [1, 1, 1], 'stream', xsetid),
  command('xack', -4, 'write fast', [1, 1, 1], 'stream', xack),
  command('xpending', -3, 'readonly', [1, 1, 1], 'stream', xpending),
  command('xclaim', -6, 'write fast', [1, 1, 1], 'stream', xclaim),
  command('xautoclaim', -6, 'write fast', [1, 1, 1], 'stream', xautoclaim),
  command('xgroup', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'xgroup'));
  }, {
    subcommands: [
      subcommand('xgroup|create', -5, 'write denyoom', xgroup),
      subcommand('xgroup|setid', -5, 'write', xgroup),
      subcommand('xgroup|destroy', 4, 'write', xgroup),
      subcommand('xgroup|createconsumer', 5, 'write denyoom', xgroup),
      subcommand('xgroup|delconsumer', 5, 'write', xgroup),
      subcommand('xgroup|help', 2, 'loading stale', (c) => help(c, XGROUP_HELP)),
    ],
  }),
  command('xinfo', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'xinfo'));
  }, {
    subcommands: [
      subcommand('xinfo|consumers', 4, 'readonly', xinfo),
      subcommand('xinfo|groups', 3, 'readonly', xinfo),
      subcommand('xinfo|stream', -3, 'readonly', xinfo),
      subcommand('xinfo|help', 2, 'loading stale', (c) => help(c, XINFO_HELP)),
    ],
  }),
];
