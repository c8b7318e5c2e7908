// Public API of cdk-elasticache. src/model holds the target-neutral rules and is not exported.
export * from './engine';
export * from './node-type';
export * from './cluster-mode';
export * from './options';
export * from './endpoint';
export * from './log-destination';
export * from './restore-source';
export * from './parameter-group';
export * from './subnet-group';
export * from './user';
export * from './replication-group-base';
export * from './replication-group-common-props';
export * from './replication-group';
export * from './global-datastore-ref';
export * from './global-datastore';
export * as tf from './tf';
