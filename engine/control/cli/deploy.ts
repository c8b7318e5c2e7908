/**
 * `deploy` and `destroy`: read and validate the spec (refusing a bad one with every problem and
 * nothing touched), take the deploy lock, hand the spec to the control plane, show progress as
 * its events arrive, and print the endpoints when every group is available.
 */
import { ControlClient } from './client';
import type { DeployedState, Plan } from '../plan/types';
import { formatProblems } from '../spec/format-problems';
import type { DeploymentSpec, Problem, ReadSpecOptions } from '../spec/model';
import { readSpec } from '../spec/read';
import { validateSpec } from '../spec/validate';
import { StateDir } from '../state/store';

export interface DeployOptions {
  readonly stateDir?: string;
  readonly stack?: string;
  readonly parameters?: Record<string, string>;
  readonly secrets?: Record<string, string>;
  readonly topicSinks?: Record<string, string>;
  readonly engineBinary?: string;
  readonly quiet?: boolean;
}

const out = (s: string) => process.stdout.write(s + '\n');

/** Every error of the spec (reading problems + the constructs' rules). */
export function specProblems(spec: DeploymentSpec): Problem[] {
  return validateSpec(spec).filter((p) => p.severity === 'error');
}

export function readAndValidate(specPath: string, o: DeployOptions): DeploymentSpec {
  // Secrets the template generates keep the values of the last deploy (the state file is only read here).
  const kept = new StateDir(o.stateDir).load().control;
  const generatedSecrets = kept?.generatedSecrets;
  // Values other stacks exported across regions (a Global Datastore's id for its secondary stack).
  const crossRegionExports = kept?.crossRegionExports;
  const options: ReadSpecOptions = {
    stackName: o.stack, parameters: o.parameters, secrets: o.secrets, topicSinks: o.topicSinks, generatedSecrets, crossRegionExports,
  };
  const spec = readSpec(specPath, options);
  const problems = specProblems(spec);
  if (problems.length > 0) {
    throw new Error(`the spec has ${problems.length} problem(s); nothing was deployed:\n${formatProblems(problems)}`);
  }
  return spec;
}

/** Prints new events while `work` runs (the progress display). */
async function withProgress<T>(client: ControlClient, quiet: boolean, work: Promise<T>): Promise<T> {
  // A refusal can arrive before `work` is awaited below: not an unhandled rejection (it is rethrown there).
  work.catch(() => undefined);
  const seen = (await client.op<{ state: DeployedState }>('state')).state.events.length;
  let shown = seen;
  let done = false;
  const poll = async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, 200));
      try {
        const events = (await client.op<{ state: DeployedState }>('state')).state.events;
        for (const e of events.slice(shown)) if (!quiet) out(`  ${e.date.slice(11, 19)}  ${e.sourceIdentifier.padEnd(20)} ${e.message}`);
        shown = events.length;
      } catch {
        /* the next poll tries again */
      }
    }
  };
  const poller = poll();
  try {
    return await work;
  } finally {
    done = true;
    await poller;
  }
}

export function endpointLines(state: DeployedState, caFile?: string): string[] {
  const lines: string[] = [];
  for (const g of Object.values(state.replicationGroups)) {
    const ng = g.nodeGroups[0];
    const gi = g.globalReplicationGroupInfo;
    const role = gi ? `, ${gi.GlobalReplicationGroupMemberRole === 'PRIMARY' ? 'primary' : 'read-only secondary'} of ${gi.GlobalReplicationGroupId}` : '';
    lines.push(`${g.replicationGroupId} (${g.status}, ${g.spec.engine} ${g.spec.engineVersion}${g.spec.transitEncryption ? ', TLS' : ''}${role})`);
    if (ng?.primaryEndpoint) lines.push(`  primary endpoint: ${ng.primaryEndpoint.address}:${ng.primaryEndpoint.port}`);
    if (ng?.readerEndpoint) lines.push(`  reader endpoint:  ${ng.readerEndpoint.address}:${ng.readerEndpoint.port}`);
    if (g.configurationEndpoint) lines.push(`  configuration endpoint: ${g.configurationEndpoint.address}:${g.configurationEndpoint.port}`);
    for (const n of g.nodeGroups.flatMap((x) => x.members)) lines.push(`  ${n.cacheClusterId}  ${n.role.padEnd(7)}  ${n.endpoint.address}:${n.endpoint.port}  ${n.availabilityZone}  ${n.status}`);
    if (g.spec.transitEncryption && caFile) lines.push(`  TLS: trust the CA in ${caFile}`);
  }
  return lines;
}

export async function deploy(specPath: string, o: DeployOptions): Promise<DeployedState> {
  const spec = readAndValidate(specPath, o);
  const dir = new StateDir(o.stateDir);
  const release = await dir.lockDeploys();
  try {
    const client = new ControlClient(dir);
    await client.ensure(o.engineBinary);
    if (!o.quiet) out(`Deploying ${spec.stackName ?? spec.source.templatePath} to ${dir.root}`);
    const r = await withProgress(client, o.quiet === true, client.op<{ plan: Plan; state: DeployedState }>('apply', { spec, engineBinary: o.engineBinary }));
    if (!o.quiet) {
      if (r.plan.actions.length === 0) out('No changes.');
      const { caFile } = await client.op<{ caFile: string }>('state');
      out('');
      for (const l of endpointLines(r.state, caFile)) out(l);
    }
    return r.state;
  } finally {
    await release();
  }
}

export async function destroy(o: { stateDir?: string; finalSnapshotIdentifier?: string; noFinalSnapshot?: boolean; quiet?: boolean }): Promise<void> {
  const dir = new StateDir(o.stateDir);
  const client = new ControlClient(dir);
  const release = await dir.lockDeploys();
  try {
    const r = await withProgress(client, o.quiet === true, client.op<{ deleted: string[] }>('destroy', { finalSnapshotIdentifier: o.finalSnapshotIdentifier, noFinalSnapshot: o.noFinalSnapshot }));
    await client.stop();
    if (!o.quiet) out(r.deleted.length ? `Deleted ${r.deleted.join(', ')}; the control plane stopped.` : 'Nothing deployed; the control plane stopped.');
  } finally {
    await release();
  }
}
