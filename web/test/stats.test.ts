import { describe, expect, it } from 'vitest';
import { addDays, buildDailySeries, axisLabelRoom, chartScale, decodeStats, layoutBars, localIsoDate, seriesEndDate, seriesTotals, type DayStats, mergeStats, standShare, statsCsv } from '../src/stats';

function day(date: string, sit_s: number, stand_s: number): DayStats {
  return { date, sit_s, stand_s, transitions: 2, auto_moves: 1, declined: 0, snoozed: 0, longest_sit_s: sit_s };
}

describe('decodeStats', () => {
  it('reads days oldest first and drops invalid ones', () => {
    const s = decodeStats(JSON.stringify({ days: [
      { date: '2026-11-22', sit_s: 10, stand_s: 20 },
      { date: 'yesterday', sit_s: 1 },
      { date: '2026-11-21', sit_s: 30, stand_s: 'x' },
    ] }))!;
    expect(s.map((d) => d.date)).toEqual(['2026-11-21', '2026-11-22']);
    expect(s[0].stand_s).toBe(0);
    expect(s[1].stand_s).toBe(20);
  });
  it('returns null without a days array', () => {
    expect(decodeStats('{"x":1}')).toBeNull();
  });
});

describe('dates', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
  it('gives the calendar date of an instant in a time zone', () => {
    const t = Date.UTC(2026, 10, 22, 23, 30);
    expect(localIsoDate(t, 'UTC')).toBe('2026-11-22');
    expect(localIsoDate(t, 'Europe/Berlin')).toBe('2026-11-23');
    expect(localIsoDate(t, 'America/New_York')).toBe('2026-11-22');
  });
  it("gives the user's own zone the same dates as Intl, around midnights and DST changes", () => {
    const saved = process.env.TZ;
    try {
      for (const zone of ['Europe/Berlin', 'America/New_York', 'Pacific/Chatham', 'Asia/Kolkata']) {
        process.env.TZ = zone;
        for (const start of [Date.UTC(2026, 2, 28), Date.UTC(2026, 9, 24), Date.UTC(2026, 11, 31)]) {
          for (let t = start; t < start + 3 * 86_400_000; t += 15 * 60_000) {
            expect(localIsoDate(t), `${zone} ${new Date(t).toISOString()}`).toBe(localIsoDate(t, zone));
          }
        }
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('buildDailySeries', () => {
  const days = [day('2026-11-18', 3600, 600), day('2026-11-20', 7200, 1800), day('2026-11-22', 100, 50)];

  it('returns exactly n consecutive days ending at the end date, zeros where missing', () => {
    const s = buildDailySeries(days, 7, '2026-11-22');
    expect(s).toHaveLength(7);
    expect(s[0].date).toBe('2026-11-16');
    expect(s[6].date).toBe('2026-11-22');
    expect(s.find((d) => d.date === '2026-11-19')!.sit_s).toBe(0);
    expect(s.find((d) => d.date === '2026-11-20')!.sit_s).toBe(7200);
  });

  it('lets today\'s live totals replace older numbers for the same day', () => {
    const s = buildDailySeries(days, 7, '2026-11-22', { date: '2026-11-22', sit_s: 900, stand_s: 300, transitions: 4, longest_sit_s: 900 });
    expect(s[6]).toMatchObject({ sit_s: 900, stand_s: 300, transitions: 4 });
  });

  it('builds 30 days', () => {
    expect(buildDailySeries(days, 30, '2026-11-22')[0].date).toBe('2026-10-24');
  });

  it('ends at the newest statistics day when the desk is ahead of the browser', () => {
    expect(seriesEndDate(days, '2026-11-21')).toBe('2026-11-22');
    expect(seriesEndDate(days, '2026-11-25')).toBe('2026-11-25');
  });
});

describe('axisLabelRoom', () => {
  it('leaves room for the longest value label (issue 23: "1 hr 30 min" was clipped)', () => {
    expect(axisLabelRoom(['0', '30 min', '1 hr', '1 hr 30 min', '2 hr'])).toBe(79);
    expect(axisLabelRoom(['0', '5 min', '10 min'])).toBe(48);
    expect(axisLabelRoom([])).toBe(48);
  });
});

describe('chartScale', () => {
  it('covers the maximum with at most 5 whole-minute steps', () => {
    const sc = chartScale(7 * 3600 + 60);
    expect(sc.max_s).toBeGreaterThanOrEqual(7 * 3600 + 60);
    expect(sc.ticks_s.length - 1).toBeLessThanOrEqual(5);
    expect(sc.ticks_s[0]).toBe(0);
    expect(sc.ticks_s.every((t) => t % 60 === 0)).toBe(true);
  });
  it('has a usable axis with no data', () => {
    const sc = chartScale(0);
    expect(sc.max_s).toBeGreaterThan(0);
  });
});

describe('layoutBars', () => {
  it('stacks standing on sitting, scaled to the plot', () => {
    const series = buildDailySeries([day('2026-11-22', 3600, 1800)], 2, '2026-11-22');
    const scale = { max_s: 7200, ticks_s: [0, 3600, 7200] };
    const bars = layoutBars(series, scale, { x: 0, y: 0, width: 200, height: 100 });
    expect(bars).toHaveLength(2);
    expect(bars[0].sit.height).toBe(0);
    const b = bars[1];
    expect(b.sit.height).toBeCloseTo(50);
    expect(b.sit.y).toBeCloseTo(50);
    expect(b.stand.height).toBeCloseTo(25);
    expect(b.stand.y).toBeCloseTo(25);
    expect(b.x).toBeGreaterThan(100);
    expect(b.x + b.width).toBeLessThanOrEqual(200);
  });
});

describe('seriesTotals', () => {
  it('sums the period and the standing share', () => {
    const t = seriesTotals(buildDailySeries([day('2026-11-21', 3000, 1000), day('2026-11-22', 0, 0)], 2, '2026-11-22'));
    expect(t).toEqual({ sit_s: 3000, stand_s: 1000, stand_share: 0.25, days_with_data: 1 });
  });
  it('has no share without data', () => {
    expect(seriesTotals([]).stand_share).toBeNull();
  });
});

describe('history beyond B/stats', () => {
  const day = (date: string, sit: number, stand: number): DayStats => ({
    date, sit_s: sit, stand_s: stand, transitions: 3, auto_moves: 1, declined: 0, snoozed: 0, longest_sit_s: 1800,
  });

  it('merges stats/get days with B/stats, the newer winning a date', () => {
    const merged = mergeStats([day('2025-01-01', 60, 0), day('2026-11-21', 60, 60)], [day('2026-11-21', 120, 120), day('2026-11-22', 1, 1)]);
    expect(merged.map((d) => [d.date, d.sit_s])).toEqual([['2025-01-01', 60], ['2026-11-21', 120], ['2026-11-22', 1]]);
    expect(mergeStats(null, null)).toEqual([]);
  });

  it('has one definition of the standing share: standing over sitting plus standing', () => {
    expect(standShare(3000, 1000)).toBe(0.25);
    expect(standShare(0, 0)).toBeNull();
    expect(seriesTotals([{ date: '2026-11-22', sit_s: 3000, stand_s: 1000, transitions: 0, longest_sit_s: 0 }]).stand_share).toBe(0.25);
  });

  it('writes the shown days as CSV, numbers only, days without data left out', () => {
    const series = buildDailySeries([day('2026-11-20', 5400, 1800)], 3, '2026-11-22');
    expect(statsCsv(series)).toBe(
      'date,sitting_minutes,standing_minutes,standing_share_percent,changes,longest_sit_minutes\r\n' +
      '2026-11-20,90.0,30.0,25.0,3,30.0\r\n');
  });
});
