import { describe, expect, it } from 'vitest';
import { applyResponseData, decodeEvent, decodeResponse, FleetStore, MAX_EVENTS, mergeEvents } from '../src/store';
import { fleetSubscriptions, parseTopic, responseSubscription } from '../src/topics';

const enc = (s: string) => new TextEncoder().encode(s);

function feed(store: FleetStore, topic: string, payload: string, now = 1000) {
  const t = parseTopic('deskd', topic);
  return t ? store.apply(t, enc(payload), now) : null;
}

describe('topics', () => {
  it('subscribes to the fleet topics and one desk\'s responses', () => {
    expect(fleetSubscriptions('deskd')).toEqual([
      'deskd/+/availability', 'deskd/+/state', 'deskd/+/schedule', 'deskd/+/stats', 'deskd/+/progress',
      'deskd/+/timeline', 'deskd/+/event',
    ]);
    expect(responseSubscription('deskd', 'office')).toBe('deskd/office/response/#');
  });

  it('maps topics to desk and kind', () => {
    expect(parseTopic('deskd', 'deskd/office/state')).toEqual({ deskId: 'office', kind: 'state' });
    expect(parseTopic('deskd', 'deskd/office/response/schedule/set')).toEqual({ deskId: 'office', kind: 'response', op: 'schedule/set' });
    expect(parseTopic('a/b', 'a/b/d1/availability')).toEqual({ deskId: 'd1', kind: 'availability' });
  });

  it('ignores topics the page does not read', () => {
    expect(parseTopic('deskd', 'deskd/office/set')).toBeNull();
    expect(parseTopic('deskd', 'deskd/office/state/extra')).toBeNull();
    expect(parseTopic('deskd', 'other/office/state')).toBeNull();
    expect(parseTopic('deskd', 'deskd/Office/state')).toBeNull();
    expect(parseTopic('deskd', 'deskd/office/response')).toBeNull();
  });
});

describe('FleetStore', () => {
  it('creates a desk from its first message and keeps every desk apart', () => {
    const s = new FleetStore();
    feed(s, 'deskd/b/availability', 'online');
    feed(s, 'deskd/a/state', '{"height_mm":700}');
    expect(s.ids()).toEqual(['a', 'b']);
    expect(s.get('a')!.state!.height_mm).toBe(700);
    expect(s.get('a')!.availability).toBe('unknown');
    expect(s.get('b')!.availability).toBe('online');
  });

  it('records when the state arrived', () => {
    const s = new FleetStore();
    feed(s, 'deskd/a/state', '{"height_mm":700}', 4242);
    expect(s.get('a')!.state_at).toBe(4242);
  });

  it('ignores malformed payloads without changing what it knows', () => {
    const s = new FleetStore();
    feed(s, 'deskd/a/state', '{"height_mm":700}');
    expect(feed(s, 'deskd/a/state', 'garbage')).toBeNull();
    expect(feed(s, 'deskd/a/availability', 'maybe')).toBeNull();
    expect(s.get('a')!.state!.height_mm).toBe(700);
  });

  it('forgets a desk whose retained topics are all cleared', () => {
    const s = new FleetStore();
    feed(s, 'deskd/a/availability', 'online');
    feed(s, 'deskd/a/state', '{"height_mm":700}');
    feed(s, 'deskd/a/state', '');
    expect(s.get('a')).toBeDefined();
    feed(s, 'deskd/a/availability', '');
    expect(s.get('a')).toBeUndefined();
  });

  it('keeps the newest events first, bounded', () => {
    const s = new FleetStore();
    for (let i = 0; i < MAX_EVENTS + 5; i++) feed(s, 'deskd/a/event', JSON.stringify({ type: 'warning', n: i }), i);
    const ev = s.get('a')!.events;
    expect(ev).toHaveLength(MAX_EVENTS);
    expect(ev[0].fields['n']).toBe(MAX_EVENTS + 4);
    expect(feed(s, 'deskd/a/event', '{"no":"type"}')).toBeNull();
  });

  it('dates an event by its own time when it has one', () => {
    const at = '2026-11-22T08:30:00+01:00';
    expect(decodeEvent(JSON.stringify({ type: 'move_started', at }), 5)!.at).toBe(Date.parse(at));
    expect(decodeEvent(JSON.stringify({ type: 'move_started', at: 'soon' }), 5)!.at).toBe(5);
  });

  it('fills the recent events from events/get, each once, with the live ones', () => {
    const s = new FleetStore();
    const ev = (type: string, at: string) => ({ type, at, detail: 'pause' });
    feed(s, 'deskd/a/event', JSON.stringify(ev('move_finished', '2026-11-22T09:00:05+01:00')));
    const kept = [ev('warning', '2026-11-22T08:59:00+01:00'), ev('move_started', '2026-11-22T09:00:00+01:00'),
      ev('move_finished', '2026-11-22T09:00:05+01:00')];
    const r = decodeResponse('events/get', JSON.stringify({ status: 'ok', data: { events: [...kept, 'junk', { no: 'type' }] } }))!;
    applyResponseData(s, 'a', r);
    expect(s.get('a')!.events.map((e) => e.type)).toEqual(['move_finished', 'move_started', 'warning']);
    // Events of the same second keep deskd's order.
    const same = '2026-11-22T10:00:00+01:00';
    const burst = mergeEvents([], ['a', 'b', 'c'].map((type) => decodeEvent(JSON.stringify({ type, at: same }), 0)!));
    expect(burst.map((e) => e.type)).toEqual(['c', 'b', 'a']);
    expect(mergeEvents([], []).length).toBe(0);
  });

  it('passes responses through with their operation and transaction', () => {
    const s = new FleetStore();
    const c = feed(s, 'deskd/a/response/schedule/set', '{"status":"error","error":"sit_minutes: too small","transaction":"t1"}');
    expect(c).toEqual({ kind: 'response', deskId: 'a', response: { op: 'schedule/set', status: 'error', data: undefined, error: 'sit_minutes: too small', transaction: 't1' } });
  });

  it('takes a schedule from a successful schedule/set response', () => {
    const s = new FleetStore();
    feed(s, 'deskd/a/availability', 'online');
    const r = decodeResponse('schedule/set', enc('{"status":"ok","data":{"sit_minutes":42},"transaction":"t"}'))!;
    applyResponseData(s, 'a', r);
    expect(s.get('a')!.schedule!.sit_minutes).toBe(42);
  });

  it('refuses responses without a valid status', () => {
    expect(decodeResponse('x', enc('{"status":"maybe"}'))).toBeNull();
    expect(decodeResponse('x', enc('{"status":"error"}'))!.error).toBe('request refused');
  });
});
