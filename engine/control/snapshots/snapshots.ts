/**
 * Snapshots: a BGSAVE on a node (a replica when there is one, as ElastiCache does), the RDB file
 * copied into the state dir's `snapshots/`; automatic ones in the group's window with its
 * retention; copies to another name or to a "bucket" folder; restores seed a new group's primary.
 */
import * as fs from 'fs';
import * as path from 'path';
import { events } from '../api/event-messages';
import { ApiError, ControlPlane } from '../daemon/control-plane';
import { sleep } from '../hosts/local';
import { Group, Node, Snapshot, control, members } from '../state/types';

/** The window when the template sets none (ElastiCache picks one; we pick a fixed hour). */
export const DEFAULT_SNAPSHOT_WINDOW = '05:00-06:00';

/** `<buckets dir>/<bucket>`: local folders stand in for S3 buckets. */
export function bucketDir(cp: ControlPlane, bucket: string): string {
  const root = process.env.CDK_ELASTICACHE_BUCKETS_DIR ?? path.join(cp.dir.root, 'buckets');
  return path.isAbsolute(bucket) ? bucket : path.join(root, bucket);
}

/** The local file of `arn:aws:s3:::bucket/key` (or a plain path). */
export function rdbFromArn(cp: ControlPlane, arn: string): string {
  const m = /^arn:aws[\w-]*:s3:::([^/]+)\/(.+)$/.exec(arn);
  const file = m ? path.join(bucketDir(cp, m[1]), m[2]) : path.resolve(arn);
  if (!fs.existsSync(file)) throw new ApiError('InvalidParameterValue', `No RDB file for ${arn} (looked for ${file})`);
  return file;
}

export function findSnapshot(cp: ControlPlane, name: string): Snapshot | undefined {
  return cp.state.snapshots.find((s) => s.snapshotName === name);
}

/** What one snapshot saves: a node per shard (a replica when one is up, as ElastiCache does) and its file. */
interface ShardTarget {
  readonly node: Node;
  readonly nodeGroupId: string;
  readonly slots?: string;
  readonly file: string;
}

function snapshotTargets(cp: ControlPlane, group: Group, name: string, cacheClusterId?: string): ShardTarget[] {
  if (group.spec.clusterMode === 'enabled') {
    // One RDB file per shard, named like the service's exports (`<name>-0001.rdb`).
    if (cacheClusterId !== undefined) {
      throw new ApiError('InvalidParameterCombination', `${cacheClusterId} is a node of the cluster-mode-enabled group ${group.replicationGroupId}: snapshot the group with --replication-group-id.`);
    }
    return group.nodeGroups.map((ng) => {
      const node = ng.members.find((n) => n.role === 'replica' && cp.isUp(n)) ?? ng.members.find((n) => n.role === 'primary');
      if (!node || !cp.isUp(node)) throw new ApiError('InvalidCacheClusterStateFault', `No available node to snapshot in node group ${ng.nodeGroupId} of ${group.replicationGroupId}.`);
      return { node, nodeGroupId: ng.nodeGroupId, slots: ng.slots, file: path.join('snapshots', `${name}-${ng.nodeGroupId}.rdb`) };
    });
  }
  const node = cacheClusterId !== undefined
    ? members(group).find((n) => n.cacheClusterId === cacheClusterId)
    : cp.replicasOf(group).find((n) => cp.isUp(n)) ?? cp.primaryOf(group);
  if (!node || !cp.isUp(node)) throw new ApiError('InvalidCacheClusterStateFault', `No available node to snapshot in ${group.replicationGroupId}.`);
  return [{ node, nodeGroupId: '0001', file: path.join('snapshots', `${name}.rdb`) }];
}

/** BGSAVE on the node, then its dump.rdb copied to `target`. */
async function bgsaveTo(cp: ControlPlane, group: Group, node: Node, target: string): Promise<void> {
  const last = Number(await cp.call(group, node, ['LASTSAVE']));
  await cp.call(group, node, ['BGSAVE']);
  const deadline = Date.now() + 120000;
  for (;;) {
    const info = await cp.info(group, node, 'persistence');
    if (info.rdb_bgsave_in_progress === '0' && Number(info.rdb_last_save_time) !== last) {
      if (info.rdb_last_bgsave_status !== 'ok') throw new Error(`BGSAVE failed on ${node.cacheClusterId}`);
      break;
    }
    if (Date.now() > deadline) throw new Error(`BGSAVE did not finish in 120 s on ${node.cacheClusterId}`);
    await sleep(50);
  }
  fs.copyFileSync(path.join(cp.nodeDir(node), 'dump.rdb'), target);
}

export async function createSnapshot(cp: ControlPlane, group: Group, name: string, source: Snapshot['snapshotSource'], cacheClusterId?: string): Promise<Snapshot> {
  if (findSnapshot(cp, name)) throw new ApiError('SnapshotAlreadyExistsFault', `Snapshot ${name} already exists.`);
  const targets = snapshotTargets(cp, group, name, cacheClusterId);
  fs.mkdirSync(cp.dir.snapshotsDir, { recursive: true });
  const spec = group.spec;
  const snap: Snapshot = {
    snapshotName: name,
    replicationGroupId: group.replicationGroupId,
    replicationGroupDescription: spec.description,
    snapshotSource: source,
    snapshotStatus: 'creating',
    engine: spec.engine,
    engineVersion: spec.engineVersion,
    nodeType: spec.nodeType,
    numNodeGroups: targets.length,
    port: spec.port,
    parameterGroupName: spec.parameterGroupName,
    subnetGroupName: spec.subnetGroupName,
    automaticFailover: spec.automaticFailover,
    clusterMode: spec.clusterMode,
    snapshotRetentionLimit: spec.snapshotRetentionLimit,
    snapshotWindow: spec.snapshotWindow,
    maintenanceWindow: spec.maintenanceWindow,
    dataTiering: spec.dataTiering,
    kmsKeyId: spec.kmsKeyId,
    arn: `arn:aws:elasticache:${cp.state.region}:${cp.state.accountId}:snapshot:${name}`,
    nodeSnapshots: [],
  };
  cp.state.snapshots.push(snap);
  const before = group.status;
  group.status = 'snapshotting';
  cp.save();
  try {
    // Shards save at the same time, each on its own node.
    const saved = await Promise.all(targets.map(async (t) => {
      const target = path.join(cp.dir.root, t.file);
      await bgsaveTo(cp, group, t.node, target);
      return {
        cacheClusterId: t.node.cacheClusterId,
        nodeGroupId: t.nodeGroupId,
        cacheNodeId: t.node.cacheNodeId,
        ...(t.slots !== undefined ? { slots: t.slots } : {}),
        cacheSize: fs.statSync(target).size,
        cacheNodeCreateTime: t.node.createTime,
        snapshotCreateTime: new Date().toISOString(),
        file: t.file,
      };
    }));
    snap.nodeSnapshots.push(...saved);
    snap.snapshotStatus = 'available';
    cp.emit(events.snapshotSucceeded(group.replicationGroupId, name));
    return snap;
  } catch (e) {
    cp.state.snapshots = cp.state.snapshots.filter((s) => s !== snap);
    for (const t of targets) fs.rmSync(path.join(cp.dir.root, t.file), { force: true });
    cp.emit(events.snapshotFailed(group.replicationGroupId, name, (e as Error).message));
    throw new ApiError('SnapshotFeatureNotSupportedFault', `Snapshot ${name} failed: ${(e as Error).message}`);
  } finally {
    group.status = before === 'snapshotting' ? 'available' : before;
    cp.save();
  }
}

function availableSnapshot(cp: ControlPlane, name: string): Snapshot {
  const snap = findSnapshot(cp, name);
  if (!snap || snap.snapshotStatus !== 'available' || snap.nodeSnapshots.length === 0) throw new ApiError('SnapshotNotFoundFault', `Snapshot ${name} not found.`);
  return snap;
}

/** The RDB files of a snapshot, one per shard, in node group order. */
export function snapshotFiles(cp: ControlPlane, name: string): string[] {
  return availableSnapshot(cp, name).nodeSnapshots.map((n) => path.join(cp.dir.root, n.file));
}

export function snapshotFile(cp: ControlPlane, name: string): string {
  return snapshotFiles(cp, name)[0];
}

export function copySnapshot(cp: ControlPlane, source: string, targetName: string, targetBucket?: string): Snapshot {
  const original = availableSnapshot(cp, source);
  if (targetBucket !== undefined) {
    const dir = bucketDir(cp, targetBucket);
    fs.mkdirSync(dir, { recursive: true });
    // The service exports one `<name>-0001.rdb` per node group.
    original.nodeSnapshots.forEach((n, i) => fs.copyFileSync(path.join(cp.dir.root, n.file), path.join(dir, `${targetName}-${String(i + 1).padStart(4, '0')}.rdb`)));
    return original;
  }
  if (findSnapshot(cp, targetName)) throw new ApiError('SnapshotAlreadyExistsFault', `Snapshot ${targetName} already exists.`);
  const perShard = original.nodeSnapshots.length > 1 || original.clusterMode === 'enabled';
  const nodeSnapshots = original.nodeSnapshots.map((n) => {
    const file = path.join('snapshots', perShard ? `${targetName}-${n.nodeGroupId}.rdb` : `${targetName}.rdb`);
    fs.copyFileSync(path.join(cp.dir.root, n.file), path.join(cp.dir.root, file));
    return { ...n, file };
  });
  const copy: Snapshot = {
    ...original,
    snapshotName: targetName,
    snapshotSource: 'manual',
    arn: original.arn.replace(/[^:]+$/, targetName),
    nodeSnapshots,
  };
  cp.state.snapshots.push(copy);
  cp.save();
  return copy;
}

export function deleteSnapshot(cp: ControlPlane, name: string): Snapshot {
  const snap = findSnapshot(cp, name);
  if (!snap) throw new ApiError('SnapshotNotFoundFault', `Snapshot ${name} not found.`);
  for (const n of snap.nodeSnapshots) fs.rmSync(path.join(cp.dir.root, n.file), { force: true });
  cp.state.snapshots = cp.state.snapshots.filter((s) => s !== snap);
  cp.save();
  return { ...snap, snapshotStatus: 'deleting' };
}

/** True when `date` (UTC) falls in `hh:mm-hh:mm` (which may wrap midnight). */
export function inWindow(window: string, date: Date): boolean {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(window);
  if (!m) return false;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const t = date.getUTCHours() * 60 + date.getUTCMinutes();
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

/** Takes the day's automatic snapshot of every group whose window is open; prunes past retention. */
export async function automaticSnapshots(cp: ControlPlane, date = new Date()): Promise<void> {
  const last = control(cp.state).lastAutoSnapshotDay;
  for (const group of Object.values(cp.state.replicationGroups)) {
    const id = group.replicationGroupId;
    const retention = group.spec.snapshotRetentionLimit;
    if (retention <= 0 || group.status !== 'available') continue;
    const day = date.toISOString().slice(0, 10);
    if (last[id] === day || !inWindow(group.spec.snapshotWindow ?? DEFAULT_SNAPSHOT_WINDOW, date)) continue;
    last[id] = day;
    const stamp = date.toISOString().slice(0, 16).replace(/[T:]/g, '-');
    try {
      await createSnapshot(cp, group, `automatic.${id}-${stamp}`, 'automated');
    } catch {
      /* recorded as a SnapshotFailed event */
    }
    const autos = cp.state.snapshots
      .filter((s) => s.snapshotSource === 'automated' && s.replicationGroupId === id)
      .sort((a, b) => (a.nodeSnapshots[0]?.snapshotCreateTime ?? '').localeCompare(b.nodeSnapshots[0]?.snapshotCreateTime ?? ''));
    for (const old of autos.slice(0, Math.max(0, autos.length - retention))) deleteSnapshot(cp, old.snapshotName);
  }
}
