/**
 * CDK cross-region references (`crossRegionReferences: true`): the producing stack's
 * `Custom::CrossRegionExportWriter` writes values to SSM parameters of the consuming region, and the
 * consuming stack's `Custom::CrossRegionExportReader` returns them as attributes named after the
 * parameter. Locally the writer's values are kept in the state dir when its stack deploys, and the
 * reader's attributes resolve from them: a Global Datastore's secondary stack finds its datastore id.
 */
import { Unresolvable } from './intrinsics';
import type { ReadSpecOptions } from './model';

export const EXPORT_WRITER = 'Custom::CrossRegionExportWriter';
export const EXPORT_READER = 'Custom::CrossRegionExportReader';

interface ResolveLike {
  resolve(value: unknown): unknown;
}

/** Parameter name → value of every export writer in the template (values that cannot be known locally are left out). */
export function crossRegionExportsOf(
  resources: Array<[string, { Type: string; Properties?: Record<string, unknown> }]>, resolver: ResolveLike,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, res] of resources) {
    if (res.Type !== EXPORT_WRITER) continue;
    const writerProps = res.Properties?.WriterProps as { exports?: Record<string, unknown> } | undefined;
    for (const [name, raw] of Object.entries(writerProps?.exports ?? {})) {
      const v = resolver.resolve(raw);
      if (typeof v === 'string' || typeof v === 'number') out[name] = String(v);
    }
  }
  return out;
}

/** `Fn::GetAtt <reader>.<parameter name>`: the value an earlier deploy's writer published, or why it is missing. */
export function readExport(options: ReadSpecOptions, logicalId: string, attribute: string): string | Unresolvable {
  const v = options.crossRegionExports?.[attribute];
  if (v !== undefined) return v;
  return new Unresolvable(
    `Fn::GetAtt ${logicalId}.${attribute} (a cross-region reference to another stack)`,
    'deploy the stack that exports it (the producing stack of this cross-region reference) into the same state dir first: its exports are kept there for the stacks that read them',
  );
}
