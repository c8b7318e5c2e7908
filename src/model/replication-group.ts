import { compareVersions, parseVersion, validateEngineVersion, versionAtLeast } from './engine-versions';
import { parseSlots, TOTAL_SLOTS } from './topology';
import { validateCacheUserGroup } from './users';
import { isKnown, RuleContext, violation, Violation } from './violation';

/** One node group (shard) as declared explicitly. */
export interface NodeGroupSpec {
  readonly nodeGroupId?: string;
  readonly slots?: string;
  readonly primaryAvailabilityZone?: string;
  readonly replicaAvailabilityZones?: string[];
  readonly replicaCount?: number;
}

/** What the rules need to know about the parameter group in use. */
export interface ParameterGroupFacts {
  readonly name?: string;
  readonly family?: string;
  /** `cluster-enabled` of the group, when known. */
  readonly clusterEnabled?: boolean;
  /** Values set in the group, when known (maxmemory-policy, appendonly, ...). */
  readonly parameters?: Record<string, string>;
}

/** What the rules need to know about the RBAC user group in use. */
export interface UserGroupFacts {
  readonly engine?: string;
}

/** Log delivery, as the rules see it. */
export interface LogDeliverySpec {
  readonly logType: string;
  readonly destinationType: string;
  readonly logFormat: string;
}

/**
 * A replication group as plain, target-neutral data: what the CDK construct, the Terraform
 * construct and the deploy handler each turn their input into before validating it.
 * Values may be tokens (`ctx.isUnresolved`); rules skip those.
 */
export interface ReplicationGroupSpec {
  readonly replicationGroupId?: string;
  readonly description?: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly nodeType?: string;
  readonly clusterMode: string;
  readonly shards: number;
  readonly replicasPerShard: number;
  readonly nodeGroups?: NodeGroupSpec[];
  readonly preferredAvailabilityZones?: string[];
  readonly multiAz: boolean;
  readonly automaticFailover: boolean;
  readonly port?: number;
  readonly parameterGroup?: ParameterGroupFacts;
  readonly transitEncryption: boolean;
  readonly transitEncryptionMode?: string;
  readonly atRestEncryption: boolean;
  readonly kmsKey?: boolean;
  /** The auth token when given; a literal is checked, a token (e.g. a Secrets Manager reference) is not. */
  readonly authToken?: string;
  readonly userGroup?: UserGroupFacts;
  readonly durability?: string;
  readonly snapshotRetentionLimit?: number;
  readonly snapshotWindow?: string;
  readonly maintenanceWindow?: string;
  readonly finalSnapshotName?: string;
  readonly snapshotName?: string;
  readonly snapshotArns?: string[];
  readonly snapshottingClusterId?: string;
  readonly dataTiering?: boolean;
  readonly networkType?: string;
  readonly ipDiscovery?: string;
  readonly logDelivery?: LogDeliverySpec[];
  /** True for a secondary member of a Global Datastore (inherits engine, node type, shards...). */
  readonly globalSecondary?: boolean;
  /** Props the user set explicitly (for rules about what a secondary may not set). */
  readonly explicitProps?: string[];
}

const MAX_REPLICAS = 5;
const MAX_NODES = 500;
const MAX_NODES_OLD_ENGINES = 250;
const DEFAULT_NODE_QUOTA = 90;
const AUTH_TOKEN_CHARS = /^[A-Za-z0-9!&#$^<>-]+$/;

function clusterModeOn(spec: ReplicationGroupSpec): boolean {
  return spec.clusterMode === 'enabled';
}

/** T1, T2, T3, T4, T6, T7, T8, T11, T16, H1, H2: shape of the group and its availability. */
export function validateTopology(spec: ReplicationGroupSpec, ctx: RuleContext): Violation[] {
  const out: Violation[] = [];
  const cme = clusterModeOn(spec);
  const shards = spec.shards;
  const replicas = spec.replicasPerShard;

  if (!['enabled', 'disabled', 'compatible'].includes(spec.clusterMode)) {
    out.push(violation('T10', 'cluster mode is enabled, disabled or compatible', 'clusterMode', `'${spec.clusterMode}' is not a cluster mode`, 'use ClusterMode.ENABLED, ClusterMode.DISABLED or ClusterMode.COMPATIBLE'));
  }
  if (isKnown(ctx, replicas) && (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS)) {
    out.push(violation('T1', 'a shard has 0 to 5 read replicas', 'replicasPerShard', `replicasPerShard is ${replicas}; a shard holds one primary and at most ${MAX_REPLICAS} replicas`, `set replicasPerShard between 0 and ${MAX_REPLICAS}${cme ? '' : ', or use cluster mode with more shards to scale reads and writes out'}`));
  }
  if (isKnown(ctx, shards)) {
    if (!Number.isInteger(shards) || shards < 1) {
      out.push(violation('T2', 'at least one shard', 'shards', `shards is ${shards}`, 'set shards to 1 or more'));
    } else if (!cme && shards !== 1) {
      out.push(violation('T2', 'cluster mode disabled means exactly one shard', 'shards', `shards is ${shards} but cluster mode is ${spec.clusterMode}`, 'set clusterMode: ClusterMode.ENABLED to shard the data, or remove shards'));
    }
  }
  if (isKnown(ctx, shards) && isKnown(ctx, replicas) && Number.isInteger(shards) && Number.isInteger(replicas)) {
    const perShard = spec.nodeGroups?.map((g) => (isKnown(ctx, g.replicaCount) ? g.replicaCount : replicas)) ?? [];
    const total = perShard.length > 0 ? perShard.reduce((a, r) => a + 1 + r, 0) : shards * (1 + replicas);
    const modern = spec.engine === 'valkey' || (parseVersion(spec.engineVersion) !== undefined && versionAtLeast(spec.engineVersion, '5.0.6'));
    const max = modern ? MAX_NODES : MAX_NODES_OLD_ENGINES;
    if (total > max) {
      out.push(violation('T3', `at most ${max} nodes per cluster`, 'shards', `${total} nodes (shards × (1 + replicas)) exceeds the ElastiCache maximum of ${max} for ${spec.engine} ${spec.engineVersion}`, 'use fewer shards or replicas, or larger node types'));
    } else if (total > DEFAULT_NODE_QUOTA) {
      out.push(violation('T3', `default quota of ${DEFAULT_NODE_QUOTA} nodes per cluster`, 'shards', `${total} nodes exceed the default quota of ${DEFAULT_NODE_QUOTA} nodes per cluster`, 'request a quota increase ("Nodes per cluster per instance type") before deploying', 'warning'));
    }
  }

  // Availability.
  if (cme && spec.automaticFailover === false) {
    out.push(violation('T8', 'cluster mode enabled requires automatic failover', 'automaticFailover', 'automaticFailover is false, but a cluster-mode-enabled group cannot be created with automatic failover turned off', 'remove automaticFailover: false (cluster mode enabled always fails over automatically)'));
  }
  if (spec.multiAz && !spec.automaticFailover) {
    out.push(violation('H1', 'Multi-AZ requires automatic failover', 'multiAz', 'multiAz is true but automaticFailover is false', 'set automaticFailover: true, or multiAz: false'));
  }
  const shardReplicaCounts = spec.nodeGroups?.length ? spec.nodeGroups.map((g) => g.replicaCount ?? replicas) : [replicas];
  const minReplicas = shardReplicaCounts.filter((r) => isKnown(ctx, r)).reduce((a, r) => Math.min(a, r), Infinity);
  if (spec.multiAz && minReplicas === 0) {
    out.push(violation('H2', 'Multi-AZ needs a read replica in every shard', 'multiAz', 'multiAz is true but a shard has no read replica to fail over to', 'set replicasPerShard to 1 or more, or set multiAz: false'));
  }
  if (!cme && spec.automaticFailover && minReplicas === 0 && !spec.multiAz) {
    out.push(violation('T4', 'automatic failover needs at least 2 nodes', 'automaticFailover', 'automaticFailover is true, but when using automatic failover there must be at least 2 cache clusters (a primary and a replica) in the replication group', 'set replicasPerShard to 1 or more, or set automaticFailover: false'));
  }
  if (cme && isKnown(ctx, spec.snapshottingClusterId)) {
    out.push(violation('T11', 'no snapshotting cluster in cluster mode', 'snapshottingClusterId', 'a snapshotting cluster cannot be set for a cluster-mode-enabled replication group', 'remove snapshottingClusterId; each shard is snapshotted from its replica'));
  }

  out.push(...validateNodeGroups(spec, ctx));
  return out;
}

/** T5, T6, T7, N10: explicit node group configuration. */
function validateNodeGroups(spec: ReplicationGroupSpec, ctx: RuleContext): Violation[] {
  const groups = spec.nodeGroups;
  const out: Violation[] = [];
  if (spec.preferredAvailabilityZones && isKnown(ctx, spec.preferredAvailabilityZones)) {
    const want = 1 + spec.replicasPerShard;
    if (clusterModeOn(spec)) {
      out.push(violation('T5', 'preferred AZs are for one shard only', 'preferredAvailabilityZones', 'preferredAvailabilityZones places the nodes of a single-shard group; this group has cluster mode enabled', 'place shards with nodeGroups[].primaryAvailabilityZone / replicaAvailabilityZones instead'));
    } else if (isKnown(ctx, spec.replicasPerShard) && spec.preferredAvailabilityZones.length !== want) {
      out.push(violation('T5', 'one preferred AZ per node', 'preferredAvailabilityZones', `${spec.preferredAvailabilityZones.length} AZs given for ${want} nodes`, `list exactly ${want} AZs (primary first), one per node`));
    }
    if (groups?.length) {
      out.push(violation('T5', 'preferred AZs conflict with node groups', 'preferredAvailabilityZones', 'preferredAvailabilityZones and nodeGroups both place nodes', 'use only nodeGroups'));
    }
  }
  if (!groups || groups.length === 0) return out;
  if (isKnown(ctx, spec.shards) && groups.length !== spec.shards) {
    out.push(violation('T6', 'one node group entry per shard', 'nodeGroups', `${groups.length} node groups given but shards is ${spec.shards}`, `give ${spec.shards} nodeGroups entries or set shards to ${groups.length}`));
  }
  const owned: Array<[number, number, number]> = [];
  let allSlotsGiven = true;
  groups.forEach((g, i) => {
    const prop = `nodeGroups[${i}]`;
    if (isKnown(ctx, g.nodeGroupId) && !/^\d{1,4}$/.test(g.nodeGroupId)) {
      out.push(violation('N10', 'node group id is 1 to 4 digits', `${prop}.nodeGroupId`, `'${g.nodeGroupId}' is not 1 to 4 digits`, "use an id like '0001'"));
    }
    const count = g.replicaCount ?? spec.replicasPerShard;
    if (isKnown(ctx, g.replicaCount) && (g.replicaCount < 0 || g.replicaCount > MAX_REPLICAS || !Number.isInteger(g.replicaCount))) {
      out.push(violation('T1', 'a shard has 0 to 5 read replicas', `${prop}.replicaCount`, `replicaCount is ${g.replicaCount}`, `set replicaCount between 0 and ${MAX_REPLICAS}`));
    }
    const azs = g.replicaAvailabilityZones;
    if (azs && isKnown(ctx, azs) && isKnown(ctx, count) && azs.length !== count) {
      out.push(violation('T6', 'one AZ per replica', `${prop}.replicaAvailabilityZones`, `${azs.length} AZs given for ${count} replicas`, `list exactly ${count} replica AZs`));
    }
    if (g.slots === undefined || !isKnown(ctx, g.slots)) {
      allSlotsGiven = false;
      return;
    }
    const ranges = parseSlots(g.slots);
    if (!ranges) {
      out.push(violation('T7', 'slots are start-end ranges within 0-16383', `${prop}.slots`, `'${g.slots}' is not a list of slot ranges within 0-${TOTAL_SLOTS - 1}`, "write slots like '0-5460' or '0-100,200-300'"));
      allSlotsGiven = false;
      return;
    }
    for (const [a, b] of ranges) owned.push([a, b, i]);
  });
  if (owned.length > 0) {
    owned.sort((x, y) => x[0] - y[0]);
    for (let k = 1; k < owned.length; k++) {
      if (owned[k][0] <= owned[k - 1][1]) {
        out.push(violation('T7', 'slot ranges do not overlap', `nodeGroups[${owned[k][2]}].slots`, `slot ${owned[k][0]} is owned by node groups ${owned[k - 1][2]} and ${owned[k][2]}`, 'give every slot to exactly one node group'));
        break;
      }
    }
    if (allSlotsGiven) {
      let next = 0;
      for (const [a, b] of owned) {
        if (a > next) break;
        next = Math.max(next, b + 1);
      }
      if (next < TOTAL_SLOTS) {
        out.push(violation('T7', 'slots cover 0-16383', 'nodeGroups', `slot ${next} is not assigned to any node group`, `cover all ${TOTAL_SLOTS} slots (0-${TOTAL_SLOTS - 1}) across the node groups`));
      }
    }
  }
  return out;
}

/** S1–S3, S6–S9: encryption and authentication. */
export function validateSecurity(spec: ReplicationGroupSpec, ctx: RuleContext): Violation[] {
  const out: Violation[] = [];
  const hasToken = spec.authToken !== undefined;
  if (hasToken && !spec.transitEncryption) {
    out.push(violation('S1', 'an auth token needs encryption in transit', 'authToken', 'authToken is set but transitEncryption is false; AUTH can only be enabled on groups with encryption in transit', 'set transitEncryption: true (the default), or remove authToken'));
  }
  if (hasToken && isKnown(ctx, spec.authToken)) {
    const t = spec.authToken;
    if (t.length < 16 || t.length > 128 || !AUTH_TOKEN_CHARS.test(t)) {
      out.push(violation('S2', 'auth token is 16-128 printable characters', 'authToken', `the auth token is ${t.length} characters${AUTH_TOKEN_CHARS.test(t) ? '' : ' and has characters other than letters, digits and ! & # $ ^ < > -'}`, 'use 16 to 128 letters, digits or ! & # $ ^ < > - (a Secrets Manager secret generated with those characters only is best)'));
    }
  }
  if (hasToken && spec.userGroup) {
    out.push(violation('S3', 'auth token or RBAC user group, not both', 'authToken', 'both authToken and userGroup are set', 'use userGroup for role-based access control, or authToken for a single password, not both'));
  }
  if (spec.transitEncryptionMode !== undefined && isKnown(ctx, spec.transitEncryptionMode) && !spec.transitEncryption) {
    out.push(violation('S6', 'transit encryption mode needs transit encryption', 'transitEncryptionMode', `transitEncryptionMode is '${spec.transitEncryptionMode}' but transitEncryption is false`, 'set transitEncryption: true, or remove transitEncryptionMode'));
  }
  if (spec.transitEncryptionMode !== undefined && spec.engine === 'redis' && parseVersion(spec.engineVersion) && compareVersions(spec.engineVersion, '7.0') < 0) {
    out.push(violation('S6', 'transit encryption mode needs Redis OSS 7 or Valkey', 'transitEncryptionMode', `transitEncryptionMode is not available on redis ${spec.engineVersion}`, 'use Redis OSS 7.0 or later, Valkey, or remove transitEncryptionMode'));
  }
  if (spec.kmsKey && !spec.atRestEncryption) {
    out.push(violation('S8', 'a KMS key needs encryption at rest', 'encryptionKey', 'encryptionKey is set but atRestEncryption is false', 'set atRestEncryption: true (the default), or remove encryptionKey'));
  }
  if (spec.userGroup) {
    if (!spec.transitEncryption) {
      out.push(violation('S9', 'RBAC needs encryption in transit', 'userGroup', 'userGroup is set but transitEncryption is false', 'set transitEncryption: true (the default)'));
    }
    if (spec.engine === 'redis' && parseVersion(spec.engineVersion) && compareVersions(spec.engineVersion, '6.0') < 0) {
      out.push(violation('S9', 'RBAC needs Redis OSS 6.0 or Valkey', 'userGroup', `user groups are not available on redis ${spec.engineVersion}`, 'use Redis OSS 6.0 or later, or Valkey'));
    }
    out.push(...validateCacheUserGroup(ctx, spec.engine, spec.userGroup.engine));
  }
  return out;
}

/** Durability (synchronous replication, Valkey 9.0+). */
export function validateDurability(spec: ReplicationGroupSpec): Violation[] {
  const d = spec.durability;
  if (d === undefined || d === 'default' || d === 'disabled') return [];
  const out: Violation[] = [];
  if (!['async', 'sync'].includes(d)) {
    return [violation('DUR', 'durability is default, async, sync or disabled', 'durability', `'${d}' is not a durability setting`, 'use Durability.ASYNC, Durability.SYNC, Durability.DISABLED or leave it unset')];
  }
  if (spec.engine !== 'valkey' || !parseVersion(spec.engineVersion) || compareVersions(spec.engineVersion, '9.0') < 0) {
    out.push(violation('DUR', 'durability needs Valkey 9.0', 'durability', `durability '${d}' is not available on ${spec.engine} ${spec.engineVersion}`, 'use Engine.VALKEY_9_0 or later'));
  }
  if (!spec.multiAz) {
    out.push(violation('DUR', 'durability needs Multi-AZ', 'durability', `durability '${d}' keeps writes on replicas in other AZs, but multiAz is false`, 'set multiAz: true with at least one replica per shard'));
  }
  return out;
}

/** X1, X2, L1, B7, port: networking, logs and restore sources. */
export function validateMisc(spec: ReplicationGroupSpec, ctx: RuleContext): Violation[] {
  const out: Violation[] = [];
  if (isKnown(ctx, spec.port) && (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535)) {
    out.push(violation('T17', 'port is 1-65535', 'port', `port ${spec.port} is not a TCP port`, 'use a port between 1 and 65535 (6379 is the default)'));
  }
  if (spec.networkType && spec.networkType !== 'ipv4') {
    const ok = spec.engine === 'valkey' || (parseVersion(spec.engineVersion) !== undefined && versionAtLeast(spec.engineVersion, '6.2'));
    if (!ok) {
      out.push(violation('X1', 'IPv6 needs Valkey or Redis OSS 6.2+', 'networkType', `networkType '${spec.networkType}' is not available on ${spec.engine} ${spec.engineVersion}`, 'use Valkey 7.2+ or Redis OSS 6.2+, or NetworkType.IPV4'));
    }
  }
  if (spec.ipDiscovery === 'ipv6' && spec.networkType !== 'dual_stack' && spec.networkType !== 'ipv6') {
    out.push(violation('X2', 'IPv6 discovery needs an IPv6 network', 'ipDiscovery', `ipDiscovery is 'ipv6' but networkType is '${spec.networkType ?? 'ipv4'}'`, 'set networkType: NetworkType.DUAL_STACK, or remove ipDiscovery'));
  }
  const seen = new Set<string>();
  for (const l of spec.logDelivery ?? []) {
    if (seen.has(l.logType)) {
      out.push(violation('L1', 'one destination per log type', 'logDelivery', `${l.logType} is delivered twice`, `deliver ${l.logType} to one destination`));
    }
    seen.add(l.logType);
    const min = l.logType === 'slow-log' ? '6.0' : '6.2';
    if (spec.engine === 'redis' && parseVersion(spec.engineVersion) && compareVersions(spec.engineVersion, min) < 0) {
      out.push(violation('L1', `${l.logType} delivery needs Redis OSS ${min}`, 'logDelivery', `${l.logType} delivery is not available on redis ${spec.engineVersion}`, `use Redis OSS ${min} or later, or Valkey`));
    }
  }
  for (const arn of spec.snapshotArns ?? []) {
    if (isKnown(ctx, arn) && arn.includes(',')) {
      out.push(violation('B7', 'S3 object names of RDB files have no commas', 'restoreFrom', `'${arn}' contains a comma`, 'rename the RDB object in S3 without commas'));
    }
  }
  if (spec.snapshotName !== undefined && spec.snapshotArns !== undefined) {
    out.push(violation('B6', 'restore from one source', 'restoreFrom', 'both a snapshot name and RDB files in S3 are given', 'restore from either a snapshot or RDB files'));
  }
  return out;
}

/** G4/G5: what a secondary member of a Global Datastore must leave to the primary. */
export function validateGlobalSecondary(spec: ReplicationGroupSpec): Violation[] {
  if (!spec.globalSecondary) return [];
  const inherited = ['engine', 'nodeType', 'parameterGroup', 'shards', 'clusterMode', 'transitEncryption', 'transitEncryptionMode', 'atRestEncryption', 'encryptionKey', 'kmsKeyId', 'authToken', 'restoreFrom', 'dataTiering'];
  return (spec.explicitProps ?? [])
    .filter((p) => inherited.includes(p))
    .map((p) => violation('G4', 'a secondary inherits its settings from the primary', p, `${p} is set on a secondary member of a Global Datastore`, `remove ${p}; a secondary takes it from the Global Datastore's primary`));
}

/** Every replication-group rule that needs only the spec (the per-topic modules add theirs). */
export function validateReplicationGroupCore(spec: ReplicationGroupSpec, ctx: RuleContext): Violation[] {
  return [
    ...(spec.globalSecondary ? [] : validateEngineVersion(spec.engine, spec.engineVersion)),
    ...validateTopology(spec, ctx),
    ...validateSecurity(spec, ctx),
    ...validateDurability(spec),
    ...validateMisc(spec, ctx),
    ...validateGlobalSecondary(spec),
  ];
}
