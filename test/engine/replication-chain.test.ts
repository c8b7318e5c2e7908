import Redis from 'ioredis';
import { waitFor } from './nodes';
import { canonicalDump, connect, info, useNodesWithClients, waitInSync } from './replication-helpers';

/**
 * Our own nodes in three-node topologies: a chain (A ← B ← C, B proxying A's stream) with a
 * replica killed and restarted under write load, and a failover where a promoted replica lets its
 * sibling continue with a partial resync (PSYNC2: the old replication id is kept as replid2).
 */
describe('replication between our nodes', () => {
  const nodes = useNodesWithClients();
  const node = nodes.node;
  const errorOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: Error) => e.message);

  /** Writes until stopped: counters, hashes and lists, with relative expiries. Returns how many writes it made. */
  function writeLoad(c: Redis): { stop: () => Promise<number> } {
    let running = true;
    let n = 0;
    const loop = (async () => {
      while (running) {
        const i = n++;
        await c.pipeline()
          .incr(`ctr:${i % 50}`)
          .set(`k:${i}`, `v${i}`, 'EX', 3600)
          .hset(`h:${i % 20}`, `f${i}`, String(i))
          .rpush(`l:${i % 10}`, String(i))
          .exec();
      }
    })();
    return { stop: async () => { running = false; await loop; return n; } };
  }

  test('chain A ← B ← C: the middle proxies the stream; a replica killed under load comes back in sync', async () => {
    const a = await node();
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    let c = await node(['--replicaof', '127.0.0.1', String(b.n.port)]);
    await a.c.set('seed', '1');
    await waitInSync(a.c, b.c);
    await waitInSync(b.c, c.c);
    const load = writeLoad(a.c);
    await waitFor(async () => Number(await a.c.dbsize()) > 500, 'load running');
    // kill -9 the leaf replica while writes go on, then start it again.
    process.kill(c.n.pid, 'SIGKILL');
    await waitFor(async () => (await info(b.c, 'connected_slaves', 'replication')) === '0', 'B notices C is gone');
    c = await node(['--replicaof', '127.0.0.1', String(b.n.port)]);
    await waitFor(async () => (await info(c.c, 'master_link_status', 'replication')) === 'up', 'C back');
    await new Promise((r) => setTimeout(r, 300)); // some writes after the resync too
    const writes = await load.stop();
    expect(writes).toBeGreaterThan(100);
    await waitInSync(a.c, b.c);
    await waitInSync(b.c, c.c);
    // B passes A's stream on byte for byte: all three have the same offsets and replication id.
    const replid = await info(a.c, 'master_replid', 'replication');
    expect(await info(b.c, 'master_replid', 'replication')).toBe(replid);
    expect(await info(c.c, 'master_replid', 'replication')).toBe(replid);
    const dump = await canonicalDump(a.c);
    expect(Object.keys(dump).length).toBeGreaterThan(500);
    expect(await canonicalDump(b.c)).toEqual(dump);
    expect(await canonicalDump(c.c)).toEqual(dump);
  }, 60000);

  test('failover: REPLICAOF NO ONE on one replica, the other re-pointed continues partially', async () => {
    const a = await node();
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    const c = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    const load = writeLoad(a.c);
    await waitFor(async () => Number(await a.c.dbsize()) > 300, 'load running');
    await load.stop();
    await waitInSync(a.c, b.c);
    await waitInSync(a.c, c.c);
    const oldId = await info(a.c, 'master_replid', 'replication');
    const offset = Number(await info(a.c, 'master_repl_offset', 'replication'));
    await a.n.stop();

    expect(await b.c.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(await info(b.c, 'role', 'replication')).toBe('master');
    expect(await info(b.c, 'master_replid2', 'replication')).toBe(oldId);
    expect(Number(await info(b.c, 'second_repl_offset', 'replication'))).toBe(offset + 1);
    expect(await c.c.call('REPLICAOF', '127.0.0.1', String(b.n.port))).toBe('OK');
    await waitFor(async () => (await info(c.c, 'master_link_status', 'replication')) === 'up', 'C follows B');
    expect(await info(b.c, 'sync_partial_ok', 'stats')).toBe('1');
    expect(await info(b.c, 'sync_full', 'stats')).toBe('0');
    expect(await info(c.c, 'master_replid', 'replication')).toBe(await info(b.c, 'master_replid', 'replication'));
    // Writes on the new primary reach the re-pointed replica.
    await b.c.set('after-failover', 'yes');
    await waitInSync(b.c, c.c);
    expect(await c.c.get('after-failover')).toBe('yes');
    expect(await canonicalDump(c.c)).toEqual(await canonicalDump(b.c));
    expect(await c.c.call('ROLE')).toEqual(['slave', '127.0.0.1', b.n.port, 'connected', Number(await info(b.c, 'master_repl_offset', 'replication'))]);
    const role = (await b.c.call('ROLE')) as unknown[];
    expect(role[0]).toBe('master');
    expect((role[2] as string[][])[0][1]).toBe(String(c.n.port));
  }, 60000);

  test('the old primary rejoins as a replica of the promoted one and continues partially', async () => {
    const a = await node();
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    await a.c.set('x', '1');
    await waitInSync(a.c, b.c);
    expect(await b.c.call('REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(await a.c.call('REPLICAOF', '127.0.0.1', String(b.n.port))).toBe('OK');
    await waitFor(async () => (await info(a.c, 'master_link_status', 'replication')) === 'up', 'A follows B');
    expect(await info(b.c, 'sync_partial_ok', 'stats')).toBe('1');
    expect(await info(b.c, 'sync_full', 'stats')).toBe('0');
    await b.c.set('y', '2');
    await waitInSync(b.c, a.c);
    expect(await a.c.get('y')).toBe('2');
  }, 30000);

  test('FAILOVER TO a replica: roles switch without a full sync and without losing writes', async () => {
    const a = await node();
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    const c = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    await waitFor(async () => (await info(a.c, 'connected_slaves', 'replication')) === '2', 'two replicas');
    const load = writeLoad(a.c);
    await waitFor(async () => Number(await a.c.dbsize()) > 200, 'load running');
    expect(await a.c.call('FAILOVER', 'TO', '127.0.0.1', String(b.n.port), 'TIMEOUT', '5000')).toBe('OK');
    await load.stop().catch(() => 0); // writes stop with READONLY once the switch starts
    await waitFor(async () => (await info(b.c, 'role', 'replication')) === 'master', 'B promoted');
    await waitFor(async () => (await info(a.c, 'master_link_status', 'replication')) === 'up', 'A follows B');
    expect(await info(a.c, 'master_port', 'replication')).toBe(String(b.n.port));
    expect(await info(a.c, 'master_failover_state', 'replication')).toBe('no-failover');
    expect(await info(b.c, 'sync_full', 'stats')).toBe('0');
    expect(await info(b.c, 'sync_partial_ok', 'stats')).toBe('1');
    expect(await errorOf(a.c.set('x', '1'))).toBe("READONLY You can't write against a read only replica.");
    await b.c.set('after', 'failover');
    await waitInSync(b.c, a.c);
    await waitFor(async () => (await info(c.c, 'master_link_status', 'replication')) === 'up', 'C back (through A)');
    await waitInSync(a.c, c.c);
    const dump = await canonicalDump(b.c);
    expect(dump['0:after']).toBeDefined();
    expect(await canonicalDump(a.c)).toEqual(dump);
    expect(await canonicalDump(c.c)).toEqual(dump);
  }, 60000);

  test('AUTH in the handshake: masterauth with requirepass, masteruser with an ACL user', async () => {
    const a = await node(['--requirepass', 'sekret']);
    const ac = new Redis({ port: a.n.port, host: '127.0.0.1', password: 'sekret', maxRetriesPerRequest: 1, retryStrategy: () => null });
    nodes.keep(ac);
    await ac.call('ACL', 'SETUSER', 'repl', 'on', '>replpass', '+psync', '+replconf', '+ping');
    const b = await node(['--masterauth', 'wrong', '--replicaof', '127.0.0.1', String(a.n.port)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await info(b.c, 'master_link_status', 'replication')).toBe('down');
    await b.c.config('SET', 'masterauth', 'sekret');
    await waitFor(async () => (await info(b.c, 'master_link_status', 'replication')) === 'up', 'B authenticated');
    const c = await node(['--masteruser', 'repl', '--masterauth', 'replpass', '--replicaof', '127.0.0.1', String(a.n.port)]);
    await waitFor(async () => (await info(c.c, 'master_link_status', 'replication')) === 'up', 'C authenticated as repl');
    await ac.set('k', 'v');
    await waitInSync(ac, c.c);
    expect(await c.c.get('k')).toBe('v');
  }, 30000);

  test('full sync of a large dataset in slices while writes go on: the replica ends identical', async () => {
    const a = await node(['--enable-debug-command', 'yes']);
    await a.c.call('DEBUG', 'POPULATE', '60000');
    const load = writeLoad(a.c); // changes keys the snapshot has not reached yet, and new ones
    const extra = connect(a.n.port);
    nodes.keep(extra);
    const churn = (async () => {
      for (let i = 0; i < 300; i++) {
        await extra.pipeline().del(`key:${i * 7}`).append(`key:${i * 13 + 1}`, '+').incr(`key:${i * 11 + 2}`).exec();
      }
    })();
    const b = await node(['--replicaof', '127.0.0.1', String(a.n.port)]);
    await waitFor(async () => (await info(b.c, 'master_link_status', 'replication')) === 'up', 'B synced', 30000);
    await churn;
    await load.stop();
    await waitInSync(a.c, b.c);
    expect(await info(a.c, 'sync_full', 'stats')).toBe('1');
    const all = async (r: Redis) => {
      const out = new Map<string, string | null>();
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'COUNT', 5000);
        cursor = next;
        const types = await Promise.all(keys.map((k) => r.type(k)));
        const strings = keys.filter((_, i) => types[i] === 'string');
        const vals = strings.length ? await r.mget(...strings) : [];
        strings.forEach((k, i) => out.set(k, vals[i]));
        keys.forEach((k, i) => types[i] !== 'string' && out.set(k, types[i]));
      } while (cursor !== '0');
      return out;
    };
    const [pa, pb] = await Promise.all([all(a.c), all(b.c)]);
    expect(pa.size).toBeGreaterThan(60000);
    expect(pb.size).toBe(pa.size);
    const diff = [...pa].filter(([k, v]) => pb.get(k) !== v).slice(0, 5);
    expect(diff).toEqual([]);
  }, 90000);
});
