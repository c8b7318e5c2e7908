/// <reference path="../engine/server/resp/buffer-internals.d.ts" />
// Benchmark (not a test): online resharding through engine/control/cluster, our node against
// Debian's redis-server in cluster mode, same machine, same run. Each: 2 primaries holding
// BENCH_KEYS keys, a third joins and takes its share (5461 slots) while an ioredis Cluster client
// runs SET/GET; prints keys and slots moved per second and the client's error rate during the move.
// Node files go to /dev/shm (see test/control/cluster-nodes.ts memDir).
import * as fs from 'fs';
import { Cluster } from 'ioredis';
import { balancedLayout, createCluster, evenLayout, groupOwners, reshard } from '../engine/control/cluster';
import { memDir, ourShards, redisNode, TestNode } from '../test/control/cluster-nodes';

const KEYS = Number(process.env.BENCH_KEYS ?? 50000);

export interface ReshardFigures {
  readonly slots: number;
  readonly keys: number;
  readonly seconds: number;
  readonly ops: number;
  readonly errors: number;
}

/** One run: 2 primaries of `start`'s nodes with KEYS keys, a third joins and takes its share under a client's load. */
export async function run(name: string, start: (dir: string, group: string) => Promise<TestNode | undefined>): Promise<ReshardFigures | undefined> {
  const dir = memDir();
  const nodes: TestNode[] = [];
  try {
    for (const g of ['0001', '0002']) {
      const n = await start(dir, g);
      if (!n) {
        console.log(`${name}: not available`);
        return undefined;
      }
      nodes.push(n);
    }
    const cluster = await createCluster(nodes.map((n) => n.member), evenLayout(2));
    const client = new Cluster(nodes.map((n) => ({ host: '127.0.0.1', port: n.member.port })), { redisOptions: { maxRetriesPerRequest: 5 } });
    for (let i = 0; i < KEYS; i += 500) await Promise.all(Array.from({ length: Math.min(500, KEYS - i) }, (_, j) => client.set(`b:${i + j}`, `value-${i + j}`)));
    const third = (await start(dir, '0003'))!;
    nodes.push(third);
    const stats = { ops: 0, errors: 0 };
    let running = true;
    const loop = (async () => {
      for (let n = 0; running; n++) {
        try {
          await client.set(`l:${n}`, 'x');
          await client.get(`b:${n % KEYS}`);
          stats.ops += 2;
        } catch {
          stats.errors++;
        }
      }
    })();
    const r = await reshard(cluster, balancedLayout(await groupOwners(cluster), ['0001', '0002', '0003']), { newNodes: [third.member] });
    running = false;
    await loop;
    const s = r.durationMs / 1000;
    console.log(`${name}: ${r.slotsMoved} slots, ${r.keysMoved} keys in ${s.toFixed(1)} s: ${Math.round(r.keysMoved / s)} keys/s, `
      + `${Math.round(r.slotsMoved / s)} slots/s; client ${stats.ops} ops, ${stats.errors} errors `
      + `(${((stats.errors / Math.max(1, stats.ops + stats.errors)) * 100).toFixed(3)} %), ${Math.round(stats.ops / s)} ops/s during the move`);
    client.disconnect();
    cluster.close();
    return { slots: r.slotsMoved, keys: r.keysMoved, seconds: s, ops: stats.ops, errors: stats.errors };
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void (async () => {
    const only = process.env.BENCH_ONLY; // 'ours' or 'redis'
    if (only !== 'redis') await run('our node', async (dir, g) => (await ourShards(dir, [g], 0))[0]);
    if (only !== 'ours') await run('redis-server 7.0', (dir, g) => redisNode(dir, g, 'primary'));
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
