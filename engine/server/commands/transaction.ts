import type { Client } from '../client';
import { command, CommandError, CommandSpec } from './command';

/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH with Redis 7.0's semantics. Queueing itself happens in
 * the dispatcher (Server.call answers +QUEUED, and a command refused at queue time marks the
 * transaction so EXEC answers EXECABORT).
 */

/** Watched keys (ids as in Client.watched) that were already logically expired when WATCHed. */
const staleAtWatch = new WeakMap<Client, Set<string>>();

function multi(c: Client): void {
  if (c.multi) throw new CommandError('ERR MULTI calls can not be nested');
  c.multi = [];
  c.multiError = false;
  c.reply.ok();
}

function discard(c: Client): void {
  if (!c.multi) throw new CommandError('ERR DISCARD without MULTI');
  c.server.discardTransaction(c);
  c.reply.ok();
}

/** A watched key that has expired since WATCH (still in the dictionary, not yet removed) makes EXEC fail. */
function watchedKeyExpired(c: Client): boolean {
  if (c.watched.size === 0) return false;
  const now = Date.now();
  const stale = staleAtWatch.get(c);
  for (const id of c.watched) {
    const sep = id.indexOf('\0');
    const db = c.server.dbs[Number(id.slice(0, sep))];
    const key = id.slice(sep + 1);
    const at = db.expires.get(key);
    if (at !== undefined && at <= now && !(stale && stale.has(id))) return true;
  }
  return false;
}

/** The NOPERM reason EXEC gives when the ACL rules changed after a command was queued. */
function aclChangedReason(denied: string): string {
  if (/channel/i.test(denied)) return 'no permission to access one of the channels used as arguments';
  if (/key/i.test(denied)) return 'no permission to touch the specified keys';
  if (/command/i.test(denied)) return 'no permission to execute the command or subcommand';
  return 'no permission';
}

function exec(c: Client): void {
  const queue = c.multi;
  if (!queue) throw new CommandError('ERR EXEC without MULTI');
  const server = c.server;
  if (!c.dirtyCas && watchedKeyExpired(c)) c.dirtyCas = true;
  if (c.multiError || c.dirtyCas) {
    const aborted = c.multiError;
    server.discardTransaction(c);
    if (aborted) throw new CommandError('EXECABORT Transaction discarded because of previous errors.');
    c.reply.nilArray();
    return;
  }
  const specs: CommandSpec[] = [];
  let denyOom = false;
  for (const q of queue) {
    let spec = server.commands.get(q.argv[0].toLowerCase())!;
    if (spec.subcommands && q.argv.length >= 2) spec = spec.subcommands.get(q.argv[1].toLowerCase())!;
    specs.push(spec);
    if (spec.flags.includes('denyoom')) denyOom = true;
  }
  if (denyOom && !server.makeRoomFor(c)) {
    server.discardTransaction(c);
    throw new CommandError("EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.");
  }
  server.discardTransaction(c); // leaves MULTI and unwatches before running, as Valkey does
  c.reply.array(queue.length);
  server.inExec = true;
  try {
    for (let i = 0; i < queue.length; i++) {
      const argv = queue[i].argv;
      const denied = server.acl.check(c, specs[i], argv, 'multi');
      if (denied) {
        const msg = 'NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. '
          + `This command is no longer allowed for the following reason: ${aclChangedReason(denied)}`;
        c.reply.error(msg);
        server.countError(msg);
        continue;
      }
      server.execute(c, specs[i], argv);
    }
  } finally {
    server.inExec = false;
  }
}

function watch(c: Client, argv: string[]): void {
  if (c.multi) throw new CommandError('ERR WATCH inside MULTI is not allowed');
  if (c.dirtyCas) {
    c.reply.ok(); // no point in watching: EXEC fails anyway
    return;
  }
  if (c.watched.size === 0) staleAtWatch.delete(c);
  const now = Date.now();
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i];
    const id = `${c.db.id}\0${key}`;
    if (c.watched.has(id)) continue;
    c.server.watch(c, key);
    const at = c.db.expires.get(key);
    if (at !== undefined && at <= now) {
      let stale = staleAtWatch.get(c);
      if (!stale) staleAtWatch.set(c, (stale = new Set()));
      stale.add(id);
    }
  }
  c.reply.ok();
}

function unwatch(c: Client): void {
  c.server.unwatchAll(c);
  staleAtWatch.delete(c);
  c.reply.ok();
}

export const transactionCommands: CommandSpec[] = [
  command('multi', 1, 'noscript loading stale fast allow-busy', [0, 0, 0], 'transaction', multi),
  command('exec', 1, 'noscript loading stale skip-slowlog', [0, 0, 0], 'transaction', exec),
  command('discard', 1, 'noscript loading stale fast allow-busy', [0, 0, 0], 'transaction', discard),
  command('watch', -2, 'noscript loading stale fast allow-busy', [1, -1, 1], 'transaction', watch),
  command('unwatch', 1, 'noscript loading stale fast allow-busy', [0, 0, 0], 'transaction', unwatch),
];
