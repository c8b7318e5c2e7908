import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { generateId, renderUser } from './private';
import { UserBase, UserBaseProps } from './user-base';
import { AuthenticationType, UserEngine } from './user-engine';

/**
 * Properties of an `IamUser`.
 */
export interface IamUserProps extends UserBaseProps {
  /**
   * The name of the user. IAM authentication needs it to equal the user ID.
   *
   * @default - the user ID
   */
  readonly userName?: string;
}

/**
 * An ElastiCache user that authenticates with a short-lived IAM authentication token
 * (Valkey, or Redis OSS 7.0 and later; the cache needs in-transit encryption).
 *
 * The token is valid for 15 minutes and a connection for 12 hours. To connect, an IAM
 * identity needs `elasticache:Connect` on both the user (`grantConnect`) and the cache.
 *
 * @example
 * const user = new IamUser(this, 'Worker', {
 *   userId: 'worker',
 *   accessControl: AccessControl.fullAccessExceptDangerous('jobs:*'),
 * });
 * user.grantConnect(role);
 *
 * @resource AWS::ElastiCache::User
 */
export class IamUser extends UserBase {
  /** The ID of the user; also its name. */
  public readonly userId: string;
  /** The name of the user (equal to the user ID). */
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
  /** Always `AuthenticationType.IAM`. */
  public readonly authenticationType?: AuthenticationType = AuthenticationType.IAM;
  /** The access string of the user. */
  public readonly accessString: string;

  constructor(scope: Construct, id: string, props: IamUserProps) {
    super(scope, id);
    this.userId = props.userId ?? generateId(this, 'user');
    const userName = props.userName ?? this.userId;
    const engine = props.engine ?? UserEngine.VALKEY;
    this.userName = userName;
    this.engine = engine;
    this.accessString = props.accessControl.accessString;

    const resource = renderUser(this, {
      kind: 'IamUser',
      userId: this.userId,
      userName,
      engine,
      authenticationType: AuthenticationType.IAM,
      accessString: this.accessString,
    });
    this.userArn = resource.attrArn;
    this.userStatus = resource.attrStatus;
  }

  /**
   * Lets `grantee` connect as this user (`elasticache:Connect` on the user's ARN). It also needs
   * `elasticache:Connect` on the cache it connects to.
   *
   * @param grantee the IAM identity that will connect
   */
  public grantConnect(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'elasticache:Connect');
  }

  /**
   * Grants `grantee` the given actions on this user's ARN.
   *
   * @param grantee the IAM identity
   * @param actions IAM actions, e.g. `elasticache:Connect`
   */
  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.userArn] });
  }
}
