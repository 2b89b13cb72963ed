// When each control can act, and why not: a disabled control says the reason (as its tooltip and
// as text beside it), so nothing is pressed only to be refused by deskd.
import type { DeskState, Phase } from './desk_state';

export interface Rule {
  enabled: boolean;
  /** Why the control cannot act ('' when it can). */
  reason: string;
}

export interface ControlInputs {
  state: DeskState | null;
  /** The broker is connected (MQTT.js) and the desk announced itself online. */
  reachable: boolean;
  brokerUp: boolean;
  /** The desk is known offline (its last will). */
  deskOffline: boolean;
  /** Some connection can carry a command now (MQTT.js, or the first-state probe's session). */
  stopPath: boolean;
}

const OK: Rule = { enabled: true, reason: '' };
const no = (reason: string): Rule => ({ enabled: false, reason });

/** Phases in which deskd has a next change to snooze or skip (its Scheduler::snooze/skip). */
const ACTIVE: readonly Phase[] = ['counting', 'warning', 'awaiting_confirm'];

const PHASE_WHY: Record<Phase, string> = {
  disabled: 'the automatic schedule is off',
  outside_hours: 'outside working hours',
  paused: 'the schedule is paused for today',
  blocked: 'the schedule is blocked',
  counting: '',
  warning: '',
  awaiting_confirm: '',
  moving: 'the desk is making the change now',
};

function unreachable(i: ControlInputs): Rule | null {
  if (!i.brokerUp) return no('Not connected to the broker yet');
  if (i.deskOffline) return no('The desk is offline');
  if (!i.reachable || !i.state) return no('No data from the desk yet');
  return null;
}

/** Stop: whenever any connection can carry it (it is never refused by deskd). */
export function stopRule(i: ControlInputs): Rule {
  if (i.stopPath) return OK;
  return no(i.brokerUp ? 'The desk is offline' : 'Not connected to the broker yet');
}

/** Sit, Stand, presets and Move: the desk is reachable and no fault is latched. */
export function moveRule(i: ControlInputs): Rule {
  const u = unreachable(i);
  if (u) return u;
  if (i.state!.fault !== 'none') return no('Clear the fault first');
  return OK;
}

/** The height slider and "Save current height" also need a known height. */
export function heightRule(i: ControlInputs): Rule {
  const u = unreachable(i);
  if (u) return u;
  if (i.state!.height_mm === null) return no('Height unknown: calibrate the desk first');
  return OK;
}

function nextChangeRule(i: ControlInputs, what: 'snooze' | 'skip'): Rule {
  const u = unreachable(i);
  if (u) return u;
  const st = i.state!;
  if (ACTIVE.includes(st.phase)) return OK;
  return no(`Nothing to ${what}: ${PHASE_WHY[st.phase]}`);
}

export function snoozeRule(i: ControlInputs): Rule {
  return nextChangeRule(i, 'snooze');
}

export function skipRule(i: ControlInputs): Rule {
  return nextChangeRule(i, 'skip');
}

/** Pause today: the schedule is on and not paused already. */
export function pauseRule(i: ControlInputs): Rule {
  const u = unreachable(i);
  if (u) return u;
  const st = i.state!;
  if (!st.schedule_enabled || st.phase === 'disabled') return no('Nothing to pause: the automatic schedule is off');
  if (st.phase === 'paused') return no('Already paused for today');
  return OK;
}

export function resumeRule(i: ControlInputs): Rule {
  const u = unreachable(i);
  if (u) return u;
  return i.state!.phase === 'paused' ? OK : no('Nothing to resume: the schedule is not paused');
}

/** Confirm: a warning or prompt is pending, and never in remind mode (it never moves). */
export function confirmRule(i: ControlInputs): Rule {
  const u = unreachable(i);
  if (u) return u;
  const st = i.state!;
  if (st.mode === 'remind') return no('Remind mode never moves the desk: change posture yourself');
  if (st.phase === 'warning' || st.phase === 'awaiting_confirm') return OK;
  return no('Nothing to confirm: no change is waiting');
}
