import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** The compiled CLI (the package's bin). Tests run after `projen compile`. */
export const CLI = path.join(__dirname, '..', '..', 'lib', 'engine', 'cli.js');

/** A server process started by a test; `stop()` ends it by pid. */
export interface RunningNode {
  readonly port: number;
  readonly pid: number;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released; the caller retries if it gets taken). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Waits until `cond()` is true, polling; fails after `timeoutMs` with `what`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function startProcess(cmd: string, args: string[], port: number, readyText: RegExp): Promise<RunningNode> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let settled = false;
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!settled && readyText.test(out)) {
        settled = true;
        resolve(node);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.once('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`${cmd} exited with ${code} before it was ready:\n${out}`));
      }
    });
    const node: RunningNode = {
      port,
      pid: child.pid!,
      output: () => out,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          process.kill(child.pid!, 'SIGTERM');
          const t = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        }
      },
    };
  });
}

/** Starts our node (`cdk-elasticache server`) on a free port with extra directives. */
export async function startNode(directives: string[] = []): Promise<RunningNode> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx projen compile' first`);
  const port = await freePort();
  // No save points unless a test asks (`--save` lines add up): a node stopped by SIGTERM would otherwise write dump.rdb.
  // Files a test does not place (SAVE, DEBUG RELOAD from the fuzzer...) go to the temp dir, never into the checkout.
  return startProcess(process.execPath, [CLI, 'server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', ...ownDumpFile(port, directives), ...directives], port, /Ready to accept connections/);
}

/**
 * `--dir <temp> --dbfilename dump-<port>.rdb`, the file removed first: a node never loads a dump.rdb
 * that another test (running in parallel, or earlier) left in the shared temp dir. Nothing when the
 * test places the files itself.
 */
function ownDumpFile(port: number, directives: string[]): string[] {
  if (directives.some((d) => d === '--dir' || d === '--dbfilename')) return [];
  const name = `dump-${port}.rdb`;
  fs.rmSync(path.join(os.tmpdir(), name), { force: true });
  return ['--dir', os.tmpdir(), '--dbfilename', name];
}

/** Starts our node with a config file first, then directives (the file's port is overridden). */
export async function startNodeWithFile(file: string, directives: string[] = []): Promise<RunningNode> {
  const port = await freePort();
  return startProcess(process.execPath, [CLI, 'server', file, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', os.tmpdir(), ...directives], port, /Ready to accept connections/);
}

/** Debian's redis-server on a free port, or undefined when it is not installed. */
export async function startRedis(directives: string[] = []): Promise<RunningNode | undefined> {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
  if (!bin) return undefined;
  const port = await freePort();
  return startProcess(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...ownDumpFile(port, directives), ...directives], port, /Ready to accept connections/);
}
