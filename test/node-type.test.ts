import { CfnParameter, Stack } from 'aws-cdk-lib';
import {
  describeNodeType,
  knownNodeTypes,
  nodeFamilyInfo,
  nodeTypeInfo,
  parseNodeTypeName,
  validateAutomaticFailoverNodeType,
  validateBackupNodeType,
  validateDataTiering,
  validateGlobalDatastoreNodeType,
  validateMultiAzNodeType,
  validateNetworkTypeSupport,
  validateNodeType,
  validateNodeTypeEngine,
} from '../src/model/node-types';
import { RuleContext, Violation } from '../src/model/violation';
import { NodeType } from '../src/node-type';

const TOKEN = '${Token[TOKEN.7]}';
const TOKEN_CTX: RuleContext = { isUnresolved: (v) => typeof v === 'string' && v.includes('${Token[') };
const rules = (vs: Violation[]) => vs.map((v) => `${v.rule}:${v.severity}`);

describe('NodeType constants', () => {
  test('figures of a few types', () => {
    expect(NodeType.R7G_LARGE.name).toBe('cache.r7g.large');
    expect(NodeType.R7G_LARGE.family).toBe('r7g');
    expect(NodeType.R7G_LARGE.size).toBe('large');
    expect(NodeType.R7G_LARGE.vcpus).toBe(2);
    expect(NodeType.R7G_LARGE.memoryGib).toBe(13.07);
    expect(NodeType.R7G_LARGE.baselineBandwidthGbps).toBe(0.937);
    expect(NodeType.R7G_LARGE.burstBandwidthGbps).toBe(12.5);
    expect(NodeType.R7G_LARGE.nitro).toBe(true);
    expect(NodeType.R7G_LARGE.burstable).toBe(false);
    expect(NodeType.R7G_LARGE.currentGeneration).toBe(true);
    expect(NodeType.R7G_LARGE.globalDatastoreSupported).toBe(true);
    expect(NodeType.R7G_LARGE.dataTiering).toBe(false);
    expect(NodeType.R7G_LARGE.ssdGib).toBeUndefined();
    expect(NodeType.R7G_LARGE.minimumRedisVersion).toBe('6.2');
    expect(NodeType.R7G_LARGE.minimumValkeyVersion).toBe('7.2');

    expect(NodeType.T4G_MICRO.memoryGib).toBe(0.5);
    expect(NodeType.T4G_MICRO.vcpus).toBe(2);
    expect(NodeType.T4G_MICRO.burstable).toBe(true);
    expect(NodeType.T4G_MICRO.globalDatastoreSupported).toBe(false);
    expect(NodeType.T4G_MICRO.minimumRedisVersion).toBe('4.0.10');
    expect(NodeType.T4G_SMALL.minimumRedisVersion).toBe('5.0.6');

    expect(NodeType.R6GD_XLARGE.dataTiering).toBe(true);
    expect(NodeType.R6GD_XLARGE.memoryGib).toBe(26.32);
    expect(NodeType.R6GD_XLARGE.ssdGib).toBe(99.33);
    expect(NodeType.R6GD_16XLARGE.ssdGib).toBe(1592.56);
    expect(NodeType.R6GD_16XLARGE.vcpus).toBe(64);

    expect(NodeType.M5_24XLARGE.vcpus).toBe(96);
    expect(NodeType.M5_24XLARGE.memoryGib).toBe(314.32);
    expect(NodeType.M5_24XLARGE.burstBandwidthGbps).toBeUndefined();
    expect(NodeType.R5_24XLARGE.memoryGib).toBe(635.61);
    expect(NodeType.C7GN_16XLARGE.baselineBandwidthGbps).toBe(200);
    expect(NodeType.C7GN_LARGE.memoryGib).toBe(3.09);
    expect(NodeType.M7G_16XLARGE.memoryGib).toBe(209.55);
    expect(NodeType.R8G_LARGE.minimumRedisVersion).toBeUndefined();
    expect(NodeType.R8G_LARGE.globalDatastoreSupported).toBeUndefined();
  });

  test('every constant is a known, current-generation type whose name matches the constant', () => {
    const constants = Object.entries(NodeType).filter(([, v]) => v instanceof NodeType) as Array<[string, NodeType]>;
    expect(constants.length).toBeGreaterThanOrEqual(80);
    for (const [key, t] of constants) {
      expect(key).toBe(`${t.family}_${t.size}`.toUpperCase());
      expect(t.vcpus).toBeGreaterThan(0);
      expect(t.memoryGib).toBeGreaterThan(0);
      expect(t.currentGeneration).toBe(true);
      expect(t.nitro).toBe(true);
    }
    const keys = constants.map(([k]) => k);
    for (const k of ['T3_MICRO', 'T3_SMALL', 'T3_MEDIUM', 'T4G_MICRO', 'T4G_MEDIUM', 'M5_LARGE', 'M6G_16XLARGE', 'M7G_8XLARGE', 'R5_12XLARGE', 'R6G_LARGE', 'R7G_16XLARGE', 'R6GD_XLARGE', 'C7GN_LARGE', 'C7GN_12XLARGE']) {
      expect(keys).toContain(k);
    }
    // no data-tiering r6gd.large exists; no previous-generation constants
    expect(keys).not.toContain('R6GD_LARGE');
    expect(keys.some((k) => /^(T1|T2|M4|R4)_/.test(k))).toBe(false);
  });

  test('toString is the name', () => {
    expect(`${NodeType.M7G_XLARGE}`).toBe('cache.m7g.xlarge');
  });
});

describe('NodeType.of', () => {
  test('known type carries its figures', () => {
    const t = NodeType.of('cache.r6gd.4xlarge');
    expect(t.vcpus).toBe(16);
    expect(t.memoryGib).toBe(105.81);
    expect(t.ssdGib).toBe(398.14);
    expect(t.dataTiering).toBe(true);
  });

  test('previous-generation types are known', () => {
    const t2 = NodeType.of('cache.t2.micro');
    expect(t2.currentGeneration).toBe(false);
    expect(t2.nitro).toBe(false);
    expect(t2.burstable).toBe(true);
    expect(t2.vcpus).toBe(1);
    expect(t2.memoryGib).toBe(0.555);
    const t1 = NodeType.of('cache.t1.micro');
    expect(t1.currentGeneration).toBe(false);
    expect(t1.memoryGib).toBe(0.213);
    expect(NodeType.of('cache.m4.10xlarge').vcpus).toBe(40);
    expect(NodeType.of('cache.r4.16xlarge').memoryGib).toBe(407);
    expect(NodeType.of('cache.r4.large').globalDatastoreSupported).toBe(false);
  });

  test('unknown size of a known family: family facts, figures undefined', () => {
    const t = NodeType.of('cache.r7g.48xlarge');
    expect(t.name).toBe('cache.r7g.48xlarge');
    expect(t.family).toBe('r7g');
    expect(t.size).toBe('48xlarge');
    expect(t.vcpus).toBeUndefined();
    expect(t.memoryGib).toBeUndefined();
    expect(t.nitro).toBe(true);
    expect(t.currentGeneration).toBe(true);
    expect(t.globalDatastoreSupported).toBe(true);
  });

  test('unknown family: figures undefined, flags inferred from the family name', () => {
    const t = NodeType.of('cache.r9g.large');
    expect(t.family).toBe('r9g');
    expect(t.vcpus).toBeUndefined();
    expect(t.memoryGib).toBeUndefined();
    expect(t.currentGeneration).toBeUndefined();
    expect(t.globalDatastoreSupported).toBeUndefined();
    expect(t.nitro).toBe(true);
    expect(t.burstable).toBe(false);
    expect(t.dataTiering).toBe(false);
    expect(NodeType.of('cache.t5g.micro').burstable).toBe(true);
  });

  test.each(['r7g.large', 'cache.r7g', 'cache.R7G.large', 'cache.r7g.large ', 'Cache.r7g.large', 'cache..large', '', 'db.r6g.large', 'cache.r7g.large.x'])(
    'malformed %p throws with the expected form',
    (name) => {
      expect(() => NodeType.of(name)).toThrow(/cache\.<family>\.<size>/);
    },
  );

  test('a token is accepted as-is', () => {
    const stack = new Stack();
    const param = new CfnParameter(stack, 'NodeType', { type: 'String', default: 'cache.r7g.large' });
    const t = NodeType.of(param.valueAsString);
    expect(t.name).toBe(param.valueAsString);
    expect(t.family).toBe('');
    expect(t.vcpus).toBeUndefined();
    expect(t.dataTiering).toBe(false);
  });
});

describe('catalogue', () => {
  test('lookup and parsing', () => {
    expect(nodeTypeInfo('cache.c7gn.xlarge')).toMatchObject({ vcpus: 4, memoryGib: 6.38, baselineBandwidthGbps: 12.5, burstBandwidthGbps: 40 });
    expect(nodeTypeInfo('cache.r7g.48xlarge')).toBeUndefined();
    expect(parseNodeTypeName('cache.r6gd.xlarge')).toEqual({ family: 'r6gd', size: 'xlarge' });
    expect(parseNodeTypeName('cache.r6gd')).toBeUndefined();
    expect(describeNodeType('nope')).toBeUndefined();
    expect(nodeFamilyInfo('r6gd')?.dataTiering).toBe(true);
    expect(nodeFamilyInfo('zz9')).toBeUndefined();
  });

  test('sizes and vCPUs are consistent', () => {
    const vcpus: Record<string, number> = { 'large': 2, 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '10xlarge': 40, '12xlarge': 48, '16xlarge': 64, '24xlarge': 96 };
    for (const t of knownNodeTypes()) {
      if (!t.burstable) expect(t.vcpus).toBe(vcpus[t.size]);
      expect(t.name).toBe(`cache.${t.family}.${t.size}`);
      expect(t.ssdGib !== undefined).toBe(t.dataTiering);
    }
  });

  test('coverage of the required families', () => {
    const names = new Set(knownNodeTypes().map((t) => t.name));
    const expectSizes = (family: string, sizes: string[]) => sizes.forEach((s) => expect(names).toContain(`cache.${family}.${s}`));
    const graviton = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
    expectSizes('t3', ['micro', 'small', 'medium']);
    expectSizes('t4g', ['micro', 'small', 'medium']);
    expectSizes('m5', ['large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge']);
    expectSizes('r5', ['large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge']);
    ['m6g', 'm7g', 'r6g', 'r7g', 'c7gn'].forEach((f) => expectSizes(f, graviton));
    expectSizes('r6gd', graviton.slice(1));
    expectSizes('t2', ['micro', 'small', 'medium']);
    expectSizes('t1', ['micro']);
    expectSizes('m4', ['large', 'xlarge', '2xlarge', '4xlarge', '10xlarge']);
    expectSizes('r4', ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '16xlarge']);
  });

  test('Global Datastore eligibility (G2) in the catalogue', () => {
    for (const t of knownNodeTypes()) {
      const eligibleFamily = ['m5', 'm6g', 'm7g', 'r5', 'r6g', 'r6gd', 'r7g', 'c7gn'].includes(t.family);
      if (eligibleFamily) expect(t.globalDatastoreSupported).toBe(true); // all listed sizes are large+
      else if (!['m8g', 'r8g', 'c8gn'].includes(t.family)) expect(t.globalDatastoreSupported).toBe(false);
    }
  });
});

describe('NT1-NT3 validateNodeType', () => {
  test('current known type passes', () => {
    expect(validateNodeType('cache.r7g.large')).toEqual([]);
  });
  test('malformed is an error naming the form', () => {
    const out = validateNodeType('r7g.large');
    expect(rules(out)).toEqual(['NT1:error']);
    expect(out[0].fix).toContain('cache.<family>.<size>');
    expect(out[0].property).toBe('nodeType');
  });
  test('unknown is a warning', () => {
    expect(rules(validateNodeType('cache.r9g.large'))).toEqual(['NT2:warning']);
  });
  test('previous generation is a warning with a current suggestion', () => {
    const out = validateNodeType('cache.r4.2xlarge');
    expect(rules(out)).toEqual(['NT3:warning']);
    expect(out[0].fix).toContain('cache.r7g.2xlarge');
    expect(validateNodeType('cache.t2.small')[0].fix).toContain('cache.t4g.small');
    expect(validateNodeType('cache.m4.10xlarge')[0].fix).toContain('cache.m7g.large');
  });
  test('tokens and undefined skipped', () => {
    expect(validateNodeType(TOKEN, TOKEN_CTX)).toEqual([]);
    expect(validateNodeType(undefined)).toEqual([]);
  });
});

describe('NT4 validateNodeTypeEngine', () => {
  test('versions at or above the minimum pass', () => {
    expect(validateNodeTypeEngine('cache.r7g.large', 'redis', '7.1')).toEqual([]);
    expect(validateNodeTypeEngine('cache.r7g.large', 'valkey', '8.1')).toEqual([]);
    expect(validateNodeTypeEngine('cache.r6gd.xlarge', 'redis', '6.2')).toEqual([]);
    expect(validateNodeTypeEngine('cache.t4g.micro', 'redis', '4.0.10')).toEqual([]);
  });
  test('too old an engine fails', () => {
    const out = validateNodeTypeEngine('cache.r6gd.xlarge', 'redis', '6.0');
    expect(rules(out)).toEqual(['NT4:error']);
    expect(out[0].message).toContain('Redis OSS 6.2.0');
    expect(rules(validateNodeTypeEngine('cache.t4g.small', 'redis', '4.0.10'))).toEqual(['NT4:error']);
    expect(rules(validateNodeTypeEngine('cache.m7g.large', 'redis', '6.x'))).toEqual(['NT4:error']);
  });
  test('8th-generation types are listed for Valkey only', () => {
    expect(validateNodeTypeEngine('cache.r8g.large', 'valkey', '8.0')).toEqual([]);
    expect(rules(validateNodeTypeEngine('cache.r8g.large', 'redis', '7.1'))).toEqual(['NT4:warning']);
  });
  test('unknown type, engine or version is left to other rules', () => {
    expect(validateNodeTypeEngine('cache.r9g.large', 'redis', '7.1')).toEqual([]);
    expect(validateNodeTypeEngine('cache.r7g.large', 'memcached', '1.6')).toEqual([]);
    expect(validateNodeTypeEngine('cache.r7g.large', 'redis', 'latest')).toEqual([]);
    expect(validateNodeTypeEngine('cache.r7g.large', 'redis', TOKEN, TOKEN_CTX)).toEqual([]);
  });
});

describe('D1 validateDataTiering', () => {
  test('r6gd with data tiering, other types without: pass', () => {
    expect(validateDataTiering('cache.r6gd.xlarge', true)).toEqual([]);
    expect(validateDataTiering('cache.r7g.large', false)).toEqual([]);
    expect(validateDataTiering('cache.r7g.large', undefined)).toEqual([]);
  });
  test('r6gd without data tiering fails with the ElastiCache message', () => {
    for (const enabled of [false, undefined]) {
      const out = validateDataTiering('cache.r6gd.xlarge', enabled);
      expect(rules(out)).toEqual(['D1:error']);
      expect(out[0].message).toBe('When using the cache.r6gd.xlarge node type, you must enable data tiering.');
      expect(out[0].property).toBe('dataTiering');
    }
  });
  test('data tiering on a non-r6gd type fails', () => {
    const out = validateDataTiering('cache.r7g.large', true);
    expect(rules(out)).toEqual(['D1:error']);
    expect(out[0].message).toContain('only r6gd');
  });
  test('data tiering on an unknown family is a warning', () => {
    expect(rules(validateDataTiering('cache.r9gd.xlarge', true))).toEqual(['D1:warning']);
  });
  test('tokens skipped', () => {
    expect(validateDataTiering(TOKEN, true, TOKEN_CTX)).toEqual([]);
    expect(validateDataTiering(undefined, true)).toEqual([]);
    const boolTokenCtx: RuleContext = { isUnresolved: (v) => v === true };
    expect(validateDataTiering('cache.r7g.large', true, boolTokenCtx)).toEqual([]);
  });
});

describe('H3 validateMultiAzNodeType', () => {
  test('Multi-AZ on T1 fails', () => {
    expect(rules(validateMultiAzNodeType('cache.t1.micro', true))).toEqual(['H3:error']);
  });
  test('other types or Multi-AZ off pass', () => {
    expect(validateMultiAzNodeType('cache.t1.micro', false)).toEqual([]);
    expect(validateMultiAzNodeType('cache.t2.micro', true)).toEqual([]);
    expect(validateMultiAzNodeType('cache.t4g.micro', true)).toEqual([]);
    expect(validateMultiAzNodeType(TOKEN, true, TOKEN_CTX)).toEqual([]);
  });
});

describe('H4 validateAutomaticFailoverNodeType', () => {
  test('T2 with failover and cluster mode disabled fails', () => {
    const out = validateAutomaticFailoverNodeType('cache.t2.medium', true, false);
    expect(rules(out)).toEqual(['H4:error']);
    expect(out[0].property).toBe('automaticFailover');
  });
  test('T2 with cluster mode enabled, or without failover, passes', () => {
    expect(validateAutomaticFailoverNodeType('cache.t2.medium', true, true)).toEqual([]);
    expect(validateAutomaticFailoverNodeType('cache.t2.medium', false, false)).toEqual([]);
  });
  test('other types pass; undecided cluster mode skips', () => {
    expect(validateAutomaticFailoverNodeType('cache.t3.medium', true, false)).toEqual([]);
    expect(validateAutomaticFailoverNodeType('cache.t2.medium', true, undefined)).toEqual([]);
    expect(validateAutomaticFailoverNodeType(TOKEN, true, false, TOKEN_CTX)).toEqual([]);
  });
});

describe('G2 validateGlobalDatastoreNodeType', () => {
  test.each(['cache.r7g.large', 'cache.m5.24xlarge', 'cache.r6gd.xlarge', 'cache.c7gn.large', 'cache.m6g.large', 'cache.r5.large', 'cache.r7g.48xlarge'])('accepts %p', (n) => {
    expect(validateGlobalDatastoreNodeType(n)).toEqual([]);
  });
  test('burstable types fail', () => {
    const out = validateGlobalDatastoreNodeType('cache.t4g.medium');
    expect(rules(out)).toEqual(['G2:error']);
    expect(out[0].message).toContain('t4g');
  });
  test('previous generation fails', () => {
    expect(rules(validateGlobalDatastoreNodeType('cache.r4.large'))).toEqual(['G2:error']);
    expect(rules(validateGlobalDatastoreNodeType('cache.m4.large'))).toEqual(['G2:error']);
  });
  test('a small size of an eligible family fails', () => {
    const out = validateGlobalDatastoreNodeType('cache.r7g.medium');
    expect(rules(out)).toEqual(['G2:error']);
    expect(out[0].message).toContain('below large');
  });
  test('undocumented types get a warning', () => {
    expect(rules(validateGlobalDatastoreNodeType('cache.r8g.large'))).toEqual(['G2:warning']);
    expect(rules(validateGlobalDatastoreNodeType('cache.r9g.large'))).toEqual(['G2:warning']);
    expect(rules(validateGlobalDatastoreNodeType('cache.t9g.micro'))).toEqual(['G2:error']);
  });
  test('tokens and malformed names skipped', () => {
    expect(validateGlobalDatastoreNodeType(TOKEN, TOKEN_CTX)).toEqual([]);
    expect(validateGlobalDatastoreNodeType('bad')).toEqual([]);
  });
});

describe('X1 validateNetworkTypeSupport', () => {
  test('ipv4 always passes', () => {
    expect(validateNetworkTypeSupport('cache.t2.micro', 'ipv4', 'redis', '5.0.6')).toEqual([]);
    expect(validateNetworkTypeSupport('cache.t2.micro', undefined, undefined, undefined)).toEqual([]);
  });
  test.each(['cache.t3.micro', 'cache.t4g.micro', 'cache.m5.large', 'cache.r5.large', 'cache.m6g.large', 'cache.r7g.large', 'cache.c7gn.large', 'cache.r6gd.xlarge'])(
    'Nitro type %p passes for ipv6 and dual_stack',
    (n) => {
      expect(validateNetworkTypeSupport(n, 'ipv6', 'valkey', '8.1')).toEqual([]);
      expect(validateNetworkTypeSupport(n, 'dual_stack', 'redis', '7.1')).toEqual([]);
    },
  );
  test.each(['cache.t2.micro', 'cache.t1.micro', 'cache.m4.large', 'cache.r4.large', 'cache.m3.large'])('non-Nitro type %p fails', (n) => {
    const out = validateNetworkTypeSupport(n, 'dual_stack', undefined, undefined);
    expect(rules(out)).toEqual(['X1:error']);
    expect(out[0].property).toBe('networkType');
  });
  test('inferred Nitro for unknown families; undecidable gets a warning', () => {
    expect(validateNetworkTypeSupport('cache.m9g.large', 'ipv6', undefined, undefined)).toEqual([]);
    expect(rules(validateNetworkTypeSupport('cache.x2gd.large', 'ipv6', undefined, undefined))).toEqual(['X1:warning']);
  });
  test('Redis OSS before 6.2 fails', () => {
    expect(rules(validateNetworkTypeSupport('cache.r6g.large', 'ipv6', 'redis', '6.0'))).toEqual(['X1:error']);
    expect(rules(validateNetworkTypeSupport('cache.r4.large', 'ipv6', 'redis', '5.0.6'))).toEqual(['X1:error', 'X1:error']);
  });
  test('tokens skipped', () => {
    expect(validateNetworkTypeSupport(TOKEN, 'ipv6', 'redis', '7.1', TOKEN_CTX)).toEqual([]);
    expect(validateNetworkTypeSupport('cache.t2.micro', TOKEN, undefined, undefined, TOKEN_CTX)).toEqual([]);
  });
});

describe('B5 validateBackupNodeType', () => {
  test('backups on cache.t1.micro fail', () => {
    const out = validateBackupNodeType('cache.t1.micro', true);
    expect(rules(out)).toEqual(['B5:error']);
    expect(out[0].property).toBe('snapshotRetentionLimit');
  });
  test('no backups, or other types, pass', () => {
    expect(validateBackupNodeType('cache.t1.micro', false)).toEqual([]);
    expect(validateBackupNodeType('cache.t1.micro', undefined)).toEqual([]);
    expect(validateBackupNodeType('cache.t2.micro', true)).toEqual([]);
    expect(validateBackupNodeType(TOKEN, true, TOKEN_CTX)).toEqual([]);
  });
  test('property can be set', () => {
    expect(validateBackupNodeType('cache.t1.micro', true, undefined, 'restoreFrom')[0].property).toBe('restoreFrom');
  });
});
