import { describe, expect, it } from 'vitest';
import { type EarlySocket, takeEarlySocket } from '../src/early_socket';

interface Fake {
  readyState: number;
  closed: boolean;
  onOpen: (() => void) | null;
}

function fake(readyState: number): WebSocket & Fake {
  const s = {
    readyState,
    closed: false,
    onOpen: null as (() => void) | null,
    close() { s.closed = true; },
    addEventListener(type: string, fn: () => void) { if (type === 'open') s.onOpen = fn; },
  };
  return s as unknown as WebSocket & Fake;
}

describe('takeEarlySocket', () => {
  const url = 'ws://127.0.0.1:8080/mqtt';

  it('hands over a connecting or open socket for the same URL, once', () => {
    for (const state of [0, 1]) {
      const socket = fake(state);
      const holder: { deskdEarlySocket?: EarlySocket } = { deskdEarlySocket: { url, socket } };
      expect(takeEarlySocket(url, holder)).toBe(socket);
      expect(socket.closed).toBe(false);
      expect(holder.deskdEarlySocket).toBeUndefined();
      expect(takeEarlySocket(url, holder)).toBeNull(); // a reconnect opens its own
    }
  });

  it('takes the same URL however spelled (MQTT.js writes the port and the path out)', () => {
    const socket = fake(0);
    const holder = { deskdEarlySocket: { url: 'ws://127.0.0.1:9101', socket } };
    expect(takeEarlySocket('ws://127.0.0.1:9101/', holder)).toBe(socket);
    const tls = fake(0);
    expect(takeEarlySocket('wss://desk.example:443/mqtt', { deskdEarlySocket: { url: 'wss://desk.example/mqtt', socket: tls } })).toBe(tls);
  });

  it('closes it for another URL (the broker is elsewhere) and returns null', () => {
    const open = fake(1);
    expect(takeEarlySocket('ws://broker:9001/', { deskdEarlySocket: { url, socket: open } })).toBeNull();
    expect(open.closed).toBe(true);
    // Still connecting: closed once open (closing it before logs an error in the console).
    const connecting = fake(0);
    const holder = { deskdEarlySocket: { url, socket: connecting } };
    expect(takeEarlySocket('ws://broker:9001/', holder)).toBeNull();
    expect(holder.deskdEarlySocket).toBeUndefined();
    expect(connecting.closed).toBe(false);
    connecting.onOpen?.();
    expect(connecting.closed).toBe(true);
  });

  it('never hands over a closing or closed socket', () => {
    for (const state of [2, 3]) {
      const socket = fake(state);
      expect(takeEarlySocket(url, { deskdEarlySocket: { url, socket } })).toBeNull();
    }
  });

  it('returns null when none was opened', () => {
    expect(takeEarlySocket(url, {})).toBeNull();
  });
});
