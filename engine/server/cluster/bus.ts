import * as fs from 'fs';
import * as net from 'net';
import * as tls from 'tls';
import type { Server } from '../server';
import type { GossipMessage } from './node';
import type { ClusterState } from './state';

/**
 * The cluster "bus", over plain RESP instead of Valkey's binary protocol: each node keeps one
 * outgoing connection per known node and sends `CLUSTER X-GOSSIP <json>` (its own role, slots and
 * config epoch, and a sample of the nodes it knows); the peer answers with its own message. A MEET
 * is the same exchange with an address whose id we do not know yet. Nodes also push their message to
 * every peer as soon as their own claims change, so topology changes spread in one round trip.
 */

interface Pending {
  readonly onReply: (err: string | undefined, value: string | undefined) => void;
}

/** One outgoing connection, with a minimal RESP reply reader (simple, error, bulk). */
class Link {
  public socket: net.Socket | undefined;
  public connected = false;
  public readonly createdAt = Date.now();
  public lastSend = 0;
  public outstanding = 0;
  private buf: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  public closed = false;

  constructor(
    public readonly ip: string,
    public readonly port: number,
    private readonly bus: ClusterBus,
    public nodeId: string | undefined,
  ) {}

  public open(): void {
    const cfg = this.bus.server.config;
    const plain = cfg.getNumber('port') > 0;
    const onConnect = () => {
      this.connected = true;
    };
    const s = plain
      ? net.connect({ host: this.ip, port: this.port }, onConnect)
      : tls.connect({ host: this.ip, port: this.port, ...clientTls(cfg.get('tls-cert-file'), cfg.get('tls-key-file'), cfg.get('tls-ca-cert-file')) }, onConnect);
    s.setNoDelay(true);
    s.on('data', (d: Buffer) => this.onData(d));
    s.on('error', () => undefined);
    s.on('close', () => this.close());
    this.socket = s;
    // AUTH goes first on the wire: a MEET's message is written right after open(), before the
    // connection is up, and the peer's default user may need a password (an AUTH token).
    const user = cfg.get('masteruser');
    const pass = cfg.get('masterauth');
    if (pass) this.send(user ? ['AUTH', user, pass] : ['AUTH', pass], () => undefined);
  }

  public send(args: string[], onReply: Pending['onReply']): void {
    if (!this.socket || this.closed) return;
    let out = `*${args.length}\r\n`;
    for (const a of args) out += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
    this.socket.write(Buffer.from(out, 'latin1'));
    this.pending.push({ onReply });
    this.lastSend = Date.now();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const eol = this.buf.indexOf('\r\n');
      if (eol < 0) return;
      const type = this.buf[0];
      const head = this.buf.latin1Slice(1, eol);
      let err: string | undefined;
      let value: string | undefined;
      let used: number;
      if (type === 0x24 /* $ */) {
        const len = Number(head);
        if (len < 0) {used = eol + 2;} else {
          if (this.buf.length < eol + 2 + len + 2) return;
          value = this.buf.latin1Slice(eol + 2, eol + 2 + len);
          used = eol + 2 + len + 2;
        }
      } else {
        used = eol + 2;
        if (type === 0x2d /* - */) err = head;
        else value = head;
      }
      this.buf = this.buf.subarray(used);
      this.pending.shift()?.onReply(err, value);
    }
  }

  public close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connected = false;
    this.socket?.destroy();
    this.bus.linkClosed(this);
  }
}

function clientTls(cert: string, key: string, ca: string): tls.ConnectionOptions {
  const read = (f: string) => (f ? fs.readFileSync(f) : undefined);
  return { cert: read(cert), key: read(key), ca: read(ca), rejectUnauthorized: false };
}

export class ClusterBus {
  /** Links to known nodes, by node id. */
  private readonly links = new Map<string, Link>();
  /** MEETs in progress, by ip:port. */
  private readonly handshakes = new Map<string, Link>();
  /** Inbound exchanges: node id → when its first message arrived (CLUSTER LINKS "from"). */
  public readonly inbound = new Map<string, number>();
  private readonly lastAttempt = new Map<string, number>();
  private lastRandomPing = 0;
  private lastBroadcast = '';
  private broadcastScheduled = false;
  private broadcastForced = false;

  constructor(public readonly server: Server, private readonly st: ClusterState, private readonly changed: (broadcast: boolean) => void) {}

  private get nodeTimeout(): number {
    return this.server.config.getNumber('cluster-node-timeout');
  }

  /** Every peer is pinged at least this often (Valkey: half the node timeout), so silence past the timeout means trouble. */
  private get pingInterval(): number {
    return Math.max(100, this.nodeTimeout / 2);
  }

  /** CLUSTER MEET: exchange messages with an address; the peer is added when it answers. */
  public meet(ip: string, port: number): void {
    const key = `${ip}:${port}`;
    for (const n of this.st.nodes.values()) if (n.ip === ip && n.port === port && n !== this.st.myself && this.links.get(n.id)?.connected) return;
    if (this.handshakes.has(key)) return;
    const link = new Link(ip, port, this, undefined);
    this.handshakes.set(key, link);
    link.open();
    this.ping(link, true);
    // A handshake that never completes is dropped after the node timeout, as Valkey does.
    setTimeout(() => {
      if (this.handshakes.get(key) === link) {
        this.handshakes.delete(key);
        link.close();
      }
    }, Math.max(this.nodeTimeout, 1000)).unref();
  }

  public linkClosed(link: Link): void {
    if (link.nodeId && this.links.get(link.nodeId) === link) {
      this.links.delete(link.nodeId);
      const n = this.st.nodes.get(link.nodeId);
      if (n) n.linked = false;
    }
    const key = `${link.ip}:${link.port}`;
    if (this.handshakes.get(key) === link) this.handshakes.delete(key);
  }

  private ping(link: Link, meet = false): void {
    const msg = JSON.stringify(meet ? { ...this.st.gossip(), meet: true } : this.st.gossip());
    if (meet) this.st.stats.meetSent++;
    else this.st.stats.pingSent++;
    link.outstanding++;
    link.send(['CLUSTER', 'X-GOSSIP', msg], (err, value) => {
      link.outstanding--;
      if (err !== undefined || value === undefined) return;
      let reply: GossipMessage;
      try {
        reply = JSON.parse(value) as GossipMessage;
      } catch {
        return;
      }
      if (reply.v !== 1) return;
      this.st.stats.pongReceived++;
      this.onMessage(reply, link);
    });
  }

  /** A peer's message, as a reply to our ping (`link` set) or as its ping to us. */
  public onMessage(msg: GossipMessage, link?: Link): void {
    const before = this.selfSignature();
    // A reply on a handshake link, or a peer's handshake to us, may introduce a node.
    const r = this.st.receive(msg, link !== undefined ? !link.nodeId : msg.meet === true);
    const metNow = link !== undefined && !link.nodeId && r.newNode;
    if (link && !link.nodeId && msg.id !== this.st.myself.id) {
      // A MEET answered: the link now belongs to that node (unless one exists already).
      this.handshakes.delete(`${link.ip}:${link.port}`);
      const other = this.links.get(msg.id);
      if (other && !other.closed) {link.close();} else {
        link.nodeId = msg.id;
        this.links.set(msg.id, link);
      }
    } else if (link && msg.id === this.st.myself.id) {
      link.close(); // met ourselves
    }
    const n = this.st.nodes.get(msg.id);
    if (n && link && this.links.get(msg.id) === link) n.linked = true;
    for (const m of r.meet) this.meet(m.ip, m.port);
    // The node that ran MEET tells everyone of the newcomer at once (the others learn it from gossip).
    // cluster_state follows at the end of the turn (a message that changed nothing cannot change it).
    if (r.changed) this.changed(metNow || this.selfSignature() !== before);
  }

  /** Our own claims, to notice when a received message changed them (then everyone is told). */
  public selfSignature(): string {
    const me = this.st.myself;
    return `${me.role}|${me.primaryId}|${this.st.announcedEpoch()}|${JSON.stringify(this.st.slotsOf(me))}`;
  }

  /**
   * Sends our message to every linked node (after a change of our own claims), at the end of this
   * event-loop turn: a pipeline of topology commands, or a burst of messages, sends one message per
   * peer carrying the latest view rather than one per change.
   */
  public broadcast(): void {
    this.broadcastForced = true;
    this.scheduleBroadcast();
  }

  /** Broadcasts only if our claims changed since the last broadcast (SETSLOT MIGRATING/STABLE, FORGET... need none). */
  public broadcastIfChanged(): void {
    this.scheduleBroadcast();
  }

  private scheduleBroadcast(): void {
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    setImmediate(() => {
      this.broadcastScheduled = false;
      const forced = this.broadcastForced;
      this.broadcastForced = false;
      const signature = this.selfSignature();
      if (!forced && signature === this.lastBroadcast) return;
      this.lastBroadcast = signature;
      for (const link of this.links.values()) if (link.connected || link.socket) this.ping(link);
    });
  }

  /** Cron: connect to known nodes, ping them, detect failures. */
  public tick(now: number): void {
    const me = this.st.myself;
    const interval = this.pingInterval;
    // Once a second, also the stalest of five random peers (Valkey's gossip pace): news spreads without every pair talking often.
    let extra: string | undefined;
    if (now - this.lastRandomPing >= 1000) {
      this.lastRandomPing = now;
      const peers = [...this.st.nodes.values()].filter((n) => n !== me && n.ip);
      let best;
      for (let i = 0; i < 5 && peers.length > 0; i++) {
        const p = peers[Math.floor(Math.random() * peers.length)];
        if (!best || p.pongReceived < best.pongReceived) best = p;
      }
      extra = best?.id;
    }
    for (const n of this.st.nodes.values()) {
      if (n === me || !n.ip) continue;
      let link = this.links.get(n.id);
      if (link && link.outstanding > 0 && now - link.lastSend > this.nodeTimeout / 2) {
        link.close(); // half-open connection: reconnect
        link = undefined;
      }
      if (!link) {
        if (now - (this.lastAttempt.get(n.id) ?? 0) < Math.min(interval, 1000)) continue;
        this.lastAttempt.set(n.id, now);
        link = new Link(n.ip, n.port, this, n.id);
        this.links.set(n.id, link);
        link.open();
      }
      if (link.outstanding === 0 && (now - link.lastSend >= interval || n.id === extra)) {
        if (n.pingSent === 0) n.pingSent = now;
        this.ping(link);
      } else if (!link.connected && n.pingSent === 0) {
        n.pingSent = now;
      }
    }
    for (const [id, link] of this.links) if (!this.st.nodes.has(id)) link.close();
    if (this.st.checkHealth(now, this.nodeTimeout)) this.changed(false);
  }

  /** CLUSTER LINKS rows: direction, node, create time. */
  public linkRows(): Array<{ direction: 'to' | 'from'; node: string; createTime: number; connected: boolean }> {
    const rows: Array<{ direction: 'to' | 'from'; node: string; createTime: number; connected: boolean }> = [];
    for (const [id, l] of this.links) rows.push({ direction: 'to', node: id, createTime: l.createdAt, connected: l.connected });
    for (const [id, t] of this.inbound) if (this.st.nodes.has(id)) rows.push({ direction: 'from', node: id, createTime: t, connected: true });
    return rows;
  }

  public closeAll(): void {
    for (const l of [...this.links.values(), ...this.handshakes.values()]) l.close();
  }
}
