// A two-region Global Datastore as the CDK construct gives it (a primary stack in us-east-1, a
// secondary stack in eu-west-1 with crossRegionReferences), deployed one stack after the other into
// one state dir: writes on the primary endpoint are read in the secondary region, which answers
// writes with READONLY; failover-global-replication-group makes the secondary the writer and the old
// primary follows it; disassociate makes a secondary writable; destroy leaves no process behind.
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { alive, cli, json, killAll, knownPids, ok, tearDown, tempDir } from './control-cli';
import { Engine, GlobalDatastore, NodeType, ReplicationGroup } from '../../src';
import { waitFor } from '../engine/nodes';

const ACCOUNT = '111111111111';

function buildGlobalApp(outdir: string): App {
  const context: Record<string, string[]> = {};
  for (const region of ['us-east-1', 'eu-west-1']) {
    context[`availability-zones:account=${ACCOUNT}:region=${region}`] = ['a', 'b', 'c'].map((z) => `${region}${z}`);
  }
  const app = new App({ outdir, context });
  const primary = new Stack(app, 'OrdersPrimary', { env: { account: ACCOUNT, region: 'us-east-1' }, crossRegionReferences: true });
  const group = new ReplicationGroup(primary, 'Orders', {
    vpc: new ec2.Vpc(primary, 'Vpc', { maxAzs: 2, natGateways: 0 }),
    replicationGroupId: 'orders-use1',
    engine: Engine.VALKEY_8_1,
    nodeType: NodeType.R7G_LARGE,
    replicasPerShard: 1,
  });
  const global = new GlobalDatastore(primary, 'Global', { primary: group, globalDatastoreIdSuffix: 'orders' });
  const secondary = new Stack(app, 'OrdersSecondary', { env: { account: ACCOUNT, region: 'eu-west-1' }, crossRegionReferences: true });
  new ReplicationGroup(secondary, 'Orders', {
    vpc: new ec2.Vpc(secondary, 'Vpc', { maxAzs: 2, natGateways: 0 }),
    replicationGroupId: 'orders-euw1',
    replicasPerShard: 1,
    globalDatastore: global,
  });
  return app;
}

interface Endpoints { primary: { host: string; port: number }; reader: { host: string; port: number } }

async function endpointsOf(stateDir: string, id: string): Promise<Endpoints> {
  const r = await json(['describe-replication-groups', '--replication-group-id', id, '--state-dir', stateDir]);
  const ng = r.ReplicationGroups[0].NodeGroups[0];
  return {
    primary: { host: ng.PrimaryEndpoint.Address, port: ng.PrimaryEndpoint.Port },
    reader: { host: ng.ReaderEndpoint.Address, port: ng.ReaderEndpoint.Port },
  };
}

describe('a two-region Global Datastore deployed from the CDK construct', () => {
  const work = tempDir('crun-global-');
  const cdkOut = path.join(work, 'cdk.out');
  const stateDir = path.join(work, 'state');
  const clients: Array<{ disconnect(): unknown }> = [];
  let ca = '';
  const connect = (e: { host: string; port: number }) => {
    const c = new Redis({ host: e.host, port: e.port, tls: ca ? { ca } : undefined, retryStrategy: () => 20, maxRetriesPerRequest: 3 });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };

  beforeAll(() => {
    buildGlobalApp(cdkOut).synth();
  });

  afterAll(async () => {
    for (const c of clients) await Promise.resolve(c.disconnect()).catch(() => undefined);
    await tearDown(stateDir, work);
  });

  test('the secondary stack alone is refused: the datastore id comes from the primary stack', async () => {
    const r = await cli(['deploy', cdkOut, '--stack', 'OrdersSecondary', '--state-dir', path.join(work, 'alone')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/GlobalReplicationGroupId: .*cross-region reference/);
    expect(r.stderr).toMatch(/deploy the stack that exports it/);
    // A template naming a datastore that is not deployed gets the service's fault, and nothing runs.
    const template = path.join(work, 'orphan.json');
    fs.writeFileSync(template, JSON.stringify({
      Resources: {
        Secondary: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: { ReplicationGroupDescription: 'x', ReplicationGroupId: 'orphan', GlobalReplicationGroupId: 'local-missing', ReplicasPerNodeGroup: 1 },
        },
      },
    }));
    const orphanState = path.join(work, 'orphan-state');
    try {
      const o = await cli(['deploy', template, '--state-dir', orphanState]);
      expect(o.code).not.toBe(0);
      expect(o.stderr.trim()).toBe('An error occurred (GlobalReplicationGroupNotFoundFault): Global replication group local-missing not found: '
        + 'deploy the stack of its primary region into this state dir first');
      expect((await json(['describe-replication-groups', '--state-dir', orphanState])).ReplicationGroups).toEqual([]);
    } finally {
      await cli(['destroy', '--state-dir', orphanState]);
      killAll(orphanState);
    }
  });

  test('deploy the primary stack, then the secondary: the secondary region reads what the primary takes, and is read-only', async () => {
    const out = await ok(['deploy', cdkOut, '--stack', 'OrdersPrimary', '--state-dir', stateDir]);
    const caFile = /trust the CA in (\S+)/.exec(out)?.[1];
    if (caFile) ca = fs.readFileSync(caFile, 'utf8');
    let g = await json(['describe-global-replication-groups', '--show-member-info', '--state-dir', stateDir]);
    expect(g.GlobalReplicationGroups).toEqual([expect.objectContaining({
      GlobalReplicationGroupId: 'local-orders',
      Status: 'primary-only',
      Engine: 'valkey',
      Members: [{ ReplicationGroupId: 'orders-use1', ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY', AutomaticFailover: 'enabled', Status: 'associated' }],
    })]);

    const out2 = await ok(['deploy', cdkOut, '--stack', 'OrdersSecondary', '--state-dir', stateDir]);
    expect(out2).toMatch(/^orders-euw1 \(available, valkey 8\.1, .*read-only secondary of local-orders\)$/m);
    g = await json(['describe-global-replication-groups', '--global-replication-group-id', 'local-orders', '--show-member-info', '--state-dir', stateDir]);
    expect(g.GlobalReplicationGroups[0].Status).toBe('available');
    expect(g.GlobalReplicationGroups[0].Members.map((m: any) => [m.ReplicationGroupId, m.ReplicationGroupRegion, m.Role, m.Status])).toEqual([
      ['orders-use1', 'us-east-1', 'PRIMARY', 'associated'],
      ['orders-euw1', 'eu-west-1', 'SECONDARY', 'associated'],
    ]);
    // Without --show-member-info the service leaves Members out.
    expect((await json(['describe-global-replication-groups', '--state-dir', stateDir])).GlobalReplicationGroups[0].Members).toBeUndefined();

    // Both groups are deployed side by side: deploying the second stack left the first alone.
    const groups = await json(['describe-replication-groups', '--state-dir', stateDir]);
    const byId = Object.fromEntries(groups.ReplicationGroups.map((x: any) => [x.ReplicationGroupId, x]));
    expect(Object.keys(byId).sort()).toEqual(['orders-euw1', 'orders-use1']);
    expect(byId['orders-euw1'].GlobalReplicationGroupInfo).toEqual({ GlobalReplicationGroupId: 'local-orders', GlobalReplicationGroupMemberRole: 'SECONDARY' });
    expect(byId['orders-use1'].GlobalReplicationGroupInfo).toEqual({ GlobalReplicationGroupId: 'local-orders', GlobalReplicationGroupMemberRole: 'PRIMARY' });
    expect(byId['orders-euw1'].ARN).toMatch(/^arn:aws:elasticache:eu-west-1:111111111111:replicationgroup:orders-euw1$/);
    // The secondary takes the primary's engine, node type and encryption.
    expect([byId['orders-euw1'].CacheNodeType, byId['orders-euw1'].TransitEncryptionEnabled]).toEqual([byId['orders-use1'].CacheNodeType, byId['orders-use1'].TransitEncryptionEnabled]);

    const use1 = await endpointsOf(stateDir, 'orders-use1');
    const euw1 = await endpointsOf(stateDir, 'orders-euw1');
    // Each region has its own loopback range: the first deployed 127.0.x.x, the next 127.1.x.x.
    expect([use1.primary.host, euw1.primary.host, euw1.reader.host]).toEqual([expect.stringMatching(/^127\.0\.0\./), expect.stringMatching(/^127\.1\.0\./), expect.stringMatching(/^127\.1\.0\./)]);
    const writer = connect(use1.primary);
    await writer.set('order:1', 'paid');
    const secondaryPrimary = connect(euw1.primary);
    const tls = ca ? { tls: true as const, ca } : {};
    const secondaryReader = createClient({ socket: { host: euw1.reader.host, port: euw1.reader.port, ...tls, reconnectStrategy: () => 20 } });
    secondaryReader.on('error', () => undefined);
    clients.push(secondaryReader);
    await secondaryReader.connect();
    await waitFor(async () => (await secondaryPrimary.get('order:1')) === 'paid', 'the secondary primary to have the write');
    await waitFor(async () => (await secondaryReader.get('order:1')) === 'paid', 'the secondary reader to have the write');
    await expect(secondaryPrimary.set('order:2', 'x')).rejects.toThrow(/READONLY/);
  });

  test('kill -9 of the secondary region\'s primary: its promoted replica stays read-only and follows the primary region', async () => {
    const before = await json(['describe-replication-groups', '--replication-group-id', 'orders-euw1', '--state-dir', stateDir]);
    const primaryId = before.ReplicationGroups[0].NodeGroups[0].NodeGroupMembers.find((m: any) => m.CurrentRole === 'primary').CacheClusterId;
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    const pid = state.replicationGroups['orders-euw1'].nodeGroups[0].members.find((n: any) => n.cacheClusterId === primaryId).pid;
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => {
      const r = await json(['describe-replication-groups', '--replication-group-id', 'orders-euw1', '--state-dir', stateDir]);
      return r.ReplicationGroups[0].NodeGroups[0].NodeGroupMembers.find((m: any) => m.CurrentRole === 'primary').CacheClusterId !== primaryId;
    }, 'a replica of the secondary region to be promoted');
    const use1 = await endpointsOf(stateDir, 'orders-use1');
    const euw1 = await endpointsOf(stateDir, 'orders-euw1');
    await connect(use1.primary).set('order:after-kill', 'yes');
    const secondaryPrimary = connect(euw1.primary);
    await waitFor(async () => (await secondaryPrimary.get('order:after-kill').catch(() => null)) === 'yes', 'the new secondary primary to follow the primary region');
    await expect(secondaryPrimary.set('order:x', 'x')).rejects.toThrow(/READONLY/);
    // The killed node comes back as a replica and syncs.
    await waitFor(async () => {
      const r = await json(['describe-cache-clusters', '--cache-cluster-id', primaryId, '--state-dir', stateDir]);
      return r.CacheClusters[0].CacheClusterStatus === 'available';
    }, 'the killed node to be replaced');
  });

  test('kill -9 of the primary region\'s primary: writes resume through its endpoint and still reach the secondary region', async () => {
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    const old = state.replicationGroups['orders-use1'].nodeGroups[0].members.find((n: any) => n.role === 'primary');
    process.kill(old.pid, 'SIGKILL');
    const use1 = await endpointsOf(stateDir, 'orders-use1');
    const euw1 = await endpointsOf(stateDir, 'orders-euw1');
    const writer = connect(use1.primary);
    await waitFor(async () => (await writer.set('order:6', 'after-primary-kill').catch(() => null)) === 'OK', 'writes to resume in the primary region');
    const secondary = connect(euw1.reader);
    await waitFor(async () => (await secondary.get('order:6').catch(() => null)) === 'after-primary-kill', 'the secondary region to follow the new primary');
    await waitFor(async () => {
      const r = await json(['describe-cache-clusters', '--cache-cluster-id', old.cacheClusterId, '--state-dir', stateDir]);
      return r.CacheClusters[0].CacheClusterStatus === 'available';
    }, 'the killed node to be replaced');
  });

  test('failover-global-replication-group: the secondary takes writes, the old primary follows it', async () => {
    const g = await json(['failover-global-replication-group', '--global-replication-group-id', 'local-orders',
      '--primary-region', 'eu-west-1', '--primary-replication-group-id', 'orders-euw1', '--state-dir', stateDir]);
    expect(g.GlobalReplicationGroup.Status).toBe('available');
    expect(g.GlobalReplicationGroup.Members.map((m: any) => [m.ReplicationGroupId, m.Role])).toEqual([['orders-use1', 'SECONDARY'], ['orders-euw1', 'PRIMARY']]);

    const use1 = await endpointsOf(stateDir, 'orders-use1');
    const euw1 = await endpointsOf(stateDir, 'orders-euw1');
    const newWriter = connect(euw1.primary);
    expect(await newWriter.get('order:1')).toBe('paid');
    await newWriter.set('order:3', 'shipped');
    const oldPrimary = connect(use1.primary);
    const oldReader = connect(use1.reader);
    await waitFor(async () => (await oldPrimary.get('order:3')) === 'shipped', 'the old primary region to have the new write');
    await waitFor(async () => (await oldReader.get('order:3')) === 'shipped', 'the old primary region\'s replicas to have it');
    await expect(oldPrimary.set('order:4', 'x')).rejects.toThrow(/READONLY/);

    const events = await json(['describe-events', '--state-dir', stateDir]);
    const messages = events.Events.map((e: any) => e.Message);
    expect(messages).toEqual(expect.arrayContaining([
      'Replication group orders-euw1 is now the primary of global replication group local-orders',
      'Failover of global replication group local-orders to replication group orders-euw1 completed',
    ]));

    // Failing over to the primary is refused with the service's fault.
    const again = await cli(['failover-global-replication-group', '--global-replication-group-id', 'local-orders',
      '--primary-region', 'eu-west-1', '--primary-replication-group-id', 'orders-euw1', '--state-dir', stateDir]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already the primary/);
  });

  test('a redeploy of either stack changes nothing; disassociate makes the secondary writable', async () => {
    expect(await ok(['deploy', cdkOut, '--stack', 'OrdersPrimary', '--state-dir', stateDir])).toMatch(/No changes\./);
    expect(await ok(['deploy', cdkOut, '--stack', 'OrdersSecondary', '--state-dir', stateDir])).toMatch(/No changes\./);
    const g = await json(['disassociate-global-replication-group', '--global-replication-group-id', 'local-orders',
      '--replication-group-id', 'orders-use1', '--replication-group-region', 'us-east-1', '--state-dir', stateDir]);
    expect(g.GlobalReplicationGroup.Status).toBe('primary-only');
    const use1 = connect((await endpointsOf(stateDir, 'orders-use1')).primary);
    await waitFor(async () => (await use1.set('order:5', 'local').catch(() => 'no')) === 'OK', 'the disassociated group to take writes');
  });

  test('destroy leaves nothing behind', async () => {
    const pids = knownPids(stateDir);
    expect(pids.length).toBeGreaterThanOrEqual(5); // 4 nodes + the control plane
    await ok(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
    await waitFor(async () => pids.every((p) => !alive(p)), 'every process to be gone');
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    expect(state.replicationGroups).toEqual({});
    expect(state.globalReplicationGroups).toEqual({});
  });
});

test('Terraform: both regions in one configuration deploy in one go, the secondary after its primary', async () => {
  const work = tempDir('crun-global-tf-');
  const stateDir = path.join(work, 'state');
  const ref = (x: string) => '${' + x + '}';
  // The secondary is declared first: the deploy still creates it after the primary it follows.
  const config = {
    provider: { aws: [{ region: 'us-east-1' }] },
    resource: {
      aws_elasticache_replication_group: {
        eu: {
          description: 'eu',
          region: 'eu-west-1',
          replication_group_id: 'tf-euw1',
          replicas_per_node_group: 1,
          automatic_failover_enabled: true,
          global_replication_group_id: ref('aws_elasticache_global_replication_group.global.global_replication_group_id'),
        },
        us: {
          description: 'us',
          region: 'us-east-1',
          replication_group_id: 'tf-use1',
          engine: 'valkey',
          engine_version: '8.1',
          node_type: 'cache.r7g.large',
          num_cache_clusters: 2,
          automatic_failover_enabled: true,
        },
      },
      aws_elasticache_global_replication_group: {
        global: { global_replication_group_description: 'orders', global_replication_group_id_suffix: 'tf', primary_replication_group_id: ref('aws_elasticache_replication_group.us.replication_group_id') },
      },
    },
  };
  const clients: Redis[] = [];
  try {
    fs.writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify(config));
    await ok(['deploy', path.join(work, 'main.tf.json'), '--state-dir', stateDir]);
    const g = await json(['describe-global-replication-groups', '--show-member-info', '--state-dir', stateDir]);
    expect(g.GlobalReplicationGroups[0].Members.map((m: any) => [m.ReplicationGroupId, m.ReplicationGroupRegion, m.Role, m.Status])).toEqual([
      ['tf-use1', 'us-east-1', 'PRIMARY', 'associated'],
      ['tf-euw1', 'eu-west-1', 'SECONDARY', 'associated'],
    ]);
    const use1 = await endpointsOf(stateDir, 'tf-use1');
    const euw1 = await endpointsOf(stateDir, 'tf-euw1');
    const writer = new Redis({ host: use1.primary.host, port: use1.primary.port, maxRetriesPerRequest: 3 });
    const reader = new Redis({ host: euw1.reader.host, port: euw1.reader.port, maxRetriesPerRequest: 3 });
    clients.push(writer, reader);
    await writer.set('tf', 'both regions');
    await waitFor(async () => (await reader.get('tf')) === 'both regions', 'the secondary region to have the write');
    await expect(reader.set('tf', 'x')).rejects.toThrow(/READONLY/);
  } finally {
    for (const c of clients) c.disconnect();
    await cli(['destroy', '--state-dir', stateDir]);
    killAll(stateDir);
    fs.rmSync(work, { recursive: true, force: true });
  }
});
