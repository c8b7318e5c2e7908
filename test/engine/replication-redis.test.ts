import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { RunningNode, startNode, startRedis, waitFor } from './nodes';
import { canonicalDump, connect, info, waitExpired, waitInSync, writeEverything } from './replication-helpers';

/**
 * Replication against a real redis-server 7.0 in both directions: full sync, a live stream of every
 * data type (with Redis 7.0's propagation rewrites), expiries and deletes, then a partial resync
 * after the primary drops the replica's connection. Datasets are compared key by key.
 */
const redisCli = (port: number, ...args: string[]) => spawnSync('/usr/bin/redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();

describe('replication with a real redis-server', () => {
  const procs: RunningNode[] = [];
  const conns: Redis[] = [];
  afterEach(async () => {
    conns.splice(0).forEach((c) => c.disconnect());
    await Promise.all(procs.splice(0).map((p) => p.stop()));
  });

  async function pair(primaryKind: 'ours' | 'redis'): Promise<{ p: Redis; s: Redis; blocker: Redis; pPort: number; sPort: number } | undefined> {
    // A replica redis-server writes the RDB it receives into its dir: a fresh one per test.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repl-redis-'));
    const redis = await startRedis(['--repl-diskless-sync-delay', '0', '--dir', dir]);
    if (!redis) return undefined;
    const ours = await startNode();
    procs.push(redis, ours);
    const [primary, replica] = primaryKind === 'ours' ? [ours, redis] : [redis, ours];
    const p = connect(primary.port);
    const s = connect(replica.port);
    const blocker = connect(primary.port);
    conns.push(p, s, blocker);
    return { p, s, blocker, pPort: primary.port, sPort: replica.port };
  }

  for (const primaryKind of ['ours', 'redis'] as const) {
    const title = primaryKind === 'ours' ? 'redis-server replicates from our node' : 'our node replicates from redis-server';
    test(`${title}: full sync, live stream, partial resync`, async () => {
      const t = await pair(primaryKind);
      if (!t) return; // no redis-server installed
      const { p, s, blocker, pPort, sPort } = t;
      const dumpOpts = { entriesRead: primaryKind === 'ours' };
      await writeEverything(p, blocker, 'before');
      // `redis-cli replicaof`, as a user would start it.
      expect(redisCli(sPort, 'replicaof', '127.0.0.1', String(pPort))).toBe('OK');
      await waitInSync(p, s, 'full sync');
      expect(await info(s, 'role', 'replication')).toBe('slave');
      expect(Number(await info(p, 'sync_full', 'stats'))).toBe(1);
      expect(await canonicalDump(s, dumpOpts)).toEqual(await canonicalDump(p, dumpOpts));

      // The live stream.
      await writeEverything(p, blocker, 'live');
      await waitExpired(p, 'live');
      await waitInSync(p, s, 'live stream');
      const dump = await canonicalDump(p, dumpOpts);
      expect(dump['0:live:short']).toBeUndefined();
      expect(dump['0:live:stream']).toBeDefined();
      expect(await canonicalDump(s, dumpOpts)).toEqual(dump);
      expect(await s.call('SET', 'x', '1').catch((e: Error) => e.message)).toBe("READONLY You can't write against a read only replica.");

      // The primary drops the replica; it reconnects and continues from its offset.
      expect(Number(redisCli(pPort, 'client', 'kill', 'type', 'replica'))).toBe(1);
      await writeEverything(p, blocker, 'during');
      await waitFor(async () => Number(await info(p, 'sync_partial_ok', 'stats')) === 1, 'partial resync', 20000);
      await waitExpired(p, 'during');
      await waitInSync(p, s, 'after the partial resync');
      expect(Number(await info(p, 'sync_full', 'stats'))).toBe(1);
      expect(await canonicalDump(s, dumpOpts)).toEqual(await canonicalDump(p, dumpOpts));

      // `redis-cli replicaof no one` promotes the replica with the data.
      expect(redisCli(sPort, 'replicaof', 'no', 'one')).toBe('OK');
      expect(await info(s, 'role', 'replication')).toBe('master');
      expect(await s.call('GET', 'live:lua')).toBe('from-lua');
    }, 90000);
  }
});
