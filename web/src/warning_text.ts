// The words of the warning banner and of the tab title while a posture change is pending: what
// the desk will do, when, and exactly what each button does.
import type { Formatter } from './format';
import type { PendingChange } from './pending_change';

export interface WarningText {
  /** What will happen, without the countdown: "Desk rises to 1,100 mm". */
  headline: string;
  /** The countdown part: "in 0:10", "now", or '' (no countdown for prompts and reminders). */
  countdown: string;
  /** A second line saying what Confirm does, or that the desk will not move; '' for none. */
  detail: string;
  /** Confirm's label (it says what Confirm does), or null: no Confirm button (remind mode never
   *  moves, and a warning moves by itself). */
  confirm: string | null;
  /** Snooze's label with its length when known: "Snooze 10 min". */
  snooze: string;
  /** The tab title's prefix: "0:10 ▲ Desk rises to 1,100 mm". */
  title: string;
}

function where(p: PendingChange, fmt: Formatter): string {
  return p.target_mm === null ? '' : ` to ${fmt.heightMm(p.target_mm)}`;
}

function verb(p: PendingChange, present: 'rises' | 'rising'): string {
  if (p.rises === null) return present === 'rises' ? 'moves' : 'moving';
  if (present === 'rises') return p.rises ? 'rises' : 'lowers';
  return p.rises ? 'rising' : 'lowering';
}

function doWhat(p: PendingChange): string {
  return p.posture === 'standing' ? 'stand up' : p.posture === 'sitting' ? 'sit down' : 'change posture';
}

/** "0:10" for the seconds left, "now" at or past zero, '' when unknown. */
export function countdownText(remaining: number | null, fmt: Formatter): string {
  if (remaining === null) return '';
  return remaining > 0.5 ? `in ${fmt.countdown(remaining)}` : 'now';
}

export function warningText(p: PendingChange, fmt: Formatter, snoozeMinutes: number | null): WarningText {
  const to = where(p, fmt);
  const snooze = snoozeMinutes === null ? 'Snooze' : `Snooze ${fmt.number(snoozeMinutes)} min`;
  const arrow = p.rises === null ? '' : p.rises ? '▲ ' : '▼ ';
  switch (p.kind) {
    case 'warning': {
      const headline = `Desk ${verb(p, 'rises')}${to}`;
      const countdown = countdownText(p.remaining_s, fmt);
      const clock = p.remaining_s === null ? '' : p.remaining_s > 0.5 ? `${fmt.countdown(p.remaining_s)} ` : '';
      return { headline, countdown, detail: '', confirm: null, snooze, title: `${clock}${arrow}${headline}` };
    }
    case 'prompt': {
      const action = p.rises === null ? 'move' : p.rises ? 'raise' : 'lower';
      return {
        headline: `Time to ${doWhat(p)}`,
        countdown: '',
        detail: `Confirm ${action}s the desk${to} now.`,
        confirm: `Confirm: ${action}${to}`,
        snooze,
        title: `${arrow}Time to ${doWhat(p)}`,
      };
    }
    case 'reminder':
      return {
        headline: `Time to ${doWhat(p)}`,
        countdown: '',
        detail: `A reminder only: the desk does not move by itself${p.target_mm === null ? '' : ` (your ${p.posture === 'standing' ? 'standing' : 'sitting'} height is ${fmt.heightMm(p.target_mm)})`}.`,
        confirm: null,
        snooze,
        title: `${arrow}Time to ${doWhat(p)}`,
      };
    case 'moving':
      return {
        headline: `Desk ${verb(p, 'rising')}${to}`,
        countdown: '',
        detail: '',
        confirm: null,
        snooze,
        title: `${arrow}Desk ${verb(p, 'rising')}${to}`,
      };
  }
}
