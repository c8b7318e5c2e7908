/**
 * The AWS CLI's shorthand for a list of structures, as `--replica-configuration` takes it:
 * `NodeGroupId=0001,NewReplicaCount=2,PreferredAvailabilityZones=us-east-1a,us-east-1b` (a value
 * followed by bare items is a list; `[a,b]` also works), one structure per argument, or the
 * same as JSON (`[{"NodeGroupId":"0001","NewReplicaCount":2}]`). Keys come back camel-cased.
 */
const camel = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);

function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelKeys(x)]));
  return v;
}

export function parseShorthandList(args: readonly string[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const arg of args) {
    const text = arg.trim();
    if (text.startsWith('[') || text.startsWith('{')) {
      const parsed = JSON.parse(text) as unknown;
      out.push(...(Array.isArray(parsed) ? parsed : [parsed]).map((x) => camelKeys(x) as Record<string, unknown>));
      continue;
    }
    const struct: Record<string, unknown> = {};
    let last: string | undefined;
    for (const part of text.replace(/\[|\]/g, '').split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) {
        last = camel(part.slice(0, eq).trim());
        struct[last] = part.slice(eq + 1).trim();
      } else if (last !== undefined && part.trim() !== '') {
        const prev = struct[last];
        struct[last] = [...(Array.isArray(prev) ? prev : [prev]), part.trim()];
      } else if (part.trim() !== '') {
        throw new Error(`cannot read '${arg}': expected Key=Value pairs separated by commas`);
      }
    }
    // List-valued members stay lists even with one item.
    if (typeof struct.preferredAvailabilityZones === 'string') struct.preferredAvailabilityZones = [struct.preferredAvailabilityZones];
    out.push(struct);
  }
  return out;
}
