import * as os from 'os';
import type { Client } from '../client';
import { ConfigError } from '../config';
import { Db, valueBytes } from '../db';
import { evictorOf } from '../evict';
import { globMatch } from '../glob';
import { installLatencyHistograms, latencyHistogramSubcommands, latencyStatsInfo } from '../latency-histogram';
import { EXPIRE_OVERHEAD, KEY_OVERHEAD, stringBytes } from '../memory';
import { persistenceOf } from '../persistence';
import type { Server } from '../server';
import { is, parseInt64 } from './args';
import { arityOk, command, CommandError, CommandSpec, Errors, keyPositions } from './command';
import { applyBindLater } from './config-bind';
import { versionLines } from './engine-version';
import { encodingOf, helpReply } from './keys';
import { persistenceInfo } from '../persistence/info';
import { replicationInfo, replicationOf } from '../replication/info';

/** Rates sampled by the cron (INFO instantaneous_*). */
const rates = { at: Date.now(), inBytes: 0, outBytes: 0, inKbps: 0, outKbps: 0 };
/** When the server started, for the LRU clock (seconds, 24 bits, as INFO lru_clock shows it). */
function lruClock(): number {
  return Math.floor(Date.now() / 1000) & 0xffffff;
}

function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) : '0.00';
}

/** keyspace avg_ttl: the mean TTL (ms) of up to 1000 sampled keys with an expiry, as Valkey estimates it. */
function avgTtl(db: Db, now: number): number {
  let sum = 0;
  let n = 0;
  for (const at of db.expires.values()) {
    if (at > now) {
      sum += at - now;
      n++;
    }
    if (n >= 1000) break;
  }
  return n > 0 ? Math.round(sum / n) : 0;
}

/** INFO sections, in Valkey's order; each returns `field:value` lines (Redis 7.0's field names). */
export const infoSections: Array<[string, (s: Server) => string[]]> = [
  ['server', (s) => [
    ...versionLines(s),
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_build_id:0',
    'redis_mode:' + (s.config.getBool('cluster-enabled') ? 'cluster' : 'standalone'),
    `os:${os.type()} ${os.release()} ${os.arch()}`,
    'arch_bits:64',
    'monotonic_clock:POSIX clock_gettime',
    'multiplexing_api:epoll',
    'atomicvar_api:c11-builtin',
    'gcc_version:0.0.0',
    `process_id:${process.pid}`,
    'process_supervised:no',
    `run_id:${s.runId}`,
    `tcp_port:${s.config.get('port')}`,
    `server_time_usec:${Date.now() * 1000}`,
    `uptime_in_seconds:${Math.floor((Date.now() - s.startedAt) / 1000)}`,
    `uptime_in_days:${Math.floor((Date.now() - s.startedAt) / 86400000)}`,
    `hz:${s.config.get('hz')}`,
    `configured_hz:${s.config.get('hz')}`,
    `lru_clock:${lruClock()}`,
    `executable:${process.argv[1] ?? ''}`,
    'config_file:',
    'io_threads_active:0',
    'engine:cdk-elasticache',
  ]],
  ['clients', (s) => {
    const clients = [...s.clients.values()];
    return [
      `connected_clients:${clients.length}`,
      'cluster_connections:0',
      `maxclients:${s.config.get('maxclients')}`,
      'client_recent_max_input_buffer:0',
      'client_recent_max_output_buffer:0',
      `blocked_clients:${clients.filter((c) => c.blocked).length}`,
      `tracking_clients:${s.tracking.info().clients}`,
      `clients_in_timeout_table:${clients.filter((c) => c.blocked && c.blocked.deadline > 0).length}`,
      `pubsub_clients:${clients.filter((c) => c.subscriptionCount > 0).length}`,
      `watching_clients:${clients.filter((c) => c.watched.size > 0).length}`,
    ];
  }],
  ['memory', (s) => {
    const used = s.usedMemory();
    const rss = process.memoryUsage().rss;
    peak.v = Math.max(peak.v, used);
    const max = s.config.getNumber('maxmemory');
    const startup = BASELINE;
    const dataset = Math.max(0, used - startup);
    const total = os.totalmem();
    return [
      `used_memory:${used}`,
      `used_memory_human:${human(used)}`,
      `used_memory_rss:${rss}`,
      `used_memory_rss_human:${human(rss)}`,
      `used_memory_peak:${peak.v}`,
      `used_memory_peak_human:${human(peak.v)}`,
      `used_memory_peak_perc:${((used * 100) / peak.v).toFixed(2)}%`,
      `used_memory_overhead:${startup}`,
      `used_memory_startup:${startup}`,
      `used_memory_dataset:${dataset}`,
      `used_memory_dataset_perc:${used > startup ? ((dataset * 100) / (used - startup)).toFixed(2) : '0.00'}%`,
      `allocator_allocated:${used}`,
      `allocator_active:${used}`,
      `allocator_resident:${rss}`,
      `total_system_memory:${total}`,
      `total_system_memory_human:${human(total)}`,
      'used_memory_lua:0',
      'used_memory_vm_eval:0',
      'used_memory_lua_human:0B',
      'used_memory_scripts_eval:0',
      'number_of_cached_scripts:0',
      'number_of_functions:0',
      'number_of_libraries:0',
      'used_memory_vm_functions:0',
      'used_memory_vm_total:0',
      'used_memory_vm_total_human:0B',
      'used_memory_functions:0',
      'used_memory_scripts:0',
      'used_memory_scripts_human:0B',
      `maxmemory:${max}`,
      `maxmemory_human:${human(max)}`,
      `maxmemory_policy:${s.config.get('maxmemory-policy')}`,
      'allocator_frag_ratio:1.00',
      'allocator_frag_bytes:0',
      `allocator_rss_ratio:${ratio(rss, used)}`,
      `allocator_rss_bytes:${rss - used}`,
      'rss_overhead_ratio:1.00',
      'rss_overhead_bytes:0',
      `mem_fragmentation_ratio:${ratio(rss, used)}`,
      `mem_fragmentation_bytes:${rss - used}`,
      'mem_not_counted_for_evict:0',
      'mem_replication_backlog:0',
      'mem_total_replication_buffers:0',
      'mem_clients_slaves:0',
      'mem_clients_normal:0',
      'mem_cluster_links:0',
      'mem_aof_buffer:0',
      'mem_allocator:v8',
      'active_defrag_running:0',
      'lazyfree_pending_objects:0',
      'lazyfreed_objects:0',
    ];
  }],
  ['persistence', (s) => persistenceInfo(s)],
  ['stats', (s) => {
    const st = s.stats;
    return [
      `total_connections_received:${st.totalConnections}`,
      `total_commands_processed:${st.totalCommands}`,
      `instantaneous_ops_per_sec:${st.instantaneousOps}`,
      `total_net_input_bytes:${st.netInputBytes}`,
      `total_net_output_bytes:${st.netOutputBytes}`,
      'total_net_repl_input_bytes:0',
      'total_net_repl_output_bytes:0',
      `instantaneous_input_kbps:${rates.inKbps.toFixed(2)}`,
      `instantaneous_output_kbps:${rates.outKbps.toFixed(2)}`,
      'instantaneous_input_repl_kbps:0.00',
      'instantaneous_output_repl_kbps:0.00',
      `rejected_connections:${st.rejectedConnections}`,
      `sync_full:${st.syncFull}`,
      `sync_partial_ok:${st.syncPartialOk}`,
      `sync_partial_err:${st.syncPartialErr}`,
      `expired_keys:${s.dbs.reduce((a, d) => a + d.expiredKeys, 0)}`,
      'expired_stale_perc:0.00',
      'expired_time_cap_reached_count:0',
      'expire_cycle_cpu_milliseconds:0',
      `evicted_keys:${st.evictedKeys}`,
      'evicted_clients:0',
      'total_eviction_exceeded_time:0',
      'current_eviction_exceeded_time:0',
      `keyspace_hits:${st.keyspaceHits}`,
      `keyspace_misses:${st.keyspaceMisses}`,
      `pubsub_channels:${s.pubsub.channels.size}`,
      `pubsub_patterns:${s.pubsub.patterns.size}`,
      `pubsubshard_channels:${s.pubsub.shardChannels.size}`,
      'latest_fork_usec:0',
      'total_forks:0',
      'migrate_cached_sockets:0',
      'slave_expires_tracked_keys:0',
      'active_defrag_hits:0',
      'active_defrag_misses:0',
      'active_defrag_key_hits:0',
      'active_defrag_key_misses:0',
      'total_active_defrag_time:0',
      'current_active_defrag_time:0',
      `tracking_total_keys:${s.tracking.info().keys}`,
      `tracking_total_items:${s.tracking.info().items}`,
      `tracking_total_prefixes:${s.tracking.info().prefixes}`,
      'unexpected_error_replies:0',
      `total_error_replies:${st.totalErrorReplies}`,
      'dump_payload_sanitizations:0',
      `acl_access_denied_auth:${st.aclDeniedAuth}`,
      `acl_access_denied_cmd:${st.aclDeniedCmd}`,
      `acl_access_denied_key:${st.aclDeniedKey}`,
      `acl_access_denied_channel:${st.aclDeniedChannel}`,
    ];
  }],
  ['replication', (s) => replicationInfo(s)],
  ['cpu', () => {
    const u = process.cpuUsage();
    const sys = (u.system / 1e6).toFixed(6);
    const user = (u.user / 1e6).toFixed(6);
    return [`used_cpu_sys:${sys}`, `used_cpu_user:${user}`, 'used_cpu_sys_children:0.000000', 'used_cpu_user_children:0.000000',
      `used_cpu_sys_main_thread:${sys}`, `used_cpu_user_main_thread:${user}`];
  }],
  ['modules', () => []],
  ['commandstats', (s) => [...s.stats.commands].filter(([, v]) => v.calls + v.rejectedCalls + v.failedCalls > 0).map(([n, v]) =>
    `cmdstat_${n}:calls=${v.calls},usec=${Math.round(v.usec)},usec_per_call=${v.calls ? (v.usec / v.calls).toFixed(2) : '0.00'},rejected_calls=${v.rejectedCalls},failed_calls=${v.failedCalls}`)],
  ['errorstats', (s) => [...s.stats.errors].map(([code, n]) => `errorstat_${code}:count=${n}`)],
  ['latencystats', (s) => latencyStatsInfo(s)],
  ['cluster', (s) => [`cluster_enabled:${s.config.getBool('cluster-enabled') ? 1 : 0}`]],
  ['keyspace', (s) => {
    const now = Date.now();
    return s.dbs.filter((d) => d.size > 0).map((d) => `db${d.id}:keys=${d.size},expires=${d.expires.size},avg_ttl=${avgTtl(d, now)}`);
  }],
];
const peak = { v: 0 };
const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];
/** used_memory of an empty node (the server's baseline). */
const BASELINE = 900 * 1024;

function human(n: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n}B` : `${v.toFixed(2)}${units[i]}`;
}

/** The INFO text for the requested sections. */
export function infoText(s: Server, args: string[]): string {
  const want = args.map((a) => a.toLowerCase());
  let names: string[];
  if (want.length === 0 || want.includes('default')) names = DEFAULT_SECTIONS;
  else if (want.includes('all') || want.includes('everything')) names = infoSections.map(([n]) => n);
  else names = want;
  const parts: string[] = [];
  for (const [name, fn] of infoSections) {
    if (!names.includes(name)) continue;
    parts.push(`# ${name[0].toUpperCase()}${name.slice(1)}\r\n${fn(s).map((l) => `${l}\r\n`).join('')}`);
  }
  return parts.join('\r\n');
}

function commandInfo(c: Client, spec: CommandSpec): void {
  c.reply.array(10);
  c.reply.bulk(spec.name);
  c.reply.int(spec.arity);
  c.reply.set(spec.flags.length);
  for (const f of spec.flags) c.reply.simple(f);
  c.reply.int(spec.firstKey);
  c.reply.int(spec.lastKey);
  c.reply.int(spec.step);
  c.reply.set(spec.categories.length);
  for (const cat of spec.categories) c.reply.simple(`@${cat}`);
  c.reply.set(0); // tips
  c.reply.array(0); // key specs
  const subs = spec.subcommands ? [...spec.subcommands.values()] : [];
  c.reply.array(subs.length);
  for (const s of subs) commandInfo(c, s);
}

const commandSubcommands: CommandSpec[] = [
  command('command|count', 2, 'loading stale', [0, 0, 0], 'connection', (c) => c.reply.int(c.server.commands.size)),
  command('command|list', -2, 'loading stale', [0, 0, 0], 'connection', (c, a) => {
    let names = [...c.server.commands.all()].map((s) => s.name);
    if (a.length === 5 && is(a[2], 'filterby')) {
      const kind = a[3].toLowerCase();
      const v = a[4];
      if (kind === 'pattern') names = names.filter((n) => globMatch(v.toLowerCase(), n));
      else if (kind === 'aclcat') names = names.filter((n) => c.server.commands.get(n)!.categories.includes(v.toLowerCase()));
      else if (kind === 'module') names = [];
      else throw new CommandError(Errors.syntax);
    } else if (a.length !== 2) {throw new CommandError(Errors.syntax);}
    c.reply.bulks(names);
  }),
  command('command|info', -2, 'loading stale', [0, 0, 0], 'connection', (c, a) => {
    const specs = a.length === 2 ? [...c.server.commands.all()] : a.slice(2).map((n) => lookup(c.server, n));
    c.reply.array(specs.length);
    for (const s of specs) {
      if (s) commandInfo(c, s);
      else c.reply.nilArray();
    }
  }),
  command('command|docs', -2, 'loading stale', [0, 0, 0], 'connection', (c, a) => {
    const specs = a.length === 2 ? [...c.server.commands.all()] : a.slice(2).map((n) => lookup(c.server, n)).filter((s): s is CommandSpec => !!s);
    c.reply.map(specs.length);
    for (const s of specs) {
      c.reply.bulk(s.name);
      c.reply.map(2);
      c.reply.bulk('summary');
      c.reply.bulk('');
      c.reply.bulk('group');
      c.reply.bulk(s.categories.find((x) => !['read', 'write', 'fast', 'slow', 'keyspace', 'admin', 'dangerous', 'blocking'].includes(x)) ?? 'generic');
    }
  }),
  command('command|getkeys', -3, 'loading stale', [0, 0, 0], 'connection', (c, a) => {
    const spec = lookup(c.server, a[2]);
    if (!spec) throw new CommandError('ERR Invalid command specified');
    const argv = a.slice(2);
    if (!arityOk(spec, argv.length)) throw new CommandError('ERR Invalid number of arguments specified for command');
    if (spec.firstKey <= 0 && !spec.getKeys) throw new CommandError('ERR The command has no key arguments');
    const keys = keyPositions(spec, argv);
    if (keys.length === 0) {
      // numkeys out of range and the like; scripts may name no keys at all
      if (spec.flags.includes('no-mandatory-keys')) return c.reply.array(0);
      throw new CommandError('ERR Invalid arguments specified for command');
    }
    c.reply.bulks(keys.map((i) => argv[i]));
  }),
  command('command|help', 2, 'loading stale', [0, 0, 0], 'connection', (c) => helpReply(c, [
    'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', '(no subcommand)', '    Return details about all Redis commands.',
    'COUNT', '    Return the total number of commands in this Redis server.', 'LIST', '    Return a list of all commands in this Redis server.',
    'INFO [<command-name> ...]', '    Return details about multiple Redis commands.', '    If no command names are given, documentation details for all',
    '    commands are returned.', 'DOCS [<command-name> ...]', '    Return documentation details about multiple Redis commands.',
    '    If no command names are given, documentation details for all', '    commands are returned.', 'GETKEYS <full-command>',
    '    Return the keys from a full Redis command.', 'GETKEYSANDFLAGS <full-command>', '    Return the keys and the access flags from a full Redis command.',
    'HELP', '    Prints this help.',
  ])),
];

function lookup(s: Server, name: string): CommandSpec | undefined {
  const [main, sub] = name.toLowerCase().split('|');
  const spec = s.commands.get(main);
  return sub ? spec?.subcommands?.get(sub) : spec;
}

const configSubcommands: CommandSpec[] = [
  command('config|get', -3, 'admin noscript loading stale', [0, 0, 0], 'connection', (c, a) => {
    const pairs = c.server.config.match(a.slice(2));
    c.reply.map(pairs.length);
    for (const [k, v] of pairs) {
      c.reply.bulk(k);
      c.reply.bulk(v);
    }
  }),
  command('config|set', -4, 'admin noscript loading stale', [0, 0, 0], 'connection', (c, a) => {
    if ((a.length - 2) % 2 !== 0) throw new CommandError(Errors.arity('config|set'));
    const bindBefore = c.server.config.get('bind');
    let rebind = false;
    for (let i = 2; i < a.length; i += 2) {
      try {
        c.server.config.set(a[i], [a[i + 1]], false);
        rebind ||= a[i].toLowerCase() === 'bind';
      } catch (e) {
        if (e instanceof ConfigError) {
          const unknown = e.message.startsWith('Bad directive');
          throw new CommandError(`ERR CONFIG SET failed (possibly related to argument '${a[i]}') - ${unknown ? 'Unknown option or number of arguments for CONFIG SET' : e.message}`);
        }
        throw e;
      }
    }
    if (rebind) return applyBindLater(c, bindBefore);
    c.reply.ok();
  }),
  command('config|resetstat', 2, 'admin noscript loading stale', [0, 0, 0], 'connection', (c) => {
    const st = c.server.stats;
    // Reset in place: RESETSTAT's own call is counted afterwards into its (kept) entry, as in Valkey.
    for (const v of st.commands.values()) {
      v.calls = v.usec = v.rejectedCalls = v.failedCalls = 0;
      v.hist = undefined;
    }
    st.errors.clear();
    st.keyspaceHits = st.keyspaceMisses = st.evictedKeys = st.totalCommands = st.totalConnections = st.rejectedConnections = 0;
    st.totalErrorReplies = st.netInputBytes = st.netOutputBytes = 0;
    st.aclDeniedAuth = st.aclDeniedCmd = st.aclDeniedKey = st.aclDeniedChannel = 0;
    for (const d of c.server.dbs) d.expiredKeys = 0;
    c.server.slowlog = [];
    c.reply.ok();
  }),
  command('config|rewrite', 2, 'admin noscript loading stale', [0, 0, 0], 'connection', () => {
    throw new CommandError('ERR The server is running without a config file');
  }),
  command('config|help', 2, 'loading stale', [0, 0, 0], 'connection', (c) => helpReply(c, [
    'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', 'GET <pattern>', '    Return parameters matching the glob-like <pattern> and their values.',
    'SET <directive> <value>', '    Set the configuration <directive> to <value>.', 'RESETSTAT', '    Reset statistics reported by the INFO command.',
    'REWRITE', '    Rewrite the configuration file.', 'HELP', '    Prints this help.',
  ])),
];

function flush(c: Client, argv: string[], all: boolean): void {
  if (argv.length > 2 || (argv[1] !== undefined && !is(argv[1], 'async') && !is(argv[1], 'sync'))) throw new CommandError(Errors.syntax);
  c.server.tracking.flushStart();
  for (const db of all ? c.server.dbs : [c.db]) db.clear();
  c.server.tracking.flushEnd();
  if (all) c.server.touchAllWatched();
  if (all) persistenceOf(c.server)?.afterFlushAll();
  c.reply.ok();
}

export const adminCommands: CommandSpec[] = [
  command('info', -1, 'loading stale sentinel', [0, 0, 0], 'dangerous', (c, a) => c.reply.verbatim(infoText(c.server, a.slice(1)))),
  command('dbsize', 1, 'readonly fast', [0, 0, 0], 'keyspace', (c) => c.reply.int(c.db.size)),
  command('flushdb', -1, 'write', [0, 0, 0], 'keyspace dangerous', (c, a) => flush(c, a, false)),
  command('flushall', -1, 'write', [0, 0, 0], 'keyspace dangerous', (c, a) => flush(c, a, true)),
  command('time', 1, 'loading stale fast', [0, 0, 0], '', (c) => {
    const us = BigInt(Date.now()) * 1000n + BigInt(Math.floor((performance.now() % 1) * 1000));
    c.reply.bulks([String(us / 1000000n), String(us % 1000000n)]);
  }),
  command('command', -1, 'loading stale sentinel', [0, 0, 0], 'connection', (c) => {
    const all = [...c.server.commands.all()];
    c.reply.array(all.length);
    for (const s of all) commandInfo(c, s);
  }, { subcommands: commandSubcommands }),
  command('config', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'config'));
  }, { subcommands: configSubcommands }),
  command('shutdown', -1, 'admin noscript loading stale no-multi sentinel allow-busy', [0, 0, 0], '', (c, a) => {
    const opts = a.slice(1).map((o) => o.toLowerCase());
    for (const o of opts) if (!['nosave', 'save', 'now', 'force', 'abort'].includes(o)) throw new CommandError(Errors.syntax);
    c.server.log.warning('User requested shutdown...');
    const failed = persistenceOf(c.server)?.prepareShutdown({ save: opts.includes('save'), nosave: opts.includes('nosave'), force: opts.includes('force') });
    if (failed) throw new CommandError(failed);
    c.server.shuttingDown = true;
    c.server.onShutdown?.();
  }),
];


// ------------------------------------------------------------------ SLOWLOG

const slowlogSubcommands: CommandSpec[] = [
  command('slowlog|get', -2, 'admin loading stale', [0, 0, 0], '', (c, a) => {
    let count = 10;
    if (a.length > 3) throw new CommandError(`ERR unknown subcommand or wrong number of arguments for '${a[1]}'. Try SLOWLOG HELP.`);
    if (a.length === 3) {
      const n = parseInt64(a[2]);
      if (n === undefined || n < -1) throw new CommandError('ERR count should be greater than or equal to -1');
      count = n === -1 ? Infinity : Number(n);
    }
    const entries = c.server.slowlog.slice(0, Math.min(count, c.server.slowlog.length));
    c.reply.array(entries.length);
    for (const e of entries) {
      c.reply.array(6);
      c.reply.int(e.id);
      c.reply.int(e.time);
      c.reply.int(e.usec);
      c.reply.bulks(e.argv);
      c.reply.bulk(e.addr);
      c.reply.bulk(e.name);
    }
  }),
  command('slowlog|len', 2, 'admin loading stale', [0, 0, 0], '', (c) => c.reply.int(c.server.slowlog.length)),
  command('slowlog|reset', 2, 'admin loading stale', [0, 0, 0], '', (c) => {
    c.server.slowlog = [];
    c.reply.ok();
  }),
  command('slowlog|help', 2, 'loading stale', [0, 0, 0], '', (c) => helpReply(c, [
    'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    'GET [<count>]',
    '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
    '    Entries are made of:',
    '    id, timestamp, time in microseconds, arguments array, client IP and port,',
    '    client name',
    'LEN',
    '    Return the length of the slowlog.',
    'RESET',
    '    Reset the slowlog.',
    'HELP',
    '    Prints this help.',
  ])),
];

// ------------------------------------------------------------------ LATENCY

/** One latency event class: its samples (time in s, latency in ms), at most 160, and the all-time max. */
interface LatencySeries {
  samples: Array<{ time: number; latency: number }>;
  max: number;
}
const latencyData = new WeakMap<Server, Map<string, LatencySeries>>();
function latencyOf(s: Server): Map<string, LatencySeries> {
  let m = latencyData.get(s);
  if (!m) latencyData.set(s, (m = new Map()));
  return m;
}

/** Records a latency sample (ms) for `event`, as Valkey's latencyAddSample does. */
export function addLatencySample(s: Server, event: string, ms: number): void {
  const m = latencyOf(s);
  let ts = m.get(event);
  if (!ts) m.set(event, (ts = { samples: [], max: 0 }));
  const now = Math.floor(Date.now() / 1000);
  if (ms > ts.max) ts.max = ms;
  const last = ts.samples[ts.samples.length - 1];
  if (last && last.time === now) {
    last.latency = Math.max(last.latency, ms);
    return;
  }
  ts.samples.push({ time: now, latency: ms });
  if (ts.samples.length > 160) ts.samples.shift();
}

const LATENCY_DISABLED = 'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
const LATENCY_NONE = 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';

function latencyDoctor(s: Server): string {
  if (s.config.getNumber('latency-monitor-threshold') === 0) return LATENCY_DISABLED;
  const m = latencyOf(s);
  if (m.size === 0) return LATENCY_NONE;
  let out = 'Dave, I have observed latency spikes in this Redis instance. You don\'t mind talking about it, do you Dave?\n\n';
  let i = 1;
  for (const [event, ts] of m) {
    const avg = ts.samples.reduce((a, x) => a + x.latency, 0) / ts.samples.length;
    const dev = ts.samples.reduce((a, x) => a + Math.abs(x.latency - avg), 0) / ts.samples.length;
    const period = ts.samples.length > 1 ? Math.round((ts.samples[ts.samples.length - 1].time - ts.samples[0].time) / (ts.samples.length - 1)) : 0;
    out += `${i++}. ${event}: ${ts.samples.length} latency spikes (average ${Math.round(avg)}ms, mean deviation ${Math.round(dev)}ms, period ${period} sec). Worst all time event ${ts.max}ms.\n`;
  }
  out += '\nI have a few advices for you:\n\n- Check your slow commands with SLOWLOG GET: commands with a high time complexity block every other client.\n';
  return out;
}

function latencyGraph(event: string, ts: LatencySeries): string {
  const lat = ts.samples.map((x) => x.latency);
  const high = Math.max(...lat);
  const low = Math.min(...lat);
  let out = `${event} - high ${high} ms, low ${low} ms (all time high ${ts.max} ms)\n${'-'.repeat(80)}\n`;
  const rows = 4;
  for (let r = rows; r >= 1; r--) {
    out += `${lat.map((v) => (high === low ? (r === 1 ? '_' : ' ') : (v - low) / (high - low) * rows >= r - 0.5 ? '#' : r === 1 ? '_' : ' ')).join('')}\n`;
  }
  const now = Math.floor(Date.now() / 1000);
  out += `${ts.samples.map((x) => String(Math.min(9, now - x.time))).join('')}\n${ts.samples.map(() => 's').join('')}\n`;
  return out;
}

const latencySubcommands: CommandSpec[] = [
  command('latency|latest', 2, 'admin noscript loading stale', [0, 0, 0], '', (c) => {
    const m = latencyOf(c.server);
    c.reply.array(m.size);
    for (const [event, ts] of m) {
      const last = ts.samples[ts.samples.length - 1];
      c.reply.array(4);
      c.reply.bulk(event);
      c.reply.int(last.time);
      c.reply.int(last.latency);
      c.reply.int(ts.max);
    }
  }),
  command('latency|history', 3, 'admin noscript loading stale', [0, 0, 0], '', (c, a) => {
    const ts = latencyOf(c.server).get(a[2]);
    const samples = ts?.samples ?? [];
    c.reply.array(samples.length);
    for (const x of samples) {
      c.reply.array(2);
      c.reply.int(x.time);
      c.reply.int(x.latency);
    }
  }),
  command('latency|reset', -2, 'admin noscript loading stale', [0, 0, 0], '', (c, a) => {
    const m = latencyOf(c.server);
    let n = 0;
    if (a.length === 2) {
      n = m.size;
      m.clear();
    } else {
      for (const e of a.slice(2)) if (m.delete(e)) n++;
    }
    c.reply.int(n);
  }),
  command('latency|doctor', 2, 'admin noscript loading stale', [0, 0, 0], '', (c) => c.reply.verbatim(latencyDoctor(c.server))),
  command('latency|graph', 3, 'admin noscript loading stale', [0, 0, 0], '', (c, a) => {
    const ts = latencyOf(c.server).get(a[2]);
    if (!ts || ts.samples.length === 0) throw new CommandError(`ERR No samples available for event '${a[2]}'`);
    c.reply.verbatim(latencyGraph(a[2], ts));
  }),
  command('latency|help', 2, 'loading stale', [0, 0, 0], '', (c) => helpReply(c, [
    'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    'DOCTOR',
    '    Return a human readable latency analysis report.',
    'GRAPH <event>',
    '    Return an ASCII latency graph for the <event> class.',
    'HISTORY <event>',
    '    Return time-latency samples for the <event> class.',
    'LATEST',
    '    Return the latest latency samples for all events.',
    'RESET [<event> ...]',
    '    Reset latency data of one or more <event> classes.',
    '    (default: reset all data for all event classes)',
    'HISTOGRAM [COMMAND ...]',
    '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
    '    If no commands are specified then all histograms are replied.',
    'HELP',
    '    Prints this help.',
  ])),
  ...latencyHistogramSubcommands,
];

// ------------------------------------------------------------------ MEMORY

/** MEMORY USAGE: the estimated bytes of a key, its value and its expiry entry. */
export function keyMemoryUsage(db: Db, key: string): number | undefined {
  const v = db.peek(key);
  if (v === undefined) return undefined;
  return KEY_OVERHEAD + stringBytes(key.length) + valueBytes(v) + (db.expires.has(key) ? EXPIRE_OVERHEAD : 0);
}

function memoryStats(c: Client): void {
  const s = c.server;
  const used = s.usedMemory();
  peak.v = Math.max(peak.v, used);
  const rss = process.memoryUsage().rss;
  const keys = s.dbs.reduce((a, d) => a + d.size, 0);
  const dataset = Math.max(0, used - BASELINE);
  const dbs = s.dbs.filter((d) => d.size > 0);
  const ints: Array<[string, number]> = [
    ['peak.allocated', peak.v], ['total.allocated', used], ['startup.allocated', BASELINE], ['replication.backlog', 0],
    ['clients.slaves', 0], ['clients.normal', 0], ['cluster.links', 0], ['aof.buffer', 0], ['lua.caches', 0], ['functions.caches', 0],
  ];
  c.reply.map(ints.length + dbs.length + 17);
  for (const [k, v] of ints) {
    c.reply.bulk(k);
    c.reply.int(v);
  }
  for (const d of dbs) {
    c.reply.bulk(`db.${d.id}`);
    c.reply.map(2);
    c.reply.bulk('overhead.hashtable.main');
    c.reply.int(d.size * KEY_OVERHEAD);
    c.reply.bulk('overhead.hashtable.expires');
    c.reply.int(d.expires.size * EXPIRE_OVERHEAD);
  }
  const pairs: Array<[string, number, boolean]> = [
    ['overhead.total', BASELINE, false], ['keys.count', keys, false], ['keys.bytes-per-key', keys ? Math.floor(dataset / keys) : 0, false],
    ['dataset.bytes', dataset, false], ['dataset.percentage', used > BASELINE ? (dataset * 100) / (used - BASELINE) : 0, true],
    ['peak.percentage', (used * 100) / peak.v, true], ['allocator.allocated', used, false], ['allocator.active', used, false],
    ['allocator.resident', rss, false], ['allocator-fragmentation.ratio', 1, true], ['allocator-fragmentation.bytes', 0, false],
    ['allocator-rss.ratio', rss / used, true], ['allocator-rss.bytes', rss - used, false], ['rss-overhead.ratio', 1, true],
    ['rss-overhead.bytes', 0, false], ['fragmentation', rss / used, true], ['fragmentation.bytes', rss - used, false],
  ];
  for (const [k, v, dbl] of pairs) {
    c.reply.bulk(k);
    if (dbl) c.reply.double(v);
    else c.reply.int(v);
  }
}

const memorySubcommands: CommandSpec[] = [
  command('memory|usage', -3, 'readonly', [2, 2, 1], 'keyspace', (c, a) => {
    for (let j = 3; j < a.length; j++) {
      if (is(a[j], 'samples') && j + 1 < a.length) {
        const n = parseInt64(a[++j]);
        if (n === undefined) throw new CommandError(Errors.notInteger);
        if (n < 0) throw new CommandError(Errors.syntax);
      } else {
        throw new CommandError(Errors.syntax);
      }
    }
    const n = keyMemoryUsage(c.db, a[2]);
    if (n === undefined) c.reply.nil();
    else c.reply.int(n);
  }),
  command('memory|stats', 2, '', [0, 0, 0], '', memoryStats),
  command('memory|doctor', 2, '', [0, 0, 0], '', (c) => {
    const empty = c.server.usedMemory() < 5 * 1024 * 1024;
    c.reply.verbatim(empty
      ? 'Hi Sam, this instance is empty or is using very little memory, my issues detector can\'t be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n'
      : 'Hi Sam, I can\'t find any memory issue in your instance. I can only account for what occurs on this base.\n');
  }),
  command('memory|malloc-stats', 2, '', [0, 0, 0], '', (c) => c.reply.verbatim('Stats not supported for the current allocator\n')),
  command('memory|purge', 2, '', [0, 0, 0], '', (c) => c.reply.ok()),
  command('memory|help', 2, 'loading stale', [0, 0, 0], '', (c) => helpReply(c, [
    'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
    'DOCTOR',
    '    Return memory problems reports.',
    'MALLOC-STATS',
    '    Return internal statistics report from the memory allocator.',
    'PURGE',
    '    Attempt to purge dirty pages for reclamation by the allocator.',
    'STATS',
    '    Return information about the memory usage of the server.',
    'USAGE <key> [SAMPLES <count>]',
    '    Return memory in bytes used by <key> and its value. Nested values are',
    '    sampled up to <count> times (default: 5, 0 means sample all).',
    'HELP',
    '    Prints this help.',
  ])),
];

// ------------------------------------------------------------------ DEBUG

const DEBUG_DENIED = 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/** Blocks the event loop, as DEBUG SLEEP blocks valkey-server. */
function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function debugCommand(c: Client, a: string[]): void {
  const mode = c.server.config.get('enable-debug-command');
  const local = /^(127\.|::1|$)/.test(c.addr.replace(/:\d+$/, ''));
  if (mode === 'no' || (mode === 'local' && !local)) throw new CommandError(DEBUG_DENIED);
  const sub = a[1].toLowerCase();
  const n = a.length;
  const bad = () => new CommandError(`ERR unknown subcommand or wrong number of arguments for '${a[1]}'. Try DEBUG HELP.`);
  if (sub === 'help' && n === 2) {
    helpReply(c, ['DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', 'CHANGE-REPL-ID', '    Change the replication IDs of the instance.',
      'ERROR <string>', '    Return a Redis protocol error with <string> as message.', 'LOG <message>', '    Write <message> to the server log.',
      'OBJECT <key>', '    Show low level info about `key` and associated value.', 'POPULATE <count> [<prefix>] [<size>]',
      '    Create <count> string keys named key:<num>. If <prefix> is specified then', '    it is used instead of the \'key\' prefix.',
      'SET-ACTIVE-EXPIRE <0|1>', '    Setting it to 0 disables expiring keys in background when they are not', '    accessed. Setting it to 1 reenables back the default.',
      'SLEEP <seconds>', '    Stop the server for <seconds>. Decimals allowed.', 'HELP', '    Prints this help.']);
  } else if (sub === 'sleep' && n === 3) {
    sleepSync((parseFloat(a[2]) || 0) * 1000);
    c.reply.ok();
  } else if (sub === 'set-active-expire' && n === 3) {
    c.server.activeExpire = (parseInt(a[2], 10) || 0) !== 0;
    c.reply.ok();
  } else if (sub === 'object' && n === 3) {
    const v = c.db.peek(a[2]);
    if (v === undefined) throw new CommandError(Errors.noSuchKey);
    const idle = evictorOf(c.server)?.idleSeconds(c.db, a[2]) ?? 0;
    const size = typeof v === 'string' ? v.length : v.bytes;
    c.reply.simple(`Value at:0x0 refcount:1 encoding:${encodingOf(v)} serializedlength:${size} lru:${Math.floor(Date.now() / 1000) & 0xffffff} lru_seconds_idle:${idle}`);
  } else if (sub === 'error' && n === 3) {
    throw new CommandError(a[2]);
  } else if (sub === 'log' && n === 3) {
    c.server.log.warning(`DEBUG LOG: ${a[2]}`);
    c.reply.ok();
  } else if (sub === 'reload' && persistenceOf(c.server)) {
    const opts = a.slice(2).map((o) => o.toLowerCase());
    try {
      persistenceOf(c.server)!.reload({ save: !opts.includes('nosave'), flush: !opts.includes('noflush') });
    } catch (e) {
      throw new CommandError(`ERR Error trying to load the RDB dump: ${(e as Error).message}`);
    }
    c.server.log.notice('DB reloaded by DEBUG RELOAD');
    c.reply.ok();
  } else if (sub === 'change-repl-id' && n === 2) {
    replicationOf(c.server)?.changeReplid();
    c.reply.ok();
  } else if (sub === 'populate' && n >= 3 && n <= 5) {
    const count = parseInt64(a[2]);
    if (count === undefined || count < 0) throw new CommandError('ERR count must be >= 0');
    const prefix = n >= 4 ? a[3] : 'key';
    const size = n === 5 ? parseInt64(a[4]) : undefined;
    if (n === 5 && (size === undefined || size < 0)) throw new CommandError('ERR size must be >= 0');
    for (let j = 0; j < Number(count); j++) {
      const key = flatString(`${prefix}:${j}`);
      if (c.db.get(key) !== undefined) continue;
      let val = `value:${j}`;
      if (size !== undefined) val = (val + '\0'.repeat(Math.max(0, Number(size) - val.length))).slice(0, Number(size));
      c.db.set(key, flatString(val));
    }
    c.reply.ok();
  } else {
    throw bad();
  }
}

/**
 * The string as one flat copy, as a client's argument arrives. A concatenation of 13 or more
 * characters is a rope in V8; keeping those would make populated data unlike real data (each
 * would be flattened, and grow, the first time anything reads its bytes, a snapshot included).
 */
function flatString(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'latin1').latin1Slice(0, s.length);
}

// ------------------------------------------------------------------ registration

export const serverAdminCommands: CommandSpec[] = [
  command('slowlog', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'slowlog'));
  }, { subcommands: slowlogSubcommands }),
  command('latency', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'latency'));
  }, { subcommands: latencySubcommands }),
  command('memory', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'memory'));
  }, { subcommands: memorySubcommands }),
  command('monitor', 1, 'admin noscript loading stale', [0, 0, 0], '', (c) => {
    if (c.monitor) return;
    c.monitor = true;
    c.server.monitors.add(c);
    c.reply.ok();
  }),
  command('debug', -2, 'admin noscript loading stale', [0, 0, 0], '', debugCommand),
];

/**
 * Server-side parts of the admin commands that need hooks: the latency monitor (while
 * latency-monitor-threshold > 0) and the instantaneous network rates sampled by the cron.
 */
export function installAdmin(server: Server): void {
  installLatencyHistograms(server);
  const timed = (spec: CommandSpec, usec: number) => {
    const ms = Math.floor(usec / 1000);
    const threshold = server.config.getNumber('latency-monitor-threshold');
    if (threshold > 0 && ms >= threshold) addLatencySample(server, spec.flags.includes('fast') ? 'fast-command' : 'command', ms);
  };
  const apply = (v: string) => (server.onCommandTimed = Number(v) > 0 ? timed : undefined);
  apply(server.config.get('latency-monitor-threshold'));
  server.config.onChange('latency-monitor-threshold', apply);
  server.cronHooks.push((now) => {
    const dt = now - rates.at;
    if (dt < 1000) return;
    rates.inKbps = (server.stats.netInputBytes - rates.inBytes) / 1024 / (dt / 1000);
    rates.outKbps = (server.stats.netOutputBytes - rates.outBytes) / 1024 / (dt / 1000);
    rates.at = now;
    rates.inBytes = server.stats.netInputBytes;
    rates.outBytes = server.stats.netOutputBytes;
  });
}
