import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, SecretValue, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { readSpec, SpecError, validateSpec } from '../../engine/control/spec';
import { buildApp } from '../../examples/typescript/app';
import { ClusterMode, Engine, NodeType, ReplicationGroup } from '../../src';

// The example app, synthesized to a cloud assembly and read back as the deploy reads it.
let outdir: string;
const PASSWORDS = { 'leaderboard/default-password': 'default-password-0123456789', 'leaderboard/app-password': 'app-password-0123456789' };

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cspec-out-'));
  buildApp(outdir).synth();
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('a cdk.out with several ElastiCache stacks needs --stack, and the error lists them', () => {
  let err: unknown;
  try {
    readSpec(outdir, { env: {} });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SpecError);
  expect((err as Error).message).toMatch(/has 4 stacks; choose one with --stack NAME/);
  for (const name of ['SessionStore (us-east-1): 2', 'Leaderboard (us-east-1): 6', 'GlobalPrimary', 'GlobalSecondary (eu-west-1)']) {
    expect((err as Error).message).toContain(name);
  }
  expect(() => readSpec(outdir, { stackName: 'Nope', env: {} })).toThrow(/has no stack 'Nope'/);
});

test('SessionStore: cluster mode disabled, 1 primary + 2 replicas over the subnet group AZs', () => {
  const spec = readSpec(outdir, { stackName: 'SessionStore', env: {} });
  expect(spec.source.kind).toBe('cdk-out');
  expect(spec.region).toBe('us-east-1');
  expect(spec.accountId).toBe('111111111111');
  expect(validateSpec(spec)).toEqual([]);
  const [rg] = spec.replicationGroups;
  expect(rg).toMatchObject({
    replicationGroupId: 'sessions',
    engine: 'valkey',
    engineVersion: '8.1',
    nodeType: 'cache.r7g.large',
    clusterMode: 'disabled',
    numNodeGroups: 1,
    replicasPerNodeGroup: 2,
    nodeGroups: [{ nodeGroupId: '0001', replicaCount: 2 }],
    automaticFailover: true,
    multiAz: true,
    port: 6379,
    parameterGroupName: 'default.valkey8',
    transitEncryption: true,
    atRestEncryption: true,
    snapshotRetentionLimit: 1,
    finalSnapshotName: 'sessions-final-snapshot',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
  });
  expect(rg.subnetGroupName).toBe(spec.subnetGroups[0].name);
});

test('Leaderboard: cluster mode enabled, custom parameter group, RBAC users whose passwords are Secrets Manager references', () => {
  const missing = readSpec(outdir, { stackName: 'Leaderboard', env: {} });
  expect(missing.problems.map((p) => [p.logicalId, p.property, p.rule])).toEqual([
    ['Resource', 'AuthenticationMode.Passwords[0]', 'SPEC-SECRET'],
    ['AppF1B96344', 'AuthenticationMode.Passwords[0]', 'SPEC-SECRET'],
  ]);
  expect(missing.problems[0].fix).toMatch(/--secrets FILE holding \{"leaderboard\/default-password": "..."\}, or set CDK_ELASTICACHE_SECRET_LEADERBOARD_DEFAULT_PASSWORD/);
  // The users whose secrets are missing still count as password users: no rule says they have none.
  expect(missing.users.map((u) => [u.userId, u.authenticationType, u.unresolvedPasswords])).toEqual([['leaderboard-default', 'password', 1], ['leaderboard-app', 'password', 1]]);
  expect(validateSpec(missing).filter((p) => p.severity === 'error').map((p) => p.rule)).toEqual(['SPEC-SECRET', 'SPEC-SECRET']);

  const spec = readSpec(outdir, { stackName: 'Leaderboard', secrets: { 'leaderboard/default-password': PASSWORDS['leaderboard/default-password'] }, env: { CDK_ELASTICACHE_SECRET_LEADERBOARD_APP_PASSWORD: PASSWORDS['leaderboard/app-password'] } });
  expect(validateSpec(spec)).toEqual([]);
  const [rg] = spec.replicationGroups;
  expect(rg.clusterMode).toBe('enabled');
  expect(rg.nodeGroups.map((g) => [g.nodeGroupId, g.slots, g.replicaCount])).toEqual([['0001', '0-5461', 1], ['0002', '5462-10922', 1], ['0003', '10923-16383', 1]]);
  expect(rg.useOnlineResharding).toBe(true);
  expect(rg.parameterGroupName).toBe(spec.parameterGroups[0].name);
  expect(spec.parameterGroups[0].parameters).toEqual({ 'cluster-enabled': 'yes', 'maxmemory-policy': 'allkeys-lru', 'notify-keyspace-events': 'Ex' });
  expect(rg.userGroupIds).toEqual([spec.userGroups[0].userGroupId]);
  expect(spec.userGroups[0].userIds).toEqual(['leaderboard-default', 'leaderboard-app']);
  expect(spec.users.map((u) => [u.userId, u.userName, u.authenticationType, u.passwords])).toEqual([
    ['leaderboard-default', 'default', 'password', [PASSWORDS['leaderboard/default-password']]],
    ['leaderboard-app', 'app', 'password', [PASSWORDS['leaderboard/app-password']]],
  ]);
});

test('a template file inside cdk.out takes its stack name and environment from the manifest', () => {
  const spec = readSpec(path.join(outdir, 'GlobalSecondary.template.json'), { env: {} });
  expect([spec.source.kind, spec.stackName, spec.region, spec.accountId]).toEqual(['cloudformation-json', 'GlobalSecondary', 'eu-west-1', '111111111111']);
});

test('GlobalSecondary: the Global Datastore id comes from the primary stack\'s cross-region export', () => {
  const spec = readSpec(outdir, { stackName: 'GlobalSecondary', env: {} });
  expect(spec.region).toBe('eu-west-1');
  // Alone, the secondary cannot know it: the fix says which stack to deploy first.
  const problems = validateSpec(spec);
  expect(problems.map((p) => [p.property, p.rule])).toEqual([['GlobalReplicationGroupId', 'SPEC-UNRESOLVED']]);
  expect(problems[0].message).toMatch(/ExportsReader.*cross-region reference/);
  expect(problems[0].fix).toMatch(/deploy the stack that exports it/);
  // The primary stack's export writer publishes the id; read with it, the secondary resolves.
  const primary = readSpec(outdir, { stackName: 'GlobalPrimary', env: {} });
  expect(validateSpec(primary)).toEqual([]);
  expect(primary.globalDatastores[0].members).toEqual([{ replicationGroupId: 'catalog-use1', region: 'us-east-1', role: 'PRIMARY' }]);
  expect(Object.values(primary.crossRegionExports ?? {})).toEqual(['local-catalog']);
  const secondary = readSpec(outdir, { stackName: 'GlobalSecondary', env: {}, crossRegionExports: primary.crossRegionExports });
  expect(validateSpec(secondary)).toEqual([]);
  expect(secondary.replicationGroups[0].globalReplicationGroupId).toBe('local-catalog');
});

test('a template secret with GenerateSecretString: generated locally, kept across reads when passed back', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cspec-gen-')) });
  try {
    const stack = new Stack(app, 'Tokens', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const secret = new secretsmanager.Secret(stack, 'Token', { generateSecretString: { excludePunctuation: true, passwordLength: 40 } });
    new ReplicationGroup(stack, 'Cache', {
      vpc,
      replicationGroupId: 'tokens',
      engine: Engine.VALKEY_8_1,
      nodeType: NodeType.T4G_MICRO,
      clusterMode: ClusterMode.DISABLED,
      replicasPerShard: 1,
      authToken: SecretValue.secretsManager(secret.secretArn),
    });
    const dir = app.synth().directory;
    const first = readSpec(dir, { env: {} });
    expect(first.problems).toEqual([]);
    const token = first.replicationGroups[0].authToken!;
    expect(token).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(Object.values(first.generatedSecrets)).toEqual([token]);
    const again = readSpec(dir, { env: {}, generatedSecrets: first.generatedSecrets });
    expect(again.replicationGroups[0].authToken).toBe(token);
    expect(validateSpec(again)).toEqual([]);
    // A value supplied under the secret's logical id wins over generating one.
    const supplied = readSpec(dir, { env: {}, secrets: { [Object.keys(first.generatedSecrets)[0]]: 'supplied-token-0123456789' } });
    expect(supplied.replicationGroups[0].authToken).toBe('supplied-token-0123456789');
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
});
