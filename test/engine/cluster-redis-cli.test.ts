import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { Cluster } from 'ioredis';
import { call, ClusterNodeHandle, myId, startClusterNode, stopAll, tempDir, waitConverged } from './cluster-helpers';

// The real operator tool drives our admin commands: redis-cli --cluster create (ADDSLOTS,
// SET-CONFIG-EPOCH, MEET, REPLICATE), then --cluster reshard (SETSLOT + MIGRATE) with keys in place.
describe('redis-cli --cluster create and reshard', () => {
  let dir: string;
  let nodes: ClusterNodeHandle[] = [];
  const cli = (...args: string[]) => spawnSync('redis-cli', args, { encoding: 'utf8', timeout: 120000 });
  const hasCli = !cli('--version').error;

  beforeAll(async () => {
    dir = tempDir();
    if (!hasCli) return;
    for (let i = 0; i < 4; i++) nodes.push(await startClusterNode(dir));
  }, 60000);

  afterAll(async () => {
    await stopAll(nodes);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('create 3 primaries + 1 replica, write, reshard 200 slots, read everything back', async () => {
    if (!hasCli) return;
    const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
    const created = cli('--cluster', 'create', ...addrs.slice(0, 3), '--cluster-yes');
    expect(created.stdout).toContain('[OK] All 16384 slots covered.');
    const ids = await Promise.all(nodes.map(myId));
    // A fourth node joins as a replica of the first primary.
    const added = cli('--cluster', 'add-node', addrs[3], addrs[0], '--cluster-slave', '--cluster-master-id', ids[0]);
    expect(added.stdout).toContain('[OK] New node added correctly.');
    await waitConverged(nodes, (v) => v.includes(`slave ${ids[0]}`));

    const client = new Cluster(nodes.slice(0, 3).map((n) => ({ host: '127.0.0.1', port: n.port })));
    try {
      for (let i = 0; i < 1000; i++) await client.set(`rc:${i}`, `v${i}`);
      const reshard = cli('--cluster', 'reshard', addrs[0], '--cluster-from', ids[0], '--cluster-to', ids[1], '--cluster-slots', '200', '--cluster-yes');
      expect(reshard.status).toBe(0);
      await waitConverged(nodes, (v) => v.split('\n').some((l) => l.startsWith(ids[1]) && l.includes(' 0-199 ')));
      const check = cli('--cluster', 'check', addrs[0]);
      expect(check.stdout).toContain('[OK] All nodes agree about slots configuration.');
      expect(check.stdout).toContain('[OK] All 16384 slots covered.');
      expect(check.stdout).not.toMatch(/\[WARNING\]|\[ERR\]/);
      expect(check.stdout).toContain('[OK] 1000 keys in 3 masters.');
      for (let i = 0; i < 1000; i++) expect(await client.get(`rc:${i}`)).toBe(`v${i}`);
      expect(await call(nodes[0], 'CLUSTER', 'COUNTKEYSINSLOT', 100)).toBe(0);
    } finally {
      client.disconnect();
    }
  }, 180000);
});
