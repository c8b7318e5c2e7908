import { familyParameters, isKnownFamily, parseDefaultGroupName } from '#model/parameters/catalogue';
import { ParameterDefinition } from '#model/parameters/definition';
import { ApiError, notFound } from './errors';
import { ApiParameter } from './shapes';
import { DeployedState } from '../plan/types';

/** First engine version of each family (MinimumEngineVersion of its parameters). */
const FAMILY_FIRST_VERSION: Record<string, string> = {
  'redis2.6': '2.6.13',
  'redis2.8': '2.8.6',
  'redis3.2': '3.2.4',
  'redis4.0': '4.0.10',
  'redis5.0': '5.0.0',
  'redis6.x': '6.0.0',
  'redis7': '7.0.0',
  'valkey7': '7.2.4',
  'valkey8': '8.0.0',
  'valkey9': '9.0.0',
};

function allowedValues(def: ParameterDefinition): string | undefined {
  if (def.allowedValues) return def.allowedValues.join(',');
  if (def.type === 'integer') return `${def.min ?? 0}-${def.max ?? ''}`;
  return undefined;
}

function apiParameter(family: string, def: ParameterDefinition, value: string | undefined, source: ApiParameter['Source']): ApiParameter {
  const allowed = allowedValues(def);
  return {
    ParameterName: def.name,
    ...(value !== undefined ? { ParameterValue: value } : {}),
    Description: def.description,
    Source: source,
    DataType: def.type === 'integer' ? 'integer' : 'string',
    ...(allowed !== undefined ? { AllowedValues: allowed } : {}),
    IsModifiable: def.modifiable,
    MinimumEngineVersion: def.since ? `${def.since}.0` : FAMILY_FIRST_VERSION[family] ?? '',
    ChangeType: def.applies === 'immediately' ? 'immediate' : 'requires-reboot',
  };
}

/**
 * DescribeCacheParameters of a deployed custom group or one of ElastiCache's default groups
 * (`default.valkey8`, `default.valkey8.cluster.on`): every parameter of the family, the group's
 * own values marked `user`. `source` filters like the API's --source (user, system, engine-default).
 */
export function describeCacheParameters(
  state: DeployedState,
  options: { cacheParameterGroupName: string; source?: string },
): { Parameters: ApiParameter[]; CacheNodeTypeSpecificParameters: unknown[] } {
  const name = options.cacheParameterGroupName;
  const custom = state.parameterGroups[name];
  const parsed = custom ? undefined : parseDefaultGroupName(name);
  const family = custom?.family ?? parsed?.family;
  if (family === undefined || !isKnownFamily(family)) throw notFound.cacheParameterGroup(name);
  if (options.source !== undefined && !['user', 'system', 'engine-default'].includes(options.source)) {
    throw new ApiError('InvalidParameterValue', `Invalid source: ${options.source}. Valid values: user, system, engine-default`);
  }
  const set: Record<string, string> = custom ? custom.parameters : { 'cluster-enabled': parsed!.clusterEnabled ? 'yes' : 'no' };
  const out: ApiParameter[] = [];
  for (const def of [...familyParameters(family)!.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const user = custom !== undefined && set[def.name] !== undefined;
    const value = set[def.name] ?? def.default;
    // cluster-enabled is fixed by the group's kind; every other unset value is the engine's default.
    const source: ApiParameter['Source'] = user ? 'user' : def.name === 'cluster-enabled' ? 'system' : 'engine-default';
    if (options.source !== undefined && options.source !== source) continue;
    out.push(apiParameter(family, def, value, source));
  }
  return { Parameters: out, CacheNodeTypeSpecificParameters: [] };
}
