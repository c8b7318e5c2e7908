import { Differential } from './differential';
import { Twin } from './pubsub-twin';

/** String commands whose events are compared (what the string module has today). */
const STRING_SEQUENCE: string[][] = [
  ['SET', 'k', 'v'],
  ['SET', 'k', 'v2'],
  ['SET', 'k', 'v3', 'EX', '100'],
  ['SET', 'k', 'v4', 'KEEPTTL'],
  ['SET', 'k', 'x', 'NX'], // no change, no event
  ['SET', 'absent', 'x', 'XX'],
  ['SETNX', 'k', 'x'],
  ['SETNX', 'fresh', 'x'],
  ['INCR', 'n'],
  ['INCRBY', 'n', '5'],
  ['DECR', 'n'],
  ['DECRBY', 'n', '2'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCR', 'k'], // error, no event
  ['APPEND', 'k', '-tail'],
  ['APPEND', 'newapp', 'x'],
  ['SETRANGE', 'k', '1', 'yy'],
  ['SETRANGE', 'sr', '3', 'abc'],
  ['SETRANGE', 'nothing', '0', ''],
  ['MSET', 'a', '1', 'b', '2'],
  ['MSETNX', 'c', '3', 'd', '4'],
  ['GETSET', 'a', 'z'],
  ['SETEX', 'se', '100', 'v'],
  ['PSETEX', 'pse', '100000', 'v'],
  ['GETEX', 'se', 'PERSIST'],
  ['GETEX', 'a', 'EX', '100'],
  ['GETDEL', 'b'],
  ['GETDEL', 'b'],
  ['GET', 'k'],
  ['SELECT', '1'],
  ['SET', 'k', 'db1'],
  ['INCR', 'n1'],
  ['SELECT', '0'],
];

describe('keyspace notifications, differential against redis-server', () => {
  test('notify-keyspace-events parses and prints its flags like Redis', async () => {
    const d = await Differential.start();
    if (!d) return;
    try {
      for (const flags of ['KEA', 'Kn', 'Exg', 'nKA', '', 'gK$', 'A', 'mA', 'AE', 'KEAmn', 'EEEl', 'Kg$lshzxetd', 'Ex', 'KEd', 'xyz', 'KE ', 'K!']) {
        await d.check([['CONFIG', 'SET', 'notify-keyspace-events', flags], ['CONFIG', 'GET', 'notify-keyspace-events']]);
      }
    } finally {
      await d.stop();
    }
  });

  test('events of string commands, for several flag sets, on __keyspace@<db>__ and __keyevent@<db>__', async () => {
    // 0: RESP2 subscriber to every keyspace/keyevent channel; 1: RESP3 subscriber to two event channels; 2 runs commands
    const t = await Twin.start([], 3, [1]);
    if (!t) return;
    try {
      await t.check(0, 'PSUBSCRIBE', '__key*__:*');
      await t.check(1, 'SUBSCRIBE', '__keyevent@0__:set', '__keyevent@0__:new', '__keyspace@1__:k');
      for (const flags of ['KEA', 'K$', 'E$', 'Eg', 'KEx', 'KEn', 'nKEA', 'A', '$', 'K', 'E', 'KE$m']) {
        await t.check(2, 'CONFIG', 'SET', 'notify-keyspace-events', flags);
        await t.check(2, 'FLUSHALL');
        for (const cmd of STRING_SEQUENCE) await t.check(2, ...cmd);
      }
    } finally {
      await t.stop();
    }
  });

  test('expired events: active expiry, lazy expiry on access', async () => {
    const t = await Twin.start(['--notify-keyspace-events', 'KEA'], 2, [1]);
    if (!t) return;
    try {
      await t.check(0, 'SUBSCRIBE', '__keyevent@0__:expired', '__keyspace@0__:gone');
      // active expiry: nobody touches the key, the event comes by itself
      await t.check(1, 'SET', 'gone', 'v', 'PX', '30');
      const waitEvent = async (i: 'a' | 'b') => [await t[i][0].next(5000), await t[i][0].next(5000)];
      const [ours, theirs] = await Promise.all([waitEvent('a'), waitEvent('b')]);
      expect(ours).toEqual(theirs);
      expect(ours).toEqual([['message', '__keyspace@0__:gone', 'expired'], ['message', '__keyevent@0__:expired', 'gone']]);

      // lazy expiry: among many keys with a long TTL (the active cycle reaches it only much later),
      // the key expires when a command reads it; the RESP3 connection gets the event before the reply
      const many = Array.from({ length: 5000 }, (_, i) => `*5\r\n$3\r\nSET\r\n$${`far${i}`.length}\r\nfar${i}\r\n$1\r\nv\r\n$2\r\nEX\r\n$4\r\n1000\r\n`).join('');
      await Promise.all([t.a[1].sendMany(many, 5000), t.b[1].sendMany(many, 5000)]);
      await t.check(1, 'SUBSCRIBE', '__keyevent@0__:expired');
      await t.check(1, 'SET', 'lazy', 'v', 'PX', '50');
      const t0 = Date.now();
      while (Date.now() - t0 < 80) await t.check(1, 'PING'); // time passes with traffic, the key untouched
      const [, frames] = await t.check(1, 'GET', 'lazy');
      expect(frames).toEqual([{ push: ['message', '__keyevent@0__:expired', 'lazy'] }, null]);
      await t.check(1, 'GET', 'lazy');
    } finally {
      await t.stop();
    }
  });
});
