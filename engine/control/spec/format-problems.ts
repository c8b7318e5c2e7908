import { Problem } from './model';

/** One problem as the CLI prints it: where, what, the rule, and the fix. */
export function formatProblem(p: Problem): string {
  const where = [p.logicalId && `${p.logicalId}${p.resourceType ? ` (${p.resourceType})` : ''}`, p.property].filter(Boolean).join(' ');
  const path = p.constructPath ? ` [${p.constructPath}]` : '';
  return `${p.severity === 'error' ? 'Error' : 'Warning'}: ${where || 'template'}${path}: ${p.message} [rule ${p.rule}] Fix: ${p.fix}`;
}

/** Errors first, then warnings, one per line, with a count. */
export function formatProblems(problems: readonly Problem[]): string {
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return [...sorted.map(formatProblem), `${errors} error(s), ${warnings} warning(s)`].join('\n');
}
