// End to end, TLS in cluster mode: a group with TransitEncryptionEnabled (and an AUTH token) on
// the local CA; ioredis Cluster, node-redis createCluster and valkey-glide reach it through the
// configuration endpoint verifying every certificate (the CLUSTER SLOTS / MOVED addresses are in
// each node's certificate), and `redis-cli -c --tls --cacert` follows MOVED.
import { spawnSync } from 'child_process';
import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { glideCluster, ioredisCluster, mixedWorkload, nodeRedisCluster, Ops, readBack } from './cluster-clients';
import { json, ok, tearDown, tempDir } from './control-cli';

jest.setTimeout(300000);

const TOKEN = 'cluster-tls-token-0123456789';

describe('cluster mode with transit encryption', () => {
  const work = tempDir('cme-tls-');
  const stateDir = path.join(work, 'state');
  const template = path.join(work, 'template.json');
  const clients: Ops[] = [];
  let cfg = { host: '', port: 0 };
  let ca = '';
  let caFile = '';

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await tearDown(stateDir, work);
  });

  test('deploy: every node certificate names the node address and the configuration endpoint', async () => {
    fs.writeFileSync(template, JSON.stringify({
      Resources: {
        Secure: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: {
            ReplicationGroupId: 'secure',
            ReplicationGroupDescription: 'tls cluster',
            Engine: 'valkey',
            CacheNodeType: 'cache.t4g.micro',
            ClusterMode: 'enabled',
            NumNodeGroups: 2,
            ReplicasPerNodeGroup: 1,
            AutomaticFailoverEnabled: true,
            TransitEncryptionEnabled: true,
            AuthToken: TOKEN,
          },
        },
      },
    }));
    const out = await ok(['deploy', template, '--state-dir', stateDir]);
    const m = /configuration endpoint: (\S+):(\d+)/.exec(out)!;
    cfg = { host: m[1], port: Number(m[2]) };
    caFile = /trust the CA in (\S+)/.exec(out)![1];
    ca = fs.readFileSync(caFile, 'utf8');
    const cc = await json(['describe-cache-clusters', '--show-cache-node-info', '--state-dir', stateDir]);
    expect(cc.CacheClusters).toHaveLength(4);
    for (const c of cc.CacheClusters) {
      expect(c.TransitEncryptionEnabled).toBe(true);
      const dir = path.join(stateDir, 'nodes', c.CacheClusterId);
      const cert = new X509Certificate(fs.readFileSync(path.join(dir, 'node.crt')));
      expect(cert.verify(new X509Certificate(ca).publicKey)).toBe(true);
      expect(cert.checkIP(c.CacheNodes[0].Endpoint.Address)).toBe(c.CacheNodes[0].Endpoint.Address);
      expect(cert.checkIP(cfg.host)).toBe(cfg.host);
    }
  });

  test('the three cluster clients verify the certificates and run a mixed workload', async () => {
    const conn = { ...cfg, ca, password: TOKEN };
    clients.push(ioredisCluster(conn), await nodeRedisCluster(conn), await glideCluster(conn));
    const left: Record<string, string> = {};
    for (const [i, c] of clients.entries()) Object.assign(left, await mixedWorkload(c, `tls${i}`, 100));
    for (const c of clients) await readBack(c, left);
  });

  test('redis-cli -c --tls --cacert through the configuration endpoint follows MOVED', () => {
    const rc = (...args: string[]) => spawnSync('redis-cli', ['-c', '--tls', '--cacert', caFile, '-h', cfg.host, '-p', String(cfg.port), '--no-auth-warning', '-a', TOKEN, ...args], { encoding: 'utf8', timeout: 20000 });
    // Keys on both shards: at least one of them answers from the other node, through MOVED.
    for (const k of ['a', 'b', 'c', 'd']) expect(rc('SET', `cli:${k}`, k).stdout.trim()).toBe('OK');
    for (const k of ['a', 'b', 'c', 'd']) expect(rc('GET', `cli:${k}`).stdout.trim()).toBe(k);
    const check = spawnSync('redis-cli', ['--cluster', 'check', `${cfg.host}:${cfg.port}`, '--tls', '--cacert', caFile, '-a', TOKEN, '--no-auth-warning'], { encoding: 'utf8', timeout: 20000 });
    expect(check.stdout).toContain('[OK] All 16384 slots covered.');
    // Without the CA the certificate is refused.
    const untrusted = spawnSync('redis-cli', ['--tls', '-h', cfg.host, '-p', String(cfg.port), 'PING'], { encoding: 'utf8', timeout: 20000 });
    expect(`${untrusted.stdout}${untrusted.stderr}`).toMatch(/certificate|SSL|TLS/i);
  });
});
