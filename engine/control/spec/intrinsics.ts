import { DeferredConcat, DeferredValue, isDeferred, isDeferredConcat } from './model';
import { Template } from './template-file';

/**
 * Resolves CloudFormation intrinsic functions over plain JSON. What cannot be known locally
 * becomes a marker instead of a guess: `Unresolvable` (with why and how to fix it) or a
 * deferred endpoint (`DeferredValue`, `DeferredConcat`) that the control plane fills in.
 */

/** `Ref: AWS::NoValue`: removes the property or list element it stands in. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export class Unresolvable {
  constructor(
    /** What could not be resolved, e.g. `Fn::ImportValue 'shared-vpc'`. */
    readonly what: string,
    /** How to make it resolvable locally. */
    readonly fix: string,
    /** The problem's rule id: `SPEC-UNRESOLVED`, `SPEC-SECRET` (a secret to supply) or `SPEC-PARAMETER`. */
    readonly rule: string = 'SPEC-UNRESOLVED',
  ) {}
}

/** What the resolver asks the reader for: pseudo parameters, parameters, resources. */
export interface ResolveContext {
  readonly template: Template;
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly availabilityZones: string[];
  /** A template parameter's value (already checked, typed: lists are arrays). */
  parameter(name: string): unknown;
  /** `Ref` of a resource. */
  ref(logicalId: string): unknown;
  /** `Fn::GetAtt` of a resource. */
  getAtt(logicalId: string, attribute: string): unknown;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function urlSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

export class Resolver {
  private readonly conditionCache = new Map<string, boolean | Unresolvable>();
  private readonly evaluating = new Set<string>();

  constructor(private readonly ctx: ResolveContext) {}

  /** The value of a named condition (Conditions section). */
  condition(name: string): boolean | Unresolvable {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const def = this.ctx.template.Conditions?.[name];
    if (def === undefined) return new Unresolvable(`condition '${name}'`, `define '${name}' in the template's Conditions section`);
    if (this.evaluating.has(name)) return new Unresolvable(`condition '${name}' refers to itself`, 'break the cycle between the conditions');
    this.evaluating.add(name);
    try {
      const v = this.resolve(def);
      const result = v instanceof Unresolvable ? v : toBoolean(v);
      const out = result === undefined ? new Unresolvable(`condition '${name}' (not a boolean)`, 'build the condition from Fn::Equals, Fn::And, Fn::Or, Fn::Not and Condition') : result;
      this.conditionCache.set(name, out);
      return out;
    } finally {
      this.evaluating.delete(name);
    }
  }

  /** Resolves every intrinsic in `value`; `NO_VALUE` entries are dropped from objects and lists. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const v of value) {
        const r = this.resolve(v);
        if (r !== NO_VALUE) out.push(r);
      }
      return out;
    }
    if (typeof value !== 'object' || value === null) return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const key = keys[0];
      const arg = (value as Record<string, unknown>)[key];
      if (key === 'Ref') return this.ref(arg);
      if (key === 'Condition' && typeof arg === 'string') return this.condition(arg);
      if (key.startsWith('Fn::')) return this.fn(key, arg);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = this.resolve((value as Record<string, unknown>)[k]);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private ref(arg: unknown): unknown {
    const name = this.resolve(arg);
    if (typeof name !== 'string') return new Unresolvable(`Ref ${JSON.stringify(arg)}`, 'Ref takes the name of a parameter or resource');
    const c = this.ctx;
    switch (name) {
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::Region': return c.region;
      case 'AWS::AccountId': return c.accountId;
      case 'AWS::StackName': return c.stackName;
      case 'AWS::StackId': return `arn:${partitionOf(c.region)}:cloudformation:${c.region}:${c.accountId}:stack/${c.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::Partition': return partitionOf(c.region);
      case 'AWS::URLSuffix': return urlSuffixOf(c.region);
      case 'AWS::NotificationARNs': return [];
    }
    if (c.template.Parameters?.[name] !== undefined) return c.parameter(name);
    if (c.template.Resources?.[name] !== undefined) return c.ref(name);
    return new Unresolvable(`Ref '${name}'`, `'${name}' is neither a parameter nor a resource of the template`);
  }

  private fn(name: string, arg: unknown): unknown {
    switch (name) {
      case 'Fn::GetAtt': return this.getAtt(arg);
      case 'Fn::Join': return this.join(arg);
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::Select': return this.select(arg);
      case 'Fn::Split': return this.split(arg);
      case 'Fn::GetAZs': return this.getAzs(arg);
      case 'Fn::FindInMap': return this.findInMap(arg);
      case 'Fn::If': return this.if(arg);
      case 'Fn::Equals': return this.equals(arg);
      case 'Fn::Not': return this.not(arg);
      case 'Fn::And': return this.andOr(arg, true);
      case 'Fn::Or': return this.andOr(arg, false);
      case 'Fn::Base64': {
        const v = this.resolve(arg);
        if (isMarker(v)) return v;
        return typeof v === 'string' ? Buffer.from(v, 'utf8').toString('base64') : bad('Fn::Base64', 'a string');
      }
      case 'Fn::Length': {
        const v = this.resolve(arg);
        if (isMarker(v)) return v;
        return Array.isArray(v) ? v.length : bad('Fn::Length', 'a list');
      }
      case 'Fn::ToJsonString': {
        const v = this.resolve(arg);
        return firstMarker(v) ?? JSON.stringify(v);
      }
      case 'Fn::Contains': {
        const v = this.resolve(arg);
        if (!Array.isArray(v) || v.length !== 2 || !Array.isArray(v[0])) return bad('Fn::Contains', '[list, value]');
        return v[0].some((x) => String(x) === String(v[1]));
      }
      case 'Fn::ImportValue': {
        const v = this.resolve(arg);
        return new Unresolvable(`Fn::ImportValue '${typeof v === 'string' ? v : JSON.stringify(v)}'`, 'exports of other stacks are not available locally; replace the import with a parameter and pass its value with --parameters');
      }
      default:
        return new Unresolvable(`${name}`, `${name} is not supported by the local deploy; use Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If or Fn::FindInMap`);
    }
  }

  private getAtt(arg: unknown): unknown {
    let parts: unknown = this.resolve(arg);
    if (typeof parts === 'string') {
      const dot = parts.indexOf('.');
      parts = [parts.slice(0, dot), parts.slice(dot + 1)];
    }
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || typeof parts[1] !== 'string') {
      return bad('Fn::GetAtt', '[logicalId, attribute]');
    }
    const [id, attr] = parts as [string, string];
    if (this.ctx.template.Resources?.[id] === undefined) {
      return new Unresolvable(`Fn::GetAtt ${id}.${attr}`, `'${id}' is not a resource of the template`);
    }
    return this.ctx.getAtt(id, attr);
  }

  private join(arg: unknown): unknown {
    const v = this.resolve(arg);
    if (v instanceof Unresolvable) return v;
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string') return bad('Fn::Join', '[delimiter, [values]]');
    const [sep, list] = v as [string, unknown];
    if (list instanceof Unresolvable) return list;
    if (!Array.isArray(list)) return bad('Fn::Join', 'a list of values');
    const parts: unknown[] = [];
    list.forEach((item, i) => {
      if (i > 0) parts.push(sep);
      parts.push(item);
    });
    return concat(parts);
  }

  private sub(arg: unknown): unknown {
    let text: unknown;
    let vars: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      text = this.resolve(arg[0]);
      const resolvedVars = this.resolve(arg[1] ?? {});
      if (resolvedVars instanceof Unresolvable) return resolvedVars;
      vars = resolvedVars as Record<string, unknown>;
    } else {
      text = this.resolve(arg);
    }
    if (text instanceof Unresolvable) return text;
    if (typeof text !== 'string') return bad('Fn::Sub', 'a string or [string, {variables}]');
    const parts: unknown[] = [];
    const re = /\$\{([^}]*)\}/g;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      parts.push(text.slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[1].trim();
      if (name.startsWith('!')) {
        parts.push('${' + name.slice(1) + '}');
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(vars, name)) {
        parts.push(vars[name]);
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        parts.push(this.getAtt([name.slice(0, dot), name.slice(dot + 1)]));
      } else {
        parts.push(this.ref(name));
      }
    }
    parts.push(text.slice(last));
    return concat(parts);
  }

  private select(arg: unknown): unknown {
    const v = this.resolve(arg);
    if (v instanceof Unresolvable) return v;
    if (!Array.isArray(v) || v.length !== 2) return bad('Fn::Select', '[index, list]');
    const [index, list] = v;
    if (isMarker(index)) return index;
    if (list instanceof Unresolvable) return list;
    const i = Number(index);
    if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) {
      return new Unresolvable(`Fn::Select index ${String(index)}`, `the index must be within the list (${Array.isArray(list) ? list.length : 0} items)`);
    }
    return list[i];
  }

  private split(arg: unknown): unknown {
    const v = this.resolve(arg);
    if (v instanceof Unresolvable) return v;
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string') return bad('Fn::Split', '[delimiter, string]');
    if (isMarker(v[1])) return v[1];
    if (typeof v[1] !== 'string') return bad('Fn::Split', '[delimiter, string]');
    return v[1].split(v[0]);
  }

  private getAzs(arg: unknown): unknown {
    const v = this.resolve(arg);
    if (isMarker(v)) return v;
    if (v !== '' && v !== this.ctx.region && v !== undefined && v !== null) {
      return new Unresolvable(`Fn::GetAZs '${String(v)}'`, `only the stack's own region (${this.ctx.region}) has local availability zones`);
    }
    return [...this.ctx.availabilityZones];
  }

  private findInMap(arg: unknown): unknown {
    const v = this.resolve(arg);
    if (v instanceof Unresolvable) return v;
    if (!Array.isArray(v) || v.length < 3) return bad('Fn::FindInMap', '[map, top-level key, second-level key]');
    const [map, k1, k2, options] = v;
    for (const k of [map, k1, k2]) if (isMarker(k)) return k;
    const found = this.ctx.template.Mappings?.[String(map)]?.[String(k1)]?.[String(k2)];
    if (found !== undefined) return this.resolve(found);
    const fallback = (options as { DefaultValue?: unknown } | undefined)?.DefaultValue;
    if (fallback !== undefined) return fallback;
    return new Unresolvable(`Fn::FindInMap ${String(map)}.${String(k1)}.${String(k2)}`, `add the entry to Mappings.${String(map)}`);
  }

  private if(arg: unknown): unknown {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return bad('Fn::If', '[condition, value if true, value if false]');
    const c = this.condition(arg[0]);
    if (c instanceof Unresolvable) return c;
    return this.resolve(c ? arg[1] : arg[2]);
  }

  private equals(arg: unknown): unknown {
    const v = this.resolve(arg);
    if (v instanceof Unresolvable) return v;
    if (!Array.isArray(v) || v.length !== 2) return bad('Fn::Equals', '[value, value]');
    const m = firstMarker(v);
    if (m) return m;
    return JSON.stringify(normalize(v[0])) === JSON.stringify(normalize(v[1]));
  }

  private not(arg: unknown): unknown {
    const v = this.resolve(arg);
    if (v instanceof Unresolvable) return v;
    const b = Array.isArray(v) && v.length === 1 ? toBoolean(v[0]) : undefined;
    if (Array.isArray(v) && v[0] instanceof Unresolvable) return v[0];
    return b === undefined ? bad('Fn::Not', '[condition]') : !b;
  }

  private andOr(arg: unknown, and: boolean): unknown {
    const v = this.resolve(arg);
    if (v instanceof Unresolvable) return v;
    const fn = and ? 'Fn::And' : 'Fn::Or';
    if (!Array.isArray(v) || v.length < 2 || v.length > 10) return bad(fn, 'a list of 2 to 10 conditions');
    const m = firstMarker(v);
    if (m) return m;
    const bools = v.map(toBoolean);
    if (bools.some((b) => b === undefined)) return bad(fn, 'conditions');
    return and ? bools.every(Boolean) : bools.some(Boolean);
  }
}

/** Concatenates parts into a string, or a DeferredConcat when a part is deferred. */
function concat(parts: unknown[]): unknown {
  const flat: Array<string | DeferredValue> = [];
  for (const p of parts) {
    if (p instanceof Unresolvable) return p;
    if (p === NO_VALUE) continue;
    if (isDeferred(p)) flat.push(p);
    else if (isDeferredConcat(p)) flat.push(...p.deferredParts);
    else if (typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean') flat.push(String(p));
    else return new Unresolvable(`a ${Array.isArray(p) ? 'list' : 'object'} inside Fn::Join / Fn::Sub`, 'join only strings and numbers (select one item of a list with Fn::Select)');
  }
  if (flat.every((p) => typeof p === 'string')) return flat.join('');
  // Merge adjacent literals so the deferred form stays small.
  const merged: Array<string | DeferredValue> = [];
  for (const p of flat) {
    const last = merged[merged.length - 1];
    if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
    else if (p !== '') merged.push(p);
  }
  return { deferredParts: merged } satisfies DeferredConcat;
}

function isMarker(v: unknown): v is Unresolvable | DeferredValue | DeferredConcat {
  return v instanceof Unresolvable || isDeferred(v) || isDeferredConcat(v);
}

function firstMarker(v: unknown): Unresolvable | undefined {
  if (v instanceof Unresolvable) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const m = firstMarker(x);
      if (m) return m;
    }
  } else if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) {
      const m = firstMarker(x);
      if (m) return m;
    }
  }
  return undefined;
}

function normalize(v: unknown): unknown {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

export function toBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function bad(fn: string, expected: string): Unresolvable {
  return new Unresolvable(`${fn} with malformed arguments`, `${fn} takes ${expected}`);
}
