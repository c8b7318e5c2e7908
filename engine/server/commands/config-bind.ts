/**
 * CONFIG SET bind at run time (Valkey 7+): the node listens on the new addresses and stops
 * listening on the dropped ones; open connections stay. Binding is asynchronous in Node, so the
 * client waits (blocked, on no key) for the outcome; on failure the previous value is restored and
 * the error is Valkey's.
 */
import type { Client } from '../client';

export function applyBindLater(c: Client, previous: string): void {
  const server = c.server;
  const hosts = server.config.get('bind').split(/\s+/).filter(Boolean);
  let failed = false;
  // Inside MULTI/EXEC a command cannot wait: the reply is then OK and a failure only reverts.
  const answer = () => (failed ? c.reply.error('ERR CONFIG SET failed (possibly related to argument \'bind\') - Failed to bind to specified addresses.') : c.reply.ok());
  server.block(c, { keys: [], db: c.db, deadline: 0, tryServe: () => false, onTimeout: answer });
  server.rebind(hosts).catch(() => {
    failed = true;
    server.config.set('bind', [previous], true);
  }).finally(() => {
    if (c.blocked && !c.closed) server.unblock(c, true);
  });
}
