import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { RunningNode, startNode, startRedis } from './nodes';
import { connect, waitInSync } from './replication-helpers';

// MIGRATE on a primary reaches its replicas as the DEL of the moved keys (as in Valkey), never as
// MIGRATE: a replica running it would send its own copies to the target, overwriting with REPLACE
// whatever clients wrote there since. Checked with our replica and with redis-server's.

const started: RunningNode[] = [];
const clients: Redis[] = [];
// Each node its own directory: a full sync writes an RDB file, which no other node may load at start.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-repl-'));

afterAll(async () => {
  clients.forEach((c) => c.disconnect());
  await Promise.all(started.map((n) => n.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function node(kind: 'ours' | 'redis'): Promise<{ port: number; r: Redis } | undefined> {
  const own = ['--dir', fs.mkdtempSync(path.join(dir, 'node-'))];
  const n = kind === 'ours' ? await startNode(own) : await startRedis(own);
  if (!n) return undefined;
  started.push(n);
  const r = connect(n.port);
  clients.push(r);
  return { port: n.port, r };
}

test.each(['ours', 'redis'] as const)('MIGRATE [REPLACE] KEYS is replicated as DEL (%s replica)', async (kind) => {
  const primary = (await node('ours'))!;
  const target = (await node('ours'))!;
  const replica = await node(kind);
  if (!replica) return console.log('redis-server not installed: skipped');
  await replica.r.call('REPLICAOF', '127.0.0.1', String(primary.port));
  await waitInSync(primary.r, replica.r, 'initial sync'); // the MIGRATEs below reach the replica in the stream, not in an RDB
  await primary.r.mset('a', '1', 'b', '2', 'c', '3', 'stay', 'x');
  await primary.r.call('MIGRATE', '127.0.0.1', String(target.port), '', '0', '5000', 'KEYS', 'a', 'b');
  await primary.r.call('MIGRATE', '127.0.0.1', String(target.port), 'c', '0', '5000', 'REPLACE');
  await primary.r.call('MIGRATE', '127.0.0.1', String(target.port), 'stay', '0', '5000', 'COPY');
  // Clients write the moved keys on the target afterwards: nothing may overwrite them.
  await target.r.mset('a', 'new-a', 'c', 'new-c');
  await waitInSync(primary.r, replica.r);
  expect((await replica.r.keys('*')).sort()).toEqual(['stay']);
  expect(await replica.r.get('stay')).toBe('x');
  expect(await target.r.mget('a', 'b', 'c', 'stay')).toEqual(['new-a', '2', 'new-c', 'x']);
}, 30000);
