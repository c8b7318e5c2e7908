// Synthesizes the TypeScript example apps (CDK and CDK Terrain) against the compiled library (lib/), as an installed
// package would be used, and prints what each stack declares.
import * as fs from 'fs';
import * as path from 'path';
import { aliasPackageToLib } from './package-alias';

aliasPackageToLib();
// The Terraform example (CDK Terrain) is synthesized after the CDK one, below.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const terraform = require('../examples/terraform/main');
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

// The Terraform example (CDK Terrain): cdktf.out/stacks/<name>/cdk.tf.json, as `cdktn synth` writes it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tfOutdir = path.join(__dirname, '..', 'examples', 'terraform', 'cdktf.out');
fs.rmSync(tfOutdir, { recursive: true, force: true });
terraform.buildApp(tfOutdir).synth();
for (const name of fs.readdirSync(path.join(tfOutdir, 'stacks')).sort()) {
  const json = JSON.parse(fs.readFileSync(path.join(tfOutdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  const caches = Object.entries<Record<string, any>>(json.resource ?? {}).filter(([type]) => type.startsWith('aws_elasticache_'));
  const summary = caches.map(([type, byId]) => `${Object.keys(byId).length} ${type}`).join(', ');
  console.log(`${name} (cdk.tf.json): ${summary || 'no ElastiCache resources'}`);
  for (const rg of Object.values<any>(json.resource?.aws_elasticache_replication_group ?? {})) {
    if (rg.global_replication_group_id) {
      console.log(`  replication group ${rg.replication_group_id}: Global Datastore secondary in ${rg.region ?? 'the provider region'}`);
      continue;
    }
    const shards = rg.num_node_groups ?? 1;
    const nodes = rg.num_cache_clusters ?? shards * (1 + (rg.replicas_per_node_group ?? 0));
    console.log(`  replication group ${rg.replication_group_id}: ${rg.engine} ${rg.engine_version} ${rg.node_type}, ${shards} shard(s), ${nodes} node(s), Multi-AZ ${rg.multi_az_enabled}`);
  }
}
console.log(`Terraform JSON written to ${path.relative(process.cwd(), tfOutdir)}/stacks/<stack>/cdk.tf.json`);
