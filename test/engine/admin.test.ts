import { Differential, sorted, useDifferential } from './differential';
import { waitFor } from './nodes';
import { Resp, RespClient } from './resp-client';

/** INFO text → section → field → value. */
function parseInfo(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let cur = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) out.set(line.slice(2).toLowerCase(), (cur = new Map()));
    else if (line.includes(':')) cur.set(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1));
  }
  return out;
}

/** Fields of Redis 7.0's INFO that the node does not report (no I/O threads, no per-read counters). */
const NOT_REPORTED = new Set(['total_reads_processed', 'total_writes_processed', 'io_threaded_reads_processed', 'io_threaded_writes_processed',
  'reply_buffer_shrinks', 'reply_buffer_expands']);

describe('server administration, differential against redis-server', () => {
  let d: Differential;
  useDifferential((started) => {
    d = started;
  }, ['--enable-debug-command', 'yes']);

  test('INFO has every section and field redis-server 7.0 has, in the same order', async () => {
    await d.both('SET', 'k', 'v', 'EX', 100);
    await d.both('GET', 'k');
    await d.both('INCR', 'k'); // an error for errorstats
    const [ours, theirs] = (await d.both('INFO', 'everything')) as [string, string];
    const a = parseInfo(ours);
    const b = parseInfo(theirs);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [section, fields] of b) {
      if (section === 'commandstats' || section === 'errorstats' || section === 'keyspace' || section === 'latencystats') continue;
      const missing = [...fields.keys()].filter((f) => !a.get(section)!.has(f) && !NOT_REPORTED.has(f));
      expect({ section, missing }).toEqual({ section, missing: [] });
    }
    expect(a.get('keyspace')!.get('db0')).toMatch(/^keys=1,expires=1,avg_ttl=\d+$/);
    expect(Number(/avg_ttl=(\d+)/.exec(a.get('keyspace')!.get('db0')!)![1])).toBeGreaterThan(90000);
    expect(a.get('errorstats')!.get('errorstat_ERR')).toBe('count=1');
    expect(a.get('commandstats')!.get('cmdstat_incr')).toMatch(/^calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1$/);
    // the default sections and single sections
    const [defA, defB] = (await d.both('INFO')) as [string, string];
    expect([...parseInfo(defA).keys()]).toEqual([...parseInfo(defB).keys()]);
    const [one] = (await d.both('INFO', 'STATS', 'keyspace')) as [string, string];
    expect([...parseInfo(one).keys()]).toEqual(['stats', 'keyspace']);
  });

  test('INFO counters move: hits, misses, commands, errors, rejected calls, net bytes, expired keys', async () => {
    const c = d.a;
    const stats = async () => parseInfo((await c.call('INFO', 'everything')) as string);
    await c.call('CONFIG', 'RESETSTAT');
    const before = await stats();
    await c.call('SET', 'x', '1');
    await c.call('GET', 'x');
    await c.call('GET', 'nokey');
    await c.call('GET');
    await c.call('SET', 'gone', 'v', 'PX', 1);
    await waitFor(async () => (await c.call('DBSIZE')) === 1, 'the expired key');
    const after = await stats();
    const num = (m: Map<string, Map<string, string>>, s: string, f: string) => Number(m.get(s)!.get(f));
    expect(num(after, 'stats', 'keyspace_hits') - num(before, 'stats', 'keyspace_hits')).toBe(1);
    expect(num(after, 'stats', 'keyspace_misses') - num(before, 'stats', 'keyspace_misses')).toBe(1);
    expect(num(after, 'stats', 'total_commands_processed')).toBeGreaterThan(num(before, 'stats', 'total_commands_processed') + 4);
    expect(num(after, 'stats', 'total_net_input_bytes')).toBeGreaterThan(num(before, 'stats', 'total_net_input_bytes'));
    expect(num(after, 'stats', 'total_net_output_bytes')).toBeGreaterThan(num(before, 'stats', 'total_net_output_bytes'));
    expect(num(after, 'stats', 'expired_keys')).toBe(1);
    expect(num(after, 'stats', 'total_error_replies')).toBe(1);
    expect(after.get('commandstats')!.get('cmdstat_get')).toMatch(/^calls=2,usec=\d+,usec_per_call=[\d.]+,rejected_calls=1,failed_calls=0$/);
    expect(num(after, 'memory', 'used_memory')).toBeGreaterThan(0);
  });

  test('SLOWLOG GET, LEN, RESET, HELP', async () => {
    await d.check([['SLOWLOG', 'HELP'], ['SLOWLOG', 'GET', 'x'], ['SLOWLOG', 'GET', -2], ['SLOWLOG', 'bogus'], ['SLOWLOG'], ['SLOWLOG', 'LEN', 'x'], ['SLOWLOG', 'GET', 1, 2]]);
    await d.both('CONFIG', 'SET', 'slowlog-log-slower-than', 0);
    await d.both('SLOWLOG', 'RESET');
    await d.both('SET', 'key', 'x'.repeat(200));
    await d.both('MSET', ...Array.from({ length: 40 }, (_, i) => `a${i}`));
    await d.both('CLIENT', 'SETNAME', 'tester');
    await d.both('GET', 'key');
    const norm = (_c: string[], r: Resp): Resp => (Array.isArray(r) ? r.map((e) => (Array.isArray(e) ? [0, 0, 0, e[3], '', e[5]] : e)) : r);
    await d.check([['SLOWLOG', 'GET'], ['SLOWLOG', 'GET', 2], ['SLOWLOG', 'GET', -1], ['SLOWLOG', 'GET', 0]], norm);
    const [ours] = await d.both('SLOWLOG', 'LEN');
    expect(ours).toBeGreaterThanOrEqual(5);
    await d.both('CONFIG', 'SET', 'slowlog-log-slower-than', 10000);
    await d.check([['SLOWLOG', 'RESET'], ['SLOWLOG', 'LEN'], ['SLOWLOG', 'GET']]);
    await d.both('CLIENT', 'SETNAME', '');
  });

  test('LATENCY LATEST, HISTORY, RESET, DOCTOR, HELP with the latency monitor', async () => {
    await d.check([['LATENCY', 'HELP'], ['LATENCY', 'DOCTOR'], ['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'RESET'],
      ['LATENCY', 'GRAPH', 'command'], ['LATENCY', 'bogus'], ['LATENCY']]);
    await d.both('CONFIG', 'SET', 'latency-monitor-threshold', 100);
    await d.check([['LATENCY', 'DOCTOR']]);
    await d.both('DEBUG', 'SLEEP', '0.15');
    const near = (_c: string[], r: Resp): Resp => JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === 'number' ? (v > 1e9 ? 'time' : Math.round(v / 50)) : v)));
    await d.check([['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command']], near);
    const [latest] = await d.both('LATENCY', 'LATEST');
    expect((latest as Resp[][])[0][2]).toBeGreaterThanOrEqual(150);
    await d.check([['LATENCY', 'RESET', 'command', 'nope'], ['LATENCY', 'LATEST'], ['LATENCY', 'RESET']]);
    await d.both('CONFIG', 'SET', 'latency-monitor-threshold', 0);
  });

  test('MEMORY USAGE, STATS, DOCTOR, HELP', async () => {
    await d.both('SET', 'k', 'x'.repeat(100));
    await d.check([['MEMORY', 'HELP'], ['MEMORY', 'USAGE'], ['MEMORY', 'USAGE', 'nokey'], ['MEMORY', 'USAGE', 'k', 'SAMPLES', 'x'], ['MEMORY', 'USAGE', 'k', 'bogus'],
      ['MEMORY', 'USAGE', 'k', 'SAMPLES', -1], ['MEMORY', 'bogus'], ['MEMORY', 'DOCTOR'], ['MEMORY', 'PURGE']]);
    const [small] = await d.both('MEMORY', 'USAGE', 'k');
    await d.both('SET', 'k', 'x'.repeat(10000));
    const [big] = await d.both('MEMORY', 'USAGE', 'k', 'SAMPLES', 0);
    expect(small).toBeGreaterThan(100);
    expect(big).toBeGreaterThan((small as number) + 9000);
    const [a, b] = (await d.both('MEMORY', 'STATS')) as [Resp[], Resp[]];
    const names = (r: Resp[]) => r.filter((_x, i) => i % 2 === 0);
    expect(names(a)).toEqual(names(b));
  });

  test('MONITOR streams commands in redis-server\'s format', async () => {
    const [ma, mb] = await Promise.all([RespClient.connect(d.ours.port), RespClient.connect(d.theirs.port)]);
    expect(await ma.call('MONITOR')).toEqual({ simple: 'OK' });
    expect(await mb.call('MONITOR')).toEqual({ simple: 'OK' });
    await d.both('SET', 'a b', 'x\ny"\\\x01\xff');
    await d.both('GET', 'a b');
    const norm = (r: Resp) => (r as { simple: string }).simple.replace(/^\d+\.\d{6} \[0 [\d.]+:\d+\]/, 'T [0 addr]');
    for (let i = 0; i < 2; i++) expect(norm(await ma.next())).toEqual(norm(await mb.next()));
    ma.close();
    mb.close();
  });

  test('DEBUG subset: SLEEP, OBJECT, SET-ACTIVE-EXPIRE, POPULATE, ERROR, errors', async () => {
    await d.check([['DEBUG', 'SLEEP', 0], ['DEBUG', 'SLEEP', 'abc'], ['DEBUG', 'OBJECT', 'nokey'], ['DEBUG', 'JMAP'], ['DEBUG', 'OBJECT'], ['DEBUG', 'ERROR', 'boom'],
      ['DEBUG', 'POPULATE', 20], ['DEBUG', 'POPULATE', 3, 'p', 4], ['DEBUG', 'POPULATE', 2, 'q', 12], ['GET', 'key:7'], ['GET', 'p:2'], ['GET', 'q:1'], ['DBSIZE'],
      ['DEBUG', 'POPULATE'], ['DEBUG', 'SET-ACTIVE-EXPIRE'], ['DEBUG']]);
    await d.check([['KEYS', '*']], (_c, r) => sorted(r));
    const [oa, ob] = await d.both('DEBUG', 'OBJECT', 'key:1');
    const shape = /^Value at:0x[0-9a-f]+ refcount:\d+ encoding:embstr serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+$/;
    expect((oa as { simple: string }).simple).toMatch(shape);
    expect((ob as { simple: string }).simple).toMatch(shape);
    // with active expiry off, expired keys stay until touched
    const c = d.a;
    await c.call('FLUSHALL');
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 0)).toEqual({ simple: 'OK' });
    for (let i = 0; i < 10; i++) await c.call('SET', `t${i}`, 'v', 'PX', 1);
    await new Promise((r) => setTimeout(r, 300)); // three cron periods at hz 10: time for the active cycle to act if it were on
    expect(await c.call('DBSIZE')).toBe(10);
    expect(await c.call('GET', 't0')).toBeNull();
    expect(await c.call('DBSIZE')).toBe(9);
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', 1)).toEqual({ simple: 'OK' });
    await waitFor(async () => (await c.call('DBSIZE')) === 0, 'active expiry back on');
  });

  test('the active expire cycle does not stall clients', async () => {
    const c = d.a;
    const parts: string[] = [];
    for (let i = 0; i < 50000; i++) parts.push(`*5\r\n$3\r\nSET\r\n$${`e${i}`.length}\r\ne${i}\r\n$1\r\nv\r\n$2\r\nPX\r\n$3\r\n300\r\n`);
    await c.sendMany(parts.join(''), 50000);
    const ping = await RespClient.connect(d.ours.port);
    let worst = 0;
    let size = 50000;
    while (size > 0) {
      const t0 = Date.now();
      await ping.call('PING');
      worst = Math.max(worst, Date.now() - t0);
      size = (await ping.call('DBSIZE')) as number;
    }
    expect(worst).toBeLessThan(100);
    ping.close();
  });

  test('DEBUG is refused unless enable-debug-command allows it', async () => {
    const plain = await Differential.start();
    if (!plain) throw new Error('redis-server is not installed');
    try {
      await plain.check([['DEBUG', 'HELP'], ['DEBUG', 'SLEEP', 0]]);
    } finally {
      await plain.stop();
    }
  });
});
