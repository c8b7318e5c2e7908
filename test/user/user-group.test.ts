import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  AccessControl,
  AuthenticationType,
  IamUser,
  IUser,
  NoPasswordUser,
  PasswordUser,
  UserBase,
  UserEngine,
  UserGroup,
} from '../../src/user';

const PW = SecretValue.unsafePlainText('a-str0ng-pa))word');

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

function pwUser(s: Stack, id: string, userId: string, opts: { userName?: string; engine?: UserEngine } = {}): PasswordUser {
  return new PasswordUser(s, id, { userId, accessControl: AccessControl.fullAccess(), passwords: [PW], ...opts });
}

function defaultUser(s: Stack, engine = UserEngine.REDIS): PasswordUser {
  return new PasswordUser(s, 'DefaultUser', {
    userId: 'app-default',
    userName: 'default',
    engine,
    accessControl: AccessControl.disabled(),
    passwords: [PW],
  });
}

function synthError(s: Stack): string {
  try {
    Template.fromStack(s);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}

describe('UserGroup', () => {
  test('renders every prop and depends on its users', () => {
    const s = stack();
    const def = defaultUser(s);
    const app = pwUser(s, 'App', 'app', { engine: UserEngine.REDIS });
    const group = new UserGroup(s, 'Users', { userGroupId: 'my-users', engine: UserEngine.REDIS, users: [def, app] });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ElastiCache::UserGroup', {
      UserGroupId: 'my-users',
      Engine: 'redis',
      UserIds: ['app-default', 'app'],
    });
    const ids = Object.keys(t.findResources('AWS::ElastiCache::User'));
    const [groupId] = Object.keys(t.findResources('AWS::ElastiCache::UserGroup'));
    expect(t.toJSON().Resources[groupId].DependsOn.sort()).toEqual(ids.sort());
    expect(s.resolve(group.userGroupId)).toEqual({ Ref: groupId });
    expect(s.resolve(group.userGroupArn)).toEqual({ 'Fn::GetAtt': [groupId, 'Arn'] });
    expect(s.resolve(group.userGroupStatus)).toEqual({ 'Fn::GetAtt': [groupId, 'Status'] });
    expect(s.resolve(group.userGroupRef)).toEqual({ userGroupId: { Ref: groupId }, userGroupArn: { 'Fn::GetAtt': [groupId, 'Arn'] } });
    expect(group.engine).toBe(UserEngine.REDIS);
    expect(group.users).toEqual([def, app]);
    expect(group.hasDefaultUser).toBe(true);
  });

  test('defaults: engine valkey, generated lower-case ID, users added later', () => {
    const s = stack();
    const group = new UserGroup(s, 'Users');
    const app = pwUser(s, 'App', 'app');
    group.addUser(app);
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ElastiCache::UserGroup', {
      UserGroupId: Match.stringLikeRegexp('^test-users-[0-9a-f]{8}$'),
      Engine: 'valkey',
      UserIds: ['app'],
    });
    const [groupId] = Object.keys(t.findResources('AWS::ElastiCache::UserGroup'));
    expect(t.toJSON().Resources[groupId].DependsOn).toEqual(Object.keys(t.findResources('AWS::ElastiCache::User')));
    expect(group.engine).toBe(UserEngine.VALKEY);
    expect(group.hasDefaultUser).toBe(false);
  });

  test('a valkey group needs no default user and may hold redis users with a password or IAM', () => {
    const s = stack();
    new UserGroup(s, 'Users', {
      users: [
        pwUser(s, 'App', 'app'),
        pwUser(s, 'Legacy', 'legacy', { engine: UserEngine.REDIS }),
        new IamUser(s, 'Worker', { userId: 'worker', engine: UserEngine.REDIS, accessControl: AccessControl.fullAccess() }),
      ],
    });
    expect(() => Template.fromStack(s)).not.toThrow();
  });

  test('the built-in default user can be imported by ID, with a warning', () => {
    const s = stack();
    const group = new UserGroup(s, 'Users', {
      engine: UserEngine.REDIS,
      users: [UserBase.fromUserId(s, 'Default', 'default'), pwUser(s, 'App', 'app', { engine: UserEngine.REDIS })],
    });
    Template.fromStack(s).hasResourceProperties('AWS::ElastiCache::UserGroup', { UserIds: ['default', 'app'] });
    expect(group.hasDefaultUser).toBe(true);
    const warnings = Annotations.fromStack(s).findWarning('/Test/Users', Match.stringLikeRegexp('rule S12'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(
      /^users: user 'Test\/Default' is the user ElastiCache creates itself: .*\[rule S12: the built-in default user opens the cache\] Fix: replace it with your own user named 'default'/,
    );
  });

  describe('rules', () => {
    test('N6: user group ID is checked at construction', () => {
      expect(() => new UserGroup(stack(), 'Users', { userGroupId: 'My_Users' })).toThrow(
        /UserGroup at 'Test\/Users' is invalid \(1 problem\):\n  - userGroupId: 'My_Users' is not a valid user group ID: .*\[rule N6: .*\] Fix: use an ID such as 'my-users'/,
      );
      expect(() => new UserGroup(stack(), 'Users', { userGroupId: 'MyUsers' })).toThrow(
        /userGroupId: 'MyUsers' has upper-case letters.*\[rule N6: .*\] Fix: write it lower-case: 'myusers'/,
      );
    });

    test('S12: a redis group needs a user named default (checked at synth, after addUser)', () => {
      const s = stack();
      const group = new UserGroup(s, 'Users', { engine: UserEngine.REDIS });
      group.addUser(pwUser(s, 'App', 'app', { engine: UserEngine.REDIS }));
      const msg = synthError(s);
      expect(msg).toContain('[Test/Users]');
      expect(msg).toMatch(
        /users: none of the 1 user has the user name 'default'\. \[rule S12: a redis user group must include a user named 'default'\] Fix: add a user with userName: 'default'/,
      );
      group.addUser(defaultUser(s));
      expect(() => Template.fromStack(s)).not.toThrow();
    });

    test('S12: a redis group holds only redis users', () => {
      const s = stack();
      new UserGroup(s, 'Users', { engine: UserEngine.REDIS, users: [defaultUser(s), pwUser(s, 'App', 'app')] });
      expect(synthError(s)).toMatch(
        /\[Test\/Users\] users: user 'Test\/App' has engine 'valkey', but the user group's engine is 'redis'\. \[rule S12: a redis user group only holds redis users\] Fix: /,
      );
    });

    test('S12: a valkey group refuses users without a password', () => {
      const s = stack();
      new UserGroup(s, 'Users', {
        users: [new NoPasswordUser(s, 'Open', { userId: 'open', accessControl: AccessControl.readOnly() })],
      });
      expect(synthError(s)).toMatch(
        /\[Test\/Users\] users: user 'Test\/Open' needs no password, which a 'valkey' user group does not allow\. \[rule S12: .*\] Fix: give the user a password/,
      );
    });

    test('S12: no duplicate user names or IDs', () => {
      const s = stack();
      const group = new UserGroup(s, 'Users');
      group.addUser(pwUser(s, 'A', 'user-a', { userName: 'app' }));
      group.addUser(pwUser(s, 'B', 'user-b', { userName: 'app' }));
      group.addUser(UserBase.fromUserId(s, 'AgainA', 'user-a'));
      const msg = synthError(s);
      expect(msg).toMatch(/users: users 'Test\/A' and 'Test\/B' have the same user name 'app'\. \[rule S12: .*\] Fix: keep one of them/);
      expect(msg).toMatch(/users: users 'Test\/A' and 'Test\/AgainA' have the same user ID 'user-a'/);
    });

    test('S12: at most 100 users', () => {
      const s = stack();
      const users: IUser[] = [];
      for (let i = 0; i < 101; i++) {
        users.push(UserBase.fromUserAttributes(s, `U${i}`, { userId: `u${i}`, userName: `u${i}`, engine: UserEngine.VALKEY }));
      }
      new UserGroup(s, 'Users', { users });
      expect(synthError(s)).toMatch(/users: the user group has 101 users\. \[rule S12: a user group holds at most 100 users\] Fix: split the users/);
    });

    test('S12: at least one user', () => {
      const s = stack();
      new UserGroup(s, 'Users');
      expect(synthError(s)).toMatch(/\[Test\/Users\] users: the user group has no users\. \[rule S12: a user group needs at least one user\]/);
    });

    test('imported users with unknown names or engines are not held against the group', () => {
      const s = stack();
      const group = new UserGroup(s, 'Users', { engine: UserEngine.REDIS, users: [UserBase.fromUserId(s, 'Someone', 'someone')] });
      expect(() => Template.fromStack(s)).not.toThrow();
      expect(group.hasDefaultUser).toBeUndefined();
    });

    test('every problem is listed in one synth', () => {
      const s = stack();
      new UserGroup(s, 'Users', {
        engine: UserEngine.REDIS,
        users: [pwUser(s, 'A', 'a'), pwUser(s, 'B', 'b', { userName: 'a', engine: UserEngine.REDIS })],
      });
      const msg = synthError(s);
      expect(msg.match(/\[rule S12/g)).toHaveLength(3);
    });
  });

  describe('imports', () => {
    test('fromUserGroupId', () => {
      const s = stack();
      const g = UserGroup.fromUserGroupId(s, 'G', 'existing');
      expect(g.userGroupId).toBe('existing');
      expect(s.resolve(g.userGroupArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:111111111111:usergroup:existing']],
      });
      expect(g.engine).toBeUndefined();
      expect(g.users).toBeUndefined();
      expect(g.hasDefaultUser).toBeUndefined();
      expect(g.userGroupRef.userGroupId).toBe('existing');
      expect(() => g.addUser(UserBase.fromUserId(s, 'U', 'u'))).toThrow(/cannot add user 'Test\/U' to an imported user group/);
    });

    test('fromUserGroupArn', () => {
      const s = stack();
      const g = UserGroup.fromUserGroupArn(s, 'G', 'arn:aws:elasticache:eu-west-1:222222222222:usergroup:other');
      expect(g.userGroupId).toBe('other');
      expect(g.env.region).toBe('eu-west-1');
      expect(g.env.account).toBe('222222222222');
    });

    test('fromUserGroupAttributes with engine and users', () => {
      const s = stack();
      const g = UserGroup.fromUserGroupAttributes(s, 'G', {
        userGroupId: 'existing',
        engine: UserEngine.REDIS,
        users: [UserBase.fromUserId(s, 'D', 'default')],
      });
      expect(g.engine).toBe(UserEngine.REDIS);
      expect(g.hasDefaultUser).toBe(true);
    });

    test('needs exactly one of id and arn', () => {
      const s = stack();
      expect(() => UserGroup.fromUserGroupAttributes(s, 'G', {})).toThrow(/neither userGroupId nor userGroupArn given/);
      expect(() =>
        UserGroup.fromUserGroupAttributes(s, 'H', { userGroupId: 'a', userGroupArn: 'arn:aws:elasticache:us-east-1:1:usergroup:a' }),
      ).toThrow(/give userGroupId or userGroupArn, not both/);
    });
  });
});

describe('UserBase imports', () => {
  test('fromUserId', () => {
    const s = stack();
    const u = UserBase.fromUserId(s, 'U', 'app');
    expect(u.userId).toBe('app');
    expect(u.userName).toBeUndefined();
    expect(u.engine).toBeUndefined();
    expect(s.resolve(u.userArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':elasticache:us-east-1:111111111111:user:app']],
    });
    expect(u.userRef.userName).toBe('app');
  });

  test('fromUserArn', () => {
    const s = stack();
    const u = UserBase.fromUserArn(s, 'U', 'arn:aws:elasticache:us-east-1:111111111111:user:app');
    expect(u.userId).toBe('app');
    expect(u.userArn).toBe('arn:aws:elasticache:us-east-1:111111111111:user:app');
  });

  test('fromUserAttributes', () => {
    const s = stack();
    const u = UserBase.fromUserAttributes(s, 'U', {
      userId: 'app',
      userName: 'application',
      engine: UserEngine.REDIS,
      authenticationType: AuthenticationType.IAM,
    });
    expect(u.userName).toBe('application');
    expect(u.engine).toBe(UserEngine.REDIS);
    expect(u.authenticationType).toBe(AuthenticationType.IAM);
    expect(u.userRef.userName).toBe('application');
  });

  test('needs exactly one of id and arn', () => {
    const s = stack();
    expect(() => UserBase.fromUserAttributes(s, 'U', {})).toThrow(/neither userId nor userArn given/);
    expect(() => UserBase.fromUserAttributes(s, 'V', { userId: 'a', userArn: 'arn:aws:elasticache:us-east-1:1:user:a' })).toThrow(
      /give userId or userArn, not both/,
    );
  });
});
