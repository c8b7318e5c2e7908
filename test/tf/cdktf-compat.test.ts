import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { AccessControl, ClusterMode, tf, UserEngine } from '../../src';

// HashiCorp archived cdktf on 2025-12-10; CDK Terrain (cdktn) continues it and keeps its Symbol.for
// keys ("cdktf/TerraformStack", "cdktf/TerraformElement", ...) and its global token map. So an app
// still on cdktf 0.21 can use this library's cdktn-based constructs: cdktf's stack finds our
// resources and resolves their references and its own.

/** The aws provider as a cdktf 0.21 app declares it (what @cdktf/provider-aws's AwsProvider renders). */
class LegacyAws extends cdktf.TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: 'aws', terraformGeneratorMetadata: { providerName: 'aws' }, terraformProviderSource: 'hashicorp/aws' });
  }
  protected synthesizeAttributes(): { [name: string]: any } {
    return { region: 'eu-west-1' };
  }
}

test('a cdktf 0.21 app synthesizes the constructs, with references both ways', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-compat-'));
  try {
    const app = new cdktf.App({ outdir });
    const stack = new cdktf.TerraformStack(app, 'legacy');
    new LegacyAws(stack, 'aws');
    // cdktf values flow into our constructs ...
    const token = new cdktf.TerraformVariable(stack, 'auth_token', { type: 'string', sensitive: true });
    const subnets = new cdktf.TerraformVariable(stack, 'subnet_ids', { type: 'list(string)' });
    const cache = new tf.ReplicationGroup(stack, 'Cache', {
      replicationGroupId: 'legacy',
      subnetIds: subnets.listValue,
      clusterMode: ClusterMode.ENABLED,
      shards: 2,
      authToken: token.stringValue,
    });
    // ... and our references into cdktf's outputs.
    new cdktf.TerraformOutput(stack, 'endpoint', { value: cache.configurationEndpoint.socketAddress });
    app.synth();

    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'legacy', 'cdk.tf.json'), 'utf8'));
    const [rgId, rg] = Object.entries<any>(json.resource.aws_elasticache_replication_group)[0];
    const [snId, sn] = Object.entries<any>(json.resource.aws_elasticache_subnet_group)[0];
    expect(json['//'].metadata.version).toBe('0.21.0'); // written by cdktf, not cdktn
    expect(rg).toMatchObject({
      replication_group_id: 'legacy',
      cluster_mode: 'enabled',
      num_node_groups: 2,
      auth_token: '${var.auth_token}',
      subnet_group_name: `\${aws_elasticache_subnet_group.${snId}.name}`,
    });
    expect(sn.subnet_ids).toBe('${var.subnet_ids}');
    expect(json.output.endpoint.value).toBe(`\${aws_elasticache_replication_group.${rgId}.configuration_endpoint_address}:6379`);
    expect(json.terraform.required_providers.aws).toEqual({ source: 'hashicorp/aws' });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('validation fails a cdktf app as it fails a cdktn app: at the declaration, or at synth for what is checked late', () => {
  const app = new cdktf.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-compat-')) });
  try {
    const stack = new cdktf.TerraformStack(app, 'legacy');
    new LegacyAws(stack, 'aws');
    expect(() => new tf.ReplicationGroup(stack, 'Cache', { replicasPerShard: 6 })).toThrow(/^ReplicationGroup at 'legacy\/Cache' is invalid \(1 problem\):\n.*\[rule T1/);
    // A Redis user group without a `default` user: checked when the app synthesizes (cdktf runs node validations).
    const user = new tf.PasswordUser(stack, 'App', { userId: 'app', engine: UserEngine.REDIS, accessControl: AccessControl.readOnly(), passwords: ['a'.repeat(16)] });
    new tf.UserGroup(stack, 'Users', { engine: UserEngine.REDIS, users: [user] });
    expect(() => app.synth()).toThrow(/\[legacy\/Users\] .*\[rule S12/);
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
});
