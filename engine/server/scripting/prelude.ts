/**
 * Lua code run once when a scripting state is made (trusted, with the full standard library): it
 * builds the sandbox scripts see. Redis runs Lua 5.1 with read-only globals; we run Lua 5.4, so:
 * - the Lua 5.1 names scripts use are bridged (unpack, loadstring, table.getn/maxn/foreach(i),
 *   math.pow/mod/log10/ldexp, string.gfind, gcinfo), and `tostring` formats floats as 5.1 does
 *   (`%.14g`, so tostring(10/2) is "5");
 * - os, io, print, require, package, dofile, loadfile, debug, utf8 and warn are not reachable;
 * - scripts get `_ENV` = a proxy whose writes fail ("Attempt to modify a readonly table") and
 *   whose misses fail ("Script attempted to access nonexistent global variable"); library tables
 *   (redis, string, math...) are read-only proxies (pairs works through __pairs).
 * The chunk returns the values the engine keeps in the registry.
 */
export const PRELUDE = String.raw`
local G = _G
local dbg_getinfo = debug.getinfo
local type, tostring0, error, setmetatable, rawset, rawget, next, xpcall, load0 = type, tostring, error, setmetatable, rawset, rawget, next, xpcall, load
local mtype, fmt, floor = math.type, string.format, math.floor

local function tostring(v)
  if mtype(v) == 'float' then return fmt('%.14g', v) end
  return tostring0(v)
end
G.tostring = tostring
G.unpack = table.unpack
table.getn = function(t) return #t end
table.maxn = function(t)
  local m = 0
  for k in next, t do if type(k) == 'number' and k > m then m = k end end
  return m
end
table.foreach = function(t, f)
  for k, v in next, t do local r = f(k, v) if r ~= nil then return r end end
end
table.foreachi = function(t, f)
  for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end
end
table.setn = function() error('setn is obsolete', 2) end
math.pow = function(a, b) return a ^ b end
math.mod = math.fmod
math.log10 = function(x) return math.log(x, 10) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
string.gfind = string.gmatch
G.gcinfo = function() return floor(collectgarbage('count')) end

-- As Redis 7's pcall: an error table with an 'err' string is caught as that string.
local pcall0 = pcall
local function pcall_result(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' and type(rawget(e, 'err')) == 'string' then return false, rawget(e, 'err') end
  return false, e
end
G.pcall = function(f, ...) return pcall_result(pcall0(f, ...)) end

for _, name in ipairs({'print', 'dofile', 'loadfile', 'require', 'package', 'os', 'io', 'debug', 'utf8', 'warn'}) do
  G[name] = nil
end

local function ro_error() error('Attempt to modify a readonly table', 2) end
local function readonly(t)
  return setmetatable({}, { __index = t, __newindex = ro_error, __pairs = function() return next, t, nil end, __len = function() return #t end, __metatable = false })
end

-- Misses on the globals end here.
setmetatable(G, { __index = function(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end })

-- What EVAL scripts see as _ENV.
local ENV = setmetatable({}, { __index = G, __newindex = ro_error, __pairs = function() return next, G, nil end, __metatable = false })
G._G = ENV
G.load = function(chunk, name) return load0(chunk, name, 't', ENV) end
G.loadstring = G.load

for _, name in ipairs({'string', 'table', 'math', 'coroutine', 'redis', 'cjson', 'bit', 'cmsgpack'}) do
  local t = rawget(G, name)
  if t ~= nil then rawset(G, name, readonly(t)) end
end

-- FUNCTION libraries: one _ENV whose lookups go to LOADAPI while a library loads, to G after.
local LOADAPI = setmetatable({}, getmetatable(G))
local FENVMT = { __index = G, __newindex = ro_error, __metatable = false }
local FENV = setmetatable({}, FENVMT)
local function library_mode(loading, api)
  if loading then
    if rawget(LOADAPI, 'redis') == nil then rawset(LOADAPI, 'redis', readonly(setmetatable(api, getmetatable(G)))) end
    FENVMT.__index = LOADAPI
  else
    FENVMT.__index = G
  end
end

-- Scripts run as the body of a coroutine (so the time-limit hook can yield to the event loop);
-- an error leaves the dead coroutine's stack in place, and this finds where it was raised, as
-- Redis' error handler does: the raising function, or the Lua function that called a C function
-- (our global protection, chunk '=prelude', is skipped like C code). String errors become
-- {err = 'ERR ' .. msg}.
local function errinfo(co, err)
  local level = 0
  local i = dbg_getinfo(co, level, 'Sl')
  if i and i.what == 'C' then
    level = level + 1
    i = dbg_getinfo(co, level, 'Sl')
  end
  while i and i.source == '=prelude' do
    level = level + 1
    i = dbg_getinfo(co, level, 'Sl')
  end
  if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  if i then
    err.source = i.source
    err.line = i.currentline
  end
  return err
end

return errinfo, ENV, G, FENV, library_mode
`;
