import { TerraformProvider, TerraformResource } from 'cdktn';
import { Construct } from 'constructs';

/**
 * A resource of the Terraform AWS provider (hashicorp/aws), written as raw JSON attributes.
 *
 * Why not `@cdktn/provider-aws`: its generated bindings are very large (hundreds of MB across
 * languages) and pin one provider version, and as a jsii dependency they would be forced on every
 * user of this library, most of whom only need six ElastiCache resource types. Each construct
 * instead renders a typed attribute object (the `Aws*Args` interfaces, spelled as the provider's
 * schema) and the resource emits it as is. Users declare the AWS provider themselves, with
 * `@cdktn/provider-aws` or without; Terraform infers `hashicorp/aws` from the `aws_` prefix when they don't.
 */
export class AwsResource extends TerraformResource {
  private readonly render: () => object;

  constructor(scope: Construct, id: string, terraformResourceType: string, render: () => object, provider?: TerraformProvider) {
    super(scope, id, {
      terraformResourceType,
      terraformGeneratorMetadata: { providerName: 'aws' },
      provider,
    });
    this.render = render;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return withoutUndefined(this.render()) as { [name: string]: any };
  }
}

/** Drops undefined members (Terraform JSON has no "unset"), keeping nulls, recursively through plain objects and lists. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = withoutUndefined(v);
    }
    return out;
  }
  return value;
}
