import * as fc from 'fast-check';
import { waitBlocked } from './collections-helpers';
import { Differential, sorted, useDifferentialResp2And3 } from './differential';
import { Resp, RespClient } from './resp-client';

type Cmd = Array<string | number>;

let d: Differential;
let d3: Differential;
/** Runs the same commands in RESP2 and RESP3 against both servers. */
const both = useDifferentialResp2And3((resp2, resp3) => {
  d = resp2;
  d3 = resp3;
});

describe('sorted sets, differential against redis-server 7.0', () => {
  test('ZADD options, errors and replies', async () => {
    await both([
      ['FLUSHALL'],
      ['ZADD', 'z', 1, 'a', 2, 'b', 3, 'c'],
      ['ZADD', 'z', 'NX', 10, 'a', 4, 'd'],
      ['ZADD', 'z', 'XX', 'CH', 10, 'a', 5, 'e'],
      ['ZADD', 'z', 'GT', 'CH', 1, 'a', 20, 'b'],
      ['ZADD', 'z', 'LT', 'CH', 1, 'a', 30, 'b'],
      ['ZADD', 'z', 'INCR', 5, 'a'],
      ['ZADD', 'z', 'INCR', 'NX', 5, 'a'],
      ['ZADD', 'z', 'INCR', 'GT', -5, 'a'],
      ['ZADD', 'z', 'XX', 'INCR', 1, 'nope'],
      ['ZADD', 'missing', 'XX', 1, 'a'],
      ['ZADD', 'missing', 'XX', 'INCR', 1, 'a'],
      ['ZADD', 'z', 'NX', 'XX', 1, 'a'],
      ['ZADD', 'z', 'GT', 'LT', 1, 'a'],
      ['ZADD', 'z', 'GT', 'NX', 1, 'a'],
      ['ZADD', 'z', 'INCR', 1, 'a', 2, 'b'],
      ['ZADD', 'z', 1],
      ['ZADD', 'z', 1, 'a', 2],
      ['ZADD', 'z', 'x', 'a'],
      ['ZADD', 'z', 'nan', 'a'],
      ['ZADD', 'z', '', 'a'],
      ['ZADD', 'z', ' 1', 'a'],
      ['ZADD', 'z', '1e400', 'a'],
      ['ZADD', 'z', '1e-400', 'a'],
      ['ZADD', 'z', '0x10', 'hex', '-inf', 'ninf', '+inf', 'pinf', 'inf', 'pinf2', '1.5e3', 'exp', '-0', 'negzero'],
      ['ZSCORE', 'z', 'hex'],
      ['ZSCORE', 'z', 'negzero'],
      ['ZSCORE', 'z', 'nope'],
      ['ZADD', 'z', 0.1, 'tenth', 1e20, 'big', 1.5e-7, 'tiny', 123456789.123, 'mid'],
      ['ZRANGE', 'z', 0, -1, 'WITHSCORES'],
      ['ZADD', 'z', 'INCR', '+inf', 'pinf'],
      ['ZADD', 'z', 'INCR', '-inf', 'pinf'],
      ['ZINCRBY', 'z', '-inf', 'pinf'],
      ['ZINCRBY', 'z', 2.5, 'a'],
      ['ZINCRBY', 'z', 'abc', 'a'],
      ['ZINCRBY', 'newkey', 3, 'm'],
      ['ZCARD', 'z'],
      ['ZCARD', 'nokey'],
      ['SET', 'str', 'x'],
      ['ZADD', 'str', 1, 'a'],
      ['ZSCORE', 'str', 'a'],
      ['ZCARD', 'str'],
      ['ZRANGE', 'str', 0, -1],
      ['ZMSCORE', 'z', 'a', 'nope', 'b'],
      ['ZMSCORE', 'nokey', 'a'],
    ]);
  });

  test('ranks, counts and range queries', async () => {
    const fill: Cmd = ['ZADD', 'r'];
    for (let i = 0; i < 20; i++) fill.push(i % 7, `m${String.fromCharCode(97 + ((i * 5) % 26))}${i}`);
    await both([
      ['FLUSHALL'],
      fill,
      ['ZADD', 'lex', 0, 'a', 0, 'b', 0, 'c', 0, 'd', 0, 'e', 0, 'f', 0, 'g', 0, 'aa', 0, ''],
      ['ZRANK', 'r', 'mc11'],
      ['ZREVRANK', 'r', 'mc11'],
      ['ZRANK', 'r', 'nope'],
      ['ZRANK', 'nokey', 'a'],
      ['ZRANK', 'r', 'mc11', 'WITHSCORE'],
      ['ZCOUNT', 'r', '-inf', '+inf'],
      ['ZCOUNT', 'r', '(1', '3'],
      ['ZCOUNT', 'r', '(1', '(1'],
      ['ZCOUNT', 'r', '5', '1'],
      ['ZCOUNT', 'r', 'x', '1'],
      ['ZCOUNT', 'r', '', ''],
      ['ZCOUNT', 'r', ' 2', '(6'],
      ['ZCOUNT', 'r', '(', '3'],
      ['ZCOUNT', 'r', 'nan', '3'],
      ['ZLEXCOUNT', 'lex', '-', '+'],
      ['ZLEXCOUNT', 'lex', '[b', '(e'],
      ['ZLEXCOUNT', 'lex', '+', '-'],
      ['ZLEXCOUNT', 'lex', 'b', 'e'],
      ['ZLEXCOUNT', 'lex', '[', '(a'],
      ['ZRANGE', 'r', 0, -1],
      ['ZRANGE', 'r', 2, 5, 'WITHSCORES'],
      ['ZRANGE', 'r', -3, -1, 'REV', 'WITHSCORES'],
      ['ZRANGE', 'r', 5, 2],
      ['ZRANGE', 'r', 100, 200],
      ['ZRANGE', 'r', -100, 2],
      ['ZRANGE', 'r', 'a', 2],
      ['ZRANGE', 'r', 0, 1, 'LIMIT', 0, 1],
      ['ZRANGE', 'r', 0, 1, 'BOGUS'],
      ['ZRANGE', 'r', '(1', 4, 'BYSCORE', 'WITHSCORES'],
      ['ZRANGE', 'r', 4, '(1', 'BYSCORE', 'REV', 'WITHSCORES'],
      ['ZRANGE', 'r', '-inf', '+inf', 'BYSCORE', 'LIMIT', 3, 4],
      ['ZRANGE', 'r', '-inf', '+inf', 'BYSCORE', 'LIMIT', -1, 4],
      ['ZRANGE', 'r', '-inf', '+inf', 'BYSCORE', 'LIMIT', 3, -1],
      ['ZRANGE', 'r', '-inf', '+inf', 'BYSCORE', 'LIMIT', 30, 1],
      ['ZRANGE', 'r', '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', 2, 3, 'WITHSCORES'],
      ['ZRANGE', 'r', 'x', 3, 'BYSCORE'],
      ['ZRANGE', 'lex', '[b', '(f', 'BYLEX'],
      ['ZRANGE', 'lex', '(f', '[b', 'BYLEX', 'REV'],
      ['ZRANGE', 'lex', '-', '+', 'BYLEX', 'LIMIT', 1, 3],
      ['ZRANGE', 'lex', '-', '+', 'BYLEX', 'WITHSCORES'],
      ['ZRANGE', 'lex', 'a', '+', 'BYLEX'],
      ['ZRANGE', 'lex', '-', '+', 'BYLEX', 'BYSCORE'],
      ['ZRANGE', 'lex', '-', '+', 'REV', 'REV'],
      ['ZREVRANGE', 'r', 0, 3, 'WITHSCORES'],
      ['ZREVRANGE', 'r', 0, 3, 'REV'],
      ['ZRANGEBYSCORE', 'r', 2, 4, 'WITHSCORES', 'LIMIT', 1, 2],
      ['ZRANGEBYSCORE', 'r', 2, 4, 'BYSCORE'],
      ['ZREVRANGEBYSCORE', 'r', 4, 2, 'WITHSCORES'],
      ['ZREVRANGEBYSCORE', 'r', '(4', '(2'],
      ['ZRANGEBYLEX', 'lex', '[aa', '[d'],
      ['ZRANGEBYLEX', 'lex', '[aa', '[d', 'LIMIT', 1, 1],
      ['ZREVRANGEBYLEX', 'lex', '+', '-', 'LIMIT', 0, 3],
      ['ZREVRANGEBYLEX', 'lex', '[d', '(aa'],
      ['ZRANGEBYLEX', 'lex', 'x', '+'],
      ['ZRANGESTORE', 'dst', 'r', 0, 4],
      ['ZRANGE', 'dst', 0, -1, 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'r', 2, 3, 'BYSCORE', 'REV'],
      ['ZRANGESTORE', 'dst', 'r', 3, 2, 'BYSCORE', 'REV', 'LIMIT', 1, 2],
      ['ZRANGE', 'dst', 0, -1, 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'lex', '[b', '[d', 'BYLEX'],
      ['ZRANGE', 'dst', 0, -1, 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'r', 0, 1, 'WITHSCORES'],
      ['ZRANGESTORE', 'dst', 'nokey', 0, -1],
      ['ZCARD', 'dst'],
      ['ZRANGESTORE', 'dst', 'r', 5, 1],
    ]);
  });

  test('removals, pops and random members', async () => {
    await both([
      ['FLUSHALL'],
      ['ZADD', 'z', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e', 6, 'f', 7, 'g'],
      ['ZREM', 'z', 'a', 'x', 'b'],
      ['ZREM', 'nokey', 'a'],
      ['ZREMRANGEBYRANK', 'z', 0, 0],
      ['ZREMRANGEBYRANK', 'z', 5, 10],
      ['ZREMRANGEBYRANK', 'z', 'x', 10],
      ['ZREMRANGEBYSCORE', 'z', '(6', '+inf'],
      ['ZREMRANGEBYSCORE', 'z', 'x', '+inf'],
      ['ZRANGE', 'z', 0, -1, 'WITHSCORES'],
      ['ZADD', 'l', 0, 'a', 0, 'b', 0, 'c', 0, 'd'],
      ['ZREMRANGEBYLEX', 'l', '(a', '[c'],
      ['ZREMRANGEBYLEX', 'l', 'a', '[c'],
      ['ZRANGE', 'l', 0, -1],
      ['ZREMRANGEBYLEX', 'l', '-', '+'],
      ['ZCARD', 'l'],
      ['ZADD', 'p', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e'],
      ['ZPOPMIN', 'p'],
      ['ZPOPMAX', 'p'],
      ['ZPOPMIN', 'p', 2],
      ['ZPOPMIN', 'p', 0],
      ['ZPOPMIN', 'p', -1],
      ['ZPOPMIN', 'p', 'x'],
      ['ZPOPMIN', 'p', 1, 2],
      ['ZPOPMAX', 'p', 10],
      ['ZPOPMAX', 'p'],
      ['ZPOPMAX', 'p', 3],
      ['ZADD', 'm1', 1, 'a', 2, 'b'],
      ['ZADD', 'm2', 3, 'c'],
      ['ZMPOP', 2, 'nokey', 'm1', 'MIN'],
      ['ZMPOP', 2, 'm1', 'm2', 'MAX', 'COUNT', 5],
      ['ZMPOP', 2, 'm1', 'm2', 'MAX', 'COUNT', 5],
      ['ZMPOP', 1, 'm1', 'MAX'],
      ['ZMPOP', 0, 'm1', 'MAX'],
      ['ZMPOP', 1, 'm1', 'MAX', 'COUNT', 0],
      ['ZMPOP', 1, 'm1', 'BOTH'],
      ['ZMPOP', 3, 'm1', 'MAX'],
      ['ZMPOP', 1, 'm1', 'MIN', 'COUNT', 1, 'COUNT', 2],
      ['SET', 's', 'x'],
      ['ZMPOP', 2, 'nokey', 's', 'MIN'],
      ['ZPOPMIN', 's'],
      ['ZADD', 'rm', 1, 'a', 2, 'b', 3, 'c'],
      ['ZRANDMEMBER', 'rm', 0],
      ['ZRANDMEMBER', 'rm', 1, 'BAD'],
      ['ZRANDMEMBER', 'nokey'],
      ['ZRANDMEMBER', 'nokey', 5],
      ['ZRANDMEMBER', 'rm', 'x'],
    ]);
    // random results: same shape and members from the set
    for (const dd of [d, d3]) {
      const [a, b] = await dd.both('ZRANDMEMBER', 'rm', -5, 'WITHSCORES');
      expect(Array.isArray(a) && (a as Resp[]).length).toBe(Array.isArray(b) && (b as Resp[]).length);
      const one = await dd.a.call('ZRANDMEMBER', 'rm');
      expect(['a', 'b', 'c']).toContain(one);
      const two = (await dd.a.call('ZRANDMEMBER', 'rm', 2)) as string[];
      expect(new Set(two).size).toBe(2);
      const [all, theirs] = await dd.both('ZRANDMEMBER', 'rm', 10, 'WITHSCORES');
      expect(sorted(all)).toEqual(sorted(theirs));
    }
  });

  test('ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD', async () => {
    await both([
      ['FLUSHALL'],
      ['ZADD', 'a', 1, 'x', 2, 'y', 3, 'z'],
      ['ZADD', 'b', 10, 'y', 20, 'z', 30, 'w'],
      ['ZADD', 'c', '+inf', 'z', '-inf', 'y'],
      ['ZUNION', 2, 'a', 'b', 'WITHSCORES'],
      ['ZUNION', 2, 'a', 'b', 'WEIGHTS', 2, 0.5, 'WITHSCORES'],
      ['ZUNION', 2, 'a', 'b', 'AGGREGATE', 'MAX', 'WITHSCORES'],
      ['ZUNION', 2, 'a', 'b', 'AGGREGATE', 'MIN'],
      ['ZUNION', 3, 'a', 'b', 'c', 'WITHSCORES'],
      ['ZUNION', 2, 'c', 'c', 'WEIGHTS', 1, -1, 'WITHSCORES'],
      ['ZUNION', 2, 'a', 'c', 'WEIGHTS', 0, 1, 'WITHSCORES'],
      ['ZINTER', 2, 'a', 'b', 'WITHSCORES'],
      ['ZINTER', 3, 'a', 'b', 'nokey'],
      ['ZINTER', 2, 'a', 'b', 'WEIGHTS', 1, 'WITHSCORES'],
      ['ZINTER', 2, 'a', 'b', 'WEIGHTS', 1, 'x'],
      ['ZINTER', 2, 'a', 'b', 'AGGREGATE', 'AVG'],
      ['ZINTER', 0, 'a'],
      ['ZINTER', 3, 'a'],
      ['ZINTER', 'x', 'a'],
      ['ZDIFF', 2, 'a', 'b', 'WITHSCORES'],
      ['ZDIFF', 1, 'a'],
      ['ZDIFF', 2, 'nokey', 'a'],
      ['ZDIFF', 2, 'a', 'b', 'WEIGHTS', 1, 2],
      ['ZUNIONSTORE', 'u', 2, 'a', 'b', 'WEIGHTS', 1, 2],
      ['ZRANGE', 'u', 0, -1, 'WITHSCORES'],
      ['ZUNIONSTORE', 'u', 2, 'a', 'b', 'WITHSCORES'],
      ['ZINTERSTORE', 'i', 2, 'a', 'b', 'AGGREGATE', 'MIN'],
      ['ZRANGE', 'i', 0, -1, 'WITHSCORES'],
      ['ZINTERSTORE', 'i', 2, 'a', 'nokey'],
      ['ZCARD', 'i'],
      ['ZDIFFSTORE', 'df', 2, 'b', 'a'],
      ['ZRANGE', 'df', 0, -1, 'WITHSCORES'],
      ['ZINTERCARD', 2, 'a', 'b'],
      ['ZINTERCARD', 2, 'a', 'b', 'LIMIT', 1],
      ['ZINTERCARD', 2, 'a', 'b', 'LIMIT', -1],
      ['ZINTERCARD', 0, 'a'],
      ['ZINTERCARD', 1, 'a', 'WITHSCORES'],
      ['SET', 'str', 'v'],
      ['ZUNION', 2, 'a', 'str'],
      ['ZUNIONSTORE', 'a', 2, 'a', 'a'],
      ['ZRANGE', 'a', 0, -1, 'WITHSCORES'],
    ]);
  });

  test('ZSCAN on small sets', async () => {
    await both([
      ['FLUSHALL'],
      ['ZADD', 'z', 1, 'a', 2.5, 'b', 3, 'c', 0.1, 'ab'],
      ['ZSCAN', 'z', 0],
      ['ZSCAN', 'z', 0, 'MATCH', 'a*'],
      ['ZSCAN', 'z', 0, 'COUNT', 1],
      ['ZSCAN', 'z', 0, 'COUNT', 0],
      ['ZSCAN', 'z', 'x'],
      ['ZSCAN', 'nokey', 0],
    ]);
  });

  test('ZSCAN on a large set returns every member exactly once', async () => {
    const add: Cmd = ['ZADD', 'big'];
    for (let i = 0; i < 300; i++) add.push(i, `member:${i}`);
    await d.a.call(...add);
    const seen = new Map<string, string>();
    let cursor = '0';
    do {
      const r = (await d.a.call('ZSCAN', 'big', cursor, 'COUNT', 50)) as [string, string[]];
      cursor = r[0];
      for (let i = 0; i < r[1].length; i += 2) {
        expect(seen.has(r[1][i])).toBe(false);
        seen.set(r[1][i], r[1][i + 1]);
      }
    } while (cursor !== '0');
    expect(seen.size).toBe(300);
    expect(seen.get('member:42')).toBe('42');
  });

  test('arity and command errors', async () => {
    await both([
      ['ZADD', 'z'],
      ['ZRANGE', 'z', 0],
      ['ZRANGESTORE', 'd', 'z', 0],
      ['ZINCRBY', 'z', 1],
      ['ZSCORE', 'z'],
      ['BZPOPMIN', 'z'],
      ['ZUNIONSTORE', 'd', 1],
    ]);
  });

  test('randomized command sequences match (seeded)', async () => {
    const member = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'aa', 'ab', '', 'zz');
    const score = fc.constantFrom('0', '1', '-1', '2.5', '1e3', '-inf', '+inf', '0.1', '3', '(1', '-0');
    const bound = fc.constantFrom('-inf', '+inf', '0', '1', '(1', '2.5', '(3', '-1');
    const lex = fc.constantFrom('-', '+', '[a', '(a', '[b', '(ab', '[zz', '[');
    const key = fc.constantFrom('k1', 'k2', 'k3');
    const int = fc.integer({ min: -6, max: 6 });
    const cmd: fc.Arbitrary<Cmd> = fc.oneof(
      fc.tuple(key, score, member, score, member).map(([k, s1, m1, s2, m2]) => ['ZADD', k, s1, m1, s2, m2]),
      fc.tuple(key, fc.constantFrom('NX', 'XX', 'GT', 'LT', 'CH', 'INCR'), score, member).map(([k, o, s, m]) => ['ZADD', k, o, s, m]),
      fc.tuple(key, score, member).map(([k, s, m]) => ['ZINCRBY', k, s, m]),
      fc.tuple(key, member, member).map(([k, m1, m2]) => ['ZREM', k, m1, m2]),
      fc.tuple(key, int, int).map(([k, a, b]) => ['ZRANGE', k, a, b, 'WITHSCORES']),
      fc.tuple(key, bound, bound, fc.boolean()).map(([k, a, b, rev]) => (rev ? ['ZRANGE', k, a, b, 'BYSCORE', 'REV', 'WITHSCORES'] : ['ZRANGEBYSCORE', k, a, b, 'WITHSCORES'])),
      fc.tuple(key, lex, lex, int, int).map(([k, a, b, o, n]) => ['ZRANGEBYLEX', k, a, b, 'LIMIT', o, n]),
      fc.tuple(key, lex, lex).map(([k, a, b]) => ['ZREVRANGEBYLEX', k, a, b]),
      fc.tuple(key, bound, bound).map(([k, a, b]) => ['ZCOUNT', k, a, b]),
      fc.tuple(key, lex, lex).map(([k, a, b]) => ['ZLEXCOUNT', k, a, b]),
      fc.tuple(key, member).map(([k, m]) => ['ZRANK', k, m]),
      fc.tuple(key, member).map(([k, m]) => ['ZREVRANK', k, m]),
      fc.tuple(key, member).map(([k, m]) => ['ZSCORE', k, m]),
      fc.tuple(key, int, int).map(([k, a, b]) => ['ZREMRANGEBYRANK', k, a, b]),
      fc.tuple(key, bound, bound).map(([k, a, b]) => ['ZREMRANGEBYSCORE', k, a, b]),
      fc.tuple(key, lex, lex).map(([k, a, b]) => ['ZREMRANGEBYLEX', k, a, b]),
      fc.tuple(key, fc.integer({ min: 1, max: 3 })).map(([k, n]) => ['ZPOPMIN', k, n]),
      fc.tuple(key).map(([k]) => ['ZPOPMAX', k]),
      fc.tuple(key, key, fc.constantFrom('SUM', 'MIN', 'MAX')).map(([a, b, ag]) => ['ZUNION', 2, a, b, 'AGGREGATE', ag, 'WITHSCORES']),
      fc.tuple(key, key, score).map(([a, b, w]) => ['ZINTER', 2, a, b, 'WEIGHTS', w.replace('(', ''), 2, 'WITHSCORES']),
      fc.tuple(key, key).map(([a, b]) => ['ZDIFF', 2, a, b, 'WITHSCORES']),
      fc.tuple(key, key, key).map(([dst, a, b]) => ['ZUNIONSTORE', dst, 2, a, b]),
      fc.tuple(key, key, int, int).map(([dst, src, a, b]) => ['ZRANGESTORE', dst, src, a, b]),
      fc.tuple(key).map(([k]) => ['ZCARD', k]),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 40 }), async (cmds) => {
        await d.check([['FLUSHALL'], ...cmds]);
        await d3.check([['FLUSHALL'], ...cmds]);
      }),
      { seed: 20240607, numRuns: 60 },
    );
  }, 120000);
});

/** Waits until INFO reports `n` blocked clients. */
describe('blocking pops with real connections', () => {
  /** Blocks one connection on each server, then feeds both from another connection; replies must match. */
  async function blockedThenServed(block: Cmd, feed: Cmd[], resp3 = false): Promise<[Resp, Resp]> {
    const [xa, xb] = await Promise.all([RespClient.connect(d.ours.port), RespClient.connect(d.theirs.port)]);
    try {
      if (resp3) await Promise.all([xa.call('HELLO', '3'), xb.call('HELLO', '3')]);
      const pa = xa.call(...block);
      const pb = xb.call(...block);
      await waitBlocked(d.a, 1);
      await waitBlocked(d.b, 1);
      for (const f of feed) await d.both(...f);
      return await Promise.all([pa, pb]);
    } finally {
      xa.close();
      xb.close();
    }
  }

  test('BZPOPMIN / BZPOPMAX are served by a later ZADD, in RESP2 and RESP3', async () => {
    await d.both('FLUSHALL');
    let [a, b] = await blockedThenServed(['BZPOPMIN', 'q1', 'q2', 0], [['ZADD', 'q2', 5, 'x', 1, 'y']]);
    expect(a).toEqual(b);
    expect(a).toEqual(['q2', 'y', '1']);
    [a, b] = await blockedThenServed(['BZPOPMAX', 'q3', 0], [['ZADD', 'q3', 7, 'z', 0.5, 'h']], true);
    expect(a).toEqual(b);
    expect(a).toEqual(['q3', 'z', { double: '7' }]);
    await d.check([['ZRANGE', 'q2', 0, -1, 'WITHSCORES'], ['ZRANGE', 'q3', 0, -1, 'WITHSCORES']]);
  });

  test('BZMPOP is served with COUNT; an immediate pop does not block', async () => {
    await d.both('FLUSHALL');
    const [a, b] = await blockedThenServed(['BZMPOP', 0, 2, 'w1', 'w2', 'MAX', 'COUNT', 2], [['ZADD', 'w2', 1, 'a', 2, 'b', 3, 'c']]);
    expect(a).toEqual(b);
    expect(a).toEqual(['w2', [['c', '3'], ['b', '2']]]);
    await d.check([
      ['BZMPOP', 1, 1, 'w2', 'MIN'],
      ['BZMPOP', 1, 0, 'w2', 'MIN'],
      ['BZMPOP', 'x', 1, 'w2', 'MIN'],
      ['BZPOPMIN', 'w2', -1],
      ['BZPOPMIN', 'w2', 'abc'],
      ['ZADD', 'w3', 1, 'a'],
      ['BZPOPMIN', 'nokey', 'w3', 1],
    ]);
  });

  test('a blocking pop times out with a null reply', async () => {
    await d.check([['BZPOPMIN', 'never', 0.05]]);
    await d3.check([['BZPOPMAX', 'never', 0.05], ['BZMPOP', 0.05, 1, 'never', 'MIN']]);
  });

  test('the first blocked client is served first; the next waits for more', async () => {
    const c1 = await RespClient.connect(d.ours.port);
    const c2 = await RespClient.connect(d.ours.port);
    try {
      await d.a.call('FLUSHALL');
      const p1 = c1.call('BZPOPMIN', 'fifo', 0);
      await waitBlocked(d.a, 1);
      const p2 = c2.call('BZPOPMIN', 'fifo', 0);
      await waitBlocked(d.a, 2);
      await d.a.call('ZADD', 'fifo', 1, 'one');
      expect(await p1).toEqual(['fifo', 'one', '1']);
      await d.a.call('ZADD', 'fifo', 2, 'two');
      expect(await p2).toEqual(['fifo', 'two', '2']);
    } finally {
      c1.close();
      c2.close();
    }
  });
});
