import type { Client } from '../client';

/**
 * One command in the table: Valkey's arity (negative = at least), flags, key positions
 * (first, last, step; last -1 = to the end) and ACL categories, plus the handler.
 */
export interface CommandSpec {
  readonly name: string;
  /** Exact argument count including the name, or -N for "at least N". */
  readonly arity: number;
  /** Valkey command flags: write, readonly, denyoom, admin, pubsub, noscript, blocking, loading, stale, fast, ... */
  readonly flags: readonly string[];
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  /** ACL categories without the @ (write, read, string, fast, ...). */
  readonly categories: readonly string[];
  /** Subcommands (CONFIG GET, CLIENT LIST...), looked up by argv[1]. */
  readonly subcommands?: ReadonlyMap<string, CommandSpec>;
  /** For commands whose keys are not at fixed positions (EVAL, ZUNIONSTORE, XREAD...). */
  readonly getKeys?: (argv: readonly string[]) => number[];
  readonly handler: (client: Client, argv: string[]) => void;
  /** The flags the dispatcher tests on every call, as CMD_* bits (precomputed: no string search per call). */
  readonly bits: number;
}

/** Bits of `CommandSpec.bits`, one per flag the hot path tests. */
export const CMD_WRITE = 1;
export const CMD_READONLY = 2;
export const CMD_DENYOOM = 4;
export const CMD_NO_AUTH = 8;
export const CMD_NO_MULTI = 16;
export const CMD_LOADING = 32;
export const CMD_NOSCRIPT = 64;
export const CMD_SKIP_SLOWLOG = 128;
export const CMD_FAST = 256;
export const CMD_ALLOW_BUSY = 512;
const FLAG_BITS = new Map<string, number>([
  ['write', CMD_WRITE],
  ['readonly', CMD_READONLY],
  ['denyoom', CMD_DENYOOM],
  ['no-auth', CMD_NO_AUTH],
  ['no-multi', CMD_NO_MULTI],
  ['loading', CMD_LOADING],
  ['noscript', CMD_NOSCRIPT],
  ['skip-slowlog', CMD_SKIP_SLOWLOG],
  ['fast', CMD_FAST],
  ['allow-busy', CMD_ALLOW_BUSY],
]);

/** Builds a command spec; `flags` and `categories` as space-separated words. */
export function command(
  name: string,
  arity: number,
  flags: string,
  keys: [number, number, number],
  categories: string,
  handler: (client: Client, argv: string[]) => void,
  extra: { getKeys?: (argv: readonly string[]) => number[]; subcommands?: CommandSpec[] } = {},
): CommandSpec {
  const flagList = flags.split(/\s+/).filter(Boolean);
  const cats = new Set(categories.split(/\s+/).filter(Boolean));
  // Valkey derives some categories from flags.
  if (flagList.includes('write')) cats.add('write');
  if (flagList.includes('readonly') && !cats.has('scripting')) cats.add('read');
  if (flagList.includes('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (flagList.includes('pubsub')) cats.add('pubsub');
  if (flagList.includes('fast')) cats.add('fast');
  if (flagList.includes('blocking')) cats.add('blocking');
  if (!flagList.includes('fast')) cats.add('slow');
  return {
    name,
    arity,
    flags: flagList,
    firstKey: keys[0],
    lastKey: keys[1],
    step: keys[2],
    categories: [...cats],
    handler,
    bits: flagList.reduce((b, f) => b | (FLAG_BITS.get(f) ?? 0), 0),
    getKeys: extra.getKeys,
    subcommands: extra.subcommands ? new Map(extra.subcommands.map((s) => [s.name.split('|')[1], s])) : undefined,
  };
}

/** Positions of the key arguments of a command line. */
export function keyPositions(spec: CommandSpec, argv: readonly string[]): number[] {
  if (spec.getKeys) return spec.getKeys(argv);
  if (spec.firstKey <= 0) return [];
  const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
  const out: number[] = [];
  for (let i = spec.firstKey; i <= last && i < argv.length; i += spec.step) out.push(i);
  return out;
}

/** The arity check every command passes through. */
export function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity >= 0 ? argc === spec.arity : argc >= -spec.arity;
}

/** Errors the engine answers with, spelled as Valkey spells them. */
export const Errors = {
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  syntax: 'ERR syntax error',
  noSuchKey: 'ERR no such key',
  overflow: 'ERR increment or decrement would overflow',
  outOfRange: 'ERR index out of range',
  arity: (name: string) => `ERR wrong number of arguments for '${name}' command`,
  unknown: (name: string, args: readonly string[]) =>
    `ERR unknown command '${name}', with args beginning with: ${args.slice(0, 20).map((a) => `'${a}' `).join('')}`,
  unknownSub: (sub: string, cmd: string) => `ERR unknown subcommand '${sub}'. Try ${cmd.toUpperCase()} HELP.`,
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
};

/** Thrown by handlers to answer an error reply; the dispatcher writes it. */
export class CommandError extends Error {}
