export * from './user-engine';
export * from './access-control';
export * from './user-base';
export * from './password-user';
export * from './no-password-user';
export * from './iam-user';
export * from './user-group';
