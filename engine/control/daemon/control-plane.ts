/**
 * The control plane of one state directory: it owns the deployed state while it runs, starts and
 * replaces nodes on hosts, routes the endpoints (served by the router process), and serializes every change (deploys, verbs,
 * node recoveries) through one queue so they never interleave; failovers of failed primaries run on the failover lane
 * (failover-lane.ts) so they never wait behind it. State is saved after every change.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  clusterModeLines, closeClusterHandle, createClusterGroup, isClusterMode, nodeGroupOf,
} from './cluster-mode';
import { inFailoverLane } from './failover-lane';
import { PrimaryLost, syncedFromCurrentPrimary } from './follow-primary';
import { iamTokenHashes } from './iam-tokens';
import { ApiError } from '../api/errors';
import { EventDraft, events, notificationBody } from '../api/event-messages';
import { PrimaryAddresses } from '../endpoints/primary-address';
import { ensureRouter, routerLog, waitApplied } from '../endpoints/router-keeper';
import { groupRoutes, readApplied, writeRouting } from '../endpoints/routing';
import { deliver, trim } from '../events/events';
import { clusterUpstreamLines } from '../global/cluster-upstream';
import { globalUpstream, regionSlot } from '../global/upstream';
import { LocalHost, allocateAddress, endpointAddresses, hostAddresses, sleep } from '../hosts/local';
import { ADMIN_USER, RESTRICTED_COMMANDS, aclLines } from '../nodes/acl';
import { AdminConnection, AdminTarget, adminCall, parseInfo } from '../nodes/admin-client';
import { knownCommands } from '../nodes/engine-probe';
import { nodeConfig } from '../nodes/node-config';
import { nodeSizeLines } from '../nodes/node-types';
import { BUNDLED_DIRECTIVES, isDynamic, parameterDirectives } from '../nodes/parameters';
import type { ReplicationGroupDesired, UserDesired } from '../spec/model';
import { StateDir } from '../state/store';
import { Group, Node, NodePhase, State, addressesInUse, control, members, setPhase, shard } from '../state/types';
import { LocalCa } from '../tls/ca';

export { ApiError } from '../api/errors';

const now = () => new Date().toISOString();
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** AZ name → index of its loopback block (`us-east-1a` → 0, `…b` → 1). */
export function azIndex(az: string): number {
  const c = az.charCodeAt(az.length - 1) - 97;
  return c >= 0 && c < 26 ? c : 0;
}

/** Replicas the spec asks for in node group 0001. */
export function replicaCount(spec: ReplicationGroupDesired): number {
  return spec.nodeGroups[0]?.replicaCount ?? spec.replicasPerNodeGroup;
}

export class ControlPlane {
  state: State;
  readonly adminSecret: string;
  readonly ca: LocalCa;
  /** The routing last written (endpoints/routing.ts) and its version. */
  private routingJson = '';
  private routingVersion = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Nodes being replaced or failed over: the health monitor leaves them alone. */
  readonly busy = new Set<string>();
  /** Nodes the health monitor is replacing in place (launched and resyncing as replicas). */
  readonly recovering = new Set<string>();
  /** Nodes found dead or wedged, waiting for recovery (in memory: a restart re-checks them all). */
  readonly failed = new Set<string>();
  /** A persistent admin connection per node for health checks (reopened when it drops). */
  readonly healthConnections = new Map<string, AdminConnection>();
  /** The primary endpoints' addresses, bound by the primary nodes themselves (endpoints/primary-address.ts). */
  readonly primaryAddresses = new PrimaryAddresses(this);

  constructor(readonly dir: StateDir, engineBinary?: string) {
    dir.ensure();
    this.state = dir.load();
    if (engineBinary !== undefined) control(this.state).engineBinary = engineBinary;
    this.adminSecret = dir.adminSecret();
    this.ca = new LocalCa(dir.tlsDir);
  }

  /** Runs `fn` after every change queued before it. */
  serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  save(): void {
    trim(this.state.events);
    this.dir.save(this.state);
    this.publishRouting();
  }

  /** Records an event (DescribeEvents) and, when it is a notification, delivers it to the group's topic sink. */
  emit(e: EventDraft): void {
    const date = now();
    this.state.events.push({ ...e, date });
    const group = e.sourceType === 'replication-group' ? this.state.replicationGroups[e.sourceIdentifier] : this.groupOfNode(e.sourceIdentifier);
    const topic = group?.spec.notificationTopicArn;
    const body = notificationBody(e);
    if (body && topic) {
      const sink = control(this.state).topicSinks[topic] ?? path.join(this.dir.root, 'events', `${topic.split(':').pop()}.jsonl`);
      try {
        deliver(sink, topic, e.notification!, body, date);
      } catch {
        /* a broken sink does not stop the control plane */
      }
    }
    this.save();
  }

  groupOfNode(cacheClusterId: string): Group | undefined {
    return Object.values(this.state.replicationGroups).find((g) => members(g).some((n) => n.cacheClusterId === cacheClusterId));
  }

  // ---- node access ---------------------------------------------------------------------------

  nodeDir(node: Node): string {
    return this.dir.nodeDir(node.cacheClusterId);
  }

  target(group: Group, node: Node): AdminTarget {
    return {
      host: node.endpoint.address,
      port: node.endpoint.port,
      user: ADMIN_USER,
      password: this.adminSecret,
      tlsCa: group.spec.transitEncryption ? fs.readFileSync(this.ca.caFile, 'utf8') : undefined,
    };
  }

  call(group: Group, node: Node, args: string[], timeoutMs = 2000) {
    return adminCall(this.target(group, node), args, timeoutMs);
  }

  async info(group: Group, node: Node, section: string, timeoutMs = 1000): Promise<Record<string, string>> {
    return parseInfo(String(await this.call(group, node, ['INFO', section], timeoutMs)));
  }

  host(node: Node): LocalHost {
    return new LocalHost(node.availabilityZone, node.endpoint.address, this.state.control?.engineBinary);
  }

  isUp(node: Node): boolean {
    return node.status === 'available' && !this.failed.has(node.cacheClusterId);
  }

  primaryOf(group: Group): Node | undefined {
    return members(group).find((n) => n.role === 'primary');
  }

  replicasOf(group: Group): Node[] {
    return members(group).filter((n) => n.role === 'replica');
  }

  parametersOf(group: Group): Record<string, string> {
    const name = group.spec.parameterGroupName;
    return { ...(name !== undefined ? this.state.parameterGroups[name]?.parameters ?? {} : {}) };
  }

  usersOf(spec: ReplicationGroupDesired): UserDesired[] {
    const users: UserDesired[] = [];
    for (const ugId of spec.userGroupIds) {
      const ug = this.state.userGroups[ugId];
      if (!ug) throw new ApiError('UserGroupNotFound', `User group ${ugId} not found.`);
      for (const uid of ug.spec.userIds) {
        const u = this.state.users[uid];
        if (!u) throw new ApiError('UserNotFound', `User ${uid} not found.`);
        users.push(u.spec);
      }
    }
    return users;
  }

  private async writeAcl(group: Group, node: Node): Promise<string> {
    const dir = this.nodeDir(node);
    const file = path.join(dir, 'users.acl');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const known = await knownCommands(this.state.control?.engineBinary, RESTRICTED_COMMANDS);
    fs.writeFileSync(file, aclLines(group.spec.authToken, this.usersOf(group.spec), this.adminSecret, known, group.authTokenRotation, iamTokenHashes(this)).join('\n') + '\n', { mode: 0o600 });
    return file;
  }

  /** Writes the node's files and starts its process; does not wait for it to be ready. */
  async launch(group: Group, node: Node): Promise<void> {
    const primary = this.primaryOf(group);
    const dir = this.nodeDir(node);
    const ng = shard(group);
    const cme = isClusterMode(group);
    const names = cme ? [group.configurationEndpoint!.address] : [ng.primaryEndpoint!.address, ng.readerEndpoint!.address];
    const tls = group.spec.transitEncryption
      ? await this.ca.issue(dir, node.cacheClusterId, [node.endpoint.address, ...names, '127.0.0.1', 'localhost'])
      : undefined;
    const config = nodeConfig({
      address: node.endpoint.address,
      port: node.endpoint.port,
      dir,
      aclFile: await this.writeAcl(group, node),
      adminUser: ADMIN_USER,
      adminSecret: this.adminSecret,
      // Cluster mode: replicas are attached with CLUSTER REPLICATE, never replicaof.
      // A Global Datastore secondary's primary replicates from the primary region.
      replicaOf: node.role === 'replica' && primary && !cme ? primary.endpoint : (node.role === 'primary' ? globalUpstream(this.state, group) : undefined),
      tls,
      parameters: this.parametersOf(group),
      knownDirectives: BUNDLED_DIRECTIVES,
      extra: [
        ...this.engineLines(group),
        ...nodeSizeLines(node, group.spec.engine, this.parametersOf(group), this.state.control?.engineBinary === undefined),
        ...(cme ? [...clusterModeLines(group), ...clusterUpstreamLines(this, group, node)] : []),
      ],
    });
    node.pid = await this.host(node).start({ nodeId: node.cacheClusterId, dir, config });
    node.parameterApplyStatus = 'in-sync';
    delete node.pendingParameters;
    this.save();
  }

  /** Lines of a node's config that depend on the engine and the group's settings. */
  private engineLines(group: Group): string[] {
    const external = this.state.control?.engineBinary !== undefined;
    const knows = (d: string) => external || BUNDLED_DIRECTIVES.has(d);
    const lines: string[] = [];
    // Engines wait 5 s for more replicas before a diskless full sync; nodes here join one at a time.
    if (knows('repl-diskless-sync-delay')) lines.push('repl-diskless-sync-delay 0');
    // Synchronous durability: a write is acknowledged once a replica has it (the bundled node's
    // `sync-replicas`; redis-server has no such directive, clients use WAIT there).
    if (group.spec.durability === 'sync' && !external && BUNDLED_DIRECTIVES.has('sync-replicas') && this.replicasOf(group).length > 0) {
      lines.push('sync-replicas 1');
    }
    return lines;
  }

  /**
   * Synchronous durability needs a replica to acknowledge: on while the group has replicas, off
   * without (every write would time out). A node's config file has the value of its launch; this
   * sets it live on every running node when replicas come or go (a node launched before its
   * replicas existed, the first primary above all, would otherwise acknowledge writes alone).
   */
  async applyDurability(group: Group): Promise<void> {
    const external = this.state.control?.engineBinary !== undefined;
    if (group.spec.durability !== 'sync' || external || !BUNDLED_DIRECTIVES.has('sync-replicas')) return;
    const value = this.replicasOf(group).length > 0 ? '1' : '0';
    await Promise.all(members(group).filter((n) => this.isUp(n)).map((n) => this.call(group, n, ['CONFIG', 'SET', 'sync-replicas', value])));
  }

  /** Waits until the node answers PING (and, for a replica, has synced from its primary). */
  async waitReady(group: Group, node: Node, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (node.pid !== undefined && !this.host(node).isRunning(node.pid, this.nodeDir(node))) {
        throw new Error(`node ${node.cacheClusterId} exited while starting:\n${readTail(path.join(this.nodeDir(node), 'node.log'))}`);
      }
      try {
        if (node.role === 'primary') {
          await this.call(group, node, ['PING'], 500);
          return;
        }
        const info = await this.info(group, node, 'replication', 500);
        // Re-pointed when a failover promoted another node meanwhile; gives up when its primary failed for good.
        if (await syncedFromCurrentPrimary(this, group, node, info)) return;
        last = `replication link ${info.master_link_status ?? '?'}`;
      } catch (e) {
        if (e instanceof PrimaryLost) throw e;
        last = (e as Error).message;
      }
      await sleep(25);
    }
    throw new Error(`node ${node.cacheClusterId} not ready after ${timeoutMs} ms (${last})`);
  }

  // ---- placement -----------------------------------------------------------------------------

  /**
   * AZ for the next node: the template's preferred AZ for that position when given, else the AZ
   * with the fewest nodes of the group, the primary's AZ last (Multi-AZ spreads roles over AZs).
   */
  private pickAz(group: Group, position: number): string {
    const preferred = group.spec.preferredCacheClusterAzs?.[position]
      ?? (position === 0 ? group.spec.nodeGroups[0]?.primaryAvailabilityZone : group.spec.nodeGroups[0]?.replicaAvailabilityZones?.[position - 1]);
    if (preferred) return preferred;
    const azs = group.spec.availabilityZones.length > 0 ? group.spec.availabilityZones : ['local-1a', 'local-1b', 'local-1c'];
    const all = members(group);
    const count = (az: string) => all.filter((n) => n.availabilityZone === az).length;
    const primaryAz = this.primaryOf(group)?.availabilityZone;
    return [...azs].sort((a, b) => count(a) - count(b) || Number(a === primaryAz) - Number(b === primaryAz))[0];
  }

  async addNode(group: Group, role: Node['role']): Promise<Node> {
    const all = members(group);
    const taken = new Set(all.map((n) => n.cacheClusterId));
    let i = 1;
    while (taken.has(`${group.replicationGroupId}-${pad(i, 3)}`)) i++;
    const id = `${group.replicationGroupId}-${pad(i, 3)}`;
    const az = this.pickAz(group, all.length);
    const hosts = hostAddresses(azIndex(az), regionSlot(this.state, group.replicationGroupId));
    const address = await allocateAddress(hosts, group.spec.port, addressesInUse(this.state), this.dir.root);
    const node: Node = {
      cacheClusterId: id,
      cacheNodeId: '0001',
      role,
      status: 'creating',
      nodeStatus: 'creating',
      availabilityZone: az,
      hostId: `local:${address}`,
      endpoint: { address, port: group.spec.port },
      engineVersion: group.spec.engineVersion,
      nodeType: group.spec.nodeType,
      createTime: now(),
      parameterApplyStatus: 'in-sync',
    };
    fs.rmSync(this.nodeDir(node), { recursive: true, force: true });
    shard(group).members.push(node);
    this.save();
    return node;
  }

  // ---- endpoints -----------------------------------------------------------------------------
  // Served by the endpoint router process (endpoints/router.ts) from the routing this publishes,
  // so they outlive the control plane.

  /** Writes the routing table when it changed; returns its version. */
  publishRouting(): number {
    const routes = Object.values(this.state.replicationGroups)
      .filter((g) => g.status !== 'deleting')
      .flatMap((g) => groupRoutes(g, (n) => this.isUp(n)));
    const json = JSON.stringify(routes);
    if (json !== this.routingJson) {
      this.routingJson = json;
      this.routingVersion = Math.max(Date.now(), this.routingVersion + 1, readApplied(this.dir.root) + 1);
      writeRouting(this.dir.root, { version: this.routingVersion, routes });
    }
    this.primaryAddresses.reconcile();
    return this.routingVersion;
  }

  /** Starts the router if it is gone (the daemon calls this every second). */
  keepRouter(): void {
    if (Object.keys(this.state.replicationGroups).length > 0) ensureRouter(this.dir.root);
    this.primaryAddresses.reconcile();
  }

  /** Returns once the router serves the group's endpoints. */
  async startEndpoints(_group: Group): Promise<void> {
    const version = this.publishRouting();
    if (!(await waitApplied(this.dir.root, version))) throw new Error(`the endpoint router did not start (log ${routerLog(this.dir.root)})`);
  }

  /** After a role or health change: the router sends new connections to the right nodes and closes the others. */
  repointEndpoints(_group: Group): void {
    this.publishRouting();
  }

  async stopEndpoints(groupId: string): Promise<void> {
    closeClusterHandle(this, groupId);
    await waitApplied(this.dir.root, this.publishRouting(), 5000);
  }

  // ---- groups --------------------------------------------------------------------------------

  /** `restoreFiles`: RDB files to seed the group with (cluster mode disabled: one). */
  async createGroup(spec: ReplicationGroupDesired, restoreFiles?: readonly string[]): Promise<Group> {
    if (spec.clusterMode === 'enabled') return createClusterGroup(this, spec, restoreFiles);
    const restoreFile = restoreFiles?.[0];
    if (spec.transitEncryption) this.ca.ensure();
    const used = addressesInUse(this.state);
    const slot = regionSlot(this.state, spec.replicationGroupId);
    const primaryEp = await allocateAddress(endpointAddresses(slot), spec.port, used, this.dir.root);
    used.add(`${primaryEp}:${spec.port}`);
    const readerEp = await allocateAddress(endpointAddresses(slot), spec.port, used, this.dir.root);
    const id = spec.replicationGroupId;
    const group: Group = {
      spec: spec as Group['spec'],
      replicationGroupId: id,
      arn: `arn:aws:elasticache:${this.state.region}:${this.state.accountId}:replicationgroup:${id}`,
      status: 'creating',
      createTime: now(),
      nodeGroups: [{
        nodeGroupId: '0001',
        status: 'creating',
        primaryEndpoint: { address: primaryEp, port: spec.port },
        readerEndpoint: { address: readerEp, port: spec.port },
        members: [],
      }],
      caFile: spec.transitEncryption ? this.ca.caFile : undefined,
    };
    this.state.replicationGroups[id] = group;
    this.save();
    await this.startEndpoints(group);
    try {
      const primary = await this.addNode(group, 'primary');
      if (restoreFile) {
        fs.mkdirSync(this.nodeDir(primary), { recursive: true, mode: 0o700 });
        fs.copyFileSync(restoreFile, path.join(this.nodeDir(primary), 'dump.rdb'));
      }
      await this.launch(group, primary);
      await this.waitReady(group, primary);
      setPhase(primary, 'available');
      this.emit(events.cacheClusterProvisioned(primary.cacheClusterId));
      const replicas: Node[] = [];
      for (let i = 0; i < replicaCount(spec); i++) replicas.push(await this.addNode(group, 'replica'));
      await Promise.all(replicas.map((r) => this.launch(group, r)));
      await Promise.all(replicas.map(async (r) => {
        await this.waitReady(group, r);
        setPhase(r, 'available');
        this.emit(events.cacheClusterProvisioned(r.cacheClusterId));
      }));
      if (!(await this.primaryAddresses.settled(group))) throw new Error(`the primary did not take the primary endpoint's address ${primaryEp}:${spec.port}`);
      await this.applyDurability(group); // the primary started before its replicas existed
      group.status = 'available';
      shard(group).status = 'available';
      this.emit(events.replicationGroupCreated(id));
      return group;
    } catch (e) {
      group.status = 'create-failed';
      this.emit({ sourceType: 'replication-group', sourceIdentifier: id, message: `Failed to create replication group ${id}: ${(e as Error).message.split('\n')[0]}` });
      throw e;
    }
  }

  async removeNode(group: Group, node: Node): Promise<void> {
    // On the failover lane: a failover must not promote the replica being removed.
    return inFailoverLane(this, group.replicationGroupId, () => this.removeNow(group, node));
  }

  private async removeNow(group: Group, node: Node): Promise<void> {
    setPhase(node, 'deleting');
    this.save();
    this.repointEndpoints(group);
    if (node.pid !== undefined) await this.host(node).stop(node.pid);
    const ng = nodeGroupOf(group, node);
    ng.members = ng.members.filter((n) => n !== node);
    fs.rmSync(this.nodeDir(node), { recursive: true, force: true });
    this.failed.delete(node.cacheClusterId);
    this.emit(events.cacheClusterDeleted(node.cacheClusterId));
  }

  async setReplicaCount(group: Group, count: number): Promise<void> {
    const current = () => this.replicasOf(group);
    if (count === current().length) return;
    group.status = 'modifying';
    shard(group).status = 'modifying';
    this.save();
    const id = group.replicationGroupId;
    try {
      while (current().length < count) {
        const r = await this.addNode(group, 'replica');
        this.emit(events.increaseReplicaCountStarted(id, r.cacheClusterId));
        await this.launch(group, r);
        await this.waitReady(group, r);
        setPhase(r, 'available');
        this.emit(events.cacheNodeAdded(r.cacheClusterId, r.cacheNodeId, r.availabilityZone));
        this.emit(events.increaseReplicaCountFinished(id, r.cacheClusterId));
      }
      // Remove replicas that are down first, then the newest.
      while (current().length > count) {
        const replicas = current();
        const gone = replicas.find((n) => !this.isUp(n)) ?? replicas[replicas.length - 1];
        await this.removeNode(group, gone);
        this.emit(events.decreaseReplicaCountFinished(id, gone.cacheClusterId));
      }
      await this.applyDurability(group);
    } finally {
      group.status = 'available';
      shard(group).status = 'available';
      this.save();
    }
  }

  async deleteGroup(group: Group, finalSnapshot?: (g: Group) => Promise<void>): Promise<void> {
    if (finalSnapshot && group.status === 'available') await finalSnapshot(group);
    group.status = 'deleting';
    this.save();
    await this.stopEndpoints(group.replicationGroupId);
    await Promise.all(members(group).map(async (n) => {
      if (n.pid !== undefined) await this.host(n).stop(n.pid);
      fs.rmSync(this.nodeDir(n), { recursive: true, force: true });
      this.failed.delete(n.cacheClusterId);
    }));
    delete this.state.replicationGroups[group.replicationGroupId];
    delete control(this.state).lastAutoSnapshotDay[group.replicationGroupId];
    this.emit(events.replicationGroupDeleted(group.replicationGroupId));
  }

  /** Pushes users / auth changes to running nodes: rewrite the aclfile, ACL LOAD. */
  async reloadUsers(group: Group): Promise<void> {
    for (const n of members(group)) {
      await this.writeAcl(group, n);
      if (this.isUp(n)) await this.call(group, n, ['ACL', 'LOAD']);
    }
  }

  /**
   * Applies changed parameter values to a group's nodes: dynamic ones with CONFIG SET now, static
   * ones at the next reboot (`pending-reboot` until then).
   */
  async applyParameters(group: Group, changed: Record<string, string>): Promise<void> {
    const directives = parameterDirectives(changed, BUNDLED_DIRECTIVES);
    for (const n of members(group)) {
      for (const [k, v] of Object.entries(directives)) {
        if (isDynamic(k) && this.isUp(n)) {
          await this.call(group, n, ['CONFIG', 'SET', k, v]);
        } else {
          n.parameterApplyStatus = 'pending-reboot';
          n.pendingParameters = { ...(n.pendingParameters ?? {}), [k]: v };
        }
      }
    }
    for (const n of members(group)) this.emit(events.cacheClusterParametersChanged(n.cacheClusterId, group.spec.parameterGroupName ?? 'default'));
  }

  /** Restarts a node with its current role (static parameters then apply). */
  async reboot(group: Group, node: Node): Promise<void> {
    this.busy.add(node.cacheClusterId);
    setPhase(node, 'rebooting');
    this.save();
    try {
      this.repointEndpoints(group);
      if (node.pid !== undefined) await this.host(node).stop(node.pid);
      await this.launch(group, node);
      await this.waitReady(group, node);
      setPhase(node, 'available');
      this.emit(events.cacheNodeRestarted(node.cacheClusterId, node.cacheNodeId));
    } finally {
      this.busy.delete(node.cacheClusterId);
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * After a restart of the control plane: keep nodes whose process still runs (pid + command line
   * + PING); the health monitor replaces the others. Endpoints come back on their addresses.
   */
  async adopt(): Promise<void> {
    for (const group of Object.values(this.state.replicationGroups)) {
      for (const n of members(group)) {
        const running = n.pid !== undefined && this.host(n).isRunning(n.pid, this.nodeDir(n));
        let ok = false;
        if (running) {
          try {
            await this.call(group, n, ['PING'], 1000);
            ok = true;
          } catch {
            ok = false;
          }
        }
        if (ok) {
          if (n.status !== 'available') setPhase(n, 'available' as NodePhase);
        } else if (group.status !== 'creating') {
          this.failed.add(n.cacheClusterId);
        }
      }
      if (group.status === 'modifying' || group.status === 'snapshotting') group.status = 'available';
      await this.startEndpoints(group);
    }
    this.save();
  }

  /** The endpoint router keeps serving: endpoints outlive the control plane. */
  async shutdown(): Promise<void> {
    for (const id of Object.keys(this.state.replicationGroups)) closeClusterHandle(this, id);
  }
}

function readTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
