import { describe, expect, it } from 'vitest';
import { decodeAvailability, decodeState, parseInstant, secondsUntil } from '../src/desk_state';

const full = {
  height_mm: 1100, position: 74, target_mm: null, motion: 'stopped', posture: 'standing',
  calibrated: true, fault: 'none', fault_detail: '', schedule_enabled: true, mode: 'auto',
  phase: 'counting', phase_reason: '', next_change: '2026-11-22T10:30:00+01:00', next_posture: 'sitting',
  sit_today_s: 1800, stand_today_s: 1200, transitions_today: 3, longest_sit_today_s: 1800,
  min_height_mm: 620, max_height_mm: 1270, sit_height_mm: 720, stand_height_mm: 1100,
  presets: { focus: 1000 }, stand_minutes: 20, break_due: false, warning_remaining_s: null, version: '0.1.0',
};

describe('decodeState', () => {
  it('reads every agreed field of a full state', () => {
    const s = decodeState(JSON.stringify(full))!;
    expect(s.height_mm).toBe(1100);
    expect(s.position).toBe(74);
    expect(s.motion).toBe('stopped');
    expect(s.posture).toBe('standing');
    expect(s.phase).toBe('counting');
    expect(s.next_change).toBe(Date.UTC(2026, 10, 22, 9, 30));
    expect(s.next_posture).toBe('sitting');
    expect(s.presets).toEqual({ focus: 1000 });
    expect(s.min_height_mm).toBe(620);
    expect(s.max_height_mm).toBe(1270);
    expect(s.warning_remaining_s).toBeNull();
    expect(s.version).toBe('0.1.0');
    expect(s.height_uncertainty_mm).toBe(0);  // absent: none (an older deskd)
    expect(s.walk_question).toBe(false);
    expect(decodeState(JSON.stringify({ ...full, walk_question: true }))!.walk_question).toBe(true);
    expect(s.comfort_question).toBe(false);
    expect(s.comfort_today).toBeNull();
    const c = decodeState(JSON.stringify({ ...full, comfort_question: true, comfort_today: 3.5 }))!;
    expect([c.comfort_question, c.comfort_today]).toEqual([true, 3.5]);
    expect(decodeState(JSON.stringify({ ...full, comfort_today: 9 }))!.comfort_today).toBeNull();
    expect(decodeState(JSON.stringify({ ...full, height_uncertainty_mm: 8 }))!.height_uncertainty_mm).toBe(8);
  });

  it('keeps an unknown height as null', () => {
    const s = decodeState(JSON.stringify({ ...full, height_mm: null, position: null, calibrated: false }))!;
    expect(s.height_mm).toBeNull();
    expect(s.position).toBeNull();
    expect(s.calibrated).toBe(false);
  });

  it('accepts bytes as the payload', () => {
    expect(decodeState(new TextEncoder().encode(JSON.stringify(full)))?.height_mm).toBe(1100);
  });

  it('returns null for a payload that is not a JSON object', () => {
    expect(decodeState('not json')).toBeNull();
    expect(decodeState('[1,2]')).toBeNull();
    expect(decodeState('42')).toBeNull();
  });

  it('reads wrong types and unknown enum values as safe defaults', () => {
    const s = decodeState(JSON.stringify({ height_mm: '1100', motion: 'sideways', posture: 5, phase: 'dancing', presets: { a: 'x', b: 900 } }))!;
    expect(s.height_mm).toBeNull();
    expect(s.motion).toBe('stopped');
    expect(s.posture).toBe('unknown');
    expect(s.phase).toBe('disabled');
    expect(s.presets).toEqual({ b: 900 });
    expect(s.fault).toBe('none');
  });

  it('falls back to default limits when min is not below max', () => {
    const s = decodeState(JSON.stringify({ min_height_mm: 1300, max_height_mm: 700 }))!;
    expect(s.min_height_mm).toBeLessThan(s.max_height_mm);
  });

  it('clamps position to 0..100', () => {
    expect(decodeState('{"position":140}')!.position).toBe(100);
    expect(decodeState('{"position":-3}')!.position).toBe(0);
  });

  it('keeps a fault code it does not know', () => {
    expect(decodeState('{"fault":"overheat","fault_detail":"motor hot"}')!.fault).toBe('overheat');
  });
});

describe('parseInstant', () => {
  it('reads ISO 8601 with an offset or Z', () => {
    expect(parseInstant('2026-11-22T10:30:00+01:00')).toBe(Date.UTC(2026, 10, 22, 9, 30));
    expect(parseInstant('2026-11-22T09:30:00Z')).toBe(Date.UTC(2026, 10, 22, 9, 30));
  });
  it('refuses text without an offset or garbage', () => {
    expect(parseInstant('2026-11-22T10:30:00')).toBeNull();
    expect(parseInstant('tomorrow')).toBeNull();
    expect(parseInstant(null)).toBeNull();
  });
});

describe('decodeAvailability', () => {
  it('reads online and offline, anything else as unknown', () => {
    expect(decodeAvailability('online')).toBe('online');
    expect(decodeAvailability(new TextEncoder().encode('offline'))).toBe('offline');
    expect(decodeAvailability('ON')).toBe('unknown');
  });
});

describe('secondsUntil', () => {
  it('counts on the browser clock when the state has no clock of its own', () => {
    const s = decodeState(JSON.stringify(full))!;
    expect(secondsUntil(s, 100_000, 0, 40_000)).toBe(60);
  });
  it('follows the desk clock and its time scale when given', () => {
    // Desk clock says 10:00:00 and runs 60x; next change at 10:30:00 is 30 real seconds away.
    const s = decodeState(JSON.stringify({ ...full, now: '2026-11-22T10:00:00+01:00', time_scale: 60, next_change: '2026-11-22T10:30:00+01:00' }))!;
    const stateAt = 5_000_000;
    expect(secondsUntil(s, s.next_change!, stateAt, stateAt)).toBeCloseTo(30);
    expect(secondsUntil(s, s.next_change!, stateAt, stateAt + 10_000)).toBeCloseTo(20);
  });
});
