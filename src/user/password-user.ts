import { SecretValue } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { generateId, renderUser } from './private';
import { UserBase, UserBaseProps } from './user-base';
import { AuthenticationType, UserEngine } from './user-engine';

/**
 * Properties of a `PasswordUser`.
 */
export interface PasswordUserProps extends UserBaseProps {
  /**
   * The name clients authenticate with (`AUTH <userName> <password>`). Several users may share
   * a name as long as they are in different user groups; name one `default` to make it the
   * user of connections that do not authenticate.
   *
   * @default - the user ID
   */
  readonly userName?: string;

  /**
   * One or two passwords (two let you rotate without downtime), each 16–128 printable ASCII
   * characters without `,` `"` `/` `@`. Literal values are checked at synth; secrets are passed
   * to CloudFormation as dynamic references and checked by ElastiCache at deploy.
   *
   * @default - one 32-character alphanumeric password generated in a new Secrets Manager secret
   * (`secret`), stored as JSON `{ "username": ..., "password": ... }`
   */
  readonly passwords?: SecretValue[];
}

/**
 * An ElastiCache user that authenticates with a password.
 *
 * @example
 * const user = new PasswordUser(this, 'App', {
 *   userId: 'app',
 *   accessControl: AccessControl.readOnly('app:*'),
 * });
 * user.secret!.grantRead(myFunction);
 *
 * @resource AWS::ElastiCache::User
 */
export class PasswordUser extends UserBase {
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
  /** Always `AuthenticationType.PASSWORD`. */
  public readonly authenticationType?: AuthenticationType = AuthenticationType.PASSWORD;
  /** The access string of the user. */
  public readonly accessString: string;
  /**
   * The secret holding the generated password (JSON keys `username` and `password`), when
   * `passwords` was not given.
   */
  public readonly secret?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: PasswordUserProps) {
    super(scope, id);
    this.userId = props.userId ?? generateId(this, 'user');
    const userName = props.userName ?? this.userId;
    const engine = props.engine ?? UserEngine.VALKEY;
    this.userName = userName;
    this.engine = engine;
    this.accessString = props.accessControl.accessString;

    let passwords = props.passwords;
    if (passwords === undefined) {
      const secret = new secretsmanager.Secret(this, 'Secret', {
        description: `Password of the ElastiCache user ${this.userId}`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ username: userName }),
          generateStringKey: 'password',
          passwordLength: 32,
          excludePunctuation: true,
        },
      });
      this.secret = secret;
      passwords = [secret.secretValueFromJson('password')];
    }

    const resource = renderUser(this, {
      kind: 'PasswordUser',
      userId: this.userId,
      userName,
      engine,
      authenticationType: AuthenticationType.PASSWORD,
      accessString: this.accessString,
      passwords: passwords.map((p) => p.unsafeUnwrap()),
    });
    this.userArn = resource.attrArn;
    this.userStatus = resource.attrStatus;
  }
}
