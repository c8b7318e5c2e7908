/**
 * src/model's rules name properties as the constructs do (`automaticFailover`, `nodeGroups[1].slots`);
 * a template user reads CloudFormation's names (`AutomaticFailoverEnabled`,
 * `NodeGroupConfiguration[1].Slots`). These tables translate.
 */
const REPLICATION_GROUP: Record<string, string> = {
  replicationGroupId: 'ReplicationGroupId',
  description: 'ReplicationGroupDescription',
  engine: 'Engine',
  nodeType: 'CacheNodeType',
  clusterMode: 'ClusterMode',
  shards: 'NumNodeGroups',
  nodeGroups: 'NodeGroupConfiguration',
  preferredAvailabilityZones: 'PreferredCacheClusterAZs',
  multiAz: 'MultiAZEnabled',
  automaticFailover: 'AutomaticFailoverEnabled',
  port: 'Port',
  parameterGroup: 'CacheParameterGroupName',
  transitEncryption: 'TransitEncryptionEnabled',
  transitEncryptionMode: 'TransitEncryptionMode',
  atRestEncryption: 'AtRestEncryptionEnabled',
  encryptionKey: 'KmsKeyId',
  authToken: 'AuthToken',
  userGroup: 'UserGroupIds',
  durability: 'Durability',
  backupRetention: 'SnapshotRetentionLimit',
  preferredBackupWindow: 'SnapshotWindow',
  preferredMaintenanceWindow: 'PreferredMaintenanceWindow',
  finalSnapshotName: 'Metadata.cdk-elasticache:FinalSnapshotName',
  snapshottingClusterId: 'SnapshottingClusterId',
  dataTiering: 'DataTieringEnabled',
  networkType: 'NetworkType',
  ipDiscovery: 'IpDiscovery',
  logDelivery: 'LogDeliveryConfigurations',
};

const NODE_GROUP: Record<string, string> = {
  nodeGroupId: 'NodeGroupId',
  slots: 'Slots',
  replicaCount: 'ReplicaCount',
  primaryAvailabilityZone: 'PrimaryAvailabilityZone',
  replicaAvailabilityZones: 'ReplicaAvailabilityZones',
};

/** How the template expressed what the constructs call `replicasPerShard` and `restoreFrom`. */
export interface ReplicationGroupPropertyContext {
  readonly templateProperties: readonly string[];
}

/** The CloudFormation property for a construct property of a replication group. */
export function replicationGroupProperty(constructProperty: string, ctx: ReplicationGroupPropertyContext): string {
  const set = (p: string) => ctx.templateProperties.includes(p);
  const ng = /^nodeGroups\[(\d+)\]\.?(\w*)$/.exec(constructProperty);
  if (ng) return `NodeGroupConfiguration[${ng[1]}]${ng[2] ? `.${NODE_GROUP[ng[2]] ?? ng[2]}` : ''}`;
  switch (constructProperty) {
    case 'replicasPerShard':
      if (set('ReplicasPerNodeGroup')) return 'ReplicasPerNodeGroup';
      if (set('NumCacheClusters')) return 'NumCacheClusters';
      return set('NodeGroupConfiguration') ? 'NodeGroupConfiguration' : 'ReplicasPerNodeGroup';
    case 'restoreFrom':
      return set('SnapshotArns') ? 'SnapshotArns' : 'SnapshotName';
    case 'engine':
      return set('Engine') || !set('EngineVersion') ? 'Engine' : 'EngineVersion';
  }
  return REPLICATION_GROUP[constructProperty] ?? constructProperty;
}

/** Template properties → the construct props they correspond to (for rule G4, "set on a secondary"). */
export function explicitConstructProps(templateProperties: readonly string[]): string[] {
  const inverse = new Map(Object.entries(REPLICATION_GROUP).map(([k, v]) => [v, k]));
  inverse.set('SnapshotName', 'restoreFrom');
  inverse.set('SnapshotArns', 'restoreFrom');
  inverse.set('ReplicasPerNodeGroup', 'replicasPerShard');
  inverse.set('NumCacheClusters', 'replicasPerShard');
  inverse.set('EngineVersion', 'engine');
  return [...new Set(templateProperties.map((p) => inverse.get(p)).filter((p): p is string => p !== undefined))];
}

const USER: Record<string, string> = {
  userId: 'UserId',
  userName: 'UserName',
  engine: 'Engine',
  accessString: 'AccessString',
  passwords: 'AuthenticationMode.Passwords',
  authentication: 'AuthenticationMode.Type',
};

export function userProperty(constructProperty: string): string {
  return USER[constructProperty] ?? constructProperty;
}

export function userGroupProperty(constructProperty: string): string {
  return constructProperty === 'users' ? 'UserIds' : constructProperty === 'userGroupId' ? 'UserGroupId' : constructProperty;
}

/** `parameters['x']` → `Properties.x`. */
export function parameterGroupProperty(constructProperty: string): string {
  const m = /^parameters\['(.*)'\]$/.exec(constructProperty);
  if (m) return `Properties.${m[1]}`;
  if (constructProperty === 'parameters') return 'Properties';
  if (constructProperty === 'family') return 'CacheParameterGroupFamily';
  return constructProperty;
}

export function globalDatastoreProperty(constructProperty: string): string {
  const table: Record<string, string> = {
    'globalDatastoreIdSuffix': 'GlobalReplicationGroupIdSuffix',
    'description': 'GlobalReplicationGroupDescription',
    'primary.nodeType': 'CacheNodeType',
    'primary.engine': 'EngineVersion',
    'secondaries': 'Members',
  };
  return table[constructProperty] ?? constructProperty;
}
