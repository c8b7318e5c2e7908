import { IConstruct } from 'constructs';
import { UserAuthentication, UserGroupMemberModel } from '../model/users';
import { RuleContext } from '../model/violation';
import { AuthenticationType, UserEngine } from '../user/user-engine';

/** A user as either face exposes it (`IUser` of the CloudFormation or the Terraform face). */
export interface UserGroupMember extends IConstruct {
  readonly userId: string;
  readonly userName?: string;
  readonly engine?: UserEngine;
  readonly authenticationType?: AuthenticationType;
}

/** How the user group rules see a member: names a token hides are unknown. */
export function userGroupMemberModel(ctx: RuleContext, user: UserGroupMember): UserGroupMemberModel {
  const known = (v: string | undefined) => (v === undefined || ctx.isUnresolved(v) ? undefined : v);
  return {
    label: `'${user.node.path}'`,
    userId: known(user.userId),
    userName: known(user.userName),
    engine: user.engine,
    authentication: user.authenticationType as UserAuthentication | undefined,
  };
}
