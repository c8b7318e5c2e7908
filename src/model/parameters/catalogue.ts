import { PARAMETER_GROUP_FAMILIES } from '../engine-versions';
import { FamilyLayer } from './builders';
import { ParameterDefinition, RetiredParameter } from './definition';
import { REDIS_2_6_13, REDIS_2_8_22, REDIS_2_8_23, REDIS_2_8_6, REDIS_3_2_4, REDIS_4_0_10, REDIS_5_0_0, REDIS_5_0_3, REDIS_6_X, REDIS_7 } from './redis-layers';
import { VALKEY_8_0, VALKEY_8_1, VALKEY_8_2, VALKEY_9_0 } from './valkey-layers';

/**
 * Each family is its base family plus the releases it covers, in order. Families before
 * redis4.0 are only stepping stones: ElastiCache no longer creates clusters on them.
 */
const FAMILY_TREE: Record<string, { readonly base?: string; readonly layers: readonly FamilyLayer[] }> = {
  'redis2.6': { layers: [REDIS_2_6_13] },
  'redis2.8': { base: 'redis2.6', layers: [REDIS_2_8_6, REDIS_2_8_22, REDIS_2_8_23] },
  'redis3.2': { base: 'redis2.8', layers: [REDIS_3_2_4] },
  'redis4.0': { base: 'redis3.2', layers: [REDIS_4_0_10] },
  'redis5.0': { base: 'redis4.0', layers: [REDIS_5_0_0, REDIS_5_0_3] },
  'redis6.x': { base: 'redis5.0', layers: [REDIS_6_X] },
  'redis7': { base: 'redis6.x', layers: [REDIS_7] },
  'valkey7': { base: 'redis7', layers: [] },
  'valkey8': { base: 'valkey7', layers: [VALKEY_8_0, VALKEY_8_1, VALKEY_8_2] },
  'valkey9': { base: 'valkey8', layers: [VALKEY_9_0] },
};

interface BuiltFamily {
  readonly parameters: ReadonlyMap<string, ParameterDefinition>;
  readonly retired: ReadonlyMap<string, RetiredParameter>;
}

const built = new Map<string, BuiltFamily>();

function build(family: string): BuiltFamily {
  const cached = built.get(family);
  if (cached) return cached;
  const node = FAMILY_TREE[family];
  if (!node) throw new Error(`no parameter catalogue for family '${family}'`);
  const parent = node.base ? build(node.base) : undefined;
  const parameters = new Map<string, ParameterDefinition>(parent?.parameters ?? []);
  const retired = new Map<string, RetiredParameter>(parent?.retired ?? []);
  const put = (def: ParameterDefinition) => {
    parameters.set(def.name, def);
    retired.delete(def.name);
  };
  const retire = (name: string, retiredIn: string, replacement?: string) => {
    if (!parameters.delete(name)) throw new Error(`catalogue error: ${retiredIn} retires '${name}', which ${family} does not have`);
    retired.set(name, { name, retiredIn, ...(replacement ? { replacement } : {}) });
  };
  for (const layer of node.layers) {
    for (const def of layer.add ?? []) put(def);
    for (const change of layer.change ?? []) {
      const current = parameters.get(change.name);
      if (!current) throw new Error(`catalogue error: ${layer.release} changes '${change.name}', which ${family} does not have`);
      parameters.set(change.name, { ...current, ...change });
    }
    for (const { from, to } of layer.rename ?? []) {
      retire(from, layer.release, to.name);
      put(to);
    }
    for (const { name, replacement } of layer.remove ?? []) retire(name, layer.release, replacement);
  }
  const result: BuiltFamily = { parameters, retired };
  built.set(family, result);
  return result;
}

/** True when the catalogue knows the family (one of `PARAMETER_GROUP_FAMILIES`). */
export function isKnownFamily(family: string): boolean {
  return PARAMETER_GROUP_FAMILIES.includes(family);
}

/**
 * Every parameter of a family, by name; undefined for a family the catalogue does not know.
 * The deploy handler configures nodes from this.
 */
export function familyParameters(family: string): ReadonlyMap<string, ParameterDefinition> | undefined {
  return isKnownFamily(family) ? build(family).parameters : undefined;
}

/** The definition of one parameter in a family; undefined when the family or the name is unknown. */
export function parameterDefinition(family: string, name: string): ParameterDefinition | undefined {
  return familyParameters(family)?.get(name);
}

/** A parameter the family used to have (removed or renamed in an earlier release), if it is one. */
export function retiredParameter(family: string, name: string): RetiredParameter | undefined {
  return isKnownFamily(family) ? build(family).retired.get(name) : undefined;
}

/**
 * The values of a new group of the family, as ElastiCache's default group would have them:
 * `default.<family>` or, with `clusterEnabled`, `default.<family>.cluster.on`. Parameters whose
 * default depends on the node type (`maxmemory`, replica output buffer limits) are left out.
 */
export function familyDefaults(family: string, clusterEnabled = false): Record<string, string> | undefined {
  const params = familyParameters(family);
  if (!params) return undefined;
  const out: Record<string, string> = {};
  for (const def of params.values()) {
    if (def.default !== undefined) out[def.name] = def.default;
  }
  out['cluster-enabled'] = clusterEnabled ? 'yes' : 'no';
  return out;
}

/** What a default group's name says: `default.valkey8.cluster.on` → valkey8, cluster mode on. */
export interface DefaultGroupName {
  readonly family: string;
  readonly clusterEnabled: boolean;
}

const CLUSTER_ON_SUFFIX = '.cluster.on';

/**
 * Parses the name of one of ElastiCache's default parameter groups (`default.<family>` or
 * `default.<family>.cluster.on`); undefined for any other name. The family may be one the
 * catalogue does not know (e.g. `default.memcached1.6`).
 */
export function parseDefaultGroupName(name: string): DefaultGroupName | undefined {
  if (!name.startsWith('default.')) return undefined;
  let rest = name.slice('default.'.length);
  const clusterEnabled = rest.endsWith(CLUSTER_ON_SUFFIX);
  if (clusterEnabled) rest = rest.slice(0, -CLUSTER_ON_SUFFIX.length);
  if (!/^[a-z]+\d+(\.[0-9x]+)?$/.test(rest)) return undefined;
  return { family: rest, clusterEnabled };
}

/** The name of ElastiCache's default group for a family and cluster mode. */
export function defaultGroupName(family: string, clusterEnabled: boolean): string {
  return `default.${family}${clusterEnabled ? CLUSTER_ON_SUFFIX : ''}`;
}

/** True for the names of ElastiCache's default groups, which nobody can modify (rule E5). */
export function isDefaultGroupName(name: string): boolean {
  return name.startsWith('default.');
}

/**
 * The `cluster-enabled` value of a group, as far as it can be told:
 * - from a group name: `true` / `false` for ElastiCache's default groups, undefined for custom ones;
 * - from a group's parameters: `true` for `yes`, `false` for `no` or when absent (a new group
 *   starts with `no`), undefined when the value is neither.
 */
export function clusterEnabledOf(groupNameOrParameters: string | Readonly<Record<string, string>>): boolean | undefined {
  if (typeof groupNameOrParameters === 'string') {
    return parseDefaultGroupName(groupNameOrParameters)?.clusterEnabled;
  }
  const value = groupNameOrParameters['cluster-enabled'];
  if (value === undefined || value === 'no') return false;
  if (value === 'yes') return true;
  return undefined;
}
