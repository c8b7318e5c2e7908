import { IConstruct } from 'constructs';
import { generatedIdentifier } from '../../model/names';

/**
 * A name for a resource the user did not name. Terraform has no generated physical names, so the
 * Terraform face makes one from the construct path and a hash of it (unique per app), valid for
 * every ElastiCache identifier rule.
 */
export function nameFromPath(scope: IConstruct, maxLength: number, fallbackPrefix: string): string {
  return generatedIdentifier(scope.node.path.split('/'), scope.node.addr.slice(0, 8), maxLength, fallbackPrefix);
}
