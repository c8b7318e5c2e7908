import { LogFormat } from '../options';

/**
 * Where ElastiCache delivers a log (slow log or engine log), for the Terraform face: destinations
 * are named, as the AWS provider's `log_delivery_configuration` takes them.
 *
 * @example
 * tf.LogDestination.cloudWatchLogs('/elasticache/sessions/slow-log');
 * tf.LogDestination.kinesisFirehose('cache-engine-log', LogFormat.TEXT);
 */
export class LogDestination {
  /** Deliver to a CloudWatch Logs log group, by name. */
  public static cloudWatchLogs(logGroupName: string, format: LogFormat = LogFormat.JSON): LogDestination {
    return new LogDestination('cloudwatch-logs', logGroupName, format);
  }

  /** Deliver to an Amazon Data Firehose delivery stream, by name. */
  public static kinesisFirehose(deliveryStreamName: string, format: LogFormat = LogFormat.JSON): LogDestination {
    return new LogDestination('kinesis-firehose', deliveryStreamName, format);
  }

  /** `cloudwatch-logs` or `kinesis-firehose`. */
  public readonly destinationType: string;
  /** The log group or delivery stream name. */
  public readonly destination: string;
  /** `json` or `text`. */
  public readonly logFormat: LogFormat;

  private constructor(destinationType: string, destination: string, logFormat: LogFormat) {
    this.destinationType = destinationType;
    this.destination = destination;
    this.logFormat = logFormat;
  }
}

/** Log delivery of a replication group. */
export interface LogDeliveryOptions {
  /**
   * Where the slow log goes.
   * @default - not delivered
   */
  readonly slowLog?: LogDestination;
  /**
   * Where the engine log goes.
   * @default - not delivered
   */
  readonly engineLog?: LogDestination;
}
