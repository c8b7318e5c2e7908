import { command } from '../../engine/server/commands/command';
import { Config } from '../../engine/server/config';
import { createServer } from '../../engine/server/index';

/**
 * Blocking commands inside MULTI/EXEC answer as on timeout instead of blocking. No blocking command
 * is in this module's scope, so a stand-in that blocks through Server.block (as list and zset pops
 * do) is registered on an in-process node.
 */
test('a command that would block answers its timeout reply inside EXEC', () => {
  const server = createServer(new Config());
  server.commands.register([
    command('testblock', 2, 'write blocking', [1, 1, 1], '', (c, a) => {
      server.block(c, { keys: [a[1]], db: c.db, deadline: 0, tryServe: () => false, onTimeout: () => c.reply.nilArray() });
    }),
  ]);
  const c = server.fakeClient();
  const take = () => c.reply.take()?.toString('latin1');
  server.call(c, ['MULTI']);
  server.call(c, ['TESTBLOCK', 'k']);
  server.call(c, ['PING']);
  expect(take()).toBe('+OK\r\n+QUEUED\r\n+QUEUED\r\n');
  server.call(c, ['EXEC']);
  expect(take()).toBe('*2\r\n*-1\r\n+PONG\r\n');
  expect(c.blocked).toBeUndefined();
  // outside a transaction it blocks
  server.call(c, ['TESTBLOCK', 'k']);
  expect(c.blocked).toBeDefined();
  server.unblock(c, true);
  expect(c.blocked).toBeUndefined();
});
