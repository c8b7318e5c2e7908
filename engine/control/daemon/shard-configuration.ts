/**
 * ModifyReplicationGroupShardConfiguration: online resharding of a cluster-mode-enabled group.
 * As the service does, it answers at once with the group `modifying`; the reshard runs in the
 * control plane's queue and DescribeReplicationGroups shows its slot migration progress.
 */
import { reshardGroup } from './cluster-mode';
import { ApiError, ControlPlane } from './control-plane';
import { events } from '../api/event-messages';
import { Group } from '../state/types';

type Input = Record<string, unknown>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null || v === '' ? [] : [String(v)]);

export function modifyShardConfiguration(cp: ControlPlane, input: Input): Group {
  const id = String(input.replicationGroupId ?? '');
  const g = cp.state.replicationGroups[id];
  if (!g) throw new ApiError('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found.`);
  if (g.spec.clusterMode !== 'enabled') throw new ApiError('InvalidParameterCombination', `Replication group ${id} does not have cluster mode enabled.`);
  if (g.status !== 'available') throw new ApiError('InvalidReplicationGroupState', `Replication group ${id} is not in available state (${g.status}).`);
  if (input.applyImmediately !== true) throw new ApiError('InvalidParameterValue', 'ApplyImmediately must be true for shard configuration changes.');
  const count = Number(input.nodeGroupCount);
  if (!Number.isInteger(count) || count < 1 || count > 500) throw new ApiError('InvalidParameterValue', 'NodeGroupCount must be between 1 and 500.');
  const current = g.nodeGroups.map((ng) => ng.nodeGroupId);
  const remove = list(input.nodeGroupsToRemove);
  const retain = list(input.nodeGroupsToRetain);
  if (remove.length && retain.length) throw new ApiError('InvalidParameterCombination', 'Specify NodeGroupsToRemove or NodeGroupsToRetain, not both.');
  for (const ng of [...remove, ...retain]) if (!current.includes(ng)) throw new ApiError('NodeGroupNotFoundFault', `Node group ${ng} not found.`);
  // The current count (and nothing to remove) asks for online rebalancing: slots spread evenly over the shards.
  const rebalance = count === current.length;
  if (rebalance && (remove.length || retain.length)) {
    throw new ApiError('InvalidParameterCombination', 'NodeGroupsToRemove and NodeGroupsToRetain apply only when scaling in.');
  }
  if (count < current.length) {
    if (!remove.length && !retain.length) throw new ApiError('InvalidParameterValue', 'Scaling in needs NodeGroupsToRemove or NodeGroupsToRetain.');
    const left = retain.length ? retain.length : current.length - remove.length;
    if (left !== count) throw new ApiError('InvalidParameterValue', `NodeGroupCount ${count} does not match the node groups left (${left}).`);
  }
  g.status = 'modifying';
  cp.save();
  void cp.serialize(async () => {
    try {
      await reshardGroup(cp, g, { count, remove, retain, rebalance });
      const replicaCount = g.spec.nodeGroups[0]?.replicaCount ?? g.spec.replicasPerNodeGroup;
      g.spec = {
        ...g.spec,
        numNodeGroups: g.nodeGroups.length,
        nodeGroups: g.nodeGroups.map((ng) => ({
          ...(g.spec.nodeGroups.find((x) => x.nodeGroupId === ng.nodeGroupId) ?? { replicaCount }),
          nodeGroupId: ng.nodeGroupId,
          slots: ng.slots,
        })),
      };
      cp.emit(events.replicationGroupModified(id));
    } catch (e) {
      g.status = 'available';
      cp.emit({ sourceType: 'replication-group', sourceIdentifier: id, message: `Failed to modify the shard configuration of ${id}: ${(e as Error).message.split('\n')[0]}` });
    }
  }).catch(() => undefined);
  return g;
}
