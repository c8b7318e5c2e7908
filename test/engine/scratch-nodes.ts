import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunningNode, startNode, startRedis } from './nodes';
import { RespClient } from './resp-client';

/** A node started by a test, with a client connected to it. */
export interface NodeWithClient {
  readonly n: RunningNode;
  readonly c: RespClient;
}

/**
 * Jest hooks for a test file whose nodes (ours or redis-server) work in a scratch folder: the folder
 * is made before the tests and removed after them; nodes and their clients are stopped after each test.
 */
export function useScratchNodes(prefix: string) {
  const started: RunningNode[] = [];
  const clients: RespClient[] = [];
  let root = '';
  const stopAll = async (): Promise<void> => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(started.splice(0).map((n) => n.stop()));
  };
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(stopAll);
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    /** The scratch folder (made before the tests). */
    get root(): string {
      return root;
    },
    /** Starts our node, or redis-server (required then), and connects a client. */
    async start(args: string[], redis = false): Promise<NodeWithClient> {
      const n = redis ? await startRedis(args) : await startNode(args);
      if (!n) throw new Error('redis-server is required for these tests');
      started.push(n);
      const c = await RespClient.connect(n.port);
      clients.push(c);
      return { n, c };
    },
    /** Stops what the test started so far (afterEach does it too). */
    stopAll,
    /** Stops a node the test started itself after the test. */
    keepNode(n: RunningNode): void {
      started.push(n);
    },
    /** Closes a client the test connected itself after the test. */
    keepClient(c: RespClient): void {
      clients.push(c);
    },
  };
}
