import { describe, expect, it } from 'vitest';
import {
  confirmRule, type ControlInputs, heightRule, moveRule, pauseRule, resumeRule, skipRule, snoozeRule, stopRule,
} from '../src/control_rules';
import { decodeState } from '../src/desk_state';

const state = (o: Record<string, unknown> = {}) =>
  decodeState(JSON.stringify({ height_mm: 720, calibrated: true, schedule_enabled: true, phase: 'counting', mode: 'auto', ...o }))!;
const live = (o: Record<string, unknown> = {}): ControlInputs =>
  ({ state: state(o), reachable: true, brokerUp: true, deskOffline: false, stopPath: true });

describe('Stop', () => {
  it('is enabled whenever some connection can carry it, even before MQTT.js is connected', () => {
    expect(stopRule({ state: state(), reachable: false, brokerUp: false, deskOffline: false, stopPath: true })).toEqual({ enabled: true, reason: '' });
  });
  it('is disabled, with the reason, when none can', () => {
    expect(stopRule({ state: null, reachable: false, brokerUp: false, deskOffline: false, stopPath: false }))
      .toEqual({ enabled: false, reason: 'Not connected to the broker yet' });
  });
});

describe('moves and the height control', () => {
  it('need the desk reachable and no fault', () => {
    expect(moveRule(live()).enabled).toBe(true);
    expect(moveRule(live({ fault: 'stall' }))).toEqual({ enabled: false, reason: 'Clear the fault first' });
    expect(moveRule({ ...live(), brokerUp: false, reachable: false }).reason).toBe('Not connected to the broker yet');
    expect(moveRule({ ...live(), reachable: false, deskOffline: true }).reason).toBe('The desk is offline');
    expect(moveRule({ ...live(), state: null, reachable: false }).reason).toBe('No data from the desk yet');
  });
  it('the slider and "Save current height" are disabled while the height is unknown', () => {
    expect(heightRule(live()).enabled).toBe(true);
    expect(heightRule(live({ height_mm: null }))).toEqual({ enabled: false, reason: 'Height unknown: calibrate the desk first' });
  });
});

describe('Snooze, Skip, Pause, Resume, Confirm', () => {
  it('Snooze and Skip only when there is a next change', () => {
    for (const phase of ['counting', 'warning', 'awaiting_confirm']) {
      expect(snoozeRule(live({ phase })).enabled).toBe(true);
      expect(skipRule(live({ phase })).enabled).toBe(true);
    }
    expect(snoozeRule(live({ phase: 'outside_hours' }))).toEqual({ enabled: false, reason: 'Nothing to snooze: outside working hours' });
    expect(skipRule(live({ phase: 'disabled' }))).toEqual({ enabled: false, reason: 'Nothing to skip: the automatic schedule is off' });
    expect(snoozeRule(live({ phase: 'paused' })).enabled).toBe(false);
    expect(snoozeRule(live({ phase: 'moving' })).enabled).toBe(false);
    expect(snoozeRule(live({ phase: 'blocked' })).enabled).toBe(false);
  });
  it('Pause only with the schedule on and not paused; Resume only when paused', () => {
    expect(pauseRule(live()).enabled).toBe(true);
    expect(pauseRule(live({ schedule_enabled: false, phase: 'disabled' })).reason).toBe('Nothing to pause: the automatic schedule is off');
    expect(pauseRule(live({ phase: 'paused' })).reason).toBe('Already paused for today');
    expect(resumeRule(live({ phase: 'paused' })).enabled).toBe(true);
    expect(resumeRule(live()).enabled).toBe(false);
  });
  it('Confirm only for a pending warning or prompt, never in remind mode', () => {
    expect(confirmRule(live({ phase: 'warning' })).enabled).toBe(true);
    expect(confirmRule(live({ phase: 'awaiting_confirm', mode: 'confirm' })).enabled).toBe(true);
    expect(confirmRule(live({ phase: 'awaiting_confirm', mode: 'remind' }))).toEqual(
      { enabled: false, reason: 'Remind mode never moves the desk: change posture yourself' });
    expect(confirmRule(live()).enabled).toBe(false);
  });
  it('all need the desk reachable', () => {
    const off = { ...live({ phase: 'warning' }), brokerUp: false, reachable: false };
    for (const rule of [snoozeRule, skipRule, pauseRule, confirmRule]) expect(rule(off).enabled).toBe(false);
  });
});
