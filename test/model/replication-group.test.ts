import { ReplicationGroupSpec, validateDurability, validateMisc, validateSecurity, validateTopology } from '../../src/model/replication-group';
import { validateReplicationGroupRules } from '../../src/model/replication-group-rules';
import { evenSlotRanges, memberClusterIds, parseSlots } from '../../src/model/topology';
import { RESOLVED, RuleContext } from '../../src/model/violation';

const base: ReplicationGroupSpec = {
  engine: 'valkey',
  engineVersion: '8.1',
  nodeType: 'cache.r7g.large',
  clusterMode: 'disabled',
  shards: 1,
  replicasPerShard: 1,
  multiAz: true,
  automaticFailover: true,
  transitEncryption: true,
  atRestEncryption: true,
  description: 'test',
};
const rules = (v: { rule: string }[]) => v.map((x) => x.rule);
const TOKEN = '${Token[X]}';
const tokens: RuleContext = { isUnresolved: (v) => v === TOKEN || v === -1e289 };

test('a valid group has no findings', () => {
  expect(validateReplicationGroupRules(base, RESOLVED)).toEqual([]);
  expect(validateReplicationGroupRules({ ...base, clusterMode: 'enabled', shards: 3, parameterGroup: { name: 'default.valkey8.cluster.on', family: 'valkey8', clusterEnabled: true } }, RESOLVED)).toEqual([]);
});

test('T5: preferred AZs are one per node, single shard only, not with node groups', () => {
  expect(rules(validateTopology({ ...base, preferredAvailabilityZones: ['a'] }, RESOLVED))).toEqual(['T5']);
  expect(rules(validateTopology({ ...base, preferredAvailabilityZones: ['a', 'b'] }, RESOLVED))).toEqual([]);
  expect(rules(validateTopology({ ...base, clusterMode: 'enabled', shards: 2, preferredAvailabilityZones: ['a', 'b'] }, RESOLVED))).toContain('T5');
});

test('T10: unknown cluster mode', () => {
  expect(rules(validateTopology({ ...base, clusterMode: 'sometimes' }, RESOLVED))).toContain('T10');
});

test('compatible mode keeps one shard', () => {
  expect(rules(validateTopology({ ...base, clusterMode: 'compatible', shards: 2 }, RESOLVED))).toEqual(['T2']);
});

test('T3: old engines stop at 250 nodes', () => {
  const v = validateTopology({ ...base, engine: 'redis', engineVersion: '5.0.5', clusterMode: 'enabled', shards: 130, replicasPerShard: 1 }, RESOLVED);
  expect(v[0].message).toMatch(/260 nodes .* maximum of 250/);
});

test('per-shard replica counts count toward T3 and H2', () => {
  const spec = { ...base, clusterMode: 'enabled', shards: 2, nodeGroups: [{ replicaCount: 0 }, { replicaCount: 2 }] };
  expect(rules(validateTopology(spec, RESOLVED))).toEqual(['H2']);
});

test('S3: auth token and user group exclude each other; S9 RBAC needs TLS and a matching engine', () => {
  expect(rules(validateSecurity({ ...base, authToken: 'a-very-long-token-1234', userGroup: { engine: 'valkey' } }, RESOLVED))).toEqual(['S3']);
  expect(rules(validateSecurity({ ...base, transitEncryption: false, userGroup: { engine: 'valkey' } }, RESOLVED))).toEqual(['S9']);
  expect(rules(validateSecurity({ ...base, engine: 'redis', engineVersion: '7.1', userGroup: { engine: 'valkey' } }, RESOLVED))).toEqual(['S9']);
  expect(rules(validateSecurity({ ...base, engine: 'redis', engineVersion: '5.0.6', userGroup: { engine: 'redis' } }, RESOLVED))).toEqual(['S9']);
  expect(rules(validateSecurity({ ...base, userGroup: { engine: 'redis' } }, RESOLVED))).toEqual([]);
});

test('S2: the token alphabet; tokens are not read', () => {
  expect(rules(validateSecurity({ ...base, authToken: 'has/slash-and-long-enough' }, RESOLVED))).toEqual(['S2']);
  expect(rules(validateSecurity({ ...base, authToken: 'Only-Allowed!&#$^<>-chars1' }, RESOLVED))).toEqual([]);
  expect(rules(validateSecurity({ ...base, authToken: TOKEN }, tokens))).toEqual([]);
});

test('S6: transit encryption mode needs Redis OSS 7 or Valkey', () => {
  expect(rules(validateSecurity({ ...base, engine: 'redis', engineVersion: '6.2', transitEncryptionMode: 'preferred' }, RESOLVED))).toEqual(['S6']);
});

test('durability: values, Valkey 9.0, Multi-AZ', () => {
  expect(validateDurability({ ...base, durability: 'sync', engineVersion: '9.0' })).toEqual([]);
  expect(rules(validateDurability({ ...base, durability: 'sync', engineVersion: '9.0', multiAz: false }))).toEqual(['DUR']);
  expect(rules(validateDurability({ ...base, durability: 'sometimes' }))).toEqual(['DUR']);
  expect(validateDurability({ ...base, durability: 'disabled' })).toEqual([]);
});

test('X1, X2, L1, B6, B7 and the port', () => {
  expect(rules(validateMisc({ ...base, engine: 'redis', engineVersion: '6.0', networkType: 'ipv6' }, RESOLVED))).toEqual(['X1']);
  expect(rules(validateMisc({ ...base, networkType: 'dual_stack', ipDiscovery: 'ipv6' }, RESOLVED))).toEqual([]);
  const twice = { logType: 'slow-log', destinationType: 'cloudwatch-logs', logFormat: 'json' };
  expect(rules(validateMisc({ ...base, logDelivery: [twice, twice] }, RESOLVED))).toEqual(['L1']);
  expect(rules(validateMisc({ ...base, engine: 'redis', engineVersion: '6.0', logDelivery: [{ ...twice, logType: 'engine-log' }] }, RESOLVED))).toEqual(['L1']);
  expect(rules(validateMisc({ ...base, snapshotArns: ['arn:aws:s3:::b/a,b.rdb'] }, RESOLVED))).toEqual(['B7']);
  expect(rules(validateMisc({ ...base, snapshotArns: ['arn:aws:s3:::b/a.rdb'], snapshotName: 'x' }, RESOLVED))).toEqual(['B6']);
  expect(rules(validateMisc({ ...base, port: 70000 }, RESOLVED))).toEqual(['T17']);
});

test('H3: Multi-AZ with an append-only file; H4 and D1 through the node type', () => {
  expect(rules(validateReplicationGroupRules({ ...base, parameterGroup: { family: 'valkey8', clusterEnabled: false, parameters: { appendonly: 'yes' } } }, RESOLVED))).toEqual(['H3']);
  expect(rules(validateReplicationGroupRules({ ...base, nodeType: 'cache.t2.medium' }, RESOLVED))).toEqual(expect.arrayContaining(['H4']));
  expect(rules(validateReplicationGroupRules({ ...base, nodeType: 'cache.r6gd.xlarge' }, RESOLVED))).toEqual(['D1']);
  expect(rules(validateReplicationGroupRules({ ...base, nodeType: 'cache.r6gd.xlarge', dataTiering: true }, RESOLVED))).toEqual([]);
});

test('G4: a secondary leaves inherited settings to the primary and skips engine rules', () => {
  const v = validateReplicationGroupRules({ ...base, globalSecondary: true, explicitProps: ['vpc', 'nodeType', 'replicasPerShard'], engineVersion: 'x' }, RESOLVED);
  expect(rules(v)).toEqual(['G4']);
  expect(v[0].property).toBe('nodeType');
});

test('token shard and replica counts are skipped', () => {
  expect(validateReplicationGroupRules({ ...base, shards: -1e289, replicasPerShard: -1e289 }, tokens)).toEqual([]);
});

test('topology helpers: member ids, even slot split, slot parsing', () => {
  expect(memberClusterIds('rg', false, 1, 2)).toEqual(['rg-001', 'rg-002', 'rg-003']);
  expect(memberClusterIds('rg', true, 2, [0, 1])).toEqual(['rg-0001-001', 'rg-0002-001', 'rg-0002-002']);
  expect(evenSlotRanges(3)).toEqual(['0-5461', '5462-10922', '10923-16383']);
  expect(parseSlots('0-10,20')).toEqual([[0, 10], [20, 20]]);
  expect(parseSlots('10-0')).toBeUndefined();
  expect(parseSlots('0-16384')).toBeUndefined();
});
