import {
  validateAccessString,
  validateCacheClusterId,
  validateDescription,
  validateGlobalDatastoreSuffix,
  validateNodeGroupId,
  validateParameterGroupName,
  validateReplicationGroupId,
  validateSnapshotName,
  validateSubnetGroupName,
  validateUserGroupId,
  validateUserId,
  validateUserName,
} from '../../src/model/names';
import { RuleContext, Violation } from '../../src/model/violation';

const TOKEN = '${Token[TOKEN.42]}';
const TOKEN_CTX: RuleContext = { isUnresolved: (v) => typeof v === 'string' && v.includes('${Token[') };

const rules = (vs: Violation[]) => vs.map((v) => `${v.rule}:${v.severity}`);

describe('N1 replication group id', () => {
  test.each(['a', 'my-cache', 'cache1', 'a'.repeat(40), 'a-b-c'])('accepts %p', (id) => {
    expect(validateReplicationGroupId(id)).toEqual([]);
  });
  test('too long', () => {
    const out = validateReplicationGroupId('a'.repeat(41));
    expect(rules(out)).toEqual(['N1:error']);
    expect(out[0].message).toContain('41 characters');
  });
  test('empty', () => {
    expect(rules(validateReplicationGroupId(''))).toEqual(['N1:error']);
  });
  test('must start with a letter', () => {
    expect(rules(validateReplicationGroupId('1cache'))).toEqual(['N1:error']);
    expect(rules(validateReplicationGroupId('-cache'))).toEqual(['N1:error']);
  });
  test('no trailing hyphen, no double hyphen', () => {
    expect(validateReplicationGroupId('cache-')[0].message).toContain('ends with a hyphen');
    expect(validateReplicationGroupId('my--cache')[0].message).toContain('two hyphens in a row');
  });
  test('only letters, digits and hyphens; the offending characters are named', () => {
    const out = validateReplicationGroupId('my_cache.1');
    expect(rules(out)).toEqual(['N1:error']);
    expect(out[0].message).toContain("'_', '.'");
  });
  test('upper case is a warning: stored in lower case', () => {
    const out = validateReplicationGroupId('MyCache');
    expect(rules(out)).toEqual(['N1:warning']);
    expect(out[0].message).toContain("'mycache'");
  });
  test('several problems are all reported', () => {
    expect(rules(validateReplicationGroupId('9_A--'))).toEqual(['N1:error', 'N1:error', 'N1:error', 'N1:error', 'N1:warning']);
  });
  test('undefined and tokens are skipped', () => {
    expect(validateReplicationGroupId(undefined)).toEqual([]);
    expect(validateReplicationGroupId(TOKEN, TOKEN_CTX)).toEqual([]);
    expect(validateReplicationGroupId(`${TOKEN}-cache`, TOKEN_CTX)).toEqual([]);
  });
  test('property defaults and can be set', () => {
    expect(validateReplicationGroupId('x_')[0].property).toBe('replicationGroupId');
    expect(validateReplicationGroupId('x_', undefined, 'id')[0].property).toBe('id');
  });
});

describe('N2 cache cluster id', () => {
  test('up to 50 characters', () => {
    expect(validateCacheClusterId('a'.repeat(50))).toEqual([]);
    expect(rules(validateCacheClusterId('a'.repeat(51)))).toEqual(['N2:error']);
  });
  test('same character rules as N1', () => {
    expect(rules(validateCacheClusterId('1abc'))).toEqual(['N2:error']);
    expect(rules(validateCacheClusterId('ab--c'))).toEqual(['N2:error']);
    expect(rules(validateCacheClusterId('Abc'))).toEqual(['N2:warning']);
  });
  test('tokens skipped', () => {
    expect(validateCacheClusterId(TOKEN, TOKEN_CTX)).toEqual([]);
  });
});

describe('N3 subnet group name', () => {
  test.each(['my-subnets', '1subnets', 'a'.repeat(255)])('accepts %p', (n) => {
    expect(validateSubnetGroupName(n)).toEqual([]);
  });
  test('limits and characters', () => {
    expect(rules(validateSubnetGroupName('a'.repeat(256)))).toEqual(['N3:error']);
    expect(rules(validateSubnetGroupName('my subnets'))).toEqual(['N3:error']);
    expect(rules(validateSubnetGroupName(''))).toEqual(['N3:error']);
  });
  test('upper case warning', () => {
    expect(rules(validateSubnetGroupName('MySubnets'))).toEqual(['N3:warning']);
  });
  test('tokens skipped', () => {
    expect(validateSubnetGroupName(TOKEN, TOKEN_CTX)).toEqual([]);
  });
});

describe('N4 parameter group name', () => {
  test('a usual name passes', () => {
    expect(validateParameterGroupName('my-valkey8-params')).toEqual([]);
  });
  test('character rules are only warnings', () => {
    expect(rules(validateParameterGroupName('1params'))).toEqual(['N4:warning']);
    expect(rules(validateParameterGroupName('my_params'))).toEqual(['N4:warning']);
    expect(rules(validateParameterGroupName('params-'))).toEqual(['N4:warning']);
    expect(rules(validateParameterGroupName('MyParams'))).toEqual(['N4:warning']);
  });
  test('empty is an error', () => {
    expect(rules(validateParameterGroupName(''))).toEqual(['N4:error']);
  });
  test('default.* names are ElastiCache default groups', () => {
    const out = validateParameterGroupName('default.valkey8.cluster.on');
    expect(rules(out)).toEqual(['N4:warning']);
    expect(out[0].message).toContain('default parameter groups');
  });
  test('tokens skipped', () => {
    expect(validateParameterGroupName(TOKEN, TOKEN_CTX)).toEqual([]);
  });
});

describe('N5 users', () => {
  test('user id pattern', () => {
    expect(validateUserId('app-user1')).toEqual([]);
    expect(rules(validateUserId(''))).toEqual(['N5:error']);
    expect(rules(validateUserId('1user'))).toEqual(['N5:error']);
    expect(rules(validateUserId('app_user'))).toEqual(['N5:error']);
    expect(rules(validateUserId('AppUser'))).toEqual(['N5:warning']);
    expect(validateUserId(TOKEN, TOKEN_CTX)).toEqual([]);
  });
  test('user name is not blank', () => {
    expect(validateUserName('default')).toEqual([]);
    expect(rules(validateUserName(''))).toEqual(['N5:error']);
    expect(rules(validateUserName('   '))).toEqual(['N5:error']);
    expect(rules(validateUserName('app user'))).toEqual(['N5:warning']);
    expect(validateUserName(TOKEN, TOKEN_CTX)).toEqual([]);
    expect(validateUserName(undefined)).toEqual([]);
  });
  test('access string is not blank', () => {
    expect(validateAccessString('on ~* +@all')).toEqual([]);
    expect(validateAccessString('off')).toEqual([]);
    expect(rules(validateAccessString(''))).toEqual(['N5:error']);
    expect(rules(validateAccessString(' \t '))).toEqual(['N5:error']);
    expect(validateAccessString(TOKEN, TOKEN_CTX)).toEqual([]);
  });
  test('property names', () => {
    expect(validateUserId('')[0].property).toBe('userId');
    expect(validateUserName('')[0].property).toBe('userName');
    expect(validateAccessString('')[0].property).toBe('accessString');
  });
});

describe('N6 user group id', () => {
  test('non-empty; stored in lower case; character rules as warnings', () => {
    expect(validateUserGroupId('app-users')).toEqual([]);
    expect(rules(validateUserGroupId(''))).toEqual(['N6:error']);
    expect(rules(validateUserGroupId('AppUsers'))).toEqual(['N6:warning']);
    expect(rules(validateUserGroupId('app_users'))).toEqual(['N6:warning']);
    expect(validateUserGroupId(TOKEN, TOKEN_CTX)).toEqual([]);
  });
});

describe('N7 snapshot names', () => {
  test('N1 character rules', () => {
    expect(validateSnapshotName('my-cache-final')).toEqual([]);
    expect(validateSnapshotName('a'.repeat(100))).toEqual([]);
    expect(rules(validateSnapshotName('1snap'))).toEqual(['N7:error']);
    expect(rules(validateSnapshotName('snap-'))).toEqual(['N7:error']);
    expect(rules(validateSnapshotName('snap--1'))).toEqual(['N7:error']);
    expect(rules(validateSnapshotName('snap 1'))).toEqual(['N7:error']);
  });
  test('stored in lower case', () => {
    const out = validateSnapshotName('Final-Snapshot', undefined, 'finalSnapshotName');
    expect(rules(out)).toEqual(['N7:warning']);
    expect(out[0].property).toBe('finalSnapshotName');
  });
  test('tokens skipped', () => {
    expect(validateSnapshotName(TOKEN, TOKEN_CTX)).toEqual([]);
  });
});

describe('N8 Global Datastore suffix', () => {
  test.each(['sessions', 'app-1', '1app'])('accepts %p', (s) => {
    expect(validateGlobalDatastoreSuffix(s)).toEqual([]);
  });
  test('characters and hyphens', () => {
    expect(rules(validateGlobalDatastoreSuffix(''))).toEqual(['N8:error']);
    expect(rules(validateGlobalDatastoreSuffix('my_app'))).toEqual(['N8:error']);
    expect(rules(validateGlobalDatastoreSuffix('app-'))).toEqual(['N8:error']);
    expect(rules(validateGlobalDatastoreSuffix('a--b'))).toEqual(['N8:error']);
    const lead = validateGlobalDatastoreSuffix('-app');
    expect(rules(lead)).toEqual(['N8:error']);
    expect(lead[0].message).toContain('Region prefix');
  });
  test('tokens skipped', () => {
    expect(validateGlobalDatastoreSuffix(TOKEN, TOKEN_CTX)).toEqual([]);
  });
});

describe('N9 description', () => {
  test('a usual description passes', () => {
    expect(validateDescription('Session cache for the web tier')).toEqual([]);
    expect(validateDescription('x'.repeat(255))).toEqual([]);
  });
  test('required and not blank', () => {
    expect(rules(validateDescription(undefined))).toEqual(['N9:error']);
    expect(rules(validateDescription(''))).toEqual(['N9:error']);
    expect(rules(validateDescription('  '))).toEqual(['N9:error']);
  });
  test('at most 255 characters', () => {
    expect(validateDescription('x'.repeat(256))[0].message).toContain('256 characters');
  });
  test('no angle brackets', () => {
    expect(rules(validateDescription('cache <prod>'))).toEqual(['N9:error']);
    expect(rules(validateDescription('a > b'))).toEqual(['N9:error']);
  });
  test('both problems reported', () => {
    expect(rules(validateDescription('<'.repeat(300)))).toEqual(['N9:error', 'N9:error']);
  });
  test('tokens skipped', () => {
    expect(validateDescription(TOKEN, TOKEN_CTX)).toEqual([]);
  });
});

describe('N10 node group id', () => {
  test.each(['1', '0001', '9999', '42'])('accepts %p', (id) => {
    expect(validateNodeGroupId(id)).toEqual([]);
  });
  test.each(['', '00001', 'a1', '1-2', ' 1'])('rejects %p', (id) => {
    expect(rules(validateNodeGroupId(id))).toEqual(['N10:error']);
  });
  test('tokens skipped', () => {
    expect(validateNodeGroupId(TOKEN, TOKEN_CTX)).toEqual([]);
  });
});
