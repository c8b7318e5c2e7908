import { PropertyChange } from './types';
import { ReplicationGroupDesired } from '../spec/model';

/**
 * How a change to each property of a replication group is applied, following CloudFormation's
 * "Update requires" of AWS::ElastiCache::ReplicationGroup (research/specs/cfn_elasticache.md):
 * - `replace`: Replacement (a new group; data is not carried over);
 * - `modify`: No interruption (ModifyReplicationGroup);
 * - `rolling`: node type / engine version, applied node by node;
 * - `replicas`: NumCacheClusters, applied by adding or removing replicas.
 * ReplicasPerNodeGroup really does require replacement in CloudFormation; NumCacheClusters does not.
 */
type Effect = 'replace' | 'modify' | 'rolling' | 'replicas' | 'shards';

interface FieldRule {
  readonly property: string;
  readonly effect: Effect;
  /** Values that must not be printed. */
  readonly secret?: boolean;
}

const FIELDS: Partial<Record<keyof ReplicationGroupDesired, FieldRule>> = {
  description: { property: 'ReplicationGroupDescription', effect: 'modify' },
  engineVersion: { property: 'EngineVersion', effect: 'rolling' },
  nodeType: { property: 'CacheNodeType', effect: 'rolling' },
  clusterMode: { property: 'ClusterMode', effect: 'modify' },
  preferredCacheClusterAzs: { property: 'PreferredCacheClusterAZs', effect: 'replace' },
  automaticFailover: { property: 'AutomaticFailoverEnabled', effect: 'modify' },
  multiAz: { property: 'MultiAZEnabled', effect: 'modify' },
  port: { property: 'Port', effect: 'replace' },
  parameterGroupName: { property: 'CacheParameterGroupName', effect: 'modify' },
  subnetGroupName: { property: 'CacheSubnetGroupName', effect: 'replace' },
  transitEncryption: { property: 'TransitEncryptionEnabled', effect: 'modify' },
  transitEncryptionMode: { property: 'TransitEncryptionMode', effect: 'modify' },
  atRestEncryption: { property: 'AtRestEncryptionEnabled', effect: 'replace' },
  kmsKeyId: { property: 'KmsKeyId', effect: 'replace' },
  userGroupIds: { property: 'UserGroupIds', effect: 'modify' },
  snapshotRetentionLimit: { property: 'SnapshotRetentionLimit', effect: 'modify' },
  snapshotWindow: { property: 'SnapshotWindow', effect: 'modify' },
  maintenanceWindow: { property: 'PreferredMaintenanceWindow', effect: 'modify' },
  snapshottingClusterId: { property: 'SnapshottingClusterId', effect: 'modify' },
  // Template-level policies: nothing changes on the nodes, the new spec is only recorded.
  finalSnapshotName: { property: 'Metadata.cdk-elasticache:FinalSnapshotName', effect: 'modify' },
  deletionPolicy: { property: 'DeletionPolicy', effect: 'modify' },
  updateReplacePolicy: { property: 'UpdateReplacePolicy', effect: 'modify' },
  snapshotName: { property: 'SnapshotName', effect: 'replace' },
  snapshotArns: { property: 'SnapshotArns', effect: 'replace' },
  notificationTopicArn: { property: 'NotificationTopicArn', effect: 'modify' },
  logDelivery: { property: 'LogDeliveryConfigurations', effect: 'modify' },
  dataTiering: { property: 'DataTieringEnabled', effect: 'replace' },
  durability: { property: 'Durability', effect: 'modify' },
  networkType: { property: 'NetworkType', effect: 'replace' },
  ipDiscovery: { property: 'IpDiscovery', effect: 'modify' },
  autoMinorVersionUpgrade: { property: 'AutoMinorVersionUpgrade', effect: 'modify' },
  globalReplicationGroupId: { property: 'GlobalReplicationGroupId', effect: 'replace' },
  securityGroupIds: { property: 'SecurityGroupIds', effect: 'modify' },
  tags: { property: 'Tags', effect: 'modify' },
};

export interface GroupDiff {
  readonly replace: PropertyChange[];
  readonly modify: PropertyChange[];
  readonly rolling: PropertyChange[];
  readonly shards: PropertyChange[];
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Secrets appear in changes as `(set)` / `(changed)`, never as values. */
export function masked(v: unknown): unknown {
  return v === undefined ? undefined : '(secret)';
}

/** Classifies every difference between the applied spec and the desired one. */
export function diffReplicationGroup(current: ReplicationGroupDesired, desired: ReplicationGroupDesired): GroupDiff {
  const out: GroupDiff = { replace: [], modify: [], rolling: [], shards: [] };
  for (const [field, rule] of Object.entries(FIELDS) as Array<[keyof ReplicationGroupDesired, FieldRule]>) {
    const from = current[field];
    const to = desired[field];
    if (sameValue(from, to)) continue;
    const change = { property: rule.property, field, from: rule.secret ? masked(from) : from, to: rule.secret ? masked(to) : to };
    out[rule.effect === 'replicas' ? 'modify' : rule.effect].push(change);
  }

  // Engine: redis → valkey is an in-place upgrade; anything else replaces the group.
  if (current.engine !== desired.engine) {
    const change = { property: 'Engine', field: 'engine', from: current.engine, to: desired.engine };
    if (current.engine === 'redis' && desired.engine === 'valkey') out.rolling.push(change);
    else out.replace.push(change);
  }

  // AuthToken: adding one replaces the group; changing it rotates; removing it is a modification.
  if (current.authToken !== desired.authToken) {
    const change = { property: 'AuthToken', field: 'authToken', from: masked(current.authToken), to: masked(desired.authToken) };
    if (current.authToken === undefined) out.replace.push(change);
    else out.modify.push(change);
  }

  // Replica counts: ReplicasPerNodeGroup is a replacement in CloudFormation, NumCacheClusters is not.
  const usesPerNodeGroup = (g: ReplicationGroupDesired) => g.origin.properties.includes('ReplicasPerNodeGroup');
  if (current.replicasPerNodeGroup !== desired.replicasPerNodeGroup && usesPerNodeGroup(current) && usesPerNodeGroup(desired)) {
    out.replace.push({ property: 'ReplicasPerNodeGroup', field: 'replicasPerNodeGroup', from: current.replicasPerNodeGroup, to: desired.replicasPerNodeGroup });
  }

  // Shards (cluster mode enabled): resharding online with UseOnlineResharding, else replacement.
  const layout = (g: ReplicationGroupDesired) => g.nodeGroups.map((n) => ({
    id: n.nodeGroupId,
    slots: n.slots,
    replicas: n.replicaCount,
    az: n.primaryAvailabilityZone,
    replicaAzs: n.replicaAvailabilityZones,
  }));
  if (desired.clusterMode === 'enabled' && current.clusterMode === 'enabled') {
    const changes: PropertyChange[] = [];
    if (current.numNodeGroups !== desired.numNodeGroups) changes.push({ property: 'NumNodeGroups', field: 'numNodeGroups', from: current.numNodeGroups, to: desired.numNodeGroups });
    const explicit = (g: ReplicationGroupDesired) => g.origin.properties.includes('NodeGroupConfiguration');
    if ((explicit(current) || explicit(desired)) && !sameValue(layout(current), layout(desired)) && !usesPerNodeGroupOnly(current, desired)) {
      changes.push({ property: 'NodeGroupConfiguration', field: 'nodeGroups', from: layout(current), to: layout(desired) });
    }
    if (changes.length > 0) (desired.useOnlineResharding ? out.shards : out.replace).push(...changes);
  }
  return out;
}

/** True when the node group layouts differ only by the ReplicasPerNodeGroup change already counted. */
function usesPerNodeGroupOnly(current: ReplicationGroupDesired, desired: ReplicationGroupDesired): boolean {
  if (current.nodeGroups.length !== desired.nodeGroups.length) return false;
  return current.nodeGroups.every((n, i) => {
    const d = desired.nodeGroups[i];
    return n.nodeGroupId === d.nodeGroupId
      && n.slots === d.slots
      && sameValue(n.primaryAvailabilityZone, d.primaryAvailabilityZone)
      && sameValue(n.replicaAvailabilityZones, d.replicaAvailabilityZones);
  }) && current.origin.properties.includes('ReplicasPerNodeGroup');
}
