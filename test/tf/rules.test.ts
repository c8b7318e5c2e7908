import { Duration, SecretValue } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TerraformVariable } from 'cdktn';
import { tfStack, warningsOf } from './helpers';
import { AccessControl, ClusterMode, Engine, NodeType, ParameterGroup, ReplicationGroup, tf, UserEngine } from '../../src';
import { REPLICATION_GROUP_RULE_CASES, RuleFace } from '../helpers/replication-group-rule-cases';
import { errorOf, stackWithVpc } from '../helpers/stack';

// Props the Terraform face names differently; the rest of every message must be the CloudFormation face's, word for word.
const RENAMED: Array<[RegExp, string]> = [[/^(\s+- )backupRetention:/m, '$1backupRetentionDays:'], [/^(\s+- )encryptionKey:/m, '$1kmsKeyId:']];

describe('replication group rules fail as in the CloudFormation face', () => {
  test.each(REPLICATION_GROUP_RULE_CASES)('%s', (_name, props, expected) => {
    const { stack } = tfStack();
    const face: RuleFace = {
      authToken: (value) => ({ authToken: value }),
      backupRetentionDays: (days) => ({ backupRetentionDays: days }),
      kmsKey: () => ({ kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }),
      parameterGroup: (p) => new tf.ParameterGroup(stack, 'P', p),
    };
    const msg = errorOf(() => new tf.ReplicationGroup(stack, 'Cache', { subnetIds: ['subnet-1'], ...props(face) }));
    expect(msg).toMatch(/^ReplicationGroup at 'TestStack\/Cache' is invalid/);
    expect(msg).toMatch(expected);

    const cdk = stackWithVpc();
    const cdkFace: RuleFace = {
      authToken: (value) => ({ authToken: SecretValue.unsafePlainText(value) }),
      backupRetentionDays: (days) => ({ backupRetention: Duration.days(days) }),
      kmsKey: () => ({ encryptionKey: new kms.Key(cdk.stack, 'K') }),
      parameterGroup: (p) => new ParameterGroup(cdk.stack, 'P', p),
    };
    const cdkMsg = errorOf(() => new ReplicationGroup(cdk.stack, 'Cache', { vpc: cdk.vpc, ...props(cdkFace) }));
    expect(msg).toBe(RENAMED.reduce((m, [from, to]) => m.replace(from, to), cdkMsg));
  });

  test('the error is thrown from the constructor, so the app stops at the line that declared the group', () => {
    const { stack } = tfStack();
    expect(() => new tf.ReplicationGroup(stack, 'Cache', { replicasPerShard: 6 })).toThrow(expect.objectContaining({ name: 'CdkElastiCacheInvalidProps' }));
  });

  test('X3: subnets come from one place', () => {
    const { stack } = tfStack();
    const subnetGroup = tf.SubnetGroup.fromSubnetGroupName(stack, 'Sn', 'shared');
    expect(errorOf(() => new tf.ReplicationGroup(stack, 'Cache', { subnetGroup, subnetIds: ['subnet-1'] }))).toMatch(/subnetIds: both subnetGroup and subnetIds are set \[rule X3/);
  });

  test('G4: a secondary leaves engine, node type and encryption to the primary', () => {
    const { stack } = tfStack();
    const primary = new tf.ReplicationGroup(stack, 'Primary', { clusterMode: ClusterMode.ENABLED, region: 'us-east-1' });
    const globalDatastore = new tf.GlobalDatastore(stack, 'Global', { primary });
    const msg = errorOf(() => new tf.ReplicationGroup(stack, 'Secondary', { region: 'eu-west-1', globalDatastore, engine: Engine.VALKEY_8_1, kmsKeyId: 'k' }));
    expect(msg).toMatch(/\(2 problems\)/);
    expect(msg).toMatch(/engine: engine is set on a secondary member .*\[rule G4/);
    expect(msg).toMatch(/kmsKeyId: kmsKeyId is set on a secondary member .*\[rule G4/);
  });

  test('values behind Terraform references and variables are not checked', () => {
    const { stack } = tfStack();
    const token = new TerraformVariable(stack, 'token', { type: 'string', sensitive: true });
    const replicas = new TerraformVariable(stack, 'replicas', { type: 'number' });
    expect(() => new tf.ReplicationGroup(stack, 'Cache', { authToken: token.stringValue, replicasPerShard: replicas.numberValue })).not.toThrow();
  });

  test('a quota above 90 nodes is a warning, as a cdktn annotation', () => {
    const { stack } = tfStack();
    new tf.ReplicationGroup(stack, 'Cache', { clusterMode: ClusterMode.ENABLED, shards: 50, replicasPerShard: 1 });
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/^TestStack\/Cache: \[cdk-elasticache:T3\] shards: 100 nodes exceed the default quota of 90 .*rule T3/)]);
  });
});

describe('the other constructs fail as in the CloudFormation face', () => {
  test('subnet group: no subnets, more than 20, a bad name', () => {
    const { stack } = tfStack();
    expect(errorOf(() => new tf.SubnetGroup(stack, 'A', { subnetIds: [] }))).toMatch(/^SubnetGroup at 'TestStack\/A' is invalid.*\n.*subnetIds: the selection matched no subnet .*\[rule X3/);
    expect(errorOf(() => new tf.SubnetGroup(stack, 'B', { subnetIds: Array.from({ length: 21 }, (_, i) => `subnet-${i}`) }))).toMatch(/subnetIds: 21 subnets selected \[rule X3: at most 20 subnets per subnet group\]/);
    expect(errorOf(() => new tf.SubnetGroup(stack, 'C', { subnetIds: ['subnet-1'], subnetGroupName: 'no_underscores' }))).toMatch(/subnetGroupName: .*\[rule N3/);
  });

  test('parameter group: the family choice, unknown parameters, cluster-enabled set by hand', () => {
    const { stack } = tfStack();
    const cdk = stackWithVpc();
    const cases: Array<[string, Record<string, unknown>]> = [
      ['Both', { engine: Engine.VALKEY_8_1, family: 'valkey8' }],
      ['Neither', {}],
      ['Typo', { engine: Engine.VALKEY_8_1, parameters: { 'maxmemory-polcy': 'allkeys-lru' } }],
      ['BadValue', { family: 'valkey8', parameters: { 'maxmemory-policy': 'sometimes' } }],
      ['ClusterByHand', { engine: Engine.VALKEY_8_1, parameters: { 'cluster-enabled': 'yes' } }],
    ];
    for (const [id, props] of cases) {
      const msg = errorOf(() => new tf.ParameterGroup(stack, id, props));
      expect([id, msg]).toEqual([id, errorOf(() => new ParameterGroup(cdk.stack, id, props))]);
      expect(msg).toMatch(new RegExp(`^ParameterGroup at 'TestStack/${id}' is invalid`));
    }
    const pg = new tf.ParameterGroup(stack, 'Ok', { engine: Engine.VALKEY_8_1 });
    expect(errorOf(() => pg.addParameter('maxmemory-policy', 'sometimes'))).toMatch(/\[rule E5/);
  });

  test('users: passwords, IAM names, no-password users on Valkey, the reserved default id', () => {
    const { stack } = tfStack();
    const access = AccessControl.readOnly();
    expect(errorOf(() => new tf.PasswordUser(stack, 'Short', { accessControl: access, passwords: ['short'] }))).toMatch(/^PasswordUser at 'TestStack\/Short' is invalid.*\n.*passwords: password 1 is 5 characters long.*\[rule S10/);
    expect(errorOf(() => new tf.PasswordUser(stack, 'Three', { accessControl: access, passwords: ['a'.repeat(16), 'b'.repeat(16), 'c'.repeat(16)] }))).toMatch(/3 passwords given.*\[rule S10/);
    expect(errorOf(() => new tf.IamUser(stack, 'Iam', { userId: 'worker', userName: 'other', accessControl: access }))).toMatch(/userName: userName 'other' differs from userId 'worker'.*\[rule S11/);
    expect(errorOf(() => new tf.NoPasswordUser(stack, 'NoPass', { engine: UserEngine.VALKEY, accessControl: access }))).toMatch(/engine: engine 'valkey' does not support users without a password.*\[rule S13/);
    expect(errorOf(() => new tf.PasswordUser(stack, 'Reserved', { userId: 'default', accessControl: access, passwords: ['a'.repeat(16)] }))).toMatch(/userId: the user ID 'default' belongs to the user ElastiCache creates itself.*\[rule N5/);
    expect(errorOf(() => new tf.PasswordUser(stack, 'Access', { accessControl: AccessControl.fromAccessString('on >secret ~*'), passwords: ['a'.repeat(16)] }))).toMatch(/accessControl: .*passwords .* cannot be set in an ElastiCache access string/);
  });

  test('user group: members are checked when the app synthesizes, as CDK does with node.addValidation', () => {
    const { app, stack } = tfStack();
    const redisUser = new tf.PasswordUser(stack, 'App', { userId: 'app', engine: UserEngine.REDIS, accessControl: AccessControl.readOnly(), passwords: ['a'.repeat(16)] });
    new tf.UserGroup(stack, 'Users', { engine: UserEngine.REDIS, users: [redisUser] });
    const msg = errorOf(() => app.synth());
    expect(msg).toMatch(/Validation failed with the following errors:\n\s+\[TestStack\/Users\] .*default.*\[rule S12/);
  });

  test('Global Datastore: secondaries in other regions, at most two', () => {
    const { app, stack } = tfStack();
    const primary = new tf.ReplicationGroup(stack, 'Primary', { clusterMode: ClusterMode.ENABLED, region: 'us-east-1' });
    const globalDatastore = new tf.GlobalDatastore(stack, 'Global', { primary });
    new tf.ReplicationGroup(stack, 'SameRegion', { region: 'us-east-1', globalDatastore });
    expect(errorOf(() => app.synth())).toMatch(/\[TestStack\/Global\] secondaries: a secondary is in us-east-1, the primary's region \[rule G1/);
  });

  test('Global Datastore: the primary node type must support it (at construction)', () => {
    const { stack } = tfStack();
    const primary = new tf.ReplicationGroup(stack, 'Primary', { nodeType: NodeType.T4G_MEDIUM });
    expect(errorOf(() => new tf.GlobalDatastore(stack, 'Global', { primary }))).toMatch(/^GlobalDatastore at 'TestStack\/Global' is invalid.*\n.*primary.nodeType: .*\[rule/);
  });
});
