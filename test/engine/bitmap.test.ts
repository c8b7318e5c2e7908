import fc from 'fast-check';
import { Differential } from './differential';
import { RespClient } from './resp-client';

/**
 * Bit operations, compared with Debian's redis-server: hand-written edge cases (limits, errors,
 * argument order) and seeded random command sequences over strings that cross the size where
 * the node switches to a mutable buffer, interleaved with GET/SET/APPEND/SETRANGE.
 */
describe('bit operations (differential)', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  const run = async (cmds: Array<Array<string | number>>) => {
    if (!d) throw new Error('redis-server is not installed');
    await d.check([['FLUSHALL'], ...cmds]);
  };

  test('SETBIT / GETBIT edge cases and errors', async () => {
    await run([
      ['SETBIT', 'k', 0, 1],
      ['SETBIT', 'k', 0, 1],
      ['SETBIT', 'k', 7, 1],
      ['GET', 'k'],
      ['SETBIT', 'k', 100, 1],
      ['STRLEN', 'k'],
      ['GET', 'k'],
      ['SETBIT', 'k', 100, 0],
      ['GETBIT', 'k', 100],
      ['GETBIT', 'k', 7],
      ['GETBIT', 'k', 1000000],
      ['GETBIT', 'missing', 3],
      ['SETBIT', 'k', -1, 1],
      ['SETBIT', 'k', 'x', 1],
      ['SETBIT', 'k', 4294967296, 1],
      ['SETBIT', 'k', 1, 2],
      ['SETBIT', 'k', 1, -1],
      ['SETBIT', 'k', 1, 'on'],
      ['SETBIT', 'k', '01', 1],
      ['GETBIT', 'k', -1],
      ['GETBIT', 'k', 4294967296],
      ['GETBIT', 'missing', 'x'],
      ['SET', 's', 'foobar'],
      ['SETBIT', 's', 1, 0],
      ['GET', 's'],
      ['SET', 'n', '12345'],
      ['GETBIT', 'n', 2],
      ['SETBIT', 'n', 7, 0],
      ['GET', 'n'],
      ['SETBIT', 'k'],
      ['GETBIT', 'k'],
    ]);
  });

  test('a large bitmap: SETBIT far out, then string commands see the same bytes', async () => {
    await run([
      ['SETBIT', 'big', 80000, 1],
      ['SETBIT', 'big', 3, 1],
      ['SETBIT', 'big', 80000, 0],
      ['SETBIT', 'big', 80001, 1],
      ['STRLEN', 'big'],
      ['BITCOUNT', 'big'],
      ['GETRANGE', 'big', 0, 1],
      ['GET', 'big'],
      ['APPEND', 'big', 'tail'],
      ['SETBIT', 'big', 80008, 1],
      ['GETRANGE', 'big', -6, -1],
      ['SETRANGE', 'big', 2, 'xyz'],
      ['GETBIT', 'big', 16],
      ['GET', 'big'],
      ['SETBIT', 'big', 160000, 1],
      ['BITPOS', 'big', 1, 100],
      ['GET', 'big'],
      ['SET', 'big', 'short'],
      ['SETBIT', 'big', 2, 1],
      ['GET', 'big'],
    ]);
  });

  test('BITCOUNT and BITPOS ranges, BYTE|BIT, argument order', async () => {
    await run([
      ['SET', 's', 'foobar\x00\xff\x80\x01'],
      ['BITCOUNT', 's'],
      ['BITCOUNT', 's', 0, 0],
      ['BITCOUNT', 's', 1, 1],
      ['BITCOUNT', 's', -2, -1],
      ['BITCOUNT', 's', -1, -2],
      ['BITCOUNT', 's', 5, 30, 'BIT'],
      ['BITCOUNT', 's', 5, 30, 'byte'],
      ['BITCOUNT', 's', -100, 100, 'bit'],
      ['BITCOUNT', 's', 3, 3, 'BIT'],
      ['BITCOUNT', 's', 1],
      ['BITCOUNT', 's', 0, 1, 'foo'],
      ['BITCOUNT', 's', 0, 'x', 'foo'],
      ['BITCOUNT', 's', 'a', 'b'],
      ['BITCOUNT', 's', 0, 1, 'bit', 'x'],
      ['BITCOUNT', 'missing', 'a', 'b'],
      ['BITCOUNT', 'missing', 1],
      ['BITPOS', 's', 1],
      ['BITPOS', 's', 0],
      ['BITPOS', 's', 1, 6],
      ['BITPOS', 's', 0, 7],
      ['BITPOS', 's', 0, 7, 7],
      ['BITPOS', 's', 0, 7, -1],
      ['BITPOS', 's', 1, 2, -1, 'BYTE'],
      ['BITPOS', 's', 1, 7, 15, 'BIT'],
      ['BITPOS', 's', 0, 56, 63, 'BIT'],
      ['BITPOS', 's', 0, 60, 70, 'bit'],
      ['BITPOS', 's', 1, -5, -1, 'bit'],
      ['BITPOS', 's', 1, 3, 2],
      ['BITPOS', 's', 2],
      ['BITPOS', 's', 'x'],
      ['BITPOS', 's', 1, 0, 'x', 'foo'],
      ['BITPOS', 's', 1, 0, 'x'],
      ['BITPOS', 's', 1, 0, 1, 'bit', 3],
      ['BITPOS', 'missing', 0],
      ['BITPOS', 'missing', 1],
      ['BITPOS', 'missing', 1, 'x'],
      ['SET', 'ones', '\xff\xff\xff'],
      ['BITPOS', 'ones', 0],
      ['BITPOS', 'ones', 0, 1],
      ['BITPOS', 'ones', 0, 1, -1],
      ['BITPOS', 'ones', 0, 0, -1, 'bit'],
      ['SET', 'empty', ''],
      ['BITPOS', 'empty', 0],
      ['BITPOS', 'empty', 1],
      ['BITCOUNT', 'empty'],
      ['SET', 'zeros', '\x00\x00'],
      ['BITPOS', 'zeros', 1],
      ['BITPOS', 'zeros', 0, 1],
    ]);
  });

  test('BITOP AND/OR/XOR/NOT with missing keys, different lengths and errors', async () => {
    await run([
      ['SET', 'a', 'abcdef'],
      ['SET', 'b', '\xff\x00\x0f'],
      ['SETBIT', 'c', 5000, 1],
      ['BITOP', 'AND', 'd', 'a', 'b'],
      ['GET', 'd'],
      ['BITOP', 'or', 'd', 'a', 'b', 'c'],
      ['GET', 'd'],
      ['BITOP', 'XOR', 'd', 'a', 'b', 'missing'],
      ['GET', 'd'],
      ['BITOP', 'AND', 'd', 'a', 'missing'],
      ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'c'],
      ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'missing'],
      ['GET', 'd'],
      ['BITOP', 'NOT', 'd', 'a', 'b'],
      ['BITOP', 'NAND', 'd', 'a'],
      ['BITOP', 'AND', 'd'],
      ['BITOP', 'AND', 'a', 'a', 'b'],
      ['GET', 'a'],
    ]);
  });

  test('BITFIELD types, offsets, overflow and errors; BITFIELD_RO', async () => {
    await run([
      ['BITFIELD', 'f', 'SET', 'i8', 0, 100, 'GET', 'i8', 0, 'GET', 'u4', 0, 'GET', 'u4', 4],
      ['BITFIELD', 'f', 'INCRBY', 'i8', 0, 100],
      ['BITFIELD', 'f', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', 0, 100, 'INCRBY', 'i8', 0, -1000],
      ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'i8', 0, -1000, 'GET', 'i8', 0],
      ['BITFIELD', 'f', 'SET', 'u8', '#3', 255, 'INCRBY', 'u8', '#3', 1, 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '#3', -5, 'SET', 'u8', '#3', -1],
      ['BITFIELD', 'f', 'OVERFLOW', 'WRAP', 'SET', 'u8', '#3', -1, 'SET', 'i5', 3, 100, 'GET', 'i5', 3],
      ['BITFIELD', 'f', 'SET', 'i64', 7, '-9223372036854775808', 'INCRBY', 'i64', 7, -1, 'GET', 'i64', 7],
      ['BITFIELD', 'f', 'OVERFLOW', 'SAT', 'INCRBY', 'i64', 7, -1, 'INCRBY', 'i64', 7, '9223372036854775807', 'INCRBY', 'i64', 7, 1],
      ['BITFIELD', 'f', 'SET', 'u63', 1, '9223372036854775807', 'INCRBY', 'u63', 1, 1, 'GET', 'u63', 1, 'GET', 'i64', 0],
      ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'SET', 'u2', 100, 7, 'SET', 'i2', 100, -3, 'SET', 'i1', 0, -1, 'GET', 'i1', 0],
      ['BITFIELD', 'f', 'GET', 'u16', 1000],
      ['GET', 'f'],
      ['BITFIELD', 'g', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', 100, 300],
      ['GET', 'g'],
      ['BITFIELD', 'f'],
      ['BITFIELD', 'missing', 'GET', 'i8', 0],
      ['GET', 'missing'],
      ['BITFIELD', 'f', 'GET', 'i65', 0],
      ['BITFIELD', 'f', 'GET', 'u64', 0],
      ['BITFIELD', 'f', 'GET', 'u0', 0],
      ['BITFIELD', 'f', 'GET', 'x8', 0],
      ['BITFIELD', 'f', 'GET', 'I8', 0],
      ['BITFIELD', 'f', 'GET', 'U8', 0],
      ['BITFIELD', 'f', 'GET', 'i08', 0],
      ['BITFIELD', 'f', 'GET', '', 0],
      ['BITFIELD', 'f', 'GET', 'i8', -1],
      ['BITFIELD', 'f', 'GET', 'i8', '#-1'],
      ['BITFIELD', 'f', 'GET', 'i8', '#'],
      ['BITFIELD', 'f', 'GET', 'i8', 4294967296],
      ['BITFIELD', 'f', 'GET', 'i8', '#536870912'],
      ['BITFIELD', 'f', 'SET', 'i8', 0, 'x'],
      ['BITFIELD', 'f', 'SET', 'i8', 0],
      ['BITFIELD', 'f', 'GET', 'i8'],
      ['BITFIELD', 'f', 'OVERFLOW', 'foo'],
      ['BITFIELD', 'f', 'OVERFLOW'],
      ['BITFIELD', 'f', 'foo', 'i8', 0],
      ['BITFIELD', 'f', 'SET', 'i8', 0, 1, 'GET', 'x8', 0],
      ['BITFIELD_RO', 'f', 'GET', 'i8', 0, 'GET', 'u4', '#1'],
      ['BITFIELD_RO', 'f', 'SET', 'i8', 0, 1],
      ['BITFIELD_RO', 'f', 'INCRBY', 'i8', 0, 1, 'GET', 'i8', 0],
      ['BITFIELD_RO', 'f', 'OVERFLOW', 'SAT'],
      ['BITFIELD_RO', 'missing', 'GET', 'u8', 0],
    ]);
  });

  test('random command sequences agree with redis-server (seeded)', async () => {
    if (!d) throw new Error('redis-server is not installed');
    const key = fc.constantFrom('a', 'b', 'c');
    const bitOff = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 5000 }));
    const idx = fc.integer({ min: -700, max: 700 });
    const type = fc.tuple(fc.constantFrom('i', 'u'), fc.integer({ min: 1, max: 64 })).map(([s, n]) => `${s}${s === 'u' && n === 64 ? 63 : n}`);
    const fieldOff = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 40 }).map((n) => `#${n}`));
    const value = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String));
    const bfOp = fc.oneof(
      fc.tuple(fc.constant('GET'), type, fieldOff),
      fc.tuple(fc.constant('SET'), type, fieldOff, value),
      fc.tuple(fc.constant('INCRBY'), type, fieldOff, value),
      fc.tuple(fc.constant('OVERFLOW'), fc.constantFrom('WRAP', 'SAT', 'FAIL')),
    );
    const cmd: fc.Arbitrary<Array<string | number>> = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constant('SETBIT'), key, bitOff, fc.constantFrom(0, 1)) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('GETBIT'), key, bitOff) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('BITCOUNT'), key) },
      { weight: 3, arbitrary: fc.tuple(fc.constant('BITCOUNT'), key, idx, idx, fc.constantFrom('BIT', 'BYTE')) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('BITCOUNT'), key, idx, idx) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('BITPOS'), key, fc.constantFrom(0, 1)) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('BITPOS'), key, fc.constantFrom(0, 1), idx) },
      { weight: 3, arbitrary: fc.tuple(fc.constant('BITPOS'), key, fc.constantFrom(0, 1), idx, idx, fc.constantFrom('BIT', 'BYTE')) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('BITPOS'), key, fc.constantFrom(0, 1), idx, idx) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('BITOP'), fc.constantFrom('AND', 'OR', 'XOR'), key, key, key) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('BITOP'), fc.constant('NOT'), key, key) },
      { weight: 3, arbitrary: fc.tuple(fc.constant('BITFIELD'), key, fc.array(bfOp, { minLength: 1, maxLength: 4 })).map(([c, k, ops]) => [c, k, ...ops.flat()]) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('BITFIELD_RO'), key, fc.constant('GET'), type, fieldOff) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('GET'), key) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('STRLEN'), key) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('APPEND'), key, fc.string({ maxLength: 3 })) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('SETRANGE'), key, fc.integer({ min: 0, max: 400 }), fc.string({ minLength: 1, maxLength: 3 })) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('SET'), key, fc.string({ maxLength: 4 })) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('GETDEL'), key) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 40 }), async (cmds) => {
        await d!.check([['FLUSHALL'], ...cmds, ['GET', 'a'], ['GET', 'b'], ['GET', 'c']]);
      }),
      { seed: 0x5e7b17, numRuns: 150 },
    );
  });

  test('memory accounting returns to the baseline after bitmaps are deleted', async () => {
    if (!d) throw new Error('redis-server is not installed');
    const c = await RespClient.connect(d.ours.port);
    try {
      await c.call('FLUSHALL');
      const used = async () => Number(/used_memory:(\d+)/.exec(String(await c.call('INFO', 'memory')))![1]);
      const base = await used();
      for (let i = 0; i < 200; i++) await c.call('SETBIT', 'm1', i * 997, 1);
      await c.call('SETBIT', 'm2', 10, 1);
      await c.call('BITFIELD', 'm3', 'SET', 'u8', 100000, 7);
      await c.call('PFADD', 'h', ...Array.from({ length: 3000 }, (_, i) => `e${i}`));
      expect(await used()).toBeGreaterThan(base + 25000);
      await c.call('GET', 'm1');
      await c.call('SETBIT', 'm1', 5, 1);
      await c.call('APPEND', 'm3', 'x');
      for (const k of ['m1', 'm2', 'm3', 'h']) await c.call('GETDEL', k);
      expect(await used()).toBe(base);
    } finally {
      c.close();
    }
  });
});
