import { describe, expect, it } from 'vitest';
import { Formatter } from '../src/format';
import {
  decodeProgress,
  planText,
  progressDesk,
  progressRows,
  decisionText,
  span,
  streakText,
  trendArrow,
  trendTone,
  type Progress,
} from '../src/progress';

const fmt = new Formatter('en-US');

// What deskd publishes on a Wednesday noon (see mqtt/README.md).
const PAYLOAD = {
  date: '2026-12-02',
  week_start: '2026-11-30',
  this_week: { from: '2026-11-30', to: '2026-12-02', working_days: 3, working_s: 64800, sit_s: 41000, stand_s: 22800,
    stand_share: 0.352, changes: 18, changes_per_hour: 1, longest_sit_s: 2400, has_data: true },
  last_week: { from: '2026-11-23', to: '2026-11-25', working_days: 3, working_s: 81000, sit_s: 60000, stand_s: 10800,
    stand_share: 0.133, changes: 15, changes_per_hour: 0.67, longest_sit_s: 3600, has_data: true },
  trend: { stand_share: 'up', changes: 'up', longest_sit: 'down' },
  streak: { days: 4, today_working: true, today_met: false, today_goal_s: 9600, today_stand_s: 2700, today_minutes: 15 },
  plan: { progression: true, minutes: 15, target_minutes: 20, next: { date: '2026-12-07', minutes: 20 },
    text: 'From Monday you stand 20 min each period' },
  summary: { went_well: 'You met your standing goal 4 working days in a row.', suggestion: 'Keep going.' },
};

/** The payload above, changed in place by `patch`, decoded. */
function progress(patch: (p: typeof PAYLOAD) => unknown = () => undefined): Progress {
  const copy = JSON.parse(JSON.stringify(PAYLOAD)) as typeof PAYLOAD;
  patch(copy);
  return decodeProgress(JSON.stringify(copy))!;
}

describe('decodeProgress', () => {
  it('reads what deskd publishes', () => {
    const p = progress();
    expect(p.this_week.stand_share).toBe(0.352);
    expect(p.last_week.from).toBe('2026-11-23');
    expect(p.trend).toEqual({ stand_share: 'up', changes: 'up', longest_sit: 'down' });
    expect(p.plan.next).toEqual({ date: '2026-12-07', minutes: 20 });
    expect(p.streak.days).toBe(4);
    expect(p.summary).toEqual({ went_well: 'You met your standing goal 4 working days in a row.', suggestion: 'Keep going.' });
    expect(progress((x) => delete (x as Record<string, unknown>).summary).summary).toEqual({ went_well: '', suggestion: '' });
  });
  it('rejects payloads without both weeks or with bad dates', () => {
    expect(decodeProgress('not json')).toBeNull();
    expect(decodeProgress(JSON.stringify({ ...PAYLOAD, last_week: undefined }))).toBeNull();
    expect(decodeProgress(JSON.stringify({ ...PAYLOAD, date: 'today' }))).toBeNull();
  });
  it('reads unknown trends, out-of-range shares and a missing step as null', () => {
    const p = progress((x) => {
      (x.trend as Record<string, unknown>).stand_share = 'sideways';
      (x.this_week as Record<string, unknown>).stand_share = 1.5;
      (x.plan as Record<string, unknown>).next = null;
    });
    expect(p.trend.stand_share).toBeNull();
    expect(p.this_week.stand_share).toBeNull();
    expect(p.plan.next).toBeNull();
  });
});

describe('progressDesk', () => {
  it('finds the desk of a progress topic only', () => {
    expect(progressDesk('deskd', 'deskd/office/progress')).toBe('office');
    expect(progressDesk('a/b', 'a/b/d1/progress')).toBe('d1');
    expect(progressDesk('deskd', 'deskd/office/stats')).toBeNull();
    expect(progressDesk('deskd', 'deskd/a/b/progress')).toBeNull();
    expect(progressDesk('deskd', 'other/office/progress')).toBeNull();
  });
});

describe('trends', () => {
  it('draws arrows by direction', () => {
    expect(trendArrow('up')).toBe('↑');
    expect(trendArrow('down')).toBe('↓');
    expect(trendArrow('flat')).toBe('→');
    expect(trendArrow(null)).toBe('');
  });
  it('colours by what is better: more standing and changes, shorter sitting', () => {
    expect(trendTone('stand_share', 'up')).toBe('better');
    expect(trendTone('changes', 'down')).toBe('worse');
    expect(trendTone('longest_sit', 'down')).toBe('better');
    expect(trendTone('longest_sit', 'up')).toBe('worse');
    expect(trendTone('stand_share', 'flat')).toBe('same');
    expect(trendTone('changes', null)).toBe('none');
  });
});

describe('progressRows', () => {
  it('formats this week and the same days of last week', () => {
    const rows = progressRows(fmt, progress());
    expect(rows.map((r) => [r.metric, r.value, r.last, r.arrow, r.tone])).toEqual([
      ['stand_share', '35%', '13%', '↑', 'better'],
      ['changes', '18 · 1.0/h', '15 · 0.7/h', '↑', 'better'],
      ['longest_sit', '40 min', '1 hr', '↓', 'better'],
      ['comfort', '—', '—', '', 'none'],
    ]);
    expect(span(fmt, '2026-11-23', '2026-11-25')).toBe('Mon–Wed');
    expect(span(fmt, '2026-11-23', '2026-11-23')).toBe('Mon');
  });
  it('shows dashes and no arrows in the first week', () => {
    const rows = progressRows(fmt, progress((x) => {
      Object.assign(x.last_week, { stand_share: null, changes_per_hour: null, changes: 0, longest_sit_s: 0, has_data: false });
      Object.assign(x.trend, { stand_share: null, changes: null, longest_sit: null });
    }));
    expect(rows.map((r) => r.last)).toEqual(['—', '—', '—', '—']);
    expect(rows.map((r) => r.arrow)).toEqual(['', '', '', '']);
    expect(rows[0].sr).toBe('no trend yet');
  });
});

describe('streak and plan', () => {
  it('counts days and today against its goal', () => {
    expect(streakText(fmt, progress())).toEqual({ days: 'Standing goal met 4 days in a row', today: 'Today 45 min of the 2 hr 40 min goal' });
    const met = progress((x) => Object.assign(x.streak, { days: 1, today_met: true, today_stand_s: 9600 }));
    expect(streakText(fmt, met)).toEqual({ days: 'Standing goal met 1 day in a row', today: "Today's goal met (2 hr 40 min)" });
    const off = progress((x) => Object.assign(x.streak, { today_working: false }));
    expect(streakText(fmt, off).today).toBe('No standing goal today');
  });
  it('names the weekday, tomorrow or the date of the next step', () => {
    expect(planText(fmt, progress())).toBe('From Monday you stand 20 min each period');
    expect(planText(fmt, progress((x) => { x.plan.next.date = '2026-12-03'; }))).toBe('From tomorrow you stand 20 min each period');
    expect(planText(fmt, progress((x) => { x.plan.next.date = '2026-12-16'; }))).toBe('From Wed, Dec 16 you stand 20 min each period');
  });
  it("uses deskd's text without a next step", () => {
    const p = progress((x) => { (x.plan as Record<string, unknown>).next = null; x.plan.text = 'You stand 20 min each period'; });
    expect(planText(fmt, p)).toBe('You stand 20 min each period');
  });
});

describe('comfort on the progress card', () => {
  const withComfort = (c: unknown, decision: unknown = null) => progress((x) => {
    (x as Record<string, unknown>).comfort = c;
    (x.plan as Record<string, unknown>).decision = decision;
  });
  it('reads this week against last and shows it next to the standing share', () => {
    const p = withComfort({ this_week: 3, last_week: 4.2, trend: 'down', answers_this_week: 4 });
    expect(p.comfort).toEqual({ this_week: 3, last_week: 4.2, trend: 'down', answers_this_week: 4 });
    const row = progressRows(fmt, p).find((r) => r.metric === 'comfort')!;
    expect([row.value, row.last, row.arrow, row.tone]).toEqual(['3 / 5', '4.2 / 5', '↓', 'worse']);
    expect(row.sr).toBe('down on last week (worse)');
  });
  it('reads figures outside 1..5 and an absent comfort as no answers', () => {
    expect(withComfort({ this_week: 0, last_week: 7, trend: 'up' }).comfort).toEqual({ this_week: null, last_week: null, trend: 'up', answers_this_week: 0 });
    expect(progress((x) => delete (x as Record<string, unknown>).comfort).comfort.this_week).toBeNull();
  });
  it("says why the progression held, stepped back or advanced", () => {
    const p = withComfort(null, { kind: 'hold', date: '2026-11-30', minutes: 15, reason: 'holding at 15 min: comfort fell from 4 to 3 this week' });
    expect(p.plan.decision?.kind).toBe('hold');
    expect(decisionText(p)).toBe('Holding at 15 min: comfort fell from 4 to 3 this week');
    expect(decisionText(withComfort(null, { kind: 'jump', date: '2026-11-30', reason: 'x' }))).toBe('');
    expect(decisionText(withComfort(null, null))).toBe('');
  });
});
