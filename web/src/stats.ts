// Per-day posture statistics (B/stats, stats/get) and the series the history chart draws.
import { isObject, num, parseJsonObject, type JsonObject } from './json';
import { isValidDate } from './schedule';

export interface DayStats {
  date: string;
  sit_s: number;
  stand_s: number;
  transitions: number;
  auto_moves: number;
  declined: number;
  snoozed: number;
  longest_sit_s: number;
}

/** Reads {"days":[DayStats...]} (payload text or a response's data); invalid days are dropped. */
export function decodeStats(input: string | Uint8Array | JsonObject): DayStats[] | null {
  const o = typeof input === 'string' || input instanceof Uint8Array ? parseJsonObject(input) : input;
  if (!o || !Array.isArray(o['days'])) return null;
  const out: DayStats[] = [];
  for (const d of o['days']) {
    if (!isObject(d) || typeof d['date'] !== 'string' || !isValidDate(d['date'])) continue;
    out.push({
      date: d['date'],
      sit_s: Math.max(0, num(d, 'sit_s', 0)),
      stand_s: Math.max(0, num(d, 'stand_s', 0)),
      transitions: Math.max(0, num(d, 'transitions', 0)),
      auto_moves: Math.max(0, num(d, 'auto_moves', 0)),
      declined: Math.max(0, num(d, 'declined', 0)),
      snoozed: Math.max(0, num(d, 'snoozed', 0)),
      longest_sit_s: Math.max(0, num(d, 'longest_sit_s', 0)),
    });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** "YYYY-MM-DD" shifted by n calendar days. */
export function addDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

const zoneDateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date of an instant in a time zone (default: the user's), as YYYY-MM-DD. The user's
 * zone takes Date's local fields (no Intl object: building one costs 1-3 ms on a cold page);
 * another zone's formatter is built once.
 */
export function localIsoDate(ms: number, timeZone?: string): string {
  if (timeZone === undefined) {
    const d = new Date(ms);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${String(d.getFullYear()).padStart(4, '0')}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  }
  let f = zoneDateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    zoneDateFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export interface SeriesDay {
  date: string;
  sit_s: number;
  stand_s: number;
  transitions: number;
  longest_sit_s: number;
}

export interface LiveToday {
  date: string;
  sit_s: number;
  stand_s: number;
  transitions: number;
  longest_sit_s: number;
}

/**
 * Exactly `count` consecutive days ending at `endDate`, oldest first; days without statistics
 * are zero. `live` (today's totals from B/state) wins over an older stats entry for its date.
 */
export function buildDailySeries(
  days: readonly DayStats[],
  count: number,
  endDate: string,
  live?: LiveToday,
): SeriesDay[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const out: SeriesDay[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const date = addDays(endDate, -i);
    const d = byDate.get(date);
    const day: SeriesDay = {
      date,
      sit_s: d?.sit_s ?? 0,
      stand_s: d?.stand_s ?? 0,
      transitions: d?.transitions ?? 0,
      longest_sit_s: d?.longest_sit_s ?? 0,
    };
    if (live && live.date === date) {
      day.sit_s = Math.max(day.sit_s, live.sit_s);
      day.stand_s = Math.max(day.stand_s, live.stand_s);
      day.transitions = Math.max(day.transitions, live.transitions);
      day.longest_sit_s = Math.max(day.longest_sit_s, live.longest_sit_s);
    }
    out.push(day);
  }
  return out;
}

/** The chart's last day: the later of the user's today and the newest statistics day. */
export function seriesEndDate(days: readonly DayStats[], today: string): string {
  const newest = days.length > 0 ? days[days.length - 1].date : today;
  return newest > today ? newest : today;
}

export interface Scale {
  /** Top of the axis, seconds. */
  max_s: number;
  /** Tick values from 0 to max_s inclusive, seconds. */
  ticks_s: number[];
}

const STEPS_MIN = [5, 10, 15, 30, 60, 120, 180, 240, 360, 480];

/** A y axis in whole, readable minute steps covering `maxSeconds` with at most 5 intervals. */
export function chartScale(maxSeconds: number): Scale {
  const maxMin = Math.max(maxSeconds / 60, 1);
  const step = STEPS_MIN.find((s) => maxMin / s <= 5) ?? Math.ceil(maxMin / 5 / 60) * 60;
  const n = Math.max(1, Math.ceil(maxMin / step));
  const ticks = Array.from({ length: n + 1 }, (_, i) => i * step * 60);
  return { max_s: n * step * 60, ticks_s: ticks };
}

export interface Bar {
  date: string;
  x: number;
  width: number;
  /** Sitting part, drawn at the bottom. */
  sit: { y: number; height: number };
  /** Standing part, stacked on top. */
  stand: { y: number; height: number };
}

/** Stacked bars for `series` in a plot box of the given size (y grows downwards). */
export function layoutBars(
  series: readonly SeriesDay[],
  scale: Scale,
  plot: { x: number; y: number; width: number; height: number },
): Bar[] {
  const slot = plot.width / Math.max(series.length, 1);
  const width = Math.max(1, slot * 0.7);
  const k = scale.max_s > 0 ? plot.height / scale.max_s : 0;
  const bottom = plot.y + plot.height;
  return series.map((d, i) => {
    const sitH = d.sit_s * k;
    const standH = d.stand_s * k;
    return {
      date: d.date,
      x: plot.x + i * slot + (slot - width) / 2,
      width,
      sit: { y: bottom - sitH, height: sitH },
      stand: { y: bottom - sitH - standH, height: standH },
    };
  });
}

export interface Totals {
  sit_s: number;
  stand_s: number;
  /** Share of standing in tracked time, 0..1, or null with no tracked time. */
  stand_share: number | null;
  days_with_data: number;
}

export function seriesTotals(series: readonly SeriesDay[]): Totals {
  let sit = 0;
  let stand = 0;
  let withData = 0;
  for (const d of series) {
    sit += d.sit_s;
    stand += d.stand_s;
    if (d.sit_s + d.stand_s > 0) withData++;
  }
  return {
    sit_s: sit,
    stand_s: stand,
    stand_share: standShare(sit, stand),
    days_with_data: withData,
  };
}

/**
 * The room the chart's value axis needs left of the plot for `labels` at 11 px (about 6.2 px a
 * character, plus the 6 px gap), at least 48: "1 hr 30 min" must not be clipped to "30 min".
 */
export function axisLabelRoom(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  return Math.max(48, Math.ceil(longest * 6.2) + 10);
}

/** The words under the history chart and the progress card: one definition for both (and deskd's B/progress). */
export const SHARE_DEFINITION = 'Standing share: standing time ÷ time at the desk (sitting + standing).';

/** What the progress card's "Changes 24 · 1.2/h" means. */
export const CHANGES_DEFINITION = 'Changes: switches between sitting and standing, and how many per working hour (/h).';

/**
 * Standing share, the one definition the page uses (stated under the history chart and the
 * progress card): standing time over the time spent at the desk, sitting or standing.
 */
export function standShare(sitS: number, standS: number): number | null {
  const total = sitS + standS;
  return total > 0 ? standS / total : null;
}

/** Days of both lists, one per date, oldest first; `newer` wins for a date in both. */
export function mergeStats(older: readonly DayStats[] | null, newer: readonly DayStats[] | null): DayStats[] {
  const byDate = new Map<string, DayStats>();
  for (const d of older ?? []) byDate.set(d.date, d);
  for (const d of newer ?? []) byDate.set(d.date, d);
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The oldest date the stored days reach back to, or null without any. */
export function oldestDate(days: readonly DayStats[]): string | null {
  return days.length > 0 ? days[0].date : null;
}

const CSV_HEADER = 'date,sitting_minutes,standing_minutes,standing_share_percent,changes,longest_sit_minutes';

/**
 * The series as CSV (numbers and ISO dates only, so no cell can be read as a formula), oldest
 * first; days without any sitting or standing are left out.
 */
export function statsCsv(series: readonly SeriesDay[]): string {
  const min = (s: number) => (s / 60).toFixed(1);
  const rows = series
    .filter((d) => d.sit_s + d.stand_s > 0)
    .map((d) => {
      const share = standShare(d.sit_s, d.stand_s);
      return [d.date, min(d.sit_s), min(d.stand_s), share === null ? '' : (share * 100).toFixed(1), String(d.transitions),
        min(d.longest_sit_s)].join(',');
    });
  return [CSV_HEADER, ...rows].join('\r\n') + '\r\n';
}
