/**
 * What an engine binary knows, asked of it once: a throwaway instance on a free loopback port
 * answers COMMAND INFO. ACL rules naming a command the engine lacks are an error at start-up (in
 * redis-server and in the bundled node), so the restricted-command rules list only known ones.
 */
import { spawn } from 'child_process';
import * as net from 'net';
import { adminCall } from './admin-client';
import { BUNDLED_CLI, sleep } from '../hosts/local';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const cache = new Map<string, Promise<Set<string>>>();

/** The subset of `names` (lower case) the engine has as commands. */
export function knownCommands(engineBinary: string | undefined, names: readonly string[]): Promise<Set<string>> {
  const key = `${engineBinary ?? 'bundled'}|${names.join(',')}`;
  let p = cache.get(key);
  if (!p) {
    p = probe(engineBinary, names);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function probe(engineBinary: string | undefined, names: readonly string[]): Promise<Set<string>> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = engineBinary
    ? spawn(engineBinary, args, { stdio: 'ignore' })
    : spawn(process.execPath, [BUNDLED_CLI, 'server', ...args], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 15000;
    for (;;) {
      try {
        const reply = await adminCall({ host: '127.0.0.1', port }, ['COMMAND', 'INFO', ...names], 1000);
        const known = new Set<string>();
        (reply as unknown[]).forEach((entry, i) => {
          if (Array.isArray(entry)) known.add(names[i]);
        });
        return known;
      } catch (e) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`cannot probe the engine: ${(e as Error).message}`);
        await sleep(30);
      }
    }
  } finally {
    child.kill('SIGKILL');
  }
}
