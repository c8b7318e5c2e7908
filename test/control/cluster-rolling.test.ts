// Node type and engine version changes on a cluster-mode-enabled group roll shard by shard
// (replicas, then a CLUSTER FAILOVER in the shard, then the old primary): an ioredis Cluster client
// keeps writing throughout and reads every acknowledged key back after; nodes keep their cluster
// node ids and their shard's slots; `redis-cli --cluster check` stays clean; every node reports
// the new maxmemory and engine version.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Redis, { Cluster } from 'ioredis';
import { cli, json, killAll, ok, tempDir } from './control-cli';
import { waitFor } from '../engine/nodes';

jest.setTimeout(300000);

const ADMIN = 'cdk-elasticache-admin';

interface StateNode { cacheClusterId: string; role: string; endpoint: { address: string; port: number } }

function template(nodeType: string): string {
  return JSON.stringify({
    Resources: {
      Shop: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: {
          ReplicationGroupId: 'croll',
          ReplicationGroupDescription: 'rolling changes in cluster mode',
          Engine: 'valkey',
          EngineVersion: '7.2',
          CacheNodeType: nodeType,
          ClusterMode: 'enabled',
          AutomaticFailoverEnabled: true,
          NumNodeGroups: 2,
          ReplicasPerNodeGroup: 1,
          Port: 6441,
        },
      },
    },
  });
}

describe('cluster mode: node type and engine version changes roll shard by shard', () => {
  const work = tempDir('cme-roll-');
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  let cfg = { host: '', port: 0 };
  const clients: Array<{ disconnect(): void }> = [];

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    if (fs.existsSync(path.join(stateDir, 'state.json'))) await cli(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
    killAll(stateDir);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const stateNodes = (): StateNode[] => JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'))
    .replicationGroups.croll.nodeGroups.flatMap((ng: { members: StateNode[] }) => ng.members);
  const groupStatus = async () => (await json(['describe-replication-groups', '--replication-group-id', 'croll', '--state-dir', stateDir])).ReplicationGroups[0].Status as string;
  const check = () => {
    const r = spawnSync('redis-cli', ['--cluster', 'check', `${cfg.host}:${cfg.port}`], { encoding: 'utf8', timeout: 30000 });
    const out = `${r.stdout}${r.stderr}`;
    return out.includes('[OK] All 16384 slots covered.') && !/\[ERR\]|\[WARNING\]/.test(out) ? 'clean' : out;
  };

  /** Per node (by cluster node id): its shard's slots, from one node's CLUSTER NODES. */
  function slotsByNodeId(): Record<string, string> {
    const n = stateNodes()[0];
    const out = spawnSync('redis-cli', ['-h', n.endpoint.address, '-p', String(n.endpoint.port), 'CLUSTER', 'NODES'], { encoding: 'utf8' }).stdout;
    const lines = out.trim().split('\n').map((l) => l.split(' '));
    const own = new Map(lines.filter((f) => f[2].includes('master')).map((f) => [f[0], f.slice(8).join(',')]));
    return Object.fromEntries(lines.map((f) => [f[0], f[2].includes('master') ? own.get(f[0])! : own.get(f[3])!]));
  }

  /** Per node: [cluster node id, maxmemory, INFO's valkey_version], read as the control plane's user. */
  async function nodes(): Promise<Array<[string, number, string]>> {
    const secret = fs.readFileSync(path.join(stateDir, 'admin.secret'), 'utf8').trim();
    const out: Array<[string, number, string]> = [];
    for (const m of stateNodes()) {
      const c = new Redis({ host: m.endpoint.address, port: m.endpoint.port, username: ADMIN, password: secret, lazyConnect: true });
      try {
        await c.connect();
        const [, max] = (await c.config('GET', 'maxmemory')) as string[];
        out.push([String(await c.call('CLUSTER', 'MYID')), Number(max), /valkey_version:(\S+)/.exec(await c.info('server'))![1]]);
      } finally {
        c.disconnect();
      }
    }
    return out;
  }

  /** An ioredis Cluster client writing keys over every slot until stopped. */
  function keepWriting() {
    const c = new Cluster([cfg], {
      retryDelayOnTryAgain: 20, retryDelayOnClusterDown: 50, retryDelayOnMoved: 10, redisOptions: { maxRetriesPerRequest: 20 },
    });
    clients.push(c);
    let stop = false;
    const acked: number[] = [];
    let failed = 0;
    const done = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await c.set(`w-${i}`, String(i));
          acked.push(i);
        } catch {
          failed++;
        }
      }
    })();
    return { acked, failed: () => failed, stop: async () => { stop = true; await done; return c; } };
  }

  /** Watches the group's status while `fn` runs. */
  async function watching<T>(fn: () => Promise<T>): Promise<{ result: T; statuses: Set<string> }> {
    const statuses = new Set<string>();
    let on = true;
    const watch = (async () => {
      while (on) {
        statuses.add(await groupStatus());
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      return { result: await fn(), statuses };
    } finally {
      on = false;
      await watch;
    }
  }

  test('deploy: each node has the node type\'s maxmemory', async () => {
    fs.writeFileSync(file, template('cache.t4g.micro'));
    const out = await ok(['deploy', file, '--state-dir', stateDir]);
    const m = /configuration endpoint: (\S+):(\d+)/.exec(out)!;
    cfg = { host: m[1], port: Number(m[2]) };
    expect((await nodes()).map(([, max, v]) => [max, v])).toEqual(Array(4).fill([402653184, '7.2.0']));
    expect(check()).toBe('clean');
  });

  test('a template change of CacheNodeType rolls every shard while a cluster client writes', async () => {
    const before = slotsByNodeId();
    const ids = (await nodes()).map(([id]) => id);
    const primaries = stateNodes().filter((n) => n.role === 'primary').map((n) => n.cacheClusterId);
    const writer = keepWriting();
    await waitFor(() => writer.acked.length > 100, 'the writer to start', 10000);
    const since = new Date().toISOString();
    fs.writeFileSync(file, template('cache.t4g.small'));
    const { statuses } = await watching(() => ok(['deploy', file, '--state-dir', stateDir]));
    const during = writer.acked.length;
    await waitFor(() => writer.acked.length > during + 100, 'writes after the roll', 10000);
    const c = await writer.stop();

    expect(statuses).toContain('modifying');
    expect(await groupStatus()).toBe('available');
    // Every acknowledged write is there, on whichever node now serves its slot.
    const got = await Promise.all(writer.acked.map((i) => c.get(`w-${i}`)));
    expect(got.filter((v, k) => v !== String(writer.acked[k]))).toEqual([]);
    expect(writer.failed()).toBe(0);

    // Same cluster nodes, same slots per node; each shard's primary moved to its replica.
    expect(slotsByNodeId()).toEqual(before);
    const after = await nodes();
    expect(after.map(([id]) => id)).toEqual(ids);
    // cache.t4g.small: 1471026299 bytes less 25% reserved.
    expect(after.map(([, max]) => max)).toEqual(Array(4).fill(1103269724));
    expect(stateNodes().filter((n) => n.role === 'primary').map((n) => n.cacheClusterId).some((id) => primaries.includes(id))).toBe(false);
    expect(check()).toBe('clean');

    const clusters = await json(['describe-cache-clusters', '--state-dir', stateDir]);
    expect(clusters.CacheClusters.map((x: any) => x.CacheNodeType)).toEqual(Array(4).fill('cache.t4g.small'));
    const events = (await json(['describe-events', '--state-dir', stateDir, '--start-time', since])).Events
      .filter((e: any) => e.SourceType === 'replication-group').map((e: any) => e.Message).reverse();
    const finished = events.indexOf('Finished modifying cache node type to cache.t4g.small');
    expect(finished).toBeGreaterThan(0);
    // One coordinated failover per shard (the group's event), before the change is reported done.
    const failovers = events.map((m: string, i: number) => (/^Failover from primary node/.test(m) ? i : -1)).filter((i: number) => i >= 0);
    expect(failovers.length).toBe(2);
    expect(Math.max(...failovers)).toBeLessThan(finished);
  });

  test('modify-replication-group --engine-version: modifying at once, then INFO reports it on every node', async () => {
    const writer = keepWriting();
    await waitFor(() => writer.acked.length > 100, 'the writer to start', 10000);
    const r = await json(['modify-replication-group', '--replication-group-id', 'croll', '--engine-version', '8.0', '--apply-immediately', '--state-dir', stateDir]);
    expect(r.ReplicationGroup.Status).toBe('modifying');
    await waitFor(async () => (await groupStatus()) === 'available', 'the group to be available again', 120000);
    const c = await writer.stop();
    const got = await Promise.all(writer.acked.map((i) => c.get(`w-${i}`)));
    expect(got.filter((v, k) => v !== String(writer.acked[k]))).toEqual([]);
    expect(writer.failed()).toBe(0);
    expect((await nodes()).map(([, max, v]) => [max, v])).toEqual(Array(4).fill([1103269724, '8.0.0']));
    expect(check()).toBe('clean');
    const clusters = await json(['describe-cache-clusters', '--state-dir', stateDir]);
    expect(clusters.CacheClusters.map((x: any) => x.EngineVersion)).toEqual(Array(4).fill('8.0'));
  });
  test('shards without a replica keep their data, node ids and slots (SAVE, restart in place)', async () => {
    const single = path.join(work, 'single.json');
    const singleState = path.join(work, 'single-state');
    const body = JSON.parse(template('cache.t4g.micro'));
    Object.assign(body.Resources.Shop.Properties, { ReplicationGroupId: 'croll-one', ReplicasPerNodeGroup: 0, Port: 6442 });
    fs.writeFileSync(single, JSON.stringify(body));
    try {
      const out = await ok(['deploy', single, '--state-dir', singleState]);
      const m = /configuration endpoint: (\S+):(\d+)/.exec(out)!;
      const c = new Cluster([{ host: m[1], port: Number(m[2]) }], { retryDelayOnClusterDown: 50, redisOptions: { maxRetriesPerRequest: 20 } });
      clients.push(c);
      const ks = Array.from({ length: 50 }, (_, i) => `kept:${i}`);
      for (const k of ks) await c.set(k, k);
      const nodesOf = () => JSON.parse(fs.readFileSync(path.join(singleState, 'state.json'), 'utf8')).replicationGroups['croll-one'].nodeGroups
        .flatMap((ng: { members: StateNode[] }) => ng.members) as StateNode[];
      const myIds = () => nodesOf().map((n) => spawnSync('redis-cli', ['-h', n.endpoint.address, '-p', String(n.endpoint.port), 'CLUSTER', 'MYID'], { encoding: 'utf8' }).stdout.trim());
      const ids = myIds();
      body.Resources.Shop.Properties.CacheNodeType = 'cache.t4g.small';
      fs.writeFileSync(single, JSON.stringify(body));
      await ok(['deploy', single, '--state-dir', singleState]);
      expect(myIds()).toEqual(ids);
      expect(await Promise.all(ks.map((k) => c.get(k)))).toEqual(ks);
      const clusters = await json(['describe-cache-clusters', '--state-dir', singleState]);
      expect(clusters.CacheClusters.map((x: any) => x.CacheNodeType)).toEqual(['cache.t4g.small', 'cache.t4g.small']);
      const r = spawnSync('redis-cli', ['--cluster', 'check', `${m[1]}:${m[2]}`], { encoding: 'utf8', timeout: 30000 });
      expect(r.stdout).toContain('[OK] All 16384 slots covered.');
    } finally {
      await cli(['destroy', '--state-dir', singleState, '--no-final-snapshot']);
      killAll(singleState);
    }
  });
});
