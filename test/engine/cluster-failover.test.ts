import * as fs from 'fs';
import { buildCluster, call, ClusterNodeHandle, myId, startClusterNode, stopAll, tempDir, text, view, waitConverged } from './cluster-helpers';
import { waitFor } from './nodes';
import { Resp } from './resp-client';

// Config epochs at work: nodes that come back with an old view (from their cluster-config-file)
// are corrected by the others and never take slots back; a failed-over primary rejoins as a replica.
describe('stale views and failover', () => {
  let dir: string;
  let nodes: ClusterNodeHandle[]; // P0, P1, P2, R (replica of P0)
  let ids: string[];

  beforeAll(async () => {
    dir = tempDir();
    nodes = [];
    for (let i = 0; i < 4; i++) nodes.push(await startClusterNode(dir));
    await buildCluster(nodes.slice(0, 3), [nodes[3]]);
    ids = await Promise.all(nodes.map(myId));
  }, 60000);

  afterAll(async () => {
    await stopAll(nodes);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function restart(i: number): Promise<void> {
    const old = nodes[i];
    nodes[i] = await startClusterNode(dir, { port: old.port, file: old.file });
  }

  async function stop(i: number): Promise<void> {
    nodes[i].client.close();
    await nodes[i].node.stop();
  }

  /** The owner id of a slot in a node's CLUSTER SLOTS. */
  async function ownerOf(h: ClusterNodeHandle, slot: number): Promise<string | undefined> {
    const slots = (await call(h, 'CLUSTER', 'SLOTS')) as Resp[][];
    const run = slots.find((r) => (r[0] as number) <= slot && slot <= (r[1] as number));
    return run ? ((run[2] as Resp[])[2] as string) : undefined;
  }

  test('a node restarted with an old view (a slot moved while it was down) converges', async () => {
    await stop(2);
    // Slot 0 (no keys) moves from P0 to P1 while P2 is down.
    expect(await call(nodes[1], 'CLUSTER', 'SETSLOT', 0, 'IMPORTING', ids[0])).toEqual({ simple: 'OK' });
    expect(await call(nodes[0], 'CLUSTER', 'SETSLOT', 0, 'MIGRATING', ids[1])).toEqual({ simple: 'OK' });
    expect(await call(nodes[1], 'CLUSTER', 'SETSLOT', 0, 'NODE', ids[1])).toEqual({ simple: 'OK' });
    expect(await call(nodes[0], 'CLUSTER', 'SETSLOT', 0, 'NODE', ids[1])).toEqual({ simple: 'OK' });
    await waitFor(async () => (await ownerOf(nodes[3], 0)) === ids[1], 'the replica to see slot 0 on P1');
    // P2's config file still says P0 owns slot 0.
    expect(fs.readFileSync(nodes[2].file, 'latin1')).toMatch(new RegExp(`^${ids[0]} .* connected 0-5460$`, 'm'));
    await restart(2);
    expect(await myId(nodes[2])).toBe(ids[2]);
    const v = await waitConverged(nodes, (x) => x.includes(`${ids[1]} `));
    expect(await ownerOf(nodes[2], 0)).toBe(ids[1]);
    expect(await ownerOf(nodes[2], 1)).toBe(ids[0]);
    expect(v).toMatch(new RegExp(`^${ids[1]} .* 0 5461-10922$`, 'm'));
  }, 60000);

  test('failover: the replica takes over, the old primary comes back with its old view and follows it; no split brain', async () => {
    await stop(0);
    await waitFor(async () => text(await call(nodes[3], 'CLUSTER', 'NODES')).includes('fail'), 'P0 to be seen failing by its replica', 15000);
    expect(await call(nodes[3], 'CLUSTER', 'FAILOVER')).toEqual({ error: 'ERR Master is down or failed, please use CLUSTER FAILOVER FORCE' });
    expect(await call(nodes[3], 'CLUSTER', 'FAILOVER', 'TAKEOVER')).toEqual({ simple: 'OK' });
    const others = [nodes[1], nodes[2], nodes[3]];
    await waitFor(async () => (await Promise.all(others.map((h) => ownerOf(h, 1)))).every((o) => o === ids[3]), 'the new primary to own P0\'s slots everywhere');
    await waitFor(async () => (await Promise.all(others.map(view))).every((x) => x.ok), 'cluster_state ok without P0');
    // While P0 comes back claiming its slots with an older epoch, nobody else ever gives them back to it.
    let watching = true;
    const seen = new Set<string | undefined>();
    const watcher = (async () => {
      while (watching) for (const h of others) seen.add(await ownerOf(h, 1));
    })();
    await restart(0);
    await waitConverged(nodes, (x) => x.split('\n').some((l) => l.startsWith(`${ids[0]} `) && l.includes(` slave ${ids[3]}`)));
    watching = false;
    await watcher;
    expect([...seen]).toEqual([ids[3]]);
    expect(await ownerOf(nodes[0], 1)).toBe(ids[3]);
    expect(text(await call(nodes[0], 'CLUSTER', 'NODES'))).toMatch(new RegExp(`^${ids[0]} \\S+ myself,slave ${ids[3]} `, 'm'));
    expect(await call(nodes[0], 'SET', '{b}', 'x')).toEqual({ error: `MOVED 3300 127.0.0.1:${nodes[3].port}` });
    // Epochs: the new primary's is the highest, and every node agrees on the current epoch.
    const infos = await Promise.all(nodes.map(async (h) => text(await call(h, 'CLUSTER', 'INFO'))));
    const current = infos.map((i) => /cluster_current_epoch:(\d+)/.exec(i)![1]);
    expect(new Set(current).size).toBe(1);
    expect(/cluster_my_epoch:(\d+)/.exec(infos[3])![1]).toBe(current[0]);
  }, 90000);
});
