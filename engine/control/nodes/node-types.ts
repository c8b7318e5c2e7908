/**
 * Node type → memory, as ElastiCache sets it: the node type's `maxmemory` (the service's
 * node-type-specific parameter table, current families), minus the reserved memory the parameter
 * group keeps for snapshots and replication (`reserved-memory-percent`, default 25; or an absolute
 * `reserved-memory` in bytes when a group sets one instead).
 */

/** maxmemory in bytes by node type without the `cache.` prefix. */
const MAXMEMORY: Readonly<Record<string, number>> = {
  't3.micro': 536870912,
  't3.small': 1471026299,
  't3.medium': 3317862236,
  't4g.micro': 536870912,
  't4g.small': 1471026299,
  't4g.medium': 3317862236,
  'm5.large': 6854542746,
  'm5.xlarge': 13891921715,
  'm5.2xlarge': 27966669210,
  'm5.4xlarge': 56116178125,
  'm5.12xlarge': 168715971994,
  'm5.24xlarge': 337500562842,
  'm6g.large': 6854542746,
  'm6g.xlarge': 13891921715,
  'm6g.2xlarge': 27966669210,
  'm6g.4xlarge': 56116178125,
  'm6g.8xlarge': 111325552312,
  'm6g.12xlarge': 168715971994,
  'm6g.16xlarge': 225000375228,
  'r5.large': 14037181030,
  'r5.xlarge': 28261849702,
  'r5.2xlarge': 56711183565,
  'r5.4xlarge': 113609865216,
  'r5.12xlarge': 341206346547,
  'r5.24xlarge': 682485973811,
  'r6g.large': 14037181030,
  'r6g.xlarge': 28261849702,
  'r6g.2xlarge': 56711183565,
  'r6g.4xlarge': 113609865216,
  'r6g.8xlarge': 225000375228,
  'r6g.12xlarge': 341206346547,
  'r6g.16xlarge': 450000750456,
  'r6gd.xlarge': 28261849702,
  'r6gd.2xlarge': 56711183565,
};

/**
 * Families newer than the table (r7g, m7g, r6gd/r7gd sizes without an entry) have the memory of
 * the same size in the table's latest family of their kind (r7g.large = r6g.large).
 */
const SAME_MEMORY_FAMILY: Readonly<Record<string, string>> = { r: 'r6g', m: 'm6g', t: 't4g' };

/** The node type's maxmemory before reserved memory; undefined for a type not known here. */
export function nodeTypeMaxmemory(nodeType: string): number | undefined {
  const t = nodeType.replace(/^cache\./, '');
  if (MAXMEMORY[t] !== undefined) return MAXMEMORY[t];
  const [family, size] = t.split('.');
  const same = SAME_MEMORY_FAMILY[family?.[0] ?? ''];
  return same !== undefined && size !== undefined ? MAXMEMORY[`${same}.${size}`] : undefined;
}

/** The maxmemory a node of `nodeType` runs with, given its parameter group's values. */
export function effectiveMaxmemory(nodeType: string, parameters: Readonly<Record<string, string>>): number | undefined {
  const total = nodeTypeMaxmemory(nodeType);
  if (total === undefined) return undefined;
  const bytes = Number(parameters['reserved-memory'] ?? 0);
  if (Number.isFinite(bytes) && bytes > 0) return Math.max(0, total - bytes);
  const pct = Number(parameters['reserved-memory-percent'] ?? 25);
  return Math.floor(total * (1 - (Number.isFinite(pct) ? Math.min(Math.max(pct, 0), 100) : 25) / 100));
}

/**
 * Node config lines that follow the node's type and engine version: its maxmemory, and (bundled
 * node only) the engine version INFO reports. Per node, so a rolling change shows node by node.
 */
export function nodeSizeLines(
  node: { nodeType: string; engineVersion: string }, engine: string, parameters: Readonly<Record<string, string>>, bundled: boolean,
): string[] {
  const lines: string[] = [];
  const maxmemory = effectiveMaxmemory(node.nodeType, parameters);
  if (maxmemory !== undefined) lines.push(`maxmemory ${maxmemory}`);
  if (bundled && /^\d+(\.\d+)*$/.test(node.engineVersion)) lines.push(`cdk-elasticache-engine ${engine}-${node.engineVersion}`);
  return lines;
}
