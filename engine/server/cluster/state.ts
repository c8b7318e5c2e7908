import type { Server } from '../server';
import { KeyIndex } from './key-index';
import { ClusterNode, GossipMessage, newNode } from './node';
import { randomId, SLOTS, slotRanges } from './slots';

function noop(): void {}

/** How long a FORGET keeps a node from being re-added by gossip (Valkey: 60 s). */
const FORGET_TTL_MS = 60_000;

/** What a received message did: nodes to meet, whether the view changed, whether the sender is new. */
export interface Received {
  meet: Array<{ ip: string; port: number }>;
  changed: boolean;
  newNode: boolean;
}

/** Counters behind CLUSTER INFO's cluster_stats_messages_* lines. */
export interface BusStats {
  pingSent: number;
  pongSent: number;
  meetSent: number;
  pingReceived: number;
  pongReceived: number;
  meetReceived: number;
}

/**
 * This node's view of the cluster: the nodes, who owns each of the 16384 slots, slots being
 * migrated or imported, and the epochs. Slot ownership follows the rule of the real cluster: a
 * claim carried by a higher config epoch wins, so a node that comes back with an old view is
 * corrected by the others and cannot take slots back.
 */
export class ClusterState {
  public myself: ClusterNode;
  public readonly nodes = new Map<string, ClusterNode>();
  /** Slot → owning primary (undefined = unassigned). */
  public readonly owner: Array<ClusterNode | undefined> = new Array(SLOTS).fill(undefined);
  /** Slot → node id we migrate it to (on the owner) / import it from (on the target). */
  public readonly migrating = new Map<number, string>();
  public readonly importing = new Map<number, string>();
  public currentEpoch = 0;
  public lastVoteEpoch = 0;
  public ok = false;
  public readonly stats: BusStats = { pingSent: 0, pongSent: 0, meetSent: 0, pingReceived: 0, pongReceived: 0, meetReceived: 0 };
  /** FORGET blacklist: id → ms until which gossip about it is ignored. */
  public readonly forgotten = new Map<string, number>();
  public readonly keys: KeyIndex;
  /** Nodes learned recently (id → ms): always part of our gossip for a while, so a MEET spreads fast. */
  public readonly recent = new Map<string, number>();
  /** Called after a change that must be saved (cluster-config-file) and told to the peers. */
  public onChange: (broadcast: boolean) => void = noop;
  /**
   * INTEGRATION POINT (replication, branch engine-repl): called when this node's role changes,
   * with its new primary, or undefined when it becomes a primary. Until it is wired, a replica only
   * records its primary in the view: no data is synchronised.
   */
  public onRoleChange: (primary: ClusterNode | undefined) => void = noop;

  constructor(public readonly server: Server, myself?: ClusterNode) {
    this.myself = myself ?? newNode(randomId(), '', 0, 0, randomId());
    this.nodes.set(this.myself.id, this.myself);
    this.keys = new KeyIndex(server.dbs[0]);
  }

  // ---------------------------------------------------------------- queries

  public numSlots(node: ClusterNode): number {
    let n = 0;
    for (let s = 0; s < SLOTS; s++) if (this.owner[s] === node) n++;
    return n;
  }

  /** Whether `node` owns any slot (stops at the first). */
  public hasSlots(node: ClusterNode): boolean {
    return this.owner.includes(node);
  }

  public slotsOf(node: ClusterNode): Array<[number, number]> {
    return slotRanges((s) => this.owner[s] === node);
  }

  public replicasOf(node: ClusterNode): ClusterNode[] {
    return [...this.nodes.values()].filter((n) => n.role === 'slave' && n.primaryId === node.id);
  }

  public primaryOf(node: ClusterNode): ClusterNode | undefined {
    return node.primaryId === undefined ? undefined : this.nodes.get(node.primaryId);
  }

  /** Primaries serving at least one slot (cluster_size; the failure-detection quorum). */
  public sizedPrimaries(): ClusterNode[] {
    const set = new Set<ClusterNode>();
    // Owners come in runs of slots: one Set insertion per run, not per slot (this runs after every change).
    let last: ClusterNode | undefined;
    for (const n of this.owner) {
      if (n !== last) {
        if (n) set.add(n);
        last = n;
      }
    }
    return [...set];
  }

  /** The epoch this node announces with its claims: its own, or its primary's when a replica. */
  public announcedEpoch(node: ClusterNode = this.myself): number {
    if (node.role === 'slave') return this.primaryOf(node)?.configEpoch ?? node.configEpoch;
    return node.configEpoch;
  }

  public maxConfigEpoch(): number {
    let m = 0;
    for (const n of this.nodes.values()) m = Math.max(m, n.configEpoch);
    return m;
  }

  // ---------------------------------------------------------------- local changes

  public assign(slot: number, node: ClusterNode): void {
    this.owner[slot] = node;
  }

  /** CLUSTER BUMPEPOCH's rule (and SETSLOT NODE / TAKEOVER's): a new epoch unless ours is already the unique maximum. */
  public bumpEpochWithoutConsensus(): boolean {
    const max = this.maxConfigEpoch();
    const me = this.myself;
    const shared = [...this.nodes.values()].some((n) => n !== me && n.configEpoch === me.configEpoch);
    if (me.configEpoch === 0 || me.configEpoch !== max || shared) {
      this.currentEpoch = Math.max(this.currentEpoch, max) + 1;
      me.configEpoch = this.currentEpoch;
      return true;
    }
    return false;
  }

  /** Makes this node a replica of `primary` in the view (and tells the replication module). */
  public becomeReplicaOf(primary: ClusterNode): void {
    const me = this.myself;
    for (let s = 0; s < SLOTS; s++) if (this.owner[s] === me) this.owner[s] = undefined;
    this.migrating.clear();
    this.importing.clear();
    me.role = 'slave';
    me.primaryId = primary.id;
    me.shardId = primary.shardId;
    this.onRoleChange(primary);
  }

  /** Makes this node a primary again (FAILOVER, RESET). */
  public becomePrimary(): void {
    const me = this.myself;
    if (me.role === 'master') return;
    me.role = 'master';
    me.primaryId = undefined;
    this.onRoleChange(undefined);
  }

  /** Deletes the keys this node holds in a slot it no longer serves. */
  public dropSlotKeys(slot: number): void {
    const db = this.server.dbs[0];
    for (const k of this.keys.keysInSlot(slot, Infinity)) db.delete(k);
  }

  public forget(node: ClusterNode): void {
    for (let s = 0; s < SLOTS; s++) if (this.owner[s] === node) this.owner[s] = undefined;
    for (const [s, id] of this.migrating) if (id === node.id) this.migrating.delete(s);
    for (const [s, id] of this.importing) if (id === node.id) this.importing.delete(s);
    this.nodes.delete(node.id);
    this.forgotten.set(node.id, Date.now() + FORGET_TTL_MS);
    for (const n of this.nodes.values()) n.failReports.delete(node.id);
  }

  // ---------------------------------------------------------------- gossip

  /** This node's message: itself, its claims, and a sample of the nodes it knows. */
  public gossip(): GossipMessage {
    const me = this.myself;
    const others = [...this.nodes.values()].filter((n) => n !== me);
    // A tenth of the nodes (at least 3) at random, plus every node we think is failing.
    const wanted = Math.max(3, Math.ceil(others.length / 10));
    const now = Date.now();
    for (const [id, at] of this.recent) if (now - at > 10_000 || !this.nodes.has(id)) this.recent.delete(id);
    const sample = new Set(others.filter((n) => n.pfail || n.fail || this.recent.has(n.id)));
    for (let i = 0; i < others.length * 2 && sample.size < Math.min(others.length, wanted + sample.size); i++) {
      sample.add(others[Math.floor(Math.random() * others.length)]);
    }
    return {
      v: 1,
      id: me.id,
      ip: me.ip,
      port: me.port,
      cport: me.cport,
      hostname: me.hostname,
      role: me.role,
      primaryId: me.primaryId ?? null,
      configEpoch: this.announcedEpoch(),
      currentEpoch: this.currentEpoch,
      shardId: me.shardId,
      slots: me.role === 'master' ? this.slotsOf(me) : [],
      offset: me.replOffset,
      known: [...sample].map((n) => ({ id: n.id, ip: n.ip, port: n.port, cport: n.cport, pfail: n.pfail, fail: n.fail })),
    };
  }

  /**
   * Applies a peer's message; an unknown sender is added only when `acceptUnknown` (a handshake). Returns
   * the ip:port of nodes we heard of and should meet, and whether our view changed.
   */
  public receive(msg: GossipMessage, acceptUnknown: boolean, now = Date.now()): Received {
    const me = this.myself;
    const out: Received = { meet: [], changed: false, newNode: false };
    if (msg.id === me.id || this.isForgotten(msg.id, now)) return out;
    let sender = this.nodes.get(msg.id);
    // As in Valkey, only a handshake adds a node: a node that was RESET or FORGOTten is not pulled back by pings.
    if (!sender && !acceptUnknown) return out;
    if (!sender) {
      // A node that restarted without its config comes back with a new id at the same address: the old entry is gone.
      for (const n of this.nodes.values()) {
        if (n !== me && n.ip === msg.ip && n.port === msg.port) this.forgetQuietly(n);
      }
      sender = newNode(msg.id, msg.ip, msg.port, msg.cport, msg.shardId);
      this.nodes.set(sender.id, sender);
      this.recent.set(sender.id, now);
      out.changed = true;
      out.newNode = true;
    }
    if (sender.ip !== msg.ip || sender.port !== msg.port || sender.cport !== msg.cport || sender.hostname !== msg.hostname
      || sender.role !== msg.role || sender.primaryId !== (msg.primaryId ?? undefined) || sender.shardId !== msg.shardId) {
      out.changed = true;
    }
    const wasPrimary = sender.role === 'master';
    sender.ip = msg.ip;
    sender.port = msg.port;
    sender.cport = msg.cport;
    sender.hostname = msg.hostname;
    sender.role = msg.role;
    sender.primaryId = msg.primaryId ?? undefined;
    sender.shardId = msg.shardId;
    sender.replOffset = msg.offset;
    sender.pongReceived = now;
    sender.pingSent = 0;
    if (sender.pfail || sender.fail) out.changed = true;
    sender.pfail = false;
    sender.fail = false;
    sender.failReports.clear();
    if (msg.currentEpoch > this.currentEpoch) {
      this.currentEpoch = msg.currentEpoch;
      out.changed = true;
    }
    if (msg.role === 'master') {
      if (sender.configEpoch !== msg.configEpoch) out.changed = true;
      sender.configEpoch = msg.configEpoch;
      if (this.epochCollision(sender)) out.changed = true;
      if (this.applyClaims(sender, msg.slots)) out.changed = true;
    } else {
      if (sender.configEpoch !== msg.configEpoch) out.changed = true;
      sender.configEpoch = msg.configEpoch;
      if (wasPrimary) {
        // It turned replica: its slots are claimed again by its new primary, with a higher epoch.
        for (let s = 0; s < SLOTS; s++) {
          if (this.owner[s] === sender) {
            this.owner[s] = undefined;
            out.changed = true;
          }
        }
      }
    }
    for (const g of msg.known) {
      if (g.id === me.id) continue;
      const node = this.nodes.get(g.id);
      if (!node) {
        if (!this.isForgotten(g.id, now) && g.ip) out.meet.push({ ip: g.ip, port: g.port });
        continue;
      }
      if (msg.role === 'master') {
        if (g.pfail || g.fail) node.failReports.set(sender.id, now);
        else node.failReports.delete(sender.id);
      }
      if (g.fail && !node.fail) {
        node.fail = true;
        node.pfail = false;
        out.changed = true;
      }
    }
    return out;
  }

  private isForgotten(id: string, now: number): boolean {
    const until = this.forgotten.get(id);
    if (until === undefined) return false;
    if (until > now) return true;
    this.forgotten.delete(id);
    return false;
  }

  private forgetQuietly(node: ClusterNode): void {
    for (let s = 0; s < SLOTS; s++) if (this.owner[s] === node) this.owner[s] = undefined;
    this.nodes.delete(node.id);
    if (this.myself.primaryId === node.id) this.myself.primaryId = undefined;
  }

  /** Two primaries with the same config epoch: the one with the smaller id takes a new epoch (Valkey's rule). */
  private epochCollision(sender: ClusterNode): boolean {
    const me = this.myself;
    if (me.role !== 'master' || sender.configEpoch !== me.configEpoch || sender.id <= me.id) return false;
    if (me.configEpoch === 0 && this.numSlots(me) === 0) return false;
    this.currentEpoch++;
    me.configEpoch = this.currentEpoch;
    return true;
  }

  /** A primary's slot claims: each one wins over an unassigned slot or an owner with a lower config epoch. */
  private applyClaims(sender: ClusterNode, ranges: ReadonlyArray<[number, number]>): boolean {
    const me = this.myself;
    const myPrimary = me.role === 'slave' ? this.primaryOf(me) : undefined;
    const mineBefore = this.numSlots(me);
    const primaryBefore = myPrimary ? this.numSlots(myPrimary) : 0;
    let changed = false;
    let lostToSender = false;
    for (const [a, b] of ranges) {
      for (let s = a; s <= b && s < SLOTS; s++) {
        const cur = this.owner[s];
        if (cur === sender || this.importing.has(s)) continue;
        if (cur === undefined || cur.configEpoch < sender.configEpoch) {
          if (cur === me) {
            lostToSender = true;
            this.migrating.delete(s);
            if (this.keys.countInSlot(s) > 0) this.dropSlotKeys(s);
          }
          if (cur !== undefined && cur === myPrimary) lostToSender = true;
          this.owner[s] = sender;
          changed = true;
        }
      }
    }
    if (lostToSender) {
      // A primary that lost its last slot to a newer claim follows the new owner (the old primary rejoining after a failover).
      if (me.role === 'master' && mineBefore > 0 && this.numSlots(me) === 0) this.becomeReplicaOf(sender);
      else if (myPrimary && primaryBefore > 0 && this.numSlots(myPrimary) === 0 && myPrimary !== sender) this.becomeReplicaOf(sender);
    }
    return changed;
  }

  // ---------------------------------------------------------------- health

  /** Failure detection and cluster_state; called from the cron. Returns true when something changed. */
  public checkHealth(now: number, nodeTimeout: number): boolean {
    let changed = false;
    const primaries = this.sizedPrimaries();
    const quorum = Math.floor(primaries.length / 2) + 1;
    for (const n of this.nodes.values()) {
      if (n === this.myself) continue;
      const silentSince = n.pingSent > 0 ? n.pingSent : 0;
      if (!n.pfail && !n.fail && silentSince > 0 && now - silentSince > nodeTimeout) {
        n.pfail = true;
        changed = true;
      }
      for (const [id, at] of n.failReports) if (now - at > nodeTimeout * 2) n.failReports.delete(id);
      if (n.pfail && !n.fail) {
        const votes = n.failReports.size + (this.myself.role === 'master' && primaries.includes(this.myself) ? 1 : 0);
        if (votes >= quorum) {
          n.fail = true;
          n.pfail = false;
          changed = true;
          this.server.log.notice(`Marking node ${n.id} as failing (quorum reached).`);
        }
      }
    }
    if (this.updateState()) changed = true;
    return changed;
  }

  /** cluster_state: ok when every slot is served by a reachable primary (cluster-require-full-coverage) and we are in the majority. */
  public updateState(): boolean {
    const full = this.server.config.getBool('cluster-require-full-coverage');
    let ok = true;
    if (full) {
      for (let s = 0; s < SLOTS && ok; s++) {
        const o = this.owner[s];
        if (!o || o.fail) ok = false;
      }
    }
    const primaries = this.sizedPrimaries();
    if (ok && this.myself.role === 'master' && primaries.length > 0) {
      const reachable = primaries.filter((n) => n === this.myself || (!n.pfail && !n.fail)).length;
      if (reachable < Math.floor(primaries.length / 2) + 1) ok = false;
    }
    if (!full && primaries.length === 0) ok = false;
    const changed = ok !== this.ok;
    if (changed) this.server.log.notice(ok ? 'Cluster state changed: ok' : 'Cluster state changed: fail');
    this.ok = ok;
    return changed;
  }
}
