import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Data to seed a new replication group with: an ElastiCache snapshot, or RDB files in S3
 * (made by ElastiCache or by any Valkey / Redis OSS server).
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const bucket: s3.IBucket;
 * new ReplicationGroup(this, 'FromSnapshot', { vpc, restoreFrom: RestoreSource.fromSnapshot('nightly-2026-11-01') });
 * new ReplicationGroup(this, 'FromRdb', { vpc, restoreFrom: RestoreSource.fromRdbFiles(bucket, ['exports/dump.rdb']) });
 */
export abstract class RestoreSource {
  /** Restore from an ElastiCache snapshot, by name. */
  public static fromSnapshot(snapshotName: string): RestoreSource {
    return new (class extends RestoreSource {
      public readonly snapshotName = snapshotName;
      public readonly snapshotArns = undefined;
    })();
  }

  /** Seed from RDB files in S3, by ARN (`arn:aws:s3:::bucket/path/dump.rdb`); one file per shard. */
  public static fromRdbFileArns(arns: string[]): RestoreSource {
    return new (class extends RestoreSource {
      public readonly snapshotName = undefined;
      public readonly snapshotArns = [...arns];
    })();
  }

  /**
   * Seed from RDB files in an S3 bucket. ElastiCache must be able to read the objects; see
   * "Seeding a new cluster with an externally created backup" in the ElastiCache user guide.
   */
  public static fromRdbFiles(bucket: s3.IBucket, keys: string[]): RestoreSource {
    return RestoreSource.fromRdbFileArns(keys.map((k) => bucket.arnForObjects(k)));
  }

  /** Snapshot name (CloudFormation `SnapshotName`), when restoring from a snapshot. */
  public abstract readonly snapshotName?: string;
  /** RDB file ARNs (CloudFormation `SnapshotArns`), when seeding from S3. */
  public abstract readonly snapshotArns?: string[];
}
