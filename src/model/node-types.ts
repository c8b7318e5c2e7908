/**
 * ElastiCache node types for Valkey / Redis OSS: the figures of each type and the rules that depend
 * on the node type (D1, H3, H4, G2, X1, B5 and the node-type checks NT1-NT4).
 *
 * Figures (vCPUs, memory, SSD, network bandwidth, minimum engine versions) are from the ElastiCache
 * user guide, "Supported node types" (current edition, with the 2023 edition for the previous
 * generation). vCPU counts follow the EC2 size (large = 2, xlarge = 4, 2xlarge = 8, ...).
 */
import { compareVersions, parseVersion } from './engine-versions';
import { isKnown, RESOLVED, RuleContext, violation, Violation } from './violation';

/** Facts shared by every size of a node family. */
export interface NodeFamilyInfo {
  /** Family as it appears in the type name, e.g. `r6gd`. */
  readonly family: string;
  /** Built on the AWS Nitro system (needed for IPv6 / dual-stack, rule X1). */
  readonly nitro: boolean;
  /** Burstable (T) family: CPU credits. */
  readonly burstable: boolean;
  /** ElastiCache still creates new clusters on this family. */
  readonly currentGeneration: boolean;
  /** Memory plus local SSD (data tiering, rule D1). */
  readonly dataTiering: boolean;
  /**
   * Listed by ElastiCache as a Global Datastore family (sizes large and above, rule G2).
   * `undefined` when the documentation does not say (newer families).
   */
  readonly globalDatastore?: boolean;
  /** Oldest Redis OSS version offered on this family; `undefined` when the family is not offered for Redis OSS. */
  readonly minRedisVersion?: string;
  /** Oldest Valkey version offered on this family; `undefined` when not offered for Valkey. */
  readonly minValkeyVersion?: string;
}

/** Figures of one node type from the catalogue. */
export interface NodeTypeInfo extends NodeFamilyInfo {
  /** Full name, e.g. `cache.r6gd.xlarge`. */
  readonly name: string;
  /** Size, e.g. `xlarge`. */
  readonly size: string;
  readonly vcpus: number;
  /** Memory in GiB, as ElastiCache lists it. */
  readonly memoryGib: number;
  /** Local SSD in GiB (data tiering types only). */
  readonly ssdGib?: number;
  /** Baseline network bandwidth in Gbit/s, when ElastiCache lists it. */
  readonly baselineBandwidthGbps?: number;
  /** Burst network bandwidth in Gbit/s; `undefined` when the type does not burst (or it is not listed). */
  readonly burstBandwidthGbps?: number;
  /** Network performance in words, for types listed that way (burstable and previous generation). */
  readonly networkPerformance?: string;
  /** Size large and above in a Global Datastore family (rule G2). */
  readonly globalDatastoreSupported?: boolean;
}

/** What a well-formed name tells, whether or not the type is in the catalogue. */
export interface NodeTypeFacts {
  readonly name: string;
  readonly family: string;
  readonly size: string;
  /** The catalogue entry, when the type is known. */
  readonly info?: NodeTypeInfo;
  /** Family facts, when the family is known. */
  readonly familyInfo?: NodeFamilyInfo;
  readonly nitro?: boolean;
  readonly burstable: boolean;
  readonly dataTiering: boolean;
  readonly currentGeneration?: boolean;
  readonly globalDatastoreSupported?: boolean;
}

const R = '4.0.10'; // oldest Redis OSS for new clusters; older types list this in the current tables
const V = '7.2';

type FamilyRow = Omit<NodeFamilyInfo, 'family'>;
const fam = (nitro: boolean, currentGeneration: boolean, extra: Partial<FamilyRow> = {}): FamilyRow => ({
  nitro,
  currentGeneration,
  burstable: false,
  dataTiering: false,
  globalDatastore: false,
  ...extra,
});

// Global Datastore (G2): M5, M6g, M7g, R5, R6g, R6gd, R7g and C7gn; the 8th-generation families are
// not mentioned by the documentation (undefined: warning rather than error).
const FAMILIES: Record<string, FamilyRow> = {
  // previous generation (no new clusters); not Nitro
  t1: fam(false, false, { burstable: true }),
  m1: fam(false, false),
  m2: fam(false, false),
  m3: fam(false, false),
  c1: fam(false, false),
  r3: fam(false, false),
  // listed in the current tables, but treated as previous generation: ElastiCache is moving T2 to
  // the previous generation (no new clusters), and calls M4 / R4 previous generation for Global Datastores
  t2: fam(false, false, { burstable: true, minRedisVersion: R, minValkeyVersion: V }),
  m4: fam(false, false, { minRedisVersion: R, minValkeyVersion: V }),
  r4: fam(false, false, { minRedisVersion: R, minValkeyVersion: V }),
  // current generation
  t3: fam(true, true, { burstable: true, minRedisVersion: R, minValkeyVersion: V }),
  t4g: fam(true, true, { burstable: true, minRedisVersion: '5.0.6', minValkeyVersion: V }),
  m5: fam(true, true, { globalDatastore: true, minRedisVersion: R, minValkeyVersion: V }),
  m6g: fam(true, true, { globalDatastore: true, minRedisVersion: '5.0.6', minValkeyVersion: V }),
  m7g: fam(true, true, { globalDatastore: true, minRedisVersion: '6.2', minValkeyVersion: V }),
  m8g: fam(true, true, { globalDatastore: undefined, minValkeyVersion: V }),
  r5: fam(true, true, { globalDatastore: true, minRedisVersion: R, minValkeyVersion: V }),
  r6g: fam(true, true, { globalDatastore: true, minRedisVersion: '5.0.6', minValkeyVersion: V }),
  r6gd: fam(true, true, { dataTiering: true, globalDatastore: true, minRedisVersion: '6.2.0', minValkeyVersion: V }),
  r7g: fam(true, true, { globalDatastore: true, minRedisVersion: '6.2', minValkeyVersion: V }),
  r8g: fam(true, true, { globalDatastore: undefined, minValkeyVersion: V }),
  c7gn: fam(true, true, { globalDatastore: true, minRedisVersion: '6.2', minValkeyVersion: V }),
  c8gn: fam(true, true, { globalDatastore: undefined, minValkeyVersion: V }),
};

/** vCPUs by size for the non-burstable families (EC2 sizing). */
const SIZE_VCPUS: Record<string, number> = {
  'large': 2,
  'xlarge': 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '10xlarge': 40,
  '12xlarge': 48,
  '16xlarge': 64,
  '24xlarge': 96,
};

/** [size, memory GiB, baseline Gbps, burst Gbps, SSD GiB]; burst/baseline `undefined` = not listed / no burst. */
type SizeRow = [string, number, number | undefined, number | undefined, number?];

const SIZES: Record<string, SizeRow[]> = {
  m4: [['large', 6.42, 0.45, 1.2], ['xlarge', 14.28, 0.75, 2.8], ['2xlarge', 29.7, 1.0, 10], ['4xlarge', 60.78, 2.0, 10], ['10xlarge', 154.64, 5.0, 10]],
  m5: [['large', 6.38, 0.75, 10], ['xlarge', 12.93, 1.25, 10], ['2xlarge', 26.04, 2.5, 10], ['4xlarge', 52.26, 5.0, 10], ['12xlarge', 157.12, 12, undefined], ['24xlarge', 314.32, 25, undefined]],
  m6g: [['large', 6.38, 0.75, 10], ['xlarge', 12.93, 1.25, 10], ['2xlarge', 26.04, 2.5, 10], ['4xlarge', 52.26, 5.0, 10], ['8xlarge', 103.68, 12, undefined], ['12xlarge', 157.12, 20, undefined], ['16xlarge', 209.55, 25, undefined]],
  m7g: [['large', 6.38, 0.937, 12.5], ['xlarge', 12.93, 1.876, 12.5], ['2xlarge', 26.04, 3.75, 15], ['4xlarge', 52.26, 7.5, 15], ['8xlarge', 103.68, 15, undefined], ['12xlarge', 157.12, 22.5, undefined], ['16xlarge', 209.55, 30, undefined]],
  m8g: [['large', 6.79, 0.937, 12.5], ['xlarge', 14.18, 1.875, 12.5], ['2xlarge', 29.68, 3.75, 15], ['4xlarge', 61.33, 7.5, 15], ['8xlarge', 124.65, 15, undefined], ['12xlarge', 187.96, 22.5, undefined], ['16xlarge', 251.27, 30, undefined]],
  r4: [['large', 12.3, 0.75, 10], ['xlarge', 25.05, 1.25, 10], ['2xlarge', 50.47, 2.5, 10], ['4xlarge', 101.38, 5.0, 10], ['8xlarge', 203.26, 12, undefined], ['16xlarge', 407.0, 25, undefined]],
  r5: [['large', 13.07, 0.75, 10], ['xlarge', 26.32, 1.25, 10], ['2xlarge', 52.82, 2.5, 10], ['4xlarge', 105.81, 5.0, 10], ['12xlarge', 317.77, 12, undefined], ['24xlarge', 635.61, 25, undefined]],
  r6g: [['large', 13.07, 0.75, 10], ['xlarge', 26.32, 1.25, 10], ['2xlarge', 52.82, 2.5, 10], ['4xlarge', 105.81, 5.0, 10], ['8xlarge', 209.55, 12, undefined], ['12xlarge', 317.77, 20, undefined], ['16xlarge', 419.09, 25, undefined]],
  r6gd: [['xlarge', 26.32, 1.25, 10, 99.33], ['2xlarge', 52.82, 2.5, 10, 199.07], ['4xlarge', 105.81, 5.0, 10, 398.14], ['8xlarge', 209.55, 12, undefined, 796.28], ['12xlarge', 317.77, 20, undefined, 1194.42], ['16xlarge', 419.09, 25, undefined, 1592.56]],
  r7g: [['large', 13.07, 0.937, 12.5], ['xlarge', 26.32, 1.876, 12.5], ['2xlarge', 52.82, 3.75, 15], ['4xlarge', 105.81, 7.5, 15], ['8xlarge', 209.55, 15, undefined], ['12xlarge', 317.77, 22.5, undefined], ['16xlarge', 419.09, 30, undefined]],
  r8g: [['large', 14.18, 0.937, 12.5], ['xlarge', 29.68, 1.875, 12.5], ['2xlarge', 61.33, 3.75, 15], ['4xlarge', 124.65, 7.5, 15], ['8xlarge', 251.27, 15, undefined], ['12xlarge', 377.9, 22.5, undefined], ['16xlarge', 504.52, 30, undefined]],
  c7gn: [['large', 3.09, 6.25, 30], ['xlarge', 6.38, 12.5, 40], ['2xlarge', 12.94, 25, 50], ['4xlarge', 26.05, 50, undefined], ['8xlarge', 52.26, 100, undefined], ['12xlarge', 78.56, 150, undefined], ['16xlarge', 105.81, 200, undefined]],
  c8gn: [['large', 3.1, 6.25, 30], ['xlarge', 6.79, 12.5, 40], ['2xlarge', 14.18, 25, 50], ['4xlarge', 29.68, 50, undefined], ['8xlarge', 61.33, 100, undefined], ['12xlarge', 92.99, 150, undefined], ['16xlarge', 124.65, 200, undefined]],
};

/** Burstable and micro types: [name suffix, vCPUs, memory GiB, baseline Gbps, burst Gbps, network in words, min Redis]. */
type SmallRow = [string, string, number, number, number | undefined, number | undefined, string, string?];
const SMALL: SmallRow[] = [
  ['t1', 'micro', 1, 0.213, undefined, undefined, 'Very low'],
  ['t2', 'micro', 1, 0.555, 0.064, 1.024, 'Low to moderate'],
  ['t2', 'small', 1, 1.55, 0.128, 1.024, 'Low to moderate'],
  ['t2', 'medium', 2, 3.22, 0.256, 1.024, 'Low to moderate'],
  ['t3', 'micro', 2, 0.5, 0.064, 5.0, 'Up to 5 Gigabit'],
  ['t3', 'small', 2, 1.37, 0.128, 5.0, 'Up to 5 Gigabit'],
  ['t3', 'medium', 2, 3.09, 0.256, 5.0, 'Up to 5 Gigabit'],
  ['t4g', 'micro', 2, 0.5, 0.064, 5.0, 'Up to 5 Gigabit', R],
  ['t4g', 'small', 2, 1.37, 0.128, 5.0, 'Up to 5 Gigabit'],
  ['t4g', 'medium', 2, 3.09, 0.256, 5.0, 'Up to 5 Gigabit'],
];

const SMALL_SIZES = new Set(['nano', 'micro', 'small', 'medium']);

/** True for sizes `large` and above (rule G2). */
export function isLargeOrAbove(size: string): boolean {
  return !SMALL_SIZES.has(size);
}

function buildCatalogue(): Map<string, NodeTypeInfo> {
  const out = new Map<string, NodeTypeInfo>();
  const add = (family: string, size: string, figures: Partial<NodeTypeInfo> & { vcpus: number; memoryGib: number }) => {
    const f = FAMILIES[family];
    const name = `cache.${family}.${size}`;
    out.set(name, {
      family,
      ...f,
      name,
      size,
      globalDatastoreSupported: f.globalDatastore === undefined ? undefined : f.globalDatastore && isLargeOrAbove(size),
      ...figures,
    });
  };
  for (const [family, sizeRow, vcpus, memoryGib, baseline, burst, words, minRedis] of SMALL) {
    add(family, sizeRow, {
      vcpus,
      memoryGib,
      baselineBandwidthGbps: baseline,
      burstBandwidthGbps: burst,
      networkPerformance: words,
      ...(minRedis ? { minRedisVersion: minRedis } : {}),
    });
  }
  for (const [family, rows] of Object.entries(SIZES)) {
    for (const [size, memoryGib, baseline, burst, ssd] of rows) {
      add(family, size, {
        vcpus: SIZE_VCPUS[size],
        memoryGib,
        baselineBandwidthGbps: baseline,
        burstBandwidthGbps: burst,
        ...(ssd !== undefined ? { ssdGib: ssd } : {}),
      });
    }
  }
  return out;
}

const CATALOGUE = buildCatalogue();

/** Every node type in the catalogue, in catalogue order. */
export function knownNodeTypes(): NodeTypeInfo[] {
  return [...CATALOGUE.values()];
}

/** The catalogue entry of a node type (`cache.r7g.large`), or undefined when it is not in the catalogue. */
export function nodeTypeInfo(name: string): NodeTypeInfo | undefined {
  return CATALOGUE.get(name);
}

/** Facts about a node family (`r6gd`), or undefined when the family is not known. */
export function nodeFamilyInfo(family: string): NodeFamilyInfo | undefined {
  const f = FAMILIES[family];
  return f ? { family, ...f } : undefined;
}

const NAME_FORM = /^cache\.([a-z]+\d+[a-z]*)\.([a-z0-9]+)$/;

/** The expected form of a node type name, for error messages. */
export const NODE_TYPE_FORM = "cache.<family>.<size> in lower case, e.g. 'cache.r7g.large' or 'cache.t4g.micro'";

/** Splits `cache.<family>.<size>`; undefined when the name is not of that form. */
export function parseNodeTypeName(name: string): { family: string; size: string } | undefined {
  const m = NAME_FORM.exec(name);
  return m ? { family: m[1], size: m[2] } : undefined;
}

/**
 * Everything a well-formed name tells: the catalogue entry when known, else the family facts, else
 * what the family name implies (T = burstable; Nitro for T3+ and M/R/C 5+). Undefined when malformed.
 */
export function describeNodeType(name: string): NodeTypeFacts | undefined {
  const parsed = parseNodeTypeName(name);
  if (!parsed) return undefined;
  const { family, size } = parsed;
  const info = CATALOGUE.get(name);
  const familyInfo = nodeFamilyInfo(family);
  if (familyInfo) {
    return {
      name,
      family,
      size,
      info,
      familyInfo,
      nitro: familyInfo.nitro,
      burstable: familyInfo.burstable,
      dataTiering: familyInfo.dataTiering,
      currentGeneration: familyInfo.currentGeneration,
      globalDatastoreSupported:
        familyInfo.globalDatastore === undefined ? undefined : familyInfo.globalDatastore && isLargeOrAbove(size),
    };
  }
  const gen = /^([a-z]+)(\d+)/.exec(family);
  const letter = gen ? gen[1] : '';
  const generation = gen ? Number(gen[2]) : 0;
  const burstable = letter === 't';
  let nitro: boolean | undefined;
  if (burstable) nitro = generation >= 3;
  else if (['m', 'r', 'c'].includes(letter)) nitro = generation >= 5;
  return { name, family, size, nitro, burstable, dataTiering: false };
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/**
 * NT1-NT3: the node type is of the form `cache.<family>.<size>` (error), is in the catalogue
 * (warning otherwise, so a new AWS type does not block anyone) and is of the current generation
 * (warning otherwise: ElastiCache no longer creates clusters on previous-generation types).
 */
export function validateNodeType(nodeTypeName: string | undefined, ctx: RuleContext = RESOLVED, property = 'nodeType'): Violation[] {
  if (!isKnown(ctx, nodeTypeName)) return [];
  const facts = describeNodeType(nodeTypeName);
  if (!facts) {
    return [violation('NT1', 'node type form', property, `'${nodeTypeName}' is not a node type name`, `write it as ${NODE_TYPE_FORM}`)];
  }
  if (!facts.info) {
    return [
      violation(
        'NT2',
        'node type not in the catalogue',
        property,
        `${nodeTypeName} is not a node type this library knows; rules that depend on the node type are skipped or relaxed`,
        'check the name against the ElastiCache supported node types, e.g. cache.r7g.large',
        'warning',
      ),
    ];
  }
  if (facts.currentGeneration === false) {
    return [
      violation(
        'NT3',
        'previous-generation node type',
        property,
        `${nodeTypeName} is a previous-generation node type; ElastiCache does not create new clusters on it (or is phasing it out)`,
        `use a current type of the same size, e.g. ${suggestCurrent(facts)}`,
        'warning',
      ),
    ];
  }
  return [];
}

function suggestCurrent(facts: NodeTypeFacts): string {
  if (facts.burstable) return `cache.t4g.${['micro', 'small', 'medium'].includes(facts.size) ? facts.size : 'micro'}`;
  const letter = facts.family[0];
  const family = letter === 'm' ? 'm7g' : letter === 'c' ? 'c7gn' : 'r7g';
  const size = CATALOGUE.has(`cache.${family}.${facts.size}`) ? facts.size : 'large';
  return `cache.${family}.${size}`;
}

/**
 * NT4: the engine version is one ElastiCache offers on this node type (e.g. r6gd needs Redis OSS
 * 6.2 or later, m7g/r7g/c7gn need 6.2; the 8th-generation Graviton types are listed for Valkey only).
 * `engine` is `valkey` or `redis`; other values and unparsable versions are left to rules E1/E2.
 */
export function validateNodeTypeEngine(
  nodeTypeName: string | undefined,
  engine: string | undefined,
  engineVersion: string | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'nodeType',
): Violation[] {
  if (!isKnown(ctx, nodeTypeName) || !isKnown(ctx, engine) || !isKnown(ctx, engineVersion)) return [];
  const info = nodeTypeInfo(nodeTypeName);
  if (!info || (engine !== 'valkey' && engine !== 'redis') || !parseVersion(engineVersion)) return [];
  const label = engine === 'valkey' ? 'Valkey' : 'Redis OSS';
  const min = engine === 'valkey' ? info.minValkeyVersion : info.minRedisVersion;
  if (min === undefined) {
    if (!info.currentGeneration) return []; // NT3 already says it
    return [
      violation(
        'NT4',
        'node type offered for the engine',
        property,
        `ElastiCache does not list ${nodeTypeName} for ${label}`,
        engine === 'redis' ? 'use Valkey (Engine.VALKEY_8_1) on this node type, or a 7th-generation type such as cache.r7g.large' : 'choose a node type listed for Valkey',
        'warning',
      ),
    ];
  }
  if (compareVersions(engineVersion, min) < 0) {
    return [
      violation(
        'NT4',
        'node type needs a newer engine',
        property,
        `${nodeTypeName} needs ${label} ${min} or later, not ${engineVersion}`,
        `use ${label} ${min} or later, or another node type`,
      ),
    ];
  }
  return [];
}

/**
 * D1: data tiering is on exactly for the r6gd family. An r6gd type without data tiering fails
 * (ElastiCache: "When using the cache.r6gd.xlarge node type, you must enable data tiering.");
 * data tiering on any other type fails too. `dataTieringEnabled` undefined means "not set".
 */
export function validateDataTiering(
  nodeTypeName: string | undefined,
  dataTieringEnabled: boolean | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'dataTiering',
): Violation[] {
  if (!isKnown(ctx, nodeTypeName)) return [];
  if (dataTieringEnabled !== undefined && ctx.isUnresolved(dataTieringEnabled)) return [];
  const facts = describeNodeType(nodeTypeName);
  if (!facts) return [];
  if (facts.dataTiering && dataTieringEnabled !== true) {
    return [
      violation(
        'D1',
        'r6gd node types require data tiering',
        property,
        `When using the ${nodeTypeName} node type, you must enable data tiering.`,
        'set dataTiering to true (data tiering cannot be turned off on r6gd), or use a memory-only type such as cache.r7g.xlarge',
      ),
    ];
  }
  if (dataTieringEnabled === true && !facts.dataTiering) {
    if (!facts.familyInfo) {
      return [
        violation(
          'D1',
          'data tiering needs a data-tiering node type',
          property,
          `data tiering is enabled on ${nodeTypeName}, a node type this library does not know; ElastiCache offers data tiering on the r6gd family`,
          'check that the node type has local SSD for data tiering, e.g. cache.r6gd.xlarge',
          'warning',
        ),
      ];
    }
    return [
      violation(
        'D1',
        'data tiering needs an r6gd node type',
        property,
        `data tiering is enabled, but ${nodeTypeName} has no SSD tier; only r6gd node types support data tiering`,
        'turn data tiering off, or use an r6gd node type such as cache.r6gd.xlarge',
      ),
    ];
  }
  return [];
}

/** H3: Multi-AZ is not supported on T1 node types. */
export function validateMultiAzNodeType(
  nodeTypeName: string | undefined,
  multiAzEnabled: boolean | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'multiAz',
): Violation[] {
  if (!isKnown(ctx, nodeTypeName) || !isKnown(ctx, multiAzEnabled) || !multiAzEnabled) return [];
  const facts = describeNodeType(nodeTypeName);
  if (facts?.family !== 't1') return [];
  return [
    violation('H3', 'Multi-AZ is not supported on T1 node types', property, `Multi-AZ is enabled on ${nodeTypeName}; T1 node types do not support Multi-AZ`, 'turn Multi-AZ off or use a current node type such as cache.t4g.micro'),
  ];
}

/**
 * H4: on T2 node types, automatic failover needs cluster mode enabled. `clusterModeEnabled`
 * undefined (a token, or not decided yet) skips the check.
 */
export function validateAutomaticFailoverNodeType(
  nodeTypeName: string | undefined,
  automaticFailoverEnabled: boolean | undefined,
  clusterModeEnabled: boolean | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'automaticFailover',
): Violation[] {
  if (!isKnown(ctx, nodeTypeName) || !isKnown(ctx, automaticFailoverEnabled) || !isKnown(ctx, clusterModeEnabled)) return [];
  if (!automaticFailoverEnabled || clusterModeEnabled) return [];
  const facts = describeNodeType(nodeTypeName);
  if (facts?.family !== 't2') return [];
  return [
    violation(
      'H4',
      'T2 node types support automatic failover only with cluster mode enabled',
      property,
      `automatic failover is enabled on ${nodeTypeName} with cluster mode disabled; T2 node types support automatic failover only with cluster mode enabled`,
      'enable cluster mode, turn automatic failover off, or use a current node type such as cache.t4g.small',
    ),
  ];
}

/**
 * G2: Global Datastore members use the M5, M6g, M7g, R5, R6g, R6gd, R7g or C7gn families, size large
 * and above. Known ineligible types (burstable, previous generation, small sizes) fail; types whose
 * eligibility the documentation does not state get a warning.
 */
export function validateGlobalDatastoreNodeType(nodeTypeName: string | undefined, ctx: RuleContext = RESOLVED, property = 'nodeType'): Violation[] {
  if (!isKnown(ctx, nodeTypeName)) return [];
  const facts = describeNodeType(nodeTypeName);
  if (!facts) return [];
  const title = 'Global Datastore node types';
  const families = 'M5, M6g, M7g, R5, R6g, R6gd, R7g or C7gn';
  if (facts.globalDatastoreSupported === true) return [];
  if (facts.globalDatastoreSupported === false) {
    const why = facts.familyInfo?.globalDatastore && !isLargeOrAbove(facts.size) ? `size ${facts.size} is below large` : `the ${facts.family} family is not supported`;
    return [
      violation('G2', title, property, `${nodeTypeName} cannot be used in a Global Datastore: ${why}`, `use a ${families} node type of size large or above, e.g. cache.r7g.large`),
    ];
  }
  if (facts.burstable || facts.currentGeneration === false) {
    return [
      violation('G2', title, property, `${nodeTypeName} cannot be used in a Global Datastore: burstable and previous-generation types are not supported`, `use a ${families} node type of size large or above, e.g. cache.r7g.large`),
    ];
  }
  return [
    violation(
      'G2',
      title,
      property,
      `ElastiCache does not list ${nodeTypeName} as a Global Datastore node type (documented families: ${families}, size large and above)`,
      'check that your Region supports Global Datastores on this node type, or use e.g. cache.r7g.large',
      'warning',
    ),
  ];
}

/**
 * X1: IPv6 and dual-stack networking need a Nitro node type (T3/T4g, M5/R5 and later; not T1/T2,
 * M1-M4, R3/R4, C1) and, for Redis OSS, version 6.2 or later (Valkey: every version).
 * `networkType` is `ipv4`, `ipv6` or `dual_stack`; ipv4 (or undefined) passes. `engine` /
 * `engineVersion` may be undefined to check the node type only.
 */
export function validateNetworkTypeSupport(
  nodeTypeName: string | undefined,
  networkType: string | undefined,
  engine: string | undefined,
  engineVersion: string | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'networkType',
): Violation[] {
  if (!isKnown(ctx, networkType) || (networkType !== 'ipv6' && networkType !== 'dual_stack')) return [];
  const title = 'IPv6 and dual-stack need Nitro node types';
  const out: Violation[] = [];
  if (isKnown(ctx, nodeTypeName)) {
    const facts = describeNodeType(nodeTypeName);
    if (facts && facts.nitro === false) {
      out.push(
        violation('X1', title, property, `network type ${networkType} needs a node type built on the Nitro system; ${nodeTypeName} is not`, 'use a Nitro node type such as cache.t4g.micro or cache.r7g.large, or the ipv4 network type'),
      );
    } else if (facts && facts.nitro === undefined) {
      out.push(
        violation('X1', title, property, `network type ${networkType} needs a Nitro node type; this library cannot tell whether ${nodeTypeName} is one`, 'check that the node type is built on the Nitro system', 'warning'),
      );
    }
  }
  if (engine === 'redis' && isKnown(ctx, engineVersion) && parseVersion(engineVersion) && compareVersions(engineVersion, '6.2') < 0) {
    out.push(
      violation('X1', 'IPv6 and dual-stack need Redis OSS 6.2 or later', property, `network type ${networkType} needs Redis OSS 6.2 or later (or Valkey), not ${engineVersion}`, 'use Redis OSS 6.2 or later, Valkey, or the ipv4 network type'),
    );
  }
  return out;
}

/**
 * B5: backup and restore are not supported on cache.t1.micro. `backupOrRestoreRequested` is true when
 * the group takes automatic snapshots (retention > 0), restores from a snapshot or RDB files, or asks
 * for a final snapshot.
 */
export function validateBackupNodeType(
  nodeTypeName: string | undefined,
  backupOrRestoreRequested: boolean | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'snapshotRetentionLimit',
): Violation[] {
  if (!isKnown(ctx, nodeTypeName) || !isKnown(ctx, backupOrRestoreRequested) || !backupOrRestoreRequested) return [];
  if (nodeTypeName !== 'cache.t1.micro') return [];
  return [
    violation('B5', 'no backup or restore on cache.t1.micro', property, 'backup and restore are not supported on cache.t1.micro nodes', 'turn off snapshots and restore for this group, or use a current node type such as cache.t4g.micro'),
  ];
}
