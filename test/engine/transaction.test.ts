import * as fc from 'fast-check';
import Redis from 'ioredis';
import { createClient, WatchError } from 'redis';
import { Differential } from './differential';
import { RunningNode, startNode, waitFor } from './nodes';
import { Twin } from './pubsub-twin';

describe('MULTI/EXEC, differential against redis-server', () => {
  test('queueing, queue-time errors, runtime errors and misuse', async () => {
    const d = await Differential.start();
    if (!d) return;
    try {
      await d.check([
        ['EXEC'],
        ['DISCARD'],
        ['EXEC', 'x'],
        ['MULTI', 'x'],
        ['MULTI'],
        ['SET', 'n', '1'],
        ['INCR', 'n'],
        ['SET', 's', 'text'],
        ['INCR', 's'], // runtime error: a per-command reply, the others still run
        ['APPEND', 's', '!'],
        ['GET', 's'],
        ['EXEC'],
        ['GET', 'n'],
        // queue-time errors doom the transaction
        ['MULTI'],
        ['SET', 'n', '5'],
        ['NOSUCHCOMMAND', 'a'],
        ['GET'],
        ['EXEC'],
        ['GET', 'n'],
        // nesting, WATCH inside MULTI: errors that do not doom it
        ['MULTI'],
        ['MULTI'],
        ['WATCH', 'n'],
        ['INCR', 'n'],
        ['EXEC'],
        // DISCARD
        ['MULTI'],
        ['INCR', 'n'],
        ['DISCARD'],
        ['GET', 'n'],
        ['DISCARD'],
        // commands flagged no-multi are refused and doom it
        ['MULTI'],
        ['SHUTDOWN'],
        ['PING'],
        ['EXEC'],
        // a refused EXEC discards the transaction with the reason
        ['MULTI'],
        ['INCR', 'n'],
        ['EXEC', 'now'],
        ['EXEC'],
        ['GET', 'n'],
        // an empty transaction, UNWATCH queued, DISCARD with arguments inside MULTI
        ['MULTI'],
        ['EXEC'],
        ['MULTI'],
        ['UNWATCH'],
        ['DISCARD', 'x'],
        ['EXEC'],
        ['MULTI'],
        ['PING'],
        ['ECHO', 'hi'],
        ['SET', 'k', 'v', 'NX'],
        ['SET', 'k', 'v', 'NX'],
        ['GETSET', 'k', 'w'],
        ['EXEC'],
        ['WATCH'],
        ['UNWATCH', 'x'],
        ['UNWATCH'],
      ]);
    } finally {
      await d.stop();
    }
  });

  test('RESP3: EXEC replies keep their types; a failed WATCH answers null', async () => {
    const d = await Differential.start();
    if (!d) return;
    try {
      await d.both('HELLO', '3');
      await d.check([
        ['MULTI'],
        ['SET', 'f', '1.5'],
        ['INCRBYFLOAT', 'f', '1'],
        ['GET', 'missing'],
        ['EXEC'],
        ['WATCH', 'f'],
        ['SET', 'f', '0'],
        ['MULTI'],
        ['GET', 'f'],
        ['EXEC'],
      ]);
    } finally {
      await d.stop();
    }
  });

  test('WATCH races between two connections', async () => {
    const t = await Twin.start([], 2);
    if (!t) return;
    const tx = async (...cmds: string[][]) => {
      await t.check(0, 'MULTI');
      for (const c of cmds) await t.check(0, ...c);
      return t.check(0, 'EXEC');
    };
    try {
      // another connection changes a watched key: EXEC answers null and nothing runs
      await t.check(0, 'SET', 'k', '1');
      await t.check(0, 'WATCH', 'k');
      await t.check(1, 'SET', 'k', '2');
      const [failed] = await tx(['INCR', 'k']);
      expect(failed).toEqual([null]);
      await t.check(0, 'GET', 'k');
      // EXEC unwatched even when it failed
      await t.check(1, 'SET', 'k', '3');
      await tx(['INCR', 'k']);
      // the same value written again still counts as a change
      await t.check(0, 'WATCH', 'k');
      await t.check(1, 'SET', 'k', '4');
      await tx(['INCR', 'k']);
      // other keys and other databases do not disturb it
      await t.check(0, 'WATCH', 'k', 'other');
      await t.check(1, 'SET', 'unrelated', 'x');
      await t.check(1, 'SELECT', '1');
      await t.check(1, 'SET', 'k', 'db1');
      await t.check(1, 'SELECT', '0');
      await tx(['INCR', 'k']);
      // string commands that modify: APPEND, SETRANGE, INCRBY, GETDEL, MSET
      for (const change of [['APPEND', 'k', '0'], ['SETRANGE', 'k', '0', '9'], ['INCRBY', 'k', '2'], ['MSET', 'a', '1', 'k', '7'], ['GETDEL', 'k']]) {
        await t.check(0, 'WATCH', 'k');
        await t.check(1, ...change);
        await tx(['GET', 'k']);
        await t.check(0, 'SET', 'k', '1');
      }
      // a failed write (wrong type or not an integer) is no change
      await t.check(0, 'SET', 's', 'abc');
      await t.check(0, 'WATCH', 's');
      await t.check(1, 'INCR', 's');
      await t.check(1, 'GET', 's');
      await tx(['GET', 's']);
      // the watching connection's own change counts too
      await t.check(0, 'WATCH', 'k');
      await t.check(0, 'SET', 'k', 'mine');
      await tx(['GET', 'k']);
      // UNWATCH forgets
      await t.check(0, 'WATCH', 'k');
      await t.check(0, 'UNWATCH');
      await t.check(1, 'SET', 'k', 'x');
      await tx(['GET', 'k']);
      // a missing key that gets created; a missing key that stays missing while the db is flushed
      await t.check(0, 'WATCH', 'new');
      await t.check(1, 'SET', 'new', '1');
      await tx(['GET', 'new']);
      await t.check(0, 'WATCH', 'ghost');
      await t.check(1, 'FLUSHDB');
      await tx(['PING']);
      // FLUSHDB and FLUSHALL touch watched keys that existed
      await t.check(0, 'SET', 'k', '1');
      await t.check(0, 'WATCH', 'k');
      await t.check(1, 'FLUSHDB');
      await tx(['PING']);
      await t.check(0, 'SET', 'k', '1');
      await t.check(0, 'WATCH', 'k');
      await t.check(1, 'FLUSHALL');
      await tx(['PING']);
      // FLUSHALL does not disturb a watched key that did not exist
      await t.check(0, 'WATCH', 'k');
      await t.check(1, 'FLUSHALL');
      await tx(['PING']);
      // a watched key that expires makes EXEC fail
      await t.check(0, 'SET', 'e', 'v', 'PX', '100');
      await t.check(0, 'WATCH', 'e');
      const t0 = Date.now();
      await waitFor(() => Date.now() - t0 > 150, 'the key to expire');
      const [expired] = await tx(['PING']);
      expect(expired).toEqual([null]);
      // RESET leaves MULTI and unwatches
      await t.check(0, 'SET', 'k', '1');
      await t.check(0, 'WATCH', 'k');
      await t.check(0, 'MULTI');
      await t.check(0, 'RESET');
      await t.check(1, 'SET', 'k', '2');
      await tx(['GET', 'k']);
    } finally {
      await t.stop();
    }
  });

  test('randomized transactions over two connections', async () => {
    const t = await Twin.start([], 2);
    if (!t) return;
    const key = fc.constantFrom('a', 'b');
    const cmd = fc.oneof(
      fc.constant(['MULTI']),
      fc.constant(['EXEC']),
      fc.constant(['DISCARD']),
      fc.constant(['UNWATCH']),
      key.map((k) => ['WATCH', k]),
      fc.tuple(key, fc.constantFrom('1', 'x', '10')).map(([k, v]) => ['SET', k, v]),
      key.map((k) => ['INCR', k]),
      key.map((k) => ['GET', k]),
      key.map((k) => ['APPEND', k, 'z']),
      fc.constant(['GET']),
      fc.constant(['NOPE']),
    );
    const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), cmd), { minLength: 5, maxLength: 40 });
    try {
      await fc.assert(
        fc.asyncProperty(steps, async (seq) => {
          for (const [who, c] of seq) await t.check(who, ...c);
          for (let i = 0; i < 2; i++) await t.check(i, 'RESET');
          await t.check(0, 'FLUSHALL');
        }),
        { seed: 7001, numRuns: 30 },
      );
    } finally {
      await t.stop();
    }
  });
});

describe('transactions with client libraries', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  test('ioredis: multi/exec, runtime errors per command, WATCH conflicts', async () => {
    const r = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    const other = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    await r.connect();
    await other.connect();
    try {
      expect(await r.multi().set('m', '1').incr('m').get('m').exec()).toEqual([[null, 'OK'], [null, 2], [null, '2']]);
      const withError = await r.multi().set('t', 'text').incr('t').get('t').exec();
      expect(withError![0]).toEqual([null, 'OK']);
      expect((withError![1][0] as Error).message).toBe('ERR value is not an integer or out of range');
      expect(withError![2]).toEqual([null, 'text']);
      await r.watch('m');
      await other.set('m', '100');
      expect(await r.multi().incr('m').exec()).toBeNull();
      await r.watch('m');
      expect(await r.multi().incr('m').exec()).toEqual([[null, 101]]);
      await expect(r.multi().set('x', '1').call('nosuch').exec()).rejects.toThrow(/EXECABORT/);
    } finally {
      r.disconnect();
      other.disconnect();
    }
  });

  test('node-redis: multi/exec over RESP2 and RESP3, WatchError', async () => {
    for (const RESP of [2, 3] as const) {
      const c = createClient({ url: `redis://127.0.0.1:${node.port}`, RESP });
      await c.connect();
      const other = c.duplicate();
      await other.connect();
      try {
        expect(await c.multi().set('nr', '1').incr('nr').get('nr').exec()).toEqual(['OK', 2, '2']);
        await c.watch('nr');
        await other.set('nr', '5');
        await expect(c.multi().incr('nr').exec()).rejects.toBeInstanceOf(WatchError);
        await c.watch('nr');
        expect(await c.multi().incr('nr').exec()).toEqual([6]);
      } finally {
        await other.quit();
        await c.quit();
      }
    }
  });
});
