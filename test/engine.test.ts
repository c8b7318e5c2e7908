import { ClusterMode, Engine } from '../src';

test.each([
  [Engine.VALKEY_7_2, 'valkey', '7.2', 'valkey7'],
  [Engine.VALKEY_8_0, 'valkey', '8.0', 'valkey8'],
  [Engine.VALKEY_8_1, 'valkey', '8.1', 'valkey8'],
  [Engine.VALKEY_8_2, 'valkey', '8.2', 'valkey8'],
  [Engine.VALKEY_9_0, 'valkey', '9.0', 'valkey9'],
  [Engine.REDIS_6_2, 'redis', '6.2', 'redis6.x'],
  [Engine.REDIS_7_0, 'redis', '7.0', 'redis7'],
  [Engine.REDIS_7_1, 'redis', '7.1', 'redis7'],
  [Engine.redis('5.0.6'), 'redis', '5.0.6', 'redis5.0'],
])('%s', (engine, name, version, family) => {
  expect(engine.engineName).toBe(name);
  expect(engine.engineVersion).toBe(version);
  expect(engine.parameterGroupFamily).toBe(family);
  expect(engine.defaultParameterGroupName(false)).toBe(`default.${family}`);
  expect(engine.defaultParameterGroupName(true)).toBe(`default.${family}.cluster.on`);
});

test('version comparisons', () => {
  expect(Engine.VALKEY_8_1.isAtLeast('8.0')).toBe(true);
  expect(Engine.VALKEY_8_1.isAtLeast('9.0')).toBe(false);
  expect(Engine.valkey('8.10').isAtLeast('8.9')).toBe(true);
  expect(Engine.VALKEY_8_1.majorVersion).toBe(8);
  expect(Engine.VALKEY_8_1.toString()).toBe('valkey 8.1');
});

test('a malformed version has no family', () => {
  expect(() => Engine.valkey('eight').parameterGroupFamily).toThrow(/'eight' is not an engine version of the form major.minor/);
});

test('cluster modes are the CloudFormation values', () => {
  expect([ClusterMode.ENABLED, ClusterMode.DISABLED, ClusterMode.COMPATIBLE]).toEqual(['enabled', 'disabled', 'compatible']);
});
