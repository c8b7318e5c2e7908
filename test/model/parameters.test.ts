import { Lazy, Token } from 'aws-cdk-lib';
import { PARAMETER_GROUP_FAMILIES } from '../../src/model/engine-versions';
import {
  checkValue,
  closestName,
  clusterEnabledOf,
  defaultGroupName,
  editDistance,
  familyDefaults,
  familyParameters,
  isDefaultGroupName,
  MAXMEMORY_POLICIES,
  parameterDefinition,
  parseDefaultGroupName,
  retiredParameter,
  validateClusterModeParameterGroup,
  validateClusterModeParameters,
  validateDataTieringPolicy,
  validateDefaultGroupNotModified,
  validateFamily,
  validateFamilyMatchesEngine,
  validateParameterGroupName,
  validateParameters,
  validateParametersForEngineVersion,
} from '../../src/model/parameters';
import { formatViolation, RESOLVED } from '../../src/model/violation';
import { CDK_CONTEXT } from '../../src/private/report';

const names = (family: string) => [...familyParameters(family)!.keys()];
const def = (family: string, name: string) => {
  const d = parameterDefinition(family, name);
  if (!d) throw new Error(`${family} has no ${name}`);
  return d;
};

describe('catalogue', () => {
  test.each(PARAMETER_GROUP_FAMILIES)('%s has a catalogue with the common parameters', (family) => {
    const params = names(family);
    for (const name of ['maxmemory-policy', 'maxmemory-samples', 'reserved-memory-percent', 'timeout', 'tcp-keepalive', 'notify-keyspace-events', 'cluster-enabled', 'cluster-require-full-coverage', 'activedefrag', 'active-defrag-cycle-max', 'appendonly', 'appendfsync', 'slowlog-log-slower-than', 'slowlog-max-len', 'lua-time-limit', 'databases', 'maxclients', 'maxmemory', 'client-output-buffer-limit-pubsub-hard-limit', 'set-max-intset-entries', 'lfu-log-factor', 'lfu-decay-time', 'repl-backlog-size', 'repl-backlog-ttl', 'close-on-replica-write', 'min-replicas-to-write', 'min-replicas-max-lag', 'proto-max-bulk-len'].filter((n) => !(family === 'redis4.0' && /replica/.test(n)))) {
      expect(params).toContain(name);
    }
  });

  test('unknown families have no catalogue', () => {
    expect(familyParameters('redis3.2')).toBeUndefined();
    expect(familyParameters('memcached1.6')).toBeUndefined();
    expect(parameterDefinition('valkey10', 'timeout')).toBeUndefined();
    expect(familyDefaults('nope')).toBeUndefined();
  });

  test('every entry is well formed and its default passes its own check', () => {
    for (const family of PARAMETER_GROUP_FAMILIES) {
      for (const d of familyParameters(family)!.values()) {
        expect(d.description.length).toBeGreaterThan(10);
        if (d.type === 'boolean') expect(d.allowedValues).toEqual(['yes', 'no']);
        if (d.type === 'enum') expect(d.allowedValues!.length).toBeGreaterThan(1);
        if (d.nodeTypeSpecific) {
          expect(d.modifiable).toBe(false);
          continue;
        }
        // The guide gives cluster-databases a default (0) outside its values (1 to 10,000).
        if (d.name === 'cluster-databases') continue;
        expect(d.default).toBeDefined();
        expect({ name: d.name, family, ...checkValue(d, d.default!) }).not.toHaveProperty('error');
      }
    }
  });

  test('maxmemory-policy has the eight policies (LFU ones since Redis OSS 4.0.10) in every family', () => {
    for (const family of PARAMETER_GROUP_FAMILIES) {
      const d = def(family, 'maxmemory-policy');
      expect([...d.allowedValues!].sort()).toEqual([...MAXMEMORY_POLICIES].sort());
      expect(d.default).toBe('volatile-lru');
      expect(d.modifiable).toBe(true);
    }
    expect(MAXMEMORY_POLICIES).toHaveLength(8);
  });

  test('valkey7 has exactly the redis7 parameters', () => {
    expect(familyParameters('valkey7')).toEqual(familyParameters('redis7'));
  });

  test('encoding thresholds: ziplist up to redis6.x, listpack from redis7 on', () => {
    for (const family of ['redis4.0', 'redis5.0', 'redis6.x']) {
      expect(names(family)).toEqual(expect.arrayContaining(['hash-max-ziplist-entries', 'zset-max-ziplist-value', 'list-max-ziplist-size']));
      expect(names(family)).not.toContain('hash-max-listpack-entries');
      expect(names(family)).not.toContain('list-max-ziplist-entries');
    }
    for (const family of ['redis7', 'valkey7', 'valkey8', 'valkey9']) {
      expect(names(family)).toEqual(expect.arrayContaining(['hash-max-listpack-entries', 'hash-max-listpack-value', 'zset-max-listpack-entries', 'zset-max-listpack-value']));
      expect(names(family)).not.toContain('hash-max-ziplist-entries');
      expect(names(family)).not.toContain('list-max-ziplist-size');
      expect(def(family, 'hash-max-listpack-entries').default).toBe('512');
      expect(def(family, 'zset-max-listpack-entries').default).toBe('128');
    }
  });

  test('renames of Redis OSS 5.0: slave names give way to replica names', () => {
    expect(names('redis4.0')).toEqual(expect.arrayContaining(['min-slaves-to-write', 'slave-lazy-flush', 'close-on-slave-write', 'client-output-buffer-limit-slave-hard-limit']));
    for (const family of ['redis5.0', 'redis6.x', 'redis7', 'valkey9']) {
      expect(names(family)).not.toContain('min-slaves-to-write');
      expect(names(family)).toContain('min-replicas-to-write');
      expect(names(family)).toContain('client-output-buffer-limit-replica-soft-limit');
      expect(retiredParameter(family, 'close-on-slave-write')).toEqual({ name: 'close-on-slave-write', retiredIn: 'Redis OSS 5.0', replacement: 'close-on-replica-write' });
    }
    expect(names('redis5.0')).toContain('replica-lazy-flush');
    expect(names('redis4.0')).toContain('repl-timeout');
    expect(names('redis5.0')).not.toContain('repl-timeout');
  });

  test('per-release changes of defaults, ranges and modifiability', () => {
    expect(def('redis4.0', 'active-defrag-cycle-min').default).toBe('25');
    expect(def('redis5.0', 'active-defrag-cycle-min').default).toBe('5');
    expect(def('redis4.0', 'tcp-keepalive').default).toBe('300');
    expect(def('redis6.x', 'activerehashing')).toMatchObject({ modifiable: true, applies: 'at-creation' });
    expect(def('redis7', 'activerehashing').modifiable).toBe(false);
    expect(def('redis6.x', 'databases')).toMatchObject({ modifiable: true, applies: 'at-creation', default: '16' });
    expect(def('redis7', 'repl-backlog-size').default).toBe('1048576');
    expect(def('valkey8', 'repl-backlog-size').default).toBe('10485760');
    expect(def('redis7', 'maxmemory-samples')).toMatchObject({ min: 1, default: '3' });
    expect(def('redis7', 'maxmemory-samples').max).toBeUndefined();
    expect(def('valkey8', 'maxmemory-samples')).toMatchObject({ min: 1, max: 64 });
    expect(def('redis7', 'cluster-preferred-endpoint-type')).toMatchObject({ allowedValues: ['ip', 'tls-dynamic'], default: 'tls-dynamic', clusterMode: true });
    for (const family of PARAMETER_GROUP_FAMILIES) {
      for (const name of ['appendonly', 'appendfsync', 'lua-time-limit', 'maxclients', 'maxmemory', 'cluster-enabled']) {
        expect(def(family, name).modifiable).toBe(false);
      }
    }
  });

  test('additions per family: 6.x, 7, Valkey 8.0/8.1/8.2 and 9', () => {
    expect(names('redis5.0')).toContain('lua-replicate-commands');
    expect(names('redis6.x')).not.toContain('lua-replicate-commands');
    expect(def('redis6.x', 'acl-pubsub-default')).toMatchObject({ since: '6.2', default: 'allchannels' });
    expect(def('redis6.x', 'cluster-allow-reads-when-down').clusterMode).toBe(true);
    expect(names('redis6.x')).toEqual(expect.arrayContaining(['tracking-table-max-keys', 'acllog-max-len', 'active-expire-effort', 'lazyfree-lazy-user-del']));
    expect(names('redis6.x')).not.toContain('latency-tracking');
    expect(names('redis7')).toEqual(expect.arrayContaining(['latency-tracking', 'cluster-allow-pubsubshard-when-down']));
    expect(names('redis7')).toContain('lazyfree-lazy-eviction');
    for (const family of ['valkey8', 'valkey9']) {
      expect(names(family)).not.toContain('lazyfree-lazy-eviction');
      expect(names(family)).not.toContain('lazyfree-lazy-user-del');
      expect(names(family)).not.toContain('replica-lazy-flush');
      expect(def(family, 'extended-redis-compatibility').default).toBe('yes');
      expect(def(family, 'commandlog-large-request-max-len')).toMatchObject({ since: '8.1', min: 0, max: 1024 });
      expect(def(family, 'search-fanout-target-mode')).toMatchObject({ since: '8.2', allowedValues: ['client', 'throughput'] });
      expect(def(family, 'search-default-timeout-ms')).toMatchObject({ min: 1, max: 60000, default: '50000' });
    }
    expect(names('valkey7')).not.toContain('extended-redis-compatibility');
    expect(names('valkey8')).not.toContain('cluster-databases');
    expect(def('valkey9', 'cluster-databases')).toMatchObject({ min: 1, max: 10000, applies: 'at-creation', clusterMode: true });
  });

  test('familyDefaults gives the values of the default groups', () => {
    const off = familyDefaults('valkey8')!;
    expect(off['maxmemory-policy']).toBe('volatile-lru');
    expect(off['cluster-enabled']).toBe('no');
    expect(off.maxmemory).toBeUndefined();
    expect(off['reserved-memory-percent']).toBe('25');
    expect(familyDefaults('valkey8', true)!['cluster-enabled']).toBe('yes');
  });
});

describe('default group names and cluster-enabled', () => {
  test('parseDefaultGroupName', () => {
    expect(parseDefaultGroupName('default.valkey8')).toEqual({ family: 'valkey8', clusterEnabled: false });
    expect(parseDefaultGroupName('default.valkey8.cluster.on')).toEqual({ family: 'valkey8', clusterEnabled: true });
    expect(parseDefaultGroupName('default.redis6.x.cluster.on')).toEqual({ family: 'redis6.x', clusterEnabled: true });
    expect(parseDefaultGroupName('default.redis5.0')).toEqual({ family: 'redis5.0', clusterEnabled: false });
    expect(parseDefaultGroupName('my-params')).toBeUndefined();
    expect(parseDefaultGroupName('default.')).toBeUndefined();
  });

  test('defaultGroupName and isDefaultGroupName', () => {
    expect(defaultGroupName('redis7', true)).toBe('default.redis7.cluster.on');
    expect(defaultGroupName('valkey9', false)).toBe('default.valkey9');
    expect(isDefaultGroupName('default.valkey9')).toBe(true);
    expect(isDefaultGroupName('mine')).toBe(false);
  });

  test('clusterEnabledOf a name or parameters', () => {
    expect(clusterEnabledOf('default.valkey7.cluster.on')).toBe(true);
    expect(clusterEnabledOf('default.valkey7')).toBe(false);
    expect(clusterEnabledOf('custom')).toBeUndefined();
    expect(clusterEnabledOf({ 'cluster-enabled': 'yes' })).toBe(true);
    expect(clusterEnabledOf({ 'cluster-enabled': 'no' })).toBe(false);
    expect(clusterEnabledOf({})).toBe(false);
    expect(clusterEnabledOf({ 'cluster-enabled': Lazy.string({ produce: () => 'yes' }) })).toBeUndefined();
  });
});

describe('validateParameters (E4, E5)', () => {
  const one = (family: string, params: Record<string, string>) => {
    const v = validateParameters(family, params, RESOLVED);
    expect(v).toHaveLength(1);
    return v[0];
  };

  test('valid parameters give no violations', () => {
    expect(
      validateParameters(
        'valkey8',
        {
          'maxmemory-policy': 'allkeys-lfu',
          'maxmemory-samples': '10',
          'timeout': '300',
          'notify-keyspace-events': 'Ex',
          'activedefrag': 'yes',
          'reserved-memory-percent': '50',
          'slowlog-log-slower-than': '-1',
          'cluster-require-full-coverage': 'no',
          'commandlog-request-larger-than': '2048',
        },
        RESOLVED,
      ),
    ).toEqual([]);
  });

  test('E4: an unknown family lists the known ones', () => {
    const v = one('valkey80', { timeout: '0' });
    expect(v).toMatchObject({ rule: 'E4', property: 'parameters', severity: 'error' });
    expect(v.message).toContain(PARAMETER_GROUP_FAMILIES.join(', '));
    expect(v.fix).toContain("'valkey8'");
    expect(validateFamily('redis3.2', RESOLVED)[0].message).toContain("'redis3.2'");
    expect(validateFamily('valkey9', RESOLVED)).toEqual([]);
  });

  test('E5: an unknown name names the closest parameter', () => {
    const v = one('valkey8', { 'maxmemory-polcy': 'allkeys-lru' });
    expect(v).toMatchObject({ rule: 'E5', property: "parameters['maxmemory-polcy']" });
    expect(v.message).toBe('maxmemory-polcy is not a parameter of family valkey8');
    expect(v.fix).toBe("did you mean 'maxmemory-policy'?");
    expect(one('valkey8', { 'totally-unrelated-thing': '1' }).fix).toContain('remove totally-unrelated-thing');
  });

  test('E5: a parameter from an earlier family says what replaced it', () => {
    const v = one('valkey8', { 'hash-max-ziplist-entries': '128' });
    expect(v.message).toContain('gone since Redis OSS 7');
    expect(v.fix).toBe('use hash-max-listpack-entries instead');
    expect(one('redis6.x', { 'min-slaves-to-write': '1' }).fix).toBe('use min-replicas-to-write instead');
    expect(one('valkey8', { 'lazyfree-lazy-eviction': 'yes' }).message).toContain('gone since Valkey 8.0');
    // and a parameter that only a later family has is unknown in the earlier one
    expect(one('redis6.x', { 'latency-tracking': 'yes' }).message).toContain('not a parameter of family redis6.x');
  });

  test('E5: wrong type, out of range and not in the allowed set', () => {
    expect(one('redis7', { 'maxmemory-samples': 'ten' })).toMatchObject({ message: "'ten' is not an integer", fix: 'use an integer of at least 1' });
    expect(one('valkey8', { 'maxmemory-samples': '65' })).toMatchObject({ message: '65 is out of range for maxmemory-samples', fix: 'use an integer from 1 to 64' });
    expect(validateParameters('redis7', { 'maxmemory-samples': '65' }, RESOLVED)).toEqual([]);
    expect(one('redis7', { 'reserved-memory-percent': '101' }).fix).toBe('use an integer from 0 to 100');
    expect(one('redis7', { 'active-defrag-ignore-bytes': '1' }).fix).toBe('use an integer from 10485760 to 104857600');
    const policy = one('redis7', { 'maxmemory-policy': 'lru' });
    expect(policy.fix).toBe(`use one of ${MAXMEMORY_POLICIES.join(', ')}`);
    expect(one('redis7', { activedefrag: 'true' }).fix).toBe('use one of yes, no');
    expect(one('redis7', { 'cluster-preferred-endpoint-type': 'hostname' }).fix).toBe('use one of ip, tls-dynamic');
    expect(one('redis7', { 'acl-pubsub-default': 'none' }).fix).toBe('use one of resetchannels, allchannels');
  });

  test('E5: timeout is 0 or at least 20', () => {
    expect(validateParameters('redis7', { timeout: '0' }, RESOLVED)).toEqual([]);
    expect(validateParameters('redis7', { timeout: '20' }, RESOLVED)).toEqual([]);
    expect(one('redis7', { timeout: '10' })).toMatchObject({ message: '10 seconds is too short for timeout', fix: 'use an integer: 0 (never) or 20 and more' });
    expect(one('redis7', { timeout: '-1' }).message).toContain('out of range');
  });

  test('E5: notify-keyspace-events letters', () => {
    for (const ok of ['', 'AKE', 'Ex', 'Kg$lshzxe', 'E$']) {
      expect(validateParameters('valkey8', { 'notify-keyspace-events': ok }, RESOLVED)).toEqual([]);
    }
    const bad = one('valkey8', { 'notify-keyspace-events': 'KEtm' });
    expect(bad).toMatchObject({ severity: 'error' });
    expect(bad.message).toContain("'t', 'm'");
    expect(bad.fix).toContain('K E g $ l s h z x e A');
    const noChannel = one('valkey8', { 'notify-keyspace-events': 'x' });
    expect(noChannel).toMatchObject({ severity: 'warning', rule: 'E5' });
    expect(noChannel.message).toContain('neither K');
  });

  test('E5: rename-commands takes pairs of renamable commands', () => {
    expect(validateParameters('redis6.x', { 'rename-commands': 'KEYS keys-renamed flushall my-flushall' }, RESOLVED)).toEqual([]);
    expect(one('redis6.x', { 'rename-commands': 'KEYS' }).message).toContain('not a list of pairs');
    expect(one('redis6.x', { 'rename-commands': 'CONFIG cfg' }).message).toBe("'CONFIG' is not a command ElastiCache lets you rename");
    expect(names('redis4.0')).not.toContain('rename-commands');
  });

  test('E5: parameters that are not modifiable in ElastiCache', () => {
    const v = one('valkey8', { maxclients: '100' });
    expect(v).toMatchObject({ rule: 'E5', title: 'parameter must be modifiable', property: "parameters['maxclients']" });
    expect(v.message).toBe('maxclients is not modifiable in ElastiCache (it stays at "65000")');
    expect(v.fix).toBe('remove maxclients from the parameters');
    expect(one('redis7', { appendonly: 'yes' }).title).toBe('parameter must be modifiable');
    expect(one('redis7', { 'lua-time-limit': '1000' }).title).toBe('parameter must be modifiable');
    expect(one('redis7', { maxmemory: '1000' }).message).toContain('follows the node type');
    expect(one('redis7', { activerehashing: 'no' }).title).toBe('parameter must be modifiable');
    expect(validateParameters('redis6.x', { activerehashing: 'no', databases: '32' }, RESOLVED)).toEqual([]);
  });

  test('E5: cluster-enabled comes from the cluster mode unless the caller allows it', () => {
    const v = one('valkey8', { 'cluster-enabled': 'yes' });
    expect(v.fix).toContain('clusterMode: ClusterMode.ENABLED');
    expect(validateParameters('valkey8', { 'cluster-enabled': 'yes' }, RESOLVED, 'Properties', { clusterEnabledSettable: true })).toEqual([]);
    expect(validateParameters('valkey8', { 'cluster-enabled': 'on' }, RESOLVED, 'Properties', { clusterEnabledSettable: true })[0].property).toBe("Properties['cluster-enabled']");
  });

  test('tokens are skipped: family, names and values', () => {
    const lazy = Lazy.string({ produce: () => 'bogus' });
    const tokenValue = Token.asString({ Ref: 'Param' });
    expect(validateParameters('valkey8', { 'maxmemory-policy': tokenValue, 'timeout': lazy }, CDK_CONTEXT)).toEqual([]);
    expect(validateParameters('valkey8', { [lazy]: 'x' }, CDK_CONTEXT)).toEqual([]);
    expect(validateParameters(Lazy.string({ produce: () => 'nope' }), { nonsense: 'x' }, CDK_CONTEXT)).toEqual([]);
    expect(validateParameters(undefined, { nonsense: 'x' }, CDK_CONTEXT)).toEqual([]);
    // an unknown name is still reported when only its value is a token
    expect(validateParameters('valkey8', { nonsense: tokenValue }, CDK_CONTEXT)).toHaveLength(1);
    // a non-modifiable parameter is reported whatever its value
    expect(validateParameters('valkey8', { maxclients: tokenValue }, CDK_CONTEXT)).toHaveLength(1);
  });

  test('validateParametersForEngineVersion warns about parameters newer than the engine', () => {
    const params = { 'commandlog-large-reply-max-len': '10', 'search-default-timeout-ms': '100', 'maxmemory-policy': 'allkeys-lru' };
    const at80 = validateParametersForEngineVersion('valkey8', '8.0', params, RESOLVED);
    expect(at80.map((v) => v.property)).toEqual(["parameters['commandlog-large-reply-max-len']", "parameters['search-default-timeout-ms']"]);
    expect(at80.every((v) => v.severity === 'warning' && v.rule === 'E5')).toBe(true);
    expect(validateParametersForEngineVersion('valkey8', '8.1', params, RESOLVED)).toHaveLength(1);
    expect(validateParametersForEngineVersion('valkey8', '8.2', params, RESOLVED)).toEqual([]);
    expect(validateParametersForEngineVersion('redis6.x', '6.0', { 'acl-pubsub-default': 'resetchannels' }, RESOLVED)).toHaveLength(1);
    expect(validateParametersForEngineVersion('redis6.x', '6.x', { 'acl-pubsub-default': 'resetchannels' }, RESOLVED)).toHaveLength(1);
    expect(validateParametersForEngineVersion('valkey8', Lazy.string({ produce: () => '8.0' }), params, CDK_CONTEXT)).toEqual([]);
  });
});

describe('cluster mode rules (T9)', () => {
  test('cluster-only parameters in a cluster mode disabled group warn', () => {
    const params = { 'cluster-allow-reads-when-down': 'yes', 'timeout': '0' };
    const v = validateClusterModeParameters('valkey8', false, params, RESOLVED);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: 'T9', severity: 'warning', property: "parameters['cluster-allow-reads-when-down']" });
    expect(validateClusterModeParameters('valkey8', true, params, RESOLVED)).toEqual([]);
  });

  test('cluster mode enabled needs cluster-enabled yes, naming the default group', () => {
    const [v] = validateClusterModeParameterGroup({ clusterModeEnabled: true, groupClusterEnabled: false, groupName: 'default.valkey8', family: 'valkey8' });
    expect(v).toMatchObject({ rule: 'T9', title: 'cluster mode enabled requires a parameter group with cluster-enabled yes', property: 'parameterGroup', severity: 'error' });
    expect(v.message).toContain("'default.valkey8' has cluster-enabled no");
    expect(v.fix).toContain("'default.valkey8.cluster.on'");
    expect(v.fix).toContain('clusterMode: ClusterMode.ENABLED');
  });

  test('cluster mode disabled needs cluster-enabled no', () => {
    const [v] = validateClusterModeParameterGroup({ clusterModeEnabled: false, groupClusterEnabled: true, family: 'redis7', property: 'cacheParameterGroup' });
    expect(v).toMatchObject({ title: 'cluster mode disabled requires a parameter group with cluster-enabled no', property: 'cacheParameterGroup' });
    expect(v.fix).toContain("'default.redis7'");
    const [generic] = validateClusterModeParameterGroup({ clusterModeEnabled: true, groupClusterEnabled: false });
    expect(generic.fix).toContain('default.<family>.cluster.on');
  });

  test('matching or unknown cluster-enabled passes', () => {
    expect(validateClusterModeParameterGroup({ clusterModeEnabled: true, groupClusterEnabled: true })).toEqual([]);
    expect(validateClusterModeParameterGroup({ clusterModeEnabled: false, groupClusterEnabled: false })).toEqual([]);
    expect(validateClusterModeParameterGroup({ clusterModeEnabled: true, groupClusterEnabled: undefined })).toEqual([]);
  });
});

describe('E4, E5, E6 and N4 group rules', () => {
  test('E4: family mismatch reads like the ElastiCache error', () => {
    const [v] = validateFamilyMatchesEngine('redis7', 'valkey8');
    expect(v).toMatchObject({ rule: 'E4', property: 'parameterGroup', message: 'Expected a parameter group of family valkey8 but found one of family redis7' });
    expect(v.fix).toContain("'default.valkey8'");
    expect(validateFamilyMatchesEngine('valkey8', 'valkey8')).toEqual([]);
    expect(validateFamilyMatchesEngine(undefined, 'valkey8')).toEqual([]);
    expect(validateFamilyMatchesEngine(Lazy.string({ produce: () => 'x' }), 'valkey8', CDK_CONTEXT)).toEqual([]);
  });

  test('E6: data tiering eviction policies', () => {
    for (const ok of ['volatile-lru', 'allkeys-lru', 'noeviction']) expect(validateDataTieringPolicy(ok)).toEqual([]);
    const [v] = validateDataTieringPolicy('allkeys-lfu');
    expect(v).toMatchObject({ rule: 'E6', severity: 'error' });
    expect(formatViolation(v)).toContain('volatile-lru, allkeys-lru, noeviction');
    expect(validateDataTieringPolicy(undefined)).toEqual([]);
    expect(validateDataTieringPolicy(Token.asString({ Ref: 'P' }), CDK_CONTEXT)).toEqual([]);
  });

  test('E5: default groups cannot be modified', () => {
    const [v] = validateDefaultGroupNotModified('default.valkey8', RESOLVED);
    expect(v).toMatchObject({ rule: 'E5', title: 'default parameter groups cannot be modified' });
    expect(validateDefaultGroupNotModified('mine', RESOLVED)).toEqual([]);
  });

  test('N4: name warnings', () => {
    expect(validateParameterGroupName('my-params', RESOLVED)).toEqual([]);
    expect(validateParameterGroupName('default.redis7.cluster.on', RESOLVED)).toEqual([]);
    const v = validateParameterGroupName('My_Params', RESOLVED);
    expect(v.map((x) => [x.rule, x.severity])).toEqual([
      ['N4', 'warning'],
      ['N4', 'warning'],
    ]);
    expect(v[0].fix).toBe("write the name as 'my_params'");
    expect(validateParameterGroupName(Lazy.string({ produce: () => 'X' }), CDK_CONTEXT)).toEqual([]);
  });
});

describe('suggestions', () => {
  test('editDistance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('closestName', () => {
    expect(closestName('valkey-8', ['valkey8', 'valkey9', 'redis7'])).toBe('valkey8');
    expect(closestName('tcp-keepalve', names('redis7'))).toBe('tcp-keepalive');
    expect(closestName('xyz', ['valkey8'])).toBeUndefined();
  });
});
