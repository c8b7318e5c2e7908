/**
 * Identifiers and names of ElastiCache resources (rules N1-N10). Each function takes the value, a
 * RuleContext (tokens are skipped) and the property name to report, and returns the violations.
 */
import { isKnown, RESOLVED, RuleContext, violation, Violation } from './violation';

/** Longest replication group id (N1). */
export const MAX_REPLICATION_GROUP_ID_LENGTH = 40;
/** Longest cache cluster id (N2). */
export const MAX_CACHE_CLUSTER_ID_LENGTH = 50;
/** Longest cache subnet group name (N3). */
export const MAX_SUBNET_GROUP_NAME_LENGTH = 255;
/** Longest replication group description (N9). */
export const MAX_DESCRIPTION_LENGTH = 255;

interface IdentifierRules {
  readonly rule: string;
  /** What the value is, e.g. `replication group id`. */
  readonly kind: string;
  readonly maxLength?: number;
  /** First character must be a letter. */
  readonly letterFirst: boolean;
  /** No trailing hyphen and no two hyphens in a row. */
  readonly hyphenRules: boolean;
  /** Stored lower case: upper case gets a warning. */
  readonly lowerCase: boolean;
  /** Severity of the character rules (N4 applies them only as a warning). */
  readonly severity: 'error' | 'warning';
  readonly example: string;
}

/** The shared ElastiCache identifier rules: letters, digits and hyphens, and the options above. */
function checkIdentifier(value: string, r: IdentifierRules, property: string): Violation[] {
  const out: Violation[] = [];
  const title = `${r.kind} naming`;
  const fix = (what: string) => `${what}, e.g. '${r.example}'`;
  if (value.length === 0) {
    return [violation(r.rule, title, property, `the ${r.kind} is empty`, fix('give a name'))];
  }
  if (r.maxLength !== undefined && value.length > r.maxLength) {
    out.push(violation(r.rule, title, property, `the ${r.kind} '${value}' is ${value.length} characters long; the limit is ${r.maxLength}`, fix(`shorten it to at most ${r.maxLength} characters`), r.severity));
  }
  const bad = [...new Set(value.replace(/[A-Za-z0-9-]/g, ''))];
  if (bad.length > 0) {
    const shown = bad.map((c) => `'${c}'`).join(', ');
    out.push(violation(r.rule, title, property, `the ${r.kind} '${value}' contains ${shown}; only letters, digits and hyphens are allowed`, fix('use only letters, digits and hyphens'), r.severity));
  }
  if (r.letterFirst && !/^[A-Za-z]/.test(value)) {
    out.push(violation(r.rule, title, property, `the ${r.kind} '${value}' must start with a letter`, fix('start it with a letter'), r.severity));
  }
  if (r.hyphenRules && value.endsWith('-')) {
    out.push(violation(r.rule, title, property, `the ${r.kind} '${value}' ends with a hyphen`, fix('remove the trailing hyphen'), r.severity));
  }
  if (r.hyphenRules && value.includes('--')) {
    out.push(violation(r.rule, title, property, `the ${r.kind} '${value}' contains two hyphens in a row`, fix("replace '--' with a single hyphen"), r.severity));
  }
  if (r.lowerCase && value !== value.toLowerCase()) {
    out.push(
      violation(
        r.rule,
        `${r.kind} is stored in lower case`,
        property,
        `ElastiCache stores the ${r.kind} '${value}' as '${value.toLowerCase()}'`,
        `write it in lower case, '${value.toLowerCase()}', so references and the template match the deployed name`,
        'warning',
      ),
    );
  }
  return out;
}

/**
 * N1: replication group id: 1-40 letters, digits or hyphens, starting with a letter, no trailing
 * hyphen, no two hyphens in a row; stored in lower case (warning on upper case).
 */
export function validateReplicationGroupId(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'replicationGroupId'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  return checkIdentifier(
    value,
    { rule: 'N1', kind: 'replication group id', maxLength: MAX_REPLICATION_GROUP_ID_LENGTH, letterFirst: true, hyphenRules: true, lowerCase: true, severity: 'error', example: 'my-cache' },
    property,
  );
}

/** N2: cache cluster id: as N1, 1-50 characters. */
export function validateCacheClusterId(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'cacheClusterId'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  return checkIdentifier(
    value,
    { rule: 'N2', kind: 'cache cluster id', maxLength: MAX_CACHE_CLUSTER_ID_LENGTH, letterFirst: true, hyphenRules: true, lowerCase: true, severity: 'error', example: 'my-cache-001' },
    property,
  );
}

/** N3: cache subnet group name: up to 255 letters, digits or hyphens; stored in lower case. */
export function validateSubnetGroupName(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'subnetGroupName'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  return checkIdentifier(
    value,
    { rule: 'N3', kind: 'subnet group name', maxLength: MAX_SUBNET_GROUP_NAME_LENGTH, letterFirst: false, hyphenRules: false, lowerCase: true, severity: 'error', example: 'my-cache-subnets' },
    property,
  );
}

/**
 * N4: parameter group name: stored in lower case. ElastiCache states no further constraint, so the
 * usual rules (letter first, letters/digits/hyphens, no trailing or double hyphen, at most 255) are
 * warnings. Names starting with `default.` belong to ElastiCache's default groups (warning).
 */
export function validateParameterGroupName(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'parameterGroupName'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  if (value.length === 0) {
    return [violation('N4', 'parameter group naming', property, 'the parameter group name is empty', "give a name, e.g. 'my-valkey8-params'")];
  }
  if (value.toLowerCase().startsWith('default.')) {
    return [
      violation(
        'N4',
        'parameter group naming',
        property,
        `'${value}' is the name form of ElastiCache's default parameter groups, which cannot be created or modified`,
        "give the custom group its own name, e.g. 'my-valkey8-params'",
        'warning',
      ),
    ];
  }
  return checkIdentifier(
    value,
    { rule: 'N4', kind: 'parameter group name', maxLength: 255, letterFirst: true, hyphenRules: true, lowerCase: true, severity: 'warning', example: 'my-valkey8-params' },
    property,
  );
}

/** N5: user id: a letter, then letters, digits or hyphens; stored in lower case. */
export function validateUserId(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'userId'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  return checkIdentifier(
    value,
    { rule: 'N5', kind: 'user id', letterFirst: true, hyphenRules: false, lowerCase: true, severity: 'error', example: 'app-user' },
    property,
  );
}

/** N5: user name: not blank (the name clients log in with; `default` is the default user). */
export function validateUserName(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'userName'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  if (value.trim().length === 0) {
    return [violation('N5', 'user name is not blank', property, `the user name '${value}' is empty or blank`, "give the user a name, e.g. 'app'")];
  }
  if (/\s/.test(value)) {
    return [violation('N5', 'user name has no spaces', property, `the user name '${value}' contains white space, which an AUTH command cannot carry`, 'remove the white space from the name', 'warning')];
  }
  return [];
}

/** N5: access string: not blank (at least one non-space character), e.g. `on ~* +@all`. */
export function validateAccessString(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'accessString'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  if (!/\S/.test(value)) {
    return [violation('N5', 'access string is not blank', property, 'the access string is empty or blank', "give an access string, e.g. 'on ~* +@all' or 'on ~app:* +@read'")];
  }
  return [];
}

/**
 * N6: user group id: not empty, stored in lower case. The user id character rules (letter first,
 * letters/digits/hyphens) are applied as warnings.
 */
export function validateUserGroupId(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'userGroupId'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  if (value.length === 0) {
    return [violation('N6', 'user group id naming', property, 'the user group id is empty', "give an id, e.g. 'app-users'")];
  }
  return checkIdentifier(
    value,
    { rule: 'N6', kind: 'user group id', letterFirst: true, hyphenRules: false, lowerCase: true, severity: 'warning', example: 'app-users' },
    property,
  );
}

/**
 * N7: snapshot name (manual, final or copy target): the replication group id character rules (letters,
 * digits, hyphens, letter first, no trailing or double hyphen); stored in lower case. Names must be
 * unique: ElastiCache does not overwrite a snapshot.
 */
export function validateSnapshotName(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'snapshotName'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  return checkIdentifier(
    value,
    { rule: 'N7', kind: 'snapshot name', letterFirst: true, hyphenRules: true, lowerCase: true, severity: 'error', example: 'my-cache-final' },
    property,
  );
}

/**
 * N8: Global Datastore id suffix. The user supplies only the suffix; ElastiCache prefixes it with the
 * Region's five-letter prefix and a hyphen (`<prefix>-<suffix>`). Letters, digits and hyphens, no
 * leading, trailing or double hyphen.
 */
export function validateGlobalDatastoreSuffix(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'globalReplicationGroupIdSuffix'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  const out = checkIdentifier(
    value,
    { rule: 'N8', kind: 'Global Datastore id suffix', letterFirst: false, hyphenRules: true, lowerCase: false, severity: 'error', example: 'sessions' },
    property,
  );
  if (value.startsWith('-')) {
    out.push(violation('N8', 'Global Datastore id suffix naming', property, `the suffix '${value}' starts with a hyphen; ElastiCache already puts a hyphen between the Region prefix and the suffix`, 'remove the leading hyphen'));
  }
  return out;
}

/** N9: replication group description: required, not blank, at most 255 characters, no `<` or `>`. */
export function validateDescription(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'description'): Violation[] {
  if (value !== undefined && ctx.isUnresolved(value)) return [];
  const title = 'description is 1-255 characters';
  if (value === undefined || value.trim().length === 0) {
    return [violation('N9', title, property, 'the description is missing or blank; ElastiCache requires one', "give a short description, e.g. 'Session cache for the web tier'")];
  }
  const out: Violation[] = [];
  if (value.length > MAX_DESCRIPTION_LENGTH) {
    out.push(violation('N9', title, property, `the description is ${value.length} characters long; the limit is ${MAX_DESCRIPTION_LENGTH}`, `shorten it to at most ${MAX_DESCRIPTION_LENGTH} characters`));
  }
  if (/[<>]/.test(value)) {
    out.push(violation('N9', 'description has no angle brackets', property, `the description '${value}' contains '<' or '>'`, "remove the '<' and '>' characters"));
  }
  return out;
}

/** N10: node group id: 1 to 4 digits (`0001`); cluster mode disabled always uses `0001`. */
export function validateNodeGroupId(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'nodeGroupId'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  if (!/^\d{1,4}$/.test(value)) {
    return [violation('N10', 'node group id is 1-4 digits', property, `the node group id '${value}' is not 1 to 4 digits`, "use digits only, e.g. '0001', '0002'")];
  }
  return [];
}

/**
 * A raw name cleaned into an ElastiCache identifier: lower case, letters, digits and single
 * hyphens, starting with a letter, no trailing hyphen. Empty when nothing usable is left.
 */
export function cleanIdentifier(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9-]+/g, '').replace(/-+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
}

/**
 * A unique, valid identifier generated from a construct path: its parts cleaned and joined by
 * hyphens, cut to fit `maxLength` with the `hash` (which makes it unique) appended. For faces whose
 * target needs a name where CloudFormation would generate one (Terraform, the deploy handler).
 */
export function generatedIdentifier(pathParts: readonly string[], hash: string, maxLength: number, fallbackPrefix: string): string {
  const suffix = cleanIdentifier(hash).replace(/^[^a-z0-9]+/, '') || hash.toLowerCase().replace(/[^a-z0-9]/g, '');
  const base = cleanIdentifier(pathParts.filter((p) => p !== '').join('-')) || fallbackPrefix;
  const room = Math.max(1, maxLength - suffix.length - 1);
  const head = base.slice(0, room).replace(/-+$/, '');
  return `${head}-${suffix}`;
}
