import { parameterGroupFamily, parseVersion } from '#model/engine-versions';
import { validateGlobalDatastore } from '#model/global-datastore';
import { clusterEnabledOf, defaultGroupName, parseDefaultGroupName } from '#model/parameters/catalogue';
import { validateClusterModeParameters, validateParameters, validateParametersForEngineVersion } from '#model/parameters/rules';
import { NodeGroupSpec, ParameterGroupFacts, ReplicationGroupSpec } from '#model/replication-group';
import { validateReplicationGroupRules } from '#model/replication-group-rules';
import { BUILT_IN_DEFAULT_USER_ID, UserGroupMemberModel, validateIdentifier, validateUser, validateUserGroup } from '#model/users';
import { RESOLVED, RuleContext, Violation } from '#model/violation';
import { DeploymentSpec, ParameterGroupDesired, Problem, ReplicationGroupDesired, ResourceOrigin, UserDesired } from './model';
import {
  explicitConstructProps,
  globalDatastoreProperty,
  parameterGroupProperty,
  replicationGroupProperty,
  userGroupProperty,
  userProperty,
} from './property-names';
import { terraformNames } from './terraform/read';

/** Stands for a password the template gives through a secret not supplied locally (see UserDesired.unresolvedPasswords). */
const UNRESOLVED_PASSWORD = Symbol('unresolved password');
/** Resolved data, except those passwords: the rules count them but do not check their value. */
const UNRESOLVED_PASSWORDS: RuleContext = { isUnresolved: (v) => v === UNRESOLVED_PASSWORD };

function fromViolation(origin: ResourceOrigin, v: Violation, property: string): Problem {
  return {
    logicalId: origin.logicalId,
    resourceType: origin.type,
    ...(origin.constructPath ? { constructPath: origin.constructPath } : {}),
    property,
    rule: v.rule,
    message: v.message,
    fix: v.fix,
    severity: v.severity,
  };
}

function problem(origin: ResourceOrigin, property: string, rule: string, message: string, fix: string, severity: 'error' | 'warning' = 'error'): Problem {
  return {
    logicalId: origin.logicalId,
    resourceType: origin.type,
    ...(origin.constructPath ? { constructPath: origin.constructPath } : {}),
    property,
    rule,
    message,
    fix,
    severity,
  };
}

/**
 * Every problem of the spec at once: what reading found (unresolvable values, missing secrets,
 * unsupported types), src/model's rules for each resource (the same functions the constructs
 * run), and references between resources.
 */
export function validateSpec(spec: DeploymentSpec): Problem[] {
  const out: Problem[] = [...spec.problems];
  const parameterGroups = new Map(spec.parameterGroups.map((g) => [g.name, g]));
  const subnetGroups = new Map(spec.subnetGroups.map((g) => [g.name, g]));
  // ElastiCache stores user ids lower-case, so references match whatever the case.
  const users = new Map(spec.users.map((u) => [u.userId.toLowerCase(), u]));
  const userGroups = new Map(spec.userGroups.map((g) => [g.userGroupId.toLowerCase(), g]));

  out.push(...duplicates(spec.replicationGroups.map((g) => [g.replicationGroupId, g.origin]), 'replication group id', 'ReplicationGroupId'));
  out.push(...duplicates(spec.users.map((u) => [u.userId, u.origin]), 'user id', 'UserId'));
  out.push(...duplicates(spec.userGroups.map((g) => [g.userGroupId, g.origin]), 'user group id', 'UserGroupId'));

  for (const g of spec.parameterGroups) {
    const clusterEnabled = clusterEnabledOf(g.parameters) ?? false;
    for (const v of [
      ...validateParameters(g.family, g.parameters, RESOLVED, 'parameters', { clusterEnabledSettable: true }),
      ...validateClusterModeParameters(g.family, clusterEnabled, g.parameters, RESOLVED, 'parameters'),
    ]) {
      out.push(fromViolation(g.origin, v, parameterGroupProperty(v.property)));
    }
  }

  for (const u of spec.users) {
    const vs = validateUser(UNRESOLVED_PASSWORDS, {
      userId: u.userId,
      userName: u.userName,
      engine: u.engine,
      authentication: u.authenticationType,
      passwords: u.unresolvedPasswords ? new Array<unknown>(u.unresolvedPasswords).fill(UNRESOLVED_PASSWORD) : u.passwords,
      accessString: u.accessString,
    });
    for (const v of vs) out.push(fromViolation(u.origin, v, userProperty(v.property)));
  }

  for (const g of spec.userGroups) {
    const members: UserGroupMemberModel[] = [];
    let dangling = false;
    g.userIds.forEach((id, i) => {
      const u = users.get(id.toLowerCase());
      if (u) {
        members.push(memberOf(u));
      } else if (id === BUILT_IN_DEFAULT_USER_ID) {
        // The user ElastiCache creates in every account: name `default`, no password, engine redis.
        members.push({ label: "'default' (built-in)", userId: 'default', userName: 'default', engine: 'redis', authentication: 'no-password-required' });
      } else {
        dangling = true;
        out.push(problem(g.origin, `UserIds[${i}]`, 'SPEC-REF', `user '${id}' is not declared in the template`, `declare an AWS::ElastiCache::User with UserId '${id}', or remove it from UserIds`));
      }
    });
    // With members missing, the group's own rules (default user, engines) would judge a partial list.
    const groupProblems = dangling
      ? validateIdentifierOnly(g.userGroupId)
      : validateUserGroup(RESOLVED, { userGroupId: g.userGroupId, engine: g.engine, users: members });
    for (const v of groupProblems) {
      out.push(fromViolation(g.origin, v, userGroupProperty(v.property)));
    }
  }

  for (const rg of spec.replicationGroups) {
    out.push(...validateGroup(rg, spec, parameterGroups, subnetGroups, userGroups));
  }

  for (const gd of spec.globalDatastores) {
    const primaryId = gd.members.find((m) => m.role === 'PRIMARY')?.replicationGroupId;
    const primary = spec.replicationGroups.find((g) => g.replicationGroupId === primaryId);
    if (!primary) {
      out.push(problem(gd.origin, 'Members', 'SPEC-REF', `the primary member '${primaryId ?? '(none)'}' is not a replication group of the template`, 'deploy the Global Datastore from the stack that declares its primary replication group'));
      continue;
    }
    const vs = validateGlobalDatastore({
      suffix: gd.globalReplicationGroupIdSuffix,
      description: gd.description,
      engine: gd.engine ?? primary.engine,
      engineVersion: gd.engineVersion ?? primary.engineVersion,
      nodeType: gd.nodeType ?? primary.nodeType,
      primaryRegion: gd.members.find((m) => m.role === 'PRIMARY')?.region ?? spec.region,
      secondaryRegions: gd.members.filter((m) => m.role === 'SECONDARY').map((m) => m.region ?? ''),
    }, RESOLVED);
    for (const v of vs) out.push(fromViolation(gd.origin, v, globalDatastoreProperty(v.property)));
  }
  // Terraform resources: name each property as the configuration writes it (terraform/read.ts).
  return spec.source.kind === 'terraform-json' ? terraformNames(out) : out;
}

function validateIdentifierOnly(userGroupId: string): Violation[] {
  return validateIdentifier(RESOLVED, 'N6', 'userGroupId', userGroupId);
}

function memberOf(u: UserDesired): UserGroupMemberModel {
  return { label: `'${u.userId}'`, userId: u.userId, userName: u.userName, engine: u.engine, authentication: u.authenticationType };
}

function validateGroup(
  rg: ReplicationGroupDesired,
  spec: DeploymentSpec,
  parameterGroups: ReadonlyMap<string, ParameterGroupDesired>,
  subnetGroups: ReadonlyMap<string, unknown>,
  userGroups: ReadonlyMap<string, { engine: string }>,
): Problem[] {
  const out: Problem[] = [];
  const o = rg.origin;
  const cme = rg.clusterMode !== 'disabled';
  const family = parseVersion(rg.engineVersion) && (rg.engine === 'valkey' || rg.engine === 'redis') ? parameterGroupFamily(rg.engine, rg.engineVersion) : undefined;

  let pg: ParameterGroupFacts | undefined;
  if (rg.parameterGroupName === undefined) {
    pg = family ? { name: defaultGroupName(family, cme), family, clusterEnabled: cme } : undefined;
  } else {
    const custom = parameterGroups.get(rg.parameterGroupName);
    const parsed = parseDefaultGroupName(rg.parameterGroupName);
    if (custom) {
      pg = { name: custom.name, family: custom.family, clusterEnabled: clusterEnabledOf(custom.parameters), parameters: custom.parameters };
      for (const v of validateParametersForEngineVersion(custom.family, rg.engineVersion, custom.parameters, RESOLVED, 'parameters')) {
        out.push(fromViolation(custom.origin, v, parameterGroupProperty(v.property)));
      }
    } else if (parsed) {
      pg = { name: rg.parameterGroupName, family: parsed.family, clusterEnabled: parsed.clusterEnabled };
    } else {
      out.push(problem(o, 'CacheParameterGroupName', 'SPEC-REF', `parameter group '${rg.parameterGroupName}' is neither declared in the template nor one of ElastiCache's default groups`, `declare it as an AWS::ElastiCache::ParameterGroup in the template, or use ${family ? `'${defaultGroupName(family, cme)}'` : 'a default.<family> group'}`));
    }
  }
  if (rg.subnetGroupName !== undefined && !subnetGroups.has(rg.subnetGroupName)) {
    out.push(problem(o, 'CacheSubnetGroupName', 'SPEC-REF', `subnet group '${rg.subnetGroupName}' is not declared in the template, so its availability zones are unknown`, `declare it in the template to place nodes in its subnets' AZs; meanwhile nodes go to ${rg.availabilityZones.join(', ')}`, 'warning'));
  }
  let userGroupEngine: string | undefined;
  rg.userGroupIds.forEach((id, i) => {
    const g = userGroups.get(id.toLowerCase());
    if (g) userGroupEngine ??= g.engine;
    else out.push(problem(o, `UserGroupIds[${i}]`, 'SPEC-REF', `user group '${id}' is not declared in the template`, `declare an AWS::ElastiCache::UserGroup with UserGroupId '${id}', or remove it`));
  });
  if (rg.userGroupIds.length > 1) {
    out.push(problem(o, 'UserGroupIds', 'SPEC-REF', `${rg.userGroupIds.length} user groups given; a replication group takes one`, 'give one user group'));
  }
  if (rg.notificationTopicArn !== undefined && !spec.topics.some((t) => t.arn === rg.notificationTopicArn)) {
    out.push(problem(o, 'NotificationTopicArn', 'SPEC-REF', `topic '${rg.notificationTopicArn}' is not declared in the template`, 'declare the AWS::SNS::Topic in the template to choose its local sink; meanwhile events go to the default event file', 'warning'));
  }

  const explicitNodeGroups = o.properties.includes('NodeGroupConfiguration');
  const groupSpec: ReplicationGroupSpec = {
    replicationGroupId: rg.generatedId ? undefined : rg.replicationGroupId,
    description: rg.description,
    engine: rg.engine,
    engineVersion: rg.engineVersion,
    nodeType: rg.nodeType === '' ? undefined : rg.nodeType,
    clusterMode: rg.clusterMode,
    shards: rg.numNodeGroups,
    replicasPerShard: rg.replicasPerNodeGroup,
    nodeGroups: explicitNodeGroups ? rg.nodeGroups.map((g): NodeGroupSpec => ({ ...g })) : undefined,
    preferredAvailabilityZones: rg.preferredCacheClusterAzs,
    multiAz: rg.multiAz,
    automaticFailover: rg.automaticFailover,
    port: rg.port,
    parameterGroup: pg,
    transitEncryption: rg.transitEncryption,
    transitEncryptionMode: rg.transitEncryptionMode,
    atRestEncryption: rg.atRestEncryption,
    kmsKey: rg.kmsKeyId !== undefined,
    authToken: rg.authToken,
    userGroup: rg.userGroupIds.length > 0 ? { engine: userGroupEngine } : undefined,
    durability: rg.durability,
    snapshotRetentionLimit: rg.snapshotRetentionLimit,
    snapshotWindow: rg.snapshotWindow,
    maintenanceWindow: rg.maintenanceWindow,
    finalSnapshotName: rg.finalSnapshotName,
    snapshotName: rg.snapshotName,
    snapshotArns: rg.snapshotArns,
    snapshottingClusterId: rg.snapshottingClusterId,
    dataTiering: rg.dataTiering,
    networkType: rg.networkType,
    ipDiscovery: rg.ipDiscovery,
    logDelivery: rg.logDelivery.map((l) => ({ logType: l.logType, destinationType: l.destinationType, logFormat: l.logFormat })),
    globalSecondary: rg.globalReplicationGroupId !== undefined || o.properties.includes('GlobalReplicationGroupId'),
    explicitProps: explicitConstructProps(o.properties),
  };
  for (const v of validateReplicationGroupRules(groupSpec, RESOLVED)) {
    out.push(fromViolation(o, v, replicationGroupProperty(v.property, { templateProperties: o.properties })));
  }
  return out;
}

function duplicates(items: Array<[string, ResourceOrigin]>, what: string, property: string): Problem[] {
  const seen = new Map<string, ResourceOrigin>();
  const out: Problem[] = [];
  for (const [id, origin] of items) {
    const first = seen.get(id);
    if (first) out.push(problem(origin, property, 'SPEC-DUPLICATE', `${what} '${id}' is also used by ${first.logicalId}`, `give each resource its own ${what}`));
    else seen.set(id, origin);
  }
  return out;
}
