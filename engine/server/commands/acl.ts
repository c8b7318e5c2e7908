import { ACL_CATEGORIES, AclRuleError, AclUser, Denied, genpass, Selector } from '../acl';
import type { Client } from '../client';
import { is } from './args';
import { arityOk, command, CommandError, CommandSpec, Errors } from './command';

/** ACL subcommands, with Redis 7.0's replies and errors. */

const wrongArgs = (a: string[]) => new CommandError(`ERR unknown subcommand or wrong number of arguments for '${a[1]}'. Try ACL HELP.`);

const sub = (name: string, arity: number, flags: string, handler: (c: Client, a: string[]) => void) =>
  command(`acl|${name}`, arity, flags, [0, 0, 0], '', handler);

function setuser(c: Client, a: string[]): void {
  try {
    c.server.acl.setUser(a[2], a.slice(3));
  } catch (e) {
    if (!(e instanceof AclRuleError)) throw e;
    if (e.rule === undefined || e.rule === '(') throw new CommandError(`ERR ${e.message}`);
    throw new CommandError(`ERR Error in ACL SETUSER modifier '${e.rule}': ${e.message}`);
  }
  c.reply.ok();
}

function selectorMap(c: Client, s: Selector, withSelectors: AclUser | undefined): void {
  const acl = c.server.acl;
  if (withSelectors) {
    const u = withSelectors;
    c.reply.map(6);
    c.reply.bulk('flags');
    c.reply.set(acl.flags(u).length);
    for (const f of acl.flags(u)) c.reply.bulk(f);
    c.reply.bulk('passwords');
    c.reply.bulks([...u.passwords]);
  } else {
    c.reply.map(3);
  }
  c.reply.bulk('commands');
  c.reply.bulk(acl.describeCommands(s));
  c.reply.bulk('keys');
  c.reply.bulk(acl.describeKeys(s));
  c.reply.bulk('channels');
  c.reply.bulk(acl.describeChannels(s, false));
  if (withSelectors) {
    c.reply.bulk('selectors');
    c.reply.array(withSelectors.selectors.length);
    for (const x of withSelectors.selectors) selectorMap(c, x, undefined);
  }
}

function getuser(c: Client, a: string[]): void {
  const u = c.server.acl.users.get(a[2]);
  if (!u) return c.reply.nil();
  selectorMap(c, u.root, u);
}

function log(c: Client, a: string[]): void {
  const acl = c.server.acl;
  if (a.length > 3) throw wrongArgs(a);
  let count = acl.log.length;
  if (a.length === 3) {
    if (is(a[2], 'reset')) {
      acl.log = [];
      return c.reply.ok();
    }
    if (!/^-?\d+$/.test(a[2])) throw new CommandError(Errors.notInteger);
    count = Math.max(0, Math.min(count, Number(a[2])));
  }
  const now = Date.now();
  c.reply.array(count);
  for (let i = 0; i < count; i++) {
    const e = acl.log[i];
    c.reply.map(7);
    c.reply.bulk('count');
    c.reply.int(e.count);
    c.reply.bulk('reason');
    c.reply.bulk(e.reason);
    c.reply.bulk('context');
    c.reply.bulk(e.context);
    c.reply.bulk('object');
    c.reply.bulk(e.object);
    c.reply.bulk('username');
    c.reply.bulk(e.username);
    c.reply.bulk('age-seconds');
    c.reply.double((now - e.ctime) / 1000);
    c.reply.bulk('client-info');
    c.reply.bulk(e.clientInfo);
  }
}

function dryrun(c: Client, a: string[]): void {
  const acl = c.server.acl;
  const u = acl.users.get(a[2]);
  if (!u) throw new CommandError(`ERR User '${a[2]}' not found`);
  const argv = a.slice(3);
  let spec = c.server.commands.get(argv[0].toLowerCase());
  if (spec?.subcommands) spec = argv.length >= 2 ? spec.subcommands.get(argv[1].toLowerCase()) : undefined;
  if (!spec) throw new CommandError(`ERR Command '${argv[0]}' not found`);
  if (!arityOk(spec, argv.length)) throw new CommandError(Errors.arity(spec.name));
  const d = acl.permission(u, spec, argv);
  if (d.code === Denied.None) return c.reply.ok();
  if (d.code === Denied.Command) return c.reply.bulk(`This user has no permissions to run the '${spec.name}' command`);
  if (d.code === Denied.Key) return c.reply.bulk(`This user has no permissions to access the '${d.object}' key`);
  c.reply.bulk(`This user has no permissions to access the '${d.object}' channel`);
}

const NO_ACL_FILE = 'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

const HELP = [
  'ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
  'HELP',
  '    Prints this help.',
];

const aclSubcommands: CommandSpec[] = [
  sub('setuser', -3, 'admin noscript loading stale', setuser),
  sub('getuser', 3, 'admin noscript loading stale', getuser),
  sub('deluser', -3, 'admin noscript loading stale', (c, a) => {
    if (a.slice(2).includes('default')) throw new CommandError("ERR The 'default' user cannot be removed");
    c.reply.int(c.server.acl.deleteUsers(a.slice(2)));
  }),
  sub('list', 2, 'admin noscript loading stale', (c) => {
    const acl = c.server.acl;
    c.reply.bulks(acl.sortedUsers().map((u) => acl.describeUser(u)));
  }),
  sub('users', 2, 'admin noscript loading stale', (c) => c.reply.bulks(c.server.acl.sortedUsers().map((u) => u.name))),
  sub('whoami', 2, 'noscript loading stale', (c) => c.reply.bulk(c.user)),
  sub('cat', -2, 'noscript loading stale', (c, a) => {
    if (a.length > 3) throw wrongArgs(a);
    if (a.length === 2) return c.reply.bulks(ACL_CATEGORIES);
    const cat = a[2].toLowerCase();
    if (!ACL_CATEGORIES.includes(cat)) throw new CommandError(`ERR Unknown category '${a[2]}'`);
    const names: string[] = [];
    for (const spec of c.server.commands.all()) {
      if (spec.subcommands) {
        for (const s of spec.subcommands.values()) if (s.categories.includes(cat)) names.push(s.name);
      } else if (spec.categories.includes(cat)) {
        names.push(spec.name);
      }
    }
    c.reply.bulks(names);
  }),
  sub('log', -2, 'admin noscript loading stale', log),
  sub('dryrun', -4, 'admin noscript loading stale', dryrun),
  sub('genpass', -2, 'noscript loading stale', (c, a) => {
    if (a.length > 3) throw wrongArgs(a);
    let bits = 256;
    if (a.length === 3) {
      if (!/^-?\d+$/.test(a[2])) throw new CommandError(Errors.notInteger);
      bits = Number(a[2]);
      if (bits <= 0 || bits > 4096) throw new CommandError('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
    }
    c.reply.bulk(genpass(bits));
  }),
  sub('load', 2, 'admin noscript loading stale', (c) => {
    const file = c.server.config.get('aclfile');
    if (!file) throw new CommandError(NO_ACL_FILE);
    const problem = c.server.acl.loadFile(file);
    if (problem) throw new CommandError(`ERR ${problem}`);
    c.reply.ok();
  }),
  sub('save', 2, 'admin noscript loading stale', (c) => {
    const file = c.server.config.get('aclfile');
    if (!file) throw new CommandError(NO_ACL_FILE);
    try {
      c.server.acl.saveFile(file);
    } catch (e) {
      throw new CommandError('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
    }
    c.reply.ok();
  }),
  sub('help', 2, 'loading stale', (c) => {
    c.reply.array(HELP.length);
    for (const l of HELP) c.reply.simple(l);
  }),
];

export const aclCommands: CommandSpec[] = [
  command('acl', -2, 'sentinel', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'acl'));
  }, { subcommands: aclSubcommands }),
];
