import { DeployedEvent, EventSourceType } from '../plan/types';

/**
 * The service's event messages (elasticache-reference.md 4.2), as functions: each returns the
 * event without its date, with the SNS notification name when the event is one a topic receives.
 * Messages quoted in the reference (failover, recovery) are the service's words; the others follow
 * the SNS event table's descriptions.
 */
export type EventDraft = Omit<DeployedEvent, 'date'>;

function ev(sourceType: EventSourceType, sourceIdentifier: string, message: string, notification?: string): EventDraft {
  return { sourceType, sourceIdentifier, message, ...(notification ? { notification: `ElastiCache:${notification}` } : {}) };
}

export const events = {
  // Replication groups
  replicationGroupCreating: (rg: string) => ev('replication-group', rg, `Replication group ${rg} is being created`),
  replicationGroupCreated: (rg: string) => ev('replication-group', rg, `Replication group ${rg} created`, 'CreateReplicationGroupComplete'),
  replicationGroupModified: (rg: string) => ev('replication-group', rg, `Replication group ${rg} modified`),
  replicationGroupDeleted: (rg: string) => ev('replication-group', rg, `Replication group ${rg} deleted`),
  testFailoverCalled: (rg: string, nodeGroupId: string) => ev('replication-group', rg, `Test Failover API called for node group ${nodeGroupId}`),
  failoverCompletedForGroup: (rg: string, fromNode: string, toNode: string) =>
    ev('replication-group', rg, `Failover from primary node ${fromNode} to replica node ${toNode} completed`, 'FailoverComplete'),
  increaseReplicaCountStarted: (rg: string, cluster: string) => ev('replication-group', rg, `Adding replica ${cluster} to replication group ${rg}`, 'ReplicationGroupIncreaseReplicaCountStarted'),
  increaseReplicaCountFinished: (rg: string, cluster: string) => ev('replication-group', rg, `Finished adding replicas to replication group ${rg} (${cluster})`, 'ReplicationGroupIncreaseReplicaCountFinished'),
  decreaseReplicaCountFinished: (rg: string, cluster: string) => ev('replication-group', rg, `Removed replica ${cluster} from replication group ${rg}`, 'RemoveCacheNodeComplete'),
  scalingComplete: (rg: string, nodeType: string) => ev('replication-group', rg, `Finished modifying cache node type to ${nodeType}`, 'ReplicationGroupScalingComplete'),
  scalingFailed: (rg: string, nodeType: string) => ev('replication-group', rg, `Failed applying modification to cache node type to ${nodeType}.`, 'ReplicationGroupScalingFailed'),
  snapshotSucceeded: (rg: string, snapshot: string) => ev('replication-group', rg, `Snapshot succeeded for snapshot with ID '${snapshot}' of replication group with ID '${rg}'`, 'SnapshotComplete'),
  snapshotFailed: (rg: string, snapshot: string, reason: string) => ev('replication-group', rg, `Snapshot failed for snapshot with ID '${snapshot}' of replication group with ID '${rg}': ${reason}`, 'SnapshotFailed'),

  // Cache clusters (nodes)
  cacheClusterCreated: (cluster: string) => ev('cache-cluster', cluster, 'Cache cluster created'),
  cacheNodeAdded: (cluster: string, nodeId: string, az: string) => ev('cache-cluster', cluster, `Added cache node ${nodeId} in availability zone ${az}`, 'AddCacheNodeComplete'),
  cacheClusterProvisioned: (cluster: string) => ev('cache-cluster', cluster, `Cache cluster ${cluster} provisioned`, 'CacheClusterProvisioningComplete'),
  // The topic hears of a failover once, from the replication group's event (failoverCompletedForGroup).
  failoverCompleted: (cluster: string, fromNode: string, toNode: string) =>
    ev('cache-cluster', cluster, `Failover from primary node ${fromNode} to replica node ${toNode} completed`),
  recoveringCacheNodes: (cluster: string, nodeIds: string[]) => ev('cache-cluster', cluster, `Recovering cache nodes ${nodeIds.join(',')}`, 'CacheNodeReplaceStarted'),
  finishedRecovery: (cluster: string, nodeIds: string[]) => ev('cache-cluster', cluster, `Finished recovery for cache nodes ${nodeIds.join(',')}`, 'CacheNodeReplaceComplete'),
  cacheNodeShutdown: (cluster: string, nodeId: string) => ev('cache-cluster', cluster, `Cache node ${nodeId} shutdown`),
  cacheNodeRestarted: (cluster: string, nodeId: string) => ev('cache-cluster', cluster, `Cache node ${nodeId} restarted`, 'CacheNodesRebooted'),
  cacheClusterParametersChanged: (cluster: string, group: string) => ev('cache-cluster', cluster, `Updated parameter group for the cache cluster to ${group}`, 'CacheClusterParametersChanged'),
  cacheClusterDeleted: (cluster: string) => ev('cache-cluster', cluster, 'Cache cluster deleted', 'DeleteCacheClusterComplete'),

  // Parameter groups, subnet groups, users
  parameterGroupCreated: (name: string) => ev('cache-parameter-group', name, `Cache parameter group ${name} created`),
  parameterGroupModified: (name: string, names: string[]) => ev('cache-parameter-group', name, `Cache parameter group ${name} modified: ${names.join(', ')}`),
  parameterGroupDeleted: (name: string) => ev('cache-parameter-group', name, `Cache parameter group ${name} deleted`),
  subnetGroupCreated: (name: string) => ev('cache-subnet-group', name, `Cache subnet group ${name} created`),
  subnetGroupDeleted: (name: string) => ev('cache-subnet-group', name, `Cache subnet group ${name} deleted`),
  userCreated: (id: string) => ev('user', id, `User ${id} created`),
  userModified: (id: string) => ev('user', id, `User ${id} modified`),
  userDeleted: (id: string) => ev('user', id, `User ${id} deleted`),
  userGroupCreated: (id: string) => ev('user-group', id, `User group ${id} created`),
  userGroupModified: (id: string) => ev('user-group', id, `User group ${id} modified`),
  userGroupDeleted: (id: string) => ev('user-group', id, `User group ${id} deleted`),
};

/**
 * The body a notification topic receives for an event, as ElastiCache publishes it to SNS
 * (`{"ElastiCache:FailoverComplete": "my-group"}`); undefined for events that are not notifications.
 */
export function notificationBody(e: EventDraft): Record<string, string> | undefined {
  return e.notification ? { [e.notification]: e.sourceIdentifier } : undefined;
}
