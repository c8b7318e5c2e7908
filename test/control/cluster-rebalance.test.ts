// Online shard rebalancing: `modify-replication-group-shard-configuration` with the current node group count
// spreads the slots evenly over the shards (the service's "rebalance"), online, keys intact.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Cluster } from 'ioredis';
import { cli, json, ok, tearDown, tempDir } from './control-cli';
import { waitFor } from '../engine/nodes';

jest.setTimeout(240000);

/** Slot count of a `start-end[,start-end]` list. */
function slotCount(slots: string): number {
  return slots.split(',').reduce((n, r) => {
    const [a, b] = r.split('-').map(Number);
    return n + (b === undefined ? 1 : b - a + 1);
  }, 0);
}

describe('rebalancing a cluster-mode group', () => {
  const work = tempDir('cme-rebalance-');
  const stateDir = path.join(work, 'state');
  const template = path.join(work, 'template.json');
  let client: Cluster | undefined;

  afterAll(async () => {
    client?.disconnect();
    await tearDown(stateDir, work);
  });

  test('uneven slots become even; keys stay; redis-cli --cluster check is clean', async () => {
    fs.writeFileSync(template, JSON.stringify({
      Resources: {
        Uneven: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: {
            ReplicationGroupId: 'uneven',
            ReplicationGroupDescription: 'uneven slots',
            Engine: 'valkey',
            CacheNodeType: 'cache.t4g.micro',
            ClusterMode: 'enabled',
            NumNodeGroups: 2,
            AutomaticFailoverEnabled: true,
            NodeGroupConfiguration: [
              { NodeGroupId: '0001', Slots: '0-12999', ReplicaCount: 0 },
              { NodeGroupId: '0002', Slots: '13000-16383', ReplicaCount: 0 },
            ],
          },
        },
      },
    }));
    const out = await ok(['deploy', template, '--state-dir', stateDir]);
    const m = /configuration endpoint: (\S+):(\d+)/.exec(out)!;
    client = new Cluster([{ host: m[1], port: Number(m[2]) }], { redisOptions: { maxRetriesPerRequest: 20 } });
    for (let i = 0; i < 2000; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => client!.set(`k:${i + j}`, String(i + j))));

    const describe = async () => (await json(['describe-replication-groups', '--replication-group-id', 'uneven', '--state-dir', stateDir])).ReplicationGroups[0];
    expect((await describe()).NodeGroups.map((ng: any) => slotCount(ng.Slots))).toEqual([13000, 3384]);
    // Scaling options that only scale in are refused with the current count.
    const bad = await cli(['modify-replication-group-shard-configuration', '--replication-group-id', 'uneven', '--node-group-count', '2',
      '--node-groups-to-remove', '0001', '--apply-immediately', '--state-dir', stateDir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidParameterCombination/);

    const r = await json(['modify-replication-group-shard-configuration', '--replication-group-id', 'uneven', '--node-group-count', '2',
      '--apply-immediately', '--state-dir', stateDir]);
    expect(r.ReplicationGroup.Status).toBe('modifying');
    // Clients keep working during the move.
    let served = 0;
    while ((await describe()).Status !== 'available') {
      expect(await client.get(`k:${served % 2000}`)).toBe(String(served % 2000));
      served++;
    }
    await waitFor(async () => (await describe()).Status === 'available', 'the rebalance to finish', 120000);
    const counts = (await describe()).NodeGroups.map((ng: any) => slotCount(ng.Slots));
    expect(counts).toEqual([8192, 8192]);
    const values = await Promise.all(Array.from({ length: 2000 }, (_, i) => client!.get(`k:${i}`)));
    expect(values.every((v, i) => v === String(i))).toBe(true);
    const check = spawnSync('redis-cli', ['--cluster', 'check', `${m[1]}:${m[2]}`], { encoding: 'utf8', timeout: 30000 });
    expect(check.stdout).toContain('[OK] All 16384 slots covered.');
    expect(check.stdout).not.toMatch(/\[ERR\]|\[WARNING\]/);
  });
});
