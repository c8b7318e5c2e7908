import { performance } from 'perf_hooks';
import { librarySources } from '../commands/scripting';
import { Snapshot } from '../persistence/snapshot';
import { RdbWriter } from '../rdb';
import type { Server } from '../server';
import { serializeDataset } from './rdb-bridge';

/** Longest a slice of a full-sync snapshot keeps the event loop, ms. */
const SLICE_MS = 2;
/** Below this many keys the RDB is written at once (cheaper than the copy-on-write machinery). */
const SLICED_FROM_KEYS = 20000;

/**
 * The RDB of a full resync, without stalling the node: persistence's point-in-time snapshot
 * (copy-on-write per key, no fork) is walked in slices between event-loop turns, so the file is the
 * dataset at the moment it started, and every write after that moment reaches the replica through
 * the stream buffered for it meanwhile. Small datasets, or a node where a BGSAVE already holds the
 * copy-on-write hooks, are serialized at once (the same point-in-time, synchronously).
 */
export class FullSync {
  private readonly chunks: Buffer[] = [];
  private readonly done: Array<(rdb: Buffer | Error) => void> = [];
  private snap: Snapshot | undefined;
  /** The server.beforeWrite our snapshot installed, to notice when a BGSAVE replaces it. */
  private hook: Server['beforeWrite'];

  constructor(private readonly server: Server, private readonly aux: Record<string, string | number>) {}

  /** Starts; `onDone` gets the RDB (or the error). Returns false when it finished synchronously. */
  public start(onDone: (rdb: Buffer | Error) => void): boolean {
    const server = this.server;
    let keys = 0;
    for (const db of server.dbs) keys += db.dict.size;
    if (keys < SLICED_FROM_KEYS || server.beforeWrite !== undefined) {
      let out: Buffer | Error;
      try {
        out = serializeDataset(server, String(this.aux['repl-id']), Number(this.aux['repl-offset']));
      } catch (e) {
        out = e as Error;
      }
      onDone(out);
      return false;
    }
    this.done.push(onDone);
    server.log.notice(`Full sync: point-in-time walk of ${keys} keys in slices (no fork)`);
    this.snap = new Snapshot(server.dbs, librarySources(server));
    this.snap.attach(server);
    this.hook = server.beforeWrite;
    const writer = new RdbWriter((c) => this.chunks.push(c));
    const slice = () => {
      if (server.beforeWrite !== this.hook) {
        // A BGSAVE attached its own snapshot over ours: this RDB is no longer point-in-time. The
        // replica is dropped and resyncs (then serialized at once while the BGSAVE runs).
        this.finish(new Error('a BGSAVE took over the copy-on-write hooks during the full sync'));
        return;
      }
      let finished: boolean;
      try {
        finished = this.snap!.step(writer, this.aux, Infinity, performance.now() + SLICE_MS, () => performance.now());
      } catch (e) {
        this.finish(e as Error);
        return;
      }
      if (finished) this.finish(Buffer.concat(this.chunks));
      else setImmediate(slice);
    };
    setImmediate(slice);
    return true;
  }

  /** Another replica wants the same snapshot (it starts from the same offset). */
  public join(onDone: (rdb: Buffer | Error) => void): void {
    this.done.push(onDone);
  }

  public get running(): boolean {
    return this.snap !== undefined;
  }

  private finish(out: Buffer | Error): void {
    // Only our own hooks are removed (Snapshot.detach clears server.beforeWrite whoever set it).
    if (this.snap !== undefined && this.server.beforeWrite === this.hook) this.snap.detach();
    this.snap = undefined;
    for (const fn of this.done.splice(0)) fn(out);
  }
}
