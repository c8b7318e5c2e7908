import { TerraformResource } from 'cdktn';
import { Construct, IConstruct } from 'constructs';
import { IGlobalDatastore } from './global-datastore';
import { LogDeliveryOptions } from './log-destination';
import { IParameterGroup } from './parameter-group';
import { ResourceOptions } from './resource-options';
import { ISubnetGroup, SubnetGroup } from './subnet-group';
import { IUserGroup } from './user-group';
import { Endpoint } from '../endpoint';
import { Engine } from '../engine';
import { validateSubnetSource } from '../model/subnet-group';
import { memberClusterIds } from '../model/topology';
import { renameProperties } from '../model/violation';
import { NodeType } from '../node-type';
import { ReplicationGroupEndpoints } from '../private/replication-group-endpoints';
import { explicitProps, logDeliverySpecs, nodeGroupConfigurations, parameterGroupFacts, resolveReplicationGroup } from '../private/replication-group-settings';
import { ReplicationGroupCommonProps } from '../replication-group-common-props';
import { AwsResource } from './private/aws-resource';
import { nameFromPath } from './private/names';
import { reportTf, TF_CONTEXT } from './private/report';

/** Properties of a Terraform {@link ReplicationGroup}: those of the CloudFormation one, with Terraform's names where they differ. */
export interface ReplicationGroupProps extends ResourceOptions, ReplicationGroupCommonProps {
  /**
   * Subnets of one VPC for the nodes; a subnet group is made from them.
   * @default - `subnetGroup`, or ElastiCache's `default` subnet group (the default VPC) when neither is given
   */
  readonly subnetIds?: string[];
  /**
   * An existing subnet group (instead of `subnetIds`).
   * @default - a new subnet group from `subnetIds`
   */
  readonly subnetGroup?: ISubnetGroup;
  /**
   * Security groups of the nodes.
   * @default - the VPC's default security group (the Terraform face creates none)
   */
  readonly securityGroupIds?: string[];
  /**
   * Parameter group.
   * @default - the engine's default group for the cluster mode, e.g. `default.valkey8.cluster.on`
   */
  readonly parameterGroup?: IParameterGroup;
  /**
   * KMS key (ARN or id) for encryption at rest.
   * @default - an AWS-owned key
   */
  readonly kmsKeyId?: string;
  /**
   * The AUTH password, e.g. a sensitive `TerraformVariable`'s value. Needs transit encryption. Excludes `userGroup`.
   * @default - no AUTH token
   */
  readonly authToken?: string;
  /**
   * RBAC user group. Needs transit encryption. Excludes `authToken`.
   * @default - no user group
   */
  readonly userGroup?: IUserGroup;
  /**
   * Days automatic daily snapshots are kept (0 to 35); zero turns them off.
   * @default 1
   */
  readonly backupRetentionDays?: number;
  /**
   * Name of the snapshot taken when Terraform destroys the group (`final_snapshot_identifier`).
   * @default - no final snapshot: unlike the CloudFormation face (removal policy SNAPSHOT), Terraform deletes the data
   */
  readonly finalSnapshotName?: string;
  /**
   * SNS topic ARN for ElastiCache events.
   * @default - no notifications
   */
  readonly notificationTopicArn?: string;
  /**
   * Delivery of the slow log and the engine log.
   * @default - no log delivery
   */
  readonly logDelivery?: LogDeliveryOptions;
  /**
   * Make this group a secondary member of a Global Datastore (set `region` to another region than the primary's).
   * @default - not part of a Global Datastore
   */
  readonly globalDatastore?: IGlobalDatastore;
  /**
   * The replication group id (stored lower-case), 1 to 40 letters, digits or hyphens.
   * @default - a unique id derived from the construct path (Terraform needs one)
   */
  readonly replicationGroupId?: string;
  /**
   * Description.
   * @default - "Replication group <construct path>"
   */
  readonly description?: string;
}

/** A replication group of the Terraform face. */
export interface IReplicationGroup extends IConstruct {
  /** The replication group id. */
  readonly replicationGroupId: string;
  /** The region given to the group, if any. */
  readonly region?: string;
}

/** `aws_elasticache_replication_group` arguments, as the AWS provider spells them. */
interface AwsElasticacheReplicationGroupArgs {
  readonly replication_group_id: string;
  readonly description: string;
  readonly global_replication_group_id?: string;
  readonly engine?: string;
  readonly engine_version?: string;
  readonly node_type?: string;
  readonly cluster_mode?: string;
  readonly parameter_group_name?: string;
  readonly num_node_groups?: number;
  readonly replicas_per_node_group?: number;
  readonly node_group_configuration?: Array<{
    readonly node_group_id: string;
    readonly slots?: string;
    readonly primary_availability_zone?: string;
    readonly replica_availability_zones?: string[];
    readonly replica_count: number;
  }>;
  readonly num_cache_clusters?: number;
  readonly preferred_cache_cluster_azs?: string[];
  readonly automatic_failover_enabled: boolean;
  readonly multi_az_enabled: boolean;
  readonly port: number;
  readonly subnet_group_name?: string;
  readonly security_group_ids?: string[];
  readonly transit_encryption_enabled?: boolean;
  readonly transit_encryption_mode?: string;
  readonly at_rest_encryption_enabled?: boolean;
  readonly kms_key_id?: string;
  readonly auth_token?: string;
  readonly user_group_ids?: string[];
  readonly durability?: string;
  readonly snapshot_retention_limit: number;
  readonly snapshot_window?: string;
  readonly snapshot_name?: string;
  readonly snapshot_arns?: string[];
  readonly final_snapshot_identifier?: string;
  readonly maintenance_window?: string;
  readonly auto_minor_version_upgrade: boolean;
  readonly notification_topic_arn?: string;
  readonly log_delivery_configuration?: Array<{
    readonly destination: string;
    readonly destination_type: string;
    readonly log_format: string;
    readonly log_type: string;
  }>;
  readonly data_tiering_enabled?: boolean;
  readonly network_type?: string;
  readonly ip_discovery?: string;
  readonly region?: string;
  readonly tags?: Record<string, string>;
}

/** Where the Terraform props' names differ from the ones the rules report. */
const TERRAFORM_PROP_NAMES: Record<string, string> = {
  backupRetention: 'backupRetentionDays',
  encryptionKey: 'kmsKeyId',
  vpcSubnets: 'subnetIds',
};

/**
 * An ElastiCache replication group of Valkey or Redis OSS nodes for CDK Terrain
 * (`aws_elasticache_replication_group`): the same props, defaults and synth-time rules as the
 * CloudFormation `ReplicationGroup`, with Terraform's names where they differ.
 *
 * @example
 * new tf.ReplicationGroup(this, 'Cache', {
 *   subnetIds: ['subnet-0a1', 'subnet-0b2'],
 *   clusterMode: ClusterMode.ENABLED,
 * });
 */
export class ReplicationGroup extends Construct implements IReplicationGroup {
  /** The replication group id (a reference, so users of it depend on it). */
  public readonly replicationGroupId: string;
  /** The replication group ARN. */
  public readonly replicationGroupArn: string;
  /** True when the group runs with cluster mode enabled. */
  public readonly clusterModeEnabled: boolean;
  /** The `CacheClusterId` of every member node (`<id>-001`, or `<id>-0001-001` in cluster mode). */
  public readonly memberClusterIds: string[];
  /** The engine of the nodes. */
  public readonly engine: Engine;
  /** The node type of the nodes. */
  public readonly nodeType: NodeType;
  /** Number of shards. */
  public readonly shards: number;
  /** Read replicas per shard. */
  public readonly replicasPerShard: number;
  /** The port of every node. */
  public readonly port: number;
  /** Whether nodes require TLS. */
  public readonly transitEncryption: boolean;
  /** The subnet group the nodes are in, when one was given or made. */
  public readonly subnetGroup?: ISubnetGroup;
  /** Name of the parameter group in use. */
  public readonly parameterGroupName: string;
  /** The region given to the group, if any. */
  public readonly region?: string;
  /** The `aws_elasticache_replication_group` resource (for overrides, lifecycle, ...). */
  public readonly resource: TerraformResource;
  private readonly _endpoints: ReplicationGroupEndpoints;

  constructor(scope: Construct, id: string, props: ReplicationGroupProps = {}) {
    super(scope, id);
    const gd = props.globalDatastore;
    const primary = gd?.primaryReplicationGroup;
    const rgId = props.replicationGroupId ?? nameFromPath(this, 40, 'cache');
    const settings = resolveReplicationGroup({
      ...props,
      path: this.node.path,
      replicationGroupId: props.replicationGroupId,
      kmsKey: props.kmsKeyId !== undefined,
      userGroup: props.userGroup ? { engine: props.userGroup.engine } : undefined,
      snapshotName: props.restoreFrom?.snapshotName,
      snapshotArns: props.restoreFrom?.snapshotArns,
      logDelivery: logDeliverySpecs(props.logDelivery),
      parameterGroup: parameterGroupFacts(props.parameterGroup),
      globalSecondary: gd !== undefined,
      primary,
      explicitProps: explicitProps(props),
    }, TF_CONTEXT);
    const problems = [...settings.problems, ...validateSubnetSource(props.subnetGroup !== undefined, props.subnetIds !== undefined, 'subnetIds')];
    reportTf(this, 'ReplicationGroup', renameProperties(problems, TERRAFORM_PROP_NAMES));
    gd?._registerSecondary(this);

    const cme = settings.clusterModeEnabled;
    const replicas = settings.replicasPerShard;
    this.engine = settings.engine;
    this.nodeType = settings.nodeType;
    this.clusterModeEnabled = cme;
    this.shards = settings.shards;
    this.replicasPerShard = replicas;
    this.port = settings.port;
    this.transitEncryption = settings.transitEncryption;
    this.region = props.region;
    this.parameterGroupName = props.parameterGroup?.parameterGroupName ?? settings.defaultParameterGroupName!;
    this.subnetGroup = props.subnetGroup ?? (props.subnetIds && new SubnetGroup(this, 'SubnetGroup', {
      subnetIds: props.subnetIds,
      description: `Subnets of replication group ${this.node.path}`,
      provider: props.provider,
      region: props.region,
      tags: props.tags,
    }));

    const secondary = gd !== undefined;
    const nodeGroups = nodeGroupConfigurations(props.nodeGroups, replicas);
    const args: AwsElasticacheReplicationGroupArgs = {
      replication_group_id: TF_CONTEXT.isUnresolved(rgId) ? rgId : rgId.toLowerCase(),
      description: settings.description,
      global_replication_group_id: gd?.globalDatastoreId,
      engine: secondary ? undefined : settings.engine.engineName,
      engine_version: secondary ? undefined : settings.engine.engineVersion,
      node_type: secondary ? undefined : settings.nodeType.name,
      cluster_mode: secondary || !settings.supportsClusterModeProperty ? undefined : settings.clusterMode,
      parameter_group_name: secondary ? undefined : this.parameterGroupName,
      // One shard: num_cache_clusters changes replicas in place, as NumCacheClusters does in CloudFormation.
      num_node_groups: cme && !secondary ? settings.shards : undefined,
      replicas_per_node_group: cme && !nodeGroups?.length ? replicas : undefined,
      node_group_configuration: cme ? nodeGroups?.map((g) => ({
        node_group_id: g.nodeGroupId,
        slots: g.slots,
        primary_availability_zone: g.primaryAvailabilityZone,
        replica_availability_zones: g.replicaAvailabilityZones,
        replica_count: g.replicaCount,
      })) : undefined,
      num_cache_clusters: cme ? undefined : 1 + replicas,
      preferred_cache_cluster_azs: cme ? undefined : props.preferredAvailabilityZones,
      automatic_failover_enabled: settings.automaticFailover,
      multi_az_enabled: settings.multiAz,
      port: settings.port,
      subnet_group_name: this.subnetGroup?.subnetGroupName,
      security_group_ids: props.securityGroupIds,
      transit_encryption_enabled: secondary ? undefined : settings.transitEncryption,
      transit_encryption_mode: secondary ? undefined : props.transitEncryptionMode,
      at_rest_encryption_enabled: secondary ? undefined : settings.atRestEncryption,
      kms_key_id: props.kmsKeyId,
      auth_token: props.authToken,
      user_group_ids: props.userGroup ? [props.userGroup.userGroupId] : undefined,
      durability: props.durability,
      snapshot_retention_limit: settings.backupRetentionDays,
      snapshot_window: props.preferredBackupWindow,
      snapshot_name: secondary ? undefined : props.restoreFrom?.snapshotName,
      snapshot_arns: secondary ? undefined : props.restoreFrom?.snapshotArns,
      final_snapshot_identifier: props.finalSnapshotName?.toLowerCase(),
      maintenance_window: props.preferredMaintenanceWindow?.toLowerCase(),
      auto_minor_version_upgrade: props.autoMinorVersionUpgrade ?? true,
      notification_topic_arn: props.notificationTopicArn,
      log_delivery_configuration: logDeliveryConfigurations(props.logDelivery),
      data_tiering_enabled: secondary ? undefined : settings.dataTiering || undefined,
      network_type: props.networkType,
      ip_discovery: props.ipDiscovery,
      region: props.region,
      tags: props.tags,
    };
    this.resource = new AwsResource(this, 'Resource', 'aws_elasticache_replication_group', () => args, props.provider);

    this.replicationGroupId = this.resource.getStringAttribute('replication_group_id');
    this.replicationGroupArn = this.resource.getStringAttribute('arn');
    this.memberClusterIds = memberClusterIds(args.replication_group_id, cme, settings.shards, nodeGroups?.length ? settings.replicaCounts : replicas);
    const address = { configuration: 'configuration_endpoint_address', primary: 'primary_endpoint_address', reader: 'reader_endpoint_address' };
    this._endpoints = new ReplicationGroupEndpoints(this.node.path, cme, settings.port, (kind) => this.resource.getStringAttribute(address[kind]));
  }

  /** The primary endpoint (cluster mode disabled): reads and writes. */
  public get primaryEndpoint(): Endpoint {
    return this._endpoints.primaryEndpoint;
  }

  /** The reader endpoint (cluster mode disabled): reads spread over the replicas. */
  public get readerEndpoint(): Endpoint {
    return this._endpoints.readerEndpoint;
  }

  /** The configuration endpoint (cluster mode enabled): cluster-aware clients discover the shards from it. */
  public get configurationEndpoint(): Endpoint {
    return this._endpoints.configurationEndpoint;
  }
}

function logDeliveryConfigurations(opts?: LogDeliveryOptions): AwsElasticacheReplicationGroupArgs['log_delivery_configuration'] {
  const out = [
    ...(opts?.slowLog ? [{ log_type: 'slow-log', d: opts.slowLog }] : []),
    ...(opts?.engineLog ? [{ log_type: 'engine-log', d: opts.engineLog }] : []),
  ].map(({ log_type, d }) => ({ destination: d.destination, destination_type: d.destinationType, log_format: d.logFormat, log_type }));
  return out.length ? out : undefined;
}
