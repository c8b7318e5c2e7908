// The README's cluster-mode example as a new user runs it: the example app's Leaderboard stack (3 shards x 1
// replica, TLS, RBAC users whose passwords are Secrets Manager secrets) deployed with `--secrets`, then the three
// cluster clients and `redis-cli -c` as the example's `app` user through the configuration endpoint. The user's
// access string is enforced: keys outside `board:*` and dangerous commands are refused.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { glideCluster, ioredisCluster, mixedWorkload, nodeRedisCluster, Ops, readBack } from './cluster-clients';
import { cli, ok, tearDown, tempDir } from './control-cli';
import { buildApp } from '../../examples/typescript/app';

jest.setTimeout(300000);

const SECRETS = { 'leaderboard/default-password': 'default-password-0123456789', 'leaderboard/app-password': 'app-password-0123456789' };

describe('the Leaderboard example, deployed as the README says', () => {
  const work = tempDir('leaderboard-');
  const stateDir = path.join(work, 'state');
  const outdir = path.join(work, 'cdk.out');
  const clients: Ops[] = [];
  let cfg = { host: '', port: 0 };
  let caFile = '';

  beforeAll(() => {
    buildApp(outdir).synth();
    fs.writeFileSync(path.join(work, 'secrets.json'), JSON.stringify(SECRETS));
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await tearDown(stateDir, work);
  });

  test('without the secrets, the deploy names the two missing secrets and nothing else', async () => {
    const r = await cli(['deploy', outdir, '--stack', 'Leaderboard', '--state-dir', stateDir]);
    expect(r.code).not.toBe(0);
    const rules = [...r.stderr.matchAll(/\[rule ([A-Z0-9-]+)\]/g)].map((m) => m[1]);
    expect(rules).toEqual(['SPEC-SECRET', 'SPEC-SECRET']);
  });

  test('with --secrets it deploys; the three cluster clients work as the app user', async () => {
    const out = await ok(['deploy', outdir, '--stack', 'Leaderboard', '--secrets', path.join(work, 'secrets.json'), '--state-dir', stateDir]);
    const m = /configuration endpoint: (\S+):(\d+)/.exec(out)!;
    cfg = { host: m[1], port: Number(m[2]) };
    caFile = /trust the CA in (\S+)/.exec(out)![1];
    const conn = { ...cfg, ca: fs.readFileSync(caFile, 'utf8'), username: 'app', password: SECRETS['leaderboard/app-password'] };
    clients.push(ioredisCluster(conn), await nodeRedisCluster(conn), await glideCluster(conn));
    const left: Record<string, string> = {};
    for (const [i, c] of clients.entries()) Object.assign(left, await mixedWorkload(c, `board:c${i}`, 60));
    for (const c of clients) await readBack(c, left);
  });

  test('redis-cli -c follows MOVED as the app user; the access string is enforced', () => {
    const rc = (user: string, pass: string, ...args: string[]) => spawnSync('redis-cli', ['-c', '--tls', '--cacert', caFile, '-h', cfg.host, '-p', String(cfg.port),
      '--no-auth-warning', '--user', user, '--pass', pass, ...args], { encoding: 'utf8', timeout: 20000 });
    const app = (...args: string[]) => rc('app', SECRETS['leaderboard/app-password'], ...args);
    for (const [who, score] of [['alice', '100'], ['bob', '90'], ['carol', '120']]) expect(app('ZADD', `board:${who}`, score, who).stdout.trim()).toBe('1');
    expect(app('ZADD', 'board:global', '100', 'alice', '120', 'carol').stdout.trim()).toBe('2');
    expect(app('ZREVRANGE', 'board:global', '0', '-1').stdout.trim().split('\n')).toEqual(['carol', 'alice']);
    expect(app('SET', 'elsewhere', 'x').stdout).toMatch(/NOPERM/);
    expect(app('FLUSHALL').stdout).toMatch(/NOPERM/);
    // The example's default user is off: it cannot log in even with its password.
    expect(rc('default', SECRETS['leaderboard/default-password'], 'PING').stdout + rc('default', SECRETS['leaderboard/default-password'], 'PING').stderr).toMatch(/WRONGPASS|invalid|disabled/i);
  });
});
