// The posture change the schedule has announced and not yet made (or is making), read from the
// desk's state: the warning before an automatic move (auto mode), the prompt waiting for a
// confirmation (confirm mode), the reminder (remind mode: never a move), or the automatic move.
import type { DeskState, Posture } from './desk_state';

export type PendingKind = 'warning' | 'prompt' | 'reminder' | 'moving';

export interface PendingChange {
  kind: PendingKind;
  /** The posture the change leads to, when the state says (next_posture, or the opposite). */
  posture: 'sitting' | 'standing' | null;
  /** That posture's height (the desk's sit/stand height), or null with no posture. */
  target_mm: number | null;
  /** The desk goes up (false: down); null when unknown. */
  rises: boolean | null;
  /** Real seconds until the desk moves (warnings only; may be <= 0 just before the move). */
  remaining_s: number | null;
}

function opposite(p: Posture): 'sitting' | 'standing' | null {
  return p === 'sitting' ? 'standing' : p === 'standing' ? 'sitting' : null;
}

function targetPosture(st: DeskState): 'sitting' | 'standing' | null {
  if (st.next_posture === 'sitting' || st.next_posture === 'standing') return st.next_posture;
  return opposite(st.posture);
}

/**
 * Real seconds left in a warning: `warning_remaining_s` is in the desk's clock (faster under
 * --time-scale) as of the state's arrival `stateAt` (page clock, ms); `now` is the page's clock.
 */
export function warningRemaining(st: DeskState, stateAt: number, now: number): number | null {
  if (st.warning_remaining_s !== null) return st.warning_remaining_s / st.time_scale - (now - stateAt) / 1000;
  if (st.next_change === null) return null;
  if (st.now === null) return (st.next_change - now) / 1000;
  return (st.next_change - st.now) / 1000 / st.time_scale - (now - stateAt) / 1000;
}

/** The pending change, or null when nothing is announced (nor an automatic move running). */
export function pendingChange(st: DeskState | null, stateAt: number, now: number): PendingChange | null {
  if (!st) return null;
  let kind: PendingKind;
  if (st.phase === 'warning') kind = 'warning';
  else if (st.phase === 'awaiting_confirm') kind = st.mode === 'remind' ? 'reminder' : 'prompt';
  else if (st.phase === 'moving') kind = 'moving';
  else return null;
  const posture = kind === 'moving' && st.target_mm !== null ? postureAt(st, st.target_mm) : targetPosture(st);
  const target = kind === 'moving' && st.target_mm !== null
    ? st.target_mm
    : posture === 'standing' ? st.stand_height_mm : posture === 'sitting' ? st.sit_height_mm : null;
  let rises: boolean | null = null;
  if (target !== null && st.height_mm !== null) rises = target > st.height_mm;
  else if (posture !== null) rises = posture === 'standing';
  return {
    kind,
    posture,
    target_mm: target,
    rises,
    remaining_s: kind === 'warning' ? warningRemaining(st, stateAt, now) : null,
  };
}

/** The posture a moving desk's target stands for (the nearer of the sit and stand heights). */
function postureAt(st: DeskState, mm: number): 'sitting' | 'standing' {
  return Math.abs(mm - st.stand_height_mm) < Math.abs(mm - st.sit_height_mm) ? 'standing' : 'sitting';
}
