import {
  userGroupHasDefaultUser,
  UserGroupMemberModel,
  validateCacheUserGroup,
  validateUser,
  validateUserGroup,
} from '../../src/model/users';
import { RESOLVED, RuleContext } from '../../src/model/violation';

/** Treats strings starting with `${Token` as unresolved, like CDK tokens. */
const TOKENS: RuleContext = { isUnresolved: (v) => typeof v === 'string' && v.startsWith('${Token') };

const member = (m: Partial<UserGroupMemberModel>): UserGroupMemberModel => ({ label: `'${m.userId ?? 'x'}'`, ...m });

describe('validateUser (plain data, as the deploy handler calls it)', () => {
  test('a valid password user', () => {
    expect(
      validateUser(RESOLVED, {
        userId: 'app',
        userName: 'app',
        engine: 'valkey',
        authentication: 'password',
        passwords: ['a-str0ng-pa))word'],
        accessString: 'on ~* +@all',
      }),
    ).toEqual([]);
  });

  test('token passwords: the count is checked, the value is not', () => {
    const token = '${Token[TOKEN.1]}';
    expect(validateUser(TOKENS, { userId: 'app', engine: 'valkey', authentication: 'password', passwords: [token] })).toEqual([]);
    expect(validateUser(TOKENS, { userId: 'app', engine: 'valkey', authentication: 'password', passwords: [token, token, token] })).toEqual([
      expect.objectContaining({ rule: 'S10', property: 'passwords' }),
    ]);
  });

  test('token IDs and names are skipped', () => {
    const token = '${Token[TOKEN.2]}';
    expect(validateUser(TOKENS, { userId: token, userName: 'x', engine: 'valkey', authentication: 'iam' })).toEqual([]);
  });

  test('exactly 16 and 128 characters are accepted', () => {
    const v = (p: string) => validateUser(RESOLVED, { userId: 'a', engine: 'valkey', authentication: 'password', passwords: [p] });
    expect(v('x'.repeat(16))).toEqual([]);
    expect(v('x'.repeat(128))).toEqual([]);
    expect(v('x'.repeat(15))).toHaveLength(1);
  });

  test('empty user name', () => {
    expect(validateUser(RESOLVED, { userId: 'a', userName: '', engine: 'redis', authentication: 'no-password-required' })).toEqual([
      expect.objectContaining({ rule: 'N5', property: 'userName' }),
    ]);
  });
});

describe('user groups', () => {
  test('userGroupHasDefaultUser', () => {
    expect(userGroupHasDefaultUser(RESOLVED, [member({ userId: 'x', userName: 'default' })])).toBe(true);
    expect(userGroupHasDefaultUser(RESOLVED, [member({ userId: 'default' })])).toBe(true);
    expect(userGroupHasDefaultUser(RESOLVED, [member({ userId: 'x', userName: 'app' })])).toBe(false);
    expect(userGroupHasDefaultUser(RESOLVED, [member({ userId: 'x', userName: 'app' }), member({ userId: 'y' })])).toBeUndefined();
    expect(userGroupHasDefaultUser(RESOLVED, [])).toBe(false);
  });

  test('a redis group with an unknown member name is not flagged for a missing default user', () => {
    expect(validateUserGroup(RESOLVED, { engine: 'redis', users: [member({ userId: 'someone', engine: 'redis' })] })).toEqual([]);
  });

  test('user group ID is checked when given', () => {
    expect(validateUserGroup(RESOLVED, { userGroupId: '-bad', engine: 'valkey', users: [member({ userId: 'a' })] })).toEqual([
      expect.objectContaining({ rule: 'N6', property: 'userGroupId' }),
    ]);
  });
});

describe('validateCacheUserGroup (S9, for the replication group)', () => {
  test('a Redis OSS cache only takes redis user groups', () => {
    const [v] = validateCacheUserGroup(RESOLVED, 'redis', 'valkey');
    expect(v).toMatchObject({ rule: 'S9', property: 'userGroup', severity: 'error' });
    expect(v.message).toBe("the user group's engine is 'valkey', but the cache runs Redis OSS.");
  });

  test('a Valkey cache takes both; unknown engines are skipped', () => {
    expect(validateCacheUserGroup(RESOLVED, 'valkey', 'redis')).toEqual([]);
    expect(validateCacheUserGroup(RESOLVED, 'valkey', 'valkey')).toEqual([]);
    expect(validateCacheUserGroup(RESOLVED, 'redis', 'redis')).toEqual([]);
    expect(validateCacheUserGroup(RESOLVED, 'redis', undefined)).toEqual([]);
  });
});
