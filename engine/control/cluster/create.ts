/**
 * createCluster: running cluster-enabled nodes become one cluster, with the sequence redis-cli
 * --cluster create uses: slots on each primary, MEET, REPLICATE, then wait until all agree.
 */
import { ClusterHandle, ClusterMember, Member, rangeArgs, SlotLayout } from './cluster';
import { LinkOptions } from './link';
import { NodeView, pollInterval, readView, waitConverged, waitUntil } from './view';

export interface CreateOptions extends LinkOptions {
  /** How long to wait for every node to agree (default 60 s). */
  readonly convergeTimeoutMs?: number;
}

export async function createCluster(nodes: readonly ClusterMember[], layout: SlotLayout, opts: CreateOptions = {}): Promise<ClusterHandle> {
  for (const g of Object.keys(layout)) {
    if (nodes.filter((n) => n.nodeGroupId === g && n.role === 'primary').length !== 1) throw new Error(`node group ${g} needs exactly one primary`);
  }
  const cluster = await ClusterHandle.connect(nodes, opts);
  try {
    // Slots first: a node that already has them (a re-run) is left alone.
    await Promise.all(cluster.members.filter((m) => m.role === 'primary').map(async (p) => {
      const ranges = layout[p.nodeGroupId] ?? [];
      const view = await readView(p.link);
      if (ranges.length && !(view.nodes.get(p.id)?.slots.length)) await p.link.cmd('CLUSTER', 'ADDSLOTSRANGE', ...rangeArgs(ranges));
    }));
    await joinMembers(cluster, cluster.members[0], cluster.members.slice(1), opts.convergeTimeoutMs);
    await attachReplicas(cluster, cluster.members.filter((m) => m.role === 'replica'));
    await converge(cluster, opts.convergeTimeoutMs);
    return cluster;
  } catch (e) {
    cluster.close();
    throw e;
  }
}

/** MEETs `newcomers` from `via` and waits until every member knows every other. */
export async function joinMembers(cluster: ClusterHandle, via: Member, newcomers: readonly Member[], timeoutMs = 60000): Promise<void> {
  const known = await readView(via.link);
  // Pipelined: one round trip for all of them (a busy node answered one MEET at a time slowly).
  await Promise.all(newcomers.filter((n) => !known.nodes.has(n.id)).map((n) => via.link.cmd('CLUSTER', 'MEET', n.host, n.port)));
  const ids = cluster.live().map((m) => m.id);
  await waitUntil(async () => {
    const views = await Promise.all(cluster.live().map((m) => readView(m.link)));
    return views.every((v) => ids.every((id) => v.nodes.has(id) && !v.nodes.get(id)!.flags.has('handshake')));
  }, 'every node to know every other', timeoutMs, pollInterval(ids.length));
}

/** CLUSTER REPLICATE on each replica to its node group's primary. */
export async function attachReplicas(cluster: ClusterHandle, replicas: readonly Member[]): Promise<void> {
  await Promise.all(replicas.map(async (r) => {
    const primary = cluster.primaryOf(r.nodeGroupId);
    const v = await readView(r.link);
    if (v.nodes.get(r.id)?.primaryId !== primary.id) await r.link.cmd('CLUSTER', 'REPLICATE', primary.id);
  }));
}

/** Waits until every live member (but `except`) agrees and the agreed view matches the handle's roles. */
export function converge(cluster: ClusterHandle, timeoutMs = 60000, except: readonly Member[] = []): Promise<NodeView> {
  const live = cluster.live().filter((m) => !except.includes(m));
  return waitConverged(live.map((m) => m.link), {
    timeoutMs,
    until: (v) => live.every((m) => {
      const n = v.nodes.get(m.id);
      if (!n) return false;
      return m.role === 'primary' ? n.flags.has('master') : n.flags.has('slave') && n.primaryId === cluster.primaryOf(m.nodeGroupId).id;
    }),
  });
}
