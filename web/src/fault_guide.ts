// What a latched fault means, what to check, and the one recovery to follow (issue 23: fault
// banners that say what to check, then one guided recovery, e.g. "Clear the obstacle, then
// Calibrate"). The fault codes are deskd's (B/state `fault`).

export type RecoveryStep = 'clear_fault' | 'calibrate';

export interface FaultGuide {
  /** What happened, in words. */
  what: string;
  /** What to check before clearing it. */
  check: string;
  /** The buttons to press, in order. */
  steps: RecoveryStep[];
}

const GUIDES: Record<string, Omit<FaultGuide, 'steps'> & { calibrate: boolean }> = {
  stall: {
    what: 'The motor ran but the desk did not move.',
    check: 'Something may be blocking the desk, or the motor is overloaded: clear it first.',
    calibrate: false,
  },
  obstruction: {
    what: 'The desk slowed down as if it pressed on something, and backed off.',
    check: 'Look under and around the desk (a chair, a drawer, a cable, a knee) and clear it.',
    calibrate: false,
  },
  timeout: {
    what: 'A move took much longer than it should have.',
    check: 'Check that the desk moves freely and that nothing holds the handset.',
    calibrate: false,
  },
  limit: {
    what: 'A limit switch closed where the desk should not be.',
    check: 'Check the limit switches and their wiring.',
    calibrate: true,
  },
  sensor: {
    what: 'The height sensor stopped reporting.',
    check: "Check the encoder (or the desk controller's cable) and its wiring.",
    calibrate: true,
  },
  gpio: {
    what: 'deskd could not switch the motor outputs.',
    check: "Check the wiring and deskd's log (journalctl -u deskd).",
    calibrate: false,
  },
};

/** The guide for `fault`; `calibrated` false adds Calibrate after clearing (height unknown). */
export function faultGuide(fault: string, calibrated: boolean): FaultGuide {
  const g = GUIDES[fault] ?? {
    what: `The desk reported a fault (${fault}).`,
    check: "Check the desk and deskd's log.",
    calibrate: false,
  };
  const steps: RecoveryStep[] = ['clear_fault'];
  if (g.calibrate || !calibrated) steps.push('calibrate');
  return { what: g.what, check: g.check, steps };
}

/** "Then press Clear fault, then Calibrate." */
export function stepsText(steps: RecoveryStep[]): string {
  const names = steps.map((s) => (s === 'clear_fault' ? 'Clear fault' : 'Calibrate'));
  return `Then press ${names.join(', then ')}.`;
}
