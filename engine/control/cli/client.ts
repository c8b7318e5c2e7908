/**
 * The CLI's side of the control plane: finds the running control-plane process of a state dir
 * (its unix socket) or starts one detached, then sends it operations.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { alive } from '../hosts/local';
import { StateDir } from '../state/store';

/** A service error from the control plane, printed the way the AWS CLI prints one. */
export class OpError extends Error {
  constructor(readonly code: string, readonly detail: string) {
    super(`An error occurred (${code}): ${detail}`);
  }
}

const CLI = path.join(__dirname, '..', '..', 'cli.js');

function post(socketPath: string, op: string, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: '/op', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        try {
          const r = JSON.parse(body);
          if (r.error) reject(new OpError(r.error.code, r.error.message));
          else resolve(r.result);
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ op, input }));
  });
}

export class ControlClient {
  constructor(readonly dir: StateDir) {}

  /** True when a control plane answers on the socket. */
  async running(): Promise<boolean> {
    if (!fs.existsSync(this.dir.socketPath)) return false;
    try {
      await post(this.dir.socketPath, 'ping', {});
      return true;
    } catch (e) {
      return e instanceof OpError;
    }
  }

  /** Starts the control plane unless one runs; it re-adopts running nodes on start. */
  async ensure(engineBinary?: string): Promise<void> {
    if (await this.running()) return;
    this.dir.ensure();
    const log = fs.openSync(this.dir.daemonLog, 'a');
    const args = [CLI, 'control-plane', '--state-dir', this.dir.root, ...(engineBinary ? ['--engine-binary', engineBinary] : [])];
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    child.unref();
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      if (await this.running()) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    // Another CLI may have started it at the same moment (the loser exits on the lock).
    if (await this.running()) return;
    const tail = fs.existsSync(this.dir.daemonLog) ? fs.readFileSync(this.dir.daemonLog, 'utf8').split('\n').slice(-10).join('\n') : '';
    throw new Error(`the control plane did not start (log ${this.dir.daemonLog}):\n${tail}`);
  }

  async op<T = unknown>(op: string, input: Record<string, unknown> = {}): Promise<T> {
    await this.ensure();
    return (await post(this.dir.socketPath, op, input)) as T;
  }

  /** Stops the control plane (the nodes keep running). */
  async stop(): Promise<void> {
    if (!(await this.running())) return;
    const pid = Number(fs.readFileSync(this.dir.daemonPidFile, 'utf8'));
    await post(this.dir.socketPath, 'shutdown', {}).catch(() => undefined);
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && alive(pid)) await new Promise((r) => setTimeout(r, 20));
  }
}
