// Endpoints outlive the control plane: they are served by the endpoint router process, which also
// restarts a dead control plane by itself. SIGKILL the control plane: clients through the primary
// and reader endpoints keep working, the control plane comes back without a CLI command, and a
// primary that dies meanwhile is still failed over. SIGKILL the router: the control plane starts
// it again. Destroy leaves no process behind.
import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { alive, knownPids, ok, routerPid, tearDown, tempDir, topology } from './control-cli';
import { waitFor } from '../engine/nodes';

describe('endpoints survive the control plane; the control plane comes back by itself', () => {
  const work = tempDir('crun-survive-');
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  const clients: Redis[] = [];
  const controlPid = () => Number(fs.readFileSync(path.join(stateDir, 'control.pid'), 'utf8'));

  beforeAll(() => {
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        Cache: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: {
            ReplicationGroupId: 'survive',
            ReplicationGroupDescription: 'endpoints without a control plane',
            Engine: 'redis',
            CacheNodeType: 'cache.t4g.micro',
            NumCacheClusters: 2,
            AutomaticFailoverEnabled: true,
            Port: 6421,
          },
        },
      },
    }));
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await tearDown(stateDir, work);
  });

  test('SIGKILL of the control plane: clients go on through the endpoints; it is restarted without a CLI command', async () => {
    await ok(['deploy', file, '--state-dir', stateDir]);
    const t = await topology(stateDir, 'survive');
    const writer = new Redis({ host: t.primary.host, port: t.primary.port, retryStrategy: () => 10, maxRetriesPerRequest: null });
    const reader = new Redis({ host: t.reader.host, port: t.reader.port, retryStrategy: () => 10, maxRetriesPerRequest: null });
    clients.push(writer, reader);
    await writer.set('before', '1');

    const first = controlPid();
    process.kill(first, 'SIGKILL');
    await waitFor(() => !alive(first), 'the control plane to die');
    const killedAt = Date.now();
    // Open connections and new ones both work while no control plane runs.
    await writer.set('during', '2');
    const fresh = new Redis({ host: t.primary.host, port: t.primary.port, maxRetriesPerRequest: 1 });
    clients.push(fresh);
    expect(await fresh.get('during')).toBe('2');
    await waitFor(async () => (await reader.get('during')) === '2', 'the replica to serve the write through the reader endpoint');

    // The router restarts the control plane; nothing runs a CLI command meanwhile.
    await waitFor(() => {
      try {
        return controlPid() !== first && alive(controlPid());
      } catch {
        return false;
      }
    }, 'a new control plane', 15000);
    // eslint-disable-next-line no-console
    console.log(`control plane back ${Date.now() - killedAt} ms after the SIGKILL`);
    expect(await writer.get('before')).toBe('1');
  });

  test('a primary that dies while the control plane is dead is failed over once it is back', async () => {
    const t = await topology(stateDir, 'survive');
    const writer = new Redis({ host: t.primary.host, port: t.primary.port, retryStrategy: () => 10, maxRetriesPerRequest: null });
    clients.push(writer);
    await writer.set('k', 'v');
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    const old = state.replicationGroups.survive.nodeGroups[0].members.find((m: any) => m.role === 'primary');
    const replica = new Redis({ host: t.members.find((m) => m.CurrentRole === 'replica')!.ReadEndpoint.Address, port: t.primary.port });
    clients.push(replica);
    await waitFor(async () => (await replica.get('k')) === 'v', 'the replica to have the write');
    const cp = controlPid();
    process.kill(cp, 'SIGKILL');
    process.kill(old.pid, 'SIGKILL');
    await waitFor(async () => {
      try {
        await writer.set('after', '1');
        return true;
      } catch {
        return false;
      }
    }, 'a write through the primary endpoint after the failover', 20000);
    expect(await writer.get('k')).toBe('v');
    expect(controlPid()).not.toBe(cp);
  });

  test('SIGKILL of the router: the control plane starts a new one on the same addresses', async () => {
    const t = await topology(stateDir, 'survive');
    const before = routerPid(stateDir)!;
    process.kill(before, 'SIGKILL');
    await waitFor(() => !alive(before), 'the router to die');
    await waitFor(() => routerPid(stateDir) !== before && alive(routerPid(stateDir)!), 'a new router', 10000);
    const writer = new Redis({ host: t.primary.host, port: t.primary.port, retryStrategy: () => 10, maxRetriesPerRequest: null });
    clients.push(writer);
    await waitFor(async () => (await writer.get('after')) === '1', 'the primary endpoint to serve again', 10000);
  });

  test('destroy stops the nodes, the control plane and the router', async () => {
    const pids = [...knownPids(stateDir), routerPid(stateDir)!];
    expect(pids.every(alive)).toBe(true);
    await ok(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
    await waitFor(() => pids.every((p) => !alive(p)), 'every process to exit', 10000);
  });
});
