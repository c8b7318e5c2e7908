import type { Client } from '../client';
import { command, CommandError, CommandSpec, Errors } from './command';
import { helpReply } from './keys';
import type { Cluster } from '../cluster/cluster';
import type { ClusterNode, GossipMessage } from '../cluster/node';
import { keySlot, parseSlot, randomId, SLOTS } from '../cluster/slots';
import { infoText, nodeLine, nodesText, replyShards, replySlots } from '../cluster/views';

/**
 * CLUSTER and its subcommands, ASKING, READONLY, READWRITE. The read views are identical on every
 * node of a converged cluster; the topology subcommands change this node's view, and the bus tells
 * the others (see cluster/bus.ts and engine/README.md's admin API).
 */

const DISABLED = 'ERR This instance has cluster support disabled';

function clusterOf(c: Client): Cluster {
  const cl = c.server.cluster;
  if (!cl) throw new CommandError(DISABLED);
  return cl;
}

function intArg(s: string): number {
  if (!/^-?\d+$/.test(s)) throw new CommandError(Errors.notInteger);
  return Number(s);
}

function slotArg(s: string): number {
  const slot = parseSlot(s);
  if (slot === undefined) throw new CommandError('ERR Invalid or out of range slot');
  return slot;
}

function nodeArg(cl: Cluster, id: string, msg = `ERR Unknown node ${id}`): ClusterNode {
  const n = cl.state.nodes.get(id);
  if (!n) throw new CommandError(msg);
  return n;
}

/** Valkey's answer to extra arguments of the subcommands that parse their own. */
function wrongArgs(argv: string[]): string {
  return `ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLUSTER HELP.`;
}

function changed(cl: Cluster): void {
  cl.changed(true);
}

// ---------------------------------------------------------------- slots

/** ADDSLOTS / DELSLOTS (and their RANGE forms): every slot is checked before any changes. */
function changeSlots(c: Client, slots: number[], del: boolean): void {
  const cl = clusterOf(c);
  const st = cl.state;
  const seen = new Set<number>();
  for (const s of slots) {
    if (del && !st.owner[s]) throw new CommandError(`ERR Slot ${s} is already unassigned`);
    if (!del && st.owner[s]) throw new CommandError(`ERR Slot ${s} is already busy`);
    if (seen.has(s)) throw new CommandError(`ERR Slot ${s} specified multiple times`);
    seen.add(s);
  }
  for (const s of slots) {
    if (del) {
      st.owner[s] = undefined;
    } else {
      st.importing.delete(s); // now the real owner
      st.assign(s, st.myself);
    }
  }
  changed(cl);
  c.reply.ok();
}

function slotList(argv: string[]): number[] {
  return argv.slice(2).map(slotArg);
}

function slotRangeList(argv: string[], name: string): number[] {
  if ((argv.length - 2) % 2 !== 0) throw new CommandError(Errors.arity(`cluster|${name}`));
  const out: number[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const a = slotArg(argv[i]);
    const b = slotArg(argv[i + 1]);
    if (a > b) throw new CommandError(`ERR start slot number ${a} is greater than end slot number ${b}`);
    for (let s = a; s <= b; s++) out.push(s);
  }
  return out;
}

function setslot(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const st = cl.state;
  const me = st.myself;
  if (me.role === 'slave') throw new CommandError('ERR Please use SETSLOT only with masters.');
  const slot = slotArg(argv[2]);
  const action = argv[3].toLowerCase();
  const bad = 'ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP';
  if (action === 'migrating' && argv.length === 5) {
    if (st.owner[slot] !== me) throw new CommandError(`ERR I'm not the owner of hash slot ${slot}`);
    const n = nodeArg(cl, argv[4], `ERR I don't know about node ${argv[4]}`);
    if (n.role !== 'master') throw new CommandError('ERR Target node is not a master');
    st.migrating.set(slot, n.id);
  } else if (action === 'importing' && argv.length === 5) {
    if (st.owner[slot] === me) throw new CommandError(`ERR I'm already the owner of hash slot ${slot}`);
    const n = nodeArg(cl, argv[4], `ERR I don't know about node ${argv[4]}`);
    if (n.role !== 'master') throw new CommandError('ERR Target node is not a master');
    st.importing.set(slot, n.id);
  } else if (action === 'stable' && argv.length === 4) {
    st.migrating.delete(slot);
    st.importing.delete(slot);
  } else if (action === 'node' && argv.length === 5) {
    const n = nodeArg(cl, argv[4]);
    if (n.role !== 'master') throw new CommandError('ERR Target node is not a master');
    if (st.owner[slot] === me && n !== me && st.keys.countInSlot(slot) > 0) {
      throw new CommandError(`ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`);
    }
    // Handing the slot over ends our migration of it.
    if (n !== me) st.migrating.delete(slot);
    const hadSlots = st.hasSlots(me);
    let bumped = false;
    if (n === me && st.importing.has(slot)) {
      st.importing.delete(slot);
      // The imported slot must win over the old owner's claim everywhere: a new epoch, without a vote (as Valkey).
      bumped = st.bumpEpochWithoutConsensus();
      if (bumped) c.server.log.notice(`configEpoch updated after importing slot ${slot}`);
    }
    st.assign(slot, n);
    // A primary left without slots follows the node that took the last one (cluster-allow-replica-migration).
    if (hadSlots && n !== me && !st.hasSlots(me) && c.server.config.getBool('cluster-allow-replica-migration')) st.becomeReplicaOf(n);
  } else {
    throw new CommandError(bad);
  }
  changed(cl);
  c.reply.ok();
}

// ---------------------------------------------------------------- roles and nodes

function replicate(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const st = cl.state;
  const n = nodeArg(cl, argv[2]);
  if (n === st.myself) throw new CommandError("ERR Can't replicate myself");
  if (n.role !== 'master') throw new CommandError('ERR I can only replicate a master, not a replica.');
  if (st.myself.role === 'master' && (st.numSlots(st.myself) !== 0 || c.server.dbs[0].size !== 0)) {
    throw new CommandError('ERR To set a master the node must be empty and without assigned slots.');
  }
  st.becomeReplicaOf(n);
  changed(cl);
  c.reply.ok();
}

function replicas(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const n = nodeArg(cl, argv[2]);
  if (n.role !== 'master') throw new CommandError('ERR The specified node is not a master');
  const list = cl.state.replicasOf(n);
  c.reply.array(list.length);
  for (const r of list) c.reply.bulk(`${nodeLine(cl.state, r)}\n`);
}

/**
 * FAILOVER [FORCE|TAKEOVER] on a replica: it takes its primary's slots with a new config epoch and
 * the old primary follows it when it hears the higher epoch. No vote among the primaries (the
 * control plane decides failovers), so every mode acts as TAKEOVER does.
 */
function failover(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const st = cl.state;
  if (argv.length > 3) throw new CommandError(wrongArgs(argv));
  const opt = argv[2]?.toLowerCase();
  if (opt !== undefined && opt !== 'force' && opt !== 'takeover') throw new CommandError(Errors.syntax);
  const me = st.myself;
  if (me.role === 'master') throw new CommandError('ERR You should send CLUSTER FAILOVER to a replica');
  const old = st.primaryOf(me);
  if (!old) throw new CommandError("ERR I'm a replica but my master is unknown to me");
  if (opt === undefined && (old.fail || old.pfail)) throw new CommandError('ERR Master is down or failed, please use CLUSTER FAILOVER FORCE');
  // INTEGRATION POINT (replication): a default (coordinated) failover waits for the replica to catch up with its primary's offset first.
  st.currentEpoch = Math.max(st.currentEpoch, st.maxConfigEpoch()) + 1;
  me.configEpoch = st.currentEpoch;
  st.becomePrimary();
  me.shardId = old.shardId;
  for (let s = 0; s < SLOTS; s++) if (st.owner[s] === old) st.owner[s] = me;
  // The old primary and its other replicas switch to us themselves when they hear our newer claims.
  c.server.log.notice(`Failover: taking over the slots of ${old.id} with configEpoch ${me.configEpoch}`);
  changed(cl);
  c.reply.ok();
}

function meet(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  if (argv.length > 5) throw new CommandError(wrongArgs(argv));
  const ip = argv[2];
  const validIp = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(ip) || (ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip));
  if (!/^\d+$/.test(argv[3]) || Number(argv[3]) > 65535) throw new CommandError(`ERR Invalid TCP base port specified: ${argv[3]}`);
  if (argv[4] !== undefined && (!/^\d+$/.test(argv[4]) || Number(argv[4]) > 65535)) throw new CommandError(`ERR Invalid TCP bus port specified: ${argv[4]}`);
  if (!validIp || (ip.split('.').length === 4 && ip.split('.').some((p) => Number(p) > 255))) {
    throw new CommandError(`ERR Invalid node address specified: ${ip}:${argv[3]}`);
  }
  cl.bus.meet(ip, Number(argv[3]));
  c.reply.ok();
}

function forget(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const st = cl.state;
  const n = nodeArg(cl, argv[2]);
  if (n === st.myself) throw new CommandError("ERR I tried hard but I can't forget myself...");
  if (st.myself.role === 'slave' && st.myself.primaryId === n.id) throw new CommandError("ERR Can't forget my master!");
  st.forget(n);
  changed(cl);
  c.reply.ok();
}

function reset(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const st = cl.state;
  if (argv.length > 3) throw new CommandError(wrongArgs(argv));
  const mode = (argv[2] ?? 'soft').toLowerCase();
  if (mode !== 'soft' && mode !== 'hard') throw new CommandError(Errors.syntax);
  const me = st.myself;
  if (me.role === 'master' && c.server.dbs[0].size > 0) throw new CommandError("ERR CLUSTER RESET can't be called with master nodes containing keys");
  if (me.role === 'slave') {
    c.server.dbs[0].clear();
    st.becomePrimary();
  }
  for (let s = 0; s < SLOTS; s++) st.owner[s] = undefined;
  st.migrating.clear();
  st.importing.clear();
  for (const n of [...st.nodes.values()]) if (n !== me) st.forget(n);
  st.forgotten.clear();
  if (mode === 'hard') {
    st.currentEpoch = 0;
    st.lastVoteEpoch = 0;
    me.configEpoch = 0;
    st.nodes.delete(me.id);
    me.id = randomId();
    st.nodes.set(me.id, me);
  }
  me.shardId = randomId();
  cl.changed(false);
  c.reply.ok();
}

function setConfigEpoch(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const st = cl.state;
  const epoch = intArg(argv[2]);
  if (epoch < 0) throw new CommandError(`ERR Invalid config epoch specified: ${argv[2]}`);
  if (st.nodes.size > 1) throw new CommandError('ERR The user can assign a config epoch only when the node does not know any other node.');
  if (st.myself.configEpoch !== 0) throw new CommandError('ERR Node config epoch is already non-zero');
  st.myself.configEpoch = epoch;
  if (st.currentEpoch < epoch) st.currentEpoch = epoch;
  changed(cl);
  c.reply.ok();
}

function bumpepoch(c: Client): void {
  const cl = clusterOf(c);
  const bumped = cl.state.bumpEpochWithoutConsensus();
  if (bumped) changed(cl);
  c.reply.simple(`${bumped ? 'BUMPED' : 'STILL'} ${cl.state.myself.configEpoch}`);
}

/** The shape of a bus message, checked before anything of it is applied. */
function validMessage(m: GossipMessage): boolean {
  if (m === null || typeof m !== 'object') return false;
  const isInt = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  const okSlots = Array.isArray(m.slots) && m.slots.every((r) => Array.isArray(r) && r.length === 2 && isInt(r[0]) && isInt(r[1]));
  const okKnown = Array.isArray(m.known) && m.known.every((g) => g && typeof g.id === 'string' && typeof g.ip === 'string' && isInt(g.port));
  return m.v === 1 && typeof m.id === 'string' && /^[0-9a-f]{40}$/.test(m.id)
    && typeof m.ip === 'string' && isInt(m.port) && isInt(m.cport) && typeof m.hostname === 'string'
    && (m.role === 'master' || m.role === 'slave') && (m.primaryId === null || typeof m.primaryId === 'string')
    && isInt(m.configEpoch) && isInt(m.currentEpoch) && typeof m.shardId === 'string' && isInt(m.offset) && okSlots && okKnown
    && (m.meet === undefined || typeof m.meet === 'boolean');
}

/** The bus message of a peer (internal: our nodes' RESP cluster bus); answers with ours. */
function gossip(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  let msg: GossipMessage;
  try {
    msg = JSON.parse(argv[2]) as GossipMessage;
  } catch {
    throw new CommandError('ERR invalid cluster bus message');
  }
  if (!validMessage(msg)) throw new CommandError('ERR invalid cluster bus message');
  const st = cl.state;
  const sock = c.socket;
  // Addresses not announced are the ones this connection shows (Valkey learns its own ip from MEET the same way).
  if (sock && !msg.ip) msg = { ...msg, ip: (sock.remoteAddress ?? '').replace(/^::ffff:/, '') };
  if (sock && !st.myself.ip) st.myself.ip = (sock.localAddress ?? '').replace(/^::ffff:/, '');
  st.stats.pingReceived++;
  if (!cl.bus.inbound.has(msg.id)) cl.bus.inbound.set(msg.id, Date.now());
  cl.bus.onMessage(msg);
  st.stats.pongSent++;
  c.reply.bulk(JSON.stringify(st.gossip()));
}

// ---------------------------------------------------------------- views

function links(c: Client): void {
  const cl = clusterOf(c);
  const rows = cl.bus.linkRows();
  c.reply.array(rows.length);
  for (const r of rows) {
    c.reply.map(6);
    c.reply.bulk('direction');
    c.reply.bulk(r.direction);
    c.reply.bulk('node');
    c.reply.bulk(r.node);
    c.reply.bulk('create-time');
    c.reply.int(r.createTime);
    c.reply.bulk('events');
    c.reply.bulk(r.direction === 'to' && r.connected ? 'r' : 'r');
    c.reply.bulk('send-buffer-allocated');
    c.reply.int(0);
    c.reply.bulk('send-buffer-used');
    c.reply.int(0);
  }
}

function countkeysinslot(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const slot = intArg(argv[2]);
  if (slot < 0 || slot >= SLOTS) throw new CommandError('ERR Invalid slot');
  c.reply.int(cl.state.keys.countInSlot(slot));
}

function getkeysinslot(c: Client, argv: string[]): void {
  const cl = clusterOf(c);
  const slot = intArg(argv[2]);
  const max = intArg(argv[3]);
  if (slot < 0 || slot >= SLOTS || max < 0) throw new CommandError('ERR Invalid slot or number of keys');
  c.reply.bulks(cl.state.keys.keysInSlot(slot, max));
}

const HELP = [
  'ADDSLOTS <slot> [<slot> ...]', '    Assign slots to current node.',
  'ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]', '    Assign slots which are between <start-slot> and <end-slot> to current node.',
  'BUMPEPOCH', '    Advance the cluster config epoch.',
  'COUNT-FAILURE-REPORTS <node-id>', '    Return number of failure reports for <node-id>.',
  'COUNTKEYSINSLOT <slot>', '    Return the number of keys in <slot>.',
  'DELSLOTS <slot> [<slot> ...]', '    Delete slots information from current node.',
  'DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]', '    Delete slots information which are between <start-slot> and <end-slot> from current node.',
  'FAILOVER [FORCE|TAKEOVER]', '    Promote current replica node to being a master.',
  'FORGET <node-id>', '    Remove a node from the cluster.',
  'GETKEYSINSLOT <slot> <count>', '    Return key names stored by current node in a slot.',
  'FLUSHSLOTS', '    Delete current node own slots information.',
  'INFO', '    Return information about the cluster.',
  'KEYSLOT <key>', '    Return the hash slot for <key>.',
  'MEET <ip> <port> [<bus-port>]', '    Connect nodes into a working cluster.',
  'MYID', '    Return the node id.',
  'MYSHARDID', '    Return the node\'s shard id.',
  'NODES', '    Return cluster configuration seen by node. Output format:',
  '    <id> <ip:port@bus-port[,hostname]> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...',
  'REPLICATE <node-id>', '    Configure current node as replica to <node-id>.',
  'RESET [HARD|SOFT]', '    Reset current node (default: soft).',
  'SET-CONFIG-EPOCH <epoch>', '    Set config epoch of current node.',
  'SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)', '    Set slot state.',
  'REPLICAS <node-id>', '    Return <node-id> replicas.',
  'SAVECONFIG', '    Force saving cluster configuration on disk.',
  'SLOTS', '    Return information about slots range mappings. Each range is made of:',
  '    start, end, master and replicas IP addresses, ports and ids',
  'SHARDS', '    Return information about slot range mappings and the nodes associated with them.',
  'LINKS', '    Return information about all network links between this node and its peers.',
  '    Output format is an array where each array element is a map containing attributes of a link',
  'HELP', '    Prints this help.',
];

const ADMIN = 'admin stale no-async-loading';

const subcommands: CommandSpec[] = [
  command('cluster|help', 2, 'loading stale', [0, 0, 0], '', (c) => helpReply(c, ['CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', ...HELP])),
  command('cluster|info', 2, 'stale', [0, 0, 0], '', (c) => c.reply.verbatim(infoText(clusterOf(c).state))),
  command('cluster|myid', 2, 'stale', [0, 0, 0], '', (c) => c.reply.bulk(clusterOf(c).state.myself.id)),
  command('cluster|myshardid', 2, 'stale', [0, 0, 0], '', (c) => c.reply.bulk(clusterOf(c).state.myself.shardId)),
  command('cluster|nodes', 2, 'stale', [0, 0, 0], '', (c) => c.reply.verbatim(nodesText(clusterOf(c).state))),
  command('cluster|slots', 2, 'stale', [0, 0, 0], '', (c) => replySlots(clusterOf(c).state, c.reply)),
  command('cluster|shards', 2, 'stale', [0, 0, 0], '', (c) => replyShards(clusterOf(c).state, c.reply)),
  command('cluster|links', 2, 'stale', [0, 0, 0], '', links),
  command('cluster|keyslot', 3, 'stale', [0, 0, 0], '', (c, a) => {
    clusterOf(c);
    c.reply.int(keySlot(a[2]));
  }),
  command('cluster|countkeysinslot', 3, 'stale', [0, 0, 0], '', countkeysinslot),
  command('cluster|getkeysinslot', 4, 'stale', [0, 0, 0], '', getkeysinslot),
  command('cluster|addslots', -3, ADMIN, [0, 0, 0], '', (c, a) => changeSlots(c, slotList(a), false)),
  command('cluster|addslotsrange', -4, ADMIN, [0, 0, 0], '', (c, a) => changeSlots(c, slotRangeList(a, 'addslotsrange'), false)),
  command('cluster|delslots', -3, ADMIN, [0, 0, 0], '', (c, a) => changeSlots(c, slotList(a), true)),
  command('cluster|delslotsrange', -4, ADMIN, [0, 0, 0], '', (c, a) => changeSlots(c, slotRangeList(a, 'delslotsrange'), true)),
  command('cluster|flushslots', 2, ADMIN, [0, 0, 0], '', (c) => {
    const cl = clusterOf(c);
    if (c.server.dbs[0].size !== 0) throw new CommandError('ERR DB must be empty to perform CLUSTER FLUSHSLOTS.');
    for (let s = 0; s < SLOTS; s++) if (cl.state.owner[s] === cl.state.myself) cl.state.owner[s] = undefined;
    changed(cl);
    c.reply.ok();
  }),
  command('cluster|setslot', -4, ADMIN, [0, 0, 0], '', setslot),
  command('cluster|replicate', 3, ADMIN, [0, 0, 0], '', replicate),
  command('cluster|replicas', 3, 'admin stale', [0, 0, 0], '', replicas),
  command('cluster|slaves', 3, 'admin stale', [0, 0, 0], '', replicas),
  command('cluster|failover', -2, ADMIN, [0, 0, 0], '', failover),
  command('cluster|meet', -4, ADMIN, [0, 0, 0], '', meet),
  command('cluster|forget', 3, ADMIN, [0, 0, 0], '', forget),
  command('cluster|reset', -2, 'admin noscript stale', [0, 0, 0], '', reset),
  command('cluster|saveconfig', 2, ADMIN, [0, 0, 0], '', (c) => {
    const cl = clusterOf(c);
    cl.save();
    c.reply.ok();
  }),
  command('cluster|set-config-epoch', 3, ADMIN, [0, 0, 0], '', setConfigEpoch),
  command('cluster|bumpepoch', 2, ADMIN, [0, 0, 0], '', bumpepoch),
  command('cluster|count-failure-reports', 3, 'admin stale', [0, 0, 0], '', (c, a) => {
    const cl = clusterOf(c);
    c.reply.int(nodeArg(cl, a[2]).failReports.size);
  }),
  command('cluster|x-gossip', 3, 'admin stale loading noscript', [0, 0, 0], '', gossip),
];

export const clusterCommands: CommandSpec[] = [
  command('cluster', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1] ?? '', 'cluster'));
  }, { subcommands }),
  command('asking', 1, 'fast', [0, 0, 0], 'connection', (c) => {
    const cl = clusterOf(c);
    cl.routing.setAsking(c);
    c.reply.ok();
  }),
  command('readonly', 1, 'loading stale fast', [0, 0, 0], 'connection', (c) => {
    clusterOf(c);
    c.readOnly = true;
    c.reply.ok();
  }),
  command('readwrite', 1, 'loading stale fast', [0, 0, 0], 'connection', (c) => {
    clusterOf(c);
    c.readOnly = false;
    c.reply.ok();
  }),
];
