/**
 * What is deployed (DeployedState, written by the control plane's state store) and what the
 * planner wants done about it (Plan). Plain JSON-able data: the state store persists
 * DeployedState as is; the API builders (engine/control/api) turn it into the ElastiCache shapes.
 */
import type {
  EngineName,
  ParameterGroupDesired,
  ReplicationGroupDesired,
  SubnetGroupDesired,
  UserDesired,
  UserGroupDesired,
} from '../spec/model';

/** ReplicationGroup `Status`, as the API spells it. */
export type ReplicationGroupStatus = 'creating' | 'available' | 'modifying' | 'deleting' | 'create-failed' | 'snapshotting';

/** CacheCluster `CacheClusterStatus`. */
export type CacheClusterStatus =
  | 'available'
  | 'creating'
  | 'deleted'
  | 'deleting'
  | 'incompatible-network'
  | 'modifying'
  | 'rebooting cluster nodes'
  | 'restore-failed'
  | 'snapshotting';

/** CacheNode `CacheNodeStatus`. */
export type CacheNodeStatus = 'available' | 'creating' | 'rebooting' | 'deleting' | 'modifying';

export type SnapshotStatus = 'creating' | 'available' | 'restoring' | 'copying' | 'deleting';
export type UserStatus = 'active' | 'creating' | 'modifying' | 'deleting';
export type UserGroupStatus = 'active' | 'creating' | 'modifying' | 'deleting';

/** `ParameterApplyStatus` of a cache cluster's parameter group. */
export type ParameterApplyStatus = 'in-sync' | 'applying' | 'pending-reboot';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** One node (cache cluster with one cache node `0001`). */
export interface DeployedNode {
  /** `<rg>-001` (cluster mode disabled) or `<rg>-0001-001`. */
  readonly cacheClusterId: string;
  /** Always `0001` for Valkey/Redis OSS. */
  readonly cacheNodeId: string;
  readonly role: 'primary' | 'replica';
  readonly status: CacheClusterStatus;
  readonly nodeStatus: CacheNodeStatus;
  readonly availabilityZone: string;
  /** Host the node runs on (host layer id). */
  readonly hostId: string;
  /** The node's own endpoint (`ReadEndpoint` of a member, `Endpoint` of the cache node). */
  readonly endpoint: Endpoint;
  readonly engineVersion: string;
  readonly nodeType: string;
  /** ISO 8601 creation time. */
  readonly createTime: string;
  readonly parameterApplyStatus: ParameterApplyStatus;
  /** Static parameter values waiting for a reboot (name → value). */
  readonly pendingParameters?: Record<string, string>;
  /** OS process id while the control plane runs it (absent when stopped). */
  readonly pid?: number;
}

export interface DeployedNodeGroup {
  readonly nodeGroupId: string;
  readonly status: 'available' | 'creating' | 'modifying' | 'deleting';
  /** Slot ranges (cluster mode enabled). */
  readonly slots?: string;
  /** Stable address that follows the primary (cluster mode disabled). */
  readonly primaryEndpoint?: Endpoint;
  /** Stable address spreading over the replicas (cluster mode disabled). */
  readonly readerEndpoint?: Endpoint;
  readonly members: DeployedNode[];
}

export interface PendingModifiedValues {
  readonly primaryClusterId?: string;
  readonly automaticFailoverStatus?: 'enabled' | 'disabled';
  readonly authTokenStatus?: 'SETTING' | 'ROTATING';
  readonly userGroups?: { readonly userGroupIdsToAdd: string[]; readonly userGroupIdsToRemove: string[] };
  readonly transitEncryptionEnabled?: boolean;
  readonly transitEncryptionMode?: string;
  readonly clusterMode?: string;
  /** Online resharding in progress (cluster mode enabled): slot migration progress, 0–100. */
  readonly resharding?: { readonly progressPercentage: number };
}

export interface DeployedReplicationGroup {
  /** The spec last applied (the planner diffs against it, as CloudFormation diffs templates). */
  readonly spec: ReplicationGroupDesired;
  readonly replicationGroupId: string;
  readonly arn: string;
  readonly status: ReplicationGroupStatus;
  readonly createTime: string;
  readonly nodeGroups: DeployedNodeGroup[];
  /** Cluster mode enabled: `clustercfg.` endpoint. */
  readonly configurationEndpoint?: Endpoint;
  readonly pendingModifiedValues?: PendingModifiedValues;
  /** When the auth token was last set or rotated (ISO 8601). */
  readonly authTokenLastModifiedDate?: string;
  /**
   * After a ROTATE, until a SET: the token that stays valid besides `spec.authToken` (`previous`
   * undefined: the group had no token, so connecting without one still works, as on the service).
   */
  readonly authTokenRotation?: { readonly previous?: string };
  /** Where the local CA file is when transit encryption is on. */
  readonly caFile?: string;
  /** Its Global Datastore membership, when it has one (DescribeReplicationGroups' GlobalReplicationGroupInfo). */
  readonly globalReplicationGroupInfo?: { readonly GlobalReplicationGroupId: string; readonly GlobalReplicationGroupMemberRole: 'PRIMARY' | 'SECONDARY' };
}

export interface DeployedParameterGroup {
  readonly spec?: ParameterGroupDesired;
  readonly name: string;
  readonly family: string;
  readonly description: string;
  /** Values set in the group (the rest are the family defaults). */
  readonly parameters: Record<string, string>;
  readonly isGlobal?: boolean;
  readonly arn: string;
}

export interface DeployedSubnetGroup {
  readonly spec: SubnetGroupDesired;
  readonly name: string;
  readonly arn: string;
}

export interface DeployedUser {
  readonly spec: UserDesired;
  readonly userId: string;
  readonly status: UserStatus;
  readonly arn: string;
  /** Groups the user belongs to (derived, kept for DescribeUsers). */
  readonly userGroupIds: string[];
}

export interface DeployedUserGroup {
  readonly spec: UserGroupDesired;
  readonly userGroupId: string;
  readonly status: UserGroupStatus;
  readonly arn: string;
  /** Replication groups using it. */
  readonly replicationGroups: string[];
  readonly pendingChanges?: { readonly userIdsToAdd: string[]; readonly userIdsToRemove: string[] };
}

/** One shard's RDB file in a snapshot. */
export interface DeployedNodeSnapshot {
  readonly cacheClusterId: string;
  readonly nodeGroupId: string;
  readonly cacheNodeId: string;
  readonly slots?: string;
  /** Bytes of the RDB file. */
  readonly cacheSize: number;
  readonly cacheNodeCreateTime: string;
  readonly snapshotCreateTime: string;
  /** Path of the RDB file in the state directory. */
  readonly file: string;
}

export interface DeployedSnapshot {
  readonly snapshotName: string;
  readonly replicationGroupId: string;
  readonly replicationGroupDescription?: string;
  readonly snapshotSource: 'manual' | 'automated';
  readonly snapshotStatus: SnapshotStatus;
  readonly engine: EngineName;
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly numNodeGroups: number;
  readonly port: number;
  readonly parameterGroupName?: string;
  readonly subnetGroupName?: string;
  readonly automaticFailover: boolean;
  readonly clusterMode: string;
  readonly snapshotRetentionLimit: number;
  readonly snapshotWindow?: string;
  readonly maintenanceWindow?: string;
  readonly dataTiering: boolean;
  readonly kmsKeyId?: string;
  readonly arn: string;
  readonly nodeSnapshots: DeployedNodeSnapshot[];
}

/** DescribeEvents `SourceType`. */
export type EventSourceType =
  | 'cache-cluster'
  | 'cache-parameter-group'
  | 'cache-security-group'
  | 'cache-subnet-group'
  | 'replication-group'
  | 'serverless-cache'
  | 'serverless-cache-snapshot'
  | 'user'
  | 'user-group';

export interface DeployedEvent {
  readonly sourceIdentifier: string;
  readonly sourceType: EventSourceType;
  readonly message: string;
  /** ISO 8601. */
  readonly date: string;
  /** SNS notification name when the event is one (`ElastiCache:FailoverComplete`). */
  readonly notification?: string;
}

/** GlobalReplicationGroup `Status`. */
export type GlobalReplicationGroupStatus = 'creating' | 'available' | 'primary-only' | 'modifying' | 'deleting';

/** A member of a Global Datastore (GlobalReplicationGroupMember). */
export interface DeployedGlobalMember {
  readonly replicationGroupId: string;
  readonly region: string;
  readonly role: 'PRIMARY' | 'SECONDARY';
  readonly status: 'associating' | 'associated' | 'disassociating';
}

/** A Global Datastore: which replication group (of which region) takes the writes, which follow it. */
export interface DeployedGlobalReplicationGroup {
  readonly globalReplicationGroupId: string;
  readonly description?: string;
  readonly status: GlobalReplicationGroupStatus;
  readonly arn: string;
  readonly members: DeployedGlobalMember[];
  /** Region of the stack that declared it (its GlobalReplicationGroup resource). */
  readonly declaredIn: string;
}

/** Everything deployed from one state directory. */
export interface DeployedState {
  readonly version: 1;
  readonly stackName?: string;
  readonly region: string;
  readonly accountId: string;
  /** Keyed by replication group id. */
  readonly replicationGroups: Record<string, DeployedReplicationGroup>;
  /** Keyed by name (custom groups only; defaults are implied by the family). */
  readonly parameterGroups: Record<string, DeployedParameterGroup>;
  readonly subnetGroups: Record<string, DeployedSubnetGroup>;
  readonly users: Record<string, DeployedUser>;
  readonly userGroups: Record<string, DeployedUserGroup>;
  readonly snapshots: DeployedSnapshot[];
  readonly events: DeployedEvent[];
  /** Global Datastores, keyed by id (absent in states written before they ran locally). */
  readonly globalReplicationGroups?: Record<string, DeployedGlobalReplicationGroup>;
  /** The control plane's own bookkeeping (not shown by the API). */
  readonly control?: ControlBookkeeping;
}

/** What the control plane keeps besides the API's view: how nodes run, where events go. */
export interface ControlBookkeeping {
  /** Engine binary the nodes run (undefined: the bundled node). */
  readonly engineBinary?: string;
  /** Notification topic ARN → local sink (file path or http(s) URL). */
  readonly topicSinks: Record<string, string>;
  /** Replication group id → UTC day (yyyy-mm-dd) of its last automatic snapshot. */
  readonly lastAutoSnapshotDay: Record<string, string>;
  /** Secrets the template generates (by logical id), kept so a redeploy reads the same values. */
  readonly generatedSecrets?: Record<string, string>;
  /** IAM users' local auth tokens (generate-iam-auth-token): user id → SHA-256 of each token and its expiry. */
  readonly iamTokens?: Record<string, Array<{ readonly sha256: string; readonly expires: string }>>;
  /** What deployed stacks' cross-region export writers published (SSM parameter name → value). */
  readonly crossRegionExports?: Record<string, string>;
  /**
   * Which region's deploy owns each resource (`replicationGroups/<id>`, `users/<id>`...): a state dir
   * holds one stack per region, and deploying a stack of one region leaves the other regions' alone.
   */
  readonly deployRegions?: Record<string, string>;
  /** Region → its loopback range in this state dir (127.<slot>.x.x); the first region deployed is 0. */
  readonly regionSlots?: Record<string, number>;
}

/** An empty state (nothing deployed yet). */
export function emptyState(region = 'us-east-1', accountId = '000000000000'): DeployedState {
  return {
    version: 1,
    region,
    accountId,
    replicationGroups: {},
    parameterGroups: {},
    subnetGroups: {},
    users: {},
    userGroups: {},
    snapshots: [],
    events: [],
  };
}

// ---- Plan ----

/** One property changing. */
export interface PropertyChange {
  /** The template's name for it (`CacheParameterGroupName`), for people. */
  readonly property: string;
  /** The model's field (`parameterGroupName`, a key of ReplicationGroupDesired / UserDesired ...), for code. */
  readonly field?: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** A parameter change and when it reaches the nodes. */
export interface ParameterChange {
  readonly name: string;
  /** undefined: the parameter was not set (family default). */
  readonly from?: string;
  /** undefined: reset to the family default. */
  readonly to?: string;
  /** `dynamic`: applied live (CONFIG SET); `static`: nodes show pending-reboot until rebooted. */
  readonly applyType: 'dynamic' | 'static';
}

interface ActionBase {
  /** Human-readable one-liner: what changes and why. */
  readonly summary: string;
  /** Template logical id, when the action comes from a template resource. */
  readonly logicalId?: string;
}

export type PlanAction =
  | (ActionBase & { readonly kind: 'create-parameter-group'; readonly desired: ParameterGroupDesired })
  | (ActionBase & { readonly kind: 'modify-parameter-group'; readonly name: string; readonly desired: ParameterGroupDesired; readonly changes: ParameterChange[]; readonly affectedReplicationGroups: string[] })
  /** CacheParameterGroupFamily changed: a new group of the new family under the same name. */
  | (ActionBase & { readonly kind: 'replace-parameter-group'; readonly name: string; readonly desired: ParameterGroupDesired; readonly affectedReplicationGroups: string[] })
  | (ActionBase & { readonly kind: 'delete-parameter-group'; readonly name: string })
  | (ActionBase & { readonly kind: 'create-subnet-group'; readonly desired: SubnetGroupDesired })
  | (ActionBase & { readonly kind: 'modify-subnet-group'; readonly name: string; readonly desired: SubnetGroupDesired; readonly changes: PropertyChange[] })
  | (ActionBase & { readonly kind: 'delete-subnet-group'; readonly name: string })
  | (ActionBase & { readonly kind: 'create-user'; readonly desired: UserDesired })
  | (ActionBase & { readonly kind: 'modify-user'; readonly userId: string; readonly desired: UserDesired; readonly changes: PropertyChange[] })
  /** UserName or Engine changed (CloudFormation replaces the user): delete and create under the same id. */
  | (ActionBase & { readonly kind: 'replace-user'; readonly userId: string; readonly desired: UserDesired; readonly changes: PropertyChange[] })
  | (ActionBase & { readonly kind: 'delete-user'; readonly userId: string })
  | (ActionBase & { readonly kind: 'create-user-group'; readonly desired: UserGroupDesired })
  | (ActionBase & { readonly kind: 'modify-user-group'; readonly userGroupId: string; readonly desired: UserGroupDesired; readonly userIdsToAdd: string[]; readonly userIdsToRemove: string[] })
  /** Engine changed (CloudFormation replaces the group). */
  | (ActionBase & { readonly kind: 'replace-user-group'; readonly userGroupId: string; readonly desired: UserGroupDesired; readonly changes: PropertyChange[] })
  | (ActionBase & { readonly kind: 'delete-user-group'; readonly userGroupId: string })
  | (ActionBase & { readonly kind: 'create-replication-group'; readonly desired: ReplicationGroupDesired })
  /** In-place settings: description, windows, retention, failover, Multi-AZ, parameter group, user groups, auth token, tags... */
  | (ActionBase & { readonly kind: 'modify-replication-group'; readonly replicationGroupId: string; readonly desired: ReplicationGroupDesired; readonly changes: PropertyChange[] })
  | (ActionBase & { readonly kind: 'increase-replica-count'; readonly replicationGroupId: string; readonly nodeGroupId: string; readonly from: number; readonly to: number; readonly desired: ReplicationGroupDesired })
  | (ActionBase & { readonly kind: 'decrease-replica-count'; readonly replicationGroupId: string; readonly nodeGroupId: string; readonly from: number; readonly to: number; readonly desired: ReplicationGroupDesired })
  /** Node type or engine version: replace nodes one by one (replicas first, then fail over and replace the old primary). */
  | (ActionBase & { readonly kind: 'rolling-replace-nodes'; readonly replicationGroupId: string; readonly desired: ReplicationGroupDesired; readonly changes: PropertyChange[] })
  /** Shard count or slot layout (cluster mode enabled, UpdatePolicy UseOnlineResharding): reshard online. */
  | (ActionBase & { readonly kind: 'modify-shard-configuration'; readonly replicationGroupId: string; readonly desired: ReplicationGroupDesired; readonly changes: PropertyChange[] })
  /**
   * A property CloudFormation replaces on: delete the old group, create the new one (data is not carried
   * over). `snapshotBeforeDelete`: the old group's UpdateReplacePolicy is Snapshot, so snapshot it first.
   */
  | (ActionBase & {
    readonly kind: 'replace-replication-group';
    readonly replicationGroupId: string;
    readonly desired: ReplicationGroupDesired;
    readonly changes: PropertyChange[];
    readonly snapshotBeforeDelete?: boolean;
  })
  | (ActionBase & { readonly kind: 'delete-replication-group'; readonly replicationGroupId: string; readonly finalSnapshotName?: string });

export type PlanActionKind = PlanAction['kind'];

export interface Plan {
  /** In the order to apply them. */
  readonly actions: PlanAction[];
}
