import { Arn, ArnFormat, IResource, Resource, Stack } from 'aws-cdk-lib';
import { aws_elasticache as elasticacheRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { AccessControl } from './access-control';
import { AuthenticationType, UserEngine } from './user-engine';

/**
 * Properties shared by every kind of ElastiCache user.
 */
export interface UserBaseProps {
  /**
   * The ID of the user: a letter, then letters, digits and hyphens, in lower case. It names the
   * user in ElastiCache (user groups list users by ID) and cannot change without replacing the
   * user. `default` is taken by the user ElastiCache creates itself.
   *
   * @default - a unique ID derived from the construct path
   */
  readonly userId?: string;

  /**
   * What the user may do: its keys, channels and commands.
   */
  readonly accessControl: AccessControl;

  /**
   * The engine of the user.
   *
   * @default - UserEngine.REDIS for NoPasswordUser, UserEngine.VALKEY for the other users
   */
  readonly engine?: UserEngine;
}

/**
 * An ElastiCache user (Valkey or Redis OSS RBAC), created here or imported.
 */
export interface IUser extends IResource, elasticacheRefs.IUserRef {
  /**
   * The ID of the user.
   *
   * @attribute
   */
  readonly userId: string;

  /**
   * The name clients authenticate with (`AUTH <userName> <password>`); unknown for a user
   * imported without it.
   *
   * @attribute
   */
  readonly userName?: string;

  /**
   * The ARN of the user.
   *
   * @attribute
   */
  readonly userArn: string;

  /**
   * The engine of the user; unknown for a user imported without it.
   */
  readonly engine?: UserEngine;

  /**
   * How the user authenticates; unknown for a user imported without it.
   */
  readonly authenticationType?: AuthenticationType;
}

/**
 * What to know about an existing user to use it here. Give `userId` or `userArn`.
 */
export interface UserBaseAttributes {
  /**
   * The ID of the user.
   *
   * @default - taken from `userArn`
   */
  readonly userId?: string;

  /**
   * The ARN of the user.
   *
   * @default - built from `userId` in this stack's account and region
   */
  readonly userArn?: string;

  /**
   * The name of the user. Give it so user groups can check names (`default`, duplicates).
   *
   * @default - unknown; for the user ID `default` (the built-in user) the name is `default`
   */
  readonly userName?: string;

  /**
   * The engine of the user. Give it so user groups can check engines.
   *
   * @default - unknown
   */
  readonly engine?: UserEngine;

  /**
   * How the user authenticates. Give it so Valkey user groups can refuse users without a password.
   *
   * @default - unknown
   */
  readonly authenticationType?: AuthenticationType;
}

/**
 * Base class of the ElastiCache users: `PasswordUser`, `NoPasswordUser` and `IamUser`, and the
 * way to import an existing user.
 */
export abstract class UserBase extends Resource implements IUser {
  /**
   * Imports an existing user by its ID.
   *
   * @param scope the parent construct
   * @param id the construct ID
   * @param userId the ID of the existing user, e.g. `default` for the user ElastiCache creates itself
   */
  public static fromUserId(scope: Construct, id: string, userId: string): IUser {
    return UserBase.fromUserAttributes(scope, id, { userId });
  }

  /**
   * Imports an existing user by its ARN.
   *
   * @param scope the parent construct
   * @param id the construct ID
   * @param userArn the ARN, `arn:<partition>:elasticache:<region>:<account>:user:<user-id>`
   */
  public static fromUserArn(scope: Construct, id: string, userArn: string): IUser {
    return UserBase.fromUserAttributes(scope, id, { userArn });
  }

  /**
   * Imports an existing user from what is known about it.
   *
   * @param scope the parent construct
   * @param id the construct ID
   * @param attrs the user's ID or ARN, and optionally its name, engine and authentication type
   */
  public static fromUserAttributes(scope: Construct, id: string, attrs: UserBaseAttributes): IUser {
    const stack = Stack.of(scope);
    if (attrs.userId !== undefined && attrs.userArn !== undefined) {
      throw new Error(
        `UserBase.fromUserAttributes at '${scope.node.path}/${id}': give userId or userArn, not both. ` +
          'Fix: keep one of them; the other is derived.',
      );
    }
    let userId: string;
    let userArn: string;
    if (attrs.userArn !== undefined) {
      userArn = attrs.userArn;
      const resourceName = Arn.split(attrs.userArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
      if (!resourceName) {
        throw new Error(
          `UserBase.fromUserAttributes at '${scope.node.path}/${id}': userArn '${attrs.userArn}' has no user ID. ` +
            'Fix: give an ARN of the form arn:aws:elasticache:<region>:<account>:user:<user-id>.',
        );
      }
      userId = resourceName;
    } else if (attrs.userId !== undefined) {
      userId = attrs.userId;
      userArn = stack.formatArn({
        service: 'elasticache',
        resource: 'user',
        resourceName: attrs.userId,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    } else {
      throw new Error(
        `UserBase.fromUserAttributes at '${scope.node.path}/${id}': neither userId nor userArn given. Fix: give one of them.`,
      );
    }

    class Import extends UserBase {
      public readonly userId = userId;
      public readonly userArn = userArn;
      public readonly userName = attrs.userName;
      public readonly engine = attrs.engine;
      public readonly authenticationType = attrs.authenticationType;
    }
    return new Import(scope, id, { environmentFromArn: attrs.userArn });
  }

  /**
   * The ID of the user.
   *
   * @attribute
   */
  public abstract readonly userId: string;

  /**
   * The name clients authenticate with.
   *
   * @attribute
   */
  public abstract readonly userName?: string;

  /**
   * The ARN of the user.
   *
   * @attribute
   */
  public abstract readonly userArn: string;

  /**
   * The engine of the user.
   */
  public abstract readonly engine?: UserEngine;

  /**
   * How the user authenticates.
   */
  public abstract readonly authenticationType?: AuthenticationType;

  /**
   * A reference to this user for aws-cdk-lib APIs that take an `IUserRef`. Its `userName` is the
   * user's name, or its ID when the name is unknown.
   */
  public get userRef(): elasticacheRefs.UserReference {
    return { userName: this.userName ?? this.userId, userArn: this.userArn };
  }
}
