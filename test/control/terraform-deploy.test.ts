// End to end for the Terraform face: the CDK Terrain example app synthesized to cdk.tf.json, its session-store
// stack deployed locally by the deploy handler (the same one that deploys CloudFormation), a client connected
// through the primary endpoint with TLS, and destroy leaving no process behind.
import * as fs from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { alive, json, knownPids, ok, tearDown, tempDir, topology } from './control-cli';
import { buildApp } from '../../examples/terraform/main';

describe('deploy the Terraform example (cdk.tf.json) locally', () => {
  const work = tempDir('tf-deploy-');
  const outdir = path.join(work, 'cdktf.out');
  const stateDir = path.join(work, 'state');
  let client: Redis | undefined;

  beforeAll(() => {
    buildApp(outdir).synth();
  });

  afterAll(async () => {
    client?.disconnect();
    await tearDown(stateDir, work);
  });

  test('deploys, serves a client through the endpoints, and destroys cleanly', async () => {
    const spec = path.join(outdir, 'stacks', 'session-store', 'cdk.tf.json');
    const out = await ok(['deploy', spec, '--state-dir', stateDir]);
    expect(out).toMatch(/sessions \(available/);

    const t = await topology(stateDir, 'sessions');
    expect(t.status).toBe('available');
    expect(t.members.map((m) => m.CurrentRole).sort()).toEqual(['primary', 'replica', 'replica']);
    // Multi-AZ: the members are spread over availability zones.
    expect(new Set(t.members.map((m) => m.PreferredAvailabilityZone)).size).toBeGreaterThan(1);

    const groups = await json(['describe-replication-groups', '--state-dir', stateDir]);
    expect(groups.ReplicationGroups[0]).toMatchObject({ ReplicationGroupId: 'sessions', TransitEncryptionEnabled: true, MultiAZ: 'enabled' });

    const ca = fs.readFileSync(path.join(stateDir, 'tls', 'ca.crt'), 'utf8');
    const tls = { ca, checkServerIdentity: () => undefined };
    client = new Redis({ host: t.primary.host, port: t.primary.port, tls, maxRetriesPerRequest: 3 });
    expect(await client.set('tf:key', 'from-terraform')).toBe('OK');
    expect(await client.get('tf:key')).toBe('from-terraform');
    const reader = new Redis({ host: t.reader.host, port: t.reader.port, tls, maxRetriesPerRequest: 3 });
    try {
      // The replicas get the write through replication.
      const deadline = Date.now() + 10000;
      let seen: string | null = null;
      for (;;) {
        seen = await reader.get('tf:key');
        if (seen === 'from-terraform' || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen).toBe('from-terraform');
    } finally {
      reader.disconnect();
    }
    client.disconnect();
    client = undefined;

    const pids = knownPids(stateDir);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    await ok(['destroy', '--state-dir', stateDir, '--no-final-snapshot']);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });
});
