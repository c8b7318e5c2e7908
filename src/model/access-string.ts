import { Violation, violation } from './violation';

/**
 * ElastiCache access strings: the ACL rule language of Valkey / Redis OSS (`ACL SETUSER`), as
 * ElastiCache accepts it in `AWS::ElastiCache::User.AccessString`.
 *
 * ElastiCache manages passwords itself (the user's `Passwords` / `AuthenticationMode`), so the
 * password rules (`>`, `<`, `#`, `!`, `nopass`, `resetpass`) and `reset` (which would drop the
 * passwords) are refused in an access string. A user with neither `on` nor `off` is created off.
 *
 * Rules checked here: S10 (access string content) and N5 (non-blank).
 */

/** The command categories of Valkey / Redis OSS (`ACL CAT`), without the leading `@`. */
export const ACL_CATEGORIES: readonly string[] = [
  'all',
  'admin',
  'bitmap',
  'blocking',
  'connection',
  'dangerous',
  'fast',
  'geo',
  'hash',
  'hyperloglog',
  'keyspace',
  'list',
  'pubsub',
  'read',
  'scripting',
  'set',
  'slow',
  'sortedset',
  'stream',
  'string',
  'transaction',
  'write',
];

/**
 * Categories added by the modules ElastiCache ships with Valkey (JSON, Bloom filters, search).
 * They are accepted; they only match commands where the module is available.
 */
export const MODULE_ACL_CATEGORIES: readonly string[] = ['json', 'bloom', 'search'];

/** One rule of an access string, with where it was found. */
export interface AccessRule {
  /** The rule as written (for a selector: the whole `( ... )` text). */
  readonly text: string;
  /** 1-based number of the rule in the string (selectors count as one rule). */
  readonly index: number;
  /** 0-based character offset of the rule in the string. */
  readonly position: number;
  /** For a selector: the rules inside the parentheses. */
  readonly selector?: AccessRule[];
}

/** An access string split into rules. */
export interface ParsedAccessString {
  /** The top-level rules, selectors merged into one rule each. */
  readonly rules: AccessRule[];
  /**
   * Whether the user ends up enabled: `true` after a final `on`, `false` after a final `off`,
   * `undefined` when the string says neither (ElastiCache then creates the user off).
   */
  readonly enabled?: boolean;
  /** A selector whose `(` is never closed, if any. */
  readonly unterminatedSelector?: AccessRule;
}

const RULE = 'S10';
const TITLE = 'access string must be valid ElastiCache ACL rules';

/**
 * Splits an access string into rules the way Valkey merges `ACL SETUSER` arguments: a word that
 * starts with `(` opens a selector that runs to the first word ending with `)`.
 */
export function parseAccessString(accessString: string): ParsedAccessString {
  const words: { text: string; position: number }[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(accessString)) !== null) {
    words.push({ text: m[0], position: m.index });
  }

  const rules: AccessRule[] = [];
  let enabled: boolean | undefined;
  let unterminatedSelector: AccessRule | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const index = rules.length + 1;
    if (w.text.startsWith('(')) {
      let j = i;
      while (j < words.length && !(j === i ? w.text.length > 1 && w.text.endsWith(')') : words[j].text.endsWith(')'))) {
        j++;
      }
      const closed = j < words.length;
      const last = closed ? j : words.length - 1;
      const end = words[last].position + words[last].text.length;
      const text = accessString.slice(w.position, end);
      const inner = text.slice(1, closed ? -1 : undefined);
      const innerOffset = w.position + 1;
      const selector: AccessRule[] = [];
      const ire = /\S+/g;
      let im: RegExpExecArray | null;
      while ((im = ire.exec(inner)) !== null) {
        selector.push({ text: im[0], index: selector.length + 1, position: innerOffset + im.index });
      }
      const rule: AccessRule = { text, index, position: w.position, selector };
      rules.push(rule);
      if (!closed) {
        unterminatedSelector = rule;
      }
      i = last;
      continue;
    }
    const lower = w.text.toLowerCase();
    if (lower === 'on') {
      enabled = true;
    } else if (lower === 'off' || lower === 'reset') {
      enabled = false;
    }
    rules.push({ text: w.text, index, position: w.position });
  }
  return { rules, enabled, unterminatedSelector };
}

/**
 * The arguments to pass to `ACL SETUSER <name> ...` for this access string (one per rule,
 * selectors kept whole). Used by the deploy handler to push users to the nodes.
 */
export function accessStringToAclArgs(accessString: string): string[] {
  return parseAccessString(accessString).rules.map((r) => r.text);
}

/** Options for {@link validateAccessString}. */
export interface AccessStringValidationOptions {
  /** Property name to report problems under. Default `accessControl`. */
  readonly property?: string;
}

/**
 * Checks an access string against the ACL rule syntax and the ElastiCache restrictions.
 * Returns one violation per problem, each naming the rule number, its character position and
 * the offending word (never a password).
 */
export function validateAccessString(accessString: string, options: AccessStringValidationOptions = {}): Violation[] {
  const property = options.property ?? 'accessControl';
  if (!/\S/.test(accessString)) {
    return [
      violation(
        'N5',
        'access string must not be blank',
        property,
        'the access string is empty or blank.',
        "give at least `on` and the keys and commands the user may use, e.g. 'on ~* +@all'.",
      ),
    ];
  }

  const parsed = parseAccessString(accessString);
  const out: Violation[] = [];
  for (const rule of parsed.rules) {
    if (rule.selector) {
      out.push(...checkSelector(rule, rule === parsed.unterminatedSelector, property));
    } else {
      out.push(...checkRule(rule, false, property));
    }
  }

  if (parsed.enabled === undefined) {
    out.push(
      violation(
        RULE,
        'user without `on` is created off',
        property,
        `the access string '${accessString.trim()}' says neither 'on' nor 'off', so ElastiCache creates the user off: nobody can authenticate as it.`,
        "start the access string with 'on' (or say 'off' explicitly if the user is meant to be disabled).",
        'warning',
      ),
    );
  }
  return out;
}

function where(rule: AccessRule): string {
  return `rule ${rule.index} (character ${rule.position + 1})`;
}

function err(rule: AccessRule, shown: string, what: string, fix: string, inSelector = false): Violation {
  const at = inSelector ? `selector rule at character ${rule.position + 1}` : where(rule);
  return violation(RULE, TITLE, '', `${at} '${shown}': ${what}`, fix);
}

function withProperty(vs: Violation[], property: string): Violation[] {
  return vs.map((v) => ({ ...v, property }));
}

function checkSelector(rule: AccessRule, unterminated: boolean, property: string): Violation[] {
  const out: Violation[] = [];
  if (unterminated) {
    out.push(
      err(rule, rule.text, "the selector's '(' is never closed.", "close the selector with ')', e.g. '(+get ~cache:*)'."),
    );
  }
  const inner = rule.selector ?? [];
  if (inner.length === 0) {
    out.push({
      ...err(rule, rule.text, 'the selector is empty and grants nothing.', 'remove it, or put key and command rules inside it.'),
      severity: 'warning',
    });
  }
  for (const r of inner) {
    out.push(...checkRule(r, true, property));
  }
  return withProperty(out, property);
}

const ROOT_ONLY = new Map<string, string>([
  ['on', 'enables the user'],
  ['off', 'disables the user'],
  ['clearselectors', 'removes selectors'],
  ['sanitize-payload', 'is a user flag'],
  ['skip-sanitize-payload', 'is a user flag'],
]);

const PLAIN_KEYWORDS = new Set([
  'allkeys',
  'resetkeys',
  'allchannels',
  'resetchannels',
  'allcommands',
  'nocommands',
]);

function checkRule(rule: AccessRule, inSelector: boolean, property: string): Violation[] {
  const t = rule.text;
  const lower = t.toLowerCase();
  const out: Violation[] = [];
  const e = (shown: string, what: string, fix: string) => out.push(err(rule, shown, what, fix, inSelector));

  if (ROOT_ONLY.has(lower)) {
    if (inSelector) {
      e(t, `'${lower}' ${ROOT_ONLY.get(lower)} and is not allowed inside a selector.`, `move '${lower}' out of the parentheses.`);
    }
  } else if (PLAIN_KEYWORDS.has(lower)) {
    // valid everywhere
  } else if (lower === 'alldbs' || lower === 'resetdbs' || lower.startsWith('db=')) {
    if (lower.startsWith('db=')) {
      const ids = t.slice(3).split(',');
      if (ids.some((id) => !/^\d+$/.test(id))) {
        e(t, 'database permissions take a comma-separated list of database numbers.', "write e.g. 'db=0' or 'db=0,1'.");
      }
    }
    out.push({
      ...err(
        rule,
        t,
        'database permissions are a recent Valkey addition; engines without them (all Redis OSS versions, older Valkey) reject the access string.',
        'remove the database rule unless every cache that uses this user runs a Valkey version with database permissions.',
        inSelector,
      ),
      severity: 'warning',
    });
  } else if (t.startsWith('>') || t.startsWith('<') || t.startsWith('#') || t.startsWith('!')) {
    e(
      `${t[0]}…`,
      'passwords (and password hashes) cannot be set in an ElastiCache access string.',
      "remove it from the access string and give the password in 'passwords' (a SecretValue) instead.",
    );
  } else if (lower === 'nopass') {
    e(
      t,
      'ElastiCache manages passwords itself, so `nopass` is not allowed in an access string.',
      'remove it; for a Redis OSS user without a password use NoPasswordUser.',
    );
  } else if (lower === 'resetpass') {
    e(t, 'ElastiCache manages passwords itself, so `resetpass` is not allowed in an access string.', "remove it; change passwords through 'passwords'.");
  } else if (lower === 'reset') {
    e(
      t,
      'ElastiCache does not allow `reset` in an access string (it would remove the passwords ElastiCache manages).',
      "remove it; an access string always starts from an empty user, so spell out the rules you need, e.g. 'off -@all'.",
    );
  } else if (t.startsWith('(')) {
    e(t, 'selectors cannot be nested.', 'write each selector at the top level of the access string.');
  } else if (t.startsWith('~')) {
    if (t.length === 1) {
      out.push({
        ...err(rule, t, 'the key pattern is empty, so it only matches the empty key name.', "give a glob pattern, e.g. '~*' or '~app:*'.", inSelector),
        severity: 'warning',
      });
    }
  } else if (t.startsWith('%')) {
    checkKeyPermission(t, e);
  } else if (t.startsWith('&')) {
    // channel pattern: any glob, including empty
  } else if (t.startsWith('+@') || t.startsWith('-@')) {
    const cat = lower.slice(2);
    if (cat === '') {
      e(t, 'the category name is missing.', "write e.g. '+@read' or '-@dangerous'.");
    } else if (!ACL_CATEGORIES.includes(cat) && !MODULE_ACL_CATEGORIES.includes(cat)) {
      e(
        t,
        `unknown ACL category '@${cat}'.`,
        `use one of ${ACL_CATEGORIES.map((c) => '@' + c).join(', ')} (or a module category ${MODULE_ACL_CATEGORIES.map((c) => '@' + c).join(', ')}).`,
      );
    }
  } else if (t.startsWith('+') || t.startsWith('-')) {
    checkCommand(t, e);
  } else {
    e(
      t,
      'not an ACL rule.',
      "use on/off, key patterns (~, %R~, %W~, allkeys, resetkeys), channel patterns (&, allchannels, resetchannels), commands (+cmd, -cmd, +@category, -@category, allcommands, nocommands), selectors '( ... )' or clearselectors; separate rules with spaces.",
    );
  }
  return withProperty(out, property);
}

function checkKeyPermission(t: string, e: (shown: string, what: string, fix: string) => void): void {
  const tilde = t.indexOf('~');
  const fix = "write '%R~<pattern>' (read), '%W~<pattern>' (write) or '%RW~<pattern>' (both), e.g. '%R~app:*'.";
  if (tilde < 0) {
    e(t, "a key permission needs '~' before its pattern.", fix);
    return;
  }
  const perms = t.slice(1, tilde).toUpperCase();
  if (perms === '' || !/^[RW]+$/.test(perms) || new Set(perms).size !== perms.length) {
    e(t, `'${t.slice(1, tilde)}' is not a key permission (R, W or RW).`, fix);
    return;
  }
  if (tilde === t.length - 1) {
    e(t, 'the key pattern after the permission is empty.', fix);
  }
}

function checkCommand(t: string, e: (shown: string, what: string, fix: string) => void): void {
  const body = t.slice(1);
  const parts = body.split('|');
  const fix = "write '+<command>', '-<command>' or '<sign><command>|<subcommand>', e.g. '+get', '-flushall', '-config|set'.";
  if (body === '') {
    e(t, 'the command name is missing.', fix);
  } else if (!/^[A-Za-z][A-Za-z0-9_.:-]*$/.test(parts[0])) {
    e(t, `'${parts[0]}' is not a command name.`, fix);
  } else if (parts.length > 2) {
    e(t, "only one '|' (command|subcommand) is allowed.", fix);
  } else if (parts.length === 2 && parts[1] === '') {
    e(t, "the subcommand after '|' is missing.", fix);
  }
}
