// End to end, snapshots of cluster-mode-enabled groups: create-snapshot gives one RDB per shard
// (NodeSnapshots with NodeGroupId, Slots, CacheSize), copy-snapshot exports one file per shard to
// a bucket folder, and new groups start from them: by SnapshotName into fewer shards, by
// SnapshotArns into more shards, a cluster-mode-disabled snapshot seeding a cluster-mode-enabled
// group; a cluster-mode-disabled group refuses a cluster-mode-enabled snapshot, as the service
// does. Destroy's final snapshot of a cluster-mode group is one file per shard too.
import * as fs from 'fs';
import * as path from 'path';
import Redis, { Cluster } from 'ioredis';
import { cli, json, ok, tearDown, tempDir } from './control-cli';

jest.setTimeout(300000);

const KEYS = 400;

interface Endpoint { host: string; port: number }

function group(id: string, props: Record<string, unknown>) {
  return {
    Type: 'AWS::ElastiCache::ReplicationGroup',
    Properties: {
      ReplicationGroupId: id, ReplicationGroupDescription: id, Engine: 'valkey', CacheNodeType: 'cache.t4g.micro', Port: 6379, ...props,
    },
  };
}
const cme = (shards: number, replicas: number) => ({ ClusterMode: 'enabled', NumNodeGroups: shards, ReplicasPerNodeGroup: replicas, AutomaticFailoverEnabled: true });

describe('cluster-mode-enabled snapshots and restores', () => {
  const work = tempDir('cme-snap-');
  const stateDir = path.join(work, 'state');
  const template = path.join(work, 'template.json');
  // A bucket named `exp` is the folder <state>/buckets/exp.
  const bucket = path.join(stateDir, 'buckets', 'exp');
  const clients: Array<Cluster | Redis> = [];
  const resources: Record<string, unknown> = {
    Board: group('board', cme(3, 1)),
    Single: group('single', { NumCacheClusters: 1 }),
  };
  const deploy = async () => {
    fs.writeFileSync(template, JSON.stringify({ Resources: resources }));
    return ok(['deploy', template, '--state-dir', stateDir]);
  };
  const configEndpoint = async (id: string): Promise<Endpoint> => {
    const g = (await json(['describe-replication-groups', '--replication-group-id', id, '--state-dir', stateDir])).ReplicationGroups[0];
    return { host: g.ConfigurationEndpoint.Address, port: g.ConfigurationEndpoint.Port };
  };
  const clusterClient = async (id: string) => {
    const c = new Cluster([await configEndpoint(id)], { redisOptions: { maxRetriesPerRequest: 5 } });
    clients.push(c);
    return c;
  };
  /** Every key written to `board` before the snapshot, with its type and TTL. */
  const boardIntact = async (c: Cluster) => {
    const strings = await Promise.all(Array.from({ length: KEYS }, (_, i) => c.get(`k:${i}`)));
    expect(strings.every((v, i) => v === `v${i}`)).toBe(true);
    expect(await c.hgetall('{h}hash')).toEqual({ a: '1', b: '2' });
    expect(await c.lrange('{l}list', 0, -1)).toEqual(['x', 'y', 'z']);
    expect(await c.zrange('{z}zset', 0, -1, 'WITHSCORES')).toEqual(['m', '1.5']);
    const ttl = await c.ttl('ttl-key');
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(3600);
  };
  const dbsizes = async (c: Cluster) => Promise.all(c.nodes('master').map((n) => n.dbsize()));

  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await tearDown(stateDir, work);
  });

  test('create-snapshot of a 3-shard group: one RDB per shard, NodeSnapshots per shard', async () => {
    await deploy();
    const c = await clusterClient('board');
    for (let i = 0; i < KEYS; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => c.set(`k:${i + j}`, `v${i + j}`)));
    await c.hset('{h}hash', { a: '1', b: '2' });
    await c.rpush('{l}list', 'x', 'y', 'z');
    await c.zadd('{z}zset', 1.5, 'm');
    await c.set('ttl-key', 'soon', 'EX', 3600);
    const single = await json(['describe-replication-groups', '--replication-group-id', 'single', '--state-dir', stateDir]);
    const ep = single.ReplicationGroups[0].NodeGroups[0].PrimaryEndpoint;
    const r = new Redis({ host: ep.Address, port: ep.Port });
    clients.push(r);
    await r.mset('cmd:a', '1', 'cmd:b', '2', 'cmd:c', '3');

    const snap = (await json(['create-snapshot', '--replication-group-id', 'board', '--snapshot-name', 'board-snap', '--state-dir', stateDir])).Snapshot;
    expect(snap.SnapshotStatus).toBe('available');
    expect(snap.NumNodeGroups).toBe(3);
    expect(snap.CacheClusterId).toBeUndefined();
    expect(snap.NodeSnapshots.map((n: any) => n.NodeGroupId)).toEqual(['0001', '0002', '0003']);
    expect(snap.NodeSnapshots.map((n: any) => n.NodeGroupConfiguration.Slots)).toEqual(['0-5461', '5462-10922', '10923-16383']);
    for (const n of snap.NodeSnapshots) {
      expect(n.CacheSize).toMatch(/^\d+ (KB|MB)$/);
      // Taken on each shard's replica, as the service does.
      expect(n.CacheClusterId).toMatch(/^board-000\d-002$/);
    }
    const described = (await json(['describe-snapshots', '--snapshot-name', 'board-snap', '--state-dir', stateDir])).Snapshots[0];
    expect(described.NodeSnapshots).toHaveLength(3);
    await ok(['create-snapshot', '--replication-group-id', 'single', '--snapshot-name', 'single-snap', '--state-dir', stateDir]);

    await ok(['copy-snapshot', '--source-snapshot-name', 'board-snap', '--target-snapshot-name', 'exported', '--target-bucket', 'exp', '--state-dir', stateDir]);
    expect(fs.readdirSync(bucket).sort()).toEqual(['exported-0001.rdb', 'exported-0002.rdb', 'exported-0003.rdb']);
  });

  test('new groups start from the snapshot (2 shards), the exported files (4 shards) and a cluster-mode-disabled snapshot', async () => {
    resources.FromSnap = group('from-snap', { ...cme(2, 0), SnapshotName: 'board-snap' });
    resources.FromArns = group('from-arns', {
      ...cme(4, 0),
      SnapshotArns: [1, 2, 3].map((i) => `arn:aws:s3:::exp/exported-000${i}.rdb`),
      NodeGroupConfiguration: [
        { NodeGroupId: '0001', Slots: '0-4095' }, { NodeGroupId: '0002', Slots: '4096-8191' },
        { NodeGroupId: '0003', Slots: '8192-12287' }, { NodeGroupId: '0004', Slots: '12288-16383' },
      ],
    });
    resources.FromCmd = group('from-cmd', { ...cme(2, 0), SnapshotName: 'single-snap' });
    await deploy();
    const fromSnap = await clusterClient('from-snap');
    await boardIntact(fromSnap);
    const sizes2 = await dbsizes(fromSnap);
    expect(sizes2).toHaveLength(2);
    expect(sizes2.reduce((a, b) => a + b, 0)).toBe(KEYS + 4);

    const fromArns = await clusterClient('from-arns');
    await boardIntact(fromArns);
    const sizes4 = await dbsizes(fromArns);
    expect(sizes4).toHaveLength(4);
    expect(sizes4.every((n) => n > 50)).toBe(true);

    const fromCmd = await clusterClient('from-cmd');
    expect(await Promise.all(['cmd:a', 'cmd:b', 'cmd:c'].map((k) => fromCmd.get(k)))).toEqual(['1', '2', '3']);
    const snaps = (await json(['describe-snapshots', '--state-dir', stateDir])).Snapshots;
    expect(snaps.every((s: any) => s.SnapshotStatus === 'available')).toBe(true);
  });

  test('a cluster-mode-disabled group refuses a cluster-mode-enabled snapshot', async () => {
    const current = { ...resources };
    resources.CmdFromCme = group('cmd-from-cme', { NumCacheClusters: 1, SnapshotName: 'board-snap' });
    fs.writeFileSync(template, JSON.stringify({ Resources: resources }));
    const r = await cli(['deploy', template, '--state-dir', stateDir]);
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/cluster-mode-enabled group/);
    delete resources.CmdFromCme;
    Object.assign(resources, current);
  });

  test('destroy with a final snapshot: one file per shard of each cluster-mode group', async () => {
    clients.forEach((c) => c.disconnect());
    clients.length = 0;
    await ok(['destroy', '--state-dir', stateDir, '--final-snapshot-identifier', 'final']);
    const snaps = (await json(['describe-snapshots', '--state-dir', stateDir])).Snapshots;
    const boardFinal = snaps.find((s: any) => s.SnapshotName === 'final-board');
    expect(boardFinal.NodeSnapshots.map((n: any) => n.NodeGroupId)).toEqual(['0001', '0002', '0003']);
    expect(snaps.find((s: any) => s.SnapshotName === 'final-from-arns').NodeSnapshots).toHaveLength(4);
  });
});
