// A hand-written YAML template with a parameter group, RBAC users, a notification topic and TLS:
// deployed, redeployed with more replicas and changed parameters (dynamic ones live, a static one
// pending until reboot), snapshotted, restored into new groups from the snapshot and from an
// exported RDB file, destroyed. Nodes run on redis-server until our node replicates and snapshots.
import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { alive, cli, json, knownPids, ok, tearDown, tempDir, topology } from './control-cli';
import { waitFor } from '../engine/nodes';

const APP_PASSWORD = 'app-password-0123456789';

function template(o: { replicas: number; policy: string; databases: string; restoreGroups?: boolean }): string {
  const restore = o.restoreGroups ? `
  FromSnapshot:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupId: crun-from-snapshot
      ReplicationGroupDescription: restored from a snapshot
      Engine: redis
      EngineVersion: '7.0'
      CacheNodeType: cache.t4g.micro
      NumCacheClusters: 1
      Port: 6391
      SnapshotName: crun-snap
  FromRdb:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupId: crun-from-rdb
      ReplicationGroupDescription: seeded from an RDB file
      Engine: redis
      EngineVersion: '7.0'
      CacheNodeType: cache.t4g.micro
      NumCacheClusters: 1
      Port: 6392
      SnapshotArns: [arn:aws:s3:::crun-bucket/crun-export-0001.rdb]
` : '';
  return `
Resources:
  Events:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: crun-events
  Params:
    Type: AWS::ElastiCache::ParameterGroup
    Properties:
      CacheParameterGroupFamily: redis7
      Description: tuned
      Properties:
        maxmemory-policy: ${o.policy}
        databases: '${o.databases}'
  DefaultUser:
    Type: AWS::ElastiCache::User
    Properties:
      UserId: crun-default
      UserName: default
      Engine: redis
      AccessString: off -@all
      NoPasswordRequired: true
  AppUser:
    Type: AWS::ElastiCache::User
    Properties:
      UserId: crun-app
      UserName: app
      Engine: redis
      AccessString: on ~app:* +@all
      Passwords: [${APP_PASSWORD}]
  Users:
    Type: AWS::ElastiCache::UserGroup
    Properties:
      UserGroupId: crun-users
      Engine: redis
      UserIds: [!Ref DefaultUser, !Ref AppUser]
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupId: crun-redeploy
      ReplicationGroupDescription: redeploy test
      Engine: redis
      EngineVersion: '7.0'
      CacheNodeType: cache.t4g.micro
      NumCacheClusters: ${o.replicas + 1}
      AutomaticFailoverEnabled: true
      MultiAZEnabled: true
      CacheParameterGroupName: !Ref Params
      UserGroupIds: [!Ref Users]
      TransitEncryptionEnabled: true
      NotificationTopicArn: !Ref Events
      Port: 6390
${restore}`;
}


describe('redeploy, parameters, users, snapshots and restore', () => {
  const work = tempDir('crun-redeploy-');
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.yaml');
  const sink = path.join(work, 'events.jsonl');
  const clients: Array<{ disconnect(): unknown }> = [];
  let ca = '';

  const deploy = (o: Parameters<typeof template>[0]) => {
    fs.writeFileSync(file, template(o));
    return ok(['deploy', file, '--state-dir', stateDir, '--topic-sink', `crun-events=${sink}`]);
  };
  /** The control plane's own user, to look at node settings application users may not read. */
  const admin = async (address: string, port: number) => {
    const c = new Redis({ host: address, port, tls: { ca, checkServerIdentity: () => undefined }, username: 'cdk-elasticache-admin', password: fs.readFileSync(path.join(stateDir, 'admin.secret'), 'utf8').trim() });
    clients.push(c);
    return c;
  };
  const nodes = async () => (await json(['describe-cache-clusters', '--show-cache-node-info', '--state-dir', stateDir])).CacheClusters as any[];

  afterAll(async () => {
    for (const c of clients) await Promise.resolve(c.disconnect()).catch(() => undefined);
    await tearDown(stateDir, work);
  });

  test('deploy: RBAC users through the endpoints (TLS + ACL), the default user off, the parameter group applied', async () => {
    const out = await deploy({ replicas: 1, policy: 'allkeys-lru', databases: '16' });
    ca = fs.readFileSync(/trust the CA in (\S+)/.exec(out)![1], 'utf8');
    const t = await topology(stateDir, 'crun-redeploy');
    const app = new Redis({ host: t.primary.host, port: t.primary.port, tls: { ca }, username: 'app', password: APP_PASSWORD });
    clients.push(app);
    await app.set('app:1', 'one');
    await expect(app.set('other:1', 'x')).rejects.toThrow(/NOPERM/);
    await expect(app.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction')).rejects.toThrow(/NOPERM/);
    // No user given: the default user, which the user group turned off.
    const anonymous = new Redis({ host: t.primary.host, port: t.primary.port, tls: { ca }, enableReadyCheck: false, retryStrategy: () => null });
    anonymous.on('error', () => undefined);
    clients.push(anonymous);
    await expect(anonymous.get('app:1')).rejects.toThrow(/NOAUTH|WRONGPASS|NOPERM/);
    const reader = createClient({ socket: { host: t.reader.host, port: t.reader.port, tls: true, ca }, username: 'app', password: APP_PASSWORD });
    reader.on('error', () => undefined);
    clients.push(reader);
    await reader.connect();
    await waitFor(async () => (await reader.get('app:1')) === 'one', 'the replica to have app:1');
    const primary = (await nodes()).find((c: any) => c.CacheClusterId === t.members.find((m) => m.CurrentRole === 'primary')!.CacheClusterId);
    const a = await admin(primary.CacheNodes[0].Endpoint.Address, primary.CacheNodes[0].Endpoint.Port);
    expect(await a.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
    const users = await json(['describe-users', '--state-dir', stateDir]);
    expect(users.Users.map((u: any) => u.UserId)).toEqual(expect.arrayContaining(['crun-default', 'crun-app']));
    const groups = await json(['describe-user-groups', '--state-dir', stateDir]);
    expect(groups.UserGroups[0]).toMatchObject({ UserGroupId: 'crun-users', ReplicationGroups: ['crun-redeploy'] });
  });

  test('redeploy with one more replica and changed parameters: the dynamic one live, the static one pending until reboot', async () => {
    const before = await topology(stateDir, 'crun-redeploy');
    const primaryPid = knownPids(stateDir)[0];
    await deploy({ replicas: 2, policy: 'volatile-lru', databases: '32' });
    const t = await topology(stateDir, 'crun-redeploy');
    expect(t.members.length).toBe(3);
    expect(t.primary).toEqual(before.primary);
    expect(alive(primaryPid)).toBe(true);
    const clusters = await nodes();
    for (const c of clusters) {
      const a = await admin(c.CacheNodes[0].Endpoint.Address, c.CacheNodes[0].Endpoint.Port);
      expect(await a.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'volatile-lru']);
    }
    // `databases` only changes at a restart: the old nodes wait for a reboot, the new replica started with it.
    const pending = clusters.filter((c: any) => c.CacheParameterGroup.ParameterApplyStatus === 'pending-reboot');
    expect(pending.length).toBe(2);
    const target = pending[0];
    const a = await admin(target.CacheNodes[0].Endpoint.Address, target.CacheNodes[0].Endpoint.Port);
    expect(await a.config('GET', 'databases')).toEqual(['databases', '16']);
    await ok(['reboot-cache-cluster', '--cache-cluster-id', target.CacheClusterId, '--state-dir', stateDir]);
    const after = (await nodes()).find((c: any) => c.CacheClusterId === target.CacheClusterId);
    expect(after.CacheParameterGroup.ParameterApplyStatus).toBe('in-sync');
    const b = await admin(target.CacheNodes[0].Endpoint.Address, target.CacheNodes[0].Endpoint.Port);
    expect(await b.config('GET', 'databases')).toEqual(['databases', '32']);
  });

  test('replica count verbs: decrease and increase', async () => {
    let r = await json(['decrease-replica-count', '--replication-group-id', 'crun-redeploy', '--new-replica-count', '1', '--apply-immediately', '--state-dir', stateDir]);
    expect(r.ReplicationGroup.MemberClusters.length).toBe(2);
    r = await json(['increase-replica-count', '--replication-group-id', 'crun-redeploy', '--new-replica-count', '2', '--apply-immediately', '--state-dir', stateDir]);
    expect(r.ReplicationGroup.MemberClusters.length).toBe(3);
    const bad = await cli(['increase-replica-count', '--replication-group-id', 'crun-redeploy', '--new-replica-count', '1', '--apply-immediately', '--state-dir', stateDir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidParameterValue/);
  });

  test('snapshot, export to a bucket folder, restore into new groups from both', async () => {
    const t = await topology(stateDir, 'crun-redeploy');
    const app = new Redis({ host: t.primary.host, port: t.primary.port, tls: { ca }, username: 'app', password: APP_PASSWORD });
    clients.push(app);
    for (let i = 0; i < 100; i++) await app.set(`app:k${i}`, `v${i}`);
    const snap = await json(['create-snapshot', '--replication-group-id', 'crun-redeploy', '--snapshot-name', 'crun-snap', '--state-dir', stateDir]);
    expect(snap.Snapshot).toMatchObject({ SnapshotName: 'crun-snap', SnapshotStatus: 'available', ReplicationGroupId: 'crun-redeploy' });
    // A bucket is a folder: by name under the state dir's buckets/, or an absolute path.
    await ok(['copy-snapshot', '--source-snapshot-name', 'crun-snap', '--target-snapshot-name', 'crun-export', '--target-bucket', path.join(stateDir, 'buckets', 'crun-bucket'), '--state-dir', stateDir]);
    expect(fs.existsSync(path.join(stateDir, 'buckets', 'crun-bucket', 'crun-export-0001.rdb'))).toBe(true);
    const listed = await json(['describe-snapshots', '--replication-group-id', 'crun-redeploy', '--state-dir', stateDir]);
    expect(listed.Snapshots.map((s: any) => s.SnapshotName)).toContain('crun-snap');

    await deploy({ replicas: 2, policy: 'volatile-lru', databases: '32', restoreGroups: true });
    for (const id of ['crun-from-snapshot', 'crun-from-rdb']) {
      const g = await topology(stateDir, id);
      const c = new Redis({ host: g.primary.host, port: g.primary.port });
      clients.push(c);
      expect(await c.get('app:k42')).toBe('v42');
      expect(await c.dbsize()).toBe(101);
    }
  });

  test('events reach the topic sink; destroy leaves no process behind', async () => {
    const lines = fs.readFileSync(sink, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const names = lines.map((l) => Object.keys(JSON.parse(l.Message))[0]);
    expect(names).toEqual(expect.arrayContaining(['ElastiCache:CreateReplicationGroupComplete', 'ElastiCache:SnapshotComplete']));
    const pids = knownPids(stateDir);
    await ok(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});
