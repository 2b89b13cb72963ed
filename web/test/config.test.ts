import { describe, expect, it } from 'vitest';
import { decodeConfig } from '../src/config';
import { isAuthError } from '../src/connection';
import { Formatter } from '../src/format';

describe('decodeConfig', () => {
  const cfg = { broker_ws_url: 'ws://127.0.0.1:9001', base_topic: 'deskd', desk_id: 'office', version: '0.1.0' };

  it('keeps the bridge\'s refusal notice for the page to show, and only with the bridge', () => {
    const notice = 'the MQTT broker accepts clients without a password';
    const bridged = { ...cfg, mqtt_ws_path: '/mqtt', bridge_notice: notice };
    expect(decodeConfig(bridged, 'http://192.168.1.5:8080/').bridge_notice).toBe(notice);
    expect(decodeConfig({ ...cfg, mqtt_ws_path: '/mqtt' }, 'http://192.168.1.5:8080/').bridge_notice).toBeUndefined();
    expect(decodeConfig({ ...cfg, bridge_notice: notice }, 'http://192.168.1.5:8080/').bridge_notice).toBeUndefined();
  });

  it('reads deskd\'s config.json', () => {
    expect(decodeConfig(cfg, 'http://127.0.0.1:8080/')).toEqual({ ...cfg, units: 'mm', desk_name: '' });
    const named = { ...cfg, units: 'in', desk_name: 'Standing desk' };
    expect(decodeConfig(named, 'http://127.0.0.1:8080/')).toEqual(named);
    expect(decodeConfig({ ...cfg, units: 'furlong' }, 'http://127.0.0.1:8080/').units).toBe('mm');
  });

  it('points a loopback broker URL at the page\'s host for a remote browser', () => {
    const c = decodeConfig({ ...cfg, broker_ws_url: 'ws://localhost:9001' }, 'http://pi.local:8080/');
    expect(c.broker_ws_url).toBe('ws://pi.local:9001/');
  });

  it('uses deskd\'s MQTT bridge on the page\'s own origin when config.json names it', () => {
    const bridged = { ...cfg, mqtt_ws_path: '/mqtt' };
    expect(decodeConfig(bridged, 'http://pi.local:8080/').broker_ws_url).toBe('ws://pi.local:8080/mqtt');
    // Behind a TLS reverse proxy under a sub-path: wss, same host, the page's directory.
    expect(decodeConfig(bridged, 'https://home.example/desk/?x=1#top').broker_ws_url).toBe(
      'wss://home.example/desk/mqtt',
    );
  });

  it('refuses a base topic with wildcards and a bad desk id', () => {
    expect(() => decodeConfig({ ...cfg, base_topic: 'a/+' }, 'http://x/')).toThrow(/base_topic/);
    expect(() => decodeConfig({ ...cfg, desk_id: 'Big Desk' }, 'http://x/')).toThrow(/desk_id/);
    expect(() => decodeConfig({ ...cfg, broker_ws_url: 'http://x:1' }, 'http://x/')).toThrow(/ws:\/\//);
    expect(() => decodeConfig([], 'http://x/')).toThrow();
  });
});

describe('isAuthError', () => {
  it('recognises CONNACK refusals that need a login', () => {
    expect(isAuthError(Object.assign(new Error('Connection refused: Not authorized'), { code: 5 }))).toBe(true);
    expect(isAuthError(Object.assign(new Error('Connection refused: Bad username or password'), { code: 4 }))).toBe(true);
    expect(isAuthError(Object.assign(new Error('Not authorized'), { code: 135 }))).toBe(true);
    expect(isAuthError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
  });
});

describe('Formatter', () => {
  const f = new Formatter('en-US', 'UTC');
  it('formats heights and durations in the locale', () => {
    expect(f.heightMm(1100)).toBe('1,100 mm');
    expect(f.heightMm(null)).toBe('—');
    expect(f.duration(42)).toMatch(/^42\s?sec/);
    expect(f.duration(4500)).toMatch(/^1\s?hr 15\s?min$/);
    expect(f.countdown(125)).toBe('2:05');
    expect(f.countdown(3723)).toBe('1:02:03');
  });
  it('follows another locale', () => {
    expect(new Formatter('de-DE', 'UTC').heightMm(1100)).toBe('1.100 mm');
  });
  it('formats times in the given time zone', () => {
    expect(f.time(Date.UTC(2026, 10, 22, 14, 5))).toBe('2:05 PM');
    expect(f.weekday('2026-11-22')).toBe('Sun');
  });
});
