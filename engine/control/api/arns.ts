import { DeployedState } from '../plan/types';

export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** `arn:aws:elasticache:<region>:<account>:<kind>:<id>` (kind: replicationgroup, cluster, snapshot, user, usergroup, parametergroup, subnetgroup). */
export function elasticacheArn(state: Pick<DeployedState, 'region' | 'accountId'>, kind: string, id: string): string {
  return `arn:${partitionOf(state.region)}:elasticache:${state.region}:${state.accountId}:${kind}:${id}`;
}
