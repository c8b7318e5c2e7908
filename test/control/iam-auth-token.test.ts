// IAM-authenticated users locally: generate-iam-auth-token makes a token the nodes accept for a
// user whose authentication mode is iam (AUTH <user-id> <token>), until it expires; users that are
// not IAM users, or not in the group's user groups, are refused with a message saying why.
import * as fs from 'fs';
import * as path from 'path';
import { cli, json, ok, tearDown, tempDir, topology, tryTls } from './control-cli';
import { waitFor } from '../engine/nodes';

const TEMPLATE = {
  Resources: {
    DefaultUser: {
      Type: 'AWS::ElastiCache::User',
      Properties: { UserId: 'iam-default', UserName: 'default', Engine: 'redis', AccessString: 'off -@all', NoPasswordRequired: true },
    },
    IamUser: {
      Type: 'AWS::ElastiCache::User',
      Properties: { UserId: 'app-iam', UserName: 'app-iam', Engine: 'redis', AccessString: 'on ~* +@all', AuthenticationMode: { Type: 'iam' } },
    },
    PasswordUser: {
      Type: 'AWS::ElastiCache::User',
      Properties: { UserId: 'app-pw', UserName: 'app-pw', Engine: 'redis', AccessString: 'on ~* +@all', Passwords: ['password-0123456789'] },
    },
    Users: {
      Type: 'AWS::ElastiCache::UserGroup',
      Properties: { UserGroupId: 'iam-users', Engine: 'redis', UserIds: [{ Ref: 'DefaultUser' }, { Ref: 'IamUser' }, { Ref: 'PasswordUser' }] },
    },
    Cache: {
      Type: 'AWS::ElastiCache::ReplicationGroup',
      Properties: {
        ReplicationGroupId: 'iam',
        ReplicationGroupDescription: 'IAM users',
        Engine: 'redis',
        EngineVersion: '7.1',
        CacheNodeType: 'cache.t4g.micro',
        NumCacheClusters: 1,
        TransitEncryptionEnabled: true,
        UserGroupIds: [{ Ref: 'Users' }],
        Port: 6451,
      },
    },
  },
};

describe('IAM users: generate-iam-auth-token', () => {
  const work = tempDir('crun-iam-');
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  let ca = '';
  let endpoint = { host: '', port: 0 };

  afterAll(async () => {
    await tearDown(stateDir, work);
  });

  function tryAuth(user: string, password: string): Promise<string> {
    return tryTls(endpoint, ca, async (c) => {
      await c.call('AUTH', user, password);
      await c.set('k', user);
    });
  }

  const token = (...args: string[]) => cli(['generate-iam-auth-token', '--replication-group-id', 'iam', '--state-dir', stateDir, ...args]);

  test('a generated token authenticates the IAM user until it expires', async () => {
    fs.writeFileSync(file, JSON.stringify(TEMPLATE));
    const out = await ok(['deploy', file, '--state-dir', stateDir]);
    ca = fs.readFileSync(/trust the CA in (\S+)/.exec(out)![1], 'utf8');
    endpoint = (await topology(stateDir, 'iam')).primary;

    const r = await json(['generate-iam-auth-token', '--replication-group-id', 'iam', '--user-id', 'app-iam', '--state-dir', stateDir]);
    expect(r.Token).toMatch(/^iam\/\?Action=connect&User=app-iam&.*X-Amz-Expires=900&/);
    expect(Date.parse(r.Expiration) - Date.now()).toBeGreaterThan(800000);
    expect(await tryAuth('app-iam', r.Token)).toBe('ok');
    expect(await tryAuth('app-iam', `${r.Token}x`)).toBe('WRONGPASS');

    // The table output is the token alone, for `--password "$(...)"`.
    const short = (await token('--user-id', 'app-iam', '--expires-in', '2')).stdout.trim();
    expect(await tryAuth('app-iam', short)).toBe('ok');
    await waitFor(async () => (await tryAuth('app-iam', short)) === 'WRONGPASS', 'the 2 s token to expire', 10000);
    expect(await tryAuth('app-iam', r.Token)).toBe('ok');
  });

  test('refusals say which user and why', async () => {
    expect((await token('--user-id', 'app-pw')).stderr).toMatch(/InvalidParameterValue.*User app-pw does not use IAM authentication/);
    expect((await token('--user-id', 'nobody')).stderr).toMatch(/UserNotFound.*User nobody not found/);
    expect((await token('--user-id', 'app-iam', '--expires-in', '901')).stderr).toMatch(/ExpiresIn must be between 1 and 900/);
    expect(await tryAuth('app-pw', 'password-0123456789')).toBe('ok');
  });
});
