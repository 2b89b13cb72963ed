// Decoding of B/state (DESIGN.md §8 plus the dashboard fields agreed for issue 5).
import { bool, isObject, num, numOrNull, oneOf, parseJsonObject, str, strOrNull } from './json';
import { comfortMean } from './comfort';

export const MOTIONS = ['stopped', 'up', 'down'] as const;
export const POSTURES = ['sitting', 'standing', 'between', 'unknown'] as const;
export const PHASES = [
  'disabled',
  'outside_hours',
  'paused',
  'blocked',
  'counting',
  'warning',
  'awaiting_confirm',
  'moving',
] as const;
export const MODES = ['auto', 'confirm', 'remind'] as const;
export const FAULTS = ['none', 'stall', 'obstruction', 'timeout', 'limit', 'sensor', 'gpio'] as const;

export type Motion = (typeof MOTIONS)[number];
export type Posture = (typeof POSTURES)[number];
export type Phase = (typeof PHASES)[number];
export type Mode = (typeof MODES)[number];

export interface DeskState {
  height_mm: number | null;
  position: number | null;
  target_mm: number | null;
  motion: Motion;
  posture: Posture;
  calibrated: boolean;
  /** How far height_mm may be off (lost encoder steps since the last re-zero); 0 if absent. */
  height_uncertainty_mm: number;
  /** One of FAULTS, or another code a newer deskd sends; "none" when no fault is latched. */
  fault: string;
  fault_detail: string;
  schedule_enabled: boolean;
  mode: Mode;
  phase: Phase;
  phase_reason: string;
  /** Epoch milliseconds of the next scheduled change, or null. */
  next_change: number | null;
  next_posture: Posture | null;
  sit_today_s: number;
  stand_today_s: number;
  transitions_today: number;
  longest_sit_today_s: number;
  min_height_mm: number;
  max_height_mm: number;
  sit_height_mm: number;
  stand_height_mm: number;
  presets: Record<string, number>;
  stand_minutes: number | null;
  break_due: boolean;
  warning_remaining_s: number | null;
  /** Skips left today under [schedule] max_skips_per_day; null without a limit. */
  skips_left: number | null;
  /** "Did you walk?" is open after a movement break ([schedule.breaks] ask_walked). */
  walk_question: boolean;
  /** The comfort check-in is open ([schedule] comfort_checkin); answer with {"comfort":N}. */
  comfort_question: boolean;
  /** The mean of today's comfort answers (1..5), null without one. */
  comfort_today: number | null;
  version: string;
  /** Optional: the desk's clock when it published (epoch ms); differs from ours in simulation. */
  now: number | null;
  /** Optional: how much faster than real time the desk's clock runs (--time-scale); 1 if absent. */
  time_scale: number;
}

export const DEFAULT_LIMITS = { min: 620, max: 1270, sit: 720, stand: 1100 } as const;

/** Parses a B/state payload; null when it is not a JSON object. Bad fields read as defaults. */
export function decodeState(payload: string | Uint8Array): DeskState | null {
  const o = parseJsonObject(payload);
  if (!o) return null;
  let minH = num(o, 'min_height_mm', DEFAULT_LIMITS.min);
  let maxH = num(o, 'max_height_mm', DEFAULT_LIMITS.max);
  if (!(minH < maxH)) {
    minH = DEFAULT_LIMITS.min;
    maxH = DEFAULT_LIMITS.max;
  }
  const presets: Record<string, number> = {};
  const p = o['presets'];
  if (isObject(p)) {
    for (const [name, v] of Object.entries(p)) {
      if (typeof v === 'number' && Number.isFinite(v)) presets[name] = v;
    }
  }
  const position = numOrNull(o, 'position');
  const nextPosture = strOrNull(o, 'next_posture');
  return {
    height_mm: numOrNull(o, 'height_mm'),
    position: position === null ? null : Math.min(100, Math.max(0, position)),
    target_mm: numOrNull(o, 'target_mm'),
    motion: oneOf(o, 'motion', MOTIONS, 'stopped'),
    posture: oneOf(o, 'posture', POSTURES, 'unknown'),
    calibrated: bool(o, 'calibrated', false),
    height_uncertainty_mm: Math.max(0, num(o, 'height_uncertainty_mm', 0)),
    fault: str(o, 'fault', 'none') || 'none',
    fault_detail: str(o, 'fault_detail', ''),
    schedule_enabled: bool(o, 'schedule_enabled', false),
    mode: oneOf(o, 'mode', MODES, 'auto'),
    phase: oneOf(o, 'phase', PHASES, 'disabled'),
    phase_reason: str(o, 'phase_reason', ''),
    next_change: parseInstant(strOrNull(o, 'next_change')),
    next_posture:
      nextPosture !== null && (POSTURES as readonly string[]).includes(nextPosture)
        ? (nextPosture as Posture)
        : null,
    sit_today_s: Math.max(0, num(o, 'sit_today_s', 0)),
    stand_today_s: Math.max(0, num(o, 'stand_today_s', 0)),
    transitions_today: Math.max(0, num(o, 'transitions_today', 0)),
    longest_sit_today_s: Math.max(0, num(o, 'longest_sit_today_s', 0)),
    min_height_mm: minH,
    max_height_mm: maxH,
    sit_height_mm: num(o, 'sit_height_mm', DEFAULT_LIMITS.sit),
    stand_height_mm: num(o, 'stand_height_mm', DEFAULT_LIMITS.stand),
    presets,
    stand_minutes: numOrNull(o, 'stand_minutes'),
    break_due: bool(o, 'break_due', false),
    warning_remaining_s: numOrNull(o, 'warning_remaining_s'),
    skips_left: numOrNull(o, 'skips_left'),
    walk_question: bool(o, 'walk_question', false),
    comfort_question: bool(o, 'comfort_question', false),
    comfort_today: comfortMean(o['comfort_today']),
    version: str(o, 'version', ''),
    now: parseInstant(strOrNull(o, 'now')),
    time_scale: Math.max(num(o, 'time_scale', 1), 1e-6),
  };
}

/** ISO 8601 with offset (or Z) -> epoch ms; null for null or unparsable text. */
export function parseInstant(text: string | null): number | null {
  if (text === null) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    return null;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Real seconds until the desk's clock reaches `at` (epoch ms on the desk's clock). Uses the
 * state's `now`/`time_scale` when present (simulated time), else the browser's clock.
 */
export function secondsUntil(s: DeskState, at: number, stateAt: number, realNow: number): number {
  if (s.now === null) return (at - realNow) / 1000;
  return (at - s.now) / 1000 / s.time_scale - (realNow - stateAt) / 1000;
}

export function isMoving(s: DeskState): boolean {
  return s.motion !== 'stopped';
}

export function hasFault(s: DeskState): boolean {
  return s.fault !== 'none';
}

/** Availability payload: "online"/"offline"; anything else reads as unknown. */
export type Availability = 'online' | 'offline' | 'unknown';

export function decodeAvailability(payload: string | Uint8Array): Availability {
  const text = (typeof payload === 'string' ? payload : new TextDecoder().decode(payload)).trim();
  return text === 'online' || text === 'offline' ? text : 'unknown';
}
