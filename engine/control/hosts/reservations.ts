/**
 * Machine-wide reservations of loopback `address:port` pairs, so two state dirs never get the
 * same one. Probing whether something listens is not enough: a node restarting in place, or a
 * primary endpoint between two primaries (the primary node itself listens on it), leaves its
 * address unbound for a moment, and another deploy probing then would take it.
 *
 * A reservation is a file `<address>_<port>` created exclusively in a shared folder, holding the
 * owning state dir. It is stale, and may be taken over, when that state dir's `state.json` is gone
 * or no longer lists the pair; a fresh one (under a minute old) is never stale, since the owner
 * saves its state only after it has allocated.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addressesInUse } from '../state/types';

const FRESH_MS = 60_000;

function folder(): string {
  const dir = process.env.CDK_ELASTICACHE_RESERVATIONS ?? path.join(os.tmpdir(), 'cdk-elasticache-addresses');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Whether the state dir `owner` still holds `pair` (or may be about to: a fresh reservation). */
function held(owner: string, pair: string, file: string): boolean {
  try {
    if (Date.now() - fs.statSync(file).mtimeMs < FRESH_MS) return true;
  } catch {
    return false; // gone meanwhile
  }
  try {
    const state = JSON.parse(fs.readFileSync(path.join(owner, 'state.json'), 'utf8'));
    return addressesInUse(state).has(pair);
  } catch (e) {
    // no state file: the state dir is gone; unreadable (mid-write is impossible: it is renamed in) counts as held
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** Reserves `address:port` for the state dir `owner`; false when another state dir holds it. */
export function reserve(address: string, port: number, owner: string): boolean {
  const pair = `${address}:${port}`;
  const file = path.join(folder(), `${address}_${port}`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, owner, { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let current: string;
    try {
      current = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    if (current === owner) {
      fs.utimesSync(file, new Date(), new Date());
      return true;
    }
    if (held(current, pair, file)) return false;
    fs.rmSync(file, { force: true });
  }
  return false;
}

/** Gives a reservation of `owner` back (an address it reserved but could not bind). */
export function release(address: string, port: number, owner: string): void {
  const file = path.join(folder(), `${address}_${port}`);
  try {
    if (fs.readFileSync(file, 'utf8') === owner) fs.rmSync(file, { force: true });
  } catch {
    // not reserved
  }
}
