import { ParameterGroupDesired } from '../model';
import { PropertyReader } from '../properties';

export function readParameterGroup(p: PropertyReader, name: string): ParameterGroupDesired {
  p.required('CacheParameterGroupFamily');
  p.required('Description');
  const raw = p.object('Properties') ?? {};
  const parameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parameters[k] = String(v);
    else p.problem(`Properties.${k}`, 'SPEC-TYPE', `parameter ${k} must be a string, got ${JSON.stringify(v)}`, `give ${k} as a string value`);
  }
  return {
    origin: p.origin,
    name,
    family: p.string('CacheParameterGroupFamily') ?? '',
    description: p.string('Description') ?? '',
    parameters,
    tags: p.tags(),
  };
}
