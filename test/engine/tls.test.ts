import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import Redis from 'ioredis';
import { CLI, freePort, RunningNode, startNode } from './nodes';

/** A CA, a server certificate (CN/SAN 127.0.0.1) and a client certificate, made with the openssl CLI. */
function makeCerts(dir: string): Record<'ca' | 'caKey' | 'cert' | 'key' | 'clientCert' | 'clientKey' | 'otherCert' | 'otherKey', string> {
  const f = (n: string) => path.join(dir, n);
  const run = (...args: string[]) => {
    const r = spawnSync('/usr/bin/openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=test-ca');
  fs.writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const [name, cn] of [['server', '127.0.0.1'], ['client', 'client']]) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${cn}`);
    run('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${name}.crt`), '-days', '2',
      ...(name === 'server' ? ['-extfile', f('san.ext')] : []));
  }
  // A self-signed client certificate that the CA did not sign.
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('other.key'), '-out', f('other.crt'), '-days', '2', '-subj', '/CN=other');
  return {
    ca: f('ca.crt'),
    caKey: f('ca.key'),
    cert: f('server.crt'),
    key: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
    otherCert: f('other.crt'),
    otherKey: f('other.key'),
  };
}

/** Tries a TLS handshake plus PING; resolves with the reply or the error text. */
function tlsPing(port: number, opts: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, ...opts }, () => s.write('PING\r\n'));
    let out = '';
    s.on('data', (d) => {
      out += d.toString();
      if (out.endsWith('\r\n')) {
        s.destroy();
        resolve(out.trim());
      }
    });
    s.on('error', (e) => resolve(`error: ${e.message}`));
    s.on('close', () => resolve(out ? out.trim() : 'closed'));
  });
}

describe('TLS', () => {
  let dir: string;
  let certs: ReturnType<typeof makeCerts>;
  const nodes: RunningNode[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-'));
    certs = makeCerts(dir);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(auth: string, plainOff = true): Promise<{ node: RunningNode; tlsPort: number }> {
    const tlsPort = await freePort();
    const node = await startNode([
      '--tls-port', String(tlsPort), '--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca,
      '--tls-auth-clients', auth, ...(plainOff ? ['--port', '0'] : []),
    ]);
    nodes.push(node);
    return { node, tlsPort };
  }

  test('tls-port with port 0: only TLS listens; ioredis with a client certificate works', async () => {
    const { node, tlsPort } = await start('yes');
    expect(node.output()).toMatch(new RegExp(`tls-port ${tlsPort}`));
    expect(node.output()).not.toMatch(/Listening on 127.0.0.1 port \d+\n/);
    const r = new Redis({
      host: '127.0.0.1',
      port: tlsPort,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      tls: { ca: fs.readFileSync(certs.ca), cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey), servername: 'localhost' },
    });
    await r.connect();
    try {
      expect(await r.set('t', 'v')).toBe('OK');
      expect(await r.get('t')).toBe('v');
    } finally {
      r.disconnect();
    }
  });

  test('tls-auth-clients yes: no certificate or an unknown one is refused', async () => {
    const { tlsPort } = await start('yes');
    const ca = fs.readFileSync(certs.ca);
    expect(await tlsPing(tlsPort, { ca, servername: 'localhost' })).not.toBe('+PONG');
    expect(await tlsPing(tlsPort, { ca, servername: 'localhost', cert: fs.readFileSync(certs.otherCert), key: fs.readFileSync(certs.otherKey) })).not.toBe('+PONG');
    expect(await tlsPing(tlsPort, { ca, servername: 'localhost', cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey) })).toBe('+PONG');
  });

  test('tls-auth-clients optional: no certificate is fine, a bad one is refused', async () => {
    const { tlsPort } = await start('optional');
    const ca = fs.readFileSync(certs.ca);
    expect(await tlsPing(tlsPort, { ca, servername: 'localhost' })).toBe('+PONG');
    expect(await tlsPing(tlsPort, { ca, servername: 'localhost', cert: fs.readFileSync(certs.otherCert), key: fs.readFileSync(certs.otherKey) })).not.toBe('+PONG');
    expect(await tlsPing(tlsPort, { ca, servername: 'localhost', cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey) })).toBe('+PONG');
  });

  test('tls-auth-clients no, plain port on too: redis-cli --tls --cacert works', async () => {
    const { node, tlsPort } = await start('no', false);
    const cli = spawnSync('redis-cli', ['--tls', '--cacert', certs.ca, '-h', '127.0.0.1', '-p', String(tlsPort), 'PING'], { encoding: 'utf8' });
    expect(cli.stdout.trim()).toBe('PONG');
    const withCert = spawnSync('redis-cli', ['--tls', '--cacert', certs.ca, '--cert', certs.clientCert, '--key', certs.clientKey,
      '-h', '127.0.0.1', '-p', String(tlsPort), 'SET', 'k', 'v'], { encoding: 'utf8' });
    expect(withCert.stdout.trim()).toBe('OK');
    const plain = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(node.port), 'GET', 'k'], { encoding: 'utf8' });
    expect(plain.stdout.trim()).toBe('v');
    // Plain text on the TLS port is not a command.
    expect(await new Promise<string>((resolve) => {
      const s = net.connect(tlsPort, '127.0.0.1', () => s.write('PING\r\n'));
      let out = '';
      s.on('data', (d: Buffer) => (out += d.toString('latin1')));
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
    })).not.toContain('+PONG');
  });

  test('missing or bad certificate files stop start-up with a clear error', async () => {
    const port = await freePort();
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'server', '--port', '0', '--tls-port', String(port), ...args], { encoding: 'utf8', timeout: 20000 });
    let r = run('--tls-cert-file', path.join(dir, 'nope.crt'), '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Failed to configure TLS: failed to load certificate \(tls-cert-file\) '.*nope.crt'/);
    fs.writeFileSync(path.join(dir, 'garbage.crt'), 'not a certificate\n');
    r = run('--tls-cert-file', path.join(dir, 'garbage.crt'), '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Failed to configure TLS: .*garbage.crt/);
    r = run('--tls-key-file', certs.key);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/tls-cert-file and tls-key-file must be set/);
    r = run('--tls-cert-file', certs.cert, '--tls-key-file', certs.key);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/tls-ca-cert-file or tls-ca-cert-dir must be specified/);
  });
});
