import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ClusterMember } from '../../engine/control/cluster';
import { ClusterNodeHandle, startClusterNode } from '../engine/cluster-helpers';
import { RunningNode, startRedis } from '../engine/nodes';

/**
 * Test nodes for the control plane's cluster library: our node (engine-cluster's helper) or Debian's
 * redis-server in cluster mode, described as ClusterMembers.
 */

export interface TestNode {
  readonly member: ClusterMember;
  stop(): Promise<void>;
  kill(): void;
}

export function member(port: number, nodeGroupId: string, role: 'primary' | 'replica'): ClusterMember {
  return { host: '127.0.0.1', port, nodeGroupId, role };
}

export async function ourNode(dir: string, group: string, role: 'primary' | 'replica', reuse?: ClusterNodeHandle, directives: string[] = []): Promise<TestNode & { handle: ClusterNodeHandle }> {
  const handle = await startClusterNode(dir, { ...(reuse ? { port: reuse.port, file: reuse.file } : {}), directives });
  handle.client.close(); // the library opens its own links
  return {
    handle,
    member: member(handle.port, group, role),
    stop: () => handle.node.stop(),
    kill: () => process.kill(handle.node.pid, 'SIGKILL'),
  };
}

/** Our nodes for `groups` shards with `replicas` each: primaries first, then replicas, groups 0001... */
export async function ourShards(
  dir: string, groups: string[], replicas: number, directives: string[] = [],
): Promise<Array<TestNode & { handle: ClusterNodeHandle }>> {
  const specs: Array<[string, 'primary' | 'replica']> = [
    ...groups.map((g) => [g, 'primary'] as [string, 'primary']),
    ...groups.flatMap((g) => Array.from({ length: replicas }, () => [g, 'replica'] as [string, 'replica'])),
  ];
  return Promise.all(specs.map(([g, r]) => ourNode(dir, g, r, undefined, directives)));
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** redis-server in cluster mode; its bus listens on port+10000, so the port is picked below 55536. */
export async function redisNode(dir: string, group: string, role: 'primary' | 'replica'): Promise<TestNode | undefined> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (!(await portFree(port)) || !(await portFree(port + 10000))) continue;
    let node: RunningNode | undefined;
    try {
      node = await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', `${dir}/nodes-${port}.conf`,
        '--cluster-node-timeout', '1500', '--dir', dir, '--port', String(port)]);
    } catch {
      continue; // the port was taken in between
    }
    if (!node) return undefined;
    // startRedis picks its own port: our --port comes later and wins.
    const n = node;
    return { member: member(port, group, role), stop: () => n.stop(), kill: () => process.kill(n.pid, 'SIGKILL') };
  }
  throw new Error('no free port pair for redis-server');
}

/** `redis-cli --cluster check`: undefined when redis-cli is missing. */
export function clusterCheck(port: number): { ok: boolean; output: string } | undefined {
  const r = spawnSync('redis-cli', ['--cluster', 'check', `127.0.0.1:${port}`], { encoding: 'utf8' });
  if (r.error) return undefined;
  const output = r.stdout + r.stderr;
  return { ok: output.includes('[OK] All 16384 slots covered.') && !/\[ERR\]|\[WARNING\]/.test(output), output };
}

/**
 * A temp dir for node files, in memory when /dev/shm exists: every CLUSTER SETSLOT saves nodes.conf
 * with fsync, which costs ~12 ms on this machine's disk and would dominate a resharding test.
 */
export function memDir(): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'ccluster-'));
}
