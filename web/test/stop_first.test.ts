import { describe, expect, it } from 'vitest';
import { holdTarget } from '../src/hold_step';
import { RESEND_WITHIN_MS, StopSender } from '../src/stop_sender';

function sender(mqttUp: boolean, probeOpen: boolean) {
  const sent: string[] = [];
  const s = {
    mqttUp,
    probeOpen,
    sent,
    sender: null as unknown as StopSender,
  };
  s.sender = new StopSender(
    () => (s.mqttUp ? (sent.push('mqtt'), true) : false),
    () => (s.probeOpen ? (sent.push('probe'), true) : false),
  );
  return s;
}

describe('StopSender', () => {
  it('uses MQTT.js when connected', () => {
    const s = sender(true, true);
    expect(s.sender.stop(0)).toBe('mqtt');
    expect(s.sent).toEqual(['mqtt']);
    expect(s.sender.mqttConnected(10)).toBe(false);
  });
  it('uses the probe before MQTT.js is connected, and repeats it through MQTT.js once connected soon after', () => {
    const s = sender(false, true);
    expect(s.sender.stop(1000)).toBe('probe');
    s.mqttUp = true;
    expect(s.sender.mqttConnected(1000 + RESEND_WITHIN_MS)).toBe(true);
    expect(s.sent).toEqual(['probe', 'mqtt']);
    expect(s.sender.mqttConnected(1000 + RESEND_WITHIN_MS)).toBe(false); // once
  });
  it('does not repeat a stale stop', () => {
    const s = sender(false, true);
    s.sender.stop(0);
    s.mqttUp = true;
    expect(s.sender.mqttConnected(RESEND_WITHIN_MS + 1)).toBe(false);
    expect(s.sent).toEqual(['probe']);
  });
  it('says when no connection can carry it', () => {
    expect(sender(false, false).sender.stop(0)).toBe('none');
  });
});

describe('holdTarget', () => {
  it('aims a bounded step ahead of the desk, within its limits', () => {
    expect(holdTarget(800, 'up', 620, 1270)).toBe(850);
    expect(holdTarget(800.4, 'down', 620, 1270)).toBe(750);
    expect(holdTarget(1250, 'up', 620, 1270)).toBe(1270);
    expect(holdTarget(640, 'down', 620, 1270)).toBe(620);
  });
  it('is null at the limit', () => {
    expect(holdTarget(1270, 'up', 620, 1270)).toBeNull();
    expect(holdTarget(620, 'down', 620, 1270)).toBeNull();
  });
});
