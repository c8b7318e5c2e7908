import fc from 'fast-check';
import { Differential, useDifferential } from './differential';

// The string commands against redis-server: the same commands, the same replies (types included).
let d: Differential;
useDifferential((x) => (d = x));

test('SET options, GET, GETSET, GETDEL, GETEX, SETNX, MSET/MSETNX/MGET', async () => {
  await d.check([
    ['SET', 'k', 'v'], ['GET', 'k'], ['SET', 'k', 'w', 'NX'], ['SET', 'k', 'w', 'XX', 'GET'], ['SET', 'n', 'x', 'XX'],
    ['SET', 'k', 'v', 'NX', 'XX'], ['SET', 'k', 'v', 'EX', '0'], ['SET', 'k', 'v', 'EX', 'abc'], ['SET', 'k', 'v', 'PX', '100', 'KEEPTTL'],
    ['SET', 'k', 'v', 'EX', '100'], ['SET', 'k', 'v2', 'KEEPTTL'], ['GETSET', 'k', 'v3'], ['GETDEL', 'k'], ['GETDEL', 'k'],
    ['SET', 'e', '1'], ['GETEX', 'e', 'PERSIST'], ['GETEX', 'e', 'EX', '10', 'PX', '10'], ['GETEX', 'missing', 'EX', '10'],
    ['SETNX', 'a', '1'], ['SETNX', 'a', '2'], ['MSET', 'a', '1', 'b', '2'], ['MSET', 'a'], ['MSETNX', 'c', '3', 'a', '9'],
    ['MSETNX', 'c', '3', 'd', '4'], ['MGET', 'a', 'b', 'c', 'd', 'none'], ['SETEX', 'x', '0', 'v'], ['PSETEX', 'x', '-1', 'v'],
  ]);
});

test('counters: INCR family, INCRBYFLOAT digits and limits', async () => {
  await d.check([
    ['INCR', 'i'], ['INCRBY', 'i', '41'], ['DECR', 'i'], ['DECRBY', 'i', '-2'], ['INCRBY', 'i', '9223372036854775800'],
    ['INCRBY', 'i', '100'], ['SET', 'i', '-9223372036854775808'], ['DECR', 'i'], ['DECRBY', 'i', '-9223372036854775808'],
    ['SET', 's', 'abc'], ['INCR', 's'], ['SET', 's', ' 1'], ['INCR', 's'], ['SET', 's', '01'], ['INCR', 's'],
    ['INCRBY', 'i', '1.5'], ['SET', 'f', '1.5'], ['INCRBYFLOAT', 'f', '0.1'], ['INCRBYFLOAT', 'f', '3.0e3'],
    ['INCRBYFLOAT', 'f', '-5.0e3'], ['INCRBYFLOAT', 'f', 'abc'], ['INCRBYFLOAT', 'f', 'inf'], ['SET', 'g', '10'],
    ['INCRBYFLOAT', 'g', '5'], ['INCRBYFLOAT', 'g', '1e-20'], ['GET', 'g'],
  ]);
});

test('APPEND, STRLEN, GETRANGE, SETRANGE, LCS', async () => {
  await d.check([
    ['APPEND', 'a', 'hello'], ['APPEND', 'a', ' world'], ['STRLEN', 'a'], ['STRLEN', 'none'], ['GETRANGE', 'a', '0', '4'],
    ['GETRANGE', 'a', '-5', '-1'], ['GETRANGE', 'a', '5', '2'], ['GETRANGE', 'a', '-100', '100'], ['GETRANGE', 'none', '0', '1'],
    ['SETRANGE', 'a', '6', 'WORLD'], ['GET', 'a'], ['SETRANGE', 'b', '3', 'x'], ['GET', 'b'], ['SETRANGE', 'c', '0', ''],
    ['EXISTS', 'c'], ['SETRANGE', 'a', '-1', 'x'], ['SET', 'l1', 'ohmytext'], ['SET', 'l2', 'mynewtext'], ['LCS', 'l1', 'l2'],
    ['LCS', 'l1', 'l2', 'LEN'], ['LCS', 'l1', 'l2', 'IDX'], ['LCS', 'l1', 'l2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
    ['LCS', 'l1', 'l2', 'LEN', 'IDX'],
  ]);
});

test('random sequences of string commands', async () => {
  const key = fc.constantFrom('a', 'b', 'c');
  const val = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom('', 'x', '1.5', 'abc', '00', '-0'));
  const cmd = fc.oneof(
    fc.tuple(fc.constant('SET'), key, val),
    fc.tuple(fc.constant('GET'), key),
    fc.tuple(fc.constant('INCR'), key),
    fc.tuple(fc.constant('INCRBY'), key, fc.integer({ min: -100, max: 100 }).map(String)),
    fc.tuple(fc.constant('APPEND'), key, val),
    fc.tuple(fc.constant('GETRANGE'), key, fc.integer({ min: -5, max: 5 }).map(String), fc.integer({ min: -5, max: 5 }).map(String)),
    fc.tuple(fc.constant('SETRANGE'), key, fc.integer({ min: 0, max: 8 }).map(String), val),
    fc.tuple(fc.constant('STRLEN'), key),
    fc.tuple(fc.constant('GETDEL'), key),
    fc.tuple(fc.constant('INCRBYFLOAT'), key, fc.constantFrom('0.1', '-2.5', '1e3', 'x')),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 25 }), async (cmds) => {
      await d.both('FLUSHALL');
      await d.check(cmds.map((c) => [...c]));
    }),
    { seed: 3, numRuns: 60 },
  );
});
