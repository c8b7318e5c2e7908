/**
 * Applies a deployment spec: the planner (control-spec's `plan`) says what to do, this runs each
 * action on the control plane in order. While the planner is not implemented yet a minimal one
 * (`planLite`: create, replica count, parameters, users, replace on the replace-only properties,
 * delete) stands in.
 */
import { ApiError, ControlPlane, replicaCount } from './control-plane';
import { plan as fullPlan } from '../plan/plan';
import type { DeployedState, ParameterChange, Plan, PlanAction } from '../plan/types';
import { createSnapshot, rdbFromArn, snapshotFile } from '../snapshots/snapshots';
import type { DeploymentSpec, ReplicationGroupDesired } from '../spec/model';
import { Group, control, members } from '../state/types';

export function makePlan(spec: DeploymentSpec, state: DeployedState): Plan {
  try {
    return fullPlan(spec, state);
  } catch (e) {
    if (!/not implemented/.test((e as Error).message)) throw e;
    return planLite(spec, state);
  }
}

/** Properties whose change makes CloudFormation replace the replication group. */
const REPLACE_ON: Array<keyof ReplicationGroupDesired> = ['engine', 'port', 'transitEncryption', 'atRestEncryption', 'snapshotName', 'clusterMode', 'subnetGroupName', 'kmsKeyId'];

export function planLite(spec: DeploymentSpec, state: DeployedState): Plan {
  const actions: PlanAction[] = [];
  for (const pg of spec.parameterGroups) {
    const old = state.parameterGroups[pg.name];
    if (!old) {
      actions.push({ kind: 'create-parameter-group', desired: pg, summary: `create parameter group ${pg.name}` });
      continue;
    }
    const names = new Set([...Object.keys(old.parameters), ...Object.keys(pg.parameters)]);
    const changes: ParameterChange[] = [...names].filter((n) => old.parameters[n] !== pg.parameters[n])
      .map((n) => ({ name: n, from: old.parameters[n], to: pg.parameters[n], applyType: 'dynamic' }));
    if (changes.length > 0) {
      const affected = Object.values(state.replicationGroups).filter((g) => g.spec.parameterGroupName === pg.name).map((g) => g.replicationGroupId);
      actions.push({ kind: 'modify-parameter-group', name: pg.name, desired: pg, changes, affectedReplicationGroups: affected, summary: `modify parameter group ${pg.name}` });
    }
  }
  for (const sg of spec.subnetGroups) if (!state.subnetGroups[sg.name]) actions.push({ kind: 'create-subnet-group', desired: sg, summary: `create subnet group ${sg.name}` });
  for (const u of spec.users) {
    const old = state.users[u.userId];
    if (!old) actions.push({ kind: 'create-user', desired: u, summary: `create user ${u.userId}` });
    else if (JSON.stringify(old.spec) !== JSON.stringify(u)) actions.push({ kind: 'modify-user', userId: u.userId, desired: u, changes: [], summary: `modify user ${u.userId}` });
  }
  for (const ug of spec.userGroups) {
    const old = state.userGroups[ug.userGroupId];
    if (!old) {actions.push({ kind: 'create-user-group', desired: ug, summary: `create user group ${ug.userGroupId}` });} else {
      const add = ug.userIds.filter((u) => !old.spec.userIds.includes(u));
      const remove = old.spec.userIds.filter((u) => !ug.userIds.includes(u));
      if (add.length + remove.length > 0) actions.push({ kind: 'modify-user-group', userGroupId: ug.userGroupId, desired: ug, userIdsToAdd: add, userIdsToRemove: remove, summary: `modify user group ${ug.userGroupId}` });
    }
  }
  const wanted = new Set(spec.replicationGroups.map((g) => g.replicationGroupId));
  for (const g of Object.values(state.replicationGroups)) {
    if (!wanted.has(g.replicationGroupId)) actions.push({ kind: 'delete-replication-group', replicationGroupId: g.replicationGroupId, finalSnapshotName: g.spec.finalSnapshotName, summary: `delete replication group ${g.replicationGroupId}` });
  }
  for (const rg of spec.replicationGroups) {
    const old = state.replicationGroups[rg.replicationGroupId];
    if (!old) {
      actions.push({ kind: 'create-replication-group', desired: rg, summary: `create replication group ${rg.replicationGroupId}` });
      continue;
    }
    const replace = REPLACE_ON.filter((k) => JSON.stringify(old.spec[k]) !== JSON.stringify(rg[k]));
    if (replace.length > 0 || old.status === 'create-failed' || (old.spec.authToken === undefined) !== (rg.authToken === undefined)) {
      actions.push({ kind: 'replace-replication-group', replicationGroupId: rg.replicationGroupId, desired: rg, changes: replace.map((k) => ({ property: k, from: old.spec[k], to: rg[k] })), summary: `replace replication group ${rg.replicationGroupId}` });
      continue;
    }
    const from = old.nodeGroups[0]?.members.filter((n) => n.role === 'replica').length ?? 0;
    const to = replicaCount(rg);
    if (to > from) actions.push({ kind: 'increase-replica-count', replicationGroupId: rg.replicationGroupId, nodeGroupId: '0001', from, to, summary: `add ${to - from} replica(s) to ${rg.replicationGroupId}` });
    if (to < from) actions.push({ kind: 'decrease-replica-count', replicationGroupId: rg.replicationGroupId, nodeGroupId: '0001', from, to, summary: `remove ${from - to} replica(s) from ${rg.replicationGroupId}` });
    const changes = (Object.keys(rg) as Array<keyof ReplicationGroupDesired>)
      .filter((k) => k !== 'nodeGroups' && k !== 'replicasPerNodeGroup' && k !== 'numCacheClusters' && JSON.stringify(old.spec[k]) !== JSON.stringify(rg[k]))
      .map((k) => ({ property: k, from: old.spec[k], to: rg[k] }));
    if (changes.length > 0) actions.push({ kind: 'modify-replication-group', replicationGroupId: rg.replicationGroupId, desired: rg, changes, summary: `modify replication group ${rg.replicationGroupId}` });
  }
  for (const name of Object.keys(state.parameterGroups)) {
    if (!spec.parameterGroups.some((p) => p.name === name)) actions.push({ kind: 'delete-parameter-group', name, summary: `delete parameter group ${name}` });
  }
  for (const id of Object.keys(state.userGroups)) {
    if (!spec.userGroups.some((u) => u.userGroupId === id)) actions.push({ kind: 'delete-user-group', userGroupId: id, summary: `delete user group ${id}` });
  }
  for (const id of Object.keys(state.users)) {
    if (!spec.users.some((u) => u.userId === id)) actions.push({ kind: 'delete-user', userId: id, summary: `delete user ${id}` });
  }
  return { actions };
}

function restoreFileFor(cp: ControlPlane, spec: ReplicationGroupDesired): string | undefined {
  if (spec.snapshotName !== undefined) return snapshotFile(cp, spec.snapshotName);
  if (spec.snapshotArns && spec.snapshotArns.length > 0) return rdbFromArn(cp, spec.snapshotArns[0]);
  return undefined;
}

function groupsUsingUsers(cp: ControlPlane, userGroupIds: Set<string>): Group[] {
  return Object.values(cp.state.replicationGroups).filter((g) => g.spec.userGroupIds.some((u) => userGroupIds.has(u)));
}

const arn = (cp: ControlPlane, kind: string, id: string) => `arn:aws:elasticache:${cp.state.region}:${cp.state.accountId}:${kind}:${id}`;

async function finalSnapshot(cp: ControlPlane, name: string | undefined): Promise<((g: Group) => Promise<void>) | undefined> {
  if (name === undefined) return undefined;
  return async (g) => {
    await createSnapshot(cp, g, name, 'manual').catch(() => undefined);
  };
}

/** Runs one planned action. `progress` hears a line per action. */
export async function runAction(cp: ControlPlane, a: PlanAction): Promise<void> {
  const s = cp.state;
  switch (a.kind) {
    case 'create-parameter-group':
    case 'modify-parameter-group': {
      const old = s.parameterGroups[a.desired.name];
      s.parameterGroups[a.desired.name] = { spec: a.desired, name: a.desired.name, family: a.desired.family, description: a.desired.description, parameters: { ...a.desired.parameters }, arn: arn(cp, 'parametergroup', a.desired.name) };
      cp.save();
      if (a.kind === 'modify-parameter-group') {
        const changed = Object.fromEntries(Object.entries(a.desired.parameters).filter(([k, v]) => old?.parameters[k] !== v));
        for (const g of Object.values(s.replicationGroups)) {
          if (g.spec.parameterGroupName === a.desired.name && Object.keys(changed).length > 0) await cp.applyParameters(g, changed);
        }
        cp.event('cache-parameter-group', a.desired.name, `Updated parameter group ${a.desired.name}`);
      }
      return;
    }
    case 'delete-parameter-group':
      delete s.parameterGroups[a.name];
      cp.save();
      return;
    case 'create-subnet-group':
    case 'modify-subnet-group':
      s.subnetGroups[a.desired.name] = { spec: a.desired, name: a.desired.name, arn: arn(cp, 'subnetgroup', a.desired.name) };
      cp.save();
      return;
    case 'delete-subnet-group':
      delete s.subnetGroups[a.name];
      cp.save();
      return;
    case 'create-user':
    case 'modify-user': {
      s.users[a.desired.userId] = { spec: a.desired, userId: a.desired.userId, status: 'active', arn: arn(cp, 'user', a.desired.userId), userGroupIds: s.users[a.desired.userId]?.userGroupIds ?? [] };
      cp.save();
      if (a.kind === 'modify-user') {
        const ugs = new Set(Object.values(s.userGroups).filter((ug) => ug.spec.userIds.includes(a.desired.userId)).map((ug) => ug.userGroupId));
        for (const g of groupsUsingUsers(cp, ugs)) await cp.reloadUsers(g);
      }
      return;
    }
    case 'delete-user':
      delete s.users[a.userId];
      cp.save();
      return;
    case 'create-user-group':
    case 'modify-user-group':
      s.userGroups[a.desired.userGroupId] = { spec: a.desired, userGroupId: a.desired.userGroupId, status: 'active', arn: arn(cp, 'usergroup', a.desired.userGroupId), replicationGroups: [] };
      cp.save();
      if (a.kind === 'modify-user-group') for (const g of groupsUsingUsers(cp, new Set([a.desired.userGroupId]))) await cp.reloadUsers(g);
      return;
    case 'delete-user-group':
      delete s.userGroups[a.userGroupId];
      cp.save();
      return;
    case 'create-replication-group':
      await cp.createGroup(a.desired, restoreFileFor(cp, a.desired));
      return;
    case 'replace-replication-group': {
      const old = s.replicationGroups[a.replicationGroupId];
      if (old) await cp.deleteGroup(old);
      await cp.createGroup(a.desired, restoreFileFor(cp, a.desired));
      return;
    }
    case 'delete-replication-group': {
      const g = s.replicationGroups[a.replicationGroupId];
      if (g) await cp.deleteGroup(g, await finalSnapshot(cp, a.finalSnapshotName));
      return;
    }
    case 'increase-replica-count':
    case 'decrease-replica-count': {
      const g = group(cp, a.replicationGroupId);
      await cp.setReplicaCount(g, a.to);
      return;
    }
    case 'modify-replication-group':
    case 'rolling-replace-nodes': {
      const g = group(cp, a.replicationGroupId);
      const before = g.spec;
      g.spec = a.desired as Group['spec'];
      for (const n of members(g)) {
        n.nodeType = a.desired.nodeType;
        n.engineVersion = a.desired.engineVersion;
      }
      cp.save();
      const changed = new Set(a.kind === 'modify-replication-group' ? a.changes.map((c) => c.property) : []);
      if (changed.has('userGroupIds') || changed.has('authToken')) await cp.reloadUsers(g);
      if (changed.has('parameterGroupName')) {
        const params = cp.parametersOf(g);
        for (const k of Object.keys(before.parameterGroupName !== undefined ? s.parameterGroups[before.parameterGroupName]?.parameters ?? {} : {})) params[k] ??= '';
        await cp.applyParameters(g, Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '')));
      }
      cp.event('replication-group', g.replicationGroupId, `Replication group ${g.replicationGroupId} modified: ${[...changed].join(', ') || a.summary}`);
      return;
    }
  }
}

function group(cp: ControlPlane, id: string): Group {
  const g = cp.state.replicationGroups[id];
  if (!g) throw new ApiError('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found.`);
  return g;
}

/** Records the spec-level facts (region, account, topic sinks) and derived links, then runs the plan. */
export async function applySpec(cp: ControlPlane, spec: DeploymentSpec, onAction: (a: PlanAction) => void = () => undefined): Promise<Plan> {
  cp.state.region = spec.region;
  cp.state.accountId = spec.accountId;
  cp.state.stackName = spec.stackName;
  const c = control(cp.state);
  for (const t of spec.topics) if (t.sink !== undefined) c.topicSinks[t.arn] = t.sink;
  cp.save();
  const p = makePlan(spec, cp.state as DeployedState);
  for (const a of p.actions) {
    onAction(a);
    await runAction(cp, a);
  }
  refreshLinks(cp);
  cp.save();
  return p;
}

/** Users ↔ user groups ↔ replication groups, as DescribeUsers / DescribeUserGroups show them. */
export function refreshLinks(cp: ControlPlane): void {
  const s = cp.state;
  const userGroups = Object.values(s.userGroups);
  const groups = Object.values(s.replicationGroups);
  for (const u of Object.values(s.users)) {
    u.userGroupIds = userGroups.filter((g) => g.spec.userIds.includes(u.userId)).map((g) => g.userGroupId);
  }
  for (const ug of userGroups) {
    ug.replicationGroups = groups.filter((g) => g.spec.userGroupIds.includes(ug.userGroupId)).map((g) => g.replicationGroupId);
  }
}
