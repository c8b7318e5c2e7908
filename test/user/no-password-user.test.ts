import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessControl, AuthenticationType, NoPasswordUser, UserEngine } from '../../src/user';

function stack(): Stack {
  return new Stack(new App(), 'Test');
}

describe('NoPasswordUser', () => {
  test('renders every prop', () => {
    const s = stack();
    const user = new NoPasswordUser(s, 'Reader', {
      userId: 'reader',
      userName: 'public-reader',
      engine: UserEngine.REDIS,
      accessControl: AccessControl.readOnly('public:*'),
    });
    Template.fromStack(s).hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'reader',
      UserName: 'public-reader',
      Engine: 'redis',
      AccessString: 'on ~public:* -@all +@read',
      AuthenticationMode: { Type: 'no-password-required', Passwords: Match.absent() },
      NoPasswordRequired: true,
    });
    expect(user.authenticationType).toBe(AuthenticationType.NO_PASSWORD_REQUIRED);
    expect(user.accessString).toBe('on ~public:* -@all +@read');
  });

  test('defaults: engine redis, userName = userId', () => {
    const s = stack();
    const user = new NoPasswordUser(s, 'Reader', { userId: 'reader', accessControl: AccessControl.readOnly() });
    Template.fromStack(s).hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'reader',
      UserName: 'reader',
      Engine: 'redis',
      AccessString: 'on ~* -@all +@read',
    });
    expect(user.engine).toBe(UserEngine.REDIS);
    expect(user.userName).toBe('reader');
  });

  test('S13: not for valkey', () => {
    expect(
      () => new NoPasswordUser(stack(), 'Reader', { userId: 'reader', engine: UserEngine.VALKEY, accessControl: AccessControl.readOnly() }),
    ).toThrow(
      /NoPasswordUser at 'Test\/Reader' is invalid \(1 problem\):\n  - engine: engine 'valkey' does not support users without a password\. \[rule S13: .*\] Fix: use UserEngine\.REDIS, or make it a PasswordUser or IamUser\./,
    );
  });
});
