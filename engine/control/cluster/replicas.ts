/**
 * Per-shard replica count changes (increase-replica-count / decrease-replica-count): a new node
 * joins and REPLICATEs its group's primary; a removed replica is forgotten everywhere and reset.
 */
import { ClusterHandle, ClusterMember, Member } from './cluster';
import { attachReplicas, converge, joinMembers } from './create';
import { removeMembers } from './reshard';

export interface ReplicaOptions {
  readonly convergeTimeoutMs?: number;
}

export async function addReplicas(cluster: ClusterHandle, nodes: readonly ClusterMember[], opts: ReplicaOptions = {}): Promise<Member[]> {
  const added: Member[] = [];
  for (const n of nodes) added.push(await cluster.attach({ ...n, role: 'replica' }));
  const via = cluster.live().find((m) => !added.includes(m))!;
  await joinMembers(cluster, via, added, opts.convergeTimeoutMs);
  await attachReplicas(cluster, added);
  await converge(cluster, opts.convergeTimeoutMs);
  return added;
}

export type Address = { host: string; port: number };

export async function removeReplicas(cluster: ClusterHandle, nodes: readonly Address[], opts: ReplicaOptions = {}): Promise<void> {
  const members = nodes.map((n) => {
    const m = cluster.find(n);
    if (!m) throw new Error(`${n.host}:${n.port} is not a member`);
    if (m.role !== 'replica') throw new Error(`${n.host}:${n.port} is a primary; fail over first`);
    return m;
  });
  await removeMembers(cluster, members);
  await converge(cluster, opts.convergeTimeoutMs);
}
