/**
 * The shape of one entry of the parameter catalogue. Plain data: the CDK and CDK Terrain
 * constructs validate with it, the deploy handler configures nodes from it.
 */

/**
 * How a value is written. ElastiCache takes every value as a string; `boolean` means the
 * strings `yes` / `no`, `enum` a fixed list of strings.
 */
export type ParameterType = 'string' | 'integer' | 'boolean' | 'enum';

/**
 * When a change to the parameter reaches the nodes.
 * - `immediately`: applied to running nodes right away.
 * - `at-creation`: can only be set while no cluster uses the group (set it when the group is created).
 */
export type ParameterApplies = 'immediately' | 'at-creation';

/** Extra syntax checks for string parameters whose value has an inner structure. */
export type ParameterFormat = 'keyspace-events' | 'rename-commands' | 'idle-timeout';

export interface ParameterDefinition {
  /** Parameter name as ElastiCache spells it, e.g. `maxmemory-policy`. */
  readonly name: string;
  readonly type: ParameterType;
  /** For `boolean` (`yes`, `no`) and `enum`: every value ElastiCache accepts. */
  readonly allowedValues?: readonly string[];
  /** For `integer`: smallest accepted value, when the service documents one. */
  readonly min?: number;
  /** For `integer`: largest accepted value, when the service documents one. */
  readonly max?: number;
  /** Value in a new group of this family; undefined when it depends on the node type. */
  readonly default?: string;
  /** False when ElastiCache keeps the value to itself (custom groups cannot change it). */
  readonly modifiable: boolean;
  /** When a change takes effect. */
  readonly applies: ParameterApplies;
  /** True for parameters that only matter (or are decided) by cluster mode. */
  readonly clusterMode: boolean;
  /**
   * First engine version of the family that reads the parameter, when that is later than the
   * family's first version (`6.2` in `redis6.x`, `8.1` / `8.2` in `valkey8`).
   */
  readonly since?: string;
  /** True when the real default differs per node type (see `default`). */
  readonly nodeTypeSpecific?: boolean;
  /** Extra syntax check for structured string values. */
  readonly format?: ParameterFormat;
  /** What the parameter does, in a sentence. */
  readonly description: string;
}

/** A parameter that existed in an earlier family and is gone (removed or renamed). */
export interface RetiredParameter {
  readonly name: string;
  /** The engine release that dropped or renamed it, e.g. `Redis OSS 7`. */
  readonly retiredIn: string;
  /** The parameter to use instead, if there is one. */
  readonly replacement?: string;
}
