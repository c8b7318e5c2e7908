// Benchmark (not a test): BGSAVE under a write-heavy load, our node beside Debian's redis-server
// in the same run. Each server gets one million keys (DEBUG POPULATE) and 100k counters, then
// closed-loop clients send SET / INCR / LPUSH on random existing keys (the key count stays put, so
// no hash table resize lands in the middle of a measurement); after a baseline phase a BGSAVE
// starts and the load goes on until it ends. Printed per server: client p50/p99/max latency
// and throughput without and with the snapshot running, the snapshot time, and the extra memory
// (peak RSS growth of the server process during the snapshot, and rdb_last_cow_size).
// Redis forks: its copy-on-write lives in the child, so its parent RSS barely moves and
// rdb_last_cow_size is the figure to compare; our node has no child, so both land in its RSS.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { RespClient } from '../test/engine/resp-client';

// SNAP_CLI: another build's cli.js (e.g. main's, to compare before/after in the same conditions)
const CLI = process.env.SNAP_CLI ?? path.join(__dirname, '..', 'lib', 'engine', 'cli.js');
const KEYS = Number(process.env.SNAP_KEYS ?? 1000000);
const CONNECTIONS = Number(process.env.SNAP_CONNECTIONS ?? 8);
const BASELINE_MS = Number(process.env.SNAP_BASELINE_MS ?? 4000);
const COUNTERS = Math.max(1, Math.floor(KEYS / 10));

interface Node {
  name: string;
  port: number;
  pid: number;
  child: ChildProcess;
  output: () => string;
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

async function start(name: string, cmd: string, args: string[], port: number): Promise<Node> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const on = (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) resolve();
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${out}`)));
  });
  return { name, port, pid: child.pid!, child, output: () => out };
}

async function stop(n: Node): Promise<void> {
  const exited = new Promise<void>((r) => n.child.once('exit', () => r()));
  process.kill(n.pid, 'SIGKILL');
  await exited;
}

/** CPU time (user + system) the process and its reaped children (redis' BGSAVE fork) have used so far, ms. */
function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime in clock ticks (USER_HZ 100)
  return ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function info(c: RespClient): Promise<Record<string, string>> {
  const r = (await c.call('INFO', 'persistence')) as string | { verbatim: string };
  const text = typeof r === 'string' ? r : r.verbatim;
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** A closed-loop client: one command in flight, latency per reply (single-line replies only). */
class LoadClient {
  private readonly socket: net.Socket;
  private sentAt = 0;
  private pending = '';
  public stopped = false;
  public readonly samples: Array<[number, number]> = []; // [time sent (ms), latency (µs)]

  private seedState: number;

  constructor(port: number, seed: number) {
    this.seedState = seed;
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.on('data', (d) => this.onData(d));
    this.socket.on('error', () => undefined);
  }

  public begin(): void {
    this.socket.once('connect', () => this.send());
    if (!this.socket.connecting) this.send();
  }

  private rand(): number {
    this.seedState = (this.seedState * 1664525 + 1013904223) % 4294967296;
    return this.seedState;
  }

  private send(): void {
    if (this.stopped) return;
    const r = this.rand();
    const k = r % KEYS;
    const which = Math.floor(r / 1048576) % 3;
    const cmd = which === 0 ? ['SET', `key:${k}`, 'xxxxxxxxxxxxxxxx'] : which === 1 ? ['INCR', `counter:${k % COUNTERS}`] : ['LPUSH', `mylist:${k % 1000}`, 'xxxxxxxx'];
    let s = `*${cmd.length}\r\n`;
    for (const a of cmd) s += `$${a.length}\r\n${a}\r\n`;
    this.sentAt = performance.now();
    this.socket.write(s);
  }

  private onData(d: Buffer): void {
    this.pending += d.toString('latin1');
    let i;
    while ((i = this.pending.indexOf('\r\n')) >= 0) {
      this.pending = this.pending.slice(i + 2);
      const now = performance.now();
      this.samples.push([this.sentAt, (now - this.sentAt) * 1000]);
      this.send();
    }
  }

  public close(): void {
    this.stopped = true;
    this.socket.destroy();
  }
}

function stats(samples: Array<[number, number]>, from: number, to: number): { n: number; opsPerSec: number; p50: number; p99: number; max: number } {
  const lat = samples.filter(([t]) => t >= from && t < to).map(([, l]) => l).sort((a, b) => a - b);
  const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : 0);
  const opsPerSec = Math.round((lat.length * 1000) / Math.max(1, to - from));
  return { n: lat.length, opsPerSec, p50: q(0.5), p99: q(0.99), max: lat.length ? lat[lat.length - 1] : 0 };
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function run(n: Node): Promise<Record<string, string | number>> {
  const ctl = await RespClient.connect(n.port);
  const t0 = Date.now();
  await ctl.call('DEBUG', 'POPULATE', KEYS);
  for (let i = 0; i < COUNTERS; i += 1000) {
    const mset = ['MSET'];
    for (let j = i; j < Math.min(COUNTERS, i + 1000); j++) mset.push(`counter:${j}`, '0');
    await ctl.call(...mset);
  }
  const populateMs = Date.now() - t0;
  const clients = Array.from({ length: CONNECTIONS }, (_, i) => new LoadClient(n.port, i * 7919 + 1));
  clients.forEach((c) => c.begin());
  await sleep(1000); // warm-up
  const baseFrom = performance.now();
  const cpuBase0 = cpuMsOf(n.pid);
  // the RSS the load alone adds over as long a window, to set the snapshot's growth against
  const rssBase0 = rssOf(n.pid);
  let rssBasePeak = rssBase0;
  while (performance.now() - baseFrom < BASELINE_MS) {
    await sleep(20);
    rssBasePeak = Math.max(rssBasePeak, rssOf(n.pid));
  }
  const baseTo = performance.now();
  const cpuBase1 = cpuMsOf(n.pid);
  const rssBefore = rssOf(n.pid);
  let rssPeak = rssBefore;
  const snapFrom = performance.now();
  const cpuSnap0 = cpuMsOf(n.pid);
  const reply = await ctl.call('BGSAVE');
  if (typeof reply !== 'object' || reply === null || !('simple' in reply)) throw new Error(`BGSAVE: ${JSON.stringify(reply)}`);
  let last: Record<string, string>;
  for (;;) {
    rssPeak = Math.max(rssPeak, rssOf(n.pid));
    last = await info(ctl);
    if (last.rdb_bgsave_in_progress === '0') break;
    await sleep(20);
  }
  const snapTo = performance.now();
  const cpuSnap1 = cpuMsOf(n.pid);
  clients.forEach((c) => c.close());
  ctl.close();
  const all = clients.flatMap((c) => c.samples);
  const savedLine = /DB saved on disk.*/.exec(n.output());
  if (savedLine) process.stdout.write(`${n.name}: ${savedLine[0]}\n`);
  const base = stats(all, baseFrom, baseTo);
  const snap = stats(all, snapFrom, snapTo);
  const ms = (us: number) => (us / 1000).toFixed(2);
  // server CPU per client request: less noisy than throughput when other work shares the cores
  // (during BGSAVE it includes the snapshot's own work)
  const usPerReq = (cpuMs: number, reqs: number) => ((cpuMs * 1000) / Math.max(1, reqs)).toFixed(1);
  const load = os.loadavg()[0].toFixed(2);
  return {
    'server': n.name,
    [`populate ${KEYS} keys + ${COUNTERS} counters (s)`]: (populateMs / 1000).toFixed(1),
    'no snapshot: ops/s': base.opsPerSec,
    'no snapshot: p50 / p99 / max (ms)': `${ms(base.p50)} / ${ms(base.p99)} / ${ms(base.max)}`,
    'no snapshot: server CPU µs/request': usPerReq(cpuBase1 - cpuBase0, base.n),
    'during BGSAVE: ops/s': snap.opsPerSec,
    'during BGSAVE: p50 / p99 / max (ms)': `${ms(snap.p50)} / ${ms(snap.p99)} / ${ms(snap.max)}`,
    'during BGSAVE: server CPU s (all)': ((cpuSnap1 - cpuSnap0) / 1000).toFixed(2),
    'snapshot time (s)': ((snapTo - snapFrom) / 1000).toFixed(2),
    'load average (1 min) at end': load,
    'status': last.rdb_last_bgsave_status,
    'server RSS before (MB)': (rssBefore / 1048576).toFixed(0),
    'peak RSS growth, no snapshot (MB)': ((rssBasePeak - rssBase0) / 1048576).toFixed(1),
    'peak RSS growth during snapshot (MB)': ((rssPeak - rssBefore) / 1048576).toFixed(1),
    'rdb_last_cow_size (MB)': (Number(last.rdb_last_cow_size) / 1048576).toFixed(1),
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snap-bench-'));
  const results: Array<Record<string, string | number>> = [];
  try {
    const p1 = await freePort();
    const ours = await start('cdk-elasticache', process.execPath, [CLI, 'server', '--port', String(p1), '--bind', '127.0.0.1', '--save', '', '--dir', path.join(dir), '--dbfilename', 'ours.rdb', '--enable-debug-command', 'yes'], p1);
    try {
      results.push(await run(ours));
    } finally {
      await stop(ours);
    }
    const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
    if (bin) {
      const p2 = await freePort();
      const redis = await start('redis-server', bin, ['--port', String(p2), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'redis.rdb', '--enable-debug-command', 'yes'], p2);
      try {
        results.push(await run(redis));
      } finally {
        await stop(redis);
      }
    } else {
      process.stdout.write('redis-server not installed: our node only\n');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const rows = Object.keys(results[0]);
  const width = Math.max(...rows.map((r) => r.length));
  process.stdout.write(`BGSAVE under load: ${KEYS} keys, ${CONNECTIONS} closed-loop clients (SET/INCR/LPUSH on random keys), ${os.cpus().length} cores\n`);
  for (const r of rows) process.stdout.write(`${r.padEnd(width)}  ${results.map((x) => String(x[r]).padEnd(24)).join('')}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
