import { EXPORT_READER, readExport } from './cross-region-exports';
import { NO_VALUE, partitionOf, ResolveContext, Resolver, Unresolvable } from './intrinsics';
import { DeferredValue, ReadSpecOptions } from './model';
import { ec2StyleId, generatedName, secretArnSuffix, uuidStyleId } from './physical-ids';
import { envName, generateSecretString, GenerateSecretStringSpec, PARAMETER_ENV_PREFIX, SECRET_ENV_PREFIX, TemplateSecret } from './secrets';
import { Template, TemplateParameter, TemplateResource } from './template-file';

/** Max length of generated names per type (ElastiCache limits), and whether they are stored lower-case. */
const NAMING: Record<string, { idProperty?: string; max: number; lower: boolean }> = {
  'AWS::ElastiCache::ReplicationGroup': { idProperty: 'ReplicationGroupId', max: 40, lower: true },
  'AWS::ElastiCache::ParameterGroup': { max: 255, lower: true },
  'AWS::ElastiCache::SubnetGroup': { idProperty: 'CacheSubnetGroupName', max: 255, lower: true },
  'AWS::ElastiCache::User': { idProperty: 'UserId', max: 255, lower: true },
  'AWS::ElastiCache::UserGroup': { idProperty: 'UserGroupId', max: 255, lower: true },
  'AWS::ElastiCache::CacheCluster': { idProperty: 'ClusterName', max: 50, lower: true },
  'AWS::ElastiCache::ServerlessCache': { idProperty: 'ServerlessCacheName', max: 40, lower: true },
};

/** Attributes of a replication group that the deploy assigns (endpoints). */
const DEFERRED_ATTRIBUTES: Record<string, readonly string[]> = {
  'AWS::ElastiCache::ReplicationGroup': [
    'ConfigurationEndPoint.Address', 'ConfigurationEndPoint.Port', 'PrimaryEndPoint.Address', 'PrimaryEndPoint.Port',
    'ReaderEndPoint.Address', 'ReaderEndPoint.Port', 'ReadEndPoint.Addresses', 'ReadEndPoint.Ports',
    'ReadEndPoint.AddressesList', 'ReadEndPoint.PortsList', 'ConfigurationEndPoint', 'PrimaryEndPoint', 'ReadEndPoint',
    'ReaderEndPoint', 'EffectiveDurability',
  ],
  'AWS::ElastiCache::CacheCluster': ['ConfigurationEndpoint.Address', 'ConfigurationEndpoint.Port', 'RedisEndpoint.Address', 'RedisEndpoint.Port'],
};

/**
 * Everything a template's intrinsics can refer to, for one stack: pseudo parameters, parameters
 * (defaults, overrides, NoEcho and SSM types), and resources (their physical ids and attributes).
 */
export class TemplateContext implements ResolveContext {
  readonly resolver: Resolver;
  readonly partition: string;
  readonly generatedSecrets: Record<string, string> = {};
  private readonly ids = new Map<string, unknown>();
  private readonly resolving = new Set<string>();
  private secretsCache?: TemplateSecret[];

  constructor(
    readonly template: Template,
    readonly stackName: string,
    readonly region: string,
    readonly accountId: string,
    readonly availabilityZones: string[],
    private readonly options: ReadSpecOptions,
    private readonly env: Record<string, string | undefined>,
  ) {
    this.resolver = new Resolver(this);
    this.partition = partitionOf(region);
  }

  resource(logicalId: string): TemplateResource | undefined {
    return this.template.Resources?.[logicalId];
  }

  /** False when the resource's Condition is false (it is not created). */
  isCreated(logicalId: string): boolean | Unresolvable {
    const c = this.resource(logicalId)?.Condition;
    return c === undefined ? true : this.resolver.condition(c);
  }

  /** A resolved property of another resource (for ids and attributes). */
  private property(logicalId: string, name: string): unknown {
    const raw = this.resource(logicalId)?.Properties?.[name];
    return raw === undefined ? undefined : this.resolver.resolve(raw);
  }

  parameter(name: string): unknown {
    const def = this.template.Parameters![name] as TemplateParameter;
    const supplied = this.options.parameters?.[name] ?? this.env[envName(PARAMETER_ENV_PREFIX, name)];
    const noEcho = def.NoEcho === true || def.NoEcho === 'true';
    const secret = noEcho ? (this.options.secrets?.[name] ?? this.env[envName(SECRET_ENV_PREFIX, name)]) : undefined;
    let value: unknown = supplied ?? secret;
    const type = String(def.Type ?? 'String');
    if (value === undefined && type.startsWith('AWS::SSM::Parameter::')) {
      return new Unresolvable(
        `parameter ${name}, which reads SSM parameter '${String(def.Default ?? '')}'`,
        `SSM Parameter Store is not available locally; supply the value with --parameters ${name}=VALUE (or ${envName(PARAMETER_ENV_PREFIX, name)})`,
        'SPEC-PARAMETER',
      );
    }
    if (value === undefined) value = def.Default;
    if (value === undefined) {
      return noEcho
        ? new Unresolvable(`NoEcho parameter ${name}`, `supply it with --secrets FILE holding {"${name}": "..."}, --parameters ${name}=VALUE, or ${envName(SECRET_ENV_PREFIX, name)}`, 'SPEC-SECRET')
        : new Unresolvable(`parameter ${name} (no default)`, `supply it with --parameters ${name}=VALUE (or ${envName(PARAMETER_ENV_PREFIX, name)})`, 'SPEC-PARAMETER');
    }
    const allowed = def.AllowedValues?.map(String);
    const isList = type.startsWith('List<') || type === 'CommaDelimitedList' || type.includes('<List<') || type.includes('CommaDelimitedList');
    const items = isList ? (Array.isArray(value) ? value.map(String) : String(value).split(',').map((s) => s.trim())) : [String(value)];
    if (allowed && items.some((i) => !allowed.includes(i))) {
      return new Unresolvable(`parameter ${name} = '${String(value)}', which is not among its AllowedValues (${allowed.join(', ')})`, `pass one of ${allowed.join(', ')}`, 'SPEC-PARAMETER');
    }
    if (type === 'Number' && !/^-?\d+(\.\d+)?$/.test(String(value).trim())) {
      return new Unresolvable(`parameter ${name} = '${String(value)}', which is not a Number`, `pass a number for ${name}`, 'SPEC-PARAMETER');
    }
    return isList ? items : String(value);
  }

  ref(logicalId: string): unknown {
    if (this.ids.has(logicalId)) return this.ids.get(logicalId);
    if (this.resolving.has(logicalId)) return new Unresolvable(`Ref '${logicalId}' (it refers to itself)`, 'break the reference cycle');
    this.resolving.add(logicalId);
    try {
      const id = this.computeRef(logicalId);
      this.ids.set(logicalId, id);
      return id;
    } finally {
      this.resolving.delete(logicalId);
    }
  }

  /** The physical id a resource gets (what `Ref` returns for ElastiCache resources, lower-cased). */
  physicalName(logicalId: string): string | Unresolvable {
    const r = this.ref(logicalId);
    if (typeof r === 'string') {
      const type = this.resource(logicalId)!.Type;
      if (type === 'AWS::SNS::Topic' || type === 'AWS::SecretsManager::Secret') return r.split(':').pop()!;
      return r;
    }
    return r instanceof Unresolvable ? r : new Unresolvable(`the name of ${logicalId}`, 'name the resource with a string');
  }

  private computeRef(logicalId: string): unknown {
    const res = this.resource(logicalId)!;
    const naming = NAMING[res.Type];
    if (naming) {
      const given = naming.idProperty ? this.property(logicalId, naming.idProperty) : undefined;
      if (given instanceof Unresolvable) return given;
      if (res.Type === 'AWS::ElastiCache::User' || res.Type === 'AWS::ElastiCache::UserGroup') {
        return typeof given === 'string' ? given : new Unresolvable(`${logicalId}.${naming.idProperty}`, `set ${naming.idProperty}`);
      }
      if (typeof given === 'string' && given !== '') return naming.lower ? given.toLowerCase() : given;
      return generatedName(this.stackName, logicalId, naming.max, naming.lower);
    }
    switch (res.Type) {
      case 'AWS::ElastiCache::GlobalReplicationGroup': {
        const suffix = this.property(logicalId, 'GlobalReplicationGroupIdSuffix');
        if (suffix instanceof Unresolvable) return suffix;
        // AWS prefixes the suffix with a region-specific string; locally the prefix is `local`.
        return `local-${typeof suffix === 'string' ? suffix : generatedName(this.stackName, logicalId, 40)}`;
      }
      case 'AWS::EC2::Subnet': return ec2StyleId('subnet', this.stackName, logicalId);
      case 'AWS::EC2::SecurityGroup': return ec2StyleId('sg', this.stackName, logicalId);
      case 'AWS::EC2::VPC': return ec2StyleId('vpc', this.stackName, logicalId);
      case 'AWS::KMS::Key': return uuidStyleId(this.stackName, logicalId);
      case 'AWS::SNS::Topic': {
        const name = this.property(logicalId, 'TopicName');
        if (name instanceof Unresolvable) return name;
        const topic = typeof name === 'string' ? name : generatedName(this.stackName, logicalId, 256, false);
        return `arn:${this.partition}:sns:${this.region}:${this.accountId}:${topic}`;
      }
      case 'AWS::SecretsManager::Secret': {
        const name = this.property(logicalId, 'Name');
        if (name instanceof Unresolvable) return name;
        const secretName = typeof name === 'string' ? name : generatedName(this.stackName, logicalId, 256, false);
        return `arn:${this.partition}:secretsmanager:${this.region}:${this.accountId}:secret:${secretName}-${secretArnSuffix(this.stackName, logicalId)}`;
      }
      default: return generatedName(this.stackName, logicalId, 128, false);
    }
  }

  getAtt(logicalId: string, attribute: string): unknown {
    const res = this.resource(logicalId)!;
    const type = res.Type;
    const id = this.ref(logicalId);
    if (id instanceof Unresolvable) return id;
    if (DEFERRED_ATTRIBUTES[type]?.includes(attribute)) {
      return { deferred: true, logicalId, resourceId: String(id), attribute } satisfies DeferredValue;
    }
    const arnOf = (kind: string) => `arn:${this.partition}:elasticache:${this.region}:${this.accountId}:${kind}:${String(id)}`;
    const known: Record<string, () => unknown> = {
      'AWS::ElastiCache::ParameterGroup.CacheParameterGroupName': () => id,
      'AWS::ElastiCache::User.Arn': () => arnOf('user'),
      'AWS::ElastiCache::User.Status': () => 'active',
      'AWS::ElastiCache::UserGroup.Arn': () => arnOf('usergroup'),
      'AWS::ElastiCache::UserGroup.Status': () => 'active',
      'AWS::ElastiCache::GlobalReplicationGroup.GlobalReplicationGroupId': () => id,
      'AWS::ElastiCache::GlobalReplicationGroup.Arn': () => `arn:${this.partition}:elasticache::${this.accountId}:globalreplicationgroup:${String(id)}`,
      'AWS::ElastiCache::GlobalReplicationGroup.Status': () => 'available',
      'AWS::ElastiCache::ServerlessCache.ARN': () => arnOf('serverlesscache'),
      'AWS::EC2::Subnet.SubnetId': () => id,
      'AWS::EC2::Subnet.AvailabilityZone': () => this.property(logicalId, 'AvailabilityZone') ?? this.availabilityZones[0],
      'AWS::EC2::Subnet.VpcId': () => this.property(logicalId, 'VpcId'),
      'AWS::EC2::SecurityGroup.GroupId': () => id,
      'AWS::EC2::SecurityGroup.VpcId': () => this.property(logicalId, 'VpcId'),
      'AWS::EC2::VPC.VpcId': () => id,
      'AWS::EC2::VPC.CidrBlock': () => this.property(logicalId, 'CidrBlock'),
      'AWS::SNS::Topic.TopicArn': () => id,
      'AWS::SNS::Topic.TopicName': () => String(id).split(':').pop(),
      'AWS::SecretsManager::Secret.Id': () => id,
      'AWS::KMS::Key.KeyId': () => id,
      'AWS::KMS::Key.Arn': () => `arn:${this.partition}:kms:${this.region}:${this.accountId}:key/${String(id)}`,
    };
    const f = known[`${type}.${attribute}`];
    if (f) {
      const v = f();
      return v === undefined || v === NO_VALUE ? new Unresolvable(`Fn::GetAtt ${logicalId}.${attribute}`, `set the property behind ${attribute} on ${logicalId}`) : v;
    }
    if (type === EXPORT_READER) return readExport(this.options, logicalId, attribute);
    if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
      return new Unresolvable(
        `Fn::GetAtt ${logicalId}.${attribute} of custom resource ${logicalId}`,
        'custom resources run only on AWS (a cross-region reference reads another stack, for example); pass the value as a template parameter instead',
      );
    }
    return new Unresolvable(`Fn::GetAtt ${logicalId}.${attribute} (${type})`, `attribute ${attribute} of ${type} is not known locally; pass the value as a template parameter instead`);
  }

  /** Secrets Manager secrets declared in the template, with their local values. */
  templateSecrets(): TemplateSecret[] {
    if (this.secretsCache) return this.secretsCache;
    const out: TemplateSecret[] = [];
    this.secretsCache = out;
    for (const [logicalId, res] of Object.entries(this.template.Resources ?? {})) {
      if (typeof res !== 'object' || res === null || res.Type !== 'AWS::SecretsManager::Secret' || this.isCreated(logicalId) !== true) continue;
      const arn = this.ref(logicalId);
      if (typeof arn !== 'string') continue;
      out.push({ logicalId, arn, name: arn.split(':').pop()!.replace(/-[A-Za-z0-9]{6}$/, ''), value: this.secretValue(logicalId) });
    }
    return out;
  }

  private secretValue(logicalId: string): string | Unresolvable {
    const literal = this.property(logicalId, 'SecretString');
    if (literal instanceof Unresolvable) return literal;
    if (typeof literal === 'string') return literal;
    const gen = this.property(logicalId, 'GenerateSecretString');
    if (gen instanceof Unresolvable) return gen;
    if (typeof gen === 'object' && gen !== null) {
      const kept = this.options.generatedSecrets?.[logicalId];
      const value = kept ?? generateSecretString(gen as GenerateSecretStringSpec);
      this.generatedSecrets[logicalId] = value;
      return value;
    }
    return new Unresolvable(`the value of secret ${logicalId}`, 'give the secret a SecretString or GenerateSecretString, or supply it with --secrets');
  }
}
