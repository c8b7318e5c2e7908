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
import { Group, Snapshot, control, members } from '../state/types';

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

export async function createSnapshot(cp: ControlPlane, group: Group, name: string, source: Snapshot['snapshotSource'], cacheClusterId?: string): Promise<Snapshot> {
  if (findSnapshot(cp, name)) throw new ApiError('SnapshotAlreadyExistsFault', `Snapshot ${name} already exists.`);
  const node = cacheClusterId !== undefined
    ? members(group).find((n) => n.cacheClusterId === cacheClusterId)
    : cp.replicasOf(group).find((n) => cp.isUp(n)) ?? cp.primaryOf(group);
  if (!node || !cp.isUp(node)) throw new ApiError('InvalidCacheClusterStateFault', `No available node to snapshot in ${group.replicationGroupId}.`);
  fs.mkdirSync(cp.dir.snapshotsDir, { recursive: true });
  const spec = group.spec;
  const file = path.join('snapshots', `${name}.rdb`);
  const snap: Snapshot = {
    snapshotName: name,
    replicationGroupId: group.replicationGroupId,
    replicationGroupDescription: spec.description,
    snapshotSource: source,
    snapshotStatus: 'creating',
    engine: spec.engine,
    engineVersion: spec.engineVersion,
    nodeType: spec.nodeType,
    numNodeGroups: 1,
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
    const last = Number(await cp.call(group, node, ['LASTSAVE']));
    await cp.call(group, node, ['BGSAVE']);
    const deadline = Date.now() + 120000;
    for (;;) {
      const info = await cp.info(group, node, 'persistence');
      if (info.rdb_bgsave_in_progress === '0' && Number(info.rdb_last_save_time) !== last) {
        if (info.rdb_last_bgsave_status !== 'ok') throw new Error('BGSAVE failed on the node');
        break;
      }
      if (Date.now() > deadline) throw new Error('BGSAVE did not finish in 120 s');
      await sleep(50);
    }
    const target = path.join(cp.dir.root, file);
    fs.copyFileSync(path.join(cp.nodeDir(node), 'dump.rdb'), target);
    snap.nodeSnapshots.push({
      cacheClusterId: node.cacheClusterId,
      nodeGroupId: '0001',
      cacheNodeId: node.cacheNodeId,
      cacheSize: fs.statSync(target).size,
      cacheNodeCreateTime: node.createTime,
      snapshotCreateTime: new Date().toISOString(),
      file,
    });
    snap.snapshotStatus = 'available';
    cp.emit(events.snapshotSucceeded(group.replicationGroupId, name));
    return snap;
  } catch (e) {
    cp.state.snapshots = cp.state.snapshots.filter((s) => s !== snap);
    cp.emit(events.snapshotFailed(group.replicationGroupId, name, (e as Error).message));
    throw new ApiError('SnapshotFeatureNotSupportedFault', `Snapshot ${name} failed: ${(e as Error).message}`);
  } finally {
    group.status = before === 'snapshotting' ? 'available' : before;
    cp.save();
  }
}

export function snapshotFile(cp: ControlPlane, name: string): string {
  const snap = findSnapshot(cp, name);
  if (!snap || snap.snapshotStatus !== 'available' || snap.nodeSnapshots.length === 0) throw new ApiError('SnapshotNotFoundFault', `Snapshot ${name} not found.`);
  return path.join(cp.dir.root, snap.nodeSnapshots[0].file);
}

export function copySnapshot(cp: ControlPlane, source: string, targetName: string, targetBucket?: string): Snapshot {
  const file = snapshotFile(cp, source);
  const original = findSnapshot(cp, source)!;
  if (targetBucket !== undefined) {
    const dir = bucketDir(cp, targetBucket);
    fs.mkdirSync(dir, { recursive: true });
    // The service exports one `<name>-0001.rdb` per node group.
    fs.copyFileSync(file, path.join(dir, `${targetName}-0001.rdb`));
    return original;
  }
  if (findSnapshot(cp, targetName)) throw new ApiError('SnapshotAlreadyExistsFault', `Snapshot ${targetName} already exists.`);
  const copyFile = path.join('snapshots', `${targetName}.rdb`);
  fs.copyFileSync(file, path.join(cp.dir.root, copyFile));
  const copy: Snapshot = {
    ...original,
    snapshotName: targetName,
    snapshotSource: 'manual',
    arn: original.arn.replace(/[^:]+$/, targetName),
    nodeSnapshots: original.nodeSnapshots.map((n) => ({ ...n, file: copyFile })),
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
