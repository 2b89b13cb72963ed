import { describe, expect, it } from 'vitest';
import { applyResponseData, decodeResponse, FleetStore, MAX_EVENTS } from '../src/store';
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
      'deskd/+/event',
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
