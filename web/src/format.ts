// Numbers, durations, dates and times in the user's locale and time zone (Intl).

export class Formatter {
  readonly locale: string;
  readonly timeZone: string | undefined;
  private readonly mm: Intl.NumberFormat;
  private readonly int: Intl.NumberFormat;
  private readonly pct: Intl.NumberFormat;
  private readonly two: Intl.NumberFormat;
  private readonly hours: Intl.NumberFormat;
  private readonly minutes: Intl.NumberFormat;
  private readonly seconds: Intl.NumberFormat;
  private readonly timeFmt: Intl.DateTimeFormat;
  private readonly dayTimeFmt: Intl.DateTimeFormat;
  private readonly dayFmt: Intl.DateTimeFormat;
  private readonly shortDayFmt: Intl.DateTimeFormat;
  private readonly weekdayFmt: Intl.DateTimeFormat;

  constructor(locale?: string | readonly string[], timeZone?: string) {
    const resolved = new Intl.NumberFormat(locale as string | string[] | undefined).resolvedOptions();
    this.locale = resolved.locale;
    this.timeZone = timeZone;
    const l = this.locale;
    this.mm = new Intl.NumberFormat(l, { style: 'unit', unit: 'millimeter', maximumFractionDigits: 0 });
    this.int = new Intl.NumberFormat(l, { maximumFractionDigits: 0 });
    this.pct = new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 0 });
    this.two = new Intl.NumberFormat(l, { minimumIntegerDigits: 2, useGrouping: false });
    const unit = (u: string) =>
      new Intl.NumberFormat(l, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 });
    this.hours = unit('hour');
    this.minutes = unit('minute');
    this.seconds = unit('second');
    this.timeFmt = new Intl.DateTimeFormat(l, { timeZone, hour: 'numeric', minute: '2-digit' });
    this.dayTimeFmt = new Intl.DateTimeFormat(l, {
      timeZone,
      weekday: 'short',
      hour: 'numeric',
      minute: '2-digit',
    });
    this.dayFmt = new Intl.DateTimeFormat(l, {
      timeZone: 'UTC',
      weekday: 'short',
      month: 'short',
      day: 'numeric',
    });
    this.weekdayFmt = new Intl.DateTimeFormat(l, { timeZone: 'UTC', weekday: 'short' });
    this.shortDayFmt = new Intl.DateTimeFormat(l, { timeZone: 'UTC', day: 'numeric', month: 'numeric' });
  }

  number(n: number): string {
    return this.int.format(n);
  }

  heightMm(mm: number | null): string {
    return mm === null ? '—' : this.mm.format(Math.round(mm));
  }

  percent(share: number): string {
    return this.pct.format(share);
  }

  /** 4500 -> "1 hr 15 min", 300 -> "5 min", 42 -> "42 sec" (wording follows the locale). */
  duration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return this.seconds.format(s);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (h === 0) return this.minutes.format(m);
    return m === 0 ? this.hours.format(h) : `${this.hours.format(h)} ${this.minutes.format(m)}`;
  }

  /** Clock-style remaining time: "4:05", "1:02:03". */
  countdown(seconds: number): string {
    const s = Math.max(0, Math.ceil(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    return h > 0
      ? `${this.int.format(h)}:${this.two.format(m)}:${this.two.format(sec)}`
      : `${this.int.format(m)}:${this.two.format(sec)}`;
  }

  time(ms: number): string {
    return this.timeFmt.format(new Date(ms));
  }

  dayTime(ms: number): string {
    return this.dayTimeFmt.format(new Date(ms));
  }

  /** A calendar date "YYYY-MM-DD" as e.g. "Sun, Nov 22". */
  date(iso: string): string {
    return this.dayFmt.format(isoToUtc(iso));
  }

  /** The weekday of a calendar date, e.g. "Sun". */
  weekday(iso: string): string {
    return this.weekdayFmt.format(isoToUtc(iso));
  }

  /** The full name of a weekday, 0 = Monday. */
  weekdayName(index: number): string {
    return new Intl.DateTimeFormat(this.locale, { timeZone: 'UTC', weekday: 'long' }).format(
      new Date(Date.UTC(2024, 0, 1 + index)),
    );
  }

  /** A calendar date as a compact axis label, e.g. "11/22". */
  shortDate(iso: string): string {
    return this.shortDayFmt.format(isoToUtc(iso));
  }
}

function isoToUtc(iso: string): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

/** The user's preferred locales, from the browser. */
export function userLocales(): readonly string[] {
  if (typeof navigator !== 'undefined' && navigator.languages?.length) return navigator.languages;
  return [];
}

/** Epoch ms of the local midnight that starts the day containing `ms` (the user's time zone). */
export function startOfLocalDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function endOfLocalDay(ms: number): number {
  const d = new Date(startOfLocalDay(ms));
  d.setDate(d.getDate() + 1);
  return d.getTime();
}
