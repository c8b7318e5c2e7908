import type { Client } from './client';
import { command, CommandSpec } from './commands/command';
import { formatPercentile, parsePercentiles } from './config';
import type { CommandStats, Server } from './server';

/**
 * Per-command latency histograms (latency-tracking): LATENCY HISTOGRAM and INFO latencystats.
 *
 * Valkey keeps an HdrHistogram (1 ns..1 s, 2 significant digits) per command. Here each command's
 * stats get a fixed array of counters: exact below 32 ns, then 16 buckets per power of two (about 6%
 * resolution), 432 counters in all, allocated on the command's first timed call. Recording is a
 * clz32 and an increment, with no allocation. LATENCY HISTOGRAM folds the buckets into Valkey's
 * power-of-two buckets (1024 ns · 2^k) and prints their bounds as Valkey does; the percentiles of
 * INFO latencystats are the upper bound of the bucket holding the percentile (Valkey: of its HDR
 * bucket), so they agree within the bucket resolution.
 */

const EXACT = 32;
const SUB = 16;
/** Durations above this (1 s in ns) count as 1 s, as in Valkey. */
const MAX_NS = 1_000_000_000;
export const HIST_SIZE = EXACT + (29 - 4) * SUB + SUB; // octaves 2^5 .. 2^29 (1e9 < 2^30)

/** The bucket of a duration in ns (1..MAX_NS). */
export function bucketOf(ns: number): number {
  if (ns < EXACT) return ns;
  const e = 31 - Math.clz32(ns);
  return EXACT + (e - 5) * SUB + ((ns >>> (e - 4)) & (SUB - 1));
}

/** The smallest duration (ns) of a bucket. */
export function bucketLow(i: number): number {
  if (i < EXACT) return i;
  const e = 5 + ((i - EXACT) >> 4);
  return (SUB + ((i - EXACT) & (SUB - 1))) * 2 ** (e - 4);
}

/** The largest duration (ns) of a bucket. */
export function bucketHigh(i: number): number {
  if (i < EXACT) return i;
  const e = 5 + ((i - EXACT) >> 4);
  return bucketLow(i) + 2 ** (e - 4) - 1;
}

/** Records one call's duration (µs) in the command's histogram: the hot path (about 10 ns, no allocation). */
export function recordLatency(stats: CommandStats, usec: number): void {
  let ns = usec * 1000;
  if (ns > MAX_NS) ns = MAX_NS;
  ns |= 0; // truncated to whole ns (Math.round costs several times more here)
  if (ns < 1) ns = 1;
  let h = stats.hist;
  if (h === undefined) h = stats.hist = new Uint32Array(HIST_SIZE);
  if (ns < EXACT) {
    h[ns]++;
  } else {
    const e = 31 - Math.clz32(ns); // bucketOf, inlined
    h[EXACT + (e - 5) * SUB + ((ns >>> (e - 4)) & (SUB - 1))]++;
  }
}

function total(h: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < h.length; i++) n += h[i];
  return n;
}

/**
 * Valkey's power-of-two reporting buckets: bucket k holds durations whose HDR bucket starts at or
 * below 1024·2^k ns; its bound is printed as (1024·2^k + 2^(k+3) − 1) / 1000 µs, rounded down.
 */
function reportBucket(lowNs: number): number {
  return lowNs <= 1024 ? 0 : 32 - Math.clz32((lowNs - 1) >>> 10);
}

function reportBound(k: number): number {
  return Math.floor((1024 * 2 ** k + 2 ** (k + 3) - 1) / 1000);
}

/** `calls` and the cumulative `histogram_usec` map of one command (Valkey's fillCommandCDF). */
function replyCdf(c: Client, h: Uint32Array): void {
  const r = c.reply;
  const counts: number[] = [];
  for (let i = 0; i < h.length; i++) {
    if (h[i] === 0) continue;
    const k = reportBucket(bucketLow(i));
    counts[k] = (counts[k] ?? 0) + h[i];
  }
  const rows: Array<[number, number]> = [];
  let cum = 0;
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] === undefined) continue;
    cum += counts[k];
    rows.push([reportBound(k), cum]);
  }
  r.map(2);
  r.bulk('calls');
  r.int(cum);
  r.bulk('histogram_usec');
  r.map(rows.length);
  for (const [bound, n] of rows) {
    r.int(bound);
    r.int(n);
  }
}

/** The value (ns) at a percentile, as hdr_value_at_percentile: the high end of the bucket holding it. */
export function valueAtPercentile(h: Uint32Array, p: number): number {
  const n = total(h);
  if (n === 0) return 0;
  const want = Math.max(1, Math.floor((Math.min(p, 100) / 100) * n + 0.5));
  let cum = 0;
  for (let i = 0; i < h.length; i++) {
    cum += h[i];
    if (cum >= want) return p === 0 ? bucketLow(i) : bucketHigh(i);
  }
  return 0;
}

/** The commands of a LATENCY HISTOGRAM argument ("get", "config", "config|get"), each with its stats name. */
function namesFor(server: Server, arg: string): string[] {
  const [base, subName] = arg.toLowerCase().split('|', 2);
  const spec = server.commands.lookup(base);
  if (!spec) return [];
  if (subName !== undefined) {
    const sub = spec.subcommands?.get(subName);
    return sub ? [sub.name] : [];
  }
  return [spec.name, ...(spec.subcommands ? [...spec.subcommands.values()].map((s) => s.name) : [])];
}

function histogramOf(server: Server, name: string): Uint32Array | undefined {
  const h = server.stats.commands.get(name)?.hist;
  return h !== undefined && total(h) > 0 ? h : undefined;
}

/** LATENCY HISTOGRAM [command ...]: a map of command → {calls, histogram_usec}. */
function latencyHistogram(c: Client, argv: string[]): void {
  const server = c.server;
  const names: string[] = [];
  if (argv.length === 2) {
    for (const name of server.stats.commands.keys()) if (histogramOf(server, name)) names.push(name);
  } else {
    for (const arg of argv.slice(2)) for (const name of namesFor(server, arg)) if (histogramOf(server, name)) names.push(name);
  }
  c.reply.map(names.length);
  for (const name of names) {
    c.reply.bulk(name);
    replyCdf(c, histogramOf(server, name)!);
  }
}

/** INFO latencystats lines: latency_percentiles_usec_<cmd>:p50=…,p99=…,p99.9=… (nothing while latency-tracking is off). */
export function latencyStatsInfo(server: Server): string[] {
  if (!server.latencyTracking) return [];
  const percentiles = parsePercentiles(server.config.get('latency-tracking-info-percentiles')) ?? [];
  const lines: string[] = [];
  for (const [name, st] of server.stats.commands) {
    const h = st.hist;
    if (h === undefined || total(h) === 0) continue;
    const parts = percentiles.map((p) => `p${formatPercentile(p)}=${(valueAtPercentile(h, p) / 1000).toFixed(3)}`);
    lines.push(`latency_percentiles_usec_${name.replace(/[:\r\n]/g, '_')}:${parts.join(',')}`);
  }
  return lines;
}

/** Follows latency-tracking (the server tests its flag after every command). */
export function installLatencyHistograms(server: Server): void {
  server.latencyTracking = server.config.getBool('latency-tracking');
  server.config.onChange('latency-tracking', (v) => (server.latencyTracking = v === 'yes'));
}

export const latencyHistogramSubcommands: CommandSpec[] = [
  command('latency|histogram', -2, 'admin noscript loading stale', [0, 0, 0], '', latencyHistogram),
];
