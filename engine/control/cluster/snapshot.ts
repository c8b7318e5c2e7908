/**
 * Snapshots of a cluster-mode group are one RDB file per shard; a restore may target a different
 * shard count, so each key goes (RESTORE ... ABSTTL) to whichever primary owns its slot now.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterHandle, Member } from './cluster';
import { readView, slotOwners } from './view';
import { keySlot } from '../../server/cluster/slots';
import { dumpPayload, restorePayload } from '../../server/rdb/dump';
import { parseRdb } from '../../server/rdb/file-reader';
import { RdbEntry, RdbWriter } from '../../server/rdb/file-writer';

export interface ShardSnapshot {
  readonly nodeGroupId: string;
  readonly rdb: Buffer;
}

/**
 * SAVE on each group's primary and read its RDB file (the nodes run on this machine). A node
 * without SAVE is read key by key instead (SCAN, DUMP, PEXPIRETIME) into an RDB file.
 */
export async function snapshotShards(cluster: ClusterHandle): Promise<ShardSnapshot[]> {
  return Promise.all(cluster.groups().sort().map(async (g) => {
    const p = cluster.primaryOf(g);
    const saved = await p.link.call(['SAVE']);
    if (saved instanceof Error && /unknown command/i.test(saved.message)) return { nodeGroupId: g, rdb: await dumpNode(p) };
    if (saved instanceof Error) throw new Error(`SAVE on ${p.host}:${p.port}: ${saved.message}`);
    const [, dir] = await p.link.cmd('CONFIG', 'GET', 'dir') as string[];
    const [, file] = await p.link.cmd('CONFIG', 'GET', 'dbfilename') as string[];
    return { nodeGroupId: g, rdb: fs.readFileSync(path.resolve(dir, file)) };
  }));
}

/** An RDB file of one node's keys, read with SCAN / DUMP / PEXPIRETIME (not a point-in-time copy). */
async function dumpNode(m: Member): Promise<Buffer> {
  const entries: RdbEntry[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await m.link.cmd('SCAN', cursor, 'COUNT', 1000) as [string, string[]];
    cursor = next;
    const got = await Promise.all(keys.map((k) => Promise.all([m.link.call(['DUMP', k]), m.link.call(['PEXPIRETIME', k])])));
    keys.forEach((key, i) => {
      const [payload, at] = got[i];
      if (typeof payload !== 'string') return; // gone meanwhile
      const e: RdbEntry = { key, value: restorePayload(Buffer.from(payload, 'latin1')) };
      if (typeof at === 'number' && at >= 0) e.expireAt = at;
      entries.push(e);
    });
  } while (cursor !== '0');
  const chunks: Buffer[] = [];
  const w = new RdbWriter((c) => chunks.push(Buffer.from(c)));
  w.header({ 'redis-ver': '7.0.0' });
  w.selectDb(0, entries.length, entries.filter((e) => e.expireAt !== undefined).length);
  for (const e of entries) w.entry(e);
  w.end();
  return Buffer.concat(chunks);
}

export interface RestoreResult {
  readonly keys: number;
  readonly expiredSkipped: number;
  /** Keys per node group they landed in. */
  readonly perGroup: Record<string, number>;
}

/**
 * Loads every key of `rdbs` (any number of files, from any shard count) into the cluster, routed
 * by slot. Keys already expired are skipped; existing keys are replaced. Cluster mode has one
 * database: keys of every database in the files land in it.
 */
export async function restoreShards(cluster: ClusterHandle, rdbs: readonly Buffer[], opts: { window?: number } = {}): Promise<RestoreResult> {
  const owners = slotOwners(await readView(cluster.primaryOf(cluster.groups()[0]).link));
  const window = opts.window ?? 500;
  const perGroup: Record<string, number> = {};
  let keys = 0;
  let expiredSkipped = 0;
  let inFlight: Array<Promise<unknown>> = [];
  const now = Date.now();
  for (const rdb of rdbs) {
    for (const entries of parseRdb(rdb).dbs.values()) {
      for (const e of entries) {
        if (e.expireAt !== undefined && e.expireAt <= now) {
          expiredSkipped++;
          continue;
        }
        const ownerId = owners[keySlot(e.key)];
        const owner: Member | undefined = ownerId !== undefined ? cluster.byId(ownerId) : undefined;
        if (!owner) throw new Error(`no member serves slot ${keySlot(e.key)}`);
        const payload = dumpPayload(e.value).toString('latin1');
        inFlight.push(owner.link.cmd('RESTORE', e.key, e.expireAt ?? 0, payload, 'REPLACE', ...(e.expireAt !== undefined ? ['ABSTTL'] : [])));
        perGroup[owner.nodeGroupId] = (perGroup[owner.nodeGroupId] ?? 0) + 1;
        keys++;
        if (inFlight.length >= window) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
    }
  }
  await Promise.all(inFlight);
  return { keys, expiredSkipped, perGroup };
}
