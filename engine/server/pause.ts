/**
 * CLIENT PAUSE / UNPAUSE. While a pause runs, a client's command that it covers (every command
 * for ALL; for WRITE, commands that may change data, as `write`, `may-replicate` and EXEC do) waits,
 * with the client's later input behind it, and is dispatched again, checks and all, when the pause
 * ends: a command held on a primary that has meanwhile lost its slots gets the MOVED it should.
 * The master link (a replica applying its stream) is never held, nor the replicas' own commands.
 */
import type { Client } from './client';
import type { CommandSpec } from './commands/command';
import type { Server } from './server';

interface Pause {
  until: number;
  all: boolean;
  timer: NodeJS.Timeout;
}

const pauses = new WeakMap<Server, Pause>();
/** Clients held by a pause, with their command. */
const held = new WeakMap<Server, Map<Client, string[]>>();

function covers(p: Pause, spec: CommandSpec): boolean {
  if (p.all) return true;
  const f = spec.flags;
  return f.includes('write') || f.includes('may-replicate') || spec.name === 'exec';
}

/** Called before a command runs: true when the command is held (it runs again at unpause). */
export function holdIfPaused(server: Server, client: Client, spec: CommandSpec, argv: string[]): boolean {
  const p = pauses.get(server);
  if (p === undefined || client.replKind !== '' || (client.multi && spec.name !== 'exec') || !covers(p, spec)) return false;
  if (Date.now() >= p.until) {
    unpause(server);
    return false;
  }
  let m = held.get(server);
  if (!m) held.set(server, (m = new Map()));
  m.set(client, argv);
  // Blocked on no key: only the pause's end (the block's timeout) serves it, by dispatching again.
  server.block(client, {
    keys: [],
    db: client.db,
    deadline: 0,
    tryServe: () => false,
    onTimeout: () => {
      held.get(server)?.delete(client);
      server.call(client, argv);
    },
  });
  return true;
}

/** CLIENT PAUSE timeout [WRITE|ALL]: a later pause extends an earlier one and may widen it. */
export function pause(server: Server, ms: number, all: boolean): void {
  const old = pauses.get(server);
  if (old) clearTimeout(old.timer);
  const until = Math.max(old?.until ?? 0, Date.now() + ms);
  const timer = setTimeout(() => unpause(server), Math.max(0, until - Date.now()));
  timer.unref();
  pauses.set(server, { until, all: all || (old?.all ?? false), timer });
}

/** CLIENT UNPAUSE (or the pause's end): held commands run again, in the order they came. */
export function unpause(server: Server): void {
  const p = pauses.get(server);
  if (p) clearTimeout(p.timer);
  pauses.delete(server);
  const m = held.get(server);
  if (!m) return;
  held.delete(server);
  for (const c of m.keys()) if (!c.closed) server.unblock(c, true);
}

export function isPaused(server: Server): boolean {
  const p = pauses.get(server);
  return p !== undefined && Date.now() < p.until;
}
