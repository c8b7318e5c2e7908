import type { Client } from '../client';
import { persistenceOf } from '../persistence';
import { is } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';

const IN_PROGRESS = 'ERR Background save already in progress';

function persistence(c: Client) {
  const p = persistenceOf(c.server);
  if (!p) throw new CommandError('ERR persistence is not available on this node');
  return p;
}

/** SAVE, BGSAVE, LASTSAVE. */
export const persistenceCommands: CommandSpec[] = [
  command('save', 1, 'admin noscript no-multi', [0, 0, 0], '', (c) => {
    const p = persistence(c);
    if (p.bg) throw new CommandError(IN_PROGRESS);
    try {
      p.saveSync();
    } catch {
      throw new CommandError('ERR');
    }
    c.reply.ok();
  }),
  command('bgsave', -1, 'admin noscript', [0, 0, 0], '', (c, a) => {
    if (a.length > 2 || (a.length === 2 && !is(a[1], 'schedule'))) throw new CommandError(Errors.syntax);
    const p = persistence(c);
    if (p.bg) {
      if (a.length === 2) {
        p.bgsaveScheduled = true;
        c.reply.simple('Background saving scheduled');
        return;
      }
      throw new CommandError(IN_PROGRESS);
    }
    p.startBgsave();
    c.reply.simple('Background saving started');
  }),
  command('lastsave', 1, 'loading stale fast', [0, 0, 0], 'admin dangerous', (c) => c.reply.int(persistence(c).lastSave)),
];
