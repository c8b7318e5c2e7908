import * as net from 'net';
import * as fc from 'fast-check';
import { RunningNode, startNode } from './nodes';
import { RespClient } from './resp-client';
import { ProtocolError, RequestParser } from '../../engine/server/resp/parser';

const SEED = 20240613;
const LIMITS = { maxBulkLen: 1024 * 1024, maxQueryBuffer: 4 * 1024 * 1024 };

/** Feeds `parts` to a fresh parser; returns the commands, or the ProtocolError message that stopped it. */
function parseAll(parts: Buffer[]): { commands: string[][]; error?: string } {
  const p = new RequestParser(LIMITS);
  const commands: string[][] = [];
  try {
    for (const part of parts) p.feed(part, (argv) => void commands.push(argv));
  } catch (e) {
    if (e instanceof ProtocolError) return { commands, error: e.message };
    throw e;
  }
  return { commands };
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

const bytes = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a));
const arg = fc.oneof(bytes, fc.constantFrom('GET', 'SET', 'x', '', '"', "'", '\\', '\r\n', ' ').map((s) => Buffer.from(s, 'latin1')));
const multibulk = fc.array(arg, { minLength: 1, maxLength: 6 }).map((args) =>
  Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...args.flatMap((a) => [Buffer.from(`$${a.length}\r\n`), a, Buffer.from('\r\n')])]));
const inline = fc.array(fc.constantFrom('SET', 'GET', 'k', 'v', '"a b"', "'c'", '"\\x41"', '  '), { minLength: 1, maxLength: 5 })
  .map((w) => Buffer.from(`${w.join(' ')}\r\n`, 'latin1'));
/** Pieces that look like protocol, to reach deeper parser states than random bytes do. */
const protoish = fc.oneof(
  bytes,
  multibulk,
  inline,
  fc.constantFrom('*', '$', '\r\n', '*-1\r\n', '*0\r\n', '$-1\r\n', '*99999999999\r\n', '$abc\r\n', '*1\r\n$5\r\n', '\n', '\r').map((s) => Buffer.from(s)),
);

describe('fuzz: the request parser', () => {
  test('arbitrary byte streams split anywhere: only ProtocolError, same result whatever the split', () => {
    fc.assert(
      fc.property(fc.array(protoish, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cuts) => {
        const stream = Buffer.concat(pieces);
        const whole = parseAll([stream]);
        const split = parseAll(splitAt(stream, cuts));
        const bytewise = parseAll([...stream].map((b) => Buffer.from([b])));
        expect(split).toEqual(whole);
        expect(bytewise).toEqual(whole);
      }),
      { seed: SEED, numRuns: 3000, interruptAfterTimeLimit: 8000 },
    );
  });

  test('valid multibulk streams parse to exactly their commands, whatever the split', () => {
    const commands = fc.array(fc.array(arg, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(commands, fc.array(fc.nat(), { maxLength: 10 }), (cmds, cuts) => {
        const stream = Buffer.concat(cmds.map((args) =>
          Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...args.flatMap((a) => [Buffer.from(`$${a.length}\r\n`), a, Buffer.from('\r\n')])])));
        const r = parseAll(splitAt(stream, cuts));
        expect(r.error).toBeUndefined();
        expect(r.commands).toEqual(cmds.map((args) => args.map((a) => a.toString('latin1'))));
      }),
      { seed: SEED, numRuns: 2000, interruptAfterTimeLimit: 5000 },
    );
  });
});

/** Checks that `buf` holds zero or more complete, well-formed RESP2/RESP3 replies; returns how many. */
function countReplies(buf: Buffer): number {
  let pos = 0;
  let n = 0;
  const line = (): string => {
    const i = buf.indexOf('\r\n', pos);
    if (i < 0) throw new Error(`unterminated line at ${pos}`);
    const s = buf.toString('latin1', pos, i);
    pos = i + 2;
    return s;
  };
  const one = (): void => {
    const t = String.fromCharCode(buf[pos++]);
    const l = line();
    switch (t) {
      case '+': case '-': return;
      case ':': case '(':
        if (!/^-?\d+$/.test(l)) throw new Error(`bad integer ${l}`);
        return;
      case ',': if (!/^(-?inf|nan|-?[\d.e+-]+)$/.test(l)) throw new Error(`bad double ${l}`); return;
      case '_': if (l !== '') throw new Error('bad null'); return;
      case '#': if (l !== 't' && l !== 'f') throw new Error('bad bool'); return;
      case '$': case '=': case '!': {
        const len = Number(l);
        if (!Number.isInteger(len) || len < -1) throw new Error(`bad bulk length ${l}`);
        if (len >= 0) {
          if (buf.toString('latin1', pos + len, pos + len + 2) !== '\r\n') throw new Error('bulk without CRLF');
          pos += len + 2;
        }
        return;
      }
      case '*': case '~': case '>': case '%': case '|': {
        const len = Number(l);
        if (!Number.isInteger(len) || len < -1) throw new Error(`bad aggregate length ${l}`);
        const items = t === '%' || t === '|' ? len * 2 : len;
        for (let i = 0; i < items; i++) one();
        if (t === '|') one();
        return;
      }
      default:
        throw new Error(`bad type byte ${JSON.stringify(t)} at ${pos - 1}`);
    }
  };
  while (pos < buf.length) {
    one();
    n++;
  }
  return n;
}

describe('fuzz: the command layer over a real node', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode(['--maxmemory', '200mb']);
  });
  afterAll(async () => {
    await node.stop();
  });

  test('random commands and arguments on many connections: the node stays up and every reply is well-formed RESP', async () => {
    const admin = await RespClient.connect(node.port);
    const names = (await admin.call('COMMAND', 'LIST')) as string[];
    // Commands that end or stall the run are left out; everything else is fair game.
    const excluded = new Set(['shutdown', 'debug', 'monitor', 'quit', 'reset', 'sync', 'psync', 'replicaof', 'slaveof', 'failover',
      'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe', 'client', 'hello', 'auth', 'acl', 'config', 'save', 'bgsave', 'bgrewriteaof', 'flushall', 'select', 'swapdb',
      'wait', 'waitaof', 'blpop', 'brpop', 'brpoplpush', 'blmove', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'xread', 'xreadgroup', 'multi', 'exec', 'eval',
      'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro', 'function', 'script', 'cluster', 'migrate', 'readonly', 'readwrite']);
    const usable = names.filter((n) => !excluded.has(n));
    expect(usable.length).toBeGreaterThan(10);
    const subs: Record<string, string[]> = {};
    for (const n of usable) {
      const info = (await admin.call('COMMAND', 'INFO', n)) as unknown[][];
      const subInfo = (info[0]?.[9] ?? []) as unknown[][];
      subs[n] = subInfo.map((s) => String(s[0]).split('|')[1]).filter((s) => !['help'].includes(s));
    }
    const argValue = fc.oneof(
      fc.constantFrom('k1', 'k2', 'k3', '0', '1', '-1', '10', '1.5', 'inf', '-inf', 'nan', '', 'NX', 'XX', 'GT', 'LT', 'EX', 'PX', 'KEEPTTL', 'GET',
        'COUNT', 'MATCH', 'TYPE', 'WITHSCORES', 'LIMIT', 'BY', 'STORE', 'REV', 'BYSCORE', 'BYLEX', '[a', '(1', '+', '-', '*', '$', '9223372036854775807',
        '-9223372036854775808', '99999999999999999999', 'STREAMS', '>', 'MKSTREAM', 'ID', 'MAXLEN', '~', 'FIELDS', 'a', 'b'),
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -100000, max: 1000000 }).map(String), // big enough for edge cases, small enough that values stay bounded
      fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a).toString('latin1')),
    );
    const cmd = fc.tuple(fc.constantFrom(...usable), fc.array(argValue, { maxLength: 7 })).map(([n, args]) => {
      const s = subs[n];
      return s && s.length > 0 ? [n, s[args.length % s.length], ...args] : [n, ...args];
    });
    const rand = fc.sample(fc.array(cmd, { minLength: 20, maxLength: 60 }), { seed: SEED, numRuns: 1500 });

    const conns = 8;
    const deadline = Date.now() + 20000;
    let batches = 0;
    await Promise.all(Array.from({ length: conns }, async (_x, ci) => {
      for (let b = ci; b < rand.length && Date.now() < deadline; b += conns) {
        const batch = rand[b];
        const payload = Buffer.concat(batch.map((argv) =>
          Buffer.concat([Buffer.from(`*${argv.length}\r\n`), ...argv.flatMap((a) => {
            const buf = Buffer.from(a, 'latin1');
            return [Buffer.from(`$${buf.length}\r\n`), buf, Buffer.from('\r\n')];
          })])));
        const out = await exchange(node.port, payload, batch.length);
        // Every command gets a reply; all of it is well-formed RESP.
        expect({ batch: b, replies: countReplies(out) }).toEqual({ batch: b, replies: batch.length });
        batches++;
      }
    }));
    expect(batches).toBeGreaterThan(20);
    expect(await admin.call('PING')).toEqual({ simple: 'PONG' });
    expect(() => process.kill(node.pid, 0)).not.toThrow();
    admin.close();
  });
});

/** Sends a pipeline on a fresh connection and collects bytes until `n` replies are complete (or 10 s). */
function exchange(port: number, payload: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(payload));
    const chunks: Buffer[] = [];
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error(`no complete reply within 10 s for ${JSON.stringify(payload.toString('latin1').replace(/\$\d+\r\n/g, '').replace(/\*\d+\r\n/g, '| ').slice(0, 3000))}`));
    }, 10000);
    s.on('data', (d) => {
      chunks.push(d);
      const buf = Buffer.concat(chunks);
      let complete = false;
      try {
        complete = countReplies(buf) >= n;
      } catch {
        complete = false; // partial reply so far
      }
      if (complete) {
        clearTimeout(t);
        s.destroy();
        resolve(buf);
      }
    });
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(t);
      resolve(Buffer.concat(chunks)); // closed early: the reply count check reports it
    });
  });
}
