import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { freePort, RunningNode, startNode, startRedis, waitFor } from './nodes';
import { canonicalDump, connect, info, waitInSync } from './replication-helpers';

/** A CA and one certificate it signed (used by every node as server and client certificate). */
function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  const f = (n: string) => path.join(dir, n);
  const run = (...args: string[]) => {
    const r = spawnSync('/usr/bin/openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=repl-ca');
  fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('node.key'), '-out', f('node.csr'), '-subj', '/CN=127.0.0.1');
  run('x509', '-req', '-in', f('node.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('node.crt'), '-days', '2', '-extfile', f('san.ext'));
  return { ca: f('ca.crt'), cert: f('node.crt'), key: f('node.key') };
}

/** Replication over TLS (tls-replication yes) between our nodes and with a real redis-server. */
describe('replication over TLS', () => {
  let dir: string;
  let certs: ReturnType<typeof makeCerts>;
  const procs: RunningNode[] = [];
  const conns: Redis[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repl-tls-'));
    certs = makeCerts(dir);
  });
  afterEach(async () => {
    conns.splice(0).forEach((c) => c.disconnect());
    await Promise.all(procs.splice(0).map((p) => p.stop()));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const tlsArgs = () => ['--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca, '--tls-replication', 'yes'];
  async function tlsNode(kind: 'ours' | 'redis', extra: string[] = []): Promise<{ c: Redis; tlsPort: number } | undefined> {
    const tlsPort = await freePort();
    const args = ['--tls-port', String(tlsPort), ...tlsArgs(), ...extra];
    const n = kind === 'ours' ? await startNode(args) : await startRedis(['--dir', dir, '--repl-diskless-sync-delay', '0', ...args]);
    if (!n) return undefined;
    procs.push(n);
    const c = connect(n.port);
    c.on('error', () => undefined);
    conns.push(c);
    return { c, tlsPort };
  }

  const pairs: Array<['ours' | 'redis', 'ours' | 'redis']> = [['ours', 'ours'], ['ours', 'redis'], ['redis', 'ours']];
  for (const [pk, rk] of pairs) {
    test(`${pk} primary → ${rk} replica over TLS`, async () => {
      const p = await tlsNode(pk);
      const r = await tlsNode(rk);
      if (!p || !r) return; // no redis-server installed
      await p.c.set('before', 'sync');
      await p.c.hset('h', 'a', '1', 'b', '2');
      await r.c.call('REPLICAOF', '127.0.0.1', String(p.tlsPort));
      await waitFor(async () => (await info(r.c, 'master_link_status', 'replication')) === 'up', 'TLS link up', 20000);
      await p.c.set('after', 'stream', 'EX', '100');
      await waitInSync(p.c, r.c);
      expect(await canonicalDump(r.c, {}, [0])).toEqual(await canonicalDump(p.c, {}, [0]));
      expect(await r.c.get('after')).toBe('stream');
    }, 40000);
  }
});
