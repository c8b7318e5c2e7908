/**
 * Global Datastores in a deploy. A state dir holds one stack per region (a two-region CDK app's
 * stacks deploy one after the other into it): a deploy plans against its own region's resources
 * only. A Global Datastore is recorded when its GlobalReplicationGroup resource deploys (with the
 * primary's stack); a replication group with GlobalReplicationGroupId joins it as a secondary,
 * taking the primary's engine, node type and encryption, and replicating from it (upstream.ts).
 */
import { followClusterUpstream, inheritShards } from './cluster-upstream';
import { globalEvents } from './events';
import { stopFollowing } from './ops';
import { syncMemberInfo } from './upstream';
import { ApiError } from '../api/errors';
import type { ControlPlane } from '../daemon/control-plane';
import type { DeployedGlobalReplicationGroup, DeployedState } from '../plan/types';
import type { DeploymentSpec, GlobalDatastoreDesired, ReplicationGroupDesired } from '../spec/model';
import { control, Group, Mutable, State } from '../state/types';

/** The kinds of resources a deploy owns, as `State` keys. */
const KINDS = ['replicationGroups', 'parameterGroups', 'subnetGroups', 'users', 'userGroups'] as const;
type Kind = typeof KINDS[number];

/** Locally a Global Datastore's id is `local-<suffix>` (AWS prefixes a region code). */
export function globalIdOf(gd: GlobalDatastoreDesired): string {
  return `local-${gd.globalReplicationGroupIdSuffix ?? gd.origin.logicalId.toLowerCase()}`;
}

function specIds(spec: DeploymentSpec, kind: Kind): string[] {
  switch (kind) {
    case 'replicationGroups': return spec.replicationGroups.map((g) => g.replicationGroupId);
    case 'parameterGroups': return spec.parameterGroups.map((g) => g.name);
    case 'subnetGroups': return spec.subnetGroups.map((g) => g.name);
    case 'users': return spec.users.map((u) => u.userId);
    case 'userGroups': return spec.userGroups.map((g) => g.userGroupId);
  }
}

interface Emitter {
  state: State;
  emit(e: ReturnType<typeof globalEvents[keyof typeof globalEvents]>): void;
  save(): void;
}

/**
 * Before planning: tags what earlier deploys created with their region, refuses names another
 * region's stack owns, joins secondaries to their Global Datastore (and gives them the primary's
 * settings), and returns the spec to plan with and the state of this region to plan against.
 */
export function prepareDeploy(cp: Emitter, spec: DeploymentSpec): { spec: DeploymentSpec; view: DeployedState } {
  const s = cp.state;
  const regions = (control(s).deployRegions ??= {});
  // States written before regions were tracked hold one region's deploy: the last one.
  for (const kind of KINDS) for (const id of Object.keys(s[kind])) regions[`${kind}/${id}`] ??= s.region;
  // The region already running keeps the first loopback range (127.0.x.x).
  const slots = (control(s).regionSlots ??= {});
  if (Object.keys(s.replicationGroups).length > 0) slots[s.region] ??= Object.keys(slots).length;
  for (const kind of KINDS) {
    for (const id of specIds(spec, kind)) {
      const owner = regions[`${kind}/${id}`];
      if (owner !== undefined && owner !== spec.region) {
        throw new ApiError('InvalidParameterCombination', `${id} is already deployed in this state dir by the ${owner} stack; locally, names are unique across regions`);
      }
    }
  }

  const globals = (s.globalReplicationGroups ??= {});
  // Global Datastores this deploy declares (the primary's stack), recorded below before their secondaries join.
  const fresh = new Map<string, Mutable<DeployedGlobalReplicationGroup>>();
  for (const gd of spec.globalDatastores) {
    const id = globalIdOf(gd);
    if (globals[id] || fresh.has(id)) continue;
    const primary = gd.members.find((m) => m.role === 'PRIMARY');
    fresh.set(id, {
      globalReplicationGroupId: id,
      description: gd.description,
      status: 'creating',
      arn: `arn:aws:elasticache::${spec.accountId}:globalreplicationgroup:${id}`,
      members: primary ? [{ replicationGroupId: primary.replicationGroupId, region: primary.region ?? spec.region, role: 'PRIMARY', status: 'associating' }] : [],
      declaredIn: spec.region,
    });
  }

  // Every joining secondary is checked before anything changes: a refusal leaves the state as it was.
  const groups: ReplicationGroupDesired[] = [];
  const joins: Array<{ rg: ReplicationGroupDesired; g: Mutable<DeployedGlobalReplicationGroup> }> = [];
  for (const rg of spec.replicationGroups) {
    if (rg.globalReplicationGroupId === undefined || s.replicationGroups[rg.replicationGroupId]) {
      // Existing groups keep the settings they were created with (a secondary's were inherited).
      const was = s.replicationGroups[rg.replicationGroupId]?.spec;
      groups.push(was?.globalReplicationGroupId !== undefined ? inherit(rg, was) : rg);
      continue;
    }
    const g = globals[rg.globalReplicationGroupId] ?? fresh.get(rg.globalReplicationGroupId);
    if (!g) {
      throw new ApiError('GlobalReplicationGroupNotFoundFault',
        `Global replication group ${rg.globalReplicationGroupId} not found: deploy the stack of its primary region into this state dir first`);
    }
    const primaryId = g.members.find((m) => m.role === 'PRIMARY')?.replicationGroupId;
    const primary = (primaryId !== undefined ? s.replicationGroups[primaryId]?.spec : undefined)
      ?? spec.replicationGroups.find((x) => x.replicationGroupId === primaryId);
    if (!primary) throw new ApiError('InvalidGlobalReplicationGroupState', `Global replication group ${g.globalReplicationGroupId} has no primary replication group`);
    if (primary.clusterMode === 'enabled' && control(s).engineBinary !== undefined) {
      throw new ApiError('InvalidParameterCombination',
        `Global replication group ${g.globalReplicationGroupId}: a secondary of a cluster-mode-enabled primary needs the bundled engine (Valkey has no REPLICAOF in cluster mode)`);
    }
    if (!g.members.some((m) => m.replicationGroupId === rg.replicationGroupId)) {
      if (g.members.length + joins.filter((j) => j.g === g).length >= 3) {
        throw new ApiError('InvalidGlobalReplicationGroupState', `Global replication group ${g.globalReplicationGroupId} already has two secondary regions`);
      }
      joins.push({ rg, g });
    }
    groups.push(inherit(rg, primary, primaryId !== undefined ? s.replicationGroups[primaryId] : undefined));
  }
  for (const [id, g] of fresh) {
    globals[id] = g;
    cp.emit(globalEvents.creating(id));
  }
  for (const { rg, g } of joins) {
    // A member before its nodes start: its primary starts as a replica of the primary region.
    g.members.push({ replicationGroupId: rg.replicationGroupId, region: memberRegion(spec, rg), role: 'SECONDARY', status: 'associating' });
    if (g.status !== 'creating') g.status = 'modifying';
    cp.emit(globalEvents.joining(rg.replicationGroupId, g.globalReplicationGroupId));
  }
  // A secondary is created after the primary it follows (same template: Terraform's two regions).
  groups.sort((a, b) => Number(a.globalReplicationGroupId !== undefined) - Number(b.globalReplicationGroupId !== undefined));
  cp.save();

  const view: Record<string, unknown> = { ...s };
  for (const kind of KINDS) {
    view[kind] = Object.fromEntries(Object.entries(s[kind]).filter(([id]) => regions[`${kind}/${id}`] === spec.region));
  }
  return { spec: { ...spec, replicationGroups: groups }, view: view as unknown as DeployedState };
}

/**
 * A secondary takes these from its primary (the service infers them; the template does not set
 * them), and a cluster-mode primary's shards and slots (`deployed`: the primary as it runs).
 */
function inherit(rg: ReplicationGroupDesired, from: ReplicationGroupDesired, deployed?: Group): ReplicationGroupDesired {
  return {
    ...inheritShards(rg, from, deployed),
    engine: from.engine,
    engineVersion: from.engineVersion,
    nodeType: from.nodeType,
    transitEncryption: from.transitEncryption,
    transitEncryptionMode: from.transitEncryptionMode,
    atRestEncryption: from.atRestEncryption,
    authToken: rg.authToken ?? from.authToken,
  };
}

function memberRegion(spec: DeploymentSpec, rg: ReplicationGroupDesired): string {
  for (const gd of spec.globalDatastores) {
    const m = gd.members.find((x) => x.replicationGroupId === rg.replicationGroupId);
    if (m?.region) return m.region;
  }
  return spec.region;
}

/** After the plan ran: ownership tags, exports kept for the next stack, memberships settled. */
export function finishDeploy(cp: ControlPlane, spec: DeploymentSpec): Promise<void> {
  const s = cp.state;
  const c = control(s);
  const regions = (c.deployRegions ??= {});
  for (const kind of KINDS) {
    for (const key of Object.keys(regions)) {
      if (key.startsWith(`${kind}/`) && !(key.slice(kind.length + 1) in s[kind])) delete regions[key];
    }
    for (const id of specIds(spec, kind)) if (id in s[kind]) regions[`${kind}/${id}`] = spec.region;
  }
  c.crossRegionExports = { ...(c.crossRegionExports ?? {}), ...(spec.crossRegionExports ?? {}) };
  return settleGlobals(cp, spec);
}

async function settleGlobals(cp: ControlPlane, spec: DeploymentSpec): Promise<void> {
  const s = cp.state;
  const globals = (s.globalReplicationGroups ??= {});
  const declared = new Set(spec.globalDatastores.map(globalIdOf));
  for (const g of Object.values(globals)) {
    // Removed from the stack that declared it: the datastore goes, its members stay as regional groups.
    if (g.declaredIn === spec.region && !declared.has(g.globalReplicationGroupId)) {
      g.status = 'deleting';
      cp.save();
      delete globals[g.globalReplicationGroupId];
      for (const m of g.members.filter((x) => x.role === 'SECONDARY')) await stopFollowing(cp, m.replicationGroupId);
      cp.emit(globalEvents.deleted(g.globalReplicationGroupId));
      continue;
    }
    const gd = spec.globalDatastores.find((x) => globalIdOf(x) === g.globalReplicationGroupId);
    if (gd && gd.description !== undefined) g.description = gd.description;
    // Members whose group is gone (a secondary's stack removed it) leave.
    g.members = g.members.filter((m) => s.replicationGroups[m.replicationGroupId] !== undefined || (m.role === 'PRIMARY' && g.status === 'creating'));
    for (const m of g.members) {
      const group = s.replicationGroups[m.replicationGroupId];
      if (m.status === 'associating' && group?.status === 'available') {
        m.status = 'associated';
        if (m.role === 'SECONDARY') cp.emit(globalEvents.joined(m.replicationGroupId, g.globalReplicationGroupId));
        // Every node of a cluster-mode secondary, replicas too: one promoted later follows the primary region as well.
        if (m.role === 'SECONDARY' && group.spec.clusterMode === 'enabled') await followClusterUpstream(cp, group);
        // The group's ARN names the region it runs in (Terraform declares both regions in one config).
        if (group) group.arn = group.arn.replace(/^(arn:[^:]+:elasticache:)[^:]*:/, `$1${m.region}:`);
      }
    }
    const wasCreating = g.status === 'creating';
    g.status = g.members.some((m) => m.role === 'SECONDARY') ? 'available' : 'primary-only';
    if (wasCreating) cp.emit(globalEvents.created(g.globalReplicationGroupId));
  }
  syncMemberInfo(s);
  cp.save();
}
