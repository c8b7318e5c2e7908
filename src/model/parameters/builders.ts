import { ParameterApplies, ParameterDefinition, ParameterFormat } from './definition';

/** Optional traits of a parameter; everything not given takes the common case. */
export interface ParameterTraits {
  readonly min?: number;
  readonly max?: number;
  /** Default true. */
  readonly modifiable?: boolean;
  /** Default `immediately`. */
  readonly applies?: ParameterApplies;
  /** Default false. */
  readonly clusterMode?: boolean;
  readonly since?: string;
  readonly nodeTypeSpecific?: boolean;
  readonly format?: ParameterFormat;
}

function make(
  base: Pick<ParameterDefinition, 'name' | 'type' | 'default' | 'description' | 'allowedValues'>,
  traits: ParameterTraits,
): ParameterDefinition {
  const def: ParameterDefinition = {
    ...base,
    modifiable: traits.modifiable ?? true,
    applies: traits.applies ?? 'immediately',
    clusterMode: traits.clusterMode ?? false,
    ...(traits.min !== undefined ? { min: traits.min } : {}),
    ...(traits.max !== undefined ? { max: traits.max } : {}),
    ...(traits.since !== undefined ? { since: traits.since } : {}),
    ...(traits.nodeTypeSpecific ? { nodeTypeSpecific: true } : {}),
    ...(traits.format !== undefined ? { format: traits.format } : {}),
  };
  return def;
}

/** An integer parameter. */
export function integer(
  name: string,
  defaultValue: string | undefined,
  description: string,
  traits: ParameterTraits = {},
): ParameterDefinition {
  return make({ name, type: 'integer', default: defaultValue, description }, traits);
}

/** A `yes` / `no` parameter. */
export function yesNo(name: string, defaultValue: 'yes' | 'no', description: string, traits: ParameterTraits = {}): ParameterDefinition {
  const allowedValues = ['yes', 'no'];
  return make({ name, type: 'boolean', allowedValues, default: defaultValue, description }, traits);
}

/** A parameter with a fixed list of values. */
export function oneOf(
  name: string,
  values: readonly string[],
  defaultValue: string,
  description: string,
  traits: ParameterTraits = {},
): ParameterDefinition {
  return make({ name, type: 'enum', allowedValues: [...values], default: defaultValue, description }, traits);
}

/** A free-form (or `format`-checked) string parameter. */
export function text(name: string, defaultValue: string, description: string, traits: ParameterTraits = {}): ParameterDefinition {
  return make({ name, type: 'string', default: defaultValue, description }, traits);
}

/** A change to an existing parameter: only the given fields change. */
export type ParameterChange = { readonly name: string } & Partial<Omit<ParameterDefinition, 'name'>>;

/** What one engine release changed in the parameters of its family. */
export interface FamilyLayer {
  /** The release, e.g. `Redis OSS 4.0.10`. */
  readonly release: string;
  readonly add?: readonly ParameterDefinition[];
  readonly change?: readonly ParameterChange[];
  /** Parameters dropped in this release, with the one to use instead if any. */
  readonly remove?: ReadonlyArray<{ readonly name: string; readonly replacement?: string }>;
  /** Parameters renamed in this release: the old name goes, `to` comes with its full definition. */
  readonly rename?: ReadonlyArray<{ readonly from: string; readonly to: ParameterDefinition }>;
}
