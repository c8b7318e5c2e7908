/**
 * One node's view of the cluster, read from CLUSTER NODES and CLUSTER INFO (formats every Valkey and
 * Redis OSS node shares), and the convergence test: every live node reports the same nodes, roles,
 * primaries and slots, and cluster_state:ok.
 */
import { NodeLink } from './link';

export interface ViewNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly flags: ReadonlySet<string>;
  /** The primary's id for a replica. */
  readonly primaryId?: string;
  readonly configEpoch: number;
  /** Inclusive slot ranges it serves. */
  readonly slots: ReadonlyArray<[number, number]>;
}

export interface NodeView {
  readonly myId: string;
  readonly nodes: ReadonlyMap<string, ViewNode>;
  readonly ok: boolean;
  /** Slots this node has open: slot → peer id (only the node's own line lists them). */
  readonly migrating: ReadonlyMap<number, string>;
  readonly importing: ReadonlyMap<number, string>;
  /** Comparable text: nodes (id, address, role, primary, slots) sorted, without per-node details. */
  readonly signature: string;
}

export function parseClusterNodes(text: string): Omit<NodeView, 'ok'> {
  const nodes = new Map<string, ViewNode>();
  const migrating = new Map<number, string>();
  const importing = new Map<number, string>();
  let myId = '';
  const sig: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(' ');
    if (f.length < 8) continue;
    const [id, addr, flagText, primary, , , epoch] = f;
    const m = /^(.*):(\d+)(?:@\d+)?(?:,.*)?$/.exec(addr);
    const flags = new Set(flagText.split(','));
    if (flags.has('myself')) myId = id;
    const slots: Array<[number, number]> = [];
    for (const s of f.slice(8)) {
      const open = /^\[(\d+)-([<>])-(\w+)\]$/.exec(s);
      if (open) {
        (open[2] === '>' ? migrating : importing).set(Number(open[1]), open[3]);
        continue;
      }
      const [a, b] = s.split('-').map(Number);
      slots.push([a, b ?? a]);
    }
    nodes.set(id, {
      id,
      host: m ? m[1] : '',
      port: m ? Number(m[2]) : 0,
      flags,
      primaryId: primary === '-' ? undefined : primary,
      configEpoch: Number(epoch),
      slots,
    });
    // Failure flags are left out: a dead node is 'fail?' on some nodes and 'fail' on others for a while.
    const role = flags.has('master') ? 'master' : flags.has('slave') ? 'slave' : [...flags].join(',');
    sig.push([id, addr.split('@')[0], role, primary, ...f.slice(8).filter((s) => !s.startsWith('['))].join(' '));
  }
  return { myId, nodes, migrating, importing, signature: sig.sort().join('\n') };
}

export async function readView(link: NodeLink): Promise<NodeView> {
  const [nodes, info] = await Promise.all([link.text('CLUSTER', 'NODES'), link.text('CLUSTER', 'INFO')]);
  return { ...parseClusterNodes(nodes), ok: /cluster_state:ok/.test(info) };
}

/** Slot → owner id in a view. */
export function slotOwners(view: NodeView): Array<string | undefined> {
  const owners = new Array<string | undefined>(16384).fill(undefined);
  for (const n of view.nodes.values()) {
    for (const [a, b] of n.slots) for (let s = a; s <= b; s++) owners[s] = n.id;
  }
  return owners;
}

export interface ConvergeOptions {
  readonly timeoutMs?: number;
  /** Extra condition on the agreed view (e.g. a node count, a role). */
  readonly until?: (view: NodeView) => boolean;
}

/**
 * Waits until every link's node reports the same signature and cluster_state:ok, and `until`
 * holds; returns the agreed view. Throws with the last views on timeout.
 */
export async function waitConverged(links: readonly NodeLink[], opts: ConvergeOptions = {}): Promise<NodeView> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30000);
  let last: NodeView[] = [];
  let lastError: unknown;
  for (;;) {
    try {
      last = await Promise.all(links.map(readView));
      const first = last[0];
      if (last.every((v) => v.ok && v.signature === first.signature) && (!opts.until || opts.until(first))) return first;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const detail = last.map((v, i) => `${links[i].addr.host}:${links[i].addr.port} ok=${v.ok}\n${v.signature}`).join('\n---\n');
      throw new Error(`cluster did not converge: ${lastError instanceof Error ? lastError.message : ''}\n${detail}`);
    }
    await new Promise((r) => setTimeout(r, pollInterval(links.length)));
  }
}

/**
 * Polling reads CLUSTER NODES from every node: 50 ms for a small cluster, longer for a large one
 * (60 nodes polled every 50 ms were a good part of the load that slowed their convergence).
 */
export function pollInterval(nodes: number): number {
  return Math.max(50, nodes * 5);
}

/** Waits until `cond` holds, polling every `intervalMs` (50 ms). */
export async function waitUntil(cond: () => Promise<boolean>, what: string, timeoutMs = 30000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      // a node that is still starting or just lost a link: try again
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
