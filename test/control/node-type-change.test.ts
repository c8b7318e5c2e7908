// Node type and engine version changes roll node by node (replicas, then a failover, then the old
// primary): the group is `modifying` meanwhile, clients keep writing through the primary endpoint,
// each node's maxmemory follows its node type minus reserved memory, and INFO reports the engine
// version the group runs.
import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { cli, json, killAll, ok, tearDown, tempDir, topology } from './control-cli';
import { waitFor } from '../engine/nodes';

const ADMIN = 'cdk-elasticache-admin';

function template(nodeType: string): string {
  return JSON.stringify({
    Resources: {
      Cache: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: {
          ReplicationGroupId: 'roll',
          ReplicationGroupDescription: 'rolling changes',
          Engine: 'redis',
          EngineVersion: '7.0',
          CacheNodeType: nodeType,
          NumCacheClusters: 2,
          AutomaticFailoverEnabled: true,
          Port: 6431,
        },
      },
    },
  });
}

describe('node type and engine version changes roll node by node', () => {
  const work = tempDir('crun-roll-');
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  const clients: Redis[] = [];

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await tearDown(stateDir, work);
  });

  /** Per node: [maxmemory, INFO's redis_version], read as the control plane's user. */
  async function nodes(): Promise<Record<string, [number, string]>> {
    const t = await topology(stateDir, 'roll');
    const secret = fs.readFileSync(path.join(stateDir, 'admin.secret'), 'utf8').trim();
    const out: Record<string, [number, string]> = {};
    for (const m of t.members) {
      const c = new Redis({ host: m.ReadEndpoint.Address, port: m.ReadEndpoint.Port, username: ADMIN, password: secret });
      try {
        const [, max] = (await c.config('GET', 'maxmemory')) as string[];
        out[m.CacheClusterId] = [Number(max), /redis_version:(\S+)/.exec(await c.info('server'))![1]];
      } finally {
        c.disconnect();
      }
    }
    return out;
  }

  /** Writes through the primary endpoint until stopped; counts writes and failures. */
  function keepWriting(host: string, port: number) {
    const c = new Redis({ host, port, retryStrategy: () => 10, maxRetriesPerRequest: null });
    clients.push(c);
    let stop = false;
    const acked: number[] = [];
    const done = (async () => {
      for (let i = 0; !stop; i++) {
        await c.set(`w-${i}`, String(i));
        acked.push(i);
      }
    })();
    return { acked, stop: async () => { stop = true; await done; return c; } };
  }

  test('deploy: maxmemory is the node type\'s minus 25% reserved memory', async () => {
    fs.writeFileSync(file, template('cache.t4g.micro'));
    await ok(['deploy', file, '--state-dir', stateDir]);
    // cache.t4g.micro: 536870912 bytes, reserved-memory-percent 25 by default.
    expect(Object.values(await nodes())).toEqual([[402653184, '7.0.0'], [402653184, '7.0.0']]);
  });

  test('a template change of CacheNodeType: replicas first, failover, old primary; writes go on', async () => {
    const t = await topology(stateDir, 'roll');
    const oldPrimary = t.members.find((m) => m.CurrentRole === 'primary')!.CacheClusterId;
    const writer = keepWriting(t.primary.host, t.primary.port);
    const statuses = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        statuses.add((await topology(stateDir, 'roll')).status);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    fs.writeFileSync(file, template('cache.t4g.small'));
    const since = new Date().toISOString();
    await ok(['deploy', file, '--state-dir', stateDir]);
    watching = false;
    await watch;
    const c = await writer.stop();
    expect(writer.acked.length).toBeGreaterThan(0);
    // Every acknowledged write is there (the promoted replica had them all).
    const last = writer.acked[writer.acked.length - 1];
    expect(await c.get(`w-${last}`)).toBe(String(last));
    expect(statuses).toContain('modifying');

    const after = await topology(stateDir, 'roll');
    expect(after.status).toBe('available');
    expect(after.members.find((m) => m.CurrentRole === 'primary')!.CacheClusterId).not.toBe(oldPrimary);
    // cache.t4g.small: 1471026299 bytes.
    expect(Object.values(await nodes())).toEqual([[1103269724, '7.0.0'], [1103269724, '7.0.0']]);
    const clusters = await json(['describe-cache-clusters', '--state-dir', stateDir]);
    expect(clusters.CacheClusters.map((x: any) => x.CacheNodeType)).toEqual(['cache.t4g.small', 'cache.t4g.small']);
    const events = (await json(['describe-events', '--state-dir', stateDir, '--start-time', since])).Events.map((e: any) => e.Message).reverse();
    expect(events).toContain('Finished modifying cache node type to cache.t4g.small');
    expect(events.findIndex((m: string) => /^Failover from primary node/.test(m))).toBeLessThan(events.indexOf('Finished modifying cache node type to cache.t4g.small'));
  });

  test('modify-replication-group --engine-version: answered with modifying, INFO reports the new version on every node', async () => {
    const bad = await cli(['modify-replication-group', '--replication-group-id', 'roll', '--engine-version', '6.2', '--apply-immediately', '--state-dir', stateDir]);
    expect(bad.stderr).toMatch(/InvalidParameterCombination.*downgrade/);
    const r = await json(['modify-replication-group', '--replication-group-id', 'roll', '--engine-version', '7.1', '--apply-immediately', '--state-dir', stateDir]);
    expect(r.ReplicationGroup.Status).toBe('modifying');
    await waitFor(async () => (await topology(stateDir, 'roll')).status === 'available', 'the group to be available again', 60000);
    expect(Object.values(await nodes())).toEqual([[1103269724, '7.1.0'], [1103269724, '7.1.0']]);
    const clusters = await json(['describe-cache-clusters', '--state-dir', stateDir]);
    expect(clusters.CacheClusters.map((x: any) => x.EngineVersion)).toEqual(['7.1', '7.1']);
  });

  test('a group without a replica keeps its data across a node type change (SAVE, restart, load)', async () => {
    const single = path.join(work, 'single.json');
    const singleState = path.join(work, 'single-state');
    const body = JSON.parse(template('cache.t4g.micro'));
    Object.assign(body.Resources.Cache.Properties, { ReplicationGroupId: 'roll-one', NumCacheClusters: 1, AutomaticFailoverEnabled: false, Port: 6432 });
    fs.writeFileSync(single, JSON.stringify(body));
    try {
      await ok(['deploy', single, '--state-dir', singleState]);
      const t = await topology(singleState, 'roll-one');
      const c = new Redis({ host: t.primary.host, port: t.primary.port, retryStrategy: () => 10, maxRetriesPerRequest: null });
      clients.push(c);
      await c.set('kept', 'yes');
      body.Resources.Cache.Properties.CacheNodeType = 'cache.t4g.small';
      fs.writeFileSync(single, JSON.stringify(body));
      await ok(['deploy', single, '--state-dir', singleState]);
      expect(await c.get('kept')).toBe('yes');
      const clusters = await json(['describe-cache-clusters', '--state-dir', singleState]);
      expect(clusters.CacheClusters.map((x: any) => x.CacheNodeType)).toEqual(['cache.t4g.small']);
    } finally {
      await cli(['destroy', '--state-dir', singleState, '--no-final-snapshot']);
      killAll(singleState);
    }
  });
});
