/**
 * Per-shard failover and recovery: the control plane decides (no vote among primaries), so a
 * replica of a failed primary is promoted with CLUSTER FAILOVER TAKEOVER; with its primary still up,
 * a plain CLUSTER FAILOVER, coordinated here (writes paused, the replica caught up: no write
 * lost). A recovered node comes back as a replica of whoever serves its group now.
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
  // Nodes being restarted are not waited for: they rejoin later (reattach).
  const ignored = (opts.ignore ?? []).map((n) => cluster.find(n)).filter((m): m is Member => m !== undefined);
  if (primaryUp) {
    await coordinated(cluster, old, replica, opts.convergeTimeoutMs ?? 30000, ignored);
  } else {
    await replica.link.cmd('CLUSTER', 'FAILOVER', 'TAKEOVER');
    replica.role = 'primary';
    old.role = 'replica';
    // Only the live nodes are asked to agree; the old primary rejoins later (reattach).
    await converge(cluster, opts.convergeTimeoutMs ?? 30000, [old, ...ignored]);
  }
  return replica;
}

const offset = async (m: Member, field: string) => Number(new RegExp(`\\b${field}:(\\d+)`).exec(String(await m.link.cmd('INFO', 'replication')))?.[1] ?? -1);

/**
 * The coordinated failover, no acknowledged write lost (what Valkey's CLUSTER FAILOVER does by
 * itself, done here so any engine gets it): writes pause on the old primary, the replica catches
 * up with its offset, takes over, and once every node agrees the held writes run again on the old
 * primary, now a replica, and are redirected (MOVED) to the new one.
 */
async function coordinated(cluster: ClusterHandle, old: Member, replica: Member, timeoutMs: number, ignored: readonly Member[]): Promise<void> {
  await old.link.cmd('CLIENT', 'PAUSE', String(timeoutMs), 'WRITE');
  try {
    const want = await offset(old, 'master_repl_offset');
    const deadline = Date.now() + timeoutMs;
    while ((await offset(replica, 'slave_repl_offset')) < want) {
      if (Date.now() > deadline) throw new Error(`replica ${replica.host}:${replica.port} did not catch up with its primary's offset ${want}`);
      await new Promise((res) => setTimeout(res, 10));
    }
    await replica.link.cmd('CLUSTER', 'FAILOVER');
    replica.role = 'primary';
    old.role = 'replica';
    await converge(cluster, timeoutMs, ignored);
  } finally {
    await old.link.call(['CLIENT', 'UNPAUSE']).catch(() => undefined);
  }
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
