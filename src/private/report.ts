import { Annotations, Token, ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { formatReport, formatViolation, RuleContext, Violation } from '../model/violation';

/** Rule context for CDK values: skip anything a CDK token hides. */
export const CDK_CONTEXT: RuleContext = {
  isUnresolved: (value: unknown) => {
    if (Array.isArray(value)) {
      return Token.isUnresolved(value) || value.some((v) => Token.isUnresolved(v));
    }
    return Token.isUnresolved(value);
  },
};

/**
 * Presents rule results on a construct: warnings become annotations (shown by `cdk synth`,
 * failing only under `--strict`), errors are thrown together, so one synth lists every problem.
 * Each line names the construct path, the property, the rule and the fix.
 */
export function report(scope: IConstruct, kind: string, violations: Violation[]): void {
  const errors = violations.filter((v) => v.severity === 'error');
  for (const w of violations.filter((v) => v.severity === 'warning')) {
    Annotations.of(scope).addWarningV2(`cdk-elasticache:${w.rule}`, formatViolation(w));
  }
  if (errors.length > 0) {
    // aws-cdk-lib's ValidationError: the CDK CLI shows it with the construct path, without a stack trace.
    throw new ValidationError(
      // The error name is a branded literal type whose `lit` helper aws-cdk-lib keeps private.
      'CdkElastiCacheInvalidProps' as ConstructorParameters<typeof ValidationError>[0],
      formatReport(kind, scope.node.path, errors),
      scope,
    );
  }
}
