// Benchmark (not a test) of the deploy handler and control plane, on local hosts:
// 1. deploy → available for 1 primary + 2 replicas;
// 2. failover time: kill -9 of the primary → first successful write through the primary endpoint,
//    over FAILOVERS rounds, with the acknowledged writes lost (async replication, and with WAIT 1,
//    the client-side form of synchronous durability);
// 3. throughput through the primary endpoint as a ratio of direct-to-node (redis-benchmark).
// Nodes run on our node, or on BENCH_ENGINE (a binary path, e.g. /usr/bin/redis-server).
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';

const CLI = path.join(__dirname, '..', 'lib', 'engine', 'cli.js');
const ENGINE = process.env.BENCH_ENGINE;
const FAILOVERS = Number(process.env.BENCH_FAILOVERS ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100000);
const PORT = Number(process.env.BENCH_PORT ?? 6400);

function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${args[0]}: ${stderr}`)) : resolve(stdout)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function template(): string {
  return JSON.stringify({
    Resources: {
      // Valkey 9 with synchronous durability: on our node, a write is acknowledged once a replica has it.
      SyncCache: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: {
          ReplicationGroupId: 'bench-sync',
          ReplicationGroupDescription: 'benchmark, sync durability',
          Engine: 'valkey',
          EngineVersion: '9.0',
          CacheNodeType: 'cache.t4g.micro',
          NumCacheClusters: 3,
          AutomaticFailoverEnabled: true,
          MultiAZEnabled: true,
          Port: PORT + 1,
          Durability: 'sync',
          TransitEncryptionEnabled: true,
        },
      },
      Cache: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: {
          ReplicationGroupId: 'bench',
          ReplicationGroupDescription: 'benchmark',
          Engine: 'redis',
          EngineVersion: '7.0',
          CacheNodeType: 'cache.t4g.micro',
          NumCacheClusters: 3,
          AutomaticFailoverEnabled: true,
          MultiAZEnabled: true,
          Port: PORT,
        },
      },
    },
  });
}

interface Topology { primaryEp: { host: string; port: number }; primary: { id: string; host: string; port: number; pid: number }; available: boolean }

function topology(stateDir: string, id = 'bench'): Topology {
  const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
  const g = state.replicationGroups[id];
  const ng = g.nodeGroups[0];
  const p = ng.members.find((m: any) => m.role === 'primary');
  return {
    primaryEp: { host: ng.primaryEndpoint.address, port: ng.primaryEndpoint.port },
    primary: { id: p.cacheClusterId, host: p.endpoint.address, port: p.endpoint.port, pid: p.pid },
    available: g.status === 'available' && ng.members.every((m: any) => m.status === 'available'),
  };
}

/**
 * One writer through the primary endpoint: sequential keys, each counted as acknowledged only
 * when the write (and, with `wait`, WAIT 1) succeeded. Reconnects at once.
 */
class Writer {
  readonly acked: string[] = [];
  private n = 0;
  private stopped = false;
  lastOkAt = 0;
  /** When the last acknowledged write was sent (a write sent before a kill does not count as after it). */
  lastOkIssuedAt = 0;
  private readonly c: Redis;
  constructor(ep: { host: string; port: number }, private readonly wait: boolean, private readonly prefix: string, ca?: string) {
    this.c = new Redis({
      tls: ca ? { ca } : undefined,
      host: ep.host,
      port: ep.port,
      retryStrategy: () => 5,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 500,
      commandTimeout: 500,
    });
    this.c.on('error', () => undefined);
  }
  async run(): Promise<void> {
    while (!this.stopped) {
      const key = `${this.prefix}:${this.n++}`;
      const issuedAt = Date.now();
      try {
        await this.c.set(key, '1');
        if (this.wait && Number(await this.c.call('WAIT', '1', '200')) < 1) continue;
        this.acked.push(key);
        this.lastOkAt = Date.now();
        this.lastOkIssuedAt = issuedAt;
      } catch {
        await sleep(2);
      }
    }
  }
  stop(): void {
    this.stopped = true;
    this.c.disconnect();
  }
}

async function failoverRounds(stateDir: string, wait: boolean, id = 'bench', tls?: string): Promise<{ times: number[]; acked: number; lost: number }> {
  const times: number[] = [];
  const ep = topology(stateDir, id).primaryEp;
  const writer = new Writer(ep, wait, wait ? 'sync' : 'async', tls);
  const running = writer.run();
  for (let i = 0; i < FAILOVERS; i++) {
    while (!topology(stateDir, id).available) await sleep(20);
    await sleep(300); // let writes flow
    const t = topology(stateDir, id);
    const killedAt = Date.now();
    process.kill(t.primary.pid, 'SIGKILL');
    while (writer.lastOkIssuedAt <= killedAt) await sleep(1);
    times.push(writer.lastOkAt - killedAt);
  }
  while (!topology(stateDir, id).available) await sleep(20);
  writer.stop();
  await running;
  const c = new Redis({ host: ep.host, port: ep.port, tls: tls ? { ca: tls } : undefined });
  let lost = 0;
  for (let i = 0; i < writer.acked.length; i += 1000) {
    const chunk = writer.acked.slice(i, i + 1000);
    const found = await c.exists(...chunk);
    lost += chunk.length - found;
  }
  c.disconnect();
  return { times, acked: writer.acked.length, lost };
}

function benchmark(host: string, port: number, extra: string[]): Record<string, number> {
  const r = spawnSync('redis-benchmark', ['-h', host, '-p', String(port), '-t', 'set,get', '-n', String(REQUESTS), '-q', ...extra], { encoding: 'utf8' });
  const out: Record<string, number> = {};
  for (const m of r.stdout.matchAll(/^(\w+): ([\d.]+) requests per second/gm)) out[m[1]] = Number(m[2]);
  return out;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]} ms, median ${s[Math.floor(s.length / 2)]} ms, p90 ${s[Math.floor(s.length * 0.9)]} ms, max ${s[s.length - 1]} ms, `
    + `rounds over 2 s: ${s.filter((x) => x > 2000).length}/${s.length}`;
};

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-deploy-'));
  const stateDir = path.join(work, 'state');
  const file = path.join(work, 'template.json');
  fs.writeFileSync(file, template());
  try {
    const t0 = Date.now();
    await cli(['deploy', file, '--state-dir', stateDir, ...(ENGINE ? ['--engine-binary', ENGINE] : [])]);
    console.log(`engine: ${ENGINE ?? 'bundled node (cdk-elasticache server)'}`);
    console.log(`deploy → available, two groups of 1 primary + 2 replicas (one with TLS): ${Date.now() - t0} ms (including starting the control plane), load average ${os.loadavg()[0].toFixed(1)}`);

    const t = topology(stateDir);
    const ratios: string[] = [];
    for (const [label, extra] of [['50 clients', ['-c', '50']], ['50 clients, pipeline 16', ['-c', '50', '-P', '16']]] as const) {
      const direct = benchmark(t.primary.host, t.primary.port, [...extra]);
      const viaEp = benchmark(t.primaryEp.host, t.primaryEp.port, [...extra]);
      for (const k of Object.keys(direct)) {
        ratios.push(`${label.padEnd(24)} ${k.padEnd(4)} direct ${Math.round(direct[k])} req/s, via primary endpoint ${Math.round(viaEp[k])} req/s, ratio ${(viaEp[k] / direct[k]).toFixed(2)}`);
      }
    }
    console.log('throughput (redis-benchmark):');
    for (const r of ratios) console.log(`  ${r}`);

    // The machine may be shared: the figures mean little without its load.
    const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
    console.log(`load average before the failovers: ${load()}`);
    for (const wait of [false, true]) {
      const r = await failoverRounds(stateDir, wait);
      console.log(`failover (${FAILOVERS} × kill -9 of the primary → first acknowledged write via the primary endpoint), ${wait ? 'SET + WAIT 1 (synchronous)' : 'SET (asynchronous replication)'}:`);
      console.log(`  ${stats(r.times)}; acknowledged writes ${r.acked}, lost ${r.lost}`);
    }
    if (!ENGINE) {
      const r = await failoverRounds(stateDir, false, 'bench-sync', fs.readFileSync(path.join(stateDir, 'tls', 'ca.crt'), 'utf8'));
      console.log(`failover (${FAILOVERS} × kill -9), Valkey 9 group with Durability sync (sync-replicas 1), TLS, plain SET:`);
      console.log(`  ${stats(r.times)}; acknowledged writes ${r.acked}, lost ${r.lost}`);
    }
    console.log(`load average after the failovers: ${load()}`);
  } finally {
    await cli(['destroy', '--state-dir', stateDir, '--no-final-snapshot']).catch((e) => console.error(e.message));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
