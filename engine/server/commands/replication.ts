import type { Client } from '../client';
import { replicationOf, roleReply } from '../replication/info';
import { Replication } from '../replication/replication';
import type { Server } from '../server';
import { command, CommandError, CommandSpec } from './command';

/**
 * Replication commands: REPLICAOF/SLAVEOF, the handshake commands a replica sends (REPLCONF,
 * PSYNC, SYNC), ROLE and WAIT. The protocol itself lives in replication/.
 */

function repl(c: Client): Replication {
  const r = replicationOf(c.server);
  if (r === undefined) throw new CommandError('ERR replication is not available on this node');
  return r;
}

function replicaof(c: Client, argv: string[]): void {
  const r = repl(c);
  if (c.server.config.getBool('cluster-enabled')) throw new CommandError('ERR REPLICAOF not allowed in cluster mode.');
  if (argv[1].toLowerCase() === 'no' && argv[2].toLowerCase() === 'one') {
    r.promote();
    c.reply.ok();
    return;
  }
  if (r.link !== undefined && c === r.link.client) throw new CommandError('ERR Command is not valid when client is a replica.');
  const port = Number(argv[2]);
  if (!/^\d+$/.test(argv[2]) || port < 0 || port > 65535) throw new CommandError('ERR Invalid master port');
  const host = argv[1];
  if (r.link !== undefined && r.link.host === host && r.link.port === port) {
    c.reply.simple('OK Already connected to specified master');
    return;
  }
  r.replicate(host, port);
  c.reply.ok();
}

function psync(c: Client, argv: string[]): void {
  if (c.replKind === 'replica') return; // already a replica connection: ignored, as Redis does
  const from = Number(argv[2]);
  if (!/^-?\d+$/.test(argv[2])) throw new CommandError('ERR value is not an integer or out of range');
  const failover = argv.length > 3 && argv[3].toLowerCase() === 'failover';
  repl(c).psync(c, argv[1], from, failover);
}

function wait(c: Client, argv: string[]): void {
  const r = repl(c);
  if (r.link !== undefined) throw new CommandError('ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.');
  if (!/^-?\d+$/.test(argv[1])) throw new CommandError('ERR value is not an integer or out of range');
  if (!/^-?\d+$/.test(argv[2])) throw new CommandError('ERR timeout is not an integer or out of range');
  const timeout = Number(argv[2]);
  if (timeout < 0) throw new CommandError('ERR timeout is negative');
  r.waits.wait(c, Number(argv[1]), timeout);
}

export const replicationCommands: CommandSpec[] = [
  command('replicaof', 3, 'admin noscript stale no-async-loading', [0, 0, 0], '', replicaof),
  command('slaveof', 3, 'admin noscript stale no-async-loading', [0, 0, 0], '', replicaof),
  command('replconf', -1, 'admin noscript loading stale allow-busy', [0, 0, 0], '', (c, a) => repl(c).replconf(c, a)),
  command('psync', -3, 'admin noscript no-async-loading no-multi', [0, 0, 0], '', psync),
  command('sync', 1, 'admin noscript no-async-loading no-multi', [0, 0, 0], '', (c) => {
    if (c.replKind !== 'replica') repl(c).psync(c, undefined, 0);
  }),
  command('failover', -1, 'admin noscript stale', [0, 0, 0], '', (c, a) => repl(c).failover.command(c, a)),
  command('role', 1, 'noscript loading stale fast', [0, 0, 0], 'admin dangerous', (c) => roleReply(c, c.server)),
  command('wait', 3, 'noscript', [0, 0, 0], 'connection', wait),
];

/** Installs replication on a node; `replicaof host port` in the config starts it as a replica. */
export function installReplication(server: Server): Replication {
  const r = new Replication(server);
  server.repl = r;
  // `replicaof host port` in the configuration: connect once the node listens (the cron starts then).
  let atStartup = server.config.get('replicaof').trim();
  server.cronHooks.push(() => {
    if (!atStartup) return;
    const [host, port] = atStartup.split(/\s+/);
    atStartup = '';
    if (r.link === undefined) r.replicate(host, Number(port));
  });
  return r;
}
