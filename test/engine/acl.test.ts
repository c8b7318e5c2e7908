import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { Differential } from './differential';
import { RunningNode, startNode } from './nodes';
import { Resp, RespClient } from './resp-client';
import { Denied } from '../../engine/server/acl';
import { command, CommandSpec } from '../../engine/server/commands/command';
import { Config, createServer } from '../../engine/server/index';

/** ACL LOG entries without their time- and connection-specific fields. */
function logShape(r: Resp): Resp {
  if (!Array.isArray(r)) return r;
  return r.map((e) => {
    if (!Array.isArray(e)) return e;
    const out: Resp[] = [];
    for (let i = 0; i < e.length; i += 2) {
      if (e[i] === 'age-seconds' || e[i] === 'client-info') out.push(e[i], typeof e[i + 1]);
      else out.push(e[i], e[i + 1]);
    }
    return out;
  });
}

/**
 * Command rules list single-command exceptions in the server's command-table order (a hash order in
 * Redis); sort those tokens so equal rule sets compare equal.
 */
function rulesOrder(_cmd: string[], r: Resp): Resp {
  const fix = (v: Resp): Resp => {
    if (typeof v === 'string' && /(^|[ (])[-+]@all( |$)/.test(v)) {
      return v.replace(/([-+]@all(?: [-+]@[a-z]+)*)((?: [-+][^@ ()][^ ()]*)+)/g, (_m, cats: string, singles: string) =>
        `${cats}${singles.trim().split(' ').sort().map((x) => ` ${x}`).join('')}`);
    }
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object' && 'map' in v) return { map: v.map.map(([k, x]) => [fix(k), fix(x)] as [Resp, Resp]) };
    return v;
  };
  return fix(r);
}

describe('ACL, differential against redis-server 7.0', () => {
  let d: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  test('SETUSER / GETUSER / LIST shapes and rule normalisation', async () => {
    if (!d) return;
    await d.check([
      ['ACL', 'LIST'],
      ['ACL', 'GETUSER', 'default'],
      ['ACL', 'SETUSER', 'alice', 'on', '>pw', '~foo*', '%R~r*', '%W~w*', '%RW~k', '&ch*', '+get', '+set', '+config|get'],
      ['ACL', 'GETUSER', 'alice'],
      ['ACL', 'SETUSER', 'bob', 'on', 'nopass', 'allkeys', 'allchannels', '+@all', '-config|set', '(~x*', '+get)', '(%W~w', '+set)'],
      ['ACL', 'GETUSER', 'bob'],
      ['ACL', 'SETUSER', 'carol', 'reset', 'on', '#0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', '>x', '<x'],
      ['ACL', 'GETUSER', 'carol'],
      ['ACL', 'SETUSER', 'dave', '+@string', 'skip-sanitize-payload', '~a', '~a', '%R~b', '~b', '&c', '&c'],
      ['ACL', 'GETUSER', 'dave'],
      ['ACL', 'SETUSER', 'dave', 'clearselectors', 'resetkeys', 'resetchannels', '-@all', '+@all', 'resetpass'],
      ['ACL', 'SETUSER', 'erin', '+@all', '-@dangerous'],
      ['ACL', 'SETUSER', 'frank', '+select|0', '+select|1', '%r~lower'],
      ['ACL', 'SETUSER', 'gina', '+get', '-get', '+@all', '-@all'],
      ['ACL', 'SETUSER', 'harry', 'nopass', '>p'],
      ['ACL', 'SETUSER', 'ivan', '>p', 'nopass', 'off', 'on'],
      ['ACL', 'LIST'],
      ['ACL', 'USERS'],
      ['ACL', 'GETUSER', 'nobody'],
      ['ACL', 'DELUSER', 'harry', 'nobody', 'ivan'],
      ['ACL', 'DELUSER', 'default'],
      ['ACL', 'USERS'],
      ['ACL', 'WHOAMI'],
    ], rulesOrder);
  });

  test('SETUSER errors are atomic and worded as Redis words them', async () => {
    if (!d) return;
    await d.check([
      ['ACL', 'SETUSER', 'e', 'foo'],
      ['ACL', 'SETUSER', 'e', '+nosuch'],
      ['ACL', 'SETUSER', 'e', '+@nosuch'],
      ['ACL', 'SETUSER', 'e', '%X~a'],
      ['ACL', 'SETUSER', 'e', '%~a'],
      ['ACL', 'SETUSER', 'e', '('],
      ['ACL', 'SETUSER', 'e', '(~x'],
      ['ACL', 'SETUSER', 'e', '(on)'],
      ['ACL', 'SETUSER', 'e', '(>x)'],
      ['ACL', 'SETUSER', 'e', '#abc'],
      ['ACL', 'SETUSER', 'e', '!0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
      ['ACL', 'SETUSER', 'e', '<nope'],
      ['ACL', 'SETUSER', 'e', '+config|get|x'],
      ['ACL', 'SETUSER', 'e', '-get|x'],
      ['ACL', 'SETUSER', 'e', '+config|nosuch'],
      ['ACL', 'SETUSER', 'e', 'allkeys', '~x'],
      ['ACL', 'SETUSER', 'e', 'allchannels', '&x'],
      ['ACL', 'SETUSER', 'a b'],
      ['ACL', 'USERS'],
      ['ACL', 'GETUSER', 'e'],
    ], rulesOrder);
  });

  test('DRYRUN, CAT, GENPASS, LOAD/SAVE without a file, HELP, LOG', async () => {
    if (!d) return;
    await d.check([
      ['ACL', 'SETUSER', 'al', 'on', '>pw', '~foo*', '%R~r*', '%W~w*', '&ch*', '+get', '+set', '+echo', '+getdel', '+strlen', '(~x*', '+incr)'],
      ['ACL', 'DRYRUN', 'al', 'get', 'foo'],
      ['ACL', 'DRYRUN', 'al', 'get', 'bar'],
      ['ACL', 'DRYRUN', 'al', 'set', 'r1', 'v'],
      ['ACL', 'DRYRUN', 'al', 'get', 'r1'],
      ['ACL', 'DRYRUN', 'al', 'set', 'w1', 'v'],
      ['ACL', 'DRYRUN', 'al', 'set', 'w1', 'v', 'GET'],
      ['ACL', 'DRYRUN', 'al', 'get', 'w1'],
      ['ACL', 'DRYRUN', 'al', 'getdel', 'w1'],
      ['ACL', 'DRYRUN', 'al', 'strlen', 'w1'],
      ['ACL', 'DRYRUN', 'al', 'incr', 'x1'],
      ['ACL', 'DRYRUN', 'al', 'incr', 'foo'],
      ['ACL', 'DRYRUN', 'al', 'incr', 'y'],
      ['ACL', 'DRYRUN', 'al', 'mget', 'foo'],
      ['ACL', 'DRYRUN', 'al', 'config', 'get', 'x'],
      ['ACL', 'DRYRUN', 'al', 'config', 'nosuch'],
      ['ACL', 'DRYRUN', 'al', 'nosuch', 'x'],
      ['ACL', 'DRYRUN', 'al', 'get'],
      ['ACL', 'DRYRUN', 'nobody', 'get', 'x'],
      ['ACL', 'CAT'],
      ['ACL', 'CAT', 'nosuch'],
      ['ACL', 'CAT', 'a', 'b'],
      ['ACL', 'LOG', '1', '2'],
      ['ACL', 'GENPASS', '1', '2'],
      ['ACL', 'GENPASS', '0'],
      ['ACL', 'GENPASS', '5000'],
      ['ACL', 'GENPASS', 'x'],
      ['ACL', 'LOAD'],
      ['ACL', 'SAVE'],
      ['ACL', 'HELP'],
      ['ACL', 'LOG', 'x'],
      ['ACL', 'LOG', 'RESET'],
      ['ACL', 'LOG'],
      ['ACL', 'NOSUCH'],
    ], rulesOrder);
    const [a, b] = await d.both('ACL', 'GENPASS');
    expect(typeof a).toBe('string');
    expect((a as string).length).toBe((b as string).length);
    expect((a as string).length).toBe(64);
    const [x, y] = await d.both('ACL', 'GENPASS', '5');
    expect([(x as string).length, (y as string).length]).toEqual([2, 2]);
  });

  test('denials answer NOPERM, count in INFO and land in ACL LOG with the same shape', async () => {
    if (!d) return;
    await d.both('ACL', 'SETUSER', 'lg', 'on', '>pw', '~k*', '&ch*', '+get', '+set', '+ping', '+getdel');
    await d.both('ACL', 'LOG', 'RESET');
    await d.both('CONFIG', 'RESETSTAT');
    const [ca, cb] = [await RespClient.connect(d.ours.port), await RespClient.connect(d.theirs.port)];
    const both = (...args: string[]) => Promise.all([ca.call(...args), cb.call(...args)]);
    expect(await both('AUTH', 'lg', 'nope')).toEqual([
      { error: 'WRONGPASS invalid username-password pair or user is disabled.' },
      { error: 'WRONGPASS invalid username-password pair or user is disabled.' },
    ]);
    const [ok1, ok2] = await both('AUTH', 'lg', 'pw');
    expect(ok1).toEqual(ok2);
    for (const cmd of [['GET', 'other'], ['SET', 'k1', 'v'], ['GET', 'k1'], ['INCR', 'k1'], ['CONFIG', 'GET', 'port'], ['GETDEL', 'k1'], ['GET', 'other']]) {
      const [x, y] = await both(...cmd);
      expect({ cmd, r: x }).toEqual({ cmd, r: y });
    }
    const [la, lb] = await d.both('ACL', 'LOG');
    expect(logShape(la)).toEqual(logShape(lb));
    expect((la as Resp[]).length).toBe(4);
    // Redis 7.0 has no acl_access_denied_* fields (7.2 added them); ours has them for CloudWatch.
    const info = (r: Resp) => String(r).split('\r\n').filter((l) => l.startsWith('acl_access_denied')).sort();
    const [ia] = await d.both('INFO', 'stats');
    expect(info(ia)).toEqual(['acl_access_denied_auth:1', 'acl_access_denied_channel:0', 'acl_access_denied_cmd:2', 'acl_access_denied_key:2']);
    const [l1a, l1b] = await d.both('ACL', 'LOG', '1');
    expect(logShape(l1a)).toEqual(logShape(l1b));
    ca.close();
    cb.close();
  });

  test('RESP3 shapes of GETUSER and LOG', async () => {
    if (!d) return;
    await d.both('HELLO', '3');
    await d.check([
      ['ACL', 'GETUSER', 'al'],
      ['ACL', 'GETUSER', 'default'],
      ['ACL', 'DRYRUN', 'al', 'get', 'bar'],
      ['ACL', 'DRYRUN', 'al', 'get', 'foo'],
    ], rulesOrder);
    const [la, lb] = await d.both('ACL', 'LOG', '1');
    const shape = (r: Resp) => JSON.stringify(r, (_k, v) => (typeof v === 'object' && v && 'double' in v ? 'double' : v)).replace(/id=[^"]*/g, '');
    expect(shape(la)).toEqual(shape(lb));
    await d.both('HELLO', '2');
  });

  test('command rules are described as an equivalent, minimal rule set', async () => {
    if (!d) return;
    // Single-command exceptions come out in the server's command table order; compare them as sets.
    const cases = [
      ['+@all', '-get', '-set'],
      ['-@all', '+get', '+set', '+incr'],
      ['-@all', '+@string', '-append'],
      ['+@all', '-@string', '+get'],
      ['+@read', '+@write', '-@read'],
      ['+config', '-config|set'],
      ['+config|get', '+config'],
    ];
    for (const [i, rules] of cases.entries()) {
      const [a, b] = await d.both('ACL', 'SETUSER', `r${i}`, ...rules);
      expect(a).toEqual(b);
      const [ga, gb] = await d.both('ACL', 'GETUSER', `r${i}`);
      const cmds = (r: Resp) => {
        const parts = String((r as Resp[])[5]).split(' ');
        return [parts.filter((p) => p.includes('@')), parts.filter((p) => !p.includes('@')).sort()];
      };
      expect({ rules, r: cmds(ga) }).toEqual({ rules, r: cmds(gb) });
    }
  });
});

describe('ACL enforcement on our node', () => {
  let node: RunningNode;
  let dir: string;
  let aclfile: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acl-'));
    aclfile = path.join(dir, 'users.acl');
    fs.writeFileSync(aclfile, 'user default on nopass ~* &* +@all\nuser reader on >rpw ~app:* &news:* -@all +@read +ping +acl|whoami\n');
    node = await startNode(['--aclfile', aclfile]);
  });
  afterAll(async () => {
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the aclfile is loaded at start-up and ioredis logs in as a user', async () => {
    const r = new Redis({ port: node.port, host: '127.0.0.1', username: 'reader', password: 'rpw', lazyConnect: true });
    await r.connect();
    try {
      expect(await r.call('ACL', 'WHOAMI')).toBe('reader');
      expect(await r.get('app:1')).toBeNull();
      await expect(r.set('app:1', 'x')).rejects.toThrow("NOPERM this user has no permissions to run the 'set' command");
      await expect(r.get('other')).rejects.toThrow('NOPERM this user has no permissions to access one of the keys used as arguments');
    } finally {
      r.disconnect();
    }
  });

  test('wrong passwords and disabled users are refused; HELLO AUTH works', async () => {
    const c = await RespClient.connect(node.port);
    expect(await c.call('AUTH', 'reader', 'bad')).toEqual({ error: 'WRONGPASS invalid username-password pair or user is disabled.' });
    expect(await c.call('HELLO', '3', 'AUTH', 'reader', 'rpw')).toHaveProperty('map');
    expect(await c.call('ACL', 'WHOAMI')).toBe('reader');
    const admin = await RespClient.connect(node.port);
    expect(await admin.call('ACL', 'SETUSER', 'off1', 'off', '>p', '+@all')).toEqual({ simple: 'OK' });
    expect(await admin.call('AUTH', 'off1', 'p')).toEqual({ error: 'WRONGPASS invalid username-password pair or user is disabled.' });
    c.close();
    admin.close();
  });

  test('DELUSER disconnects the user\'s clients; SETUSER off does not (Redis 7.0)', async () => {
    const admin = await RespClient.connect(node.port);
    await admin.call('ACL', 'SETUSER', 'tmp', 'on', '>p', '+@all', '~*');
    const c = await RespClient.connect(node.port);
    expect(await c.call('AUTH', 'tmp', 'p')).toEqual({ simple: 'OK' });
    await admin.call('ACL', 'SETUSER', 'tmp', 'off');
    expect(await c.call('PING')).toEqual({ simple: 'PONG' });
    expect(await admin.call('ACL', 'DELUSER', 'tmp')).toBe(1);
    await c.waitClosed();
    admin.close();
  });

  test('requirepass sets the default user\'s password', async () => {
    const admin = await RespClient.connect(node.port);
    expect(await admin.call('CONFIG', 'SET', 'requirepass', 'secret')).toEqual({ simple: 'OK' });
    const c = await RespClient.connect(node.port);
    expect(await c.call('GET', 'x')).toEqual({ error: 'NOAUTH Authentication required.' });
    expect(await c.call('AUTH', 'secret')).toEqual({ simple: 'OK' });
    expect(await c.call('ACL', 'WHOAMI')).toBe('default');
    expect(await admin.call('CONFIG', 'SET', 'requirepass', '')).toEqual({ simple: 'OK' });
    const line = await admin.call('ACL', 'LIST');
    expect((line as string[]).find((l) => l.startsWith('user default'))).toBe('user default on nopass ~* &* +@all');
    c.close();
    admin.close();
  });

  test('ACL SAVE and ACL LOAD use the aclfile; a bad file changes nothing', async () => {
    const admin = await RespClient.connect(node.port);
    await admin.call('ACL', 'SETUSER', 'saved', 'on', '>s', '~s:*', '+get', '(~t:* +set)');
    expect(await admin.call('ACL', 'SAVE')).toEqual({ simple: 'OK' });
    const text = fs.readFileSync(aclfile, 'latin1');
    expect(text).toContain('user saved on #');
    expect(text).toContain('(~t:* resetchannels -@all +set)');
    const reader = await RespClient.connect(node.port);
    expect(await reader.call('AUTH', 'reader', 'rpw')).toEqual({ simple: 'OK' });
    fs.writeFileSync(aclfile, `${text}user broken on foo\n`);
    const lines = text.split('\n').length;
    expect(await admin.call('ACL', 'LOAD')).toEqual({
      error: `ERR ${aclfile}:${lines}: Syntax error. WARNING: ACL errors detected, no change to the previously active ACL rules was performed`,
    });
    expect(await reader.call('PING')).toEqual({ simple: 'PONG' });
    // A file without `reader` removes it and disconnects its clients.
    fs.writeFileSync(aclfile, 'user saved on >s2 ~* +@all\n');
    expect(await admin.call('ACL', 'LOAD')).toEqual({ simple: 'OK' });
    await reader.waitClosed();
    expect(await admin.call('ACL', 'USERS')).toEqual(['default', 'saved']);
    const c = await RespClient.connect(node.port);
    expect(await c.call('AUTH', 'saved', 's2')).toEqual({ simple: 'OK' });
    c.close();
    admin.close();
  });

  test('an aclfile that fails to load stops start-up with the reason', async () => {
    const bad = path.join(dir, 'bad.acl');
    fs.writeFileSync(bad, 'user a on\nnot a user line\n');
    await expect(startNode(['--aclfile', bad])).rejects.toThrow(`Aborting Redis startup because of ACL errors: ${bad}:2 should start with user keyword`);
    await expect(startNode(['--aclfile', path.join(dir, 'missing.acl')])).rejects.toThrow('No such file or directory');
  });
});

describe('ACL channel and key permissions (in process, with pub/sub command specs)', () => {
  const server = createServer(new Config());
  const noop = () => undefined;
  server.commands.register([
    command('publish', 3, 'pubsub loading stale fast', [0, 0, 0], '', noop),
    command('subscribe', -2, 'pubsub noscript loading stale', [0, 0, 0], '', noop),
    command('psubscribe', -2, 'pubsub noscript loading stale', [0, 0, 0], '', noop),
  ]);
  const spec = (n: string): CommandSpec => server.commands.get(n)!;
  const acl = server.acl;

  test('PUBLISH/SUBSCRIBE match channel globs; PSUBSCRIBE patterns must be listed literally', () => {
    const u = acl.setUser('ch', ['on', 'nopass', '+@all', '&news:*', '&exact']);
    expect(acl.permission(u, spec('publish'), ['publish', 'news:1', 'm']).code).toBe(Denied.None);
    expect(acl.permission(u, spec('publish'), ['publish', 'sports', 'm'])).toEqual({ code: Denied.Channel, object: 'sports' });
    expect(acl.permission(u, spec('subscribe'), ['subscribe', 'news:a', 'exact']).code).toBe(Denied.None);
    expect(acl.permission(u, spec('subscribe'), ['subscribe', 'news:a', 'other'])).toEqual({ code: Denied.Channel, object: 'other' });
    expect(acl.permission(u, spec('psubscribe'), ['psubscribe', 'news:*']).code).toBe(Denied.None);
    expect(acl.permission(u, spec('psubscribe'), ['psubscribe', 'news:1*']).code).toBe(Denied.Channel);
    const all = acl.setUser('chall', ['on', 'nopass', '+@all', 'allchannels']);
    expect(acl.permission(all, spec('psubscribe'), ['psubscribe', 'x*']).code).toBe(Denied.None);
  });

  test('the most relevant error wins across selectors (channel > key > command)', () => {
    const u = acl.setUser('sel', ['on', '+get', '~a*', '(+publish &c*)', '(+set ~b*)']);
    expect(acl.permission(u, spec('get'), ['get', 'a1']).code).toBe(Denied.None);
    expect(acl.permission(u, spec('set'), ['set', 'b1', 'v']).code).toBe(Denied.None);
    expect(acl.permission(u, spec('set'), ['set', 'a1', 'v'])).toEqual({ code: Denied.Key, object: 'a1' });
    expect(acl.permission(u, spec('publish'), ['publish', 'd', 'm'])).toEqual({ code: Denied.Channel, object: 'd' });
    expect(acl.permission(u, spec('incr'), ['incr', 'a1'])).toEqual({ code: Denied.Command, object: 'incr' });
  });

  test('read/write key permissions follow the command', () => {
    const u = acl.setUser('rw', ['on', '+@all', '%R~r*', '%W~w*', '~both*']);
    const p = (...argv: string[]) => acl.permission(u, spec(argv[0]), argv).code;
    expect(p('get', 'r1')).toBe(Denied.None);
    expect(p('get', 'w1')).toBe(Denied.Key);
    expect(p('set', 'w1', 'v')).toBe(Denied.None);
    expect(p('set', 'w1', 'v', 'GET')).toBe(Denied.Key);
    expect(p('set', 'r1', 'v')).toBe(Denied.Key);
    expect(p('incr', 'w1')).toBe(Denied.Key);
    expect(p('incr', 'both1')).toBe(Denied.None);
    expect(p('mset', 'w1', 'a', 'both', 'b')).toBe(Denied.None);
    expect(p('mset', 'w1', 'a', 'r1', 'b')).toBe(Denied.Key);
  });

  test('subscribed clients of a user whose channels shrink are disconnected', () => {
    acl.setUser('subber', ['on', 'nopass', '+@all', '&news']);
    const c = server.fakeClient();
    (c as { id: number }).id = 999;
    c.user = 'subber';
    c.channels.add('news');
    server.clients.set(c.id, c);
    acl.setUser('subber', ['&other']);
    expect(server.clients.has(999)).toBe(true);
    acl.setUser('subber', ['resetchannels', '&other']);
    expect(server.clients.has(999)).toBe(false);
  });

  test('denials through check() are counted and logged; unrestricted users skip the check', () => {
    const c = server.fakeClient();
    c.user = 'rw';
    expect(acl.check(c, spec('get'), ['get', 'w1'])).toBe('NOPERM this user has no permissions to access one of the keys used as arguments');
    expect(acl.check(c, spec('get'), ['get', 'w1'])).toBeDefined();
    expect(server.stats.aclDeniedKey).toBe(2);
    expect(acl.log[0]).toMatchObject({ count: 2, reason: 'key', object: 'w1', username: 'rw', context: 'toplevel' });
    c.user = 'default';
    expect(acl.users.get('default')!.unrestricted).toBe(true);
    expect(acl.check(c, spec('get'), ['get', 'w1'])).toBeUndefined();
  });
});
