import { violation, Violation } from './violation';

/** The two node-based engines of a replication group. */
export type EngineName = 'valkey' | 'redis';

/** Parsed `major.minor[.patch]`. */
export interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

// Engine versions ElastiCache offers for new node-based clusters (current AWS docs, "supported engine
// versions"). Redis OSS 4.0.10 and up still exist; Valkey starts at 7.2.
const VALKEY_VERSIONS = ['7.2', '8.0', '8.1', '8.2', '9.0'];
const REDIS_VERSIONS = ['4.0.10', '5.0.6', '6.0', '6.2', '7.0', '7.1'];

/** The versions this library knows for an engine, oldest first. */
export function knownVersions(engine: EngineName): string[] {
  return engine === 'valkey' ? [...VALKEY_VERSIONS] : [...REDIS_VERSIONS];
}

/** Parses an engine version; returns undefined when it is not of the `x.y[.z]` or `6.x` form. */
export function parseVersion(version: string): ParsedVersion | undefined {
  const m = /^(\d+)\.(\d+|x)(?:\.(\d+))?$/.exec(version);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: m[2] === 'x' ? 0 : Number(m[2]), patch: m[3] ? Number(m[3]) : 0 };
}

/** Compares two versions (`-1`, `0`, `1`). */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`cannot compare engine versions '${a}' and '${b}'`);
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (pa[k] !== pb[k]) return pa[k] < pb[k] ? -1 : 1;
  }
  return 0;
}

/** True when `version` is at least `min`. */
export function versionAtLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/**
 * The parameter group family of an engine version (rule E4): `valkey7` (7.2), `valkey8` (8.x),
 * `valkey9` (9.x), `redis7` (7.x), `redis6.x`, `redis5.0`, `redis4.0`.
 */
export function parameterGroupFamily(engine: EngineName, version: string): string {
  const v = parseVersion(version);
  if (!v) throw new Error(`'${version}' is not an engine version of the form major.minor`);
  if (engine === 'valkey') return `valkey${v.major}`;
  if (v.major >= 7) return 'redis7';
  if (v.major === 6) return 'redis6.x';
  return `redis${v.major}.${v.minor}`;
}

/** All parameter group families for node-based Valkey / Redis OSS that the catalogue knows. */
export const PARAMETER_GROUP_FAMILIES = ['redis4.0', 'redis5.0', 'redis6.x', 'redis7', 'valkey7', 'valkey8', 'valkey9'];

/** The engine a family belongs to. */
export function engineOfFamily(family: string): EngineName | undefined {
  if (family.startsWith('valkey')) return 'valkey';
  if (family.startsWith('redis')) return 'redis';
  return undefined;
}

/**
 * Rules E1/E2: the engine and version string are ones ElastiCache accepts for new node-based groups.
 * Versions newer than the ones we list are accepted with a warning, so a new AWS release does not
 * block users until this library catches up.
 */
export function validateEngineVersion(engine: string, version: string, property = 'engine'): Violation[] {
  if (engine !== 'valkey' && engine !== 'redis') {
    return [violation('E1', 'engine must be valkey or redis', property, `engine '${engine}' is not a node-based Valkey or Redis OSS engine`, "use Engine.valkey('8.1') or Engine.redis('7.1')")];
  }
  const valkeyForm = /^([7-9]|[1-9]\d+)\.\d+$/;
  const redisForm = /^([4-5]\.\d+\.\d+|6\.x|([6-9]|[1-9]\d+)\.\d+)$/;
  const ok = engine === 'valkey' ? valkeyForm.test(version) : redisForm.test(version);
  if (!ok) {
    const form = engine === 'valkey' ? 'major.minor, 7.2 or later (e.g. 8.1)' : 'x.y.z up to 5.x, major.minor from 6 on (e.g. 7.1)';
    return [violation('E2', 'engine version format', property, `'${version}' is not a ${engine} version ElastiCache accepts`, `write the version as ${form}`)];
  }
  const known = knownVersions(engine);
  const oldest = known[0];
  const newest = known[known.length - 1];
  if (version !== '6.x' && compareVersions(version, oldest) < 0) {
    return [violation('E1', 'engine version too old', property, `${engine} ${version} is older than the oldest version ElastiCache creates (${oldest})`, `use ${engine} ${newest}`)];
  }
  if (version !== '6.x' && compareVersions(version, newest) > 0) {
    return [violation('E2', 'engine version not yet known', property, `${engine} ${version} is newer than the versions this library knows (up to ${newest}); rules that depend on the version assume ${newest}`, 'check that ElastiCache offers this version in your region', 'warning')];
  }
  if (version !== '6.x' && !known.includes(version) && !(engine === 'redis' && /^6\.\d+$/.test(version) && versionAtLeast(version, '6.0'))) {
    return [violation('E2', 'engine version not known', property, `${engine} ${version} is not a version ElastiCache offers (known: ${known.join(', ')})`, `use one of ${known.join(', ')}`, 'warning')];
  }
  return [];
}
