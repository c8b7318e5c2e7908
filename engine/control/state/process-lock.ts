/**
 * One process of a kind per state dir (the control plane, the endpoint router): a proper-lockfile
 * lock in the state dir. A lock left by a process that was killed (SIGKILL leaves it behind) is
 * taken over at once when its pid is gone, instead of waiting for it to go stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as lockfile from 'proper-lockfile';
import { StateDir } from './store';
import { alive } from '../hosts/local';

export async function takeProcessLock(dir: StateDir, lockName: string, pidFile: string, onCompromised: () => void): Promise<() => Promise<void>> {
  const lockfilePath = path.join(dir.root, lockName);
  const take = () => lockfile.lock(dir.root, { lockfilePath, stale: 10000, update: 1000, onCompromised });
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await take();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED' || Date.now() > deadline) throw e;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(pidFile, 'utf8'));
      } catch {
        /* no pid file yet */
      }
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) throw e;
      // A live holder refreshes the lock every second; one untouched for 2.5 s is a dead one's.
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lockfilePath).mtimeMs;
      } catch {
        /* gone meanwhile */
      }
      if (age > 2500) fs.rmSync(lockfilePath, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}
