/**
 * Enumerations shared by the replication group and Global Datastore constructs, spelled as the
 * CloudFormation and API values.
 */

/** How clients may connect while transit encryption is being enabled. */
export enum TransitEncryptionMode {
  /** Encrypted and unencrypted connections are both accepted (a migration step). */
  PREFERRED = 'preferred',
  /** Only encrypted connections are accepted. */
  REQUIRED = 'required',
}

/** The IP versions a replication group listens on. */
export enum NetworkType {
  /** IPv4 only. */
  IPV4 = 'ipv4',
  /** IPv6 only (Nitro node types, Valkey or Redis OSS 6.2+). */
  IPV6 = 'ipv6',
  /** Both IPv4 and IPv6. */
  DUAL_STACK = 'dual_stack',
}

/** Which IP version the cluster discovery commands (CLUSTER SLOTS...) return on a dual-stack group. */
export enum IpDiscovery {
  /** IPv4 addresses. */
  IPV4 = 'ipv4',
  /** IPv6 addresses. */
  IPV6 = 'ipv6',
}

/**
 * Durability of writes (Valkey 9.0 and later, Multi-AZ): whether a write is acknowledged before it
 * reached replicas in other Availability Zones.
 */
export enum Durability {
  /** The service default for the engine. */
  DEFAULT = 'default',
  /** Writes are acknowledged by the primary and replicated asynchronously. */
  ASYNC = 'async',
  /** A write is acknowledged only after replicas in other AZs have it. */
  SYNC = 'sync',
  /** No durability guarantees beyond the primary's memory. */
  DISABLED = 'disabled',
}

/** Format of delivered logs. */
export enum LogFormat {
  /** One JSON object per entry. */
  JSON = 'json',
  /** Plain text. */
  TEXT = 'text',
}
