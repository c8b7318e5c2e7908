import { Annotations, Token } from 'cdktn';
import { IConstruct } from 'constructs';
import { formatReport, formatViolation, RuleContext, Violation } from '../../model/violation';

/** Rule context for CDK Terrain values: skip anything a cdktn token hides (references, variables). */
export const TF_CONTEXT: RuleContext = {
  isUnresolved: (value: unknown) => {
    if (Array.isArray(value)) {
      return Token.isUnresolved(value) || value.some((v) => Token.isUnresolved(v));
    }
    return Token.isUnresolved(value);
  },
};

/** The error a Terraform construct throws for invalid props (same text as the CloudFormation face's). */
export class InvalidPropsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CdkElastiCacheInvalidProps';
  }
}

/**
 * Presents rule results on a construct as the CloudFormation face does: warnings become cdktn
 * annotations (printed by `cdktn synth`), errors are thrown together from the constructor, each line
 * naming the construct path, the property, the rule and the fix.
 */
export function reportTf(scope: IConstruct, kind: string, violations: Violation[]): void {
  warn(scope, violations);
  const errors = violations.filter((v) => v.severity === 'error');
  if (errors.length > 0) {
    throw new InvalidPropsError(formatReport(kind, scope.node.path, errors));
  }
}

const EMITTED = new WeakMap<IConstruct, Set<string>>();

/** For `node.addValidation`: errors become the returned messages (cdktn prefixes the path), warnings annotations. */
export function validationMessagesTf(scope: IConstruct, violations: Violation[]): string[] {
  warn(scope, violations);
  return violations.filter((v) => v.severity === 'error').map(formatViolation);
}

function warn(scope: IConstruct, violations: Violation[]): void {
  const emitted = EMITTED.get(scope) ?? new Set<string>();
  EMITTED.set(scope, emitted);
  for (const w of violations.filter((v) => v.severity === 'warning')) {
    const text = `[cdk-elasticache:${w.rule}] ${formatViolation(w)}`;
    if (!emitted.has(text)) {
      emitted.add(text);
      Annotations.of(scope).addWarning(text);
    }
  }
}
