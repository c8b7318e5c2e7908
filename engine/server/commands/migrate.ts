import type { Client } from '../client';
import { MigrateLink } from '../cluster/migrate-link';
import { dumpPayload } from '../rdb';
import { command, CommandError, CommandSpec, Errors } from './command';

/**
 * MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS k...]:
 * DUMPs the keys, sends RESTORE (RESTORE-ASKING in cluster mode) to the target and deletes the keys
 * the target accepted. The node is blocked meanwhile (see cluster/migrate-link.ts). RESTORE-ASKING
 * is RESTORE that an importing node accepts without a previous ASKING.
 */

const link = new MigrateLink();

function migrateKeys(argv: readonly string[]): number[] {
  for (let j = 6; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'auth') {j++;} else if (opt === 'auth2') {j += 2;} else if (opt === 'keys') {
      if (argv[3] !== '') return [];
      return Array.from({ length: argv.length - j - 1 }, (_, i) => j + 1 + i);
    }
  }
  return argv[3] === '' ? [] : [3];
}

function intArg(s: string): number {
  if (!/^-?\d+$/.test(s)) throw new CommandError(Errors.notInteger);
  return Number(s);
}

function resp(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${a.length}\r\n${a}\r\n`;
  return out;
}

function migrate(c: Client, argv: string[]): void {
  let copy = false;
  let replace = false;
  let user: string | undefined;
  let password: string | undefined;
  let keys = argv[3] === '' ? [] : [argv[3]];
  for (let j = 6; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const more = argv.length - 1 - j;
    if (opt === 'copy') {copy = true;} else if (opt === 'replace') {replace = true;} else if (opt === 'auth') {
      if (more < 1) throw new CommandError(Errors.arity('migrate'));
      password = argv[++j];
    } else if (opt === 'auth2') {
      if (more < 2) throw new CommandError(Errors.arity('migrate'));
      user = argv[++j];
      password = argv[++j];
    } else if (opt === 'keys') {
      if (argv[3] !== '') throw new CommandError('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
      keys = argv.slice(j + 1);
      break;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  let timeout = intArg(argv[5]);
  const dbid = intArg(argv[4]);
  if (timeout <= 0) timeout = 1000;
  const db = c.db;
  const now = Date.now();
  const present: Array<{ key: string; payload: string; ttl: number }> = [];
  for (const key of keys) {
    const v = db.get(key);
    if (v === undefined) continue;
    const at = db.getExpire(key);
    const ttl = at === undefined ? 0 : Math.max(1, at - now);
    present.push({ key, payload: dumpPayload(v).toString('latin1'), ttl });
  }
  if (present.length === 0) {
    c.reply.simple('NOKEY');
    return;
  }
  let data = '';
  let expected = 0;
  if (password !== undefined) {
    data += resp(user !== undefined ? ['AUTH', user, password] : ['AUTH', password]);
    expected++;
  }
  data += resp(['SELECT', String(dbid)]);
  expected++;
  const restore = c.server.cluster ? 'RESTORE-ASKING' : 'RESTORE';
  for (const k of present) {
    data += resp(replace ? [restore, k.key, String(k.ttl), k.payload, 'REPLACE'] : [restore, k.key, String(k.ttl), k.payload]);
    expected++;
  }
  const r = link.call(argv[1], Number(argv[2]), timeout, Buffer.from(data, 'latin1'), expected);
  if (r.error) throw new CommandError(r.error);
  const replies = r.replies!;
  const head = expected - present.length;
  for (let i = 0; i < head; i++) {
    if (replies[i][0] === '-') throw new CommandError(`ERR Target instance replied with error: ${replies[i][1]}`);
  }
  let error: string | undefined;
  for (let i = 0; i < present.length; i++) {
    const [type, text] = replies[head + i];
    if (type === '-') {error = text;} else if (!copy) {
      db.delete(present[i].key);
      c.server.notify('g', 'del', present[i].key, db);
    }
  }
  if (error !== undefined) throw new CommandError(`ERR Target instance replied with error: ${error}`);
  c.reply.ok();
}

export const migrateCommands: CommandSpec[] = [
  command('migrate', -6, 'write', [3, 3, 1], 'keyspace dangerous', migrate, { getKeys: migrateKeys }),
  command('restore-asking', -4, 'write denyoom asking', [1, 1, 1], 'keyspace dangerous', (c, a) => {
    const restore = c.server.commands.get('restore');
    if (!restore) throw new CommandError(Errors.unknown('restore-asking', a.slice(1)));
    restore.handler(c, a);
  }),
];
