import { createHash } from 'crypto';
import { performance } from 'perf_hooks';
import type { Client } from '../client';
import { arityOk, CMD_DENYOOM, CMD_NOSCRIPT, CMD_READONLY, CMD_WRITE, CommandError, CommandSpec, Errors } from '../commands/command';
import { latin1 } from '../resp/parser';
import type { Reply } from '../resp/reply';
import type { Server } from '../server';
import { installLibs } from './libs';
import {
  big, formatG, Lua, LuaApi, LUA_MASKCOUNT, LUA_OK, LUA_REGISTRYINDEX, LUA_YIELD,
  T_BOOLEAN, T_NIL, T_NUMBER, T_STRING, T_TABLE,
} from './lua';
import { PRELUDE } from './prelude';

/** Script flags (shebang `#!lua flags=...` and register_function flags). */
export const FLAG_NO_WRITES = 1;
export const FLAG_ALLOW_OOM = 2;
export const FLAG_ALLOW_STALE = 4;
export const FLAG_NO_CLUSTER = 8;
export const FLAG_ALLOW_CROSS_SLOT = 16;
/** EVAL without a shebang (Redis' "eval compat mode"). */
export const FLAG_EVAL_COMPAT = 32;
export const FLAG_NAMES: ReadonlyArray<[string, number]> = [
  ['no-writes', FLAG_NO_WRITES],
  ['allow-oom', FLAG_ALLOW_OOM],
  ['allow-stale', FLAG_ALLOW_STALE],
  ['no-cluster', FLAG_NO_CLUSTER],
  ['allow-cross-slot-keys', FLAG_ALLOW_CROSS_SLOT],
];

/** A compiled EVAL script. */
export interface Script {
  readonly sha: string;
  readonly body: string;
  readonly ref: number;
  readonly flags: number;
}

/** A function of a FUNCTION library. */
export interface LibFunction {
  readonly name: string;
  readonly ref: number;
  readonly flags: number;
  readonly description: string | null;
  readonly library: Library;
}

export interface Library {
  readonly name: string;
  readonly code: string;
  readonly functions: Map<string, LibFunction>;
}

/** The script running now. */
interface Run {
  readonly client: Client;
  readonly fake: Client;
  /** SHA (EVAL) or function name (FCALL), as error messages name it. */
  readonly name: string;
  readonly isEval: boolean;
  readonly readOnly: boolean;
  readonly flags: number;
  readonly argv: string[];
  readonly wallStart: number;
  resp: 2 | 3;
  wrote: boolean;
  readonly start: number;
  sliceStart: number;
  timedOut: boolean;
  killed: boolean;
}

/** The private fields of Reply read in place by redis.call (the reply bytes of the script client). */
interface ReplyInternals {
  buf: Buffer;
  len: number;
}

const CF_WRITE = CMD_WRITE;
const CF_DENYOOM = CMD_DENYOOM;
const CF_NOSCRIPT = CMD_NOSCRIPT;
/** A command's flags that scripts check, as bits (precomputed on the spec). */
function commandFlags(spec: CommandSpec): number {
  return spec.bits;
}

/** Instructions between two checks of the clock. */
const HOOK_COUNT = 10000;
/** Once a script is past the time limit, it yields to the event loop every this many ms. */
const SLICE_MS = 20;
/** Commands that run while a script is busy (Redis' CMD_ALLOW_BUSY). */
const ALLOW_BUSY = new Set(['auth', 'hello', 'reset', 'quit', 'multi', 'discard', 'watch', 'unwatch', 'replconf', 'script|kill', 'function|kill', 'function|stats']);
export const BUSY_SCRIPT = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const BUSY_FUNCTION = 'BUSY Redis is busy running a function. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;
const NAME_RE = /^[A-Za-z0-9_]+$/;

export function sha1hex(s: string): string {
  return createHash('sha1').update(s, 'latin1').digest('hex');
}

/** Status text with CR/LF turned into spaces (they would break the reply line). */
function noNewlines(s: string): string {
  return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace(/[\r\n]/g, ' ');
}

/** Splits "CODE rest" errors as Redis stores them in Lua error tables (no leading '-', ERR when no code). */
function errorTableText(raw: string): string {
  let s = raw.startsWith('-') ? raw.slice(1) : raw;
  let code = 'ERR';
  if (raw.startsWith('-')) {
    const sp = s.indexOf(' ');
    if (sp >= 0) {
      code = s.slice(0, sp);
      s = s.slice(sp + 1);
    }
  }
  return `${code} ${s.replace(/^[\r\n]+|[\r\n]+$/g, '')}`;
}

/** Lua 5.4 syntax error texts in Lua 5.1's wording (5.4 prints the end of input as <eof>, unquoted). */
export function compileErrorAs51(msg: string): string {
  return msg.replace(/near <eof>$/, "near '<eof>'");
}

/** Lua 5.4 runtime error texts in Lua 5.1's wording ("attempt to call global 'f' (a nil value)"). */
export function luaErrorAs51(msg: string): string {
  return msg.replace(/attempt to ([a-z ]+?) a ([a-z]+) value \((global|local|field|upvalue|method|constant) '([^']*)'\)/g, (_m, what, type, kind, name) =>
    kind === 'constant' ? `attempt to ${what} a ${type} value` : `attempt to ${what} ${kind} '${name}' (a ${type} value)`);
}

/**
 * One scripting engine per node: a Lua state for EVAL scripts and FUNCTION libraries, the script
 * cache, the libraries, and the running script (time limit, BUSY, SCRIPT KILL).
 */
export class ScriptEngine {
  public readonly scripts = new Map<string, Script>();
  private readonly byBody = new Map<string, Script>();
  /** Registry references of constant key strings (pushKey). */
  private readonly keyRefs = new Map<string, number>();
  /** The script getScript returned last. */
  private lastScript: Script | undefined;
  public readonly libraries = new Map<string, Library>();
  public readonly functions = new Map<string, LibFunction>();
  public current: Run | undefined;
  private readonly lua: Lua;
  private readonly api: LuaApi;
  private readonly L: number;
  /** The coroutine scripts run in (so the time-limit hook can yield to the event loop). */
  private T: number;
  private threadRef = 0;
  private readonly errinfoRef: number;
  private readonly envRef: number;
  private readonly globalsRef: number;
  private readonly fenvRef: number;
  private readonly libModeRef: number;
  private readonly redisApiRef: number;
  private readonly loadApiRef: number;
  private readonly nres: number;
  private readonly hookPtr: number;
  private readonly fake: Client;
  private timeLimit: number;
  /** Library being loaded by FUNCTION LOAD (register_function adds to it). */
  private loading: Library | undefined;

  constructor(private readonly server: Server, api: LuaApi) {
    this.api = api;
    this.lua = new Lua(api);
    this.L = this.lua.L;
    this.nres = api._malloc(8);
    this.fake = server.fakeClient();
    this.timeLimit = server.config.getNumber('lua-time-limit');
    server.config.onChange('lua-time-limit', (v) => (this.timeLimit = Number(v)));
    server.config.onChange('busy-reply-threshold', (v) => (this.timeLimit = Number(v)));
    const L = this.L;
    // The redis API (full, for scripts) and the library-load API (register_function, log).
    this.redisApiRef = this.buildRedisApi(true);
    this.loadApiRef = this.buildRedisApi(false);
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.redisApiRef));
    api._lua_setglobal(L, this.lua.cstr('redis'));
    installLibs(this.lua);
    this.lua.run(PRELUDE, '=prelude', 5);
    this.libModeRef = api._luaL_ref(L, LUA_REGISTRYINDEX);
    this.fenvRef = api._luaL_ref(L, LUA_REGISTRYINDEX);
    this.globalsRef = api._luaL_ref(L, LUA_REGISTRYINDEX);
    this.envRef = api._luaL_ref(L, LUA_REGISTRYINDEX);
    this.errinfoRef = api._luaL_ref(L, LUA_REGISTRYINDEX);
    this.hookPtr = api.addFunction((l: number) => this.hook(l), 'vii');
    this.T = this.newThread();
  }

  private newThread(): number {
    const api = this.api;
    if (this.threadRef) api._luaL_unref(this.L, LUA_REGISTRYINDEX, this.threadRef);
    const T = api._lua_newthread(this.L);
    this.threadRef = api._luaL_ref(this.L, LUA_REGISTRYINDEX);
    api._lua_sethook(T, this.hookPtr, LUA_MASKCOUNT, HOOK_COUNT);
    return T;
  }

  // ---------------------------------------------------------------- the redis API

  private buildRedisApi(full: boolean): number {
    const { api, lua, L } = this;
    api._lua_createtable(L, 0, 24);
    const fn = (name: string, f: (l: number) => number) => {
      lua.pushFunction(L, f);
      lua.setField(L, -2, name);
    };
    if (full) {
      fn('call', (l) => this.redisCall(l, true));
      fn('pcall', (l) => this.redisCall(l, false));
      fn('sha1hex', (l) => {
        if (api._lua_gettop(l) !== 1) lua.raise(l, 'wrong number of arguments');
        lua.pushString(l, sha1hex(lua.toString(l, 1)));
        return 1;
      });
      fn('setresp', (l) => {
        if (api._lua_gettop(l) !== 1) lua.raise(l, 'redis.setresp() requires one argument.');
        const v = api._lua_tonumberx(l, 1, 0);
        if (v !== 2 && v !== 3) lua.raise(l, 'RESP version must be 2 or 3.');
        if (this.current) this.current.resp = v as 2 | 3;
        return 0;
      });
      fn('set_repl', (l) => {
        if (api._lua_gettop(l) !== 1) lua.raise(l, 'redis.set_repl() requires one argument.');
        const v = api._lua_tonumberx(l, 1, 0);
        if (!(v >= 0 && v <= 3 && Number.isInteger(v))) lua.raise(l, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
        return 0;
      });
      fn('replicate_commands', (l) => {
        api._lua_pushboolean(l, 1);
        return 1;
      });
      fn('breakpoint', (l) => {
        api._lua_pushboolean(l, 0);
        return 1;
      });
      fn('debug', () => 0);
      fn('acl_check_cmd', (l) => this.aclCheck(l));
      for (const [k, v] of [['REPL_NONE', 0], ['REPL_AOF', 1], ['REPL_SLAVE', 2], ['REPL_REPLICA', 2], ['REPL_ALL', 3]] as const) {
        lua.pushInt(L, v);
        lua.setField(L, -2, k);
      }
      // error_reply / status_reply return tables, as Redis' do.
      fn('error_reply', (l) => {
        if (api._lua_gettop(l) !== 1 || api._lua_type(l, 1) !== T_STRING) return this.pushErrTable(l, 'ERR wrong number or type of arguments');
        const e = lua.toString(l, 1);
        return this.pushErrTable(l, errorTableText(e.startsWith('-') ? e : `-${e}`));
      });
      fn('status_reply', (l) => {
        if (api._lua_gettop(l) !== 1 || api._lua_type(l, 1) !== T_STRING) return this.pushErrTable(l, 'ERR wrong number or type of arguments');
        api._lua_createtable(l, 0, 1);
        api._lua_pushvalue(l, 1);
        lua.setField(l, -2, 'ok');
        return 1;
      });
    } else {
      fn('register_function', (l) => this.registerFunction(l));
    }
    fn('log', (l) => {
      const n = api._lua_gettop(l);
      if (n < 2) lua.raise(l, 'redis.log() requires two arguments or more.');
      if (api._lua_type(l, 1) !== T_NUMBER) lua.raise(l, 'First argument must be a number');
      const level = api._lua_tonumberx(l, 1, 0);
      if (!(level >= 0 && level <= 3)) lua.raise(l, 'Invalid debug level.');
      const parts: string[] = [];
      for (let i = 2; i <= n; i++) {
        const t = api._lua_type(l, i);
        if (t === T_STRING || t === T_NUMBER) parts.push(this.argString(l, i));
      }
      this.server.log[LOG_LEVELS[Math.floor(level)]](parts.join(' '));
      return 0;
    });
    for (const [k, v] of [['LOG_DEBUG', 0], ['LOG_VERBOSE', 1], ['LOG_NOTICE', 2], ['LOG_WARNING', 3]] as const) {
      lua.pushInt(L, v);
      lua.setField(L, -2, k);
    }
    lua.pushString(L, '7.0.15');
    lua.setField(L, -2, 'REDIS_VERSION');
    lua.pushInt(L, 0x07000f);
    lua.setField(L, -2, 'REDIS_VERSION_NUM');
    return api._luaL_ref(L, LUA_REGISTRYINDEX);
  }

  /** Pushes t[k] without metamethods (t at absolute index `idx`); returns its type. */
  private rawField(l: number, idx: number, k: string): number {
    this.pushKey(l, k);
    return this.api._lua_rawget(l, idx);
  }

  /**
   * Pushes a constant key string ('ok', 'err', 'KEYS'...) kept in the registry: one call into the
   * VM instead of copying the bytes and interning the string again on every use.
   */
  private pushKey(l: number, k: string): void {
    let ref = this.keyRefs.get(k);
    if (ref === undefined) {
      this.lua.pushString(this.L, k);
      ref = this.api._luaL_ref(this.L, LUA_REGISTRYINDEX);
      this.keyRefs.set(k, ref);
    }
    this.api._lua_rawgeti(l, LUA_REGISTRYINDEX, big(ref));
  }

  private pushErrTable(l: number, err: string): number {
    this.api._lua_createtable(l, 0, 1);
    this.lua.pushString(l, err);
    this.lua.setField(l, -2, 'err');
    return 1;
  }

  /** A command argument: strings as they are, numbers as Redis formats them (integers exact, else %.17g). */
  private argString(l: number, i: number): string {
    if (this.api._lua_type(l, i) === T_NUMBER) {
      if (this.api._lua_isinteger(l, i)) return String(this.api._lua_tointegerx(l, i, 0));
      return formatG(this.api._lua_tonumberx(l, i, 0), 17);
    }
    return this.lua.toString(l, i);
  }

  private aclCheck(l: number): number {
    const { api, lua } = this;
    const n = api._lua_gettop(l);
    if (n === 0) lua.raiseTable(l, 'ERR Please specify at least one argument for this redis lib call');
    const argv: string[] = [];
    for (let i = 1; i <= n; i++) {
      const t = api._lua_type(l, i);
      if (t !== T_STRING && t !== T_NUMBER) lua.raiseTable(l, 'ERR Lua redis lib command arguments must be strings or integers');
      argv.push(this.argString(l, i));
    }
    const spec = this.lookup(argv);
    if (!spec) return lua.raiseTable(l, 'ERR Invalid command passed to redis.acl_check_cmd()');
    api._lua_pushboolean(l, this.current === undefined || this.server.acl.check(this.current.client, spec, argv, 'lua') === undefined ? 1 : 0);
    return 1;
  }

  private lookup(argv: string[]): CommandSpec | undefined {
    // The table's lookup remembers spellings as sent (no lower-casing per redis.call).
    let spec = this.server.commands.lookup(argv[0]);
    if (spec?.subcommands) {
      if (argv.length < 2) return spec;
      spec = spec.subcommands.get(argv[1].toLowerCase());
    }
    return spec;
  }

  /** redis.call / redis.pcall: runs a command for the script and pushes its reply converted to Lua. */
  private redisCall(l: number, raise: boolean): number {
    const { api, lua } = this;
    const run = this.current;
    const n = api._lua_gettop(l);
    let err: string | undefined;
    const argv: string[] = new Array(n);
    if (n === 0) err = 'ERR Please specify at least one argument for this redis lib call';
    for (let i = 1; i <= n && err === undefined; i++) {
      const t = api._lua_type(l, i);
      if (t === T_STRING) argv[i - 1] = lua.toString(l, i);
      else if (t === T_NUMBER) argv[i - 1] = this.argString(l, i);
      else err = 'ERR Lua redis lib command arguments must be strings or integers';
    }
    let reply: Buffer | undefined;
    if (err === undefined) {
      if (!run) err = 'ERR redis.call can only be called inside a script invocation';
      else err = this.execute(run, argv);
      if (err === undefined) {
        // Read the reply in place from the script client's buffer (no copy), then reset it.
        const r = run!.fake.reply as unknown as ReplyInternals;
        reply = r.len > 0 ? r.buf : undefined;
        if (reply && reply[0] === 45 /* - */) {
          err = errorTableText(reply.latin1Slice(0, r.len - 2));
          reply = undefined;
        }
      }
    }
    if (err !== undefined) {
      run?.fake.reply.rollback(0);
      if (raise) lua.raiseTable(l, err);
      return this.pushErrTable(l, err);
    }
    if (!reply) {
      api._lua_pushboolean(l, 0);
      return 1;
    }
    this.pushReply(l, reply, 0);
    run!.fake.reply.rollback(0);
    return 1;
  }

  /** Checks and runs one command for the script; its reply is in `run.fake.reply`. Returns an error text. */
  private execute(run: Run, argv: string[]): string | undefined {
    const server = this.server;
    const spec = this.lookup(argv);
    if (!spec) return 'ERR Unknown Redis command called from script';
    if (!arityOk(spec, argv.length)) return 'ERR Wrong number of args calling Redis command from script';
    const cmdFlags = commandFlags(spec);
    if (cmdFlags & CF_NOSCRIPT) return 'ERR This Redis command is not allowed from script';
    const denied = server.acl.check(run.client, spec, argv, 'lua');
    if (denied) return "ERR The user executing the script can't run this command or subcommand";
    if (server.cluster !== undefined) {
      const refused = server.cluster.scriptCheck(run.client, spec, argv, (run.flags & (FLAG_ALLOW_CROSS_SLOT | FLAG_EVAL_COMPAT)) !== 0);
      if (refused) return refused;
    }
    const write = (cmdFlags & CF_WRITE) !== 0;
    if (write && run.readOnly) return 'ERR Write commands are not allowed from read-only scripts.';
    if ((cmdFlags & CF_DENYOOM) && !run.wrote && !(run.flags & FLAG_ALLOW_OOM) && !server.makeRoomFor(run.client)) {
      return Errors.oom;
    }
    if (write && server.repl !== undefined) {
      const refused = server.repl.refuse(run.client, spec);
      if (refused !== undefined) return refused;
    }
    if (write) run.wrote = true;
    const fake = run.fake;
    fake.reply.resp = run.resp;
    const stats = server.commandStats(spec.name);
    if (write && server.beforeWrite !== undefined) server.beforeWrite(fake.db, spec, argv);
    // Replication sends a script's effects (the commands it ran), not the script.
    const repl = server.repl;
    const dirty = repl === undefined ? 0 : repl.enter();
    const mark = fake.reply.mark();
    try {
      spec.handler(fake, argv);
    } catch (e) {
      fake.reply.rollback(0);
      const msg = e instanceof CommandError ? e.message : `ERR internal error running '${spec.name}': ${(e as Error).message}`;
      fake.reply.error(msg);
      server.countError(msg);
      stats.failedCalls++;
    }
    // Client-side caching: keys read by the script count as read by its caller.
    if ((spec.bits & CMD_READONLY) !== 0 && server.tracking.clients.size > 0) server.tracking.rememberKeys(spec, argv);
    if (fake.blocked) {
      // Blocking commands do not block in scripts: they answer as on timeout.
      server.unblock(fake, false);
      fake.reply.nilArray();
    }
    if (repl !== undefined) repl.leave(fake, spec, argv, dirty, mark);
    // Counted in commandstats (calls); their time is part of the EVAL's.
    stats.calls++;
    server.stats.totalCommands++;
    return undefined;
  }

  // ---------------------------------------------------------------- reply conversions

  /** Pushes the RESP reply at `pos` of `b` as a Lua value (Redis' reply → Lua rules); returns the end position. */
  private pushReply(l: number, b: Buffer, pos: number, nested = false): number {
    const { api, lua } = this;
    const type = b[pos];
    let eol = pos + 1;
    while (eol < b.length && b[eol] !== 13) eol++; // every reply line ends with CR LF
    const head = latin1(b, pos + 1, eol);
    let next = eol + 2;
    // redis.call is a C function, which Lua starts with LUA_MINSTACK (20) free slots: enough for the
    // top level; each nesting level of an aggregate needs its own check.
    if (nested) api._lua_checkstack(l, 8);
    switch (type) {
      case 58: // : integer
        api._lua_pushinteger(l, BigInt(head));
        return next;
      case 36: { // $ bulk
        const n = Number(head);
        if (n < 0) {
          api._lua_pushboolean(l, 0);
          return next;
        }
        lua.pushBytes(l, b, next, next + n);
        return next + n + 2;
      }
      case 43: // + status
        api._lua_createtable(l, 0, 1);
        lua.pushString(l, head);
        lua.setField(l, -2, 'ok');
        return next;
      case 45: // - error (inside an aggregate)
        api._lua_createtable(l, 0, 1);
        lua.pushString(l, errorTableText(`-${head}`));
        lua.setField(l, -2, 'err');
        return next;
      case 42: // * array
      case 62: { // > push
        const n = Number(head);
        if (n < 0) {
          api._lua_pushboolean(l, 0);
          return next;
        }
        api._lua_createtable(l, n, 0);
        for (let i = 1; i <= n; i++) {
          next = this.pushReply(l, b, next, true);
          api._lua_rawseti(l, -2, big(i));
        }
        return next;
      }
      case 37: // % map
      case 126: { // ~ set
        const n = Number(head);
        api._lua_createtable(l, 0, 1);
        api._lua_createtable(l, 0, n);
        for (let i = 0; i < n; i++) {
          next = this.pushReply(l, b, next, true);
          if (type === 37) next = this.pushReply(l, b, next, true);
          else api._lua_pushboolean(l, 1);
          api._lua_rawset(l, -3);
        }
        lua.setField(l, -2, type === 37 ? 'map' : 'set');
        return next;
      }
      case 95: // _ null
        api._lua_pushnil(l);
        return next;
      case 35: // # boolean
        api._lua_pushboolean(l, head === 't' ? 1 : 0);
        return next;
      case 44: // , double
        api._lua_createtable(l, 0, 1);
        api._lua_pushnumber(l, head === 'inf' ? Infinity : head === '-inf' ? -Infinity : Number(head));
        lua.setField(l, -2, 'double');
        return next;
      case 40: // ( big number
        api._lua_createtable(l, 0, 1);
        lua.pushString(l, head);
        lua.setField(l, -2, 'big_number');
        return next;
      case 61: { // = verbatim
        const n = Number(head);
        api._lua_createtable(l, 0, 1);
        api._lua_createtable(l, 0, 2);
        lua.pushBytes(l, b, next + 4, next + n);
        lua.setField(l, -2, 'string');
        lua.pushBytes(l, b, next, next + 3);
        lua.setField(l, -2, 'format');
        lua.setField(l, -2, 'verbatim_string');
        return next + n + 2;
      }
      default:
        api._lua_pushnil(l);
        return next;
    }
  }

  /** Writes the Lua value at `idx` as the script's reply (Redis' Lua → reply rules). */
  private writeValue(l: number, idx: number, out: Reply, resp: 2 | 3, depth: number): void {
    const { api, lua } = this;
    if (idx < 0) idx = api._lua_absindex(l, idx);
    switch (api._lua_type(l, idx)) {
      case T_STRING:
        out.bulk(lua.toString(l, idx));
        return;
      case T_BOOLEAN:
        if (resp === 2) {
          if (api._lua_toboolean(l, idx)) out.int(1);
          else out.nil();
        } else {
          out.bool(api._lua_toboolean(l, idx) !== 0);
        }
        return;
      case T_NUMBER:
        out.int(this.toInt64(l, idx));
        return;
      case T_TABLE:
        break;
      default:
        out.nil();
        return;
    }
    if (depth > 1000 || !api._lua_checkstack(l, 4)) {
      out.error('ERR reached lua stack limit');
      return;
    }
    if (this.rawField(l, idx, 'err') === T_STRING) {
      out.error(lua.toString(l, -1));
      api._lua_settop(l, -2);
      return;
    }
    api._lua_settop(l, -2);
    if (this.rawField(l, idx, 'ok') === T_STRING) {
      out.simple(noNewlines(lua.toString(l, -1)));
      api._lua_settop(l, -2);
      return;
    }
    api._lua_settop(l, -2);
    if (this.rawField(l, idx, 'double') === T_NUMBER) {
      out.double(api._lua_tonumberx(l, -1, 0));
      api._lua_settop(l, -2);
      return;
    }
    api._lua_settop(l, -2);
    if (this.rawField(l, idx, 'big_number') === T_STRING) {
      const s = lua.toString(l, -1).replace(/[\r\n]/g, ' ');
      api._lua_settop(l, -2);
      out.bigNumber(s);
      return;
    }
    api._lua_settop(l, -2);
    if (this.rawField(l, idx, 'map') === T_TABLE) {
      this.writeKeyed(l, out, resp, depth, true);
      return;
    }
    api._lua_settop(l, -2);
    if (this.rawField(l, idx, 'set') === T_TABLE) {
      this.writeKeyed(l, out, resp, depth, false);
      return;
    }
    api._lua_settop(l, -2);
    // An array: elements 1..n up to the first nil.
    let n = 0;
    while (api._lua_rawgeti(l, idx, big(n + 1)) !== T_NIL) {
      n++;
      api._lua_settop(l, -2);
    }
    api._lua_settop(l, -2);
    out.array(n);
    for (let i = 1; i <= n; i++) {
      api._lua_rawgeti(l, idx, big(i));
      this.writeValue(l, -1, out, resp, depth + 1);
      api._lua_settop(l, -2);
    }
  }

  /** Writes the table on top of the stack as a map (keys and values) or a set (keys), and pops it. */
  private writeKeyed(l: number, out: Reply, resp: 2 | 3, depth: number, withValues: boolean): void {
    const { api } = this;
    const t = api._lua_gettop(l);
    let n = 0;
    api._lua_pushnil(l);
    while (api._lua_next(l, t)) {
      n++;
      api._lua_settop(l, -2);
    }
    if (withValues) out.map(n);
    else out.set(n);
    api._lua_pushnil(l);
    while (api._lua_next(l, t)) {
      this.writeValue(l, -2, out, resp, depth + 1);
      if (withValues) this.writeValue(l, -1, out, resp, depth + 1);
      api._lua_settop(l, -2);
    }
    api._lua_settop(l, -2);
  }

  /** A Lua number as Redis converts it to an integer reply ((long long) cast; out of range → INT64_MIN). */
  private toInt64(l: number, idx: number): number | bigint {
    if (this.api._lua_isinteger(l, idx)) {
      const v = this.api._lua_tointegerx(l, idx, 0);
      return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
    }
    const d = this.api._lua_tonumberx(l, idx, 0);
    if (!Number.isFinite(d) || d >= 9223372036854775808 || d < -9223372036854775808) return -9223372036854775808n;
    const t = Math.trunc(d);
    return Number.isSafeInteger(t) ? t : BigInt(t);
  }

  // ---------------------------------------------------------------- EVAL scripts

  /** Compiles (or finds) a script; throws CommandError on shebang or compile errors. */
  public getScript(body: string): Script {
    // The same script again (the usual case) is recognised by comparing bodies, without hashing one.
    if (this.lastScript !== undefined && this.lastScript.body === body) return this.lastScript;
    const cached = this.byBody.get(body);
    if (cached) return (this.lastScript = cached);
    const sha = sha1hex(body);
    const known = this.scripts.get(sha);
    if (known) return known;
    const { flags, skip } = parseEvalShebang(body);
    const { api, L } = this;
    const err = this.lua.load(L, body.slice(skip), '@user_script');
    if (err !== undefined) throw new CommandError(`ERR Error compiling script (new function): ${compileErrorAs51(err)}`);
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.envRef));
    api._lua_setupvalue(L, -2, 1);
    const ref = api._luaL_ref(L, LUA_REGISTRYINDEX);
    const script: Script = { sha, body, ref, flags };
    this.scripts.set(sha, script);
    this.byBody.set(body, script);
    return (this.lastScript = script);
  }

  public flushScripts(): void {
    this.lastScript = undefined;
    for (const s of this.scripts.values()) this.api._luaL_unref(this.L, LUA_REGISTRYINDEX, s.ref);
    this.scripts.clear();
    this.byBody.clear();
  }

  /** EVAL / EVALSHA: runs a script for `client` with KEYS and ARGV set. */
  public evalScript(client: Client, script: Script, numkeys: number, roCommand: boolean, argv: string[]): void {
    const readOnly = this.checkRun(client, script.flags, roCommand, true);
    const { api, L } = this;
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.globalsRef));
    this.pushArray(L, argv, 3, 3 + numkeys);
    this.lua.setField(L, -2, 'KEYS');
    this.pushArray(L, argv, 3 + numkeys, argv.length);
    this.lua.setField(L, -2, 'ARGV');
    api._lua_settop(L, -2);
    this.start(client, script.sha, true, readOnly, script.flags, argv, script.ref, undefined);
  }

  /** FCALL / FCALL_RO. */
  public callFunction(client: Client, fn: LibFunction, keys: string[], args: string[], roCommand: boolean, argv: string[]): void {
    if (roCommand && !(fn.flags & FLAG_NO_WRITES)) throw new CommandError('ERR Can not execute a script with write flag using *_ro command.');
    const readOnly = this.checkRun(client, fn.flags, roCommand, false);
    const { api, L } = this;
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.globalsRef));
    api._lua_pushnil(L);
    this.lua.setField(L, -2, 'KEYS');
    api._lua_pushnil(L);
    this.lua.setField(L, -2, 'ARGV');
    api._lua_settop(L, -2);
    this.start(client, fn.name, false, readOnly, fn.flags, argv, fn.ref, [keys, args]);
  }

  /** Redis' scriptPrepareForRun checks; returns whether the run is read-only. */
  private checkRun(client: Client, flags: number, roCommand: boolean, isEval: boolean): boolean {
    if (flags & FLAG_EVAL_COMPAT) return roCommand;
    if ((flags & FLAG_NO_CLUSTER) && this.server.cluster !== undefined) throw new CommandError("ERR Can not run script on cluster, 'no-cluster' flag is set.");
    if (roCommand && !(flags & FLAG_NO_WRITES)) throw new CommandError('ERR Can not execute a script with write flag using *_ro command.');
    const mayWrite = !(flags & FLAG_NO_WRITES);
    if (mayWrite && !(flags & FLAG_ALLOW_OOM) && !this.server.makeRoomFor(client)) {
      throw new CommandError("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
    }
    void isEval;
    return !mayWrite;
  }

  /** Pushes items[from, to) as a Lua array. */
  private pushArray(l: number, items: string[], from = 0, to = items.length): void {
    this.api._lua_createtable(l, to - from, 0);
    for (let i = from; i < to; i++) {
      this.lua.pushString(l, items[i]);
      this.api._lua_rawseti(l, -2, big(i - from + 1));
    }
  }

  private start(
    client: Client, name: string, isEval: boolean, readOnly: boolean, flags: number, argv: string[], ref: number,
    fargs: [string[], string[]] | undefined,
  ): void {
    const { api, T } = this;
    const fake = this.fake;
    fake.db = client.db;
    fake.user = client.user;
    fake.reply.rollback(0);
    const now = performance.now();
    const run: Run = {
      client,
      fake,
      name,
      isEval,
      readOnly,
      flags,
      argv,
      wallStart: Date.now(),
      resp: 2,
      wrote: false,
      start: now,
      sliceStart: now,
      timedOut: false,
      killed: false,
    };
    this.current = run;
    api._lua_settop(T, 0);
    api._lua_rawgeti(T, LUA_REGISTRYINDEX, big(ref));
    let nargs = 1;
    if (fargs) {
      this.pushArray(T, fargs[0]);
      this.pushArray(T, fargs[1]);
      nargs = 3;
    }
    // nargs counts the function itself: lua_resume gets nargs - 1 arguments.
    const status = api._lua_resume(T, this.L, nargs - 1, this.nres);
    this.settle(run, status);
  }

  /** After lua_resume returned: a reply, or (yielded by the time-limit hook) wait for the event loop. */
  private settle(run: Run, status: number): void {
    const { api, T } = this;
    const client = run.client;
    if (status === LUA_YIELD && run.timedOut) {
      if (!client.blocked) {
        this.server.block(client, { keys: [], db: client.db, deadline: 0, tryServe: () => false, onTimeout: () => undefined });
      }
      setImmediate(() => this.resume(run));
      return;
    }
    const out = client.reply;
    if (status === LUA_OK) {
      if (api._lua_gettop(T) >= 1) this.writeValue(T, 1, out, run.resp, 0);
      else out.nil();
      api._lua_settop(T, 0);
    } else {
      const L = this.L;
      api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.errinfoRef));
      api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.threadRef));
      if (status === LUA_YIELD) this.lua.pushString(L, 'attempt to yield across a C-call boundary');
      else api._lua_xmove(T, L, 1);
      if (api._lua_pcallk(L, 2, 1, 0, 0, 0) === LUA_OK) {
        this.writeError(run, L, -1, out);
      } else {
        const e = `ERR Error running script (call to ${run.isEval ? 'f_' : ''}${run.name}): @user_script:0: ${this.lua.toString(L, -1)}`;
        out.error(e);
        this.server.countError(e);
      }
      api._lua_settop(L, -2);
      this.T = this.newThread();
    }
    this.finish(run);
  }

  private writeError(run: Run, l: number, idx: number, out: Reply): void {
    const { api, lua } = this;
    let msg = 'ERR unknown error';
    let source: string | undefined;
    let line: string | undefined;
    idx = api._lua_absindex(l, idx);
    if (api._lua_type(l, idx) === T_TABLE) {
      if (this.rawField(l, idx, 'err') === T_STRING) msg = lua.toString(l, -1);
      api._lua_settop(l, -2);
      if (this.rawField(l, idx, 'source') === T_STRING) source = lua.toString(l, -1);
      api._lua_settop(l, -2);
      if (this.rawField(l, idx, 'line') === T_NUMBER) line = String(this.toInt64(l, -1));
      api._lua_settop(l, -2);
    } else if (api._lua_type(l, idx) === T_STRING) {
      msg = `ERR ${lua.toString(l, idx)}`;
    }
    let text = luaErrorAs51(msg);
    if (source !== undefined && line !== undefined) text += ` script: ${run.name}, on ${source}:${line}.`;
    out.error(text);
    this.server.countError(text);
  }

  private resume(run: Run): void {
    if (this.current !== run) return;
    if (this.server.shuttingDown) {
      // SHUTDOWN NOSAVE while busy: abandon the script so the process can exit.
      this.current = undefined;
      this.server.busyError = undefined;
      this.T = this.newThread();
      return;
    }
    run.sliceStart = performance.now();
    const status = this.api._lua_resume(this.T, this.L, 0, this.nres);
    this.settle(run, status);
  }

  private finish(run: Run): void {
    this.current = undefined;
    run.fake.reply.rollback(0);
    if (run.timedOut) {
      this.server.busyError = undefined;
      const client = run.client;
      if (client.blocked) this.server.unblock(client, false);
    }
  }

  /** The count hook: checks the time limit; past it, answers BUSY to others by yielding to the event loop. */
  private hook(l: number): void {
    const run = this.current;
    if (!run) return;
    if (run.killed) {
      this.api._lua_sethook(l, this.hookPtr, LUA_MASKCOUNT, 1);
      this.lua.raiseTable(l, 'ERR Script killed by user with SCRIPT KILL...');
    }
    const now = performance.now();
    if (!run.timedOut) {
      if (now - run.start < this.timeLimit) return;
      run.timedOut = true;
      this.server.log.warning(`Slow script detected: still in execution after ${Math.round(now - run.start)} milliseconds. `
        + `You can try killing the script using the ${run.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.name}.`);
      const busy = run.isEval ? BUSY_SCRIPT : BUSY_FUNCTION;
      this.server.busyError = (_c, spec, argv) => {
        if (ALLOW_BUSY.has(spec.name) || spec.flags.includes('allow-busy')) return undefined;
        if (spec.name === 'shutdown' && argv.some((a) => a.toLowerCase() === 'nosave')) return undefined;
        return busy;
      };
    }
    if (l === this.T && now - run.sliceStart >= SLICE_MS && this.api._lua_isyieldable(l)) {
      this.api._lua_yieldk(l, 0, 0, 0);
    }
  }

  /** SCRIPT KILL / FUNCTION KILL. */
  public kill(isEval: boolean): void {
    const run = this.current;
    if (!run || !run.timedOut) throw new CommandError('NOTBUSY No scripts in execution right now.');
    if (isEval && !run.isEval) throw new CommandError(BUSY_FUNCTION);
    if (!isEval && run.isEval) throw new CommandError(BUSY_SCRIPT);
    if (run.wrote) {
      throw new CommandError('UNKILLABLE Sorry the script already executed write commands against the dataset. '
        + 'You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.');
    }
    run.killed = true;
  }

  // ---------------------------------------------------------------- FUNCTION libraries

  /** FUNCTION LOAD: compiles and runs a library's code; returns its name. Throws CommandError. */
  public loadLibrary(code: string, replace: boolean): string {
    const { name, body } = parseLibraryMeta(code);
    if (!NAME_RE.test(name)) throw new CommandError('ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
    const old = this.libraries.get(name);
    if (old && !replace) throw new CommandError(`ERR Library '${name}' already exists`);
    const { api, lua, L } = this;
    const err = lua.load(L, body, '@user_function');
    if (err !== undefined) throw new CommandError(`ERR Error compiling function: ${compileErrorAs51(err)}`);
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.fenvRef));
    api._lua_setupvalue(L, -2, 1);
    const lib: Library = { name, code, functions: new Map() };
    this.setLibraryMode(true);
    this.loading = lib;
    const status = api._lua_pcallk(L, 0, 0, 0, 0, 0);
    this.loading = undefined;
    this.setLibraryMode(false);
    const dropNew = () => {
      for (const f of lib.functions.values()) api._luaL_unref(L, LUA_REGISTRYINDEX, f.ref);
    };
    if (status !== LUA_OK) {
      let msg: string;
      if (api._lua_type(L, -1) === T_TABLE) {
        lua.getField(L, -1, 'err');
        msg = lua.toString(L, -1);
        api._lua_settop(L, -2);
      } else {
        msg = `ERR ${lua.toString(L, -1)}`;
      }
      api._lua_settop(L, -2);
      dropNew();
      throw new CommandError(`ERR Error registering functions: ${luaErrorAs51(msg)}`);
    }
    if (lib.functions.size === 0) {
      dropNew();
      throw new CommandError('ERR No functions registered');
    }
    for (const f of lib.functions.keys()) {
      const other = this.functions.get(f);
      if (other && other.library.name !== name) {
        dropNew();
        throw new CommandError(`ERR Function ${f} already exists`);
      }
    }
    if (old) this.deleteLibrary(name);
    this.libraries.set(name, lib);
    for (const f of lib.functions.values()) this.functions.set(f.name, f);
    return name;
  }

  public deleteLibrary(name: string): boolean {
    const lib = this.libraries.get(name);
    if (!lib) return false;
    for (const f of lib.functions.values()) {
      this.functions.delete(f.name);
      this.api._luaL_unref(this.L, LUA_REGISTRYINDEX, f.ref);
    }
    this.libraries.delete(name);
    return true;
  }

  public flushLibraries(): void {
    for (const name of [...this.libraries.keys()]) this.deleteLibrary(name);
  }

  private setLibraryMode(loading: boolean): void {
    const { api, L } = this;
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.libModeRef));
    api._lua_pushboolean(L, loading ? 1 : 0);
    api._lua_rawgeti(L, LUA_REGISTRYINDEX, big(this.loadApiRef));
    api._lua_callk(L, 2, 0, 0, 0);
  }

  /** redis.register_function(name, callback) or redis.register_function{function_name=..., callback=..., flags=..., description=...}. */
  private registerFunction(l: number): number {
    const { api, lua } = this;
    const lib = this.loading;
    if (!lib) return lua.raiseTable(l, 'ERR redis.register_function can only be called on FUNCTION LOAD command');
    const n = api._lua_gettop(l);
    let name: string | undefined;
    let description: string | null = null;
    let flags = 0;
    let cbIndex = 0;
    if (n === 1) {
      if (api._lua_type(l, 1) !== T_TABLE) {
        lua.raiseTable(l, 'ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      }
      api._lua_pushnil(l);
      while (api._lua_next(l, 1)) {
        const key = api._lua_type(l, -2) === T_STRING ? lua.toString(l, -2) : '';
        const vt = api._lua_type(l, -1);
        if (key === 'function_name') {
          if (vt !== T_STRING) lua.raiseTable(l, 'ERR function_name argument given to redis.register_function must be a string');
          name = lua.toString(l, -1);
        } else if (key === 'description') {
          if (vt !== T_STRING) lua.raiseTable(l, 'ERR description argument given to redis.register_function must be a string');
          description = lua.toString(l, -1);
        } else if (key === 'callback') {
          if (vt !== 6) lua.raiseTable(l, 'ERR callback argument given to redis.register_function must be a function');
          cbIndex = 1;
        } else if (key === 'flags') {
          if (vt !== T_TABLE) lua.raiseTable(l, 'ERR flags argument to redis.register_function must be a table representing function flags');
          flags = this.readFlags(l, api._lua_gettop(l));
        } else {
          lua.raiseTable(l, 'ERR unknown argument given to redis.register_function');
        }
        api._lua_settop(l, -2);
      }
      if (name === undefined) lua.raiseTable(l, 'ERR redis.register_function must get a function name argument');
      if (cbIndex === 0) lua.raiseTable(l, 'ERR redis.register_function must get a callback argument');
      this.rawField(l, 1, 'callback');
    } else if (n === 2) {
      if (api._lua_type(l, 1) !== T_STRING) lua.raiseTable(l, 'ERR first argument to redis.register_function must be a string');
      if (api._lua_type(l, 2) !== 6) lua.raiseTable(l, 'ERR second argument to redis.register_function must be a function');
      name = lua.toString(l, 1);
      api._lua_pushvalue(l, 2);
    } else {
      lua.raiseTable(l, 'ERR wrong number of arguments to redis.register_function');
    }
    if (!NAME_RE.test(name!)) {
      // Redis 7.0.15 says "Library names" here too (its text for function names is the library one).
      lua.raiseTable(l, 'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
    }
    if (lib.functions.has(name!)) lua.raiseTable(l, 'ERR Function already exists in the library');
    const ref = api._luaL_ref(l, LUA_REGISTRYINDEX);
    lib.functions.set(name!, { name: name!, ref, flags, description, library: lib });
    return 0;
  }

  private readFlags(l: number, t: number): number {
    const { api, lua } = this;
    let flags = 0;
    api._lua_pushnil(l);
    while (api._lua_next(l, t)) {
      const f = api._lua_type(l, -1) === T_STRING ? lua.toString(l, -1) : '';
      const def = FLAG_NAMES.find(([s]) => s === f);
      if (!def) return lua.raiseTable(l, 'ERR unknown flag given');
      flags |= def[1];
      api._lua_settop(l, -2);
    }
    return flags;
  }
}

/** EVAL's `#!lua flags=a,b` first line: its flags and how many characters to skip (the line, not its newline). */
export function parseEvalShebang(body: string): { flags: number; skip: number } {
  if (!body.startsWith('#!')) return { flags: FLAG_EVAL_COMPAT, skip: 0 };
  const nl = body.indexOf('\n');
  const line = nl < 0 ? body : body.slice(0, nl);
  const parts = line.split(' ').filter((p) => p.length > 0);
  if (parts[0] !== '#!lua') throw new CommandError(`ERR Unexpected engine in script shebang: ${parts[0]}`);
  let flags = 0;
  for (const p of parts.slice(1)) {
    if (!p.startsWith('flags=')) throw new CommandError(`ERR Unknown lua shebang option: ${p}`);
    for (const f of p.slice(6).split(',')) {
      if (f === '') continue;
      const def = FLAG_NAMES.find(([s]) => s === f);
      if (!def) throw new CommandError(`ERR Unexpected flag in script shebang: ${f}`);
      flags |= def[1];
    }
  }
  return { flags, skip: line.length };
}

/** A library's `#!lua name=mylib` metadata line; `body` is the code with that line blanked (line numbers kept). */
export function parseLibraryMeta(code: string): { name: string; body: string } {
  if (!code.startsWith('#!')) throw new CommandError('ERR Missing library metadata');
  const nl = code.indexOf('\n');
  if (nl < 0) throw new CommandError('ERR Invalid library metadata');
  const parts = code.slice(2, nl).replace(/\r$/, '').split(/\s+/).filter((p) => p.length > 0);
  if (parts.length === 0) throw new CommandError('ERR Invalid library metadata');
  const engine = parts[0];
  let name: string | undefined;
  for (const p of parts.slice(1)) {
    if (p.startsWith('name=')) name = p.slice(5);
    else throw new CommandError(`ERR Invalid metadata value given: ${p}`);
  }
  if (name === undefined) throw new CommandError('ERR Library name was not given');
  if (engine.toLowerCase() !== 'lua') throw new CommandError(`ERR Engine '${engine}' not found`);
  return { name, body: code.slice(nl) };
}
