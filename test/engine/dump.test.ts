import { expectSameDataset, populate, readDataset } from './dataset';
import { Differential, useDifferential } from './differential';
import { RunningNode, startNode, startRedis } from './nodes';
import { Resp, RespClient } from './resp-client';
import { withFooter } from '../../engine/server/rdb';

/*
 * DUMP / RESTORE and FUNCTION DUMP / RESTORE against redis-server 7.0: payloads of every type and
 * encoding go both ways, and the errors are the real server's.
 */

jest.setTimeout(120000);

const TINY = [
  '--hash-max-listpack-entries', '2', '--zset-max-listpack-entries', '2', '--set-max-intset-entries', '4',
  '--list-max-listpack-size', '3', '--stream-node-max-entries', '4',
];

const LIBRARY = "#!lua name=dumplib\nredis.register_function('dump_echo', function(keys, args) return args[1] end)";

const nodes: RunningNode[] = [];
const clients: RespClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
});

async function pair(config: string[]): Promise<{ ours: RespClient; theirs: RespClient }> {
  const r = await startRedis(config);
  if (!r) throw new Error('redis-server is required for the DUMP tests');
  nodes.push(r);
  const o = await startNode(config);
  nodes.push(o);
  const ours = await RespClient.connect(o.port);
  const theirs = await RespClient.connect(r.port);
  clients.push(ours, theirs);
  return { ours, theirs };
}

/** Copies every key of `from` to `to` with DUMP / RESTORE ... ABSTTL. */
async function copyAll(from: RespClient, to: RespClient): Promise<void> {
  const keys = await readDataset(from);
  for (const k of keys) {
    await from.call('SELECT', k.db);
    await to.call('SELECT', k.db);
    const payload = await from.call('DUMP', k.key);
    expect(typeof payload).toBe('string');
    const r = await to.call('RESTORE', k.key, Math.max(k.expireAt, 0), Buffer.from(payload as string, 'latin1'), 'ABSTTL');
    if (JSON.stringify(r) !== '{"simple":"OK"}') throw new Error(`RESTORE ${k.key}: ${JSON.stringify(r)}`);
  }
  await from.call('SELECT', 0);
  await to.call('SELECT', 0);
}

describe.each([
  ['default thresholds', [] as string[]],
  ['tiny thresholds', TINY],
])('DUMP payloads of every type (%s)', (_name, config) => {
  test('from redis-server restore into our node, and back', async () => {
    const { ours, theirs } = await pair(config);
    await populate(theirs);
    const expected = await readDataset(theirs);
    expect(expected.length).toBeGreaterThan(45);
    await copyAll(theirs, ours);
    expectSameDataset(await readDataset(ours), expected);
    await theirs.call('FLUSHALL');
    // deep checks of every payload we send (listpacks of stream nodes included)
    expect(await theirs.call('CONFIG', 'SET', 'sanitize-dump-payload', 'yes')).toEqual({ simple: 'OK' });
    await copyAll(ours, theirs);
    expectSameDataset(await readDataset(theirs), expected);
  });
});

describe('RESTORE errors and options, as redis-server answers', () => {
  let d: Differential;
  useDifferential((started) => {
    d = started;
  });

  /** A payload both servers accept (redis-server's DUMP of a small hash). */
  async function payloadOf(...setup: string[]): Promise<Buffer> {
    await d.both(...setup);
    const p = await d.b.call('DUMP', setup[1]);
    return Buffer.from(p as string, 'latin1');
  }

  test('errors and their order', async () => {
    const p = await payloadOf('HSET', 'h', 'f', 'v');
    const body = p.subarray(0, p.length - 10);
    const badCrc = Buffer.from(p);
    badCrc[badCrc.length - 1] = 255 - badCrc[badCrc.length - 1];
    const newer = Buffer.from(p);
    newer.writeUInt16LE(99, p.length - 10);
    const truncated = withFooter(body.subarray(0, body.length - 3));
    const unknownType = withFooter(Buffer.from([42, 1, 2, 3]));
    const emptyList = withFooter(Buffer.from([1, 0]));
    await d.check([
      ['DUMP', 'missing'],
      ['RESTORE', 'h', 0, p],
      ['RESTORE', 'h2', -1, p],
      ['RESTORE', 'h2', 'abc', p],
      ['RESTORE', 'h', 'abc', p],
      ['RESTORE', 'h2', 0, p, 'IDLETIME', 1, 'FREQ', 2],
      ['RESTORE', 'h2', 0, p, 'FREQ', 2, 'IDLETIME', 1],
      ['RESTORE', 'h2', 0, p, 'FREQ', 256],
      ['RESTORE', 'h2', 0, p, 'FREQ', 'x'],
      ['RESTORE', 'h2', 0, p, 'IDLETIME', -1],
      ['RESTORE', 'h2', 0, p, 'IDLETIME'],
      ['RESTORE', 'h2', 0, p, 'BOGUS'],
      ['RESTORE', 'h2', 0, badCrc],
      ['RESTORE', 'h2', 0, newer],
      ['RESTORE', 'h2', 0, 'short'],
      ['RESTORE', 'h2', 0, truncated],
      ['RESTORE', 'h2', 0, unknownType],
      ['RESTORE', 'h2', 0, emptyList],
      ['RESTORE', 'h2'],
      ['EXISTS', 'h2'],
      ['RESTORE', 'h', 0, p, 'REPLACE'],
      ['HGETALL', 'h'],
      ['SET', 'str', 'x'],
      ['RESTORE', 'str', 0, p, 'REPLACE'],
      ['TYPE', 'str'],
      // already expired: nothing is created, a replaced key is gone
      ['RESTORE', 'gone', 1000, p, 'ABSTTL'],
      ['EXISTS', 'gone'],
      ['RESTORE', 'h', 1000, p, 'ABSTTL', 'REPLACE'],
      ['EXISTS', 'h'],
      ['RESTORE', 'ttl', 100000, p],
      ['RESTORE', 'abs', 4102444800000, p, 'ABSTTL'],
      ['PEXPIRETIME', 'abs'],
    ]);
    const [a, b] = await d.both('PTTL', 'ttl');
    expect(Math.abs(Number(a) - Number(b))).toBeLessThan(2000);
    expect(Number(a)).toBeGreaterThan(90000);
  });

  test('IDLETIME under an LRU policy and FREQ under an LFU policy', async () => {
    const p = await payloadOf('SET', 'k', 'v');
    await d.both('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    await d.check([['RESTORE', 'idle', 0, p, 'IDLETIME', 1000], ['OBJECT', 'FREQ', 'idle']]);
    const [ia, ib] = await d.both('OBJECT', 'IDLETIME', 'idle');
    expect(ia).toBeGreaterThanOrEqual(1000);
    expect(ia).toBeLessThan(1003);
    expect(ib).toBeGreaterThanOrEqual(1000);
    await d.both('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    await d.check([['RESTORE', 'hot', 0, p, 'FREQ', 100], ['OBJECT', 'FREQ', 'hot'], ['OBJECT', 'IDLETIME', 'hot']]);
    await d.both('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
  });

  test('FUNCTION DUMP / RESTORE both ways, with the policies and their errors', async () => {
    const str = await payloadOf('SET', 'k', 'v');
    expect(await d.b.call('FUNCTION', 'LOAD', LIBRARY)).toBe('dumplib');
    const theirs = Buffer.from((await d.b.call('FUNCTION', 'DUMP')) as string, 'latin1');
    // redis-server's payload into our node
    expect(await d.a.call('FUNCTION', 'RESTORE', theirs)).toEqual({ simple: 'OK' });
    expect(await d.a.call('FCALL', 'dump_echo', 0, 'hello')).toBe('hello');
    const ours = Buffer.from((await d.a.call('FUNCTION', 'DUMP')) as string, 'latin1');
    const badCrc = Buffer.from(ours);
    badCrc[badCrc.length - 2] = 255 - badCrc[badCrc.length - 2];
    await d.check([
      ['FUNCTION', 'RESTORE', ours],
      ['FUNCTION', 'RESTORE', ours, 'APPEND'],
      ['FUNCTION', 'RESTORE', ours, 'REPLACE'],
      ['FUNCTION', 'RESTORE', ours, 'BOGUS'],
      ['FUNCTION', 'RESTORE', ours, 'FLUSH', 'X'],
      ['FUNCTION', 'RESTORE', badCrc],
      ['FUNCTION', 'RESTORE', str],
      ['FCALL', 'dump_echo', 0, 'x'],
      ['FUNCTION', 'FLUSH'],
      ['FCALL', 'dump_echo', 0, 'x'],
      ['FUNCTION', 'RESTORE', ours, 'FLUSH'],
      ['FCALL', 'dump_echo', 0, 'y'],
    ], (_cmd: string[], r: Resp) => r);
    // our payload restores into redis-server after a flush
    expect(await d.b.call('FUNCTION', 'DELETE', 'dumplib')).toEqual({ simple: 'OK' });
    expect(await d.b.call('FUNCTION', 'RESTORE', ours)).toEqual({ simple: 'OK' });
    expect(await d.b.call('FCALL', 'dump_echo', 0, 'back')).toBe('back');
  });
});
