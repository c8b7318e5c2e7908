// Benchmark (not a test): redis-benchmark against our node and against Debian's redis-server,
// started in the same run on the same machine, and the ratio per command; then the memory
// (RSS) each takes for one million small keys. Prints a table and exits non-zero only on errors.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

const CLI = path.join(__dirname, '..', 'lib', 'engine', 'cli.js');
const TESTS = ['set', 'get', 'incr', 'lpush', 'lpop', 'sadd', 'hset', 'zadd'];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const KEYS_FOR_MEMORY = Number(process.env.BENCH_MEMORY_KEYS ?? 1000000);

interface Server {
  name: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function start(name: string, cmd: string, args: (port: number) => string[]): Promise<Server> {
  const port = await freePort();
  const child = spawn(cmd, args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const on = (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${out}`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    name,
    port,
    pid: child.pid!,
    stop: async () => {
      process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

function rps(port: number, extra: string[]): Map<string, number> {
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-q', '--csv', '-n', String(REQUESTS), ...extra], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  const out = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    const m = /^"([^"]+)","([\d.]+)"/.exec(line);
    if (m) out.set(m[1].split(' ')[0].toLowerCase(), Number(m[2]));
  }
  return out;
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

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error('run `npx projen compile` first');
  const script = "return redis.call('INCR', KEYS[1])";
  const servers = [
    await start('redis-server', 'redis-server', (p) => ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']),
    await start('cdk-elasticache', process.execPath, (p) => [CLI, 'server', '--port', String(p), '--bind', '127.0.0.1']),
  ];
  try {
    // Interleave the servers per command and keep the best of ROUNDS: the machine is shared and its speed
    // drifts, so alternating keeps either server from getting the quiet (or the noisy) minutes.
    const results: Record<string, { plain: Map<string, number>; piped: Map<string, number>; evalRps?: number }> = {};
    for (const s of servers) results[s.name] = { plain: new Map(), piped: new Map() };
    const best = (m: Map<string, number>, k: string, v: number | undefined) => m.set(k, Math.max(m.get(k) ?? 0, v ?? 0));
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of TESTS) {
        for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
          best(results[s.name].plain, t, rps(s.port, ['-c', '50', '-t', t]).get(t));
          best(results[s.name].piped, t, rps(s.port, ['-c', '50', '-P', '16', '-t', t]).get(t));
        }
      }
      for (const s of servers) {
        const ev = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(s.port), '-q', '--csv', '-n', String(REQUESTS), '-c', '50', 'EVAL', script, '1', 'bench:eval'], { encoding: 'utf8' });
        const v = /"[^"]+","([\d.]+)"/.exec(ev.stdout)?.[1];
        if (v) results[s.name].evalRps = Math.max(results[s.name].evalRps ?? 0, Number(v));
      }
    }
    const ref = results['redis-server'];
    const ours = results['cdk-elasticache'];
    console.log(`requests per command: ${REQUESTS}, best of ${ROUNDS} interleaved rounds; ratio = cdk-elasticache / redis-server (same machine, same run)`);
    console.log('command    -c 50 (ours / redis = ratio)            -c 50 -P 16 (ours / redis = ratio)');
    for (const t of TESTS) {
      const a = ours.plain.get(t) ?? 0;
      const b = ref.plain.get(t) ?? 0;
      const c = ours.piped.get(t) ?? 0;
      const d = ref.piped.get(t) ?? 0;
      console.log(`${t.padEnd(10)} ${a.toFixed(0).padStart(8)} / ${b.toFixed(0).padStart(8)} = ${(a / b).toFixed(2)}          ${c.toFixed(0).padStart(9)} / ${d.toFixed(0).padStart(9)} = ${(c / d).toFixed(2)}`);
    }
    if (ours.evalRps && ref.evalRps) {
      console.log(`${'eval'.padEnd(10)} ${ours.evalRps.toFixed(0).padStart(8)} / ${ref.evalRps.toFixed(0).padStart(8)} = ${(ours.evalRps / ref.evalRps).toFixed(2)}`);
    } else {
      console.log(`eval       not measured (${ours.evalRps ? '' : 'our node '}${ref.evalRps ? '' : 'redis-server '}did not answer EVAL)`);
    }
    // Memory for one million small keys.
    const mem: Record<string, number> = {};
    for (const s of servers) {
      spawnSync('redis-cli', ['-p', String(s.port), 'flushall']);
      const before = rssOf(s.pid);
      fill(s.port);
      mem[s.name] = rssOf(s.pid);
      console.log(`${s.name}: ${dbsize(s.port)} keys, RSS ${(mem[s.name] / 1048576).toFixed(0)} MiB (empty: ${(before / 1048576).toFixed(0)} MiB)`);
    }
    console.log(`memory ratio (RSS with ~1M keys, ours / redis): ${(mem['cdk-elasticache'] / mem['redis-server']).toFixed(2)}`);
  } finally {
    for (const s of servers) await s.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
