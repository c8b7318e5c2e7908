/**
 * IAM-authenticated users, locally. ElastiCache checks an IAM auth token (a SigV4-presigned
 * `connect` request, valid 15 minutes) against IAM; there is no IAM here, so
 * `generate-iam-auth-token` makes a token of the same form for a user whose authentication mode is
 * `iam`, and the control plane adds it (hashed) to that user's ACL passwords on the nodes of every
 * group whose user groups hold the user, until it expires: new connections AUTH with it as the
 * user (username = user id), connections already authenticated stay, as on the service.
 */
import * as crypto from 'crypto';
import type { ControlPlane } from './control-plane';
import { ApiError } from '../api/errors';
import { Group, control } from '../state/types';

export const IAM_TOKEN_MAX_SECONDS = 900;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** User id → hashes of its unexpired tokens (what the nodes' ACL files list). */
export function iamTokenHashes(cp: ControlPlane, at = Date.now()): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [user, tokens] of Object.entries(control(cp.state).iamTokens ?? {})) {
    out[user] = tokens.filter((t) => Date.parse(t.expires) > at).map((t) => t.sha256);
  }
  return out;
}

function groupsWithUser(cp: ControlPlane, userId: string): Group[] {
  return Object.values(cp.state.replicationGroups)
    .filter((g) => g.spec.userGroupIds.some((ug) => cp.state.userGroups[ug]?.spec.userIds.includes(userId)));
}

export interface IamToken {
  readonly Token: string;
  readonly UserId: string;
  readonly ReplicationGroupId: string;
  readonly Expiration: string;
}

export async function generateIamAuthToken(cp: ControlPlane, input: Record<string, unknown>): Promise<IamToken> {
  const groupId = String(input.replicationGroupId ?? '');
  const userId = String(input.userId ?? '');
  const g = cp.state.replicationGroups[groupId];
  if (!g) throw new ApiError('ReplicationGroupNotFoundFault', `ReplicationGroup ${groupId} not found.`);
  const user = cp.state.users[userId];
  if (!user) throw new ApiError('UserNotFound', `User ${userId} not found.`);
  if (user.spec.authenticationType !== 'iam') {
    throw new ApiError('InvalidParameterValue', `User ${userId} does not use IAM authentication (its authentication mode is ${user.spec.authenticationType}); connect with its password.`);
  }
  if (!groupsWithUser(cp, userId).includes(g)) {
    throw new ApiError('InvalidParameterValue', `User ${userId} is not in a user group of replication group ${groupId}.`);
  }
  const seconds = input.expiresIn === undefined ? IAM_TOKEN_MAX_SECONDS : Number(input.expiresIn);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > IAM_TOKEN_MAX_SECONDS) {
    throw new ApiError('InvalidParameterValue', `ExpiresIn must be between 1 and ${IAM_TOKEN_MAX_SECONDS} seconds.`);
  }
  const now = new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const query = [
    'Action=connect', `User=${encodeURIComponent(userId)}`, 'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    `X-Amz-Credential=local%2F${amzDate.slice(0, 8)}%2F${cp.state.region}%2Felasticache%2Faws4_request`,
    `X-Amz-Date=${amzDate}`, `X-Amz-Expires=${seconds}`, 'X-Amz-SignedHeaders=host', `X-Amz-Signature=${crypto.randomBytes(32).toString('hex')}`,
  ];
  const token = `${groupId}/?${query.join('&')}`;
  const expires = new Date(now.getTime() + seconds * 1000).toISOString();
  const c = control(cp.state);
  c.iamTokens = { ...(c.iamTokens ?? {}), [userId]: [...(c.iamTokens?.[userId] ?? []), { sha256: sha256(token), expires }] };
  cp.save();
  for (const grp of groupsWithUser(cp, userId)) await cp.reloadUsers(grp);
  return { Token: token, UserId: userId, ReplicationGroupId: groupId, Expiration: expires };
}

/** Drops expired tokens from the state and the nodes (the daemon calls it every second). */
export async function pruneIamTokens(cp: ControlPlane, at = Date.now()): Promise<void> {
  const c = control(cp.state);
  const expiredUsers = Object.entries(c.iamTokens ?? {}).filter(([, ts]) => ts.some((t) => Date.parse(t.expires) <= at)).map(([u]) => u);
  if (expiredUsers.length === 0) return;
  const kept: Record<string, Array<{ sha256: string; expires: string }>> = {};
  for (const [u, ts] of Object.entries(c.iamTokens ?? {})) {
    const live = ts.filter((t) => Date.parse(t.expires) > at);
    if (live.length > 0) kept[u] = live;
  }
  c.iamTokens = kept;
  cp.save();
  for (const g of new Set(expiredUsers.flatMap((u) => groupsWithUser(cp, u)))) await cp.reloadUsers(g);
}
