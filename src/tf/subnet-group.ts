import { TerraformResource } from 'cdktn';
import { Construct, IConstruct } from 'constructs';
import { ResourceOptions } from './resource-options';
import { MAX_SUBNET_GROUP_NAME_LENGTH } from '../model/names';
import { validateSubnetGroup } from '../model/subnet-group';
import { AwsResource } from './private/aws-resource';
import { nameFromPath } from './private/names';
import { reportTf, TF_CONTEXT } from './private/report';

/** A cache subnet group of the Terraform face. */
export interface ISubnetGroup extends IConstruct {
  /** The name of the subnet group. */
  readonly subnetGroupName: string;
}

/** Properties of a Terraform {@link SubnetGroup}. */
export interface SubnetGroupProps extends ResourceOptions {
  /** The subnets of one VPC to place nodes in (1 to 20). */
  readonly subnetIds: string[];
  /**
   * Description of the subnet group.
   * @default - "Subnets for <construct path>"
   */
  readonly description?: string;
  /**
   * Name of the subnet group (stored lower-case).
   * @default - a unique name derived from the construct path
   */
  readonly subnetGroupName?: string;
}

/** `aws_elasticache_subnet_group` arguments, as the AWS provider spells them. */
interface AwsElasticacheSubnetGroupArgs {
  readonly name: string;
  readonly description: string;
  readonly subnet_ids: string[];
  readonly region?: string;
  readonly tags?: Record<string, string>;
}

/**
 * The subnets ElastiCache nodes run in (`aws_elasticache_subnet_group`). A Terraform
 * `ReplicationGroup` makes one for itself from `subnetIds`.
 *
 * @example
 * new tf.SubnetGroup(this, 'Subnets', { subnetIds: ['subnet-0a1', 'subnet-0b2'] });
 */
export class SubnetGroup extends Construct implements ISubnetGroup {
  /** Use an existing subnet group by name. */
  public static fromSubnetGroupName(scope: Construct, id: string, subnetGroupName: string): ISubnetGroup {
    return new (class extends Construct implements ISubnetGroup {
      public readonly subnetGroupName = subnetGroupName;
    })(scope, id);
  }

  /** The name of the subnet group (a reference, so users of it depend on it). */
  public readonly subnetGroupName: string;
  /** The ARN of the subnet group. */
  public readonly subnetGroupArn: string;
  /** The `aws_elasticache_subnet_group` resource. */
  public readonly resource: TerraformResource;

  constructor(scope: Construct, id: string, props: SubnetGroupProps) {
    super(scope, id);
    const name = props.subnetGroupName ?? nameFromPath(this, MAX_SUBNET_GROUP_NAME_LENGTH, 'subnets');
    reportTf(this, 'SubnetGroup', validateSubnetGroup({ name: props.subnetGroupName, subnetIds: props.subnetIds }, TF_CONTEXT, 'subnetIds'));
    const args: AwsElasticacheSubnetGroupArgs = {
      name: TF_CONTEXT.isUnresolved(name) ? name : name.toLowerCase(),
      description: props.description ?? `Subnets for ${this.node.path}`,
      subnet_ids: props.subnetIds,
      region: props.region,
      tags: props.tags,
    };
    this.resource = new AwsResource(this, 'Resource', 'aws_elasticache_subnet_group', () => args, props.provider);
    this.subnetGroupName = this.resource.getStringAttribute('name');
    this.subnetGroupArn = this.resource.getStringAttribute('arn');
  }
}
