import * as fs from 'fs';
import * as path from 'path';
import { listAssemblyStacks, stackMatches } from './cloud-assembly';
import { crossRegionExportsOf } from './cross-region-exports';
import { Unresolvable } from './intrinsics';
import {
  DeploymentSpec,
  GlobalDatastoreDesired,
  ParameterGroupDesired,
  Problem,
  ReadSpecOptions,
  ReplicationGroupDesired,
  ResourceOrigin,
  SpecOutput,
  SpecSource,
  SpecValue,
  SubnetGroupDesired,
  TopicDesired,
  UserDesired,
  UserGroupDesired,
} from './model';
import { ProblemSink, PropertyReader } from './properties';
import { readGlobalDatastore } from './readers/global-datastore';
import { KNOWN_PROPERTIES, UNSUPPORTED_TYPES } from './readers/known-properties';
import { readParameterGroup } from './readers/parameter-group';
import { readReplicationGroup } from './readers/replication-group';
import { readSubnetGroup } from './readers/subnet-group';
import { readUser, readUserGroup } from './readers/users';
import { SecretSources } from './secrets';
import { TemplateContext } from './template-context';
import { readTemplateFile, Template } from './template-file';
import { isTerraformSpec, readTerraformSpec, TerraformSpecError } from './terraform/read';

/** A spec that cannot be read at all (no such file, not a template, ambiguous stack). */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT = '000000000000';

/**
 * Reads a deployment spec from a cdk.out folder, a CloudFormation template (JSON or YAML), or
 * Terraform JSON (a cdktf.out folder or a `*.tf.json` file, see terraform/read.ts).
 * Fatal problems (no such file, ambiguous stack) throw a SpecError; everything else is
 * collected in `spec.problems` so validateSpec can list every problem at once.
 */
export function readSpec(specPath: string, options: ReadSpecOptions = {}): DeploymentSpec {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(specPath);
  } catch {
    throw new SpecError(`${specPath}: no such file or folder (give a cdk.out folder or a CloudFormation template)`);
  }
  if (isTerraformSpec(specPath)) {
    try {
      return readTerraformSpec(specPath, options, { region: DEFAULT_REGION, accountId: DEFAULT_ACCOUNT });
    } catch (e) {
      throw e instanceof TerraformSpecError ? new SpecError(e.message) : e;
    }
  }
  if (stat.isDirectory()) return readCloudAssembly(specPath, options);
  let parsed: ReturnType<typeof readTemplateFile>;
  try {
    parsed = readTemplateFile(specPath);
  } catch (e) {
    throw new SpecError((e as Error).message);
  }
  // A template inside a cloud assembly takes its stack's name and environment from the manifest.
  const stack = assemblyStackOf(specPath);
  const stackName = options.stackName ?? stack?.stackName ?? stackNameOfFile(specPath);
  const source: SpecSource = { kind: parsed.format === 'json' ? 'cloudformation-json' : 'cloudformation-yaml', path: specPath, templatePath: specPath };
  const region = stack?.region ?? options.region ?? DEFAULT_REGION;
  return readTemplate(parsed.template, source, stackName, region, stack?.account ?? options.accountId ?? DEFAULT_ACCOUNT, options);
}

function assemblyStackOf(file: string): ReturnType<typeof listAssemblyStacks>[number] | undefined {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) return undefined;
  try {
    return listAssemblyStacks(dir).find((s) => path.resolve(s.templateFile) === path.resolve(file));
  } catch {
    return undefined; // not a readable manifest: read the file as a plain template
  }
}

function stackNameOfFile(file: string): string {
  const base = path.basename(file).replace(/\.(template\.)?(json|ya?ml)$/i, '');
  const clean = base.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^[^A-Za-z]+/, '');
  return clean || 'stack';
}

function countElastiCache(template: Template): number {
  const resources = template.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) return 0;
  return Object.values(resources).filter((r) => String(r?.Type).startsWith('AWS::ElastiCache::')).length;
}

function readCloudAssembly(dir: string, options: ReadSpecOptions): DeploymentSpec {
  let stacks;
  try {
    stacks = listAssemblyStacks(dir);
  } catch (e) {
    throw new SpecError((e as Error).message);
  }
  if (stacks.length === 0) throw new SpecError(`${dir} holds no CloudFormation stack`);
  const templates = new Map(stacks.map((s) => [s.artifactId, readTemplateFile(s.templateFile).template]));
  const describe = () => stacks.map((s) => `  ${s.displayName}${s.region ? ` (${s.region})` : ''}: ${countElastiCache(templates.get(s.artifactId)!)} ElastiCache resources`).join('\n');
  let chosen;
  if (options.stackName !== undefined) {
    chosen = stacks.find((s) => stackMatches(s, options.stackName!));
    if (!chosen) throw new SpecError(`${dir} has no stack '${options.stackName}'. Its stacks:\n${describe()}`);
  } else if (stacks.length === 1) {
    chosen = stacks[0];
  } else {
    const withCaches = stacks.filter((s) => countElastiCache(templates.get(s.artifactId)!) > 0);
    if (withCaches.length !== 1) {
      throw new SpecError(`${dir} has ${stacks.length} stacks; choose one with --stack NAME:\n${describe()}`);
    }
    chosen = withCaches[0];
  }
  const source: SpecSource = { kind: 'cdk-out', path: dir, templatePath: chosen.templateFile };
  return readTemplate(
    templates.get(chosen.artifactId)!,
    source,
    chosen.stackName,
    chosen.region ?? options.region ?? DEFAULT_REGION,
    chosen.account ?? options.accountId ?? DEFAULT_ACCOUNT,
    options,
  );
}

/** Reads an already-parsed template (the readers above, tests, and other front ends). */
export function readTemplate(
  template: Template,
  source: SpecSource,
  stackName: string,
  region: string,
  accountId: string,
  options: ReadSpecOptions = {},
): DeploymentSpec {
  const env = options.env ?? process.env;
  const azs = options.availabilityZones ?? ['a', 'b', 'c'].map((l) => `${region}${l}`);
  const ctx = new TemplateContext(template, stackName, region, accountId, azs, options, env);
  const sink = new ProblemSink();
  const resources = template.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    sink.add(undefined, { rule: 'SPEC-READ', message: `${source.templatePath} has no Resources section`, fix: 'give a CloudFormation template with ElastiCache resources', severity: 'error' });
  } else if (countElastiCache(template) === 0) {
    sink.add(undefined, {
      rule: 'SPEC-EMPTY',
      message: `${source.templatePath} declares no AWS::ElastiCache::* resource; deploying it removes whatever an earlier deploy created`,
      fix: 'check that this is the template (or --stack) you meant',
      severity: 'warning',
    });
  }
  checkTransform(template, sink);
  const secrets: SecretSources = { supplied: options.secrets ?? {}, env, templateSecrets: ctx.templateSecrets() };

  const created: Array<[string, NonNullable<Template['Resources']>[string]]> = [];
  for (const [logicalId, res] of Object.entries(Array.isArray(resources) ? {} : resources ?? {})) {
    if (typeof res !== 'object' || res === null || typeof res.Type !== 'string') {
      sink.add(undefined, { rule: 'SPEC-READ', message: `resource ${logicalId} has no Type`, fix: 'give every resource a Type', severity: 'error' });
      continue;
    }
    const c = ctx.isCreated(logicalId);
    if (c instanceof Unresolvable) {
      sink.add({ logicalId, type: res.Type, properties: [] }, { property: 'Condition', rule: c.rule, message: `the resource's Condition needs ${c.what}`, fix: c.fix, severity: 'error' });
      continue;
    }
    if (c) created.push([logicalId, res]);
  }

  type ResourceLike = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };
  const readerOf = (logicalId: string, res: ResourceLike): PropertyReader | undefined => {
    const resolved = ctx.resolver.resolve(res.Properties ?? {});
    const constructPath = res.Metadata?.['aws:cdk:path'];
    const origin: ResourceOrigin = {
      logicalId,
      type: res.Type,
      ...(typeof constructPath === 'string' ? { constructPath } : {}),
      properties: typeof resolved === 'object' && resolved !== null ? Object.keys(resolved) : [],
    };
    if (resolved instanceof Unresolvable) {
      sink.unresolvable(origin, 'Properties', resolved);
      return undefined;
    }
    if (typeof resolved !== 'object' || resolved === null || Array.isArray(resolved)) {
      sink.add(origin, { property: 'Properties', rule: 'SPEC-TYPE', message: 'Properties must be an object', fix: 'give Properties as an object', severity: 'error' });
      return undefined;
    }
    const reader = new PropertyReader(resolved as Record<string, unknown>, origin, sink, secrets);
    const known = KNOWN_PROPERTIES[res.Type];
    if (known) reader.checkKnown(known);
    return reader;
  };
  const nameOf = (logicalId: string, origin: ResourceOrigin): string | undefined => {
    const n = ctx.physicalName(logicalId);
    if (n instanceof Unresolvable) {
      sink.unresolvable(origin, undefined, n);
      return undefined;
    }
    return n;
  };

  // Subnets first (their AZs), then the groups the replication groups refer to.
  const subnetAzs = new Map<string, string>();
  for (const [logicalId, res] of created) {
    if (res.Type !== 'AWS::EC2::Subnet') continue;
    const id = ctx.ref(logicalId);
    const az = ctx.resolver.resolve(res.Properties?.AvailabilityZone);
    if (typeof id === 'string' && typeof az === 'string') subnetAzs.set(id, az);
  }

  const parameterGroups: ParameterGroupDesired[] = [];
  const subnetGroups: SubnetGroupDesired[] = [];
  const users: UserDesired[] = [];
  const userGroups: UserGroupDesired[] = [];
  const globalDatastores: GlobalDatastoreDesired[] = [];
  const topics: TopicDesired[] = [];
  const groups: Array<[string, (typeof created)[number][1]]> = [];

  for (const [logicalId, res] of created) {
    const type = res.Type;
    if (UNSUPPORTED_TYPES[type]) {
      sink.add({ logicalId, type, properties: [] }, { rule: 'SPEC-UNSUPPORTED', message: `${type} is not supported locally`, fix: UNSUPPORTED_TYPES[type], severity: 'error' });
      continue;
    }
    if (type === 'AWS::ElastiCache::ReplicationGroup') {
      groups.push([logicalId, res]);
      continue;
    }
    if (type.startsWith('AWS::ElastiCache::') && !KNOWN_PROPERTIES[type]) {
      sink.add({ logicalId, type, properties: [] }, { rule: 'SPEC-UNSUPPORTED', message: `${type} is not a resource type the local deploy knows`, fix: 'remove it, or deploy it on AWS', severity: 'error' });
      continue;
    }
    if (!KNOWN_PROPERTIES[type] && type !== 'AWS::SNS::Topic') continue; // read only for what it tells (subnets, secrets)
    const r = readerOf(logicalId, res);
    if (!r) continue;
    switch (type) {
      case 'AWS::ElastiCache::ParameterGroup': {
        const name = nameOf(logicalId, r.origin);
        if (name) parameterGroups.push(readParameterGroup(r, name));
        break;
      }
      case 'AWS::ElastiCache::SubnetGroup': {
        const name = nameOf(logicalId, r.origin);
        if (name) subnetGroups.push(readSubnetGroup(r, name, subnetAzs));
        break;
      }
      case 'AWS::ElastiCache::User': {
        const name = nameOf(logicalId, r.origin);
        if (name) users.push(readUser(r, name));
        break;
      }
      case 'AWS::ElastiCache::UserGroup': {
        const name = nameOf(logicalId, r.origin);
        if (name) userGroups.push(readUserGroup(r, name));
        break;
      }
      case 'AWS::ElastiCache::GlobalReplicationGroup':
        globalDatastores.push(readGlobalDatastore(r));
        break;
      case 'AWS::SNS::Topic': {
        const arn = ctx.ref(logicalId);
        if (typeof arn !== 'string') break;
        const topicName = arn.split(':').pop()!;
        const sink0 = options.topicSinks?.[topicName] ?? options.topicSinks?.[logicalId];
        topics.push({ origin: r.origin, arn, topicName, ...(sink0 ? { sink: sink0 } : {}) });
        break;
      }
    }
  }

  const replicationGroups: ReplicationGroupDesired[] = [];
  const pgByName = new Map(parameterGroups.map((g) => [g.name, g]));
  const sgByName = new Map(subnetGroups.map((g) => [g.name, g]));
  for (const [logicalId, res] of groups) {
    const r = readerOf(logicalId, res);
    if (!r) continue;
    const id = nameOf(logicalId, r.origin);
    if (!id) continue;
    replicationGroups.push(
      readReplicationGroup(r, id, !r.has('ReplicationGroupId'), {
        parameterGroups: pgByName,
        subnetGroups: sgByName,
        availabilityZones: azs,
        deletionPolicy: (res as { DeletionPolicy?: string }).DeletionPolicy,
        updateReplacePolicy: (res as { UpdateReplacePolicy?: string }).UpdateReplacePolicy,
        metadata: res.Metadata,
        updatePolicy: res.UpdatePolicy,
      }),
    );
  }

  return {
    source,
    stackName,
    region,
    accountId,
    availabilityZones: azs,
    replicationGroups,
    parameterGroups,
    subnetGroups,
    users,
    userGroups,
    globalDatastores,
    topics,
    outputs: readOutputs(template, ctx, sink),
    problems: sink.problems,
    generatedSecrets: { ...ctx.generatedSecrets },
    crossRegionExports: crossRegionExportsOf(created, ctx.resolver),
  };
}

function checkTransform(template: Template, sink: ProblemSink): void {
  const t = template.Transform;
  const list = t === undefined ? [] : Array.isArray(t) ? t : [t];
  for (const x of list) {
    if (x !== 'AWS::LanguageExtensions') {
      sink.add(undefined, {
        property: 'Transform',
        rule: 'SPEC-UNSUPPORTED',
        message: `the template uses the transform ${JSON.stringify(x)}, which runs only on AWS`,
        fix: 'give the processed template (aws cloudformation get-template --template-stage Processed)',
        severity: 'error',
      });
    }
  }
}

function readOutputs(template: Template, ctx: TemplateContext, sink: ProblemSink): SpecOutput[] {
  const out: SpecOutput[] = [];
  for (const [name, o] of Object.entries(template.Outputs ?? {})) {
    if (o.Condition !== undefined && ctx.resolver.condition(o.Condition) !== true) continue;
    const value = ctx.resolver.resolve(o.Value);
    if (value instanceof Unresolvable) {
      sink.add(undefined, { property: `Outputs.${name}`, rule: value.rule, message: `output ${name} needs ${value.what}; it is left out`, fix: value.fix, severity: 'warning' });
      continue;
    }
    const description = ctx.resolver.resolve(o.Description);
    out.push({ name, value: value as SpecValue, ...(typeof description === 'string' ? { description } : {}) });
  }
  return out;
}

export type { Problem };
