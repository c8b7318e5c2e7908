import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { Cluster } from 'ioredis';
import { buildCluster, call, ClusterNodeHandle, myId, startClusterNode, stopAll, tempDir, text, waitConverged } from './cluster-helpers';
import { RespClient } from './resp-client';

// Online resharding by hand, as redis-cli --cluster reshard (and the control plane) does it:
// SETSLOT IMPORTING on the target, MIGRATING on the source, GETKEYSINSLOT + MIGRATE until empty,
// SETSLOT NODE everywhere. ASK/TRYAGAIN meanwhile, and a client that never loses a key.
describe('slot migration', () => {
  let dir: string;
  let nodes: ClusterNodeHandle[];
  let ids: string[];

  beforeAll(async () => {
    dir = tempDir();
    nodes = [];
    for (let i = 0; i < 3; i++) nodes.push(await startClusterNode(dir));
    await buildCluster(nodes);
    ids = await Promise.all(nodes.map(myId));
  }, 60000);

  afterAll(async () => {
    await stopAll(nodes);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Moves one slot from nodes[from] to nodes[to], `batch` keys per MIGRATE. */
  async function moveSlot(slot: number, from: number, to: number, batch = 20): Promise<number> {
    const src = nodes[from];
    const dst = nodes[to];
    expect(await call(dst, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', ids[from])).toEqual({ simple: 'OK' });
    expect(await call(src, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', ids[to])).toEqual({ simple: 'OK' });
    let moved = 0;
    for (;;) {
      const keys = (await call(src, 'CLUSTER', 'GETKEYSINSLOT', slot, batch)) as string[];
      if (keys.length === 0) break;
      const r = await call(src, 'MIGRATE', '127.0.0.1', dst.port, '', 0, 5000, 'KEYS', ...keys);
      expect(r).toEqual({ simple: 'OK' });
      moved += keys.length;
    }
    // Target first (it bumps its epoch), then the source, then the others, as redis-cli does.
    expect(await call(dst, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[to])).toEqual({ simple: 'OK' });
    expect(await call(src, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[to])).toEqual({ simple: 'OK' });
    for (const [i, n] of nodes.entries()) if (i !== from && i !== to) await call(n, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[to]);
    return moved;
  }

  test('ASK, ASKING, TRYAGAIN and MOVED while one slot is half moved', async () => {
    const [a, b] = nodes;
    const slot = (await call(a, 'CLUSTER', 'KEYSLOT', '{b}')) as number; // 3300: on the first node
    expect(slot).toBe(3300);
    await call(a, 'SET', '{b}1', 'one');
    await call(a, 'SET', '{b}2', 'two');
    await call(b, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', ids[0]);
    await call(a, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', ids[1]);
    expect(await call(a, 'MIGRATE', '127.0.0.1', b.port, '{b}1', 0, 5000)).toEqual({ simple: 'OK' });
    const addrB = `127.0.0.1:${b.port}`;
    expect(await call(a, 'GET', '{b}1')).toEqual({ error: `ASK ${slot} ${addrB}` });
    expect(await call(a, 'GET', '{b}2')).toBe('two');
    expect(await call(a, 'MGET', '{b}1', '{b}2')).toEqual({ error: 'TRYAGAIN Multiple keys request during rehashing of slot' });
    expect(await call(a, 'SET', '{b}new', 'x')).toEqual({ error: `ASK ${slot} ${addrB}` });
    expect(await call(b, 'GET', '{b}1')).toEqual({ error: `MOVED ${slot} 127.0.0.1:${a.port}` });
    const asking = await RespClient.connect(b.port);
    try {
      expect(await asking.call('ASKING')).toEqual({ simple: 'OK' });
      expect(await asking.call('GET', '{b}1')).toBe('one');
      expect(await asking.call('GET', '{b}1')).toEqual({ error: expect.stringMatching(/^MOVED /) }); // ASKING lasts one command
      expect(await asking.call('ASKING')).toEqual({ simple: 'OK' });
      expect(await asking.call('MGET', '{b}1', '{b}2')).toEqual({ error: 'TRYAGAIN Multiple keys request during rehashing of slot' });
      expect(await asking.call('ASKING')).toEqual({ simple: 'OK' });
      expect(await asking.call('SET', '{b}new', 'x')).toEqual({ simple: 'OK' });
    } finally {
      asking.close();
    }
    // CLUSTER NODES shows the open slot on both sides.
    expect(text(await call(a, 'CLUSTER', 'NODES'))).toContain(`[${slot}->-${ids[1]}]`);
    expect(text(await call(b, 'CLUSTER', 'NODES'))).toContain(`[${slot}-<-${ids[0]}]`);
    expect(await call(a, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[1])).toEqual({
      error: `ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`,
    });
    expect(await call(a, 'MIGRATE', '127.0.0.1', b.port, '{b}2', 0, 5000)).toEqual({ simple: 'OK' });
    expect(await call(b, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[1])).toEqual({ simple: 'OK' });
    expect(await call(a, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[1])).toEqual({ simple: 'OK' });
    await waitConverged(nodes, (v) => v.includes(`${ids[1]} `) && !v.includes('->-'));
    expect(await call(a, 'GET', '{b}2')).toEqual({ error: `MOVED ${slot} ${addrB}` });
    expect(await call(b, 'MGET', '{b}1', '{b}2', '{b}new')).toEqual(['one', 'two', 'x']);
    expect(await call(nodes[2], 'GET', '{b}1')).toEqual({ error: `MOVED ${slot} ${addrB}` });
  });

  test('shard channel subscribers are unsubscribed when their slot leaves the node', async () => {
    const [a, b] = nodes;
    const slot = (await call(a, 'CLUSTER', 'KEYSLOT', 'ch{b}')) as number; // 3300, now on the second node
    const sub = await RespClient.connect(b.port);
    try {
      expect(await sub.call('SSUBSCRIBE', 'ch{b}')).toEqual(['ssubscribe', 'ch{b}', 1]);
      expect(await call(b, 'SPUBLISH', 'ch{b}', 'm1')).toBe(1);
      expect(await sub.next()).toEqual(['smessage', 'ch{b}', 'm1']);
      await call(a, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', ids[1]);
      await call(b, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', ids[0]);
      for (;;) {
        const keys = (await call(b, 'CLUSTER', 'GETKEYSINSLOT', slot, 100)) as string[];
        if (keys.length === 0) break;
        await call(b, 'MIGRATE', '127.0.0.1', a.port, '', 0, 5000, 'KEYS', ...keys);
      }
      await call(a, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[0]);
      await call(b, 'CLUSTER', 'SETSLOT', slot, 'NODE', ids[0]);
      expect(await sub.next()).toEqual(['sunsubscribe', 'ch{b}', 0]);
      expect(await call(b, 'SPUBLISH', 'ch{b}', 'm2')).toEqual({ error: `MOVED ${slot} 127.0.0.1:${a.port}` });
      await waitConverged(nodes, (v) => v.split('\n').some((l) => l.startsWith(ids[0]) && / 0-/.test(l)));
    } finally {
      sub.close();
    }
  });

  test('a cluster client keeps reading and writing while 60 slots move; no key is lost', async () => {
    const client = new Cluster(nodes.map((n) => ({ host: '127.0.0.1', port: n.port })), { redisOptions: { maxRetriesPerRequest: 5 }, retryDelayOnTryAgain: 20 });
    const expected = new Map<string, string>();
    try {
      for (let i = 0; i < 3000; i++) {
        await client.set(`k:${i}`, `v${i}`);
        expected.set(`k:${i}`, `v${i}`);
      }
      // The second node's first 60 slots go to the third node.
      const slots = Array.from({ length: 60 }, (_, i) => 5461 + i);
      let stop = false;
      let errors = 0;
      let ops = 0;
      const worker = (async () => {
        let n = 0;
        while (!stop) {
          const key = `k:${Math.floor(Math.random() * 3000)}`;
          const w = `w:${n++}`;
          try {
            await client.set(w, w);
            expected.set(w, w);
            const v = `v${n}`;
            await client.set(key, v);
            expected.set(key, v);
            expect(await client.get(key)).toBe(v);
            ops += 3;
          } catch {
            errors++;
          }
        }
      })();
      let moved = 0;
      for (const s of slots) moved += await moveSlot(s, 1, 2);
      stop = true;
      await worker;
      expect(errors).toBe(0);
      expect(ops).toBeGreaterThan(0);
      expect(moved).toBeGreaterThan(0);
      await waitConverged(nodes, (v) => v.split('\n').some((l) => l.startsWith(ids[2]) && l.includes('5461-5520')));
      for (const [k, v] of expected) expect(await client.get(k)).toBe(v);
      const counts = await Promise.all(slots.map(async (s) => (await call(nodes[1], 'CLUSTER', 'COUNTKEYSINSLOT', s)) as number));
      expect(counts.every((c) => c === 0)).toBe(true);
      const r = spawnSync('redis-cli', ['--cluster', 'check', `127.0.0.1:${nodes[0].port}`], { encoding: 'utf8' });
      if (!r.error) {
        expect(r.stdout).toContain('[OK] All 16384 slots covered.');
        expect(r.stdout).not.toMatch(/\[WARNING\]|\[ERR\]/);
      }
    } finally {
      client.disconnect();
    }
  }, 120000);
});
