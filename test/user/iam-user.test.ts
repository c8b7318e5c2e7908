import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessControl, AuthenticationType, IamUser, UserEngine } from '../../src/user';

function stack(): Stack {
  return new Stack(new App(), 'Test');
}

describe('IamUser', () => {
  test('renders every prop', () => {
    const s = stack();
    const user = new IamUser(s, 'Worker', {
      userId: 'worker',
      userName: 'worker',
      engine: UserEngine.REDIS,
      accessControl: AccessControl.fullAccessExceptDangerous('jobs:*'),
    });
    Template.fromStack(s).hasResourceProperties('AWS::ElastiCache::User', {
      UserId: 'worker',
      UserName: 'worker',
      Engine: 'redis',
      AccessString: 'on ~jobs:* &* +@all -@admin -@dangerous',
      AuthenticationMode: { Type: 'iam', Passwords: Match.absent() },
      NoPasswordRequired: Match.absent(),
    });
    expect(user.authenticationType).toBe(AuthenticationType.IAM);
  });

  test('defaults: engine valkey, userName = userId', () => {
    const s = stack();
    const user = new IamUser(s, 'Worker', { userId: 'worker', accessControl: AccessControl.fullAccess() });
    Template.fromStack(s).hasResourceProperties('AWS::ElastiCache::User', { UserName: 'worker', Engine: 'valkey' });
    expect(user.userName).toBe('worker');
    expect(user.engine).toBe(UserEngine.VALKEY);
  });

  test('S11: userName must equal userId', () => {
    expect(
      () => new IamUser(stack(), 'Worker', { userId: 'worker', userName: 'jobs', accessControl: AccessControl.fullAccess() }),
    ).toThrow(
      /IamUser at 'Test\/Worker' is invalid \(1 problem\):\n  - userName: userName 'jobs' differs from userId 'worker'; IAM authentication needs them to be the same\. \[rule S11: .*\] Fix: remove userName/,
    );
  });

  test('grantConnect gives elasticache:Connect on the user ARN', () => {
    const s = stack();
    const user = new IamUser(s, 'Worker', { userId: 'worker', accessControl: AccessControl.fullAccess() });
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    user.grantConnect(role);
    const userLogicalId = Object.keys(Template.fromStack(s).findResources('AWS::ElastiCache::User'))[0];
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: 'elasticache:Connect', Effect: 'Allow', Resource: { 'Fn::GetAtt': [userLogicalId, 'Arn'] } }],
      },
    });
  });

  test('grant with custom actions', () => {
    const s = stack();
    const user = new IamUser(s, 'Worker', { userId: 'worker', accessControl: AccessControl.fullAccess() });
    const role = new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    user.grant(role, 'elasticache:DescribeUsers', 'elasticache:Connect');
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['elasticache:DescribeUsers', 'elasticache:Connect'] })] },
    });
  });
});
