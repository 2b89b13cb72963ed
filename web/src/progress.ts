// B/progress (daemon/src/mqtt/README.md): this week against the same elapsed part of last week,
// the standing-goal streak and the progression's next step. Decoding and formatting, no DOM.
import { comfortMean, comfortText } from './comfort';
import type { Formatter } from './format';
import { bool, isObject, num, numOrNull, parseJsonObject, strOrNull, type JsonObject } from './json';
import { deskOfTopic } from './topics';

export type Trend = 'up' | 'down' | 'flat';
export type DecisionKind = 'advance' | 'hold' | 'step_back';

export interface WeekFigures {
  from: string;
  to: string;
  working_days: number;
  working_s: number;
  stand_s: number;
  stand_share: number | null;
  changes: number;
  changes_per_hour: number | null;
  longest_sit_s: number;
  has_data: boolean;
}

export interface Progress {
  date: string;
  week_start: string;
  this_week: WeekFigures;
  last_week: WeekFigures;
  trend: { stand_share: Trend | null; changes: Trend | null; longest_sit: Trend | null };
  streak: { days: number; today_working: boolean; today_met: boolean; today_goal_s: number; today_stand_s: number; today_minutes: number };
  plan: {
    progression: boolean;
    minutes: number;
    target_minutes: number;
    next: { date: string; minutes: number } | null;
    text: string;
    /** The progression's latest decision and its reason (issue 24 §3); null before one. */
    decision: { kind: DecisionKind; date: string; minutes: number; reason: string } | null;
  };
  /** Comfort check-in answers (1..5): this week's mean against the same part of last week. */
  comfort: { this_week: number | null; last_week: number | null; trend: Trend | null; answers_this_week: number };
  /** The week in plain words, written by deskd (issue 24 §4); '' from an older deskd. */
  summary: { went_well: string; suggestion: string };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function date(o: JsonObject, key: string): string | null {
  const v = strOrNull(o, key);
  return v !== null && ISO_DATE.test(v) ? v : null;
}

function trend(o: JsonObject, key: string): Trend | null {
  const v = o[key];
  return v === 'up' || v === 'down' || v === 'flat' ? v : null;
}

function share(o: JsonObject, key: string): number | null {
  const v = numOrNull(o, key);
  return v !== null && v >= 0 && v <= 1 ? v : null;
}

function week(v: unknown): WeekFigures | null {
  if (!isObject(v)) return null;
  const from = date(v, 'from');
  const to = date(v, 'to');
  if (!from || !to) return null;
  const cph = numOrNull(v, 'changes_per_hour');
  return {
    from,
    to,
    working_days: num(v, 'working_days', 0),
    working_s: num(v, 'working_s', 0),
    stand_s: num(v, 'stand_s', 0),
    stand_share: share(v, 'stand_share'),
    changes: num(v, 'changes', 0),
    changes_per_hour: cph !== null && cph >= 0 ? cph : null,
    longest_sit_s: num(v, 'longest_sit_s', 0),
    has_data: bool(v, 'has_data', false),
  };
}

function decision(v: unknown): Progress['plan']['decision'] {
  if (!isObject(v)) return null;
  const kind = v['kind'];
  const d = date(v, 'date');
  const reason = strOrNull(v, 'reason');
  if ((kind !== 'advance' && kind !== 'hold' && kind !== 'step_back') || !d || reason === null) return null;
  return { kind, date: d, minutes: num(v, 'minutes', 0), reason };
}

/** Decodes a B/progress payload; null when it is not one (the card then shows dashes). */
export function decodeProgress(payload: string | Uint8Array): Progress | null {
  const o = parseJsonObject(payload);
  if (!o) return null;
  const d = date(o, 'date');
  const ws = date(o, 'week_start');
  const tw = week(o['this_week']);
  const lw = week(o['last_week']);
  if (!d || !ws || !tw || !lw) return null;
  const t = isObject(o['trend']) ? o['trend'] : {};
  const s = isObject(o['streak']) ? o['streak'] : {};
  const p = isObject(o['plan']) ? o['plan'] : {};
  const sm = isObject(o['summary']) ? o['summary'] : {};
  const next = isObject(p['next']) ? p['next'] : null;
  const nextDate = next ? date(next, 'date') : null;
  const c = isObject(o['comfort']) ? o['comfort'] : {};
  return {
    date: d,
    week_start: ws,
    this_week: tw,
    last_week: lw,
    trend: { stand_share: trend(t, 'stand_share'), changes: trend(t, 'changes'), longest_sit: trend(t, 'longest_sit') },
    streak: {
      days: Math.max(0, num(s, 'days', 0)),
      today_working: bool(s, 'today_working', false),
      today_met: bool(s, 'today_met', false),
      today_goal_s: num(s, 'today_goal_s', 0),
      today_stand_s: num(s, 'today_stand_s', 0),
      today_minutes: num(s, 'today_minutes', 0),
    },
    plan: {
      progression: bool(p, 'progression', false),
      minutes: num(p, 'minutes', 0),
      target_minutes: num(p, 'target_minutes', 0),
      next: next && nextDate ? { date: nextDate, minutes: num(next, 'minutes', 0) } : null,
      text: strOrNull(p, 'text') ?? '',
      decision: decision(p['decision']),
    },
    comfort: {
      this_week: comfortMean(c['this_week']),
      last_week: comfortMean(c['last_week']),
      trend: trend(c, 'trend'),
      answers_this_week: Math.max(0, num(c, 'answers_this_week', 0)),
    },
    summary: { went_well: strOrNull(sm, 'went_well') ?? '', suggestion: strOrNull(sm, 'suggestion') ?? '' },
  };
}

/** The desk of a `<base>/<id>/progress` topic, else null. */
export function progressDesk(base: string, topic: string): string | null {
  return deskOfTopic(base, topic, 'progress');
}

export type Tone = 'better' | 'worse' | 'same' | 'none';

/** Whether a metric is better when it goes up (standing share, changes) or down (longest sit). */
const UP_IS_BETTER = { stand_share: true, changes: true, longest_sit: false, comfort: true } as const;
export type Metric = keyof typeof UP_IS_BETTER;

export function trendArrow(t: Trend | null): string {
  return t === 'up' ? '↑' : t === 'down' ? '↓' : t === 'flat' ? '→' : '';
}

export function trendTone(metric: Metric, t: Trend | null): Tone {
  if (t === null) return 'none';
  if (t === 'flat') return 'same';
  return (t === 'up') === UP_IS_BETTER[metric] ? 'better' : 'worse';
}

/** A spoken form of the arrow for screen readers. */
export function trendLabel(metric: Metric, t: Trend | null): string {
  if (t === null) return 'no trend yet';
  const tone = trendTone(metric, t);
  const dir = t === 'up' ? 'up' : t === 'down' ? 'down' : 'about the same';
  return tone === 'same' ? 'about the same as last week' : `${dir} on last week (${tone})`;
}

export interface ProgressRow {
  metric: Metric;
  label: string;
  value: string;
  last: string;
  arrow: string;
  tone: Tone;
  sr: string;
}

/** "Mon–Wed" for a span of dates within one week (a single day: "Mon"). */
export function span(fmt: Formatter, from: string, to: string): string {
  return from === to ? fmt.weekday(from) : `${fmt.weekday(from)}–${fmt.weekday(to)}`;
}

function shareText(fmt: Formatter, v: number | null): string {
  return v === null ? '—' : fmt.percent(v);
}

function perHour(v: number | null): string {
  return v === null ? '' : `${v.toFixed(1)}/h`;
}

/** The three compared figures of the card, formatted. */
export function progressRows(fmt: Formatter, p: Progress): ProgressRow[] {
  const tw = p.this_week;
  const lw = p.last_week;
  const row = (metric: Metric, label: string, value: string, last: string): ProgressRow => ({
    metric,
    label,
    value,
    last,
    arrow: trendArrow(trendOf(p, metric)),
    tone: trendTone(metric, trendOf(p, metric)),
    sr: trendLabel(metric, trendOf(p, metric)),
  });
  const changes = (w: WeekFigures) => (w.has_data ? `${fmt.number(w.changes)} · ${perHour(w.changes_per_hour)}`.replace(/ · $/, '') : '—');
  return [
    row('stand_share', 'Standing', shareText(fmt, tw.stand_share), shareText(fmt, lw.stand_share)),
    row('changes', 'Changes', changes(tw), changes(lw)),
    row('longest_sit', 'Longest sit', tw.has_data ? fmt.duration(tw.longest_sit_s) : '—', lw.has_data ? fmt.duration(lw.longest_sit_s) : '—'),
    row('comfort', 'Comfort', comfortText(p.comfort.this_week), comfortText(p.comfort.last_week)),
  ];
}

function trendOf(p: Progress, metric: Metric): Trend | null {
  return metric === 'comfort' ? p.comfort.trend : p.trend[metric];
}

/** Why the progression did what it did last ("holding at 15 min: comfort fell …"), capitalised. */
export function decisionText(p: Progress): string {
  const d = p.plan.decision;
  if (!p.plan.progression || !d) return '';
  return d.reason.charAt(0).toUpperCase() + d.reason.slice(1);
}

/** "Standing goal met 4 days in a row" plus today's part: "Today 45 min of the 2 hr 40 min goal". */
export function streakText(fmt: Formatter, p: Progress): { days: string; today: string } {
  const n = p.streak.days;
  const days = `Standing goal met ${fmt.number(n)} ${n === 1 ? 'day' : 'days'} in a row`;
  if (!p.streak.today_working) return { days, today: 'No standing goal today' };
  const today = p.streak.today_met
    ? `Today's goal met (${fmt.duration(p.streak.today_stand_s)})`
    : `Today ${fmt.duration(p.streak.today_stand_s)} of the ${fmt.duration(p.streak.today_goal_s)} goal`;
  return { days, today };
}

/** What the plan does next, from the data (falls back to deskd's own text). */
export function planText(fmt: Formatter, p: Progress): string {
  const next = p.plan.next;
  if (!next) return p.plan.text || `You stand ${fmt.number(p.plan.minutes)} min each period`;
  const days = Math.round((Date.parse(`${next.date}T00:00:00Z`) - Date.parse(`${p.date}T00:00:00Z`)) / 86_400_000);
  const when = days === 1 ? 'tomorrow' : days > 1 && days < 7 ? fmt.weekdayName((new Date(`${next.date}T00:00:00Z`).getUTCDay() + 6) % 7) : fmt.date(next.date);
  return `From ${when} you stand ${fmt.number(next.minutes)} min each period`;
}
