import * as fs from 'fs';
import * as yaml from 'js-yaml';

/** A CloudFormation template as parsed JSON (long-form intrinsics only). */
export interface Template {
  readonly AWSTemplateFormatVersion?: string;
  readonly Description?: string;
  readonly Transform?: unknown;
  readonly Parameters?: Record<string, TemplateParameter>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources?: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { Value: unknown; Description?: unknown; Condition?: string; Export?: unknown }>;
  readonly [key: string]: unknown;
}

export interface TemplateParameter {
  readonly Type: string;
  readonly Default?: unknown;
  readonly NoEcho?: boolean | string;
  readonly AllowedValues?: unknown[];
  readonly Description?: string;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly UpdatePolicy?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/**
 * CloudFormation's YAML short forms (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) as js-yaml types: each
 * becomes the long JSON form, so the resolver only knows one syntax.
 */
const FUNCTIONS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not', 'Or',
  'Select', 'Split', 'Sub', 'ToJsonString', 'Transform', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'RefAll',
  'ValueOf', 'ValueOfAll',
];

function shortFormTypes(): yaml.Type[] {
  const types: yaml.Type[] = [];
  const kinds: Array<'scalar' | 'sequence' | 'mapping'> = ['scalar', 'sequence', 'mapping'];
  for (const kind of kinds) {
    types.push(new yaml.Type('!Ref', { kind, construct: (data) => ({ Ref: data }) }));
    types.push(new yaml.Type('!Condition', { kind, construct: (data) => ({ Condition: data }) }));
    types.push(
      new yaml.Type('!GetAtt', {
        kind,
        construct: (data) => {
          if (typeof data === 'string') {
            const dot = data.indexOf('.');
            return { 'Fn::GetAtt': dot < 0 ? [data] : [data.slice(0, dot), data.slice(dot + 1)] };
          }
          return { 'Fn::GetAtt': data };
        },
      }),
    );
    for (const fn of FUNCTIONS) {
      types.push(new yaml.Type(`!${fn}`, { kind, construct: (data) => ({ [`Fn::${fn}`]: data ?? (kind === 'scalar' ? '' : data) }) }));
    }
  }
  return types;
}

/** CORE_SCHEMA: no YAML 1.1 timestamps (2010-09-09 stays a string), plus the short forms. */
const CFN_SCHEMA = yaml.CORE_SCHEMA.extend(shortFormTypes());

/** Parses template text: JSON when it looks like JSON, YAML otherwise. */
export function parseTemplate(text: string, fileName = 'template'): { template: Template; format: 'json' | 'yaml' } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return { template: JSON.parse(text) as Template, format: 'json' };
    } catch (e) {
      // A YAML flow mapping also starts with '{'; fall through to YAML before giving up.
      try {
        return { template: asTemplate(yaml.load(text, { schema: CFN_SCHEMA, filename: fileName }), fileName), format: 'yaml' };
      } catch {
        throw new Error(`${fileName} is not valid JSON: ${(e as Error).message}`);
      }
    }
  }
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: CFN_SCHEMA, filename: fileName });
  } catch (e) {
    throw new Error(`${fileName} is not valid YAML: ${(e as Error).message}`);
  }
  return { template: asTemplate(doc, fileName), format: 'yaml' };
}

function asTemplate(doc: unknown, fileName: string): Template {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error(`${fileName} is not a CloudFormation template (expected an object with Resources)`);
  }
  return doc as Template;
}

export function readTemplateFile(file: string): { template: Template; format: 'json' | 'yaml' } {
  return parseTemplate(fs.readFileSync(file, 'utf8'), file);
}
