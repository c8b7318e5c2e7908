import { RunningNode, startNode, startRedis } from './nodes';
import { Resp, RespClient } from './resp-client';

/** Frames one connection received during a step (replies and pushes, in arrival order). */
export type Frames = Resp[];

let markerSeq = 0;

/**
 * Reads frames until the reply to `PING <marker>` (pong array in RESP2 subscribe mode, bulk
 * otherwise); returns the frames before it. The marker is sent after the step's command was
 * answered, so everything the step caused on this connection has arrived before it.
 */
export async function drain(c: RespClient): Promise<Frames> {
  const marker = `marker-${++markerSeq}`;
  const p = c.call('PING', marker);
  const frames: Frames = [await p];
  for (;;) {
    const last = frames[frames.length - 1];
    if (last === marker || (Array.isArray(last) && last[0] === 'pong' && last[1] === marker)) break;
    frames.push(await c.next());
  }
  frames.pop();
  return frames;
}

/**
 * Sends a command and collects what every listed connection received until a PING marker:
 * `sender`'s replies, and messages pushed to the others.
 */
export async function step(
  clients: RespClient[],
  sender: number,
  cmd: Array<string | number>,
  inMulti: ReadonlySet<number> = new Set(),
): Promise<Frames[]> {
  const s = clients[sender];
  const first = await s.call(...cmd);
  const out: Frames[] = [];
  for (let i = 0; i < clients.length; i++) {
    // a connection inside MULTI would queue the marker: what it received shows up in a later step
    const rest = inMulti.has(i) ? [] : await drain(clients[i]);
    out.push(i === sender ? [first, ...rest] : rest);
  }
  return out;
}

/**
 * Normalizes what may legitimately differ in order between servers: confirmations of an
 * UNSUBSCRIBE-all (hash order) keep their counts in order but sort the names, and frames of one
 * PUBLISH to one connection (several patterns) are sorted.
 */
export function normalize(cmd: Array<string | number>, frames: Frames): unknown {
  const name = String(cmd[0]).toLowerCase();
  const unwrap = (f: Resp): Resp[] | undefined => (Array.isArray(f) ? f : f && typeof f === 'object' && 'push' in f ? f.push : undefined);
  if (/^[ps]?unsubscribe$/.test(name) && cmd.length === 1) {
    const items = frames.map(unwrap);
    if (items.every((x) => x && x[0] === name)) {
      const names = items.map((x) => JSON.stringify(x![1])).sort();
      return { kind: name, push: frames.some((f) => !Array.isArray(f)), names, counts: items.map((x) => x![2]) };
    }
  }
  if (name === 'publish' || (name === 'pubsub' && /^(shard)?channels$/i.test(String(cmd[1])))) {
    return frames.map((f) => (Array.isArray(f) ? [...f].sort() : f)).map((f) => JSON.stringify(f)).sort();
  }
  return frames;
}

/** The same set of connections on our node and on redis-server. */
export class Twin {
  public static async start(directives: string[] = [], n = 3, resp3: number[] = []): Promise<Twin | undefined> {
    const theirs = await startRedis(directives);
    if (!theirs) return undefined;
    const ours = await startNode(directives);
    const a: RespClient[] = [];
    const b: RespClient[] = [];
    for (let i = 0; i < n; i++) {
      a.push(await RespClient.connect(ours.port));
      b.push(await RespClient.connect(theirs.port));
      if (resp3.includes(i)) {
        await a[i].call('HELLO', '3');
        await b[i].call('HELLO', '3');
      }
    }
    return new Twin(ours, theirs, a, b);
  }

  /** Connections inside MULTI (judged by the commands sent). */
  private readonly inMulti = new Set<number>();
  /** Commands sent, for the message of a failure. */
  public readonly history: string[] = [];

  private constructor(
    public readonly ours: RunningNode,
    public readonly theirs: RunningNode,
    public readonly a: RespClient[],
    public readonly b: RespClient[],
  ) {}

  /** Runs one step on both; throws with the history when what any connection received differs. */
  public async check(sender: number, ...cmd: Array<string | number>): Promise<Frames[]> {
    this.history.push(`${sender}: ${cmd.join(' ')}`);
    const name = String(cmd[0]).toLowerCase();
    if (name === 'multi') this.inMulti.add(sender);
    else if (name === 'exec' || name === 'discard' || name === 'reset') this.inMulti.delete(sender);
    const [x, y] = await Promise.all([step(this.a, sender, cmd, this.inMulti), step(this.b, sender, cmd, this.inMulti)]);
    for (let i = 0; i < x.length; i++) {
      const nx = JSON.stringify(normalize(cmd, x[i]), big);
      const ny = JSON.stringify(normalize(cmd, y[i]), big);
      if (nx !== ny) {
        throw new Error(`connection ${i} differs after ${this.history.slice(-12).join(' | ')}:\n  ours:  ${JSON.stringify(x[i], big)}\n  redis: ${JSON.stringify(y[i], big)}`);
      }
    }
    return x;
  }

  public async stop(): Promise<void> {
    for (const c of [...this.a, ...this.b]) c.close();
    await Promise.all([this.ours.stop(), this.theirs.stop()]);
  }
}

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
