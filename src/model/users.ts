import { validateAccessString } from './access-string';
import { isKnown, RuleContext, Violation, violation } from './violation';

/**
 * ElastiCache RBAC users and user groups (`AWS::ElastiCache::User` / `UserGroup`) as plain data,
 * and their rules (elasticache-reference.md section 3: N5, N6, S9–S13).
 *
 * Facts these rules follow (ElastiCache user guide, "Role-Based Access Control", and the API
 * reference for CreateUser / CreateUserGroup):
 * - user and user group IDs: a letter, then letters, digits and hyphens; stored lower-case
 *   (CloudFormation's schema only accepts lower case);
 * - `default` is the ID of the user ElastiCache creates itself; a replacement default user
 *   keeps user name `default` under another ID;
 * - passwords: one or two, 16–128 printable characters, none of `,` `"` `/` `@`;
 * - IAM users: user name equal to user ID;
 * - a `redis` user group holds only `redis` users and must include a user named `default`;
 *   a `valkey` user group may hold `valkey` users and `redis` users that authenticate with a
 *   password or IAM (so no no-password users), and needs no `default` user;
 * - a Redis OSS cache can only use `redis` user groups; a Valkey cache can use both;
 * - at most 100 users per user group.
 */

/** Engine of a user or user group, as CloudFormation spells it. */
export type UserEngineName = 'valkey' | 'redis';

/** How a user authenticates (`AuthenticationMode.Type`). */
export type UserAuthentication = 'password' | 'no-password-required' | 'iam';

/** Most users one user group can hold. */
export const MAX_USERS_PER_USER_GROUP = 100;

/** Shortest and longest user password. */
export const USER_PASSWORD_LENGTH = { min: 16, max: 128 } as const;

/** Characters a user password must not contain. */
export const FORBIDDEN_PASSWORD_CHARACTERS: readonly string[] = [',', '"', '/', '@'];

/** ID of the user ElastiCache creates in every account and region. */
export const BUILT_IN_DEFAULT_USER_ID = 'default';

/** A user, as the rules see it. Unknown or token values are skipped. */
export interface UserModel {
  readonly userId?: string;
  readonly userName?: string;
  readonly engine: string;
  readonly authentication: UserAuthentication;
  /** Passwords (literal strings or tokens). Only used for `password` users. */
  readonly passwords?: readonly unknown[];
  readonly accessString?: string;
}

/** A member of a user group, as the rules see it. */
export interface UserGroupMemberModel {
  /** How to name the member in messages, e.g. its construct path. */
  readonly label: string;
  readonly userId?: string;
  readonly userName?: string;
  readonly engine?: string;
  readonly authentication?: UserAuthentication;
}

/** A user group, as the rules see it. */
export interface UserGroupModel {
  readonly userGroupId?: string;
  readonly engine: string;
  readonly users: readonly UserGroupMemberModel[];
}

const ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]*$/;

/** N5 / N6: a user or user group ID. */
export function validateIdentifier(ctx: RuleContext, rule: 'N5' | 'N6', property: string, id: string | undefined): Violation[] {
  if (!isKnown(ctx, id)) {
    return [];
  }
  const what = rule === 'N5' ? 'user ID' : 'user group ID';
  const title = `${what} must be a letter followed by letters, digits and hyphens, in lower case`;
  if (!ID_PATTERN.test(id)) {
    return [
      violation(
        rule,
        title,
        property,
        `'${id}' is not a valid ${what}: it must start with a letter and contain only letters, digits and hyphens.`,
        `use an ID such as '${suggestId(id)}'.`,
      ),
    ];
  }
  if (id !== id.toLowerCase()) {
    return [
      violation(
        rule,
        title,
        property,
        `'${id}' has upper-case letters; ElastiCache stores IDs lower-case and CloudFormation only accepts [a-z][a-z0-9-]*.`,
        `write it lower-case: '${id.toLowerCase()}'.`,
      ),
    ];
  }
  return [];
}

function suggestId(id: string): string {
  const cleaned = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '');
  return cleaned === '' ? 'my-user' : cleaned;
}

/** N5, S10, S11, S13: one user. */
export function validateUser(ctx: RuleContext, user: UserModel): Violation[] {
  const out: Violation[] = [];
  out.push(...validateIdentifier(ctx, 'N5', 'userId', user.userId));
  if (isKnown(ctx, user.userId) && user.userId.toLowerCase() === BUILT_IN_DEFAULT_USER_ID) {
    out.push(
      violation(
        'N5',
        "user ID 'default' is reserved",
        'userId',
        "the user ID 'default' belongs to the user ElastiCache creates itself; a new user cannot take it.",
        "give the user another ID and set userName: 'default' to make it the default user of its groups.",
      ),
    );
  }
  if (isKnown(ctx, user.userName) && user.userName.length === 0) {
    out.push(violation('N5', 'user name must not be empty', 'userName', 'the user name is empty.', 'give a user name, or leave it out to use the user ID.'));
  }
  if (isKnown(ctx, user.accessString)) {
    out.push(...validateAccessString(user.accessString));
  }

  switch (user.authentication) {
    case 'password':
      out.push(...validatePasswords(ctx, user.passwords ?? []));
      break;
    case 'iam':
      if (isKnown(ctx, user.userId) && isKnown(ctx, user.userName) && user.userName !== user.userId) {
        out.push(
          violation(
            'S11',
            'an IAM user needs userName equal to userId',
            'userName',
            `userName '${user.userName}' differs from userId '${user.userId}'; IAM authentication needs them to be the same.`,
            'remove userName (it defaults to userId) or set it to the user ID.',
          ),
        );
      }
      break;
    case 'no-password-required':
      if (isKnown(ctx, user.engine) && user.engine !== 'redis') {
        out.push(
          violation(
            'S13',
            'users without a password are only supported for the redis engine',
            'engine',
            `engine '${user.engine}' does not support users without a password.`,
            'use UserEngine.REDIS, or make it a PasswordUser or IamUser.',
          ),
        );
      }
      break;
  }
  return out;
}

/** S10: the passwords of a password user. Tokens (secrets) are not checked; their count is. */
export function validatePasswords(ctx: RuleContext, passwords: readonly unknown[]): Violation[] {
  const title = 'a password user needs 1 or 2 passwords of 16–128 printable characters, without , " / @';
  const out: Violation[] = [];
  if (passwords.length < 1 || passwords.length > 2) {
    out.push(
      violation(
        'S10',
        title,
        'passwords',
        `${passwords.length} password${passwords.length === 1 ? '' : 's'} given; ElastiCache takes 1 or 2 (two let you rotate without downtime).`,
        passwords.length === 0 ? 'give one password, or leave passwords out to have one generated in Secrets Manager.' : 'give at most 2 passwords.',
      ),
    );
  }
  passwords.forEach((p, i) => {
    if (typeof p !== 'string' || !isKnown(ctx, p)) {
      return;
    }
    const which = `password ${i + 1}`;
    if (p.length < USER_PASSWORD_LENGTH.min || p.length > USER_PASSWORD_LENGTH.max) {
      out.push(
        violation(
          'S10',
          title,
          'passwords',
          `${which} is ${p.length} characters long; it must be ${USER_PASSWORD_LENGTH.min}–${USER_PASSWORD_LENGTH.max}.`,
          'use a longer (or shorter) password, ideally a generated one kept in Secrets Manager.',
        ),
      );
    }
    const nonPrintable = [...p].some((c) => c < '!' || c > '~');
    if (nonPrintable) {
      out.push(
        violation(
          'S10',
          title,
          'passwords',
          `${which} contains spaces, control or non-ASCII characters; only printable ASCII is allowed.`,
          'use printable ASCII characters only (letters, digits and punctuation other than , " / @).',
        ),
      );
    }
    const forbidden = FORBIDDEN_PASSWORD_CHARACTERS.filter((c) => p.includes(c));
    if (forbidden.length > 0) {
      out.push(
        violation(
          'S10',
          title,
          'passwords',
          `${which} contains ${forbidden.map((c) => `'${c}'`).join(', ')}, which ElastiCache does not allow in passwords.`,
          'remove those characters (generated secrets: exclude them, e.g. excludeCharacters: \',"/@\').',
        ),
      );
    }
  });
  return out;
}

/**
 * True when the members include a user named `default`; false when they do not; undefined when
 * a member's name is unknown (so the answer is unknown). A member known only by the ID
 * `default` is the built-in default user, whose name is `default`.
 */
export function userGroupHasDefaultUser(ctx: RuleContext, users: readonly UserGroupMemberModel[]): boolean | undefined {
  let unknown = false;
  for (const u of users) {
    const name = memberName(ctx, u);
    if (name === BUILT_IN_DEFAULT_USER_ID) {
      return true;
    }
    if (name === undefined) {
      unknown = true;
    }
  }
  return unknown ? undefined : false;
}

function memberName(ctx: RuleContext, u: UserGroupMemberModel): string | undefined {
  if (isKnown(ctx, u.userName)) {
    return u.userName;
  }
  if (u.userName === undefined && isKnown(ctx, u.userId) && u.userId.toLowerCase() === BUILT_IN_DEFAULT_USER_ID) {
    return BUILT_IN_DEFAULT_USER_ID;
  }
  return undefined;
}

/** N6, S12: one user group and its members. */
export function validateUserGroup(ctx: RuleContext, group: UserGroupModel): Violation[] {
  const out: Violation[] = [];
  out.push(...validateIdentifier(ctx, 'N6', 'userGroupId', group.userGroupId));
  const users = group.users;

  if (users.length === 0) {
    out.push(
      violation(
        'S12',
        'a user group needs at least one user',
        'users',
        'the user group has no users.',
        group.engine === 'redis'
          ? "add the users with addUser(), including one whose userName is 'default'."
          : 'add the users with the users prop or addUser().',
      ),
    );
  }
  if (users.length > MAX_USERS_PER_USER_GROUP) {
    out.push(
      violation(
        'S12',
        `a user group holds at most ${MAX_USERS_PER_USER_GROUP} users`,
        'users',
        `the user group has ${users.length} users.`,
        'split the users over several user groups (each cache takes one group, so group by cache).',
      ),
    );
  }

  out.push(...duplicates(users, (u) => memberName(ctx, u), 'user name', 'users in one group must have different user names'));
  out.push(...duplicates(users, (u) => (isKnown(ctx, u.userId) ? u.userId.toLowerCase() : undefined), 'user ID', 'a user can be in a group only once'));

  for (const u of users) {
    if (isKnown(ctx, u.userId) && u.userId.toLowerCase() === BUILT_IN_DEFAULT_USER_ID) {
      out.push(
        violation(
          'S12',
          'the built-in default user opens the cache',
          'users',
          `user ${u.label} is the user ElastiCache creates itself: it needs no password and may run every command on every key, so any client that reaches the cache gets full access.`,
          "replace it with your own user named 'default' that is disabled or has a password, e.g. new PasswordUser(this, 'Default', { userId: 'app-default', userName: 'default', accessControl: AccessControl.disabled() }).",
          'warning',
        ),
      );
    }
  }

  if (group.engine === 'redis') {
    for (const u of users) {
      if (isKnown(ctx, u.engine) && u.engine !== 'redis') {
        out.push(
          violation(
            'S12',
            'a redis user group only holds redis users',
            'users',
            `user ${u.label} has engine '${u.engine}', but the user group's engine is 'redis'.`,
            'use a user group with engine UserEngine.VALKEY (for Valkey caches), or give the user engine UserEngine.REDIS.',
          ),
        );
      }
    }
    if (users.length > 0 && userGroupHasDefaultUser(ctx, users) === false) {
      out.push(
        violation(
          'S12',
          "a redis user group must include a user named 'default'",
          'users',
          `none of the ${users.length} user${users.length === 1 ? '' : 's'} has the user name 'default'.`,
          "add a user with userName: 'default' (best a disabled one, e.g. a PasswordUser with AccessControl.disabled()), or the built-in one via UserBase.fromUserId(this, 'Default', 'default') (it has full access and no password).",
        ),
      );
    }
  } else {
    for (const u of users) {
      if (u.authentication === 'no-password-required') {
        out.push(
          violation(
            'S12',
            'a valkey user group only holds users that authenticate (password or IAM)',
            'users',
            `user ${u.label} needs no password, which a '${group.engine}' user group does not allow.`,
            'give the user a password (PasswordUser) or IAM authentication (IamUser), or put it in a redis user group.',
          ),
        );
      }
    }
  }
  return out;
}

function duplicates(
  users: readonly UserGroupMemberModel[],
  key: (u: UserGroupMemberModel) => string | undefined,
  what: string,
  title: string,
): Violation[] {
  const seen = new Map<string, UserGroupMemberModel>();
  const out: Violation[] = [];
  for (const u of users) {
    const k = key(u);
    if (k === undefined) {
      continue;
    }
    const first = seen.get(k);
    if (first) {
      out.push(
        violation(
          'S12',
          title,
          'users',
          `users ${first.label} and ${u.label} have the same ${what} '${k}'.`,
          `keep one of them; each ${what} may appear once per user group.`,
        ),
      );
    } else {
      seen.set(k, u);
    }
  }
  return out;
}

/**
 * S9: whether a cache of `cacheEngine` may use a user group of `userGroupEngine`. A Redis OSS
 * cache only takes `redis` user groups; a Valkey cache takes `valkey` and `redis` groups.
 * `property` is the cache's prop that holds the group (e.g. `userGroup`).
 */
export function validateCacheUserGroup(
  ctx: RuleContext,
  cacheEngine: string | undefined,
  userGroupEngine: string | undefined,
  property = 'userGroup',
): Violation[] {
  if (!isKnown(ctx, cacheEngine) || !isKnown(ctx, userGroupEngine)) {
    return [];
  }
  if (cacheEngine === 'redis' && userGroupEngine !== 'redis') {
    return [
      violation(
        'S9',
        'a Redis OSS cache only takes redis user groups',
        property,
        `the user group's engine is '${userGroupEngine}', but the cache runs Redis OSS.`,
        'use a user group with engine UserEngine.REDIS (it may only hold redis users), or run the cache on Valkey.',
      ),
    ];
  }
  return [];
}
