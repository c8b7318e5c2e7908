import { parameterChanges } from './parameter-changes';
import { diffReplicationGroup, masked, sameValue } from './replication-group-diff';
import { DeployedReplicationGroup, DeployedState, Plan, PlanAction, PropertyChange } from './types';
import {
  DeploymentSpec,
  ReplicationGroupDesired,
  SubnetGroupDesired,
  UserDesired,
  UserGroupDesired,
} from '../spec/model';

/** Phases, in the order actions run: what groups depend on first, deletions last and in reverse. */
const PHASE: Record<PlanAction['kind'], number> = {
  'create-parameter-group': 0,
  'create-subnet-group': 0,
  'create-user': 0,
  'replace-user': 1,
  'modify-user': 1,
  'modify-parameter-group': 1,
  'replace-parameter-group': 1,
  'modify-subnet-group': 1,
  'create-user-group': 2,
  'replace-user-group': 2,
  'modify-user-group': 2,
  'replace-replication-group': 3,
  'create-replication-group': 3,
  'increase-replica-count': 4,
  'modify-replication-group': 5,
  'modify-shard-configuration': 6,
  'decrease-replica-count': 7,
  'rolling-replace-nodes': 8,
  'delete-replication-group': 9,
  'delete-user-group': 10,
  'delete-user': 11,
  'delete-parameter-group': 11,
  'delete-subnet-group': 11,
};

/**
 * Ordered actions that bring `current` to `desired`, the way CloudFormation updates a stack:
 * properties that CloudFormation replaces on replace the resource, the others modify it in place;
 * replica counts are compared with the nodes actually running (so a replica added with
 * increase-replica-count is not added twice).
 */
export function plan(desired: DeploymentSpec, current: DeployedState): Plan {
  const actions: PlanAction[] = [];
  actions.push(...planParameterGroups(desired, current));
  actions.push(...planSubnetGroups(desired.subnetGroups, current));
  actions.push(...planUsers(desired.users, current));
  actions.push(...planUserGroups(desired.userGroups, current));
  actions.push(...planReplicationGroups(desired.replicationGroups, current));
  // A stable sort keeps the template's order within a phase.
  return { actions: actions.map((a, i) => [a, i] as const).sort((x, y) => PHASE[x[0].kind] - PHASE[y[0].kind] || x[1] - y[1]).map(([a]) => a) };
}

function usersOfGroup(groups: ReplicationGroupDesired[], name: string): string[] {
  return groups.filter((g) => g.parameterGroupName === name).map((g) => g.replicationGroupId);
}

function planParameterGroups(desired: DeploymentSpec, current: DeployedState): PlanAction[] {
  const out: PlanAction[] = [];
  const wanted = new Map(desired.parameterGroups.map((g) => [g.name, g]));
  for (const g of desired.parameterGroups) {
    const was = current.parameterGroups[g.name];
    const affected = usersOfGroup(desired.replicationGroups, g.name);
    const base = { logicalId: g.origin.logicalId };
    if (!was) {
      out.push({ ...base, kind: 'create-parameter-group', desired: g, summary: `create parameter group ${g.name} (${g.family}, ${Object.keys(g.parameters).length} parameters)` });
    } else if (was.family !== g.family) {
      out.push({ ...base, kind: 'replace-parameter-group', name: g.name, desired: g, affectedReplicationGroups: affected, summary: `replace parameter group ${g.name}: family ${was.family} → ${g.family} (CacheParameterGroupFamily requires replacement)` });
    } else {
      const changes = parameterChanges(g.family, was.parameters, g.parameters);
      if (changes.length > 0 || was.description !== g.description || !sameValue(was.spec?.tags, g.tags)) {
        const list = changes.map((c) => `${c.name} ${c.from ?? '(default)'} → ${c.to ?? '(default)'}${c.applyType === 'static' ? ' [static: pending-reboot]' : ''}`).join(', ');
        out.push({ ...base, kind: 'modify-parameter-group', name: g.name, desired: g, changes, affectedReplicationGroups: affected, summary: `modify parameter group ${g.name}${list ? `: ${list}` : ' (description/tags)'}` });
      }
    }
  }
  for (const name of Object.keys(current.parameterGroups)) {
    if (!wanted.has(name)) out.push({ kind: 'delete-parameter-group', name, summary: `delete parameter group ${name}` });
  }
  return out;
}

function planSubnetGroups(desired: SubnetGroupDesired[], current: DeployedState): PlanAction[] {
  const out: PlanAction[] = [];
  for (const g of desired) {
    const was = current.subnetGroups[g.name]?.spec;
    if (!was) {
      out.push({ logicalId: g.origin.logicalId, kind: 'create-subnet-group', desired: g, summary: `create subnet group ${g.name} (AZs ${g.availabilityZones.join(', ') || 'unknown'})` });
      continue;
    }
    const changes = changed([
      ['Description', 'description', was.description, g.description],
      ['SubnetIds', 'subnetIds', was.subnetIds, g.subnetIds],
      ['Tags', 'tags', was.tags, g.tags],
    ]);
    if (changes.length > 0) out.push({ logicalId: g.origin.logicalId, kind: 'modify-subnet-group', name: g.name, desired: g, changes, summary: `modify subnet group ${g.name}: ${names(changes)}` });
  }
  const wanted = new Set(desired.map((g) => g.name));
  for (const name of Object.keys(current.subnetGroups)) {
    if (!wanted.has(name)) out.push({ kind: 'delete-subnet-group', name, summary: `delete subnet group ${name}` });
  }
  return out;
}

function planUsers(desired: UserDesired[], current: DeployedState): PlanAction[] {
  const out: PlanAction[] = [];
  for (const u of desired) {
    const was = current.users[u.userId]?.spec;
    const base = { logicalId: u.origin.logicalId };
    if (!was) {
      out.push({ ...base, kind: 'create-user', desired: u, summary: `create user ${u.userId} (${u.userName}, ${u.authenticationType})` });
      continue;
    }
    const replace = changed([
      ['UserName', 'userName', was.userName, u.userName],
      ['Engine', 'engine', was.engine, u.engine],
    ]);
    const modify = changed([
      ['AccessString', 'accessString', was.accessString, u.accessString],
      ['AuthenticationMode.Type', 'authenticationType', was.authenticationType, u.authenticationType],
      ['Tags', 'tags', was.tags, u.tags],
    ]);
    if (!sameValue(was.passwords, u.passwords)) modify.push({ property: 'AuthenticationMode.Passwords', field: 'passwords', from: masked(was.passwords), to: masked(u.passwords) });
    if (replace.length > 0) {
      out.push({ ...base, kind: 'replace-user', userId: u.userId, desired: u, changes: [...replace, ...modify], summary: `replace user ${u.userId}: ${names(replace)} (requires replacement)` });
    } else if (modify.length > 0) {
      out.push({ ...base, kind: 'modify-user', userId: u.userId, desired: u, changes: modify, summary: `modify user ${u.userId}: ${names(modify)}` });
    }
  }
  const wanted = new Set(desired.map((u) => u.userId));
  for (const id of Object.keys(current.users)) {
    if (!wanted.has(id)) out.push({ kind: 'delete-user', userId: id, summary: `delete user ${id}` });
  }
  return out;
}

function planUserGroups(desired: UserGroupDesired[], current: DeployedState): PlanAction[] {
  const out: PlanAction[] = [];
  for (const g of desired) {
    const was = current.userGroups[g.userGroupId]?.spec;
    const base = { logicalId: g.origin.logicalId };
    if (!was) {
      out.push({ ...base, kind: 'create-user-group', desired: g, summary: `create user group ${g.userGroupId} (users ${g.userIds.join(', ')})` });
      continue;
    }
    if (was.engine !== g.engine) {
      out.push({ ...base, kind: 'replace-user-group', userGroupId: g.userGroupId, desired: g, changes: [{ property: 'Engine', field: 'engine', from: was.engine, to: g.engine }], summary: `replace user group ${g.userGroupId}: Engine ${was.engine} → ${g.engine} (requires replacement)` });
      continue;
    }
    const add = g.userIds.filter((u) => !was.userIds.includes(u));
    const remove = was.userIds.filter((u) => !g.userIds.includes(u));
    if (add.length > 0 || remove.length > 0 || !sameValue(was.tags, g.tags)) {
      const what = [add.length ? `add ${add.join(', ')}` : '', remove.length ? `remove ${remove.join(', ')}` : ''].filter(Boolean).join('; ') || 'tags';
      out.push({ ...base, kind: 'modify-user-group', userGroupId: g.userGroupId, desired: g, userIdsToAdd: add, userIdsToRemove: remove, summary: `modify user group ${g.userGroupId}: ${what}` });
    }
  }
  const wanted = new Set(desired.map((g) => g.userGroupId));
  for (const id of Object.keys(current.userGroups)) {
    if (!wanted.has(id)) out.push({ kind: 'delete-user-group', userGroupId: id, summary: `delete user group ${id}` });
  }
  return out;
}

function planReplicationGroups(desired: ReplicationGroupDesired[], current: DeployedState): PlanAction[] {
  const out: PlanAction[] = [];
  const handled = new Set<string>();
  for (const g of desired) {
    const id = g.replicationGroupId;
    const base = { logicalId: g.origin.logicalId };
    let was: DeployedReplicationGroup | undefined = current.replicationGroups[id];
    if (!was) {
      // Same template resource under another id: ReplicationGroupId changed, which replaces the group.
      const stillWanted = (d: DeployedReplicationGroup) => desired.some((x) => x.replicationGroupId === d.replicationGroupId);
      const renamed = Object.values(current.replicationGroups).find((d) => d.spec.origin.logicalId === g.origin.logicalId && !stillWanted(d));
      if (renamed) {
        handled.add(renamed.replicationGroupId);
        out.push({
          ...base,
          kind: 'replace-replication-group',
          replicationGroupId: renamed.replicationGroupId,
          desired: g,
          changes: [{ property: 'ReplicationGroupId', field: 'replicationGroupId', from: renamed.replicationGroupId, to: id }],
          ...snapshotFirst(renamed),
          summary: `replace replication group ${renamed.replicationGroupId} with ${id} (ReplicationGroupId requires replacement; data is not carried over)`,
        });
        continue;
      }
      out.push({ ...base, kind: 'create-replication-group', desired: g, summary: `create replication group ${id}: ${describeShape(g)}` });
      continue;
    }
    handled.add(id);
    const diff = diffReplicationGroup(was.spec, g);
    if (diff.replace.length > 0) {
      out.push({
        ...base,
        kind: 'replace-replication-group',
        replicationGroupId: id,
        desired: g,
        changes: [...diff.replace, ...diff.modify, ...diff.rolling],
        ...snapshotFirst(was),
        summary: `replace replication group ${id}: ${names(diff.replace)} requires replacement (data is not carried over)`,
      });
      continue;
    }
    // Replica counts of cluster-mode-disabled groups go by the nodes that run.
    if (g.clusterMode !== 'enabled') {
      const running = was.nodeGroups[0] ? was.nodeGroups[0].members.length - 1 : was.spec.replicasPerNodeGroup;
      const want = g.nodeGroups[0]?.replicaCount ?? g.replicasPerNodeGroup;
      if (want > running) {
        out.push({ ...base, kind: 'increase-replica-count', replicationGroupId: id, nodeGroupId: '0001', from: running, to: want, desired: g, summary: `add ${want - running} replica(s) to ${id} (${running} → ${want})` });
      } else if (want < running) {
        out.push({ ...base, kind: 'decrease-replica-count', replicationGroupId: id, nodeGroupId: '0001', from: running, to: want, desired: g, summary: `remove ${running - want} replica(s) from ${id} (${running} → ${want})` });
      }
    }
    if (diff.modify.length > 0) {
      out.push({ ...base, kind: 'modify-replication-group', replicationGroupId: id, desired: g, changes: diff.modify, summary: `modify replication group ${id}: ${describeChanges(diff.modify)}` });
    }
    if (diff.shards.length > 0) {
      out.push({ ...base, kind: 'modify-shard-configuration', replicationGroupId: id, desired: g, changes: diff.shards, summary: `reshard ${id} online: ${describeChanges(diff.shards)}` });
    }
    if (diff.rolling.length > 0) {
      out.push({ ...base, kind: 'rolling-replace-nodes', replicationGroupId: id, desired: g, changes: diff.rolling, summary: `replace the nodes of ${id} one by one: ${describeChanges(diff.rolling)}` });
    }
  }
  for (const [id, was] of Object.entries(current.replicationGroups)) {
    if (handled.has(id) || desired.some((g) => g.replicationGroupId === id)) continue;
    const final = was.spec.finalSnapshotName;
    out.push({ kind: 'delete-replication-group', replicationGroupId: id, ...(final ? { finalSnapshotName: final } : {}), summary: `delete replication group ${id}${final ? ` (final snapshot ${final})` : ''}` });
  }
  return out;
}

/** CloudFormation snapshots a group it replaces when its UpdateReplacePolicy is Snapshot. */
function snapshotFirst(was: DeployedReplicationGroup): { snapshotBeforeDelete?: boolean } {
  return was.spec.updateReplacePolicy === 'Snapshot' ? { snapshotBeforeDelete: true } : {};
}

function describeShape(g: ReplicationGroupDesired): string {
  const nodes = g.nodeGroups.reduce((n, s) => n + 1 + s.replicaCount, 0);
  const shards = g.clusterMode === 'enabled' ? `${g.numNodeGroups} shard(s), ` : '';
  return `${g.engine} ${g.engineVersion} ${g.nodeType}, ${shards}${nodes} node(s)${g.multiAz ? ', Multi-AZ' : ''}`;
}

function changed(entries: Array<[string, string, unknown, unknown]>): PropertyChange[] {
  return entries.filter(([, , a, b]) => !sameValue(a, b)).map(([property, field, from, to]) => ({ property, field, from, to }));
}

function names(changes: PropertyChange[]): string {
  return changes.map((c) => c.property).join(', ');
}

function describeChanges(changes: PropertyChange[]): string {
  const show = (v: unknown) => (v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v));
  return changes.map((c) => `${c.property} ${show(c.from)} → ${show(c.to)}`).join(', ');
}
