/**
 * The C libraries Redis bundles with its Lua, written here in TypeScript over the Lua stack:
 * `cjson` (encode/decode as lua-cjson 2.1 does for common data, plus decode_array_with_array_mt
 * and the configuration setters) and `bit` (LuaBitOp). `cmsgpack` and `struct` are not provided.
 */
import { big, formatG, Lua, LUA_REGISTRYINDEX, T_BOOLEAN, T_LIGHTUSERDATA, T_NIL, T_NUMBER, T_STRING, T_TABLE } from './lua';

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** Registers the `cjson` and `bit` globals. */
export function installLibs(lua: Lua): void {
  installCjson(lua);
  installBit(lua);
}

function installCjson(lua: Lua): void {
  const { api, L } = lua;
  let arrayMtRef = 0;
  let decodeWithArrayMt = false;
  let precision = 14;
  const fn = (name: string, f: (l: number) => number) => {
    lua.pushFunction(L, f);
    lua.setField(L, -2, name);
  };

  const escape = (s: string): string => {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) out += '\\"';
      else if (c === 92) out += '\\\\';
      else if (c === 47) out += '\\/';
      else if (c === 10) out += '\\n';
      else if (c === 13) out += '\\r';
      else if (c === 9) out += '\\t';
      else if (c === 8) out += '\\b';
      else if (c === 12) out += '\\f';
      else if (c < 32 || c === 127) out += `\\u${c.toString(16).padStart(4, '0')}`;
      else out += s[i];
    }
    return `${out}"`;
  };

  const number = (l: number, idx: number): string => {
    if (api._lua_isinteger(l, idx)) return String(api._lua_tointegerx(l, idx, 0));
    const d = api._lua_tonumberx(l, idx, 0);
    if (!Number.isFinite(d)) lua.raiseWhere(l, 'Cannot serialise number: must not be NaN or Inf');
    return formatG(d, precision);
  };

  const isArrayMt = (l: number, idx: number): boolean => {
    if (!arrayMtRef || !api._lua_getmetatable(l, idx)) return false;
    api._lua_rawgeti(l, LUA_REGISTRYINDEX, big(arrayMtRef));
    const same = api._lua_rawequal(l, -1, -2) !== 0;
    api._lua_settop(l, -3);
    return same;
  };

  const encode = (l: number, idx: number, depth: number): string => {
    idx = api._lua_absindex(l, idx);
    const t = api._lua_type(l, idx);
    switch (t) {
      case T_STRING: return escape(lua.toString(l, idx));
      case T_NUMBER: return number(l, idx);
      case T_BOOLEAN: return api._lua_toboolean(l, idx) ? 'true' : 'false';
      case T_NIL: return 'null';
      case T_LIGHTUSERDATA:
        if (api._lua_touserdata(l, idx) === 0) return 'null';
        break;
      case T_TABLE: {
        if (depth > 1000) lua.raiseWhere(l, `Cannot serialise, excessive nesting (${depth})`);
        api._lua_checkstack(l, 6);
        // An array when every key is a positive integer (lua-cjson's lua_array_length).
        let max = 0;
        let items = 0;
        let isArray = true;
        api._lua_pushnil(l);
        while (api._lua_next(l, idx)) {
          api._lua_settop(l, -2);
          if (isArray && api._lua_type(l, -1) === T_NUMBER) {
            const k = api._lua_tonumberx(l, -1, 0);
            if (Number.isInteger(k) && k >= 1) {
              if (k > max) max = k;
              items++;
              continue;
            }
          }
          isArray = false;
        }
        if (isArray && max > items * 2 && max > 10) lua.raiseWhere(l, 'Cannot serialise table: excessively sparse array');
        if (isArray && (max > 0 || isArrayMt(l, idx))) {
          const parts: string[] = [];
          for (let i = 1; i <= max; i++) {
            api._lua_rawgeti(l, idx, big(i));
            parts.push(encode(l, -1, depth + 1));
            api._lua_settop(l, -2);
          }
          return `[${parts.join(',')}]`;
        }
        const parts: string[] = [];
        api._lua_pushnil(l);
        while (api._lua_next(l, idx)) {
          const kt = api._lua_type(l, -2);
          let key: string;
          if (kt === T_STRING) key = escape(lua.toString(l, -2));
          else if (kt === T_NUMBER) key = `"${number(l, -2)}"`;
          else lua.raiseWhere(l, 'Cannot serialise table: table key must be a number or string');
          parts.push(`${key}:${encode(l, -1, depth + 1)}`);
          api._lua_settop(l, -2);
        }
        return `{${parts.join(',')}}`;
      }
    }
    return lua.raiseWhere(l, `Cannot serialise ${TYPE_NAMES[t] ?? 'userdata'}: type not supported`);
  };

  api._lua_createtable(L, 0, 16);
  fn('encode', (l) => {
    if (api._lua_gettop(l) !== 1) lua.raiseWhere(l, "bad argument #1 to 'encode' (expected 1 argument)");
    lua.pushString(l, encode(l, 1, 1));
    return 1;
  });
  fn('decode', (l) => {
    if (api._lua_gettop(l) !== 1) lua.raiseWhere(l, "bad argument #1 to 'decode' (expected 1 argument)");
    const t = api._lua_type(l, 1);
    if (t !== T_STRING && t !== T_NUMBER) lua.raiseWhere(l, `bad argument #1 to 'decode' (string expected, got ${TYPE_NAMES[t] ?? 'no value'})`);
    new JsonDecoder(lua, l, lua.toString(l, 1), decodeWithArrayMt ? arrayMtRef : 0).decode();
    return 1;
  });
  fn('decode_array_with_array_mt', (l) => {
    decodeWithArrayMt = api._lua_toboolean(l, 1) !== 0;
    api._lua_pushboolean(l, decodeWithArrayMt ? 1 : 0);
    return 1;
  });
  fn('encode_number_precision', (l) => {
    if (api._lua_type(l, 1) === T_NUMBER) {
      const p = api._lua_tonumberx(l, 1, 0);
      if (!(p >= 1 && p <= 14)) lua.raiseWhere(l, "bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)");
      precision = Math.floor(p);
    }
    lua.pushInt(l, precision);
    return 1;
  });
  // Settings kept for compatibility; they do not change this implementation's behaviour.
  for (const name of ['encode_keep_buffer', 'encode_sparse_array', 'encode_max_depth', 'decode_max_depth', 'encode_invalid_numbers', 'decode_invalid_numbers']) {
    fn(name, (l) => {
      api._lua_settop(l, 1);
      return 1;
    });
  }
  api._lua_pushlightuserdata(L, 0);
  lua.setField(L, -2, 'null');
  api._lua_createtable(L, 0, 0);
  api._lua_pushvalue(L, -1);
  arrayMtRef = api._luaL_ref(L, LUA_REGISTRYINDEX);
  lua.setField(L, -2, 'array_mt');
  lua.pushString(L, 'cjson');
  lua.setField(L, -2, '_NAME');
  lua.pushString(L, '2.1.0');
  lua.setField(L, -2, '_VERSION');
  api._lua_setglobal(L, lua.cstr('cjson'));
}

/** A JSON parser that pushes Lua values (lua-cjson's error texts). */
class JsonDecoder {
  private pos = 0;
  constructor(private readonly lua: Lua, private readonly l: number, private readonly s: string, private readonly arrayMtRef: number) {}

  public decode(): void {
    this.value(1);
    this.ws();
    if (this.pos < this.s.length) this.fail('the end', this.tokenName());
  }

  private ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  private tokenName(): string {
    if (this.pos >= this.s.length) return 'T_END';
    const c = this.s[this.pos];
    const names: Record<string, string> = { '{': "'{'", '}': "'}'", '[': "'['", ']': "']'", ':': "':'", ',': "','", '"': 'string' };
    if (names[c]) return names[c];
    if (/[-0-9]/.test(c)) return 'number';
    if (this.s.startsWith('true', this.pos) || this.s.startsWith('false', this.pos)) return 'boolean';
    if (this.s.startsWith('null', this.pos)) return 'null';
    return 'invalid token';
  }

  private fail(expected: string, found: string): never {
    return this.lua.raiseWhere(this.l, `Expected ${expected} but found ${found} at character ${this.pos + 1}`);
  }

  private value(depth: number): void {
    const { lua, l, s } = this;
    const api = lua.api;
    this.ws();
    if (depth > 1000) lua.raiseWhere(l, `Found too many nested data structures (${depth}) at character ${this.pos + 1}`);
    api._lua_checkstack(l, 4);
    const c = s[this.pos];
    if (c === '{') {
      this.pos++;
      api._lua_createtable(l, 0, 0);
      this.ws();
      if (s[this.pos] === '}') {
        this.pos++;
        return;
      }
      for (;;) {
        this.ws();
        if (s[this.pos] !== '"') this.fail('object key string', this.tokenName());
        lua.pushString(l, this.string());
        this.ws();
        if (s[this.pos] !== ':') this.fail('colon', this.tokenName());
        this.pos++;
        this.value(depth + 1);
        api._lua_rawset(l, -3);
        this.ws();
        if (s[this.pos] === ',') {
          this.pos++;
          continue;
        }
        if (s[this.pos] === '}') {
          this.pos++;
          return;
        }
        this.fail('comma or object end', this.tokenName());
      }
    }
    if (c === '[') {
      this.pos++;
      api._lua_createtable(l, 0, 0);
      if (this.arrayMtRef) {
        api._lua_rawgeti(l, LUA_REGISTRYINDEX, big(this.arrayMtRef));
        api._lua_setmetatable(l, -2);
      }
      this.ws();
      if (s[this.pos] === ']') {
        this.pos++;
        return;
      }
      for (let i = 1; ; i++) {
        this.value(depth + 1);
        api._lua_rawseti(l, -2, big(i));
        this.ws();
        if (s[this.pos] === ',') {
          this.pos++;
          continue;
        }
        if (s[this.pos] === ']') {
          this.pos++;
          return;
        }
        this.fail('comma or array end', this.tokenName());
      }
    }
    if (c === '"') {
      lua.pushString(l, this.string());
      return;
    }
    if (s.startsWith('true', this.pos)) {
      this.pos += 4;
      api._lua_pushboolean(l, 1);
      return;
    }
    if (s.startsWith('false', this.pos)) {
      this.pos += 5;
      api._lua_pushboolean(l, 0);
      return;
    }
    if (s.startsWith('null', this.pos)) {
      this.pos += 4;
      api._lua_pushlightuserdata(l, 0);
      return;
    }
    const m = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(s.slice(this.pos, this.pos + 400));
    if (m) {
      this.pos += m[0].length;
      const text = m[0];
      const v = Number(text);
      if (/^-?\d+$/.test(text) && Number.isSafeInteger(v)) lua.pushInt(l, v);
      else api._lua_pushnumber(l, v);
      return;
    }
    this.fail('value', this.tokenName());
  }

  /** A JSON string at `pos` (on the quote), as latin1 bytes (\u escapes become UTF-8). */
  private string(): string {
    const s = this.s;
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= s.length) {
        this.pos = start;
        this.fail('value', 'invalid token');
      }
      const c = s[this.pos++];
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = s[this.pos++];
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          let cp = parseInt(s.slice(this.pos, this.pos + 4), 16);
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(this.pos, this.pos + 4))) {
            this.pos = start;
            this.fail('value', 'invalid unicode escape code');
          }
          this.pos += 4;
          if (cp >= 0xd800 && cp <= 0xdbff && s[this.pos] === '\\' && s[this.pos + 1] === 'u') {
            const lo = parseInt(s.slice(this.pos + 2, this.pos + 6), 16);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              this.pos += 6;
            }
          }
          out += Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
          break;
        }
        default:
          this.pos = start;
          this.fail('value', 'invalid escape code');
      }
    }
  }
}

function installBit(lua: Lua): void {
  const { api, L } = lua;
  const arg = (l: number, i: number, name: string): number => {
    if (api._lua_type(l, i) !== T_NUMBER) {
      const t = api._lua_type(l, i);
      lua.raiseWhere(l, `bad argument #${i} to '${name}' (number expected, got ${t < 0 ? 'no value' : TYPE_NAMES[t]})`);
    }
    const d = api._lua_tonumberx(l, i, 0);
    // LuaBitOp normalizes with round-to-nearest-even, then keeps the low 32 bits.
    let r = Math.round(d);
    if (Math.abs(d % 1) === 0.5 && r % 2 !== 0) r -= 1;
    return r | 0;
  };
  const ret = (l: number, v: number) => {
    lua.pushInt(l, v | 0);
    return 1;
  };
  api._lua_createtable(L, 0, 12);
  const fn = (name: string, f: (l: number) => number) => {
    lua.pushFunction(L, f);
    lua.setField(L, -2, name);
  };
  const fold = (name: string, op: (a: number, b: number) => number) => fn(name, (l) => {
    let v = arg(l, 1, name);
    const n = api._lua_gettop(l);
    for (let i = 2; i <= n; i++) v = op(v, arg(l, i, name));
    return ret(l, v);
  });
  fn('tobit', (l) => ret(l, arg(l, 1, 'tobit')));
  fn('bnot', (l) => ret(l, ~arg(l, 1, 'bnot')));
  fold('band', (a, b) => a & b);
  fold('bor', (a, b) => a | b);
  fold('bxor', (a, b) => a ^ b);
  fn('lshift', (l) => ret(l, arg(l, 1, 'lshift') << (arg(l, 2, 'lshift') & 31)));
  fn('rshift', (l) => ret(l, arg(l, 1, 'rshift') >>> (arg(l, 2, 'rshift') & 31)));
  fn('arshift', (l) => ret(l, arg(l, 1, 'arshift') >> (arg(l, 2, 'arshift') & 31)));
  fn('rol', (l) => {
    const a = arg(l, 1, 'rol');
    const n = arg(l, 2, 'rol') & 31;
    return ret(l, (a << n) | (a >>> (32 - n)));
  });
  fn('ror', (l) => {
    const a = arg(l, 1, 'ror');
    const n = arg(l, 2, 'ror') & 31;
    return ret(l, (a >>> n) | (a << (32 - n)));
  });
  fn('bswap', (l) => {
    const a = arg(l, 1, 'bswap');
    return ret(l, ((a & 0xff) << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24));
  });
  fn('tohex', (l) => {
    const a = arg(l, 1, 'tohex');
    let n = api._lua_type(l, 2) <= T_NIL ? 8 : arg(l, 2, 'tohex');
    const upper = n < 0;
    if (upper) n = -n;
    if (n > 8) n = 8;
    let s = (a >>> 0).toString(16).padStart(8, '0').slice(8 - n);
    if (upper) s = s.toUpperCase();
    lua.pushString(l, s);
    return 1;
  });
  api._lua_setglobal(L, lua.cstr('bit'));
}
