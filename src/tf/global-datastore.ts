import { TerraformProvider, TerraformResource } from 'cdktn';
import { Construct, IConstruct } from 'constructs';
import type { ReplicationGroup } from './replication-group';
import { validateGlobalDatastore } from '../model/global-datastore';
import { GlobalDatastoreNames } from '../private/global-datastore-names';
import { AwsResource } from './private/aws-resource';
import { reportTf, TF_CONTEXT, validationMessagesTf } from './private/report';

/** A Global Datastore of the Terraform face. */
export interface IGlobalDatastore extends IConstruct {
  /** The Global Datastore id (`<region prefix>-<suffix>`), a Terraform reference. */
  readonly globalDatastoreId: string;
  /**
   * The primary replication group, when it is defined in this app.
   * @default - unknown
   */
  readonly primaryReplicationGroup?: ReplicationGroup;

  /**
   * Called by a secondary replication group when it joins.
   * @internal
   */
  _registerSecondary(secondary: ReplicationGroup): void;
}

/** Properties of a Terraform {@link GlobalDatastore}. */
export interface GlobalDatastoreProps {
  /**
   * The AWS provider of the primary's region.
   * @default - the stack's default `aws` provider
   */
  readonly provider?: TerraformProvider;
  /**
   * The region of the Global Datastore (AWS provider 6.0+ `region` argument).
   * @default - the primary's `region`, else the provider's region
   */
  readonly region?: string;
  /** The primary replication group: the one that takes writes. */
  readonly primary: ReplicationGroup;
  /**
   * Suffix of the Global Datastore id; ElastiCache prefixes it with a region-specific code.
   * @default - the primary's construct id, lower-cased
   */
  readonly globalDatastoreIdSuffix?: string;
  /**
   * Description.
   * @default - "Global Datastore <construct path>"
   */
  readonly description?: string;
}

/** `aws_elasticache_global_replication_group` arguments, as the AWS provider spells them. */
interface AwsElasticacheGlobalReplicationGroupArgs {
  readonly global_replication_group_id_suffix: string;
  readonly global_replication_group_description: string;
  readonly primary_replication_group_id: string;
  readonly region?: string;
}

/**
 * A Global Datastore (`aws_elasticache_global_replication_group`): a primary replication group
 * replicated to read-only secondaries in up to two other regions. Declare secondaries as
 * `tf.ReplicationGroup`s with `globalDatastore` and a `region` (or an aliased `provider`) of another region.
 *
 * @example
 * declare const primary: tf.ReplicationGroup;
 * const global = new tf.GlobalDatastore(this, 'Global', { primary });
 * new tf.ReplicationGroup(this, 'Secondary', { region: 'eu-west-1', globalDatastore: global });
 */
export class GlobalDatastore extends Construct implements IGlobalDatastore {
  /** The Global Datastore id (a reference). */
  public readonly globalDatastoreId: string;
  /** The Global Datastore ARN. */
  public readonly globalDatastoreArn: string;
  /** The primary replication group. */
  public readonly primaryReplicationGroup?: ReplicationGroup;
  /** The `aws_elasticache_global_replication_group` resource. */
  public readonly resource: TerraformResource;
  private readonly secondaries: ReplicationGroup[] = [];

  constructor(scope: Construct, id: string, props: GlobalDatastoreProps) {
    super(scope, id);
    const primary = props.primary;
    this.primaryReplicationGroup = primary;
    const names = new GlobalDatastoreNames(this, props);
    const { suffix, description } = names;
    // A secondary without a region of its own is in the provider's region: unknown here, not checked.
    const spec = () => names.spec(primary.region ?? props.region, this.secondaries.map((s) => s.region).filter((r): r is string => r !== undefined));
    reportTf(this, 'GlobalDatastore', validateGlobalDatastore(spec(), TF_CONTEXT));
    const args: AwsElasticacheGlobalReplicationGroupArgs = {
      global_replication_group_id_suffix: suffix,
      global_replication_group_description: description,
      primary_replication_group_id: primary.replicationGroupId,
      region: props.region ?? primary.region,
    };
    this.resource = new AwsResource(this, 'Resource', 'aws_elasticache_global_replication_group', () => args, props.provider);
    this.globalDatastoreId = this.resource.getStringAttribute('global_replication_group_id');
    this.globalDatastoreArn = this.resource.getStringAttribute('arn');
    // Secondaries register after construction: check the whole membership at synth.
    this.node.addValidation({ validate: () => validationMessagesTf(this, validateGlobalDatastore(spec(), TF_CONTEXT).filter((v) => v.severity === 'error')) });
  }

  /** The secondary replication groups declared in this app. */
  public get secondaryReplicationGroups(): ReplicationGroup[] {
    return [...this.secondaries];
  }

  /** @internal */
  public _registerSecondary(secondary: ReplicationGroup): void {
    this.secondaries.push(secondary);
  }
}
