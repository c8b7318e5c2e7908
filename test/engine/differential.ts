import { RunningNode, startNode, startRedis } from './nodes';
import { RespClient, Resp } from './resp-client';

/**
 * Differential testing: the same commands go to our node and to Debian's redis-server, and the
 * replies must be equal (types included). `normalize` may rewrite replies that legitimately
 * differ (unordered sets, server-specific text).
 */
export class Differential {
  public static async start(directives: string[] = []): Promise<Differential | undefined> {
    const theirs = await startRedis(directives);
    if (!theirs) return undefined;
    const ours = await startNode(directives);
    const d = new Differential(ours, theirs, await RespClient.connect(ours.port), await RespClient.connect(theirs.port));
    return d;
  }

  private constructor(
    public readonly ours: RunningNode,
    public readonly theirs: RunningNode,
    public readonly a: RespClient,
    public readonly b: RespClient,
  ) {}

  /** Sends one command to both; returns both replies. */
  public async both(...args: Array<string | number | Buffer>): Promise<[Resp, Resp]> {
    return Promise.all([this.a.call(...args), this.b.call(...args)]);
  }

  /**
   * Sends each command to both and expects equal replies; on a mismatch the error names the
   * command and both replies.
   */
  public async check(commands: Array<Array<string | number | Buffer>>, normalize: (cmd: string[], r: Resp) => Resp = (_c, r) => r): Promise<void> {
    for (const cmd of commands) {
      const [x, y] = await this.both(...cmd);
      const text = cmd.map(String);
      const nx = normalize(text, x);
      const ny = normalize(text, y);
      if (JSON.stringify(nx, big) !== JSON.stringify(ny, big)) {
        throw new Error(`differs on ${JSON.stringify(text)}:\n  ours:   ${JSON.stringify(x, big)}\n  redis:  ${JSON.stringify(y, big)}`);
      }
    }
  }

  public async stop(): Promise<void> {
    this.a.close();
    this.b.close();
    await Promise.all([this.ours.stop(), this.theirs.stop()]);
  }
}

/**
 * Jest hooks for a test file (or describe block) that runs against both servers: starts them before the
 * tests (redis-server is required), hands the harness to `assign`, empties both before each test
 * (unless `flushBeforeEach` is false), stops them after.
 */
export function useDifferential(assign: (d: Differential) => void, directives: string[] = [], flushBeforeEach = true): void {
  let started: Differential | undefined;
  beforeAll(async () => {
    started = await Differential.start(directives);
    if (!started) throw new Error('redis-server is required for the differential tests');
    assign(started);
  });
  afterAll(async () => {
    await started?.stop();
  });
  beforeEach(async () => {
    if (flushBeforeEach) await started!.both('FLUSHALL');
  });
}

/**
 * Jest hooks for a test file that checks each command in RESP2 and in RESP3: two harnesses, the
 * second switched to RESP3 (HELLO 3), started before the tests and stopped after; `assign` gets both.
 * Returns a function that checks the same commands on both.
 */
export function useDifferentialResp2And3(
  assign: (resp2: Differential, resp3: Differential) => void,
): (commands: Array<Array<string | number>>) => Promise<void> {
  let d: Differential | undefined;
  let d3: Differential | undefined;
  beforeAll(async () => {
    d = await Differential.start();
    d3 = await Differential.start();
    if (!d || !d3) throw new Error('redis-server is required for the differential tests');
    await d3.both('HELLO', '3');
    assign(d, d3);
  }, 30000);
  afterAll(async () => {
    await d?.stop();
    await d3?.stop();
  });
  return async (commands) => {
    await d!.check(commands);
    await d3!.check(commands);
  };
}

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}

/** Sorts array replies (for commands whose order is unspecified, like SMEMBERS or KEYS). */
export function sorted(r: Resp): Resp {
  if (Array.isArray(r)) return [...r].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  if (r && typeof r === 'object' && 'set' in r) return { set: sorted(r.set) as Resp[] };
  return r;
}
