import { ClusterMode } from '../cluster-mode';
import { Engine } from '../engine';
import { LogDeliverySpec, NodeGroupSpec, ParameterGroupFacts, ReplicationGroupSpec, UserGroupFacts } from '../model/replication-group';
import { validateReplicationGroupRules } from '../model/replication-group-rules';
import { RuleContext, Violation } from '../model/violation';
import { NodeType } from '../node-type';
import { ReplicationGroupCommonProps } from '../replication-group-common-props';

/**
 * How a replication group's props become settings: the defaults and the spec the rules check.
 * Shared by the CloudFormation and the Terraform constructs, so both default and validate alike;
 * each face only maps its own prop types (SecretValue / Duration / IVpc vs. strings and numbers)
 * into this input first.
 */

/** The shape of the primary of a Global Datastore, for a secondary that inherits it. */
export interface PrimaryShape {
  readonly engine: Engine;
  readonly nodeType: NodeType;
  readonly clusterModeEnabled: boolean;
  readonly shards: number;
  readonly transitEncryption: boolean;
}

/**
 * The props both faces share ({@link ReplicationGroupCommonProps}), and the rest already in face-neutral types.
 */
export interface ReplicationGroupInput extends ReplicationGroupCommonProps {
  /** Construct path, for the default description. */
  readonly path: string;
  readonly replicationGroupId?: string;
  readonly description?: string;
  readonly kmsKey: boolean;
  readonly authToken?: string;
  readonly userGroup?: UserGroupFacts;
  /** Whole days; undefined for the default. */
  readonly backupRetentionDays?: number;
  readonly finalSnapshotName?: string;
  readonly snapshotName?: string;
  readonly snapshotArns?: string[];
  readonly snapshottingClusterId?: string;
  readonly logDelivery?: LogDeliverySpec[];
  /** Facts about the parameter group given, or undefined for the engine's default group. */
  readonly parameterGroup?: ParameterGroupFacts;
  /** Set for a secondary of a Global Datastore. */
  readonly globalSecondary: boolean;
  /** The primary's shape, when the secondary's Global Datastore knows it. */
  readonly primary?: PrimaryShape;
  /** Props the user set explicitly. */
  readonly explicitProps: string[];
}

/** The settings of a replication group after defaults, and what the rules found. */
export interface ReplicationGroupSettings {
  readonly engine: Engine;
  readonly nodeType: NodeType;
  readonly clusterMode: ClusterMode;
  readonly clusterModeEnabled: boolean;
  readonly shards: number;
  readonly replicasPerShard: number;
  /** Replicas of each shard (one entry per node group when given, else one entry). */
  readonly replicaCounts: number[];
  readonly multiAz: boolean;
  readonly automaticFailover: boolean;
  readonly port: number;
  readonly transitEncryption: boolean;
  readonly atRestEncryption: boolean;
  readonly dataTiering: boolean;
  readonly backupRetentionDays: number;
  readonly description: string;
  /** The engine's parameter group family, undefined for a malformed version (the rules report it). */
  readonly engineFamily?: string;
  /** The default group for the engine and cluster mode, e.g. `default.valkey8.cluster.on`. */
  readonly defaultParameterGroupName?: string;
  /** Whether the engine takes the ClusterMode property (Valkey, Redis OSS 7+). */
  readonly supportsClusterModeProperty: boolean;
  readonly spec: ReplicationGroupSpec;
  readonly problems: Violation[];
}

/** Defaults of a new replication group (the same in every face). */
export const REPLICATION_GROUP_DEFAULTS = {
  engine: Engine.VALKEY_8_1,
  nodeType: NodeType.R7G_LARGE,
  replicasPerShard: 1,
  shardsClusterModeEnabled: 3,
  port: 6379,
  backupRetentionDays: 1,
} as const;

/** Applies the defaults and runs every replication-group rule. */
export function resolveReplicationGroup(input: ReplicationGroupInput, ctx: RuleContext): ReplicationGroupSettings {
  const primary = input.primary;
  const d = REPLICATION_GROUP_DEFAULTS;
  const engine = primary?.engine ?? input.engine ?? d.engine;
  const nodeType = primary?.nodeType ?? input.nodeType ?? d.nodeType;
  const primaryMode = primary && (primary.clusterModeEnabled ? ClusterMode.ENABLED : ClusterMode.DISABLED);
  const clusterMode = primaryMode ?? input.clusterMode ?? ClusterMode.DISABLED;
  const cme = clusterMode === ClusterMode.ENABLED;
  const shards = primary?.shards ?? input.shards ?? (input.nodeGroups?.length || (cme ? d.shardsClusterModeEnabled : 1));
  const replicas = input.replicasPerShard ?? d.replicasPerShard;
  const replicaCounts = input.nodeGroups?.length ? input.nodeGroups.map((g) => g.replicaCount ?? replicas) : [replicas];
  const everyShardHasReplica = replicaCounts.every((r) => ctx.isUnresolved(r) || r > 0);
  // Defaults follow what the node type supports: no Multi-AZ on t1, failover on t2 only in cluster mode.
  const family = nodeType.family;
  const failoverCapable = family !== 't1' && (family !== 't2' || cme);
  const multiAz = input.multiAz ?? (everyShardHasReplica && failoverCapable);
  const automaticFailover = input.automaticFailover ?? (cme || multiAz || (everyShardHasReplica && failoverCapable));
  const port = input.port ?? d.port;
  const transitEncryption = primary?.transitEncryption ?? input.transitEncryption ?? true;
  const atRestEncryption = input.atRestEncryption ?? true;
  const dataTiering = input.dataTiering ?? nodeType.dataTiering;
  // t1.micro has no backups
  const backupDays = input.backupRetentionDays ?? (nodeType.name === 'cache.t1.micro' ? 0 : d.backupRetentionDays);
  const clusterEnabledGroup = clusterMode !== ClusterMode.DISABLED;
  const engineFamily = safeFamily(engine);
  const defaultGroup = engineFamily ? `default.${engineFamily}${clusterEnabledGroup ? '.cluster.on' : ''}` : undefined;
  const description = input.description ?? `Replication group ${input.path}`;

  const spec: ReplicationGroupSpec = {
    replicationGroupId: input.replicationGroupId,
    description,
    engine: engine.engineName,
    engineVersion: engine.engineVersion,
    nodeType: nodeType.name,
    clusterMode,
    shards,
    replicasPerShard: replicas,
    nodeGroups: input.nodeGroups,
    preferredAvailabilityZones: input.preferredAvailabilityZones,
    multiAz,
    automaticFailover,
    port,
    parameterGroup: input.parameterGroup ?? { name: defaultGroup, family: engineFamily, clusterEnabled: clusterEnabledGroup },
    transitEncryption,
    transitEncryptionMode: input.transitEncryptionMode,
    atRestEncryption,
    kmsKey: input.kmsKey,
    authToken: input.authToken,
    userGroup: input.userGroup,
    durability: input.durability,
    snapshotRetentionLimit: backupDays,
    snapshotWindow: input.preferredBackupWindow,
    maintenanceWindow: input.preferredMaintenanceWindow,
    finalSnapshotName: input.finalSnapshotName,
    snapshotName: input.snapshotName,
    snapshotArns: input.snapshotArns,
    snapshottingClusterId: input.snapshottingClusterId,
    dataTiering,
    networkType: input.networkType,
    ipDiscovery: input.ipDiscovery,
    logDelivery: input.logDelivery,
    globalSecondary: input.globalSecondary,
    explicitProps: input.explicitProps,
  };
  return {
    engine,
    nodeType,
    clusterMode,
    clusterModeEnabled: cme,
    shards,
    replicasPerShard: replicas,
    replicaCounts,
    multiAz,
    automaticFailover,
    port,
    transitEncryption,
    atRestEncryption,
    dataTiering,
    backupRetentionDays: backupDays,
    description,
    engineFamily,
    defaultParameterGroupName: defaultGroup,
    supportsClusterModeProperty: engine.isValkey || engine.isAtLeast('7.0'),
    spec,
    problems: validateReplicationGroupRules(spec, ctx),
  };
}

/** The parameters the rules look at in a group (eviction policy, AOF, cluster mode). */
export const PARAMETERS_THE_RULES_READ = ['maxmemory-policy', 'appendonly', 'cluster-enabled'] as const;

/** Collects the parameters the rules read from a group that answers `parameterValue(name)`. */
export function parametersTheRulesRead(group: { parameterValue(name: string): string | undefined }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PARAMETERS_THE_RULES_READ) {
    const v = group.parameterValue(name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Node group settings as both faces render them: ids defaulted to `0001`, `0002`, ... */
export function nodeGroupConfigurations(groups: NodeGroupSpec[] | undefined, replicas: number): Array<Required<Pick<NodeGroupSpec, 'nodeGroupId' | 'replicaCount'>> & NodeGroupSpec> | undefined {
  return groups?.map((g, i) => ({
    nodeGroupId: g.nodeGroupId ?? String(i + 1).padStart(4, '0'),
    slots: g.slots,
    primaryAvailabilityZone: g.primaryAvailabilityZone,
    replicaAvailabilityZones: g.replicaAvailabilityZones,
    replicaCount: g.replicaCount ?? replicas,
  }));
}

/** What both faces know of a parameter group, as the rules take it. */
export function parameterGroupFacts(group: {
  readonly parameterGroupName: string;
  readonly family?: string;
  readonly clusterEnabled?: boolean;
  parameterValue(name: string): string | undefined;
} | undefined): ParameterGroupFacts | undefined {
  return group && {
    name: group.parameterGroupName,
    family: group.family,
    clusterEnabled: group.clusterEnabled,
    parameters: parametersTheRulesRead(group),
  };
}

/** A log destination as both faces describe it. */
interface LogDestinationShape {
  readonly destinationType: string;
  readonly logFormat: string;
}

/** The log deliveries the rules check, from either face's `logDelivery` prop. */
export function logDeliverySpecs(opts?: { readonly slowLog?: LogDestinationShape; readonly engineLog?: LogDestinationShape }): LogDeliverySpec[] {
  const out: LogDeliverySpec[] = [];
  if (opts?.slowLog) out.push({ logType: 'slow-log', destinationType: opts.slowLog.destinationType, logFormat: opts.slowLog.logFormat });
  if (opts?.engineLog) out.push({ logType: 'engine-log', destinationType: opts.engineLog.destinationType, logFormat: opts.engineLog.logFormat });
  return out;
}

/** The names of the props the user set (for the rules about what a Global Datastore secondary may not set). */
export function explicitProps(props: object): string[] {
  return Object.entries(props).filter(([, v]) => v !== undefined).map(([k]) => k);
}

function safeFamily(engine: Engine): string | undefined {
  try {
    return engine.parameterGroupFamily;
  } catch {
    return undefined;
  }
}
