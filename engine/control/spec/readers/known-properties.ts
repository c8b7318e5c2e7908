/** Properties of each AWS::ElastiCache::* type the deploy reads (CloudFormation resource specification). */
export const KNOWN_PROPERTIES: Record<string, readonly string[]> = {
  'AWS::ElastiCache::ReplicationGroup': [
    'AtRestEncryptionEnabled', 'AuthToken', 'AutoMinorVersionUpgrade', 'AutomaticFailoverEnabled', 'CacheNodeType',
    'CacheParameterGroupName', 'CacheSecurityGroupNames', 'CacheSubnetGroupName', 'ClusterMode', 'DataTieringEnabled',
    'Durability', 'Engine', 'EngineVersion', 'GlobalReplicationGroupId', 'IpDiscovery', 'KmsKeyId',
    'LogDeliveryConfigurations', 'MultiAZEnabled', 'NetworkType', 'NodeGroupConfiguration', 'NotificationTopicArn',
    'NumCacheClusters', 'NumNodeGroups', 'Port', 'PreferredCacheClusterAZs', 'PreferredMaintenanceWindow',
    'PrimaryClusterId', 'ReplicasPerNodeGroup', 'ReplicationGroupDescription', 'ReplicationGroupId', 'SecurityGroupIds',
    'SnapshotArns', 'SnapshotName', 'SnapshotRetentionLimit', 'SnapshotWindow', 'SnapshottingClusterId', 'Tags',
    'TransitEncryptionEnabled', 'TransitEncryptionMode', 'UserGroupIds',
  ],
  'AWS::ElastiCache::ParameterGroup': ['CacheParameterGroupFamily', 'Description', 'Properties', 'Tags'],
  'AWS::ElastiCache::SubnetGroup': ['CacheSubnetGroupName', 'Description', 'SubnetIds', 'Tags'],
  'AWS::ElastiCache::User': ['AccessString', 'AuthenticationMode', 'Engine', 'NoPasswordRequired', 'Passwords', 'Tags', 'UserId', 'UserName'],
  'AWS::ElastiCache::UserGroup': ['Engine', 'Tags', 'UserGroupId', 'UserIds'],
  'AWS::ElastiCache::GlobalReplicationGroup': [
    'AutomaticFailoverEnabled', 'CacheNodeType', 'CacheParameterGroupName', 'Engine', 'EngineVersion', 'GlobalNodeGroupCount',
    'GlobalReplicationGroupDescription', 'GlobalReplicationGroupIdSuffix', 'Members', 'RegionalConfigurations', 'Tags',
  ],
};

/** ElastiCache types the local deploy refuses, and why. */
export const UNSUPPORTED_TYPES: Record<string, string> = {
  'AWS::ElastiCache::CacheCluster': 'a stand-alone cache cluster is not supported locally; declare a ReplicationGroup (NumCacheClusters: 1 gives a single node)',
  'AWS::ElastiCache::ServerlessCache': 'serverless caches are not supported locally; declare a ReplicationGroup instead',
  'AWS::ElastiCache::ServerlessCacheSnapshot': 'serverless caches are not supported locally',
  'AWS::ElastiCache::SecurityGroup': 'EC2-Classic cache security groups are not supported (use VPC security groups)',
  'AWS::ElastiCache::SecurityGroupIngress': 'EC2-Classic cache security groups are not supported (use VPC security groups)',
};
