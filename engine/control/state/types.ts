/**
 * The state the control plane keeps: control-spec's `DeployedState` (plan/types.ts), made
 * mutable for the one process that owns it. Helpers read the API statuses into what the
 * control plane acts on.
 */
import type {
  DeployedNode, DeployedNodeGroup, DeployedReplicationGroup, DeployedSnapshot, DeployedState, Endpoint,
} from '../plan/types';

export type Mutable<T> = T extends ReadonlyArray<infer U>
  ? Array<Mutable<U>>
  : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

export type State = Mutable<DeployedState>;
export type Group = Mutable<DeployedReplicationGroup>;
export type NodeGroup = Mutable<DeployedNodeGroup>;
export type Node = Mutable<DeployedNode>;
export type Snapshot = Mutable<DeployedSnapshot>;
export type Address = Endpoint;

/** What a node is doing, mapped onto CacheClusterStatus / CacheNodeStatus. */
export type NodePhase = 'creating' | 'available' | 'rebooting' | 'deleting' | 'modifying';

export function setPhase(node: Node, phase: NodePhase): void {
  node.nodeStatus = phase;
  node.status = phase === 'rebooting' ? 'rebooting cluster nodes' : phase;
}

/** The node group of a cluster-mode-disabled group (`0001`). */
export function shard(group: Group): NodeGroup {
  return group.nodeGroups[0];
}

export function members(group: Group): Node[] {
  return group.nodeGroups.flatMap((g) => g.members);
}

/** Every `address:port` the state's groups hold: nodes, primary/reader and configuration endpoints. */
export function addressesInUse(state: DeployedState): Set<string> {
  const used = new Set<string>();
  for (const g of Object.values(state.replicationGroups)) {
    if (g.configurationEndpoint) used.add(`${g.configurationEndpoint.address}:${g.configurationEndpoint.port}`);
    for (const ng of g.nodeGroups) {
      for (const e of [ng.primaryEndpoint, ng.readerEndpoint]) if (e) used.add(`${e.address}:${e.port}`);
      for (const n of ng.members) used.add(`${n.endpoint.address}:${n.endpoint.port}`);
    }
  }
  return used;
}

export function control(state: State): NonNullable<State['control']> {
  state.control ??= { topicSinks: {}, lastAutoSnapshotDay: {} };
  return state.control;
}
