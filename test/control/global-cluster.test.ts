// A Global Datastore whose primary runs in cluster mode: the examples app's GlobalPrimary stack (a
// cluster of 2 shards in us-east-1) and GlobalSecondary stack (eu-west-1), deployed one after the
// other into one state dir. The secondary gets the same shards and slots; each of its shard
// primaries replicates the primary region's primary of that shard, so a cluster client there reads
// what one in the primary region writes and gets READONLY for writes; a shard failover in the
// primary region is followed; failover-global-replication-group promotes every shard of the
// secondary; disassociate makes a member writable.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Cluster } from 'ioredis';
import { cli, json, killAll, ok, tempDir } from './control-cli';
import { buildApp } from '../../examples/typescript/app';
import { waitFor } from '../engine/nodes';

jest.setTimeout(300000);

interface Address { host: string; port: number }

describe('a Global Datastore of a cluster-mode-enabled primary (examples app)', () => {
  const work = tempDir('crun-global-cme-');
  const cdkOut = path.join(work, 'cdk.out');
  const stateDir = path.join(work, 'state');
  const clients: Cluster[] = [];
  let ca = '';
  let caFile: string | undefined;

  const describe_ = async (id: string) => (await json(['describe-replication-groups', '--replication-group-id', id, '--state-dir', stateDir])).ReplicationGroups[0];
  const configEndpoint = async (id: string): Promise<Address> => {
    const e = (await describe_(id)).ConfigurationEndpoint;
    return { host: e.Address, port: e.Port };
  };
  const connect = async (id: string) => {
    const c = new Cluster([await configEndpoint(id)], {
      redisOptions: { maxRetriesPerRequest: 3, ...(ca ? { tls: { ca } } : {}) },
      ...(ca ? { dnsLookup: (address: string, cb: (e: null, a: string) => void) => cb(null, address) } : {}),
      retryDelayOnTryAgain: 20,
      retryDelayOnClusterDown: 50,
    });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  const check = async (id: string) => {
    const e = await configEndpoint(id);
    const tls = caFile ? ['--tls', '--cacert', caFile] : [];
    const r = spawnSync('redis-cli', [...tls, '--cluster', 'check', `${e.host}:${e.port}`], { encoding: 'utf8', timeout: 30000 });
    const out = `${r.stdout}${r.stderr}`;
    return out.includes('[OK] All 16384 slots covered.') && !/\[ERR\]|\[WARNING\]/.test(out) ? 'clean' : out;
  };
  const keys = (prefix: string) => Array.from({ length: 40 }, (_, i) => `${prefix}:${i}`);
  const allThere = async (c: Cluster, ks: string[]) => (await Promise.all(ks.map((k) => c.get(k).catch(() => null)))).every((v, i) => v === ks[i]);

  beforeAll(() => {
    buildApp(cdkOut).synth();
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    if (fs.existsSync(path.join(stateDir, 'state.json'))) await cli(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
    killAll(stateDir);
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('the secondary stack joins with the primary\'s shards and slots and follows each shard, read-only', async () => {
    const out = await ok(['deploy', cdkOut, '--stack', 'GlobalPrimary', '--state-dir', stateDir]);
    caFile = /trust the CA in (\S+)/.exec(out)?.[1];
    if (caFile) ca = fs.readFileSync(caFile, 'utf8');
    await ok(['deploy', cdkOut, '--stack', 'GlobalSecondary', '--state-dir', stateDir]);

    const g = (await json(['describe-global-replication-groups', '--global-replication-group-id', 'local-catalog', '--show-member-info', '--state-dir', stateDir]))
      .GlobalReplicationGroups[0];
    expect(g).toEqual(expect.objectContaining({ Status: 'available', ClusterEnabled: true }));
    expect(g.GlobalNodeGroups.map((x: any) => x.GlobalNodeGroupId)).toEqual(['local-catalog-0001', 'local-catalog-0002']);
    expect(g.Members.map((m: any) => [m.ReplicationGroupId, m.ReplicationGroupRegion, m.Role, m.Status])).toEqual([
      ['catalog-use1', 'us-east-1', 'PRIMARY', 'associated'],
      ['catalog-euw1', 'eu-west-1', 'SECONDARY', 'associated'],
    ]);
    const use1 = await describe_('catalog-use1');
    const euw1 = await describe_('catalog-euw1');
    expect(euw1.ClusterEnabled).toBe(true);
    expect(euw1.NodeGroups.map((ng: any) => [ng.NodeGroupId, ng.Slots, ng.NodeGroupMembers.length]))
      .toEqual(use1.NodeGroups.map((ng: any) => [ng.NodeGroupId, ng.Slots, 2]));
    expect(euw1.GlobalReplicationGroupInfo).toEqual({ GlobalReplicationGroupId: 'local-catalog', GlobalReplicationGroupMemberRole: 'SECONDARY' });

    const writer = await connect('catalog-use1');
    const reader = await connect('catalog-euw1');
    const ks = keys('item');
    for (const k of ks) await writer.set(k, k);
    await waitFor(() => allThere(reader, ks), 'the secondary region to have every key', 15000);
    await expect(reader.set('item:x', 'no')).rejects.toThrow(/READONLY/);
    expect(await check('catalog-use1')).toBe('clean');
    expect(await check('catalog-euw1')).toBe('clean');
  });

  test('a shard failover in the primary region: the secondary follows the new shard primary', async () => {
    // Cluster mode: describe-replication-groups has no CurrentRole, the state has the roles.
    const primaryOf0001 = async () => JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'))
      .replicationGroups['catalog-use1'].nodeGroups[0].members.find((m: { role: string }) => m.role === 'primary')?.cacheClusterId as string;
    const before = await primaryOf0001();
    const r = await json(['test-failover', '--replication-group-id', 'catalog-use1', '--node-group-id', '0001', '--state-dir', stateDir]);
    expect(r.ReplicationGroup.ReplicationGroupId).toBe('catalog-use1');
    await waitFor(async () => (await primaryOf0001()) !== before && (await describe_('catalog-use1')).Status === 'available', 'the failover to finish', 60000);
    const writer = await connect('catalog-use1');
    const reader = await connect('catalog-euw1');
    const ks = keys('after-failover');
    await waitFor(async () => (await writer.set(ks[0], ks[0]).catch(() => 'no')) === 'OK', 'writes on the primary region', 15000);
    for (const k of ks) await writer.set(k, k);
    await waitFor(() => allThere(reader, ks), 'the secondary region to have the writes made after the failover', 15000);
  });

  test('kill -9 of a shard primary in the secondary region: the promoted replica follows the primary region too', async () => {
    const shard = () => JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')).replicationGroups['catalog-euw1'].nodeGroups[1]
      .members as Array<{ role: string; pid: number; cacheClusterId: string; status: string }>;
    const victim = shard().find((m) => m.role === 'primary')!;
    process.kill(victim.pid, 'SIGKILL');
    await waitFor(() => shard().find((m) => m.role === 'primary')!.cacheClusterId !== victim.cacheClusterId, 'the secondary shard to fail over', 30000);
    const writer = await connect('catalog-use1');
    const reader = await connect('catalog-euw1');
    const ks = keys('after-kill');
    for (const k of ks) await writer.set(k, k);
    await waitFor(() => allThere(reader, ks), 'the secondary region to have the writes made after its own failover', 15000);
    await expect(reader.set('after-kill:x', 'no')).rejects.toThrow(/READONLY/);
    await waitFor(async () => shard().every((m) => m.status === 'available') && (await check('catalog-euw1')) === 'clean', 'the killed node back as a replica', 60000);
  });

  test('a replica added to the secondary later knows its shard\'s upstream in the primary region', async () => {
    type Member = { role: string; cacheClusterId: string; endpoint: { address: string; port: number } };
    const state = () => JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8')).replicationGroups;
    const shard = (id: string): Member[] => state()[id].nodeGroups[1].members;
    const before = shard('catalog-euw1').map((m) => m.cacheClusterId);
    await ok(['increase-replica-count', '--replication-group-id', 'catalog-euw1', '--new-replica-count', '2', '--apply-immediately', '--state-dir', stateDir]);
    await waitFor(async () => shard('catalog-euw1').length === before.length + 1 && (await describe_('catalog-euw1')).Status === 'available', 'the new replicas', 60000);
    const fresh = shard('catalog-euw1').find((m) => !before.includes(m.cacheClusterId))!;
    const upstream = shard('catalog-use1').find((m) => m.role === 'primary')!.endpoint;
    // what the node takes its data from if it is ever promoted in its own region
    const secret = fs.readFileSync(path.join(stateDir, 'admin.secret'), 'utf8').trim();
    const r = spawnSync('redis-cli', [...(caFile ? ['--tls', '--cacert', caFile] : []), '--user', 'cdk-elasticache-admin', '--pass', secret, '--no-auth-warning',
      '-h', fresh.endpoint.address, '-p', String(fresh.endpoint.port), 'CONFIG', 'GET', 'cdk-elasticache-global-upstream'], { encoding: 'utf8', timeout: 10000 });
    expect(r.stdout.trim().split('\n')).toEqual(['cdk-elasticache-global-upstream', `${upstream.address} ${upstream.port}`]);
  });

  test('failover-global-replication-group promotes every shard of the secondary; the old primary follows it', async () => {
    const g = await json(['failover-global-replication-group', '--global-replication-group-id', 'local-catalog',
      '--primary-region', 'eu-west-1', '--primary-replication-group-id', 'catalog-euw1', '--state-dir', stateDir]);
    expect(g.GlobalReplicationGroup.Members.map((m: any) => [m.ReplicationGroupId, m.Role])).toEqual([['catalog-use1', 'SECONDARY'], ['catalog-euw1', 'PRIMARY']]);
    const writer = await connect('catalog-euw1');
    const reader = await connect('catalog-use1');
    expect(await allThere(writer, keys('item'))).toBe(true);
    const ks = keys('moved');
    for (const k of ks) await writer.set(k, k);
    await waitFor(() => allThere(reader, ks), 'the old primary region to have the new region\'s writes', 15000);
    await expect(reader.set('moved:x', 'no')).rejects.toThrow(/READONLY/);
  });

  test('disassociate: the old primary region leaves and takes writes on every shard', async () => {
    const g = await json(['disassociate-global-replication-group', '--global-replication-group-id', 'local-catalog',
      '--replication-group-id', 'catalog-use1', '--replication-group-region', 'us-east-1', '--state-dir', stateDir]);
    expect(g.GlobalReplicationGroup.Status).toBe('primary-only');
    const use1 = await connect('catalog-use1');
    const ks = keys('local');
    await waitFor(async () => (await use1.set(ks[0], ks[0]).catch(() => 'no')) === 'OK', 'the disassociated group to take writes', 15000);
    for (const k of ks) await use1.set(k, k);
    expect(await allThere(use1, ks)).toBe(true);
    expect(await check('catalog-use1')).toBe('clean');
    expect(await check('catalog-euw1')).toBe('clean');
  });
});
