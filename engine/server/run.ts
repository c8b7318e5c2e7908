import { createServer } from './index';
import { persistenceOf } from './persistence';
import { loadConfig, StartupError } from './startup';

/**
 * Runs a node until SIGTERM, SIGINT or SHUTDOWN; returns the exit code. Start-up errors print
 * the offending directive and exit 1, as valkey-server does.
 */
export async function runServer(configFile: string | undefined, args: string[]): Promise<number> {
  let config;
  try {
    config = loadConfig(configFile, args);
  } catch (e) {
    if (e instanceof StartupError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let server;
  try {
    server = createServer(config);
  } catch (e) {
    if (!(e instanceof StartupError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  let ports;
  try {
    ports = await server.listen();
  } catch (e) {
    if (e instanceof StartupError) {
      server.log.warning(e.message);
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    server.log.warning(`Failed listening on port ${config.get('port')} (tcp), aborting: ${(e as Error).message}`);
    return 1;
  }
  server.log.notice(`Server initialized (cdk-elasticache node, pid ${process.pid})`);
  if (ports.port) server.log.notice(`Listening on ${config.get('bind')} port ${ports.port}`);
  if (ports.tlsPort) server.log.notice(`Listening on ${config.get('bind')} tls-port ${ports.tlsPort}`);
  try {
    await persistenceOf(server)?.loadAtStartup();
  } catch (e) {
    // As valkey-server: a file that cannot be read stops the start-up, nothing half-loaded is served.
    server.log.warning(`Fatal error loading the DB (${persistenceOf(server)?.filePath}): ${(e as Error).message}. Exiting.`);
    process.stderr.write(`Fatal error loading the DB: ${(e as Error).message}\n`);
    await server.close();
    return 1;
  }
  server.log.notice('Ready to accept connections tcp');
  return new Promise<number>((resolve) => {
    const stop = (why: string) => {
      server.log.warning(why);
      server.log.notice('Server is now ready to exit, bye bye...');
      void server.close().then(() => resolve(0));
    };
    // SIGTERM/SIGINT save first when save points are configured; if that fails the node keeps running, as Valkey does.
    const onSignal = (sig: string) => {
      server.log.warning(`Received ${sig} scheduling shutdown...`);
      if (persistenceOf(server)?.prepareShutdown()) {
        process.once(sig, () => onSignal(sig));
        return;
      }
      stop(`${sig} shutdown`);
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
    server.onShutdown = () => stop('User requested shutdown...');
  });
}
