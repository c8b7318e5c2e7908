import { parameterDefinition } from '#model/parameters/catalogue';
import { ParameterChange } from './types';

/**
 * The parameter differences between two versions of a group, each with when it reaches the
 * nodes: parameters the catalogue marks `immediately` are dynamic (set live), the others
 * (`at-creation`: databases, activerehashing, reserved-memory-percent...) are static and leave
 * the nodes in `pending-reboot` until they are rebooted.
 */
export function parameterChanges(family: string, from: Readonly<Record<string, string>>, to: Readonly<Record<string, string>>): ParameterChange[] {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  const out: ParameterChange[] = [];
  for (const name of names) {
    if (from[name] === to[name]) continue;
    out.push({
      name,
      ...(from[name] !== undefined ? { from: from[name] } : {}),
      ...(to[name] !== undefined ? { to: to[name] } : {}),
      applyType: applyTypeOf(family, name),
    });
  }
  return out;
}

export function applyTypeOf(family: string, name: string): 'dynamic' | 'static' {
  let def;
  try {
    def = parameterDefinition(family, name);
  } catch {
    def = undefined; // unknown family: validation reports it
  }
  return def === undefined || def.applies === 'immediately' ? 'dynamic' : 'static';
}
