// CLIENT PAUSE / UNPAUSE: WRITE holds commands that change data (reads go on), in order, with the
// client's pipelined commands behind them, until UNPAUSE or the timeout; ALL holds every command;
// a replica's stream is not held. What a coordinated failover relies on.
import Redis from 'ioredis';
import { RunningNode, startNode, waitFor } from './nodes';

describe('CLIENT PAUSE', () => {
  let node: RunningNode;
  let replica: RunningNode;
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis({ port: node.port, host: '127.0.0.1' });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    node = await startNode();
    replica = await startNode();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await node?.stop();
    await replica?.stop();
  });

  test('WRITE holds writes until UNPAUSE, reads go on, order is kept', async () => {
    const admin = client();
    const w = client();
    await w.set('k', 'before');
    expect(await admin.client('PAUSE', 10000, 'WRITE')).toBe('OK');
    const order: string[] = [];
    const held = Promise.all([
      w.set('k', 'first').then(() => order.push('set')),
      w.incr('n').then(() => order.push('incr')),
      w.get('k').then((v) => order.push(`get:${v}`)),
    ]);
    // Another client's reads are answered meanwhile, and see nothing of the held writes.
    expect(await client().get('k')).toBe('before');
    expect(await client().exists('n')).toBe(0);
    expect(order).toEqual([]);
    expect(await admin.client('UNPAUSE')).toBe('OK');
    await held;
    expect(order).toEqual(['set', 'incr', 'get:first']);
    expect(await admin.get('n')).toBe('1');
  });

  test('the pause ends by itself at its timeout', async () => {
    const admin = client();
    await admin.client('PAUSE', 300, 'WRITE');
    const t0 = Date.now();
    await client().set('late', '1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  test('ALL holds reads too; bad arguments are refused', async () => {
    const admin = client();
    await admin.client('PAUSE', 300, 'ALL');
    const t0 = Date.now();
    await client().get('k');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    await expect(admin.call('CLIENT', 'PAUSE', '10', 'SOME')).rejects.toThrow(/syntax error/);
    await expect(admin.call('CLIENT', 'PAUSE', 'x')).rejects.toThrow(/timeout is not an integer/);
  });

  test('a replica keeps applying its stream while it is paused itself', async () => {
    const r = new Redis({ port: replica.port, host: '127.0.0.1' });
    clients.push(r);
    await r.replicaof('127.0.0.1', String(node.port));
    await waitFor(async () => /master_link_status:up/.test(await r.info('replication')), 'the replica to sync');
    await r.client('PAUSE', 10000, 'WRITE');
    await client().set('streamed', 'yes');
    await waitFor(async () => (await r.get('streamed')) === 'yes', 'the write to reach the paused replica', 5000);
    await r.client('UNPAUSE');
  });
});
