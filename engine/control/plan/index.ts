// Deployed state, plan actions, and the planner.
export * from './types';
export { plan } from './plan';
export { parameterChanges, applyTypeOf } from './parameter-changes';
export { diffReplicationGroup } from './replication-group-diff';
