/**
 * ACL users of a node. Application users (default, auth-token default, RBAC users) may not run
 * the commands ElastiCache restricts; the control plane has its own internal admin user, which
 * replicas also use to sync from their primary. Passwords are written hashed (`#<sha256>`).
 */
import * as crypto from 'crypto';
import type { UserDesired } from '../spec/model';

export const ADMIN_USER = 'cdk-elasticache-admin';

/** Commands ElastiCache does not let application users run. */
export const RESTRICTED_COMMANDS = [
  'config', 'save', 'bgsave', 'debug', 'replicaof', 'slaveof', 'sync', 'psync', 'shutdown', 'migrate', 'bgrewriteaof',
];

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * The aclfile lines for a group's nodes. `known` lists the restricted commands the engine has
 * (an ACL rule naming an unknown command is an error).
 */
export function aclLines(
  authToken: string | undefined, users: readonly UserDesired[], adminSecret: string, known: ReadonlySet<string>,
  rotation?: { readonly previous?: string },
  iamTokenHashes: Readonly<Record<string, readonly string[]>> = {},
): string[] {
  const DENY = RESTRICTED_COMMANDS.filter((c) => known.has(c)).map((c) => `-${c}`).join(' ');
  const lines = [`user ${ADMIN_USER} on #${sha256(adminSecret)} ~* &* +@all`];
  if (users.length > 0) {
    // RBAC: the user group's users, each with its access string, minus the restricted commands.
    const byName = new Map<string, UserDesired>();
    for (const u of users) byName.set(u.userName, u);
    if (!byName.has('default')) lines.push('user default off');
    for (const u of byName.values()) {
      // IAM users: the unexpired tokens generate-iam-auth-token made (none: the user cannot authenticate).
      const pw = u.authenticationType === 'no-password-required' ? 'nopass'
        : u.authenticationType === 'iam' ? (iamTokenHashes[u.userId] ?? []).map((h) => `#${h}`).join(' ')
          : u.passwords.map((p) => `#${sha256(p)}`).join(' ');
      lines.push(`user ${u.userName} reset ${pw} ${normalizeAccess(u.accessString)} ${DENY}`.replace(/\s+/g, ' ').trim());
    }
  } else if (authToken !== undefined && rotation && rotation.previous === undefined) {
    // Auth turned on with ROTATE: the token works, and so does connecting without one, until a SET.
    lines.push(`user default on nopass ~* &* +@all ${DENY}`);
  } else if (authToken !== undefined) {
    // After a ROTATE both the previous and the new token are valid, until a SET.
    const tokens = [authToken, ...(rotation?.previous !== undefined && rotation.previous !== authToken ? [rotation.previous] : [])];
    lines.push(`user default on ${tokens.map((t) => `#${sha256(t)}`).join(' ')} ~* &* +@all ${DENY}`);
  } else {
    lines.push(`user default on nopass ~* &* +@all ${DENY}`);
  }
  return lines;
}

/** ElastiCache access strings are ACL rules; `reset` is implied, `on`/`off` may be absent (on). */
function normalizeAccess(access: string): string {
  const rules = access.trim().split(/\s+/).filter((r) => r.length > 0);
  if (!rules.includes('on') && !rules.includes('off')) rules.unshift('on');
  return rules.join(' ');
}
