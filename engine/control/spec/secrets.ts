import { randomInt } from 'crypto';
import { Unresolvable } from './intrinsics';

/**
 * Secrets that live in AWS (Secrets Manager dynamic references, SSM SecureString references,
 * NoEcho parameters) have no local store: the user supplies them, in this order of precedence:
 *   1. `--secrets file.json`: `{ "<secret-id>": "value" }` or `{ "<secret-id>:<json-key>": "value" }`
 *      (secret-id: the name or the full ARN; a JSON object value is read with the json-key);
 *   2. environment: `CDK_ELASTICACHE_SECRET_<ID>` or `CDK_ELASTICACHE_SECRET_<ID>_<JSON_KEY>`,
 *      the id upper-cased with every other character than A-Z and 0-9 turned into `_`;
 *   3. a secret of the template itself (`AWS::SecretsManager::Secret`): a value supplied under its
 *      logical id as above, else its SecretString, else a value generated locally from
 *      GenerateSecretString.
 */
export const SECRET_ENV_PREFIX = 'CDK_ELASTICACHE_SECRET_';
export const PARAMETER_ENV_PREFIX = 'CDK_ELASTICACHE_PARAM_';

export function envName(prefix: string, ...parts: string[]): string {
  return prefix + parts.map((p) => p.toUpperCase().replace(/[^A-Z0-9]/g, '_')).join('_');
}

/** A secret declared in the template. */
export interface TemplateSecret {
  readonly logicalId: string;
  /** Its name (Name property or generated) and the ARN `Ref` gives. */
  readonly name: string;
  readonly arn: string;
  /** The SecretString (literal or generated). */
  readonly value: string | Unresolvable;
}

export interface SecretSources {
  readonly supplied: Record<string, string>;
  readonly env: Record<string, string | undefined>;
  readonly templateSecrets: readonly TemplateSecret[];
}

/** The name part of a Secrets Manager ARN (`arn:aws:secretsmanager:r:a:secret:NAME-AbCdEf` → NAME). */
function secretNameOfArn(id: string): string | undefined {
  const m = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+?)(-[A-Za-z0-9]{6})?$/.exec(id);
  return m?.[1];
}

function lookupSecret(sources: SecretSources, id: string, jsonKey: string | undefined): string | Unresolvable | undefined {
  const ids = [id];
  const name = secretNameOfArn(id);
  if (name) ids.push(name);
  for (const candidate of ids) {
    if (jsonKey) {
      const direct = sources.supplied[`${candidate}:${jsonKey}`] ?? sources.env[envName(SECRET_ENV_PREFIX, candidate, jsonKey)];
      if (direct !== undefined) return direct;
    }
    const whole = sources.supplied[candidate] ?? sources.env[envName(SECRET_ENV_PREFIX, candidate)];
    if (whole !== undefined) return jsonKey ? jsonField(whole, jsonKey, candidate) : whole;
  }
  const own = sources.templateSecrets.find((s) => s.arn === id || s.name === id || (name !== undefined && s.name === name));
  if (own) {
    // A template secret may also be supplied by its logical id.
    const byLogicalId = sources.supplied[own.logicalId] ?? sources.env[envName(SECRET_ENV_PREFIX, own.logicalId)];
    if (byLogicalId !== undefined) return jsonKey ? jsonField(byLogicalId, jsonKey, own.logicalId) : byLogicalId;
    if (own.value instanceof Unresolvable) return own.value;
    return jsonKey ? jsonField(own.value, jsonKey, own.name) : own.value;
  }
  return undefined;
}

function jsonField(secret: string, key: string, id: string): string | Unresolvable {
  try {
    const parsed = JSON.parse(secret) as Record<string, unknown>;
    const v = parsed?.[key];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  } catch {
    // fall through: not JSON
  }
  return new Unresolvable(`key '${key}' of secret '${id}'`, `the secret's value must be a JSON object with a string '${key}' field, or supply '${id}:${key}' directly`, 'SPEC-SECRET');
}

const DYNAMIC_REFERENCE = /\{\{resolve:(secretsmanager|ssm-secure|ssm):([^}]*)\}\}/g;

/**
 * Replaces every `{{resolve:...}}` in `text` with its value, or returns an Unresolvable naming
 * what is missing and every way to supply it.
 */
export function resolveDynamicReferences(text: string, sources: SecretSources): string | Unresolvable {
  let missing: Unresolvable | undefined;
  const out = text.replace(DYNAMIC_REFERENCE, (whole, service: string, rest: string) => {
    if (missing) return whole;
    const value = service === 'secretsmanager' ? secretsManagerReference(rest, sources) : ssmReference(service, rest, sources);
    if (value instanceof Unresolvable) {
      missing = value;
      return whole;
    }
    return value;
  });
  return missing ?? out;
}

function secretsManagerReference(rest: string, sources: SecretSources): string | Unresolvable {
  // secret-id[:SecretString[:json-key[:version-stage[:version-id]]]]; the secret id may be an ARN (7 colon-separated fields).
  const fields = rest.split(':');
  const idFields = rest.startsWith('arn:') ? 7 : 1;
  const id = fields.slice(0, idFields).join(':');
  const jsonKey = fields[idFields + 1] || undefined;
  const found = lookupSecret(sources, id, jsonKey);
  if (found !== undefined) return found;
  const name = secretNameOfArn(id) ?? id;
  const key = jsonKey ? `${name}:${jsonKey}` : name;
  return new Unresolvable(
    `Secrets Manager secret '${id}'${jsonKey ? ` (key '${jsonKey}')` : ''}`,
    `supply it with --secrets FILE holding {"${key}": "..."}, or set ${jsonKey ? envName(SECRET_ENV_PREFIX, name, jsonKey) : envName(SECRET_ENV_PREFIX, name)}`,
    'SPEC-SECRET',
  );
}

function ssmReference(service: string, rest: string, sources: SecretSources): string | Unresolvable {
  const name = rest.split(':')[0];
  const found = sources.supplied[name] ?? sources.env[envName(SECRET_ENV_PREFIX, name)];
  if (found !== undefined) return found;
  return new Unresolvable(
    `SSM parameter '${name}' ({{resolve:${service}:...}})`,
    `supply it with --secrets FILE holding {"${name}": "..."}, or set ${envName(SECRET_ENV_PREFIX, name)}`,
    'SPEC-SECRET',
  );
}

/** `GenerateSecretString` of AWS::SecretsManager::Secret, as far as the local deploy needs it. */
export interface GenerateSecretStringSpec {
  readonly PasswordLength?: number;
  readonly ExcludeCharacters?: string;
  readonly ExcludeLowercase?: boolean;
  readonly ExcludeUppercase?: boolean;
  readonly ExcludeNumbers?: boolean;
  readonly ExcludePunctuation?: boolean;
  readonly IncludeSpace?: boolean;
  readonly RequireEachIncludedType?: boolean;
  readonly SecretStringTemplate?: string;
  readonly GenerateStringKey?: string;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A random secret following GenerateSecretString's options (Secrets Manager's defaults: 32 chars, every type). */
export function generateSecretString(spec: GenerateSecretStringSpec): string {
  const excluded = new Set(spec.ExcludeCharacters ?? '');
  const keep = (set: string) => [...set].filter((c) => !excluded.has(c)).join('');
  const classes = [
    spec.ExcludeLowercase ? '' : keep(LOWER),
    spec.ExcludeUppercase ? '' : keep(UPPER),
    spec.ExcludeNumbers ? '' : keep(DIGITS),
    spec.ExcludePunctuation ? '' : keep(PUNCTUATION),
    spec.IncludeSpace ? keep(' ') : '',
  ].filter((c) => c.length > 0);
  const all = classes.join('');
  const length = Math.max(1, Math.min(4096, Number(spec.PasswordLength ?? 32)));
  if (all.length === 0) throw new Error('GenerateSecretString excludes every character');
  const chars = Array.from({ length }, () => all[randomInt(all.length)]);
  if (spec.RequireEachIncludedType !== false && length >= classes.length) {
    // Put one character of each class at distinct random positions.
    const positions = new Set<number>();
    while (positions.size < classes.length) positions.add(randomInt(length));
    [...positions].forEach((pos, i) => {
      chars[pos] = classes[i][randomInt(classes[i].length)];
    });
  }
  const password = chars.join('');
  if (spec.SecretStringTemplate !== undefined && spec.GenerateStringKey) {
    const base = JSON.parse(spec.SecretStringTemplate) as Record<string, unknown>;
    return JSON.stringify({ ...base, [spec.GenerateStringKey]: password });
  }
  return password;
}
