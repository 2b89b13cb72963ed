// The schedule's status as a sentence of what will happen and why (issue 23, plain words),
// from B/state's phase, phase_reason and next change, instead of "Running" or "Blocked".
import type { DeskState } from './desk_state';
import type { Formatter } from './format';

export interface StatusSentence {
  /** What will happen. */
  headline: string;
  /** Why, or what to do about it ('' when nothing needs saying). */
  why: string;
}

function posture(p: string | null): string {
  return p === 'standing' ? 'stand' : p === 'sitting' ? 'sit' : 'change posture';
}

function next(st: DeskState, fmt: Formatter): string {
  return st.next_change !== null && st.next_posture
    ? `you ${posture(st.next_posture)} at ${fmt.dayTime(st.next_change)}`
    : 'no change is planned';
}

/** Why automatic changes are held (B/state phase "blocked"), in words. */
function blocked(st: DeskState, maxMovesPerDay: number | null): StatusSentence {
  const r = st.phase_reason;
  if (r.startsWith('busy')) {
    return { headline: 'You are busy (a call or a meeting): the desk waits until you are free.', why: r };
  }
  if (r.startsWith('height may be off')) {
    return {
      headline: 'The height sensor missed some steps, so the desk does not move on its own.',
      why: `The ${r.replace(': calibrate', '')}. Calibrate, and the schedule resumes.`,
    };
  }
  switch (r) {
    case 'nobody at the desk':
      return { headline: 'Nobody is at the desk, so it stays where it is.', why: 'The schedule resumes when someone is back.' };
    case 'clock not synchronised':
    case 'clock obviously wrong':
      return { headline: 'The clock is not set yet, so the desk does not move on its own.', why: 'It resumes once the time is synchronised (NTP).' };
    case 'fault latched':
      return { headline: 'A fault stopped the desk: no automatic moves until it is cleared.', why: 'Check the desk, then Clear fault.' };
    case 'position unknown':
      return { headline: 'The height is unknown, so the desk does not move on its own.', why: 'Calibrate, and the schedule resumes.' };
    case 'daily limit reached':
      return {
        headline: `Today's automatic moves are used up${maxMovesPerDay !== null ? ` (${maxMovesPerDay} a day)` : ''}: the schedule resumes tomorrow.`,
        why: 'Change the limit under Schedule, "Automatic moves per day at most".',
      };
    default:
      return { headline: 'Automatic changes are on hold.', why: r };
  }
}

export function statusSentence(st: DeskState, fmt: Formatter, maxMovesPerDay: number | null): StatusSentence {
  switch (st.phase) {
    case 'disabled':
      return { headline: 'The schedule is off: the desk moves only when you move it.', why: 'Turn it on with the switch below.' };
    case 'outside_hours':
      return st.phase_reason === 'skip date'
        ? { headline: `Today is a day off in your schedule; ${next(st, fmt)}.`, why: '' }
        : { headline: `Outside your working hours; ${next(st, fmt)}.`, why: '' };
    case 'paused':
      return { headline: `Paused for today; ${next(st, fmt)}.`, why: 'Resume to continue today.' };
    case 'blocked':
      return blocked(st, maxMovesPerDay);
    case 'counting':
      if (st.phase_reason === 'waiting for a pause' && st.next_change !== null) {
        return {
          headline: `Time to ${posture(st.next_posture)} at your next pause.`,
          why: `The desk waits until you stop typing for a moment, at the latest until ${fmt.dayTime(st.next_change)}.`,
        };
      }
      return { headline: `You are ${st.posture === 'unknown' ? 'at the desk' : st.posture}; ${next(st, fmt)}.`, why: '' };
    case 'warning':
      return { headline: `The desk is about to move: time to ${posture(st.next_posture)}.`, why: 'Snooze or Skip to keep the posture you have.' };
    case 'awaiting_confirm':
      return st.mode === 'remind'
        ? { headline: `Time to ${posture(st.next_posture)}: change posture yourself.`, why: 'Remind mode never moves the desk.' }
        : { headline: `Time to ${posture(st.next_posture)}: press Confirm and the desk moves.`, why: '' };
    case 'moving':
      return st.phase_reason === 'manual move'
        ? { headline: 'The desk is being moved by hand.', why: '' }
        : { headline: `The desk is moving so you can ${posture(st.next_posture)}.`, why: '' };
  }
}
