import { SubnetGroupDesired } from '../model';
import { PropertyReader } from '../properties';

/** `subnetAzs` maps a subnet id (as Ref gives it) to its AZ, for the template's AWS::EC2::Subnet resources. */
export function readSubnetGroup(p: PropertyReader, name: string, subnetAzs: ReadonlyMap<string, string>): SubnetGroupDesired {
  p.required('Description');
  p.required('SubnetIds');
  const subnetIds = p.strings('SubnetIds') ?? [];
  const azs: string[] = [];
  for (const s of subnetIds) {
    const az = subnetAzs.get(s);
    if (az && !azs.includes(az)) azs.push(az);
  }
  return { origin: p.origin, name, description: p.string('Description') ?? '', subnetIds, availabilityZones: azs, tags: p.tags() };
}
