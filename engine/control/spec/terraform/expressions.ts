import { Unresolvable } from '../intrinsics';
import { DeferredConcat, DeferredValue, isDeferred, isDeferredConcat } from '../model';

/**
 * Terraform's `${...}` interpolations as cdktf / CDK Terrain (and people) write them in JSON
 * configuration: references (`var.x`, `local.x`, `aws_x.y.attr`, `data.t.n.attr`, `count.index`,
 * `each.key`, indexes and splats), literals, lists, and a few pure functions. Operators and
 * conditionals are not evaluated: they come back as Unresolvable with the expression, so the
 * reader names what to change.
 */

/** Resolves a reference path (`['var', 'x']`, `['aws_subnet', 'a', 'id']`) to a value. */
export type ReferenceResolver = (path: Array<string | number>, text: string) => unknown;

type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'ref'; path: Array<string | number | '*'>; text: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'list'; items: Node[] };

class ParseError extends Error {}

/** Evaluates a JSON value of a Terraform configuration: strings are templates, the rest recurse. */
export function evaluate(value: unknown, resolve: ReferenceResolver): unknown {
  if (typeof value === 'string') return evaluateTemplate(value, resolve);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const r = evaluate(v, resolve);
      if (r instanceof Unresolvable) return r;
      out.push(r);
    }
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '//') continue; // cdktf metadata
      const r = evaluate(v, resolve);
      if (r instanceof Unresolvable) return r;
      out[k] = r;
    }
    return out;
  }
  return value;
}

/** A string template: one whole `${expr}` keeps the value's type; text around it makes a string. */
export function evaluateTemplate(text: string, resolve: ReferenceResolver): unknown {
  const parts = splitTemplate(text);
  if (parts instanceof Unresolvable) return parts;
  if (parts.length === 1 && typeof parts[0] !== 'string') return evaluateExpression(parts[0].expr, resolve);
  const values: Array<string | DeferredValue> = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      values.push(p);
      continue;
    }
    const v = evaluateExpression(p.expr, resolve);
    if (v instanceof Unresolvable) return v;
    if (isDeferred(v)) values.push(v);
    else if (isDeferredConcat(v)) values.push(...v.deferredParts);
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values.push(String(v));
    else return new Unresolvable(`\${${p.expr}} inside a string (it is ${Array.isArray(v) ? 'a list' : 'an object'})`, 'interpolate only strings, numbers or booleans into a string');
  }
  if (values.every((v) => typeof v === 'string')) return values.join('');
  const merged: Array<string | DeferredValue> = [];
  for (const v of values) {
    const last = merged[merged.length - 1];
    if (typeof v === 'string' && typeof last === 'string') merged[merged.length - 1] = last + v;
    else merged.push(v);
  }
  return { deferredParts: merged } satisfies DeferredConcat;
}

/** Splits `a${b}c` into literal text and expressions; `$${` is a literal `${`. */
function splitTemplate(text: string): Array<string | { expr: string }> | Unresolvable {
  const out: Array<string | { expr: string }> = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      literal += '${';
      i += 3;
    } else if (text.startsWith('%{', i) && !text.startsWith('%%{', i)) {
      return new Unresolvable(`the template directive in '${text}'`, 'replace %{...} directives with a plain value');
    } else if (text.startsWith('${', i)) {
      const end = matchingBrace(text, i + 2);
      if (end < 0) return new Unresolvable(`'${text}' (an unclosed \${)`, 'close the interpolation');
      if (literal) out.push(literal);
      literal = '';
      out.push({ expr: text.slice(i + 2, end).trim() });
      i = end + 1;
    } else {
      literal += text[i++];
    }
  }
  if (literal || out.length === 0) out.push(literal);
  return out;
}

function matchingBrace(text: string, from: number): number {
  let depth = 0;
  let quote = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') {quote = true;} else if (c === '{') {depth++;} else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Parses and evaluates one expression. */
export function evaluateExpression(expr: string, resolve: ReferenceResolver): unknown {
  let node: Node;
  try {
    const p = new Parser(expr);
    node = p.expression();
    p.end();
  } catch (e) {
    return new Unresolvable(`the expression \${${expr}} (${(e as Error).message})`, 'use a reference, a variable or a literal there; operators and conditionals are not evaluated locally');
  }
  return run(node, resolve);
}

function run(node: Node, resolve: ReferenceResolver): unknown {
  switch (node.kind) {
    case 'literal': return node.value;
    case 'list': {
      const out: unknown[] = [];
      for (const item of node.items) {
        const v = run(item, resolve);
        if (v instanceof Unresolvable) return v;
        out.push(v);
      }
      return out;
    }
    case 'ref': {
      const splat = node.path.indexOf('*');
      if (splat < 0) return resolve(node.path as Array<string | number>, node.text);
      // `aws_x.y[*].attr` / `aws_x.y.*.attr`: the attribute of every instance.
      const all = resolve(node.path.slice(0, splat) as Array<string | number>, node.text);
      if (all instanceof Unresolvable) return all;
      if (!Array.isArray(all)) return new Unresolvable(node.text, 'splat only resources with count or for_each');
      const rest = node.path.slice(splat + 1) as Array<string | number>;
      const out: unknown[] = [];
      for (let i = 0; i < all.length; i++) {
        const v = resolve([...(node.path.slice(0, splat) as Array<string | number>), i, ...rest], node.text);
        if (v instanceof Unresolvable) return v;
        out.push(v);
      }
      return out;
    }
    case 'call': {
      const args: unknown[] = [];
      for (const a of node.args) {
        const v = run(a, resolve);
        if (v instanceof Unresolvable) return v;
        args.push(v);
      }
      return callFunction(node.name, args);
    }
  }
}

/** The pure functions that show up around ElastiCache arguments. */
function callFunction(name: string, args: unknown[]): unknown {
  const deferred = args.some((a) => isDeferred(a) || isDeferredConcat(a));
  if (deferred) return new Unresolvable(`${name}() over an endpoint the deploy assigns`, 'use the endpoint directly');
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]);
  switch (name) {
    case 'tostring': return str(args[0]);
    case 'tonumber': return Number(args[0]);
    case 'tobool': return args[0] === true || args[0] === 'true';
    case 'tolist': case 'toset': return [...new Set(list(args[0]))];
    case 'lower': return str(args[0]).toLowerCase();
    case 'upper': return str(args[0]).toUpperCase();
    case 'join': return list(args[1]).map(str).join(str(args[0]));
    case 'split': return str(args[1]).split(str(args[0]));
    case 'concat': return args.flatMap(list);
    case 'length': return Array.isArray(args[0]) ? args[0].length : typeof args[0] === 'object' && args[0] !== null ? Object.keys(args[0]).length : str(args[0]).length;
    case 'element': { const l = list(args[0]); return l[Number(args[1]) % l.length]; }
    case 'lookup': {
      const m = args[0] as Record<string, unknown>;
      return m && Object.prototype.hasOwnProperty.call(m, str(args[1])) ? m[str(args[1])] : args.length > 2 ? args[2] : new Unresolvable(`lookup of '${str(args[1])}'`, 'give the key, or a default');
    }
    case 'format': { let i = 1; return str(args[0]).replace(/%[sdv]/g, () => str(args[i++])); }
    case 'jsonencode': return JSON.stringify(args[0]);
    default: return new Unresolvable(`the function ${name}()`, `replace ${name}() with its value (a variable or a literal)`);
  }
}

/** A small recursive-descent parser for the expression forms above. */
class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  end(): void {
    this.ws();
    if (this.i < this.s.length) throw new ParseError(`unexpected '${this.s.slice(this.i)}'`);
  }

  expression(): Node {
    this.ws();
    const c = this.s[this.i];
    if (c === '"') return { kind: 'literal', value: this.string() };
    if (c === '[') return this.listLiteral();
    if (c !== undefined && /[-0-9]/.test(c)) return { kind: 'literal', value: this.number() };
    const name = this.identifier();
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true' };
    if (name === 'null') return { kind: 'literal', value: null };
    this.ws();
    if (this.s[this.i] === '(') return this.call(name);
    return this.reference(name);
  }

  private call(name: string): Node {
    this.i++; // (
    const args: Node[] = [];
    this.ws();
    if (this.s[this.i] === ')') {
      this.i++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      args.push(this.expression());
      this.ws();
      const c = this.s[this.i++];
      if (c === ')') return { kind: 'call', name, args };
      if (c !== ',') throw new ParseError(`expected , or ) in ${name}()`);
    }
  }

  private reference(first: string): Node {
    const start = this.i - first.length;
    const path: Array<string | number | '*'> = [first];
    for (;;) {
      const c = this.s[this.i];
      if (c === '.') {
        this.i++;
        if (this.s[this.i] === '*') {
          this.i++;
          path.push('*');
        } else if (/[0-9]/.test(this.s[this.i] ?? '')) {path.push(this.number());} else {path.push(this.identifier());}
      } else if (c === '[') {
        this.i++;
        this.ws();
        if (this.s[this.i] === '*') {
          this.i++;
          path.push('*');
        } else if (this.s[this.i] === '"') {path.push(this.string());} else {path.push(this.number());}
        this.ws();
        if (this.s[this.i++] !== ']') throw new ParseError('expected ]');
      } else {break;}
    }
    return { kind: 'ref', path, text: this.s.slice(start, this.i) };
  }

  private listLiteral(): Node {
    this.i++;
    const items: Node[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'list', items };
    }
    for (;;) {
      items.push(this.expression());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return { kind: 'list', items };
      if (c !== ',') throw new ParseError('expected , or ] in a list');
    }
  }

  private identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.i));
    if (!m) throw new ParseError(`unexpected '${this.s.slice(this.i, this.i + 10) || 'end'}'`);
    this.i += m[0].length;
    return m[0];
  }

  private number(): number {
    const m = /^-?\d+(\.\d+)?/.exec(this.s.slice(this.i));
    if (!m) throw new ParseError('expected a number');
    this.i += m[0].length;
    return Number(m[0]);
  }

  private string(): string {
    let out = '';
    this.i++; // "
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === '"') return out;
      if (c === '\\') {
        const n = this.s[this.i++];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
      } else {out += c;}
    }
    throw new ParseError('unclosed string');
  }

  private ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }
}
