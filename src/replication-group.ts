import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnReplicationGroup, CfnReplicationGroupProps } from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ClusterMode } from './cluster-mode';
import { Endpoint } from './endpoint';
import { Engine } from './engine';
import { IGlobalDatastore } from './global-datastore-ref';
import { LogDestination } from './log-destination';
import { validateSubnetSource } from './model/subnet-group';
import { memberClusterIds } from './model/topology';
import { NodeType } from './node-type';
import { Durability, IpDiscovery, NetworkType, TransitEncryptionMode } from './options';
import { IParameterGroup } from './parameter-group';
import { nodeGroupConfigurations, parametersTheRulesRead, resolveReplicationGroup } from './private/replication-group-settings';
import { CDK_CONTEXT, report } from './private/report';
import { IReplicationGroup, ReplicationGroupAttributes, ReplicationGroupBase } from './replication-group-base';
import { RestoreSource } from './restore-source';
import { ISubnetGroup, SubnetGroup } from './subnet-group';
import { IUserGroup } from './user/user-group';

/** One shard placed and sized explicitly (CloudFormation `NodeGroupConfiguration`). */
export interface NodeGroupOptions {
  /**
   * The node group id, 1 to 4 digits.
   * @default - '0001', '0002', ... in order
   */
  readonly nodeGroupId?: string;
  /**
   * Hash slots the shard owns, as `start-end[,start-end]`.
   * @default - an even split of the 16384 slots
   */
  readonly slots?: string;
  /**
   * Availability Zone of the shard's primary.
   * @default - chosen by ElastiCache
   */
  readonly primaryAvailabilityZone?: string;
  /**
   * Availability Zones of the replicas, one per replica.
   * @default - chosen by ElastiCache
   */
  readonly replicaAvailabilityZones?: string[];
  /**
   * Read replicas in this shard (0 to 5).
   * @default - the group's `replicasPerShard`
   */
  readonly replicaCount?: number;
}

/** Log delivery of a replication group. */
export interface LogDeliveryOptions {
  /**
   * Where the slow log (commands slower than `slowlog-log-slower-than`) goes.
   * @default - not delivered
   */
  readonly slowLog?: LogDestination;
  /**
   * Where the engine log goes.
   * @default - not delivered
   */
  readonly engineLog?: LogDestination;
}

/** Properties of a {@link ReplicationGroup}. */
export interface ReplicationGroupProps {
  /** The VPC to place the nodes in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the VPC for the nodes; a subnet group is made from them.
   * @default - the VPC's private subnets with egress (isolated ones if there are none)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * An existing subnet group (instead of `vpcSubnets`).
   * @default - a new subnet group from `vpcSubnets`
   */
  readonly subnetGroup?: ISubnetGroup;
  /**
   * Security groups of the nodes.
   * @default - a new security group that allows no inbound traffic until you use `connections`
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Engine and version.
   * @default Engine.VALKEY_8_1
   */
  readonly engine?: Engine;
  /**
   * Node type of every node. Data tiering follows from it (r6gd types tier to SSD).
   * @default NodeType.R7G_LARGE
   */
  readonly nodeType?: NodeType;
  /**
   * Cluster mode.
   * @default ClusterMode.DISABLED
   */
  readonly clusterMode?: ClusterMode;
  /**
   * Number of shards (node groups). With cluster mode disabled there is exactly one.
   * @default - 3 with cluster mode enabled, else 1
   */
  readonly shards?: number;
  /**
   * Read replicas per shard (0 to 5). With cluster mode disabled this counts the replicas of the one shard.
   * @default 1
   */
  readonly replicasPerShard?: number;
  /**
   * Explicit placement, slots and replica counts per shard.
   * @default - even slot split, placement by ElastiCache
   */
  readonly nodeGroups?: NodeGroupOptions[];
  /**
   * Availability Zones of the nodes of a single-shard group, primary first, one per node.
   * @default - chosen by ElastiCache
   */
  readonly preferredAvailabilityZones?: string[];
  /**
   * Multi-AZ: replicas in other AZs, promoted automatically when the primary fails.
   * @default - true when every shard has a read replica
   */
  readonly multiAz?: boolean;
  /**
   * Promote a replica automatically when a primary fails.
   * @default - true with cluster mode enabled, Multi-AZ, or any read replica
   */
  readonly automaticFailover?: boolean;
  /**
   * Port of every node.
   * @default 6379
   */
  readonly port?: number;
  /**
   * Parameter group.
   * @default - the engine's default group for the cluster mode, e.g. `default.valkey8.cluster.on`
   */
  readonly parameterGroup?: IParameterGroup;
  /**
   * Encryption in transit (TLS).
   * @default true
   */
  readonly transitEncryption?: boolean;
  /**
   * Whether unencrypted connections are still accepted while clients migrate to TLS.
   * @default - TransitEncryptionMode.REQUIRED when transit encryption is on (not emitted, the service default)
   */
  readonly transitEncryptionMode?: TransitEncryptionMode;
  /**
   * Encryption at rest (disk, snapshots, swap).
   * @default true
   */
  readonly atRestEncryption?: boolean;
  /**
   * KMS key for encryption at rest.
   * @default - an AWS-owned key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The AUTH password, for example from Secrets Manager
   * (`SecretValue.secretsManager(...)`). Needs transit encryption. Excludes `userGroup`.
   * @default - no AUTH token
   */
  readonly authToken?: SecretValue;
  /**
   * RBAC user group. Needs transit encryption. Excludes `authToken`.
   * @default - no user group
   */
  readonly userGroup?: IUserGroup;
  /**
   * Durability of writes (Valkey 9.0+, Multi-AZ).
   * @default - the service default
   */
  readonly durability?: Durability;
  /**
   * How long automatic daily snapshots are kept; zero turns them off. Whole days, 0 to 35.
   * @default Duration.days(1)
   */
  readonly backupRetention?: Duration;
  /**
   * Daily time range (UTC) for automatic snapshots, `hh24:mi-hh24:mi`, at least 60 minutes.
   * @default - chosen by ElastiCache
   */
  readonly preferredBackupWindow?: string;
  /**
   * Name of the snapshot taken when the group is deleted. Implies `RemovalPolicy.SNAPSHOT`.
   * CloudFormation names that snapshot itself; the name is used by the local deploy handler and the
   * Terraform face, and recorded in the resource metadata.
   * @default - no named final snapshot
   */
  readonly finalSnapshotName?: string;
  /**
   * Seed the new group from a snapshot or from RDB files in S3.
   * @default - start empty
   */
  readonly restoreFrom?: RestoreSource;
  /**
   * Node whose replica takes the daily snapshot (cluster mode disabled only).
   * @default - chosen by ElastiCache
   */
  readonly snapshottingClusterId?: string;
  /**
   * Weekly maintenance window (UTC), `ddd:hh24:mi-ddd:hh24:mi`, 60 minutes to 24 hours.
   * @default - chosen by ElastiCache
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Apply minor engine upgrades in the maintenance window.
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;
  /**
   * SNS topic for ElastiCache events (same account and region, not encrypted).
   * @default - no notifications
   */
  readonly notificationTopic?: sns.ITopic;
  /**
   * Delivery of the slow log and the engine log.
   * @default - no log delivery
   */
  readonly logDelivery?: LogDeliveryOptions;
  /**
   * Data tiering to SSD. It follows from the node type: r6gd types require it, others cannot use it.
   * @default - true exactly for node types that tier data
   */
  readonly dataTiering?: boolean;
  /**
   * IP versions of the nodes.
   * @default NetworkType.IPV4
   */
  readonly networkType?: NetworkType;
  /**
   * IP version returned by discovery commands on a dual-stack group.
   * @default - the service default (IPv4)
   */
  readonly ipDiscovery?: IpDiscovery;
  /**
   * Make this group a secondary member of a Global Datastore (in another region than its primary).
   * Engine, node type, shards, parameter group and encryption then come from the primary.
   * @default - not part of a Global Datastore
   */
  readonly globalDatastore?: IGlobalDatastore;
  /**
   * The replication group id (stored lower-case), 1 to 40 letters, digits or hyphens.
   * @default - a name generated by CloudFormation
   */
  readonly replicationGroupId?: string;
  /**
   * Description.
   * @default - "Replication group <construct path>"
   */
  readonly description?: string;
  /**
   * What to do with the group when it leaves the stack.
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An ElastiCache replication group of Valkey or Redis OSS nodes (AWS::ElastiCache::ReplicationGroup):
 * cluster mode disabled (one shard, a primary and up to five read replicas) or enabled (up to 500
 * shards). Validated at synth against the ElastiCache rules; shard changes deploy with online
 * resharding instead of replacement.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * const cache = new ReplicationGroup(this, 'Cache', {
 *   vpc,
 *   engine: Engine.VALKEY_8_1,
 *   nodeType: NodeType.R7G_LARGE,
 *   replicasPerShard: 2,
 * });
 */
export class ReplicationGroup extends ReplicationGroupBase {
  /** Import an existing replication group. */
  public static fromReplicationGroupAttributes(scope: Construct, id: string, attrs: ReplicationGroupAttributes): IReplicationGroup {
    return new ImportedReplicationGroup(scope, id, attrs);
  }

  public readonly replicationGroupId: string;
  public readonly replicationGroupArn: string;
  public readonly clusterModeEnabled: boolean;
  public readonly memberClusterIds: string[];
  public readonly connections: ec2.Connections;
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
  /** The subnet group the nodes are in. */
  public readonly subnetGroup: ISubnetGroup;
  /** Name of the parameter group in use. */
  public readonly parameterGroupName: string;
  /** The underlying CloudFormation resource. */
  public readonly resource: CfnReplicationGroup;
  private readonly _endpoints: { primary?: Endpoint; reader?: Endpoint; configuration?: Endpoint };

  constructor(scope: Construct, id: string, props: ReplicationGroupProps) {
    super(scope, id, { physicalName: props.replicationGroupId });
    const gd = props.globalDatastore;
    const primary = gd?.primaryReplicationGroup;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    const authToken = props.authToken?.unsafeUnwrap();
    const settings = resolveReplicationGroup({
      ...props,
      path: this.node.path,
      kmsKey: props.encryptionKey !== undefined,
      authToken,
      userGroup: props.userGroup ? { engine: props.userGroup.engine } : undefined,
      backupRetentionDays: props.backupRetention?.toDays(),
      snapshotName: props.restoreFrom?.snapshotName,
      snapshotArns: props.restoreFrom?.snapshotArns,
      logDelivery: logDeliverySpecs(props.logDelivery),
      parameterGroup: props.parameterGroup && {
        name: props.parameterGroup.parameterGroupName,
        family: props.parameterGroup.family,
        clusterEnabled: props.parameterGroup.clusterEnabled,
        parameters: parametersTheRulesRead(props.parameterGroup),
      },
      globalSecondary: gd !== undefined,
      primary,
      explicitProps: Object.entries(props).filter(([, v]) => v !== undefined).map(([k]) => k),
    }, CDK_CONTEXT);
    const { engine, nodeType, clusterMode, shards, replicaCounts, multiAz, automaticFailover, port } = settings;
    const { transitEncryption, atRestEncryption, dataTiering, description } = settings;
    const cme = settings.clusterModeEnabled;
    const replicas = settings.replicasPerShard;
    const backupDays = settings.backupRetentionDays;
    const defaultGroup = settings.defaultParameterGroupName;
    const problems = [...settings.problems, ...validateSubnetSource(props.subnetGroup !== undefined, props.vpcSubnets !== undefined, 'vpcSubnets')];
    if (props.finalSnapshotName && removalPolicy !== RemovalPolicy.SNAPSHOT) {
      problems.push({ rule: 'B-final', title: 'a final snapshot needs the SNAPSHOT removal policy', property: 'finalSnapshotName', message: `finalSnapshotName is set but removalPolicy is ${removalPolicy}`, fix: 'remove removalPolicy (SNAPSHOT is the default) or remove finalSnapshotName', severity: 'error' });
    }
    report(this, 'ReplicationGroup', problems);
    gd?._registerSecondary(this);
    const parameterGroupName = props.parameterGroup?.parameterGroupName ?? defaultGroup!;

    this.engine = engine;
    this.nodeType = nodeType;
    this.clusterModeEnabled = cme;
    this.shards = shards;
    this.replicasPerShard = replicas;
    this.port = port;
    this.transitEncryption = transitEncryption;
    this.parameterGroupName = parameterGroupName;

    this.subnetGroup = props.subnetGroup ?? new SubnetGroup(this, 'SubnetGroup', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      description: `Subnets of replication group ${this.node.path}`,
    });
    const securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: `Replication group ${this.node.path}`,
        allowAllOutbound: false,
      }),
    ];
    this.connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcp(port) });

    const supportsClusterModeProp = settings.supportsClusterModeProperty;
    const secondary = gd !== undefined;
    // Typed on its own so that a misspelt property name cannot slip through a spread.
    const topology: Partial<CfnReplicationGroupProps> = cme
      ? {
        numNodeGroups: secondary ? undefined : shards,
        replicasPerNodeGroup: props.nodeGroups?.length ? undefined : replicas,
        nodeGroupConfiguration: nodeGroupConfigurations(props.nodeGroups, replicas),
      }
      : {
        // One shard: NumCacheClusters changes replicas in place, ReplicasPerNodeGroup would replace the group.
        numCacheClusters: 1 + replicas,
        preferredCacheClusterAZs: props.preferredAvailabilityZones,
      };
    this.resource = new CfnReplicationGroup(this, 'Resource', {
      replicationGroupId: props.replicationGroupId?.toLowerCase(),
      replicationGroupDescription: description,
      globalReplicationGroupId: gd?.globalDatastoreId,
      engine: secondary ? undefined : engine.engineName,
      engineVersion: secondary ? undefined : engine.engineVersion,
      cacheNodeType: secondary ? undefined : nodeType.name,
      clusterMode: secondary || !supportsClusterModeProp ? undefined : clusterMode,
      cacheParameterGroupName: secondary ? undefined : parameterGroupName,
      ...topology,
      automaticFailoverEnabled: automaticFailover,
      multiAzEnabled: multiAz,
      port,
      cacheSubnetGroupName: this.subnetGroup.subnetGroupName,
      securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
      transitEncryptionEnabled: secondary ? undefined : transitEncryption,
      transitEncryptionMode: secondary ? undefined : props.transitEncryptionMode,
      atRestEncryptionEnabled: secondary ? undefined : atRestEncryption,
      kmsKeyId: props.encryptionKey?.keyArn,
      authToken,
      userGroupIds: props.userGroup ? [props.userGroup.userGroupId] : undefined,
      durability: props.durability,
      snapshotRetentionLimit: backupDays,
      snapshotWindow: props.preferredBackupWindow,
      snapshottingClusterId: props.snapshottingClusterId,
      snapshotName: props.restoreFrom?.snapshotName,
      snapshotArns: props.restoreFrom?.snapshotArns,
      preferredMaintenanceWindow: props.preferredMaintenanceWindow?.toLowerCase(),
      autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
      notificationTopicArn: props.notificationTopic?.topicArn,
      logDeliveryConfigurations: logDeliveryConfigurations(props.logDelivery),
      dataTieringEnabled: secondary ? undefined : dataTiering || undefined,
      networkType: props.networkType,
      ipDiscovery: props.ipDiscovery,
    });
    // Shard count changes reshard online instead of replacing the group (and its data).
    this.resource.cfnOptions.updatePolicy = { useOnlineResharding: true };
    this.resource.applyRemovalPolicy(removalPolicy);
    if (props.finalSnapshotName) {
      this.resource.addMetadata('cdk-elasticache:FinalSnapshotName', props.finalSnapshotName.toLowerCase());
    }

    this.replicationGroupId = this.getResourceNameAttribute(this.resource.ref);
    this.replicationGroupArn = this.arnOf(this.replicationGroupId);
    this.memberClusterIds = memberClusterIds(this.replicationGroupId, cme, shards, props.nodeGroups?.length ? replicaCounts : replicas);

    const attr = (name: string) => this.resource.getAtt(name).toString();
    this._endpoints = cme
      ? { configuration: new Endpoint(attr('ConfigurationEndPoint.Address'), port) }
      : {
        primary: new Endpoint(attr('PrimaryEndPoint.Address'), port),
        reader: new Endpoint(attr('ReaderEndPoint.Address'), port),
      };
  }

  public get primaryEndpoint(): Endpoint {
    return endpointOrThrow(this._endpoints.primary, 'primaryEndpoint', this.node.path, 'configurationEndpoint');
  }

  public get readerEndpoint(): Endpoint {
    return endpointOrThrow(this._endpoints.reader, 'readerEndpoint', this.node.path, 'configurationEndpoint');
  }

  public get configurationEndpoint(): Endpoint {
    return endpointOrThrow(this._endpoints.configuration, 'configurationEndpoint', this.node.path, 'primaryEndpoint / readerEndpoint');
  }
}

function endpointOrThrow(e: Endpoint | undefined, name: string, path: string, instead: string): Endpoint {
  if (!e) {
    throw new Error(`${name} of '${path}' does not exist for this cluster mode; use ${instead}`);
  }
  return e;
}

function logDeliverySpecs(opts?: LogDeliveryOptions) {
  const out: Array<{ logType: string; destinationType: string; logFormat: string }> = [];
  if (opts?.slowLog) out.push({ logType: 'slow-log', destinationType: opts.slowLog.destinationType, logFormat: opts.slowLog.logFormat });
  if (opts?.engineLog) out.push({ logType: 'engine-log', destinationType: opts.engineLog.destinationType, logFormat: opts.engineLog.logFormat });
  return out;
}

function logDeliveryConfigurations(opts?: LogDeliveryOptions): CfnReplicationGroup.LogDeliveryConfigurationRequestProperty[] | undefined {
  const out: CfnReplicationGroup.LogDeliveryConfigurationRequestProperty[] = [];
  const add = (logType: string, d?: LogDestination) => {
    if (d) out.push({ logType, destinationType: d.destinationType, logFormat: d.logFormat, destinationDetails: d.destinationDetails });
  };
  add('slow-log', opts?.slowLog);
  add('engine-log', opts?.engineLog);
  return out.length ? out : undefined;
}

class ImportedReplicationGroup extends ReplicationGroupBase {
  public readonly replicationGroupId: string;
  public readonly replicationGroupArn: string;
  public readonly clusterModeEnabled: boolean;
  public readonly memberClusterIds: string[];
  public readonly connections: ec2.Connections;
  private readonly attrs: ReplicationGroupAttributes;

  constructor(scope: Construct, id: string, attrs: ReplicationGroupAttributes) {
    super(scope, id);
    this.attrs = attrs;
    this.replicationGroupId = attrs.replicationGroupId;
    this.replicationGroupArn = this.arnOf(attrs.replicationGroupId);
    this.clusterModeEnabled = attrs.clusterModeEnabled ?? false;
    this.memberClusterIds = attrs.memberClusterIds
      ?? memberClusterIds(attrs.replicationGroupId, this.clusterModeEnabled, attrs.shards ?? 1, attrs.replicasPerShard ?? 0);
    this.connections = new ec2.Connections({ securityGroups: attrs.securityGroups, defaultPort: ec2.Port.tcp(attrs.port ?? 6379) });
  }

  public get primaryEndpoint(): Endpoint {
    return this.endpoint(this.attrs.primaryEndpointAddress, 'primaryEndpointAddress');
  }

  public get readerEndpoint(): Endpoint {
    return this.endpoint(this.attrs.readerEndpointAddress, 'readerEndpointAddress');
  }

  public get configurationEndpoint(): Endpoint {
    return this.endpoint(this.attrs.configurationEndpointAddress, 'configurationEndpointAddress');
  }

  private endpoint(address: string | undefined, attr: string): Endpoint {
    if (address === undefined) {
      throw new Error(`'${this.node.path}' was imported without ${attr}; pass it to fromReplicationGroupAttributes()`);
    }
    return new Endpoint(address, this.attrs.port ?? 6379);
  }
}
