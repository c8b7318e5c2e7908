import * as fs from 'fs';
import * as path from 'path';
import { ClusterNode, newNode } from './node';
import { SLOTS } from './slots';
import type { ClusterState } from './state';
import { nodesText } from './views';

/**
 * cluster-config-file in the nodes.conf format: one CLUSTER NODES line per node (with the
 * `,hostname,shard-id=` extras and this node's `[slot->-id]` / `[slot-<-id]` migration marks),
 * then `vars currentEpoch N lastVoteEpoch M`. Written atomically (temp file, optional fsync, rename).
 */

export function configPath(dir: string, file: string): string {
  return path.isAbsolute(file) ? file : path.join(dir, file);
}

export function saveConfig(st: ClusterState, file: string, fsync = true): void {
  const text = `${nodesText(st, true)}vars currentEpoch ${st.currentEpoch} lastVoteEpoch ${st.lastVoteEpoch}\n`;
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    if (fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** A parsed config file: nodes (myself first), slot owners by node id, migration marks and epochs. */
export interface LoadedConfig {
  myself: ClusterNode;
  nodes: ClusterNode[];
  slots: Array<[number, string]>;
  migrating: Array<[number, string]>;
  importing: Array<[number, string]>;
  currentEpoch: number;
  lastVoteEpoch: number;
}

/** Reads the file; undefined when it does not exist. Throws with the line on a malformed file. */
export function loadConfig(file: string): LoadedConfig | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const out: Omit<LoadedConfig, 'myself'> & { myself?: ClusterNode } = {
    nodes: [], slots: [], migrating: [], importing: [], currentEpoch: 0, lastVoteEpoch: 0,
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const f = line.split(' ');
    if (f[0] === 'vars') {
      for (let i = 1; i + 1 < f.length; i += 2) {
        if (f[i] === 'currentEpoch') out.currentEpoch = Number(f[i + 1]);
        if (f[i] === 'lastVoteEpoch') out.lastVoteEpoch = Number(f[i + 1]);
      }
      continue;
    }
    if (f.length < 8 || !/^[0-9a-f]{40}$/.test(f[0])) throw new Error(`Unrecoverable error: corrupted cluster config file "${line}".`);
    const [addrPart, ...aux] = f[1].split(',');
    const m = /^(.*):(\d+)@(\d+)$/.exec(addrPart);
    if (!m) throw new Error(`Unrecoverable error: corrupted cluster config file "${line}".`);
    const shard = aux.find((a) => a.startsWith('shard-id='))?.slice(9) ?? '';
    const node = newNode(f[0], m[1], Number(m[2]), Number(m[3]), shard);
    node.hostname = aux[0] && !aux[0].includes('=') ? aux[0] : '';
    const flags = f[2].split(',');
    node.role = flags.includes('slave') ? 'slave' : 'master';
    node.primaryId = f[3] === '-' ? undefined : f[3];
    node.configEpoch = Number(f[6]);
    node.fail = flags.includes('fail');
    node.pfail = flags.includes('fail?');
    if (flags.includes('myself')) out.myself = node;
    out.nodes.push(node);
    for (const s of f.slice(8)) {
      let mm;
      if ((mm = /^\[(\d+)->-([0-9a-f]{40})\]$/.exec(s))) {out.migrating.push([Number(mm[1]), mm[2]]);} else if ((mm = /^\[(\d+)-<-([0-9a-f]{40})\]$/.exec(s))) {out.importing.push([Number(mm[1]), mm[2]]);} else if ((mm = /^(\d+)(?:-(\d+))?$/.exec(s))) {
        const a = Number(mm[1]);
        const b = mm[2] === undefined ? a : Number(mm[2]);
        for (let x = a; x <= b && x < SLOTS; x++) out.slots.push([x, node.id]);
      }
    }
  }
  if (!out.myself) throw new Error('Unrecoverable error: the cluster config file has no "myself" node.');
  return out as LoadedConfig;
}

/** Puts a loaded config into a fresh state (its myself replaced by the loaded one). */
export function applyLoaded(st: ClusterState, cfg: LoadedConfig): void {
  st.nodes.clear();
  st.myself = cfg.myself;
  for (const n of cfg.nodes) st.nodes.set(n.id, n);
  for (const [s, id] of cfg.slots) st.owner[s] = st.nodes.get(id);
  for (const [s, id] of cfg.migrating) st.migrating.set(s, id);
  for (const [s, id] of cfg.importing) st.importing.set(s, id);
  st.currentEpoch = cfg.currentEpoch;
  st.lastVoteEpoch = cfg.lastVoteEpoch;
  for (const n of st.nodes.values()) if (!n.shardId) n.shardId = n.id;
  // Replicas share their primary's shard id.
  for (const n of st.nodes.values()) {
    const p = st.primaryOf(n);
    if (n.role === 'slave' && p) n.shardId = p.shardId;
  }
}
