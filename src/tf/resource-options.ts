import { TerraformProvider } from 'cdktn';

/** Terraform settings every construct of the Terraform face takes. */
export interface ResourceOptions {
  /**
   * The AWS provider (for example an aliased `AwsProvider` of `@cdktn/provider-aws` for another region).
   * @default - the stack's default `aws` provider
   */
  readonly provider?: TerraformProvider;
  /**
   * The region to manage the resource in, as the AWS provider's per-resource `region` argument
   * (AWS provider 6.0 or later). A Global Datastore's secondaries use it to sit in other regions.
   * @default - the provider's region
   */
  readonly region?: string;
  /**
   * Tags of the resource.
   * @default - no tags (beyond the provider's `default_tags`)
   */
  readonly tags?: { [key: string]: string };
}
