// End to end: the example app synthesized, its SessionStore stack (1 primary + 2 replicas,
// Multi-AZ, TLS) deployed locally, used through its endpoints with ioredis and node-redis, a
// primary killed with SIGKILL (writes resume through the same primary endpoint, reads go on via
// the reader endpoint), a test failover, the control plane killed and re-adopting its nodes,
// and destroy leaving no process behind. Nodes run on our node (CRUN_ENGINE=<binary> to run another).
import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { alive, cli, json, knownPids, ok, tearDown, tempDir, topology } from './control-cli';
import { buildApp } from '../../examples/typescript/app';
import { waitFor } from '../engine/nodes';

/** The engine nodes run: our node by default. */
const ENGINE = process.env.CRUN_ENGINE ? ['--engine-binary', process.env.CRUN_ENGINE] : [];

describe(`deploy the example app, fail over, destroy (${process.env.CRUN_ENGINE ?? 'bundled node'})`, () => {
  const work = tempDir('crun-e2e-');
  const cdkOut = path.join(work, 'cdk.out');
  const stateDir = path.join(work, 'state');
  const clients: Array<{ disconnect(): unknown }> = [];
  let ca = '';

  beforeAll(() => {
    buildApp(cdkOut).synth();
  });

  afterAll(async () => {
    for (const c of clients) await Promise.resolve(c.disconnect()).catch(() => undefined);
    await tearDown(stateDir, work);
  });

  test('a bad spec is refused with every problem listed and nothing touched', async () => {
    const bad = path.join(work, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({
      Resources: {
        Cache: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: { ReplicationGroupDescription: 'x', Engine: 'redis', CacheNodeType: 'cache.t4g.micro', NumNodeGroups: 2, ReplicasPerNodeGroup: 9, ClusterMode: 'enabled' },
        },
      },
    }));
    const badState = path.join(work, 'bad-state');
    const r = await cli(['deploy', bad, '--state-dir', badState]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/problem\(s\); nothing was deployed/);
    expect(r.stderr).toMatch(/Error: Cache \(AWS::ElastiCache::ReplicationGroup\)/);
    expect(r.stderr).toMatch(/ReplicasPerNodeGroup: .*at most 5 replicas/);
    expect(fs.existsSync(badState)).toBe(false);
  });

  test('deploy prints the endpoints; clients use them with TLS; application users cannot run restricted commands', async () => {
    const started = Date.now();
    const out = await ok(['deploy', cdkOut, '--stack', 'SessionStore', '--state-dir', stateDir, ...ENGINE]);
    // eslint-disable-next-line no-console
    console.log(`deploy to available (1 primary + 2 replicas, TLS): ${Date.now() - started} ms`);
    expect(out).toMatch(/primary endpoint: 127\.0\.0\.\d+:6379/);
    expect(out).toMatch(/reader endpoint: +127\.0\.0\.\d+:6379/);
    const caFile = /trust the CA in (\S+)/.exec(out)![1];
    ca = fs.readFileSync(caFile, 'utf8');

    const t = await topology(stateDir, 'sessions');
    expect(t.status).toBe('available');
    expect(t.members.map((m) => m.CurrentRole).sort()).toEqual(['primary', 'replica', 'replica']);
    // Multi-AZ: the primary's AZ differs from at least one replica's; hosts are 127.0.<az>.x.
    const primary = t.members.find((m) => m.CurrentRole === 'primary')!;
    expect(t.members.some((m) => m.PreferredAvailabilityZone !== primary.PreferredAvailabilityZone)).toBe(true);
    for (const m of t.members) expect(m.ReadEndpoint.Address).toBe(`127.0.${m.PreferredAvailabilityZone.charCodeAt(m.PreferredAvailabilityZone.length - 1) - 96}.${m.ReadEndpoint.Address.split('.')[3]}`);

    const writer = new Redis({ host: t.primary.host, port: t.primary.port, tls: { ca }, retryStrategy: () => 20, maxRetriesPerRequest: null });
    clients.push(writer);
    await writer.set('greeting', 'hello');
    const reader = createClient({ socket: { host: t.reader.host, port: t.reader.port, tls: true, ca, reconnectStrategy: () => 20 } });
    reader.on('error', () => undefined);
    clients.push(reader);
    await reader.connect();
    await waitFor(async () => (await reader.get('greeting')) === 'hello', 'the replica to have the write');
    await expect(reader.set('x', '1')).rejects.toThrow(/READONLY/);
    for (const cmd of [['CONFIG', 'GET', 'maxmemory'], ['BGSAVE'], ['REPLICAOF', 'NO', 'ONE'], ['SHUTDOWN'], ['MIGRATE', 'h', '1', 'k', '0', '10']]) {
      // Denied by ACL, or not a command of this engine at all (our node has no MIGRATE; BGSAVE comes with persistence).
      await expect(writer.call(cmd[0], ...cmd.slice(1))).rejects.toThrow(/NOPERM|unknown command/);
    }
    await expect(writer.call('CONFIG', 'GET', 'maxmemory')).rejects.toThrow(/NOPERM/);
    await expect(writer.call('REPLICAOF', 'NO', 'ONE')).rejects.toThrow(/NOPERM/);
    // redis-server refuses DEBUG before its ACL check unless enable-debug-command is set.
    await expect(writer.call('DEBUG', 'SLEEP', '0')).rejects.toThrow(/NOPERM|DEBUG command not allowed/);
    await expect(writer.call('CLUSTER', 'INFO')).rejects.toThrow(/ERR|NOPERM/);
  });

  test('kill -9 of the primary: writes resume through the same primary endpoint, reads go on via the reader endpoint', async () => {
    const t = await topology(stateDir, 'sessions');
    const writer = new Redis({ host: t.primary.host, port: t.primary.port, tls: { ca }, retryStrategy: () => 10, maxRetriesPerRequest: null });
    const reader = new Redis({ host: t.reader.host, port: t.reader.port, tls: { ca }, retryStrategy: () => 10, maxRetriesPerRequest: null });
    clients.push(writer, reader);
    await writer.set('before', '1');
    await waitFor(async () => (await reader.get('before')) === '1', 'replication of the first write');
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    const old = state.replicationGroups.sessions.nodeGroups[0].members.find((m: any) => m.role === 'primary');

    const killedAt = Date.now();
    process.kill(old.pid, 'SIGKILL');
    let wroteAt = 0;
    for (let i = 0; ; i++) {
      try {
        await writer.set(`after-${i}`, 'x');
        wroteAt = Date.now();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 10));
      }
      if (Date.now() - killedAt > 20000) throw new Error('no write succeeded within 20 s of the kill');
    }
    // eslint-disable-next-line no-console
    console.log(`failover: kill -9 of the primary to the first write through the primary endpoint: ${wroteAt - killedAt} ms`);
    expect(await writer.get('before')).toBe('1');
    expect(await reader.get('before')).toBe('1');
    const timeline = (await json(['describe-events', '--state-dir', stateDir])).Events.reverse()
      .filter((e: any) => Date.parse(e.Date) >= killedAt - 1000).map((e: any) => `${Date.parse(e.Date) - killedAt} ms ${e.Message}`);
    // eslint-disable-next-line no-console
    console.log(`events after the kill:\n${timeline.join('\n')}`);

    // The failed node comes back as a replica; everything is available again.
    await waitFor(async () => {
      const now = await topology(stateDir, 'sessions');
      const roles = Object.fromEntries(now.members.map((m) => [m.CacheClusterId, m.CurrentRole]));
      const clusters = await json(['describe-cache-clusters', '--state-dir', stateDir]);
      return roles[old.cacheClusterId] === 'replica' && clusters.CacheClusters.every((c: any) => c.CacheClusterStatus === 'available');
    }, 'the old primary to be back as a replica', 30000);
    const events = await json(['describe-events', '--state-dir', stateDir]);
    const messages = events.Events.map((e: any) => e.Message);
    expect(messages.some((m: string) => new RegExp(`Failover from primary node ${old.cacheClusterId} to replica node`).test(m))).toBe(true);
    expect(messages).toContain('Finished recovery for cache nodes 0001');
  });

  test('test-failover promotes a replica; the primary endpoint follows', async () => {
    const before = await topology(stateDir, 'sessions');
    const oldPrimary = before.members.find((m) => m.CurrentRole === 'primary')!.CacheClusterId;
    const r = await json(['test-failover', '--replication-group-id', 'sessions', '--node-group-id', '0001', '--state-dir', stateDir]);
    const members = r.ReplicationGroup.NodeGroups[0].NodeGroupMembers;
    const newPrimary = members.find((m: any) => m.CurrentRole === 'primary').CacheClusterId;
    expect(newPrimary).not.toBe(oldPrimary);
    const writer = new Redis({ host: before.primary.host, port: before.primary.port, tls: { ca }, retryStrategy: () => 10 });
    clients.push(writer);
    await writer.set('after-test-failover', '1');
    const info = await writer.info('replication');
    expect(info).toMatch(/role:master/);
    const bad = await cli(['test-failover', '--replication-group-id', 'sessions', '--node-group-id', '0002', '--state-dir', stateDir]);
    expect(bad.stderr).toMatch(/An error occurred \(NodeGroupNotFoundFault\): Node group 0002 not found/);
  });

  test('a SIGKILLed control plane loses nothing: the next command re-adopts the running nodes', async () => {
    const pidsBefore = knownPids(stateDir);
    const controlPid = Number(fs.readFileSync(path.join(stateDir, 'control.pid'), 'utf8'));
    process.kill(controlPid, 'SIGKILL');
    await waitFor(() => !alive(controlPid), 'the control plane to die');
    const t = await topology(stateDir, 'sessions');
    expect(t.status).toBe('available');
    const nodePidsAfter = knownPids(stateDir).slice(0, -1);
    expect(nodePidsAfter).toEqual(pidsBefore.slice(0, -1));
    const writer = new Redis({ host: t.primary.host, port: t.primary.port, tls: { ca } });
    clients.push(writer);
    expect(await writer.get('after-test-failover')).toBe('1');
  });

  test('destroy takes the final snapshot and leaves no process behind', async () => {
    const pids = knownPids(stateDir);
    expect(pids.length).toBe(4);
    const out = await ok(['destroy', '--state-dir', stateDir]);
    expect(out).toMatch(/Deleted sessions/);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    expect(Object.keys(state.replicationGroups)).toEqual([]);
    // The template asks for a final snapshot: taken where the engine has BGSAVE (our node gets it
    // with engine-persist); otherwise recorded as failed, and the group is deleted all the same.
    const outcome = state.events.filter((e: any) => /snapshot with ID 'sessions-final-snapshot'/.test(e.message)).map((e: any) => e.notification);
    expect(outcome.length).toBe(1);
    if (outcome[0] === 'ElastiCache:SnapshotComplete') expect(state.snapshots.map((s: any) => s.snapshotName)).toContain('sessions-final-snapshot');
    else expect(outcome[0]).toBe('ElastiCache:SnapshotFailed');
  });
});
