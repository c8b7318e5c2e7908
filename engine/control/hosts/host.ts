/**
 * A host runs node processes, like an EC2 instance in an availability zone. The control plane
 * only needs to start a node from a config file, signal it, and know whether it still runs; the
 * local provider does this with child processes on loopback addresses, and a provider reaching
 * hosts over SSH can implement the same interface later.
 */

export interface NodeLaunch {
  readonly nodeId: string;
  /** The node's working directory (config, RDB, log). */
  readonly dir: string;
  /** valkey.conf lines, written to `<dir>/node.conf`. */
  readonly config: readonly string[];
}

export interface Host {
  /** Availability zone label, e.g. `us-east-1a`. */
  readonly az: string;
  /** The address nodes on this host bind to. */
  readonly address: string;
  /** Starts a node detached from the caller; resolves with its pid once the process exists. */
  start(launch: NodeLaunch): Promise<number>;
  /** SIGTERM, then SIGKILL after `graceMs` if still running. */
  stop(pid: number, graceMs?: number): Promise<void>;
  /** SIGKILL, as a crashed host. */
  kill(pid: number): void;
  /** SIGSTOP / SIGCONT, as a wedged host. */
  pause(pid: number): void;
  resume(pid: number): void;
  /** True when `pid` runs the node started from `dir` (not a recycled pid). */
  isRunning(pid: number, dir: string): boolean;
}
