/**
 * Engine of an ElastiCache user or user group (CloudFormation `Engine`).
 *
 * A Redis OSS cache only takes `REDIS` user groups; a Valkey cache takes both.
 */
export enum UserEngine {
  /** Valkey. A Valkey user group may also hold Redis users that authenticate with a password or IAM. */
  VALKEY = 'valkey',
  /** Redis OSS. A Redis user group only holds Redis users and must include a user named `default`. */
  REDIS = 'redis',
}

/**
 * How an ElastiCache user authenticates (CloudFormation `AuthenticationMode.Type`).
 */
export enum AuthenticationType {
  /** With one or two passwords (`PasswordUser`). */
  PASSWORD = 'password',
  /** Without a password (`NoPasswordUser`; Redis OSS only). */
  NO_PASSWORD_REQUIRED = 'no-password-required',
  /** With a short-lived IAM authentication token (`IamUser`; Valkey, or Redis OSS 7.0 and later). */
  IAM = 'iam',
}
