import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The cfn-lint command if installed, else undefined (tests then skip with the printed reason). */
export function cfnLintCommand(): string | undefined {
  const r = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'cfn-lint' : undefined;
}

/**
 * Checks cfn-lint does not apply to CDK output: W3010 flags the Availability Zones every CDK VPC
 * writes into its subnets.
 */
const IGNORED_CHECKS = ['W3010'];
/** Findings about resources aws-cdk-lib generates itself (cross-region reference custom resources). */
const CDK_OWN_RESOURCES = /'CustomCrossRegionExport[A-Za-z0-9]*'/;

/** Runs cfn-lint on templates; returns its findings (empty when clean), less those `ignore` matches. */
export function cfnLint(templates: Record<string, unknown>, ignore?: RegExp): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  try {
    const files = Object.entries(templates).map(([name, t]) => {
      const file = path.join(dir, `${name}.template.json`);
      fs.writeFileSync(file, JSON.stringify(t, undefined, 1));
      return file;
    });
    const r = spawnSync('cfn-lint', ['--format', 'parseable', '--ignore-checks', ...IGNORED_CHECKS, '--', ...files], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((line) => line.trim() !== '' && !CDK_OWN_RESOURCES.test(line) && !(ignore && ignore.test(line)))
      .join('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
