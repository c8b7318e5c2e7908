import { Cluster } from './cluster/cluster';
import { actAsPrimary, installGlobalUpstream } from './cluster/global-upstream';
import { aclCommands } from './commands/acl';
import { adminCommands, installAdmin, serverAdminCommands } from './commands/admin';
import { bitmapCommands } from './commands/bitmap';
import { clusterCommands } from './commands/cluster';
import { connectionCommands } from './commands/connection';
import { dumpCommands } from './commands/dump';
import { geoCommands } from './commands/geo';
import { hashCommands } from './commands/hash';
import { hyperloglogCommands } from './commands/hyperloglog';
import { keyCommands } from './commands/keys';
import { listCommands } from './commands/list';
import { migrateCommands } from './commands/migrate';
import { persistenceCommands } from './commands/persistence';
import { pubsubCommands } from './commands/pubsub';
import { installReplication, replicationCommands } from './commands/replication';
import { scriptingCommands } from './commands/scripting';
import { setCommands } from './commands/set';
import { streamCommands } from './commands/stream';
import { stringCommands } from './commands/string';
import { transactionCommands } from './commands/transaction';
import { zsetCommands } from './commands/zset';
import { Config } from './config';
import { installEviction } from './evict';
import { installPersistence } from './persistence';
import { replicationOf } from './replication/info';
import { Server } from './server';

/** Every command module of the node, in one place (the command table is built from these). */
export const COMMAND_MODULES = [
  connectionCommands,
  adminCommands,
  serverAdminCommands,
  keyCommands,
  stringCommands,
  bitmapCommands,
  hyperloglogCommands,
  zsetCommands,
  geoCommands,
  streamCommands,
  pubsubCommands,
  transactionCommands,
  scriptingCommands,
  aclCommands,
  listCommands,
  hashCommands,
  setCommands,
  clusterCommands,
  migrateCommands,
  replicationCommands,
  dumpCommands,
  persistenceCommands,
];

/** A node with every command module registered. */
export function createServer(config: Config): Server {
  const server = new Server(config);
  for (const m of COMMAND_MODULES) server.commands.register(m);
  installEviction(server);
  installAdmin(server);
  installPersistence(server);
  if (config.getBool('cluster-enabled')) server.cluster = new Cluster(server);
  installReplication(server);
  if (server.cluster !== undefined) wireClusterReplication(server.cluster, server);
  return server;
}

/**
 * Cluster roles drive replication: CLUSTER REPLICATE / FAILOVER (and a view learned from peers) make the node
 * replicate its primary or become one, through the replication module (REPLICAOF is refused in cluster mode).
 */
function wireClusterReplication(cluster: Cluster, server: Server): void {
  const repl = replicationOf(server);
  if (repl === undefined) return;
  cluster.state.onRoleChange = (primary) => (primary !== undefined ? repl.replicate(primary.ip, primary.port) : actAsPrimary(server, repl, 'cluster failover'));
  installGlobalUpstream(cluster, server, repl);
  // A node that comes back from nodes.conf as a replica resumes replicating its primary.
  const me = cluster.state.myself;
  const primary = me.primaryId === undefined ? undefined : cluster.state.nodes.get(me.primaryId);
  if (me.role === 'slave' && primary !== undefined && primary.port > 0) repl.replicate(primary.ip, primary.port);
}

export { Config, Server };
