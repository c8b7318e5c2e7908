import { TerraformResource } from 'cdktn';
import { Construct, IConstruct } from 'constructs';
import { ResourceOptions } from './resource-options';
import { MAX_REPLICATION_GROUP_ID_LENGTH } from '../model/names';
import { UserAuthentication, validateUser } from '../model/users';
import { AccessControl } from '../user/access-control';
import { AuthenticationType, UserEngine } from '../user/user-engine';
import { AwsResource } from './private/aws-resource';
import { nameFromPath } from './private/names';
import { reportTf, TF_CONTEXT } from './private/report';

/** An ElastiCache user of the Terraform face, created here or imported. */
export interface IUser extends IConstruct {
  /** The ID of the user. */
  readonly userId: string;
  /** The name clients authenticate with; unknown for a user imported without it. */
  readonly userName?: string;
  /** The ARN of the user (a Terraform reference for users created here). */
  readonly userArn?: string;
  /** The engine of the user; unknown for a user imported without it. */
  readonly engine?: UserEngine;
  /** How the user authenticates; unknown for a user imported without it. */
  readonly authenticationType?: AuthenticationType;
}

/** Properties shared by every kind of Terraform user. */
export interface UserBaseProps extends ResourceOptions {
  /**
   * The ID of the user: a letter, then letters, digits and hyphens, in lower case.
   * @default - a unique ID derived from the construct path
   */
  readonly userId?: string;
  /** What the user may do: its keys, channels and commands. */
  readonly accessControl: AccessControl;
  /**
   * The engine of the user.
   * @default - UserEngine.REDIS for NoPasswordUser, UserEngine.VALKEY for the other users
   */
  readonly engine?: UserEngine;
}

/** What to know about an existing user to put it in a user group. */
export interface UserAttributes {
  /** The ID of the user, e.g. `default` for the user ElastiCache creates itself. */
  readonly userId: string;
  /**
   * The name of the user.
   * @default - unknown
   */
  readonly userName?: string;
  /**
   * The engine of the user.
   * @default - unknown
   */
  readonly engine?: UserEngine;
  /**
   * How the user authenticates.
   * @default - unknown
   */
  readonly authenticationType?: AuthenticationType;
}

/** `aws_elasticache_user` arguments, as the AWS provider spells them. */
interface AwsElasticacheUserArgs {
  readonly user_id: string;
  readonly user_name: string;
  readonly engine: string;
  readonly access_string: string;
  readonly authentication_mode: { readonly type: string; readonly passwords?: string[] };
  readonly no_password_required?: boolean;
  readonly region?: string;
  readonly tags?: Record<string, string>;
}

/**
 * Base class of the Terraform users (`aws_elasticache_user`): `PasswordUser`, `NoPasswordUser`, `IamUser`.
 */
export abstract class UserBase extends Construct implements IUser {
  /**
   * Imports an existing user, e.g. ElastiCache's own `default` user.
   * @param scope the parent construct
   * @param id the construct id
   * @param attrs the user's ID and what is known about it
   */
  public static fromUserAttributes(scope: Construct, id: string, attrs: UserAttributes): IUser {
    return new (class extends Construct implements IUser {
      public readonly userId = attrs.userId;
      public readonly userName = attrs.userName;
      public readonly engine = attrs.engine;
      public readonly authenticationType = attrs.authenticationType;
    })(scope, id);
  }

  /** The ID of the user. */
  public abstract readonly userId: string;
  /** The name clients authenticate with. */
  public abstract readonly userName?: string;
  /** The ARN of the user (a Terraform reference). */
  public abstract readonly userArn?: string;
  /** The engine of the user. */
  public abstract readonly engine?: UserEngine;
  /** How the user authenticates. */
  public abstract readonly authenticationType?: AuthenticationType;
}

/** Validates a user like the CloudFormation face does and creates its `aws_elasticache_user`. */
interface UserKind {
  readonly authentication: AuthenticationType;
  readonly defaultEngine: UserEngine;
  readonly userName?: string;
  readonly passwords?: string[];
}

/**
 * What the three concrete users share: their members and how they render. Not exported, so jsii
 * erases it and each concrete user keeps the members as its own (the public API is unchanged).
 */
abstract class RenderedUser extends UserBase {
  /** The ID of the user. */
  public readonly userId: string;
  /** The name clients authenticate with. */
  public readonly userName?: string;
  /** The ARN of the user (a Terraform reference). */
  public readonly userArn?: string;
  /** The engine of the user. */
  public readonly engine?: UserEngine;
  /** The access string of the user. */
  public readonly accessString: string;
  /** The `aws_elasticache_user` resource. */
  public readonly resource: TerraformResource;

  protected constructor(scope: Construct, id: string, kind: string, props: UserBaseProps, o: UserKind) {
    super(scope, id);
    const userId = props.userId ?? nameFromPath(this, MAX_REPLICATION_GROUP_ID_LENGTH, 'user');
    const userName = o.userName ?? userId;
    const engine = props.engine ?? o.defaultEngine;
    const accessString = props.accessControl.accessString;
    reportTf(this, kind, validateUser(TF_CONTEXT, {
      userId,
      userName,
      engine,
      authentication: o.authentication as UserAuthentication,
      passwords: o.passwords,
      accessString,
    }));
    const args: AwsElasticacheUserArgs = {
      user_id: userId,
      user_name: userName,
      engine,
      access_string: accessString,
      authentication_mode: { type: o.authentication, passwords: o.passwords },
      no_password_required: o.authentication === AuthenticationType.NO_PASSWORD_REQUIRED ? true : undefined,
      region: props.region,
      tags: props.tags,
    };
    this.resource = new AwsResource(this, 'Resource', 'aws_elasticache_user', () => args, props.provider);
    this.userId = userId;
    this.userName = userName;
    this.engine = engine;
    this.accessString = accessString;
    this.userArn = this.resource.getStringAttribute('arn');
  }
}

/** Properties of a Terraform {@link PasswordUser}. */
export interface PasswordUserProps extends UserBaseProps {
  /**
   * The name clients authenticate with; `default` makes it the user of connections that do not authenticate.
   * @default - the user ID
   */
  readonly userName?: string;
  /**
   * One or two passwords (two let you rotate), each 16–128 printable ASCII characters without `,` `"` `/` `@`.
   * Literal values are checked at synth; references (a sensitive variable, a data source) at apply.
   * Unlike the CloudFormation face, nothing is generated: Terraform has no Secrets Manager default to lean on.
   */
  readonly passwords: string[];
}

/**
 * An ElastiCache user that authenticates with a password.
 *
 * @example
 * declare const password: TerraformVariable;
 * new tf.PasswordUser(this, 'App', {
 *   userId: 'app',
 *   accessControl: AccessControl.readOnly('app:*'),
 *   passwords: [password.stringValue],
 * });
 */
export class PasswordUser extends RenderedUser {
  /** Always `AuthenticationType.PASSWORD`. */
  public readonly authenticationType?: AuthenticationType = AuthenticationType.PASSWORD;

  constructor(scope: Construct, id: string, props: PasswordUserProps) {
    super(scope, id, 'PasswordUser', props, {
      authentication: AuthenticationType.PASSWORD,
      defaultEngine: UserEngine.VALKEY,
      userName: props.userName,
      passwords: props.passwords,
    });
  }
}

/** Properties of a Terraform {@link NoPasswordUser}. */
export interface NoPasswordUserProps extends UserBaseProps {
  /**
   * The name clients authenticate with; any password is accepted.
   * @default - the user ID
   */
  readonly userName?: string;
}

/** An ElastiCache user that needs no password (Redis OSS only). Keep its access string narrow. */
export class NoPasswordUser extends RenderedUser {
  /** Always `AuthenticationType.NO_PASSWORD_REQUIRED`. */
  public readonly authenticationType?: AuthenticationType = AuthenticationType.NO_PASSWORD_REQUIRED;

  constructor(scope: Construct, id: string, props: NoPasswordUserProps) {
    super(scope, id, 'NoPasswordUser', props, {
      authentication: AuthenticationType.NO_PASSWORD_REQUIRED,
      defaultEngine: UserEngine.REDIS,
      userName: props.userName,
    });
  }
}

/** Properties of a Terraform {@link IamUser}. */
export interface IamUserProps extends UserBaseProps {
  /**
   * The name of the user; IAM authentication needs it to equal the user ID.
   * @default - the user ID
   */
  readonly userName?: string;
}

/** An ElastiCache user that authenticates with a short-lived IAM token (Valkey, or Redis OSS 7.0+). */
export class IamUser extends RenderedUser {
  /** Always `AuthenticationType.IAM`. */
  public readonly authenticationType?: AuthenticationType = AuthenticationType.IAM;

  constructor(scope: Construct, id: string, props: IamUserProps) {
    super(scope, id, 'IamUser', props, {
      authentication: AuthenticationType.IAM,
      defaultEngine: UserEngine.VALKEY,
      userName: props.userName,
    });
  }
}
