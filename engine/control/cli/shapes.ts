/**
 * The ElastiCache API's JSON shapes (DescribeReplicationGroups, DescribeCacheClusters, ...) built
 * from the deployed state, so `--output json` reads like the AWS CLI's answer. (control-spec's
 * engine/control/api builders replace these when they land.)
 */
import type {
  DeployedEvent, DeployedNode, DeployedReplicationGroup, DeployedSnapshot, DeployedState, DeployedUser, DeployedUserGroup,
} from '../plan/types';

const ep = (e: { address: string; port: number } | undefined) => (e ? { Address: e.address, Port: e.port } : undefined);

export function replicationGroupShape(g: DeployedReplicationGroup) {
  const s = g.spec;
  const nodes = g.nodeGroups.flatMap((ng) => ng.members);
  const primary = nodes.find((n) => n.role === 'primary');
  return {
    ReplicationGroupId: g.replicationGroupId,
    Description: s.description,
    Status: g.status,
    PendingModifiedValues: {},
    MemberClusters: nodes.map((n) => n.cacheClusterId),
    NodeGroups: g.nodeGroups.map((ng) => ({
      NodeGroupId: ng.nodeGroupId,
      Status: ng.status,
      PrimaryEndpoint: ep(ng.primaryEndpoint),
      ReaderEndpoint: ep(ng.readerEndpoint),
      NodeGroupMembers: ng.members.map((n) => ({
        CacheClusterId: n.cacheClusterId,
        CacheNodeId: n.cacheNodeId,
        ReadEndpoint: ep(n.endpoint),
        PreferredAvailabilityZone: n.availabilityZone,
        CurrentRole: n.role,
      })),
    })),
    SnapshottingClusterId: nodes.find((n) => n.role === 'replica')?.cacheClusterId ?? primary?.cacheClusterId,
    AutomaticFailover: s.automaticFailover ? 'enabled' : 'disabled',
    MultiAZ: s.multiAz ? 'enabled' : 'disabled',
    SnapshotRetentionLimit: s.snapshotRetentionLimit,
    SnapshotWindow: s.snapshotWindow ?? '05:00-06:00',
    ClusterEnabled: false,
    CacheNodeType: s.nodeType,
    AuthTokenEnabled: s.authToken !== undefined,
    TransitEncryptionEnabled: s.transitEncryption,
    AtRestEncryptionEnabled: s.atRestEncryption,
    ARN: g.arn,
    UserGroupIds: s.userGroupIds,
    LogDeliveryConfigurations: [],
    ReplicationGroupCreateTime: g.createTime,
    DataTiering: s.dataTiering ? 'enabled' : 'disabled',
    AutoMinorVersionUpgrade: s.autoMinorVersionUpgrade ?? true,
    NetworkType: 'ipv4',
    IpDiscovery: 'ipv4',
    ClusterMode: s.clusterMode,
    Engine: s.engine,
  };
}

export function cacheClusterShape(g: DeployedReplicationGroup, n: DeployedNode, showNodeInfo: boolean) {
  const s = g.spec;
  return {
    CacheClusterId: n.cacheClusterId,
    CacheNodeType: n.nodeType,
    Engine: s.engine,
    EngineVersion: n.engineVersion,
    CacheClusterStatus: n.status,
    NumCacheNodes: 1,
    PreferredAvailabilityZone: n.availabilityZone,
    CacheClusterCreateTime: n.createTime,
    PreferredMaintenanceWindow: s.maintenanceWindow,
    PendingModifiedValues: {},
    CacheSecurityGroups: [],
    CacheParameterGroup: {
      CacheParameterGroupName: s.parameterGroupName ?? `default.${s.engine}${s.engineVersion.split('.')[0]}`,
      ParameterApplyStatus: n.parameterApplyStatus,
      CacheNodeIdsToReboot: n.parameterApplyStatus === 'pending-reboot' ? [n.cacheNodeId] : [],
    },
    CacheSubnetGroupName: s.subnetGroupName,
    AutoMinorVersionUpgrade: s.autoMinorVersionUpgrade ?? true,
    SecurityGroups: s.securityGroupIds.map((id) => ({ SecurityGroupId: id, Status: 'active' })),
    ReplicationGroupId: g.replicationGroupId,
    SnapshotRetentionLimit: s.snapshotRetentionLimit,
    SnapshotWindow: s.snapshotWindow ?? '05:00-06:00',
    AuthTokenEnabled: s.authToken !== undefined,
    TransitEncryptionEnabled: s.transitEncryption,
    AtRestEncryptionEnabled: s.atRestEncryption,
    ARN: g.arn.replace(/replicationgroup:.*$/, `cluster:${n.cacheClusterId}`),
    ReplicationGroupLogDeliveryEnabled: false,
    LogDeliveryConfigurations: [],
    NetworkType: 'ipv4',
    IpDiscovery: 'ipv4',
    ...(showNodeInfo ? {
      CacheNodes: [{
        CacheNodeId: n.cacheNodeId,
        CacheNodeStatus: n.nodeStatus,
        CacheNodeCreateTime: n.createTime,
        Endpoint: ep(n.endpoint),
        ParameterGroupStatus: n.parameterApplyStatus,
        CustomerAvailabilityZone: n.availabilityZone,
      }],
    } : {}),
  };
}

export function snapshotShape(s: DeployedSnapshot) {
  return {
    SnapshotName: s.snapshotName,
    ReplicationGroupId: s.replicationGroupId,
    ReplicationGroupDescription: s.replicationGroupDescription,
    SnapshotStatus: s.snapshotStatus,
    SnapshotSource: s.snapshotSource,
    CacheNodeType: s.nodeType,
    Engine: s.engine,
    EngineVersion: s.engineVersion,
    NumNodeGroups: s.numNodeGroups,
    Port: s.port,
    CacheParameterGroupName: s.parameterGroupName,
    CacheSubnetGroupName: s.subnetGroupName,
    AutomaticFailover: s.automaticFailover ? 'enabled' : 'disabled',
    SnapshotRetentionLimit: s.snapshotRetentionLimit,
    SnapshotWindow: s.snapshotWindow,
    PreferredMaintenanceWindow: s.maintenanceWindow,
    NodeSnapshots: s.nodeSnapshots.map((n) => ({
      CacheClusterId: n.cacheClusterId,
      NodeGroupId: n.nodeGroupId,
      CacheNodeId: n.cacheNodeId,
      CacheSize: `${(n.cacheSize / 1024 / 1024).toFixed(3)} MB`,
      CacheNodeCreateTime: n.cacheNodeCreateTime,
      SnapshotCreateTime: n.snapshotCreateTime,
    })),
    DataTiering: s.dataTiering ? 'enabled' : 'disabled',
    ARN: s.arn,
  };
}

export function eventShape(e: DeployedEvent) {
  return { SourceIdentifier: e.sourceIdentifier, SourceType: e.sourceType, Message: e.message, Date: e.date };
}

export function userShape(u: DeployedUser) {
  const type = u.spec.authenticationType;
  return {
    UserId: u.userId,
    UserName: u.spec.userName,
    Status: u.status,
    Engine: u.spec.engine,
    MinimumEngineVersion: '6.0',
    AccessString: u.spec.accessString,
    UserGroupIds: u.userGroupIds,
    Authentication: { Type: type === 'no-password-required' ? 'no-password' : type, PasswordCount: u.spec.passwords.length },
    ARN: u.arn,
  };
}

export function userGroupShape(g: DeployedUserGroup) {
  return {
    UserGroupId: g.userGroupId,
    Status: g.status,
    Engine: g.spec.engine,
    UserIds: g.spec.userIds,
    MinimumEngineVersion: '6.0',
    ReplicationGroups: g.replicationGroups,
    ServerlessCaches: [],
    ARN: g.arn,
  };
}

export function allClusters(state: DeployedState, id: string | undefined, showNodeInfo: boolean) {
  const out = [];
  for (const g of Object.values(state.replicationGroups)) {
    for (const n of g.nodeGroups.flatMap((ng) => ng.members)) {
      if (id === undefined || n.cacheClusterId === id) out.push(cacheClusterShape(g, n, showNodeInfo));
    }
  }
  return out;
}
