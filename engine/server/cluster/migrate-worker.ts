/**
 * The network half of MIGRATE, in a worker thread: MIGRATE blocks the node while it moves keys (as
 * in Valkey, so no command can change a key between its DUMP and its deletion), and Node has no
 * blocking sockets. The main thread posts a request and waits on a shared word (Atomics.wait); this
 * worker talks to the target, writes the result into the shared buffer and wakes it. Connections
 * are cached per target and closed after 10 s idle, like Valkey's migrate socket cache.
 */
import * as net from 'net';
import { parentPort, workerData } from 'worker_threads';

interface Request {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly timeout: number;
  readonly data: Uint8Array;
  readonly replies: number;
}

interface Conn {
  socket: net.Socket;
  buf: Buffer;
  lastUse: number;
  broken: boolean;
  waiter: (() => void) | undefined;
}

const sab = (workerData as { sab: SharedArrayBuffer }).sab;
const control = new Int32Array(sab, 0, 2); // [id of the finished request, result length]
const out = new Uint8Array(sab, 8);
const conns = new Map<string, Conn>();
const IDLE_MS = 10_000;

setInterval(() => {
  const now = Date.now();
  for (const [k, c] of conns) {
    if (now - c.lastUse > IDLE_MS) {
      c.socket.destroy();
      conns.delete(k);
    }
  }
}, 1000).unref();

function finish(id: number, result: unknown): void {
  let bytes = Buffer.from(JSON.stringify(result), 'latin1');
  if (bytes.length > out.length) bytes = Buffer.from(JSON.stringify({ error: 'ERR MIGRATE reply too large' }));
  out.set(bytes);
  Atomics.store(control, 1, bytes.length);
  Atomics.store(control, 0, id);
  Atomics.notify(control, 0);
}

function connect(host: string, port: number, timeout: number): Promise<Conn> {
  const key = `${host}:${port}`;
  const cached = conns.get(key);
  if (cached && !cached.broken) return Promise.resolve(cached);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('connect'));
    }, timeout);
    socket.once('error', () => {
      clearTimeout(timer);
      reject(new Error('connect'));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      const c: Conn = { socket, buf: Buffer.alloc(0), lastUse: Date.now(), broken: false, waiter: undefined };
      socket.on('data', (d: Buffer) => {
        c.buf = c.buf.length ? Buffer.concat([c.buf, d]) : d;
        c.waiter?.();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        c.broken = true;
        c.waiter?.();
        if (conns.get(key) === c) conns.delete(key);
      });
      conns.set(key, c);
      resolve(c);
    });
  });
}

/** One top-level reply at the start of `b` (simple, error, integer or bulk): [type, text, bytes used] or undefined if incomplete. */
function parseReply(b: Buffer): [string, string, number] | undefined {
  const eol = b.indexOf('\r\n');
  if (eol < 0) return undefined;
  const type = String.fromCharCode(b[0]);
  const head = b.latin1Slice(1, eol);
  if (type === '$') {
    const len = Number(head);
    if (len < 0) return ['$', '', eol + 2];
    if (b.length < eol + 4 + len) return undefined;
    return ['$', b.latin1Slice(eol + 2, eol + 2 + len), eol + 4 + len];
  }
  return [type, head, eol + 2];
}

async function handle(req: Request): Promise<void> {
  const key = `${req.host}:${req.port}`;
  let c: Conn;
  try {
    c = await connect(req.host, req.port, req.timeout);
  } catch {
    finish(req.id, { error: 'IOERR error or timeout connecting to the client' });
    return;
  }
  c.lastUse = Date.now();
  c.buf = Buffer.alloc(0);
  c.socket.write(req.data);
  const replies: Array<[string, string]> = [];
  const deadline = Date.now() + req.timeout;
  while (replies.length < req.replies) {
    const r = parseReply(c.buf);
    if (r) {
      replies.push([r[0], r[1]]);
      c.buf = c.buf.subarray(r[2]);
      continue;
    }
    const left = deadline - Date.now();
    if (c.broken || left <= 0) {
      c.socket.destroy();
      conns.delete(key);
      finish(req.id, { error: 'IOERR error or timeout reading to target instance' });
      return;
    }
    await new Promise<void>((res) => {
      const t = setTimeout(res, left);
      c.waiter = () => {
        clearTimeout(t);
        res();
      };
    });
    c.waiter = undefined;
  }
  c.lastUse = Date.now();
  finish(req.id, { replies });
}

parentPort!.on('message', (req: Request) => {
  void handle(req);
});
