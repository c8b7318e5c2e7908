import { IResource } from 'aws-cdk-lib';
import { aws_elasticache as refs } from 'aws-cdk-lib/interfaces';
import type { ReplicationGroup } from './replication-group';

/** A Global Datastore: a primary replication group replicated to up to two other regions. */
export interface IGlobalDatastore extends IResource, refs.IGlobalReplicationGroupRef {
  /**
   * The Global Datastore id (`<region prefix>-<suffix>`).
   * @attribute
   */
  readonly globalDatastoreId: string;
  /**
   * The Global Datastore ARN.
   * @attribute
   */
  readonly globalDatastoreArn: string;
  /**
   * The primary replication group, when it is defined in this app.
   * @default - unknown (imported)
   */
  readonly primaryReplicationGroup?: ReplicationGroup;

  /**
   * Called by a secondary replication group when it joins.
   * @internal
   */
  _registerSecondary(secondary: ReplicationGroup): void;
}
