import { describe, expect, it } from 'vitest';
import { decodeState } from '../src/desk_state';
import { Formatter } from '../src/format';
import { pendingChange, warningRemaining } from '../src/pending_change';
import { countdownText, warningText } from '../src/warning_text';

const fmt = new Formatter('en-US', 'UTC');
const state = (o: Record<string, unknown>) =>
  decodeState(JSON.stringify({ height_mm: 720, posture: 'sitting', sit_height_mm: 720, stand_height_mm: 1100, ...o }))!;

describe('pendingChange', () => {
  it('is null while nothing is announced', () => {
    for (const phase of ['disabled', 'outside_hours', 'paused', 'blocked', 'counting']) {
      expect(pendingChange(state({ phase }), 0, 0)).toBeNull();
    }
    expect(pendingChange(null, 0, 0)).toBeNull();
  });

  it('reads a warning: the target posture, its height, the direction and the real seconds left', () => {
    const st = state({ phase: 'warning', mode: 'auto', next_posture: 'standing', warning_remaining_s: 600, time_scale: 60 });
    // 600 s of the desk's clock at 60x = 10 s real, 2 s of which have passed since the state came.
    expect(pendingChange(st, 1_000, 3_000)).toEqual({ kind: 'warning', posture: 'standing', target_mm: 1100, rises: true, remaining_s: 8 });
  });

  it('falls back to the opposite posture and to next_change on the desk clock', () => {
    const st = state({ phase: 'warning', posture: 'standing', height_mm: 1100, next_change: '2026-01-01T10:00:30Z', now: '2026-01-01T10:00:00Z' });
    const p = pendingChange(st, 0, 10_000)!;
    expect(p).toMatchObject({ posture: 'sitting', target_mm: 720, rises: false });
    expect(p.remaining_s).toBe(20);
    expect(warningRemaining(state({}), 0, 0)).toBeNull();
  });

  it('tells a confirm-mode prompt from a remind-mode reminder', () => {
    expect(pendingChange(state({ phase: 'awaiting_confirm', mode: 'confirm', next_posture: 'standing' }), 0, 0)?.kind).toBe('prompt');
    expect(pendingChange(state({ phase: 'awaiting_confirm', mode: 'remind', next_posture: 'standing' }), 0, 0)?.kind).toBe('reminder');
  });

  it('reads an automatic move by its target', () => {
    const p = pendingChange(state({ phase: 'moving', motion: 'up', target_mm: 1100 }), 0, 0);
    expect(p).toMatchObject({ kind: 'moving', posture: 'standing', target_mm: 1100, rises: true, remaining_s: null });
  });
});

describe('warningText', () => {
  it('says what the desk does and when, like "Desk rises to 1,100 mm in 0:10"', () => {
    const p = pendingChange(state({ phase: 'warning', next_posture: 'standing', warning_remaining_s: 10 }), 0, 0)!;
    const t = warningText(p, fmt, 10);
    expect(`${t.headline} ${t.countdown}`).toBe('Desk rises to 1,100 mm in 0:10');
    expect(t.snooze).toBe('Snooze 10 min');
    expect(t.confirm).toBeNull();
    expect(t.title).toBe('0:10 ▲ Desk rises to 1,100 mm');
  });

  it('counts down and says "now" at the end; lowers for sitting', () => {
    const p = pendingChange(state({ phase: 'warning', posture: 'standing', height_mm: 1100, next_posture: 'sitting', warning_remaining_s: 0.2 }), 0, 0)!;
    const t = warningText(p, fmt, null);
    expect(`${t.headline} ${t.countdown}`).toBe('Desk lowers to 720 mm now');
    expect(t.snooze).toBe('Snooze');
    expect(t.title).toBe('▼ Desk lowers to 720 mm');
  });

  it('in confirm mode says exactly what Confirm does', () => {
    const p = pendingChange(state({ phase: 'awaiting_confirm', mode: 'confirm', next_posture: 'standing' }), 0, 0)!;
    const t = warningText(p, fmt, 5);
    expect(t.headline).toBe('Time to stand up');
    expect(t.detail).toBe('Confirm raises the desk to 1,100 mm now.');
    expect(t.confirm).toBe('Confirm: raise to 1,100 mm');
    expect(t.countdown).toBe('');
  });

  it('in remind mode never asks to confirm a move', () => {
    const p = pendingChange(state({ phase: 'awaiting_confirm', mode: 'remind', next_posture: 'standing' }), 0, 0)!;
    const t = warningText(p, fmt, 10);
    expect(t.confirm).toBeNull();
    expect(t.headline).toBe('Time to stand up');
    expect(t.detail).toBe('A reminder only: the desk does not move by itself (your standing height is 1,100 mm).');
    expect(`${t.headline} ${t.detail}`).not.toMatch(/confirm/i);
  });

  it('names an automatic move in progress', () => {
    const p = pendingChange(state({ phase: 'moving', motion: 'up', target_mm: 1100 }), 0, 0)!;
    expect(warningText(p, fmt, 10).headline).toBe('Desk rising to 1,100 mm');
  });

  it('formats the countdown clock-style', () => {
    expect(countdownText(null, fmt)).toBe('');
    expect(countdownText(9.2, fmt)).toBe('in 0:10');
    expect(countdownText(75, fmt)).toBe('in 1:15');
    expect(countdownText(3725, fmt)).toBe('in 1:02:05');
    expect(countdownText(0.4, fmt)).toBe('now');
    expect(countdownText(-3, fmt)).toBe('now');
  });
});
