import * as fc from 'fast-check';
import { Client } from '../../engine/server/client';
import { Config, createServer, Server } from '../../engine/server/index';
import { memory } from '../../engine/server/memory';
import { ZSet } from '../../engine/server/types/zset';

/** An in-process node: commands run through the real dispatch, replies are read from the client buffer. */
interface Node {
  server: Server;
  client: Client;
  run: (...argv: Array<string | number>) => string;
  events: string[];
}

function setup(directives: Array<[string, string]> = []): Node {
  const config = new Config();
  for (const [k, v] of directives) config.set(k, [v], true);
  const server = createServer(config);
  const client = server.fakeClient();
  const events: string[] = [];
  server.pubsub.subscribe(server.pubsub.patterns, '*', server.fakeClient()); // the node skips unheard notifications
  server.pubsub.publish = (channel: string, message: string) => {
    if (channel.startsWith('__keyevent@')) events.push(`${channel.split(':')[1]} ${message}`);
    return 0;
  };
  const run = (...argv: Array<string | number>): string => {
    server.call(client, argv.map(String));
    return client.reply.take()?.toString('latin1') ?? '';
  };
  return { server, client, run, events };
}

function zsetAt(server: Server, key: string): ZSet {
  return server.dbs[0].peek(key) as ZSet;
}

describe('sorted set internals', () => {
  test('keyspace notifications use Valkey event names', () => {
    const { run, events } = setup([['notify-keyspace-events', 'KEA']]);
    run('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
    run('ZADD', 'z', 1, 'a'); // no change: no event
    run('ZINCRBY', 'z', 1, 'a');
    run('ZADD', 'z', 'INCR', 1, 'a');
    run('ZREM', 'z', 'a');
    run('ZREMRANGEBYSCORE', 'z', 2, 2);
    run('ZREMRANGEBYRANK', 'z', 0, 0);
    // Same score as the remaining member: lex ranges are only defined when all scores are equal.
    run('ZADD', 'z', 4, 'x', 4, 'y');
    run('ZREMRANGEBYLEX', 'z', '[x', '[x');
    run('ZPOPMIN', 'z');
    run('ZPOPMAX', 'z');
    run('ZADD', 'a', 1, 'm');
    run('ZUNIONSTORE', 'u', 1, 'a');
    run('ZINTERSTORE', 'i', 1, 'a');
    run('ZDIFFSTORE', 'df', 1, 'a');
    run('ZRANGESTORE', 'rs', 'a', 0, -1);
    run('ZDIFFSTORE', 'df', 2, 'a', 'a');
    run('GEOADD', 'g', 13.361389, 38.115556, 'Palermo');
    run('GEOSEARCHSTORE', 'gs', 'g', 'FROMLONLAT', 13, 38, 'BYRADIUS', 100, 'km');
    run('GEORADIUS', 'g', 13, 38, 100, 'km', 'STORE', 'gr');
    expect(events).toEqual([
      'zadd z',
      'zincr z',
      'zincr z',
      'zrem z',
      'zremrangebyscore z',
      'zremrangebyrank z',
      'zadd z',
      'zremrangebylex z',
      'zpopmin z',
      'zpopmax z',
      'del z',
      'zadd a',
      'zunionstore u',
      'zinterstore i',
      'zdiffstore df',
      'zrangestore rs',
      'del df',
      'zadd g',
      'geosearchstore gs',
      'georadiusstore gr',
    ]);
  });

  test('encoding: listpack while small, skiplist past the limits, one-way; stores fit again', () => {
    const { server, run } = setup([['zset-max-listpack-entries', '4'], ['zset-max-listpack-value', '8']]);
    run('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
    expect(zsetAt(server, 'z').encoding()).toBe('listpack');
    run('ZADD', 'z', 5, 'e');
    expect(zsetAt(server, 'z').encoding()).toBe('skiplist');
    run('ZREM', 'z', 'a', 'b', 'c');
    expect(zsetAt(server, 'z').encoding()).toBe('skiplist');
    run('ZADD', 'long', 1, 'a-very-long-member');
    expect(zsetAt(server, 'long').encoding()).toBe('skiplist');
    run('ZADD', 'many', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e');
    expect(zsetAt(server, 'many').encoding()).toBe('skiplist');
    run('ZRANGESTORE', 'small', 'many', 0, 1);
    expect(zsetAt(server, 'small').encoding()).toBe('listpack');
    run('ZUNIONSTORE', 'u', 1, 'many');
    expect(zsetAt(server, 'u').encoding()).toBe('skiplist');
    run('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
    run('ZADD', 'later', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e');
    expect(zsetAt(server, 'later').encoding()).toBe('listpack');
    // -0 is kept as 0 in a listpack and as -0 in a skiplist (as ZSCORE shows)
    expect(run('ZADD', 'neg', '-0', 'm')).toBe(':1\r\n');
    expect(run('ZSCORE', 'neg', 'm')).toBe('$1\r\n0\r\n');
    expect(run('ZSCORE', 'long', 'a-very-long-member')).toBe('$1\r\n1\r\n');
    run('ZADD', 'long', '-0', 'other-long-member');
    expect(run('ZSCORE', 'long', 'other-long-member')).toBe('$2\r\n-0\r\n');
  });

  test('items() and clone() for SORT and COPY', () => {
    const { server, run } = setup();
    run('ZADD', 'z', 3, 'c', 1, 'a', 2, 'b', 2, 'ab');
    const z = zsetAt(server, 'z');
    expect(z.items()).toEqual(['a', 'ab', 'b', 'c']);
    const copy = z.clone();
    expect(copy.items()).toEqual(z.items());
    expect(copy.bytes).toBe(z.bytes);
    expect(copy.encoding()).toBe(z.encoding());
    const before = memory.dataset;
    server.dbs[0].set('copy', copy);
    run('ZADD', 'copy', 9, 'z');
    expect(z.items()).toEqual(['a', 'ab', 'b', 'c']);
    expect(memory.dataset).toBeGreaterThan(before);
  });

  test('memory.dataset follows every change and returns to where it started (seeded)', () => {
    const { server, run } = setup([['zset-max-listpack-entries', '8']]);
    const start = memory.dataset;
    const cmd = fc.oneof(
      fc.tuple(fc.constantFrom('k1', 'k2'), fc.integer({ min: 0, max: 30 }), fc.integer({ min: -5, max: 5 })).map(([k, m, s]) => ['ZADD', k, s, `member-${m}`]),
      fc.tuple(fc.constantFrom('k1', 'k2'), fc.integer({ min: 0, max: 30 })).map(([k, m]) => ['ZREM', k, `member-${m}`]),
      fc.tuple(fc.constantFrom('k1', 'k2'), fc.integer({ min: -3, max: 3 })).map(([k, s]) => ['ZREMRANGEBYSCORE', k, s, s + 1]),
      fc.constantFrom(['ZPOPMIN', 'k1', '2'], ['ZPOPMAX', 'k2'], ['ZUNIONSTORE', 'k3', '2', 'k1', 'k2'], ['ZRANGESTORE', 'k2', 'k1', '0', '3']),
    );
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 80 }), (cmds) => {
        for (const c of cmds) run(...c);
        let sum = 0;
        for (const k of ['k1', 'k2', 'k3']) {
          const z = server.dbs[0].peek(k) as ZSet | undefined;
          if (!z) continue;
          expect(z.size).toBeGreaterThan(0);
          expect(z.items().length).toBe(z.size);
          sum += z.bytes;
        }
        run('FLUSHALL');
        expect(memory.dataset).toBe(start);
        return sum >= 0;
      }),
      { seed: 7, numRuns: 50 },
    );
  });

  test('the skiplist keeps ranks right under random inserts and deletes (seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 50 }), fc.integer({ min: -3, max: 3 })), { maxLength: 300 }), (ops) => {
        const z = new ZSet();
        const model = new Map<string, number>();
        for (const [add, m, s] of ops) {
          const member = `m${m}`;
          if (add) {
            z.set(member, s);
            model.set(member, s);
          } else {
            z.delete(member);
            model.delete(member);
          }
        }
        const expected = [...model.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[0]);
        expect(z.items()).toEqual(expected);
        expected.forEach((m, i) => {
          expect(z.rank(m)).toBe(i);
          expect(z.byRank(i)!.member).toBe(m);
        });
        const last = z.last();
        expect(last ? last.member : undefined).toBe(expected[expected.length - 1]);
        for (const m of [...model.keys()]) z.delete(m);
        return true;
      }),
      { seed: 99, numRuns: 100 },
    );
  });
});
