import { parameterGroupFamily, parseVersion, versionAtLeast } from './model/engine-versions';

/**
 * A node-based cache engine and its version: Valkey or Redis OSS.
 *
 * @example
 * Engine.VALKEY_8_1;
 * Engine.valkey('8.2');
 * Engine.redis('7.1');
 */
export class Engine {
  /** Valkey 7.2 (parameter group family `valkey7`). */
  public static readonly VALKEY_7_2 = Engine.valkey('7.2');
  /** Valkey 8.0 (parameter group family `valkey8`). */
  public static readonly VALKEY_8_0 = Engine.valkey('8.0');
  /** Valkey 8.1 (parameter group family `valkey8`). */
  public static readonly VALKEY_8_1 = Engine.valkey('8.1');
  /** Valkey 8.2 (parameter group family `valkey8`). */
  public static readonly VALKEY_8_2 = Engine.valkey('8.2');
  /** Valkey 9.0 (parameter group family `valkey9`); the first version with the `durability` option. */
  public static readonly VALKEY_9_0 = Engine.valkey('9.0');
  /** Redis OSS 6.2 (parameter group family `redis6.x`). */
  public static readonly REDIS_6_2 = Engine.redis('6.2');
  /** Redis OSS 7.0 (parameter group family `redis7`). */
  public static readonly REDIS_7_0 = Engine.redis('7.0');
  /** Redis OSS 7.1 (parameter group family `redis7`). */
  public static readonly REDIS_7_1 = Engine.redis('7.1');

  /** Valkey at the given `major.minor` version, e.g. `'8.1'`. */
  public static valkey(version: string): Engine {
    return new Engine('valkey', version);
  }

  /** Redis OSS at the given version, e.g. `'7.1'` (or `'5.0.6'` before 6). */
  public static redis(version: string): Engine {
    return new Engine('redis', version);
  }

  /** Engine name as CloudFormation spells it: `valkey` or `redis`. */
  public readonly engineName: string;
  /** Engine version, e.g. `8.1`. */
  public readonly engineVersion: string;

  private constructor(engineName: string, engineVersion: string) {
    this.engineName = engineName;
    this.engineVersion = engineVersion;
  }

  /**
   * The parameter group family of this version, e.g. `valkey8` or `redis7`.
   * Throws if the version is not of the `major.minor` form; use the construct's validation for a
   * friendlier message.
   */
  public get parameterGroupFamily(): string {
    return parameterGroupFamily(this.engineName as 'valkey' | 'redis', this.engineVersion);
  }

  /** Major version number. */
  public get majorVersion(): number {
    return parseVersion(this.engineVersion)?.major ?? 0;
  }

  /** True for Valkey. */
  public get isValkey(): boolean {
    return this.engineName === 'valkey';
  }

  /** True when this engine is the same engine at `version` or later. */
  public isAtLeast(version: string): boolean {
    return parseVersion(this.engineVersion) !== undefined && versionAtLeast(this.engineVersion, version);
  }

  /** The name of ElastiCache's default parameter group for this version and cluster mode. */
  public defaultParameterGroupName(clusterModeEnabled: boolean): string {
    return `default.${this.parameterGroupFamily}${clusterModeEnabled ? '.cluster.on' : ''}`;
  }

  /** `valkey 8.1`. */
  public toString(): string {
    return `${this.engineName} ${this.engineVersion}`;
  }
}
