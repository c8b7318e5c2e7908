/**
 * The endpoint router: one detached process per state dir that serves the proxied endpoints
 * (reader, configuration; the primary node binds the primary endpoint itself) from `routing.json`, so endpoints keep working while the control plane is
 * down. It is also the control plane's watchdog: when the control plane's process is gone and
 * something is deployed, it starts a new one (which re-adopts the nodes). The control plane, in
 * turn, restarts the router if it dies. It exits when nothing is routed or the state dir is gone.
 */
import * as fs from 'fs';
import { EndpointProxy } from './proxy';
import { routerPidFile } from './router-keeper';
import { Route, appliedFile, readRouting, routeKey } from './routing';
import { ControlClient } from '../cli/client';
import { alive } from '../hosts/local';
import { takeProcessLock } from '../state/process-lock';
import { StateDir, writeFileAtomic } from '../state/store';


interface Served {
  route: Route;
  readonly proxy: EndpointProxy;
  turn: number;
}

export async function runRouter(stateDir: string): Promise<void> {
  const dir = new StateDir(stateDir);
  let exiting = false;
  const served = new Map<string, Served>();
  const exit = async () => {
    if (exiting) return;
    exiting = true;
    for (const s of served.values()) await s.proxy.stop();
    try {
      if (Number(fs.readFileSync(routerPidFile(dir.root), 'utf8')) === process.pid) fs.rmSync(routerPidFile(dir.root), { force: true });
    } catch {
      /* gone with the dir */
    }
    await release().catch(() => undefined);
    process.exit(0);
  };
  const release = await takeProcessLock(dir, 'router.lock', routerPidFile(dir.root), () => void exit());
  fs.writeFileSync(routerPidFile(dir.root), String(process.pid));

  let applied = -1;
  let applying = false;
  const apply = async () => {
    if (applying || exiting) return;
    applying = true;
    try {
      const routing = readRouting(dir.root);
      if (!routing || routing.version === applied) return;
      const wanted = new Map(routing.routes.map((r) => [routeKey(r.listen), r]));
      for (const [key, s] of [...served]) {
        if (!wanted.has(key)) {
          served.delete(key);
          await s.proxy.stop();
        }
      }
      let complete = true;
      for (const [key, route] of wanted) {
        let s = served.get(key);
        if (!s) {
          const entry: Served = { route, turn: 0, proxy: new EndpointProxy(route.listen, () => pick(entry)) };
          try {
            await entry.proxy.start();
            served.set(key, entry);
            s = entry;
          } catch {
            complete = false; // the address is still held (a router on its way out): next round
            continue;
          }
        }
        s.route = route;
        const targets = new Set(route.targets.map(routeKey));
        s.proxy.dropConnectionsNotTo((a) => targets.has(routeKey(a)));
      }
      if (!complete) return;
      applied = routing.version;
      writeFileAtomic(appliedFile(dir.root), String(applied));
      if (routing.routes.length === 0) await exit();
    } finally {
      applying = false;
    }
  };

  await apply();
  try {
    fs.watch(dir.root, (_e, name) => {
      if (name === 'routing.json') void apply();
    }).on('error', () => undefined);
  } catch {
    /* polling below still applies changes */
  }
  setInterval(() => void apply(), 200);

  // Watchdog: a control plane that died (even by SIGKILL) is started again without waiting for a CLI command.
  let starting = false;
  setInterval(() => {
    if (exiting || starting) return;
    if (!fs.existsSync(dir.stateFile)) {
      void exit();
      return;
    }
    if (served.size === 0 || controlPlaneAlive(dir)) return;
    starting = true;
    new ControlClient(dir).ensure().catch((e: Error) => process.stderr.write(`${new Date().toISOString()} restarting the control plane: ${e.message}\n`))
      .finally(() => (starting = false));
  }, 250);
  process.on('SIGTERM', () => void exit());
  process.on('SIGINT', () => void exit());
}

function pick(s: Served) {
  const t = s.route.targets;
  if (t.length === 0) return undefined;
  return s.route.mode === 'single' ? t[0] : t[s.turn++ % t.length];
}

function controlPlaneAlive(dir: StateDir): boolean {
  try {
    const pid = Number(fs.readFileSync(dir.daemonPidFile, 'utf8'));
    return Number.isInteger(pid) && pid > 0 && alive(pid);
  } catch {
    return false;
  }
}
