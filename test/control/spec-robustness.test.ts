import * as fc from 'fast-check';
import { specOf } from './state-fixture';
import { validateSpec } from '../../engine/control/spec';
import { Template } from '../../engine/control/spec/template-file';

// Whatever the template holds, reading and validating report problems and never throw.
const cases: Array<[string, unknown]> = [
  ['Resources is a list', { Resources: [] }],
  ['a null resource', { Resources: { S: null, C: { Type: 'AWS::ElastiCache::CacheCluster' } } }],
  ['Properties is a string', { Resources: { C: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: 'x' } } }],
  ['resource without Type', { Resources: { C: { Properties: {} } } }],
  ['malformed Fn::Join', { Resources: { C: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: { 'Fn::Join': 'x' }, CacheNodeType: 'cache.t4g.micro' } } } }],
  ['Ref to itself', { Resources: { C: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupId: { Ref: 'C' }, ReplicationGroupDescription: 'd', CacheNodeType: 'cache.t4g.micro' } } } }],
  ['condition cycle', { Conditions: { A: { Condition: 'B' }, B: { Condition: 'A' } }, Resources: { C: { Type: 'AWS::ElastiCache::ReplicationGroup', Condition: 'A', Properties: {} } } }],
  ['unknown condition', { Resources: { C: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { MultiAZEnabled: { 'Fn::If': ['Nope', true, false] }, ReplicationGroupDescription: 'd', CacheNodeType: 'cache.t4g.micro' } } } }],
  ['Fn::Sub of an unknown name', { Resources: { C: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: { 'Fn::Sub': '${Nope}' }, CacheNodeType: 'cache.t4g.micro' } } } }],
  ['Fn::Select out of range', { Resources: { C: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: { 'Fn::Select': [9, ['a']] }, CacheNodeType: 'cache.t4g.micro' } } } }],
  ['wrong types', { Resources: { C: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: ['x'], CacheNodeType: 'cache.t4g.micro', Port: 'abc', MultiAZEnabled: 'maybe', NodeGroupConfiguration: 'x', Tags: 5 } } } }],
  ['a Fn::GetAtt of an endpoint inside another resource', {
    Resources: {
      A: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: 'a', CacheNodeType: 'cache.t4g.micro' } },
      B: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: { 'Fn::GetAtt': ['A', 'PrimaryEndPoint.Address'] }, CacheNodeType: 'cache.t4g.micro' } },
    },
  }],
];

test.each(cases)('%s: problems, no exception', (_name, template) => {
  const spec = specOf(template as Template);
  const problems = validateSpec(spec);
  expect(problems.filter((p) => p.severity === 'error').length).toBeGreaterThan(0);
});

test('random property values never make reading or validation throw', () => {
  const intrinsic = fc.oneof(
    fc.record({ Ref: fc.constantFrom('AWS::Region', 'AWS::NoValue', 'Other', 'C', 'P') }),
    fc.record({ 'Fn::GetAtt': fc.constantFrom(['C', 'PrimaryEndPoint.Address'], ['P', 'CacheParameterGroupName'], 'C.Nope', 5) }),
    fc.record({ 'Fn::Join': fc.anything() }),
    fc.record({ 'Fn::Sub': fc.oneof(fc.string(), fc.constant('${AWS::Region}-${P}')) }),
    fc.record({ 'Fn::If': fc.anything() }),
  );
  const value = fc.oneof(fc.anything(), intrinsic, fc.array(intrinsic, { maxLength: 3 }));
  const props = fc.dictionary(
    fc.constantFrom('ReplicationGroupDescription', 'CacheNodeType', 'Port', 'NumCacheClusters', 'NodeGroupConfiguration', 'AuthToken', 'UserGroupIds', 'Engine', 'EngineVersion', 'ClusterMode', 'MultiAZEnabled', 'Tags', 'LogDeliveryConfigurations', 'SnapshotArns'),
    value,
  );
  fc.assert(
    fc.property(props, fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 3 }), (rgProps, pgProps) => {
      const spec = specOf({
        Resources: {
          P: { Type: 'AWS::ElastiCache::ParameterGroup', Properties: { CacheParameterGroupFamily: 'valkey8', Description: 'p', Properties: pgProps } },
          C: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: rgProps },
        },
      });
      validateSpec(spec);
    }),
    { numRuns: 300 },
  );
});
