import * as fc from 'fast-check';
import Redis from 'ioredis';
import { Differential } from './differential';
import { RunningNode, startNode, startRedis, waitFor } from './nodes';
import { Resp, RespClient } from './resp-client';

type Cmd = Array<string | number>;
const ev = (script: string, ...rest: Array<string | number>): Cmd => ['EVAL', script, ...rest];

/** Scripts whose replies must equal redis-server 7.0.15's, in order (one shared keyspace). */
const CASES: Cmd[] = [
  // Lua → reply conversions
  ev('return 1', 0),
  ev('return 3.99', 0),
  ev('return -3.7', 0),
  ev('return 1e20', 0),
  ev("return 'hello'", 0),
  ev('return true', 0),
  ev('return false', 0),
  ev('return nil', 0),
  ev('return {1, 2, 3, nil, 4}', 0),
  ev("return {1, 'two', {3, {4, 'five'}}, true, false}", 0),
  ev("return {err = 'MY custom error'}", 0),
  ev("return {ok = 'FINE'}", 0),
  ev("return redis.error_reply('FOO bar')", 0),
  ev("return redis.error_reply('bar')", 0),
  ev("return redis.error_reply('-X y')", 0),
  ev("return redis.status_reply('GOOD')", 0),
  ev('return redis.status_reply(1)', 0),
  ev("return {1, {err = 'inner'}, {ok = 'okk'}}", 0),
  ev('return {}', 0),
  ev('return {a = 1, b = 2}', 0),
  // KEYS / ARGV
  ev('return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}', 2, 'k1', 'k2', 'a1', 'a2'),
  ev('return ARGV', 0, 'x', 'y', 'z'),
  ev('return KEYS', 3, 'a', 'b', 'c'),
  ev('return 1', -1),
  ev('return 1', 2, 'a'),
  ev('return 1', 'x'),
  // redis.call reply → Lua conversions
  ev("redis.call('set', KEYS[1], 'v') return redis.call('get', KEYS[1])", 1, 's1'),
  ev("return redis.call('get', 'missing-key')", 0),
  ev("return type(redis.call('get', 'missing-key'))", 0),
  ev("local r = redis.call('set', 'x1', 'y') return type(r) .. ':' .. r.ok", 0),
  ev("return redis.call('incr', 'counter')", 0),
  ev("return redis.call('incrbyfloat', 'fl', '1.5')", 0),
  ev("redis.call('set', 'n', 3.5) return redis.call('get', 'n')", 0),
  ev("redis.call('set', 'n', 0.1) return redis.call('get', 'n')", 0),
  ev("redis.call('set', 'n', 42) return redis.call('get', 'n')", 0),
  ev("return redis.call('ping')", 0),
  ev("return redis.call('echo', 'bin\\0ary')", 0),
  ev("redis.call('set', KEYS[1], ARGV[1]) return {redis.call('get', KEYS[1]), #ARGV[1], string.byte(ARGV[1], 1, -1)}", 1, 'bin', '\u0000\u00ff\r\n\u0080z'),
  ev("local s = string.rep('ab', 3000000) redis.call('set', 'big', s) return {#redis.call('get', 'big'), redis.call('strlen', 'big')}", 0),
  // errors
  ev('return x', 0),
  ev('x = 1', 0),
  ev('return 1 +', 0),
  ev('return (', 0),
  ev("error('boom')", 0),
  ev("error({err = 'MY err'})", 0),
  ev("return redis.call('nope')", 0),
  ev("return redis.call('incr', 'a', 'b')", 0),
  ev("redis.call('set', 'str', 'abc') return redis.call('incr', 'str')", 0),
  ev("return redis.pcall('incr', 'str')", 0),
  ev("local r = redis.pcall('incr', 'str') return r.err", 0),
  ev("local ok, e = pcall(redis.call, 'nope') return {tostring(ok), e.err}", 0),
  ev("return redis.call('shutdown')", 0),
  ev('return redis.call()', 0),
  ev('return redis.call({})', 0),
  ev("return redis.call('get', {})", 0),
  ev('local t = nil return t.x', 0),
  ev("local function f() return redis.call('nope') end return f()", 0),
  ev('return redis.setresp(4)', 0),
  ev("return redis.sha1hex('')", 0),
  ev("return redis.sha1hex('abc')", 0),
  ev("return redis.log(redis.LOG_WARNING, 'from a script', 1, 2)", 0),
  ev('return redis.log(1)', 0),
  // sandbox and Lua 5.1 names
  ev('return os', 0),
  ev('return io', 0),
  ev("return require('x')", 0),
  ev('return print', 0),
  ev('return dofile', 0),
  ev('return loadfile', 0),
  ev('return type(loadstring) .. type(unpack) .. type(table.getn) .. type(math.pow) .. type(string.gfind) .. type(_G)', 0),
  ev('return {unpack({1, 2, 3})}', 0),
  ev('return table.getn({1, 2, 3})', 0),
  ev("return loadstring('return 7')()", 0),
  ev('return tostring(10 / 2)', 0),
  ev('return tostring(0.1)', 0),
  ev('return tostring(1e20)', 0),
  ev('return math.pow(2, 10)', 0),
  ev('return math.floor(7 / 2)', 0),
  ev("return string.format('%d-%s', 5, 'x')", 0),
  ev('return #KEYS', 0),
  ev('redis.call = nil', 0),
  ev('string.x = 1', 0),
  ev('_G.y = 1', 0),
  ev('return redis.REDIS_VERSION', 0),
  ev('return redis.REDIS_VERSION_NUM', 0),
  // cjson
  ev('return cjson.encode({1, 2, {a = 1.5}})', 0),
  ev('return cjson.encode({})', 0),
  ev("return cjson.encode({name = 'x'})", 0),
  ev("return cjson.encode('a/\"\\\\\\n\\1')", 0),
  ev('return cjson.encode(0.1) .. cjson.encode(1e20) .. cjson.encode(-5) .. cjson.encode(true) .. cjson.encode(nil)', 0),
  ev('return cjson.encode({1, nil, 3})', 0),
  ev("return cjson.decode('[1,2,null,4]')", 0),
  ev("local t = cjson.decode('{\"a\":[1,2.5,true,null],\"b\":\"s\"}') return {t.a[1], t.a[2], tostring(t.a[3]), tostring(t.a[4] == cjson.null), t.b}", 0),
  ev("return cjson.decode('\"\\\\u00e9\\\\u20ac\"')", 0),
  ev("return cjson.encode(cjson.decode('{\"k\":[1,[2,[3]]]}'))", 0),
  ev("return cjson.decode('[1,2')", 0),
  ev("return cjson.decode('{')", 0),
  ev('return cjson.encode(function() end)', 0),
  ev('return cjson.encode(math.huge)', 0),
  // bit
  ev('return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.lshift(1, 4), bit.rshift(-1, 28), bit.arshift(-256, 4)}', 0),
  ev('return {bit.tohex(255), bit.tohex(-1, -4), bit.tobit(2^32 + 5), bit.rol(1, 33), bit.ror(1, 1), bit.bswap(0x12345678)}', 0),
  // RESP3 conversions via setresp, seen from a RESP2 client
  ev("redis.call('set', 'l1', 'ohmytext') redis.call('set', 'l2', 'mynewtext') return redis.call('lcs', 'l1', 'l2', 'idx')", 0),
  ev("redis.setresp(3) local r = redis.call('lcs', 'l1', 'l2', 'idx') return {r.map.len, #r.map.matches, type(r.map)}", 0),
  ev("redis.setresp(3) return redis.call('incrbyfloat', 'fl', '1')", 0),
  ev("redis.setresp(3) return type(redis.call('get', 'missing'))", 0),
  ev('redis.setresp(3) return true', 0),
  ev('redis.setresp(3) return false', 0),
  ev('return {double = 3.14}', 0),
  ev("return {big_number = '123456789012345678901234567890'}", 0),
  ev('return {map = {a = 1}}', 0),
  ev('return {set = {a = true}}', 0),
  // shebang flags
  ev('#!lua flags=no-writes\nreturn redis.call(\'set\', \'a\', \'b\')', 0),
  ev('#!lua flags=no-writes\nreturn redis.call(\'get\', \'s1\')', 0),
  ev('#!lua flags=bad\nreturn 1', 0),
  ev('#!foo\nreturn 1', 0),
  ev('#!lua x=1\nreturn 1', 0),
  ev('#!lua\nreturn 2', 0),
  ['EVAL_RO', "return redis.call('set', 'a', 'b')", 0],
  ['EVAL_RO', "return redis.call('get', 's1')", 0],
  ['EVAL_RO', '#!lua\nreturn 1', 0],
  // write after a nondeterministic command is fine in 7.0
  ev("redis.call('time') redis.call('set', 'after-time', '1') return redis.call('get', 'after-time')", 0),
  ev("redis.call('select', 1) redis.call('set', 'in-db1', 'x') return redis.call('dbsize')", 0),
  ['GET', 'in-db1'],
];

/** FUNCTION LIST orders libraries and functions by hash order: compare them sorted. */
function sortFunctionList(cmd: string[], r: Resp): Resp {
  if (cmd[0] !== 'FUNCTION' || cmd[1] !== 'LIST' || !Array.isArray(r)) return r;
  const key = (x: Resp) => JSON.stringify(x);
  return r.map((lib) => {
    if (!Array.isArray(lib)) return lib;
    const out = [...lib];
    const i = out.indexOf('functions');
    if (i >= 0 && Array.isArray(out[i + 1])) out[i + 1] = [...(out[i + 1] as Resp[])].sort((x, y) => (key(x) < key(y) ? -1 : 1));
    return out;
  }).sort((x, y) => (key(x) < key(y) ? -1 : 1));
}

/** Maps built from Lua tables come in hash order (Lua 5.1's and 5.4's differ): compare them sorted. */
function sortMaps(_cmd: string[], r: Resp): Resp {
  if (Array.isArray(r)) return r.map((x) => sortMaps(_cmd, x));
  if (r && typeof r === 'object' && 'map' in r) {
    const pairs = r.map.map(([k, v]) => [sortMaps(_cmd, k), sortMaps(_cmd, v)] as [Resp, Resp]);
    return { map: pairs.sort((x, y) => (JSON.stringify(x[0]) < JSON.stringify(y[0]) ? -1 : 1)) };
  }
  return r;
}

describe('scripting, compared with redis-server 7.0.15', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start();
  }, 30000);
  afterAll(async () => {
    await d?.stop();
  });

  test('EVAL replies, conversions and errors', async () => {
    if (!d) return;
    await d.check(CASES);
  });

  test('randomized Lua values: reply conversion and cjson round trips (seeded)', async () => {
    if (!d) return;
    const diff = d;
    // Lua expressions for values Redis converts deterministically (no hash-ordered tables).
    const str = fc.string({ maxLength: 8 }).map((x) => `'${x.replace(/[^a-zA-Z0-9 _.-]/g, '')}'`);
    const num = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }).map(String), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => `(${x})`));
    const leaf = fc.oneof(str, num, fc.constantFrom('true', 'false', "{ok = 'FINE'}", "{err = 'ERR bad'}"));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array')),
      array: fc.array(tie('value'), { maxLength: 4 }).map((xs) => `{${xs.join(', ')}}`),
    }));
    const jsonable = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, str, fc.integer({ min: -1e6, max: 1e6 }).map(String), fc.constantFrom('true', 'false', '1.5', '-0.25'), tie('arr')),
      arr: fc.array(tie('v'), { minLength: 1, maxLength: 4 }).map((xs) => `{${xs.join(', ')}}`),
    })).v;
    await fc.assert(fc.asyncProperty(value, jsonable, async (expr, j) => {
      await diff.check([
        ev(`return ${expr}`, 0),
        ev(`return cjson.encode(${j})`, 0),
        ev(`return cjson.decode(cjson.encode(${j}))`, 0),
        ev(`return cjson.encode(cjson.decode(cjson.encode(${j})))`, 0),
      ]);
    }), { seed: 20261126, numRuns: 150 });
  }, 60000);

  test('RESP3 client: conversions both ways', async () => {
    if (!d) return;
    await d.check([
      ['HELLO', '3'],
    ], () => null);
    await d.check([
      ev("redis.setresp(3) return redis.call('lcs', 'l1', 'l2', 'idx')", 0),
      ev("return redis.call('lcs', 'l1', 'l2', 'idx')", 0),
      ev('redis.setresp(3) return true', 0),
      ev('redis.setresp(3) return false', 0),
      ev('return true', 0),
      ev('return false', 0),
      ev('return nil', 0),
      ev('return {double = 3.5}', 0),
      ev("return {big_number = '1234567890123456789012'}", 0),
      ev('return {map = {a = 1}}', 0),
      ev('return {set = {a = true}}', 0),
      ev("redis.setresp(3) return redis.call('get', 'missing')", 0),
      ev("redis.setresp(3) local r = redis.call('incrbyfloat', 'fl3', '2.5') return r", 0),
    ], sortMaps);
    await d.check([['HELLO', '2']], () => null);
  });

  test('EVALSHA, SCRIPT LOAD / EXISTS / FLUSH', async () => {
    if (!d) return;
    const body = "return 'cached ' .. ARGV[1]";
    const sha = '7a84e75b7b3abf2b98c8327cfd3d3f4d5fa0e8f8';
    await d.check([
      ['SCRIPT', 'FLUSH'],
      ['EVALSHA', sha, 0, 'x'],
      ['SCRIPT', 'LOAD', body],
      ['SCRIPT', 'EXISTS', sha, 'ffffffffffffffffffffffffffffffffffffffff'],
      ['EVALSHA', sha, 0, 'x'],
      ['EVALSHA', sha.toUpperCase(), 0, 'y'],
      ['EVALSHA_RO', sha, 0, 'z'],
      ['EVALSHA', 'short', 0],
      ['SCRIPT', 'LOAD', 'return ('],
      ['SCRIPT', 'FLUSH', 'ASYNC'],
      ['SCRIPT', 'EXISTS', sha],
      ['SCRIPT', 'FLUSH', 'SYNC'],
      ['SCRIPT', 'FLUSH', 'BAD'],
      ['EVAL', body, 0, 'w'],
      ['SCRIPT', 'EXISTS', sha],
      ['SCRIPT', 'KILL'],
      ['SCRIPT', 'HELP'],
      ['SCRIPT', 'NOPE'],
      ['SCRIPT', 'EXISTS'],
    ]);
  });

  test('FUNCTION LOAD / LIST / FCALL / DELETE / FLUSH / STATS', async () => {
    if (!d) return;
    const lib1 = "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return redis.call('incr', keys[1]) end)\n"
      + "redis.register_function{function_name = 'ro1', callback = function(keys, args) return args[1] end, flags = {'no-writes'}, description = 'echo'}";
    await d.check([
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', lib1],
      ['FUNCTION', 'LOAD', lib1],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'LIST', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'lib*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'nomatch*'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME'],
      ['FUNCTION', 'LIST', 'foo'],
      ['FCALL', 'f1', 1, 'fk'],
      ['FCALL', 'f1', 1, 'fk'],
      ['FCALL', 'ro1', 0, 'hello'],
      ['FCALL_RO', 'ro1', 0, 'hello'],
      ['FCALL_RO', 'f1', 1, 'fk'],
      ['FCALL', 'nope', 0],
      ['FCALL', 'f1', 0],
      ['FCALL', 'f1', 5, 'a'],
      ['FUNCTION', 'LOAD', 'REPLACE', lib1],
      ['FUNCTION', 'LOAD', "#!lua name=lib2\nerror('boom')"],
      ['FUNCTION', 'LOAD', "#!lua name=lib3\nredis.register_function('f1', function() end)"],
      ['FUNCTION', 'LOAD', '#!lua name=lib4\nreturn 1'],
      ['FUNCTION', 'LOAD', "#!lua name=lib5\nredis.call('ping')"],
      ['FUNCTION', 'LOAD', '#!lua name=lib6\nx=('],
      ['FUNCTION', 'LOAD', 'no shebang'],
      ['FUNCTION', 'LOAD', '#!lua'],
      ['FUNCTION', 'LOAD', '#!lua name=a foo=b\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!lua\nreturn 1'],
      ['FUNCTION', 'LOAD', '#!js name=x\nreturn 1'],
      ['FUNCTION', 'LOAD', "#!lua name=bad-name\nredis.register_function('g', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=lib7\nredis.register_function('bad-fn', function() end)"],
      ['FUNCTION', 'LOAD', "#!lua name=lib8\nredis.register_function('g')"],
      ['FUNCTION', 'LOAD', "#!lua name=lib9\nredis.register_function{function_name = 'g', callback = function() end, flags = {'nope'}}"],
      ['FUNCTION', 'LOAD', "#!lua name=lib10\nredis.register_function{function_name = 'g', callback = function() end, other = 1}"],
      ['FUNCTION', 'LOAD', "#!lua name=lib11\nlocal function h(keys, args) error('inside') end\nredis.register_function('h', h)"],
      ['FCALL', 'h', 0],
      ['FUNCTION', 'STATS'],
      ['FUNCTION', 'DELETE', 'lib11'],
      ['FUNCTION', 'DELETE', 'lib11'],
      ['FCALL', 'h', 0],
      ['FUNCTION', 'FLUSH', 'bad'],
      ['FUNCTION', 'FLUSH', 'ASYNC'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'HELP'],
      ['EVAL', "return redis.register_function('x', function() end)", 0],
    ], sortFunctionList);
  });
});

/** Starts a long script on `a`, waits until `b` sees BUSY; returns the pending reply of `a`. */
async function startBusy(a: RespClient, b: RespClient, script: string): Promise<{ pending: Promise<Resp> }> {
  const pending = a.call('EVAL', script, 0);
  let last: Resp = null;
  await waitFor(async () => {
    last = await b.call('PING');
    return typeof last === 'object' && last !== null && 'error' in last;
  }, 'BUSY from the second connection');
  expect(last).toEqual({ error: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.' });
  return { pending };
}

describe('script time limit: BUSY, SCRIPT KILL, UNKILLABLE', () => {
  const servers: Array<[string, () => Promise<RunningNode | undefined>]> = [
    ['ours', () => startNode(['--lua-time-limit', '100'])],
    ['redis', () => startRedis(['--lua-time-limit', '100'])],
  ];
  for (const [which, start] of servers) {
    test(`${which}: a read-only script is killed; other clients get BUSY meanwhile`, async () => {
      const node = await start();
      if (!node) return;
      const a = await RespClient.connect(node.port);
      const b = await RespClient.connect(node.port);
      try {
        expect(await b.call('SCRIPT', 'KILL')).toEqual({ error: 'NOTBUSY No scripts in execution right now.' });
        const { pending } = await startBusy(a, b, "local i = 0 while true do i = i + 1 redis.call('get', 'k') end");
        expect(await b.call('GET', 'k')).toEqual({ error: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.' });
        // A connection opened while the script runs is served too.
        const c = await RespClient.connect(node.port);
        expect(await c.call('PING')).toEqual({ error: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.' });
        c.close();
        expect(await b.call('SCRIPT', 'KILL')).toEqual({ simple: 'OK' });
        const killed = await pending;
        expect(killed).toEqual({ error: expect.stringMatching(/^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/) });
        expect(await b.call('PING')).toEqual({ simple: 'PONG' });
        expect(await a.call('PING')).toEqual({ simple: 'PONG' });
      } finally {
        a.close();
        b.close();
        await node.stop();
      }
    }, 30000);

    test(`${which}: a script that wrote is UNKILLABLE; SHUTDOWN NOSAVE ends the node`, async () => {
      const node = await start();
      if (!node) return;
      const a = await RespClient.connect(node.port);
      const b = await RespClient.connect(node.port);
      try {
        const { pending } = await startBusy(a, b, "redis.call('set', 'w', '1') while true do end");
        pending.catch(() => undefined);
        expect(await b.call('SCRIPT', 'KILL')).toEqual({
          error: 'UNKILLABLE Sorry the script already executed write commands against the dataset. '
            + 'You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
        });
        void b.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
        await b.waitClosed();
      } finally {
        a.close();
        b.close();
        await node.stop();
      }
    }, 30000);
  }
});

describe('clients', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  test('ioredis eval, evalsha and defineCommand', async () => {
    const r = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    await r.connect();
    try {
      expect(await r.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, 'io-k', 'v1')).toBe('OK');
      expect(await r.eval('return {KEYS[1], ARGV[1], 7}', 1, 'kk', 'aa')).toEqual(['kk', 'aa', 7]);
      r.defineCommand('addTwo', { numberOfKeys: 1, lua: "return redis.call('incrby', KEYS[1], 2)" });
      const rr = r as unknown as { addTwo(k: string): Promise<number> };
      expect(await rr.addTwo('io-counter')).toBe(2);
      expect(await rr.addTwo('io-counter')).toBe(4);
      await expect(r.eval("return redis.call('nope')", 0)).rejects.toThrow(/Unknown Redis command called from script/);
      await r.function('LOAD', 'REPLACE', "#!lua name=iolib\nredis.register_function('io_hello', function(keys, args) return 'hi ' .. args[1] end)");
      expect(await r.fcall('io_hello', 0, 'there')).toBe('hi there');
    } finally {
      r.disconnect();
    }
  });

  test('a long CPU-bound script runs at a useful speed', async () => {
    const c = await RespClient.connect(node.port);
    const t0 = Date.now();
    expect(await c.call('EVAL', 'local s = 0 for i = 1, 3000000 do s = s + i % 7 end return s', 0)).toBe(8999997);
    expect(Date.now() - t0).toBeLessThan(5000);
    c.close();
  });
});
