import { Cluster } from './cluster/cluster';
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
import { pubsubCommands } from './commands/pubsub';
import { scriptingCommands } from './commands/scripting';
import { setCommands } from './commands/set';
import { streamCommands } from './commands/stream';
import { stringCommands } from './commands/string';
import { transactionCommands } from './commands/transaction';
import { zsetCommands } from './commands/zset';
import { Config } from './config';
import { installEviction } from './evict';
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
  dumpCommands,
];

/** A node with every command module registered. */
export function createServer(config: Config): Server {
  const server = new Server(config);
  for (const m of COMMAND_MODULES) server.commands.register(m);
  installEviction(server);
  installAdmin(server);
  if (config.getBool('cluster-enabled')) server.cluster = new Cluster(server);
  return server;
}

export { Config, Server };
