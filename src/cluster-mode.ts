/**
 * Cluster mode of a replication group (CloudFormation `ClusterMode`).
 */
export enum ClusterMode {
  /** Data is sharded over 1 to 500 node groups; clients use the configuration endpoint. */
  ENABLED = 'enabled',
  /** One node group (a primary and up to five read replicas); clients use the primary and reader endpoints. */
  DISABLED = 'disabled',
  /**
   * The step between disabled and enabled: clients may use either mode while they migrate.
   * A group goes disabled → compatible → enabled in two deployments.
   */
  COMPATIBLE = 'compatible',
}
