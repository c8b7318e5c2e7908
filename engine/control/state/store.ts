/**
 * The state directory: `state.json` (what is deployed), the admin secret, the CA, node dirs,
 * snapshots. Writes are crash-safe (temp file + fsync + rename + fsync of the directory), so a
 * SIGKILL at any point leaves either the old or the new state, never half of one.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as lockfile from 'proper-lockfile';
import { State } from './types';
import { emptyState } from '../plan/types';

export const DEFAULT_STATE_DIR = '.cdk-elasticache';

export class StateDir {
  readonly root: string;
  constructor(dir: string = DEFAULT_STATE_DIR) {
    this.root = path.resolve(dir);
  }

  get stateFile(): string { return path.join(this.root, 'state.json'); }
  get socketPath(): string { return path.join(this.root, 'control.sock'); }
  get daemonPidFile(): string { return path.join(this.root, 'control.pid'); }
  get daemonLog(): string { return path.join(this.root, 'control.log'); }
  get snapshotsDir(): string { return path.join(this.root, 'snapshots'); }
  get tlsDir(): string { return path.join(this.root, 'tls'); }
  nodeDir(nodeId: string): string { return path.join(this.root, 'nodes', nodeId); }

  ensure(): void {
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  load(): State {
    try {
      return JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as State;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyState() as State;
      throw new Error(`cannot read ${this.stateFile}: ${(e as Error).message}`);
    }
  }

  save(state: State): void {
    this.ensure();
    writeFileAtomic(this.stateFile, JSON.stringify(state, null, 1));
  }

  /** The control plane's own user password (created once, 0600). */
  adminSecret(): string {
    const file = path.join(this.root, 'admin.secret');
    try {
      return fs.readFileSync(file, 'utf8').trim();
    } catch {
      this.ensure();
      const secret = crypto.randomBytes(24).toString('hex');
      writeFileAtomic(file, secret, 0o600);
      return secret;
    }
  }

  /** Takes the deploy lock (one deploy or destroy at a time per state dir); returns the release function. */
  async lockDeploys(): Promise<() => Promise<void>> {
    this.ensure();
    try {
      return await lockfile.lock(this.root, { lockfilePath: path.join(this.root, 'deploy.lock'), stale: 30000, update: 5000 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new Error(`another deploy or destroy is running on ${this.root} (lock ${path.join(this.root, 'deploy.lock')})`);
      }
      throw e;
    }
  }
}

/** Writes `data` to `file` via a temp file, fsync and rename, then fsyncs the directory. */
export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dfd = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}
