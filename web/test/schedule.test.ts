import { describe, expect, it } from 'vitest';
import {
  decodePreview,
  decodeSchedule,
  defaultSchedule,
  isValidDate,
  parseIntField,
  parseWindow,
  schedulePatch,
  splitList,
  splitWindows,
  validateSchedule,
  type ScheduleDoc,
} from '../src/schedule';

function doc(change: (d: ScheduleDoc) => void): ScheduleDoc {
  const d = defaultSchedule();
  d.windows.mon = ['09:00-12:00', '13:00-17:30'];
  change(d);
  return d;
}

describe('validateSchedule', () => {
  it('accepts the default schedule with working windows', () => {
    expect(validateSchedule(doc(() => {}))).toBeNull();
  });

  it('bounds sit and stand minutes to 5..240 with the server wording', () => {
    expect(validateSchedule(doc((d) => (d.sit_minutes = 4)))).toBe('sit_minutes: must be between 5 and 240, got 4');
    expect(validateSchedule(doc((d) => (d.sit_minutes = 5)))).toBeNull();
    expect(validateSchedule(doc((d) => (d.stand_minutes = 240)))).toBeNull();
    expect(validateSchedule(doc((d) => (d.stand_minutes = 241)))).toBe('stand_minutes: must be between 5 and 240, got 241');
  });

  it('refuses fractional minutes', () => {
    expect(validateSchedule(doc((d) => (d.sit_minutes = 30.5)))).toBe('sit_minutes: must be a whole number');
  });

  it('bounds warning, snooze and daily move cap', () => {
    expect(validateSchedule(doc((d) => (d.warn_seconds = 601)))).toMatch(/^warn_seconds:/);
    expect(validateSchedule(doc((d) => (d.snooze_minutes = 0)))).toMatch(/^snooze_minutes:/);
    expect(validateSchedule(doc((d) => (d.max_auto_moves_per_day = 101)))).toMatch(/^max_auto_moves_per_day:/);
    expect(validateSchedule(doc((d) => (d.busy_max_defer_minutes = 481)))).toMatch(/^busy_max_defer_minutes:/);
    expect(validateSchedule(doc((d) => (d.busy_max_defer_minutes = 0)))).toBeNull();
    expect(validateSchedule(doc((d) => (d.break_wait_minutes = 61)))).toMatch(/^break_wait_minutes:/);
    expect(validateSchedule(doc((d) => (d.break_idle_seconds = 9)))).toMatch(/^break_idle_seconds:/);
    expect(validateSchedule(doc((d) => (d.break_wait_minutes = 0)))).toBeNull();
    expect(validateSchedule(doc((d) => { d.breaks.enabled = true; d.breaks.every_minutes = 10; d.breaks.duration_minutes = 30; })))
      .toBe('breaks.duration_minutes: must be shorter than every_minutes');
    expect(validateSchedule(doc((d) => (d.max_skips_per_day = 51)))).toMatch(/^max_skips_per_day:/);
  });

  it('refuses reversed, empty and malformed windows, naming the day', () => {
    expect(validateSchedule(doc((d) => (d.windows.tue = ['12:00-09:00'])))).toMatch(/^tue: window 12:00-09:00/);
    expect(validateSchedule(doc((d) => (d.windows.tue = ['09:00-09:00'])))).toMatch(/^tue:/);
    expect(validateSchedule(doc((d) => (d.windows.wed = ['9:00-12:00'])))).toMatch(/^wed:/);
    expect(validateSchedule(doc((d) => (d.windows.wed = ['09:60-12:00'])))).toMatch(/^wed:/);
  });

  it('refuses overlapping windows whatever their order', () => {
    expect(validateSchedule(doc((d) => (d.windows.fri = ['13:00-17:00', '09:00-13:30'])))).toBe(
      'fri: windows 09:00-13:30 and 13:00-17:00 overlap',
    );
  });

  it('accepts touching windows and a window ending at 24:00', () => {
    expect(validateSchedule(doc((d) => (d.windows.sat = ['00:00-12:00', '12:00-24:00'])))).toBeNull();
    expect(validateSchedule(doc((d) => (d.windows.sat = ['20:00-24:01'])))).toMatch(/^sat:/);
  });

  it('refuses skip dates that are not real YYYY-MM-DD dates', () => {
    expect(validateSchedule(doc((d) => (d.skip_dates = ['2026-12-24'])))).toBeNull();
    expect(validateSchedule(doc((d) => (d.skip_dates = ['2026-02-30'])))).toMatch(/^skip_dates: invalid date 2026-02-30/);
    expect(validateSchedule(doc((d) => (d.skip_dates = ['24.12.2026'])))).toMatch(/^skip_dates:/);
  });

  it('checks progression only when it is enabled', () => {
    expect(validateSchedule(doc((d) => (d.progression.step_minutes = 0)))).toBeNull();
    expect(validateSchedule(doc((d) => {
      d.progression.enabled = true;
      d.progression.step_minutes = 0;
    }))).toMatch(/^progression\.step_minutes:/);
    expect(validateSchedule(doc((d) => {
      d.progression.enabled = true;
      d.progression.start_minutes = 30;
      d.progression.target_minutes = 20;
    }))).toBe('progression.start_minutes: must not exceed target_minutes');
  });

  it('checks breaks only when they are enabled', () => {
    expect(validateSchedule(doc((d) => (d.breaks.every_minutes = 5)))).toBeNull();
    expect(validateSchedule(doc((d) => {
      d.breaks.enabled = true;
      d.breaks.every_minutes = 5;
    }))).toMatch(/^breaks\.every_minutes:/);
  });
});

describe('parseWindow and isValidDate', () => {
  it('parses HH:MM-HH:MM into minutes', () => {
    expect(parseWindow('09:00-12:30')).toEqual({ start: 540, end: 750 });
    expect(parseWindow('00:00-24:00')).toEqual({ start: 0, end: 1440 });
    expect(parseWindow('25:00-26:00')).toBeNull();
  });
  it('knows leap years', () => {
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('1969-12-31')).toBe(false);
  });
});

describe('form helpers', () => {
  it('splits lists on commas, spaces and new lines', () => {
    expect(splitList(' 09:00-12:00,13:00-17:30\n18:00-19:00 ')).toEqual(['09:00-12:00', '13:00-17:30', '18:00-19:00']);
    expect(splitList('   ')).toEqual([]);
  });
  it('reads whole numbers only', () => {
    expect(parseIntField(' 30 ')).toBe(30);
    expect(parseIntField('3.5')).toBeNull();
    expect(parseIntField('')).toBeNull();
    expect(parseIntField('1e3')).toBeNull();
  });
});

describe('splitWindows', () => {
  it('reads windows as people type them', () => {
    expect(splitWindows('9:00-17:00')).toEqual(['09:00-17:00']);
    expect(splitWindows('09:00 - 12:00, 13:00 – 17:30')).toEqual(['09:00-12:00', '13:00-17:30']);
    expect(splitWindows('8:30-9:45\n14:00-18:00')).toEqual(['08:30-09:45', '14:00-18:00']);
    expect(splitWindows('after lunch')).toEqual(['after', 'lunch']);  // kept for validation to name
  });
});

describe('decodeSchedule', () => {
  it('reads the agreed document', () => {
    const s = decodeSchedule(JSON.stringify({
      enabled: true, mode: 'confirm', sit_minutes: 25, stand_minutes: 15, warn_seconds: 30, snooze_minutes: 10,
      nudge: true, max_auto_moves_per_day: 16, require_time_sync: true, busy_max_defer_minutes: 45,
      break_wait_minutes: 5, break_idle_seconds: 90,
      windows: { mon: ['09:00-12:00'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      skip_dates: ['2026-12-24'],
      progression: { enabled: true, start_minutes: 5, step_minutes: 5, period_days: 7, target_minutes: 20, start_date: '2026-11-01' },
      breaks: { enabled: true, every_minutes: 60, duration_minutes: 5 },
    }))!;
    expect(s.mode).toBe('confirm');
    expect(s.sit_minutes).toBe(25);
    expect(s.busy_max_defer_minutes).toBe(45);
    expect(s.break_wait_minutes).toBe(5);
    expect(s.break_idle_seconds).toBe(90);
    expect(s.windows.mon).toEqual(['09:00-12:00']);
    expect(s.progression.start_date).toBe('2026-11-01');
    expect(s.breaks.enabled).toBe(true);
  });
  it('fills missing parts from the defaults', () => {
    const s = decodeSchedule('{"sit_minutes":40}')!;
    expect(s.sit_minutes).toBe(40);
    expect(s.windows.sun).toEqual([]);
    expect(s.progression.start_date).toBeNull();
  });
});

describe('schedulePatch', () => {
  it('sends only the fields that changed', () => {
    const a = doc(() => {});
    const b = doc((d) => {
      d.sit_minutes = 45;
      d.windows.tue = ['10:00-11:00'];
      d.breaks.enabled = true;
    });
    expect(schedulePatch(a, b)).toEqual({
      sit_minutes: 45,
      windows: { tue: ['10:00-11:00'] },
      breaks: { enabled: true, every_minutes: 60, duration_minutes: 5, ask_walked: false },
    });
  });
  it('is empty when nothing changed', () => {
    expect(schedulePatch(doc(() => {}), doc(() => {}))).toEqual({});
  });
  it('sends the comfort check-in setting when it changed', () => {
    expect(schedulePatch(doc(() => {}), doc((d) => { d.comfort_checkin = 'daily'; }))).toEqual({ comfort_checkin: 'daily' });
  });
});

describe('decodePreview', () => {
  it('reads changes in time order and drops bad entries', () => {
    const p = decodePreview({ changes: [
      { at: '2026-11-23T10:00:00+01:00', posture: 'standing' },
      { at: 'soon', posture: 'sitting' },
      { at: '2026-11-23T09:30:00+01:00', posture: 'sitting' },
    ] });
    expect(p.map((c) => c.posture)).toEqual(['sitting', 'standing']);
  });
  it('reads anything else as no changes', () => {
    expect(decodePreview(null)).toEqual([]);
    expect(decodePreview({ changes: 'x' })).toEqual([]);
  });
});
