import { createHash } from 'crypto';

/**
 * Names CloudFormation would generate for resources the template does not name
 * (`<stack>-<logicalId>-<RANDOM>`). Locally the "random" part is a hash of stack and logical id,
 * so a redeploy of the same template finds the same resources.
 */
export function stableHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** Base-36 suffix of `length` characters from the hash. */
function suffix(hash: string, length: number): string {
  return BigInt(`0x${hash}`).toString(36).slice(0, length).padStart(length, '0');
}

/**
 * `<stack>-<logicalId>-<suffix>`, shortened to `maxLength`, lower-case when the service stores
 * names lower-case, and kept to letters, digits and single hyphens, starting with a letter.
 */
export function generatedName(stackName: string, logicalId: string, maxLength: number, lowerCase = true): string {
  const hash = stableHash(stackName, logicalId);
  const tail = suffix(hash, 12);
  const clean = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  let head = [clean(stackName), clean(logicalId)].filter((s) => s.length > 0).join('-');
  head = head.replace(/^[^A-Za-z]+/, '');
  const room = maxLength - tail.length - 1;
  head = head.slice(0, Math.max(0, room)).replace(/-+$/, '');
  const name = head.length > 0 ? `${head}-${tail}` : `r${tail}`.slice(0, maxLength);
  return lowerCase ? name.toLowerCase() : name;
}

/** An EC2-style id (`subnet-0a1b2c3d4e5f60718`) for resources the deploy does not run. */
export function ec2StyleId(prefix: string, stackName: string, logicalId: string): string {
  return `${prefix}-${stableHash(stackName, logicalId).slice(0, 17)}`;
}

/** A UUID-shaped id (KMS key ids). */
export function uuidStyleId(stackName: string, logicalId: string): string {
  const h = stableHash(stackName, logicalId);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The 6-character suffix Secrets Manager adds to a secret's ARN. */
export function secretArnSuffix(stackName: string, logicalId: string): string {
  const h = stableHash('secret', stackName, logicalId);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 6 }, (_, i) => alphabet[parseInt(h.slice(i * 2, i * 2 + 2), 16) % alphabet.length]).join('');
}
