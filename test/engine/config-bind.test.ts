// CONFIG SET bind at run time (what the control plane uses to move a primary endpoint's address
// between nodes): our node against Debian's redis-server 7.0, same observable behaviour.
import * as net from 'net';
import Redis from 'ioredis';
import { RunningNode, startNode, startRedis } from './nodes';

jest.setTimeout(30000);

const refused = (host: string, port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect({ host, port });
  s.once('connect', () => {
    s.destroy();
    resolve(false);
  });
  s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
});

/** A loopback address unlikely to be used by a parallel test. */
const spare = (i: number) => `127.0.${100 + (process.pid % 50)}.${10 + i}`;

describe.each([['our node', startNode], ['redis-server', startRedis]] as const)('CONFIG SET bind (%s)', (_name, start) => {
  let node: RunningNode | undefined;
  const clients: Redis[] = [];
  const connect = (host: string) => {
    const c = new Redis({ host, port: node!.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    node = await start();
  });
  afterAll(async () => {
    clients.forEach((c) => c.status !== 'end' && c.disconnect());
    await node?.stop();
  });

  test('adds and drops addresses; open connections on a dropped address stay', async () => {
    if (!node) return; // redis-server not installed
    const admin = connect('127.0.0.1');
    const [a, b] = [spare(0), spare(1)];
    expect(await admin.config('SET', 'bind', `127.0.0.1 ${a}`)).toBe('OK');
    const viaA = connect(a);
    expect(await viaA.set('k', 'v')).toBe('OK');
    expect(await admin.config('SET', 'bind', `127.0.0.1 ${b}`)).toBe('OK');
    expect(await admin.config('GET', 'bind')).toEqual(['bind', `127.0.0.1 ${b}`]);
    expect(await refused(a, node.port)).toBe(true);
    expect(await connect(b).get('k')).toBe('v');
    expect(await viaA.get('k')).toBe('v'); // accepted before the drop: still served
    const laddr = `${a}:${node.port}`;
    expect(Number(await admin.client('KILL', 'LADDR', laddr))).toBe(1);
    expect(await admin.config('SET', 'bind', '127.0.0.1')).toBe('OK');
    expect(await refused(b, node.port)).toBe(true);
  });

  test('an address another socket listens on is refused, and the previous value stays', async () => {
    if (!node) return;
    const admin = connect('127.0.0.1');
    const c = spare(2);
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(node!.port, c, () => r()));
    try {
      await expect(admin.config('SET', 'bind', `127.0.0.1 ${c}`)).rejects.toThrow("ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.");
      expect(await admin.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      expect(await admin.ping()).toBe('PONG');
    } finally {
      await new Promise((r) => holder.close(r));
    }
    expect(await admin.config('SET', 'bind', `127.0.0.1 ${c}`)).toBe('OK');
    expect(await connect(c).ping()).toBe('PONG');
  });
});
