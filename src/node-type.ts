import { Token } from 'aws-cdk-lib';
import { describeNodeType, NODE_TYPE_FORM } from './model/node-types';

/**
 * The node type (instance class) of a cache cluster, e.g. `cache.r7g.large`.
 *
 * Constants exist for the current-generation types; `NodeType.of()` accepts any
 * `cache.<family>.<size>` name, so types newer than this library can be used too (their figures are
 * then undefined). Figures come from the ElastiCache user guide ("Supported node types").
 *
 * @example
 * NodeType.R7G_LARGE;
 * NodeType.T4G_MICRO.memoryGib; // 0.5
 * NodeType.of('cache.r6gd.xlarge').dataTiering; // true
 */
export class NodeType {
  /** `cache.t3.micro`: 2 vCPUs, 0.5 GiB memory. */
  public static readonly T3_MICRO = NodeType.of('cache.t3.micro');
  /** `cache.t3.small`: 2 vCPUs, 1.37 GiB memory. */
  public static readonly T3_SMALL = NodeType.of('cache.t3.small');
  /** `cache.t3.medium`: 2 vCPUs, 3.09 GiB memory. */
  public static readonly T3_MEDIUM = NodeType.of('cache.t3.medium');

  /** `cache.t4g.micro`: 2 vCPUs, 0.5 GiB memory. */
  public static readonly T4G_MICRO = NodeType.of('cache.t4g.micro');
  /** `cache.t4g.small`: 2 vCPUs, 1.37 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly T4G_SMALL = NodeType.of('cache.t4g.small');
  /** `cache.t4g.medium`: 2 vCPUs, 3.09 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly T4G_MEDIUM = NodeType.of('cache.t4g.medium');

  /** `cache.m5.large`: 2 vCPUs, 6.38 GiB memory. */
  public static readonly M5_LARGE = NodeType.of('cache.m5.large');
  /** `cache.m5.xlarge`: 4 vCPUs, 12.93 GiB memory. */
  public static readonly M5_XLARGE = NodeType.of('cache.m5.xlarge');
  /** `cache.m5.2xlarge`: 8 vCPUs, 26.04 GiB memory. */
  public static readonly M5_2XLARGE = NodeType.of('cache.m5.2xlarge');
  /** `cache.m5.4xlarge`: 16 vCPUs, 52.26 GiB memory. */
  public static readonly M5_4XLARGE = NodeType.of('cache.m5.4xlarge');
  /** `cache.m5.12xlarge`: 48 vCPUs, 157.12 GiB memory. */
  public static readonly M5_12XLARGE = NodeType.of('cache.m5.12xlarge');
  /** `cache.m5.24xlarge`: 96 vCPUs, 314.32 GiB memory. */
  public static readonly M5_24XLARGE = NodeType.of('cache.m5.24xlarge');

  /** `cache.m6g.large`: 2 vCPUs, 6.38 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly M6G_LARGE = NodeType.of('cache.m6g.large');
  /** `cache.m6g.xlarge`: 4 vCPUs, 12.93 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly M6G_XLARGE = NodeType.of('cache.m6g.xlarge');
  /** `cache.m6g.2xlarge`: 8 vCPUs, 26.04 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly M6G_2XLARGE = NodeType.of('cache.m6g.2xlarge');
  /** `cache.m6g.4xlarge`: 16 vCPUs, 52.26 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly M6G_4XLARGE = NodeType.of('cache.m6g.4xlarge');
  /** `cache.m6g.8xlarge`: 32 vCPUs, 103.68 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly M6G_8XLARGE = NodeType.of('cache.m6g.8xlarge');
  /** `cache.m6g.12xlarge`: 48 vCPUs, 157.12 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly M6G_12XLARGE = NodeType.of('cache.m6g.12xlarge');
  /** `cache.m6g.16xlarge`: 64 vCPUs, 209.55 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly M6G_16XLARGE = NodeType.of('cache.m6g.16xlarge');

  /** `cache.m7g.large`: 2 vCPUs, 6.38 GiB memory. Redis OSS 6.2 or later. */
  public static readonly M7G_LARGE = NodeType.of('cache.m7g.large');
  /** `cache.m7g.xlarge`: 4 vCPUs, 12.93 GiB memory. Redis OSS 6.2 or later. */
  public static readonly M7G_XLARGE = NodeType.of('cache.m7g.xlarge');
  /** `cache.m7g.2xlarge`: 8 vCPUs, 26.04 GiB memory. Redis OSS 6.2 or later. */
  public static readonly M7G_2XLARGE = NodeType.of('cache.m7g.2xlarge');
  /** `cache.m7g.4xlarge`: 16 vCPUs, 52.26 GiB memory. Redis OSS 6.2 or later. */
  public static readonly M7G_4XLARGE = NodeType.of('cache.m7g.4xlarge');
  /** `cache.m7g.8xlarge`: 32 vCPUs, 103.68 GiB memory. Redis OSS 6.2 or later. */
  public static readonly M7G_8XLARGE = NodeType.of('cache.m7g.8xlarge');
  /** `cache.m7g.12xlarge`: 48 vCPUs, 157.12 GiB memory. Redis OSS 6.2 or later. */
  public static readonly M7G_12XLARGE = NodeType.of('cache.m7g.12xlarge');
  /** `cache.m7g.16xlarge`: 64 vCPUs, 209.55 GiB memory. Redis OSS 6.2 or later. */
  public static readonly M7G_16XLARGE = NodeType.of('cache.m7g.16xlarge');

  /** `cache.m8g.large`: 2 vCPUs, 6.79 GiB memory. Listed for Valkey only. */
  public static readonly M8G_LARGE = NodeType.of('cache.m8g.large');
  /** `cache.m8g.xlarge`: 4 vCPUs, 14.18 GiB memory. Listed for Valkey only. */
  public static readonly M8G_XLARGE = NodeType.of('cache.m8g.xlarge');
  /** `cache.m8g.2xlarge`: 8 vCPUs, 29.68 GiB memory. Listed for Valkey only. */
  public static readonly M8G_2XLARGE = NodeType.of('cache.m8g.2xlarge');
  /** `cache.m8g.4xlarge`: 16 vCPUs, 61.33 GiB memory. Listed for Valkey only. */
  public static readonly M8G_4XLARGE = NodeType.of('cache.m8g.4xlarge');
  /** `cache.m8g.8xlarge`: 32 vCPUs, 124.65 GiB memory. Listed for Valkey only. */
  public static readonly M8G_8XLARGE = NodeType.of('cache.m8g.8xlarge');
  /** `cache.m8g.12xlarge`: 48 vCPUs, 187.96 GiB memory. Listed for Valkey only. */
  public static readonly M8G_12XLARGE = NodeType.of('cache.m8g.12xlarge');
  /** `cache.m8g.16xlarge`: 64 vCPUs, 251.27 GiB memory. Listed for Valkey only. */
  public static readonly M8G_16XLARGE = NodeType.of('cache.m8g.16xlarge');

  /** `cache.r5.large`: 2 vCPUs, 13.07 GiB memory. */
  public static readonly R5_LARGE = NodeType.of('cache.r5.large');
  /** `cache.r5.xlarge`: 4 vCPUs, 26.32 GiB memory. */
  public static readonly R5_XLARGE = NodeType.of('cache.r5.xlarge');
  /** `cache.r5.2xlarge`: 8 vCPUs, 52.82 GiB memory. */
  public static readonly R5_2XLARGE = NodeType.of('cache.r5.2xlarge');
  /** `cache.r5.4xlarge`: 16 vCPUs, 105.81 GiB memory. */
  public static readonly R5_4XLARGE = NodeType.of('cache.r5.4xlarge');
  /** `cache.r5.12xlarge`: 48 vCPUs, 317.77 GiB memory. */
  public static readonly R5_12XLARGE = NodeType.of('cache.r5.12xlarge');
  /** `cache.r5.24xlarge`: 96 vCPUs, 635.61 GiB memory. */
  public static readonly R5_24XLARGE = NodeType.of('cache.r5.24xlarge');

  /** `cache.r6g.large`: 2 vCPUs, 13.07 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly R6G_LARGE = NodeType.of('cache.r6g.large');
  /** `cache.r6g.xlarge`: 4 vCPUs, 26.32 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly R6G_XLARGE = NodeType.of('cache.r6g.xlarge');
  /** `cache.r6g.2xlarge`: 8 vCPUs, 52.82 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly R6G_2XLARGE = NodeType.of('cache.r6g.2xlarge');
  /** `cache.r6g.4xlarge`: 16 vCPUs, 105.81 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly R6G_4XLARGE = NodeType.of('cache.r6g.4xlarge');
  /** `cache.r6g.8xlarge`: 32 vCPUs, 209.55 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly R6G_8XLARGE = NodeType.of('cache.r6g.8xlarge');
  /** `cache.r6g.12xlarge`: 48 vCPUs, 317.77 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly R6G_12XLARGE = NodeType.of('cache.r6g.12xlarge');
  /** `cache.r6g.16xlarge`: 64 vCPUs, 419.09 GiB memory. Redis OSS 5.0.6 or later. */
  public static readonly R6G_16XLARGE = NodeType.of('cache.r6g.16xlarge');

  /** `cache.r6gd.xlarge`: 4 vCPUs, 26.32 GiB memory, 99.33 GiB SSD (data tiering). Redis OSS 6.2.0 or later. */
  public static readonly R6GD_XLARGE = NodeType.of('cache.r6gd.xlarge');
  /** `cache.r6gd.2xlarge`: 8 vCPUs, 52.82 GiB memory, 199.07 GiB SSD (data tiering). Redis OSS 6.2.0 or later. */
  public static readonly R6GD_2XLARGE = NodeType.of('cache.r6gd.2xlarge');
  /** `cache.r6gd.4xlarge`: 16 vCPUs, 105.81 GiB memory, 398.14 GiB SSD (data tiering). Redis OSS 6.2.0 or later. */
  public static readonly R6GD_4XLARGE = NodeType.of('cache.r6gd.4xlarge');
  /** `cache.r6gd.8xlarge`: 32 vCPUs, 209.55 GiB memory, 796.28 GiB SSD (data tiering). Redis OSS 6.2.0 or later. */
  public static readonly R6GD_8XLARGE = NodeType.of('cache.r6gd.8xlarge');
  /** `cache.r6gd.12xlarge`: 48 vCPUs, 317.77 GiB memory, 1194.42 GiB SSD (data tiering). Redis OSS 6.2.0 or later. */
  public static readonly R6GD_12XLARGE = NodeType.of('cache.r6gd.12xlarge');
  /** `cache.r6gd.16xlarge`: 64 vCPUs, 419.09 GiB memory, 1592.56 GiB SSD (data tiering). Redis OSS 6.2.0 or later. */
  public static readonly R6GD_16XLARGE = NodeType.of('cache.r6gd.16xlarge');

  /** `cache.r7g.large`: 2 vCPUs, 13.07 GiB memory. Redis OSS 6.2 or later. */
  public static readonly R7G_LARGE = NodeType.of('cache.r7g.large');
  /** `cache.r7g.xlarge`: 4 vCPUs, 26.32 GiB memory. Redis OSS 6.2 or later. */
  public static readonly R7G_XLARGE = NodeType.of('cache.r7g.xlarge');
  /** `cache.r7g.2xlarge`: 8 vCPUs, 52.82 GiB memory. Redis OSS 6.2 or later. */
  public static readonly R7G_2XLARGE = NodeType.of('cache.r7g.2xlarge');
  /** `cache.r7g.4xlarge`: 16 vCPUs, 105.81 GiB memory. Redis OSS 6.2 or later. */
  public static readonly R7G_4XLARGE = NodeType.of('cache.r7g.4xlarge');
  /** `cache.r7g.8xlarge`: 32 vCPUs, 209.55 GiB memory. Redis OSS 6.2 or later. */
  public static readonly R7G_8XLARGE = NodeType.of('cache.r7g.8xlarge');
  /** `cache.r7g.12xlarge`: 48 vCPUs, 317.77 GiB memory. Redis OSS 6.2 or later. */
  public static readonly R7G_12XLARGE = NodeType.of('cache.r7g.12xlarge');
  /** `cache.r7g.16xlarge`: 64 vCPUs, 419.09 GiB memory. Redis OSS 6.2 or later. */
  public static readonly R7G_16XLARGE = NodeType.of('cache.r7g.16xlarge');

  /** `cache.r8g.large`: 2 vCPUs, 14.18 GiB memory. Listed for Valkey only. */
  public static readonly R8G_LARGE = NodeType.of('cache.r8g.large');
  /** `cache.r8g.xlarge`: 4 vCPUs, 29.68 GiB memory. Listed for Valkey only. */
  public static readonly R8G_XLARGE = NodeType.of('cache.r8g.xlarge');
  /** `cache.r8g.2xlarge`: 8 vCPUs, 61.33 GiB memory. Listed for Valkey only. */
  public static readonly R8G_2XLARGE = NodeType.of('cache.r8g.2xlarge');
  /** `cache.r8g.4xlarge`: 16 vCPUs, 124.65 GiB memory. Listed for Valkey only. */
  public static readonly R8G_4XLARGE = NodeType.of('cache.r8g.4xlarge');
  /** `cache.r8g.8xlarge`: 32 vCPUs, 251.27 GiB memory. Listed for Valkey only. */
  public static readonly R8G_8XLARGE = NodeType.of('cache.r8g.8xlarge');
  /** `cache.r8g.12xlarge`: 48 vCPUs, 377.9 GiB memory. Listed for Valkey only. */
  public static readonly R8G_12XLARGE = NodeType.of('cache.r8g.12xlarge');
  /** `cache.r8g.16xlarge`: 64 vCPUs, 504.52 GiB memory. Listed for Valkey only. */
  public static readonly R8G_16XLARGE = NodeType.of('cache.r8g.16xlarge');

  /** `cache.c7gn.large`: 2 vCPUs, 3.09 GiB memory. Redis OSS 6.2 or later. */
  public static readonly C7GN_LARGE = NodeType.of('cache.c7gn.large');
  /** `cache.c7gn.xlarge`: 4 vCPUs, 6.38 GiB memory. Redis OSS 6.2 or later. */
  public static readonly C7GN_XLARGE = NodeType.of('cache.c7gn.xlarge');
  /** `cache.c7gn.2xlarge`: 8 vCPUs, 12.94 GiB memory. Redis OSS 6.2 or later. */
  public static readonly C7GN_2XLARGE = NodeType.of('cache.c7gn.2xlarge');
  /** `cache.c7gn.4xlarge`: 16 vCPUs, 26.05 GiB memory. Redis OSS 6.2 or later. */
  public static readonly C7GN_4XLARGE = NodeType.of('cache.c7gn.4xlarge');
  /** `cache.c7gn.8xlarge`: 32 vCPUs, 52.26 GiB memory. Redis OSS 6.2 or later. */
  public static readonly C7GN_8XLARGE = NodeType.of('cache.c7gn.8xlarge');
  /** `cache.c7gn.12xlarge`: 48 vCPUs, 78.56 GiB memory. Redis OSS 6.2 or later. */
  public static readonly C7GN_12XLARGE = NodeType.of('cache.c7gn.12xlarge');
  /** `cache.c7gn.16xlarge`: 64 vCPUs, 105.81 GiB memory. Redis OSS 6.2 or later. */
  public static readonly C7GN_16XLARGE = NodeType.of('cache.c7gn.16xlarge');

  /** `cache.c8gn.large`: 2 vCPUs, 3.1 GiB memory. Listed for Valkey only. */
  public static readonly C8GN_LARGE = NodeType.of('cache.c8gn.large');
  /** `cache.c8gn.xlarge`: 4 vCPUs, 6.79 GiB memory. Listed for Valkey only. */
  public static readonly C8GN_XLARGE = NodeType.of('cache.c8gn.xlarge');
  /** `cache.c8gn.2xlarge`: 8 vCPUs, 14.18 GiB memory. Listed for Valkey only. */
  public static readonly C8GN_2XLARGE = NodeType.of('cache.c8gn.2xlarge');
  /** `cache.c8gn.4xlarge`: 16 vCPUs, 29.68 GiB memory. Listed for Valkey only. */
  public static readonly C8GN_4XLARGE = NodeType.of('cache.c8gn.4xlarge');
  /** `cache.c8gn.8xlarge`: 32 vCPUs, 61.33 GiB memory. Listed for Valkey only. */
  public static readonly C8GN_8XLARGE = NodeType.of('cache.c8gn.8xlarge');
  /** `cache.c8gn.12xlarge`: 48 vCPUs, 92.99 GiB memory. Listed for Valkey only. */
  public static readonly C8GN_12XLARGE = NodeType.of('cache.c8gn.12xlarge');
  /** `cache.c8gn.16xlarge`: 64 vCPUs, 124.65 GiB memory. Listed for Valkey only. */
  public static readonly C8GN_16XLARGE = NodeType.of('cache.c8gn.16xlarge');

  /**
   * A node type by name, e.g. `'cache.r7g.large'`.
   *
   * Known types carry their figures; an unknown but well-formed name (a type newer than this library)
   * yields a node type whose figures are undefined. An unresolved token is accepted as-is (its family
   * and size are then empty). Throws if the name is not of the form `cache.<family>.<size>`.
   */
  public static of(name: string): NodeType {
    if (Token.isUnresolved(name)) return new NodeType(name, '', '');
    const facts = describeNodeType(name);
    if (!facts) {
      throw new Error(`'${name}' is not a node type name: expected ${NODE_TYPE_FORM}`);
    }
    return new NodeType(name, facts.family, facts.size);
  }

  /** Full name as ElastiCache and CloudFormation spell it, e.g. `cache.r7g.large`. */
  public readonly name: string;
  /** Node family, e.g. `r7g`, `r6gd`, `t4g` (empty for a token). */
  public readonly family: string;
  /** Size within the family, e.g. `large`, `2xlarge`, `micro` (empty for a token). */
  public readonly size: string;
  /** Number of vCPUs; undefined for a type this library does not know. */
  public readonly vcpus?: number;
  /** Memory in GiB as ElastiCache lists it; undefined for a type this library does not know. */
  public readonly memoryGib?: number;
  /** Local SSD in GiB used by data tiering (r6gd only); undefined for other types. */
  public readonly ssdGib?: number;
  /** Baseline network bandwidth in Gbit/s; undefined when not known. */
  public readonly baselineBandwidthGbps?: number;
  /** Burst network bandwidth in Gbit/s; undefined when the type does not burst or it is not known. */
  public readonly burstBandwidthGbps?: number;
  /** True for the r6gd family: data is tiered between memory and SSD, and data tiering must be enabled. */
  public readonly dataTiering: boolean;
  /** Built on the AWS Nitro system (needed for IPv6 and dual-stack); undefined when not known. */
  public readonly nitro?: boolean;
  /** True for the burstable T families (CPU credits). */
  public readonly burstable: boolean;
  /** ElastiCache creates new clusters on this type; false for T1, T2, M1-M4, R3, R4, C1; undefined when not known. */
  public readonly currentGeneration?: boolean;
  /**
   * Can be used in a Global Datastore (families M5, M6g, M7g, R5, R6g, R6gd, R7g, C7gn, size large and
   * above); undefined when ElastiCache does not document it for this type.
   */
  public readonly globalDatastoreSupported?: boolean;
  /** Oldest Redis OSS version offered on this type; undefined when not listed for Redis OSS or not known. */
  public readonly minimumRedisVersion?: string;
  /** Oldest Valkey version offered on this type; undefined when not listed for Valkey or not known. */
  public readonly minimumValkeyVersion?: string;

  private constructor(name: string, family: string, size: string) {
    this.name = name;
    this.family = family;
    this.size = size;
    const facts = family ? describeNodeType(name) : undefined;
    const info = facts?.info;
    this.vcpus = info?.vcpus;
    this.memoryGib = info?.memoryGib;
    this.ssdGib = info?.ssdGib;
    this.baselineBandwidthGbps = info?.baselineBandwidthGbps;
    this.burstBandwidthGbps = info?.burstBandwidthGbps;
    this.dataTiering = facts?.dataTiering ?? false;
    this.nitro = facts?.nitro;
    this.burstable = facts?.burstable ?? false;
    this.currentGeneration = facts?.currentGeneration;
    this.globalDatastoreSupported = facts?.globalDatastoreSupported;
    this.minimumRedisVersion = info?.minRedisVersion;
    this.minimumValkeyVersion = info?.minValkeyVersion;
  }

  /** The name, e.g. `cache.r7g.large`. */
  public toString(): string {
    return this.name;
  }
}
