import type { Client } from '../client';
import { globMatch } from '../glob';
import { command, CommandError, CommandSpec, Errors } from './command';

/**
 * Pub/sub: channels, patterns and shard channels. Confirmations and messages are push frames in
 * RESP3 and arrays in RESP2; each confirmation carries the client's running count (channels plus
 * patterns, or shard channels for the S variants). Delivery is in PubSubHub.
 */

/** Channels plus patterns: the count SUBSCRIBE / PSUBSCRIBE and their UNSUBSCRIBEs report. */
function count(c: Client): number {
  return c.channels.size + c.patterns.size;
}

function confirm(c: Client, kind: string, name: string | null, n: number): void {
  c.reply.push(3);
  c.reply.bulk(kind);
  c.reply.bulk(name);
  c.reply.int(n);
}

function subscribe(c: Client, argv: string[]): void {
  const hub = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    const ch = argv[i];
    if (!c.channels.has(ch)) {
      c.channels.add(ch);
      hub.subscribe(hub.channels, ch, c);
    }
    confirm(c, 'subscribe', ch, count(c));
  }
}

function unsubscribe(c: Client, argv: string[]): void {
  const hub = c.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1) : [...c.channels];
  if (names.length === 0) {
    confirm(c, 'unsubscribe', null, count(c));
    return;
  }
  for (const ch of names) {
    if (c.channels.delete(ch)) hub.unsubscribe(hub.channels, ch, c);
    confirm(c, 'unsubscribe', ch, count(c));
  }
}

function psubscribe(c: Client, argv: string[]): void {
  const hub = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    const p = argv[i];
    if (!c.patterns.has(p)) {
      c.patterns.add(p);
      hub.subscribe(hub.patterns, p, c);
    }
    confirm(c, 'psubscribe', p, count(c));
  }
}

function punsubscribe(c: Client, argv: string[]): void {
  const hub = c.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1) : [...c.patterns];
  if (names.length === 0) {
    confirm(c, 'punsubscribe', null, count(c));
    return;
  }
  for (const p of names) {
    if (c.patterns.delete(p)) hub.unsubscribe(hub.patterns, p, c);
    confirm(c, 'punsubscribe', p, count(c));
  }
}

function ssubscribe(c: Client, argv: string[]): void {
  // Inside EXEC the client expects one reply per command (Valkey's DENY BLOCKING rule).
  if (c.server.inExec) throw new CommandError("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  const hub = c.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    const ch = argv[i];
    if (!c.shardChannels.has(ch)) {
      c.shardChannels.add(ch);
      hub.subscribe(hub.shardChannels, ch, c);
    }
    confirm(c, 'ssubscribe', ch, c.shardChannels.size);
  }
}

function sunsubscribe(c: Client, argv: string[]): void {
  const hub = c.server.pubsub;
  const names = argv.length > 1 ? argv.slice(1) : [...c.shardChannels];
  if (names.length === 0) {
    confirm(c, 'sunsubscribe', null, c.shardChannels.size);
    return;
  }
  for (const ch of names) {
    if (c.shardChannels.delete(ch)) hub.unsubscribe(hub.shardChannels, ch, c);
    confirm(c, 'sunsubscribe', ch, c.shardChannels.size);
  }
}

/** Names of `map` matching the optional pattern (PUBSUB CHANNELS / SHARDCHANNELS). */
function channelList(c: Client, map: ReadonlyMap<string, unknown>, argv: string[], sub: string): void {
  if (argv.length > 3) throw new CommandError(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try PUBSUB HELP.`);
  const pattern = argv[2];
  const out: string[] = [];
  for (const name of map.keys()) if (pattern === undefined || globMatch(pattern, name)) out.push(name);
  c.reply.bulks(out);
}

/** Channel, count pairs (PUBSUB NUMSUB / SHARDNUMSUB), as a flat array in both protocols. */
function numsub(c: Client, map: ReadonlyMap<string, ReadonlySet<Client>>, argv: string[]): void {
  c.reply.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.bulk(argv[i]);
    c.reply.int(map.get(argv[i])?.size ?? 0);
  }
}

const HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

const pubsubSubcommands: CommandSpec[] = [
  command('pubsub|channels', -2, 'pubsub loading stale', [0, 0, 0], '', (c, a) => channelList(c, c.server.pubsub.channels, a, 'CHANNELS')),
  command('pubsub|numsub', -2, 'pubsub loading stale', [0, 0, 0], '', (c, a) => numsub(c, c.server.pubsub.channels, a)),
  command('pubsub|numpat', 2, 'pubsub loading stale', [0, 0, 0], '', (c) => c.reply.int(c.server.pubsub.patterns.size)),
  command('pubsub|shardchannels', -2, 'pubsub loading stale', [0, 0, 0], '', (c, a) => channelList(c, c.server.pubsub.shardChannels, a, 'SHARDCHANNELS')),
  command('pubsub|shardnumsub', -2, 'pubsub loading stale', [0, 0, 0], '', (c, a) => numsub(c, c.server.pubsub.shardChannels, a)),
  command('pubsub|help', 2, 'loading stale', [0, 0, 0], '', (c) => {
    c.reply.array(HELP.length);
    for (const line of HELP) c.reply.simple(line);
  }),
];

export const pubsubCommands: CommandSpec[] = [
  command('subscribe', -2, 'pubsub noscript loading stale', [0, 0, 0], '', subscribe),
  command('unsubscribe', -1, 'pubsub noscript loading stale', [0, 0, 0], '', unsubscribe),
  command('psubscribe', -2, 'pubsub noscript loading stale', [0, 0, 0], '', psubscribe),
  command('punsubscribe', -1, 'pubsub noscript loading stale', [0, 0, 0], '', punsubscribe),
  command('ssubscribe', -2, 'pubsub noscript loading stale', [1, -1, 1], '', ssubscribe),
  command('sunsubscribe', -1, 'pubsub noscript loading stale', [1, -1, 1], '', sunsubscribe),
  command('publish', 3, 'pubsub loading stale fast', [0, 0, 0], '', (c, a) => c.reply.int(c.server.pubsub.publish(a[1], a[2]))),
  command('spublish', 3, 'pubsub loading stale fast', [1, 1, 1], '', (c, a) => c.reply.int(c.server.pubsub.spublish(a[1], a[2]))),
  command('pubsub', -2, '', [0, 0, 0], '', (_c, a) => {
    throw new CommandError(Errors.unknownSub(a[1], 'pubsub'));
  }, { subcommands: pubsubSubcommands }),
];
