/**
 * A Global Datastore secondary in cluster mode: `cdk-elasticache-global-upstream <host> <port>`
 * (set by the control plane, in the config or with CONFIG SET) makes this node, while it is a
 * primary of its own cluster (it keeps its slots, its replicas and its place in the cluster), take
 * its data from a primary of another cluster, the same shard of the primary region; so it answers
 * writes with READONLY and its replicas replicate through it. Empty: it takes writes again. Valkey
 * refuses REPLICAOF in cluster mode; ElastiCache does this inside the service.
 */
import type { Replication } from '../replication/replication';
import type { Server } from '../server';
import type { Cluster } from './cluster';

export const GLOBAL_UPSTREAM = 'cdk-elasticache-global-upstream';

function upstreamOf(server: Server): { host: string; port: number } | undefined {
  const [host, port] = String(server.config.get(GLOBAL_UPSTREAM) ?? '').trim().split(/\s+/);
  return host && /^\d+$/.test(port ?? '') ? { host, port: Number(port) } : undefined;
}

/** What a node that is (or just became) a cluster primary does: follow the upstream, or take writes. */
export function actAsPrimary(server: Server, repl: Replication, why: string): void {
  const up = upstreamOf(server);
  if (up === undefined) {
    repl.promote(why);
    return;
  }
  if (repl.link !== undefined && repl.link.host === up.host && repl.link.port === up.port) return;
  repl.replicate(up.host, up.port);
}

/** Follows the directive now (once the node listens) and whenever it changes, while a primary. */
export function installGlobalUpstream(cluster: Cluster, server: Server, repl: Replication): void {
  let atStartup = upstreamOf(server) !== undefined;
  server.cronHooks.push(() => {
    if (!atStartup) return;
    atStartup = false;
    if (cluster.state.myself.role === 'master') actAsPrimary(server, repl, 'no global upstream');
  });
  server.config.onChange(GLOBAL_UPSTREAM, () => {
    if (cluster.state.myself.role === 'master') actAsPrimary(server, repl, 'global upstream removed');
  });
}
