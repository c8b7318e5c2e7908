import fc from 'fast-check';
import { Differential } from './differential';
import { Resp } from './resp-client';

/**
 * HyperLogLog compared with Debian's redis-server: the bytes GET returns after PFADD/PFMERGE
 * (sparse, dense, promotions), PFCOUNT (cached and recomputed, unions), PFDEBUG, errors, and
 * HLLs moved between the two servers as raw strings.
 */

const elements = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

/** PFADD in batches of 500 elements (one command each). */
function pfaddAll(key: string, items: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < items.length; i += 500) out.push(['PFADD', key, ...items.slice(i, i + 500)]);
  return out;
}

describe('HyperLogLog (differential)', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  const run = async (cmds: Array<Array<string | number | Buffer>>) => {
    if (!d) throw new Error('redis-server is not installed');
    await d.check([['FLUSHALL'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'], ...cmds]);
  };

  test('an empty HLL, PFADD return values, the cached cardinality in the header', async () => {
    await run([
      ['PFADD', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', 'a'],
      ['GET', 'h'],
      ['PFADD', 'h', 'a'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', 'b', 'c', 'a', ''],
      ['PFCOUNT', 'h'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFCOUNT', 'missing'],
      ['PFADD', 'bin', Buffer.from([0, 1, 2, 255, 128]), Buffer.from('1234567'), Buffer.from('12345678'), Buffer.from('123456789abcdefgh')],
      ['GET', 'bin'],
      ['PFDEBUG', 'DECODE', 'bin'],
    ]);
  });

  test('sparse sequences: GET bytes, DECODE and counts after every batch', async () => {
    const cmds: Array<Array<string | number>> = [];
    for (const n of [1, 2, 5, 20, 60, 150, 300, 600]) {
      cmds.push(['PFADD', 's', ...elements('s', 0, n)], ['GET', 's'], ['PFDEBUG', 'ENCODING', 's'], ['PFDEBUG', 'DECODE', 's'], ['PFCOUNT', 's'], ['GET', 's']);
    }
    await run(cmds);
  });

  test('promotion to dense past hll-sparse-max-bytes, then dense updates', async () => {
    await run([
      ...pfaddAll('h', elements('x', 0, 1500)),
      ['PFDEBUG', 'ENCODING', 'h'],
      ['GET', 'h'],
      ...pfaddAll('h', elements('x', 1500, 3000)),
      ['PFDEBUG', 'ENCODING', 'h'],
      ['GET', 'h'],
      ['PFCOUNT', 'h'],
      ...pfaddAll('h', elements('y', 0, 20000)),
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['PFADD', 'h', 'x1'],
      ['PFADD', 'h', 'brand-new-element'],
      ['PFCOUNT', 'h'],
      ['GET', 'h'],
      ['CONFIG', 'SET', 'hll-sparse-max-bytes', '60'],
      ['PFADD', 'small', ...elements('z', 0, 10)],
      ['PFDEBUG', 'ENCODING', 'small'],
      ['PFADD', 'small', ...elements('z', 10, 40)],
      ['PFDEBUG', 'ENCODING', 'small'],
      ['GET', 'small'],
      ['PFCOUNT', 'small'],
    ]);
  });

  test('PFCOUNT over a range of cardinalities, single and union', async () => {
    const cmds: Array<Array<string | number>> = [];
    let added = 0;
    for (const n of [10, 100, 1000, 4000, 12000, 40000]) {
      cmds.push(...pfaddAll('c', elements('c', added, n)), ['PFCOUNT', 'c']);
      added = n;
    }
    cmds.push(...pfaddAll('u1', elements('c', 0, 3000)), ...pfaddAll('u2', elements('c', 2000, 9000)), ['PFADD', 'u3', 'only']);
    cmds.push(['PFCOUNT', 'u1', 'u2'], ['PFCOUNT', 'u1', 'u3'], ['PFCOUNT', 'u1', 'u2', 'u3', 'missing', 'c'], ['PFCOUNT', 'missing', 'missing2']);
    await run(cmds);
  });

  test('PFMERGE: sparse and dense sources, into new, sparse and dense destinations', async () => {
    await run([
      ['PFADD', 'a', ...elements('a', 0, 40)],
      ['PFADD', 'b', ...elements('a', 20, 90)],
      ...pfaddAll('dense', elements('d', 0, 5000)),
      ['PFMERGE', 'm1', 'a', 'b'],
      ['GET', 'm1'],
      ['PFDEBUG', 'ENCODING', 'm1'],
      ['PFCOUNT', 'm1'],
      ['PFMERGE', 'm2', 'a', 'dense'],
      ['PFDEBUG', 'ENCODING', 'm2'],
      ['GET', 'm2'],
      ['PFMERGE', 'a', 'b'],
      ['GET', 'a'],
      ['PFMERGE', 'dense', 'a', 'missing'],
      ['GET', 'dense'],
      ['PFMERGE', 'empty'],
      ['GET', 'empty'],
      ['PFMERGE', 'empty2', 'missing'],
      ['GET', 'empty2'],
      ['PFCOUNT', 'm1', 'm2', 'dense'],
    ]);
  });

  test('PFDEBUG and PFSELFTEST', async () => {
    await run([
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['PFDEBUG', 'ENCODING', 'h'],
      ['PFDEBUG', 'decode', 'h'],
      ['PFDEBUG', 'GETREG', 'h'],
      ['PFDEBUG', 'ENCODING', 'h'],
      ['GET', 'h'],
      ['PFDEBUG', 'DECODE', 'h'],
      ['PFADD', 'h2', 'x'],
      ['PFCOUNT', 'h2'],
      ['PFDEBUG', 'TODENSE', 'h2'],
      ['PFDEBUG', 'TODENSE', 'h2'],
      ['GET', 'h2'],
      ['PFADD', 'h2', 'y'],
      ['PFCOUNT', 'h2'],
      ['GET', 'h2'],
      ['PFDEBUG', 'Foo', 'h2'],
      ['PFDEBUG', 'ENCODING', 'missing'],
      ['PFDEBUG', 'ENCODING'],
      ['PFDEBUG', 'ENCODING', 'h', 'x'],
      ['SET', 's', 'not an hll'],
      ['PFDEBUG', 'ENCODING', 's'],
      ['PFSELFTEST', 'x'],
    ]);
    // redis-server's self-test adds 10M elements (seconds); ours runs a scaled-down version
    expect(await d!.a.call('PFSELFTEST')).toEqual({ simple: 'OK' });
  });

  test('non-HLL strings, corrupted HLLs and a register above the sparse limit', async () => {
    const hdr = (enc: number, card = [0, 0, 0, 0, 0, 0, 0, 0x80]) => Buffer.from([0x48, 0x59, 0x4c, 0x4c, enc, 0, 0, 0, ...card]);
    // a dense HLL with register 5 = 40 (> 32, not representable sparse)
    const dense = Buffer.concat([hdr(0), Buffer.alloc(12288)]);
    // register 5 starts at bit 30: its low 2 bits (00) end byte 3, its high 4 bits (1010) start byte 4
    dense[16 + 4] = 0b1010;
    await run([
      ['SET', 'str', 'hello'],
      ['PFADD', 'str', 'a'],
      ['PFCOUNT', 'str'],
      ['PFCOUNT', 'str', 'missing'],
      ['PFMERGE', 'd', 'str'],
      ['PFMERGE', 'str', 'missing'],
      ['SET', 'num', '12345'],
      ['PFADD', 'num', 'a'],
      ['SET', 'short', 'HYLL'],
      ['PFCOUNT', 'short'],
      ['SET', 'badenc', Buffer.concat([hdr(2), Buffer.from([0x7f, 0xff])])],
      ['PFCOUNT', 'badenc'],
      ['SET', 'badsize', Buffer.concat([hdr(0), Buffer.alloc(100)])],
      ['PFCOUNT', 'badsize'],
      ['SET', 'corrupt', Buffer.concat([hdr(1), Buffer.from([0x7f, 0xf0])])],
      ['PFCOUNT', 'corrupt'],
      ['PFCOUNT', 'corrupt', 'missing'],
      ['PFADD', 'corrupt', 'a', 'b'],
      ['PFMERGE', 'x', 'corrupt'],
      ['PFDEBUG', 'GETREG', 'corrupt'],
      ['PFDEBUG', 'DECODE', 'corrupt'],
      ['SET', 'overrun', Buffer.concat([hdr(1), Buffer.from([0x7f, 0xff, 0x80])])],
      ['PFCOUNT', 'overrun'],
      ['PFADD', 'overrun', 'zzz'],
      ['SET', 'cached', Buffer.concat([hdr(1, [42, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0x7f, 0xff])])],
      ['PFCOUNT', 'cached'],
      ['SET', 'big', dense],
      ['PFCOUNT', 'big'],
      ['PFADD', 'sp', 'a', 'b'],
      ['PFMERGE', 'sp', 'big'],
      ['PFDEBUG', 'ENCODING', 'sp'],
      ['GET', 'sp'],
      ['PFADD', 'sp2', 'q'],
      ['SET', 'bigsparse', Buffer.concat([hdr(1), Buffer.from([0x53, 0xff, 0xa0, 0x60, 0x3f])])],
      ['PFMERGE', 'sp2', 'bigsparse'],
      ['GET', 'sp2'],
    ]);
  });

  test('random PFADD / PFCOUNT / PFMERGE sequences agree byte for byte (seeded)', async () => {
    if (!d) throw new Error('redis-server is not installed');
    const key = fc.constantFrom('h1', 'h2', 'h3');
    const elem = fc.oneof(fc.integer({ min: 0, max: 3000 }).map((n) => `e${n}`), fc.string({ maxLength: 12 }));
    const cmd: fc.Arbitrary<Array<string | number>> = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(key, fc.array(elem, { maxLength: 60 })).map(([k, es]) => ['PFADD', k, ...es]) },
      { weight: 2, arbitrary: fc.tuple(key, fc.integer({ min: 100, max: 1500 }), fc.integer({ min: 0, max: 5000 })).map(([k, n, o]) => ['PFADD', k, ...elements('b', o, o + n)]) },
      { weight: 2, arbitrary: key.map((k) => ['PFCOUNT', k]) },
      { weight: 1, arbitrary: fc.array(key, { minLength: 2, maxLength: 3 }).map((ks) => ['PFCOUNT', ...ks]) },
      { weight: 2, arbitrary: fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['PFMERGE', ...ks]) },
      { weight: 2, arbitrary: key.map((k) => ['GET', k]) },
      { weight: 1, arbitrary: key.map((k) => ['PFDEBUG', 'ENCODING', k]) },
      { weight: 1, arbitrary: fc.constantFrom('100', '500', '3000').map((v) => ['CONFIG', 'SET', 'hll-sparse-max-bytes', v]) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 3, maxLength: 25 }), async (cmds) => {
        await d!.check([['FLUSHALL'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'], ...cmds, ['GET', 'h1'], ['GET', 'h2'], ['GET', 'h3']]);
      }),
      { seed: 0x411, numRuns: 60 },
    );
  });

  test('an HLL made by one server works on the other', async () => {
    if (!d) throw new Error('redis-server is not installed');
    const dd = d;
    await run([]);
    const moveAndCheck = async (from: 'a' | 'b', key: string, more: string[]) => {
      const bytes = await dd[from].call('GET', key);
      expect(typeof bytes).toBe('string');
      const raw = Buffer.from(bytes as string, 'latin1');
      // both servers now hold the same bytes under `copy`
      await dd.check([
        ['SET', 'copy', raw],
        ['PFCOUNT', 'copy'],
        ['GET', 'copy'],
        ['PFDEBUG', 'ENCODING', 'copy'],
        ['PFADD', 'copy', ...more],
        ['PFCOUNT', 'copy'],
        ['GET', 'copy'],
        ['SET', 'original', raw],
        ['PFCOUNT', 'copy', 'original'],
        ['PFMERGE', 'original', 'copy'],
        ['GET', 'original'],
        ['PFCOUNT', 'original'],
      ]);
    };
    // made by redis-server, used by ours
    await dd.b.call('PFADD', 'theirs-sparse', ...elements('t', 0, 200));
    for (const batch of pfaddAll('theirs-dense', elements('t', 0, 8000))) await dd.b.call(...batch);
    await moveAndCheck('b', 'theirs-sparse', elements('n', 0, 300));
    await moveAndCheck('b', 'theirs-dense', elements('n', 0, 300));
    // made by ours, used by redis-server
    await dd.a.call('PFADD', 'ours-sparse', ...elements('o', 0, 100));
    for (const batch of pfaddAll('ours-dense', elements('o', 0, 9000))) await dd.a.call(...batch);
    await moveAndCheck('a', 'ours-sparse', elements('m', 0, 2000));
    await moveAndCheck('a', 'ours-dense', elements('m', 0, 50));
    const [x, y]: [Resp, Resp] = await dd.both('GET', 'copy');
    expect(x).toEqual(y);
  });
});
