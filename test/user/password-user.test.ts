import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AccessControl, AuthenticationType, PasswordUser, UserEngine } from '../../src/user';

const PW1 = 'a-str0ng-pa))word';
const PW2 = 'another-Str0ng-passw0rd';

function stack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('PasswordUser', () => {
  test('renders every prop', () => {
    const s = stack();
    const user = new PasswordUser(s, 'App', {
      userId: 'app-user',
      userName: 'app',
      engine: UserEngine.REDIS,
      accessControl: AccessControl.fromAccessString('on ~app::* -@all +@read'),
      passwords: [SecretValue.unsafePlainText(PW1), SecretValue.unsafePlainText(PW2)],
    });
    Template.fromStack(s).hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'app-user',
      UserName: 'app',
      Engine: 'redis',
      AccessString: 'on ~app::* -@all +@read',
      AuthenticationMode: { Type: 'password', Passwords: [PW1, PW2] },
      NoPasswordRequired: Match.absent(),
      Passwords: Match.absent(),
    });
    expect(user.userId).toBe('app-user');
    expect(user.userName).toBe('app');
    expect(user.engine).toBe(UserEngine.REDIS);
    expect(user.authenticationType).toBe(AuthenticationType.PASSWORD);
    expect(user.accessString).toBe('on ~app::* -@all +@read');
    expect(user.secret).toBeUndefined();
    const logicalId = Object.keys(Template.fromStack(s).findResources('AWS::ElastiCache::User'))[0];
    expect(s.resolve(user.userArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(s.resolve(user.userStatus)).toEqual({ 'Fn::GetAtt': [logicalId, 'Status'] });
    expect(s.resolve(user.userRef)).toEqual({ userName: 'app', userArn: { 'Fn::GetAtt': [logicalId, 'Arn'] } });
  });

  test('defaults: engine valkey, userName = userId, generated password in Secrets Manager', () => {
    const s = stack();
    const user = new PasswordUser(s, 'App', { userId: 'app', accessControl: AccessControl.fullAccess() });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'app',
      UserName: 'app',
      Engine: 'valkey',
      AccessString: 'on ~* &* +@all',
      AuthenticationMode: {
        Type: 'password',
        Passwords: [
          {
            'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('AppSecret') }, ':SecretString:password::}}']],
          },
        ],
      },
    });
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: 'Password of the ElastiCache user app',
      GenerateSecretString: {
        SecretStringTemplate: '{"username":"app"}',
        GenerateStringKey: 'password',
        PasswordLength: 32,
        ExcludePunctuation: true,
      },
    });
    expect(user.secret).toBeDefined();
    expect(user.engine).toBe(UserEngine.VALKEY);
  });

  test('userId defaults to a lower-case ID from the construct path', () => {
    const s = stack();
    const user = new PasswordUser(s, 'AppUser', { accessControl: AccessControl.fullAccess() });
    expect(user.userId).toMatch(/^test-appuser-[0-9a-f]{8}$/);
    Template.fromStack(s).hasResourceProperties('AWS::ElastiCache::User', { UserId: user.userId, UserName: user.userId });
  });

  test('secret passwords are passed as dynamic references and not checked', () => {
    const s = stack();
    new PasswordUser(s, 'App', {
      userId: 'app',
      accessControl: AccessControl.fullAccess(),
      passwords: [SecretValue.secretsManager('app/password')],
    });
    Template.fromStack(s).hasResourceProperties('AWS::ElastiCache::User', {
      AuthenticationMode: { Type: 'password', Passwords: ['{{resolve:secretsmanager:app/password:SecretString:::}}'] },
    });
  });

  describe('rules', () => {
    const make = (props: Partial<ConstructorParameters<typeof PasswordUser>[2]>) => () =>
      new PasswordUser(stack(), 'App', {
        userId: 'app',
        accessControl: AccessControl.fullAccess(),
        passwords: [SecretValue.unsafePlainText(PW1)],
        ...props,
      });

    test('S10: 1–2 passwords', () => {
      expect(make({ passwords: [] })).toThrow(
        /PasswordUser at 'Test\/App' is invalid \(1 problem\):\n  - passwords: 0 passwords given; ElastiCache takes 1 or 2 .*\[rule S10: .*\] Fix: give one password/,
      );
      const three = [PW1, PW2, PW1 + 'x'].map((p) => SecretValue.unsafePlainText(p));
      expect(make({ passwords: three })).toThrow(/passwords: 3 passwords given.*\[rule S10: .*\] Fix: give at most 2 passwords/);
    });

    test('S10: password length, characters, and the password is never echoed', () => {
      const short = 'short-pass';
      expect(make({ passwords: [SecretValue.unsafePlainText(short)] })).toThrow(
        /passwords: password 1 is 10 characters long; it must be 16–128\. \[rule S10: .*\] Fix: /,
      );
      expect(make({ passwords: [SecretValue.unsafePlainText('x'.repeat(129))] })).toThrow(/password 1 is 129 characters long/);
      const bad = 'contains,comma@and/slash"quote';
      expect(make({ passwords: [SecretValue.unsafePlainText(PW1), SecretValue.unsafePlainText(bad)] })).toThrow(
        /passwords: password 2 contains ',', '"', '\/', '@', which ElastiCache does not allow/,
      );
      expect(make({ passwords: [SecretValue.unsafePlainText('with a space in it!!')] })).toThrow(/only printable ASCII/);
      try {
        make({ passwords: [SecretValue.unsafePlainText(short)] })();
      } catch (e) {
        expect((e as Error).message).not.toContain(short);
      }
    });

    test('N5: user ID pattern, lower case, reserved default', () => {
      expect(make({ userId: '1app' })).toThrow(
        /userId: '1app' is not a valid user ID: .*\[rule N5: .*\] Fix: use an ID such as 'app'/,
      );
      expect(make({ userId: 'my_user' })).toThrow(/not a valid user ID/);
      expect(make({ userId: 'MyUser' })).toThrow(/userId: 'MyUser' has upper-case letters.*\[rule N5: .*\] Fix: write it lower-case: 'myuser'/);
      expect(make({ userId: 'default' })).toThrow(
        /userId: the user ID 'default' belongs to the user ElastiCache creates itself.*\[rule N5: .*\] Fix: give the user another ID and set userName: 'default'/,
      );
    });

    test('S10: access string problems are listed together', () => {
      expect(make({ accessControl: AccessControl.fromAccessString('on ~* +@everything reset') })).toThrow(
        /\(2 problems\):\n  - accessControl: rule 3 \(character 7\) '\+@everything': unknown ACL category '@everything'\. \[rule S10: .*\] Fix: use one of @all.*\n  - accessControl: rule 4 .*'reset'/,
      );
    });

    test('S10: a user without on is created with a warning', () => {
      const s = stack();
      new PasswordUser(s, 'App', {
        userId: 'app',
        accessControl: AccessControl.fromAccessString('~* +@all'),
        passwords: [SecretValue.unsafePlainText(PW1)],
      });
      Annotations.fromStack(s).hasWarning(
        '/Test/App',
        Match.stringLikeRegexp("accessControl: the access string '~\\* \\+@all' says neither 'on' nor 'off'.*\\[rule S10: .*\\] Fix: start the access string with 'on'"),
      );
    });

    test('tokens are skipped', () => {
      const s = stack();
      const user = new PasswordUser(s, 'App', {
        userId: 'app',
        accessControl: AccessControl.fromAccessString(SecretValue.ssmSecure('/x').unsafeUnwrap()),
        passwords: [SecretValue.ssmSecure('/pw')],
      });
      expect(user.userId).toBe('app');
    });
  });
});
