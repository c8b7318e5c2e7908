// Benchmark (not a test): redis-benchmark against our node and against Debian's redis-server,
// started in the same run on the same machine, and the ratio per command; then the memory
// (RSS) each takes for one million small keys. Prints a table and exits non-zero only on errors.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { CLI, RunningNode, startNode, startRedis } from '../test/engine/nodes';

const TESTS = ['set', 'get', 'incr', 'lpush', 'lpop', 'sadd', 'hset', 'zadd', 'eval'];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const KEYS_FOR_MEMORY = Number(process.env.BENCH_MEMORY_KEYS ?? 1000000);
/** The scripted command: a script that runs one write, as an application's small scripts do. */
const EVAL = ['EVAL', "return redis.call('INCR', KEYS[1])", '1', 'bench:eval'];

interface Server {
  name: string;
  node: RunningNode;
}

/** One measurement: requests/s, and the server's CPU time (user + system) per request in µs. */
interface Sample {
  rps: number;
  cpuUs: number;
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function run(s: Server, test: string, pipeline: number): Sample {
  const what = test === 'eval' ? EVAL : ['-t', test];
  const before = cpuSeconds(s.node.pid);
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(s.node.port), '-q', '--csv', '-n', String(REQUESTS), '-c', '50', '-P', String(pipeline), ...what], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  const cpuUs = ((cpuSeconds(s.node.pid) - before) * 1e6) / REQUESTS;
  const m = /^"[^"]+","([\d.]+)"/m.exec(r.stdout);
  if (!m) throw new Error(`no result from redis-benchmark for ${test} on ${s.name}: ${r.stdout}`);
  return { rps: Number(m[1]), cpuUs };
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

function fill(port: number): void {
  // DEBUG POPULATE is not everywhere: load with redis-benchmark's random keys instead.
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-q', '-n', String(KEYS_FOR_MEMORY), '-r', String(KEYS_FOR_MEMORY * 100), '-t', 'set', '-d', '16', '-P', '32'], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`fill failed: ${r.stderr}`);
}

function dbsize(port: number): number {
  return Number(spawnSync('redis-cli', ['-p', String(port), 'dbsize'], { encoding: 'utf8' }).stdout.trim());
}

const fmt = (n: number, w: number) => n.toFixed(0).padStart(w);

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error('run `npx projen compile` first');
  // Both without save points: a snapshot during a run would measure BGSAVE, not the command.
  const redis = await startRedis();
  if (!redis) throw new Error('redis-server is not installed (apt-get install -y redis-server redis-tools)');
  const servers: Server[] = [{ name: 'redis-server', node: redis }, { name: 'cdk-elasticache', node: await startNode() }];
  try {
    // Interleave the servers per command and keep the best of ROUNDS: the machine is shared and its speed
    // drifts, so alternating keeps either server from getting the quiet (or the noisy) minutes. The server's
    // CPU per request is printed too: it does not depend on what else the machine runs as much as throughput.
    const best = new Map<string, Sample>();
    const keep = (k: string, v: Sample) => {
      const b = best.get(k);
      if (b === undefined || v.rps > b.rps) best.set(k, v);
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of TESTS) {
        for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
          keep(`${s.name} ${t} 1`, run(s, t, 1));
          keep(`${s.name} ${t} 16`, run(s, t, 16));
        }
      }
    }
    console.log(`requests per command: ${REQUESTS}, best of ${ROUNDS} interleaved rounds; ratio = cdk-elasticache / redis-server (same machine, same run)`);
    console.log('cpu = server CPU µs per request (ours/redis); eval runs a script of one INCR');
    console.log('command    -c 50: ours / redis = ratio   (cpu)          -c 50 -P 16: ours / redis = ratio   (cpu)');
    for (const t of TESTS) {
      const cols = [1, 16].map((p) => {
        const a = best.get(`cdk-elasticache ${t} ${p}`)!;
        const b = best.get(`redis-server ${t} ${p}`)!;
        return `${fmt(a.rps, 9)} / ${fmt(b.rps, 9)} = ${(a.rps / b.rps).toFixed(2)}   (${a.cpuUs.toFixed(2)}/${b.cpuUs.toFixed(2)})`;
      });
      console.log(`${t.padEnd(10)} ${cols[0]}     ${cols[1]}`);
    }
  } finally {
    for (const s of servers) await s.node.stop();
  }
  // Memory for one million small keys, on fresh servers (the runs above leave a grown heap behind).
  const fresh: Server[] = [{ name: 'redis-server', node: (await startRedis())! }, { name: 'cdk-elasticache', node: await startNode() }];
  try {
    const mem: Record<string, number> = {};
    for (const s of fresh) {
      const before = rssOf(s.node.pid);
      fill(s.node.port);
      mem[s.name] = rssOf(s.node.pid);
      console.log(`${s.name}: ${dbsize(s.node.port)} keys, RSS ${(mem[s.name] / 1048576).toFixed(0)} MiB (empty: ${(before / 1048576).toFixed(0)} MiB)`);
    }
    console.log(`memory ratio (RSS with ~1M keys, ours / redis): ${(mem['cdk-elasticache'] / mem['redis-server']).toFixed(2)}`);
  } finally {
    for (const s of fresh) await s.node.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
