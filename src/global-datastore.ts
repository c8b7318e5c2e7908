import { ArnFormat, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CfnGlobalReplicationGroup } from 'aws-cdk-lib/aws-elasticache';
import { aws_elasticache as refs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { IGlobalDatastore } from './global-datastore-ref';
import { validateGlobalDatastore } from './model/global-datastore';
import { aggregateOf, METRIC_NAMESPACE } from './model/metrics';
import { formatViolation } from './model/violation';
import { GlobalDatastoreNames } from './private/global-datastore-names';
import { CDK_CONTEXT, report } from './private/report';
import { ReplicationGroup } from './replication-group';

/** Properties of a {@link GlobalDatastore}. */
export interface GlobalDatastoreProps {
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

/**
 * A Global Datastore (AWS::ElastiCache::GlobalReplicationGroup): a primary replication group whose
 * data is replicated to read-only secondary groups in up to two other regions.
 *
 * Declare secondaries as `ReplicationGroup`s in stacks of other regions with
 * `globalDatastore: thisDatastore` (those stacks need `crossRegionReferences: true`).
 *
 * @example
 * declare const primaryGroup: ReplicationGroup;
 * declare const euStack: Stack;
 * declare const euVpc: ec2.IVpc;
 * const global = new GlobalDatastore(this, 'Global', { primary: primaryGroup });
 * new ReplicationGroup(euStack, 'Secondary', { vpc: euVpc, globalDatastore: global });
 */
export class GlobalDatastore extends Resource implements IGlobalDatastore {
  public readonly globalDatastoreId: string;
  public readonly globalDatastoreArn: string;
  public readonly primaryReplicationGroup?: ReplicationGroup;
  /** The underlying CloudFormation resource. */
  public readonly resource: CfnGlobalReplicationGroup;
  private readonly secondaries: ReplicationGroup[] = [];

  constructor(scope: Construct, id: string, props: GlobalDatastoreProps) {
    super(scope, id);
    const primary = props.primary;
    this.primaryReplicationGroup = primary;
    const names = new GlobalDatastoreNames(this, props);
    const { suffix, description } = names;
    const spec = () => names.spec(Stack.of(primary).region, this.secondaries.map((s) => Stack.of(s).region));
    report(this, 'GlobalDatastore', validateGlobalDatastore(spec(), CDK_CONTEXT));

    this.resource = new CfnGlobalReplicationGroup(this, 'Resource', {
      globalReplicationGroupIdSuffix: suffix,
      globalReplicationGroupDescription: description,
      members: [{
        replicationGroupId: primary.replicationGroupId,
        replicationGroupRegion: Stack.of(primary).region,
        role: 'PRIMARY',
      }],
    });
    this.globalDatastoreId = this.resource.attrGlobalReplicationGroupId;
    this.globalDatastoreArn = Stack.of(this).formatArn({
      service: 'elasticache',
      region: '',
      resource: 'globalreplicationgroup',
      resourceName: this.globalDatastoreId,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // Secondaries register after construction: check the whole membership at synth.
    this.node.addValidation({
      validate: () => {
        const problems = validateGlobalDatastore(spec(), CDK_CONTEXT).filter((v) => v.severity === 'error');
        return problems.map(formatViolation);
      },
    });
  }

  /** Reference for aws-cdk-lib's generated `IGlobalReplicationGroupRef`. */
  public get globalReplicationGroupRef(): refs.GlobalReplicationGroupReference {
    return { globalReplicationGroupId: this.globalDatastoreId, globalReplicationGroupArn: this.globalDatastoreArn };
  }

  /** The secondary replication groups declared in this app. */
  public get secondaryReplicationGroups(): ReplicationGroup[] {
    return [...this.secondaries];
  }

  /**
   * Replication lag from the primary to the secondaries, seconds: the worst secondary node.
   * Each node metric is bound to its secondary's region, so the metric graphs from any region.
   */
  public metricReplicationLag(props: cloudwatch.MetricOptions = {}): cloudwatch.IMetric {
    const statistic = props.statistic ?? 'Average';
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    let i = 0;
    for (const s of this.secondaries) {
      const region = Stack.of(s).region;
      for (const id of s.memberClusterIds) {
        usingMetrics[`lag${i++}`] = new cloudwatch.Metric({
          ...props,
          namespace: METRIC_NAMESPACE,
          metricName: 'GlobalDatastoreReplicationLag',
          dimensionsMap: { CacheClusterId: id },
          statistic,
          region: Token.isUnresolved(region) ? undefined : region,
        });
      }
    }
    if (i === 0) {
      throw new Error(`GlobalDatastore '${this.node.path}' has no secondary yet: add a ReplicationGroup with globalDatastore set before asking for its replication lag`);
    }
    const agg = aggregateOf(statistic) === 'SUM' ? 'SUM' : 'MAX';
    return new cloudwatch.MathExpression({
      expression: `${agg}([${Object.keys(usingMetrics).join(',')}])`,
      usingMetrics,
      period: props.period,
      label: props.label ?? 'GlobalDatastoreReplicationLag (worst secondary node)',
    });
  }

  /** @internal */
  public _registerSecondary(secondary: ReplicationGroup): void {
    this.secondaries.push(secondary);
    secondary.node.addDependency(this);
  }
}
