/** An ElastiCache API error: the fault code as the service names it, and its message. */
export class ApiError extends Error {
  constructor(
    /** e.g. `ReplicationGroupNotFoundFault`, `InvalidParameterValue`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }

  /** The JSON the AWS CLI shows for a service error. */
  toJSON(): { Error: { Code: string; Message: string } } {
    return { Error: { Code: this.code, Message: this.message } };
  }
}

export const notFound = {
  replicationGroup: (id: string) => new ApiError('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found`),
  cacheCluster: (id: string) => new ApiError('CacheClusterNotFound', `CacheCluster ${id} not found`),
  snapshot: (name: string) => new ApiError('SnapshotNotFoundFault', `Snapshot ${name} not found`),
  cacheParameterGroup: (name: string) => new ApiError('CacheParameterGroupNotFound', `CacheParameterGroup ${name} not found`),
  user: (id: string) => new ApiError('UserNotFound', `User ${id} not found`),
  userGroup: (id: string) => new ApiError('UserGroupNotFound', `User group ${id} not found`),
};
