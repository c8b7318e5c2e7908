import { AuthenticationTypeName, EngineName, UserDesired, UserGroupDesired } from '../model';
import { PropertyReader } from '../properties';

const AUTH_TYPES: readonly string[] = ['password', 'no-password-required', 'iam'];

export function readUser(p: PropertyReader, userId: string): UserDesired {
  for (const name of ['UserId', 'UserName', 'Engine']) p.required(name);
  const mode = p.object('AuthenticationMode');
  const modeReader = mode ? p.nested(mode, 'AuthenticationMode') : undefined;
  const modeType = modeReader?.string('AuthenticationMode.Type');
  const passwords = modeReader?.strings('AuthenticationMode.Passwords') ?? p.strings('Passwords') ?? [];
  // Passwords that are there but not resolvable here (a Secrets Manager secret not supplied) already make a
  // SPEC-SECRET problem; the user must not then look like one without a password to the rules.
  const unresolvedPasswords = passwords.length > 0 ? 0 : rawPasswordCount(p);
  let authenticationType: AuthenticationTypeName;
  if (unresolvedPasswords > 0 && modeType === undefined) {
    authenticationType = 'password';
  } else if (modeType !== undefined) {
    if (!AUTH_TYPES.includes(modeType)) {
      p.problem('AuthenticationMode.Type', 'SPEC-TYPE', `'${modeType}' is not an authentication type`, `use one of ${AUTH_TYPES.join(', ')}`);
    }
    authenticationType = modeType as AuthenticationTypeName;
  } else if (p.boolean('NoPasswordRequired') === true) {
    authenticationType = 'no-password-required';
  } else {
    authenticationType = passwords.length > 0 ? 'password' : 'no-password-required';
  }
  return {
    origin: p.origin,
    userId,
    userName: p.string('UserName') ?? userId,
    engine: (p.string('Engine') ?? 'redis').toLowerCase() as EngineName,
    authenticationType,
    passwords,
    ...(unresolvedPasswords > 0 ? { unresolvedPasswords } : {}),
    // CloudFormation lets AccessString out; a user without one can do nothing until it is set.
    accessString: p.string('AccessString') ?? 'off -@all',
    tags: p.tags(),
  };
}

/** How many passwords the template lists (in AuthenticationMode or Passwords), resolvable or not. */
function rawPasswordCount(p: PropertyReader): number {
  const mode = p.raw.AuthenticationMode;
  const list = (typeof mode === 'object' && mode !== null && !Array.isArray(mode) ? (mode as Record<string, unknown>).Passwords : undefined) ?? p.raw.Passwords;
  return Array.isArray(list) ? list.length : 0;
}

export function readUserGroup(p: PropertyReader, userGroupId: string): UserGroupDesired {
  for (const name of ['UserGroupId', 'Engine', 'UserIds']) p.required(name);
  return {
    origin: p.origin,
    userGroupId,
    engine: (p.string('Engine') ?? 'redis').toLowerCase() as EngineName,
    userIds: p.strings('UserIds') ?? [],
    tags: p.tags(),
  };
}
