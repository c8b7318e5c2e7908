import type { BlockState, Client } from '../client';
import type { CommandSpec } from '../commands/command';
import type { Db } from '../db';

/**
 * What the server core calls into replication (replication/replication.ts implements it): checks
 * before a command (read-only replica, MASTERDOWN, min-replicas), and propagation after it.
 */
export interface ReplicationHooks {
  /** An error that refuses the command before it runs, or undefined. */
  refuse(client: Client, spec: CommandSpec): string | undefined;
  /** Before a command runs (also nested: EXEC's and scripts' commands); returns the dirty counter. */
  enter(): number;
  /** After a command ran; `mark` is where its reply starts in `client.reply`. */
  leave(client: Client, spec: CommandSpec, argv: string[], dirtyBefore: number, mark: number): void;
  /**
   * A client blocked by a command was served later (its reply starts at `mark`). Returns the
   * block that holds its reply until replicas acknowledged the write (sync-replicas), if any.
   */
  served(client: Client, mark: number): BlockState | undefined;
  /** A key expired (lazily or actively) or was evicted on this node. */
  expired(db: Db, key: string): void;
  evicted(db: Db, key: string): void;
  clientClosed(client: Client): void;
}
