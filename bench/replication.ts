// Benchmark (not a test): write throughput on a primary with two replicas, our nodes against
// Debian's redis-server in the same run, with asynchronous replication and with synchronous
// durability (ours: `sync-replicas 1`, the reply waits for one replica's ack; redis-server: each
// SET followed by `WAIT 1 1000` in the same pipeline, its nearest equivalent), and the replication
// lag under the asynchronous load (bytes behind, sampled, and the catch-up time after the load).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CLI, RunningNode, startNode, startRedis, waitFor } from '../test/engine/nodes';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const VALUE = 'x'.repeat(Number(process.env.BENCH_VALUE_SIZE ?? 64));

type Proc = RunningNode;

function cli(port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
}

function infoField(port: number, field: string): string {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(cli(port, 'info', 'replication'));
  return m ? m[1].trim() : '';
}

/** A primary and two replicas of one kind. */
async function topology(kind: 'ours' | 'redis', primaryArgs: string[], dir: string): Promise<Proc[]> {
  const launch = async (extra: string[]): Promise<Proc> => (kind === 'ours'
    ? startNode(extra)
    : (await startRedis(['--dir', dir, '--repl-diskless-sync-delay', '0', ...extra]))!);
  const primary = await launch(primaryArgs);
  const replicas = [await launch(['--replicaof', '127.0.0.1', String(primary.port)]), await launch(['--replicaof', '127.0.0.1', String(primary.port)])];
  for (const r of replicas) await waitFor(() => infoField(r.port, 'master_link_status') === 'up', 'replica link up', 30000);
  return [primary, ...replicas];
}

/**
 * CLIENTS connections, each sending `perOp` (one write, or a write and WAIT) and waiting for its
 * replies before the next, for SECONDS. Returns writes per second and how many errors came back.
 */
function load(port: number, perOp: (i: number) => string, repliesPerOp: number): Promise<{ ops: number; errors: number }> {
  return new Promise((resolve) => {
    let ops = 0;
    let errors = 0;
    let open = CLIENTS;
    const end = Date.now() + SECONDS * 1000;
    for (let c = 0; c < CLIENTS; c++) {
      const s = net.connect(port, '127.0.0.1');
      s.setNoDelay(true);
      let seq = 0;
      let pending = 0;
      let buf = '';
      const next = () => {
        if (Date.now() >= end) {
          s.end();
          return;
        }
        pending = repliesPerOp;
        s.write(perOp(c * 1e9 + seq++));
      };
      s.on('connect', next);
      s.on('data', (d) => {
        buf += d.toString('latin1');
        let i;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          if (buf[0] === '-') errors++;
          buf = buf.slice(i + 2);
          if (--pending === 0) {
            ops++;
            next();
          }
        }
      });
      s.on('close', () => {
        if (--open === 0) resolve({ ops: ops / SECONDS, errors });
      });
      s.on('error', () => undefined);
    }
  });
}

const set = (i: number) => `*3\r\n$3\r\nSET\r\n$${String(i).length + 2}\r\nk:${i}\r\n$${VALUE.length}\r\n${VALUE}\r\n`;
const setWait = (i: number) => `${set(i)}*3\r\n$4\r\nWAIT\r\n$1\r\n1\r\n$4\r\n1000\r\n`;

/** A connection that asks for INFO replication without blocking the load generator. */
class InfoConn {
  private readonly s: net.Socket;
  private buf = '';
  private waiter: ((text: string) => void) | undefined;
  constructor(port: number) {
    this.s = net.connect(port, '127.0.0.1');
    this.s.on('data', (d) => {
      this.buf += d.toString('latin1');
      const nl = this.buf.indexOf('\r\n');
      if (nl < 0) return;
      const len = Number(this.buf.slice(1, nl));
      if (this.buf.length < nl + 2 + len + 2) return;
      const text = this.buf.slice(nl + 2, nl + 2 + len);
      this.buf = '';
      this.waiter?.(text);
    });
    this.s.on('error', () => undefined);
  }
  public field(name: string): Promise<number> {
    return new Promise((resolve) => {
      this.waiter = (text) => resolve(Number(new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1] ?? 0));
      this.s.write('INFO replication\r\n');
    });
  }
  public close(): void {
    this.s.destroy();
  }
}

/** Async load with lag sampling: bytes the replicas are behind, and the catch-up time after the load. */
async function asyncRun(nodes: Proc[]): Promise<{ ops: number; maxLag: number; avgLag: number; catchUpMs: number }> {
  const [p, ...rs] = nodes;
  const pc = new InfoConn(p.port);
  const rcs = rs.map((r) => new InfoConn(r.port));
  const samples: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const off = await pc.field('master_repl_offset');
      for (const rc of rcs) samples.push(Math.max(0, off - (await rc.field('slave_repl_offset'))));
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  const r = await load(p.port, set, 1);
  sampling = false;
  await sampler;
  const t0 = Date.now();
  const target = await pc.field('master_repl_offset');
  for (;;) {
    const offs = await Promise.all(rcs.map((rc) => rc.field('slave_repl_offset')));
    if (offs.every((o) => o >= target)) break;
    if (Date.now() - t0 > 120000) throw new Error('replicas did not catch up');
    await new Promise((res) => setTimeout(res, 5));
  }
  const catchUpMs = Date.now() - t0;
  pc.close();
  rcs.forEach((c) => c.close());
  return { ops: r.ops, maxLag: Math.max(0, ...samples), avgLag: samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length), catchUpMs };
}

interface Result { ops: number; maxLag?: number; avgLag?: number; catchUpMs?: number; errors?: number }

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: compile first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-repl-'));
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const all: Proc[] = [];
  try {
    // Every topology runs for the whole benchmark and the runs interleave, best of ROUNDS each:
    // the shared machine's load drifts, and this way it drifts for both servers alike.
    const ours = await topology('ours', [], dir);
    const oursSync = await topology('ours', ['--sync-replicas', '1', '--sync-replicas-timeout', '5000'], dir);
    const redis = await topology('redis', [], dir);
    all.push(...ours, ...oursSync, ...redis);
    const runs: Array<[string, () => Promise<Result>]> = [
      ['ours async', () => asyncRun(ours)],
      ['redis async', () => asyncRun(redis)],
      ['ours sync (sync-replicas 1)', () => load(oursSync[0].port, set, 1)],
      ['redis sync (SET+WAIT 1)', () => load(redis[0].port, setWait, 2)],
    ];
    const best: Record<string, Result> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of runs) {
        const r = await run();
        if (!best[name] || r.ops > best[name].ops) best[name] = r;
      }
    }
    const rows: string[][] = [['primary + 2 replicas', 'writes/s', 'max lag (bytes)', 'avg lag (bytes)', 'catch-up (ms)', 'errors']];
    for (const [name, r] of Object.entries(best)) {
      rows.push([name, fmt(r.ops), r.maxLag === undefined ? '' : fmt(r.maxLag), r.avgLag === undefined ? '' : fmt(r.avgLag),
        r.catchUpMs === undefined ? '' : String(r.catchUpMs), String(r.errors ?? 0)]);
    }
    const ratio = (x: string, y: string) => (best[x].ops / best[y].ops).toFixed(2);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
    console.log(`\nours/redis async: ${ratio('ours async', 'redis async')}   ours/redis sync: ${ratio('ours sync (sync-replicas 1)', 'redis sync (SET+WAIT 1)')}`);
    console.log(`(${CLIENTS} clients, one write in flight each, ${VALUE.length}-byte values, ${SECONDS} s per run, best of ${ROUNDS}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})`);
  } finally {
    await Promise.all(all.map((n) => n.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
