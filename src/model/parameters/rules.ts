import { PARAMETER_GROUP_FAMILIES, versionAtLeast, parseVersion } from '../engine-versions';
import { isKnown, RESOLVED, RuleContext, violation, Violation } from '../violation';
import { defaultGroupName, familyParameters, isDefaultGroupName, isKnownFamily, parameterDefinition, retiredParameter } from './catalogue';
import { checkValue } from './values';

/** Options of `validateParameters`. */
export interface ValidateParametersOptions {
  /**
   * Accept `cluster-enabled` among the parameters. The constructs set it from their cluster mode
   * and refuse it from users; a hand-written template may set it directly.
   * @default false
   */
  readonly clusterEnabledSettable?: boolean;
}

const DATA_TIERING_POLICIES = ['volatile-lru', 'allkeys-lru', 'noeviction'];

/** Rule E4: the family is one the catalogue knows. */
export function validateFamily(family: string | undefined, ctx: RuleContext, property = 'family'): Violation[] {
  if (!isKnown(ctx, family) || isKnownFamily(family)) return [];
  const suggestion = closestName(family, PARAMETER_GROUP_FAMILIES);
  return [
    violation(
      'E4',
      'parameter group family must be known',
      property,
      `'${family}' is not a parameter group family for node-based Valkey or Redis OSS (known: ${PARAMETER_GROUP_FAMILIES.join(', ')})`,
      suggestion ? `use '${suggestion}', or give the engine instead of the family` : 'give the engine (e.g. Engine.VALKEY_8_1) instead of the family',
    ),
  ];
}

/**
 * Rules E4/E5 for a group's parameters: the family exists, every name is a parameter of the
 * family, every value is of the right type and in range, and the parameter is one a custom group
 * may change. Names and values hidden behind tokens are skipped.
 */
export function validateParameters(
  family: string | undefined,
  parameters: Readonly<Record<string, string>>,
  ctx: RuleContext,
  property = 'parameters',
  options: ValidateParametersOptions = {},
): Violation[] {
  if (!isKnown(ctx, family)) return [];
  const familyProblems = validateFamily(family, ctx, property);
  if (familyProblems.length > 0) return familyProblems;
  const known = familyParameters(family)!;
  const out: Violation[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    if (ctx.isUnresolved(name)) continue;
    const at = `${property}['${name}']`;
    const def = known.get(name);
    if (!def) {
      out.push(unknownParameter(family, name, at));
      continue;
    }
    if (name === 'cluster-enabled' && !options.clusterEnabledSettable) {
      out.push(
        violation(
          'E5',
          'cluster-enabled follows the cluster mode',
          at,
          'cluster-enabled is not set through parameters',
          'set clusterMode: ClusterMode.ENABLED on the ParameterGroup (cluster-enabled yes), or leave it out for cluster mode disabled',
        ),
      );
      continue;
    }
    if (!def.modifiable && name !== 'cluster-enabled') {
      out.push(
        violation(
          'E5',
          'parameter must be modifiable',
          at,
          `${name} is not modifiable in ElastiCache (${def.default !== undefined ? `it stays at ${JSON.stringify(def.default)}` : 'its value follows the node type'})`,
          `remove ${name} from the parameters`,
        ),
      );
      continue;
    }
    if (ctx.isUnresolved(value)) continue;
    const check = checkValue(def, value);
    if (check.error) {
      out.push(violation('E5', 'parameter value must be allowed', at, check.error, `use ${check.accepts}`));
    } else if (check.warning) {
      out.push(violation('E5', 'parameter value has no effect', at, check.warning, `use ${check.accepts}`, 'warning'));
    }
  }
  return out;
}

function unknownParameter(family: string, name: string, at: string): Violation {
  const title = 'parameter must exist in the family';
  const retired = retiredParameter(family, name);
  if (retired) {
    const instead = retired.replacement ? `use ${retired.replacement} instead` : `remove ${name}`;
    return violation('E5', title, at, `${name} is not a parameter of family ${family} (gone since ${retired.retiredIn})`, instead);
  }
  const suggestion = closestName(name, [...familyParameters(family)!.keys()]);
  return violation(
    'E5',
    title,
    at,
    `${name} is not a parameter of family ${family}`,
    suggestion ? `did you mean '${suggestion}'?` : `remove ${name}; see the parameters of ${family} in the ElastiCache user guide`,
  );
}

/**
 * Warns about parameters the family has but the given engine version does not read yet
 * (`commandlog-*` before Valkey 8.1, `search-*` before 8.2, `acl-pubsub-default` before 6.2).
 */
export function validateParametersForEngineVersion(
  family: string | undefined,
  engineVersion: string | undefined,
  parameters: Readonly<Record<string, string>>,
  ctx: RuleContext,
  property = 'parameters',
): Violation[] {
  if (!isKnown(ctx, family) || !isKnown(ctx, engineVersion) || !parseVersion(engineVersion)) return [];
  const out: Violation[] = [];
  for (const name of Object.keys(parameters)) {
    if (ctx.isUnresolved(name)) continue;
    const def = parameterDefinition(family, name);
    if (def?.since && !versionAtLeast(engineVersion, def.since)) {
      out.push(
        violation(
          'E5',
          'parameter not read by this engine version',
          `${property}['${name}']`,
          `${name} is read from engine version ${def.since} on; with ${engineVersion} it has no effect`,
          `upgrade the engine to ${def.since} or later, or remove ${name}`,
          'warning',
        ),
      );
    }
  }
  return out;
}

/** Rule T9 (warning): cluster-only parameters in a group with cluster mode disabled do nothing. */
export function validateClusterModeParameters(
  family: string | undefined,
  clusterEnabled: boolean,
  parameters: Readonly<Record<string, string>>,
  ctx: RuleContext,
  property = 'parameters',
): Violation[] {
  if (clusterEnabled || !isKnown(ctx, family)) return [];
  const out: Violation[] = [];
  for (const name of Object.keys(parameters)) {
    if (ctx.isUnresolved(name) || name === 'cluster-enabled') continue;
    if (parameterDefinition(family, name)?.clusterMode) {
      out.push(
        violation(
          'T9',
          'cluster parameter in a cluster mode disabled group',
          `${property}['${name}']`,
          `${name} only applies in cluster mode, and this group has cluster-enabled no`,
          'set clusterMode: ClusterMode.ENABLED on the ParameterGroup, or remove the parameter',
          'warning',
        ),
      );
    }
  }
  return out;
}

/** Input of rule T9 (`validateClusterModeParameterGroup`). */
export interface ClusterModeParameterGroupCheck {
  /** True for cluster mode enabled and compatible (both need cluster-enabled yes). */
  readonly clusterModeEnabled: boolean;
  /** The group's `cluster-enabled` (true = yes); undefined when unknown, which skips the rule. */
  readonly groupClusterEnabled: boolean | undefined;
  /** The group's name, for the message. */
  readonly groupName?: string;
  /** The engine's parameter group family, to name the right default group in the fix. */
  readonly family?: string;
  /** @default 'parameterGroup' */
  readonly property?: string;
}

/**
 * Rule T9: cluster mode enabled (or compatible) needs a parameter group with `cluster-enabled yes`;
 * cluster mode disabled needs one with `cluster-enabled no`.
 */
export function validateClusterModeParameterGroup(check: ClusterModeParameterGroupCheck): Violation[] {
  const { clusterModeEnabled, groupClusterEnabled, groupName, family } = check;
  const property = check.property ?? 'parameterGroup';
  if (groupClusterEnabled === undefined || groupClusterEnabled === clusterModeEnabled) return [];
  const group = groupName ? `parameter group '${groupName}'` : 'the parameter group';
  if (clusterModeEnabled) {
    return [
      violation(
        'T9',
        'cluster mode enabled requires a parameter group with cluster-enabled yes',
        property,
        `${group} has cluster-enabled no, but the replication group has cluster mode enabled`,
        `use ${family ? `the default group '${defaultGroupName(family, true)}'` : 'the default group default.<family>.cluster.on'} or a ParameterGroup with clusterMode: ClusterMode.ENABLED`,
      ),
    ];
  }
  return [
    violation(
      'T9',
      'cluster mode disabled requires a parameter group with cluster-enabled no',
      property,
      `${group} has cluster-enabled yes, but the replication group has cluster mode disabled`,
      `use ${family ? `the default group '${defaultGroupName(family, false)}'` : 'the default group default.<family>'} or a ParameterGroup without clusterMode (ClusterMode.DISABLED)`,
    ),
  ];
}

/** Rule E4: the parameter group's family is the engine version's family. */
export function validateFamilyMatchesEngine(
  groupFamily: string | undefined,
  engineFamily: string | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'parameterGroup',
): Violation[] {
  if (!isKnown(ctx, groupFamily) || !isKnown(ctx, engineFamily) || groupFamily === engineFamily) return [];
  return [
    violation(
      'E4',
      'parameter group family must match the engine',
      property,
      `Expected a parameter group of family ${engineFamily} but found one of family ${groupFamily}`,
      `use a parameter group of family ${engineFamily}: '${defaultGroupName(engineFamily, false)}', '${defaultGroupName(engineFamily, true)}' or new ParameterGroup(this, 'Parameters', { engine })`,
    ),
  ];
}

/** Rule E6: data tiering (r6gd nodes) works only with volatile-lru, allkeys-lru or noeviction. */
export function validateDataTieringPolicy(
  maxmemoryPolicy: string | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'parameterGroup',
): Violation[] {
  if (!isKnown(ctx, maxmemoryPolicy) || DATA_TIERING_POLICIES.includes(maxmemoryPolicy)) return [];
  return [
    violation(
      'E6',
      'data tiering allows only volatile-lru, allkeys-lru or noeviction',
      property,
      `maxmemory-policy ${maxmemoryPolicy} is not supported with data tiering`,
      `set maxmemory-policy to one of ${DATA_TIERING_POLICIES.join(', ')} in the parameter group`,
    ),
  ];
}

/** Rule E5: ElastiCache's default groups (`default.*`) cannot be modified. */
export function validateDefaultGroupNotModified(groupName: string | undefined, ctx: RuleContext, property = 'parameterGroup'): Violation[] {
  if (!isKnown(ctx, groupName) || !isDefaultGroupName(groupName)) return [];
  return [
    violation(
      'E5',
      'default parameter groups cannot be modified',
      property,
      `'${groupName}' is one of ElastiCache's default parameter groups`,
      'create a ParameterGroup with the parameters you need and use it instead',
    ),
  ];
}

/**
 * Rule N4 (warnings): ElastiCache stores parameter group names lower-case and gives no further
 * constraint; names that are not letter-first letters, digits and hyphens are likely mistakes.
 * ElastiCache's own `default.*` names are accepted as they are.
 */
export function validateParameterGroupName(name: string | undefined, ctx: RuleContext, property = 'parameterGroupName'): Violation[] {
  if (!isKnown(ctx, name) || isDefaultGroupName(name)) return [];
  const out: Violation[] = [];
  if (name !== name.toLowerCase()) {
    out.push(
      violation('N4', 'parameter group names are stored lower-case', property, `'${name}' has upper-case letters; ElastiCache stores it as '${name.toLowerCase()}'`, `write the name as '${name.toLowerCase()}'`, 'warning'),
    );
  }
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) {
    out.push(
      violation('N4', 'parameter group name format', property, `'${name}' is not a letter followed by letters, digits and hyphens`, 'use a name such as my-params-1', 'warning'),
    );
  }
  return out;
}

/**
 * The candidate closest to `name` by edit distance, if it is close enough to be a plausible
 * typo (at most a third of the name's length, and at least 2 edits allowed).
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
