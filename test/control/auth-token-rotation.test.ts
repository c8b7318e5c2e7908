// AUTH token rotation as ModifyReplicationGroup does it: ROTATE keeps the old token valid besides
// the new one, SET (only after ROTATE, with the token last rotated) leaves only the new one, DELETE
// is refused unless moving to RBAC; a template change of AuthToken rotates (CloudFormation's way).
import * as fs from 'fs';
import * as path from 'path';
import { cli, json, ok, tearDown, tempDir, topology, tryTls } from './control-cli';
import { waitFor } from '../engine/nodes';

const A = 'token-aaaaaaaaaaaaaaaa';
const B = 'token-bbbbbbbbbbbbbbbb';
const C = 'token-cccccccccccccccc';

function template(token: string): string {
  return JSON.stringify({
    Resources: {
      Cache: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: {
          ReplicationGroupId: 'auth',
          ReplicationGroupDescription: 'auth token rotation',
          Engine: 'redis',
          CacheNodeType: 'cache.t4g.micro',
          NumCacheClusters: 2,
          AutomaticFailoverEnabled: true,
          TransitEncryptionEnabled: true,
          AuthToken: token,
          Port: 6441,
        },
      },
    },
  });
}

describe('AUTH token rotation (ROTATE, SET, DELETE; template changes)', () => {
  const work = tempDir('crun-auth-');
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  let ca = '';
  let endpoint = { host: '', port: 0 };

  afterAll(async () => {
    await tearDown(stateDir, work);
  });

  /** 'ok' when a new connection can AUTH with `password` (none: no AUTH) and PING through the primary endpoint, else the error code. */
  function tryToken(password?: string): Promise<string> {
    return tryTls(endpoint, ca, async (c) => {
      if (password !== undefined) await c.call('AUTH', password);
      await c.ping();
    });
  }

  const modify = (...args: string[]) => cli(['modify-replication-group', '--replication-group-id', 'auth', '--apply-immediately', '--state-dir', stateDir, '--output', 'json', ...args]);
  const available = () => waitFor(async () => (await topology(stateDir, 'auth')).status === 'available', 'the group to be available', 20000);

  test('deploy with a token: only that token works', async () => {
    fs.writeFileSync(file, template(A));
    const out = await ok(['deploy', file, '--state-dir', stateDir]);
    ca = fs.readFileSync(/trust the CA in (\S+)/.exec(out)![1], 'utf8');
    endpoint = (await topology(stateDir, 'auth')).primary;
    expect(await tryToken(A)).toBe('ok');
    expect(await tryToken(B)).toBe('WRONGPASS');
    expect(await tryToken()).toBe('NOAUTH');
  });

  test('SET before ROTATE and DELETE without RBAC are refused; bad tokens are refused', async () => {
    expect((await modify('--auth-token', B, '--auth-token-update-strategy', 'SET')).stderr).toMatch(/InvalidParameterCombination.*only after ROTATE/);
    expect((await modify('--auth-token', B, '--auth-token-update-strategy', 'DELETE')).stderr).toMatch(/InvalidParameterCombination.*transitioning to RBAC/);
    expect((await modify('--auth-token', 'short', '--auth-token-update-strategy', 'ROTATE')).stderr).toMatch(/InvalidParameterValue.*16-128/);
    expect((await modify('--auth-token', 'token-with-an-@-sign-inside', '--auth-token-update-strategy', 'ROTATE')).stderr).toMatch(/InvalidParameterValue/);
  });

  test('ROTATE: the old and the new token both work; SET: only the new one', async () => {
    const r = await modify('--auth-token', B, '--auth-token-update-strategy', 'ROTATE');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ReplicationGroup.Status).toBe('modifying');
    await available();
    expect(await tryToken(A)).toBe('ok');
    expect(await tryToken(B)).toBe('ok');
    const described = await json(['describe-replication-groups', '--replication-group-id', 'auth', '--state-dir', stateDir]);
    expect(described.ReplicationGroups[0].AuthTokenEnabled).toBe(true);
    expect(described.ReplicationGroups[0].AuthTokenLastModifiedDate).toBeDefined();

    expect((await modify('--auth-token', A, '--auth-token-update-strategy', 'SET')).stderr).toMatch(/InvalidParameterValue.*last rotated/);
    expect((await modify('--auth-token', B, '--auth-token-update-strategy', 'SET')).code).toBe(0);
    await available();
    expect(await tryToken(A)).toBe('WRONGPASS');
    expect(await tryToken(B)).toBe('ok');
  });

  test('a template change of AuthToken rotates: the previous token keeps working besides the new one', async () => {
    fs.writeFileSync(file, template(C));
    await ok(['deploy', file, '--state-dir', stateDir]);
    expect(await tryToken(B)).toBe('ok');
    expect(await tryToken(C)).toBe('ok');
    expect(await tryToken(A)).toBe('WRONGPASS');
    // Replicas still sync (the control plane's own user is untouched).
    const t = await topology(stateDir, 'auth');
    expect(t.members.map((m) => m.CurrentRole).sort()).toEqual(['primary', 'replica']);
    expect((await modify('--auth-token', C, '--auth-token-update-strategy', 'SET')).code).toBe(0);
    await available();
    expect(await tryToken(B)).toBe('WRONGPASS');
    expect(await tryToken(C)).toBe('ok');
  });
});
