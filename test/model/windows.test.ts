import { RuleContext } from '../../src/model/violation';
import {
  formatMaintenanceWindow,
  formatSnapshotWindow,
  isInMaintenanceWindow,
  isInSnapshotWindow,
  minuteOfWeek,
  nextMaintenanceWindowStart,
  nextSnapshotWindowStart,
  parseMaintenanceWindow,
  parseSnapshotWindow,
  suggestSnapshotWindow,
  validateMaintenanceWindow,
  validateSnapshotRetentionLimit,
  validateSnapshotWindow,
  validateWindowsDoNotOverlap,
  windowsOverlap,
} from '../../src/model/windows';

const TOKEN_CTX: RuleContext = {
  isUnresolved: (v) => (typeof v === 'string' && v.includes('${Token')) || v === -1.8881545897087626e289,
};
const NUMBER_TOKEN = -1.8881545897087626e289;

const rules = (vs: { rule: string; severity: string }[]) => vs.map((v) => `${v.rule}:${v.severity}`);

describe('parseSnapshotWindow', () => {
  test('plain window in minutes of the day', () => {
    expect(parseSnapshotWindow('05:00-06:30')).toEqual({ startMinute: 300, endMinute: 390, durationMinutes: 90 });
  });
  test('wraps past midnight', () => {
    expect(parseSnapshotWindow('23:30-00:30')).toEqual({ startMinute: 1410, endMinute: 30, durationMinutes: 60 });
  });
  test('same start and end is zero minutes', () => {
    expect(parseSnapshotWindow('04:00-04:00')?.durationMinutes).toBe(0);
  });
  test.each(['5:00-06:00', '05:00-24:00', '05:60-07:00', '05:00_06:00', 'sun:05:00-sun:06:00', '', ' 05:00-06:00'])('rejects %p', (w) => {
    expect(parseSnapshotWindow(w)).toBeUndefined();
  });
});

describe('parseMaintenanceWindow', () => {
  test('minutes after Sunday 00:00', () => {
    expect(parseMaintenanceWindow('sun:23:00-mon:01:30')).toEqual({ startMinute: 1380, endMinute: 1530, durationMinutes: 150 });
  });
  test('wraps the week', () => {
    const w = parseMaintenanceWindow('sat:23:00-sun:01:00');
    expect(w).toEqual({ startMinute: 6 * 1440 + 1380, endMinute: 60, durationMinutes: 120 });
  });
  test('accepts any case', () => {
    expect(parseMaintenanceWindow('SUN:05:00-Sun:06:00')?.durationMinutes).toBe(60);
  });
  test.each(['sun:05:00-06:00', 'sunday:05:00-sunday:06:00', 'xyz:05:00-sun:06:00', 'sun:25:00-sun:26:00', 'sun:05:00-mon:05:61'])('rejects %p', (w) => {
    expect(parseMaintenanceWindow(w)).toBeUndefined();
  });
});

describe('formatting and scheduling helpers', () => {
  test('format round-trips', () => {
    expect(formatSnapshotWindow(1410, 60)).toBe('23:30-00:30');
    expect(formatMaintenanceWindow(6 * 1440 + 1380, 120)).toBe('sat:23:00-sun:01:00');
  });
  test('minuteOfWeek and window membership', () => {
    const sundayLate = new Date(Date.UTC(2024, 0, 7, 23, 30)); // 2024-01-07 is a Sunday
    expect(minuteOfWeek(sundayLate)).toBe(1410);
    const snap = parseSnapshotWindow('23:00-00:30')!;
    expect(isInSnapshotWindow(snap, sundayLate)).toBe(true);
    expect(isInSnapshotWindow(snap, new Date(Date.UTC(2024, 0, 8, 0, 30)))).toBe(false); // end exclusive
    const maint = parseMaintenanceWindow('sat:23:00-sun:01:00')!;
    expect(isInMaintenanceWindow(maint, new Date(Date.UTC(2024, 0, 7, 0, 15)))).toBe(true);
    expect(isInMaintenanceWindow(maint, new Date(Date.UTC(2024, 0, 6, 22, 59)))).toBe(false);
  });
  test('next window start', () => {
    const from = new Date(Date.UTC(2024, 0, 10, 12, 0, 30)); // Wednesday 12:00:30
    expect(nextSnapshotWindowStart(parseSnapshotWindow('05:00-06:00')!, from).toISOString()).toBe('2024-01-11T05:00:00.000Z');
    expect(nextSnapshotWindowStart(parseSnapshotWindow('13:00-14:00')!, from).toISOString()).toBe('2024-01-10T13:00:00.000Z');
    expect(nextMaintenanceWindowStart(parseMaintenanceWindow('sun:23:00-mon:01:30')!, from).toISOString()).toBe('2024-01-14T23:00:00.000Z');
    const exact = new Date(Date.UTC(2024, 0, 14, 23, 0));
    expect(nextMaintenanceWindowStart(parseMaintenanceWindow('sun:23:00-mon:01:30')!, exact).toISOString()).toBe('2024-01-14T23:00:00.000Z');
  });
});

describe('B1 snapshot retention', () => {
  test.each([0, 1, 7, 35, undefined])('accepts %p', (v) => {
    expect(validateSnapshotRetentionLimit(v)).toEqual([]);
  });
  test.each([-1, 36, 1.5, NaN])('rejects %p', (v) => {
    const out = validateSnapshotRetentionLimit(v);
    expect(rules(out)).toEqual(['B1:error']);
    expect(out[0].property).toBe('snapshotRetentionLimit');
  });
  test('skips a number token', () => {
    expect(validateSnapshotRetentionLimit(NUMBER_TOKEN, TOKEN_CTX)).toEqual([]);
  });
  test('reports under the given property', () => {
    expect(validateSnapshotRetentionLimit(40, undefined, 'backupRetention')[0].property).toBe('backupRetention');
  });
});

describe('B2 snapshot window', () => {
  test.each(['05:00-06:00', '23:30-00:30', '00:00-23:59', '22:00-02:00', undefined])('accepts %p', (w) => {
    expect(validateSnapshotWindow(w)).toEqual([]);
  });
  test('rejects a window shorter than 60 minutes with the ElastiCache message', () => {
    const out = validateSnapshotWindow('05:00-05:59');
    expect(rules(out)).toEqual(['B2:error']);
    expect(out[0].message).toContain('Snapshot window must be at least 60 minutes');
    expect(out[0].fix).toContain('05:00-06:00');
  });
  test('a short window across midnight is still short', () => {
    expect(rules(validateSnapshotWindow('23:30-00:15'))).toEqual(['B2:error']);
  });
  test('start equal to end is rejected', () => {
    expect(rules(validateSnapshotWindow('04:00-04:00'))).toEqual(['B2:error']);
  });
  test.each(['5-6', '05:00', '24:00-01:00', 'mon:05:00-mon:06:00'])('rejects malformed %p', (w) => {
    const out = validateSnapshotWindow(w);
    expect(rules(out)).toEqual(['B2:error']);
    expect(out[0].message).toContain('hh24:mi-hh24:mi');
  });
  test('skips tokens', () => {
    expect(validateSnapshotWindow('${Token[TOKEN.1]}', TOKEN_CTX)).toEqual([]);
  });
});

describe('B3 maintenance window', () => {
  test.each(['sun:05:00-sun:06:00', 'sat:23:00-sun:01:00', 'mon:00:00-tue:00:00', 'fri:22:00-sat:21:00', undefined])('accepts %p', (w) => {
    expect(validateMaintenanceWindow(w)).toEqual([]);
  });
  test('shorter than 60 minutes', () => {
    expect(rules(validateMaintenanceWindow('sun:05:00-sun:05:30'))).toEqual(['B3:error']);
  });
  test('longer than 24 hours', () => {
    const out = validateMaintenanceWindow('mon:00:00-tue:00:01');
    expect(rules(out)).toEqual(['B3:error']);
    expect(out[0].message).toContain('1441 minutes');
  });
  test('wrapping the week counts the short way round', () => {
    // sat 23:00 -> sun 00:30 is 90 minutes, not almost a week
    expect(validateMaintenanceWindow('sat:23:00-sun:00:30')).toEqual([]);
    // sun 01:00 -> sat 23:00 is almost a week
    expect(rules(validateMaintenanceWindow('sun:01:00-sat:23:00'))).toEqual(['B3:error']);
  });
  test('upper case is accepted with a warning that it is stored lower case', () => {
    const out = validateMaintenanceWindow('Sun:05:00-SUN:06:00');
    expect(rules(out)).toEqual(['B3:warning']);
    expect(out[0].message).toContain("'sun:05:00-sun:06:00'");
  });
  test.each(['sun:05:00-06:00', 'sunday:05:00-sunday:06:00', 'abc:05:00-sun:06:00', '05:00-06:00'])('rejects malformed %p', (w) => {
    const out = validateMaintenanceWindow(w);
    expect(rules(out)).toEqual(['B3:error']);
    expect(out[0].message).toContain('ddd:hh24:mi-ddd:hh24:mi');
  });
  test('skips tokens', () => {
    expect(validateMaintenanceWindow('${Token[TOKEN.2]}', TOKEN_CTX)).toEqual([]);
  });
});

describe('B4 snapshot and maintenance windows do not overlap', () => {
  test('overlap on the maintenance day', () => {
    const out = validateWindowsDoNotOverlap('05:00-06:00', 'wed:05:30-wed:06:30');
    expect(rules(out)).toEqual(['B4:error']);
    expect(out[0].message).toContain('The snapshot window and maintenance window must not overlap.');
    expect(out[0].property).toBe('snapshotWindow');
  });
  test('suggests a snapshot window that does not overlap', () => {
    const out = validateWindowsDoNotOverlap('05:00-06:00', 'wed:05:30-wed:06:30');
    expect(out[0].fix).toContain("'07:00-08:00'");
    const s = parseSnapshotWindow('07:00-08:00')!;
    expect(windowsOverlap(s, parseMaintenanceWindow('wed:05:30-wed:06:30')!)).toBe(false);
  });
  test('no overlap at other times of day', () => {
    expect(validateWindowsDoNotOverlap('03:00-04:00', 'wed:05:30-wed:06:30')).toEqual([]);
  });
  test('touching windows do not overlap', () => {
    expect(validateWindowsDoNotOverlap('04:00-05:00', 'sun:05:00-sun:06:00')).toEqual([]);
    expect(validateWindowsDoNotOverlap('06:00-07:00', 'sun:05:00-sun:06:00')).toEqual([]);
  });
  test('snapshot window past midnight overlaps a maintenance window early in the day', () => {
    expect(rules(validateWindowsDoNotOverlap('23:30-00:30', 'tue:00:00-tue:01:00'))).toEqual(['B4:error']);
  });
  test('maintenance window past midnight overlaps a snapshot window on the next day', () => {
    expect(rules(validateWindowsDoNotOverlap('00:30-01:30', 'mon:23:00-tue:01:00'))).toEqual(['B4:error']);
  });
  test('maintenance window wrapping the week overlaps on Sunday', () => {
    expect(rules(validateWindowsDoNotOverlap('00:00-01:00', 'sat:23:30-sun:00:30'))).toEqual(['B4:error']);
  });
  test('a long maintenance window leaves the rest of the day', () => {
    // 22 hours of maintenance: sun 02:00 -> mon 00:00 covers 02:00-24:00 of the day
    expect(validateWindowsDoNotOverlap('00:00-02:00', 'sun:02:00-mon:00:00')).toEqual([]);
    const out = validateWindowsDoNotOverlap('01:00-02:30', 'sun:02:00-mon:00:00');
    expect(rules(out)).toEqual(['B4:error']);
    expect(out[0].fix).toContain("'00:00-01:30'");
    // 150 minutes do not fit in the 120 free minutes
    const none = validateWindowsDoNotOverlap('01:00-03:30', 'sun:02:00-mon:00:00');
    expect(none[0].fix).toContain('shorten or move the maintenance window');
  });
  test('24-hour maintenance window overlaps every snapshot window', () => {
    expect(rules(validateWindowsDoNotOverlap('12:00-13:00', 'thu:00:00-fri:00:00'))).toEqual(['B4:error']);
    expect(suggestSnapshotWindow(parseMaintenanceWindow('thu:00:00-fri:00:00')!, 60)).toBeUndefined();
  });
  test('suggestion is at the end of the maintenance window when the next full hour does not fit', () => {
    // maintenance covers 00:30 .. 23:00 (22.5 h); free 23:00 .. 00:30 (90 min)
    const m = parseMaintenanceWindow('mon:00:30-mon:23:00')!;
    expect(suggestSnapshotWindow(m, 60)).toBe('23:00-00:00');
    const m2 = parseMaintenanceWindow('mon:00:40-mon:22:50')!; // free 22:50 .. 00:40 (110 min)
    expect(suggestSnapshotWindow(m2, 90)).toBe('23:00-00:30');
    expect(suggestSnapshotWindow(m2, 105)).toBe('22:50-00:35');
    expect(suggestSnapshotWindow(m2, 111)).toBeUndefined();
  });
  test('skipped when a window is unset, a token or malformed', () => {
    expect(validateWindowsDoNotOverlap(undefined, 'sun:05:00-sun:06:00')).toEqual([]);
    expect(validateWindowsDoNotOverlap('05:00-06:00', undefined)).toEqual([]);
    expect(validateWindowsDoNotOverlap('${Token[X]}', 'sun:05:00-sun:06:00', TOKEN_CTX)).toEqual([]);
    expect(validateWindowsDoNotOverlap('bad', 'sun:05:00-sun:06:00')).toEqual([]);
  });
  test('overlap is found on every day of the week', () => {
    for (const d of ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']) {
      expect(windowsOverlap(parseSnapshotWindow('10:00-11:00')!, parseMaintenanceWindow(`${d}:10:30-${d}:11:30`)!)).toBe(true);
    }
  });
});

describe('windowsOverlap agrees with a minute-by-minute check', () => {
  // deterministic pseudo-random windows (LCG), compared with an explicit set of occupied minutes
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const occupied = (start: number, duration: number, period: number, repeat: number) => {
    const set = new Set<number>();
    for (let r = 0; r < repeat; r++) {
      for (let i = 0; i < duration; i++) set.add((r * period + start + i) % (7 * 1440));
    }
    return set;
  };
  test('200 random pairs', () => {
    for (let i = 0; i < 200; i++) {
      const s = { startMinute: rand(1440), durationMinutes: 60 + rand(600) };
      const m = { startMinute: rand(7 * 1440), durationMinutes: 60 + rand(1381) };
      const snap = { ...s, endMinute: (s.startMinute + s.durationMinutes) % 1440 };
      const maint = { ...m, endMinute: (m.startMinute + m.durationMinutes) % (7 * 1440) };
      const a = occupied(s.startMinute, s.durationMinutes, 1440, 7);
      const b = occupied(m.startMinute, m.durationMinutes, 0, 1);
      const expected = [...a].some((x) => b.has(x));
      expect(windowsOverlap(snap, maint)).toBe(expected);
      if (expected) {
        const suggestion = suggestSnapshotWindow(maint, s.durationMinutes);
        if (suggestion) expect(windowsOverlap(parseSnapshotWindow(suggestion)!, maint)).toBe(false);
      }
    }
  });
});
