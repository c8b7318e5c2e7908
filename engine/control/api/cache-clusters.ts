import { parameterGroupFamily, parseVersion } from '#model/engine-versions';
import { elasticacheArn } from './arns';
import { notFound } from './errors';
import { apiEndpoint, apiLogDelivery } from './replication-groups';
import { ApiCacheCluster } from './shapes';
import { DeployedNode, DeployedReplicationGroup, DeployedState } from '../plan/types';

/** The parameter group family of a group's engine and version (undefined for a malformed version). */
export function familyOfGroup(g: DeployedReplicationGroup): string | undefined {
  const { engine, engineVersion } = g.spec;
  return (engine === 'valkey' || engine === 'redis') && parseVersion(engineVersion) ? parameterGroupFamily(engine, engineVersion) : undefined;
}

/** The parameter group a node uses: the group's custom one, else the engine's default. */
export function parameterGroupOf(g: DeployedReplicationGroup): string {
  if (g.spec.parameterGroupName) return g.spec.parameterGroupName;
  const family = familyOfGroup(g);
  return family ? `default.${family}${g.spec.clusterMode === 'enabled' ? '.cluster.on' : ''}` : 'default';
}

export function apiCacheCluster(state: DeployedState, g: DeployedReplicationGroup, n: DeployedNode, showCacheNodeInfo: boolean): ApiCacheCluster {
  const s = g.spec;
  return {
    CacheClusterId: n.cacheClusterId,
    ClientDownloadLandingPage: 'https://console.aws.amazon.com/elasticache/home#client-download:',
    CacheNodeType: n.nodeType,
    Engine: s.engine,
    EngineVersion: n.engineVersion,
    CacheClusterStatus: n.status,
    NumCacheNodes: 1,
    PreferredAvailabilityZone: n.availabilityZone,
    CacheClusterCreateTime: n.createTime,
    ...(s.maintenanceWindow ? { PreferredMaintenanceWindow: s.maintenanceWindow } : {}),
    PendingModifiedValues: {},
    ...(s.notificationTopicArn ? { NotificationConfiguration: { TopicArn: s.notificationTopicArn, TopicStatus: 'active' } } : {}),
    CacheSecurityGroups: [],
    CacheParameterGroup: {
      CacheParameterGroupName: parameterGroupOf(g),
      ParameterApplyStatus: n.parameterApplyStatus,
      CacheNodeIdsToReboot: n.parameterApplyStatus === 'pending-reboot' ? [n.cacheNodeId] : [],
    },
    ...(s.subnetGroupName ? { CacheSubnetGroupName: s.subnetGroupName } : {}),
    ...(showCacheNodeInfo
      ? {
        CacheNodes: [{
          CacheNodeId: n.cacheNodeId,
          CacheNodeStatus: n.nodeStatus,
          CacheNodeCreateTime: n.createTime,
          Endpoint: apiEndpoint(n.endpoint),
          ParameterGroupStatus: n.parameterApplyStatus,
          CustomerAvailabilityZone: n.availabilityZone,
        }],
      }
      : {}),
    AutoMinorVersionUpgrade: s.autoMinorVersionUpgrade ?? true,
    SecurityGroups: s.securityGroupIds.map((id) => ({ SecurityGroupId: id, Status: 'active' })),
    ReplicationGroupId: g.replicationGroupId,
    SnapshotRetentionLimit: s.snapshotRetentionLimit,
    ...(s.snapshotWindow ? { SnapshotWindow: s.snapshotWindow } : {}),
    AuthTokenEnabled: s.authToken !== undefined,
    ...(g.authTokenLastModifiedDate ? { AuthTokenLastModifiedDate: g.authTokenLastModifiedDate } : {}),
    TransitEncryptionEnabled: s.transitEncryption,
    AtRestEncryptionEnabled: s.atRestEncryption,
    ARN: elasticacheArn(state, 'cluster', n.cacheClusterId),
    ReplicationGroupLogDeliveryEnabled: s.logDelivery.length > 0,
    LogDeliveryConfigurations: apiLogDelivery(g),
    NetworkType: s.networkType ?? 'ipv4',
    IpDiscovery: s.ipDiscovery ?? 'ipv4',
    ...(s.transitEncryption ? { TransitEncryptionMode: s.transitEncryptionMode ?? 'required' } : {}),
  };
}

/**
 * DescribeCacheClusters: every node of every group (one cache cluster per node, as ElastiCache
 * shows Valkey/Redis OSS nodes), or one by id.
 */
export function describeCacheClusters(
  state: DeployedState,
  options: { cacheClusterId?: string; showCacheNodeInfo?: boolean } = {},
): { CacheClusters: ApiCacheCluster[] } {
  const out: ApiCacheCluster[] = [];
  for (const g of Object.values(state.replicationGroups)) {
    for (const ng of g.nodeGroups) {
      for (const n of ng.members) {
        if (options.cacheClusterId !== undefined && n.cacheClusterId !== options.cacheClusterId) continue;
        out.push(apiCacheCluster(state, g, n, options.showCacheNodeInfo ?? false));
      }
    }
  }
  if (options.cacheClusterId !== undefined && out.length === 0) throw notFound.cacheCluster(options.cacheClusterId);
  return { CacheClusters: out.sort((a, b) => a.CacheClusterId.localeCompare(b.CacheClusterId)) };
}
