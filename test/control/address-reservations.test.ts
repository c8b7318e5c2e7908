import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { allocateAddress, endpointAddresses } from '../../engine/control/hosts/local';
import { reserve } from '../../engine/control/hosts/reservations';

/*
 * Two state dirs never get the same loopback address:port, even while nothing listens on it (a
 * primary endpoint between two primaries, a node restarting in place): allocation reserves it
 * machine-wide, and only a reservation whose state dir no longer holds it is taken over.
 */
let root: string;
const port = 6000 + Math.floor(Math.random() * 3000);

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'reservations-'));
  process.env.CDK_ELASTICACHE_RESERVATIONS = path.join(root, 'reservations');
});

afterAll(() => {
  delete process.env.CDK_ELASTICACHE_RESERVATIONS;
  fs.rmSync(root, { recursive: true, force: true });
});

function stateDir(name: string, state?: object): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  if (state) fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state));
  return dir;
}

function age(address: string): void {
  const file = path.join(process.env.CDK_ELASTICACHE_RESERVATIONS!, `${address}_${port}`);
  const old = new Date(Date.now() - 3600_000);
  fs.utimesSync(file, old, old);
}

const holding = (address: string) => ({
  replicationGroups: { g: { nodeGroups: [{ primaryEndpoint: { address, port }, members: [] }] } },
});

test('an address another state dir reserved is skipped although nothing listens on it; the owner keeps it', async () => {
  const a = stateDir('a', holding('127.0.0.2'));
  const b = stateDir('b', { replicationGroups: {} });
  expect(await allocateAddress(endpointAddresses(), port, new Set(), a)).toBe('127.0.0.2');
  age('127.0.0.2');
  expect(await allocateAddress(endpointAddresses(), port, new Set(), b)).toBe('127.0.0.3');
  expect(reserve('127.0.0.2', port, a)).toBe(true);
});

test('a reservation is taken over once its state dir is gone or no longer lists the address, never while fresh', () => {
  const c = stateDir('c', holding('127.0.0.9'));
  const d = stateDir('d', { replicationGroups: {} });
  expect(reserve('127.0.0.8', port, c)).toBe(true);
  expect(reserve('127.0.0.8', port, d)).toBe(false); // fresh: c may not have saved its state yet
  age('127.0.0.8');
  expect(reserve('127.0.0.8', port, d)).toBe(true); // c's state does not list it
  expect(reserve('127.0.0.9', port, c)).toBe(true);
  age('127.0.0.9');
  expect(reserve('127.0.0.9', port, d)).toBe(false); // c's state lists it
  fs.rmSync(c, { recursive: true });
  expect(reserve('127.0.0.9', port, d)).toBe(true); // c is gone
});
