import type { Client } from '../client';
import { pause, unpause } from '../pause';
import { trackingClientSubcommands } from '../tracking';
import { intArg, is } from './args';
import { command, CommandError, CommandSpec, Errors } from './command';

function hello(c: Client, argv: string[]): void {
  let i = 1;
  if (argv.length > 1) {
    const ver = Number(argv[1]);
    if (!/^\d+$/.test(argv[1]) || (ver !== 2 && ver !== 3)) throw new CommandError('NOPROTO unsupported protocol version');
    i = 2;
    for (; i < argv.length; i++) {
      if (is(argv[i], 'auth') && i + 2 < argv.length) {
        const user = argv[i + 1];
        const pass = argv[i + 2];
        if (!c.server.acl.authenticate(user, pass, c)) {
          c.server.stats.aclDeniedAuth++;
          throw new CommandError('WRONGPASS invalid username-password pair or user is disabled.');
        }
        c.user = user;
        c.authenticated = true;
        i += 2;
      } else if (is(argv[i], 'setname') && i + 1 < argv.length) {
        setName(c, argv[++i]);
      } else {
        throw new CommandError(`ERR Syntax error in HELLO option '${argv[i]}'`);
      }
    }
    if (!c.authenticated) throw new CommandError('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
    c.reply.resp = ver as 2 | 3;
  } else if (!c.authenticated) {
    throw new CommandError('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
  }
  c.reply.map(7);
  c.reply.bulk('server');
  c.reply.bulk('redis');
  c.reply.bulk('version');
  c.reply.bulk(VERSION);
  c.reply.bulk('proto');
  c.reply.int(c.reply.resp);
  c.reply.bulk('id');
  c.reply.int(c.id);
  c.reply.bulk('mode');
  c.reply.bulk(c.server.config.getBool('cluster-enabled') ? 'cluster' : 'standalone');
  c.reply.bulk('role');
  c.reply.bulk(c.server.role);
  c.reply.bulk('modules');
  c.reply.array(0);
}

/** The version reported to clients: the Redis OSS protocol level this node implements. */
export const VERSION = '7.2.4';

function setName(c: Client, name: string): void {
  if (/[\s]/.test(name) || [...name].some((ch) => ch.charCodeAt(0) < 33 || ch.charCodeAt(0) > 126)) {
    throw new CommandError('ERR Client names cannot contain spaces, newlines or special characters.');
  }
  c.name = name;
}

function auth(c: Client, argv: string[]): void {
  const [user, pass] = argv.length === 3 ? [argv[1], argv[2]] : ['default', argv[1]];
  if (argv.length === 2 && c.server.acl.defaultUserNeedsNoAuth() && c.server.config.get('requirepass') === '') {
    throw new CommandError('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  if (!c.server.acl.authenticate(user, pass, c)) {
    c.server.stats.aclDeniedAuth++;
    throw new CommandError('WRONGPASS invalid username-password pair or user is disabled.');
  }
  c.user = user;
  c.authenticated = true;
  c.reply.ok();
}

function select(c: Client, argv: string[]): void {
  const n = intArg(argv[1], 'ERR invalid DB index');
  if (c.server.config.getBool('cluster-enabled') && n !== 0) throw new CommandError('ERR SELECT is not allowed in cluster mode');
  if (n < 0 || n >= c.server.dbs.length) throw new CommandError('ERR DB index is out of range');
  c.db = c.server.dbs[n];
  c.reply.ok();
}

function reset(c: Client): void {
  c.multi = undefined;
  c.multiError = false;
  c.server.unwatchAll(c);
  c.server.pubsub.removeClient(c);
  c.channels.clear();
  c.patterns.clear();
  c.shardChannels.clear();
  c.db = c.server.dbs[0];
  c.reply.resp = 2;
  c.name = '';
  c.readOnly = false;
  c.noEvict = false;
  c.noTouch = false;
  c.monitor = false;
  c.server.monitors.delete(c);
  c.server.tracking.disable(c);
  c.user = 'default';
  c.authenticated = c.server.acl.defaultUserNeedsNoAuth();
  c.reply.simple('RESET');
}

/** CLIENT LIST / CLIENT INFO line of a client. */
export function clientInfoLine(c: Client): string {
  const now = Date.now();
  const flags = (c.replKind === 'replica' ? 'S' : c.replKind === 'master' ? 'M' : '') + (c.multi ? 'x' : '') + (c.blocked ? 'b' : '') + c.server.tracking.listFlags(c) + (c.subscriptionCount > 0 ? 'P' : '') + (c.monitor ? 'O' : '') + (c.readOnly ? 'r' : '') + (c.noEvict ? 'e' : '') + (c.noTouch ? 'T' : '');
  return [
    `id=${c.id}`,
    `addr=${c.addr}`,
    `laddr=${c.laddr}`,
    `fd=${(c.socket as unknown as { _handle?: { fd?: number } })?._handle?.fd ?? -1}`,
    `name=${c.name}`,
    `age=${Math.floor((now - c.createdAt) / 1000)}`,
    `idle=${Math.floor((now - c.lastInteraction) / 1000)}`,
    `flags=${flags || 'N'}`,
    `db=${c.db.id}`,
    `sub=${c.channels.size}`,
    `psub=${c.patterns.size}`,
    `ssub=${c.shardChannels.size}`,
    `multi=${c.multi ? c.multi.length : -1}`,
    'qbuf=0',
    'qbuf-free=0',
    'argv-mem=0',
    'multi-mem=0',
    'rbs=1024',
    'rbp=0',
    'obl=0',
    'oll=0',
    'omem=0',
    'tot-mem=0',
    'events=r',
    `cmd=${c.lastCommand}`,
    `user=${c.user}`,
    `redir=${c.server.tracking.redirectOf(c)}`,
    `resp=${c.reply.resp}`,
    `lib-name=${c.libName}`,
    `lib-ver=${c.libVersion}`,
  ].join(' ');
}

const sub = (name: string, arity: number, flags: string, handler: (c: Client, a: string[]) => void) =>
  command(`client|${name}`, arity, flags, [0, 0, 0], 'connection', handler);

function clientKill(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    const target = [...c.server.clients.values()].find((x) => x.addr === argv[2]);
    if (!target) throw new CommandError('ERR No such client');
    c.server.killClient(target);
    c.reply.ok();
    return;
  }
  if ((argv.length - 2) % 2 !== 0) throw new CommandError(Errors.syntax);
  let killed = 0;
  const filters: Array<(x: Client) => boolean> = [];
  let skipMe = true;
  for (let i = 2; i < argv.length; i += 2) {
    const f = argv[i].toLowerCase();
    const v = argv[i + 1];
    if (f === 'id') {
      const id = intArg(v, 'ERR client-id should be greater than 0');
      filters.push((x) => x.id === id);
    } else if (f === 'addr') {filters.push((x) => x.addr === v);} else if (f === 'laddr') {filters.push((x) => x.laddr === v);} else if (f === 'user') {filters.push((x) => x.user === v);} else if (f === 'skipme') {skipMe = v.toLowerCase() !== 'no';} else if (f === 'type') {filters.push((x) => clientOfType(x, v.toLowerCase()));} else {throw new CommandError(Errors.syntax);}
  }
  for (const x of [...c.server.clients.values()]) {
    if (skipMe && x === c) continue;
    if (filters.every((fn) => fn(x))) {
      killed++;
      if (x === c) c.closeAfterReply = true;
      else c.server.killClient(x);
    }
  }
  c.reply.int(killed);
}

/** CLIENT LIST/KILL TYPE: normal, pubsub, replica (slave) or master. */
function clientOfType(x: Client, t: string): boolean {
  if (t === 'replica' || t === 'slave') return x.replKind === 'replica';
  if (t === 'master') return x.replKind === 'master';
  if (x.replKind !== '') return false;
  return t === 'pubsub' ? x.subscriptionCount > 0 : t === 'normal' ? x.subscriptionCount === 0 : false;
}

const clientSubcommands: CommandSpec[] = [
  sub('id', 2, 'noscript loading stale', (c) => c.reply.int(c.id)),
  sub('getname', 2, 'noscript loading stale', (c) => (c.name ? c.reply.bulk(c.name) : c.reply.nil())),
  sub('setname', 3, 'noscript loading stale', (c, a) => {
    setName(c, a[2]);
    c.reply.ok();
  }),
  sub('setinfo', 4, 'noscript loading stale', (c, a) => {
    const attr = a[2].toLowerCase();
    if (/\s/.test(a[3])) throw new CommandError(`ERR ${attr} cannot contain spaces, newlines or special characters.`);
    if (attr === 'lib-name') c.libName = a[3];
    else if (attr === 'lib-ver') c.libVersion = a[3];
    else throw new CommandError(`ERR Unrecognized option '${a[2]}'`);
    c.reply.ok();
  }),
  sub('info', 2, 'noscript loading stale', (c) => c.reply.verbatim(`${clientInfoLine(c)}\n`)),
  sub('list', -2, 'admin noscript loading stale', (c, a) => {
    let clients = [...c.server.clients.values()];
    if (a.length === 4 && is(a[2], 'id')) {
      const ids = new Set(a.slice(3).map((x) => intArg(x)));
      clients = clients.filter((x) => ids.has(x.id));
    } else if (a.length >= 4 && is(a[2], 'id')) {
      const ids = new Set(a.slice(3).map((x) => intArg(x, 'ERR Invalid client ID')));
      clients = clients.filter((x) => ids.has(x.id));
    } else if (a.length === 4 && is(a[2], 'type')) {
      const t = a[3].toLowerCase();
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(t)) throw new CommandError(`ERR Unknown client type '${a[3]}'`);
      clients = clients.filter((x) => clientOfType(x, t));
    } else if (a.length !== 2) {throw new CommandError(Errors.syntax);}
    c.reply.verbatim(clients.map((x) => `${clientInfoLine(x)}\n`).join(''));
  }),
  sub('kill', -3, 'admin noscript loading stale', clientKill),
  sub('no-evict', 3, 'admin noscript loading stale', (c, a) => {
    c.noEvict = onOff(a[2]);
    c.reply.ok();
  }),
  sub('no-touch', 3, 'noscript loading stale', (c, a) => {
    c.noTouch = onOff(a[2]);
    c.reply.ok();
  }),
  sub('reply', 3, 'noscript loading stale', (c, a) => {
    if (!['on', 'off', 'skip'].includes(a[2].toLowerCase())) throw new CommandError(Errors.syntax);
    c.reply.ok();
  }),
  ...trackingClientSubcommands(),
  sub('unblock', -3, 'admin noscript', (c, a) => {
    const target = c.server.clients.get(intArg(a[2]));
    const err = a[3] !== undefined && is(a[3], 'error');
    if (a[3] !== undefined && !err && !is(a[3], 'timeout')) throw new CommandError('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
    if (!target || !target.blocked) return c.reply.int(0);
    if (err) {
      const state = target.blocked;
      target.blocked = { ...state, onTimeout: () => target.reply.error('UNBLOCKED client unblocked via CLIENT UNBLOCK') };
    }
    c.server.unblock(target, true);
    c.reply.int(1);
  }),
  sub('pause', -3, 'admin noscript loading stale', (c, a) => {
    const ms = intArg(a[2], 'ERR timeout is not an integer or out of range');
    if (ms < 0) throw new CommandError('ERR timeout is negative');
    if (a.length > 4 || (a[3] !== undefined && !is(a[3], 'write') && !is(a[3], 'all'))) throw new CommandError(Errors.syntax);
    pause(c.server, ms, a[3] === undefined || is(a[3], 'all'));
    c.reply.ok();
  }),
  sub('unpause', 2, 'admin noscript loading stale', (c) => {
    unpause(c.server);
    c.reply.ok();
  }),
  sub('help', 2, 'loading stale', (c) => c.reply.bulks(['CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', 'ID', 'GETNAME', 'SETNAME <name>', 'SETINFO <option> <value>', 'INFO', 'LIST [TYPE <type>] [ID <id> ...]', 'KILL <ip:port> | <filter> <value> ...', 'NO-EVICT (ON|OFF)', 'NO-TOUCH (ON|OFF)', 'UNBLOCK <id> [TIMEOUT|ERROR]', 'HELP'])),
];

function onOff(v: string): boolean {
  if (is(v, 'on')) return true;
  if (is(v, 'off')) return false;
  throw new CommandError(Errors.syntax);
}

export const connectionCommands: CommandSpec[] = [
  command('ping', -1, 'fast sentinel', [0, 0, 0], 'connection', (c, a) => {
    if (a.length > 2) throw new CommandError(Errors.arity('ping'));
    if (c.subscriptionCount > 0 && c.reply.resp === 2) {
      c.reply.array(2);
      c.reply.bulk('pong');
      c.reply.bulk(a[1] ?? '');
    } else if (a.length === 2) {c.reply.bulk(a[1]);} else {c.reply.simple('PONG');}
  }),
  command('echo', 2, 'fast', [0, 0, 0], 'connection', (c, a) => c.reply.bulk(a[1])),
  command('hello', -1, 'noscript loading stale fast no-auth sentinel allow-busy', [0, 0, 0], 'connection', hello),
  command('auth', -2, 'noscript loading stale fast no-auth sentinel allow-busy', [0, 0, 0], 'connection', (c, a) => {
    if (a.length > 3) throw new CommandError(Errors.syntax);
    auth(c, a);
  }),
  command('select', 2, 'loading stale fast', [0, 0, 0], 'connection', select),
  command('quit', -1, 'noscript loading stale fast no-auth allow-busy', [0, 0, 0], 'connection', (c) => {
    c.reply.ok();
    c.closeAfterReply = true;
  }),
  command('reset', 1, 'noscript loading stale fast no-auth allow-busy', [0, 0, 0], 'connection', (c) => reset(c)),
  command('client', -2, 'sentinel', [0, 0, 0], 'connection', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1] ?? '', 'client'));
  }, { subcommands: clientSubcommands }),
];
