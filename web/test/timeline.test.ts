import { describe, expect, it } from 'vitest';
import { decodeDeskTimeline, layoutTimeline, newTimeline, observe, observedTotals, timelineDesk, timelineFromDesk } from '../src/timeline';

const H = 3_600_000;
const day0 = Date.UTC(2026, 10, 22);

describe('observe', () => {
  it('extends the current segment while the posture stays', () => {
    let t = newTimeline('2026-11-22', day0 + 9 * H, 0, 0);
    t = observe(t, 'sitting', day0 + 9 * H);
    t = observe(t, 'sitting', day0 + 9.5 * H);
    expect(t.segments).toEqual([{ posture: 'sitting', start: day0 + 9 * H, end: day0 + 9.5 * H }]);
  });

  it('starts a new segment when the posture changes', () => {
    let t = newTimeline('2026-11-22', day0 + 9 * H, 0, 0);
    t = observe(t, 'sitting', day0 + 9 * H);
    t = observe(t, 'moving', day0 + 9.5 * H);
    t = observe(t, 'standing', day0 + 9.5 * H + 10_000);
    expect(t.segments.map((s) => s.posture)).toEqual(['sitting', 'moving', 'standing']);
    expect(t.segments[0].end).toBe(day0 + 9.5 * H);
    expect(t.segments[1].end).toBe(day0 + 9.5 * H + 10_000);
  });

  it('leaves a hole after a gap in watching', () => {
    let t = newTimeline('2026-11-22', day0 + 9 * H, 0, 0);
    t = observe(t, 'sitting', day0 + 9 * H);
    t = observe(t, 'sitting', day0 + 11 * H, false);
    expect(t.segments).toHaveLength(2);
    expect(t.segments[0].end).toBe(day0 + 9 * H);
    expect(observedTotals(t).sitting).toBe(0);
  });

  it('ignores an observation older than the last one', () => {
    let t = newTimeline('2026-11-22', day0 + 9 * H, 0, 0);
    t = observe(t, 'sitting', day0 + 10 * H);
    const same = observe(t, 'standing', day0 + 9 * H);
    expect(same).toBe(t);
  });

  it('sums observed seconds per posture', () => {
    let t = newTimeline('2026-11-22', day0, 0, 0);
    t = observe(t, 'sitting', day0);
    t = observe(t, 'standing', day0 + 1800_000);
    t = observe(t, 'standing', day0 + 2400_000);
    expect(observedTotals(t)).toMatchObject({ sitting: 1800, standing: 600 });
  });
});

describe('layoutTimeline', () => {
  it('draws earlier time from the totals before the first observation', () => {
    let t = newTimeline('2026-11-22', day0 + 10 * H, 3600, 1800);
    t = observe(t, 'sitting', day0 + 10 * H);
    t = observe(t, 'sitting', day0 + 10.5 * H);
    const lay = layoutTimeline(t, day0, day0 + 24 * H, day0 + 10.5 * H);
    const kinds = lay.blocks.map((b) => b.kind);
    expect(kinds).toEqual(['earlier_sitting', 'earlier_standing', 'sitting']);
    expect(lay.blocks[0].start).toBe(day0 + 8.5 * H);
    expect(lay.blocks[1].start).toBe(day0 + 9.5 * H);
    expect(lay.blocks[1].end).toBe(day0 + 10 * H);
    expect(lay.axis_start).toBe(day0 + 8 * H);
    expect(lay.axis_end).toBe(day0 + 11 * H);
    for (const b of lay.blocks) {
      expect(b.x0).toBeGreaterThanOrEqual(0);
      expect(b.x1).toBeLessThanOrEqual(1);
      expect(b.x1).toBeGreaterThanOrEqual(b.x0);
    }
    expect(lay.hours[0]).toBe(day0 + 8 * H);
  });

  it('never starts before midnight', () => {
    const t = newTimeline('2026-11-22', day0 + 1 * H, 5 * 3600, 0);
    const lay = layoutTimeline(t, day0, day0 + 24 * H, day0 + 1 * H);
    expect(lay.axis_start).toBe(day0);
    expect(lay.blocks[0].start).toBe(day0);
  });

  it('spans at least two hours', () => {
    const t = observe(newTimeline('2026-11-22', day0 + 9 * H, 0, 0), 'sitting', day0 + 9 * H);
    const lay = layoutTimeline(t, day0, day0 + 24 * H, day0 + 9 * H);
    expect(lay.axis_end - lay.axis_start).toBeGreaterThanOrEqual(2 * H);
  });
});

describe('deskd timeline (B/timeline)', () => {
  const payload = JSON.stringify({
    date: '2026-11-22',
    periods: [
      { start: '2026-11-22T08:00:00+01:00', posture: 'sitting' },
      { start: '2026-11-22T08:30:00+01:00', posture: 'between' },
      { start: '2026-11-22T08:30:20+01:00', posture: 'standing' },
    ],
  });

  it('decodes periods and draws each until the next, the last until the end given', () => {
    const d = decodeDeskTimeline(payload);
    expect(d).not.toBeNull();
    const eight = Date.parse('2026-11-22T08:00:00+01:00');
    const t = timelineFromDesk(d!, eight + 3600_000);
    expect(t.segments).toEqual([
      { posture: 'sitting', start: eight, end: eight + 1800_000 },
      { posture: 'between', start: eight + 1800_000, end: eight + 1820_000 },
      { posture: 'standing', start: eight + 1820_000, end: eight + 3600_000 },
    ]);
    expect(t.first_seen).toBe(eight);
    expect(t.baseline_sit_s + t.baseline_stand_s).toBe(0);
  });

  it('refuses anything that is not a timeline, whole', () => {
    const bad = [
      'not json',
      '[]',
      JSON.stringify({ date: 'today', periods: [] }),
      JSON.stringify({ date: '2026-11-22', periods: [{ start: 'x', posture: 'sitting' }] }),
      JSON.stringify({ date: '2026-11-22', periods: [{ start: '2026-11-22T08:00:00Z', posture: '<b>' }] }),
      JSON.stringify({
        date: '2026-11-22',
        periods: [
          { start: '2026-11-22T09:00:00Z', posture: 'sitting' },
          { start: '2026-11-22T08:00:00Z', posture: 'standing' },
        ],
      }),
    ];
    for (const b of bad) expect(decodeDeskTimeline(b)).toBeNull();
  });

  it('finds the desk of a timeline topic only', () => {
    expect(timelineDesk('deskd', 'deskd/office/timeline')).toBe('office');
    expect(timelineDesk('deskd', 'deskd/office/state')).toBeNull();
    expect(timelineDesk('deskd', 'deskd/Of fice/timeline')).toBeNull();
  });
});
