// Helpers for the control-plane tests: run the compiled CLI against a state dir, read what it
// deployed, and check that processes are gone.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { CLI } from '../engine/nodes';

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cdk-elasticache <args>`; resolves with its exit code and output (never rejects on a non-zero exit). */
export function cli(args: string[], cwd?: string, timeoutMs = 120000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a CLI command that must succeed; returns its stdout. */
export async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`cdk-elasticache ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** `--output json` of a verb, parsed. */
export async function json<T = any>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, '--output', 'json'])) as T;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Destroys what a test deployed into `stateDir` (no final snapshot), kills what is left of it, and removes `work`. */
/** Resumes processes a test SIGSTOPped (so destroy can stop them); gone ones are skipped. */
export function resume(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      /* gone */
    }
  }
}

export async function tearDown(stateDir: string, work: string): Promise<void> {
  if (fs.existsSync(path.join(stateDir, 'state.json'))) await cli(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
  killAll(stateDir);
  fs.rmSync(work, { recursive: true, force: true });
}

/**
 * 'ok' when `run` succeeds on a new TLS connection to `endpoint` (trusting `ca`, no retries),
 * else the error code it failed with (WRONGPASS, NOAUTH, ...).
 */
export async function tryTls(endpoint: { host: string; port: number }, ca: string, run: (c: Redis) => Promise<unknown>): Promise<string> {
  const c = new Redis({ ...endpoint, tls: { ca }, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await run(c);
    return 'ok';
  } catch (e) {
    return (e as Error).message.split(' ')[0];
  } finally {
    c.disconnect();
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Every pid the state dir knows: nodes and the control plane. */
export function knownPids(stateDir: string): number[] {
  const pids: number[] = [];
  try {
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    for (const g of Object.values<any>(state.replicationGroups)) {
      for (const ng of g.nodeGroups) for (const n of ng.members) if (n.pid) pids.push(n.pid);
    }
  } catch {
    /* nothing deployed */
  }
  try {
    pids.push(Number(fs.readFileSync(path.join(stateDir, 'control.pid'), 'utf8')));
  } catch {
    /* no control plane */
  }
  return pids;
}

/** The endpoint router's pid (it serves the endpoints and restarts the control plane), or undefined. */
export function routerPid(stateDir: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(stateDir, 'router.pid'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Last resort for a failed test: SIGKILL what the state dir started (by pid), the router first (it restarts the control plane). */
export function killAll(stateDir: string): void {
  const router = routerPid(stateDir);
  for (const pid of [...(router ? [router] : []), ...knownPids(stateDir)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

interface Member {
  CacheClusterId: string;
  CurrentRole: string;
  ReadEndpoint: { Address: string; Port: number };
  PreferredAvailabilityZone: string;
}

/** The group's endpoints and members from describe-replication-groups. */
export async function topology(stateDir: string, id: string) {
  const r = await json(['describe-replication-groups', '--replication-group-id', id, '--state-dir', stateDir]);
  const g = r.ReplicationGroups[0];
  const ng = g.NodeGroups[0];
  return {
    status: g.Status as string,
    primary: { host: ng.PrimaryEndpoint.Address as string, port: ng.PrimaryEndpoint.Port as number },
    reader: { host: ng.ReaderEndpoint.Address as string, port: ng.ReaderEndpoint.Port as number },
    members: ng.NodeGroupMembers as Member[],
  };
}
