import { aclCommands } from './commands/acl';
import { adminCommands } from './commands/admin';
import { connectionCommands } from './commands/connection';
import { stringCommands } from './commands/string';
import { Config } from './config';
import { Server } from './server';

/** Every command module of the node, in one place (the command table is built from these). */
export const COMMAND_MODULES = [connectionCommands, adminCommands, stringCommands, aclCommands];

/** A node with every command module registered. */
export function createServer(config: Config): Server {
  const server = new Server(config);
  for (const m of COMMAND_MODULES) server.commands.register(m);
  return server;
}

export { Config, Server };
