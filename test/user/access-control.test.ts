import { validateAccessString } from '../../src/model/access-string';
import { AccessControl } from '../../src/user';

describe('AccessControl', () => {
  test.each([
    [AccessControl.fromAccessString('on ~app::* -@all +@read'), 'on ~app::* -@all +@read'],
    [AccessControl.fullAccess(), 'on ~* &* +@all'],
    [AccessControl.fullAccessExceptDangerous(), 'on ~* &* +@all -@admin -@dangerous'],
    [AccessControl.fullAccessExceptDangerous('app:*'), 'on ~app:* &* +@all -@admin -@dangerous'],
    [AccessControl.readOnly(), 'on ~* -@all +@read'],
    [AccessControl.readOnly('app::*'), 'on ~app::* -@all +@read'],
    [AccessControl.readWrite(), 'on ~* -@all +@read +@write'],
    [AccessControl.readWrite('cache:*'), 'on ~cache:* -@all +@read +@write'],
    [AccessControl.disabled(), 'off -@all'],
  ])('%o', (ac, expected) => {
    expect(ac.accessString).toBe(expected);
    expect(validateAccessString(ac.accessString)).toEqual([]);
  });
});
