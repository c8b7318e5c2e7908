import { CfnReplicationGroup } from 'aws-cdk-lib/aws-elasticache';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LogFormat } from './options';

/**
 * Where ElastiCache delivers a log (slow log or engine log).
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * new ReplicationGroup(this, 'Cache', {
 *   vpc,
 *   logDelivery: {
 *     slowLog: LogDestination.cloudWatchLogs(new logs.LogGroup(this, 'SlowLog')),
 *     engineLog: LogDestination.kinesisFirehose('cache-engine-log', LogFormat.TEXT),
 *   },
 * });
 */
export abstract class LogDestination {
  /** Deliver to a CloudWatch Logs log group. */
  public static cloudWatchLogs(logGroup: logs.ILogGroup, format: LogFormat = LogFormat.JSON): LogDestination {
    return new (class extends LogDestination {
      public readonly destinationType = 'cloudwatch-logs';
      public readonly logFormat = format;
      public readonly destinationDetails = { cloudWatchLogsDetails: { logGroup: logGroup.logGroupName } };
    })();
  }

  /** Deliver to an Amazon Data Firehose delivery stream, by name. */
  public static kinesisFirehose(deliveryStreamName: string, format: LogFormat = LogFormat.JSON): LogDestination {
    return new (class extends LogDestination {
      public readonly destinationType = 'kinesis-firehose';
      public readonly logFormat = format;
      public readonly destinationDetails = { kinesisFirehoseDetails: { deliveryStream: deliveryStreamName } };
    })();
  }

  /** `cloudwatch-logs` or `kinesis-firehose`. */
  public abstract readonly destinationType: string;
  /** `json` or `text`. */
  public abstract readonly logFormat: LogFormat;
  /** The CloudFormation `DestinationDetails` block. */
  public abstract readonly destinationDetails: CfnReplicationGroup.DestinationDetailsProperty;
}
