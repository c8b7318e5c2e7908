import * as fs from 'fs';
import * as path from 'path';

/** One CloudFormation stack of a cloud assembly (cdk.out). */
export interface AssemblyStack {
  /** Artifact id (the construct id, e.g. `SessionStore`, or `Stage-Stack` in a stage). */
  readonly artifactId: string;
  /** The deployed stack name (`properties.stackName`, default the artifact id). */
  readonly stackName: string;
  /** `displayName` (the construct path, e.g. `Prod/SessionStore`). */
  readonly displayName: string;
  readonly templateFile: string;
  readonly region?: string;
  readonly account?: string;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

/** Every stack of the assembly in `dir`, nested stage assemblies included. */
export function listAssemblyStacks(dir: string): AssemblyStack[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${dir} is not a cloud assembly: no manifest.json (run 'cdk synth' first, or give a template file)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const out: AssemblyStack[] = [];
  for (const [id, a] of Object.entries(manifest.artifacts ?? {})) {
    if (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile) {
      const env = /^aws:\/\/([^/]*)\/(.*)$/.exec(a.environment ?? '');
      const known = (v: string | undefined) => (v && !v.startsWith('unknown-') ? v : undefined);
      out.push({
        artifactId: id,
        stackName: a.properties.stackName ?? id,
        displayName: a.displayName ?? id,
        templateFile: path.join(dir, a.properties.templateFile),
        account: known(env?.[1]),
        region: known(env?.[2]),
      });
    } else if (a.type === 'cdk:cloud-assembly' && a.properties?.directoryName) {
      out.push(...listAssemblyStacks(path.join(dir, a.properties.directoryName)));
    }
  }
  return out;
}

/** True when `name` names the stack (stack name, artifact id or display path). */
export function stackMatches(stack: AssemblyStack, name: string): boolean {
  return stack.stackName === name || stack.artifactId === name || stack.displayName === name;
}
