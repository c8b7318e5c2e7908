import { DeploymentSpec } from '../spec/model';
import { DeployedState, Plan } from './types';

/** Ordered actions that bring `current` to `desired`, replacing only where CloudFormation replaces. */
export function plan(desired: DeploymentSpec, current: DeployedState): Plan {
  void desired;
  void current;
  throw new Error('plan: not implemented yet');
}
