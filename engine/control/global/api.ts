/**
 * DescribeGlobalReplicationGroups: the Global Datastores of the state in the API's shape
 * (GlobalReplicationGroup), `Members` only with ShowMemberInfo as the service does, and a table.
 */
import { ApiError } from '../api/errors';
import { renderTable } from '../api/table';
import type { DeployedGlobalReplicationGroup, DeployedState } from '../plan/types';

export interface ApiGlobalMember {
  ReplicationGroupId: string;
  ReplicationGroupRegion: string;
  Role: 'PRIMARY' | 'SECONDARY';
  AutomaticFailover: 'enabled' | 'disabled';
  Status: string;
}

export interface ApiGlobalReplicationGroup {
  GlobalReplicationGroupId: string;
  GlobalReplicationGroupDescription?: string;
  Status: string;
  CacheNodeType?: string;
  Engine?: string;
  EngineVersion?: string;
  Members?: ApiGlobalMember[];
  ClusterEnabled: boolean;
  GlobalNodeGroups?: Array<{ GlobalNodeGroupId: string; Slots?: string }>;
  AuthTokenEnabled: boolean;
  TransitEncryptionEnabled: boolean;
  AtRestEncryptionEnabled: boolean;
  ARN: string;
}

export function apiGlobalReplicationGroup(
  state: DeployedState, g: DeployedGlobalReplicationGroup, showMemberInfo: boolean,
): ApiGlobalReplicationGroup {
  const primaryId = g.members.find((m) => m.role === 'PRIMARY')?.replicationGroupId;
  const primary = primaryId !== undefined ? state.replicationGroups[primaryId] : undefined;
  const s = primary?.spec;
  const cme = s?.clusterMode === 'enabled';
  return {
    GlobalReplicationGroupId: g.globalReplicationGroupId,
    ...(g.description !== undefined ? { GlobalReplicationGroupDescription: g.description } : {}),
    Status: g.status,
    ...(s ? { CacheNodeType: s.nodeType, Engine: s.engine, EngineVersion: s.engineVersion } : {}),
    ...(showMemberInfo ? {
      Members: g.members.map((m) => ({
        ReplicationGroupId: m.replicationGroupId,
        ReplicationGroupRegion: m.region,
        Role: m.role,
        AutomaticFailover: state.replicationGroups[m.replicationGroupId]?.spec.automaticFailover ? 'enabled' : 'disabled',
        Status: m.status,
      })),
    } : {}),
    ClusterEnabled: cme,
    ...(cme && primary ? {
      GlobalNodeGroups: primary.nodeGroups.map((ng) => ({ GlobalNodeGroupId: `${g.globalReplicationGroupId}-${ng.nodeGroupId}`, ...(ng.slots ? { Slots: ng.slots } : {}) })),
    } : {}),
    AuthTokenEnabled: s?.authToken !== undefined,
    TransitEncryptionEnabled: s?.transitEncryption ?? false,
    AtRestEncryptionEnabled: s?.atRestEncryption ?? false,
    ARN: g.arn,
  };
}

export function describeGlobalReplicationGroups(
  state: DeployedState,
  o: { globalReplicationGroupId?: string; showMemberInfo?: boolean } = {},
): { GlobalReplicationGroups: ApiGlobalReplicationGroup[] } {
  const all = Object.values(state.globalReplicationGroups ?? {});
  const chosen = o.globalReplicationGroupId !== undefined ? all.filter((g) => g.globalReplicationGroupId === o.globalReplicationGroupId) : all;
  if (o.globalReplicationGroupId !== undefined && chosen.length === 0) {
    throw new ApiError('GlobalReplicationGroupNotFoundFault', `Global replication group ${o.globalReplicationGroupId} not found.`);
  }
  return { GlobalReplicationGroups: chosen.map((g) => apiGlobalReplicationGroup(state, g, o.showMemberInfo === true)) };
}

export function globalReplicationGroupsTable(r: { GlobalReplicationGroups: ApiGlobalReplicationGroup[] }): string {
  const summary = renderTable('GlobalReplicationGroups', [
    { header: 'GlobalReplicationGroupId', value: (g: ApiGlobalReplicationGroup) => g.GlobalReplicationGroupId },
    { header: 'Status', value: (g) => g.Status },
    { header: 'Engine', value: (g) => g.Engine },
    { header: 'EngineVersion', value: (g) => g.EngineVersion },
    { header: 'CacheNodeType', value: (g) => g.CacheNodeType },
    { header: 'ClusterEnabled', value: (g) => g.ClusterEnabled },
  ], r.GlobalReplicationGroups);
  const members = r.GlobalReplicationGroups.flatMap((g) => (g.Members ?? []).map((m) => ({ g: g.GlobalReplicationGroupId, ...m })));
  if (members.length === 0) return summary;
  return summary + '\n' + renderTable('Members', [
    { header: 'GlobalReplicationGroupId', value: (m: (typeof members)[number]) => m.g },
    { header: 'ReplicationGroupId', value: (m) => m.ReplicationGroupId },
    { header: 'Region', value: (m) => m.ReplicationGroupRegion },
    { header: 'Role', value: (m) => m.Role },
    { header: 'Status', value: (m) => m.Status },
  ], members);
}
