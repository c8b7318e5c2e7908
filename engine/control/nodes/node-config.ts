/**
 * A node's valkey.conf: where it listens, its files, its users, TLS, its role and the parameter
 * group's values as directives. The same file drives the bundled node and a real redis-server.
 */
import * as path from 'path';
import { DESIRED_DIRECTIVE_DENY, parameterDirectives } from './parameters';

export interface NodeConfigInput {
  readonly address: string;
  readonly port: number;
  readonly dir: string;
  readonly aclFile: string;
  readonly adminUser: string;
  readonly adminSecret: string;
  /** Replica of this primary (undefined = primary). */
  readonly replicaOf?: { address: string; port: number };
  readonly tls?: { cert: string; key: string; ca: string };
  /** Parameter group values (ElastiCache names). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Directives the engine understands (others are service-side parameters and are left out). */
  readonly knownDirectives: ReadonlySet<string>;
  /** Engine-specific lines (e.g. redis-server's replication tuning). */
  readonly extra?: readonly string[];
}

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function nodeConfig(c: NodeConfigInput): string[] {
  const lines = [
    `bind ${c.address}`,
    'protected-mode no',
    `dir ${q(c.dir)}`,
    'dbfilename dump.rdb',
    // ElastiCache nodes do not persist on their own: snapshots are BGSAVEs the control plane asks for.
    'save ""',
    'appendonly no',
    `aclfile ${q(path.resolve(c.aclFile))}`,
    `masteruser ${c.adminUser}`,
    `masterauth ${c.adminSecret}`,
  ];
  if (c.tls) {
    lines.push('port 0', `tls-port ${c.port}`, `tls-cert-file ${q(c.tls.cert)}`, `tls-key-file ${q(c.tls.key)}`,
      `tls-ca-cert-file ${q(c.tls.ca)}`, 'tls-auth-clients no', 'tls-replication yes');
  } else {
    lines.push(`port ${c.port}`);
  }
  if (c.replicaOf) lines.push(`replicaof ${c.replicaOf.address} ${c.replicaOf.port}`);
  lines.push(...(c.extra ?? []));
  for (const [k, v] of Object.entries(parameterDirectives(c.parameters, c.knownDirectives))) {
    if (!DESIRED_DIRECTIVE_DENY.has(k)) lines.push(`${k} ${q(v)}`);
  }
  return lines;
}
