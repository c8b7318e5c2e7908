import * as fc from 'fast-check';
import { Differential, useDifferential } from './differential';
import { Resp, RespClient } from './resp-client';
import { bucketHigh, bucketLow, bucketOf, HIST_SIZE } from '../../engine/server/latency-histogram';

/**
 * LATENCY HISTOGRAM and INFO latencystats, differential against redis-server 7.0. Durations differ
 * between the servers, so the shapes are compared (commands, calls, reply types) and the numbers
 * are checked against Valkey's rules: bucket bounds from its power-of-two series, cumulative counts
 * ending at `calls`, percentiles printed with three decimals.
 */

/** Valkey's reported bucket bounds (µs): (1024·2^k + 2^(k+3) − 1) / 1000, rounded down. */
const BOUNDS = new Set(Array.from({ length: 21 }, (_, k) => Math.floor((1024 * 2 ** k + 2 ** (k + 3) - 1) / 1000)));

/** Pairs of a map reply, RESP3 (`{map}`) or RESP2 (flat array). */
function pairs(r: Resp): Array<[Resp, Resp]> {
  if (r !== null && typeof r === 'object' && !Array.isArray(r) && 'map' in r) return r.map;
  const a = r as unknown as Resp[];
  const out: Array<[Resp, Resp]> = [];
  for (let i = 0; i < a.length; i += 2) out.push([a[i], a[i + 1]]);
  return out;
}

/**
 * A LATENCY HISTOGRAM reply with its numbers checked and replaced: each command's histogram must
 * use Valkey's bounds in increasing order with cumulative counts up to `calls`.
 */
function shape(r: Resp): Resp {
  const kind = (x: Resp) => (Array.isArray(x) ? 'array' : x !== null && typeof x === 'object' && 'map' in x ? 'map' : typeof x);
  return {
    kind: kind(r),
    commands: pairs(r).map(([name, body]) => {
      const fields = pairs(body);
      expect(fields.map(([k]) => k)).toEqual(['calls', 'histogram_usec']);
      const calls = fields[0][1] as number;
      const rows = pairs(fields[1][1]) as Array<[number, number]>;
      let prevBound = 0;
      let prevCount = 0;
      for (const [bound, count] of rows) {
        expect(BOUNDS.has(bound)).toBe(true);
        expect(bound).toBeGreaterThan(prevBound);
        expect(count).toBeGreaterThan(prevCount);
        prevBound = bound;
        prevCount = count;
      }
      expect(prevCount).toBe(calls);
      return [name, calls, kind(body), kind(fields[1][1])];
    }).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)), // the servers' own order (Valkey: its dict's)
  } as unknown as Resp;
}

function text(r: Resp): string {
  return r !== null && typeof r === 'object' && 'verbatim' in r ? r.verbatim.slice(4) : String(r);
}

/** INFO latencystats lines with the values replaced by their format check. */
function latencyLines(r: Resp): string[] {
  return text(r).split('\r\n').filter((l) => l.startsWith('latency_percentiles_usec_')).map((l) => {
    const [name, values] = l.split(':');
    const parts = values === '' ? [] : values.split(',');
    return `${name}:${parts.map((p) => p.replace(/=\d+\.\d{3}$/, '=N')).join(',')}`;
  }).sort();
}

describe('LATENCY HISTOGRAM and INFO latencystats, differential against redis-server', () => {
  let d: Differential;
  useDifferential((x) => (d = x));
  beforeEach(async () => {
    await d.both('CONFIG', 'RESETSTAT');
  });

  test('LATENCY HISTOGRAM per command, subcommand and container; unknown names are skipped', async () => {
    for (let i = 0; i < 20; i++) await d.both('SET', `k${i}`, 'v');
    for (let i = 0; i < 5; i++) await d.both('GET', `k${i}`);
    await d.both('CONFIG', 'GET', 'maxmemory');
    for (const args of [['SET'], ['get', 'SET'], ['nosuchcommand'], ['config|get'], ['CONFIG'], ['config|nosuch'], ['hset']]) {
      const [x, y] = await d.both('LATENCY', 'HISTOGRAM', ...args);
      expect({ args, reply: shape(x) }).toEqual({ args, reply: shape(y) });
    }
    const [x] = await d.both('LATENCY', 'HISTOGRAM', 'set');
    expect(pairs(pairs(x)[0][1])[0][1]).toBe(20);
    // Every command with data (the order is the server's: compare as sets).
    const [all, allTheirs] = await d.both('LATENCY', 'HISTOGRAM');
    const names = (r: Resp) => pairs(r).map(([n]) => n).sort();
    expect(names(all)).toEqual(names(allTheirs));
    shape(all);
  });

  test('the same in RESP3 (maps), and CONFIG RESETSTAT empties the histograms', async () => {
    const a = await RespClient.connect(d.ours.port);
    const b = await RespClient.connect(d.theirs.port);
    try {
      await Promise.all([a.call('HELLO', '3'), b.call('HELLO', '3')]);
      await Promise.all([a.call('INCR', 'n'), b.call('INCR', 'n')]);
      const [x, y] = await Promise.all([a.call('LATENCY', 'HISTOGRAM', 'incr', 'hello'), b.call('LATENCY', 'HISTOGRAM', 'incr', 'hello')]);
      expect(shape(x)).toEqual(shape(y));
      expect((shape(x) as unknown as { kind: string }).kind).toBe('map');
      await Promise.all([a.call('CONFIG', 'RESETSTAT'), b.call('CONFIG', 'RESETSTAT')]);
      const after = await Promise.all([a.call('LATENCY', 'HISTOGRAM', 'incr'), b.call('LATENCY', 'HISTOGRAM', 'incr')]);
      expect(after).toEqual([{ map: [] }, { map: [] }]);
    } finally {
      a.close();
      b.close();
    }
  });

  test('INFO latencystats follows latency-tracking and latency-tracking-info-percentiles', async () => {
    await d.both('SET', 'a', '1');
    await d.both('GET', 'a');
    let [x, y] = await d.both('INFO', 'latencystats');
    expect(latencyLines(x)).toEqual(latencyLines(y));
    expect(latencyLines(x)).toContain('latency_percentiles_usec_get:p50=N,p99=N,p99.9=N');
    await d.check([
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '0 0.5 99.99990 100'],
      ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 101'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 abc'],
      ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
    ]);
    [x, y] = await d.both('INFO', 'latencystats');
    expect(latencyLines(x)).toEqual(latencyLines(y));
    expect(latencyLines(x)).toContain('latency_percentiles_usec_get:p0=N,p0.5=N,p99.9999=N,p100=N');
    await d.check([['CONFIG', 'SET', 'latency-tracking-info-percentiles', ''], ['CONFIG', 'GET', 'latency-tracking-info-percentiles']]);
    [x, y] = await d.both('INFO', 'latencystats');
    expect(latencyLines(x)).toEqual(latencyLines(y));
    expect(latencyLines(x)).toContain('latency_percentiles_usec_get:');
    await d.check([['CONFIG', 'SET', 'latency-tracking', 'no'], ['CONFIG', 'GET', 'latency-tracking']]);
    [x, y] = await d.both('INFO', 'latencystats');
    expect(text(x).trim()).toBe('# Latencystats');
    expect(text(y).trim()).toBe('# Latencystats');
    // Off: no new histograms are made.
    await d.both('STRLEN', 'a');
    await d.check([['LATENCY', 'HISTOGRAM', 'strlen']]);
    await d.both('CONFIG', 'SET', 'latency-tracking', 'yes');
    await d.both('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
  });

  test('percentiles are ordered and the histogram counts every call (our node)', async () => {
    const ours = await RespClient.connect(d.ours.port);
    try {
      await ours.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.9');
      for (let i = 0; i < 200; i++) await ours.call('ECHO', 'x');
      const line = text(await ours.call('INFO', 'latencystats')).split('\r\n').find((l) => l.startsWith('latency_percentiles_usec_echo:'))!;
      const m = /p50=(\d+\.\d{3}),p99\.9=(\d+\.\d{3})/.exec(line)!;
      expect(Number(m[1])).toBeGreaterThan(0);
      expect(Number(m[2])).toBeGreaterThanOrEqual(Number(m[1]));
      const hist = await ours.call('LATENCY', 'HISTOGRAM', 'echo');
      expect(shape(hist)).toEqual({ kind: 'array', commands: [['echo', 200, 'array', 'array']] });
    } finally {
      await ours.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
      ours.close();
    }
  });

  test('LATENCY subcommands are all there (HELP lists them, COMMAND knows them)', async () => {
    await d.check([['LATENCY', 'HELP']]);
    const [x, y] = await d.both('COMMAND', 'INFO', 'latency|histogram', 'latency|latest', 'latency|history', 'latency|reset', 'latency|doctor', 'latency|graph');
    const head = (r: Resp) => (r as Resp[]).map((e) => (Array.isArray(e) ? [e[0], e[1]] : e));
    expect(head(x)).toEqual(head(y));
  });
});

describe('latency histogram buckets', () => {
  test('every duration falls in a bucket whose bounds hold it, about 6% wide', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), (ns) => {
      const i = bucketOf(ns);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(HIST_SIZE);
      expect(bucketLow(i)).toBeLessThanOrEqual(ns);
      expect(bucketHigh(i)).toBeGreaterThanOrEqual(ns);
      expect(bucketHigh(i) - bucketLow(i) + 1).toBeLessThanOrEqual(Math.max(1, bucketLow(i) / 16));
    }), { numRuns: 2000 });
  });
});
