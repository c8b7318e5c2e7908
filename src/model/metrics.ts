/**
 * CloudWatch metrics of node-based Valkey / Redis OSS (namespace AWS/ElastiCache), with the
 * default statistic of each (service spec; Memcached-only metrics left out). Node metrics carry
 * `CacheClusterId` (one per node) and no replication-group dimension, so a group-level metric
 * combines its member nodes; `aggregateOf` says how.
 */
export const METRIC_NAMESPACE = 'AWS/ElastiCache';

export type Statistic = 'Average' | 'Sum' | 'Maximum' | 'Minimum';

const SUM = 'Sum';
const AVG = 'Average';

/** Metric name → default statistic. */
export const ENGINE_METRICS: Record<string, Statistic> = {
  // host level
  CPUUtilization: AVG,
  CPUCreditBalance: AVG,
  CPUCreditUsage: AVG,
  FreeableMemory: AVG,
  NetworkBytesIn: AVG,
  NetworkBytesOut: AVG,
  NetworkPacketsIn: AVG,
  NetworkPacketsOut: AVG,
  NetworkBandwidthInAllowanceExceeded: AVG,
  NetworkBandwidthOutAllowanceExceeded: AVG,
  NetworkConntrackAllowanceExceeded: AVG,
  NetworkLinkLocalAllowanceExceeded: AVG,
  NetworkPacketsPerSecondAllowanceExceeded: AVG,
  SwapUsage: AVG,
  // engine
  ActiveDefragHits: SUM,
  AuthenticationFailures: SUM,
  BytesUsedForCache: AVG,
  CacheHitRate: AVG,
  CacheHits: SUM,
  CacheMisses: SUM,
  CommandAuthorizationFailures: SUM,
  CurrConnections: SUM,
  CurrItems: SUM,
  DatabaseMemoryUsagePercentage: AVG,
  DB0AverageTTL: AVG,
  EngineCPUUtilization: AVG,
  Evictions: SUM,
  IsMaster: AVG,
  KeyAuthorizationFailures: SUM,
  KeysTracked: SUM,
  MasterLinkHealthStatus: AVG,
  MemoryFragmentationRatio: AVG,
  NewConnections: SUM,
  ReplicationBytes: SUM,
  ReplicationLag: AVG,
  SaveInProgress: SUM,
  GlobalDatastoreReplicationLag: AVG,
  SuccessfulReadRequestLatency: AVG,
  SuccessfulWriteRequestLatency: AVG,
  BytesReadFromDisk: SUM,
  BytesWrittenToDisk: SUM,
};

/** Command-family metrics: `<Family>` (Sum) and `<Family>Latency` (Average, microseconds). */
export const COMMAND_FAMILIES = [
  'EvalBasedCmds',
  'GeoSpatialBasedCmds',
  'GetTypeCmds',
  'HashBasedCmds',
  'HyperLogLogBasedCmds',
  'KeyBasedCmds',
  'ListBasedCmds',
  'PubSubBasedCmds',
  'SetBasedCmds',
  'SetTypeCmds',
  'SortedSetBasedCmds',
  'StreamBasedCmds',
  'StringBasedCmds',
  'ClusterBasedCmds',
  'JsonBasedCmds',
];
for (const f of COMMAND_FAMILIES) {
  ENGINE_METRICS[f] = SUM;
  ENGINE_METRICS[`${f}Latency`] = AVG;
}

/** The default statistic of a metric (Average for a name we do not know). */
export function defaultStatistic(metricName: string): Statistic {
  return ENGINE_METRICS[metricName] ?? AVG;
}

/**
 * How node values combine into one group value for a statistic: counts add up, averages average,
 * extremes stay extremes. The function name is the CloudWatch metric-math one.
 */
export function aggregateOf(statistic: string): 'SUM' | 'AVG' | 'MAX' | 'MIN' {
  const s = statistic.toLowerCase();
  if (s === 'sum' || s === 'samplecount' || s === 'n') return 'SUM';
  if (s === 'maximum' || s === 'max' || s.startsWith('p')) return 'MAX';
  if (s === 'minimum' || s === 'min') return 'MIN';
  return 'AVG';
}
