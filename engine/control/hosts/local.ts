/**
 * The local host provider: a host is a loopback address with an AZ label (127.0.<az>.<n>: AZ a is
 * 127.0.1.x, b is 127.0.2.x, ...), and each node is its own process (`cdk-elasticache server`, or
 * a real engine binary), detached so it outlives the CLI and the control plane.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { Host, NodeLaunch } from './host';
import { release, reserve } from './reservations';

/** The compiled CLI that runs the bundled node (this file is lib/engine/control/hosts/local.js). */
export const BUNDLED_CLI = path.join(__dirname, '..', '..', 'cli.js');

export class LocalHost implements Host {
  constructor(readonly az: string, readonly address: string, private readonly engineBinary?: string) {}

  async start(launch: NodeLaunch): Promise<number> {
    fs.mkdirSync(launch.dir, { recursive: true });
    const conf = path.join(launch.dir, 'node.conf');
    fs.writeFileSync(conf, launch.config.join('\n') + '\n');
    const log = fs.openSync(path.join(launch.dir, 'node.log'), 'a');
    const [cmd, args] = this.engineBinary
      ? [this.engineBinary, [conf]]
      : [process.execPath, [BUNDLED_CLI, 'server', conf]];
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', log, log], cwd: launch.dir });
    fs.closeSync(log);
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
    return child.pid;
  }

  async stop(pid: number, graceMs = 5000): Promise<void> {
    if (!alive(pid)) return;
    try { process.kill(pid, 'SIGCONT'); process.kill(pid, 'SIGTERM'); } catch { return; }
    const deadline = Date.now() + graceMs;
    while (alive(pid) && Date.now() < deadline) await sleep(20);
    if (alive(pid)) this.kill(pid);
    while (alive(pid)) await sleep(10);
  }

  kill(pid: number): void {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }

  pause(pid: number): void {
    try { process.kill(pid, 'SIGSTOP'); } catch { /* gone */ }
  }

  resume(pid: number): void {
    try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
  }

  isRunning(pid: number, dir: string): boolean {
    if (!alive(pid)) return false;
    try {
      // Linux: the node runs in its dir (started there; `dir` keeps it there). The command line is
      // no proof: redis-server rewrites its process title.
      return fs.readlinkSync(`/proc/${pid}/cwd`) === path.resolve(dir);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'ENOENT'; // no /proc (or not ours to read): trust the pid
    }
  }
}

/** True when `pid` runs (a zombie, exited but not reaped, counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its parent) counts as gone.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return true;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * AZ index (0 for the first AZ) → the third octet of its hosts' addresses; the second octet is the
 * region's slot in the state dir (0 for the first region deployed, 127.1.x.x for the next...).
 */
export function azAddress(azIndex: number, hostIndex: number, regionSlot = 0): string {
  return `127.${regionSlot}.${azIndex + 1}.${hostIndex}`;
}

/** True when nothing listens on address:port (we can bind it). */
export function portFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: address, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/**
 * Picks the first address in `candidates()` whose `port` is neither taken in the state (`used`,
 * `address:port` strings), nor reserved by another state dir (reservations.ts; `owner` is this
 * state dir), nor bound by another process.
 */
export async function allocateAddress(candidates: Iterable<string>, port: number, used: Set<string>, owner: string): Promise<string> {
  for (const address of candidates) {
    if (used.has(`${address}:${port}`)) continue;
    if (!reserve(address, port, owner)) continue;
    if (await portFree(address, port)) return address;
    release(address, port, owner);
  }
  throw new Error(`no free loopback address for port ${port}`);
}

export function* hostAddresses(azIndex: number, regionSlot = 0): Generator<string> {
  for (let n = 1; n < 255; n++) yield azAddress(azIndex, n, regionSlot);
}

/** Endpoint (proxy) addresses: 127.<region>.0.2 and up (127.0.0.1 is left to everything else). */
export function* endpointAddresses(regionSlot = 0): Generator<string> {
  for (let n = 2; n < 255; n++) yield `127.${regionSlot}.0.${n}`;
}
