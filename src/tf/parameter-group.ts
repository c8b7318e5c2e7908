import { TerraformResource } from 'cdktn';
import { Construct, IConstruct } from 'constructs';
import { ResourceOptions } from './resource-options';
import { ClusterMode } from '../cluster-mode';
import { Engine } from '../engine';
import {
  defaultParameterGroupDescription,
  ImportedParameterGroupFacts,
  importedParameterValueOf,
  importParameterGroup,
  validateParameterGroupName,
} from '../model/parameters';
import { ParameterGroupValues } from '../private/parameter-group-values';
import { AwsResource } from './private/aws-resource';
import { nameFromPath } from './private/names';
import { reportTf, TF_CONTEXT } from './private/report';

/** A cache parameter group of the Terraform face: a default group, one created here, or one imported by name. */
export interface IParameterGroup extends IConstruct {
  /** The name of the parameter group, e.g. `default.valkey8.cluster.on`. */
  readonly parameterGroupName: string;
  /** The family, e.g. `valkey8`; undefined if unknown (an imported custom group). */
  readonly family?: string;
  /** Whether the group has `cluster-enabled yes`; undefined if unknown. */
  readonly clusterEnabled?: boolean;
  /**
   * The value of a parameter in this group (set, else the family's default); undefined when not known.
   * @param name the parameter name, e.g. `maxmemory-policy`
   */
  parameterValue(name: string): string | undefined;
}

/** Properties of a Terraform {@link ParameterGroup}. Give exactly one of `engine` and `family`. */
export interface ParameterGroupProps extends ResourceOptions {
  /**
   * The engine the group is for; the family is derived from its version.
   * @default - `family` must be given
   */
  readonly engine?: Engine;
  /**
   * The parameter group family, e.g. `valkey8`.
   * @default - derived from `engine`
   */
  readonly family?: string;
  /**
   * The cluster mode of the replication groups that will use this group (`ENABLED` and `COMPATIBLE` set `cluster-enabled yes`).
   * @default ClusterMode.DISABLED
   */
  readonly clusterMode?: ClusterMode;
  /**
   * Parameter values by name, checked against the family's parameters at synth.
   * @default - the family's defaults
   */
  readonly parameters?: { [name: string]: string };
  /**
   * A description of the group.
   * @default - a description naming the family and the cluster mode
   */
  readonly description?: string;
  /**
   * The name of the group (Terraform needs one; stored lower-case).
   * @default - a unique name derived from the construct path
   */
  readonly parameterGroupName?: string;
}

/** `aws_elasticache_parameter_group` arguments, as the AWS provider spells them. */
interface AwsElasticacheParameterGroupArgs {
  readonly name: string;
  readonly family: string;
  readonly description: string;
  readonly parameter?: Array<{ readonly name: string; readonly value: string }>;
  readonly region?: string;
  readonly tags?: Record<string, string>;
}

/** Longest parameter group name ElastiCache takes. */
const MAX_PARAMETER_GROUP_NAME_LENGTH = 255;

/**
 * An ElastiCache parameter group for Valkey or Redis OSS (`aws_elasticache_parameter_group`), checked
 * at synth against the family's catalogue exactly like the CloudFormation `ParameterGroup`.
 *
 * @example
 * new tf.ParameterGroup(this, 'Parameters', {
 *   engine: Engine.VALKEY_8_1,
 *   clusterMode: ClusterMode.ENABLED,
 *   parameters: { 'maxmemory-policy': 'allkeys-lru' },
 * });
 */
export class ParameterGroup extends Construct implements IParameterGroup {
  /**
   * Imports a parameter group by name; family and cluster mode are inferred for ElastiCache's default groups.
   * @param scope the parent construct
   * @param id the construct id
   * @param parameterGroupName the group's name, e.g. `default.valkey8.cluster.on`
   */
  public static fromParameterGroupName(scope: Construct, id: string, parameterGroupName: string): IParameterGroup {
    return new ImportedParameterGroup(scope, id, parameterGroupName);
  }

  /** The name of the group (a reference, so users of it depend on it). */
  public readonly parameterGroupName: string;
  /** The ARN of the group. */
  public readonly parameterGroupArn: string;
  /** The family, e.g. `valkey8`. */
  public readonly family?: string;
  /** Whether the group has `cluster-enabled yes`. */
  public readonly clusterEnabled?: boolean;
  /** The cluster mode the group was made for. */
  public readonly clusterMode: ClusterMode;
  /** The `aws_elasticache_parameter_group` resource. */
  public readonly resource: TerraformResource;
  private readonly values: ParameterGroupValues;

  constructor(scope: Construct, id: string, props: ParameterGroupProps = {}) {
    super(scope, id);
    const nameProblems = validateParameterGroupName(props.parameterGroupName, TF_CONTEXT, 'parameterGroupName');
    this.values = new ParameterGroupValues(props, TF_CONTEXT, (problems) => reportTf(this, 'ParameterGroup', problems), nameProblems);
    const family = this.values.family;
    this.family = family;
    this.clusterMode = this.values.clusterMode;
    this.clusterEnabled = this.values.clusterEnabled;

    const name = props.parameterGroupName ?? nameFromPath(this, MAX_PARAMETER_GROUP_NAME_LENGTH, 'parameters');
    const description = props.description ?? defaultParameterGroupDescription(family, this.clusterMode, TF_CONTEXT);
    this.resource = new AwsResource(this, 'Resource', 'aws_elasticache_parameter_group', (): AwsElasticacheParameterGroupArgs => {
      const values = this.values.properties();
      const parameter = Object.entries(values).map(([n, value]) => ({ name: n, value }));
      return {
        name: TF_CONTEXT.isUnresolved(name) ? name : name.toLowerCase(),
        family,
        description,
        parameter: parameter.length > 0 ? parameter : undefined,
        region: props.region,
        tags: props.tags,
      };
    }, props.provider);
    this.parameterGroupName = this.resource.getStringAttribute('name');
    this.parameterGroupArn = this.resource.getStringAttribute('arn');
  }

  /**
   * Sets a parameter, checked like the `parameters` prop; a later value replaces an earlier one.
   * @param name the parameter name, e.g. `maxmemory-policy`
   * @param value the value as ElastiCache takes it
   */
  public addParameter(name: string, value: string): void {
    this.values.add(name, value);
  }

  /**
   * The value of a parameter in this group: the value set, else the family's default.
   * @param name the parameter name
   */
  public parameterValue(name: string): string | undefined {
    return this.values.valueOf(name);
  }
}

class ImportedParameterGroup extends Construct implements IParameterGroup {
  public readonly parameterGroupName: string;
  public readonly family?: string;
  public readonly clusterEnabled?: boolean;
  private readonly facts: ImportedParameterGroupFacts;

  constructor(scope: Construct, id: string, name: string) {
    super(scope, id);
    this.facts = importParameterGroup(name, {}, TF_CONTEXT);
    reportTf(this, 'ParameterGroup', this.facts.problems);
    this.parameterGroupName = name;
    this.family = this.facts.family;
    this.clusterEnabled = this.facts.clusterEnabled;
  }

  public parameterValue(name: string): string | undefined {
    return importedParameterValueOf(this.facts, name);
  }
}
