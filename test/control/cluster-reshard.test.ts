import * as fs from 'fs';
import { Cluster } from 'ioredis';
import { clusterCheck, memDir, ourShards, TestNode } from './cluster-nodes';
import { balancedLayout, ClusterHandle, createCluster, evenLayout, groupOwners, readView, reshard, ReshardProgress } from '../../engine/control/cluster';

// Online resharding through the control plane's library, against our node: 3 shards × 1 replica
// scale out to 5 and back in to 3 while an ioredis Cluster client keeps writing and reading. Every
// key acknowledged before or during the moves reads back afterwards; the error rate is printed.

// 3→5→3 moves ~13000 slots: ~30-60 s on a loaded 2-core box; the margin is for a busier one.
jest.setTimeout(300000);

const dir = memDir();
// Ten nodes and a client on two shared cores: a node late by 1.5 s is not a failure here.
const SLOW_BOX = ['--cluster-node-timeout', '5000'];
const nodes: TestNode[] = [];
let cluster: ClusterHandle;
let client: Cluster;
let stopLoad = async () => {};

beforeAll(async () => {
  nodes.push(...(await ourShards(dir, ['0001', '0002', '0003'], 1, SLOW_BOX)));
  cluster = await createCluster(nodes.map((n) => n.member), evenLayout(3));
  client = new Cluster(nodes.slice(0, 3).map((n) => ({ host: '127.0.0.1', port: n.member.port })), {
    redisOptions: { maxRetriesPerRequest: 5 }, retryDelayOnTryAgain: 20, retryDelayOnClusterDown: 50, retryDelayOnMoved: 0,
  });
});

afterAll(async () => {
  await stopLoad();
  client?.disconnect();
  cluster?.close();
  await Promise.all(nodes.map((n) => n.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A client loop: SET w:<n> then GET of an earlier key, until stopped; counts ops and errors. */
function load(c: Cluster) {
  const written: number[] = [];
  const stats = { ops: 0, errors: 0, lastError: '' };
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      try {
        await c.set(`w:${n}`, `v${n}`);
        written.push(n);
        stats.ops++;
        if (written.length > 1) {
          const k = written[Math.floor(Math.random() * written.length)];
          const v = await c.get(`w:${k}`);
          stats.ops++;
          if (v !== `v${k}`) throw new Error(`w:${k} read ${v}`);
        }
      } catch (e) {
        stats.errors++;
        stats.lastError = (e as Error).message;
      }
    }
  })();
  return { written, stats, stop: async () => { running = false; await loop; } };
}

async function readBack(c: Cluster, keys: string[], value: (k: string) => string): Promise<string[]> {
  const bad: string[] = [];
  for (let i = 0; i < keys.length; i += 200) {
    const got = await Promise.all(keys.slice(i, i + 200).map((k) => c.get(k)));
    got.forEach((v, j) => v !== value(keys[i + j]) && bad.push(keys[i + j]));
  }
  return bad;
}

test('3 → 5 → 3 shards under load: no key lost, ASK/MOVED followed by the client', async () => {
  const PRE = 3000;
  for (let i = 0; i < PRE; i += 200) await Promise.all(Array.from({ length: 200 }, (_, j) => client.set(`p:${i + j}`, `v${i + j}`)));

  const extra = await ourShards(dir, ['0004', '0005'], 1, SLOW_BOX);
  nodes.push(...extra);
  const progress: ReshardProgress[] = [];
  const l = load(client);
  const to5 = balancedLayout(await groupOwners(cluster), ['0001', '0002', '0003', '0004', '0005']);
  const started = Date.now();
  let joinMs = 0; // until the first progress report: the new groups joined, slot moves start
  const out = await reshard(cluster, to5, {
    newNodes: extra.map((n) => n.member),
    onProgress: (p) => {
      if (progress.push(p) === 1) joinMs = Date.now() - started;
    },
  });
  const v5 = await readView(cluster.members[0].link);
  expect(v5.nodes.size).toBe(10);
  for (const g of ['0004', '0005']) expect(v5.nodes.get(cluster.primaryOf(g).id)!.slots.length).toBeGreaterThan(0);
  const check5 = clusterCheck(cluster.members[0].port);
  if (check5) expect(check5.ok ? 'ok' : check5.output).toBe('ok');

  const to3 = balancedLayout(await groupOwners(cluster), ['0001', '0002', '0003']);
  const back = await reshard(cluster, to3, { onProgress: (p) => progress.push(p) });
  await l.stop();
  expect(back.removed.map((m) => m.nodeGroupId).sort()).toEqual(['0004', '0004', '0005', '0005']);
  const v3 = await readView(cluster.members[0].link);
  expect(v3.nodes.size).toBe(6);
  const check3 = clusterCheck(cluster.members[0].port);
  if (check3) expect(check3.ok ? 'ok' : check3.output).toBe('ok');

  // Progress goes up to 100 in each run.
  expect(progress[0].progressPercentage).toBe(0);
  expect(progress.filter((p) => p.progressPercentage === 100)).toHaveLength(2);

  const lost = [
    ...(await readBack(client, Array.from({ length: PRE }, (_, i) => `p:${i}`), (k) => `v${k.slice(2)}`)),
    ...(await readBack(client, l.written.map((n) => `w:${n}`), (k) => `v${k.slice(2)}`)),
  ];
  expect(lost).toEqual([]);
  const rate = l.stats.errors / (l.stats.ops + l.stats.errors);
  console.log([
    `3→5: ${out.slotsMoved} slots, ${out.keysMoved} keys in ${out.durationMs} ms, of which ${joinMs} ms for 4 nodes to join (${Math.round(out.keysMoved / (out.durationMs / 1000))} keys/s)`,
    `5→3: ${back.slotsMoved} slots, ${back.keysMoved} keys in ${back.durationMs} ms (${Math.round(back.keysMoved / (back.durationMs / 1000))} keys/s)`,
    `client: ${l.stats.ops} ops, ${l.stats.errors} errors (${(rate * 100).toFixed(3)} %) ${l.stats.lastError}; ${l.written.length} keys written during the moves`,
  ].join('\n'));
  expect(rate).toBeLessThan(0.01);
});
