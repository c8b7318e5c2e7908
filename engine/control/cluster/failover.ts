/**
 * Per-shard failover and recovery: the control plane decides (no vote among primaries), so a
 * replica of a failed primary is promoted with CLUSTER FAILOVER TAKEOVER; with its primary still up,
 * a plain CLUSTER FAILOVER (the coordinated one, no write lost). A recovered node comes back as a
 * replica of whoever serves its group now.
 */
import { ClusterHandle, ClusterMember, Member } from './cluster';
import { converge, joinMembers } from './create';
import { readView } from './view';

export interface FailoverOptions {
  /** The replica to promote (default: the first live one). */
  readonly replica?: { host: string; port: number };
  /** TAKEOVER even when the primary answers (test-failover of a hung primary). */
  readonly force?: boolean;
  readonly convergeTimeoutMs?: number;
  /** Nodes not to wait for (being restarted: they rejoin later, with reattach). */
  readonly ignore?: ReadonlyArray<{ host: string; port: number }>;
}

async function answers(m: Member): Promise<boolean> {
  if (m.link.closed) return false;
  try {
    return (await m.link.call(['PING'], 1000)) === 'PONG';
  } catch {
    return false;
  }
}

/** Promotes a replica of `group`; returns it (now the group's primary in the handle). */
export async function failoverShard(cluster: ClusterHandle, group: string, opts: FailoverOptions = {}): Promise<Member> {
  const old = cluster.primaryOf(group);
  const wanted = opts.replica;
  const replica = cluster.replicasOf(group).find((r) => !r.link.closed && (!wanted || (r.host === wanted.host && r.port === wanted.port)));
  if (!replica) throw new Error(`node group ${group} has no live replica to promote`);
  const primaryUp = !opts.force && (await answers(old));
  await replica.link.cmd('CLUSTER', 'FAILOVER', ...(primaryUp ? [] : ['TAKEOVER']));
  replica.role = 'primary';
  old.role = 'replica';
  // Only the live nodes are asked to agree; the old primary rejoins later (reattach).
  const ignored = (opts.ignore ?? []).map((n) => cluster.find(n)).filter((m): m is Member => m !== undefined);
  await converge(cluster, opts.convergeTimeoutMs ?? 30000, [...(primaryUp ? [] : [old]), ...ignored]);
  return replica;
}

/**
 * Brings a recovered node back as a replica of its group's current primary: with its old
 * nodes.conf it already knows the cluster (and hears the newer epoch); a node that lost its config
 * is MEET again. Either way it is told to REPLICATE.
 */
export async function reattach(cluster: ClusterHandle, node: ClusterMember, opts: { convergeTimeoutMs?: number } = {}): Promise<Member> {
  const m = await cluster.attach({ ...node, role: 'replica' });
  const primary = cluster.primaryOf(m.nodeGroupId);
  const known = (await readView(primary.link)).nodes.has(m.id);
  if (!known) await joinMembers(cluster, primary, [m], opts.convergeTimeoutMs);
  // It may still think it is the primary for a moment; REPLICATE fails on a primary with slots or keys until it hears the newer epoch.
  const deadline = Date.now() + (opts.convergeTimeoutMs ?? 30000);
  for (;;) {
    const v = await readView(m.link);
    if (v.nodes.get(m.id)?.primaryId === primary.id) break;
    const r = await m.link.call(['CLUSTER', 'REPLICATE', primary.id]);
    if (!(r instanceof Error)) break;
    if (Date.now() > deadline) throw new Error(`CLUSTER REPLICATE on ${m.host}:${m.port}: ${r.message}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  await converge(cluster, opts.convergeTimeoutMs);
  return m;
}
