/**
 * Configuration directives with valkey.conf names, types and defaults: parsed from the config
 * file and the command line at start-up, read and changed with CONFIG GET / SET.
 */
import { globMatch } from './glob';
import { notifyFlagsToString, parseNotifyFlags } from './notify-flags';

type Kind = 'int' | 'memory' | 'bool' | 'enum' | 'string' | 'list';

interface Directive {
  readonly name: string;
  readonly kind: Kind;
  readonly default: string;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /** Can CONFIG SET change it at run time? */
  readonly mutable: boolean;
  readonly aliases?: readonly string[];
  /** Extra validation of a value; returns an error message. */
  readonly check?: (value: string) => string | undefined;
  /** The form CONFIG GET shows a value in (the value itself is kept as set). */
  readonly display?: (value: string) => string;
}

const MAXMEMORY_POLICIES = ['volatile-lru', 'allkeys-lru', 'volatile-lfu', 'allkeys-lfu', 'volatile-random', 'allkeys-random', 'volatile-ttl', 'noeviction'];
const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning', 'nothing'];

const d = (name: string, kind: Kind, def: string, opts: Partial<Omit<Directive, 'name' | 'kind' | 'default'>> = {}): Directive => ({
  name,
  kind,
  default: def,
  mutable: true,
  ...opts,
});

/** Every directive the node understands. */
export const DIRECTIVES: readonly Directive[] = [
  d('port', 'int', '6379', { min: 0, max: 65535, mutable: false }),
  d('bind', 'list', '127.0.0.1'),
  d('requirepass', 'string', ''),
  d('masterauth', 'string', ''),
  d('masteruser', 'string', ''),
  d('maxmemory', 'memory', '0', { min: 0 }),
  d('maxmemory-policy', 'enum', 'noeviction', { values: MAXMEMORY_POLICIES }),
  d('maxmemory-samples', 'int', '5', { min: 1, max: 64 }),
  d('maxmemory-eviction-tenacity', 'int', '10', { min: 0, max: 100 }),
  d('maxclients', 'int', '10000', { min: 1 }),
  d('timeout', 'int', '0', { min: 0 }),
  d('tcp-keepalive', 'int', '300', { min: 0 }),
  d('databases', 'int', '16', { min: 1, max: 1 << 20, mutable: false }),
  d('notify-keyspace-events', 'string', '', { check: checkKeyspaceEvents, display: (v) => notifyFlagsToString(parseNotifyFlags(v) ?? 0) }),
  d('tls-port', 'int', '0', { min: 0, max: 65535, mutable: false }),
  d('tls-cert-file', 'string', '', { mutable: false }),
  d('tls-key-file', 'string', '', { mutable: false }),
  d('tls-ca-cert-file', 'string', '', { mutable: false }),
  d('tls-auth-clients', 'enum', 'yes', { values: ['yes', 'no', 'optional'], mutable: false }),
  d('tls-replication', 'bool', 'no', { mutable: false }),
  d('tls-cluster', 'bool', 'no', { mutable: false }),
  d('dir', 'string', '.', {}),
  // Set by the control plane: the engine version INFO reports (commands/engine-version.ts).
  d('cdk-elasticache-engine', 'string', '', { mutable: false }),
  // Set by the control plane on a Global Datastore secondary in cluster mode (cluster/global-upstream.ts).
  d('cdk-elasticache-global-upstream', 'string', ''),
  d('dbfilename', 'string', 'dump.rdb'),
  d('logfile', 'string', '', { mutable: false }),
  d('loglevel', 'enum', 'notice', { values: LOG_LEVELS }),
  d('aclfile', 'string', '', { mutable: false }),
  d('acllog-max-len', 'int', '128', { min: 0 }),
  d('proto-max-bulk-len', 'memory', '536870912', { min: 1024 * 1024 }),
  d('client-query-buffer-limit', 'memory', '1073741824', { min: 1024 * 1024 }),
  d('client-output-buffer-limit', 'string', 'normal 0 0 0 replica 268435456 67108864 60 pubsub 33554432 8388608 60', { check: checkOutputBufferLimit }),
  d('slowlog-log-slower-than', 'int', '10000', { min: -1 }),
  d('slowlog-max-len', 'int', '128', { min: 0 }),
  d('latency-monitor-threshold', 'int', '0', { min: 0 }),
  d('latency-tracking', 'bool', 'yes'),
  d('latency-tracking-info-percentiles', 'string', '50 99 99.9', { check: checkPercentiles, display: (v) => parsePercentiles(v)!.map(formatPercentile).join(' ') }),
  d('tracking-table-max-keys', 'int', '1000000', { min: 0 }),
  d('lua-time-limit', 'int', '5000', { min: 0, aliases: ['busy-reply-threshold'] }),
  d('save', 'string', '3600 1 300 100 60 10000', { check: checkSave }),
  d('rdbcompression', 'bool', 'yes'),
  d('rdbchecksum', 'bool', 'yes'),
  d('stop-writes-on-bgsave-error', 'bool', 'yes'),
  d('rdb-del-sync-files', 'bool', 'no'),
  d('rdb-key-save-delay', 'int', '0', { min: 0 }),
  d('key-load-delay', 'int', '0', { min: 0 }),
  d('appendonly', 'bool', 'no'),
  d('appendfsync', 'enum', 'everysec', { values: ['always', 'everysec', 'no'] }),
  d('hz', 'int', '10', { min: 1, max: 500 }),
  d('protected-mode', 'bool', 'no'),
  d('daemonize', 'bool', 'no', { mutable: false, check: (v) => (v === 'yes' ? 'daemonize is not supported: run the node in the foreground' : undefined) }),
  d('pidfile', 'string', '', { mutable: false }),
  d('supervised', 'enum', 'no', { values: ['no', 'upstart', 'systemd', 'auto'], mutable: false }),
  d('replica-read-only', 'bool', 'yes', { aliases: ['slave-read-only'] }),
  d('replica-serve-stale-data', 'bool', 'yes', { aliases: ['slave-serve-stale-data'] }),
  d('repl-backlog-size', 'memory', '1048576', { min: 1 }),
  d('min-replicas-to-write', 'int', '0', { min: 0, aliases: ['min-slaves-to-write'] }),
  d('min-replicas-max-lag', 'int', '10', { min: 0, aliases: ['min-slaves-max-lag'] }),
  d('cluster-enabled', 'bool', 'no', { mutable: false }),
  d('cluster-config-file', 'string', 'nodes.conf', { mutable: false }),
  d('cluster-node-timeout', 'int', '15000', { min: 0 }),
  d('cluster-port', 'int', '0', { min: 0, max: 65535, mutable: false }),
  d('cluster-announce-ip', 'string', ''),
  d('cluster-announce-port', 'int', '0', { min: 0, max: 65535 }),
  d('cluster-announce-bus-port', 'int', '0', { min: 0, max: 65535 }),
  d('cluster-announce-hostname', 'string', ''),
  d('cluster-require-full-coverage', 'bool', 'yes'),
  d('cluster-allow-reads-when-down', 'bool', 'no'),
  d('cluster-allow-pubsubshard-when-down', 'bool', 'yes'),
  d('cluster-allow-replica-migration', 'bool', 'yes'),
  d('cluster-replica-no-failover', 'bool', 'no', { aliases: ['cluster-slave-no-failover'] }),
  d('cluster-replica-validity-factor', 'int', '10', { min: 0, aliases: ['cluster-slave-validity-factor'] }),
  d('cluster-migration-barrier', 'int', '1', { min: 0 }),
  d('cluster-preferred-endpoint-type', 'enum', 'ip', { values: ['ip', 'hostname', 'unknown-endpoint'] }),
  d('cluster-link-sendbuf-limit', 'memory', '0', { min: 0 }),
  d('hash-max-listpack-entries', 'int', '128', { min: 0, aliases: ['hash-max-ziplist-entries'] }),
  d('hash-max-listpack-value', 'int', '64', { min: 0, aliases: ['hash-max-ziplist-value'] }),
  d('list-max-listpack-size', 'int', '-2', { min: -5, aliases: ['list-max-ziplist-size'] }),
  d('list-compress-depth', 'int', '0', { min: 0 }),
  d('set-max-intset-entries', 'int', '512', { min: 0 }),
  d('set-max-listpack-entries', 'int', '128', { min: 0 }),
  d('set-max-listpack-value', 'int', '64', { min: 0 }),
  d('zset-max-listpack-entries', 'int', '128', { min: 0, aliases: ['zset-max-ziplist-entries'] }),
  d('zset-max-listpack-value', 'int', '64', { min: 0, aliases: ['zset-max-ziplist-value'] }),
  d('hll-sparse-max-bytes', 'memory', '3000', { min: 0 }),
  d('stream-node-max-bytes', 'memory', '4096', { min: 0 }),
  d('stream-node-max-entries', 'int', '100', { min: 0 }),
  d('active-expire-effort', 'int', '1', { min: 1, max: 10 }),
  d('lazyfree-lazy-eviction', 'bool', 'no'),
  d('lazyfree-lazy-expire', 'bool', 'no'),
  d('lazyfree-lazy-server-del', 'bool', 'no'),
  d('lazyfree-lazy-user-del', 'bool', 'no'),
  d('lazyfree-lazy-user-flush', 'bool', 'no'),
  d('lfu-log-factor', 'int', '10', { min: 0 }),
  d('lfu-decay-time', 'int', '1', { min: 0 }),
  d('activedefrag', 'bool', 'no'),
  d('io-threads', 'int', '1', { min: 1, max: 128, mutable: false }),
  d('enable-debug-command', 'enum', 'no', { values: ['no', 'yes', 'local'], mutable: false }),
  d('busy-reply-threshold', 'int', '5000', { min: 0 }),
  d('snapshot-key-file', 'string', '', { mutable: false }),
  // Replication (replication/).
  d('replicaof', 'string', '', { mutable: false, aliases: ['slaveof'] }),
  d('repl-backlog-ttl', 'int', '3600', { min: 0 }),
  d('repl-ping-replica-period', 'int', '10', { min: 1, aliases: ['repl-ping-slave-period'] }),
  d('repl-timeout', 'int', '60', { min: 1 }),
  d('repl-diskless-sync', 'bool', 'yes'),
  d('repl-diskless-sync-delay', 'int', '5', { min: 0 }),
  d('repl-diskless-load', 'enum', 'disabled', { values: ['disabled', 'on-empty-db', 'swapdb'] }),
  d('replica-priority', 'int', '100', { min: 0, aliases: ['slave-priority'] }),
  d('replica-announce-ip', 'string', '', { aliases: ['slave-announce-ip'] }),
  d('replica-announce-port', 'int', '0', { min: 0, max: 65535, aliases: ['slave-announce-port'] }),
  d('replica-announced', 'bool', 'yes'),
  d('replica-lazy-flush', 'bool', 'no', { aliases: ['slave-lazy-flush'] }),
  // Synchronous durability (beyond Valkey): a write is answered once this many replicas have it.
  d('sync-replicas', 'int', '0', { min: 0 }),
  d('sync-replicas-timeout', 'int', '1000', { min: 0 }),
];

const BY_NAME = new Map<string, Directive>();
for (const dir of DIRECTIVES) {
  BY_NAME.set(dir.name, dir);
  for (const a of dir.aliases ?? []) BY_NAME.set(a, dir);
}

/** A configuration error: the directive, the value and why. */
export class ConfigError extends Error {}

export class Config {
  /** Canonical directive for a name or alias. */
  public static directive(name: string): Directive | undefined {
    return BY_NAME.get(name.toLowerCase());
  }

  private readonly values = new Map<string, string>();
  /** getNumber's parsed values by the name asked for; cleared by every set. */
  private readonly numbers = new Map<string, number>();
  private readonly listeners = new Map<string, Array<(value: string) => void>>();
  /** `save` lines in a config file add up; the first one replaces the default. */
  private seenSave = false;

  constructor() {
    for (const dir of DIRECTIVES) this.values.set(dir.name, dir.default);
  }

  public get(name: string): string {
    // Code asks by canonical name: one lookup, no lower-casing (this runs on command paths).
    const v = this.values.get(name);
    if (v !== undefined) return v;
    const dir = Config.directive(name);
    if (!dir) throw new Error(`unknown directive ${name}`);
    return this.values.get(dir.name)!;
  }

  public getNumber(name: string): number {
    const cached = this.numbers.get(name);
    if (cached !== undefined) return cached;
    const n = Number(this.get(name));
    this.numbers.set(name, n);
    return n;
  }

  public getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Calls `fn` whenever `name` changes (CONFIG SET). */
  public onChange(name: string, fn: (value: string) => void): void {
    const dir = Config.directive(name)!;
    const list = this.listeners.get(dir.name) ?? [];
    list.push(fn);
    this.listeners.set(dir.name, list);
  }

  /**
   * Sets a directive from text (config file, command line, CONFIG SET). `atStartup` allows
   * immutable directives. Throws ConfigError with Valkey's reason.
   */
  public set(name: string, args: string[], atStartup: boolean): void {
    const dir = Config.directive(name);
    if (!dir) throw new ConfigError('Bad directive or wrong number of arguments');
    if (!atStartup && !dir.mutable) throw new ConfigError('can\'t set immutable config');
    let value: string;
    if (dir.kind === 'list' || dir.name === 'save' || dir.name === 'client-output-buffer-limit' || dir.name === 'notify-keyspace-events' || dir.kind === 'string') {
      value = args.join(' ');
      // `save ""` clears the save points; later `save` lines add to what is there
      if (dir.name === 'save' && (value === '' || value === '""')) {value = '';} else if (dir.name === 'save' && atStartup && this.seenSave) {
        value = `${this.values.get('save')} ${value}`.trim();
      }
      if (dir.name === 'save') this.seenSave = true;
    } else {
      if (args.length !== 1) throw new ConfigError('wrong number of arguments');
      value = normalize(dir, args[0]);
    }
    const problem = dir.check?.(value);
    if (problem) throw new ConfigError(problem);
    this.values.set(dir.name, value);
    this.numbers.clear();
    for (const fn of this.listeners.get(dir.name) ?? []) fn(value);
  }

  /** CONFIG GET: name/value pairs for every directive matching any pattern. */
  public match(patterns: string[]): Array<[string, string]> {
    const out = new Map<string, string>();
    for (const dir of DIRECTIVES) {
      for (const p of patterns) {
        const lp = p.toLowerCase();
        const v = dir.display ? dir.display(this.values.get(dir.name)!) : this.values.get(dir.name)!;
        if (globMatch(lp, dir.name)) out.set(dir.name, v);
        for (const a of dir.aliases ?? []) if (lp === a || (lp.includes('*') && globMatch(lp, a))) out.set(a, v);
      }
    }
    return [...out];
  }
}

function normalize(dir: Directive, raw: string): string {
  const v = raw.toLowerCase();
  switch (dir.kind) {
    case 'bool':
      if (v !== 'yes' && v !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
      return v;
    case 'enum':
      if (!dir.values!.includes(v)) throw new ConfigError(`argument(s) must be one of the following: ${dir.values!.join(', ')}`);
      return v;
    case 'int': {
      if (!/^-?\d+$/.test(v)) throw new ConfigError('argument couldn\'t be parsed into an integer');
      const n = Number(v);
      rangeCheck(dir, n);
      return String(n);
    }
    case 'memory': {
      const n = parseMemory(v);
      if (n === undefined) throw new ConfigError('argument must be a memory value');
      rangeCheck(dir, n);
      return String(n);
    }
    default:
      return raw;
  }
}

function rangeCheck(dir: Directive, n: number): void {
  if ((dir.min !== undefined && n < dir.min) || (dir.max !== undefined && n > dir.max)) {
    throw new ConfigError(`argument must be between ${dir.min ?? '-inf'} and ${dir.max ?? 'inf'} inclusive`);
  }
}

/** Parses `100`, `1k` (1000), `1kb` (1024), `5mb`, `2gb` into bytes. */
export function parseMemory(s: string): number | undefined {
  const m = /^(\d+)(k|kb|m|mb|g|gb|b)?$/i.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return n * mult[unit];
}

/** latency-tracking-info-percentiles: space-separated numbers between 0 and 100 (none is allowed). */
export function parsePercentiles(v: string): number[] | undefined {
  const parts = v.split(/\s+/).filter(Boolean);
  const out = parts.map(Number);
  return out.every((x, i) => /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(parts[i]) && x >= 0 && x <= 100) ? out : undefined;
}

/** A percentile as Valkey prints it (%f with the trailing zeros trimmed). */
export function formatPercentile(p: number): string {
  return String(Number(p.toFixed(6)));
}

function checkPercentiles(v: string): string | undefined {
  const parts = v.split(/\s+/).filter(Boolean);
  if (parts.some((x) => !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(x))) return 'Invalid latency-tracking-info-percentiles parameters';
  if (parsePercentiles(v) === undefined) return 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]';
  return undefined;
}

function checkKeyspaceEvents(v: string): string | undefined {
  return parseNotifyFlags(v) !== undefined ? undefined : 'Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.';
}

function checkSave(v: string): string | undefined {
  const parts = v.split(/\s+/).filter(Boolean);
  if (parts.length === 1 && parts[0] === '""') return undefined;
  if (parts.length % 2 !== 0 || parts.some((p) => !/^\d+$/.test(p))) return 'Invalid save parameters';
  return undefined;
}

function checkOutputBufferLimit(v: string): string | undefined {
  const parts = v.split(/\s+/).filter(Boolean);
  if (parts.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  for (let i = 0; i < parts.length; i += 4) {
    if (!['normal', 'replica', 'slave', 'pubsub'].includes(parts[i].toLowerCase())) return 'Invalid client class specified in buffer limit configuration.';
    if ([1, 2, 3].some((j) => parseMemory(parts[i + j]) === undefined)) return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
  }
  return undefined;
}

/**
 * Parses valkey.conf text into (directive, args) lines, with Valkey's quoting rules.
 * Returns the 1-based line number of each for error messages.
 */
export function parseConfigText(text: string, split: (line: string) => string[]): Array<{ line: number; raw: string; args: string[] }> {
  const out: Array<{ line: number; raw: string; args: string[] }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    out.push({ line: i + 1, raw: trimmed, args: split(trimmed) });
  });
  return out;
}
