/**
 * ElastiCache API response shapes (API version 2015-02-02), as the AWS CLI prints them with
 * `--output json`. Field names follow the SDK's shapes exactly (research/specs/sdk_inputs.txt).
 */
export interface ApiEndpoint {
  Address: string;
  Port: number;
}

export interface ApiNodeGroupMember {
  CacheClusterId: string;
  CacheNodeId: string;
  ReadEndpoint?: ApiEndpoint;
  PreferredAvailabilityZone: string;
  CurrentRole?: 'primary' | 'replica';
}

export interface ApiNodeGroup {
  NodeGroupId: string;
  Status: string;
  PrimaryEndpoint?: ApiEndpoint;
  ReaderEndpoint?: ApiEndpoint;
  Slots?: string;
  NodeGroupMembers: ApiNodeGroupMember[];
}

export interface ApiLogDeliveryConfiguration {
  LogType: string;
  DestinationType: string;
  DestinationDetails: { CloudWatchLogsDetails?: { LogGroup: string }; KinesisFirehoseDetails?: { DeliveryStream: string } };
  LogFormat: string;
  Status: string;
}

export interface ApiReplicationGroup {
  ReplicationGroupId: string;
  Description: string;
  GlobalReplicationGroupInfo: { GlobalReplicationGroupId?: string; GlobalReplicationGroupMemberRole?: string };
  Status: string;
  PendingModifiedValues: Record<string, unknown>;
  MemberClusters: string[];
  NodeGroups: ApiNodeGroup[];
  SnapshottingClusterId?: string;
  AutomaticFailover: 'enabled' | 'disabled' | 'enabling' | 'disabling';
  MultiAZ: 'enabled' | 'disabled';
  ConfigurationEndpoint?: ApiEndpoint;
  SnapshotRetentionLimit: number;
  SnapshotWindow?: string;
  ClusterEnabled: boolean;
  CacheNodeType: string;
  AuthTokenEnabled: boolean;
  AuthTokenLastModifiedDate?: string;
  TransitEncryptionEnabled: boolean;
  AtRestEncryptionEnabled: boolean;
  KmsKeyId?: string;
  ARN: string;
  UserGroupIds?: string[];
  LogDeliveryConfigurations: ApiLogDeliveryConfiguration[];
  ReplicationGroupCreateTime: string;
  DataTiering: 'enabled' | 'disabled';
  AutoMinorVersionUpgrade: boolean;
  NetworkType: string;
  IpDiscovery: string;
  TransitEncryptionMode?: string;
  ClusterMode: string;
  Engine: string;
  Durability?: string;
  EffectiveDurability?: string;
}

export interface ApiCacheNode {
  CacheNodeId: string;
  CacheNodeStatus: string;
  CacheNodeCreateTime: string;
  Endpoint: ApiEndpoint;
  ParameterGroupStatus: string;
  CustomerAvailabilityZone: string;
}

export interface ApiCacheCluster {
  CacheClusterId: string;
  ClientDownloadLandingPage: string;
  CacheNodeType: string;
  Engine: string;
  EngineVersion: string;
  CacheClusterStatus: string;
  NumCacheNodes: number;
  PreferredAvailabilityZone: string;
  CacheClusterCreateTime: string;
  PreferredMaintenanceWindow?: string;
  PendingModifiedValues: Record<string, unknown>;
  NotificationConfiguration?: { TopicArn: string; TopicStatus: string };
  CacheSecurityGroups: unknown[];
  CacheParameterGroup: { CacheParameterGroupName: string; ParameterApplyStatus: string; CacheNodeIdsToReboot: string[] };
  CacheSubnetGroupName?: string;
  CacheNodes?: ApiCacheNode[];
  AutoMinorVersionUpgrade: boolean;
  SecurityGroups: Array<{ SecurityGroupId: string; Status: string }>;
  ReplicationGroupId: string;
  SnapshotRetentionLimit: number;
  SnapshotWindow?: string;
  AuthTokenEnabled: boolean;
  AuthTokenLastModifiedDate?: string;
  TransitEncryptionEnabled: boolean;
  AtRestEncryptionEnabled: boolean;
  ARN: string;
  ReplicationGroupLogDeliveryEnabled: boolean;
  LogDeliveryConfigurations: ApiLogDeliveryConfiguration[];
  NetworkType: string;
  IpDiscovery: string;
  TransitEncryptionMode?: string;
}

export interface ApiNodeSnapshot {
  CacheClusterId: string;
  NodeGroupId: string;
  CacheNodeId: string;
  NodeGroupConfiguration: {
    NodeGroupId: string;
    Slots?: string;
    ReplicaCount?: number;
    PrimaryAvailabilityZone?: string;
    ReplicaAvailabilityZones?: string[];
  };
  CacheSize: string;
  CacheNodeCreateTime: string;
  SnapshotCreateTime: string;
}

export interface ApiSnapshot {
  SnapshotName: string;
  ReplicationGroupId: string;
  ReplicationGroupDescription?: string;
  CacheClusterId?: string;
  SnapshotStatus: string;
  SnapshotSource: string;
  CacheNodeType: string;
  Engine: string;
  EngineVersion: string;
  NumCacheNodes?: number;
  PreferredMaintenanceWindow?: string;
  TopicArn?: string;
  Port: number;
  CacheParameterGroupName?: string;
  CacheSubnetGroupName?: string;
  AutoMinorVersionUpgrade: boolean;
  SnapshotRetentionLimit: number;
  SnapshotWindow?: string;
  NumNodeGroups: number;
  AutomaticFailover: 'enabled' | 'disabled';
  NodeSnapshots: ApiNodeSnapshot[];
  KmsKeyId?: string;
  ARN: string;
  DataTiering: 'enabled' | 'disabled';
}

export interface ApiEvent {
  SourceIdentifier: string;
  SourceType: string;
  Message: string;
  Date: string;
}

export interface ApiParameter {
  ParameterName: string;
  ParameterValue?: string;
  Description: string;
  Source: 'system' | 'user' | 'engine-default';
  DataType: string;
  AllowedValues?: string;
  IsModifiable: boolean;
  MinimumEngineVersion: string;
  ChangeType: 'immediate' | 'requires-reboot';
}

export interface ApiUser {
  UserId: string;
  UserName: string;
  Status: string;
  Engine: string;
  MinimumEngineVersion: string;
  AccessString: string;
  UserGroupIds: string[];
  Authentication: { Type: 'password' | 'no-password' | 'iam'; PasswordCount?: number };
  ARN: string;
}

export interface ApiUserGroup {
  UserGroupId: string;
  Status: string;
  Engine: string;
  UserIds: string[];
  MinimumEngineVersion: string;
  PendingChanges?: { UserIdsToRemove: string[]; UserIdsToAdd: string[] };
  ReplicationGroups: string[];
  ServerlessCaches: string[];
  ARN: string;
}
