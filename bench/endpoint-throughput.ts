// Benchmark (not a test): throughput through the primary endpoint against direct-to-node, for one
// group of 1 primary + 2 replicas on the bundled node. redis-benchmark -c 50 (and -P 16) GET/SET,
// direct and via the endpoint in interleaved rounds, best of ROUNDS each; with the CPU seconds the
// endpoint router, the primary node and the benchmark client used during each run (2 shared cores:
// they compete, so the router's share is what an endpoint costs).
import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// BENCH_CLI: another build's cli.js (e.g. main's, for a before/after comparison).
const CLI = process.env.BENCH_CLI ?? path.join(__dirname, '..', 'lib', 'engine', 'cli.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100000);
const PORT = Number(process.env.BENCH_PORT ?? 6450);
const TICK = 100; // USER_HZ on Linux

function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${args[0]}: ${stderr}`)) : resolve(stdout)));
  });
}

/** utime + stime of a process, in seconds (0 when it is gone). */
function cpu(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return 0;
  }
}

interface Run { rps: number; client: number; router: number; node: number }

/** One redis-benchmark run of one test; the client's CPU comes from its own /proc entry, sampled until it exits. */
function benchmark(host: string, port: number, test: string, extra: string[], routerPid?: number, nodePid?: number): Promise<Run> {
  return new Promise((resolve) => {
    const r0 = cpu(routerPid);
    const n0 = cpu(nodePid);
    const child = spawn('redis-benchmark', ['-h', host, '-p', String(port), '-t', test, '-n', String(REQUESTS), '-q', ...extra], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    let client = 0;
    const sample = setInterval(() => (client = Math.max(client, cpu(child.pid))), 50);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => {
      clearInterval(sample);
      const m = /([\d.]+) requests per second/.exec(out.split('\r').pop() ?? out);
      resolve({ rps: m ? Number(m[1]) : 0, client, router: cpu(routerPid) - r0, node: cpu(nodePid) - n0 });
    });
  });
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-endpoint-'));
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  fs.writeFileSync(file, JSON.stringify({
    Resources: {
      Cache: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: {
          ReplicationGroupId: 'bench-ep',
          ReplicationGroupDescription: 'endpoint benchmark',
          Engine: 'valkey',
          EngineVersion: '8.0',
          CacheNodeType: 'cache.t4g.micro',
          NumCacheClusters: 3,
          AutomaticFailoverEnabled: true,
          MultiAZEnabled: true,
          Port: PORT,
        },
      },
    },
  }));
  try {
    await cli(['deploy', file, '--state-dir', stateDir]);
    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    const ng = state.replicationGroups['bench-ep'].nodeGroups[0];
    const p = ng.members.find((m: any) => m.role === 'primary');
    const ep = ng.primaryEndpoint;
    const routerPid = Number(fs.readFileSync(path.join(stateDir, 'router.pid'), 'utf8'));
    console.log(`primary ${p.endpoint.address}:${p.endpoint.port} (pid ${p.pid}), primary endpoint ${ep.address}:${ep.port}, router pid ${routerPid}`);
    console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const idle0 = cpu(routerPid);
    await new Promise((r) => setTimeout(r, 5000));
    console.log(`router CPU while idle: ${((cpu(routerPid) - idle0) / 5 * 1000).toFixed(1)} ms/s`);

    for (const [label, extra] of [['-c 50', ['-c', '50']], ['-c 50 -P 16', ['-c', '50', '-P', '16']]] as const) {
      for (const test of ['get', 'set']) {
        const best: Record<string, Run> = {};
        for (let i = 0; i < ROUNDS; i++) {
          for (const [how, host, port] of [['direct', p.endpoint.address, p.endpoint.port], ['endpoint', ep.address, ep.port]] as const) {
            const r = await benchmark(host, port, test, [...extra], routerPid, p.pid);
            if (!best[how] || r.rps > best[how].rps) best[how] = r;
          }
        }
        const d = best.direct;
        const e = best.endpoint;
        const per = (x: number) => (x / (REQUESTS / 1e6)).toFixed(1); // CPU µs per request
        console.log(`${label.padEnd(12)} ${test.toUpperCase()} direct ${Math.round(d.rps)} req/s, endpoint ${Math.round(e.rps)} req/s, ratio ${(e.rps / d.rps).toFixed(2)}`
          + ` | CPU µs/req direct: node ${per(d.node)} client ${per(d.client)}; endpoint: node ${per(e.node)} router ${per(e.router)} client ${per(e.client)}`);
      }
    }
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await cli(['destroy', '--state-dir', stateDir, '--no-final-snapshot']).catch((e) => console.error(e.message));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
