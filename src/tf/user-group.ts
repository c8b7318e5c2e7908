import { TerraformResource } from 'cdktn';
import { Construct, IConstruct } from 'constructs';
import { ResourceOptions } from './resource-options';
import { IUser } from './user';
import { MAX_REPLICATION_GROUP_ID_LENGTH } from '../model/names';
import { userGroupHasDefaultUser, validateIdentifier, validateUserGroup } from '../model/users';
import { userGroupMemberModel } from '../private/user-group-member';
import { UserEngine } from '../user/user-engine';
import { AwsResource } from './private/aws-resource';
import { nameFromPath } from './private/names';
import { reportTf, TF_CONTEXT, validationMessagesTf } from './private/report';

/** An ElastiCache user group of the Terraform face. */
export interface IUserGroup extends IConstruct {
  /** The ID of the user group. */
  readonly userGroupId: string;
  /** The engine of the group; unknown for an imported group. */
  readonly engine?: UserEngine;
}

/** Properties of a Terraform {@link UserGroup}. */
export interface UserGroupProps extends ResourceOptions {
  /**
   * The ID of the user group: a letter, then letters, digits and hyphens, in lower case.
   * @default - a unique ID derived from the construct path
   */
  readonly userGroupId?: string;
  /**
   * The engine of the user group (a Redis OSS cache only takes `REDIS` groups).
   * @default UserEngine.VALKEY
   */
  readonly engine?: UserEngine;
  /**
   * The users in the group (at most 100); more with `addUser()`.
   * @default - none at first
   */
  readonly users?: IUser[];
}

/** `aws_elasticache_user_group` arguments, as the AWS provider spells them. */
interface AwsElasticacheUserGroupArgs {
  readonly user_group_id: string;
  readonly engine: string;
  readonly user_ids: string[];
  readonly region?: string;
  readonly tags?: Record<string, string>;
}

/**
 * An ElastiCache user group (`aws_elasticache_user_group`): the users a cache accepts. Members are
 * checked at synth with the same rules as the CloudFormation `UserGroup`.
 *
 * @example
 * declare const app: tf.IUser;
 * new tf.UserGroup(this, 'Users', { engine: UserEngine.VALKEY, users: [app] });
 */
export class UserGroup extends Construct implements IUserGroup {
  /**
   * Imports an existing user group by ID.
   * @param scope the parent construct
   * @param id the construct id
   * @param userGroupId the ID of the group
   * @param engine the engine of the group, if known
   */
  public static fromUserGroupId(scope: Construct, id: string, userGroupId: string, engine?: UserEngine): IUserGroup {
    return new (class extends Construct implements IUserGroup {
      public readonly userGroupId = userGroupId;
      public readonly engine = engine;
    })(scope, id);
  }

  /** The ID of the group (a reference, so users of it depend on it). */
  public readonly userGroupId: string;
  /** The ARN of the group. */
  public readonly userGroupArn: string;
  /** The engine of the group. */
  public readonly engine?: UserEngine;
  /** The `aws_elasticache_user_group` resource. */
  public readonly resource: TerraformResource;
  private readonly _users: IUser[] = [];

  constructor(scope: Construct, id: string, props: UserGroupProps = {}) {
    super(scope, id);
    const engine = props.engine ?? UserEngine.VALKEY;
    this.engine = engine;
    const physicalId = props.userGroupId ?? nameFromPath(this, MAX_REPLICATION_GROUP_ID_LENGTH, 'users');
    reportTf(this, 'UserGroup', validateIdentifier(TF_CONTEXT, 'N6', 'userGroupId', physicalId));
    const args = (): AwsElasticacheUserGroupArgs => ({
      user_group_id: physicalId,
      engine,
      // Users created here are referenced (Terraform creates them first); imported ones by ID.
      user_ids: this._users.map((u) => (hasResource(u) ? u.resource.getStringAttribute('user_id') : u.userId)),
      region: props.region,
      tags: props.tags,
    });
    this.resource = new AwsResource(this, 'Resource', 'aws_elasticache_user_group', args, props.provider);
    this.userGroupId = this.resource.getStringAttribute('user_group_id');
    this.userGroupArn = this.resource.getStringAttribute('arn');
    for (const user of props.users ?? []) this.addUser(user);
    this.node.addValidation({
      validate: () => validationMessagesTf(this, validateUserGroup(TF_CONTEXT, { engine, users: this.members() })),
    });
  }

  /** The users in the group (a copy). */
  public get users(): IUser[] {
    return [...this._users];
  }

  /** Whether the group holds a user named `default`; undefined when a member's name is unknown. */
  public get hasDefaultUser(): boolean | undefined {
    return userGroupHasDefaultUser(TF_CONTEXT, this.members());
  }

  /**
   * Adds a user; checked at synth (engines, names, the `default` user, at most 100 users).
   * @param user the user to add
   */
  public addUser(user: IUser): void {
    this._users.push(user);
  }

  private members() {
    return this._users.map((u) => userGroupMemberModel(TF_CONTEXT, u));
  }
}

function hasResource(u: IUser): u is IUser & { resource: TerraformResource } {
  return (u as { resource?: unknown }).resource instanceof TerraformResource;
}
