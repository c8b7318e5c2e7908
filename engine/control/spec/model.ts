/**
 * The deployment model: what a template (CloudFormation JSON/YAML, a cdk.out folder, later a
 * cdk.tf.json) describes, with every intrinsic resolved, as plain data the validator, the
 * planner and the control plane share. Readers produce it; nothing downstream sees a template.
 *
 * Names follow the ElastiCache API where one exists (replicationGroupId, cacheNodeType is
 * `nodeType` as in src/model). Every resource keeps `origin` so problems and events can name the
 * template resource they come from.
 */

/** Where a resource came from in the template (for errors: "MyCache (AWS::ElastiCache::ReplicationGroup)"). */
export interface ResourceOrigin {
  /** Logical id in the template (CloudFormation) or the resource address (Terraform). */
  readonly logicalId: string;
  /** Template type, e.g. `AWS::ElastiCache::ReplicationGroup` or `aws_elasticache_replication_group`. */
  readonly type: string;
  /** The construct path (`aws:cdk:path` metadata), when the template has it. */
  readonly constructPath?: string;
  /** Template property names that were set (after Fn::If / AWS::NoValue), e.g. `['Engine', 'Port']`. */
  readonly properties: string[];
}

/** What the spec was read from. */
export interface SpecSource {
  readonly kind: 'cdk-out' | 'cloudformation-json' | 'cloudformation-yaml' | 'terraform-json';
  /** The path given (a cdk.out folder or a template file). */
  readonly path: string;
  /** The template file actually read (inside cdk.out for a cloud assembly). */
  readonly templatePath: string;
}

/**
 * A value the deploy assigns (an endpoint address or port), referenced from the template with
 * Fn::GetAtt. Readers keep it as a marker; the control plane fills it in after creating the group.
 */
export interface DeferredValue {
  readonly deferred: true;
  /** Logical id of the resource whose attribute it is. */
  readonly logicalId: string;
  /** The resolved id of that resource (e.g. the replication group id). */
  readonly resourceId: string;
  /** The attribute as the template names it, e.g. `PrimaryEndPoint.Address`. */
  readonly attribute: string;
}

/** A string made of literal parts and deferred values (Fn::Join / Fn::Sub over an endpoint). */
export interface DeferredConcat {
  readonly deferredParts: Array<string | DeferredValue>;
}

/** A value in the model: resolved data, with deferred markers where the deploy fills in. */
export type SpecValue = string | number | boolean | null | DeferredValue | DeferredConcat | SpecValue[] | { [key: string]: SpecValue };

export function isDeferred(value: unknown): value is DeferredValue {
  return typeof value === 'object' && value !== null && (value as DeferredValue).deferred === true;
}

export function isDeferredConcat(value: unknown): value is DeferredConcat {
  return typeof value === 'object' && value !== null && Array.isArray((value as DeferredConcat).deferredParts);
}

/**
 * Fills the deferred values of `value` (e.g. a stack output) with what the deploy assigned:
 * `lookup` gets each DeferredValue and returns its string (an endpoint address or port).
 */
export function fillDeferred(value: SpecValue, lookup: (d: DeferredValue) => string | number | string[]): SpecValue {
  if (isDeferred(value)) return lookup(value);
  if (isDeferredConcat(value)) return value.deferredParts.map((p) => (typeof p === 'string' ? p : String(lookup(p)))).join('');
  if (Array.isArray(value)) return value.map((v) => fillDeferred(v, lookup));
  if (typeof value === 'object' && value !== null) {
    const out: { [key: string]: SpecValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = fillDeferred(v, lookup);
    return out;
  }
  return value;
}

export type EngineName = 'valkey' | 'redis';
export type ClusterModeName = 'enabled' | 'disabled' | 'compatible';
export type DurabilityName = 'default' | 'async' | 'sync' | 'disabled';
export type TransitEncryptionModeName = 'preferred' | 'required';

/** One node group (shard), fully resolved: every shard has an id, a replica count and slots. */
export interface NodeGroupConfig {
  /** `0001`, `0002`, ... (cluster mode disabled: always `0001`). */
  readonly nodeGroupId: string;
  /** Slot ranges `0-5460` (cluster mode enabled only; undefined when disabled). */
  readonly slots?: string;
  readonly replicaCount: number;
  /** Preferred AZ of the primary, when the template places it. */
  readonly primaryAvailabilityZone?: string;
  /** Preferred AZs of the replicas (one per replica), when the template places them. */
  readonly replicaAvailabilityZones?: string[];
}

export interface LogDeliveryConfig {
  readonly logType: 'slow-log' | 'engine-log' | string;
  readonly destinationType: 'cloudwatch-logs' | 'kinesis-firehose' | string;
  readonly logFormat: 'json' | 'text' | string;
  /** Log group or delivery stream name (resolved); the control plane writes logs to a local file named after it. */
  readonly destination?: string;
}

/** A replication group as the control plane needs it: every default applied, every reference resolved. */
export interface ReplicationGroupDesired {
  readonly origin: ResourceOrigin;
  /** Lower-case id; generated like CloudFormation does when the template omits ReplicationGroupId. */
  readonly replicationGroupId: string;
  /** True when the id was generated (the template did not name the group). */
  readonly generatedId: boolean;
  readonly description: string;
  readonly engine: EngineName;
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly clusterMode: ClusterModeName;
  /** Number of shards (1 when cluster mode is disabled). */
  readonly numNodeGroups: number;
  /** Replicas per shard as declared (ReplicasPerNodeGroup, or NumCacheClusters - 1). */
  readonly replicasPerNodeGroup: number;
  /** NumCacheClusters when the template used it (cluster mode disabled). */
  readonly numCacheClusters?: number;
  /** One entry per shard, resolved (ids, slots, replica counts, AZs). */
  readonly nodeGroups: NodeGroupConfig[];
  /** PreferredCacheClusterAZs (cluster mode disabled): one per node, primary first. */
  readonly preferredCacheClusterAzs?: string[];
  readonly automaticFailover: boolean;
  readonly multiAz: boolean;
  readonly port: number;
  /** Parameter group name; undefined means the engine's default group (`default.valkey8`...). */
  readonly parameterGroupName?: string;
  readonly subnetGroupName?: string;
  /** AZs the nodes may be placed in: the subnet group's subnets' AZs, else the spec's local AZs. */
  readonly availabilityZones: string[];
  readonly transitEncryption: boolean;
  readonly transitEncryptionMode?: TransitEncryptionModeName;
  readonly atRestEncryption: boolean;
  readonly kmsKeyId?: string;
  /** The AUTH token, resolved from a literal, a parameter or a secret. Never print it. */
  readonly authToken?: string;
  readonly userGroupIds: string[];
  readonly snapshotRetentionLimit: number;
  readonly snapshotWindow?: string;
  readonly maintenanceWindow?: string;
  readonly snapshottingClusterId?: string;
  /** Final snapshot to take on delete (from the construct's metadata or a deletion-policy Snapshot). */
  readonly finalSnapshotName?: string;
  /** Restore source: a snapshot by name. */
  readonly snapshotName?: string;
  /** Restore source: RDB files `arn:aws:s3:::bucket/key`. */
  readonly snapshotArns?: string[];
  /** SNS topic ARN for events; `topics` in the spec says where its sink is. */
  readonly notificationTopicArn?: string;
  readonly logDelivery: LogDeliveryConfig[];
  readonly dataTiering: boolean;
  readonly durability?: DurabilityName;
  readonly networkType?: string;
  readonly ipDiscovery?: string;
  readonly autoMinorVersionUpgrade?: boolean;
  /** Set on a secondary member of a Global Datastore. */
  readonly globalReplicationGroupId?: string;
  readonly securityGroupIds: string[];
  readonly tags: Record<string, string>;
  /** UpdatePolicy UseOnlineResharding: shard changes reshard online instead of replacing the group. */
  readonly useOnlineResharding?: boolean;
  /** The resource's DeletionPolicy (`Snapshot` gives `finalSnapshotName`; `Retain` keeps it on AWS). */
  readonly deletionPolicy?: 'Delete' | 'Snapshot' | 'Retain';
  /** The resource's UpdateReplacePolicy: `Snapshot` snapshots the old group before a replacement deletes it. */
  readonly updateReplacePolicy?: 'Delete' | 'Snapshot' | 'Retain';
}

export interface ParameterGroupDesired {
  readonly origin: ResourceOrigin;
  /** Lower-case name; CloudFormation always generates it (the resource has no name property). */
  readonly name: string;
  readonly family: string;
  readonly description: string;
  /** Parameters set by the template (the rest take the family defaults). */
  readonly parameters: Record<string, string>;
  readonly tags: Record<string, string>;
}

export interface SubnetGroupDesired {
  readonly origin: ResourceOrigin;
  readonly name: string;
  readonly description: string;
  readonly subnetIds: string[];
  /** AZ of each subnet, read from AWS::EC2::Subnet resources in the template when present. */
  readonly availabilityZones: string[];
  readonly tags: Record<string, string>;
}

export type AuthenticationTypeName = 'password' | 'no-password-required' | 'iam';

export interface UserDesired {
  readonly origin: ResourceOrigin;
  readonly userId: string;
  readonly userName: string;
  readonly engine: EngineName;
  readonly authenticationType: AuthenticationTypeName;
  /** Resolved passwords (0-2). Never print them. */
  readonly passwords: string[];
  /**
   * How many passwords the template gives that could not be resolved locally (a secret not supplied): the
   * deploy is refused for them already (SPEC-SECRET), and the rules treat them as passwords of unknown value.
   */
  readonly unresolvedPasswords?: number;
  readonly accessString: string;
  readonly tags: Record<string, string>;
}

export interface UserGroupDesired {
  readonly origin: ResourceOrigin;
  readonly userGroupId: string;
  readonly engine: EngineName;
  readonly userIds: string[];
  readonly tags: Record<string, string>;
}

export interface GlobalDatastoreMember {
  readonly replicationGroupId: string;
  readonly region?: string;
  readonly role: 'PRIMARY' | 'SECONDARY';
}

export interface GlobalDatastoreDesired {
  readonly origin: ResourceOrigin;
  /** `<prefix>-<suffix>` is what AWS assigns; locally the suffix is the id. */
  readonly globalReplicationGroupIdSuffix?: string;
  readonly description?: string;
  readonly members: GlobalDatastoreMember[];
  readonly engine?: string;
  readonly engineVersion?: string;
  readonly nodeType?: string;
  readonly parameterGroupName?: string;
  readonly automaticFailover?: boolean;
  readonly globalNodeGroupCount?: number;
}

/** An SNS topic of the template, as an event sink. */
export interface TopicDesired {
  readonly origin: ResourceOrigin;
  /** The ARN the template refers to it by (`arn:aws:sns:<region>:<account>:<name>`). */
  readonly arn: string;
  readonly topicName: string;
  /**
   * Where events go locally: a file path or an http(s) URL; from the spec options
   * (`--topic-sink NAME=DEST`), else undefined (the control plane uses its default file).
   */
  readonly sink?: string;
}

/** A stack output, possibly pointing at values the deploy fills in (endpoints). */
export interface SpecOutput {
  readonly name: string;
  readonly value: SpecValue;
  readonly description?: string;
}

/** One problem found in the spec: reading, resolving or validating it. */
export interface Problem {
  /** Logical id (or resource address) of the resource concerned; undefined for template-wide problems. */
  readonly logicalId?: string;
  readonly resourceType?: string;
  /** The construct path when known. */
  readonly constructPath?: string;
  /** The template property concerned (e.g. `AutomaticFailoverEnabled`), when known. */
  readonly property?: string;
  /** Rule id: a src/model rule (`T8`, `S2`...) or a spec rule (`SPEC-REF`, `SPEC-SECRET`...). */
  readonly rule: string;
  readonly message: string;
  readonly fix: string;
  readonly severity: 'error' | 'warning';
}

/** The whole deployment: every ElastiCache resource of one stack or template, resolved. */
export interface DeploymentSpec {
  readonly source: SpecSource;
  readonly stackName?: string;
  readonly region: string;
  readonly accountId: string;
  /** Local availability zones (what Fn::GetAZs returns; the host layer's AZ labels). */
  readonly availabilityZones: string[];
  readonly replicationGroups: ReplicationGroupDesired[];
  readonly parameterGroups: ParameterGroupDesired[];
  readonly subnetGroups: SubnetGroupDesired[];
  readonly users: UserDesired[];
  readonly userGroups: UserGroupDesired[];
  readonly globalDatastores: GlobalDatastoreDesired[];
  /** SNS topics of the template (event sinks). */
  readonly topics: TopicDesired[];
  readonly outputs: SpecOutput[];
  /** Problems found while reading (unresolvable intrinsics, missing secrets, unsupported types); validateSpec adds rule checks. */
  readonly problems: Problem[];
  /**
   * Secrets generated locally for AWS::SecretsManager::Secret resources (GenerateSecretString),
   * by logical id: the control plane keeps them in its state and passes them back as
   * `ReadSpecOptions.generatedSecrets`. Never print them.
   */
  readonly generatedSecrets: Record<string, string>;
  /**
   * What the template's `Custom::CrossRegionExportWriter`s publish (CDK `crossRegionReferences`):
   * SSM parameter name → value. The control plane keeps them, and the next stack's reader resolves
   * `Custom::CrossRegionExportReader` attributes from them (`ReadSpecOptions.crossRegionExports`).
   */
  readonly crossRegionExports?: Record<string, string>;
}

/** Options of every reader. */
export interface ReadSpecOptions {
  /** Stack to read from a cdk.out folder with several stacks. */
  readonly stackName?: string;
  /** Template parameter values (`--parameters Key=Value`), overriding defaults. */
  readonly parameters?: Record<string, string>;
  /**
   * Secret values: Secrets Manager secret id (name or ARN) → value, or `<secret-id>:<json-key>` →
   * value; NoEcho parameters may also be given here by parameter name.
   */
  readonly secrets?: Record<string, string>;
  /** Environment to read `CDK_ELASTICACHE_SECRET_<...>` / `CDK_ELASTICACHE_PARAM_<...>` variables from (default process.env). */
  readonly env?: Record<string, string | undefined>;
  /** Region when the template/manifest does not give one (default us-east-1). */
  readonly region?: string;
  /** Account id for pseudo parameters and ARNs (default 000000000000). */
  readonly accountId?: string;
  /** Local AZs (default `<region>a`, `<region>b`, `<region>c`). */
  readonly availabilityZones?: string[];
  /** Event sinks per topic name or logical id (`file path` or `http(s)://` URL). */
  readonly topicSinks?: Record<string, string>;
  /**
   * Values generated earlier for AWS::SecretsManager::Secret resources with GenerateSecretString,
   * by logical id (from `spec.generatedSecrets` of the last deploy), so a redeploy keeps them.
   */
  readonly generatedSecrets?: Record<string, string>;
  /** Values earlier deploys' cross-region export writers published (see `DeploymentSpec.crossRegionExports`). */
  readonly crossRegionExports?: Record<string, string>;
}
