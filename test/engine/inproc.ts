import type { Resp } from './resp-client';
import { Client } from '../../engine/server/client';
import { Config, createServer, Server } from '../../engine/server/index';

/**
 * A node in the test process (no sockets): commands go through the real dispatcher and replies are
 * parsed like RespClient parses them. For tests that need to plant objects of types whose modules
 * live elsewhere, or to observe internals (keyspace notifications).
 */
export class InProc {
  public readonly server: Server;
  public readonly client: Client;

  constructor(directives: Array<[string, string]> = []) {
    const config = new Config();
    for (const [k, v] of directives) config.set(k, [v], true);
    this.server = createServer(config);
    this.client = this.server.fakeClient();
  }

  /** Runs one command and returns its parsed reply. */
  public call(...args: Array<string | number>): Resp {
    this.server.call(this.client, args.map(String));
    const out = this.client.reply.take();
    if (!out) throw new Error(`no reply to ${args.join(' ')}`);
    const r = parseReply(out, 0);
    if (!r) throw new Error('incomplete reply');
    return r.value;
  }
}

function parseReply(buf: Buffer, pos: number): { value: Resp; end: number } | undefined {
  const i = buf.indexOf('\r\n', pos);
  if (i < 0) return undefined;
  const t = String.fromCharCode(buf[pos]);
  const s = buf.toString('latin1', pos + 1, i);
  const next = i + 2;
  switch (t) {
    case '+': return { value: { simple: s }, end: next };
    case '-': return { value: { error: s }, end: next };
    case ':': return { value: Number(s), end: next };
    case '_': return { value: null, end: next };
    case ',': return { value: { double: s }, end: next };
    case '$':
    case '=': {
      const n = Number(s);
      if (n < 0) return { value: null, end: next };
      const str = buf.toString('latin1', next, next + n);
      return { value: t === '=' ? { verbatim: str } : str, end: next + n + 2 };
    }
    case '*':
    case '%':
    case '~': {
      const n = Number(s);
      if (n < 0) return { value: null, end: next };
      const items: Resp[] = [];
      let p = next;
      for (let k = 0; k < (t === '%' ? 2 * n : n); k++) {
        const r = parseReply(buf, p)!;
        items.push(r.value);
        p = r.end;
      }
      if (t === '~') return { value: { set: items }, end: p };
      if (t === '%') {
        const pairs: Array<[Resp, Resp]> = [];
        for (let k = 0; k < items.length; k += 2) pairs.push([items[k], items[k + 1]]);
        return { value: { map: pairs }, end: p };
      }
      return { value: items, end: p };
    }
    default:
      throw new Error(`unexpected reply type ${t}`);
  }
}
