// Numbers, durations, dates and times in the user's locale and time zone (Intl).

// Each Intl object is built on first use and kept: building one costs 1-3 ms on a cold page, and
// the first live state needs only the height's.
/** How heights are shown: a page setting, [web] units as its default. */
export type HeightUnit = 'mm' | 'cm' | 'in';
export const HEIGHT_UNITS: readonly HeightUnit[] = ['mm', 'cm', 'in'];

export function isHeightUnit(v: unknown): v is HeightUnit {
  return typeof v === 'string' && (HEIGHT_UNITS as readonly string[]).includes(v);
}

export class Formatter {
  readonly locale: string;
  /** Heights in mm (whole), cm or inches (one decimal); values stay millimetres everywhere else. */
  units: HeightUnit = 'mm';
  readonly timeZone: string | undefined;
  private readonly cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

  constructor(locale?: string | readonly string[], timeZone?: string) {
    const resolved = new Intl.NumberFormat(locale as string | string[] | undefined).resolvedOptions();
    this.locale = resolved.locale;
    this.timeZone = timeZone;
  }

  private cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
    let f = this.cache.get(key) as T | undefined;
    if (!f) {
      f = make();
      this.cache.set(key, f);
    }
    return f;
  }

  private numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
    return this.cached(key, () => new Intl.NumberFormat(this.locale, options));
  }

  private dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    return this.cached(key, () => new Intl.DateTimeFormat(this.locale, options));
  }

  private get int(): Intl.NumberFormat {
    return this.numberFormat('int', { maximumFractionDigits: 0 });
  }

  private get two(): Intl.NumberFormat {
    return this.numberFormat('two', { minimumIntegerDigits: 2, useGrouping: false });
  }

  private unit(u: 'hour' | 'minute' | 'second'): Intl.NumberFormat {
    return this.numberFormat(u, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 });
  }

  private utcDate(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    return this.dateFormat(key, { timeZone: 'UTC', ...options });
  }

  number(n: number): string {
    return this.int.format(n);
  }

  heightMm(mm: number | null): string {
    if (mm === null) return '—';
    const tenth = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
    switch (this.units) {
      case 'cm':
        return this.numberFormat('cm', { style: 'unit', unit: 'centimeter', ...tenth }).format(mm / 10);
      case 'in':
        return this.numberFormat('in', { style: 'unit', unit: 'inch', ...tenth }).format(mm / 25.4);
      default:
        return this.numberFormat('mm', { style: 'unit', unit: 'millimeter', maximumFractionDigits: 0 }).format(Math.round(mm));
    }
  }

  /** A height with how far it may be off (B/state height_uncertainty_mm): "720 mm ± 8 mm". */
  heightWithin(mm: number | null, doubtMm: number): string {
    return mm !== null && doubtMm > 0 ? `${this.heightMm(mm)} ± ${this.heightMm(doubtMm)}` : this.heightMm(mm);
  }

  percent(share: number): string {
    return this.numberFormat('pct', { style: 'percent', maximumFractionDigits: 0 }).format(share);
  }

  /** 4500 -> "1 hr 15 min", 300 -> "5 min", 42 -> "42 sec" (wording follows the locale). */
  duration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return this.unit('second').format(s);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (h === 0) return this.unit('minute').format(m);
    const hours = this.unit('hour').format(h);
    return m === 0 ? hours : `${hours} ${this.unit('minute').format(m)}`;
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
    return this.dateFormat('time', { timeZone: this.timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(ms));
  }

  dayTime(ms: number): string {
    return this.dateFormat('dayTime', { timeZone: this.timeZone, weekday: 'short', hour: 'numeric', minute: '2-digit' })
      .format(new Date(ms));
  }

  /** A calendar date "YYYY-MM-DD" as e.g. "Sun, Nov 22". */
  date(iso: string): string {
    return this.utcDate('day', { weekday: 'short', month: 'short', day: 'numeric' }).format(isoToUtc(iso));
  }

  /** The weekday of a calendar date, e.g. "Sun". */
  weekday(iso: string): string {
    return this.utcDate('weekday', { weekday: 'short' }).format(isoToUtc(iso));
  }

  /** The full name of a weekday, 0 = Monday. */
  weekdayName(index: number): string {
    return this.utcDate('weekdayLong', { weekday: 'long' }).format(new Date(Date.UTC(2024, 0, 1 + index)));
  }

  /** A calendar date as a compact axis label, e.g. "11/22". */
  shortDate(iso: string): string {
    return this.utcDate('shortDay', { day: 'numeric', month: 'numeric' }).format(isoToUtc(iso));
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
