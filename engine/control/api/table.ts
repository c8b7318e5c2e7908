import { ApiCacheCluster, ApiEndpoint, ApiEvent, ApiParameter, ApiReplicationGroup, ApiSnapshot, ApiUser, ApiUserGroup } from './shapes';

/** One column of a table: its header and how to get a cell from a row. */
export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '-';
  if (Array.isArray(v)) return v.length === 0 ? '-' : v.map(cell).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * A titled, boxed table in the AWS CLI's `--output table` spirit: a title bar, a header row and
 * one row per item; cells wider than `maxCell` are cut with an ellipsis.
 */
export function renderTable<T>(title: string, columns: ReadonlyArray<Column<T>>, rows: readonly T[], maxCell = 60): string {
  const cut = (s: string) => (s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s);
  const cells = rows.map((r) => columns.map((c) => cut(cell(c.value(r)))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const inner = widths.reduce((a, w) => a + w + 3, 0) - 1;
  const line = (ch: string, joint: string) => `${joint}${widths.map((w) => ch.repeat(w + 2)).join(joint)}${joint}`;
  const row = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const titleWidth = Math.max(inner, title.length + 2);
  const pad = titleWidth - title.length;
  const out = [
    `-${'-'.repeat(titleWidth)}-`,
    `|${' '.repeat(Math.floor(pad / 2))}${title}${' '.repeat(Math.ceil(pad / 2))}|`,
    line('-', '+'),
    row(columns.map((c) => c.header)),
    line('-', '+'),
    ...(cells.length > 0 ? cells.map(row) : [`| ${'(none)'.padEnd(inner - 2)} |`]),
    line('-', '+'),
  ];
  return out.join('\n');
}

const ep = (e: ApiEndpoint | undefined) => (e ? `${e.Address}:${e.Port}` : undefined);

export function replicationGroupsTable(r: { ReplicationGroups: ApiReplicationGroup[] }): string {
  const summary = renderTable('ReplicationGroups', [
    { header: 'ReplicationGroupId', value: (g: ApiReplicationGroup) => g.ReplicationGroupId },
    { header: 'Status', value: (g) => g.Status },
    { header: 'Engine', value: (g) => g.Engine },
    { header: 'CacheNodeType', value: (g) => g.CacheNodeType },
    { header: 'ClusterMode', value: (g) => g.ClusterMode },
    { header: 'Nodes', value: (g) => g.MemberClusters.length },
    { header: 'AutomaticFailover', value: (g) => g.AutomaticFailover },
    { header: 'MultiAZ', value: (g) => g.MultiAZ },
    { header: 'TLS', value: (g) => (g.TransitEncryptionEnabled ? 'yes' : 'no') },
  ], r.ReplicationGroups);
  const endpoints = r.ReplicationGroups.flatMap((g) => [
    ...(g.ConfigurationEndpoint ? [{ group: g.ReplicationGroupId, kind: 'configuration', shard: '-', endpoint: ep(g.ConfigurationEndpoint) }] : []),
    ...g.NodeGroups.flatMap((ng) => [
      ...(ng.PrimaryEndpoint ? [{ group: g.ReplicationGroupId, kind: 'primary', shard: ng.NodeGroupId, endpoint: ep(ng.PrimaryEndpoint) }] : []),
      ...(ng.ReaderEndpoint ? [{ group: g.ReplicationGroupId, kind: 'reader', shard: ng.NodeGroupId, endpoint: ep(ng.ReaderEndpoint) }] : []),
      ...ng.NodeGroupMembers.map((m) => ({
        group: g.ReplicationGroupId,
        kind: `${m.CacheClusterId}${m.CurrentRole ? ` (${m.CurrentRole})` : ''} ${m.PreferredAvailabilityZone}`,
        shard: ng.NodeGroupId,
        endpoint: ep(m.ReadEndpoint),
      })),
    ]),
  ]);
  const endpointTable = renderTable('Endpoints', [
    { header: 'ReplicationGroupId', value: (e: (typeof endpoints)[number]) => e.group },
    { header: 'NodeGroup', value: (e) => e.shard },
    { header: 'Endpoint', value: (e) => e.kind },
    { header: 'Address', value: (e) => e.endpoint },
  ], endpoints, 80);
  return `${summary}\n${endpointTable}`;
}

export function cacheClustersTable(r: { CacheClusters: ApiCacheCluster[] }): string {
  return renderTable('CacheClusters', [
    { header: 'CacheClusterId', value: (c: ApiCacheCluster) => c.CacheClusterId },
    { header: 'Status', value: (c) => c.CacheClusterStatus },
    { header: 'ReplicationGroupId', value: (c) => c.ReplicationGroupId },
    { header: 'AZ', value: (c) => c.PreferredAvailabilityZone },
    { header: 'NodeType', value: (c) => c.CacheNodeType },
    { header: 'EngineVersion', value: (c) => c.EngineVersion },
    { header: 'Parameters', value: (c) => `${c.CacheParameterGroup.CacheParameterGroupName} (${c.CacheParameterGroup.ParameterApplyStatus})` },
    { header: 'Endpoint', value: (c) => ep(c.CacheNodes?.[0]?.Endpoint) },
  ], r.CacheClusters);
}

export function snapshotsTable(r: { Snapshots: ApiSnapshot[] }): string {
  return renderTable('Snapshots', [
    { header: 'SnapshotName', value: (s: ApiSnapshot) => s.SnapshotName },
    { header: 'Status', value: (s) => s.SnapshotStatus },
    { header: 'Source', value: (s) => s.SnapshotSource },
    { header: 'ReplicationGroupId', value: (s) => s.ReplicationGroupId },
    { header: 'Shards', value: (s) => s.NumNodeGroups },
    { header: 'Size', value: (s) => s.NodeSnapshots.map((n) => n.CacheSize) },
    { header: 'Created', value: (s) => s.NodeSnapshots[0]?.SnapshotCreateTime },
  ], r.Snapshots);
}

export function eventsTable(r: { Events: ApiEvent[] }): string {
  return renderTable('Events', [
    { header: 'Date', value: (e: ApiEvent) => e.Date },
    { header: 'SourceType', value: (e) => e.SourceType },
    { header: 'SourceIdentifier', value: (e) => e.SourceIdentifier },
    { header: 'Message', value: (e) => e.Message },
  ], r.Events, 100);
}

export function parametersTable(r: { Parameters: ApiParameter[] }): string {
  return renderTable('Parameters', [
    { header: 'ParameterName', value: (p: ApiParameter) => p.ParameterName },
    { header: 'ParameterValue', value: (p) => p.ParameterValue },
    { header: 'Source', value: (p) => p.Source },
    { header: 'ChangeType', value: (p) => p.ChangeType },
    { header: 'Modifiable', value: (p) => (p.IsModifiable ? 'yes' : 'no') },
    { header: 'AllowedValues', value: (p) => p.AllowedValues },
  ], r.Parameters, 40);
}

export function usersTable(r: { Users: ApiUser[] }): string {
  return renderTable('Users', [
    { header: 'UserId', value: (u: ApiUser) => u.UserId },
    { header: 'UserName', value: (u) => u.UserName },
    { header: 'Status', value: (u) => u.Status },
    { header: 'Engine', value: (u) => u.Engine },
    { header: 'Authentication', value: (u) => `${u.Authentication.Type}${u.Authentication.PasswordCount ? ` (${u.Authentication.PasswordCount})` : ''}` },
    { header: 'AccessString', value: (u) => u.AccessString },
    { header: 'UserGroupIds', value: (u) => u.UserGroupIds },
  ], r.Users);
}

export function userGroupsTable(r: { UserGroups: ApiUserGroup[] }): string {
  return renderTable('UserGroups', [
    { header: 'UserGroupId', value: (g: ApiUserGroup) => g.UserGroupId },
    { header: 'Status', value: (g) => g.Status },
    { header: 'Engine', value: (g) => g.Engine },
    { header: 'UserIds', value: (g) => g.UserIds },
    { header: 'ReplicationGroups', value: (g) => g.ReplicationGroups },
  ], r.UserGroups);
}
