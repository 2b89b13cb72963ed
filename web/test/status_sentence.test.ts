import { describe, expect, it } from 'vitest';
import { decodeState, type DeskState } from '../src/desk_state';
import { Formatter } from '../src/format';
import { statusSentence } from '../src/status_sentence';

const fmt = new Formatter('en-US', 'UTC');
function state(fields: Record<string, unknown>): DeskState {
  return decodeState(JSON.stringify({
    height_mm: 720, posture: 'sitting', calibrated: true, schedule_enabled: true, mode: 'auto',
    phase: 'counting', phase_reason: '', next_change: '2026-11-23T10:30:00Z', next_posture: 'standing', ...fields,
  }))!;
}

describe('statusSentence', () => {
  it('says what will happen next, in words', () => {
    expect(statusSentence(state({}), fmt, 16).headline).toBe('You are sitting; you stand at Mon 10:30 AM.');
    expect(statusSentence(state({ phase: 'outside_hours' }), fmt, 16).headline).toBe('Outside your working hours; you stand at Mon 10:30 AM.');
    expect(statusSentence(state({ phase: 'paused', next_change: null }), fmt, 16).headline).toBe('Paused for today; no change is planned.');
    expect(statusSentence(state({ phase: 'disabled' }), fmt, 16).headline).toMatch(/schedule is off/);
  });

  it('says a change waits for the next pause, and until when at the latest', () => {
    const s = statusSentence(state({ phase_reason: 'waiting for a pause' }), fmt, 16);
    expect(s.headline).toBe('Time to stand at your next pause.');
    expect(s.why).toBe('The desk waits until you stop typing for a moment, at the latest until Mon 10:30 AM.');
  });

  it('says why automatic changes are held and what to do', () => {
    const cases: Array<[string, RegExp, RegExp]> = [
      ['nobody at the desk', /Nobody is at the desk/, /someone is back/],
      ['clock not synchronised', /clock is not set/, /NTP/],
      ['fault latched', /fault stopped the desk/, /Clear fault/],
      ['position unknown', /height is unknown/, /Calibrate/],
      ['daily limit reached', /used up \(16 a day\)/, /Automatic moves per day at most/],
      ['busy: the change to standing waits until you are free (skipped after 60 min)', /You are busy/, /skipped after 60 min/],
      ['height may be off by up to 8 mm: calibrate', /sensor missed some steps/, /height may be off by up to 8 mm\. Calibrate/],
      ['something new', /on hold/, /something new/],
    ];
    for (const [reason, headline, why] of cases) {
      const s = statusSentence(state({ phase: 'blocked', phase_reason: reason }), fmt, 16);
      expect(s.headline, reason).toMatch(headline);
      expect(s.why, reason).toMatch(why);
    }
  });

  it('tells remind mode from confirm mode, and a hand move from an automatic one', () => {
    expect(statusSentence(state({ phase: 'awaiting_confirm', mode: 'remind' }), fmt, 16).why).toBe('Remind mode never moves the desk.');
    expect(statusSentence(state({ phase: 'awaiting_confirm', mode: 'confirm' }), fmt, 16).headline).toBe('Time to stand: press Confirm and the desk moves.');
    expect(statusSentence(state({ phase: 'moving', phase_reason: 'manual move' }), fmt, 16).headline).toBe('The desk is being moved by hand.');
    expect(statusSentence(state({ phase: 'warning' }), fmt, 16).headline).toBe('The desk is about to move: time to stand.');
  });
});
