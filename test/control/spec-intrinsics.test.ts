import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fillDeferred, readSpec, validateSpec } from '../../engine/control/spec';

// One template with every intrinsic, in YAML short form and in JSON long form: both must read to
// the same, fully resolved spec.
const fixtures = path.join(__dirname, 'fixtures');
const TOKEN = 'a-local-token-0123456789';

function read(file: string, extra: Parameters<typeof readSpec>[1] = {}) {
  return readSpec(path.join(fixtures, file), { secrets: { Token: TOKEN }, env: {}, ...extra });
}

describe.each(['all-intrinsics.yaml', 'all-intrinsics.json'])('%s', (file) => {
  const spec = read(file);
  const rg = spec.replicationGroups[0];

  test('reads without problems and passes validation', () => {
    expect(spec.problems).toEqual([]);
    expect(validateSpec(spec).filter((p) => p.severity === 'error')).toEqual([]);
  });

  test('Ref, pseudo parameters, Fn::Sub with variables and escapes, Fn::Select over Fn::Split', () => {
    expect(spec.stackName).toBe('all-intrinsics');
    expect(rg.description).toBe('prod cache (b) on aws/amazonaws.com account 000000000000 literal ${NotAVar}');
    expect(rg.nodeType).toBe('cache.r7g.large');
    expect(rg.replicasPerNodeGroup).toBe(1); // NumCacheClusters 2 (a Number parameter's default)
    expect(spec.subnetGroups[0].description).toBe('Subnets of all-intrinsics in us-east-1');
  });

  test('conditions: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition, Fn::If with AWS::NoValue', () => {
    expect(rg.automaticFailover).toBe(true);
    expect(rg.multiAz).toBe(true);
    expect(rg.maintenanceWindow).toBeUndefined();
    expect(rg.origin.properties).not.toContain('PreferredMaintenanceWindow');
    expect(spec.topics.map((t) => t.topicName)).toEqual(['prod-cache-events']); // Unused has a false Condition
    expect(spec.outputs.map((o) => o.name)).toEqual(['Primary', 'Reader', 'Topic']);
  });

  test('Fn::GetAZs and subnet AZs, Fn::Join, Fn::Base64, Fn::FindInMap, CommaDelimitedList, Fn::GetAtt', () => {
    expect(rg.availabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
    expect(spec.parameterGroups[0].description).toBe('params for prod');
    expect(spec.parameterGroups[0].parameters).toEqual({ 'maxmemory-policy': 'allkeys-lru', 'notify-keyspace-events': 'Ex' });
    expect(rg.tags.b64).toBe('RXg=');
    expect(rg.snapshotRetentionLimit).toBe(7);
    expect(rg.tags.zone).toBe('zone-z');
    expect(rg.tags.params).toBe(spec.parameterGroups[0].name);
    expect(rg.parameterGroupName).toBe(spec.parameterGroups[0].name);
    expect(rg.notificationTopicArn).toBe('arn:aws:sns:us-east-1:000000000000:prod-cache-events');
    expect(spec.topics[0].arn).toBe(rg.notificationTopicArn);
  });

  test('a NoEcho parameter comes from the supplied secrets', () => {
    expect(rg.authToken).toBe(TOKEN);
  });

  test('generated names are lower-case, stable, and the ones Ref returns', () => {
    expect(spec.parameterGroups[0].name).toMatch(/^all-intrinsics-params-[a-z0-9]{12}$/);
    expect(read(file).parameterGroups[0].name).toBe(spec.parameterGroups[0].name);
    expect(rg.subnetGroupName).toBe(spec.subnetGroups[0].name);
    expect(rg.replicationGroupId).toMatch(/^all-intrinsics-cache-[a-z0-9]{12}$/);
    expect(rg.replicationGroupId.length).toBeLessThanOrEqual(40);
    expect(rg.generatedId).toBe(true);
  });

  test('endpoint attributes are deferred and filled in by the deploy', () => {
    const primary = spec.outputs.find((o) => o.name === 'Primary')!.value;
    const filled = fillDeferred(primary, (d) => (d.attribute.endsWith('Port') ? 6379 : `${d.resourceId}.local`));
    expect(filled).toBe(`${rg.replicationGroupId}.local:6379`);
    expect(spec.outputs.find((o) => o.name === 'Reader')!.value).toEqual({ deferred: true, logicalId: 'Cache', resourceId: rg.replicationGroupId, attribute: 'ReaderEndPoint.Address' });
  });
});

test('YAML and JSON forms read to the same spec', () => {
  const strip = (s: ReturnType<typeof read>) => JSON.parse(JSON.stringify({ ...s, source: undefined }));
  expect(strip(read('all-intrinsics.yaml'))).toEqual(strip(read('all-intrinsics.json')));
});

test('parameter overrides, the region option and the other branch of every condition', () => {
  const spec = read('all-intrinsics.yaml', { parameters: { Env: 'dev', Replicas: '3' }, region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
  const rg = spec.replicationGroups[0];
  expect(rg.description).toMatch(/^dev cache/);
  expect(rg.replicasPerNodeGroup).toBe(2);
  expect(rg.multiAz).toBe(false);
  expect(rg.automaticFailover).toBe(true); // IsDev
  expect(rg.maintenanceWindow).toBe('mon:01:00-mon:02:00');
  expect(rg.snapshotRetentionLimit).toBe(1);
  expect(rg.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
  expect(spec.parameterGroups[0].parameters['maxmemory-policy']).toBe('noeviction');
  expect(spec.topics.map((t) => t.topicName).sort()).toEqual(['dev-cache-events', 'unused']);
  expect(spec.outputs.find((o) => o.name === 'OnlyInDev')?.value).toBe('dev');
});

test('a value outside AllowedValues, a missing NoEcho parameter: problems that say how to supply them', () => {
  const spec = readSpec(path.join(fixtures, 'all-intrinsics.yaml'), { parameters: { Env: 'qa' }, env: {} });
  const byRule = (rule: string) => spec.problems.filter((p) => p.rule === rule);
  expect(byRule('SPEC-SECRET')).toEqual([
    expect.objectContaining({ logicalId: 'Cache', property: 'AuthToken', message: expect.stringMatching(/NoEcho parameter Token/), fix: expect.stringMatching(/--secrets FILE holding \{"Token": "..."\}.*CDK_ELASTICACHE_SECRET_TOKEN/) }),
  ]);
  expect(byRule('SPEC-PARAMETER').length).toBeGreaterThan(0);
  expect(byRule('SPEC-PARAMETER')[0].message).toMatch(/'qa', which is not among its AllowedValues \(prod, dev\)/);
  // The SSM parameter is never referenced, so it needs no value.
  expect(spec.problems.some((p) => p.message.includes('LatestAmi'))).toBe(false);
});

test('NoEcho parameters and SSM parameters from the environment', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cspec-'));
  try {
    const file = path.join(tmp, 'ssm.json');
    fs.writeFileSync(file, JSON.stringify({
      Parameters: { Version: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cache/version' }, Pass: { Type: 'String', NoEcho: true } },
      Resources: {
        Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupDescription: 'x', Engine: 'valkey', EngineVersion: { Ref: 'Version' }, CacheNodeType: 'cache.t4g.micro', TransitEncryptionEnabled: true, AuthToken: { Ref: 'Pass' } } },
      },
    }));
    const missing = readSpec(file, { env: {} });
    expect(missing.problems.map((p) => [p.property, p.rule])).toEqual([['EngineVersion', 'SPEC-PARAMETER'], ['AuthToken', 'SPEC-SECRET']]);
    expect(missing.problems[0].fix).toMatch(/SSM Parameter Store is not available locally; supply the value with --parameters Version=VALUE/);
    const spec = readSpec(file, { env: { CDK_ELASTICACHE_PARAM_VERSION: '8.2', CDK_ELASTICACHE_SECRET_PASS: TOKEN } });
    expect(spec.problems).toEqual([]);
    expect(spec.replicationGroups[0].engineVersion).toBe('8.2');
    expect(spec.replicationGroups[0].authToken).toBe(TOKEN);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
