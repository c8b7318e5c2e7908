import { BUILT_IN_DEFAULT_USER_ID } from '#model/users';
import { elasticacheArn } from './arns';
import { notFound } from './errors';
import { ApiUser, ApiUserGroup } from './shapes';
import { DeployedState } from '../plan/types';

const MINIMUM_ENGINE_VERSION = { redis: '6.0', valkey: '7.2' } as const;

function groupsOfUser(state: DeployedState, userId: string): string[] {
  return Object.values(state.userGroups).filter((g) => g.spec.userIds.includes(userId)).map((g) => g.userGroupId).sort();
}

/**
 * DescribeUsers: the deployed users plus ElastiCache's built-in `default` user (full access, no
 * password), which every account has.
 */
export function describeUsers(state: DeployedState, options: { userId?: string; engine?: string } = {}): { Users: ApiUser[] } {
  const users: ApiUser[] = Object.values(state.users).map((u) => ({
    UserId: u.userId,
    UserName: u.spec.userName,
    Status: u.status,
    Engine: u.spec.engine,
    MinimumEngineVersion: MINIMUM_ENGINE_VERSION[u.spec.engine] ?? '6.0',
    AccessString: u.spec.accessString,
    UserGroupIds: groupsOfUser(state, u.userId),
    Authentication: u.spec.authenticationType === 'password'
      ? { Type: 'password', PasswordCount: u.spec.passwords.length }
      : u.spec.authenticationType === 'iam' ? { Type: 'iam' } : { Type: 'no-password' },
    ARN: u.arn,
  }));
  if (!state.users[BUILT_IN_DEFAULT_USER_ID]) {
    users.push({
      UserId: BUILT_IN_DEFAULT_USER_ID,
      UserName: 'default',
      Status: 'active',
      Engine: 'redis',
      MinimumEngineVersion: '6.0',
      AccessString: 'on ~* +@all',
      UserGroupIds: groupsOfUser(state, BUILT_IN_DEFAULT_USER_ID),
      Authentication: { Type: 'no-password' },
      ARN: elasticacheArn(state, 'user', BUILT_IN_DEFAULT_USER_ID),
    });
  }
  const out = users
    .filter((u) => (options.userId === undefined || u.UserId === options.userId) && (options.engine === undefined || u.Engine === options.engine))
    .sort((a, b) => a.UserId.localeCompare(b.UserId));
  if (options.userId !== undefined && out.length === 0) throw notFound.user(options.userId);
  return { Users: out };
}

export function describeUserGroups(state: DeployedState, options: { userGroupId?: string } = {}): { UserGroups: ApiUserGroup[] } {
  const groups = Object.values(state.userGroups)
    .filter((g) => options.userGroupId === undefined || g.userGroupId === options.userGroupId)
    .sort((a, b) => a.userGroupId.localeCompare(b.userGroupId));
  if (options.userGroupId !== undefined && groups.length === 0) throw notFound.userGroup(options.userGroupId);
  return {
    UserGroups: groups.map((g) => ({
      UserGroupId: g.userGroupId,
      Status: g.status,
      Engine: g.spec.engine,
      UserIds: [...g.spec.userIds],
      MinimumEngineVersion: MINIMUM_ENGINE_VERSION[g.spec.engine] ?? '6.0',
      ...(g.pendingChanges
        ? { PendingChanges: { UserIdsToRemove: g.pendingChanges.userIdsToRemove, UserIdsToAdd: g.pendingChanges.userIdsToAdd } }
        : {}),
      ReplicationGroups: [...g.replicationGroups],
      ServerlessCaches: [],
      ARN: g.arn,
    })),
  };
}
