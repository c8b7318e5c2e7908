import { compareVersions, parseVersion } from './engine-versions';
import { validateDescription, validateGlobalDatastoreSuffix } from './names';
import { validateGlobalDatastoreNodeType } from './node-types';
import { isKnown, RuleContext, violation, Violation } from './violation';

/** A Global Datastore as plain data. */
export interface GlobalDatastoreSpec {
  readonly suffix?: string;
  readonly description?: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly primaryRegion?: string;
  /** Regions of the secondary members declared so far. */
  readonly secondaryRegions: string[];
}

const MAX_SECONDARIES = 2;

/** Rules G1, G2, N8 and the engine minimum of Global Datastores. */
export function validateGlobalDatastore(spec: GlobalDatastoreSpec, ctx: RuleContext): Violation[] {
  const out: Violation[] = [
    ...validateGlobalDatastoreSuffix(spec.suffix, ctx, 'globalDatastoreIdSuffix'),
    ...validateDescription(spec.description, ctx),
    ...validateGlobalDatastoreNodeType(spec.nodeType, ctx, 'primary.nodeType'),
  ];
  if (spec.engine === 'redis' && parseVersion(spec.engineVersion) && compareVersions(spec.engineVersion, '5.0.6') < 0) {
    out.push(violation('G2', 'Global Datastore needs Redis OSS 5.0.6 or Valkey', 'primary.engine', `redis ${spec.engineVersion} cannot be in a Global Datastore`, 'use Redis OSS 5.0.6 or later, or Valkey'));
  }
  if (spec.secondaryRegions.length > MAX_SECONDARIES) {
    out.push(violation('G1', `at most ${MAX_SECONDARIES} secondary regions`, 'secondaries', `${spec.secondaryRegions.length} secondary replication groups joined`, `keep at most ${MAX_SECONDARIES} secondaries`));
  }
  const seen = new Set<string>();
  for (const region of spec.secondaryRegions) {
    if (!isKnown(ctx, region)) continue;
    if (isKnown(ctx, spec.primaryRegion) && region === spec.primaryRegion) {
      out.push(violation('G1', 'secondaries are in other regions', 'secondaries', `a secondary is in ${region}, the primary's region`, 'put each secondary in a stack of another region'));
    } else if (seen.has(region)) {
      out.push(violation('G1', 'one secondary per region', 'secondaries', `two secondaries are in ${region}`, 'put each secondary in a different region'));
    }
    seen.add(region);
  }
  return out;
}

/** The Global Datastore id suffix when none is given: the primary's construct id, lower-cased, as an identifier. */
export function defaultGlobalDatastoreSuffix(primaryConstructId: string): string {
  return primaryConstructId.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}
