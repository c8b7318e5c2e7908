import { IResource, Lazy, RemovalPolicy, Resource } from 'aws-cdk-lib';
import { CfnParameterGroup } from 'aws-cdk-lib/aws-elasticache';
import { aws_elasticache as elasticacheRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { ClusterMode } from './cluster-mode';
import { Engine } from './engine';
import {
  defaultParameterGroupDescription,
  ImportedParameterGroupFacts,
  importedParameterValueOf,
  importParameterGroup,
} from './model/parameters';
import { ParameterGroupValues } from './private/parameter-group-values';
import { CDK_CONTEXT, report } from './private/report';

/**
 * A cache parameter group for Valkey or Redis OSS: one of ElastiCache's default groups, a group
 * created by this app, or one imported by name.
 */
export interface IParameterGroup extends IResource, elasticacheRefs.IParameterGroupRef {
  /**
   * The name of the parameter group, e.g. `default.valkey8.cluster.on`.
   *
   * @attribute
   */
  readonly parameterGroupName: string;

  /**
   * The parameter group family, e.g. `valkey8`; undefined if unknown (an imported custom group).
   */
  readonly family?: string;

  /**
   * Whether the group has `cluster-enabled yes` (for cluster mode enabled or compatible
   * replication groups); undefined if unknown (an imported custom group).
   */
  readonly clusterEnabled?: boolean;

  /**
   * The value of a parameter in this group: the value set in the group, else the family's
   * default; undefined when it is not known (imported custom groups, node-type dependent values).
   *
   * @param name the parameter name, e.g. `maxmemory-policy`
   */
  parameterValue(name: string): string | undefined;
}

/**
 * Properties of a `ParameterGroup`. Give exactly one of `engine` and `family`.
 */
export interface ParameterGroupProps {
  /**
   * The engine the group is for; the family is derived from its version
   * (e.g. Valkey 8.1 → `valkey8`).
   *
   * @default - `family` must be given
   */
  readonly engine?: Engine;

  /**
   * The parameter group family, e.g. `valkey8`, `valkey7`, `redis7`, `redis6.x`.
   *
   * @default - derived from `engine`
   */
  readonly family?: string;

  /**
   * The cluster mode of the replication groups that will use this group.
   * `ENABLED` and `COMPATIBLE` both set `cluster-enabled` to `yes`: ElastiCache moves a group to
   * the compatible mode with a parameter group that already has cluster mode on.
   *
   * @default ClusterMode.DISABLED - `cluster-enabled` stays `no`
   */
  readonly clusterMode?: ClusterMode;

  /**
   * Parameter values, by name (e.g. `{ 'maxmemory-policy': 'allkeys-lru' }`). Every name and
   * value is checked against the family's parameters at synth time. `cluster-enabled` is set
   * through `clusterMode`, not here.
   *
   * @default - the family's defaults
   */
  readonly parameters?: { [name: string]: string };

  /**
   * A description of the group.
   *
   * @default - a description naming the family and the cluster mode
   */
  readonly description?: string;

  /**
   * What happens to the group when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes to import an existing parameter group.
 */
export interface ParameterGroupAttributes {
  /**
   * The name of the parameter group.
   */
  readonly parameterGroupName: string;

  /**
   * The family of the group, e.g. `valkey8`.
   *
   * @default - inferred from ElastiCache's default group names, else unknown
   */
  readonly family?: string;

  /**
   * Whether the group has `cluster-enabled yes`.
   *
   * @default - inferred from ElastiCache's default group names, else unknown
   */
  readonly clusterEnabled?: boolean;
}

/**
 * An ElastiCache parameter group for Valkey or Redis OSS (`AWS::ElastiCache::ParameterGroup`).
 *
 * Parameters are checked at synth time against the catalogue of the family: unknown names
 * (with a suggestion), values of the wrong type or out of range, and parameters ElastiCache does
 * not let custom groups change all fail with the construct path, the rule and the fix.
 *
 * CloudFormation gives parameter groups no name property: the name is generated.
 *
 * @example
 * new ParameterGroup(this, 'Parameters', {
 *   engine: Engine.VALKEY_8_1,
 *   clusterMode: ClusterMode.ENABLED,
 *   parameters: { 'maxmemory-policy': 'allkeys-lru' },
 * });
 *
 * @resource AWS::ElastiCache::ParameterGroup
 */
export class ParameterGroup extends Resource implements IParameterGroup {
  /**
   * Imports a parameter group by name. For ElastiCache's default groups
   * (`default.<family>` and `default.<family>.cluster.on`) the family and cluster mode are
   * inferred from the name; for other names they stay unknown.
   *
   * @param scope the parent construct
   * @param id the construct id
   * @param parameterGroupName the group's name, e.g. `default.valkey8.cluster.on`
   */
  public static fromParameterGroupName(scope: Construct, id: string, parameterGroupName: string): IParameterGroup {
    return ParameterGroup.fromParameterGroupAttributes(scope, id, { parameterGroupName });
  }

  /**
   * Imports a parameter group from its attributes. What is not given is inferred from
   * ElastiCache's default group names, or stays unknown.
   *
   * @param scope the parent construct
   * @param id the construct id
   * @param attrs the group's name and what is known about it
   */
  public static fromParameterGroupAttributes(scope: Construct, id: string, attrs: ParameterGroupAttributes): IParameterGroup {
    return new ImportedParameterGroup(scope, id, attrs);
  }

  /** @attribute */
  public readonly parameterGroupName: string;

  /**
   * The parameter group family, e.g. `valkey8` (always set for a group created here).
   */
  public readonly family?: string;

  /**
   * Whether the group has `cluster-enabled yes` (always set for a group created here).
   */
  public readonly clusterEnabled?: boolean;

  /**
   * The cluster mode the group was made for.
   */
  public readonly clusterMode: ClusterMode;

  private readonly resource: CfnParameterGroup;
  private readonly values: ParameterGroupValues;

  constructor(scope: Construct, id: string, props: ParameterGroupProps = {}) {
    super(scope, id);

    this.values = new ParameterGroupValues(props, CDK_CONTEXT, (problems) => report(this, 'ParameterGroup', problems));
    const family = this.values.family;
    this.family = family;
    this.clusterMode = this.values.clusterMode;
    this.clusterEnabled = this.values.clusterEnabled;

    this.resource = new CfnParameterGroup(this, 'Resource', {
      cacheParameterGroupFamily: family,
      description: props.description ?? defaultParameterGroupDescription(family, this.clusterMode, CDK_CONTEXT),
      properties: Lazy.any({ produce: () => this.renderProperties() }),
    });
    this.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);
    this.parameterGroupName = this.resource.ref;
  }

  /**
   * A reference to this parameter group for aws-cdk-lib's L1 constructs.
   */
  public get parameterGroupRef(): elasticacheRefs.ParameterGroupReference {
    return { cacheParameterGroupName: this.parameterGroupName };
  }

  /**
   * Sets a parameter, checked like the `parameters` prop; a later value replaces an earlier one.
   *
   * @param name the parameter name, e.g. `maxmemory-policy`
   * @param value the value as ElastiCache takes it, e.g. `allkeys-lru`
   */
  public addParameter(name: string, value: string): void {
    this.values.add(name, value);
  }

  /**
   * The value of a parameter in this group: the value set, else the family's default
   * (`cluster-enabled` follows the cluster mode); undefined for parameters whose default depends
   * on the node type, unknown names, or a family given as a token.
   *
   * @param name the parameter name, e.g. `maxmemory-policy`
   */
  public parameterValue(name: string): string | undefined {
    return this.values.valueOf(name);
  }

  private renderProperties(): { [name: string]: string } | undefined {
    const props = this.values.properties();
    return Object.keys(props).length > 0 ? props : undefined;
  }
}

/** An existing parameter group, by name. */
class ImportedParameterGroup extends Resource implements IParameterGroup {
  public readonly parameterGroupName: string;
  public readonly family?: string;
  public readonly clusterEnabled?: boolean;
  private readonly facts: ImportedParameterGroupFacts;

  constructor(scope: Construct, id: string, attrs: ParameterGroupAttributes) {
    super(scope, id);
    this.facts = importParameterGroup(attrs.parameterGroupName, attrs, CDK_CONTEXT);
    report(this, 'ParameterGroup', this.facts.problems);
    this.parameterGroupName = attrs.parameterGroupName;
    this.family = this.facts.family;
    this.clusterEnabled = this.facts.clusterEnabled;
  }

  public get parameterGroupRef(): elasticacheRefs.ParameterGroupReference {
    return { cacheParameterGroupName: this.parameterGroupName };
  }

  public parameterValue(name: string): string | undefined {
    return importedParameterValueOf(this.facts, name);
  }
}
