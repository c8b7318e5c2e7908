/**
 * Health checks and recovery. Every node gets a PING on a persistent admin connection every
 * `intervalMs`; a node whose process is gone, or that misses `missesAllowed` checks in a row
 * (wedged), has failed. A failed primary is failed over (the replica with the highest replication
 * offset is promoted, the others re-pointed, the primary endpoint follows) on the failover lane,
 * never behind the control plane's queue; a failed node is then replaced in place through the queue
 * and resyncs as a replica.
 */
import { pickReplica, promotable } from './pick-replica';
import { events } from '../api/event-messages';
import { failoverClusterShard, isClusterMode, replaceClusterNode } from '../daemon/cluster-mode';
import { ControlPlane } from '../daemon/control-plane';
import { inFailoverLane } from '../daemon/failover-lane';
import { promotionTarget } from '../global/upstream';
import { sleep } from '../hosts/local';
import { AdminConnection } from '../nodes/admin-client';
import { Group, Node, members, setPhase } from '../state/types';

export interface MonitorOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly missesAllowed: number;
}

export const DEFAULT_MONITOR: MonitorOptions = { intervalMs: 100, timeoutMs: 500, missesAllowed: 3 };

export class HealthMonitor {
  private timer?: NodeJS.Timeout;
  private readonly misses = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private stopped = false;

  constructor(private readonly cp: ControlPlane, private readonly opts: MonitorOptions = DEFAULT_MONITOR) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const c of this.cp.healthConnections.values()) c.close();
    this.cp.healthConnections.clear();
  }

  private tick(): void {
    for (const group of Object.values(this.cp.state.replicationGroups)) {
      if (group.status === 'creating' || group.status === 'deleting') continue;
      for (const node of members(group)) {
        const id = node.cacheClusterId;
        if (this.inFlight.has(id) || this.cp.busy.has(id)) continue;
        if (this.cp.failed.has(id)) {
          this.recover(group, node);
          continue;
        }
        if (node.status !== 'available') continue;
        this.inFlight.add(id);
        void this.check(group, node).finally(() => this.inFlight.delete(id));
      }
    }
  }

  private async check(group: Group, node: Node): Promise<void> {
    const id = node.cacheClusterId;
    const gone = node.pid === undefined || !this.cp.host(node).isRunning(node.pid, this.cp.nodeDir(node));
    let ok = false;
    if (!gone) {
      try {
        let c = this.cp.healthConnections.get(id);
        if (!c) {
          c = await AdminConnection.open(this.cp.target(group, node), this.opts.timeoutMs);
          this.cp.healthConnections.set(id, c);
          // A dropped connection is checked at once rather than at the next tick.
          const conn = c;
          c.onClose(() => {
            if (this.cp.healthConnections.get(id) === conn) this.cp.healthConnections.delete(id);
            if (!this.stopped && !this.inFlight.has(id) && node.status === 'available' && !this.cp.busy.has(id) && !this.cp.failed.has(id)) {
              this.inFlight.add(id);
              void this.check(group, node).finally(() => this.inFlight.delete(id));
            }
          });
        }
        const r = await c.call(['PING'], this.opts.timeoutMs);
        ok = !(r instanceof Error);
      } catch {
        this.cp.healthConnections.get(id)?.close();
        this.cp.healthConnections.delete(id);
      }
    }
    if (ok) {
      this.misses.delete(id);
      return;
    }
    const misses = (this.misses.get(id) ?? 0) + 1;
    this.misses.set(id, misses);
    if (!gone && misses < this.opts.missesAllowed) return;
    this.misses.delete(id);
    if (node.status !== 'available' || this.cp.busy.has(id)) return;
    // From here on the node has failed.
    this.cp.failed.add(id);
    this.cp.repointEndpoints(group);
    if (canFailOver(this.cp, group, node)) this.failOver(group, node);
    // Anything else is recovered from the next tick on, through the control plane's queue.
  }

  /**
   * Promotes a replica in place of a failed primary on the failover lane: at once, whatever the
   * control plane's queue holds (a recovery there may wait 30 s for a sync). The failed node stays
   * in `failed` and is recovered as a replica from the next tick on.
   */
  private failOver(group: Group, node: Node): void {
    const id = node.cacheClusterId;
    this.cp.busy.add(id);
    void failover(this.cp, group, node, 'failed')
      // the monitor tries again; the reason goes to the control plane's log (control.log)
      .catch((e: Error) => console.error(`${new Date().toISOString()} failover of ${id} failed: ${e.message}`))
      .finally(() => this.cp.busy.delete(id));
  }

  /** Replaces a failed node in place (same host and port) and resyncs it as a replica. */
  private recover(group: Group, node: Node): void {
    const id = node.cacheClusterId;
    if (this.cp.busy.has(id)) return;
    // A failed primary found at adoption, or whose failover could not run before: fail over first.
    if (canFailOver(this.cp, group, node)) {
      this.failOver(group, node);
      return;
    }
    this.cp.busy.add(id);
    void this.cp.serialize(async () => {
      this.cp.recovering.add(id);
      try {
        await replaceNode(this.cp, group, node);
      } finally {
        this.cp.recovering.delete(id);
        this.cp.busy.delete(id);
      }
    }).catch(() => undefined);
  }
}

/**
 * Replicas in the middle of their recovery whose process runs: one that has finished its sync may
 * hold writes only it acknowledged (sync-replicas counts any replica), so the failover weighs it.
 */
function resyncedRecovering(cp: ControlPlane, group: Group, oldPrimary: Node): Node[] {
  return cp.replicasOf(group).filter((n) => n !== oldPrimary && cp.recovering.has(n.cacheClusterId)
    && n.pid !== undefined && cp.host(n).isRunning(n.pid, cp.nodeDir(n)));
}

/** A primary whose node group has a live replica to promote, with automatic failover on. */
function canFailOver(cp: ControlPlane, group: Group, node: Node): boolean {
  if (node.role !== 'primary' || !group.spec.automaticFailover) return false;
  const ng = group.nodeGroups.find((x) => x.members.includes(node));
  return ng !== undefined && ng.members.some((n) => n !== node && promotable(cp, n));
}

/**
 * Promotes the most up-to-date replica of `group` in place of `oldPrimary` (failed, or being
 * demoted by test-failover), on the failover lane. Returns the new primary. A failed old primary
 * is left to the monitor's recovery, except when a test failover found it down (then it is
 * replaced here, in the caller's turn of the queue).
 */
export async function failover(cp: ControlPlane, group: Group, oldPrimary: Node, why: 'failed' | 'test'): Promise<Node | undefined> {
  if (isClusterMode(group)) return failoverClusterShard(cp, group, oldPrimary, why);
  const next = await inFailoverLane(cp, group.replicationGroupId, () => promote(cp, group, oldPrimary, why));
  if (next !== undefined && why === 'test' && !cp.isUp(oldPrimary)) await replaceNode(cp, group, oldPrimary);
  return next;
}

async function promote(cp: ControlPlane, group: Group, oldPrimary: Node, why: 'failed' | 'test'): Promise<Node | undefined> {
  // Another failover (or a removal) got there first while this one waited in the lane.
  if (cp.state.replicationGroups[group.replicationGroupId] !== group || group.status === 'deleting') return undefined;
  if (oldPrimary.role !== 'primary' || !members(group).includes(oldPrimary)) return undefined;
  const candidates = cp.replicasOf(group).filter((n) => promotable(cp, n));
  if (candidates.length === 0) {
    cp.emit({ sourceType: 'replication-group', sourceIdentifier: group.replicationGroupId, message: 'Failover not possible for node group 0001: no available replica' });
    return undefined;
  }
  const next = (await pickReplica(cp, group, oldPrimary, candidates, '0001', resyncedRecovering(cp, group, oldPrimary)))!;
  // promoted in the middle of its recovery: its replaceNode sees it primary and finishes
  cp.failed.delete(next.cacheClusterId);
  // A Global Datastore secondary's new primary follows the primary region, read-only.
  await cp.call(group, next, ['REPLICAOF', ...promotionTarget(cp.state, group)]);
  oldPrimary.role = 'replica';
  next.role = 'primary';
  cp.repointEndpoints(group);
  cp.save();
  const to = [next.endpoint.address, String(next.endpoint.port)];
  // Replicas being started or resynced are not up yet: they re-point themselves (follow-primary.ts).
  await Promise.all(cp.replicasOf(group).filter((r) => r !== oldPrimary && cp.isUp(r))
    .map((r) => cp.call(group, r, ['REPLICAOF', ...to]).catch(() => undefined)));
  cp.emit(events.failoverCompleted(next.cacheClusterId, oldPrimary.cacheClusterId, next.cacheClusterId));
  cp.emit(events.failoverCompletedForGroup(group.replicationGroupId, oldPrimary.cacheClusterId, next.cacheClusterId));
  if (why === 'test' && cp.isUp(oldPrimary)) {
    await cp.primaryAddresses.settled(group); // the endpoint leaves the old primary (its connections closed) before it turns read-only
    await cp.call(group, oldPrimary, ['REPLICAOF', ...to]);
    cp.repointEndpoints(group);
  }
  return next;
}

/** Restarts a failed node's process on its host as a replica of the current primary. */
export async function replaceNode(cp: ControlPlane, group: Group, node: Node): Promise<void> {
  if (isClusterMode(group)) return replaceClusterNode(cp, group, node);
  if (!cp.state.replicationGroups[group.replicationGroupId] || !members(group).includes(node)) return;
  const primary = cp.primaryOf(group);
  if (node.role === 'primary') {
    if (group.spec.automaticFailover && cp.replicasOf(group).some((n) => cp.isUp(n))) {
      await failover(cp, group, node, 'failed');
      if (node.role === 'primary') return; // not failed over: the monitor tries again
      // It comes back as a replica of the new primary, below.
    }
    // No replica to promote: the primary comes back in place (with whatever its dir holds).
  } else if (!primary || !cp.isUp(primary)) {
    return; // wait for a primary to sync from
  }
  const id = node.cacheClusterId;
  cp.emit(events.recoveringCacheNodes(id, [node.cacheNodeId]));
  setPhase(node, 'rebooting');
  cp.save();
  if (node.pid !== undefined) {
    const h = cp.host(node);
    if (h.isRunning(node.pid, cp.nodeDir(node))) {
      h.resume(node.pid);
      await h.stop(node.pid, 1000);
    }
  }
  try {
    await cp.launch(group, node);
    await cp.waitReady(group, node);
    cp.failed.delete(id);
    setPhase(node, 'available');
    cp.repointEndpoints(group);
    cp.emit(events.finishedRecovery(id, [node.cacheNodeId]));
  } catch (e) {
    cp.failed.add(id);
    cp.save();
    await sleep(500); // the monitor tries again on its next tick
    throw e;
  }
}
