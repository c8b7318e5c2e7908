import { Construct } from 'constructs';
import { generateId, renderUser } from './private';
import { UserBase, UserBaseProps } from './user-base';
import { AuthenticationType, UserEngine } from './user-engine';

/**
 * Properties of a `NoPasswordUser`.
 */
export interface NoPasswordUserProps extends UserBaseProps {
  /**
   * The name clients authenticate with; any password is accepted.
   *
   * @default - the user ID
   */
  readonly userName?: string;
}

/**
 * An ElastiCache user that needs no password (Redis OSS only; Valkey users and Valkey user
 * groups refuse it). Anyone who reaches the cache can act as this user: keep its access string
 * narrow, e.g. read-only on a few keys.
 *
 * @example
 * new NoPasswordUser(this, 'Default', {
 *   userId: 'redis-default',
 *   userName: 'default',
 *   engine: UserEngine.REDIS,
 *   accessControl: AccessControl.fromAccessString('on ~public:* +@read'),
 * });
 *
 * @resource AWS::ElastiCache::User
 */
export class NoPasswordUser extends UserBase {
  /** The ID of the user. */
  public readonly userId: string;
  /** The name clients authenticate with. */
  public readonly userName?: string;
  /**
   * The ARN of the user.
   *
   * @attribute
   */
  public readonly userArn: string;
  /**
   * The status of the user: `active`, `modifying` or `deleting`.
   *
   * @attribute
   */
  public readonly userStatus: string;
  /** The engine of the user. */
  public readonly engine?: UserEngine;
  /** Always `AuthenticationType.NO_PASSWORD_REQUIRED`. */
  public readonly authenticationType?: AuthenticationType = AuthenticationType.NO_PASSWORD_REQUIRED;
  /** The access string of the user. */
  public readonly accessString: string;

  constructor(scope: Construct, id: string, props: NoPasswordUserProps) {
    super(scope, id);
    this.userId = props.userId ?? generateId(this, 'user');
    const userName = props.userName ?? this.userId;
    const engine = props.engine ?? UserEngine.REDIS;
    this.userName = userName;
    this.engine = engine;
    this.accessString = props.accessControl.accessString;

    const resource = renderUser(this, {
      kind: 'NoPasswordUser',
      userId: this.userId,
      userName,
      engine,
      authenticationType: AuthenticationType.NO_PASSWORD_REQUIRED,
      accessString: this.accessString,
    });
    this.userArn = resource.attrArn;
    this.userStatus = resource.attrStatus;
  }
}
