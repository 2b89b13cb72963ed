// The comfort check-in (issue 24 §3): "How does your back feel? 1–5". The answers deskd takes
// (B/set {"comfort":N}, N a whole number 1..5), their words, and how the page shows a figure.
// No DOM.

export const COMFORT_CHECKINS = ['off', 'after_stand', 'daily'] as const;
export type ComfortCheckin = (typeof COMFORT_CHECKINS)[number];

export const COMFORT_VALUES = [1, 2, 3, 4, 5] as const;

/** The word under each answer button. */
export const COMFORT_WORDS: Record<number, string> = { 1: 'Sore', 2: 'Stiff', 3: 'OK', 4: 'Good', 5: 'Great' };

/** A valid comfort answer (a whole number 1..5), else null. */
export function comfortValue(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5 ? v : null;
}

/** The B/set command for an answer; null for anything deskd would refuse. */
export function comfortCommand(n: number): { comfort: number } | null {
  const v = comfortValue(n);
  return v === null ? null : { comfort: v };
}

/** A mean comfort figure as published (1.0..5.0), else null. */
export function comfortMean(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 && v <= 5 ? v : null;
}

/** "3.5 / 5" (one decimal, ".0" dropped); "—" without answers. */
export function comfortText(v: number | null): string {
  if (v === null) return '—';
  const r = Math.round(v * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)} / 5`;
}

/** The editor's words for each check-in setting. */
export function checkinLabel(c: ComfortCheckin): string {
  return c === 'after_stand' ? 'after each standing period' : c === 'daily' ? 'once a day' : 'never';
}
