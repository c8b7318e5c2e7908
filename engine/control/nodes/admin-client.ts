/**
 * Request/reply on one connection to a node, for the control plane's admin calls (PING, INFO,
 * REPLICAOF, CONFIG SET, ACL LOAD, BGSAVE): a face of the cluster code's NodeLink with the
 * credentials in the target and a short default timeout.
 */
import { NodeLink, Reply } from '../cluster/link';

export type { Reply };

export interface AdminTarget {
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  /** CA to trust when the node speaks TLS. */
  readonly tlsCa?: string;
}

/** One connection to a node; commands are answered in order. */
export class AdminConnection {
  /** Connects (and authenticates when the target has a password); an error reply to AUTH throws. */
  static async open(target: AdminTarget, timeoutMs = 1000): Promise<AdminConnection> {
    return new AdminConnection(await NodeLink.open(target, { ...target, timeoutMs }));
  }

  private constructor(private readonly link: NodeLink) {}

  /** Sends a command; resolves with the reply (an Error value for an error reply), rejects on I/O failure. */
  call(args: readonly string[], timeoutMs?: number): Promise<Reply> {
    return this.link.call(args, timeoutMs);
  }

  /** Runs `fn` once when the connection drops (a killed node closes it at once). */
  onClose(fn: () => void): void {
    this.link.onClose(fn);
  }

  close(): void {
    this.link.close();
  }
}

/** Opens, runs one command, closes. Throws on I/O failure or an error reply. */
export async function adminCall(target: AdminTarget, args: readonly string[], timeoutMs = 1000): Promise<Reply> {
  const c = await AdminConnection.open(target, timeoutMs);
  try {
    const r = await c.call(args, timeoutMs);
    if (r instanceof Error) throw r;
    return r;
  } finally {
    c.close();
  }
}

/** `INFO section` parsed into field → value. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
