import { App, TerraformStack, Testing } from 'cdktn';
import { Aws } from '../../examples/terraform/main';

/** A CDK Terrain stack with the `aws` provider declared, as an app has it. */
export function tfStack(id = 'TestStack'): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new Aws(stack, 'aws', 'us-east-1');
  return { app, stack };
}

/** The stack's Terraform JSON, without cdktn's `//` metadata. */
export function synthJson(stack: TerraformStack): any {
  return stripMetadata(JSON.parse(Testing.synth(stack)));
}

/** Every resource of one type, by logical id. */
export function resourcesOf(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type. */
export function onlyResource(json: any, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** Warnings cdktn annotations hold for the stack's constructs. */
export function warningsOf(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => `${c.node.path}: ${m.data}`));
}

function stripMetadata(value: any): any {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, stripMetadata(v)]));
  }
  return value;
}
