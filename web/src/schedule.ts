// The schedule document (B/schedule, schedule/set) and its validation. The rules and messages
// mirror deskd's core::validate (daemon/src/core/schedule_settings.cpp) so the page can refuse a
// bad edit before sending it; the server stays the authority.
import { COMFORT_CHECKINS, type ComfortCheckin } from './comfort';
import { MODES, type Mode } from './desk_state';
import { bool, isObject, num, oneOf, parseJsonObject, type JsonObject } from './json';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Progression {
  enabled: boolean;
  start_minutes: number;
  step_minutes: number;
  period_days: number;
  target_minutes: number;
  start_date: string | null;
}

export interface Breaks {
  enabled: boolean;
  every_minutes: number;
  duration_minutes: number;
  /** After each break, ask "Did you walk?" (yes/no, counted). */
  ask_walked: boolean;
}

export interface ScheduleDoc {
  enabled: boolean;
  mode: Mode;
  sit_minutes: number;
  stand_minutes: number;
  warn_seconds: number;
  snooze_minutes: number;
  nudge: boolean;
  max_auto_moves_per_day: number;
  max_skips_per_day: number;
  require_time_sync: boolean;
  busy_max_defer_minutes: number;
  break_wait_minutes: number;
  break_idle_seconds: number;
  /** When to ask "How does your back feel? 1–5" (issue 24 §3). */
  comfort_checkin: ComfortCheckin;
  windows: Record<Weekday, string[]>;
  skip_dates: string[];
  progression: Progression;
  breaks: Breaks;
}

export function defaultSchedule(): ScheduleDoc {
  return {
    enabled: true,
    mode: 'auto',
    sit_minutes: 30,
    stand_minutes: 20,
    warn_seconds: 30,
    snooze_minutes: 10,
    nudge: false,
    max_auto_moves_per_day: 16,
    max_skips_per_day: 0,
    require_time_sync: true,
    busy_max_defer_minutes: 60,
    break_wait_minutes: 10,
    break_idle_seconds: 60,
    comfort_checkin: 'off',
    windows: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    skip_dates: [],
    progression: {
      enabled: false,
      start_minutes: 5,
      step_minutes: 5,
      period_days: 7,
      target_minutes: 20,
      start_date: null,
    },
    breaks: { enabled: false, every_minutes: 60, duration_minutes: 5, ask_walked: false },
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Reads a schedule document (B/schedule, or a response's data); null if not an object. */
export function decodeSchedule(input: string | Uint8Array | JsonObject): ScheduleDoc | null {
  const o = typeof input === 'string' || input instanceof Uint8Array ? parseJsonObject(input) : input;
  if (!o) return null;
  const d = defaultSchedule();
  const w = isObject(o['windows']) ? o['windows'] : {};
  const windows = { ...d.windows };
  for (const day of WEEKDAYS) windows[day] = strings(w[day]);
  const p = isObject(o['progression']) ? o['progression'] : {};
  const b = isObject(o['breaks']) ? o['breaks'] : {};
  const startDate = p['start_date'];
  return {
    enabled: bool(o, 'enabled', d.enabled),
    mode: oneOf(o, 'mode', MODES, d.mode),
    sit_minutes: num(o, 'sit_minutes', d.sit_minutes),
    stand_minutes: num(o, 'stand_minutes', d.stand_minutes),
    warn_seconds: num(o, 'warn_seconds', d.warn_seconds),
    snooze_minutes: num(o, 'snooze_minutes', d.snooze_minutes),
    nudge: bool(o, 'nudge', d.nudge),
    max_auto_moves_per_day: num(o, 'max_auto_moves_per_day', d.max_auto_moves_per_day),
    max_skips_per_day: num(o, 'max_skips_per_day', d.max_skips_per_day),
    require_time_sync: bool(o, 'require_time_sync', d.require_time_sync),
    busy_max_defer_minutes: num(o, 'busy_max_defer_minutes', d.busy_max_defer_minutes),
    break_wait_minutes: num(o, 'break_wait_minutes', d.break_wait_minutes),
    break_idle_seconds: num(o, 'break_idle_seconds', d.break_idle_seconds),
    comfort_checkin: oneOf(o, 'comfort_checkin', COMFORT_CHECKINS, d.comfort_checkin),
    windows,
    skip_dates: strings(o['skip_dates']),
    progression: {
      enabled: bool(p, 'enabled', d.progression.enabled),
      start_minutes: num(p, 'start_minutes', d.progression.start_minutes),
      step_minutes: num(p, 'step_minutes', d.progression.step_minutes),
      period_days: num(p, 'period_days', d.progression.period_days),
      target_minutes: num(p, 'target_minutes', d.progression.target_minutes),
      start_date: typeof startDate === 'string' ? startDate : null,
    },
    breaks: {
      enabled: bool(b, 'enabled', d.breaks.enabled),
      every_minutes: num(b, 'every_minutes', d.breaks.every_minutes),
      duration_minutes: num(b, 'duration_minutes', d.breaks.duration_minutes),
      ask_walked: bool(b, 'ask_walked', d.breaks.ask_walked),
    },
  };
}

/** "HH:MM" -> minutes since midnight (00:00..24:00), else null. */
export function parseHhmm(t: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min >= 60 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

export interface Window {
  start: number;
  end: number;
}

/** "09:00-12:00" -> window; null when malformed, reversed or empty. */
export function parseWindow(text: string): Window | null {
  if (text.length !== 11 || text[5] !== '-') return null;
  const start = parseHhmm(text.slice(0, 5));
  const end = parseHhmm(text.slice(6));
  if (start === null || end === null || start >= end) return null;
  return { start, end };
}

function daysInMonth(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && leap ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** True for a real calendar date written YYYY-MM-DD (year >= 1970). */
export function isValidDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function checkRange(field: string, v: number, lo: number, hi: number): string | null {
  if (!Number.isInteger(v)) return `${field}: must be a whole number`;
  if (v < lo || v > hi) return `${field}: must be between ${lo} and ${hi}, got ${v}`;
  return null;
}

/** Null when the document is valid, else "<field>: why" (the server's wording). */
export function validateSchedule(s: ScheduleDoc): string | null {
  const checks: Array<[string, number, number, number]> = [
    ['sit_minutes', s.sit_minutes, 5, 240],
    ['stand_minutes', s.stand_minutes, 5, 240],
    ['warn_seconds', s.warn_seconds, 0, 600],
    ['snooze_minutes', s.snooze_minutes, 1, 240],
    ['max_auto_moves_per_day', s.max_auto_moves_per_day, 0, 100],
    ['max_skips_per_day', s.max_skips_per_day, 0, 50],
    ['busy_max_defer_minutes', s.busy_max_defer_minutes, 0, 480],
    ['break_wait_minutes', s.break_wait_minutes, 0, 60],
    ['break_idle_seconds', s.break_idle_seconds, 10, 1800],
  ];
  for (const [f, v, lo, hi] of checks) {
    const e = checkRange(f, v, lo, hi);
    if (e) return e;
  }
  for (const day of WEEKDAYS) {
    const parsed: Array<Window & { text: string }> = [];
    for (const text of s.windows[day]) {
      const w = parseWindow(text);
      if (!w) return `${day}: window ${text} is malformed, reversed or empty (use HH:MM-HH:MM)`;
      parsed.push({ ...w, text });
    }
    parsed.sort((a, b) => a.start - b.start);
    for (let i = 1; i < parsed.length; i++) {
      if (parsed[i].start < parsed[i - 1].end) {
        return `${day}: windows ${parsed[i - 1].text} and ${parsed[i].text} overlap`;
      }
    }
  }
  for (const d of s.skip_dates) {
    if (!isValidDate(d)) return `skip_dates: invalid date ${d} (use YYYY-MM-DD)`;
  }
  const p = s.progression;
  if (p.start_date !== null && !isValidDate(p.start_date)) {
    return `progression.start_date: invalid date ${p.start_date} (use YYYY-MM-DD)`;
  }
  if (p.enabled) {
    const pc: Array<[string, number, number, number]> = [
      ['progression.start_minutes', p.start_minutes, 1, 240],
      ['progression.step_minutes', p.step_minutes, 1, 120],
      ['progression.period_days', p.period_days, 1, 365],
      ['progression.target_minutes', p.target_minutes, 5, 240],
    ];
    for (const [f, v, lo, hi] of pc) {
      const e = checkRange(f, v, lo, hi);
      if (e) return e;
    }
    if (p.start_minutes > p.target_minutes) {
      return 'progression.start_minutes: must not exceed target_minutes';
    }
  }
  const b = s.breaks;
  if (b.enabled) {
    const e =
      checkRange('breaks.every_minutes', b.every_minutes, 10, 480) ??
      checkRange('breaks.duration_minutes', b.duration_minutes, 1, 60);
    if (e) return e;
    if (b.duration_minutes >= b.every_minutes) {
      return 'breaks.duration_minutes: must be shorter than every_minutes';
    }
  }
  return null;
}

/** Splits a free-text list ("09:00-12:00, 13:00-17:30" or one per line) into its items. */
/**
 * The windows of a day as typed, forgivingly: "9:00-17:00", "09:00 - 17:00" and "09:00–17:00"
 * (an en dash) all read as "09:00-17:00"; separated by commas, semicolons, spaces or new lines.
 * What still does not read as a window is kept as typed, for validation to name.
 */
export function splitWindows(text: string): string[] {
  return splitList(text.replace(/\s*[-–—]\s*/g, '-')).map((t) => {
    const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(t);
    return m ? `${m[1].padStart(2, '0')}:${m[2]}-${m[3].padStart(2, '0')}:${m[4]}` : t;
  });
}

export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** Reads an integer typed in a form field; null for empty or non-integer text. */
export function parseIntField(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return null;
  return Number(t);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The schedule/set payload that turns `before` into `after`: only the changed top-level fields,
 * only the changed weekdays of windows, and whole progression/breaks objects when changed.
 */
export function schedulePatch(before: ScheduleDoc, after: ScheduleDoc): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const scalars = [
    'enabled',
    'mode',
    'sit_minutes',
    'stand_minutes',
    'warn_seconds',
    'snooze_minutes',
    'nudge',
    'max_auto_moves_per_day',
    'max_skips_per_day',
    'require_time_sync',
    'busy_max_defer_minutes',
    'break_wait_minutes',
    'break_idle_seconds',
    'comfort_checkin',
  ] as const;
  for (const k of scalars) {
    if (before[k] !== after[k]) patch[k] = after[k];
  }
  const windows: Record<string, string[]> = {};
  for (const day of WEEKDAYS) {
    if (!sameList(before.windows[day], after.windows[day])) windows[day] = after.windows[day];
  }
  if (Object.keys(windows).length > 0) patch['windows'] = windows;
  if (!sameList(before.skip_dates, after.skip_dates)) patch['skip_dates'] = after.skip_dates;
  if (JSON.stringify(before.progression) !== JSON.stringify(after.progression)) {
    patch['progression'] = { ...after.progression };
  }
  if (JSON.stringify(before.breaks) !== JSON.stringify(after.breaks)) {
    patch['breaks'] = { ...after.breaks };
  }
  return patch;
}

export interface PreviewChange {
  at: number;
  posture: string;
}

/** Reads schedule/preview data {"changes":[{"at","posture"}]} sorted by time. */
export function decodePreview(data: unknown): PreviewChange[] {
  if (!isObject(data) || !Array.isArray(data['changes'])) return [];
  const out: PreviewChange[] = [];
  for (const c of data['changes']) {
    if (!isObject(c) || typeof c['at'] !== 'string' || typeof c['posture'] !== 'string') continue;
    const at = Date.parse(c['at']);
    if (!Number.isNaN(at)) out.push({ at, posture: c['posture'] });
  }
  return out.sort((a, b) => a.at - b.at);
}
