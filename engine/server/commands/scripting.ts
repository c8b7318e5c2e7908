import type { Client } from '../client';
import { globMatch } from '../glob';
import { parseInt64 } from './args';
import { ScriptEngine, FLAG_NAMES } from '../scripting/engine';
import { luaApi, luaReady } from '../scripting/lua';
import type { Server } from '../server';
import { command, CommandError, CommandSpec, Errors } from './command';
import { functionDump, functionRestore } from './dump';

/** The scripting engine of each node, made on first use (the wasm module must be compiled first). */
const engines = new WeakMap<Server, ScriptEngine>();

export function engineOf(server: Server): ScriptEngine | undefined {
  let e = engines.get(server);
  if (!e) {
    const api = luaApi();
    if (!api) return undefined;
    e = new ScriptEngine(server, api);
    engines.set(server, e);
  }
  return e;
}

/** The FUNCTION libraries' sources, in load order (RDB snapshots save them). */
export function librarySources(server: Server): string[] {
  const e = engines.get(server);
  return e ? [...e.libraries.values()].map((l) => l.code) : [];
}

/** Loads libraries read from a snapshot (replacing same-named ones); a bad one throws CommandError. */
export async function restoreLibraries(server: Server, sources: readonly string[]): Promise<void> {
  if (sources.length === 0) return;
  await luaReady;
  const e = engineOf(server)!;
  for (const code of sources) e.loadLibrary(code, true);
}

/**
 * Runs `fn` with the engine. In the first milliseconds after start-up the wasm module may still be
 * compiling: the client then waits (blocked, its later input queued) and is served when it is ready.
 */
function withEngine(c: Client, fn: (e: ScriptEngine) => void): void {
  const e = engineOf(c.server);
  if (e) {
    fn(e);
    return;
  }
  const server = c.server;
  server.block(c, { keys: [], db: c.db, deadline: 0, tryServe: () => false, onTimeout: () => undefined });
  void luaReady.then(() => {
    const engine = engineOf(server)!;
    try {
      fn(engine);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      c.reply.error(err.message);
      server.countError(err.message);
    }
    if (!engine.current || engine.current.client !== c) server.unblock(c, false);
  });
}

/** The checked numkeys of EVAL/FCALL-style commands (keys are argv[3, 3 + numkeys), then the args). */
function numKeys(argv: string[]): number {
  const n = parseInt64(argv[2]);
  if (n === undefined) throw new CommandError(Errors.notInteger);
  if (n < 0) throw new CommandError("ERR Number of keys can't be negative");
  if (n > argv.length - 3) throw new CommandError("ERR Number of keys can't be greater than number of args");
  return Number(n);
}

/** Keys and args of EVAL/FCALL-style commands. */
function keysAndArgs(argv: string[]): [string[], string[]] {
  const k = numKeys(argv);
  return [argv.slice(3, 3 + k), argv.slice(3 + k)];
}

function evalKeys(argv: readonly string[]): number[] {
  // as Valkey's keynum key spec: a numkeys past the arguments (or not a count) gives no keys at all
  const n = Number(argv[2]);
  const out: number[] = [];
  if (!Number.isInteger(n) || n < 0 || 2 + n >= argv.length) return out;
  for (let i = 3; i < 3 + n; i++) out.push(i);
  return out;
}

function evalCommand(ro: boolean) {
  return (c: Client, argv: string[]): void => {
    const numkeys = numKeys(argv);
    const engine = engines.get(c.server);
    if (engine) engine.evalScript(c, engine.getScript(argv[1]), numkeys, ro, argv);
    else withEngine(c, (e) => e.evalScript(c, e.getScript(argv[1]), numkeys, ro, argv));
  };
}

function evalShaCommand(ro: boolean) {
  return (c: Client, argv: string[]): void => {
    const numkeys = numKeys(argv);
    withEngine(c, (e) => {
      const script = argv[1].length === 40 ? e.scripts.get(argv[1].toLowerCase()) : undefined;
      if (!script) throw new CommandError('NOSCRIPT No matching script. Please use EVAL.');
      e.evalScript(c, script, numkeys, ro, argv);
    });
  };
}

function fcallCommand(ro: boolean) {
  return (c: Client, argv: string[]): void => {
    const [keys, args] = keysAndArgs(argv);
    withEngine(c, (e) => {
      const fn = e.functions.get(argv[1]);
      if (!fn) throw new CommandError('ERR Function not found');
      e.callFunction(c, fn, keys, args, ro, argv);
    });
  };
}

function flushMode(argv: string[], what: 'SCRIPT' | 'FUNCTION'): void {
  if (argv.length > 3 || (argv.length === 3 && !['sync', 'async'].includes(argv[2].toLowerCase()))) {
    throw new CommandError(what === 'SCRIPT' ? 'ERR SCRIPT FLUSH only support SYNC|ASYNC option' : 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
  }
}

const SCRIPT_HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Prints this help.',
];

const FUNCTION_HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Prints this help.',
];

function help(c: Client, lines: string[]): void {
  c.reply.array(lines.length);
  for (const l of lines) c.reply.simple(l);
}

function functionList(c: Client, argv: string[], e: ScriptEngine): void {
  let pattern: string | undefined;
  let withCode = false;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (a === 'withcode' && !withCode) {
      withCode = true;
    } else if (a === 'libraryname' && pattern === undefined) {
      if (i + 1 >= argv.length) throw new CommandError('ERR library name argument was not given');
      pattern = argv[++i];
    } else {
      throw new CommandError(`ERR Unknown argument ${argv[i]}`);
    }
  }
  const libs = [...e.libraries.values()].filter((l) => pattern === undefined || globMatch(pattern, l.name, false));
  const r = c.reply;
  r.array(libs.length);
  for (const lib of libs) {
    r.map(withCode ? 4 : 3);
    r.bulk('library_name');
    r.bulk(lib.name);
    r.bulk('engine');
    r.bulk('LUA');
    r.bulk('functions');
    r.array(lib.functions.size);
    for (const f of lib.functions.values()) {
      r.map(3);
      r.bulk('name');
      r.bulk(f.name);
      r.bulk('description');
      r.bulk(f.description);
      r.bulk('flags');
      const names = FLAG_NAMES.filter(([, bit]) => f.flags & bit).map(([n]) => n);
      r.set(names.length);
      for (const n of names) r.simple(n);
    }
    if (withCode) {
      r.bulk('library_code');
      r.bulk(lib.code);
    }
  }
}

function functionStats(c: Client, e: ScriptEngine): void {
  const r = c.reply;
  r.map(2);
  r.bulk('running_script');
  const run = e.current;
  if (run && !run.isEval) {
    r.map(3);
    r.bulk('name');
    r.bulk(run.name);
    r.bulk('command');
    r.bulks(run.argv);
    r.bulk('duration_ms');
    r.int(Math.round(Date.now() - run.wallStart));
  } else {
    r.nil();
  }
  r.bulk('engines');
  r.map(1);
  r.bulk('LUA');
  r.map(2);
  r.bulk('libraries_count');
  r.int(e.libraries.size);
  r.bulk('functions_count');
  r.int(e.functions.size);
}

const EVAL_FLAGS = 'noscript stale skip-monitor no-mandatory-keys movablekeys';

export const scriptingCommands: CommandSpec[] = [
  command('eval', -3, EVAL_FLAGS, [0, 0, 0], 'scripting', evalCommand(false), { getKeys: evalKeys }),
  command('evalsha', -3, EVAL_FLAGS, [0, 0, 0], 'scripting', evalShaCommand(false), { getKeys: evalKeys }),
  command('eval_ro', -3, `readonly ${EVAL_FLAGS}`, [0, 0, 0], 'scripting', evalCommand(true), { getKeys: evalKeys }),
  command('evalsha_ro', -3, `readonly ${EVAL_FLAGS}`, [0, 0, 0], 'scripting', evalShaCommand(true), { getKeys: evalKeys }),
  command('fcall', -3, EVAL_FLAGS, [0, 0, 0], 'scripting', fcallCommand(false), { getKeys: evalKeys }),
  command('fcall_ro', -3, `readonly ${EVAL_FLAGS}`, [0, 0, 0], 'scripting', fcallCommand(true), { getKeys: evalKeys }),
  command('script', -2, '', [0, 0, 0], 'scripting', () => undefined, {
    subcommands: [
      command('script|load', 3, 'noscript stale', [0, 0, 0], 'scripting', (c, a) => withEngine(c, (e) => c.reply.bulk(e.getScript(a[2]).sha))),
      command('script|exists', -3, 'noscript', [0, 0, 0], 'scripting', (c, a) => withEngine(c, (e) => {
        c.reply.array(a.length - 2);
        for (let i = 2; i < a.length; i++) c.reply.int(e.scripts.has(a[i].toLowerCase()) ? 1 : 0);
      })),
      command('script|flush', -2, 'noscript', [0, 0, 0], 'scripting', (c, a) => {
        flushMode(a, 'SCRIPT');
        withEngine(c, (e) => {
          e.flushScripts();
          c.reply.ok();
        });
      }),
      command('script|kill', 2, 'noscript allow-busy', [0, 0, 0], 'scripting', (c) => withEngine(c, (e) => {
        e.kill(true);
        c.reply.ok();
      })),
      command('script|debug', 3, 'noscript', [0, 0, 0], 'scripting', () => {
        throw new CommandError('ERR SCRIPT DEBUG is not supported by this server');
      }),
      command('script|help', 2, 'loading stale', [0, 0, 0], 'scripting', (c) => help(c, SCRIPT_HELP)),
    ],
  }),
  command('function', -2, '', [0, 0, 0], 'scripting', () => undefined, {
    subcommands: [
      command('function|load', -3, 'write denyoom noscript', [0, 0, 0], 'scripting', (c, a) => {
        let replace = false;
        let i = 2;
        for (; i < a.length - 1; i++) {
          if (a[i].toLowerCase() === 'replace') replace = true;
          else throw new CommandError(`ERR Unknown option given: ${a[i]}`);
        }
        if (i !== a.length - 1) throw new CommandError('ERR Function code was not given');
        withEngine(c, (e) => c.reply.bulk(e.loadLibrary(a[i], replace)));
      }),
      command('function|delete', 3, 'write noscript', [0, 0, 0], 'scripting', (c, a) => withEngine(c, (e) => {
        if (!e.deleteLibrary(a[2])) throw new CommandError('ERR Library not found');
        c.reply.ok();
      })),
      command('function|flush', -2, 'write noscript', [0, 0, 0], 'scripting', (c, a) => {
        flushMode(a, 'FUNCTION');
        withEngine(c, (e) => {
          e.flushLibraries();
          c.reply.ok();
        });
      }),
      command('function|list', -2, 'noscript', [0, 0, 0], 'scripting', (c, a) => withEngine(c, (e) => functionList(c, a, e))),
      command('function|stats', 2, 'noscript allow-busy', [0, 0, 0], 'scripting', (c) => withEngine(c, (e) => functionStats(c, e))),
      command('function|kill', 2, 'noscript allow-busy', [0, 0, 0], 'scripting', (c) => withEngine(c, (e) => {
        e.kill(false);
        c.reply.ok();
      })),
      command('function|dump', 2, 'noscript', [0, 0, 0], 'scripting', (c) => withEngine(c, (e) => functionDump(c, e))),
      command('function|restore', -3, 'write denyoom noscript', [0, 0, 0], 'scripting', (c, a) => withEngine(c, (e) => functionRestore(c, a, e))),
      command('function|help', 2, 'loading stale', [0, 0, 0], 'scripting', (c) => help(c, FUNCTION_HELP)),
    ],
  }),
];
