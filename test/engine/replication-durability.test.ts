import { waitFor } from './nodes';
import { connect, info, useNodesWithClients, waitInSync } from './replication-helpers';

/**
 * Synchronous durability (`sync-replicas n`): a write is answered only once n replicas have it,
 * so a primary killed mid-load loses no acknowledged write. Also WAIT, min-replicas-to-write,
 * read-only replicas, MASTERDOWN and how a replica hides keys its primary has not expired yet.
 */
describe('replication guarantees', () => {
  const nodes = useNodesWithClients();
  const node = nodes.node;
  const errorOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.message);

  test('sync-replicas: every acknowledged write survives kill -9 of the primary', async () => {
    const a = await node(['--sync-replicas', '1', '--sync-replicas-timeout', '5000']);
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    const c = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    await waitFor(async () => (await info(a.c, 'connected_slaves', 'replication')) === '2', 'two replicas');
    const acked: string[] = [];
    let failed = 0;
    const writers = Array.from({ length: 4 }, (_, w) => {
      const cl = connect(a.n.port);
      cl.on('error', () => undefined);
      nodes.keep(cl);
      return (async () => {
        for (let i = 0; ; i++) {
          const key = `w${w}:${i}`;
          try {
            if ((await cl.set(key, String(i))) === 'OK') acked.push(key);
          } catch {
            failed++;
            return;
          }
        }
      })();
    });
    await waitFor(() => acked.length > 300, 'writes acknowledged');
    process.kill(a.n.pid, 'SIGKILL');
    await Promise.all(writers);
    expect(failed).toBe(4);
    // Fail over to the most advanced replica, as a failover does.
    const offsets = await Promise.all([b, c].map(async (r) => Number(await info(r.c, 'slave_repl_offset', 'replication'))));
    const promoted = offsets[0] >= offsets[1] ? b : c;
    expect(await promoted.c.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    const missing: string[] = [];
    for (let i = 0; i < acked.length; i += 500) {
      const batch = acked.slice(i, i + 500);
      const vals = await promoted.c.mget(...batch);
      batch.forEach((k, j) => vals[j] === null && missing.push(k));
    }
    expect(missing).toEqual([]);
    expect(acked.length).toBeGreaterThan(300);
  }, 60000);

  test('sync-replicas: held replies, read-your-write on the replica, NOREPLICAS and NOTDURABLE', async () => {
    const a = await node(['--sync-replicas', '1', '--sync-replicas-timeout', '300']);
    // No replica: refused before anything is applied.
    expect(await errorOf(a.c.set('k', 'v'))).toBe('NOREPLICAS Not enough good replicas to write.');
    expect(await a.c.get('k')).toBeNull();
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    await waitFor(async () => (await info(a.c, 'connected_slaves', 'replication')) === '1', 'replica attached');
    // The reply comes after the replica applied the write: it is readable there at once.
    for (let i = 0; i < 50; i++) {
      expect(await a.c.set(`k${i}`, `v${i}`)).toBe('OK');
      expect(await b.c.get(`k${i}`)).toBe(`v${i}`);
    }
    const tx = await a.c.multi().set('t1', '1').incr('t2').exec();
    expect(tx).toEqual([[null, 'OK'], [null, 1]]);
    expect(await b.c.get('t2')).toBe('1');
    expect(await a.c.call('EVAL', "redis.call('SET', KEYS[1], 'lua'); return 1", '1', 'lk')).toBe(1);
    expect(await b.c.get('lk')).toBe('lua');
    // A blocking pop served later is a write too: its reply also waits for the replica.
    const popper = connect(a.n.port);
    nodes.keep(popper);
    const pop = popper.blpop('q', 0);
    await waitFor(async () => (await info(a.c, 'blocked_clients', 'clients')) === '1', 'BLPOP blocked');
    expect(await a.c.rpush('q', 'a', 'b')).toBe(2);
    expect(await pop).toEqual(['q', 'a']);
    expect(await b.c.lrange('q', 0, -1)).toEqual(['b']);
    const pop2 = popper.blpop('q2', 0);
    await waitFor(async () => (await info(a.c, 'blocked_clients', 'clients')) === '1', 'BLPOP blocked');
    // A stopped replica cannot acknowledge: the client is told the write is not durable.
    process.kill(b.n.pid, 'SIGSTOP');
    expect(await errorOf(a.c.rpush('q2', 'x'))).toMatch(/^NOTDURABLE /);
    expect(await errorOf(pop2)).toMatch(/^NOTDURABLE /);
    process.kill(b.n.pid, 'SIGSTOP');
    const err = await errorOf(a.c.set('late', 'x'));
    expect(err).toMatch(/^NOTDURABLE the write was applied on the primary but is not durable: acknowledged by 0 of 1 required replicas within 300 ms/);
    process.kill(b.n.pid, 'SIGCONT');
    await waitInSync(a.c, b.c);
    expect(await b.c.get('late')).toBe('x');
    expect(await a.c.set('after', 'y')).toBe('OK');
  }, 30000);

  test('WAIT, min-replicas-to-write, read-only replicas and MASTERDOWN', async () => {
    const a = await node();
    expect(await a.c.call('WAIT', '1', '100')).toBe(0);
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port), '--replica-serve-stale-data', 'no']);
    await waitFor(async () => (await info(a.c, 'connected_slaves', 'replication')) === '1', 'replica attached');
    await a.c.set('x', '1');
    expect(await a.c.call('WAIT', '1', '0')).toBe(1);
    const t0 = Date.now();
    expect(await a.c.call('WAIT', '2', '200')).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
    expect(await errorOf(b.c.call('WAIT', '1', '0'))).toMatch(/^ERR WAIT cannot be used with replica instances/);
    expect(await errorOf(b.c.set('y', '1'))).toBe("READONLY You can't write against a read only replica.");
    await a.c.config('SET', 'min-replicas-to-write', '2');
    expect(await errorOf(a.c.set('y', '1'))).toBe('NOREPLICAS Not enough good replicas to write.');
    await a.c.config('SET', 'min-replicas-to-write', '1');
    expect(await a.c.set('y', '1')).toBe('OK');
    expect(await info(a.c, 'min_slaves_good_slaves', 'replication')).toBe('1');
    const line = await info(a.c, 'slave0', 'replication');
    expect(line).toMatch(new RegExp(`^ip=127\\.0\\.0\\.1,port=${b.n.port},state=online,offset=\\d+,lag=\\d+$`));
    // The primary goes away: with replica-serve-stale-data no, data commands answer MASTERDOWN.
    await a.n.stop();
    await waitFor(async () => (await info(b.c, 'master_link_status', 'replication')) === 'down', 'link down');
    expect(await errorOf(b.c.get('x'))).toBe("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    expect(await info(b.c, 'role', 'replication')).toBe('slave'); // commands flagged stale still work
    await b.c.config('SET', 'replica-serve-stale-data', 'yes');
    expect(await b.c.get('x')).toBe('1');
  }, 30000);

  test('a replica hides keys that expired but keeps them until the primary sends the DEL', async () => {
    const a = await node(['--enable-debug-command', 'yes']);
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    await waitFor(async () => (await info(a.c, 'connected_slaves', 'replication')) === '1', 'replica attached');
    await a.c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await a.c.set('soon', 'v', 'PX', 100);
    await waitInSync(a.c, b.c);
    await new Promise((r) => setTimeout(r, 150));
    expect(await b.c.get('soon')).toBeNull();
    expect(await b.c.exists('soon')).toBe(0);
    expect(await b.c.dbsize()).toBe(1); // still stored: only the primary removes it
    expect(await a.c.get('soon')).toBeNull(); // lazy expiry on the primary → DEL in the stream
    await waitInSync(a.c, b.c);
    expect(await b.c.dbsize()).toBe(0);
  }, 30000);

  test('evictions reach the replica as DELs; PUBLISH reaches its subscribers', async () => {
    const a = await node(['--maxmemory', '2mb', '--maxmemory-policy', 'allkeys-random']);
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    await waitFor(async () => (await info(a.c, 'connected_slaves', 'replication')) === '1', 'replica attached');
    const sub = connect(b.n.port);
    nodes.keep(sub);
    const got: string[] = [];
    sub.on('message', (_ch: string, m: string) => got.push(m));
    await sub.subscribe('news');
    await a.c.publish('news', 'hello');
    const value = 'v'.repeat(1000);
    for (let i = 0; i < 3000; i += 100) {
      const p = a.c.pipeline();
      for (let j = i; j < i + 100; j++) p.set(`key:${j}`, value);
      await p.exec();
    }
    expect(Number(await info(a.c, 'evicted_keys', 'stats'))).toBeGreaterThan(0);
    await a.c.config('SET', 'maxmemory', '0'); // no more evictions (the cron evicts too) while comparing
    await waitInSync(a.c, b.c);
    expect(await b.c.dbsize()).toBe(await a.c.dbsize());
    const keys = (await a.c.keys('*')).sort();
    expect((await b.c.keys('*')).sort()).toEqual(keys);
    await waitFor(() => got.length === 1, 'message on the replica');
    expect(got).toEqual(['hello']);
  }, 30000);
});
