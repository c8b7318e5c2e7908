// A failover never waits behind a node recovery (issue 6): the primary that took over from a killed
// one is killed in turn while the first one is still being recovered, or the primary is killed while
// a replica's replacement runs. The recovery waits for its node to sync (up to 30 s); the failover
// must not: writes through the primary endpoint resume within a few seconds of the second kill, no
// acknowledged write is lost with synchronous durability, and the group ends with every node
// available, one primary and the others replicating from it. SIGSTOP holds a recovering node in
// the middle of its recovery, so the timing is the same on every run.
import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { json, ok, resume, tearDown, tempDir, topology } from './control-cli';
import { waitFor } from '../engine/nodes';

const ADMIN = 'cdk-elasticache-admin';
/** Writes must resume through the primary endpoint within this long after the kill (a failover takes ~0.2-0.5 s). */
const RESUME_MS = 5000;

interface NodeState { cacheClusterId: string; role: string; status: string; pid: number; endpoint: { address: string; port: number } }

describe('a failover never waits behind a node recovery', () => {
  const work = tempDir('crun-failq-');
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  const clients: Redis[] = [];
  const stopped: number[] = [];

  const group = (id: string, port: number, extra: Record<string, unknown>) => ({
    Type: 'AWS::ElastiCache::ReplicationGroup',
    Properties: {
      ReplicationGroupId: id,
      ReplicationGroupDescription: 'failover behind recovery',
      CacheNodeType: 'cache.t4g.micro',
      NumCacheClusters: 3,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      Port: port,
      ...extra,
    },
  });

  beforeAll(async () => {
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        Async: group('failq', 6461, { Engine: 'redis', EngineVersion: '7.0' }),
        // A write is acknowledged once a replica has it (the bundled node's sync-replicas 1).
        Sync: group('failq-sync', 6462, { Engine: 'valkey', EngineVersion: '9.0', Durability: 'sync' }),
      },
    }));
    await ok(['deploy', file, '--state-dir', stateDir]);
  }, 120000);

  afterAll(async () => {
    resume(stopped);
    for (const c of clients) c.disconnect();
    await tearDown(stateDir, work);
  });

  const nodes = (id: string): NodeState[] => JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'))
    .replicationGroups[id].nodeGroups[0].members;
  const node = (id: string, cacheClusterId: string) => nodes(id).find((n) => n.cacheClusterId === cacheClusterId)!;
  const primary = (id: string) => nodes(id).find((n) => n.role === 'primary')!;

  const client = async (host: string, port: number, admin = false) => {
    const c = new Redis({
      lazyConnect: true,
      host,
      port,
      ...(admin ? { username: ADMIN, password: fs.readFileSync(path.join(stateDir, 'admin.secret'), 'utf8').trim() } : {}),
      retryStrategy: () => 10,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 1000,
      commandTimeout: 1000,
    });
    c.on('error', () => undefined);
    clients.push(c);
    await c.connect();
    return c;
  };

  /** Waits until the node was started again (a new pid) and is not available yet: its recovery runs. */
  const recovering = async (id: string, cacheClusterId: string, oldPid: number) => {
    await waitFor(() => {
      const n = node(id, cacheClusterId);
      return n.pid !== oldPid && n.status !== 'available';
    }, `${cacheClusterId} to be restarted by its recovery`, 20000);
    return node(id, cacheClusterId).pid;
  };

  /** Ms from `since` to the first write through `writer` that succeeds. */
  const firstWrite = async (writer: Redis, since: number, key: string) => {
    for (;;) {
      try {
        await writer.set(key, '1');
        return Date.now() - since;
      } catch {
        if (Date.now() - since > 30000) throw new Error('no write through the primary endpoint within 30 s');
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  };

  /** Every node available, `expected` the primary, the others synced replicas of it. */
  const settled = async (id: string, expected: string) => {
    await waitFor(async () => {
      const t = await topology(stateDir, id);
      return t.status === 'available' && nodes(id).every((n) => n.status === 'available');
    }, `every node of ${id} to be available`, 40000);
    const t = await topology(stateDir, id);
    expect(t.members.filter((m) => m.CurrentRole === 'primary').map((m) => m.CacheClusterId)).toEqual([expected]);
    expect(t.members.filter((m) => m.CurrentRole === 'replica')).toHaveLength(2);
    const p = node(id, expected);
    for (const r of nodes(id).filter((n) => n.role === 'replica')) {
      const info = await (await client(r.endpoint.address, r.endpoint.port, true)).info('replication');
      expect(info).toMatch(new RegExp(`master_host:${p.endpoint.address.replace(/\./g, '\\.')}\\r\\nmaster_port:${p.endpoint.port}\\r`));
      expect(info).toMatch(/master_link_status:up/);
    }
  };

  test('the new primary killed while the old one is held in its recovery: writes resume at once', async () => {
    const t = await topology(stateDir, 'failq');
    const writer = await client(t.primary.host, t.primary.port);
    await writer.set('before', '1');
    // On both replicas before the kill (replication is asynchronous).
    expect(await writer.call('WAIT', '2', '5000')).toBe(2);
    const a = primary('failq');
    process.kill(a.pid, 'SIGKILL');
    await waitFor(() => primary('failq').cacheClusterId !== a.cacheClusterId, 'the first failover');
    const b = primary('failq');
    // The old primary is relaunched as a replica of b; hold it there, as a slow sync would.
    const held = await recovering('failq', a.cacheClusterId, a.pid);
    process.kill(held, 'SIGSTOP');
    stopped.push(held);

    const killedAt = Date.now();
    process.kill(b.pid, 'SIGKILL');
    const resumed = await firstWrite(writer, killedAt, 'after');
    // eslint-disable-next-line no-console
    console.log(`second failover, ${a.cacheClusterId} held in its recovery: first write ${resumed} ms after the kill of ${b.cacheClusterId}`);
    expect(resumed).toBeLessThan(RESUME_MS);
    const c = primary('failq');
    expect([a.cacheClusterId, b.cacheClusterId]).not.toContain(c.cacheClusterId);

    // Released, the held node syncs from the new primary (it was launched to follow b).
    process.kill(held, 'SIGCONT');
    await settled('failq', c.cacheClusterId);
    expect(await writer.get('before')).toBe('1');
    expect(await writer.get('after')).toBe('1');
  }, 90000);

  test('the primary killed while a replica\'s replacement runs: writes resume at once', async () => {
    const t = await topology(stateDir, 'failq');
    const writer = await client(t.primary.host, t.primary.port);
    const p = primary('failq');
    const [r1, r2] = nodes('failq').filter((n) => n.role === 'replica');
    process.kill(r1.pid, 'SIGKILL');
    const held = await recovering('failq', r1.cacheClusterId, r1.pid);
    process.kill(held, 'SIGSTOP');
    stopped.push(held);

    const killedAt = Date.now();
    process.kill(p.pid, 'SIGKILL');
    const resumed = await firstWrite(writer, killedAt, 'after-replica-kill');
    // eslint-disable-next-line no-console
    console.log(`failover, replica ${r1.cacheClusterId} held in its replacement: first write ${resumed} ms after the kill of ${p.cacheClusterId}`);
    expect(resumed).toBeLessThan(RESUME_MS);
    expect(primary('failq').cacheClusterId).toBe(r2.cacheClusterId);

    process.kill(held, 'SIGCONT');
    await settled('failq', r2.cacheClusterId);
    expect(await writer.get('after-replica-kill')).toBe('1');
  }, 90000);

  test('synchronous durability is on from the first primary (started before its replicas existed)', async () => {
    const p = primary('failq-sync');
    const admin = await client(p.endpoint.address, p.endpoint.port, true);
    expect(await admin.config('GET', 'sync-replicas')).toEqual(['sync-replicas', '1']);
    const r = nodes('failq-sync').find((n) => n.role === 'replica')!;
    const onReplica = await client(r.endpoint.address, r.endpoint.port, true);
    expect(await onReplica.config('GET', 'sync-replicas')).toEqual(['sync-replicas', '1']);
  });

  test('synchronous durability: the new primary killed while the old one resyncs; no acknowledged write lost', async () => {
    const t = await topology(stateDir, 'failq-sync');
    const writer = await client(t.primary.host, t.primary.port);
    await writer.set('warm', '1');
    // One writer, sequential keys; a key counts as acknowledged when SET answered OK.
    const acked: string[] = [];
    let lastOkIssuedAt = 0;
    let running = true;
    const loop = (async () => {
      for (let i = 0; running; i++) {
        const key = `k:${i}`;
        const issuedAt = Date.now();
        try {
          await writer.set(key, '1');
          acked.push(key);
          lastOkIssuedAt = issuedAt;
        } catch {
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    })();
    try {
      await waitFor(() => acked.length > 50, 'writes to flow');
      const a = primary('failq-sync');
      process.kill(a.pid, 'SIGKILL');
      await waitFor(() => primary('failq-sync').cacheClusterId !== a.cacheClusterId, 'the first failover');
      const b = primary('failq-sync');
      await recovering('failq-sync', a.cacheClusterId, a.pid);

      const killedAt = Date.now();
      process.kill(b.pid, 'SIGKILL');
      // A write sent before the kill does not count as one after it.
      await waitFor(() => lastOkIssuedAt > killedAt, 'a write acknowledged after the second kill', 30000);
      const resumed = Date.now() - killedAt;
      // eslint-disable-next-line no-console
      console.log(`second failover (sync durability), ${a.cacheClusterId} resyncing: writes acknowledged again ${resumed} ms after the kill of ${b.cacheClusterId}`);
      expect(resumed).toBeLessThan(RESUME_MS);
      const n = acked.length;
      await waitFor(() => acked.length > n + 50, 'writes to flow on the new primary');
    } finally {
      running = false;
      await loop;
    }
    const c = primary('failq-sync');
    await settled('failq-sync', c.cacheClusterId);
    let lost = 0;
    for (let i = 0; i < acked.length; i += 500) {
      const chunk = acked.slice(i, i + 500);
      lost += chunk.length - await writer.exists(...chunk);
    }
    expect({ acked: acked.length, lost }).toEqual({ acked: acked.length, lost: 0 });
    const events = (await json(['describe-events', '--state-dir', stateDir])).Events.map((e: any) => e.Message as string);
    expect(events.filter((m: string) => /^Failover from primary node failq-sync-\d+ to replica node .* completed$/.test(m)).length).toBeGreaterThanOrEqual(4);
  }, 90000);
});
