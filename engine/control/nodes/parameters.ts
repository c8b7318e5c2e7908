/**
 * Parameter group values → node directives. ElastiCache parameters that are service-side (no
 * directive in the engine, e.g. `reserved-memory-percent`, `cluster-enabled` handled by topology)
 * are not sent to nodes. A change is dynamic when the engine lets CONFIG SET change it, static
 * otherwise (applied at the next reboot, with `pending-reboot` shown meanwhile).
 */
import { DIRECTIVES } from '../../server/config';

/** Directives the control plane sets itself; a parameter group cannot override them. */
export const DESIRED_DIRECTIVE_DENY = new Set([
  'port', 'bind', 'dir', 'dbfilename', 'aclfile', 'masteruser', 'masterauth', 'requirepass', 'tls-port', 'tls-cert-file',
  'tls-key-file', 'tls-ca-cert-file', 'tls-auth-clients', 'tls-replication', 'replicaof', 'slaveof', 'save', 'appendonly',
  'logfile', 'pidfile', 'daemonize', 'cluster-enabled', 'protected-mode',
]);

export const BUNDLED_DIRECTIVES: ReadonlySet<string> = new Set(DIRECTIVES.flatMap((d) => [d.name, ...(d.aliases ?? [])]));
const MUTABLE = new Set(DIRECTIVES.filter((d) => d.mutable).flatMap((d) => [d.name, ...(d.aliases ?? [])]));

export function parameterDirectives(parameters: Readonly<Record<string, string>>, known: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parameters)) {
    if (known.has(k) && !DESIRED_DIRECTIVE_DENY.has(k)) out[k] = v;
  }
  return out;
}

/** True when a running node takes the change via CONFIG SET. */
export function isDynamic(name: string): boolean {
  return MUTABLE.has(name);
}
