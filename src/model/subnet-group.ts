import { validateSubnetGroupName } from './names';
import { isKnown, RuleContext, violation, Violation } from './violation';

/** Most subnets one cache subnet group can hold. */
export const MAX_SUBNETS_PER_SUBNET_GROUP = 20;

/** A cache subnet group, as the rules see it. */
export interface SubnetGroupSpec {
  readonly name?: string;
  /** The subnet ids (or a token for a list). */
  readonly subnetIds: readonly string[];
}

/** X3 and N3: the subnets and the name of a subnet group. `subnetsProperty` names the prop that gave the subnets. */
export function validateSubnetGroup(spec: SubnetGroupSpec, ctx: RuleContext, subnetsProperty: string): Violation[] {
  const out: Violation[] = [];
  const ids = spec.subnetIds;
  if (isKnown(ctx, ids) && ids.length > MAX_SUBNETS_PER_SUBNET_GROUP) {
    out.push(violation('X3', `at most ${MAX_SUBNETS_PER_SUBNET_GROUP} subnets per subnet group`, subnetsProperty, `${ids.length} subnets selected`, `select at most ${MAX_SUBNETS_PER_SUBNET_GROUP} subnets`));
  }
  if (isKnown(ctx, ids) && ids.length === 0) {
    out.push(violation('X3', 'a subnet group needs subnets', subnetsProperty, 'the selection matched no subnet of the VPC', 'select subnets that exist in the VPC'));
  }
  out.push(...validateSubnetGroupName(spec.name, ctx, 'subnetGroupName'));
  return out;
}

/** X3: a replication group takes its subnets from an existing subnet group or from a list, not both. */
export function validateSubnetSource(hasSubnetGroup: boolean, hasSubnets: boolean, subnetsProperty: string): Violation[] {
  return hasSubnetGroup && hasSubnets
    ? [violation('X3', 'subnets come from one place', subnetsProperty, `both subnetGroup and ${subnetsProperty} are set`, 'set only one of them')]
    : [];
}
