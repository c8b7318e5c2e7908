/**
 * Snapshot and maintenance windows (rules B1-B4), and the arithmetic the deploy handler needs to
 * schedule daily snapshots and weekly maintenance.
 *
 * Times are UTC. A snapshot window is a daily range `hh24:mi-hh24:mi`; a maintenance window is a weekly
 * range `ddd:hh24:mi-ddd:hh24:mi`. Both may wrap: past midnight, or past Saturday into Sunday.
 */
import { isKnown, RESOLVED, RuleContext, violation, Violation } from './violation';

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Days as ElastiCache writes them; index = day of week with Sunday = 0 (as `Date.getUTCDay()`). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Shortest snapshot window (B2) and maintenance window (B3), in minutes. */
export const MIN_WINDOW_MINUTES = 60;
/** Longest maintenance window (B3), in minutes. */
export const MAX_MAINTENANCE_WINDOW_MINUTES = MINUTES_PER_DAY;
/** Longest automatic snapshot retention (B1), in days. */
export const MAX_SNAPSHOT_RETENTION_DAYS = 35;

/** A daily window, in minutes after 00:00 UTC. */
export interface SnapshotWindow {
  /** Start, 0..1439. */
  readonly startMinute: number;
  /** End, 0..1439; smaller than the start when the window runs past midnight. */
  readonly endMinute: number;
  /** Length in minutes, 0..1439 (0 when start equals end). */
  readonly durationMinutes: number;
}

/** A weekly window, in minutes after Sunday 00:00 UTC. */
export interface MaintenanceWindow {
  /** Start, 0..10079. */
  readonly startMinute: number;
  /** End, 0..10079; smaller than the start when the window runs past Saturday into Sunday. */
  readonly endMinute: number;
  /** Length in minutes, 0..10079 (0 when start equals end). */
  readonly durationMinutes: number;
}

const TIME = '([0-9]{2}):([0-9]{2})';
const SNAPSHOT_FORM = new RegExp(`^${TIME}-${TIME}$`);
const MAINTENANCE_FORM = new RegExp(`^([A-Za-z]{3}):${TIME}-([A-Za-z]{3}):${TIME}$`);

function minuteOf(hh: string, mi: string): number | undefined {
  const h = Number(hh);
  const m = Number(mi);
  if (h > 23 || m > 59) return undefined;
  return h * 60 + m;
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

/** Parses `hh24:mi-hh24:mi` (e.g. `05:00-06:30`, `23:30-00:30`); undefined when malformed or a time is invalid. */
export function parseSnapshotWindow(value: string): SnapshotWindow | undefined {
  const m = SNAPSHOT_FORM.exec(value);
  if (!m) return undefined;
  const start = minuteOf(m[1], m[2]);
  const end = minuteOf(m[3], m[4]);
  if (start === undefined || end === undefined) return undefined;
  return { startMinute: start, endMinute: end, durationMinutes: mod(end - start, MINUTES_PER_DAY) };
}

/**
 * Parses `ddd:hh24:mi-ddd:hh24:mi` (e.g. `sun:23:00-mon:01:30`); days in any case. Undefined when
 * malformed, a day is not sun..sat or a time is invalid.
 */
export function parseMaintenanceWindow(value: string): MaintenanceWindow | undefined {
  const m = MAINTENANCE_FORM.exec(value);
  if (!m) return undefined;
  const d1 = WEEKDAYS.indexOf(m[1].toLowerCase());
  const d2 = WEEKDAYS.indexOf(m[4].toLowerCase());
  const t1 = minuteOf(m[2], m[3]);
  const t2 = minuteOf(m[5], m[6]);
  if (d1 < 0 || d2 < 0 || t1 === undefined || t2 === undefined) return undefined;
  const start = d1 * MINUTES_PER_DAY + t1;
  const end = d2 * MINUTES_PER_DAY + t2;
  return { startMinute: start, endMinute: end, durationMinutes: mod(end - start, MINUTES_PER_WEEK) };
}

const hhmm = (minuteInDay: number) => {
  const m = mod(minuteInDay, MINUTES_PER_DAY);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** Formats minutes after 00:00 as `hh24:mi-hh24:mi`. */
export function formatSnapshotWindow(startMinute: number, durationMinutes: number): string {
  return `${hhmm(startMinute)}-${hhmm(startMinute + durationMinutes)}`;
}

/** Formats minutes after Sunday 00:00 as `ddd:hh24:mi-ddd:hh24:mi` (lower case). */
export function formatMaintenanceWindow(startMinute: number, durationMinutes: number): string {
  const at = (minuteInWeek: number) => {
    const m = mod(minuteInWeek, MINUTES_PER_WEEK);
    return `${WEEKDAYS[Math.floor(m / MINUTES_PER_DAY)]}:${hhmm(m)}`;
  };
  return `${at(startMinute)}-${at(startMinute + durationMinutes)}`;
}

/** Minutes after Sunday 00:00 UTC of an instant. */
export function minuteOfWeek(date: Date): number {
  return date.getUTCDay() * MINUTES_PER_DAY + date.getUTCHours() * 60 + date.getUTCMinutes();
}

/** Minutes after 00:00 UTC of an instant. */
export function minuteOfDay(date: Date): number {
  return date.getUTCHours() * 60 + date.getUTCMinutes();
}

/** True when `date` falls inside the daily snapshot window (start inclusive, end exclusive). */
export function isInSnapshotWindow(window: SnapshotWindow, date: Date): boolean {
  return mod(minuteOfDay(date) - window.startMinute, MINUTES_PER_DAY) < window.durationMinutes;
}

/** True when `date` falls inside the weekly maintenance window (start inclusive, end exclusive). */
export function isInMaintenanceWindow(window: MaintenanceWindow, date: Date): boolean {
  return mod(minuteOfWeek(date) - window.startMinute, MINUTES_PER_WEEK) < window.durationMinutes;
}

/** The next start of the daily snapshot window at or after `from` (seconds and below dropped). */
export function nextSnapshotWindowStart(window: SnapshotWindow, from: Date): Date {
  const base = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const now = minuteOfDay(from) + (from.getUTCSeconds() > 0 || from.getUTCMilliseconds() > 0 ? 1 : 0);
  const wait = mod(window.startMinute - now, MINUTES_PER_DAY);
  return new Date(base + (now + wait) * 60_000);
}

/** The next start of the weekly maintenance window at or after `from` (seconds and below dropped). */
export function nextMaintenanceWindowStart(window: MaintenanceWindow, from: Date): Date {
  const base = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()) - from.getUTCDay() * MINUTES_PER_DAY * 60_000;
  const now = minuteOfWeek(from) + (from.getUTCSeconds() > 0 || from.getUTCMilliseconds() > 0 ? 1 : 0);
  const wait = mod(window.startMinute - now, MINUTES_PER_WEEK);
  return new Date(base + (now + wait) * 60_000);
}

/**
 * True when the daily snapshot window overlaps the weekly maintenance window on some day. Computed on
 * the 7×24 h ring: the snapshot window repeats every day; windows that only touch do not overlap.
 */
export function windowsOverlap(snapshot: SnapshotWindow, maintenance: MaintenanceWindow): boolean {
  if (snapshot.durationMinutes === 0 || maintenance.durationMinutes === 0) return false;
  for (let day = 0; day < 7; day++) {
    const s = day * MINUTES_PER_DAY + snapshot.startMinute;
    // overlap of [s, s+ds) and [ms, ms+dm) on a ring of length W: the later start lies before the other end
    if (
      mod(s - maintenance.startMinute, MINUTES_PER_WEEK) < maintenance.durationMinutes ||
      mod(maintenance.startMinute - s, MINUTES_PER_WEEK) < snapshot.durationMinutes
    ) {
      return true;
    }
  }
  return false;
}

/**
 * A snapshot window of the given length that overlaps the maintenance window on no day: it starts at
 * the first full hour after the maintenance window ends (time of day), or right at its end. Undefined
 * when no such window exists (the maintenance window leaves less than `durationMinutes` of the day free).
 */
export function suggestSnapshotWindow(maintenance: MaintenanceWindow, durationMinutes: number): string | undefined {
  const free = MINUTES_PER_DAY - Math.min(maintenance.durationMinutes, MINUTES_PER_DAY);
  if (durationMinutes > free) return undefined;
  const endOfDay = mod(maintenance.startMinute + maintenance.durationMinutes, MINUTES_PER_DAY);
  const onHour = Math.ceil(endOfDay / 60) * 60;
  const start = onHour - endOfDay + durationMinutes <= free ? onHour : endOfDay;
  return formatSnapshotWindow(start, durationMinutes);
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/** B1: automatic snapshot retention is a whole number of days, 0 (off) to 35. */
export function validateSnapshotRetentionLimit(value: number | undefined, ctx: RuleContext = RESOLVED, property = 'snapshotRetentionLimit'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  if (!Number.isInteger(value) || value < 0 || value > MAX_SNAPSHOT_RETENTION_DAYS) {
    return [
      violation(
        'B1',
        'snapshot retention is 0 to 35 days',
        property,
        `snapshot retention of ${value} days is not a whole number from 0 to ${MAX_SNAPSHOT_RETENTION_DAYS}`,
        `use a whole number of days from 1 to ${MAX_SNAPSHOT_RETENTION_DAYS}, or 0 to turn automatic backups off`,
      ),
    ];
  }
  return [];
}

/** B2: the daily snapshot window is `hh24:mi-hh24:mi` (UTC) and at least 60 minutes long. */
export function validateSnapshotWindow(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'snapshotWindow'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  const w = parseSnapshotWindow(value);
  if (!w) {
    return [
      violation('B2', 'snapshot window format', property, `'${value}' is not a snapshot window of the form hh24:mi-hh24:mi (UTC, valid times)`, "write it as e.g. '05:00-06:00' (UTC); it may run past midnight, e.g. '23:30-00:30'"),
    ];
  }
  if (w.durationMinutes < MIN_WINDOW_MINUTES) {
    return [
      violation(
        'B2',
        'snapshot window is at least 60 minutes',
        property,
        `Snapshot window must be at least 60 minutes; '${value}' is ${w.durationMinutes} minutes`,
        `make it at least 60 minutes long, e.g. '${formatSnapshotWindow(w.startMinute, MIN_WINDOW_MINUTES)}'`,
      ),
    ];
  }
  return [];
}

/**
 * B3: the weekly maintenance window is `ddd:hh24:mi-ddd:hh24:mi` (UTC, ddd in sun..sat), 60 minutes to
 * 24 hours long; it may wrap past Saturday. Upper-case days are accepted with a warning: ElastiCache
 * stores the window in lower case, so the template would differ from the deployed value.
 */
export function validateMaintenanceWindow(value: string | undefined, ctx: RuleContext = RESOLVED, property = 'maintenanceWindow'): Violation[] {
  if (!isKnown(ctx, value)) return [];
  const w = parseMaintenanceWindow(value);
  if (!w) {
    return [
      violation(
        'B3',
        'maintenance window format',
        property,
        `'${value}' is not a maintenance window of the form ddd:hh24:mi-ddd:hh24:mi (UTC, ddd one of ${WEEKDAYS.join(' ')})`,
        "write it as e.g. 'sun:05:00-sun:06:00'; it may span days, e.g. 'sat:23:00-sun:01:00'",
      ),
    ];
  }
  const out: Violation[] = [];
  if (w.durationMinutes < MIN_WINDOW_MINUTES || w.durationMinutes > MAX_MAINTENANCE_WINDOW_MINUTES) {
    out.push(
      violation(
        'B3',
        'maintenance window is 60 minutes to 24 hours',
        property,
        `the maintenance window '${value}' is ${w.durationMinutes} minutes; it must be 60 minutes to 24 hours`,
        `use a window of 60 minutes to 24 hours, e.g. '${formatMaintenanceWindow(w.startMinute, MIN_WINDOW_MINUTES)}'`,
      ),
    );
  }
  if (value !== value.toLowerCase()) {
    out.push(
      violation(
        'B3',
        'maintenance window is stored in lower case',
        property,
        `'${value}' is stored by ElastiCache as '${value.toLowerCase()}'`,
        `write it in lower case, '${value.toLowerCase()}', so the template matches the deployed value`,
        'warning',
      ),
    );
  }
  return out;
}

/**
 * B4: the daily snapshot window must not overlap the weekly maintenance window (on any day). Skipped
 * when either window is unset, a token, or malformed (B2/B3 report that).
 */
export function validateWindowsDoNotOverlap(
  snapshotWindow: string | undefined,
  maintenanceWindow: string | undefined,
  ctx: RuleContext = RESOLVED,
  property = 'snapshotWindow',
): Violation[] {
  if (!isKnown(ctx, snapshotWindow) || !isKnown(ctx, maintenanceWindow)) return [];
  const s = parseSnapshotWindow(snapshotWindow);
  const m = parseMaintenanceWindow(maintenanceWindow);
  if (!s || !m || !windowsOverlap(s, m)) return [];
  const suggestion = suggestSnapshotWindow(m, Math.max(s.durationMinutes, MIN_WINDOW_MINUTES));
  const fix = suggestion
    ? `move the snapshot window out of the maintenance window, e.g. ${property} '${suggestion}', or move the maintenance window`
    : 'shorten or move the maintenance window so that the daily snapshot window fits outside it';
  return [
    violation(
      'B4',
      'snapshot and maintenance windows must not overlap',
      property,
      `The snapshot window and maintenance window must not overlap. The daily snapshot window '${snapshotWindow}' overlaps the maintenance window '${maintenanceWindow}'.`,
      fix,
    ),
  ];
}
