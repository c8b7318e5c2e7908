import * as fc from 'fast-check';
import { waitBlocked, withClients } from './collections-helpers';
import { Differential } from './differential';
import { RespClient, Resp } from './resp-client';
import { createServer, Config } from '../../engine/server/index';
import { KEY_OVERHEAD, memory, stringBytes } from '../../engine/server/memory';
import { StreamObject } from '../../engine/server/types/stream';

/**
 * Streams and consumer groups, compared with redis-server 7.0. Explicit IDs keep replies
 * deterministic; time-dependent fields (idle times, delivery and seen times, the radix tree's
 * internal node count) are masked before comparing.
 */

type Cmd = Array<string | number>;

/** Masks the value following `name` in flat RESP2 maps, recursively. */
function maskFields(r: Resp, names: readonly string[]): Resp {
  if (r && typeof r === 'object' && !Array.isArray(r) && 'map' in r) {
    return { map: r.map.map(([k, v]) => [k, typeof k === 'string' && names.includes(k) && typeof v === 'number' ? 0 : maskFields(v, names)] as [Resp, Resp]) };
  }
  if (!Array.isArray(r)) return r;
  const out = r.map((x) => maskFields(x, names));
  for (let i = 0; i + 1 < out.length; i += 2) {
    if (typeof out[i] === 'string' && names.includes(out[i] as string) && typeof out[i + 1] === 'number') out[i + 1] = 0;
  }
  return out;
}

/** Masks the delivery times in XINFO STREAM FULL pending lists. */
function maskPending(r: Resp): Resp {
  if (!Array.isArray(r)) return r;
  const out = r.map(maskPending);
  for (let i = 0; i + 1 < out.length; i += 2) {
    if (out[i] === 'pending' && Array.isArray(out[i + 1])) {
      out[i + 1] = (out[i + 1] as Resp[]).map((row) => {
        if (!Array.isArray(row)) return row;
        const copy = [...row];
        if (copy.length === 4) copy[2] = 0;
        if (copy.length === 3) copy[1] = 0;
        return copy;
      });
    }
  }
  return out;
}

function normalize(cmd: string[], r: Resp): Resp {
  const name = cmd[0].toLowerCase();
  if (name === 'xinfo') return maskPending(maskFields(r, ['idle', 'seen-time', 'radix-tree-nodes']));
  if (name === 'xpending' && cmd.length > 3 && Array.isArray(r)) {
    return r.map((row) => (Array.isArray(row) && row.length === 4 ? [row[0], row[1], 0, row[3]] : row));
  }
  return r;
}

describe('streams (differential against redis-server)', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  const check = async (cmds: Cmd[]) => {
    if (!d) return; // redis-server not installed
    await d.check([['FLUSHALL'], ...cmds], normalize);
  };

  test('XADD: explicit IDs, ms-*, errors, NOMKSTREAM, exhausted IDs', async () => {
    await check([
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '1-*', 'b', '2'],
      ['XADD', 's', '1', 'c', '3'],
      ['XADD', 's', '2-*', 'c', '3'],
      ['XADD', 's', '0-0', 'a', '1'],
      ['XADD', 's', '0', 'a', '1'],
      ['XADD', 's', '0-*', 'a', '1'],
      ['XADD', 's', 'abc', 'a', '1'],
      ['XADD', 's', '1-x', 'a', '1'],
      ['XADD', 's', '-', 'a', '1'],
      ['XADD', 's', '+', 'a', '1'],
      ['XADD', 's', '3-1', 'a'],
      ['XADD', 's', '3-1', 'a', '1', 'b'],
      ['XADD', 's', 'NOMKSTREAM', '3-1', 'a', '1'],
      ['XADD', 'nokey', 'NOMKSTREAM', '*', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '5', '*'],
      ['XADD', 's', 'LIMIT', '5', '*', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '=', '5', 'LIMIT', '5', '*', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '~', '5', 'LIMIT', '-1', '*', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '-1', '*', 'a', '1'],
      ['XADD', 's', 'MAXLEN', 'x', '*', 'a', '1'],
      ['XADD', 's', 'MAXLEN', '1', 'MINID', '5', '*', 'a', '1'],
      ['XADD', 's', 'MINID', '5-*', '*', 'a', '1'],
      ['XADD', 's', '18446744073709551615-18446744073709551614', 'a', '1'],
      ['XADD', 's', '18446744073709551615-*', 'a', '1'],
      ['XADD', 's', '*', 'a', '1'],
      ['XADD', 's', '18446744073709551616-0', 'a', '1'],
      ['XLEN', 's'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 'z', '00012-0010', 'lenient', 'parse'],
      ['XADD', 'z', ' 13-+1', 'lenient', 'parse'],
      ['XADD', 'z', '-0-20', 'x', 'y'],
      ['XRANGE', 'z', '-', '+'],
      ['SET', 'str', 'x'],
      ['XADD', 'str', '*', 'a', '1'],
      ['XLEN', 'str'],
      ['XLEN', 'nokey'],
    ]);
  });

  test('XRANGE / XREVRANGE: bounds, exclusive ranges, COUNT, errors', async () => {
    const adds: Cmd[] = [];
    for (let ms = 1; ms <= 6; ms++) for (let seq = 0; seq < 3; seq++) adds.push(['XADD', 's', `${ms}-${seq}`, 'f', `${ms}.${seq}`, 'g', 'x']);
    await check([
      ...adds,
      ['XRANGE', 's', '-', '+'],
      ['XRANGE', 's', '2', '3'],
      ['XRANGE', 's', '2-1', '3-1'],
      ['XRANGE', 's', '(2-1', '(3-1'],
      ['XRANGE', 's', '(2', '+'],
      ['XRANGE', 's', '-', '(3'],
      ['XRANGE', 's', '3', '2'],
      ['XRANGE', 's', '-', '+', 'COUNT', '4'],
      ['XRANGE', 's', '-', '+', 'COUNT', '0'],
      ['XRANGE', 's', '-', '+', 'COUNT', '-3'],
      ['XRANGE', 's', '-', '+', 'COUNT'],
      ['XRANGE', 's', '-', '+', 'FOO', '1'],
      ['XRANGE', 's', '(-', '+'],
      ['XRANGE', 's', '-', '(+'],
      ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'],
      ['XRANGE', 's', '-', '(0-0'],
      ['XRANGE', 's', '(0-0', '(1-1'],
      ['XREVRANGE', 's', '+', '-'],
      ['XREVRANGE', 's', '+', '-', 'COUNT', '5'],
      ['XREVRANGE', 's', '(5', '(2-2'],
      ['XREVRANGE', 's', '3', '3'],
      ['XREVRANGE', 's', '-', '+'],
      ['XRANGE', 'nokey', '-', '+'],
      ['XRANGE', 'nokey', '-', '+', 'COUNT', '0'],
      ['SET', 'str', 'x'],
      ['XRANGE', 'str', '-', '+', 'COUNT', '0'],
      ['XREVRANGE', 'str', '+', '-'],
    ]);
  });

  test('XDEL and the deleted-entries bookkeeping in XINFO STREAM', async () => {
    const adds: Cmd[] = [];
    for (let i = 1; i <= 12; i++) adds.push(['XADD', 's', `${i}-1`, 'k', `v${i}`]);
    await check([
      ...adds,
      ['XDEL', 's', '1-1', '5-1', '99-1', '5-1'],
      ['XINFO', 'STREAM', 's'],
      ['XDEL', 's', 'bad'],
      ['XDEL', 's', '2-1', 'bad'],
      ['XRANGE', 's', '-', '+', 'COUNT', '2'],
      ['XDEL', 's', '2-1', '3-1', '4-1'],
      ['XINFO', 'STREAM', 's'],
      ['XDEL', 's', '12-1'],
      ['XINFO', 'STREAM', 's'],
      ['XADD', 's', '*-bad', 'a', 'b'],
      ['XDEL', 's', '6-1', '7-1', '8-1', '9-1', '10-1', '11-1'],
      ['XINFO', 'STREAM', 's'],
      ['XLEN', 's'],
      ['XRANGE', 's', '-', '+'],
      ['XADD', 's', '12-1', 'a', 'b'],
      ['XADD', 's', '12-2', 'a', 'b'],
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'STREAM', 's', 'FULL'],
      ['XDEL', 'nokey', '1-1'],
    ]);
  });

  test('XTRIM and XADD trimming: MAXLEN / MINID, exact and ~, LIMIT', async () => {
    const adds = (key: string, n: number, from = 1): Cmd[] => Array.from({ length: n }, (_, i) => ['XADD', key, `${from + i}-0`, 'f', String(i)]);
    await check([
      ...adds('s', 350),
      ['XTRIM', 's', 'MAXLEN', '~', '290'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '150', 'LIMIT', '60'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '150', 'LIMIT', '0'],
      ['XLEN', 's'],
      ['XTRIM', 's', 'MAXLEN', '=', '99'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MINID', '~', '280'],
      ['XTRIM', 's', 'MINID', '300'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MINID', '(300'],
      ['XTRIM', 's', 'MAXLEN', '0'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's'],
      ['XTRIM', 's', 'MAXLEN'],
      ['XTRIM', 's', 'FOO', '1'],
      ['XTRIM', 's', 'LIMIT', '1', 'MAXLEN', '1'],
      ['XTRIM', 's', 'MAXLEN', '1', 'LIMIT', '1'],
      ['XTRIM', 'nokey', 'MAXLEN', '1'],
      ...adds('t', 20),
      ['XADD', 't', 'MAXLEN', '5', '100-0', 'f', 'v'],
      ['XADD', 't', 'MAXLEN', '~', '2', '101-0', 'f', 'v'],
      ['XADD', 't', 'MINID', '100', '102-0', 'f', 'v'],
      ['XRANGE', 't', '-', '+'],
      ['XINFO', 'STREAM', 't'],
      ...adds('u', 250),
      ['XADD', 'u', 'MAXLEN', '~', '10', '1000-0', 'f', 'v'],
      ['XLEN', 'u'],
      ['XADD', 'u', 'MAXLEN', '~', '10', 'LIMIT', '100', '1001-0', 'f', 'v'],
      ['XLEN', 'u'],
      ['XINFO', 'STREAM', 'u'],
    ]);
  });

  test('node boundaries: big entries and mixed field sets (radix-tree-keys, ~ trimming)', async () => {
    const cmds: Cmd[] = [];
    for (let i = 1; i <= 60; i++) {
      const fields = i % 3 === 0 ? ['other', 'x'.repeat(i * 7)] : ['f', 'y'.repeat((i * 37) % 300), 'n', String(i * 1000)];
      cmds.push(['XADD', 's', `${i}-0`, ...fields]);
      if (i % 10 === 0) cmds.push(['XINFO', 'STREAM', 's']);
    }
    cmds.push(['XTRIM', 's', 'MAXLEN', '~', '30'], ['XINFO', 'STREAM', 's'], ['XDEL', 's', '40-0', '41-0', '42-0'], ['XINFO', 'STREAM', 's']);
    await check(cmds);
  });

  test('consumer groups: XGROUP subcommands and their errors', async () => {
    await check([
      ['XGROUP', 'CREATE', 's', 'g', '$'],
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
      ['XGROUP', 'CREATE', 's', 'g2', '$', 'ENTRIESREAD', '1000'],
      ['XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', '-1'],
      ['XGROUP', 'CREATE', 's', 'g4', '$', 'ENTRIESREAD', '-5'],
      ['XGROUP', 'CREATE', 's', 'g4', '$', 'ENTRIESREAD', 'x'],
      ['XGROUP', 'CREATE', 's', 'g4', '$', 'ENTRIESREAD'],
      ['XGROUP', 'create', 's', 'g4', '$', 'foo'],
      ['XGROUP', 'CREATE', 's', 'g4', '$', 'MKSTREAM', 'MKSTREAM', 'ENTRIESREAD', '1'],
      ['XGROUP', 'CREATE', 's', 'g4', '+'],
      ['XGROUP', 'CREATE', 's', 'g4', '1-*'],
      ['XGROUP', 'CREATE', 's'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'nog', '$'],
      ['XGROUP', 'SETID', 'nokey', 'g', '$'],
      ['XGROUP', 'SETID', 's', 'g', '5', 'ENTRIESREAD', '3'],
      ['XGROUP', 'SETID', 's', 'g', '5', 'ENTRIESREAD'],
      ['XGROUP', 'SETID', 's', 'g', '5', 'FOO', '3'],
      ['XGROUP', 'SETID', 's', 'g', '5', 'ENTRIESREAD', '-3'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'g', '+'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'g', '-'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'],
      ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'c1'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c0'],
      ['XINFO', 'CONSUMERS', 's', 'g'],
      ['XINFO', 'CONSUMERS', 's', 'nog'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'],
      ['XGROUP', 'DELCONSUMER', 's', 'nog', 'c1'],
      ['XGROUP', 'DESTROY', 's', 'g'],
      ['XGROUP', 'DESTROY', 's', 'g'],
      ['XGROUP', 'DESTROY', 'nokey', 'g'],
      ['XGROUP', 'HELP'],
      ['XGROUP', 'HELP', 'x'],
      ['XGROUP', 'FOO'],
      ['XGROUP'],
      ['SET', 'str', 'x'],
      ['XGROUP', 'DESTROY', 'str', 'g'],
      ['XGROUP', 'CREATE', 'str', 'g', '$', 'MKSTREAM'],
      ['XINFO', 'HELP'],
      ['XINFO', 'HELP', 'x'],
      ['XINFO', 'FOO', 'k'],
      ['XINFO', 'STREAM', 'nokey'],
      ['XINFO', 'STREAM', 's', 'FULL', 'x'],
      ['XINFO', 'STREAM', 's', 'x'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '-5'],
      ['XINFO', 'STREAM', 'str'],
    ]);
  });

  test('group flow: read, pending, ack, entries-read and lag through deletions and trims', async () => {
    await check([
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '1-2', 'a', '2'],
      ['XADD', 's', '2-1', 'b', '3', 'c', '4'],
      ['XADD', 's', '3-0', 'a', '5'],
      ['XADD', 's', '4-0', 'a', '6'],
      ['XGROUP', 'CREATE', 's', 'g1', '0'],
      ['XGROUP', 'CREATE', 's', 'g2', '$'],
      ['XGROUP', 'CREATE', 's', 'g3', '2-1'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g1', 'bob', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g1', 'bob', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g1', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '1', 'STREAMS', 's', '1-1'],
      ['XREADGROUP', 'GROUP', 'g1', 'nobody', 'STREAMS', 's', '0'],
      ['XPENDING', 's', 'g1'],
      ['XPENDING', 's', 'g1', '-', '+', '10'],
      ['XPENDING', 's', 'g1', '-', '+', '10', 'bob'],
      ['XPENDING', 's', 'g1', '(1-1', '(4-0', '10'],
      ['XPENDING', 's', 'g1', 'IDLE', '0', '-', '+', '2'],
      ['XPENDING', 's', 'g1', 'IDLE', '1000000', '-', '+', '2'],
      ['XPENDING', 's', 'g1', '-', '+', '10', 'nobody-here'],
      ['XPENDING', 's', 'g1', '-', '+', '0'],
      ['XPENDING', 's', 'g1', '-', '+'],
      ['XPENDING', 's', 'g1', 'IDLE', '5', '-', '+'],
      ['XPENDING', 's', 'g1', 'x', '+', '5'],
      ['XPENDING', 's', 'g1', '-', '+', 'x'],
      ['XPENDING', 's', 'g1', 'IDLE', 'x', '-', '+', '5'],
      ['XPENDING', 's', 'nog'],
      ['XPENDING', 'nokey', 'g1'],
      ['XACK', 's', 'g1', '1-1', '9-9', '1-1'],
      ['XACK', 's', 'g1', 'bad'],
      ['XACK', 's', 'nog', '1-2'],
      ['XDEL', 's', '1-2'],
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'GROUPS', 's'],
      ['XREADGROUP', 'GROUP', 'g1', 'alice', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g3', 'carol', 'NOACK', 'STREAMS', 's', '>'],
      ['XINFO', 'GROUPS', 's'],
      ['XPENDING', 's', 'g3'],
      ['XADD', 's', '5-0', 'a', '7'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'g2', '0'],
      ['XINFO', 'GROUPS', 's'],
      ['XGROUP', 'SETID', 's', 'g2', '3-0', 'ENTRIESREAD', '4'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '5-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XADD', 's', '6-0', 'a', '8'],
      ['XINFO', 'GROUPS', 's'],
      ['XTRIM', 's', 'MAXLEN', '2'],
      ['XINFO', 'GROUPS', 's'],
      ['XDEL', 's', '4-0', '6-0'],
      ['XINFO', 'STREAM', 's'],
      ['XINFO', 'GROUPS', 's'],
      ['XADD', 's', '7-0', 'a', '9'],
      ['XINFO', 'GROUPS', 's'],
      ['XINFO', 'STREAM', 's', 'FULL'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1'],
      ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '0'],
      ['XINFO', 'CONSUMERS', 's', 'g1'],
      ['XGROUP', 'DELCONSUMER', 's', 'g1', 'bob'],
      ['XPENDING', 's', 'g1'],
      ['XGROUP', 'DESTROY', 's', 'g1'],
      ['XINFO', 'GROUPS', 's'],
    ]);
  });

  test('XSETID', async () => {
    await check([
      ['XADD', 's', '5-5', 'a', '1'],
      ['XADD', 's', '6-0', 'a', '1'],
      ['XSETID', 's', '5'],
      ['XSETID', 's', '6-0'],
      ['XSETID', 's', '7-0', 'ENTRIESADDED', '1'],
      ['XSETID', 's', '7-0', 'ENTRIESADDED', '-1'],
      ['XSETID', 's', '7-0', 'ENTRIESADDED', '10', 'MAXDELETEDID', '8-0'],
      ['XSETID', 's', '7-0', 'ENTRIESADDED', '10', 'MAXDELETEDID', '6-5'],
      ['XSETID', 's', '7-0', 'FOO', '1'],
      ['XSETID', 's', '7-0', 'ENTRIESADDED'],
      ['XINFO', 'STREAM', 's'],
      ['XSETID', 's', '6-9'],
      ['XADD', 's', '7-0', 'a', '1'],
      ['XADD', 's', '7-1', 'a', '1'],
      ['XDEL', 's', '7-1'],
      ['XSETID', 's', '7-0'],
      ['XSETID', 's', '-'],
      ['XSETID', 'nokey', '1-1'],
      ['XSETID', 's', '18446744073709551615-18446744073709551615'],
      ['XADD', 's', '*', 'a', '1'],
      ['XINFO', 'STREAM', 's'],
    ]);
  });

  test('XCLAIM and XAUTOCLAIM: options, deleted entries, cursors', async () => {
    const adds: Cmd[] = [];
    for (let i = 1; i <= 12; i++) adds.push(['XADD', 's', `${i}-0`, 'n', String(i)]);
    await check([
      ...adds,
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '10', 'STREAMS', 's', '>'],
      ['XCLAIM', 's', 'g', 'c2', '0', '1-0', '2-0', '11-0'],
      ['XCLAIM', 's', 'g', 'c3', '0', '99-0'],
      ['XINFO', 'CONSUMERS', 's', 'g'],
      ['XCLAIM', 's', 'g', 'c3', '0', '3-0', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'c3', '0', '4-0', 'RETRYCOUNT', '7'],
      ['XCLAIM', 's', 'g', 'c3', '0', '5-0', 'IDLE', '500000'],
      ['XPENDING', 's', 'g', 'IDLE', '400000', '-', '+', '10'],
      ['XCLAIM', 's', 'g', 'c4', '400000', '5-0', '6-0'],
      ['XCLAIM', 's', 'g', 'c4', '0', '6-0', 'TIME', '1000'],
      ['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10'],
      ['XCLAIM', 's', 'g', 'c4', '0', '11-0'],
      ['XCLAIM', 's', 'g', 'c4', '0', '11-0', 'FORCE'],
      ['XCLAIM', 's', 'g', 'c4', '0', '12-0', 'FORCE', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'c4', '0', '7-0', 'LASTID', '20-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XCLAIM', 's', 'g', 'c4', '0', '7-0', 'LASTID', 'bad'],
      ['XCLAIM', 's', 'g', 'c4', '0', '7-0', 'FOO'],
      ['XCLAIM', 's', 'g', 'c4', 'x', '7-0'],
      ['XCLAIM', 's', 'g', 'c4', '0', '7-0', 'IDLE', 'x'],
      ['XCLAIM', 's', 'g', 'c4', '0', '7-0', 'TIME', 'x'],
      ['XCLAIM', 's', 'g', 'c4', '0', '7-0', 'RETRYCOUNT', 'x'],
      ['XCLAIM', 's', 'nog', 'c4', '0', '7-0'],
      ['XCLAIM', 'nokey', 'g', 'c4', '0', '7-0'],
      ['XPENDING', 's', 'g', '-', '+', '20'],
      ['XDEL', 's', '2-0', '6-0'],
      ['XCLAIM', 's', 'g', 'c5', '0', '2-0', '7-0'],
      ['XPENDING', 's', 'g', '-', '+', '20'],
      ['XAUTOCLAIM', 's', 'g', 'c6', '0', '0', 'COUNT', '2'],
      ['XAUTOCLAIM', 's', 'g', 'c6', '0', '(3-0', 'COUNT', '2', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'c6', '100000000', '0'],
      ['XDEL', 's', '8-0', '9-0', '10-0'],
      ['XAUTOCLAIM', 's', 'g', 'c7', '0', '0', 'COUNT', '1'],
      ['XAUTOCLAIM', 's', 'g', 'c7', '0', '0'],
      ['XPENDING', 's', 'g', '-', '+', '20'],
      ['XINFO', 'CONSUMERS', 's', 'g'],
      ['XAUTOCLAIM', 's', 'g', 'c7', '0', '0', 'COUNT', '0'],
      ['XAUTOCLAIM', 's', 'g', 'c7', '0', '0', 'COUNT', 'x'],
      ['XAUTOCLAIM', 's', 'g', 'c7', '0', '0', 'FOO'],
      ['XAUTOCLAIM', 's', 'g', 'c7', 'x', '0'],
      ['XAUTOCLAIM', 's', 'g', 'c7', '0', '(18446744073709551615-18446744073709551615'],
      ['XAUTOCLAIM', 's', 'nog', 'c7', '0', '0'],
      ['XAUTOCLAIM', 'nokey', 'g', 'c7', '0', '0'],
      ['XINFO', 'STREAM', 's', 'FULL'],
    ]);
  });

  test('XREAD / XREADGROUP without blocking: errors and shapes, RESP3 too', async () => {
    const flow: Cmd[] = [
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '2-1', 'b', '2'],
      ['XADD', 't', '1-5', 'c', '3'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREAD', 'STREAMS', 's', '0'],
      ['XREAD', 'COUNT', '1', 'STREAMS', 's', 't', '0', '0'],
      ['XREAD', 'STREAMS', 's', 't', '1-1', '$'],
      ['XREAD', 'STREAMS', 's', 'nokey', '2-1', '0'],
      ['XREAD', 'STREAMS', 's', '18446744073709551615-18446744073709551615'],
      ['XREAD', 'STREAMS', 's', '+'],
      ['XREAD', 'STREAMS', 's', '$', 'x'],
      ['xreadgroup', 'group', 'g', 'c', 'STREAMS', 's', '$', 'x'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$'],
      ['XREAD', 'STREAMS', 's', '>'],
      ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'],
      ['XREAD', 'NOACK', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'STREAMS', 's', '0', 'x', 'y'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 't', '>', '>'],
      ['XREAD', 'BLOCK', '-1', 'STREAMS', 's', '0'],
      ['XREAD', 'BLOCK', 'x', 'STREAMS', 's', '0'],
      ['XREAD', 'COUNT', 'x', 'STREAMS', 's', '0'],
      ['XREAD', 'FOO', 'STREAMS', 's', '0'],
      ['XREAD', 'COUNT', '1', 'BLOCK', '1'],
      ['XREAD', 'STREAMS', 's', '0', 'str', '0'],
      ['SET', 'str', 'x'],
      ['XREAD', 'STREAMS', 'str', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '10', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '1-1'],
      ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '0'],
      ['XINFO', 'CONSUMERS', 's', 'g'],
    ];
    await check(flow);
    if (!d) return;
    await d.check([['HELLO', '3']], () => null);
    try {
      await check(flow);
    } finally {
      await d.check([['HELLO', '2']], () => null);
    }
  });

  test('randomized sequences with explicit IDs (seeded)', async () => {
    if (!d) return;
    const id = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 })).map(([ms, seq]) => `${ms}-${seq}`);
    const bound = fc.oneof(id, fc.constantFrom('-', '+'), id.map((x) => `(${x}`), fc.integer({ min: 0, max: 40 }).map(String));
    const key = fc.constantFrom('s', 't');
    const group = fc.constantFrom('g1', 'g2');
    const consumer = fc.constantFrom('c1', 'c2', 'c3');
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      { weight: 8, arbitrary: fc.tuple(key, id, fc.constantFrom('f', 'g'), fc.string({ maxLength: 5 })).map(([k, i, f, v]) => ['XADD', k, i, f, v]) },
      { weight: 2, arbitrary: fc.tuple(key, fc.integer({ min: 0, max: 40 })).map(([k, ms]) => ['XADD', k, `${ms}-*`, 'f', 'v']) },
      { weight: 2, arbitrary: fc.tuple(key, fc.array(id, { minLength: 1, maxLength: 3 })).map(([k, ids]) => ['XDEL', k, ...ids]) },
      {
        weight: 2,
        arbitrary: fc.tuple(key, fc.constantFrom('MAXLEN', 'MINID'), fc.constantFrom('=', '~', ''), fc.integer({ min: 0, max: 30 }), fc.boolean()).map(
          ([k, strat, op, n, lim]) => ['XTRIM', k, strat, ...(op ? [op] : []), strat === 'MAXLEN' ? String(n) : `${n}-0`, ...(lim && op === '~' ? ['LIMIT', '2'] : [])],
        ),
      },
      { weight: 3, arbitrary: fc.tuple(key, bound, bound, fc.integer({ min: -1, max: 5 })).map(([k, a, b, n]) => ['XRANGE', k, a, b, 'COUNT', n]) },
      { weight: 2, arbitrary: fc.tuple(key, bound, bound).map(([k, a, b]) => ['XREVRANGE', k, a, b]) },
      { weight: 1, arbitrary: key.map((k) => ['XLEN', k]) },
      { weight: 2, arbitrary: fc.tuple(key, group, fc.oneof(id, fc.constant('$'))).map(([k, g, i]) => ['XGROUP', 'CREATE', k, g, i, 'MKSTREAM']) },
      { weight: 1, arbitrary: fc.tuple(key, group, id).map(([k, g, i]) => ['XGROUP', 'SETID', k, g, i]) },
      {
        weight: 5,
        arbitrary: fc.tuple(key, group, consumer, fc.integer({ min: 0, max: 4 }), fc.oneof(fc.constant('>'), fc.constant('>'), id), fc.boolean()).map(
          ([k, g, c, n, i, noack]) => ['XREADGROUP', 'GROUP', g, c, 'COUNT', n, ...(noack ? ['NOACK'] : []), 'STREAMS', k, i],
        ),
      },
      { weight: 3, arbitrary: fc.tuple(key, group, fc.array(id, { minLength: 1, maxLength: 3 })).map(([k, g, ids]) => ['XACK', k, g, ...ids]) },
      { weight: 2, arbitrary: fc.tuple(key, group).map(([k, g]) => ['XPENDING', k, g]) },
      { weight: 2, arbitrary: fc.tuple(key, group, bound, bound, fc.integer({ min: 0, max: 5 })).map(([k, g, a, b, n]) => ['XPENDING', k, g, a, b, n]) },
      {
        weight: 2,
        arbitrary: fc.tuple(key, group, consumer, fc.array(id, { minLength: 1, maxLength: 3 }), fc.constantFrom([], ['JUSTID'], ['FORCE'], ['RETRYCOUNT', '3'])).map(
          ([k, g, c, ids, opts]) => ['XCLAIM', k, g, c, '0', ...ids, ...opts],
        ),
      },
      {
        weight: 2,
        arbitrary: fc.tuple(key, group, consumer, id, fc.integer({ min: 1, max: 4 }), fc.boolean()).map(
          ([k, g, c, i, n, j]) => ['XAUTOCLAIM', k, g, c, '0', i, 'COUNT', n, ...(j ? ['JUSTID'] : [])],
        ),
      },
      { weight: 2, arbitrary: key.map((k) => ['XINFO', 'STREAM', k]) },
      { weight: 2, arbitrary: key.map((k) => ['XINFO', 'GROUPS', k]) },
      { weight: 1, arbitrary: key.map((k) => ['XINFO', 'STREAM', k, 'FULL']) },
      { weight: 1, arbitrary: fc.tuple(key, group, consumer).map(([k, g, c]) => ['XGROUP', 'DELCONSUMER', k, g, c]) },
      { weight: 1, arbitrary: fc.tuple(key, group).map(([k, g]) => ['XINFO', 'CONSUMERS', k, g]) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 10, maxLength: 60 }), async (cmds) => {
        await d!.check([['FLUSHALL'], ...cmds], normalize);
      }),
      { seed: Number(process.env.STREAM_FUZZ_SEED ?? 20240607), numRuns: Number(process.env.STREAM_FUZZ_RUNS ?? 60) },
    );
  }, 120000);
});

describe('streams with small nodes (stream-node-max-entries 4)', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start(['--stream-node-max-entries', '4']);
  });
  afterAll(async () => {
    await d?.stop();
  });

  test('approximate trimming and node counts follow the node layout', async () => {
    if (!d) return;
    const cmds: Cmd[] = [['FLUSHALL']];
    for (let i = 1; i <= 30; i++) cmds.push(['XADD', 's', `${i}-0`, 'f', String(i)]);
    cmds.push(
      ['XINFO', 'STREAM', 's'],
      ['XDEL', 's', '2-0', '5-0', '6-0', '7-0', '8-0'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MAXLEN', '~', '20'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MINID', '~', '19'],
      ['XINFO', 'STREAM', 's'],
      ['XTRIM', 's', 'MINID', '~', '30', 'LIMIT', '4'],
      ['XINFO', 'STREAM', 's'],
      ['XADD', 's', 'MAXLEN', '~', '3', '31-0', 'f', 'x'],
      ['XINFO', 'STREAM', 's'],
      ['XRANGE', 's', '-', '+'],
      ['XREVRANGE', 's', '+', '-', 'COUNT', '3'],
    );
    await d.check(cmds, normalize);
  });
});

describe('blocking XREAD / XREADGROUP', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  /** Runs `scenario` against both servers (fresh connections) and returns both results. */
  async function both<T>(scenario: (port: number) => Promise<T>): Promise<[T, T]> {
    return Promise.all([scenario(d!.ours.port), scenario(d!.theirs.port)]);
  }

  test('XREAD BLOCK with $ is served by a later XADD; several keys; timeout answers a null array', async () => {
    if (!d) return;
    const [ours, theirs] = await both((port) => withClients(port, 2, async ([a, b]) => {
      await a.call('FLUSHALL');
      await a.call('XADD', 's', '1-0', 'old', 'x');
      const pending = b.call('XREAD', 'BLOCK', '0', 'STREAMS', 'other', 's', '$', '$');
      await waitBlocked(a, 1);
      const added = await a.call('XADD', 's', '2-0', 'new', 'y');
      const got = await pending;
      const timeout = await b.call('XREAD', 'BLOCK', '50', 'STREAMS', 's', '$');
      const pending2 = b.call('XREAD', 'BLOCK', '0', 'COUNT', '1', 'STREAMS', 's', '0-0');
      const immediate = await pending2; // served at once: there is data after 0-0
      const pending3 = b.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', 'other', '2-0', '0');
      await waitBlocked(a, 1);
      await a.call('XADD', 'other', '5-0', 'k', 'v');
      const third = await pending3;
      return { added, got, timeout, immediate, third };
    }));
    expect(ours).toEqual(theirs);
    expect(theirs.got).toEqual([['s', [['2-0', ['new', 'y']]]]]);
    expect(theirs.timeout).toBeNull();
  });

  test('XREADGROUP BLOCK delivers new entries, fills the PEL, and a pipelined command waits its turn', async () => {
    if (!d) return;
    const [ours, theirs] = await both((port) => withClients(port, 2, async ([a, b]) => {
      await a.call('FLUSHALL');
      await a.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
      const replies = b.sendMany(
        '*9\r\n$10\r\nXREADGROUP\r\n$5\r\nGROUP\r\n$1\r\ng\r\n$5\r\nalice\r\n$5\r\nBLOCK\r\n$1\r\n0\r\n$7\r\nSTREAMS\r\n$1\r\ns\r\n$1\r\n>\r\n*2\r\n$4\r\nXLEN\r\n$1\r\ns\r\n',
        2,
      );
      await waitBlocked(a, 1);
      await a.call('XADD', 's', '1-0', 'a', '1');
      const [read, len] = await replies;
      const pending = await a.call('XPENDING', 's', 'g');
      const groups = await a.call('XINFO', 'GROUPS', 's');
      return { read, len, pending, groups };
    }));
    expect(ours).toEqual(theirs);
    expect(theirs.read).toEqual([['s', [['1-0', ['a', '1']]]]]);
    expect(theirs.len).toBe(1);
  });

  test('XREADGROUP blocked: the group destroyed answers NOGROUP, the key overwritten answers UNBLOCKED', async () => {
    if (!d) return;
    const [ours, theirs] = await both((port) => withClients(port, 2, async ([a, b]) => {
      await a.call('FLUSHALL');
      await a.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
      const p1 = b.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await waitBlocked(a, 1);
      await a.call('XGROUP', 'DESTROY', 's', 'g');
      const destroyed = await p1;
      await a.call('XGROUP', 'CREATE', 's', 'g', '$');
      const p2 = b.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      await waitBlocked(a, 1);
      await a.call('SET', 's', 'now a string');
      const overwritten = await p2;
      const p3 = b.call('XREAD', 'BLOCK', '2000', 'STREAMS', 'x', '$');
      await waitBlocked(a, 1); // the SET must come after the read blocked, or the read sees a string
      await a.call('SET', 'x', 'string');
      const xreadAfterSet = await p3;
      return { destroyed, overwritten, xreadAfterSet };
    }));
    expect(ours).toEqual(theirs);
    expect(theirs.destroyed).toEqual({ error: 'NOGROUP the consumer group this client was blocked on no longer exists' });
    expect(theirs.overwritten).toEqual({ error: 'UNBLOCKED the stream key no longer exists' });
  });

  test('RESP3: blocked XREAD answers a map', async () => {
    if (!d) return;
    const [ours, theirs] = await both((port) => withClients(port, 2, async ([a, b]) => {
      await a.call('FLUSHALL');
      await b.call('HELLO', '3');
      const p = b.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await waitBlocked(a, 1);
      await a.call('XADD', 's', '3-3', 'k', 'v');
      const got = await p;
      const timeout = await b.call('XREAD', 'BLOCK', '20', 'STREAMS', 's', '$');
      return { got, timeout };
    }));
    expect(ours).toEqual(theirs);
    expect(theirs.got).toEqual({ map: [['s', [['3-3', ['k', 'v']]]]] });
  });

  test('XADD * generates increasing IDs from the clock', async () => {
    if (!d) return;
    const c = await RespClient.connect(d.ours.port);
    try {
      const before = Date.now();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await c.call('XADD', 'auto', '*', 'i', i)) as string);
      for (const id of ids) expect(id).toMatch(/^\d+-\d+$/);
      const ms = Number(ids[0].split('-')[0]);
      expect(ms).toBeGreaterThanOrEqual(before - 1);
      expect(ms).toBeLessThanOrEqual(Date.now());
      for (let i = 1; i < ids.length; i++) {
        const [m0, s0] = ids[i - 1].split('-').map(Number);
        const [m1, s1] = ids[i].split('-').map(Number);
        expect(m1 > m0 || (m1 === m0 && s1 === s0 + 1)).toBe(true);
      }
      await c.call('XADD', 'auto', `${ms + 10_000_000}-5`, 'f', 'v');
      expect(await c.call('XADD', 'auto', '*', 'f', 'v')).toBe(`${ms + 10_000_000}-6`);
    } finally {
      c.close();
    }
  });
});

describe('stream keyspace notifications', () => {
  const script: string[][] = [
    ['XADD', 's', '1-0', 'a', '1'],
    ['XADD', 's', 'MAXLEN', '1', '2-0', 'a', '2'],
    ['XADD', 's', 'MAXLEN', '5', '3-0', 'a', '3'],
    ['XTRIM', 's', 'MAXLEN', '1'],
    ['XTRIM', 's', 'MAXLEN', '1'],
    ['XDEL', 's', '3-0'],
    ['XDEL', 's', '3-0'],
    ['XGROUP', 'CREATE', 's', 'g', '$'],
    ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
    ['XGROUP', 'SETID', 's', 'g', '0'],
    ['XADD', 's', '4-0', 'a', '4'],
    ['XREADGROUP', 'GROUP', 'g', 'newc', 'STREAMS', 's', '>'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'nobody'],
    ['XGROUP', 'DESTROY', 's', 'g'],
    ['XSETID', 's', '9-0'],
  ];

  test('events match redis-server', async () => {
    // Ours, in process: record what the node publishes.
    const config = new Config();
    config.set('notify-keyspace-events', ['KEA'], true);
    const server = createServer(config);
    const published: string[] = [];
    const hub = server.pubsub;
    // A subscriber, so the node publishes (it skips notifications nobody listens to).
    hub.subscribe(hub.patterns, '__key*__:*', server.fakeClient());
    const orig = hub.publish.bind(hub);
    hub.publish = (channel: string, message: string) => {
      published.push(`${channel} ${message}`);
      return orig(channel, message);
    };
    const client = server.fakeClient();
    for (const argv of script) server.call(client, argv);
    client.reply.take();

    const d = await Differential.start();
    if (!d) return;
    try {
      await d.b.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      const sub = await RespClient.connect(d.theirs.port);
      try {
        await sub.call('PSUBSCRIBE', '__key*__:*');
        for (const argv of script) await d.b.call(...argv);
        await d.b.call('PING');
        const theirs: string[] = [];
        for (let i = 0; i < published.length; i++) {
          const m = (await sub.next(2000)) as string[];
          theirs.push(`${m[2]} ${m[3]}`);
        }
        expect(published).toEqual(theirs);
        expect(await sub.call('PING')).toEqual(['pong', '']); // nothing more was published
        expect(published).toContain('__keyevent@0__:xgroup-createconsumer s');
      } finally {
        sub.close();
      }
    } finally {
      await d.stop();
    }
  });
});

describe('stream memory accounting and clone', () => {
  test('bytes and memory.dataset move together; deleting the key returns to the baseline; clone is deep', () => {
    const server = createServer(new Config());
    const c = server.fakeClient();
    const run = (...argv: string[]) => server.call(c, argv);
    const before = memory.dataset;
    for (let i = 1; i <= 300; i++) run('XADD', 's', `${i}-0`, 'field', `value-${i}`, 'n', String(i));
    run('XGROUP', 'CREATE', 's', 'g', '0');
    run('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '50', 'STREAMS', 's', '>');
    run('XCLAIM', 's', 'g', 'bob', '0', '1-0', '2-0');
    run('XDEL', 's', '3-0', '150-0');
    run('XTRIM', 's', 'MAXLEN', '~', '120');
    run('XACK', 's', 'g', '60-0', '61-0');
    const s = server.dbs[0].peek('s') as StreamObject;
    expect(s.bytes).toBeGreaterThan(300 * 20 / 3);
    expect(memory.dataset - before).toBe(KEY_OVERHEAD + stringBytes(1) + s.bytes);

    const copy = s.clone();
    expect(copy.bytes).toBe(s.bytes);
    expect(memory.dataset - before).toBe(KEY_OVERHEAD + stringBytes(1) + s.bytes); // a clone is not counted until stored
    server.dbs[0].set('t', copy);
    run('XADD', 't', '999-0', 'only', 'in-copy');
    run('XGROUP', 'DELCONSUMER', 't', 'g', 'bob');
    expect(s.length).toBe(copy.length - 1);
    expect(s.groups.get('g')!.consumers.has('bob')).toBe(true);
    expect(memory.dataset - before).toBe(2 * (KEY_OVERHEAD + stringBytes(1)) + s.bytes + copy.bytes);

    run('XGROUP', 'DESTROY', 's', 'g');
    run('XTRIM', 's', 'MAXLEN', '0');
    expect(memory.dataset - before).toBe(2 * (KEY_OVERHEAD + stringBytes(1)) + s.bytes + copy.bytes);
    server.dbs[0].delete('s');
    server.dbs[0].delete('t');
    expect(memory.dataset).toBe(before);
    c.reply.take();
  });
});
