import { adminCommands } from './commands/admin';
import { connectionCommands } from './commands/connection';
import { hashCommands } from './commands/hash';
import { listCommands } from './commands/list';
import { setCommands } from './commands/set';
import { stringCommands } from './commands/string';
import { Config } from './config';
import { Server } from './server';

/** Every command module of the node, in one place (the command table is built from these). */
export const COMMAND_MODULES = [connectionCommands, adminCommands, stringCommands, listCommands, hashCommands, setCommands];

/** A node with every command module registered. */
export function createServer(config: Config): Server {
  const server = new Server(config);
  for (const m of COMMAND_MODULES) server.commands.register(m);
  return server;
}

export { Config, Server };
