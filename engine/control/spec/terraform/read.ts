import * as fs from 'fs';
import * as path from 'path';
import { terraformArgument, TERRAFORM_TYPES, toCloudFormation, UNSUPPORTED_TERRAFORM_TYPES } from './arguments';
import { evaluate, ReferenceResolver } from './expressions';
import { partitionOf, Unresolvable } from '../intrinsics';
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
  UserDesired,
  UserGroupDesired,
} from '../model';
import { ec2StyleId, generatedName, uuidStyleId } from '../physical-ids';
import { ProblemSink, PropertyReader } from '../properties';
import { readGlobalDatastore } from '../readers/global-datastore';
import { readParameterGroup } from '../readers/parameter-group';
import { FINAL_SNAPSHOT_METADATA, readReplicationGroup } from '../readers/replication-group';
import { readSubnetGroup } from '../readers/subnet-group';
import { readUser, readUserGroup } from '../readers/users';
import { generateSecretString, SecretSources } from '../secrets';

/**
 * Reads Terraform JSON configuration (a `cdk.tf.json` from CDK Terrain or cdktf, or any
 * `*.tf.json`) into the same deployment model as a CloudFormation template: the aws_elasticache_*
 * resources, with `${...}` references, variables (defaults, TF_VAR_<name>, `--parameters`), locals,
 * simple count / for_each, and data sources only for what they tell (region, account, AZs).
 */

/** A cdktf.out folder or a Terraform JSON file that cannot be read at all. */
export class TerraformSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecError';
  }
}

type Json = Record<string, any>;

/** True for a cdktf.out folder (manifest.json listing stacks) or a `.tf.json` file. */
export function isTerraformSpec(specPath: string): boolean {
  if (/\.tf\.json$/.test(specPath)) return true;
  const manifest = path.join(specPath, 'manifest.json');
  if (!fs.existsSync(manifest)) return false;
  try {
    return typeof JSON.parse(fs.readFileSync(manifest, 'utf8')).stacks === 'object';
  } catch {
    return false;
  }
}

/** Reads a cdktf.out folder (one stack, chosen like a cdk.out stack) or a Terraform JSON file. */
export function readTerraformSpec(specPath: string, options: ReadSpecOptions = {}, defaults = { region: 'us-east-1', accountId: '000000000000' }): DeploymentSpec {
  let file = specPath;
  let stackName = options.stackName;
  if (fs.statSync(specPath).isDirectory()) {
    const manifest = JSON.parse(fs.readFileSync(path.join(specPath, 'manifest.json'), 'utf8')) as { stacks: Record<string, { name: string; synthesizedStackPath: string }> };
    const stacks = Object.values(manifest.stacks);
    const configs = new Map(stacks.map((s) => [s.name, JSON.parse(fs.readFileSync(path.join(specPath, s.synthesizedStackPath), 'utf8')) as Json]));
    const count = (name: string) => Object.keys(configs.get(name)!.resource ?? {}).filter((t) => t.startsWith('aws_elasticache_')).length;
    const describe = () => stacks.map((s) => `  ${s.name}: ${count(s.name)} ElastiCache resource types`).join('\n');
    let chosen = stackName !== undefined ? stacks.find((s) => s.name === stackName) : stacks.length === 1 ? stacks[0] : undefined;
    if (stackName !== undefined && !chosen) throw new TerraformSpecError(`${specPath} has no stack '${stackName}'. Its stacks:\n${describe()}`);
    if (!chosen) {
      const withCaches = stacks.filter((s) => count(s.name) > 0);
      if (withCaches.length !== 1) throw new TerraformSpecError(`${specPath} has ${stacks.length} stacks; choose one with --stack NAME:\n${describe()}`);
      chosen = withCaches[0];
    }
    file = path.join(specPath, chosen.synthesizedStackPath);
    stackName = chosen.name;
  }
  let config: Json;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TerraformSpecError(`${file} is not Terraform JSON: ${(e as Error).message}`);
  }
  const name = stackName ?? config['//']?.metadata?.stackName ?? path.basename(file).replace(/\.tf\.json$/, '').replace(/[^A-Za-z0-9-]+/g, '-');
  const source: SpecSource = { kind: 'terraform-json', path: specPath, templatePath: file };
  return readTerraformConfig(config, source, name, options, defaults);
}

/** One resource instance (count / for_each expanded). */
interface Instance {
  readonly type: string;
  readonly name: string;
  /** `aws_x.y`, `aws_x.y[0]` or `aws_x.y["key"]`. */
  readonly address: string;
  readonly raw: Json;
  readonly scope: { count?: number; each?: { key: string; value: unknown } };
}

/** Reads parsed Terraform JSON. */
export function readTerraformConfig(config: Json, source: SpecSource, stackName: string, options: ReadSpecOptions = {}, defaults = { region: 'us-east-1', accountId: '000000000000' }): DeploymentSpec {
  const ctx = new TerraformContext(config, stackName, options, defaults);
  const sink = ctx.sink;
  const secrets: SecretSources = { supplied: options.secrets ?? {}, env: ctx.env, templateSecrets: [] };

  const subnetAzs = new Map<string, string>();
  for (const inst of ctx.instances()) {
    if (inst.type !== 'aws_subnet') continue;
    const id = ctx.attribute(inst, 'id');
    const az = ctx.argument(inst, 'availability_zone');
    if (typeof id === 'string' && typeof az === 'string') subnetAzs.set(id, az);
  }

  const readerOf = (inst: Instance, providerDefaults: Record<string, unknown> = {}): PropertyReader => {
    const args: Record<string, unknown> = {};
    for (const arg of Object.keys(inst.raw)) {
      if (arg === '//') continue;
      args[arg] = ctx.argument(inst, arg);
    }
    const converted = toCloudFormation(inst.type, args);
    const unknown = converted.unknown;
    // What the provider defaults where CloudFormation requires or defaults otherwise.
    const properties = { ...providerDefaults, ...converted.properties };
    const constructPath = inst.raw['//']?.metadata?.path;
    const origin: ResourceOrigin = { logicalId: inst.address, type: inst.type, ...(typeof constructPath === 'string' ? { constructPath } : {}), properties: Object.keys(properties) };
    for (const arg of unknown) {
      sink.add(origin, { property: arg, rule: 'SPEC-PROPERTY', message: `${inst.type} has no argument ${arg} the local deploy knows`, fix: `remove ${arg}, or deploy with terraform`, severity: 'error' });
    }
    return new PropertyReader(properties, origin, sink, secrets);
  };
  const nameOf = (inst: Instance, arg: string): string | undefined => {
    const v = ctx.argument(inst, arg);
    if (typeof v === 'string' && v !== '') return v;
    const origin: ResourceOrigin = { logicalId: inst.address, type: inst.type, properties: [] };
    if (v instanceof Unresolvable) sink.unresolvable(origin, arg, v);
    else sink.add(origin, { property: arg, rule: 'SPEC-REQUIRED', message: `${arg} is required by ${inst.type}`, fix: `set ${arg}`, severity: 'error' });
    return undefined;
  };

  const parameterGroups: ParameterGroupDesired[] = [];
  const subnetGroups: SubnetGroupDesired[] = [];
  const users: UserDesired[] = [];
  const userGroups: UserGroupDesired[] = [];
  const globals: Array<{ gd: GlobalDatastoreDesired; id: unknown }> = [];
  const groups: Instance[] = [];
  const associations: Instance[] = [];
  for (const inst of ctx.instances()) {
    if (UNSUPPORTED_TERRAFORM_TYPES[inst.type]) {
      sink.add({ logicalId: inst.address, type: inst.type, properties: [] }, { rule: 'SPEC-UNSUPPORTED', message: `${inst.type} is not supported locally`, fix: UNSUPPORTED_TERRAFORM_TYPES[inst.type], severity: 'error' });
      continue;
    }
    if (inst.type === 'aws_elasticache_user_group_association') {
      associations.push(inst);
      continue;
    }
    if (!TERRAFORM_TYPES[inst.type]) {
      if (inst.type.startsWith('aws_elasticache_')) {
        sink.add({ logicalId: inst.address, type: inst.type, properties: [] }, { rule: 'SPEC-UNSUPPORTED', message: `${inst.type} is not a resource type the local deploy knows`, fix: 'remove it, or deploy it with terraform', severity: 'error' });
      }
      continue; // other resources are read only for what they tell (subnets, passwords, ...)
    }
    switch (inst.type) {
      case 'aws_elasticache_replication_group':
        groups.push(inst);
        break;
      case 'aws_elasticache_parameter_group': {
        const name = nameOf(inst, 'name');
        const r = readerOf(inst, { Description: 'Managed by Terraform' });
        if (name) parameterGroups.push(readParameterGroup(r, name.toLowerCase()));
        break;
      }
      case 'aws_elasticache_subnet_group': {
        const name = nameOf(inst, 'name');
        const r = readerOf(inst, { Description: 'Managed by Terraform' });
        if (name) subnetGroups.push(readSubnetGroup(r, name.toLowerCase(), subnetAzs));
        break;
      }
      case 'aws_elasticache_user': {
        const id = nameOf(inst, 'user_id');
        const r = readerOf(inst);
        if (id) users.push(readUser(r, id));
        break;
      }
      case 'aws_elasticache_user_group': {
        const id = nameOf(inst, 'user_group_id');
        const r = readerOf(inst, { UserIds: [] });
        if (id) userGroups.push(readUserGroup(r, id));
        break;
      }
      case 'aws_elasticache_global_replication_group': {
        const gd = readGlobalDatastore(readerOf(inst));
        const region = ctx.regionOf(inst);
        globals.push({ gd: { ...gd, members: gd.members.map((m) => ({ ...m, region })) }, id: ctx.attribute(inst, 'global_replication_group_id') });
        break;
      }
    }
  }

  // aws_elasticache_user_group_association adds one user to a group managed elsewhere in the configuration.
  for (const a of associations) {
    const groupId = ctx.argument(a, 'user_group_id');
    const userId = ctx.argument(a, 'user_id');
    const i = userGroups.findIndex((g) => g.userGroupId === groupId);
    if (typeof groupId !== 'string' || typeof userId !== 'string' || i < 0) {
      sink.add({ logicalId: a.address, type: a.type, properties: [] }, { rule: 'SPEC-REF', message: `the association's user group ${JSON.stringify(groupId)} is not an aws_elasticache_user_group of this configuration`, fix: 'declare the user group in the same configuration', severity: 'error' });
      continue;
    }
    userGroups[i] = { ...userGroups[i], userIds: [...userGroups[i].userIds, userId] };
  }

  const replicationGroups: ReplicationGroupDesired[] = [];
  const pgByName = new Map(parameterGroups.map((g) => [g.name, g]));
  const sgByName = new Map(subnetGroups.map((g) => [g.name, g]));
  for (const inst of groups) {
    const id = nameOf(inst, 'replication_group_id');
    // The provider's default differs from CloudFormation's here: Valkey groups are encrypted at rest unless told otherwise.
    const valkey = String(ctx.argument(inst, 'engine')).toLowerCase() === 'valkey';
    const r = readerOf(inst, valkey ? { AtRestEncryptionEnabled: true } : {});
    const finalSnapshot = ctx.argument(inst, 'final_snapshot_identifier');
    if (!id) continue;
    const rg = readReplicationGroup(r, id.toLowerCase(), false, {
      parameterGroups: pgByName,
      subnetGroups: sgByName,
      availabilityZones: ctx.availabilityZones,
      // Terraform deletes a group (on destroy or replacement) with a final snapshot only when it is named.
      ...(typeof finalSnapshot === 'string'
        ? { deletionPolicy: 'Snapshot', updateReplacePolicy: 'Snapshot', metadata: { [FINAL_SNAPSHOT_METADATA]: finalSnapshot.toLowerCase() } }
        : { deletionPolicy: 'Delete', updateReplacePolicy: 'Delete' }),
    });
    replicationGroups.push(rg);
    if (rg.globalReplicationGroupId) {
      const g = globals.find((x) => typeof x.id === 'string' && x.id.toLowerCase() === rg.globalReplicationGroupId);
      if (g) g.gd = { ...g.gd, members: [...g.gd.members, { replicationGroupId: rg.replicationGroupId, region: ctx.regionOf(inst), role: 'SECONDARY' }] };
    }
  }

  const outputs: SpecOutput[] = [];
  for (const [name, o] of Object.entries<Json>(config.output ?? {})) {
    const value = evaluate(o?.value, ctx.resolver());
    if (value instanceof Unresolvable) {
      sink.add(undefined, { property: `output.${name}`, rule: value.rule, message: `output ${name} needs ${value.what}; it is left out`, fix: value.fix, severity: 'warning' });
      continue;
    }
    outputs.push({ name, value: value as SpecValue, ...(typeof o?.description === 'string' ? { description: o.description } : {}) });
  }

  return {
    source,
    stackName,
    region: ctx.region,
    accountId: ctx.accountId,
    availabilityZones: ctx.availabilityZones,
    replicationGroups,
    parameterGroups,
    subnetGroups,
    users,
    userGroups,
    globalDatastores: globals.map((g) => g.gd),
    topics: [],
    outputs,
    problems: terraformNames(sink.problems),
    generatedSecrets: { ...ctx.generatedSecrets },
  };
}

/**
 * Problems name CloudFormation properties (the shared readers and rules speak them); for a
 * Terraform resource, name the argument as the configuration writes it.
 */
export function terraformNames(problems: readonly Problem[]): Problem[] {
  return problems.map((p) => {
    if (!p.resourceType || !p.property || !p.resourceType.startsWith('aws_')) return p;
    const arg = terraformArgument(p.resourceType, p.property);
    if (!arg) return p;
    const head = p.property.split(/[.[]/)[0];
    const argHead = arg.split(/[.[]/)[0];
    const rename = (text: string) => text.split(head).join(argHead);
    return { ...p, property: arg, message: rename(p.message), fix: rename(p.fix) };
  });
}

/** Variables, locals, resources and data sources of one configuration, and how references resolve. */
class TerraformContext {
  readonly sink = new ProblemSink();
  readonly generatedSecrets: Record<string, string> = {};
  readonly env: Record<string, string | undefined>;
  readonly region: string;
  readonly accountId: string;
  readonly availabilityZones: string[];
  private readonly all: Instance[];
  private readonly byResource = new Map<string, Instance[]>();
  private readonly counted = new Set<string>();
  private readonly locals: Json;
  private readonly resolvingLocals = new Set<string>();

  constructor(
    private readonly config: Json,
    private readonly stackName: string,
    private readonly options: ReadSpecOptions,
    defaults: { region: string; accountId: string },
  ) {
    this.env = options.env ?? process.env;
    this.locals = merged(config.locals);
    const provider = this.providerConfig(undefined);
    const providerRegion = provider ? evaluate(provider.region, this.resolver()) : undefined;
    this.region = options.region ?? (typeof providerRegion === 'string' ? providerRegion : defaults.region);
    this.accountId = options.accountId ?? defaults.accountId;
    this.availabilityZones = options.availabilityZones ?? ['a', 'b', 'c'].map((l) => `${this.region}${l}`);
    this.all = this.expand();
  }

  instances(): Instance[] {
    return this.all;
  }

  /** A resolver for expressions outside any resource (outputs, provider blocks). */
  resolver(scope: Instance['scope'] = {}): ReferenceResolver {
    return (p, text) => this.resolve(p, text, scope);
  }

  /** One argument of an instance, evaluated (an Unresolvable when it cannot be). */
  argument(inst: Instance, arg: string): unknown {
    const raw = inst.raw[arg];
    return raw === undefined ? undefined : evaluate(raw, this.resolver(inst.scope));
  }

  /** The region a resource is managed in: its `region` argument, its provider's, else the configuration's. */
  regionOf(inst: Instance): string {
    const own = this.argument(inst, 'region');
    if (typeof own === 'string') return own;
    const alias = typeof inst.raw.provider === 'string' ? inst.raw.provider.split('.')[1] : undefined;
    const region = alias ? evaluate(this.providerConfig(alias)?.region, this.resolver()) : undefined;
    return typeof region === 'string' ? region : this.region;
  }

  private providerConfig(alias: string | undefined): Json | undefined {
    const aws = this.config.provider?.aws;
    const list: Json[] = Array.isArray(aws) ? aws : aws ? [aws] : [];
    return list.find((p) => (alias === undefined ? p.alias === undefined : p.alias === alias));
  }

  /** count / for_each, evaluated when they are literals or resolvable references. */
  private expand(): Instance[] {
    const out: Instance[] = [];
    for (const [type, byName] of Object.entries<Json>(mergedTypes(this.config.resource))) {
      for (const [name, rawAny] of Object.entries<Json>(byName)) {
        const raw = Array.isArray(rawAny) ? rawAny[0] : rawAny;
        const base = `${type}.${name}`;
        const origin: ResourceOrigin = { logicalId: base, type, properties: [] };
        const list: Instance[] = [];
        if (raw.count !== undefined) {
          this.counted.add(base);
          const n = evaluate(raw.count, this.resolver());
          if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
            this.sink.add(origin, { property: 'count', rule: 'SPEC-UNRESOLVED', message: `count must be a whole number known before the deploy, got ${n instanceof Unresolvable ? n.what : JSON.stringify(n)}`, fix: 'give count as a number or a variable with a default', severity: 'error' });
          } else {
            for (let i = 0; i < n; i++) list.push({ type, name, address: `${base}[${i}]`, raw, scope: { count: i } });
          }
        } else if (raw.for_each !== undefined) {
          this.counted.add(base);
          const fe = evaluate(raw.for_each, this.resolver());
          const entries: Array<[string, unknown]> | undefined = Array.isArray(fe) ? fe.map((v) => [String(v), v]) : typeof fe === 'object' && fe !== null && !(fe instanceof Unresolvable) ? Object.entries(fe) : undefined;
          if (!entries) {
            this.sink.add(origin, { property: 'for_each', rule: 'SPEC-UNRESOLVED', message: `for_each must be a map or a set known before the deploy, got ${fe instanceof Unresolvable ? fe.what : JSON.stringify(fe)}`, fix: 'give for_each as a literal map or set, or a variable with a default', severity: 'error' });
          } else {
            for (const [key, value] of entries) list.push({ type, name, address: `${base}[${JSON.stringify(key)}]`, raw, scope: { each: { key, value } } });
          }
        } else {
          list.push({ type, name, address: base, raw, scope: {} });
        }
        this.byResource.set(base, list);
        out.push(...list);
      }
    }
    return out;
  }

  private resolve(p: Array<string | number>, text: string, scope: Instance['scope']): unknown {
    const [head, second] = p;
    switch (head) {
      case 'var': return index(this.variable(String(second)), p.slice(2), text);
      case 'local': return index(this.local(String(second)), p.slice(2), text);
      case 'count':
        return scope.count !== undefined && second === 'index' ? scope.count : new Unresolvable(`\${${text}} outside a resource with count`, 'use count.index only inside a counted resource');
      case 'each':
        if (!scope.each) return new Unresolvable(`\${${text}} outside a resource with for_each`, 'use each.key / each.value only inside a for_each resource');
        return second === 'key' ? scope.each.key : index(scope.each.value, p.slice(2), text);
      case 'terraform': return second === 'workspace' ? 'default' : new Unresolvable(`\${${text}}`, 'replace it with a literal');
      case 'path': return '.';
      case 'data': return this.dataSource(String(second), String(p[2]), p.slice(3), text);
    }
    const base = `${head}.${second}`;
    const list = this.byResource.get(base);
    if (!list) return new Unresolvable(`\${${text}} (no resource ${base} in the configuration)`, `declare ${base}, or replace the reference with a value`, 'SPEC-REF');
    let rest = p.slice(2);
    let inst: Instance | undefined;
    if (this.counted.has(base)) {
      if (rest.length === 0) return list.map((i) => i.address); // the whole list (for splats)
      const key = rest[0];
      inst = list.find((i) => (i.scope.count !== undefined ? i.scope.count === key : i.scope.each?.key === key));
      rest = rest.slice(1);
      if (!inst) return new Unresolvable(`\${${text}} (${base} has no instance ${JSON.stringify(key)})`, 'refer to an instance that exists', 'SPEC-REF');
    } else {
      inst = list[0];
    }
    if (rest.length === 0) return new Unresolvable(`\${${text}} (a whole resource)`, 'refer to one attribute of it');
    return index(this.attribute(inst, String(rest[0])), rest.slice(1), text);
  }

  /** What an attribute of a resource is locally: its argument, an id the deploy assigns the same way every time, or an endpoint marker. */
  attribute(inst: Instance, attr: string): unknown {
    const arg = (name: string) => this.argument(inst, name);
    const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
    const arn = (kind: string, id: unknown) => (typeof id === 'string' ? `arn:${partitionOf(this.region)}:elasticache:${this.regionOf(inst)}:${this.accountId}:${kind}:${id}` : id);
    const deferred = (attribute: string) => {
      const id = lower(arg('replication_group_id'));
      return typeof id === 'string' ? { deferred: true as const, logicalId: inst.address, resourceId: id, attribute } : id;
    };
    switch (`${inst.type}.${attr}`) {
      case 'aws_elasticache_replication_group.id':
      case 'aws_elasticache_replication_group.replication_group_id': return lower(arg('replication_group_id'));
      case 'aws_elasticache_replication_group.arn': return arn('replicationgroup', lower(arg('replication_group_id')));
      case 'aws_elasticache_replication_group.primary_endpoint_address': return deferred('PrimaryEndPoint.Address');
      case 'aws_elasticache_replication_group.reader_endpoint_address': return deferred('ReaderEndPoint.Address');
      case 'aws_elasticache_replication_group.configuration_endpoint_address': return deferred('ConfigurationEndPoint.Address');
      case 'aws_elasticache_replication_group.port': return arg('port') ?? 6379;
      case 'aws_elasticache_replication_group.engine_version_actual': return arg('engine_version') ?? new Unresolvable(`${inst.address}.engine_version_actual`, 'set engine_version');
      case 'aws_elasticache_parameter_group.id':
      case 'aws_elasticache_parameter_group.name':
      case 'aws_elasticache_subnet_group.id':
      case 'aws_elasticache_subnet_group.name': return lower(arg('name'));
      case 'aws_elasticache_parameter_group.arn': return arn('parametergroup', lower(arg('name')));
      case 'aws_elasticache_subnet_group.arn': return arn('subnetgroup', lower(arg('name')));
      case 'aws_elasticache_user.id':
      case 'aws_elasticache_user.user_id': return arg('user_id');
      case 'aws_elasticache_user.arn': return arn('user', arg('user_id'));
      case 'aws_elasticache_user_group.id':
      case 'aws_elasticache_user_group.user_group_id': return arg('user_group_id');
      case 'aws_elasticache_user_group.arn': return arn('usergroup', arg('user_group_id'));
      case 'aws_elasticache_global_replication_group.id':
      case 'aws_elasticache_global_replication_group.global_replication_group_id': {
        // AWS prefixes the suffix with a region-specific string; locally the prefix is `local`, as for CloudFormation.
        const suffix = arg('global_replication_group_id_suffix');
        return typeof suffix === 'string' ? `local-${suffix}` : suffix ?? new Unresolvable(`${inst.address}.global_replication_group_id`, 'set global_replication_group_id_suffix');
      }
      case 'aws_elasticache_global_replication_group.arn': {
        const id = this.attribute(inst, 'id');
        return typeof id === 'string' ? `arn:${partitionOf(this.region)}:elasticache::${this.accountId}:globalreplicationgroup:${id}` : id;
      }
      case 'aws_subnet.id': return ec2StyleId('subnet', this.stackName, inst.address);
      case 'aws_security_group.id': return ec2StyleId('sg', this.stackName, inst.address);
      case 'aws_vpc.id': return ec2StyleId('vpc', this.stackName, inst.address);
      case 'aws_kms_key.id':
      case 'aws_kms_key.key_id': return uuidStyleId(this.stackName, inst.address);
      case 'aws_kms_key.arn': return `arn:${partitionOf(this.region)}:kms:${this.regionOf(inst)}:${this.accountId}:key/${uuidStyleId(this.stackName, inst.address)}`;
      case 'aws_sns_topic.id':
      case 'aws_sns_topic.arn': {
        const name = arg('name') ?? generatedName(this.stackName, inst.address, 256, false);
        return typeof name === 'string' ? `arn:${partitionOf(this.region)}:sns:${this.regionOf(inst)}:${this.accountId}:${name}` : name;
      }
      case 'random_password.result':
      case 'random_string.result': return this.randomValue(inst);
    }
    const own = arg(attr);
    if (own !== undefined) return own;
    if (attr === 'id') return generatedName(this.stackName, inst.address, 128, false);
    return new Unresolvable(`${inst.address}.${attr}`, 'the attribute is not known locally; pass the value as a variable instead');
  }

  /** random_password / random_string: generated once, kept by the control plane like CloudFormation's generated secrets. */
  private randomValue(inst: Instance): string {
    const kept = this.options.generatedSecrets?.[inst.address] ?? this.generatedSecrets[inst.address];
    if (kept !== undefined) return (this.generatedSecrets[inst.address] = kept);
    const length = Number(this.argument(inst, 'length') ?? 16);
    const special = this.argument(inst, 'special') !== false;
    const override = this.argument(inst, 'override_special');
    const punctuation = typeof override === 'string' ? override : '!#$%&*()-_=+[]{}<>:?';
    // Only the given specials: exclude every other punctuation character.
    const allPunctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    const value = generateSecretString({
      PasswordLength: length,
      ExcludePunctuation: !special,
      ExcludeCharacters: [...allPunctuation].filter((c) => !punctuation.includes(c)).join(''),
      ExcludeUppercase: this.argument(inst, 'upper') === false,
      ExcludeLowercase: this.argument(inst, 'lower') === false,
      ExcludeNumbers: this.argument(inst, 'numeric') === false || this.argument(inst, 'number') === false,
    } as Parameters<typeof generateSecretString>[0]);
    this.generatedSecrets[inst.address] = value;
    return value;
  }

  private variable(name: string): unknown {
    const decl = merged(this.config.variable)[name] as Json | undefined;
    if (!decl) return new Unresolvable(`var.${name} (no such variable)`, `declare variable "${name}"`, 'SPEC-REF');
    const given = this.options.parameters?.[name] ?? this.env[`TF_VAR_${name}`];
    if (given !== undefined) {
      const type = String(decl.type ?? 'string');
      if (type === 'string') return given;
      try {
        return JSON.parse(given);
      } catch {
        return type === 'number' ? Number(given) : given;
      }
    }
    if (decl.default !== undefined) return decl.default;
    return new Unresolvable(`var.${name}, which has no default`, `set it: TF_VAR_${name}=... or --parameters ${name}=...`, 'SPEC-PARAMETER');
  }

  private local(name: string): unknown {
    if (!(name in this.locals)) return new Unresolvable(`local.${name} (no such local)`, `declare local "${name}"`, 'SPEC-REF');
    if (this.resolvingLocals.has(name)) return new Unresolvable(`local.${name} (it refers to itself)`, 'break the cycle');
    this.resolvingLocals.add(name);
    try {
      return evaluate(this.locals[name], this.resolver());
    } finally {
      this.resolvingLocals.delete(name);
    }
  }

  /** Data sources are not read from AWS: only those whose answer the local deploy knows. */
  private dataSource(type: string, name: string, rest: Array<string | number>, text: string): unknown {
    const attr = rest[0];
    switch (`${type}.${attr}`) {
      case 'aws_region.name':
      case 'aws_region.region':
      case 'aws_region.id': return this.region;
      case 'aws_caller_identity.account_id': return this.accountId;
      case 'aws_partition.partition': return partitionOf(this.region);
      case 'aws_availability_zones.names': return index(this.availabilityZones, rest.slice(1), text);
    }
    return new Unresolvable(`\${${text}} (data source ${type}.${name})`, 'data sources are not read locally; pass the value as a variable with a default instead');
  }
}

function index(value: unknown, rest: Array<string | number>, text: string): unknown {
  let v = value;
  for (const k of rest) {
    if (v instanceof Unresolvable) return v;
    if (Array.isArray(v) && typeof k === 'number') v = v[k];
    else if (typeof v === 'object' && v !== null && !Array.isArray(v) && String(k) in (v as Json)) v = (v as Json)[String(k)];
    else return new Unresolvable(`\${${text}} (no ${JSON.stringify(k)} in the value)`, 'refer to an element that exists');
  }
  return v;
}

/** Blocks may be one object or a list of objects (JSON syntax allows both). */
function merged(value: unknown): Json {
  if (Array.isArray(value)) return Object.assign({}, ...value);
  return (value ?? {}) as Json;
}

function mergedTypes(value: unknown): Json {
  if (!Array.isArray(value)) return (value ?? {}) as Json;
  const out: Json = {};
  for (const block of value) for (const [type, byName] of Object.entries<Json>(block)) out[type] = { ...(out[type] ?? {}), ...byName };
  return out;
}
