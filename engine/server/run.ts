import { createServer } from './index';
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
  server.log.notice('Ready to accept connections tcp');
  return new Promise<number>((resolve) => {
    const stop = (why: string) => {
      server.log.warning(why);
      server.log.notice('Server is now ready to exit, bye bye...');
      void server.close().then(() => resolve(0));
    };
    process.once('SIGTERM', () => stop('Received SIGTERM scheduling shutdown...'));
    process.once('SIGINT', () => stop('Received SIGINT scheduling shutdown...'));
    server.onShutdown = () => stop('User requested shutdown...');
  });
}
