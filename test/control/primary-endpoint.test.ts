// The primary endpoint is the primary node's own listener on the endpoint's address (as the
// service's DNS name resolves to the primary): no process in between, so it does not depend on the
// endpoint router; the address follows the primary on test-failover (connections through the old
// one are closed) and when the primary is wedged (SIGSTOP: it is killed so it lets go).
import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { alive, ok, routerPid, tearDown, tempDir, topology } from './control-cli';
import { waitFor } from '../engine/nodes';

jest.setTimeout(120000);

describe('primary endpoint bound by the primary node', () => {
  const work = tempDir('crun-primary-ep-');
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  const clients: Redis[] = [];
  const client = (ep: { host: string; port: number }) => {
    const c = new Redis({ host: ep.host, port: ep.port, retryStrategy: () => 10, maxRetriesPerRequest: null, commandTimeout: 1000 });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  const nodePid = (id: string): number => {
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    return state.replicationGroups.pep.nodeGroups[0].members.find((m: any) => m.cacheClusterId === id).pid;
  };
  const primaryId = async () => (await topology(stateDir, 'pep')).members.find((m) => m.CurrentRole === 'primary')!.CacheClusterId;
  /** The node a connection reached, by the run id it reports. */
  const runId = async (c: Redis) => /run_id:(\w+)/.exec(await c.info('server'))![1];

  beforeAll(() => {
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        Cache: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: {
            ReplicationGroupId: 'pep',
            ReplicationGroupDescription: 'primary endpoint on the primary node',
            Engine: 'valkey',
            CacheNodeType: 'cache.t4g.micro',
            NumCacheClusters: 3,
            AutomaticFailoverEnabled: true,
            Port: 6461,
          },
        },
      },
    }));
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await tearDown(stateDir, work);
  });

  test('clients reach the primary directly; killing the router does not touch them', async () => {
    await ok(['deploy', file, '--state-dir', stateDir]);
    const t = await topology(stateDir, 'pep');
    const viaEndpoint = client(t.primary);
    const primary = t.members.find((m) => m.CurrentRole === 'primary')!;
    const direct = client({ host: primary.ReadEndpoint.Address, port: primary.ReadEndpoint.Port });
    expect(await runId(viaEndpoint)).toBe(await runId(direct));
    // The node sees the client arrive on the endpoint's address: nothing relays it.
    expect(String(await viaEndpoint.client('INFO'))).toContain(`laddr=${t.primary.host}:${t.primary.port}`);

    const router = routerPid(stateDir)!;
    process.kill(router, 'SIGKILL');
    await waitFor(() => !alive(router), 'the router to die');
    expect(await viaEndpoint.set('k', '1')).toBe('OK');
    expect(await client(t.primary).get('k')).toBe('1');
    await waitFor(() => routerPid(stateDir) !== router && alive(routerPid(stateDir)!), 'the router to be started again', 10000);
  });

  test('test-failover moves the address; connections through it to the old primary are closed', async () => {
    const t = await topology(stateDir, 'pep');
    const before = client(t.primary);
    const oldRun = await runId(before);
    let closed = false;
    before.on('close', () => (closed = true));
    await ok(['test-failover', '--replication-group-id', 'pep', '--node-group-id', '0001', '--state-dir', stateDir]);
    // When the verb returns, a new connection reaches the new primary.
    const after = client(t.primary);
    expect(await runId(after)).not.toBe(oldRun);
    expect(await after.set('after-test-failover', '1')).toBe('OK');
    await waitFor(() => closed, 'the old connection through the endpoint to be closed', 5000);
    expect(await before.get('after-test-failover')).toBe('1'); // reconnected, to the new primary
    expect(await runId(before)).not.toBe(oldRun);
  });

  test('a wedged primary (SIGSTOP) is killed so that the address moves; writes resume', async () => {
    const t = await topology(stateDir, 'pep');
    const oldId = await primaryId();
    const oldPid = nodePid(oldId);
    const writer = client(t.primary);
    await writer.set('before-wedge', '1');
    process.kill(oldPid, 'SIGSTOP');
    const stoppedAt = Date.now();
    for (;;) {
      try {
        await writer.set('after-wedge', '1');
        break;
      } catch {
        if (Date.now() - stoppedAt > 20000) throw new Error('no write through the primary endpoint within 20 s of the SIGSTOP');
      }
    }
    expect(await primaryId()).not.toBe(oldId);
    expect(alive(oldPid)).toBe(false);
    expect(await writer.get('before-wedge')).toBe('1');
    await waitFor(async () => (await topology(stateDir, 'pep')).members.every((m) => m.CurrentRole === 'primary' || m.CurrentRole === 'replica')
      && (await topology(stateDir, 'pep')).status === 'available', 'the group to be available again', 30000);
  });
});
