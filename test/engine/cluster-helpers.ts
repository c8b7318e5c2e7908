import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, RunningNode, startNode, waitFor } from './nodes';
import { RespClient, Resp } from './resp-client';

/**
 * Cluster test helpers: start our nodes with cluster-enabled (each with its own config file in a temp
 * dir), build a cluster through the admin commands (ADDSLOTSRANGE, MEET, REPLICATE: the sequence
 * engine/README.md documents for the control plane), and wait until every node has the same view.
 */

export interface ClusterNodeHandle {
  node: RunningNode;
  port: number;
  file: string;
  client: RespClient;
}

export const CLUSTER_NODE_TIMEOUT = 1500;

/** Starts one node in cluster mode; `port` and `file` reuse a previous node's (a restart). */
export async function startClusterNode(dir: string, opts: { port?: number; file?: string; directives?: string[] } = {}): Promise<ClusterNodeHandle> {
  const port = opts.port ?? (await freePort());
  const file = opts.file ?? path.join(dir, `nodes-${port}.conf`);
  const node = await startNode([
    '--cluster-enabled', 'yes', '--cluster-config-file', file, '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT),
    // Nodes share the directory: each its own RDB file (SAVE), as each has its own nodes.conf.
    '--dir', dir, '--dbfilename', `dump-${port}.rdb`, '--save', '', ...(opts.directives ?? []), '--port', String(port),
  ]);
  const client = await RespClient.connect(port);
  return { node, port, file, client };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-test-'));
}

export async function call(h: ClusterNodeHandle, ...args: Array<string | number>): Promise<Resp> {
  return h.client.call(...args);
}

export function text(r: Resp): string {
  if (typeof r === 'string') return r;
  if (r && typeof r === 'object' && 'verbatim' in r) return r.verbatim;
  if (r && typeof r === 'object' && 'simple' in r) return r.simple;
  if (r && typeof r === 'object' && 'error' in r) throw new Error(r.error);
  throw new Error(`not a text reply: ${JSON.stringify(r)}`);
}

export async function myId(h: ClusterNodeHandle): Promise<string> {
  return text(await call(h, 'CLUSTER', 'MYID'));
}

/**
 * A node's view as comparable text: for each node, id, role, primary and slots (no ping times, no
 * `myself`), sorted; plus whether its cluster_state is ok.
 */
export async function view(h: ClusterNodeHandle): Promise<{ nodes: string; ok: boolean }> {
  const nodes = text(await call(h, 'CLUSTER', 'NODES')).trim().split('\n').map((l) => {
    const f = l.split(' ');
    const flags = f[2].split(',').filter((x) => x !== 'myself').join(',');
    return [f[0], f[1].split(',')[0], flags, f[3], f[6], ...f.slice(8)].join(' ');
  }).sort().join('\n');
  const info = text(await call(h, 'CLUSTER', 'INFO'));
  return { nodes, ok: info.includes('cluster_state:ok') };
}

/** Waits until every node reports the same view, cluster_state ok, and `extra` holds for it. */
export async function waitConverged(nodes: ClusterNodeHandle[], extra: (v: string) => boolean = () => true, timeoutMs = 20000): Promise<string> {
  let last = '';
  await waitFor(async () => {
    const views = await Promise.all(nodes.map(view));
    last = views.map((v) => `${v.ok}\n${v.nodes}`).join('\n---\n');
    return views.every((v) => v.ok && v.nodes === views[0].nodes) && extra(views[0].nodes);
  }, `cluster convergence; last views:\n${last}`, timeoutMs).catch((e: Error) => {
    throw new Error(`${e.message}\n${last}`);
  });
  return (await view(nodes[0])).nodes;
}

/** Slot ranges for `n` primaries, as redis-cli --cluster create splits them. */
export function slotSplit(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const per = 16384 / n;
  let first = 0;
  for (let i = 0; i < n; i++) {
    const last = i === n - 1 ? 16383 : Math.round(per * (i + 1)) - 1;
    out.push([first, last]);
    first = last + 1;
  }
  return out;
}

/**
 * Builds a cluster: `primaries` get the slots split evenly, each has `replicasPer` replicas (view
 * only until replication is wired), every node meets the first one. Returns primaries then replicas
 * in shard order.
 */
export async function buildCluster(primaries: ClusterNodeHandle[], replicas: ClusterNodeHandle[] = []): Promise<void> {
  const split = slotSplit(primaries.length);
  await Promise.all(primaries.map((p, i) => call(p, 'CLUSTER', 'ADDSLOTSRANGE', split[i][0], split[i][1])));
  const all = [...primaries, ...replicas];
  for (const h of all.slice(1)) await call(all[0], 'CLUSTER', 'MEET', '127.0.0.1', h.port);
  let known: number[] = [];
  await waitFor(async () => {
    known = await Promise.all(all.map(async (h) => text(await call(h, 'CLUSTER', 'NODES')).trim().split('\n').length));
    return known.every((k) => k === all.length);
  }, 'every node to know every other', 30000).catch((e: Error) => {
    throw new Error(`${e.message}: nodes known by each: ${known.join(' ')}`);
  });
  const ids = await Promise.all(primaries.map(myId));
  await Promise.all(replicas.map((r, i) => call(r, 'CLUSTER', 'REPLICATE', ids[i % primaries.length])));
  await waitConverged(all, (v) => v.split('\n').filter((l) => l.includes(' slave ')).length === replicas.length);
}

export async function stopAll(nodes: ClusterNodeHandle[]): Promise<void> {
  for (const h of nodes) h.client.close();
  await Promise.all(nodes.map((h) => h.node.stop()));
}
