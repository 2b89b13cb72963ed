// Today's sit/stand timeline, built from the postures the page has seen (with their times) and
// the day's totals from B/state at the moment the page started watching.

import { parseJsonObject } from './json';
import { deskOfTopic } from './topics';

export type TimelinePosture = 'sitting' | 'standing' | 'between' | 'unknown' | 'moving' | 'offline';

export interface Segment {
  posture: TimelinePosture;
  start: number;
  end: number;
}

export interface Timeline {
  /** Local date (YYYY-MM-DD) the timeline belongs to. */
  date: string;
  /** When the page first saw this desk today (epoch ms). */
  first_seen: number;
  /** Seconds sat/stood today before first_seen, from B/state. */
  baseline_sit_s: number;
  baseline_stand_s: number;
  segments: Segment[];
}

export function newTimeline(date: string, now: number, sitS: number, standS: number): Timeline {
  return { date, first_seen: now, baseline_sit_s: sitS, baseline_stand_s: standS, segments: [] };
}

/**
 * Records that the desk is in `posture` at `now`. `continuous` says the page watched without a
 * gap since the previous observation; otherwise the unseen time stays a hole.
 */
export function observe(
  t: Timeline,
  posture: TimelinePosture,
  now: number,
  continuous = true,
): Timeline {
  const segments = t.segments.slice();
  const last = segments[segments.length - 1];
  if (last && now < last.end) return t;
  if (last && continuous) {
    segments[segments.length - 1] = { ...last, end: now };
    if (last.posture !== posture) segments.push({ posture, start: now, end: now });
  } else {
    segments.push({ posture, start: now, end: now });
  }
  return { ...t, segments };
}

/** Seconds per posture over the observed segments. */
export function observedTotals(t: Timeline): Record<TimelinePosture, number> {
  const out: Record<TimelinePosture, number> = {
    sitting: 0,
    standing: 0,
    between: 0,
    unknown: 0,
    moving: 0,
    offline: 0,
  };
  for (const s of t.segments) out[s.posture] += (s.end - s.start) / 1000;
  return out;
}

export interface TimelineBlock {
  kind: TimelinePosture | 'earlier_sitting' | 'earlier_standing';
  /** Fractions of the axis, 0..1. */
  x0: number;
  x1: number;
  start: number;
  end: number;
}

export interface TimelineLayout {
  axis_start: number;
  axis_end: number;
  blocks: TimelineBlock[];
  /** Whole hours (epoch ms) inside the axis, for tick marks. */
  hours: number[];
}

const HOUR = 3_600_000;

/**
 * Lays the timeline out on an axis from a whole hour before the earliest known activity to a
 * whole hour after `now`, clamped to [dayStart, dayEnd]. Time before first_seen is drawn as two
 * "earlier" blocks (sitting, then standing) ending at first_seen, sized from the baseline totals.
 */
export function layoutTimeline(
  t: Timeline,
  dayStart: number,
  dayEnd: number,
  now: number,
): TimelineLayout {
  const baselineMs = (t.baseline_sit_s + t.baseline_stand_s) * 1000;
  const earliest = Math.max(dayStart, t.first_seen - baselineMs);
  const floorHour = (ms: number) => dayStart + Math.floor((ms - dayStart) / HOUR) * HOUR;
  const ceilHour = (ms: number) => dayStart + Math.ceil((ms - dayStart) / HOUR) * HOUR;
  const axisStart = Math.max(dayStart, floorHour(Math.min(earliest, now)));
  let axisEnd = Math.min(dayEnd, ceilHour(Math.max(now, t.first_seen) + 1));
  if (axisEnd - axisStart < 2 * HOUR) axisEnd = Math.min(dayEnd, axisStart + 2 * HOUR);
  const span = Math.max(axisEnd - axisStart, 1);
  const frac = (ms: number) => Math.min(1, Math.max(0, (ms - axisStart) / span));
  const blocks: TimelineBlock[] = [];
  if (baselineMs > 0) {
    const sitStart = Math.max(dayStart, t.first_seen - baselineMs);
    const standStart = Math.max(dayStart, t.first_seen - t.baseline_stand_s * 1000);
    if (standStart > sitStart) {
      blocks.push({ kind: 'earlier_sitting', x0: frac(sitStart), x1: frac(standStart), start: sitStart, end: standStart });
    }
    if (t.first_seen > standStart) {
      blocks.push({ kind: 'earlier_standing', x0: frac(standStart), x1: frac(t.first_seen), start: standStart, end: t.first_seen });
    }
  }
  for (const s of t.segments) {
    const end = Math.min(s.end, dayEnd);
    if (end <= s.start && s.end !== s.start) continue;
    blocks.push({ kind: s.posture, x0: frac(s.start), x1: frac(end), start: s.start, end });
  }
  const hours: number[] = [];
  for (let h = ceilHour(axisStart); h <= axisEnd; h += HOUR) hours.push(h);
  return { axis_start: axisStart, axis_end: axisEnd, blocks, hours };
}

/** deskd's own record of today (B/timeline): each period lasts until the next one starts. */
export interface DeskTimeline {
  date: string;
  periods: { start: number; posture: TimelinePosture }[];
}

const DESK_POSTURES: readonly string[] = ['sitting', 'standing', 'between', 'unknown'];
const MAX_DESK_PERIODS = 2000;

/** Decodes a B/timeline payload; null for anything that is not one (nothing is half-taken). */
export function decodeDeskTimeline(payload: string | Uint8Array): DeskTimeline | null {
  const o = parseJsonObject(payload);
  if (!o) return null;
  const { date, periods } = o;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  if (!Array.isArray(periods) || periods.length > MAX_DESK_PERIODS) return null;
  const out: DeskTimeline['periods'] = [];
  for (const p of periods) {
    if (typeof p !== 'object' || p === null) return null;
    const { start, posture } = p as { start?: unknown; posture?: unknown };
    const ms = typeof start === 'string' ? Date.parse(start) : NaN;
    if (Number.isNaN(ms) || typeof posture !== 'string' || !DESK_POSTURES.includes(posture)) return null;
    if (out.length > 0 && ms < out[out.length - 1].start) return null;
    out.push({ start: ms, posture: posture as TimelinePosture });
  }
  return { date, periods: out };
}

/**
 * The timeline to draw from deskd's record: its periods, the last one running until `end` (the
 * desk's clock now, or when it was last heard of if it went offline). Nothing before the first
 * period is guessed from totals: deskd was not running then.
 */
export function timelineFromDesk(d: DeskTimeline, end: number): Timeline {
  const segments: Segment[] = d.periods.map((p, i) => {
    const next = i + 1 < d.periods.length ? d.periods[i + 1].start : Math.max(end, p.start);
    return { posture: p.posture, start: p.start, end: next };
  });
  const first = d.periods.length > 0 ? d.periods[0].start : end;
  return { date: d.date, first_seen: first, baseline_sit_s: 0, baseline_stand_s: 0, segments };
}

/** The timeline topic's desk id (B/timeline), or null for another topic. */
export function timelineDesk(base: string, topic: string): string | null {
  return deskOfTopic(base, topic, 'timeline');
}
