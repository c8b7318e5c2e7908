import * as os from 'os';
import type { Client } from '../client';
import { ConfigError } from '../config';
import { globMatch } from '../glob';
import type { Server } from '../server';
import { is } from './args';
import { arityOk, command, CommandError, CommandSpec, Errors, keyPositions } from './command';
import { VERSION } from './connection';

/** INFO sections, in Valkey's order; each returns `field:value` lines. */
export const infoSections: Array<[string, (s: Server) => string[]]> = [
  ['server', (s) => [
    `redis_version:${VERSION}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_mode:' + (s.config.getBool('cluster-enabled') ? 'cluster' : 'standalone'),
    `os:${os.type()} ${os.release()} ${os.arch()}`,
    'arch_bits:64',
    'multiplexing_api:epoll',
    `process_id:${process.pid}`,
    `run_id:${s.runId}`,
    `tcp_port:${s.config.get('port')}`,
    `server_time_usec:${Date.now() * 1000}`,
    `uptime_in_seconds:${Math.floor((Date.now() - s.startedAt) / 1000)}`,
    `uptime_in_days:${Math.floor((Date.now() - s.startedAt) / 86400000)}`,
    `hz:${s.config.get('hz')}`,
    `executable:${process.argv[1] ?? ''}`,
    'engine:cdk-elasticache',
  ]],
  ['clients', (s) => {
    const clients = [...s.clients.values()];
    return [
      `connected_clients:${clients.length}`,
      'cluster_connections:0',
      `maxclients:${s.config.get('maxclients')}`,
      `blocked_clients:${clients.filter((c) => c.blocked).length}`,
      `pubsub_clients:${clients.filter((c) => c.subscriptionCount > 0).length}`,
      `watching_clients:${clients.filter((c) => c.watched.size > 0).length}`,
    ];
  }],
  ['memory', (s) => {
    const used = s.usedMemory();
    const rss = process.memoryUsage().rss;
    return [
      `used_memory:${used}`,
      `used_memory_human:${human(used)}`,
      `used_memory_rss:${rss}`,
      `used_memory_rss_human:${human(rss)}`,
      `used_memory_peak:${Math.max(used, peak.v = Math.max(peak.v, used))}`,
      `used_memory_dataset:${used - 900 * 1024}`,
      `maxmemory:${s.config.get('maxmemory')}`,
      `maxmemory_human:${human(s.config.getNumber('maxmemory'))}`,
      `maxmemory_policy:${s.config.get('maxmemory-policy')}`,
      `mem_fragmentation_ratio:${used > 0 ? (rss / used).toFixed(2) : '0.00'}`,
      'mem_allocator:v8',
    ];
  }],
  ['persistence', (s) => [`loading:${s.loading ? 1 : 0}`, 'rdb_changes_since_last_save:0', 'rdb_bgsave_in_progress:0', 'aof_enabled:0']],
  ['stats', (s) => {
    const st = s.stats;
    return [
      `total_connections_received:${st.totalConnections}`,
      `total_commands_processed:${st.totalCommands}`,
      `instantaneous_ops_per_sec:${st.instantaneousOps}`,
      `total_net_input_bytes:${st.netInputBytes}`,
      `total_net_output_bytes:${st.netOutputBytes}`,
      `rejected_connections:${st.rejectedConnections}`,
      `expired_keys:${s.dbs.reduce((a, d) => a + d.expiredKeys, 0)}`,
      `evicted_keys:${st.evictedKeys}`,
      `keyspace_hits:${st.keyspaceHits}`,
      `keyspace_misses:${st.keyspaceMisses}`,
      `pubsub_channels:${s.pubsub.channels.size}`,
      `pubsub_patterns:${s.pubsub.patterns.size}`,
      `pubsubshard_channels:${s.pubsub.shardChannels.size}`,
      `total_error_replies:${st.totalErrorReplies}`,
      `acl_access_denied_auth:${st.aclDeniedAuth}`,
      `acl_access_denied_cmd:${st.aclDeniedCmd}`,
      `acl_access_denied_key:${st.aclDeniedKey}`,
      `acl_access_denied_channel:${st.aclDeniedChannel}`,
    ];
  }],
  ['replication', (s) => [`role:${s.role}`, 'connected_slaves:0', `master_replid:${s.runId}`, 'master_repl_offset:0']],
  ['cpu', () => {
    const u = process.cpuUsage();
    return [`used_cpu_sys:${(u.system / 1e6).toFixed(6)}`, `used_cpu_user:${(u.user / 1e6).toFixed(6)}`];
  }],
  ['modules', () => []],
  ['commandstats', (s) => [...s.stats.commands].filter(([, v]) => v.calls + v.rejectedCalls + v.failedCalls > 0).map(([n, v]) =>
    `cmdstat_${n}:calls=${v.calls},usec=${Math.round(v.usec)},usec_per_call=${v.calls ? (v.usec / v.calls).toFixed(2) : '0.00'},rejected_calls=${v.rejectedCalls},failed_calls=${v.failedCalls}`)],
  ['errorstats', (s) => [...s.stats.errors].map(([code, n]) => `errorstat_${code}:count=${n}`)],
  ['cluster', (s) => [`cluster_enabled:${s.config.getBool('cluster-enabled') ? 1 : 0}`]],
  ['keyspace', (s) => s.dbs.filter((d) => d.size > 0).map((d) => `db${d.id}:keys=${d.size},expires=${d.expires.size},avg_ttl=0`)],
];
const peak = { v: 0 };
const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];

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
    const keys = keyPositions(spec, argv);
    if (keys.length === 0) throw new CommandError('ERR The command has no key arguments');
    c.reply.bulks(keys.map((i) => argv[i]));
  }),
  command('command|help', 2, 'loading stale', [0, 0, 0], 'connection', (c) => c.reply.bulks(['COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', '(no subcommand)', 'COUNT', 'INFO [<command-name> ...]', 'DOCS [<command-name> ...]', 'GETKEYS <full-command>', 'LIST [FILTERBY (MODULE|ACLCAT|PATTERN) <value>]', 'HELP'])),
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
    for (let i = 2; i < a.length; i += 2) {
      try {
        c.server.config.set(a[i], [a[i + 1]], false);
      } catch (e) {
        if (e instanceof ConfigError) {
          const unknown = e.message.startsWith('Bad directive');
          throw new CommandError(`ERR CONFIG SET failed (possibly related to argument '${a[i]}') - ${unknown ? 'Unknown option or number of arguments for CONFIG SET' : e.message}`);
        }
        throw e;
      }
    }
    c.reply.ok();
  }),
  command('config|resetstat', 2, 'admin noscript loading stale', [0, 0, 0], 'connection', (c) => {
    const st = c.server.stats;
    st.commands.clear();
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
  command('config|help', 2, 'loading stale', [0, 0, 0], 'connection', (c) => c.reply.bulks(['CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', 'GET <pattern>', 'SET <directive> <value>', 'RESETSTAT', 'REWRITE', 'HELP'])),
];

function flush(c: Client, argv: string[], all: boolean): void {
  if (argv.length > 2 || (argv[1] !== undefined && !is(argv[1], 'async') && !is(argv[1], 'sync'))) throw new CommandError(Errors.syntax);
  for (const db of all ? c.server.dbs : [c.db]) db.clear();
  if (all) c.server.touchAllWatched();
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
    for (const o of a.slice(1)) if (!['nosave', 'save', 'now', 'force', 'abort'].includes(o.toLowerCase())) throw new CommandError(Errors.syntax);
    c.server.log.warning('User requested shutdown...');
    c.server.shuttingDown = true;
    c.server.onShutdown?.();
  }),
];

