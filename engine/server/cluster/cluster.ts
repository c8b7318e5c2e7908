import type { Client } from '../client';
import type { CommandSpec } from '../commands/command';
import type { Server } from '../server';
import { StartupError } from '../startup';
import { ClusterBus } from './bus';
import { applyLoaded, configPath, loadConfig, saveConfig } from './nodes-conf';
import { ClientRouting, Query, routeQuery } from './route';
import { keySlot } from './slots';
import { ClusterState } from './state';

/** How long a change that needs no fsync may wait to be written to the config file. */
const SAVE_DELAY_MS = 100;

/**
 * Cluster mode of a node (cluster-enabled yes): the view (ClusterState), the bus to the peers, the
 * config file, and the hooks the dispatcher, EXEC and scripts call to route commands by slot.
 */
export class Cluster {
  public readonly state: ClusterState;
  public readonly bus: ClusterBus;
  public readonly routing = new ClientRouting();
  public readonly file: string;
  private turnScheduled = false;
  private saveTimer: NodeJS.Timeout | undefined;
  /** Id and epochs as last fsynced. */
  private lastDurable = '';

  constructor(public readonly server: Server) {
    const cfg = server.config;
    this.state = new ClusterState(server);
    this.file = configPath(cfg.get('dir'), cfg.get('cluster-config-file'));
    let loaded;
    try {
      loaded = loadConfig(this.file);
    } catch (e) {
      throw new StartupError(`${(e as Error).message} (${this.file})`);
    }
    if (loaded) applyLoaded(this.state, loaded);
    this.announce();
    this.state.onChange = (broadcast) => this.changed(broadcast);
    this.bus = new ClusterBus(server, this.state, (broadcast) => this.learned(broadcast));
    this.state.updateState();
    this.save();
    server.log.notice(loaded ? `Node configuration loaded, I'm ${this.state.myself.id}` : `No cluster configuration found, I'm ${this.state.myself.id}`);
    server.cronHooks.push((now) => this.bus.tick(now));
  }

  /** This node's address as announced: cluster-announce-* or the bind address and port. */
  public announce(): void {
    const cfg = this.server.config;
    const me = this.state.myself;
    const bind = cfg.get('bind').split(/\s+/).filter(Boolean).map((b) => b.replace(/^-/, ''))[0] ?? '';
    const wildcard = bind === '' || bind === '*' || bind === '0.0.0.0' || bind === '::' || bind === '::*';
    me.ip = cfg.get('cluster-announce-ip') || (wildcard ? me.ip : bind);
    me.port = cfg.getNumber('cluster-announce-port') || cfg.getNumber('port') || cfg.getNumber('tls-port');
    me.cport = cfg.getNumber('cluster-announce-bus-port') || cfg.getNumber('cluster-port') || me.port + 10000;
    me.hostname = cfg.get('cluster-announce-hostname');
  }

  /**
   * After a command changed the view: save it, and tell the peers when our own claims changed. As
   * Valkey (clusterDoBeforeSleep flags), the file is written once per event-loop turn however many
   * commands of a pipeline changed the view, cluster_state is recomputed then too, and the peers
   * get one message per turn; but a change that must survive a crash (our id, an epoch) is fsynced
   * now, before the command's reply.
   */
  public changed(broadcast: boolean): void {
    if (this.durableSignature() !== this.lastDurable) this.save();
    this.endOfTurn();
    if (broadcast) this.bus.broadcastIfChanged();
    this.dropShardChannels();
  }

  /** A change learned from a peer: saved (and fsynced if an epoch moved) once for a burst of messages. */
  public learned(broadcast: boolean): void {
    this.endOfTurn();
    if (broadcast) this.bus.broadcast();
    this.dropShardChannels();
  }

  /**
   * cluster_state once at the end of this event-loop turn for all the changes made in it; the
   * config file then too if an epoch moved (fsynced), else within SAVE_DELAY_MS: slot and node
   * details are learned again from the peers after a crash, and a busy node (a reshard, every
   * bus message a turn) would otherwise rewrite the whole file for each message.
   */
  private endOfTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      this.state.updateState();
      if (this.durableSignature() !== this.lastDurable) this.save();
      else this.saveLater();
    });
  }

  private saveLater(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  /** What must be fsynced when it changes: our id and the epochs (a node must never reuse an epoch). */
  private durableSignature(): string {
    const st = this.state;
    return `${st.myself.id} ${st.myself.configEpoch} ${st.currentEpoch} ${st.lastVoteEpoch}`;
  }

  /**
   * Shard channels whose slot this node no longer serves (nor its primary, for a replica): their
   * subscribers get an `sunsubscribe` for them, as Valkey does when a slot leaves a shard.
   */
  private dropShardChannels(): void {
    const hub = this.server.pubsub;
    if (hub.shardChannels.size === 0) return;
    const st = this.state;
    const me = st.myself;
    for (const [ch, subs] of [...hub.shardChannels]) {
      const owner = st.owner[keySlot(ch)];
      if (owner === me || (owner !== undefined && me.role === 'slave' && me.primaryId === owner.id)) continue;
      for (const c of [...subs]) {
        c.shardChannels.delete(ch);
        hub.unsubscribe(hub.shardChannels, ch, c);
        c.reply.push(3);
        c.reply.bulk('sunsubscribe');
        c.reply.bulk(ch);
        c.reply.int(c.shardChannels.size);
        this.server.flushClient(c);
      }
    }
  }

  /**
   * Writes the config file. Like Valkey, it is fsynced only when what must survive a crash changed
   * (our id and the epochs: a node must never reuse an epoch); slot and node details are learned
   * again from the peers.
   */
  public save(fsync = true): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const st = this.state;
    const durable = this.durableSignature();
    const sync = fsync && durable !== this.lastDurable;
    try {
      saveConfig(st, this.file, sync);
      if (sync) this.lastDurable = durable;
    } catch (e) {
      this.server.log.warning(`Could not save the cluster configuration to ${this.file}: ${(e as Error).message}`);
    }
  }

  private query(client: Client, commands: Query['commands'], write: boolean, asking: boolean): ReturnType<typeof routeQuery> {
    return routeQuery(this.server, this.state, { commands, write, asking, readOnlyClient: client.readOnly });
  }

  /**
   * Server.call's hook, after lookup, arity, auth and ACL: the redirection or refusal for a command
   * whose keys this node does not serve, or undefined to run it. EXEC checks the whole transaction.
   */
  public route(client: Client, spec: CommandSpec, argv: string[]): string | undefined {
    const asking = this.routing.takeAsking(client, spec);
    // Clients without a socket (the replication stream, scripts' own client) are obeyed, as Valkey obeys its primary.
    if (client.socket === undefined) return undefined;
    // Our primary's replication stream is obeyed too (the replication module marks its client 'master').
    if ((client as { replKind?: string }).replKind === 'master') return undefined;
    let commands: Query['commands'];
    let write = spec.flags.includes('write');
    if (spec.name === 'exec') {
      if (!client.multi) return undefined;
      const list: Array<{ spec: CommandSpec; argv: readonly string[] }> = [];
      for (const q of client.multi) {
        let s = this.server.commands.get(q.argv[0].toLowerCase());
        if (s?.subcommands && q.argv.length >= 2) s = s.subcommands.get(q.argv[1].toLowerCase());
        if (!s) continue;
        if (s.flags.includes('write')) write = true;
        list.push({ spec: s, argv: q.argv });
      }
      commands = list;
    } else {
      if (spec.firstKey <= 0 && spec.getKeys === undefined) {
        this.routing.setSlot(client, -1);
        return undefined;
      }
      commands = [{ spec, argv }];
    }
    const r = this.query(client, commands, write, asking);
    this.routing.setSlot(client, r.slot);
    return r.refusal?.error;
  }

  /**
   * The scripting engine's hook before each redis.call: keys must be local and, unless the script
   * allows cross-slot keys, in the same slot as every key the script touched so far.
   */
  public scriptCheck(original: Client, spec: CommandSpec, argv: string[], allowCrossSlot: boolean): string | undefined {
    if (original.socket === undefined) return undefined;
    if (spec.firstKey <= 0 && spec.getKeys === undefined) return undefined;
    const r = this.query(original, [{ spec, argv }], spec.flags.includes('write'), false);
    if (r.refusal) {
      switch (r.refusal.code) {
        case 'down-ro': return 'ERR Script attempted to execute a write command while the cluster is down and readonly';
        case 'down': return 'ERR Script attempted to execute a command while the cluster is down';
        case 'crossslot': return `ERR Command '${spec.name.replace('|', ' ')}' in script attempted to access keys that do not hash to the same slot`;
        default: return 'ERR Script attempted to access a non local key in a cluster node';
      }
    }
    if (r.slot !== -1 && !allowCrossSlot) {
      const seen = this.routing.slotOf(original);
      if (seen === -1) this.routing.setSlot(original, r.slot);
      else if (seen !== r.slot) return 'ERR Script attempted to access keys that do not hash to the same slot';
    }
    return undefined;
  }

  public close(): void {
    if (this.saveTimer) this.save();
    this.bus.closeAll();
  }
}
