import { ClusterMode, Durability, Engine, IpDiscovery, NodeType, TransitEncryptionMode } from '../../src';

/**
 * The replication-group rule cases, shared by the CloudFormation face's and the Terraform face's
 * tests: each face must fail the same props the same way (construct path, property, rule, fix).
 * A face maps the few props whose types differ (secrets, durations, keys, parameter groups).
 */
export interface RuleFace {
  /** `authToken` as the face takes it. */
  authToken(value: string): Record<string, unknown>;
  /** Backup retention in days, as the face takes it. */
  backupRetentionDays(days: number): Record<string, unknown>;
  /** A KMS key for encryption at rest. */
  kmsKey(): Record<string, unknown>;
  /** A new parameter group of the face. */
  parameterGroup(props: { engine: Engine; clusterMode?: ClusterMode; parameters?: Record<string, string> }): unknown;
}

export type RuleCase = [name: string, props: (face: RuleFace) => Record<string, unknown>, expected: RegExp];

export const REPLICATION_GROUP_RULE_CASES: RuleCase[] = [
  ['H2 Multi-AZ without replicas', () => ({ replicasPerShard: 0, multiAz: true }), /multiAz: .*no read replica .*\[rule H2: Multi-AZ needs a read replica in every shard\] Fix: set replicasPerShard to 1 or more/],
  ['H1 Multi-AZ without automatic failover', () => ({ multiAz: true, automaticFailover: false }), /\[rule H1: Multi-AZ requires automatic failover\]/],
  ['T4 failover with one node', () => ({ replicasPerShard: 0, automaticFailover: true }), /there must be at least 2 cache clusters .*\[rule T4/],
  ['T1 six replicas', () => ({ replicasPerShard: 6 }), /replicasPerShard: replicasPerShard is 6.*\[rule T1: a shard has 0 to 5 read replicas\] Fix: set replicasPerShard between 0 and 5/],
  ['S1 auth token without TLS', (f) => ({ transitEncryption: false, ...f.authToken('a-very-long-token-1234') }), /authToken: .*\[rule S1: an auth token needs encryption in transit\]/],
  ['S2 short auth token', (f) => f.authToken('short'), /\[rule S2: auth token is 16-128 printable characters\]/],
  ['D1 r6gd without data tiering', () => ({ nodeType: NodeType.R6GD_XLARGE, dataTiering: false }), /you must enable data tiering.*\[rule D1/],
  ['T8 cluster mode without failover', () => ({ clusterMode: ClusterMode.ENABLED, automaticFailover: false, replicasPerShard: 1, multiAz: false }), /\[rule T8: cluster mode enabled requires automatic failover\]/],
  ['T2 several shards with cluster mode disabled', () => ({ shards: 2 }), /\[rule T2: cluster mode disabled means exactly one shard\] Fix: set clusterMode: ClusterMode.ENABLED/],
  ['T3 more than 500 nodes', () => ({ clusterMode: ClusterMode.ENABLED, shards: 300, replicasPerShard: 1 }), /600 nodes .*\[rule T3: at most 500 nodes per cluster\]/],
  ['B4 overlapping windows', () => ({ preferredBackupWindow: '05:00-06:00', preferredMaintenanceWindow: 'sun:05:30-sun:06:30' }), /must not overlap.*\[rule B4/],
  ['B2 short backup window', () => ({ preferredBackupWindow: '05:00-05:30' }), /\[rule B2/],
  ['B1 backup retention over 35 days', (f) => f.backupRetentionDays(36), /backupRetention(Days)?: .*\[rule B1/],
  ['N1 bad group id', () => ({ replicationGroupId: '1cache--x-' }), /replicationGroupId: .*\[rule N1/],
  ['S8 KMS key without at-rest encryption', (f) => ({ atRestEncryption: false, ...f.kmsKey() }), /(encryptionKey|kmsKeyId): .*\[rule S8/],
  ['S6 transit mode without TLS', () => ({ transitEncryption: false, transitEncryptionMode: TransitEncryptionMode.REQUIRED }), /\[rule S6/],
  ['DUR durability before Valkey 9', () => ({ durability: Durability.SYNC }), /durability 'sync' is not available on valkey 8.1.*Fix: use Engine.VALKEY_9_0/],
  ['T7 overlapping slots', () => ({ clusterMode: ClusterMode.ENABLED, nodeGroups: [{ slots: '0-9000' }, { slots: '9000-16383' }] }), /slot 9000 is owned by node groups 0 and 1.*\[rule T7/],
  ['T7 uncovered slots', () => ({ clusterMode: ClusterMode.ENABLED, nodeGroups: [{ slots: '0-100' }, { slots: '200-16383' }] }), /slot 101 is not assigned.*\[rule T7/],
  ['T6 replica AZs', () => ({ clusterMode: ClusterMode.ENABLED, nodeGroups: [{ replicaAvailabilityZones: ['a', 'b'] }] }), /2 AZs given for 1 replicas.*\[rule T6/],
  ['X2 IPv6 discovery on IPv4', () => ({ ipDiscovery: IpDiscovery.IPV6 }), /\[rule X2/],
  ['T9 cluster mode with a non-cluster parameter group', (f) => ({ clusterMode: ClusterMode.ENABLED, parameterGroup: f.parameterGroup({ engine: Engine.VALKEY_8_1 }) }), /parameterGroup: .*has cluster-enabled no.*\[rule T9: cluster mode enabled requires a parameter group with cluster-enabled yes\]/],
  ['E4 parameter group family mismatch', (f) => ({ engine: Engine.VALKEY_8_1, parameterGroup: f.parameterGroup({ engine: Engine.REDIS_7_1 }) }), /Expected a parameter group of family valkey8 but found one of family redis7.*\[rule E4/],
  ['E6 data tiering eviction policy', (f) => ({ nodeType: NodeType.R6GD_XLARGE, parameterGroup: f.parameterGroup({ engine: Engine.VALKEY_8_1, parameters: { 'maxmemory-policy': 'allkeys-lfu' } }) }), /\[rule E6/],
  ['E2 bad engine version', () => ({ engine: Engine.valkey('8') }), /'8' is not a valkey version ElastiCache accepts.*\[rule E2/],
];
