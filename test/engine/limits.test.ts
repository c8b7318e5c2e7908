import * as net from 'net';
import { Differential } from './differential';
import { RunningNode, startNode, waitFor } from './nodes';
import { RespClient } from './resp-client';

/** Sends raw bytes on a new connection; resolves with everything received until the server closes it. */
function rawExchange(port: number, data: Buffer | string, timeoutMs = 5000): Promise<{ out: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data));
    let out = '';
    const t = setTimeout(() => {
      s.destroy();
      resolve({ out, closed: false });
    }, timeoutMs);
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(t);
      resolve({ out, closed: true });
    });
  });
}

describe('protocol limits, differential against redis-server 7.0', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start(['--proto-max-bulk-len', '10mb', '--client-query-buffer-limit', '1mb']);
  });
  afterAll(async () => {
    await d?.stop();
  });

  const cases: Array<[string, string]> = [
    ['multibulk count over INT_MAX', '*3000000000\r\n'],
    ['multibulk count not a number', '*abc\r\n'],
    ['bulk length over proto-max-bulk-len', '*1\r\n$20000000\r\n'],
    ['negative bulk length', '*1\r\n$-1\r\n'],
    ['bulk length not a number', '*1\r\n$abc\r\n'],
    ['missing $', '*1\r\nfoo\r\n'],
    ['unbalanced quotes inline', 'SET "a b\r\n'],
    ['endless multibulk count line', `*${'1'.repeat(70000)}`],
    ['endless bulk count line', `*1\r\n$${'1'.repeat(70000)}`],
    ['endless inline request', 'x'.repeat(70000)],
  ];
  for (const [what, data] of cases) {
    test(`${what}: same error, connection closed`, async () => {
      if (!d) return;
      const [a, b] = await Promise.all([rawExchange(d.ours.port, data), rawExchange(d.theirs.port, data)]);
      expect({ what, out: a.out }).toEqual({ what, out: b.out });
      expect(a.out).toMatch(/^-ERR Protocol error: /);
      expect(a.closed).toBe(true);
    });
  }

  test('unauthenticated clients get small request limits', async () => {
    if (!d) return;
    await d.both('CONFIG', 'SET', 'requirepass', 'pw');
    for (const data of ['*11\r\n', '*2\r\n$20000\r\n']) {
      const [a, b] = await Promise.all([rawExchange(d.ours.port, data), rawExchange(d.theirs.port, data)]);
      expect(a.out).toEqual(b.out);
      expect(a.closed).toBe(true);
    }
    const [a] = await Promise.all([d.a.call('AUTH', 'pw'), d.b.call('AUTH', 'pw')]);
    expect(a).toEqual({ simple: 'OK' });
    await d.both('CONFIG', 'SET', 'requirepass', '');
  });

  test('a query buffer over client-query-buffer-limit closes the client without a reply', async () => {
    if (!d) return;
    // A 5 MB bulk argument (allowed by proto-max-bulk-len) of which 2 MB arrive: over the 1 MB limit.
    const data = Buffer.concat([Buffer.from('*1\r\n$5000000\r\n'), Buffer.alloc(2000000, 97)]);
    const [a, b] = await Promise.all([rawExchange(d.ours.port, data), rawExchange(d.theirs.port, data)]);
    expect(a).toEqual(b);
    expect(a).toEqual({ out: '', closed: true });
    expect(await d.a.call('PING')).toEqual({ simple: 'PONG' });
  });

  test('a huge multibulk count allocates nothing up front', async () => {
    if (!d) return;
    const c = await RespClient.connect(d.ours.port);
    const before = await d.a.call('INFO', 'memory');
    c.send('*2147483647\r\n$4\r\nPING\r\n').catch(() => undefined);
    const after = await d.a.call('INFO', 'memory');
    const rss = (r: unknown) => Number(/used_memory_rss:(\d+)/.exec(String(r))![1]);
    expect(rss(after) - rss(before)).toBeLessThan(50 * 1024 * 1024);
    c.close();
  });
});

describe('connection limits on our node', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode(['--maxclients', '3', '--timeout', '1', '--client-output-buffer-limit', 'normal 1mb 512kb 1', '--tcp-keepalive', '60']);
  });
  afterAll(async () => {
    await node.stop();
  });

  test('maxclients: the extra client gets the error and is closed', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => RespClient.connect(node.port)));
    for (const c of clients) expect(await c.call('PING')).toEqual({ simple: 'PONG' });
    const r = await rawExchange(node.port, '');
    expect(r).toEqual({ out: '-ERR max number of clients reached\r\n', closed: true });
    clients.forEach((c) => c.close());
    await waitFor(async () => (await rawExchange(node.port, 'PING\r\n', 300)).out === '+PONG\r\n', 'a free slot');
  });

  test('timeout closes idle clients; clients that keep talking stay', async () => {
    const idle = await RespClient.connect(node.port);
    expect(await idle.call('PING')).toEqual({ simple: 'PONG' });
    const t0 = Date.now();
    await idle.waitClosed();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    // A client that keeps talking stays.
    const busy = await RespClient.connect(node.port);
    for (let i = 0; i < 6; i++) {
      expect(await busy.call('PING')).toEqual({ simple: 'PONG' });
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(busy.closed).toBe(false);
    busy.close();
  });

  test('client-output-buffer-limit: a client that does not read is cut off at the hard limit', async () => {
    const admin = await RespClient.connect(node.port);
    await admin.call('CONFIG', 'SET', 'timeout', '0');
    await admin.call('SET', 'big', 'x'.repeat(256 * 1024));
    // A client with a tiny receive buffer that never reads, asking for 100 MB of replies.
    const slow = net.connect(node.port, '127.0.0.1');
    await new Promise((r) => slow.once('connect', r));
    slow.pause();
    slow.on('error', () => undefined);
    slow.write('*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'.repeat(400));
    await waitFor(async () => String(await admin.call('CLIENT', 'LIST')).trim().split('\n').length === 1, 'the slow client to be closed');
    slow.destroy();
    expect(await admin.call('PING')).toEqual({ simple: 'PONG' });
    const clients = String(await admin.call('CLIENT', 'LIST')).trim().split('\n');
    expect(clients).toHaveLength(1);
    expect(node.output()).toMatch(/closed ASAP for overcoming of output buffer limits/);
    admin.close();
  });

  test('tcp-keepalive is a directive CONFIG GET reports', async () => {
    const admin = await RespClient.connect(node.port);
    expect(await admin.call('CONFIG', 'GET', 'tcp-keepalive')).toEqual(['tcp-keepalive', '60']);
    admin.close();
  });
});
