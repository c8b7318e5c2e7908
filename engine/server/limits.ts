import type { Client } from './client';
import { parseMemory } from './config';

/**
 * client-output-buffer-limit for normal, pub/sub and replica clients: the bytes a client has not read yet
 * (the socket's pending writes) may not pass the hard limit, nor stay over the soft limit for longer
 * than the soft seconds; such a client is closed without a reply, as Valkey does.
 */
interface ClassLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

interface Parsed {
  raw: string;
  normal: ClassLimit;
  pubsub: ClassLimit;
  replica: ClassLimit;
}

let cache: Parsed | undefined;
/** When each client first went over its soft limit. */
const softSince = new WeakMap<Client, number>();

function parse(raw: string): Parsed {
  const none = { hard: 0, soft: 0, softSeconds: 0 };
  const out: Parsed = { raw, normal: none, pubsub: none, replica: none };
  const parts = raw.split(/\s+/).filter(Boolean);
  for (let i = 0; i + 3 < parts.length; i += 4) {
    const cls = parts[i].toLowerCase();
    const limit = { hard: parseMemory(parts[i + 1]) ?? 0, soft: parseMemory(parts[i + 2]) ?? 0, softSeconds: Number(parts[i + 3]) || 0 };
    if (cls === 'normal') out.normal = limit;
    else if (cls === 'pubsub') out.pubsub = limit;
    else if (cls === 'replica' || cls === 'slave') out.replica = limit;
  }
  return out;
}

/** Called after a write to the client's socket; closes the client when it is over its limit. */
export function checkOutputBuffer(c: Client): void {
  const socket = c.socket;
  if (!socket || c.closed) return;
  const raw = c.server.config.get('client-output-buffer-limit');
  if (cache === undefined || cache.raw !== raw) cache = parse(raw);
  const limit = c.replKind === 'replica' ? cache.replica : c.subscriptionCount > 0 || c.shardChannels.size > 0 ? cache.pubsub : cache.normal;
  const used = socket.writableLength;
  let over = limit.hard > 0 && used >= limit.hard;
  if (!over && limit.soft > 0 && used >= limit.soft) {
    const since = softSince.get(c);
    const now = Date.now();
    if (since === undefined) softSince.set(c, now);
    else if (now - since > limit.softSeconds * 1000) over = true;
  } else if (!over) {
    softSince.delete(c);
  }
  if (over) {
    c.server.log.warning(`Client id=${c.id} addr=${c.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    c.server.killClient(c);
  }
}
