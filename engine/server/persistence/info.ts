import type { Server } from '../server';
import { persistenceOf } from './index';

/** INFO persistence, with Valkey's field names (AOF is not implemented: aof_enabled:0). */
export function persistenceInfo(s: Server): string[] {
  const p = persistenceOf(s);
  const bg = p?.bg;
  const load = p?.loadProgress;
  const now = Date.now();
  const lines = [`loading:${s.loading ? 1 : 0}`, 'async_loading:0'];
  if (load) {
    const elapsed = (now - load.startedAt) / 1000;
    const frac = load.totalKeys > 0 ? load.doneKeys / load.totalKeys : 0;
    lines.push(
      `loading_start_time:${Math.floor(load.startedAt / 1000)}`,
      `loading_total_bytes:${load.totalBytes}`,
      `loading_rdb_used_mem:${s.usedMemory()}`,
      `loading_loaded_bytes:${Math.floor(load.totalBytes * frac)}`,
      `loading_loaded_perc:${(frac * 100).toFixed(2)}`,
      `loading_eta_seconds:${frac > 0 ? Math.round((elapsed / frac) * (1 - frac)) : 1}`,
    );
  }
  lines.push(
    `current_cow_peak:${bg ? bg.snap.cowPeak : 0}`,
    `current_cow_size:${bg ? bg.snap.cowBytes : 0}`,
    'current_cow_size_age:0',
    `current_fork_perc:${bg && bg.snap.keysTotal > 0 ? ((bg.snap.keysProcessed * 100) / bg.snap.keysTotal).toFixed(2) : '0.00'}`,
    `current_save_keys_processed:${bg ? bg.snap.keysProcessed : 0}`,
    `current_save_keys_total:${bg ? bg.snap.keysTotal : 0}`,
    `rdb_changes_since_last_save:${s.dirty}`,
    `rdb_bgsave_in_progress:${bg ? 1 : 0}`,
    `rdb_last_save_time:${p ? p.lastSave : Math.floor(s.startedAt / 1000)}`,
    `rdb_last_bgsave_status:${!p || p.lastBgsaveOk ? 'ok' : 'err'}`,
    `rdb_last_bgsave_time_sec:${p ? p.lastBgsaveTimeSec : -1}`,
    `rdb_current_bgsave_time_sec:${bg ? Math.round((now - bg.snap.startedAt) / 1000) : -1}`,
    `rdb_saves:${p ? p.saves : 0}`,
    `rdb_last_cow_size:${p ? p.lastCowSize : 0}`,
    `rdb_last_load_keys_expired:${p ? p.expiredAtLoad : 0}`,
    `rdb_last_load_keys_loaded:${p ? p.loadedKeys : 0}`,
    'aof_enabled:0',
    'aof_rewrite_in_progress:0',
    'aof_rewrite_scheduled:0',
    'aof_last_rewrite_time_sec:-1',
    'aof_current_rewrite_time_sec:-1',
    'aof_last_bgrewrite_status:ok',
    'aof_rewrites:0',
    'aof_rewrites_consecutive_failures:0',
    'aof_last_write_status:ok',
    'aof_last_cow_size:0',
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
  );
  return lines;
}
