/**
 * ModifyReplicationGroup (`modify-replication-group`): node type and engine version (rolled node
 * by node, answered at once with the group `modifying`, as the service does) and the AUTH token
 * with its update strategy:
 * - ROTATE (the default): the new token becomes valid and the previous one stays valid (a group
 *   without a token keeps accepting connections without one), until a SET;
 * - SET: only after a ROTATE, with the token last rotated: only that token stays valid;
 * - DELETE: only when moving to RBAC (`--user-group-ids-to-add` in the same call): auth tokens go,
 *   the user group's users apply.
 * Enabling or changing a token needs transit encryption, as on the service.
 */
import { ApiError, ControlPlane } from './control-plane';
import { rollGroup } from './rolling';
import { events } from '../api/event-messages';
import type { ReplicationGroupDesired } from '../spec/model';
import { Group } from '../state/types';

type Input = Record<string, unknown>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null || v === '' ? [] : [String(v)]);

/** The service's AUTH password rules. */
export function authTokenProblem(token: string): string | undefined {
  if (token.length < 16 || token.length > 128) return 'Passwords length must be between 16-128 characters.';
  if (!/^[\x21-\x7e]+$/.test(token)) return 'The AUTH token must contain only printable ASCII characters.';
  if (/[/"@%]/.test(token)) return 'The AUTH token cannot contain any of the following characters: \'/\', \'"\', \'@\', \'%\'.';
  return undefined;
}

function applyAuth(cp: ControlPlane, g: Group, input: Input): (() => Promise<void>) | undefined {
  const token = input.authToken === undefined || input.authToken === null ? undefined : String(input.authToken);
  const strategy = input.authTokenUpdateStrategy === undefined ? undefined : String(input.authTokenUpdateStrategy).toUpperCase();
  if (token === undefined && strategy === undefined) return undefined;
  const id = g.replicationGroupId;
  if (strategy !== undefined && !['ROTATE', 'SET', 'DELETE'].includes(strategy)) {
    throw new ApiError('InvalidParameterValue', `Invalid AuthTokenUpdateStrategy ${strategy}: expected ROTATE, SET or DELETE.`);
  }
  if (strategy === 'DELETE') {
    const add = list(input.userGroupIdsToAdd);
    if (add.length === 0) throw new ApiError('InvalidParameterCombination', 'AuthTokenUpdateStrategy DELETE is allowed only when transitioning to RBAC: specify UserGroupIdsToAdd.');
    if (g.spec.authToken === undefined) throw new ApiError('InvalidParameterCombination', `Replication group ${id} has no AUTH token to delete.`);
    for (const ug of add) if (!cp.state.userGroups[ug]) throw new ApiError('UserGroupNotFound', `User group ${ug} not found.`);
    return async () => {
      g.spec = { ...g.spec, authToken: undefined, userGroupIds: [...new Set([...g.spec.userGroupIds, ...add])] } as Group['spec'];
      delete g.authTokenRotation;
      g.authTokenLastModifiedDate = new Date().toISOString();
      await cp.reloadUsers(g);
    };
  }
  if (token === undefined) throw new ApiError('InvalidParameterCombination', 'AuthTokenUpdateStrategy must be specified with AuthToken.');
  const problem = authTokenProblem(token);
  if (problem) throw new ApiError('InvalidParameterValue', problem);
  if (!g.spec.transitEncryption) throw new ApiError('InvalidParameterCombination', 'The AUTH token can be set only when transit encryption is enabled.');
  if (g.spec.userGroupIds.length > 0) throw new ApiError('InvalidParameterCombination', `Replication group ${id} uses user groups (RBAC); an AUTH token cannot be set.`);
  if (strategy === 'SET') {
    if (!g.authTokenRotation) throw new ApiError('InvalidParameterCombination', 'AuthTokenUpdateStrategy SET is allowed only after ROTATE.');
    if (token !== g.spec.authToken) throw new ApiError('InvalidParameterValue', 'For SET, the AUTH token must be the one last rotated.');
    return async () => {
      delete g.authTokenRotation;
      g.authTokenLastModifiedDate = new Date().toISOString();
      await cp.reloadUsers(g);
    };
  }
  return () => rotateAuthToken(cp, g, token);
}

/** ROTATE: `token` becomes valid besides the current one (or besides no token). Also what a template change of AuthToken does. */
export async function rotateAuthToken(cp: ControlPlane, g: Group, token: string): Promise<void> {
  if (g.spec.authToken === token) return;
  g.authTokenRotation = { previous: g.spec.authToken };
  g.spec = { ...g.spec, authToken: token } as Group['spec'];
  g.authTokenLastModifiedDate = new Date().toISOString();
  await cp.reloadUsers(g);
}

export function modifyReplicationGroup(cp: ControlPlane, input: Input): Group {
  const id = String(input.replicationGroupId ?? '');
  const g = cp.state.replicationGroups[id];
  if (!g) throw new ApiError('ReplicationGroupNotFoundFault', `ReplicationGroup ${id} not found.`);
  if (g.status !== 'available') throw new ApiError('InvalidReplicationGroupState', `Replication group ${id} is not in available state (${g.status}).`);
  const nodeType = input.cacheNodeType === undefined ? undefined : String(input.cacheNodeType);
  const engineVersion = input.engineVersion === undefined ? undefined : String(input.engineVersion);
  if (nodeType !== undefined && !/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(nodeType)) throw new ApiError('InvalidParameterValue', `Invalid CacheNodeType ${nodeType}.`);
  if (engineVersion !== undefined && compareVersions(engineVersion, g.spec.engineVersion) < 0) {
    throw new ApiError('InvalidParameterCombination', `Cannot downgrade the engine version from ${g.spec.engineVersion} to ${engineVersion}.`);
  }
  const auth = applyAuth(cp, g, input);
  const roll = (nodeType !== undefined && nodeType !== g.spec.nodeType) || (engineVersion !== undefined && engineVersion !== g.spec.engineVersion);
  if (!auth && !roll) throw new ApiError('InvalidParameterCombination', 'No modifications were requested.');
  g.status = 'modifying';
  if (auth && g.spec.authToken !== undefined) {
    g.pendingModifiedValues = { ...g.pendingModifiedValues, authTokenStatus: input.authTokenUpdateStrategy === 'SET' ? 'SETTING' : 'ROTATING' };
  }
  cp.save();
  void cp.serialize(async () => {
    try {
      if (auth) await auth();
      if (g.pendingModifiedValues?.authTokenStatus) {
        const { authTokenStatus: _done, ...rest } = g.pendingModifiedValues;
        g.pendingModifiedValues = rest;
      }
      if (roll) {
        const spec = g.spec;
        const desired: ReplicationGroupDesired = { ...spec, nodeType: nodeType ?? spec.nodeType, engineVersion: engineVersion ?? spec.engineVersion };
        await rollGroup(cp, g, desired);
      } else {
        g.status = 'available';
        cp.emit(events.replicationGroupModified(id));
      }
    } catch (e) {
      g.status = 'available';
      cp.emit({ sourceType: 'replication-group', sourceIdentifier: id, message: `Failed to modify replication group ${id}: ${(e as Error).message.split('\n')[0]}` });
    }
  }).catch(() => undefined);
  return g;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
