// Synthesizes the TypeScript example app against the compiled library (lib/), as an installed
// package would be used, and prints what each stack declares.
import * as fs from 'fs';
import * as path from 'path';
import { aliasPackageToLib } from './package-alias';

aliasPackageToLib();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildApp } = require('../examples/typescript/app');

const outdir = path.join(__dirname, '..', 'examples', 'typescript', 'cdk.out');
fs.rmSync(outdir, { recursive: true, force: true });
const assembly = buildApp(outdir).synth();
for (const stack of assembly.stacks) {
  const resources = Object.values<any>(stack.template.Resources ?? {});
  const caches = resources.filter((r) => String(r.Type).startsWith('AWS::ElastiCache::'));
  const byType = new Map<string, number>();
  for (const r of caches) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
  const summary = [...byType].map(([t, n]) => `${n} ${t.replace('AWS::ElastiCache::', '')}`).join(', ');
  console.log(`${stack.stackName} (${stack.environment.region}): ${resources.length} resources; ElastiCache: ${summary || 'none'}`);
  for (const r of caches.filter((c) => c.Type === 'AWS::ElastiCache::ReplicationGroup')) {
    const p = r.Properties;
    const id = p.ReplicationGroupId ?? '(generated id)';
    if (p.GlobalReplicationGroupId) {
      const replicas = p.ReplicasPerNodeGroup ?? (p.NumCacheClusters ?? 1) - 1;
      console.log(`  replication group ${id}: Global Datastore secondary (engine, node type and shards from the primary), ${replicas} replica(s) per shard`);
      continue;
    }
    const shards = p.NumNodeGroups ?? 1;
    const nodes = p.NumCacheClusters ?? shards * (1 + (p.ReplicasPerNodeGroup ?? 0));
    console.log(`  replication group ${id}: ${p.Engine} ${p.EngineVersion} ${p.CacheNodeType}, ${shards} shard(s), ${nodes} node(s), Multi-AZ ${p.MultiAZEnabled}`);
  }
}
console.log(`templates written to ${path.relative(process.cwd(), outdir)}`);
