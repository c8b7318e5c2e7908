// The ElastiCache API shapes the CLI verbs print, built from the DeployedState.
export * from './shapes';
export * from './errors';
export { describeReplicationGroups, apiReplicationGroup } from './replication-groups';
export { describeCacheClusters, apiCacheCluster, parameterGroupOf, familyOfGroup } from './cache-clusters';
export { describeSnapshots, apiSnapshot, formatCacheSize } from './snapshots';
export { describeEvents } from './events';
export type { DescribeEventsOptions } from './events';
export { events, notificationBody } from './event-messages';
export type { EventDraft } from './event-messages';
export { describeCacheParameters } from './parameters';
export { describeUsers, describeUserGroups } from './users';
export * from './table';
