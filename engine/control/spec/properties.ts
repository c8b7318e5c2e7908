import { closestName } from '#model/parameters/rules';
import { Unresolvable } from './intrinsics';
import { isDeferred, isDeferredConcat, Problem, ResourceOrigin } from './model';
import { resolveDynamicReferences, SecretSources } from './secrets';

/** Collects problems for one read. */
export class ProblemSink {
  readonly problems: Problem[] = [];

  add(origin: ResourceOrigin | undefined, problem: Omit<Problem, 'logicalId' | 'resourceType' | 'constructPath'>): void {
    this.problems.push({
      ...(origin ? { logicalId: origin.logicalId, resourceType: origin.type } : {}),
      ...(origin?.constructPath ? { constructPath: origin.constructPath } : {}),
      ...problem,
    });
  }

  unresolvable(origin: ResourceOrigin | undefined, property: string | undefined, u: Unresolvable): void {
    this.add(origin, {
      ...(property ? { property } : {}),
      rule: u.rule,
      message: `${property ?? 'the value'} needs ${u.what}, which is not available locally`,
      fix: u.fix,
      severity: 'error',
    });
  }
}

/**
 * Typed access to a resource's resolved properties. Each getter reports what is wrong (an
 * unresolvable intrinsic, a missing secret, a wrong type) against the resource and property, and
 * returns undefined so reading goes on and every problem is listed at once.
 */
export class PropertyReader {
  constructor(
    /** The properties as the template has them (intrinsics resolved, dynamic references not). */
    public readonly raw: Record<string, unknown>,
    readonly origin: ResourceOrigin,
    private readonly sink: ProblemSink,
    private readonly secrets: SecretSources,
  ) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  /** The property with dynamic references resolved; undefined (and a problem) if not resolvable. */
  value(name: string, options: { quiet?: boolean } = {}): unknown {
    const v = this.raw[name];
    if (v === undefined) return undefined;
    return this.clean(v, name, options.quiet ?? false);
  }

  private clean(v: unknown, path: string, quiet: boolean): unknown {
    if (v instanceof Unresolvable) {
      if (!quiet) this.sink.unresolvable(this.origin, path, v);
      return undefined;
    }
    if (isDeferred(v) || isDeferredConcat(v)) {
      if (!quiet) {
        this.sink.add(this.origin, {
          property: path,
          rule: 'SPEC-UNRESOLVED',
          message: `${path} uses an endpoint that the deploy assigns (${isDeferred(v) ? `${v.logicalId}.${v.attribute}` : 'Fn::GetAtt of a replication group'}); it is not known while the spec is read`,
          fix: 'do not feed an endpoint of one ElastiCache resource into the properties of another',
          severity: 'error',
        });
      }
      return undefined;
    }
    if (typeof v === 'string') {
      if (!v.includes('{{resolve:')) return v;
      const r = resolveDynamicReferences(v, this.secrets);
      if (r instanceof Unresolvable) {
        if (!quiet) this.sink.unresolvable(this.origin, path, r);
        return undefined;
      }
      return r;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        const c = this.clean(v[i], `${path}[${i}]`, quiet);
        if (c === undefined) return undefined;
        out.push(c);
      }
      return out;
    }
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const c = this.clean(x, `${path}.${k}`, quiet);
        if (c === undefined) return undefined;
        out[k] = c;
      }
      return out;
    }
    return v;
  }

  private wrongType(name: string, expected: string, got: unknown): undefined {
    this.sink.add(this.origin, {
      property: name,
      rule: 'SPEC-TYPE',
      message: `${name} must be ${expected}, got ${JSON.stringify(got)}`,
      fix: `give ${name} as ${expected}`,
      severity: 'error',
    });
    return undefined;
  }

  required(name: string): void {
    if (this.raw[name] === undefined) {
      this.sink.add(this.origin, {
        property: name,
        rule: 'SPEC-REQUIRED',
        message: `${name} is required by ${this.origin.type}`,
        fix: `set ${name}`,
        severity: 'error',
      });
    }
  }

  string(name: string, options: { quiet?: boolean } = {}): string | undefined {
    return asString(this.value(name, options), name, this);
  }

  number(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
    return Number.isFinite(n) ? n : this.wrongType(name, 'a number', v);
  }

  boolean(name: string): boolean | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    return this.wrongType(name, 'true or false', v);
  }

  strings(name: string, options: { quiet?: boolean } = {}): string[] | undefined {
    const v = this.value(name, options);
    if (v === undefined) return undefined;
    const list = typeof v === 'string' ? v.split(',') : v;
    if (!Array.isArray(list)) return this.wrongType(name, 'a list of strings', v);
    const out: string[] = [];
    for (const x of list) {
      if (typeof x === 'string' || typeof x === 'number') out.push(String(x));
      else return this.wrongType(name, 'a list of strings', v);
    }
    return out;
  }

  objects(name: string): Array<Record<string, unknown>> | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) return this.wrongType(name, 'a list of objects', v);
    return v as Array<Record<string, unknown>>;
  }

  object(name: string): Record<string, unknown> | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.wrongType(name, 'an object', v);
    return v as Record<string, unknown>;
  }

  /** `Tags: [{Key, Value}]` as a map. */
  tags(name = 'Tags'): Record<string, string> {
    const list = this.value(name, { quiet: true });
    const out: Record<string, string> = {};
    if (Array.isArray(list)) {
      for (const t of list as Array<{ Key?: unknown; Value?: unknown }>) {
        if (t && typeof t.Key === 'string') out[t.Key] = t.Value === undefined ? '' : String(t.Value);
      }
    }
    return out;
  }

  /** Reports properties the resource type does not have (a typo, or a newer property). */
  checkKnown(known: readonly string[]): void {
    for (const name of Object.keys(this.raw)) {
      if (!known.includes(name)) {
        const close = known.find((k) => k.toLowerCase() === name.toLowerCase()) ?? closestName(name, known);
        this.sink.add(this.origin, {
          property: name,
          rule: 'SPEC-PROPERTY',
          message: `${this.origin.type} has no property ${name}`,
          fix: close ? `write it as ${close}` : `remove ${name} (properties: ${known.join(', ')})`,
          severity: 'error',
        });
      }
    }
  }

  /** Reports a problem about a property of this resource. */
  problem(property: string | undefined, rule: string, message: string, fix: string, severity: 'error' | 'warning' = 'error'): void {
    this.sink.add(this.origin, { ...(property ? { property } : {}), rule, message, fix, severity });
  }

  /** Typed access to a nested object (e.g. one NodeGroupConfiguration entry). */
  nested(value: Record<string, unknown>, path: string): PropertyReader {
    const prefixed: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) prefixed[`${path}.${k}`] = v;
    return new PropertyReader(prefixed, this.origin, this.sink, this.secrets);
  }
}

function asString(v: unknown, name: string, reader: PropertyReader): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  reader.problem(name, 'SPEC-TYPE', `${name} must be a string, got ${JSON.stringify(v)}`, `give ${name} as a string`);
  return undefined;
}
