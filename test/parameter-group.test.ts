import { App, CfnParameter, CfnResource, Lazy, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ClusterMode } from '../src/cluster-mode';
import { Engine } from '../src/engine';
import { IParameterGroup, ParameterGroup } from '../src/parameter-group';

const TYPE = 'AWS::ElastiCache::ParameterGroup';

function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

/** Runs `fn` and returns the error message it throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('ParameterGroup', () => {
  test('defaults: family from the engine, generated description, no properties, deleted with the stack', () => {
    const stack = newStack();
    const group = new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1 });
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 1);
    const [logicalId, resource] = Object.entries(template.findResources(TYPE))[0];
    expect(resource).toEqual({
      Type: TYPE,
      Properties: {
        CacheParameterGroupFamily: 'valkey8',
        Description: 'Parameters for valkey8, cluster mode disabled',
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
    expect(stack.resolve(group.parameterGroupName)).toEqual({ Ref: logicalId });
    expect(stack.resolve(group.parameterGroupRef.cacheParameterGroupName)).toEqual({ Ref: logicalId });
    expect(group.family).toBe('valkey8');
    expect(group.clusterEnabled).toBe(false);
    expect(group.clusterMode).toBe(ClusterMode.DISABLED);
  });

  test.each([
    [Engine.VALKEY_7_2, 'valkey7'],
    [Engine.VALKEY_9_0, 'valkey9'],
    [Engine.REDIS_7_1, 'redis7'],
    [Engine.REDIS_6_2, 'redis6.x'],
    [Engine.redis('5.0.6'), 'redis5.0'],
  ])('engine %s gives family %s', (engine, family) => {
    const stack = newStack();
    new ParameterGroup(stack, 'Params', { engine });
    Template.fromStack(stack).hasResourceProperties(TYPE, { CacheParameterGroupFamily: family });
  });

  test('family prop', () => {
    const stack = newStack();
    new ParameterGroup(stack, 'Params', { family: 'redis6.x', parameters: { 'cluster-allow-reads-when-down': 'yes' }, clusterMode: ClusterMode.ENABLED });
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      CacheParameterGroupFamily: 'redis6.x',
      Properties: { 'cluster-enabled': 'yes', 'cluster-allow-reads-when-down': 'yes' },
    });
  });

  test('clusterMode ENABLED and COMPATIBLE set cluster-enabled yes; DISABLED leaves it out', () => {
    const stack = newStack();
    const enabled = new ParameterGroup(stack, 'Enabled', { engine: Engine.VALKEY_8_1, clusterMode: ClusterMode.ENABLED });
    const compatible = new ParameterGroup(stack, 'Compatible', { engine: Engine.VALKEY_8_1, clusterMode: ClusterMode.COMPATIBLE });
    new ParameterGroup(stack, 'Disabled', { engine: Engine.VALKEY_8_1, clusterMode: ClusterMode.DISABLED });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TYPE, {
      Description: 'Parameters for valkey8, cluster mode enabled (cluster-enabled yes)',
      Properties: { 'cluster-enabled': 'yes' },
    });
    template.hasResourceProperties(TYPE, {
      Description: 'Parameters for valkey8, cluster mode compatible (cluster-enabled yes)',
      Properties: { 'cluster-enabled': 'yes' },
    });
    template.hasResourceProperties(TYPE, { Description: 'Parameters for valkey8, cluster mode disabled', Properties: Match.absent() });
    expect([enabled.clusterEnabled, compatible.clusterEnabled]).toEqual([true, true]);
    expect(enabled.parameterValue('cluster-enabled')).toBe('yes');
  });

  test('parameters, description and addParameter', () => {
    const stack = newStack();
    const group = new ParameterGroup(stack, 'Params', {
      engine: Engine.VALKEY_8_2,
      description: 'cache for sessions',
      parameters: { 'maxmemory-policy': 'allkeys-lru', 'notify-keyspace-events': 'Ex' },
    });
    group.addParameter('timeout', '300');
    group.addParameter('maxmemory-policy', 'allkeys-lfu');
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      Description: 'cache for sessions',
      Properties: { 'maxmemory-policy': 'allkeys-lfu', 'notify-keyspace-events': 'Ex', 'timeout': '300' },
    });
  });

  test('removalPolicy', () => {
    const stack = newStack();
    new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('tags come through Tags.of()', () => {
    const stack = newStack();
    const group = new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1 });
    Tags.of(group).add('team', 'cache');
    Template.fromStack(stack).hasResourceProperties(TYPE, { Tags: [{ Key: 'team', Value: 'cache' }] });
  });

  test('parameterValue: the value set, else the family default', () => {
    const stack = newStack();
    const group = new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, parameters: { 'maxmemory-policy': 'allkeys-lru' } });
    expect(group.parameterValue('maxmemory-policy')).toBe('allkeys-lru');
    expect(group.parameterValue('timeout')).toBe('0');
    expect(group.parameterValue('repl-backlog-size')).toBe('10485760');
    expect(group.parameterValue('cluster-enabled')).toBe('no');
    expect(group.parameterValue('maxmemory')).toBeUndefined();
    expect(group.parameterValue('no-such-parameter')).toBeUndefined();
  });

  test('a family given as a token is passed on and the parameters are not checked', () => {
    const stack = newStack();
    const family = Lazy.string({ produce: () => 'valkey8' });
    const group = new ParameterGroup(stack, 'Params', { family, parameters: { anything: 'goes' } });
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      CacheParameterGroupFamily: 'valkey8',
      Description: 'Parameters for a custom family, cluster mode disabled',
      Properties: { anything: 'goes' },
    });
    expect(group.parameterValue('timeout')).toBeUndefined();
  });

  test('token values are not checked', () => {
    const stack = newStack();
    const policy = new CfnParameter(stack, 'Policy', { default: 'allkeys-lru' });
    new ParameterGroup(stack, 'Params', {
      engine: Engine.VALKEY_8_1,
      parameters: { 'maxmemory-policy': policy.valueAsString, 'timeout': Lazy.string({ produce: () => '5' }) },
    });
    Template.fromStack(stack).hasResourceProperties(TYPE, { Properties: { 'maxmemory-policy': { Ref: 'Policy' }, 'timeout': '5' } });
  });

  test('IParameterGroup is satisfied by groups created and imported', () => {
    const stack = newStack();
    const groups: IParameterGroup[] = [
      new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1 }),
      ParameterGroup.fromParameterGroupName(stack, 'Imported', 'default.valkey8'),
    ];
    expect(groups.map((g) => g.family)).toEqual(['valkey8', 'valkey8']);
  });
});

describe('ParameterGroup imports', () => {
  test('default group names give family, cluster mode and the default values', () => {
    const stack = newStack();
    const on = ParameterGroup.fromParameterGroupName(stack, 'On', 'default.valkey8.cluster.on');
    expect(on.parameterGroupName).toBe('default.valkey8.cluster.on');
    expect(on.parameterGroupRef).toEqual({ cacheParameterGroupName: 'default.valkey8.cluster.on' });
    expect(on.family).toBe('valkey8');
    expect(on.clusterEnabled).toBe(true);
    expect(on.parameterValue('cluster-enabled')).toBe('yes');
    expect(on.parameterValue('maxmemory-policy')).toBe('volatile-lru');
    const off = ParameterGroup.fromParameterGroupName(stack, 'Off', 'default.redis6.x');
    expect([off.family, off.clusterEnabled, off.parameterValue('cluster-enabled')]).toEqual(['redis6.x', false, 'no']);
    // the family is inferred even when the catalogue does not know it
    const old = ParameterGroup.fromParameterGroupName(stack, 'Old', 'default.redis3.2.cluster.on');
    expect([old.family, old.clusterEnabled, old.parameterValue('timeout')]).toEqual(['redis3.2', true, undefined]);
    expect(stack.node.findAll().filter((c) => c instanceof CfnResource)).toEqual([]);
  });

  test('custom names leave family and cluster mode unknown', () => {
    const stack = newStack();
    const custom = ParameterGroup.fromParameterGroupName(stack, 'Custom', 'my-params');
    expect([custom.family, custom.clusterEnabled]).toEqual([undefined, undefined]);
    expect(custom.parameterValue('maxmemory-policy')).toBeUndefined();
    expect(custom.parameterValue('cluster-enabled')).toBeUndefined();
    const token = ParameterGroup.fromParameterGroupName(stack, 'Token', Token.asString({ Ref: 'GroupName' }));
    expect([token.family, token.clusterEnabled]).toEqual([undefined, undefined]);
  });

  test('fromParameterGroupAttributes', () => {
    const stack = newStack();
    const group = ParameterGroup.fromParameterGroupAttributes(stack, 'Custom', { parameterGroupName: 'my-params', family: 'valkey8', clusterEnabled: true });
    expect([group.family, group.clusterEnabled, group.parameterValue('cluster-enabled')]).toEqual(['valkey8', true, 'yes']);
    // only a default group is known to hold the defaults
    expect(group.parameterValue('maxmemory-policy')).toBeUndefined();
    const same = ParameterGroup.fromParameterGroupAttributes(stack, 'Same', { parameterGroupName: 'default.valkey8', family: 'valkey8', clusterEnabled: false });
    expect(same.parameterValue('timeout')).toBe('0');
  });
});

describe('ParameterGroup rules', () => {
  /** Asserts the error names the construct path, the property, the rule and the fix. */
  function expectProblem(message: string, path: string, property: string, rule: string, fix: string | RegExp) {
    expect(message).toContain(`ParameterGroup at '${path}' is invalid`);
    expect(message).toContain(`${property}: `);
    expect(message).toContain(`[rule ${rule}:`);
    expect(message).toMatch(typeof fix === 'string' ? new RegExp(`Fix: .*${fix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : fix);
  }

  test('E4: neither engine nor family', () => {
    const stack = newStack();
    const msg = errorOf(() => new ParameterGroup(stack, 'Params'));
    expectProblem(msg, 'Stack/Params', 'engine', 'E4', 'give engine (e.g. Engine.VALKEY_8_1)');
    expect(msg).toContain('neither engine nor family is given');
  });

  test('E4: both engine and family', () => {
    const stack = newStack();
    const msg = errorOf(() => new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, family: 'valkey8' }));
    expectProblem(msg, 'Stack/Params', 'engine', 'E4', 'not both');
  });

  test('E4: unknown family lists the known ones', () => {
    const stack = newStack();
    const msg = errorOf(() => new ParameterGroup(stack, 'Params', { family: 'valkey-8' }));
    expectProblem(msg, 'Stack/Params', 'family', 'E4', "use 'valkey8'");
    expect(msg).toContain('redis4.0, redis5.0, redis6.x, redis7, valkey7, valkey8, valkey9');
  });

  test('E2 from the engine version', () => {
    const stack = newStack();
    const msg = errorOf(() => new ParameterGroup(stack, 'Params', { engine: Engine.valkey('8') }));
    expectProblem(msg, 'Stack/Params', 'engine', 'E2', 'write the version as major.minor');
  });

  test('E5: unknown parameter name with a suggestion', () => {
    const stack = newStack();
    const msg = errorOf(() => new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, parameters: { 'maxmemory-polcy': 'allkeys-lru' } }));
    expectProblem(msg, 'Stack/Params', "parameters['maxmemory-polcy']", 'E5', "did you mean 'maxmemory-policy'?");
  });

  test('E5: value not allowed, with the allowed values', () => {
    const stack = newStack();
    const msg = errorOf(() => new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, parameters: { 'maxmemory-policy': 'lru' } }));
    expectProblem(msg, 'Stack/Params', "parameters['maxmemory-policy']", 'E5', 'use one of volatile-lru, allkeys-lru, volatile-lfu');
  });

  test('E5: not modifiable in ElastiCache', () => {
    const stack = newStack();
    const msg = errorOf(() => new ParameterGroup(stack, 'Params', { engine: Engine.REDIS_7_1, parameters: { appendonly: 'yes' } }));
    expectProblem(msg, 'Stack/Params', "parameters['appendonly']", 'E5', 'remove appendonly from the parameters');
    expect(msg).toContain('not modifiable in ElastiCache');
  });

  test('E5: cluster-enabled goes through clusterMode', () => {
    const stack = newStack();
    const msg = errorOf(() => new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, parameters: { 'cluster-enabled': 'yes' } }));
    expectProblem(msg, 'Stack/Params', "parameters['cluster-enabled']", 'E5', 'set clusterMode: ClusterMode.ENABLED');
  });

  test('all problems are listed together', () => {
    const stack = newStack();
    const msg = errorOf(
      () => new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1, parameters: { 'timeout': '5', 'maxmemory-samples': '100', 'maxclients': '10' } }),
    );
    expect(msg).toContain('(3 problems)');
  });

  test('addParameter is checked too', () => {
    const stack = newStack();
    const group = new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1 });
    const msg = errorOf(() => group.addParameter('hash-max-ziplist-entries', '128'));
    expectProblem(msg, 'Stack/Params', "parameters['hash-max-ziplist-entries']", 'E5', 'use hash-max-listpack-entries instead');
    Template.fromStack(stack).hasResourceProperties(TYPE, { Properties: Match.absent() });
  });

  test('warnings become annotations: keyspace events without K or E, cluster parameters without cluster mode', () => {
    const stack = newStack();
    new ParameterGroup(stack, 'Params', {
      engine: Engine.VALKEY_8_1,
      parameters: { 'notify-keyspace-events': 'x', 'cluster-require-full-coverage': 'yes' },
    });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Params', Match.stringLikeRegexp("parameters\\['notify-keyspace-events'\\].*rule E5.*Fix:"));
    annotations.hasWarning('/Stack/Params', Match.stringLikeRegexp("parameters\\['cluster-require-full-coverage'\\].*rule T9.*Fix: set clusterMode: ClusterMode.ENABLED"));
    Template.fromStack(stack).hasResourceProperties(TYPE, { Properties: { 'notify-keyspace-events': 'x' } });
  });

  test('E5: parameters newer than the engine version warn', () => {
    const stack = newStack();
    new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_0, parameters: { 'commandlog-large-reply-max-len': '256' } });
    new ParameterGroup(stack, 'Family', { family: 'valkey8', parameters: { 'commandlog-large-reply-max-len': '256' } });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Params', Match.stringLikeRegexp('read from engine version 8.1 on; with 8.0 it has no effect.*rule E5.*Fix: upgrade the engine'));
    annotations.hasNoWarning('/Stack/Family', Match.anyValue());
  });

  test('N4: imported names that are not lower-case letters, digits and hyphens warn', () => {
    const stack = newStack();
    new ParameterGroup(stack, 'Params', { engine: Engine.VALKEY_8_1 }); // a stack needs a resource to synthesize
    ParameterGroup.fromParameterGroupName(stack, 'Imported', 'My_Params');
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Imported', Match.stringLikeRegexp("parameterGroupName: 'My_Params' has upper-case letters.*rule N4.*Fix: write the name as 'my_params'"));
    annotations.hasWarning('/Stack/Imported', Match.stringLikeRegexp('rule N4: parameter group name format'));
  });

  test('E4/T9: attributes that contradict a default group name', () => {
    const stack = newStack();
    const family = errorOf(() => ParameterGroup.fromParameterGroupAttributes(stack, 'A', { parameterGroupName: 'default.valkey8', family: 'redis7' }));
    expectProblem(family, 'Stack/A', 'family', 'E4', "import 'default.redis7'");
    const cluster = errorOf(() => ParameterGroup.fromParameterGroupAttributes(stack, 'B', { parameterGroupName: 'default.valkey8', clusterEnabled: true }));
    expectProblem(cluster, 'Stack/B', 'clusterEnabled', 'T9', "import 'default.valkey8.cluster.on'");
  });
});
