import type { ClusterNode } from './node';
import { SLOTS } from './slots';
import type { ClusterState } from './state';
import type { Reply } from '../resp/reply';

/**
 * The read-only views clients and tools parse: CLUSTER NODES (and the nodes.conf lines), SLOTS,
 * SHARDS, INFO, LINKS, in Valkey's formats.
 */

function flagsOf(st: ClusterState, n: ClusterNode): string {
  const f: string[] = [];
  if (n === st.myself) f.push('myself');
  f.push(n.role);
  if (n.pfail) f.push('fail?');
  if (n.fail) f.push('fail');
  if (!n.ip) f.push('noaddr');
  return f.join(',');
}

/** One CLUSTER NODES line; `config` adds the nodes.conf extras (shard id). */
export function nodeLine(st: ClusterState, n: ClusterNode, config = false): string {
  const me = n === st.myself;
  let addr = `${n.ip}:${n.port}@${n.cport}`;
  if (config) addr += `,${n.hostname},shard-id=${n.shardId}`;
  else if (n.hostname) addr += `,${n.hostname}`;
  const parts = [
    n.id,
    addr,
    flagsOf(st, n),
    n.role === 'slave' ? n.primaryId ?? '-' : '-',
    String(me ? 0 : n.pingSent),
    String(me ? 0 : n.pongReceived),
    String(st.announcedEpoch(n)),
    me || n.linked ? 'connected' : 'disconnected',
  ];
  if (n.role === 'master') for (const [a, b] of st.slotsOf(n)) parts.push(a === b ? String(a) : `${a}-${b}`);
  if (me) {
    for (const [s, id] of [...st.migrating].sort((x, y) => x[0] - y[0])) parts.push(`[${s}->-${id}]`);
    for (const [s, id] of [...st.importing].sort((x, y) => x[0] - y[0])) parts.push(`[${s}-<-${id}]`);
  }
  return parts.join(' ');
}

export function nodesText(st: ClusterState, config = false): string {
  return [...st.nodes.values()].map((n) => `${nodeLine(st, n, config)}\n`).join('');
}

function endpointEntry(r: Reply, n: ClusterNode): void {
  r.array(4);
  r.bulk(n.ip);
  r.int(n.port);
  r.bulk(n.id);
  if (n.hostname) {
    r.map(1);
    r.bulk('hostname');
    r.bulk(n.hostname);
  } else {
    r.map(0);
  }
}

/** CLUSTER SLOTS: runs of slots with the same primary, then that primary and its healthy replicas. */
export function replySlots(st: ClusterState, r: Reply): void {
  const runs: Array<[number, number, ClusterNode]> = [];
  let start = -1;
  for (let s = 0; s <= SLOTS; s++) {
    const o = s < SLOTS ? st.owner[s] : undefined;
    if (start >= 0 && (o !== st.owner[start] || s === SLOTS)) {
      runs.push([start, s - 1, st.owner[start]!]);
      start = -1;
    }
    if (o && start < 0) start = s;
  }
  r.array(runs.length);
  for (const [a, b, n] of runs) {
    const replicas = st.replicasOf(n).filter((x) => !x.fail);
    r.array(3 + replicas.length);
    r.int(a);
    r.int(b);
    endpointEntry(r, n);
    for (const x of replicas) endpointEntry(r, x);
  }
}

function health(n: ClusterNode): string {
  return n.fail || n.pfail ? 'fail' : 'online';
}

/** CLUSTER SHARDS: one map per shard (primary and replicas), slots as flat start/end pairs. */
export function replyShards(st: ClusterState, r: Reply): void {
  const shards = new Map<string, ClusterNode[]>();
  for (const n of st.nodes.values()) {
    const primary = n.role === 'slave' ? st.primaryOf(n) : n;
    const key = primary ? primary.id : n.id;
    let list = shards.get(key);
    if (!list) shards.set(key, (list = []));
    list.push(n);
  }
  r.array(shards.size);
  for (const [pid, members] of shards) {
    const primary = st.nodes.get(pid);
    members.sort((a, b) => (a.role === b.role ? 0 : a.role === 'master' ? -1 : 1));
    r.map(2);
    r.bulk('slots');
    const ranges = primary && primary.role === 'master' ? st.slotsOf(primary) : [];
    r.array(ranges.length * 2);
    for (const [a, b] of ranges) {
      r.int(a);
      r.int(b);
    }
    r.bulk('nodes');
    r.array(members.length);
    for (const n of members) {
      const fields: Array<[string, string | number]> = [['id', n.id], ['port', n.port], ['ip', n.ip], ['endpoint', n.ip]];
      if (n.hostname) fields.push(['hostname', n.hostname]);
      fields.push(['role', n.role === 'master' ? 'master' : 'replica'], ['replication-offset', n.replOffset], ['health', health(n)]);
      r.map(fields.length);
      for (const [k, v] of fields) {
        r.bulk(k);
        if (typeof v === 'number') r.int(v);
        else r.bulk(v);
      }
    }
  }
}

export function infoText(st: ClusterState): string {
  let assigned = 0;
  let pfail = 0;
  let fail = 0;
  for (let s = 0; s < SLOTS; s++) {
    const o = st.owner[s];
    if (!o) continue;
    assigned++;
    if (o.fail) fail++;
    else if (o.pfail) pfail++;
  }
  const me = st.myself;
  const s = st.stats;
  const sent = s.pingSent + s.pongSent + s.meetSent;
  const received = s.pingReceived + s.pongReceived + s.meetReceived;
  const lines = [
    `cluster_state:${st.ok ? 'ok' : 'fail'}`,
    `cluster_slots_assigned:${assigned}`,
    `cluster_slots_ok:${assigned - pfail - fail}`,
    `cluster_slots_pfail:${pfail}`,
    `cluster_slots_fail:${fail}`,
    `cluster_known_nodes:${st.nodes.size}`,
    `cluster_size:${st.sizedPrimaries().length}`,
    `cluster_current_epoch:${st.currentEpoch}`,
    `cluster_my_epoch:${st.announcedEpoch(me)}`,
  ];
  if (s.pingSent) lines.push(`cluster_stats_messages_ping_sent:${s.pingSent}`);
  if (s.pongSent) lines.push(`cluster_stats_messages_pong_sent:${s.pongSent}`);
  if (s.meetSent) lines.push(`cluster_stats_messages_meet_sent:${s.meetSent}`);
  lines.push(`cluster_stats_messages_sent:${sent}`);
  if (s.pingReceived) lines.push(`cluster_stats_messages_ping_received:${s.pingReceived}`);
  if (s.pongReceived) lines.push(`cluster_stats_messages_pong_received:${s.pongReceived}`);
  if (s.meetReceived) lines.push(`cluster_stats_messages_meet_received:${s.meetReceived}`);
  lines.push(`cluster_stats_messages_received:${received}`, 'total_cluster_links_buffer_limit_exceeded:0');
  return `${lines.join('\r\n')}\r\n`;
}
