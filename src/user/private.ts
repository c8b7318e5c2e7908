import { Annotations, Names } from 'aws-cdk-lib';
import { CfnUser } from 'aws-cdk-lib/aws-elasticache';
import { IConstruct } from 'constructs';
import type { IUser } from './user-base';
import { AuthenticationType, UserEngine } from './user-engine';
import { cleanIdentifier } from '../model/names';
import { UserAuthentication, UserGroupMemberModel, UserModel, validateUser } from '../model/users';
import { formatViolation, Violation } from '../model/violation';
import { CDK_CONTEXT, report } from '../private/report';
import { userGroupMemberModel } from '../private/user-group-member';

/**
 * Internal helpers shared by the user constructs (not exported from the package).
 */

/** A lower-case ID from the construct path: a letter, then letters, digits and hyphens. */
export function generateId(scope: IConstruct, prefix: string, maxLength = 40): string {
  const cleaned = cleanIdentifier(Names.uniqueResourceName(scope, { maxLength, separator: '-' }));
  return cleaned === '' ? `${prefix}-${Names.uniqueId(scope).toLowerCase().slice(-8)}` : cleaned;
}

/** Properties every concrete user renders. */
export interface RenderUserOptions {
  readonly kind: string;
  readonly userId: string;
  readonly userName: string;
  readonly engine: UserEngine;
  readonly authenticationType: AuthenticationType;
  readonly accessString: string;
  readonly passwords?: string[];
}

/** Validates a user (throws on errors, annotates warnings) and creates its `AWS::ElastiCache::User`. */
export function renderUser(scope: IConstruct, o: RenderUserOptions): CfnUser {
  const model: UserModel = {
    userId: o.userId,
    userName: o.userName,
    engine: o.engine,
    authentication: o.authenticationType as UserAuthentication,
    passwords: o.passwords,
    accessString: o.accessString,
  };
  report(scope, o.kind, validateUser(CDK_CONTEXT, model));

  const authenticationMode: Record<string, unknown> = { Type: o.authenticationType };
  if (o.passwords) {
    authenticationMode.Passwords = o.passwords;
  }
  return new CfnUser(scope, 'Resource', {
    engine: o.engine,
    userId: o.userId,
    userName: o.userName,
    accessString: o.accessString,
    authenticationMode,
    noPasswordRequired: o.authenticationType === AuthenticationType.NO_PASSWORD_REQUIRED ? true : undefined,
  });
}

/** How the user group rules see a member. */
export function memberModel(user: IUser): UserGroupMemberModel {
  return userGroupMemberModel(CDK_CONTEXT, user);
}

const EMITTED_WARNINGS = new WeakMap<IConstruct, Set<string>>();

/**
 * For `node.addValidation`: errors become the returned messages (CDK prefixes the construct
 * path), warnings become annotations.
 */
export function validationMessages(scope: IConstruct, violations: Violation[]): string[] {
  const emitted = EMITTED_WARNINGS.get(scope) ?? new Set<string>();
  EMITTED_WARNINGS.set(scope, emitted);
  for (const w of violations.filter((v) => v.severity === 'warning')) {
    const text = formatViolation(w);
    if (!emitted.has(text)) {
      emitted.add(text);
      Annotations.of(scope).addWarningV2(`cdk-elasticache:${w.rule}`, text);
    }
  }
  return violations.filter((v) => v.severity === 'error').map(formatViolation);
}
