import { familyDefaults, isKnownFamily, parseDefaultGroupName, defaultGroupName } from './catalogue';
import {
  validateClusterModeParameters,
  validateFamily,
  validateParameterGroupName,
  validateParameters,
  validateParametersForEngineVersion,
} from './rules';
import { parameterGroupFamily, validateEngineVersion } from '../engine-versions';
import { RuleContext, violation, Violation } from '../violation';

/**
 * A parameter group as the constructs of every face declare it: its family (from an engine or
 * given), its cluster mode and its values. The faces only render what these functions decide.
 */

/** What a new parameter group is made from. Give exactly one of `engine` and `family`. */
export interface ParameterGroupDeclaration {
  readonly engine?: { readonly engineName: string; readonly engineVersion: string };
  readonly family?: string;
}

/** The family a declaration names, and what is wrong with the choice. */
export interface ResolvedFamily {
  /** The family, or `unknown` when it cannot be told. */
  readonly family: string;
  readonly problems: Violation[];
}

/** E4 and the engine-version rules: which family a new parameter group is of. */
export function resolveParameterGroupFamily(decl: ParameterGroupDeclaration, ctx: RuleContext): ResolvedFamily {
  if (decl.engine && decl.family !== undefined) {
    return { family: decl.family, problems: [familyChoiceViolation('both engine and family are given')] };
  }
  if (decl.engine) {
    const problems = validateEngineVersion(decl.engine.engineName, decl.engine.engineVersion, 'engine');
    const family = problems.some((v) => v.severity === 'error')
      ? 'unknown'
      : parameterGroupFamily(decl.engine.engineName as 'valkey' | 'redis', decl.engine.engineVersion);
    return { family, problems };
  }
  if (decl.family !== undefined) {
    return { family: decl.family, problems: validateFamily(decl.family, ctx, 'family') };
  }
  return { family: 'unknown', problems: [familyChoiceViolation('neither engine nor family is given')] };
}

/** The parameter rules (names, values, cluster mode, engine version) for values set in a group. */
export function validateParameterGroupValues(
  family: string,
  clusterEnabled: boolean,
  engineVersion: string | undefined,
  parameters: Record<string, string>,
  ctx: RuleContext,
): Violation[] {
  return [
    ...validateParameters(family, parameters, ctx, 'parameters'),
    ...validateClusterModeParameters(family, clusterEnabled, parameters, ctx, 'parameters'),
    ...validateParametersForEngineVersion(family, engineVersion, parameters, ctx, 'parameters'),
  ];
}

/**
 * The value of a parameter in a group created by the app: the value set, else the family's default
 * (`cluster-enabled` follows the cluster mode); undefined when not known.
 */
export function parameterValueOf(
  family: string,
  clusterEnabled: boolean,
  values: Readonly<Record<string, string>>,
  name: string,
  ctx: RuleContext,
): string | undefined {
  if (name === 'cluster-enabled') return yesNo(clusterEnabled);
  if (Object.prototype.hasOwnProperty.call(values, name)) return values[name];
  if (ctx.isUnresolved(family) || !isKnownFamily(family)) return undefined;
  return familyDefaults(family, clusterEnabled)?.[name];
}

/** The parameters a new group is created with: `cluster-enabled yes` for cluster mode, then the values set. */
export function parameterGroupProperties(clusterEnabled: boolean, values: Readonly<Record<string, string>>): Record<string, string> {
  return { ...(clusterEnabled ? { 'cluster-enabled': 'yes' } : {}), ...values };
}

/** The description of a new group when none is given. */
export function defaultParameterGroupDescription(family: string, clusterMode: string, ctx: RuleContext): string {
  const shownFamily = ctx.isUnresolved(family) ? 'a custom family' : family;
  const mode = clusterMode === 'disabled' ? 'cluster mode disabled' : `cluster mode ${clusterMode} (cluster-enabled yes)`;
  return `Parameters for ${shownFamily}, ${mode}`;
}

/** What is known of an existing group imported by name. */
export interface ImportedParameterGroupFacts {
  readonly family?: string;
  readonly clusterEnabled?: boolean;
  /** True for ElastiCache's default groups, whose values are the family's defaults. */
  readonly isDefaultGroup: boolean;
  readonly problems: Violation[];
}

/** N4, E4, T9: an imported group's name against the family and cluster mode the app states. */
export function importParameterGroup(
  name: string,
  attrs: { readonly family?: string; readonly clusterEnabled?: boolean },
  ctx: RuleContext,
): ImportedParameterGroupFacts {
  const parsed = ctx.isUnresolved(name) ? undefined : parseDefaultGroupName(name);
  const problems: Violation[] = [...validateParameterGroupName(name, ctx, 'parameterGroupName')];
  if (parsed && attrs.family !== undefined && !ctx.isUnresolved(attrs.family) && attrs.family !== parsed.family) {
    problems.push(
      violation(
        'E4',
        "a default group's name tells its family",
        'family',
        `'${name}' is a group of family ${parsed.family}, but family is '${attrs.family}'`,
        `leave family out, or import '${defaultGroupName(attrs.family, parsed.clusterEnabled)}'`,
      ),
    );
  }
  if (parsed && attrs.clusterEnabled !== undefined && attrs.clusterEnabled !== parsed.clusterEnabled) {
    problems.push(
      violation(
        'T9',
        "a default group's name tells its cluster mode",
        'clusterEnabled',
        `'${name}' has cluster-enabled ${yesNo(parsed.clusterEnabled)}, but clusterEnabled is ${attrs.clusterEnabled}`,
        `leave clusterEnabled out, or import '${defaultGroupName(parsed.family, attrs.clusterEnabled)}'`,
      ),
    );
  }
  return {
    family: attrs.family ?? parsed?.family,
    clusterEnabled: attrs.clusterEnabled ?? parsed?.clusterEnabled,
    isDefaultGroup: parsed !== undefined,
    problems,
  };
}

/** The value of a parameter in an imported group: only default groups are known to hold the family's defaults. */
export function importedParameterValueOf(facts: ImportedParameterGroupFacts, name: string): string | undefined {
  if (name === 'cluster-enabled') return facts.clusterEnabled === undefined ? undefined : yesNo(facts.clusterEnabled);
  if (!facts.isDefaultGroup || facts.family === undefined) return undefined;
  return familyDefaults(facts.family, facts.clusterEnabled)?.[name];
}

function familyChoiceViolation(what: string): Violation {
  return violation(
    'E4',
    'parameter group needs an engine or a family',
    'engine',
    `${what}; a parameter group needs exactly one`,
    "give engine (e.g. Engine.VALKEY_8_1) or family (e.g. 'valkey8'), not both",
  );
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
