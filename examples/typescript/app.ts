// The three shapes of the README, as a user writes them: a cluster-mode-disabled group with two
// read replicas over two AZs, a 3-shard cluster-mode-enabled group with TLS, RBAC and a custom
// parameter group, and a Global Datastore replicated from us-east-1 to eu-west-1.
import { App, SecretValue, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  AccessControl,
  ClusterMode,
  Engine,
  GlobalDatastore,
  NodeType,
  ParameterGroup,
  PasswordUser,
  ReplicationGroup,
  UserEngine,
  UserGroup,
} from 'cdk-elasticache';
import { Construct } from 'constructs';

const ACCOUNT = '111111111111';

/** One shard: a primary and two read replicas, Multi-AZ with automatic failover (the defaults). */
export class SessionStoreStack extends Stack {
  public readonly cache: ReplicationGroup;
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0 });
    this.cache = new ReplicationGroup(this, 'Sessions', {
      vpc,
      replicationGroupId: 'sessions',
      engine: Engine.VALKEY_8_1,
      nodeType: NodeType.R7G_LARGE,
      replicasPerShard: 2,
    });
    // Let anything in the VPC connect on the cache port.
    this.cache.connections.allowDefaultPortFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock));
  }
}

/** Three shards with one replica each, TLS, an RBAC user group and a tuned parameter group. */
export class LeaderboardStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 3, natGateways: 0 });
    const parameters = new ParameterGroup(this, 'Parameters', {
      engine: Engine.VALKEY_8_1,
      clusterMode: ClusterMode.ENABLED,
      parameters: { 'maxmemory-policy': 'allkeys-lru', 'notify-keyspace-events': 'Ex' },
    });
    const users = new UserGroup(this, 'Users', {
      engine: UserEngine.VALKEY,
      users: [
        new PasswordUser(this, 'Default', {
          userId: 'leaderboard-default',
          userName: 'default',
          accessControl: AccessControl.fromAccessString('off -@all'),
          passwords: [SecretValue.secretsManager('leaderboard/default-password')],
        }),
        new PasswordUser(this, 'App', {
          userId: 'leaderboard-app',
          userName: 'app',
          // Cluster clients discover the shards with CLUSTER SLOTS/SHARDS and check nodes with INFO: granted after -@dangerous.
          accessControl: AccessControl.fromAccessString('on ~board:* +@read +@write +@sortedset +@connection -@dangerous +cluster|slots +cluster|shards +cluster|nodes +cluster|info +cluster|myid +info'),
          passwords: [SecretValue.secretsManager('leaderboard/app-password')],
        }),
      ],
    });
    new ReplicationGroup(this, 'Leaderboard', {
      vpc,
      replicationGroupId: 'leaderboard',
      engine: Engine.VALKEY_8_1,
      nodeType: NodeType.R7G_LARGE,
      clusterMode: ClusterMode.ENABLED,
      shards: 3,
      replicasPerShard: 1,
      parameterGroup: parameters,
      userGroup: users,
    });
  }
}

/** A Global Datastore: the primary in us-east-1, a read-only secondary in eu-west-1. */
export function addGlobalDatastore(app: App): { primary: Stack; secondary: Stack } {
  const primary = new Stack(app, 'GlobalPrimary', { env: { account: ACCOUNT, region: 'us-east-1' }, crossRegionReferences: true });
  const primaryVpc = new ec2.Vpc(primary, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const primaryGroup = new ReplicationGroup(primary, 'Catalog', {
    vpc: primaryVpc,
    replicationGroupId: 'catalog-use1',
    engine: Engine.VALKEY_8_1,
    nodeType: NodeType.R7G_LARGE,
    clusterMode: ClusterMode.ENABLED,
    shards: 2,
    replicasPerShard: 1,
  });
  const global = new GlobalDatastore(primary, 'Global', { primary: primaryGroup, globalDatastoreIdSuffix: 'catalog' });

  const secondary = new Stack(app, 'GlobalSecondary', { env: { account: ACCOUNT, region: 'eu-west-1' }, crossRegionReferences: true });
  const secondaryVpc = new ec2.Vpc(secondary, 'Vpc', { maxAzs: 2, natGateways: 0 });
  new ReplicationGroup(secondary, 'Catalog', {
    vpc: secondaryVpc,
    replicationGroupId: 'catalog-euw1',
    replicasPerShard: 1,
    globalDatastore: global,
  });
  return { primary, secondary };
}

/** The whole example app. */
export function buildApp(outdir?: string): App {
  // Seeded Availability Zones, so synthesis never asks AWS (a real app's cdk.context.json holds these).
  const context: Record<string, string[]> = {};
  for (const region of ['us-east-1', 'eu-west-1']) {
    context[`availability-zones:account=${ACCOUNT}:region=${region}`] = ['a', 'b', 'c'].map((z) => `${region}${z}`);
  }
  const app = new App({ outdir, context });
  new SessionStoreStack(app, 'SessionStore', { env: { account: ACCOUNT, region: 'us-east-1' } });
  new LeaderboardStack(app, 'Leaderboard', { env: { account: ACCOUNT, region: 'us-east-1' } });
  addGlobalDatastore(app);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
