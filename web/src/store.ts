// Everything the page knows about the desks under the base topic, fed by MQTT messages.
import { decodeAvailability, decodeState, type Availability, type DeskState } from './desk_state';
import { isObject, parseJsonObject, type Json, type JsonObject } from './json';
import { decodeSchedule, type ScheduleDoc } from './schedule';
import { decodeStats, type DayStats } from './stats';
import type { ParsedTopic } from './topics';

export interface DeskEvent {
  type: string;
  at: number;
  fields: JsonObject;
}

export interface Response {
  op: string;
  status: 'ok' | 'error';
  data: Json | undefined;
  error: string;
  transaction: string | null;
}

export interface DeskEntry {
  id: string;
  availability: Availability;
  state: DeskState | null;
  /** When the last B/state arrived (epoch ms, page clock). */
  state_at: number | null;
  schedule: ScheduleDoc | null;
  stats: DayStats[] | null;
  /** Days from a stats/get answer (the history beyond B/stats' 30 days). */
  history: DayStats[] | null;
  events: DeskEvent[];
}

export type Change =
  | { kind: 'availability' | 'state' | 'schedule' | 'stats'; deskId: string }
  | { kind: 'event'; deskId: string; event: DeskEvent }
  | { kind: 'response'; deskId: string; response: Response };

export const MAX_EVENTS = 20;

/** A B/event payload; `at` is the event's own time (deskd's clock) when it has one, else `now`. */
export function decodeEvent(payload: string | Uint8Array | JsonObject, now: number): DeskEvent | null {
  const o = typeof payload === 'string' || payload instanceof Uint8Array ? parseJsonObject(payload) : payload;
  if (!o || typeof o['type'] !== 'string' || o['type'] === '') return null;
  const stamp = typeof o['at'] === 'string' ? Date.parse(o['at']) : NaN;
  return { type: o['type'], at: Number.isNaN(stamp) ? now : stamp, fields: o };
}

/**
 * The events to show: those deskd kept (events/get, oldest first) and those this page saw live
 * (newest first), each once, newest first, at most MAX_EVENTS.
 */
export function mergeEvents(live: DeskEvent[], kept: DeskEvent[]): DeskEvent[] {
  const seen = new Set<string>();
  // `kept` comes oldest first: newest first like `live`, so events of the same second keep
  // their order through the (stable) sort.
  const all = [...live, ...[...kept].reverse()].filter((e) => {
    const key = JSON.stringify(e.fields);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return all.sort((a, b) => b.at - a.at).slice(0, MAX_EVENTS);
}

export function decodeResponse(op: string, payload: string | Uint8Array): Response | null {
  const o = parseJsonObject(payload);
  if (!o) return null;
  const status = o['status'];
  if (status !== 'ok' && status !== 'error') return null;
  const tx = o['transaction'];
  const err = o['error'];
  return {
    op,
    status,
    data: o['data'],
    error: typeof err === 'string' ? err : status === 'error' ? 'request refused' : '',
    transaction: typeof tx === 'string' ? tx : null,
  };
}

export class FleetStore {
  readonly desks = new Map<string, DeskEntry>();

  get(id: string): DeskEntry | undefined {
    return this.desks.get(id);
  }

  private entry(id: string): DeskEntry {
    let e = this.desks.get(id);
    if (!e) {
      e = {
        id,
        availability: 'unknown',
        state: null,
        state_at: null,
        schedule: null,
        stats: null,
        history: null,
        events: [],
      };
      this.desks.set(id, e);
    }
    return e;
  }

  /**
   * Applies one message. An empty payload clears a retained topic (a desk was --forget'ed);
   * a desk with nothing left disappears. Returns what changed, or null for an ignored message.
   */
  apply(t: ParsedTopic, payload: string | Uint8Array, now: number): Change | null {
    const empty = payload.length === 0;
    if (t.kind === 'response') {
      const r = decodeResponse(t.op ?? '', payload);
      return r ? { kind: 'response', deskId: t.deskId, response: r } : null;
    }
    if (empty) {
      const e = this.desks.get(t.deskId);
      if (!e) return null;
      if (t.kind === 'availability') e.availability = 'unknown';
      else if (t.kind === 'state') {
        e.state = null;
        e.state_at = null;
      } else if (t.kind === 'schedule') e.schedule = null;
      else if (t.kind === 'stats') e.stats = null;
      else return null;
      if (e.availability === 'unknown' && !e.state && !e.schedule && !e.stats) {
        this.desks.delete(t.deskId);
      }
      return { kind: t.kind, deskId: t.deskId };
    }
    switch (t.kind) {
      case 'availability': {
        const a = decodeAvailability(payload);
        if (a === 'unknown') return null;
        this.entry(t.deskId).availability = a;
        return { kind: 'availability', deskId: t.deskId };
      }
      case 'state': {
        const s = decodeState(payload);
        if (!s) return null;
        const e = this.entry(t.deskId);
        e.state = s;
        e.state_at = now;
        return { kind: 'state', deskId: t.deskId };
      }
      case 'schedule': {
        const s = decodeSchedule(payload);
        if (!s) return null;
        this.entry(t.deskId).schedule = s;
        return { kind: 'schedule', deskId: t.deskId };
      }
      case 'stats': {
        const s = decodeStats(payload);
        if (!s) return null;
        this.entry(t.deskId).stats = s;
        return { kind: 'stats', deskId: t.deskId };
      }
      case 'event': {
        const ev = decodeEvent(payload, now);
        if (!ev) return null;
        const e = this.entry(t.deskId);
        e.events = [ev, ...e.events].slice(0, MAX_EVENTS);
        return { kind: 'event', deskId: t.deskId, event: ev };
      }
    }
  }

  /** Desk ids sorted by name. */
  ids(): string[] {
    return [...this.desks.keys()].sort();
  }
}

/** Replaces schedule/stats of a desk from a request's response data. */
export function applyResponseData(store: FleetStore, deskId: string, r: Response): void {
  const e = store.get(deskId);
  if (!e || r.status !== 'ok' || !isObject(r.data)) return;
  if (r.op === 'schedule/set' || r.op === 'schedule/get') {
    const s = decodeSchedule(r.data);
    if (s) e.schedule = s;
  } else if (r.op === 'stats/get') {
    const s = decodeStats(r.data);
    if (s) e.history = s;
  } else if (r.op === 'events/get' && Array.isArray(r.data['events'])) {
    const now = Date.now();
    const kept = r.data['events'].flatMap((v) => {
      const ev = isObject(v) ? decodeEvent(v, now) : null;
      return ev ? [ev] : [];
    });
    e.events = mergeEvents(e.events, kept);
  }
}
