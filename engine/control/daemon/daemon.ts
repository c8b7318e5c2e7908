/**
 * The control-plane process: one per state directory, started detached by the CLI. It listens on
 * a unix socket in the state dir (only the owner can reach it: the dir is 0700) and answers
 * `POST /op` with `{ op, input }` → `{ result }` or `{ error: { code, message } }`.
 */
import * as fs from 'fs';
import * as http from 'http';
import { ApiError, ControlPlane } from './control-plane';
import { pruneIamTokens } from './iam-tokens';
import { runOp } from './ops';
import { HealthMonitor } from '../health/monitor';
import { automaticSnapshots } from '../snapshots/snapshots';
import { takeProcessLock } from '../state/process-lock';
import { StateDir } from '../state/store';

/** One control plane per state dir: a second one exits here (see takeProcessLock). */
function takeControlLock(dir: StateDir, onCompromised: () => void): Promise<() => Promise<void>> {
  return takeProcessLock(dir, 'control.lock', dir.daemonPidFile, onCompromised);
}

export async function runDaemon(stateDir: string, engineBinary?: string): Promise<void> {
  const dir = new StateDir(stateDir);
  dir.ensure();
  // Set once the control plane runs: what to do if the state dir vanishes (see orphanTimer).
  let onOrphaned: () => void = () => process.exit(1);
  const release = await takeControlLock(dir, () => onOrphaned());
  fs.writeFileSync(dir.daemonPidFile, String(process.pid));
  const cp = new ControlPlane(dir, engineBinary);
  await cp.adopt();
  const monitor = new HealthMonitor(cp);
  monitor.start();
  // The endpoint router serves the endpoints and watches this process; this one restarts it in turn.
  const routerTimer = setInterval(() => {
    cp.keepRouter();
    void cp.serialize(() => pruneIamTokens(cp)).catch(() => undefined);
  }, 1000);
  const snapshotTimer = setInterval(() => void cp.serialize(() => automaticSnapshots(cp)).catch(() => undefined), 60000);

  fs.rmSync(dir.socketPath, { force: true });
  let stopping = false;
  // A state dir deleted under a running control plane (rm -rf of a test's temp dir) leaves nothing
  // to keep: stop its nodes by pid and exit, rather than run on as an orphan.
  onOrphaned = () => {
    for (const g of Object.values(cp.state.replicationGroups)) {
      for (const n of g.nodeGroups.flatMap((ng) => ng.members)) if (n.pid) cp.host(n).kill(n.pid);
    }
    void stop();
  };
  const orphanTimer = setInterval(() => {
    if (!fs.existsSync(dir.stateFile)) onOrphaned();
  }, 1000);
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(snapshotTimer);
    clearInterval(routerTimer);
    clearInterval(orphanTimer);
    monitor.stop();
    server.close();
    await cp.shutdown();
    fs.rmSync(dir.socketPath, { force: true });
    fs.rmSync(dir.daemonPidFile, { force: true });
    await release().catch(() => undefined);
    process.exit(0);
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      let parsed: { op: string; input: Record<string, unknown> };
      try {
        parsed = JSON.parse(body);
      } catch {
        send(400, { error: { code: 'InvalidParameterValueException', message: 'bad request body' } });
        return;
      }
      if (parsed.op === 'shutdown') {
        send(200, { result: { stopping: true } });
        setImmediate(() => void stop());
        return;
      }
      runOp(cp, parsed.op, parsed.input ?? {}).then(
        (result) => send(200, { result }),
        (e: Error) => send(e instanceof ApiError ? 400 : 500, { error: { code: e instanceof ApiError ? e.code : 'InternalFailure', message: e.message } }),
      );
    });
  });
  server.timeout = 0;
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(dir.socketPath, resolve));
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}
