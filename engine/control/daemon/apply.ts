/**
 * Applies a deployment spec: the planner (`plan/plan.ts`) says what to do, this runs each action
 * on the control plane in order.
 */
import { reshardGroup } from './cluster-mode';
import { ApiError, ControlPlane } from './control-plane';
import { rollGroup } from './rolling';
import { events } from '../api/event-messages';
import { finishDeploy, prepareDeploy } from '../global/deploy';
import { plan } from '../plan/plan';
import type { Plan, PlanAction } from '../plan/types';
import { restoreFilesFor, whileRestoring } from '../snapshots/restore';
import { createSnapshot } from '../snapshots/snapshots';
import type { DeploymentSpec, ReplicationGroupDesired } from '../spec/model';
import { Group, control } from '../state/types';

/** A new group, seeded from its snapshot or RDB files when the template names them. */
async function createGroupFrom(cp: ControlPlane, spec: ReplicationGroupDesired): Promise<void> {
  const files = restoreFilesFor(cp, spec);
  await whileRestoring(cp, spec, () => cp.createGroup(spec, files));
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
    case 'replace-parameter-group':
    case 'modify-parameter-group': {
      const old = s.parameterGroups[a.desired.name];
      s.parameterGroups[a.desired.name] = { spec: a.desired, name: a.desired.name, family: a.desired.family, description: a.desired.description, parameters: { ...a.desired.parameters }, arn: arn(cp, 'parametergroup', a.desired.name) };
      cp.save();
      if (a.kind !== 'create-parameter-group') {
        const changed = Object.fromEntries(Object.entries(a.desired.parameters).filter(([k, v]) => old?.parameters[k] !== v));
        for (const g of Object.values(s.replicationGroups)) {
          if (g.spec.parameterGroupName === a.desired.name && Object.keys(changed).length > 0) await cp.applyParameters(g, changed);
        }
        cp.emit(events.parameterGroupModified(a.desired.name, Object.keys(changed)));
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
    case 'replace-user':
    case 'modify-user': {
      s.users[a.desired.userId] = { spec: a.desired, userId: a.desired.userId, status: 'active', arn: arn(cp, 'user', a.desired.userId), userGroupIds: s.users[a.desired.userId]?.userGroupIds ?? [] };
      cp.save();
      if (a.kind !== 'create-user') {
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
    case 'replace-user-group':
    case 'modify-user-group':
      s.userGroups[a.desired.userGroupId] = { spec: a.desired, userGroupId: a.desired.userGroupId, status: 'active', arn: arn(cp, 'usergroup', a.desired.userGroupId), replicationGroups: [] };
      cp.save();
      if (a.kind !== 'create-user-group') for (const g of groupsUsingUsers(cp, new Set([a.desired.userGroupId]))) await cp.reloadUsers(g);
      return;
    case 'delete-user-group':
      delete s.userGroups[a.userGroupId];
      cp.save();
      return;
    case 'create-replication-group':
      await createGroupFrom(cp, a.desired);
      return;
    case 'replace-replication-group': {
      const old = s.replicationGroups[a.replicationGroupId];
      // UpdateReplacePolicy: Snapshot keeps the old group's data as a snapshot before it goes.
      const keep = a.snapshotBeforeDelete ? `${a.replicationGroupId}-replaced-${new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-')}` : undefined;
      if (old) await cp.deleteGroup(old, await finalSnapshot(cp, keep));
      await createGroupFrom(cp, a.desired);
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
      g.spec = a.desired as Group['spec'];
      await cp.setReplicaCount(g, a.to);
      return;
    }
    case 'modify-shard-configuration': {
      // UseOnlineResharding: the template's node groups are the ones to keep (new ids are added).
      const g = group(cp, a.replicationGroupId);
      await reshardGroup(cp, g, { count: a.desired.nodeGroups.length, retain: a.desired.nodeGroups.map((ng) => ng.nodeGroupId) });
      g.spec = a.desired as Group['spec'];
      cp.save();
      cp.emit(events.replicationGroupModified(g.replicationGroupId));
      return;
    }
    case 'rolling-replace-nodes':
      await rollGroup(cp, group(cp, a.replicationGroupId), a.desired);
      return;
    case 'modify-replication-group': {
      const g = group(cp, a.replicationGroupId);
      const before = g.spec;
      // Node type and engine version stay on the nodes until the rolling replacement after this.
      g.spec = a.desired as Group['spec'];
      cp.save();
      // By model field (`authToken`), not template property name (`AuthToken`).
      const changed = new Set(a.kind === 'modify-replication-group' ? a.changes.map((c) => c.field ?? c.property) : []);
      if (changed.has('authToken')) {
        // CloudFormation changes the token with the ROTATE strategy: the previous one stays valid
        // (until a SET through modify-replication-group); removing it drops both.
        if (before.authToken !== undefined && a.desired.authToken !== undefined) g.authTokenRotation = { previous: before.authToken };
        else delete g.authTokenRotation;
        g.authTokenLastModifiedDate = new Date().toISOString();
      }
      if (changed.has('userGroupIds') || changed.has('authToken')) await cp.reloadUsers(g);
      if (changed.has('parameterGroupName')) {
        const params = cp.parametersOf(g);
        for (const k of Object.keys(before.parameterGroupName !== undefined ? s.parameterGroups[before.parameterGroupName]?.parameters ?? {} : {})) params[k] ??= '';
        await cp.applyParameters(g, Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '')));
      }
      cp.emit(events.replicationGroupModified(g.replicationGroupId));
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
export async function applySpec(cp: ControlPlane, given: DeploymentSpec, onAction: (a: PlanAction) => void = () => undefined): Promise<Plan> {
  // One stack per region: plan against this region's resources; secondaries join their Global Datastore.
  const { spec, view } = prepareDeploy(cp, given);
  cp.state.region = spec.region;
  cp.state.accountId = spec.accountId;
  cp.state.stackName = spec.stackName;
  const c = control(cp.state);
  for (const t of spec.topics) if (t.sink !== undefined) c.topicSinks[t.arn] = t.sink;
  c.generatedSecrets = { ...(c.generatedSecrets ?? {}), ...spec.generatedSecrets };
  cp.save();
  const p = plan(spec, view);
  for (const a of p.actions) {
    onAction(a);
    await runAction(cp, a);
  }
  await finishDeploy(cp, spec);
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
