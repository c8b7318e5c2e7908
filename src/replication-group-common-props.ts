import { ClusterMode } from './cluster-mode';
import { Engine } from './engine';
import { NodeType } from './node-type';
import { Durability, IpDiscovery, NetworkType, TransitEncryptionMode } from './options';
import { RestoreSource } from './restore-source';

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

/**
 * The settings of a replication group that mean the same on both faces: the CloudFormation
 * `ReplicationGroup` and the Terraform `tf.ReplicationGroup` extend this with their own ways to name
 * networks, keys, secrets and topics.
 */
export interface ReplicationGroupCommonProps {
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
   * Durability of writes (Valkey 9.0+, Multi-AZ).
   * @default - the service default
   */
  readonly durability?: Durability;
  /**
   * Daily time range (UTC) for automatic snapshots, `hh24:mi-hh24:mi`, at least 60 minutes.
   * @default - chosen by ElastiCache
   */
  readonly preferredBackupWindow?: string;
  /**
   * Seed the new group from a snapshot or from RDB files in S3.
   * @default - start empty
   */
  readonly restoreFrom?: RestoreSource;
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
}
