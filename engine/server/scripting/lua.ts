/**
 * The Lua VM behind EVAL and FUNCTION: wasmoon (Lua 5.4 compiled to WebAssembly; the .wasm ships
 * inside the npm package). We use its raw C API (the `_lua_*` exports) rather than its high-level
 * wrapper: no per-call string conversion, binary-safe strings through the heap, and synchronous
 * callbacks from Lua into the node (`redis.call`) as C functions made with `addFunction`.
 *
 * Why wasmoon and not fengari (Lua 5.3 in plain JS): measured on this machine, a trivial
 * `return redis.call('INCR', KEYS[1])` round trip costs ~2.3 µs in wasmoon against ~4.5 µs in
 * fengari, and a CPU-bound loop (1M iterations with table appends) takes 166 ms against 2200 ms.
 * Its only cost is an asynchronous start (~20 ms compiling the .wasm), which `luaReady` covers.
 */
// wasmoon is a bundled dependency of the package (see the engine notes).
import { LuaWasm } from 'wasmoon';
import { latin1 } from '../resp/parser';

/** The raw exports of the wasm module we use (pointers and sizes are numbers, lua_Integer is a bigint). */
export interface LuaApi {
  HEAPU8: Uint8Array;
  addFunction(fn: (...args: number[]) => number | void, sig: string): number;
  _malloc(n: number): number;
  _free(p: number): void;
  _luaL_newstate(): number;
  _luaL_openlibs(L: number): void;
  _luaL_loadbufferx(L: number, buf: number, len: number, name: number, mode: number): number;
  _luaL_ref(L: number, t: number): number;
  _luaL_unref(L: number, t: number, ref: number): void;
  _lua_newthread(L: number): number;
  _lua_resetthread(L: number): number;
  _lua_resume(L: number, from: number, narg: number, nres: number): number;
  _lua_yieldk(L: number, n: number, ctx: number, k: number): number;
  _lua_isyieldable(L: number): number;
  _lua_sethook(L: number, fn: number, mask: number, count: number): void;
  _lua_gettop(L: number): number;
  _lua_settop(L: number, i: number): void;
  _lua_absindex(L: number, i: number): number;
  _lua_checkstack(L: number, n: number): number;
  _lua_pushvalue(L: number, i: number): void;
  _lua_xmove(from: number, to: number, n: number): void;
  _lua_type(L: number, i: number): number;
  _lua_isinteger(L: number, i: number): number;
  _lua_tolstring(L: number, i: number, len: number): number;
  _lua_tonumberx(L: number, i: number, isnum: number): number;
  _lua_tointegerx(L: number, i: number, isnum: number): bigint;
  _lua_toboolean(L: number, i: number): number;
  _lua_pushnil(L: number): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushlstring(L: number, p: number, len: number): number;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushlightuserdata(L: number, p: number): void;
  _lua_pushcclosure(L: number, fn: number, n: number): void;
  _lua_createtable(L: number, narr: number, nrec: number): void;
  _lua_rawgeti(L: number, i: number, n: bigint): number;
  _lua_rawseti(L: number, i: number, n: bigint): void;
  _lua_rawget(L: number, i: number): number;
  _lua_rawset(L: number, i: number): void;
  _lua_getfield(L: number, i: number, k: number): number;
  _lua_setfield(L: number, i: number, k: number): void;
  _lua_setglobal(L: number, k: number): void;
  _lua_getglobal(L: number, k: number): number;
  _lua_next(L: number, i: number): number;
  _lua_rawlen(L: number, i: number): number;
  _lua_error(L: number): number;
  _lua_setupvalue(L: number, f: number, n: number): number;
  _lua_getmetatable(L: number, i: number): number;
  _lua_setmetatable(L: number, i: number): number;
  _lua_rawequal(L: number, a: number, b: number): number;
  _lua_touserdata(L: number, i: number): number;
  _luaL_where(L: number, level: number): void;
  _lua_concat(L: number, n: number): void;
  _lua_callk(L: number, nargs: number, nres: number, ctx: number, k: number): void;
  _lua_pcallk(L: number, nargs: number, nres: number, errf: number, ctx: number, k: number): number;
}

export const LUA_REGISTRYINDEX = -1001000;

/** Small integers as BigInt, made once: wasm i64 parameters (table indexes, registry refs) take BigInts. */
const SMALL_BIGINTS = Array.from({ length: 1024 }, (_, i) => BigInt(i));
/** `n` (an integer) as a BigInt, without an allocation for small ones. */
export function big(n: number): bigint {
  return n >= 0 && n < 1024 ? SMALL_BIGINTS[n] : BigInt(n);
}
export const T_NIL = 0;
export const T_BOOLEAN = 1;
export const T_LIGHTUSERDATA = 2;
export const T_NUMBER = 3;
export const T_STRING = 4;
export const T_TABLE = 5;
export const T_FUNCTION = 6;
export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_MASKCOUNT = 8;

let loadedApi: LuaApi | undefined;

/**
 * wasmoon's module exports each C function through a wrapper that builds two assertion messages
 * (template strings) per call, which costs more than the call itself. We take the raw wasm
 * exports instead: WebAssembly.instantiate is wrapped while the module loads to see the instance.
 */
let rawExports: Record<string, unknown> | undefined;
const wasm = (globalThis as unknown as { WebAssembly: unknown }).WebAssembly as { instantiate: (...a: unknown[]) => Promise<unknown> };
const originalInstantiate = wasm.instantiate;
wasm.instantiate = function instantiate(this: unknown, ...args: unknown[]) {
  return originalInstantiate.apply(this, args).then((r) => {
    const exp = (r as { instance?: { exports?: Record<string, unknown> } }).instance?.exports;
    if (exp && typeof exp.lua_gettop === 'function') rawExports = exp;
    return r;
  });
};

function directApi(module: Record<string, unknown>): LuaApi {
  const exp = rawExports;
  if (!exp) return module as unknown as LuaApi;
  const out: Record<string, unknown> = Object.create(module);
  for (const key of Object.keys(module)) {
    if (key.startsWith('_') && typeof exp[key.slice(1)] === 'function') out[key] = exp[key.slice(1)];
  }
  return out as unknown as LuaApi;
}

/** Resolves when the wasm module is compiled; started when this module is first imported. */
export const luaReady: Promise<void> = LuaWasm.initialize().then((w) => {
  wasm.instantiate = originalInstantiate;
  loadedApi = directApi(w.module as unknown as Record<string, unknown>);
});
// Keep an unhandled failure visible but do not crash the import.
luaReady.catch(() => undefined);

/** The wasm exports, once `luaReady` resolved. */
export function luaApi(): LuaApi | undefined {
  return loadedApi;
}

/**
 * Helpers over one Lua state that move latin1 strings between JS and the wasm heap without
 * UTF-8 conversion, and keep C strings for field names.
 */
export class Lua {
  public readonly L: number;
  private heap: Buffer;
  private scratch = 0;
  private scratchSize = 0;
  private readonly lenPtr: number;
  private readonly cstrings = new Map<string, number>();

  constructor(public readonly api: LuaApi) {
    this.L = this.api._luaL_newstate();
    this.api._luaL_openlibs(this.L);
    this.heap = Buffer.from(this.api.HEAPU8.buffer);
    this.lenPtr = this.api._malloc(8);
    this.ensureScratch(4096);
  }

  /** A Buffer over the wasm memory (re-made when the memory grew). */
  public mem(): Buffer {
    // Growing the wasm memory detaches the old ArrayBuffer, which leaves views over it empty.
    if (this.heap.length === 0) this.heap = Buffer.from(this.api.HEAPU8.buffer);
    return this.heap;
  }

  private ensureScratch(n: number): number {
    if (n > this.scratchSize) {
      if (this.scratch) this.api._free(this.scratch);
      this.scratchSize = Math.max(n, this.scratchSize * 2);
      this.scratch = this.api._malloc(this.scratchSize);
    }
    return this.scratch;
  }

  /** A NUL-terminated C string kept for the life of the state (field and global names). */
  public cstr(s: string): number {
    let p = this.cstrings.get(s);
    if (p === undefined) {
      const b = Buffer.from(`${s}\0`, 'latin1');
      p = this.api._malloc(b.length);
      this.mem().set(b, p);
      this.cstrings.set(s, p);
    }
    return p;
  }

  /** Pushes a latin1 JS string as a Lua string (binary-safe). */
  public pushString(L: number, s: string): void {
    const n = s.length;
    const p = this.ensureScratch(n + 1);
    const m = this.mem();
    // Short strings byte by byte: latin1Write's call into C++ costs more than the copy.
    if (n > 32) m.latin1Write(s, p, n);
    else for (let i = 0; i < n; i++) m[p + i] = s.charCodeAt(i);
    this.api._lua_pushlstring(L, p, n);
  }

  /** Pushes bytes of a Buffer range as a Lua string. */
  public pushBytes(L: number, b: Buffer, start: number, end: number): void {
    const n = end - start;
    const p = this.ensureScratch(n + 1);
    if (n > 0) this.mem().set(b.subarray(start, end), p);
    this.api._lua_pushlstring(L, p, n);
  }

  /** The string at `idx` as latin1 (numbers are converted in place, as lua_tolstring does). */
  public toString(L: number, idx: number): string {
    const p = this.api._lua_tolstring(L, idx, this.lenPtr);
    if (p === 0) return '';
    const m = this.mem();
    const len = m.readUInt32LE(this.lenPtr);
    return latin1(m, p, p + len);
  }

  /** Pushes a JS integer as a Lua integer. */
  public pushInt(L: number, n: number | bigint): void {
    this.api._lua_pushinteger(L, typeof n === 'bigint' ? n : big(n));
  }

  public setField(L: number, idx: number, k: string): void {
    this.api._lua_setfield(L, idx, this.cstr(k));
  }

  public getField(L: number, idx: number, k: string): number {
    return this.api._lua_getfield(L, idx, this.cstr(k));
  }

  /** Registers a JS function as a C function value on the stack. */
  public pushFunction(L: number, fn: (L: number) => number): void {
    this.api._lua_pushcclosure(L, this.api.addFunction(fn, 'ii'), 0);
  }

  /** Compiles `code` as a chunk named `name`; returns undefined (function pushed) or the error text (popped). */
  public load(L: number, code: string, name: string): string | undefined {
    const n = code.length;
    const p = this.api._malloc(n + 1);
    this.mem().latin1Write(code, p, n);
    const status = this.api._luaL_loadbufferx(L, p, n, this.cstr(name), this.cstr('t'));
    this.api._free(p);
    if (status === LUA_OK) return undefined;
    const msg = this.toString(L, -1);
    this.api._lua_settop(L, -2);
    return msg;
  }

  /** Runs a chunk of trusted setup code; throws on error. */
  public run(code: string, name = '=redis', nres = 0): void {
    const L = this.L;
    const err = this.load(L, code, name);
    if (err !== undefined) throw new Error(`lua setup: ${err}`);
    if (this.api._lua_pcallk(L, 0, nres, 0, 0, 0) !== LUA_OK) {
      const msg = this.toString(L, -1);
      this.api._lua_settop(L, -2);
      throw new Error(`lua setup: ${msg}`);
    }
  }

  /** Raises a Lua error with the string `msg` (never returns: longjmps through this JS frame). */
  public raise(L: number, msg: string): never {
    this.pushString(L, msg);
    this.api._lua_error(L);
    throw new Error('unreachable: lua_error returned');
  }

  /** Raises `msg` prefixed with the calling Lua line ("user_script:1: "), as luaL_error does. */
  public raiseWhere(L: number, msg: string): never {
    this.api._luaL_where(L, 1);
    this.pushString(L, msg);
    this.api._lua_concat(L, 2);
    this.api._lua_error(L);
    throw new Error('unreachable: lua_error returned');
  }

  /** Raises a Lua error with the table `{err = msg}`. */
  public raiseTable(L: number, err: string): never {
    this.api._lua_createtable(L, 0, 1);
    this.pushString(L, err);
    this.setField(L, -2, 'err');
    this.api._lua_error(L);
    throw new Error('unreachable: lua_error returned');
  }
}

/** Formats a double like C's `%.<p>g` (Lua 5.1 tostring uses 14 digits, Redis' argument conversion 17). */
export function formatG(n: number, p: number): string {
  if (Number.isNaN(n)) return '-nan'; // x86 produces the negative NaN for 0/0, and glibc prints its sign
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [m, e] = n.toExponential(p - 1).split('e');
  const x = Number(e);
  if (x < -4 || x >= p) {
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    return `${mant}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  }
  let s = n.toFixed(p - 1 - x);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}
