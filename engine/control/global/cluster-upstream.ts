/**
 * Global Datastores whose primary runs in cluster mode: the secondary region's group has the same
 * shards and slots, and each of its shard primaries takes its data from the primary region's
 * primary of the same shard (the bundled node's `cdk-elasticache-global-upstream`; Valkey has no
 * REPLICAOF in cluster mode). A cluster has no stable per-shard address, so when a shard of the
 * primary region fails over, the secondaries are pointed at its new primary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { membershipOf } from './upstream';
import type { ControlPlane } from '../daemon/control-plane';
import type { ReplicationGroupDesired } from '../spec/model';
import type { Address, Group, Node, State } from '../state/types';

const DIRECTIVE = 'cdk-elasticache-global-upstream';

const isCme = (g: { spec: ReplicationGroupDesired }) => g.spec.clusterMode === 'enabled';

/** The primary-region group a secondary follows, or undefined when `group` is no secondary. */
function primaryGroupOf(state: State, group: Group): Group | undefined {
  const m = membershipOf(state, group.replicationGroupId);
  if (m?.role !== 'SECONDARY') return undefined;
  const id = state.globalReplicationGroups![m.globalId].members.find((x) => x.role === 'PRIMARY')?.replicationGroupId;
  return id !== undefined ? state.replicationGroups[id] : undefined;
}

/** Where shard `nodeGroupId` of a cluster-mode secondary replicates from: that shard's primary in the primary region. */
export function shardUpstream(state: State, group: Group, nodeGroupId: string): Address | undefined {
  const primary = primaryGroupOf(state, group);
  return primary?.nodeGroups.find((ng) => ng.nodeGroupId === nodeGroupId)?.members.find((n) => n.role === 'primary')?.endpoint;
}

/**
 * Config lines of a node of a cluster-mode secondary. Not for a fresh replica: it starts as an empty
 * primary, and one that took data from the upstream could not be attached to its shard.
 */
export function clusterUpstreamLines(cp: ControlPlane, group: Group, node: Node): string[] {
  if (!isCme(group)) return [];
  if (node.role !== 'primary' && !fs.existsSync(path.join(cp.nodeDir(node), 'nodes.conf'))) return [];
  const ng = group.nodeGroups.find((x) => x.members.includes(node));
  const up = ng ? shardUpstream(cp.state, group, ng.nodeGroupId) : undefined;
  return up ? [`${DIRECTIVE} ${up.address} ${up.port}`] : [];
}

/** Points every running node of a cluster-mode group where its membership says (a shard primary of the primary region, or nowhere). */
export async function followClusterUpstream(cp: ControlPlane, group: Group): Promise<void> {
  for (const ng of group.nodeGroups) {
    const up = shardUpstream(cp.state, group, ng.nodeGroupId);
    for (const n of ng.members.filter((x) => cp.isUp(x))) {
      await cp.call(group, n, ['CONFIG', 'SET', DIRECTIVE, up ? `${up.address} ${up.port}` : '']);
    }
  }
}

/** After a shard failover in `group`: the cluster-mode secondaries that follow it are pointed at its new primaries. */
export async function refollowSecondaries(cp: ControlPlane, group: Group): Promise<void> {
  const m = membershipOf(cp.state, group.replicationGroupId);
  if (m?.role !== 'PRIMARY' || !isCme(group)) return;
  for (const x of cp.state.globalReplicationGroups![m.globalId].members.filter((y) => y.role === 'SECONDARY')) {
    const g = cp.state.replicationGroups[x.replicationGroupId];
    if (g && isCme(g)) await followClusterUpstream(cp, g).catch(() => undefined);
  }
}

/** A secondary of a cluster-mode primary has its shards: the same node group ids and slots, its own replica count. */
export function inheritShards(rg: ReplicationGroupDesired, from: ReplicationGroupDesired, deployed?: Group): ReplicationGroupDesired {
  if (from.clusterMode !== 'enabled') return rg;
  const replicas = rg.nodeGroups[0]?.replicaCount ?? rg.replicasPerNodeGroup;
  return {
    ...rg,
    clusterMode: 'enabled',
    numNodeGroups: from.nodeGroups.length,
    nodeGroups: (deployed?.nodeGroups ?? from.nodeGroups).map((ng, i) => ({
      nodeGroupId: ng.nodeGroupId,
      slots: ng.slots ?? from.nodeGroups[i]?.slots,
      replicaCount: rg.nodeGroups.find((x) => x.nodeGroupId === ng.nodeGroupId)?.replicaCount ?? replicas,
    })),
  };
}
