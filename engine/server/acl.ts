import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import type { Client } from './client';
import type { CommandSpec } from './commands/command';
import { clientInfoLine } from './commands/connection';
import { globMatch } from './glob';
import { splitInline } from './resp/parser';
import type { Server } from './server';
import { StartupError } from './startup';

/**
 * Access control as Redis 7.0 has it: users with passwords, on/off, and a root selector plus
 * optional extra selectors, each with allowed commands (by full name, `config|get`), first-arg
 * rules (`+select|0`), key patterns with read/write permissions and channel patterns.
 */

/** ACL categories, in `ACL CAT` order. */
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream',
  'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

const READ = 1;
const WRITE = 2;

/** A key pattern with its permissions (READ | WRITE). */
export interface KeyPattern {
  pattern: string;
  flags: number;
}

/** One set of permissions: the user's root rules or one `(...)` selector. */
export class Selector {
  /**
   * Exceptions to `allCommands`, by full name (`get`, `config|get`): the removed commands when
   * allCommands is set (+@all), else the allowed ones.
   */
  public cmds = new Set<string>();
  /** First-argument rules of commands without subcommands (`+select|0`): command → allowed first args. */
  public firstArgs = new Map<string, Set<string>>();
  /** Set by +@all: every command (also ones added later) but those in `cmds`. */
  public allCommands = false;
  public allKeys = false;
  public keys: KeyPattern[] = [];
  public allChannels = false;
  public channels: string[] = [];

  constructor(public readonly root: boolean) {}

  public clone(): Selector {
    const s = new Selector(this.root);
    s.cmds = new Set(this.cmds);
    for (const [k, v] of this.firstArgs) s.firstArgs.set(k, new Set(v));
    s.allCommands = this.allCommands;
    s.allKeys = this.allKeys;
    s.keys = this.keys.map((k) => ({ ...k }));
    s.allChannels = this.allChannels;
    s.channels = [...this.channels];
    return s;
  }

  /** May this selector run the command (by full name)? */
  public can(name: string): boolean {
    return this.allCommands !== this.cmds.has(name);
  }
}

export class AclUser {
  public enabled = false;
  /** SHA-256 hex of each password, in insertion order. */
  public passwords = new Set<string>();
  public nopass = false;
  /** '' (unset), 'sanitize-payload' or 'skip-sanitize-payload'. */
  public sanitize = '';
  public root = new Selector(true);
  public selectors: Selector[] = [];
  /** All commands, all keys, all channels, no selectors needed: the permission check is skipped. */
  public unrestricted = false;

  constructor(public readonly name: string) {}

  public clone(): AclUser {
    const u = new AclUser(this.name);
    u.enabled = this.enabled;
    u.passwords = new Set(this.passwords);
    u.nopass = this.nopass;
    u.sanitize = this.sanitize;
    u.root = this.root.clone();
    u.selectors = this.selectors.map((s) => s.clone());
    u.unrestricted = this.unrestricted;
    return u;
  }
}

/** An ACL rule error; the message is Redis' reason ("Syntax error", ...). */
export class AclRuleError extends Error {
  constructor(message: string, public readonly rule?: string) {
    super(message);
  }
}

/** An entry of ACL LOG. */
export interface AclLogEntry {
  count: number;
  reason: string;
  context: string;
  object: string;
  username: string;
  ctime: number;
  clientInfo: string;
}

/** Result codes of a permission check, ordered by how relevant the error is (as Redis picks it). */
export const enum Denied {
  None = 0,
  Command = 1,
  Key = 2,
  Channel = 4,
}

/** Why a command was denied: the code and the offending key or channel (or the command name). */
export interface Denial {
  code: Denied;
  object: string;
}

export class Acl {
  public readonly users = new Map<string, AclUser>();
  public log: AclLogEntry[] = [];
  /** Index of the denied argument (key or channel) of the last failing selector check. */
  private errArg = -1;

  constructor(private readonly server: Server) {
    this.users.set('default', defaultUser());
  }

  // ------------------------------------------------------------ users and authentication

  /** requirepass: the default user gets this password (or nopass when empty). */
  public setRequirePass(pass: string): void {
    const u = this.users.get('default')!;
    u.passwords.clear();
    u.nopass = pass === '';
    if (pass) u.passwords.add(sha256(pass));
  }

  /** New connections are authenticated as `default` when it needs no password. */
  public defaultUserNeedsNoAuth(): boolean {
    const u = this.users.get('default')!;
    return u.enabled && u.nopass;
  }

  /** True if `user` may log in with `pass`; a failure is logged in ACL LOG when `client` is given. */
  public authenticate(user: string, pass: string, client?: Client): boolean {
    const u = this.users.get(user);
    const ok = !!u && u.enabled && (u.nopass || u.passwords.has(sha256(pass)));
    if (!ok && client) this.addLog(client, 'auth', 'toplevel', 'AUTH', user);
    return ok;
  }

  // ------------------------------------------------------------ permission check

  /**
   * The check before every command: undefined when allowed, else the NOPERM error. Denials are
   * counted in INFO stats and logged in ACL LOG with `context` (toplevel, multi, lua).
   */
  public check(client: Client, spec: CommandSpec, argv: readonly string[], context = 'toplevel'): string | undefined {
    const u = this.users.get(client.user);
    if (u === undefined || u.unrestricted) return undefined;
    const d = this.permission(u, spec, argv);
    if (d.code === Denied.None) return undefined;
    const stats = this.server.stats;
    client.lastCommand = spec.name;
    if (d.code === Denied.Command) {
      stats.aclDeniedCmd++;
      this.addLog(client, 'command', context, spec.name, u.name);
      return `NOPERM this user has no permissions to run the '${spec.name}' command`;
    }
    if (d.code === Denied.Key) {
      stats.aclDeniedKey++;
      this.addLog(client, 'key', context, d.object, u.name);
      return 'NOPERM this user has no permissions to access one of the keys used as arguments';
    }
    stats.aclDeniedChannel++;
    this.addLog(client, 'channel', context, d.object, u.name);
    return 'NOPERM this user has no permissions to access one of the channels used as arguments';
  }

  /** Checks a command line against a user's root rules and selectors (ACL DRYRUN uses it directly). */
  public permission(u: AclUser, spec: CommandSpec, argv: readonly string[]): Denial {
    let best = Denied.None;
    let bestArg = -1;
    const r = this.checkSelector(u.root, spec, argv);
    if (r === Denied.None) return { code: Denied.None, object: '' };
    best = r;
    bestArg = this.errArg;
    for (const s of u.selectors) {
      const x = this.checkSelector(s, spec, argv);
      if (x === Denied.None) return { code: Denied.None, object: '' };
      if (x > best) {
        best = x;
        bestArg = this.errArg;
      }
    }
    return { code: best, object: best === Denied.Command ? spec.name : argv[bestArg] };
  }

  private checkSelector(s: Selector, spec: CommandSpec, argv: readonly string[]): Denied {
    if (!s.can(spec.name) && !spec.flags.includes('no-auth')) {
      const fa = s.firstArgs.get(spec.name);
      if (fa === undefined || argv.length < 2 || !fa.has(argv[1].toLowerCase())) return Denied.Command;
    }
    if (!s.allKeys && (spec.firstKey > 0 || spec.getKeys)) {
      const positions = this.server.keysOf(spec, argv);
      for (let i = 0; i < positions.length; i++) {
        const need = keyAccess(spec, argv, i);
        if (!keyAllowed(s, argv[positions[i]], need)) {
          this.errArg = positions[i];
          return Denied.Key;
        }
      }
    }
    if (!s.allChannels) {
      const kind = CHANNEL_COMMANDS.get(spec.name);
      if (kind !== undefined) {
        const last = kind === 'publish' ? 1 : argv.length - 1;
        for (let i = 1; i <= last; i++) {
          const ok = kind === 'pattern' ? s.channels.includes(argv[i]) : s.channels.some((p) => globMatch(p, argv[i]));
          if (!ok) {
            this.errArg = i;
            return Denied.Channel;
          }
        }
      }
    }
    return Denied.None;
  }

  /** Can `u` (still) listen to `channel` (pattern: a PSUBSCRIBE pattern)? */
  public channelAllowed(u: AclUser, channel: string, pattern: boolean): boolean {
    const ok = (s: Selector) => s.allChannels || (pattern ? s.channels.includes(channel) : s.channels.some((p) => globMatch(p, channel)));
    return ok(u.root) || u.selectors.some(ok);
  }

  // ------------------------------------------------------------ ACL LOG

  public addLog(client: Client, reason: string, context: string, object: string, username: string): void {
    const max = this.server.config.getNumber('acllog-max-len');
    const now = Date.now();
    const info = clientInfoLine(client);
    const i = this.log.findIndex((e) =>
      e.reason === reason && e.context === context && e.object === object && e.username === username && now - e.ctime < 60000);
    if (i >= 0) {
      const e = this.log[i];
      e.count++;
      e.ctime = now;
      e.clientInfo = info;
      this.log.splice(i, 1);
      this.log.unshift(e);
    } else {
      this.log.unshift({ count: 1, reason, context, object, username, ctime: now, clientInfo: info });
    }
    if (this.log.length > max) this.log.length = max;
  }

  // ------------------------------------------------------------ rules

  /**
   * ACL SETUSER: applies `rules` to a copy of the user (created when missing) and installs it only
   * when every rule is valid. Throws AclRuleError with the offending rule.
   */
  public setUser(name: string, rules: string[]): AclUser {
    if (/[\s\0]/.test(name)) throw new AclRuleError("Usernames can't contain spaces or null characters");
    const merged = mergeSelectorArgs(rules);
    const old = this.users.get(name);
    const u = old ? old.clone() : new AclUser(name);
    for (const r of merged) this.applyRule(u, r);
    refresh(u);
    this.users.set(name, u);
    if (old) this.killPubsubClientsIfNeeded(u);
    return u;
  }

  /** Applies one rule to a user (flags, passwords, selectors) or to its root selector. */
  public applyRule(u: AclUser, rule: string): void {
    const lower = rule.toLowerCase();
    if (rule.startsWith('(') && rule.endsWith(')')) {
      const sel = new Selector(false);
      for (const part of splitSelector(rule.slice(1, -1))) {
        try {
          this.applySelectorRule(sel, part);
        } catch (e) {
          if (e instanceof AclRuleError && e.rule === undefined) throw new AclRuleError(e.message, rule);
          throw e;
        }
      }
      u.selectors.push(sel);
      return;
    }
    const err = (msg: string) => new AclRuleError(msg, rule);
    switch (lower) {
      case 'on': u.enabled = true; return;
      case 'off': u.enabled = false; return;
      case 'skip-sanitize-payload': u.sanitize = 'skip-sanitize-payload'; return;
      case 'sanitize-payload': u.sanitize = 'sanitize-payload'; return;
      case 'nopass': u.nopass = true; u.passwords.clear(); return;
      case 'resetpass': u.nopass = false; u.passwords.clear(); return;
      case 'clearselectors': u.selectors = []; return;
      case 'reset':
        u.passwords.clear();
        u.nopass = false;
        u.enabled = false;
        u.sanitize = 'sanitize-payload';
        u.root = new Selector(true);
        u.selectors = [];
        return;
    }
    if (rule.startsWith('>') || rule.startsWith('<')) {
      const h = sha256(rule.slice(1));
      if (rule[0] === '>') {
        u.passwords.add(h);
        u.nopass = false;
      } else if (!u.passwords.delete(h)) {
        throw err('The password you are trying to remove from the user does not exist');
      }
      return;
    }
    if (rule.startsWith('#') || rule.startsWith('!')) {
      const h = rule.slice(1);
      if (!/^[0-9a-f]{64}$/.test(h)) throw err('The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters');
      if (rule[0] === '#') {
        u.passwords.add(h);
        u.nopass = false;
      } else if (!u.passwords.delete(h)) {
        throw err('The password you are trying to remove from the user does not exist');
      }
      return;
    }
    try {
      this.applySelectorRule(u.root, rule);
    } catch (e) {
      if (e instanceof AclRuleError && e.rule === undefined) throw err(e.message);
      throw e;
    }
  }

  /** Rules valid inside a selector: keys, channels, commands. */
  private applySelectorRule(s: Selector, rule: string): void {
    const lower = rule.toLowerCase();
    switch (lower) {
      case 'allkeys':
        return setAllKeys(s);
      case 'resetkeys':
        s.allKeys = false;
        s.keys = [];
        return;
      case 'allchannels':
        return setAllChannels(s);
      case 'resetchannels':
        s.allChannels = false;
        s.channels = [];
        return;
      case 'allcommands':
        return this.applyCommandRule(s, '+@all');
      case 'nocommands':
        return this.applyCommandRule(s, '-@all');
    }
    if (rule.startsWith('~') || rule.startsWith('%')) {
      let flags = READ | WRITE;
      let pattern: string;
      if (rule[0] === '%') {
        const tilde = rule.indexOf('~');
        if (tilde < 2) throw new AclRuleError('Syntax error');
        flags = 0;
        for (const ch of rule.slice(1, tilde).toUpperCase()) {
          if (ch === 'R') flags |= READ;
          else if (ch === 'W') flags |= WRITE;
          else throw new AclRuleError('Syntax error');
        }
        pattern = rule.slice(tilde + 1);
      } else {
        pattern = rule.slice(1);
      }
      if (s.allKeys) {
        throw new AclRuleError("Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns");
      }
      if (pattern === '*' && flags === (READ | WRITE)) return setAllKeys(s);
      const existing = s.keys.find((k) => k.pattern === pattern);
      if (existing) existing.flags |= flags;
      else s.keys.push({ pattern, flags });
      return;
    }
    if (rule.startsWith('&')) {
      if (s.allChannels) {
        throw new AclRuleError("Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels");
      }
      const p = rule.slice(1);
      if (p === '*') return setAllChannels(s);
      if (!s.channels.includes(p)) s.channels.push(p);
      return;
    }
    if (rule.startsWith('+') || rule.startsWith('-')) return this.applyCommandRule(s, rule);
    throw new AclRuleError('Syntax error');
  }

  private applyCommandRule(s: Selector, rule: string): void {
    const allow = rule[0] === '+';
    const what = rule.slice(1).toLowerCase();
    const table = this.server.commands;
    if (what.startsWith('@')) {
      const cat = what.slice(1);
      if (cat === 'all') {
        s.cmds.clear();
        s.firstArgs.clear();
        s.allCommands = allow;
        return;
      }
      if (!ACL_CATEGORIES.includes(cat)) throw new AclRuleError('Unknown command or category name in ACL');
      for (const spec of table.all()) {
        if (spec.subcommands) {
          for (const sub of spec.subcommands.values()) if (sub.categories.includes(cat)) setCommand(s, sub, allow);
        } else if (spec.categories.includes(cat)) {
          setCommand(s, spec, allow);
        }
      }
      return;
    }
    const parts = what.split('|');
    const spec = table.get(parts[0]);
    if (!spec || parts.length > 3 || parts.some((p) => p === '')) throw new AclRuleError('Unknown command or category name in ACL');
    if (parts.length === 1) {
      setCommand(s, spec, allow);
      if (spec.subcommands) for (const sub of spec.subcommands.values()) setCommand(s, sub, allow);
      return;
    }
    const sub = spec.subcommands?.get(parts[1]);
    if (sub) {
      if (parts.length === 3) throw new AclRuleError('Allowing first-arg of a subcommand is not supported');
      setCommand(s, sub, allow);
      return;
    }
    if (spec.subcommands || !allow || parts.length === 3) throw new AclRuleError('Unknown command or category name in ACL');
    if (s.can(spec.name)) return;
    let fa = s.firstArgs.get(spec.name);
    if (!fa) s.firstArgs.set(spec.name, (fa = new Set()));
    fa.add(parts[1]);
  }

  /** Disconnects clients of `u` subscribed to channels the user may no longer use (as Redis 7.0 does). */
  private killPubsubClientsIfNeeded(u: AclUser): void {
    for (const c of [...this.server.clients.values()]) {
      if (c.user !== u.name || c.subscriptionCount + c.shardChannels.size === 0) continue;
      const bad = [...c.channels, ...c.shardChannels].some((ch) => !this.channelAllowed(u, ch, false))
        || [...c.patterns].some((p) => !this.channelAllowed(u, p, true));
      if (bad) this.server.killClient(c);
    }
  }

  /** ACL DELUSER: removes users and disconnects their clients; returns how many existed. */
  public deleteUsers(names: string[]): number {
    let n = 0;
    for (const name of names) {
      if (!this.users.delete(name)) continue;
      n++;
      for (const c of [...this.server.clients.values()]) if (c.user === name) this.server.killClient(c);
    }
    return n;
  }

  // ------------------------------------------------------------ describe

  /** The command rules of a selector as ACL LIST shows them (Redis 7.0's best-fit description). */
  public describeCommands(s: Selector): string {
    const table = [...this.server.commands.all()];
    const leaves: CommandSpec[] = [];
    for (const spec of table) {
      if (spec.subcommands) leaves.push(...spec.subcommands.values());
      else leaves.push(spec);
    }
    const additive = !s.allCommands;
    const fake = new Set<string>(additive ? [] : leaves.map((l) => l.name));
    const out: string[] = [additive ? '-@all' : '+@all'];
    // Categories by size, largest first.
    const cats = ACL_CATEGORIES.map((cat) => ({ cat, members: leaves.filter((l) => l.categories.includes(cat)) }))
      .filter((x) => x.members.length > 0);
    cats.sort((a, b) => b.members.length - a.members.length);
    // Exact fits first (they change only commands that must change), then categories that help more than they hurt.
    for (const exact of [true, false]) {
      for (const { cat, members } of cats) {
        let gain = 0;
        let loss = 0;
        for (const m of members) {
          const want = s.can(m.name);
          const has = fake.has(m.name);
          if (additive && !has) {
            if (want) gain++;
            else loss++;
          } else if (!additive && has) {
            if (!want) gain++;
            else loss++;
          }
        }
        if (exact ? gain > 0 && loss === 0 : gain > loss) {
          out.push(`${additive ? '+' : '-'}@${cat}`);
          for (const m of members) {
            if (additive) fake.add(m.name);
            else fake.delete(m.name);
          }
        }
      }
    }
    for (const spec of table) {
      const parts = spec.subcommands ? [...spec.subcommands.values()] : [spec];
      if (spec.subcommands && parts.length > 1) {
        // A container is named whole when most of its subcommands go its way; exceptions follow.
        const wanted = parts.filter((p) => s.can(p.name)).length;
        const differ = parts.some((p) => s.can(p.name) !== fake.has(p.name));
        if (differ && wanted * 2 > parts.length && parts.some((p) => !fake.has(p.name))) {
          out.push(`+${spec.name}`);
          for (const p of parts) fake.add(p.name);
        } else if (differ && wanted * 2 < parts.length && parts.some((p) => fake.has(p.name))) {
          out.push(`-${spec.name}`);
          for (const p of parts) fake.delete(p.name);
        }
      }
      for (const p of parts) {
        const want = s.can(p.name);
        if (want !== fake.has(p.name)) out.push(`${want ? '+' : '-'}${p.name}`);
      }
      const fa = s.firstArgs.get(spec.name);
      if (fa && !s.can(spec.name)) for (const a of fa) out.push(`+${spec.name}|${a}`);
    }
    return out.join(' ');
  }

  public describeKeys(s: Selector): string {
    if (s.allKeys) return '~*';
    return s.keys.map((k) => (k.flags === (READ | WRITE) ? `~${k.pattern}` : k.flags === READ ? `%R~${k.pattern}` : `%W~${k.pattern}`)).join(' ');
  }

  public describeChannels(s: Selector, forList: boolean): string {
    if (s.allChannels) return '&*';
    const pats = s.channels.map((c) => `&${c}`).join(' ');
    if (!forList) return pats;
    return pats ? `resetchannels ${pats}` : 'resetchannels';
  }

  private describeSelector(s: Selector): string {
    return [this.describeKeys(s), this.describeChannels(s, true), this.describeCommands(s)].filter(Boolean).join(' ');
  }

  public flags(u: AclUser): string[] {
    const f = [u.enabled ? 'on' : 'off'];
    if (u.nopass) f.push('nopass');
    if (u.sanitize) f.push(u.sanitize);
    return f;
  }

  /** One ACL LIST line. */
  public describeUser(u: AclUser): string {
    const parts = ['user', u.name, ...this.flags(u), ...[...u.passwords].map((p) => `#${p}`), this.describeSelector(u.root)];
    for (const s of u.selectors) parts.push(`(${this.describeSelector(s)})`);
    return parts.join(' ');
  }

  public sortedUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // ------------------------------------------------------------ ACL file

  /** Loads `aclfile` at start-up; a problem stops the node with Redis' message. */
  public loadAtStartup(): void {
    const file = this.server.config.get('aclfile');
    if (!file) return;
    const problem = this.loadFile(file);
    if (problem) throw new StartupError(`Aborting Redis startup because of ACL errors: ${problem}`);
  }

  /**
   * ACL LOAD: reads the file, builds every user and installs them only when all lines are valid.
   * Returns the error text, or undefined on success. Clients of removed users are disconnected.
   */
  public loadFile(file: string): string | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'latin1');
    } catch (e) {
      return `Error loading ACLs, opening file '${file}': ${errnoText(e as NodeJS.ErrnoException)}`;
    }
    const fresh = new Map<string, AclUser>();
    const lines = text.split('\n');
    const suffix = 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/\r$/, '').trim();
      if (line === '') continue;
      let argv: string[];
      try {
        argv = splitInline(line);
      } catch {
        return `${file}:${i + 1}: unbalanced quotes in acl line. ${suffix}`;
      }
      if (argv.length < 2 || argv[0] !== 'user') return `${file}:${i + 1} should start with user keyword followed by the username. ${suffix}`;
      const name = argv[1];
      if (fresh.has(name)) return `WARNING: Duplicate user '${name}' found on line ${i + 1}. ${suffix}`;
      if (/[\s\0]/.test(name)) return `${file}:${i + 1}: Usernames can't contain spaces or null characters. ${suffix}`;
      const u = new AclUser(name);
      try {
        for (const r of mergeSelectorArgs(argv.slice(2))) this.applyRule(u, r);
      } catch (e) {
        if (!(e instanceof AclRuleError)) throw e;
        return `${file}:${i + 1}: ${e.message}. ${suffix}`;
      }
      refresh(u);
      fresh.set(name, u);
    }
    if (!fresh.has('default')) fresh.set('default', defaultUser());
    const old = this.users;
    for (const [name, u] of old) {
      const now = fresh.get(name);
      if (now && this.describeUser(now) === this.describeUser(u)) continue;
      for (const c of [...this.server.clients.values()]) if (c.user === name) this.server.killClient(c);
    }
    old.clear();
    for (const [k, v] of fresh) old.set(k, v);
    return undefined;
  }

  /** ACL SAVE: writes every user as an ACL LIST line (atomically, through a temp file). */
  public saveFile(file: string): void {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, this.sortedUsers().map((u) => `${this.describeUser(u)}\n`).join(''), 'latin1');
    fs.renameSync(tmp, file);
  }
}

/** The default user: on, nopass, every key, channel and command. */
function defaultUser(): AclUser {
  const u = new AclUser('default');
  u.enabled = true;
  u.nopass = true;
  u.root.allCommands = true;
  u.root.allKeys = true;
  u.root.allChannels = true;
  u.unrestricted = true;
  return u;
}

function refresh(u: AclUser): void {
  const r = u.root;
  u.unrestricted = r.allCommands && r.cmds.size === 0 && r.allKeys && r.allChannels;
}


function setCommand(s: Selector, spec: CommandSpec, allow: boolean): void {
  s.firstArgs.delete(spec.name);
  if (allow === s.allCommands) s.cmds.delete(spec.name);
  else s.cmds.add(spec.name);
}

function setAllKeys(s: Selector): void {
  s.allKeys = true;
  s.keys = [];
}

function setAllChannels(s: Selector): void {
  s.allChannels = true;
  s.channels = [];
}

/** Joins `(a`, `b`, `c)` into one selector argument, as ACL SETUSER does; unmatched `(` is an error. */
export function mergeSelectorArgs(rules: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (!r.startsWith('(') || r.endsWith(')')) {
      out.push(r);
      continue;
    }
    let merged = r;
    let j = i + 1;
    for (; j < rules.length; j++) {
      merged += ` ${rules[j]}`;
      if (rules[j].endsWith(')')) break;
    }
    if (j >= rules.length) throw new AclRuleError(`Unmatched parenthesis in acl selector starting at '${r}'.`, '(');
    out.push(merged);
    i = j;
  }
  return out;
}

function splitSelector(body: string): string[] {
  return body.split(' ').filter((x) => x !== '');
}

export function sha256(s: string): string {
  return createHash('sha256').update(Buffer.from(s, 'latin1')).digest('hex');
}

/** ACL GENPASS: `bits` of randomness as lowercase hex. */
export function genpass(bits: number): string {
  const chars = Math.ceil(bits / 4);
  return randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars);
}

function errnoText(e: NodeJS.ErrnoException): string {
  if (e.code === 'ENOENT') return 'No such file or directory';
  if (e.code === 'EACCES') return 'Permission denied';
  if (e.code === 'EISDIR') return 'Is a directory';
  return e.message;
}

/** Pub/sub commands whose arguments are channels: publish (one), subscribe (all), pattern (all, literal). */
const CHANNEL_COMMANDS = new Map<string, 'publish' | 'subscribe' | 'pattern'>([
  ['publish', 'publish'],
  ['spublish', 'publish'],
  ['subscribe', 'subscribe'],
  ['ssubscribe', 'subscribe'],
  ['psubscribe', 'pattern'],
]);

/** Commands that only check a key's existence or metadata: any matching pattern will do. */
const KEY_NO_ACCESS = new Set([
  'exists', 'type', 'touch', 'object|encoding', 'object|freq', 'object|idletime', 'object|refcount', 'memory|usage',
  'strlen', 'llen', 'scard', 'hlen', 'zcard', 'xlen', 'hexists', 'sismember', 'hstrlen',
]);
/** Write commands that write without reading the value (Redis' insert/update/delete key specs). */
const KEY_WRITE_ONLY = new Set([
  'set', 'setnx', 'setex', 'psetex', 'mset', 'msetnx', 'del', 'unlink', 'expire', 'pexpire', 'expireat', 'pexpireat', 'persist',
  'lpush', 'rpush', 'lpushx', 'rpushx', 'append', 'hset', 'hmset', 'hsetnx', 'hdel', 'sadd', 'srem', 'zadd', 'zrem', 'pfadd',
  'setrange', 'setbit', 'restore', 'restore-asking', 'geoadd', 'xadd', 'xdel', 'xtrim', 'ltrim', 'lset', 'linsert', 'lrem',
  'zremrangebyscore', 'zremrangebyrank', 'zremrangebylex',
]);
/** Commands whose first key is written (and not read) and whose other keys are only read. */
const KEY_DEST_FIRST = new Set(['sunionstore', 'sinterstore', 'sdiffstore', 'zunionstore', 'zinterstore', 'zdiffstore', 'zrangestore', 'bitop', 'geosearchstore']);
/** Commands whose source is read and destination written: source R (or RW), destination W. */
const KEY_SRC_DEST = new Map<string, number>([
  ['copy', READ], ['rpoplpush', READ | WRITE], ['lmove', READ | WRITE], ['blmove', READ | WRITE], ['brpoplpush', READ | WRITE],
  ['smove', READ | WRITE], ['rename', READ | WRITE], ['renamenx', READ | WRITE],
]);

/** The permissions the `i`-th key of a command line needs (Redis' key-spec access flags, approximated per command). */
export function keyAccess(spec: CommandSpec, argv: readonly string[], i: number): number {
  const name = spec.name;
  if (KEY_NO_ACCESS.has(name)) return 0;
  if (!spec.flags.includes('write')) return READ;
  if (KEY_WRITE_ONLY.has(name)) {
    if (name === 'set') {
      for (let j = 3; j < argv.length; j++) if (argv[j].length === 3 && argv[j].toLowerCase() === 'get') return READ | WRITE;
    }
    return WRITE;
  }
  if (KEY_DEST_FIRST.has(name)) return i === 0 ? WRITE : READ;
  const src = KEY_SRC_DEST.get(name);
  if (src !== undefined) return i === 0 ? src : WRITE;
  if (name === 'sort' || name === 'georadius' || name === 'georadiusbymember') return i === 0 ? READ : WRITE;
  if (name === 'pfmerge') return i === 0 ? READ | WRITE : READ;
  return READ | WRITE;
}

function keyAllowed(s: Selector, key: string, need: number): boolean {
  for (const k of s.keys) {
    if ((k.flags & need) !== need) continue;
    if (globMatch(k.pattern, key)) return true;
  }
  return false;
}
