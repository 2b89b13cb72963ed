import { describe, expect, it } from 'vitest';
import { Formatter } from '../src/format';

describe('Formatter', () => {
  const fmt = new Formatter('en-US', 'UTC');

  it('formats like the Intl objects it builds on first use, each kind with its own', () => {
    const t = Date.UTC(2026, 10, 22, 14, 5);
    // Called in an order that would hand a later kind an earlier kind's cached formatter.
    expect(fmt.time(t)).toBe(new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' }).format(t));
    expect(fmt.dayTime(t)).toBe(
      new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(t));
    expect(fmt.date('2026-11-22')).toBe('Sun, Nov 22');
    expect(fmt.weekday('2026-11-22')).toBe('Sun');
    expect(fmt.weekdayName(0)).toBe('Monday');
    expect(fmt.weekdayName(6)).toBe('Sunday');
    expect(fmt.shortDate('2026-11-22')).toBe('11/22');
    expect(fmt.heightMm(719.6)).toBe('720 mm');
    expect(fmt.heightMm(null)).toBe('—');
    expect(fmt.percent(0.425)).toBe('43%');
    expect(fmt.number(12345.6)).toBe('12,346');
    expect(fmt.countdown(3723)).toBe('1:02:03');
    expect(fmt.countdown(245)).toBe('4:05');
  });

  it('shows heights in the chosen unit: whole mm, or cm and inches to a tenth', () => {
    const f = new Formatter('en-US', 'UTC');
    expect(f.heightMm(1100)).toBe('1,100 mm');
    f.units = 'cm';
    expect(f.heightMm(1100)).toBe('110.0 cm');
    expect(f.heightMm(723)).toBe('72.3 cm');
    f.units = 'in';
    expect(f.heightMm(1100)).toBe('43.3 in');
    expect(f.heightMm(null)).toBe('—');
    f.units = 'mm';
    expect(f.heightWithin(720, 8)).toBe('720 mm ± 8 mm');
    expect(f.heightWithin(720, 0)).toBe('720 mm');
    expect(f.heightWithin(null, 8)).toBe('—');
    const de = new Formatter('de-DE', 'UTC');
    de.units = 'cm';
    expect(de.heightMm(723)).toBe('72,3 cm');
  });

  it('keeps hours, minutes and seconds apart in durations', () => {
    expect(fmt.duration(42)).toBe('42 sec');
    expect(fmt.duration(300)).toBe('5 min');
    expect(fmt.duration(3600)).toBe('1 hr');
    expect(fmt.duration(4500)).toBe('1 hr 15 min');
    expect(fmt.duration(42)).toBe('42 sec');
  });

  it("uses the user's locale", () => {
    const de = new Formatter('de-DE', 'UTC');
    expect(de.number(12345.6)).toBe('12.346');
    expect(de.weekdayName(0)).toBe('Montag');
  });
});
