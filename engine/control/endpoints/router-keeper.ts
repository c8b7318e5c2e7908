/**
 * Starting and finding the endpoint router of a state dir (`cdk-elasticache endpoint-router`, a
 * detached process working in the state dir, its pid in `router.pid`), and waiting until it has
 * applied a routing version.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readApplied } from './routing';
import { alive, sleep } from '../hosts/local';

const CLI = path.join(__dirname, '..', '..', 'cli.js');

export const routerPidFile = (root: string) => path.join(root, 'router.pid');
export const routerLog = (root: string) => path.join(root, 'router.log');

/** The router's pid when it runs (alive, and working in this state dir), else undefined. */
export function routerPid(root: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(routerPidFile(root), 'utf8'));
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`) === path.resolve(root) ? pid : undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : pid;
  }
}

let lastSpawn = 0;

/** Starts the router unless one runs (or was started less than 2 s ago and may still be starting). */
export function ensureRouter(root: string): void {
  if (routerPid(root) !== undefined || Date.now() - lastSpawn < 2000) return;
  lastSpawn = Date.now();
  const log = fs.openSync(routerLog(root), 'a');
  const child = spawn(process.execPath, [CLI, 'endpoint-router', '--state-dir', root], { detached: true, stdio: ['ignore', log, log], cwd: root });
  fs.closeSync(log);
  child.unref();
}

/** Waits until the router has applied `version` (restarting it if it is gone); false after `timeoutMs`. */
export async function waitApplied(root: string, version: number, timeoutMs = 10000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (readApplied(root) >= version) return true;
    ensureRouter(root);
    await sleep(10);
  }
  return false;
}
