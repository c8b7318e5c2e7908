// The Terraform face: the same constructs for CDK Terrain (cdktn) stacks, synthesizing aws_elasticache_* resources.
export * from './resource-options';
export * from './log-destination';
export * from './subnet-group';
export * from './parameter-group';
export * from './user';
export * from './user-group';
export * from './replication-group';
export * from './global-datastore';
