// The Terraform face (CDK Terrain) of the README's three shapes: a cluster-mode-disabled group
// with two read replicas, a 3-shard cluster-mode-enabled group with TLS, RBAC and a custom
// parameter group, and a Global Datastore replicated from us-east-1 to eu-west-1.
// `npx cdktn synth` (or `npm run synth:examples` here) writes cdktf.out/stacks/<name>/cdk.tf.json.
import { AccessControl, ClusterMode, Engine, NodeType, tf, UserEngine } from 'cdk-elasticache';
import { App, TerraformOutput, TerraformProvider, TerraformStack, TerraformVariable } from 'cdktn';
import { Construct } from 'constructs';

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002', 'subnet-0a1b2c3d4e5f60003'];

/**
 * The `aws` provider block. A real app declares it with `@cdktn/provider-aws`
 * (`new AwsProvider(this, 'aws', { region })`); this example writes the block itself so that it
 * needs nothing beyond cdktn.
 */
export class Aws extends TerraformProvider {
  private readonly region: string;
  constructor(scope: Construct, id: string, region: string) {
    super(scope, id, {
      terraformResourceType: 'aws',
      terraformGeneratorMetadata: { providerName: 'aws', providerVersionConstraint: '>= 6.0' },
      terraformProviderSource: 'hashicorp/aws',
    });
    this.region = region;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { region: this.region };
  }
}

/** A cluster-mode-enabled group in a few lines: 3 shards x 1 replica, TLS, Multi-AZ (the defaults). */
export class QuickStartStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Aws(this, 'aws', 'us-east-1');
    const cache = new tf.ReplicationGroup(this, 'Cache', { subnetIds: SUBNETS, clusterMode: ClusterMode.ENABLED });
    new TerraformOutput(this, 'endpoint', { value: cache.configurationEndpoint.socketAddress });
  }
}

/** One shard: a primary and two read replicas, Multi-AZ with automatic failover (the defaults). */
export class SessionStoreStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Aws(this, 'aws', 'us-east-1');
    const cache = new tf.ReplicationGroup(this, 'Sessions', {
      subnetIds: SUBNETS.slice(0, 2),
      securityGroupIds: ['sg-0a1b2c3d4e5f60001'],
      replicationGroupId: 'sessions',
      engine: Engine.VALKEY_8_1,
      nodeType: NodeType.R7G_LARGE,
      replicasPerShard: 2,
    });
    new TerraformOutput(this, 'primary_endpoint', { value: cache.primaryEndpoint.socketAddress });
    new TerraformOutput(this, 'reader_endpoint', { value: cache.readerEndpoint.socketAddress });
  }
}

/** Three shards with one replica each, TLS, an RBAC user group and a tuned parameter group. */
export class LeaderboardStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Aws(this, 'aws', 'us-east-1');
    // Passwords come in as sensitive variables (TF_VAR_app_password=... cdktn deploy).
    const defaultPassword = new TerraformVariable(this, 'default_password', { type: 'string', sensitive: true });
    const appPassword = new TerraformVariable(this, 'app_password', { type: 'string', sensitive: true });
    const parameters = new tf.ParameterGroup(this, 'Parameters', {
      parameterGroupName: 'leaderboard-params',
      engine: Engine.VALKEY_8_1,
      clusterMode: ClusterMode.ENABLED,
      parameters: { 'maxmemory-policy': 'allkeys-lru', 'notify-keyspace-events': 'Ex' },
    });
    const users = new tf.UserGroup(this, 'Users', {
      userGroupId: 'leaderboard-users',
      engine: UserEngine.VALKEY,
      users: [
        new tf.PasswordUser(this, 'DefaultUser', {
          userId: 'leaderboard-default',
          userName: 'default',
          accessControl: AccessControl.fromAccessString('off -@all'),
          passwords: [defaultPassword.stringValue],
        }),
        new tf.PasswordUser(this, 'App', {
          userId: 'leaderboard-app',
          userName: 'app',
          accessControl: AccessControl.fromAccessString('on ~board:* +@read +@write +@sortedset +@connection -@dangerous +cluster|slots +cluster|shards +cluster|nodes +cluster|info +cluster|myid +info'),
          passwords: [appPassword.stringValue],
        }),
      ],
    });
    const cache = new tf.ReplicationGroup(this, 'Leaderboard', {
      subnetIds: SUBNETS,
      replicationGroupId: 'leaderboard',
      engine: Engine.VALKEY_8_1,
      nodeType: NodeType.R7G_LARGE,
      clusterMode: ClusterMode.ENABLED,
      shards: 3,
      replicasPerShard: 1,
      parameterGroup: parameters,
      userGroup: users,
    });
    new TerraformOutput(this, 'configuration_endpoint', { value: cache.configurationEndpoint.socketAddress });
  }
}

/** A Global Datastore: the primary in us-east-1, a read-only secondary in eu-west-1 (provider 6 `region`). */
export class GlobalCatalogStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Aws(this, 'aws', 'us-east-1');
    const primary = new tf.ReplicationGroup(this, 'Catalog', {
      subnetIds: SUBNETS.slice(0, 2),
      replicationGroupId: 'catalog-use1',
      engine: Engine.VALKEY_8_1,
      nodeType: NodeType.R7G_LARGE,
      clusterMode: ClusterMode.ENABLED,
      shards: 2,
      replicasPerShard: 1,
      region: 'us-east-1',
    });
    const global = new tf.GlobalDatastore(this, 'Global', { primary, globalDatastoreIdSuffix: 'catalog' });
    const secondary = new tf.ReplicationGroup(this, 'CatalogEu', {
      subnetGroup: tf.SubnetGroup.fromSubnetGroupName(this, 'EuSubnets', 'catalog-euw1-subnets'),
      replicationGroupId: 'catalog-euw1',
      replicasPerShard: 1,
      region: 'eu-west-1',
      globalDatastore: global,
    });
    new TerraformOutput(this, 'global_datastore_id', { value: global.globalDatastoreId });
    new TerraformOutput(this, 'primary_endpoint', { value: primary.configurationEndpoint.socketAddress });
    new TerraformOutput(this, 'secondary_endpoint', { value: secondary.configurationEndpoint.socketAddress });
  }
}

/** The whole example app. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new QuickStartStack(app, 'quick-start');
  new SessionStoreStack(app, 'session-store');
  new LeaderboardStack(app, 'leaderboard');
  new GlobalCatalogStack(app, 'global-catalog');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
