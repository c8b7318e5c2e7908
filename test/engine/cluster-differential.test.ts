import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './cluster-helpers';
import { sorted } from './differential';
import { RunningNode, startNode, startRedis, waitFor } from './nodes';
import { RespClient, Resp } from './resp-client';

/**
 * Differential tests against Debian's redis-server in cluster mode: on each side a two-node cluster
 * (A: slots 0-8000, B: 8001-16383) built with the same commands; A's replies must equal, with B's
 * port written as PORT. Behaviour that Valkey changed after Redis 7.0 is left out and named.
 */
interface Side {
  a: RunningNode;
  b: RunningNode;
  ca: RespClient;
  cb: RespClient;
  ida: string;
  idb: string;
}

describe('cluster mode, differential against redis-server --cluster-enabled yes', () => {
  let dir: string;
  let ours: Side;
  let theirs: Side | undefined;

  async function side(start: (d: string[]) => Promise<RunningNode | undefined>, tag: string): Promise<Side | undefined> {
    const conf = (n: string) => ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `${tag}-${n}.conf`), '--cluster-node-timeout', '2000'];
    const a = await start(conf('a'));
    if (!a) return undefined;
    const b = (await start(conf('b')))!;
    const ca = await RespClient.connect(a.port);
    const cb = await RespClient.connect(b.port);
    await ca.call('CLUSTER', 'ADDSLOTSRANGE', 0, 8000);
    await cb.call('CLUSTER', 'ADDSLOTSRANGE', 8001, 16383);
    await ca.call('CLUSTER', 'MEET', '127.0.0.1', b.port);
    await waitFor(async () => {
      const [x, y] = await Promise.all([ca.call('CLUSTER', 'INFO'), cb.call('CLUSTER', 'INFO')]);
      return [x, y].every((r) => JSON.stringify(r).includes('cluster_state:ok') && JSON.stringify(r).includes('cluster_known_nodes:2'));
    }, `${tag} cluster to form`);
    const ida = (await ca.call('CLUSTER', 'MYID')) as string;
    const idb = (await cb.call('CLUSTER', 'MYID')) as string;
    return { a, b, ca, cb, ida, idb };
  }

  beforeAll(async () => {
    dir = tempDir();
    theirs = await side(startRedis, 'redis');
    ours = (await side(startNode, 'ours'))!;
  }, 60000);

  afterAll(async () => {
    for (const s of [ours, theirs]) {
      if (!s) continue;
      s.ca.close();
      s.cb.close();
      await Promise.all([s.a.stop(), s.b.stop()]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Replaces a side's own ids and ports by placeholders. */
  function normalize(s: Side, r: Resp): string {
    return JSON.stringify(r).split(s.idb).join('IDB').split(s.ida).join('IDA').split(String(s.b.port)).join('PORTB').split(String(s.a.port)).join('PORTA');
  }

  async function check(commands: Array<Array<string | number>>, opts: { on?: 'a' | 'b'; unordered?: boolean } = {}): Promise<void> {
    if (!theirs) throw new Error('redis-server is required for the differential tests');
    for (const cmd of commands) {
      const sub = (s: Side) => cmd.map((x) => (x === 'IDA' ? s.ida : x === 'IDB' ? s.idb : x === 'PORTB' ? s.b.port : x));
      const pick = (s: Side) => (opts.on === 'b' ? s.cb : s.ca);
      let [x, y] = await Promise.all([pick(ours).call(...sub(ours)), pick(theirs).call(...sub(theirs))]);
      if (opts.unordered) [x, y] = [sorted(x), sorted(y)];
      const nx = normalize(ours, x);
      const ny = normalize(theirs, y);
      if (nx !== ny) throw new Error(`differs on ${JSON.stringify(cmd)}:\n  ours:  ${nx}\n  redis: ${ny}`);
    }
  }

  test('KEYSLOT (hash tags, binary keys), COUNTKEYSINSLOT, GETKEYSINSLOT and their errors', async () => {
    await check([
      ['CLUSTER', 'KEYSLOT', 'foo'], ['CLUSTER', 'KEYSLOT', '{user1000}.following'], ['CLUSTER', 'KEYSLOT', 'foo{}{bar}'],
      ['CLUSTER', 'KEYSLOT', 'foo{{bar}}zap'], ['CLUSTER', 'KEYSLOT', 'foo{bar}{zap}'], ['CLUSTER', 'KEYSLOT', ''], ['CLUSTER', 'KEYSLOT', '\xff\x00\xe9'],
      ['CLUSTER', 'KEYSLOT'], ['CLUSTER', 'KEYSLOT', 'a', 'b'],
      ['SET', '{t}1', 'x'], ['SET', '{t}2', 'y'], ['RPUSH', '{t}3', 'z'], ['SET', 'b', '1'],
      ['CLUSTER', 'COUNTKEYSINSLOT', 6918], ['CLUSTER', 'COUNTKEYSINSLOT', 0], ['CLUSTER', 'COUNTKEYSINSLOT', 16384],
      ['CLUSTER', 'COUNTKEYSINSLOT', -1], ['CLUSTER', 'COUNTKEYSINSLOT', 'x'],
      ['CLUSTER', 'GETKEYSINSLOT', 6918, 0], ['CLUSTER', 'GETKEYSINSLOT', 16384, 1], ['CLUSTER', 'GETKEYSINSLOT', 1, -1],
      ['CLUSTER', 'GETKEYSINSLOT', 'x', 1], ['CLUSTER', 'GETKEYSINSLOT', 1, 'x'],
    ]);
    await check([['CLUSTER', 'GETKEYSINSLOT', 6918, 10]], { unordered: true });
    await check([['DEL', '{t}1', '{t}2', '{t}3'], ['DEL', 'b']]);
  });

  test('CLUSTER SLOTS in RESP2 and RESP3, MYID and KEYSLOT in RESP3', async () => {
    await check([['CLUSTER', 'SLOTS']]);
    for (const s of [ours, theirs!]) await s.ca.call('HELLO', 3);
    try {
      await check([['CLUSTER', 'SLOTS'], ['CLUSTER', 'KEYSLOT', 'a'], ['CLUSTER', 'MYID'], ['GET', 'foo'], ['CLUSTER', 'COUNTKEYSINSLOT', 1]]);
    } finally {
      for (const s of [ours, theirs!]) await s.ca.call('HELLO', 2);
    }
  });

  test('redirections: MOVED, CROSSSLOT, transactions, scripts, SELECT, sharded pub/sub', async () => {
    await check([
      ['GET', 'foo'], ['SET', 'foo', 'x'], ['MGET', 'b', 'foo'], ['MSET', 'a', '1', 'b', '2'], ['DEL', 'b', 'c'],
      ['EXISTS', 'foo'], ['SPUBLISH', 'foo', 'm'], ['SPUBLISH', 'b', 'm'],
      ['SELECT', 1], ['SELECT', 0],
      ['MULTI'], ['SET', 'b', '1'], ['SET', 'foo', '1'], ['EXEC'],
      ['MULTI'], ['SET', 'b', '1'], ['SET', '{b}x', '1'], ['EXEC'],
      ['MULTI'], ['SET', 'b', '1'], ['SET', 'c', '1'], ['EXEC'],
      ['GET', 'b'], ['DEL', 'b', '{b}x'],
      ['EVAL', "return redis.call('get', KEYS[1])", 1, 'foo'],
      ['EVAL', "return redis.call('get', KEYS[1])", 2, 'b', 'c'],
      ['EVAL', "redis.call('set', 'b', 1); return redis.call('set', 'c', 1)", 0],
      ['EVAL', "#!lua\nredis.call('set', 'b', 1); return redis.call('set', 'c', 1)", 0],
      ['EVAL', "return redis.call('get', 'foo')", 0],
      ['EVAL', '#!lua flags=no-cluster\nreturn 1', 0],
      ['EVAL', "#!lua flags=allow-cross-slot-keys\nredis.call('set', 'b', 1); return redis.call('set', 'c', 1)", 0],
      ['DEL', 'b'], ['DEL', 'c'],
      ['READONLY'], ['GET', 'foo'], ['READWRITE'], ['ASKING'], ['GET', 'foo'],
    ]);
  });

  test('slot administration errors and open slots', async () => {
    await check([
      ['CLUSTER', 'ADDSLOTS', 5], ['CLUSTER', 'ADDSLOTS', 9000], ['CLUSTER', 'ADDSLOTS', 16384], ['CLUSTER', 'ADDSLOTS', 'x'],
      ['CLUSTER', 'ADDSLOTSRANGE', 10, 5], ['CLUSTER', 'ADDSLOTSRANGE', 1, 2, 3], ['CLUSTER', 'DELSLOTSRANGE', 9001, 9000],
      ['CLUSTER', 'SETSLOT', 9000, 'MIGRATING', 'IDB'], ['CLUSTER', 'SETSLOT', 100, 'IMPORTING', 'IDB'],
      ['CLUSTER', 'SETSLOT', 100, 'MIGRATING', 'nope'], ['CLUSTER', 'SETSLOT', 9000, 'IMPORTING', 'nope'],
      ['CLUSTER', 'SETSLOT', 100, 'FOO'], ['CLUSTER', 'SETSLOT', 100, 'STABLE', 'x'], ['CLUSTER', 'SETSLOT', 16384, 'STABLE'],
      ['CLUSTER', 'SETSLOT', 100, 'NODE', 'nope'],
      ['CLUSTER', 'REPLICATE', 'nope'], ['CLUSTER', 'REPLICATE', 'IDA'], ['CLUSTER', 'REPLICATE', 'IDB'],
      ['CLUSTER', 'FORGET', 'nope'], ['CLUSTER', 'FORGET', 'IDA'],
      ['CLUSTER', 'MEET', '1.2.3', 5], ['CLUSTER', 'MEET', '127.0.0.1', 'x'],
      ['CLUSTER', 'FAILOVER'], ['CLUSTER', 'FAILOVER', 'foo'], ['CLUSTER', 'FAILOVER', 'force', 'x'], ['CLUSTER', 'RESET', 'a', 'b'], ['CLUSTER', 'RESET', 'foo'], ['CLUSTER', 'MEET', '1.1.1.1', 5, 6, 7],
      ['CLUSTER', 'BUMPEPOCH', 'x'], ['CLUSTER', 'SET-CONFIG-EPOCH', -1], ['CLUSTER', 'SET-CONFIG-EPOCH', 'x'],
      ['CLUSTER', 'SET-CONFIG-EPOCH', 5], ['CLUSTER', 'COUNT-FAILURE-REPORTS', 'nope'], ['CLUSTER', 'COUNT-FAILURE-REPORTS', 'IDB'],
      ['CLUSTER', 'REPLICAS', 'nope'], ['CLUSTER', 'NOSUCH'], ['CLUSTER', 'SLOTS', 'x'], ['CLUSTER', 'SHARDS', 'x'], ['CLUSTER', 'INFO', 'x'],
      // An open slot: ASK for a missing key while migrating, MOVED on the importing side without ASKING.
      ['SET', '{b}1', 'one'],
      ['CLUSTER', 'SETSLOT', 3300, 'MIGRATING', 'IDB'],
      ['GET', '{b}1'], ['GET', '{b}2'], ['SET', '{b}2', 'x'], ['MGET', '{b}2', '{b}3'],
      ['CLUSTER', 'SETSLOT', 3300, 'NODE', 'IDB'],
      ['CLUSTER', 'SETSLOT', 3300, 'STABLE'],
      ['GET', '{b}2'], ['DEL', '{b}1'],
    ]);
    await check([
      ['CLUSTER', 'SETSLOT', 3300, 'IMPORTING', 'IDA'], ['GET', '{b}1'], ['ASKING'], ['GET', '{b}1'], ['SET', '{b}1', 'y'],
      ['CLUSTER', 'SETSLOT', 3300, 'STABLE'], ['GET', '{b}1'],
    ], { on: 'b' });
  });

  test('DELSLOTS: an unserved slot, then the cluster is down', async () => {
    await check([
      ['CLUSTER', 'DELSLOTS', 3300],
      ['GET', '{b}'],
      ['CLUSTER', 'DELSLOTS', 3300],
    ]);
    await waitFor(async () => JSON.stringify(await ours.ca.call('CLUSTER', 'INFO')).includes('cluster_state:fail')
      && JSON.stringify(await theirs!.ca.call('CLUSTER', 'INFO')).includes('cluster_state:fail'), 'both clusters down');
    await check([['GET', 'a'], ['GET', 'foo'], ['PING'], ['CLUSTER', 'ADDSLOTS', 3300]]);
    await waitFor(async () => JSON.stringify(await ours.ca.call('CLUSTER', 'INFO')).includes('cluster_state:ok')
      && JSON.stringify(await theirs!.ca.call('CLUSTER', 'INFO')).includes('cluster_state:ok'), 'both clusters up again');
    await check([['GET', 'a']]);
  });
});
