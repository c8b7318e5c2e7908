/**
 * The primary endpoint as ElastiCache has it: a name that resolves to the primary node, so clients
 * talk to the node with nothing in between. Locally the primary node also listens on the
 * endpoint's address (CONFIG SET bind; endpoint and node ports are the group's port), and the
 * address moves on failover: the node that held it drops it (CONFIG SET bind, then CLIENT KILL
 * LADDR for the connections that came through the endpoint, as a proxy closed them); a failed
 * holder is cut off at once, before any failover, and killed when it does not answer (SIGSTOP: the
 * kernel still accepts for it) and a replica can take over; then the new primary binds it.
 */
import type { ControlPlane } from '../daemon/control-plane';
import { Group, Node, members, shard } from '../state/types';

export class PrimaryAddresses {
  /** Per group, the node process (`id:pid`) known to hold the address, '' for none; absent: not known (ask). */
  private readonly holder = new Map<string, string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly retryFrom = new Map<string, number>();

  constructor(private readonly cp: ControlPlane) {}

  /** Moves the address of every group whose up primary does not hold it yet (cheap when nothing moved). */
  reconcile(): void {
    const groups = Object.values(this.cp.state.replicationGroups);
    for (const id of [...this.holder.keys()]) if (!this.cp.state.replicationGroups[id]) this.holder.delete(id);
    for (const group of groups) {
      if (group.status === 'deleting' || !shard(group)?.primaryEndpoint || group.configurationEndpoint) continue;
      const want = this.wanted(group);
      const held = this.holder.get(group.replicationGroupId);
      // A holder that failed is cut off at once, before any failover (a primary only slow to answer
      // would otherwise go on taking writes that its promoted replica never gets).
      const failedHolder = held && members(group).some((n) => key(n) === held && this.cp.failed.has(n.cacheClusterId));
      if ((want && held !== key(want)) || failedHolder) this.sync(group);
    }
  }

  /** Resolves once the group's up primary holds the address: true, or false when there is none or after `timeoutMs`. */
  async settled(group: Group, timeoutMs = 10000): Promise<boolean> {
    if (!shard(group)?.primaryEndpoint || group.configurationEndpoint) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const want = this.wanted(group);
      if (!want) return false;
      if (this.holder.get(group.replicationGroupId) === key(want)) return true;
      if (Date.now() > deadline) return false;
      this.reconcile();
      await (this.running.get(group.replicationGroupId) ?? new Promise((r) => setTimeout(r, 20)));
    }
  }

  private wanted(group: Group): Node | undefined {
    const p = this.cp.primaryOf(group);
    return p && p.pid !== undefined && this.cp.isUp(p) ? p : undefined;
  }

  private sync(group: Group): void {
    const id = group.replicationGroupId;
    if (this.running.has(id)) {
      this.again.add(id);
      return;
    }
    const run = this.move(group).then(() => void this.retryFrom.delete(id), () => {
      // The address is still held (a killed node not yet gone): again soon, then every second.
      const since = this.retryFrom.get(id) ?? Date.now();
      this.retryFrom.set(id, since);
      setTimeout(() => this.reconcile(), Date.now() - since < 3000 ? 20 : 1000);
    }).finally(() => {
      this.running.delete(id);
      if (this.again.delete(id)) this.reconcile();
    });
    this.running.set(id, run);
  }

  private async move(group: Group): Promise<void> {
    const cp = this.cp;
    const ep = shard(group).primaryEndpoint!;
    const want = this.wanted(group);
    const id = group.replicationGroupId;
    const known = this.holder.get(id);
    for (const n of members(group)) {
      if (n === want || n.pid === undefined) continue;
      const mayHold = known === undefined || known === key(n);
      if (!mayHold) continue;
      const host = cp.host(n);
      if (!host.isRunning(n.pid, cp.nodeDir(n))) {
        if (known === key(n)) this.holder.set(id, ''); // gone: the kernel freed the address
        continue;
      }
      if (cp.failed.has(n.cacheClusterId)) {
        if (known !== key(n)) continue;
        try {
          await drop(cp, group, n, 300);
        } catch {
          // Wedged: it would keep the address (and queue clients) forever. Killed when a replica takes
          // over (it is replaced anyway); with none, its restart in place frees the address.
          if (!want && !(group.spec.automaticFailover && cp.replicasOf(group).some((r) => cp.isUp(r)))) continue;
          host.kill(n.pid);
        }
        this.holder.set(id, '');
        continue;
      }
      if (n.status !== 'available' && known !== key(n)) continue; // being restarted: its next process binds its own address only
      await drop(cp, group, n);
      if (known === key(n)) this.holder.set(id, '');
    }
    if (!want) return;
    const bind = await binds(cp, group, want);
    if (!bind.includes(ep.address)) await cp.call(group, want, ['CONFIG', 'SET', 'bind', [...bind, ep.address].join(' ')]);
    // The node that holds it now, even if the primary changed meanwhile (the next round moves it on).
    this.holder.set(id, key(want));
  }
}

const key = (n: Node) => `${n.cacheClusterId}:${n.pid}`;

/** Stops `n` listening on the endpoint's address and closes the connections that came through it. */
async function drop(cp: ControlPlane, group: Group, n: Node, timeoutMs = 2000): Promise<void> {
  const ep = shard(group).primaryEndpoint!;
  const bind = await binds(cp, group, n, timeoutMs);
  if (!bind.includes(ep.address)) return;
  await cp.call(group, n, ['CONFIG', 'SET', 'bind', bind.filter((a) => a !== ep.address).join(' ')], timeoutMs);
  await cp.call(group, n, ['CLIENT', 'KILL', 'LADDR', `${ep.address}:${ep.port}`], timeoutMs).catch(() => undefined);
}

async function binds(cp: ControlPlane, group: Group, n: Node, timeoutMs = 2000): Promise<string[]> {
  const r = await cp.call(group, n, ['CONFIG', 'GET', 'bind'], timeoutMs);
  if (r instanceof Error) throw r;
  const v = Array.isArray(r) ? String(r[1] ?? '') : '';
  return v.split(/\s+/).filter(Boolean);
}
