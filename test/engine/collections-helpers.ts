import { waitFor } from './nodes';
import { Resp, RespClient } from './resp-client';
import { Config, createServer } from '../../engine/server';

/**
 * An in-process node (no sockets) for what the node does not expose yet over the wire in this
 * branch: the keyspace events a command sequence raises, and commands run by a client that may
 * not block (EXEC, scripts).
 */
export function inProcess(directives: Record<string, string> = {}) {
  const config = new Config();
  for (const [k, v] of Object.entries(directives)) config.set(k, [v], true);
  const server = createServer(config);
  const events: string[] = [];
  server.notify = (_cls: string, event: string, key: string) => {
    events.push(`${event} ${key}`);
  };
  const client = server.fakeClient();
  const run = (...argv: string[]): string => {
    server.call(client, argv);
    return client.reply.take()?.toString('latin1') ?? '';
  };
  return { server, client, events, run };
}

/** The keyevent notifications (`event key`) a real server raises for `commands`, in order. */
export async function keyEvents(port: number, commands: string[][]): Promise<string[]> {
  const sub = await RespClient.connect(port);
  const c = await RespClient.connect(port);
  try {
    await sub.call('PSUBSCRIBE', '__keyevent@*__:*');
    for (const cmd of commands) await c.call(...cmd);
    await c.call('SET', '__end__', '1');
    const out: string[] = [];
    for (;;) {
      const m = (await sub.next()) as string[];
      const event = m[2].slice(m[2].indexOf(':') + 1);
      if (m[3] === '__end__') break;
      out.push(`${event} ${m[3]}`);
    }
    return out;
  } finally {
    sub.close();
    c.close();
  }
}

/** Runs `fn` with `n` new connections to the server at `port`, and closes them after. */
export async function withClients<T>(port: number, n: number, fn: (clients: RespClient[]) => Promise<T>): Promise<T> {
  const clients = await Promise.all(Array.from({ length: n }, () => RespClient.connect(port)));
  try {
    return await fn(clients);
  } finally {
    for (const c of clients) c.close();
  }
}

/** Waits until `n` clients are blocked on the server at `port`. */
export async function waitBlocked(c: RespClient, n: number): Promise<void> {
  await waitFor(async () => {
    const info = (await c.call('INFO', 'clients')) as string;
    return new RegExp(`blocked_clients:${n}\\r?\\n`).test(info);
  }, `${n} blocked clients`);
}

/** Sorts array replies, and the inner arrays of nested ones when `deep`. */
export function sortReply(r: Resp): Resp {
  if (Array.isArray(r)) return [...r].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  if (r && typeof r === 'object' && 'set' in r) return { set: sortReply(r.set) as Resp[] };
  if (r && typeof r === 'object' && 'map' in r) return { map: [...r.map].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)) };
  return r;
}
