/**
 * The shape every ElastiCache rule reports in. Rules are plain functions over plain data
 * (see DESIGN.md, "One model, many faces"): the CDK constructs, the Terraform constructs and
 * the deploy handler all call them and only differ in how they present the result.
 */
export type Severity = 'error' | 'warning';

export interface Violation {
  /** Rule id from the project's rule table (elasticache-reference.md section 3), e.g. `T8`. */
  readonly rule: string;
  /** The rule in a few words, e.g. `cluster mode enabled requires automatic failover`. */
  readonly title: string;
  /** The property (construct prop name) the problem is about, e.g. `automaticFailover`. */
  readonly property: string;
  /** What is wrong, quoting the offending value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** `error` fails synthesis; `warning` is a soft quota or a likely mistake. */
  readonly severity: Severity;
}

/**
 * How a rule tells a known value from a placeholder. CDK and CDK Terrain encode late-bound
 * values (tokens) inside strings, numbers and lists; a rule must skip what a token hides.
 */
export interface RuleContext {
  /** True when the value is (or contains) an unresolved token. */
  readonly isUnresolved: (value: unknown) => boolean;
}

/** Context for fully resolved data (the deploy handler, tests). */
export const RESOLVED: RuleContext = { isUnresolved: () => false };

/** True when `value` is present and not hidden behind a token. */
export function isKnown<T>(ctx: RuleContext, value: T | undefined): value is T {
  return value !== undefined && value !== null && !ctx.isUnresolved(value);
}

/** Builds a violation; keeps rule modules short and uniform. */
export function violation(
  rule: string,
  title: string,
  property: string,
  message: string,
  fix: string,
  severity: Severity = 'error',
): Violation {
  return { rule, title, property, message, fix, severity };
}

/** Formats one violation the way every face prints it. */
export function formatViolation(v: Violation): string {
  return `${v.property}: ${v.message} [rule ${v.rule}: ${v.title}] Fix: ${v.fix}`;
}

/**
 * The one error message every face throws for a construct with errors: the kind, the construct
 * path, the number of problems and one line per problem (property, message, rule, fix).
 */
export function formatReport(kind: string, path: string, errors: readonly Violation[]): string {
  const lines = errors.map((e) => `  - ${formatViolation(e)}`);
  return `${kind} at '${path}' is invalid (${errors.length} problem${errors.length > 1 ? 's' : ''}):\n${lines.join('\n')}`;
}

/**
 * Renames the `property` of violations, for a face whose prop has another name than the one the
 * rule reports (the Terraform face's `kmsKeyId` for `encryptionKey`, ...).
 */
export function renameProperties(violations: readonly Violation[], names: Readonly<Record<string, string>>): Violation[] {
  return violations.map((v) => {
    const head = v.property.split(/[.[]/)[0];
    const renamed = names[head];
    return renamed === undefined ? v : { ...v, property: renamed + v.property.slice(head.length) };
  });
}
