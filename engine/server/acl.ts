import { createHash } from 'crypto';
import type { CommandSpec } from './commands/command';

/**
 * Access control. This is the minimal core (the `default` user and `requirepass`); the ACL module
 * replaces `check` and the user table with the full Valkey rule set.
 */
export interface AclUser {
  name: string;
  enabled: boolean;
  /** SHA-256 hex of each password. */
  passwords: Set<string>;
  nopass: boolean;
}

export class Acl {
  public readonly users = new Map<string, AclUser>();

  constructor() {
    this.users.set('default', { name: 'default', enabled: true, passwords: new Set(), nopass: true });
  }

  /** requirepass: the default user gets this password (or none when empty). */
  public setRequirePass(pass: string): void {
    const u = this.users.get('default')!;
    u.passwords.clear();
    u.nopass = pass === '';
    if (pass) u.passwords.add(sha256(pass));
  }

  /** New connections are authenticated as `default` when it needs no password. */
  public defaultUserNeedsNoAuth(): boolean {
    const u = this.users.get('default')!;
    return u.enabled && u.nopass;
  }

  /** True if `user` may log in with `pass`. */
  public authenticate(user: string, pass: string): boolean {
    const u = this.users.get(user);
    if (!u || !u.enabled) return false;
    return u.nopass || u.passwords.has(sha256(pass));
  }

  /**
   * Checks a command against the user's rules: undefined when allowed, else the NOPERM reason.
   * The core allows everything to an authenticated user.
   */
  public check(_user: string, _spec: CommandSpec, _argv: readonly string[]): string | undefined {
    return undefined;
  }
}

export function sha256(s: string): string {
  return createHash('sha256').update(Buffer.from(s, 'latin1')).digest('hex');
}
