/**
 * The failover lane. Deploys, verbs and node recoveries run one at a time on the control plane's
 * queue (`serialize`), and a recovery may hold it for up to 30 s while a node resyncs; a failover of
 * a failed primary must not wait behind that. Role changes (promoting a replica, re-pointing the
 * others, removing a node) run here instead: one at a time per replication group, never behind the
 * queue. Nothing in the lane waits for the queue, so a queued verb may wait for the lane (test-failover)
 * without a deadlock.
 */

/** The tail of each group's lane, per control plane. */
const lanes = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `fn` after the role changes of `groupId` started before it; not behind the control plane's queue. */
export function inFailoverLane<T>(cp: object, groupId: string, fn: () => Promise<T>): Promise<T> {
  let byGroup = lanes.get(cp);
  if (!byGroup) lanes.set(cp, (byGroup = new Map()));
  const tail = byGroup.get(groupId) ?? Promise.resolve();
  const run = tail.then(fn, fn);
  const settled = run.catch(() => undefined);
  byGroup.set(groupId, settled);
  // Forget an idle lane (no growing map of finished groups).
  void settled.then(() => {
    if (byGroup!.get(groupId) === settled) byGroup!.delete(groupId);
  });
  return run;
}
