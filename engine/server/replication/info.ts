import type { Client } from '../client';
import type { Server } from '../server';
import type { Replication } from './replication';

/** The replication of a node, once installed. */
export function replicationOf(server: Server): Replication | undefined {
  return server.repl as Replication | undefined;
}

/** INFO replication, with the field names and order of Redis 7.0. */
export function replicationInfo(server: Server): string[] {
  const repl = replicationOf(server);
  const config = server.config;
  const out: string[] = [`role:${server.role}`];
  if (repl === undefined) return out;
  const now = Date.now();
  const link = repl.link;
  if (link !== undefined) {
    const syncing = link.state === 'transfer' || link.state === 'handshake' || link.state === 'connecting';
    out.push(
      `master_host:${link.host}`,
      `master_port:${link.port}`,
      `master_link_status:${link.connected ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${link.connected ? Math.floor((now - link.lastIo) / 1000) : -1}`,
      `master_sync_in_progress:${syncing ? 1 : 0}`,
      `slave_read_repl_offset:${repl.offset}`,
      `slave_repl_offset:${repl.offset}`,
    );
    if (link.state === 'transfer') {
      const total = link.syncTotal;
      out.push(
        `master_sync_total_bytes:${total}`,
        `master_sync_read_bytes:${link.syncRead}`,
        `master_sync_left_bytes:${total >= 0 ? total - link.syncRead : -1}`,
        `master_sync_perc:${total > 0 ? ((link.syncRead * 100) / total).toFixed(2) : '0.00'}`,
        `master_sync_last_io_seconds_ago:${Math.floor((now - link.lastIo) / 1000)}`,
      );
    }
    if (!link.connected) out.push(`master_link_down_since_seconds:${Math.floor((now - link.downSince) / 1000)}`);
    out.push(
      `slave_priority:${config.getNumber('replica-priority')}`,
      `slave_read_only:${config.getBool('replica-read-only') ? 1 : 0}`,
      `replica_announced:${config.getBool('replica-announced') ? 1 : 0}`,
    );
  }
  out.push(`connected_slaves:${repl.replicas.size}`);
  let i = 0;
  for (const r of repl.replicas.values()) {
    out.push(`slave${i++}:ip=${r.ip},port=${r.port},state=${r.state},offset=${r.ackOffset},lag=${Math.floor((now - r.ackTime) / 1000)}`);
  }
  if (link === undefined) {
    const min = config.getNumber('min-replicas-to-write');
    if (min > 0) out.push(`min_slaves_good_slaves:${repl.goodReplicas()}`);
  }
  const b = repl.backlog;
  out.push(
    `master_failover_state:${repl.failover.state}`,
    `master_replid:${repl.replid}`,
    `master_replid2:${repl.replid2}`,
    `master_repl_offset:${repl.offset}`,
    `second_repl_offset:${repl.secondOffset}`,
    `repl_backlog_active:${b ? 1 : 0}`,
    `repl_backlog_size:${b ? b.size : config.getNumber('repl-backlog-size')}`,
    `repl_backlog_first_byte_offset:${b ? b.firstByteOffset : 0}`,
    `repl_backlog_histlen:${b ? b.histlen : 0}`,
  );
  return out;
}

/** ROLE. */
export function roleReply(c: Client, server: Server): void {
  const repl = replicationOf(server);
  const link = repl?.link;
  if (repl === undefined || link === undefined) {
    c.reply.array(3);
    c.reply.bulk('master');
    c.reply.int(repl?.offset ?? 0);
    const rs = repl ? [...repl.replicas.values()] : [];
    c.reply.array(rs.length);
    for (const r of rs) c.reply.bulks([r.ip, String(r.port), String(r.ackOffset)]);
    return;
  }
  const state = link.state === 'connected' ? 'connected' : link.state === 'transfer' ? 'sync' : link.state === 'connect' ? 'connect' : link.state;
  c.reply.array(5);
  c.reply.bulk('slave');
  c.reply.bulk(link.host);
  c.reply.int(link.port);
  c.reply.bulk(state);
  c.reply.int(link.connected ? repl.offset : -1);
}
