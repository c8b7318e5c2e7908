import { Arn, ArnFormat, IResource, Lazy, Resource, Stack } from 'aws-cdk-lib';
import { CfnUserGroup } from 'aws-cdk-lib/aws-elasticache';
import { aws_elasticache as elasticacheRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { generateId, memberModel, validationMessages } from './private';
import { IUser } from './user-base';
import { UserEngine } from './user-engine';
import { userGroupHasDefaultUser, validateIdentifier, validateUserGroup } from '../model/users';
import { CDK_CONTEXT, report } from '../private/report';

/**
 * An ElastiCache user group, created here or imported. A replication group takes one.
 */
export interface IUserGroup extends IResource, elasticacheRefs.IUserGroupRef {
  /**
   * The ID of the user group.
   *
   * @attribute
   */
  readonly userGroupId: string;

  /**
   * The ARN of the user group.
   *
   * @attribute
   */
  readonly userGroupArn: string;

  /**
   * The engine of the user group: a Redis OSS cache only takes `REDIS` groups, a Valkey cache
   * takes both. Unknown for a group imported without it.
   */
  readonly engine?: UserEngine;

  /**
   * The users in the group, as known here (a copy). Unknown for a group imported without them.
   */
  readonly users?: IUser[];

  /**
   * Whether the group holds a user named `default`, the user of connections that do not
   * authenticate. Unknown when a member's name is unknown, or the group is imported without users.
   */
  readonly hasDefaultUser?: boolean;

  /**
   * Adds a user to the group. Only for groups created in this app.
   *
   * @param user the user to add
   */
  addUser(user: IUser): void;
}

/**
 * Properties of a `UserGroup`.
 */
export interface UserGroupProps {
  /**
   * The ID of the user group: a letter, then letters, digits and hyphens, in lower case.
   * Changing it replaces the group.
   *
   * @default - a unique ID derived from the construct path
   */
  readonly userGroupId?: string;

  /**
   * The engine of the user group. A `REDIS` group holds only Redis users and must include a
   * user named `default`; a `VALKEY` group holds Valkey users and Redis users that authenticate
   * with a password or IAM, and needs no `default` user. A Redis OSS cache only takes `REDIS` groups.
   *
   * @default UserEngine.VALKEY
   */
  readonly engine?: UserEngine;

  /**
   * The users in the group (at most 100). More can be added with `addUser()`.
   *
   * @default - none at first; add users with `addUser()` before synth
   */
  readonly users?: IUser[];
}

/**
 * What to know about an existing user group to use it here. Give `userGroupId` or `userGroupArn`.
 */
export interface UserGroupAttributes {
  /**
   * The ID of the user group.
   *
   * @default - taken from `userGroupArn`
   */
  readonly userGroupId?: string;

  /**
   * The ARN of the user group.
   *
   * @default - built from `userGroupId` in this stack's account and region
   */
  readonly userGroupArn?: string;

  /**
   * The engine of the user group. Give it so a cache can check it takes this group.
   *
   * @default - unknown
   */
  readonly engine?: UserEngine;

  /**
   * The users in the group.
   *
   * @default - unknown
   */
  readonly users?: IUser[];
}

/**
 * Base class of `UserGroup` and imported user groups.
 */
export abstract class UserGroupBase extends Resource implements IUserGroup {
  /**
   * The ID of the user group.
   *
   * @attribute
   */
  public abstract readonly userGroupId: string;
  /**
   * The ARN of the user group.
   *
   * @attribute
   */
  public abstract readonly userGroupArn: string;
  /** The engine of the user group. */
  public abstract readonly engine?: UserEngine;
  /** The users in the group. */
  public abstract readonly users?: IUser[];

  /**
   * Whether the group holds a user named `default`; unknown when a member's name is unknown.
   */
  public get hasDefaultUser(): boolean | undefined {
    const users = this.users;
    return users === undefined ? undefined : userGroupHasDefaultUser(CDK_CONTEXT, users.map(memberModel));
  }

  /**
   * A reference to this user group for aws-cdk-lib APIs that take an `IUserGroupRef`.
   */
  public get userGroupRef(): elasticacheRefs.UserGroupReference {
    return { userGroupId: this.userGroupId, userGroupArn: this.userGroupArn };
  }

  /**
   * Adds a user to the group. Imported groups cannot be changed, so this throws for them.
   *
   * @param user the user to add
   */
  public addUser(user: IUser): void {
    throw new Error(
      `UserGroup at '${this.node.path}': cannot add user '${user.node.path}' to an imported user group. ` +
        'Fix: manage the group where it is defined, or define the group in this app with new UserGroup().',
    );
  }
}

/**
 * An ElastiCache user group: the users (and so the permissions) a cache accepts.
 *
 * The group depends on its users, so CloudFormation creates them first. Its members are
 * checked at synth, so users added later with `addUser()` are checked too.
 *
 * @example
 * const group = new UserGroup(this, 'Users', { engine: UserEngine.VALKEY });
 * group.addUser(appUser);
 * group.addUser(adminUser);
 *
 * @resource AWS::ElastiCache::UserGroup
 */
export class UserGroup extends UserGroupBase {
  /**
   * Imports an existing user group by its ID.
   *
   * @param scope the parent construct
   * @param id the construct ID
   * @param userGroupId the ID of the existing user group
   */
  public static fromUserGroupId(scope: Construct, id: string, userGroupId: string): IUserGroup {
    return UserGroup.fromUserGroupAttributes(scope, id, { userGroupId });
  }

  /**
   * Imports an existing user group by its ARN.
   *
   * @param scope the parent construct
   * @param id the construct ID
   * @param userGroupArn the ARN, `arn:<partition>:elasticache:<region>:<account>:usergroup:<id>`
   */
  public static fromUserGroupArn(scope: Construct, id: string, userGroupArn: string): IUserGroup {
    return UserGroup.fromUserGroupAttributes(scope, id, { userGroupArn });
  }

  /**
   * Imports an existing user group from what is known about it.
   *
   * @param scope the parent construct
   * @param id the construct ID
   * @param attrs the group's ID or ARN, and optionally its engine and users
   */
  public static fromUserGroupAttributes(scope: Construct, id: string, attrs: UserGroupAttributes): IUserGroup {
    const where = `UserGroup.fromUserGroupAttributes at '${scope.node.path}/${id}'`;
    if (attrs.userGroupId !== undefined && attrs.userGroupArn !== undefined) {
      throw new Error(`${where}: give userGroupId or userGroupArn, not both. Fix: keep one of them; the other is derived.`);
    }
    let userGroupId: string;
    let userGroupArn: string;
    if (attrs.userGroupArn !== undefined) {
      userGroupArn = attrs.userGroupArn;
      const name = Arn.split(attrs.userGroupArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
      if (!name) {
        throw new Error(
          `${where}: userGroupArn '${attrs.userGroupArn}' has no user group ID. ` +
            'Fix: give an ARN of the form arn:aws:elasticache:<region>:<account>:usergroup:<id>.',
        );
      }
      userGroupId = name;
    } else if (attrs.userGroupId !== undefined) {
      userGroupId = attrs.userGroupId;
      userGroupArn = Stack.of(scope).formatArn({
        service: 'elasticache',
        resource: 'usergroup',
        resourceName: attrs.userGroupId,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    } else {
      throw new Error(`${where}: neither userGroupId nor userGroupArn given. Fix: give one of them.`);
    }

    class Import extends UserGroupBase {
      public readonly userGroupId = userGroupId;
      public readonly userGroupArn = userGroupArn;
      public readonly engine = attrs.engine;
      public get users(): IUser[] | undefined {
        return attrs.users ? [...attrs.users] : undefined;
      }
    }
    return new Import(scope, id, { environmentFromArn: attrs.userGroupArn });
  }

  /**
   * The ID of the user group (a reference to the resource, so users of it depend on it).
   *
   * @attribute
   */
  public readonly userGroupId: string;
  /**
   * The ARN of the user group.
   *
   * @attribute
   */
  public readonly userGroupArn: string;
  /**
   * The status of the user group: `creating`, `active`, `modifying` or `deleting`.
   *
   * @attribute
   */
  public readonly userGroupStatus: string;
  /** The engine of the user group. */
  public readonly engine?: UserEngine;

  private readonly _users: IUser[] = [];
  private readonly resource: CfnUserGroup;

  constructor(scope: Construct, id: string, props: UserGroupProps = {}) {
    super(scope, id);
    const engine = props.engine ?? UserEngine.VALKEY;
    this.engine = engine;
    const physicalId = props.userGroupId ?? generateId(this, 'users');
    report(this, 'UserGroup', validateIdentifier(CDK_CONTEXT, 'N6', 'userGroupId', physicalId));

    this.resource = new CfnUserGroup(this, 'Resource', {
      engine,
      userGroupId: physicalId,
      userIds: Lazy.list({ produce: () => this._users.map((u) => u.userId) }),
    });
    this.userGroupId = this.resource.ref;
    this.userGroupArn = this.resource.attrArn;
    this.userGroupStatus = this.resource.attrStatus;

    for (const user of props.users ?? []) {
      this.addUser(user);
    }

    this.node.addValidation({
      validate: () =>
        validationMessages(
          this,
          validateUserGroup(CDK_CONTEXT, {
            engine,
            users: this._users.map(memberModel),
          }),
        ),
    });
  }

  /** The users in the group (a copy; add users with `addUser()`). */
  public get users(): IUser[] | undefined {
    return [...this._users];
  }

  /**
   * Adds a user to the group; the group then depends on the user. Checked at synth: engines,
   * duplicate names, the `default` user (Redis groups) and the limit of 100 users.
   *
   * @param user the user to add
   */
  public addUser(user: IUser): void {
    this._users.push(user);
    this.resource.node.addDependency(user);
  }
}
