/**
 * The operations the control plane answers, named like the AWS CLI verbs. Every change runs in
 * the control plane's queue; reads answer from the state at once.
 */
import { applySpec, refreshLinks } from './apply';
import { isClusterMode } from './cluster-mode';
import { changeClusterReplicas, planReplicaChange, replicaChangeFromInput } from './cluster-replicas';
import { ApiError, ControlPlane } from './control-plane';
import { generateIamAuthToken } from './iam-tokens';
import { modifyReplicationGroup } from './modify-group';
import { modifyShardConfiguration } from './shard-configuration';
import { events } from '../api/event-messages';
import { disassociateGlobal, failoverGlobal } from '../global/ops';
import { failover } from '../health/monitor';
import { copySnapshot, createSnapshot, deleteSnapshot } from '../snapshots/snapshots';
import type { DeploymentSpec } from '../spec/model';
import { Group, Node, control, members } from '../state/types';

type Input = Record<string, unknown>;

function str(input: Input, key: string, required = true): string {
  const v = input[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new ApiError('InvalidParameterValue', `The parameter ${key} must be provided.`);
    return '';
  }
  return String(v);
}

function groupOf(cp: ControlPlane, id: string): Group {
  const g = cp.state.replicationGroups[id];
  if (!g) throw new ApiError('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found.`);
  return g;
}

function availableGroup(cp: ControlPlane, id: string): Group {
  const g = groupOf(cp, id);
  if (g.status !== 'available') throw new ApiError('InvalidReplicationGroupFault', `Replication group ${id} is not in available state (${g.status}).`);
  return g;
}

function nodeOf(cp: ControlPlane, id: string): { group: Group; node: Node } {
  const group = cp.groupOfNode(id);
  if (!group) throw new ApiError('CacheClusterNotFound', `CacheCluster ${id} not found.`);
  return { group, node: members(group).find((n) => n.cacheClusterId === id)! };
}

export async function runOp(cp: ControlPlane, op: string, input: Input): Promise<unknown> {
  switch (op) {
    case 'ping':
      return { pid: process.pid };
    case 'state':
      refreshLinks(cp);
      return { state: cp.state, failed: [...cp.failed], caFile: cp.ca.caFile };
    case 'apply':
      return cp.serialize(async () => {
        if (typeof input.engineBinary === 'string') control(cp.state).engineBinary = input.engineBinary;
        const plan = await applySpec(cp, input.spec as DeploymentSpec);
        return { plan, state: cp.state };
      });
    case 'destroy':
      return cp.serialize(async () => {
        const deleted: string[] = [];
        for (const g of Object.values(cp.state.replicationGroups)) {
          const asked = input.finalSnapshotIdentifier !== undefined ? `${input.finalSnapshotIdentifier}` : undefined;
          const final = asked ?? (input.noFinalSnapshot === true ? undefined : g.spec.finalSnapshotName);
          await cp.deleteGroup(g, final !== undefined
            ? async (grp) => { await createSnapshot(cp, grp, Object.keys(cp.state.replicationGroups).length > 1 && asked ? `${final}-${grp.replicationGroupId}` : final, 'manual').catch(() => undefined); }
            : undefined);
          deleted.push(g.replicationGroupId);
        }
        cp.state.parameterGroups = {};
        cp.state.subnetGroups = {};
        cp.state.users = {};
        cp.state.userGroups = {};
        cp.state.globalReplicationGroups = {};
        delete control(cp.state).deployRegions;
        cp.save();
        return { deleted, snapshots: cp.state.snapshots.map((x) => x.snapshotName) };
      });
    case 'test-failover':
      return cp.serialize(async () => {
        const g = availableGroup(cp, str(input, 'replicationGroupId'));
        const ng = str(input, 'nodeGroupId');
        const shard = g.nodeGroups.find((x) => x.nodeGroupId === ng);
        if (!shard) throw new ApiError('NodeGroupNotFoundFault', `Node group ${ng} not found.`);
        const primary = shard.members.find((n) => n.role === 'primary');
        if (!g.spec.automaticFailover || !primary || !shard.members.some((n) => n.role === 'replica' && cp.isUp(n))) {
          throw new ApiError('TestFailoverNotAvailableFault', `Test failover is not available for replication group ${g.replicationGroupId}.`);
        }
        cp.emit(events.testFailoverCalled(g.replicationGroupId, ng));
        g.status = 'modifying';
        cp.busy.add(primary.cacheClusterId);
        try {
          await failover(cp, g, primary, 'test');
        } finally {
          cp.busy.delete(primary.cacheClusterId);
          g.status = 'available';
          cp.save();
        }
        return g;
      });
    case 'generate-iam-auth-token':
      return cp.serialize(() => generateIamAuthToken(cp, input));
    case 'modify-replication-group':
      return modifyReplicationGroup(cp, input);
    case 'modify-replication-group-shard-configuration':
      return modifyShardConfiguration(cp, input);
    case 'increase-replica-count':
    case 'decrease-replica-count':
      return cp.serialize(async () => {
        const g = availableGroup(cp, str(input, 'replicationGroupId'));
        if (isClusterMode(g)) {
          const change = replicaChangeFromInput(op, input);
          await changeClusterReplicas(cp, g, planReplicaChange(g, change), change.replicasToRemove);
          return g;
        }
        // One shard: ReplicaConfiguration names node group 0001.
        const configs = Array.isArray(input.replicaConfiguration) ? input.replicaConfiguration as Array<Record<string, unknown>> : [];
        const shardConfig = configs[0];
        if ((input.newReplicaCount === undefined || input.newReplicaCount === '') && shardConfig) {
          input = { ...input, newReplicaCount: shardConfig.newReplicaCount };
        }
        const n = Number(str(input, 'newReplicaCount'));
        const current = cp.replicasOf(g).length;
        if (!Number.isInteger(n) || n < 0 || n > 5) throw new ApiError('InvalidParameterValue', 'NewReplicaCount must be between 0 and 5.');
        if (op === 'increase-replica-count' ? n <= current : n >= current) {
          throw new ApiError('InvalidParameterValue', `NewReplicaCount ${n} must be ${op === 'increase-replica-count' ? 'greater' : 'less'} than the current count ${current}.`);
        }
        if (n === 0 && g.spec.automaticFailover) throw new ApiError('InvalidParameterCombination', 'Automatic failover requires at least one replica.');
        await cp.setReplicaCount(g, n);
        return g;
      });
    case 'reboot-cache-cluster':
      return cp.serialize(async () => {
        const id = str(input, 'cacheClusterId');
        const { group, node } = nodeOf(cp, id);
        if (!cp.isUp(node)) throw new ApiError('InvalidCacheClusterStateFault', `Cache cluster ${id} is not available.`);
        // Nodes keep their data in memory only: a primary with a replica hands its role over first,
        // so the reboot loses nothing (it comes back as a replica and resyncs).
        if (node.role === 'primary' && group.spec.automaticFailover && cp.replicasOf(group).some((n) => cp.isUp(n))) {
          cp.busy.add(node.cacheClusterId);
          try {
            await failover(cp, group, node, 'test');
          } finally {
            cp.busy.delete(node.cacheClusterId);
          }
        }
        await cp.reboot(group, node);
        return { group, node, state: cp.state };
      });
    case 'create-snapshot':
      return cp.serialize(async () => {
        const name = str(input, 'snapshotName');
        let g: Group;
        const clusterId = str(input, 'cacheClusterId', false);
        if (clusterId) {
          g = nodeOf(cp, clusterId).group;
        } else {
          g = availableGroup(cp, str(input, 'replicationGroupId'));
        }
        return createSnapshot(cp, g, name, 'manual', clusterId || undefined);
      });
    case 'copy-snapshot':
      return cp.serialize(async () => copySnapshot(cp, str(input, 'sourceSnapshotName'), str(input, 'targetSnapshotName'), str(input, 'targetBucket', false) || undefined));
    case 'delete-snapshot':
      return cp.serialize(async () => deleteSnapshot(cp, str(input, 'snapshotName')));
    case 'modify-cache-parameter-group':
      return cp.serialize(async () => {
        const name = str(input, 'cacheParameterGroupName');
        const pg = cp.state.parameterGroups[name];
        if (!pg) throw new ApiError('CacheParameterGroupNotFound', `CacheParameterGroup ${name} not found.`);
        if (name.startsWith('default.')) throw new ApiError('InvalidParameterValue', 'Default parameter groups cannot be modified.');
        const values = input.parameterNameValues as Record<string, string>;
        if (Object.keys(values).length > 20) throw new ApiError('InvalidParameterValue', 'At most 20 parameters can be modified at once.');
        pg.parameters = { ...pg.parameters, ...values };
        cp.emit(events.parameterGroupModified(name, Object.keys(values)));
        for (const g of Object.values(cp.state.replicationGroups)) {
          if (g.spec.parameterGroupName === name) await cp.applyParameters(g, values);
        }
        cp.save();
        return { CacheParameterGroupName: name };
      });
    case 'failover-global-replication-group':
      return cp.serialize(() => failoverGlobal(cp, input));
    case 'disassociate-global-replication-group':
      return cp.serialize(() => disassociateGlobal(cp, input));
    default:
      throw new ApiError('InvalidAction', `Unknown operation ${op}`);
  }
}
