// Benchmark (not a test): deploy a large cluster-mode-enabled group on this machine
// (BENCH_SHARDS shards × BENCH_REPLICAS replicas, default 30 × 1 = 60 node processes) and print
// the time from `deploy` to available, the total RSS of the node processes (and the control
// plane's), whether `redis-cli --cluster check` through the configuration endpoint is clean, a
// round of writes and reads through ioredis Cluster, and the time `destroy` takes.
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cluster } from 'ioredis';

const CLI = path.join(__dirname, '..', 'lib', 'engine', 'cli.js');
const SHARDS = Number(process.env.BENCH_SHARDS ?? 30);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 1);
const PORT = Number(process.env.BENCH_PORT ?? 6500);
const KEYS = Number(process.env.BENCH_KEYS ?? 10000);

function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${args[0]}: ${stdout}\n${stderr}`)) : resolve(stdout)));
  });
}

/** Resident memory of a process in bytes (0 when it is gone). */
function rss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-large-cluster-'));
  const stateDir = path.join(work, 'state');
  const template = path.join(work, 'template.json');
  fs.writeFileSync(template, JSON.stringify({
    Resources: {
      Large: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: {
          ReplicationGroupId: 'large',
          ReplicationGroupDescription: `${SHARDS} shards x ${REPLICAS} replicas`,
          Engine: 'valkey',
          CacheNodeType: 'cache.t4g.micro',
          ClusterMode: 'enabled',
          NumNodeGroups: SHARDS,
          ReplicasPerNodeGroup: REPLICAS,
          AutomaticFailoverEnabled: true,
          MultiAZEnabled: REPLICAS > 0,
          Port: PORT,
        },
      },
    },
  }));
  let client: Cluster | undefined;
  let destroyed = false;
  try {
    console.log(`deploying ${SHARDS} shards x ${REPLICAS} replicas (${SHARDS * (REPLICAS + 1)} nodes) on ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
    const started = Date.now();
    const out = await cli(['deploy', template, '--state-dir', stateDir]);
    const deployMs = Date.now() - started;
    const m = /configuration endpoint: (\S+):(\d+)/.exec(out);
    if (!m) throw new Error(`no configuration endpoint in:\n${out}`);
    const cfg = { host: m[1], port: Number(m[2]) };

    const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'state.json'), 'utf8'));
    const nodes = state.replicationGroups.large.nodeGroups.flatMap((ng: { members: Array<{ pid: number }> }) => ng.members);
    const nodeRss = nodes.reduce((a: number, n: { pid: number }) => a + rss(n.pid), 0);
    const controlRss = rss(Number(fs.readFileSync(path.join(stateDir, 'control.pid'), 'utf8')));

    const check = spawnSync('redis-cli', ['--cluster', 'check', `${cfg.host}:${cfg.port}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const checkOut = `${check.stdout}${check.stderr}`;
    const masters = Number(/(\d+) masters\./.exec(checkOut)?.[1] ?? -1) || (checkOut.match(/^M: /gm) ?? []).length;
    const clean = checkOut.includes('[OK] All 16384 slots covered.') && !/\[ERR\]|\[WARNING\]/.test(checkOut);

    client = new Cluster([cfg], { redisOptions: { maxRetriesPerRequest: 5 } });
    const t0 = Date.now();
    for (let i = 0; i < KEYS; i += 500) await Promise.all(Array.from({ length: Math.min(500, KEYS - i) }, (_, j) => client!.set(`k:${i + j}`, `${i + j}`)));
    const values = await Promise.all(Array.from({ length: KEYS }, (_, i) => client!.get(`k:${i}`)));
    const roundMs = Date.now() - t0;
    const readBack = values.every((v, i) => v === `${i}`);
    const perShard = await Promise.all(client.nodes('master').map((n) => n.dbsize()));
    client.disconnect();
    client = undefined;

    const destroyStarted = Date.now();
    await cli(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
    destroyed = true;
    const destroyMs = Date.now() - destroyStarted;
    const left = nodes.filter((n: { pid: number }) => rss(n.pid) > 0).length;

    console.log(`time to available:         ${(deployMs / 1000).toFixed(1)} s (${nodes.length} nodes)`);
    console.log(`RSS of the nodes:          ${mb(nodeRss)} total, ${mb(nodeRss / nodes.length)} per node; control plane ${mb(controlRss)}`);
    console.log(`redis-cli --cluster check: ${clean ? 'clean' : 'NOT CLEAN'} (${masters} masters, all 16384 slots covered: ${checkOut.includes('[OK] All 16384 slots covered.')})`);
    console.log(`ioredis Cluster:           ${KEYS} SETs + ${KEYS} GETs in ${roundMs} ms, read back ${readBack ? 'intact' : 'WRONG'}, keys per shard ${Math.min(...perShard)}-${Math.max(...perShard)} over ${perShard.length} shards`);
    console.log(`destroy:                   ${(destroyMs / 1000).toFixed(1)} s, ${left} node processes left`);
    if (!clean) console.log(checkOut.split('\n').filter((l) => /ERR|WARNING/.test(l)).slice(0, 20).join('\n'));
    if (!clean || !readBack || left > 0) process.exitCode = 1;
  } finally {
    client?.disconnect();
    // A second destroy would start a control plane again: only after a failure.
    if (!destroyed && fs.existsSync(path.join(stateDir, 'state.json'))) await cli(['destroy', '--state-dir', stateDir, '--no-final-snapshot']).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
