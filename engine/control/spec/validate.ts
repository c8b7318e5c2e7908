import { DeploymentSpec, Problem } from './model';

/** Every problem of the spec: reading problems, src/model's rules per resource, spec-level references. */
export function validateSpec(spec: DeploymentSpec): Problem[] {
  void spec;
  throw new Error('validateSpec: not implemented yet');
}
