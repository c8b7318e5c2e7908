import { Duration, IResource, Resource, Stack, ArnFormat } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_elasticache as refs } from 'aws-cdk-lib/interfaces';
import { Endpoint } from './endpoint';
import { aggregateOf, defaultStatistic, METRIC_NAMESPACE } from './model/metrics';
import { IUser } from './user/user-base';

/** A replication group: one or more shards of Valkey / Redis OSS nodes. */
export interface IReplicationGroup extends IResource, ec2.IConnectable, refs.IReplicationGroupRef {
  /**
   * The replication group id.
   * @attribute
   */
  readonly replicationGroupId: string;
  /**
   * The replication group ARN.
   * @attribute
   */
  readonly replicationGroupArn: string;
  /** True when the group runs with cluster mode enabled. */
  readonly clusterModeEnabled: boolean;
  /**
   * The CloudWatch `CacheClusterId` of every member node (`<id>-001`, or `<id>-0001-001` in cluster
   * mode), used to combine node metrics into group metrics.
   */
  readonly memberClusterIds: string[];

  /** The primary endpoint (cluster mode disabled): reads and writes. */
  readonly primaryEndpoint: Endpoint;
  /** The reader endpoint (cluster mode disabled): reads spread over the replicas. */
  readonly readerEndpoint: Endpoint;
  /** The configuration endpoint (cluster mode enabled): cluster-aware clients discover the shards from it. */
  readonly configurationEndpoint: Endpoint;

  /**
   * A metric of the whole group: the metric of every member node combined (sums add up, averages
   * average, maxima stay maxima).
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric;
  /** A metric of one member node. */
  metricForNode(metricName: string, cacheClusterId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Grant IAM authentication (`elasticache:Connect`) to the group, optionally as one IAM-enabled user. */
  grantConnect(grantee: iam.IGrantable, user?: IUser): iam.Grant;
}

/** Properties to import a replication group. */
export interface ReplicationGroupAttributes {
  /** The replication group id. */
  readonly replicationGroupId: string;
  /**
   * Security groups of the group, to allow connections through.
   * @default - none: `connections` allows nothing until you add security groups
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The port the nodes listen on.
   * @default 6379
   */
  readonly port?: number;
  /**
   * Whether cluster mode is enabled.
   * @default false
   */
  readonly clusterModeEnabled?: boolean;
  /**
   * Primary endpoint host name (cluster mode disabled).
   * @default - not known: `primaryEndpoint` throws
   */
  readonly primaryEndpointAddress?: string;
  /**
   * Reader endpoint host name (cluster mode disabled).
   * @default - not known: `readerEndpoint` throws
   */
  readonly readerEndpointAddress?: string;
  /**
   * Configuration endpoint host name (cluster mode enabled).
   * @default - not known: `configurationEndpoint` throws
   */
  readonly configurationEndpointAddress?: string;
  /**
   * Member cache cluster ids, for group metrics.
   * @default - derived from `shards` and `replicasPerShard`
   */
  readonly memberClusterIds?: string[];
  /**
   * Number of shards, to derive member ids.
   * @default 1
   */
  readonly shards?: number;
  /**
   * Replicas per shard, to derive member ids.
   * @default 0
   */
  readonly replicasPerShard?: number;
}

/** Metric math can combine at most this many metrics in an alarm. */
const MAX_MATH_METRICS = 10;

/**
 * What every replication group offers, created or imported: metrics, grants, connections.
 */
export abstract class ReplicationGroupBase extends Resource implements IReplicationGroup {
  public abstract readonly replicationGroupId: string;
  public abstract readonly replicationGroupArn: string;
  public abstract readonly clusterModeEnabled: boolean;
  public abstract readonly memberClusterIds: string[];
  public abstract readonly connections: ec2.Connections;
  public abstract readonly primaryEndpoint: Endpoint;
  public abstract readonly readerEndpoint: Endpoint;
  public abstract readonly configurationEndpoint: Endpoint;

  /** Reference for aws-cdk-lib's generated `IReplicationGroupRef`. */
  public get replicationGroupRef(): refs.ReplicationGroupReference {
    return { replicationGroupId: this.replicationGroupId };
  }

  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.IMetric {
    const statistic = props.statistic ?? defaultStatistic(metricName);
    const ids = this.memberClusterIds;
    const period = props.period ?? Duration.minutes(5);
    if (ids.length > MAX_MATH_METRICS) {
      // Too many nodes for plain metric math: a SEARCH over the node ids (graphs, not alarms). An unquoted
      // value is CloudWatch's partial match, on the id's tokens.
      return new cloudwatch.MathExpression({
        expression: `${aggregateOf(statistic)}(SEARCH('{${METRIC_NAMESPACE},CacheClusterId} MetricName="${metricName}" CacheClusterId=${this.replicationGroupId}', '${statistic}', ${period.toSeconds()}))`,
        usingMetrics: {},
        period,
        label: props.label ?? `${metricName} (${statistic}, all nodes)`,
        color: props.color,
      });
    }
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    ids.forEach((id, i) => {
      usingMetrics[`n${i}`] = this.metricForNode(metricName, id, { ...props, statistic, period });
    });
    return new cloudwatch.MathExpression({
      expression: `${aggregateOf(statistic)}([${Object.keys(usingMetrics).join(',')}])`,
      usingMetrics,
      period,
      label: props.label ?? `${metricName} (${statistic}, all nodes)`,
      color: props.color,
    });
  }

  public metricForNode(metricName: string, cacheClusterId: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      ...props,
      dimensionsMap: { ...props.dimensionsMap, CacheClusterId: cacheClusterId },
      statistic: props.statistic ?? defaultStatistic(metricName),
    });
  }

  /** Host CPU of the nodes, percent (average over nodes). */
  public metricCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CPUUtilization', props);
  }
  /** CPU of the engine thread, percent (average over nodes); the one to alarm on for nodes with 4+ vCPUs. */
  public metricEngineCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('EngineCPUUtilization', props);
  }
  /** Free host memory, bytes (average over nodes). */
  public metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('FreeableMemory', props);
  }
  /** Swap in use, bytes (average over nodes). */
  public metricSwapUsage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SwapUsage', props);
  }
  /** Share of `maxmemory` in use, percent (average over nodes). */
  public metricDatabaseMemoryUsagePercentage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('DatabaseMemoryUsagePercentage', props);
  }
  /** Memory used by the dataset, bytes (average over nodes). */
  public metricBytesUsedForCache(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('BytesUsedForCache', props);
  }
  /** Client connections (sum over nodes). */
  public metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrConnections', props);
  }
  /** New client connections (sum over nodes). */
  public metricNewConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('NewConnections', props);
  }
  /** Keys evicted for lack of memory (sum over nodes). */
  public metricEvictions(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('Evictions', props);
  }
  /** Keys (sum over nodes, replicas included). */
  public metricCurrItems(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrItems', props);
  }
  /** Successful key look-ups (sum over nodes). */
  public metricCacheHits(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CacheHits', props);
  }
  /** Failed key look-ups (sum over nodes). */
  public metricCacheMisses(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CacheMisses', props);
  }
  /** Hit rate, percent (average over nodes). */
  public metricCacheHitRate(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CacheHitRate', props);
  }
  /** Replica lag behind its primary, seconds (worst node by default statistic Average per node). */
  public metricReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('ReplicationLag', props);
  }
  /** Bytes sent to replicas (sum over nodes). */
  public metricReplicationBytes(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('ReplicationBytes', props);
  }
  /** Bytes received from the network (average over nodes). */
  public metricNetworkBytesIn(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('NetworkBytesIn', props);
  }
  /** Bytes sent to the network (average over nodes). */
  public metricNetworkBytesOut(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('NetworkBytesOut', props);
  }
  /** Failed AUTH attempts (sum over nodes). */
  public metricAuthenticationFailures(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('AuthenticationFailures', props);
  }
  /** Commands refused by ACL rules (sum over nodes). */
  public metricCommandAuthorizationFailures(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CommandAuthorizationFailures', props);
  }
  /** Key accesses refused by ACL rules (sum over nodes). */
  public metricKeyAuthorizationFailures(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('KeyAuthorizationFailures', props);
  }
  /** Whether a node is a primary (1) or replica (0), averaged. */
  public metricIsMaster(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('IsMaster', props);
  }
  /** Replica link health (1 healthy), averaged. */
  public metricMasterLinkHealthStatus(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('MasterLinkHealthStatus', props);
  }
  /** Memory fragmentation ratio (average over nodes). */
  public metricMemoryFragmentationRatio(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('MemoryFragmentationRatio', props);
  }
  /** Read-type commands (sum over nodes). */
  public metricGetTypeCmds(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('GetTypeCmds', props);
  }
  /** Write-type commands (sum over nodes). */
  public metricSetTypeCmds(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SetTypeCmds', props);
  }
  /** Latency of successful reads, microseconds (average over nodes). */
  public metricSuccessfulReadRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SuccessfulReadRequestLatency', props);
  }
  /** Latency of successful writes, microseconds (average over nodes). */
  public metricSuccessfulWriteRequestLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SuccessfulWriteRequestLatency', props);
  }
  /** Whether a snapshot is being taken (sum over nodes). */
  public metricSaveInProgress(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('SaveInProgress', props);
  }
  /** Credits left on burstable (T) nodes (average over nodes). */
  public metricCPUCreditBalance(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CPUCreditBalance', props);
  }

  public grantConnect(grantee: iam.IGrantable, user?: IUser): iam.Grant {
    const resources = [this.replicationGroupArn];
    if (user) resources.push(user.userArn);
    return iam.Grant.addToPrincipal({ grantee, actions: ['elasticache:Connect'], resourceArns: resources });
  }

  /** ARN of a replication group id in this stack's account and region. */
  protected arnOf(replicationGroupId: string): string {
    return Stack.of(this).formatArn({
      service: 'elasticache',
      resource: 'replicationgroup',
      resourceName: replicationGroupId,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
