// The deployment spec: read (cdk.out, CloudFormation JSON/YAML), validate, and the model both produce.
export * from './model';
export { readSpec, readTemplate, SpecError, DEFAULT_REGION, DEFAULT_ACCOUNT } from './read';
export { validateSpec } from './validate';
export { parseParameterArgs, loadParametersFile, loadSecretsFile } from './cli-options';
export { SECRET_ENV_PREFIX, PARAMETER_ENV_PREFIX, envName } from './secrets';
export { formatProblem, formatProblems } from './format-problems';
