import * as net from 'net';
import { Differential } from './differential';
import { RunningNode, startNode, waitFor } from './nodes';
import { RespClient } from './resp-client';

// The request parser, the reply writer and the flush take shortcuts for speed (short arguments built in JS,
// numbers written in place, the reply buffer handed to the socket without a copy): these tests hold them to
// the exact bytes redis-server answers, across chunk boundaries, and with a client that stops reading.

/** A multibulk request. */
function req(...args: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(a, 'latin1');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

const END = req('ECHO', '__end__');
const END_REPLY = Buffer.from('$7\r\n__end__\r\n');

/** Sends `payload` (then an ECHO marker) on a new connection, `split` bytes per write; returns every reply byte. */
async function exchange(port: number, payload: Buffer, split = 0): Promise<Buffer> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise<void>((res, rej) => s.once('connect', res).once('error', rej));
  const chunks: Buffer[] = [];
  let tail = Buffer.alloc(0);
  const done = new Promise<void>((res) => s.on('data', (d: Buffer) => {
    chunks.push(d);
    tail = Buffer.concat([tail, d]).subarray(-END_REPLY.length);
    if (tail.equals(END_REPLY)) res();
  }));
  const all = Buffer.concat([payload, END]);
  if (split > 0) {
    for (let i = 0; i < all.length; i += split) {
      s.write(all.subarray(i, i + split));
      if (i % (split * 64) === 0) await new Promise((r) => setImmediate(r));
    }
  } else {
    s.write(all);
  }
  await done;
  s.destroy();
  return Buffer.concat(chunks);
}

/** Bytes of length `n` that walk through every byte value (offset `k`), CR LF and NUL included. */
function bytes(n: number, k: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 37 + k * 11) % 256;
  return b;
}

describe('hot path: byte-exact against redis-server', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  /** The same request bytes to both servers: the reply bytes must be identical. */
  async function sameBytes(payload: Buffer, split = 0): Promise<void> {
    await d!.both('FLUSHALL');
    const [ours, theirs] = await Promise.all([exchange(d!.ours.port, payload, split), exchange(d!.theirs.port, payload, split)]);
    expect(ours.length).toBe(theirs.length);
    expect(ours.equals(theirs)).toBe(true);
  }

  function shortArguments(variants = 8): Buffer {
    const parts: Buffer[] = [];
    for (let n = 0; n <= 40; n++) {
      for (let k = 0; k < variants; k++) {
        const key = bytes(Math.max(1, n), k + 100);
        parts.push(req('SET', key, bytes(n, k)), req('GET', key), req('STRLEN', key), req('APPEND', key, bytes(n % 17, k)));
      }
    }
    return Buffer.concat(parts);
  }

  test('arguments of every length up to 40 and every byte value, in one write', async () => {
    await sameBytes(shortArguments());
  });

  test('the same requests split into small writes (arguments and headers cut anywhere)', async () => {
    await sameBytes(shortArguments(2), 7);
    const few = shortArguments(1);
    // Whole requests only (a cut one would leave the ECHO marker unanswered).
    await sameBytes(few.subarray(0, few.indexOf('*3\r\n$3\r\nSET', 3000)), 1);
  });

  test('command names in any letter case and unknown ones, over and over (names are reused by their bytes)', async () => {
    const parts: Buffer[] = [];
    const spellings = ['GET', 'get', 'Get', 'gET', 'SET', 'set', 'sEt', 'INCR', 'incr', 'NOPE', 'nope', 'GETT', 'GE', 'EXISTS', 'exists', 'Exists'];
    for (let round = 0; round < 50; round++) {
      for (const name of spellings) {
        const lower = name.toLowerCase();
        const args = lower === 'set' ? ['k', `v${round}`] : lower === 'exists' ? ['k', 'n'] : lower === 'incr' ? ['n'] : ['k'];
        parts.push(req(name, ...args));
      }
    }
    await sameBytes(Buffer.concat(parts));
  });

  test('integer replies and aggregate headers: signs, zero, 9 digits and more, int64 bounds', async () => {
    const parts: Buffer[] = [];
    for (const v of ['0', '-1', '7', '-999999999', '999999999', '1000000000', '-1000000000', '123456789012', '9223372036854775806', '-9223372036854775807']) {
      parts.push(req('SET', 'n', v), req('INCR', 'n'), req('DECRBY', 'n', '2'), req('INCRBY', 'n', '-1000000000'));
    }
    parts.push(req('SET', 'm', '9223372036854775807'), req('INCR', 'm'), req('GET', 'm'));
    const items = Array.from({ length: 1500 }, (_, i) => String(i - 750));
    parts.push(req('RPUSH', 'l', ...items), req('LRANGE', 'l', '0', '-1'), req('LLEN', 'l'), req('LRANGE', 'l', '5', '14'));
    parts.push(req('HSET', 'h', 'f1', 'v1'), req('HGETALL', 'h'), req('SADD', 's', 'a'), req('SMEMBERS', 's'), req('ZADD', 'z', '1.5', 'a'), req('ZRANGE', 'z', '0', '-1', 'WITHSCORES'));
    parts.push(req('GET', 'missing'), req('LPOP', 'missing'), req('MGET', 'n', 'missing', 'm'), req('EXISTS', 'n', 'm', 'missing'));
    await sameBytes(Buffer.concat(parts));
  });

  test('RESP3 headers (map, set, double, null) as redis-server writes them', async () => {
    await d!.both('FLUSHALL');
    await d!.both('HELLO', '3');
    try {
      await d!.check([
        ['HSET', 'h', 'a', '1', 'b', '2'], ['HGETALL', 'h'], ['SADD', 's', 'x'], ['SMEMBERS', 's'],
        ['ZADD', 'z', '-2.25', 'm'], ['ZSCORE', 'z', 'm'], ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['GET', 'missing'], ['INCRBY', 'i', '-1234567890123'],
      ]);
    } finally {
      await d!.both('HELLO', '2');
    }
  });
});

describe('hot path: our node alone', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode(['--enable-debug-command', 'yes']);
  });
  afterAll(async () => {
    await node.stop();
  });

  test('a client that does not read: queued replies stay intact (the reply buffer is not reused while the socket holds it)', async () => {
    const c = await RespClient.connect(node.port);
    const values = Array.from({ length: 16 }, (_, i) => bytes(65536 + i, i).toString('latin1'));
    for (let i = 0; i < values.length; i++) expect(await c.call('SET', `big:${i}`, values[i])).toEqual({ simple: 'OK' });
    // A reader that pauses: the kernel buffers fill, then the node's socket queues the replies.
    const s = net.connect(node.port, '127.0.0.1');
    await new Promise<void>((res) => s.once('connect', res));
    s.pause();
    const processed = async () => Number(/total_commands_processed:(\d+)/.exec(String(await c.call('INFO', 'stats')))![1]);
    const before = await processed();
    const rounds = 12;
    const expected: Buffer[] = [];
    for (let r = 0; r < rounds; r++) {
      const batch: Buffer[] = [];
      for (let i = 0; i < values.length; i++) {
        const k = (i * 7 + r) % values.length;
        batch.push(req('GET', `big:${k}`), req('PING'));
        expected.push(Buffer.from(`$${values[k].length}\r\n${values[k]}\r\n+PONG\r\n`, 'latin1'));
      }
      s.write(Buffer.concat(batch));
    }
    const want = Buffer.concat(expected);
    // Wait until the node has run everything (its replies wait in the socket for the paused reader; the
    // INFO calls themselves count too, so this may end a few commands early, which changes nothing).
    await waitFor(async () => (await processed()) >= before + rounds * values.length * 2, 'the node to answer the paused reader');
    const got: Buffer[] = [];
    let n = 0;
    const done = new Promise<void>((res) => s.on('data', (b: Buffer) => {
      got.push(b);
      n += b.length;
      if (n >= want.length) res();
    }));
    s.resume();
    await done;
    s.destroy();
    c.close();
    const all = Buffer.concat(got);
    expect(all.length).toBe(want.length);
    expect(all.equals(want)).toBe(true);
  });

  // Plain connections read into one buffer shared by all of them (shared-read.ts): what a connection keeps
  // between reads (a cut request, a large argument arriving in pieces, input queued while blocked) must be
  // its own copy, since another connection's read overwrites the buffer.
  test('partial requests survive other connections reading in between', async () => {
    const a = await RespClient.connect(node.port);
    const b = await RespClient.connect(node.port);
    const raw = (c: RespClient) => (c as unknown as { socket: net.Socket }).socket;
    const whole = Buffer.concat([req('SET', 'cut', '0123456789abcdef'), req('GET', 'cut')]);
    const replies = a.sendMany(whole.subarray(0, 21), 2);
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 20; i++) expect(await b.call('SET', `noise:${i}`, 'x'.repeat(i * 10))).toEqual({ simple: 'OK' });
    raw(a).write(whole.subarray(21));
    expect(await replies).toEqual([{ simple: 'OK' }, '0123456789abcdef']);
    // A large value arriving in many reads, with the other connection busy in between.
    const big = bytes(300000, 3);
    const wire = req('SET', 'big', big);
    const stored = a.sendMany(Buffer.alloc(0), 1); // the reply to the pieces written below
    for (let i = 0; i < wire.length; i += 20000) {
      raw(a).write(wire.subarray(i, i + 20000));
      expect(await b.call('PING')).toEqual({ simple: 'PONG' });
    }
    expect(await stored).toEqual([{ simple: 'OK' }]);
    expect(Buffer.from(String(await a.call('GET', 'big')), 'latin1').equals(big)).toBe(true);
    a.close();
    b.close();
  });

  test('input sent while blocked is kept until the client is served', async () => {
    const a = await RespClient.connect(node.port);
    const b = await RespClient.connect(node.port);
    const served = a.sendMany(req('BLPOP', 'queue', '0'), 1);
    await waitFor(async () => /blocked_clients:1/.test(String(await b.call('INFO', 'clients'))), 'the client to block');
    const after = a.sendMany(Buffer.concat([req('SET', 'later', 'value-from-a'), req('GET', 'later')]), 2);
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 20; i++) expect(await b.call('SET', `other:${i}`, 'y'.repeat(40))).toEqual({ simple: 'OK' });
    expect(await b.call('RPUSH', 'queue', 'item')).toBe(1);
    expect(await served).toEqual([['queue', 'item']]);
    expect(await after).toEqual([{ simple: 'OK' }, 'value-from-a']);
    a.close();
    b.close();
  });

  test('commands of one pipelined batch are timed each on its own (commandstats, slowlog)', async () => {
    const c = await RespClient.connect(node.port);
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await c.call('SLOWLOG', 'RESET');
    await c.call('CONFIG', 'RESETSTAT');
    const replies = await c.sendMany(Buffer.concat([req('PING'), req('DEBUG', 'SLEEP', '0.2'), req('PING'), req('SET', 'a', '1')]), 4);
    expect(replies).toEqual([{ simple: 'PONG' }, { simple: 'OK' }, { simple: 'PONG' }, { simple: 'OK' }]);
    const log = (await c.call('SLOWLOG', 'GET', '10')) as Array<[number, number, number, string[]]>;
    const byCmd = (name: string) => log.filter((e) => e[3][0].toLowerCase() === name).map((e) => e[2]);
    expect(byCmd('debug')[0]).toBeGreaterThanOrEqual(200000);
    for (const usec of [...byCmd('ping'), ...byCmd('set')]) expect(usec).toBeLessThan(100000);
    const stats = String(await c.call('INFO', 'commandstats'));
    expect(stats).toMatch(/cmdstat_ping:calls=2,/);
    expect(stats).toMatch(/cmdstat_set:calls=1,/);
    await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
    c.close();
  });
});
