/**
 * Snapshots of a cluster-mode group are one RDB file per shard; a restore may target a different
 * shard count, so each key goes (RESTORE ... ABSTTL) to whichever primary owns its slot now.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterHandle, Member } from './cluster';
import { readView, slotOwners } from './view';
import { keySlot } from '../../server/cluster/slots';
import { dumpPayload } from '../../server/rdb/dump';
import { parseRdb } from '../../server/rdb/file-reader';

export interface ShardSnapshot {
  readonly nodeGroupId: string;
  readonly rdb: Buffer;
}

/** SAVE on each group's primary and read its RDB file (the nodes run on this machine). */
export async function snapshotShards(cluster: ClusterHandle): Promise<ShardSnapshot[]> {
  return Promise.all(cluster.groups().sort().map(async (g) => {
    const p = cluster.primaryOf(g);
    await p.link.cmd('SAVE');
    const [, dir] = await p.link.cmd('CONFIG', 'GET', 'dir') as string[];
    const [, file] = await p.link.cmd('CONFIG', 'GET', 'dbfilename') as string[];
    return { nodeGroupId: g, rdb: fs.readFileSync(path.resolve(dir, file)) };
  }));
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
