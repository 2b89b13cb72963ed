import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { type ProbeEnd, type ProbeSocket, StateProbe } from '../src/state_probe';

const bytes = (p: object) => new Uint8Array(mqttPacket.generate(p as mqttPacket.Packet));

/** A socket that records what the probe sent (decoded) and lets the test play the broker. */
class FakeSocket implements ProbeSocket {
  readyState = 0;
  binaryType: BinaryType = 'blob';
  sent: mqttPacket.Packet[] = [];
  frames = 0;
  closes = 0;
  private readonly listeners = new Map<string, ((e: { data: unknown }) => void)[]>();
  private readonly parser = mqttPacket.parser({ protocolVersion: 4 });

  constructor() {
    this.parser.on('packet', (p) => this.sent.push(p));
  }

  addEventListener(type: string, fn: (e: { data: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  send(data: Uint8Array): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.frames++;
    this.parser.parse(Buffer.from(data));
  }

  close(): void {
    this.closes++;
    this.readyState = 3;
  }

  emit(type: string, data?: unknown): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ data });
  }

  open(): void {
    this.readyState = 1;
    this.emit('open');
  }

  /** The broker sends `packets` in one WebSocket message. */
  deliver(...packets: object[]): void {
    const all = packets.flatMap((p) => [...bytes(p)]);
    this.emit('message', new Uint8Array(all).buffer);
  }

  cmds(): string[] {
    return this.sent.map((p) => p.cmd);
  }
}

const TOPICS = ['deskd/+/availability', 'deskd/+/state'];

function probe(socket: FakeSocket) {
  const got: [string, string][] = [];
  const ends: ProbeEnd[] = [];
  const p = new StateProbe(socket, 'deskdprobe0123456789', TOPICS, {
    onMessage: (topic, payload) => got.push([topic, new TextDecoder().decode(payload)]),
    onEnd: (why) => ends.push(why),
  });
  return { p, got, ends };
}

const state = { cmd: 'publish', topic: 'deskd/office/state', payload: '{"height_mm":731}', qos: 0, retain: true };

describe('StateProbe', () => {
  it('once the socket opens, connects and subscribes at QoS 0 in one frame, and hands on the state', () => {
    const s = new FakeSocket();
    const { got, ends } = probe(s);
    expect(s.sent).toEqual([]);
    s.open();
    expect(s.binaryType).toBe('arraybuffer');
    expect(s.frames).toBe(1);
    expect(s.sent[0]).toMatchObject({ cmd: 'connect', clean: true, clientId: 'deskdprobe0123456789', keepalive: 30 });
    expect(s.sent[0]).not.toHaveProperty('username');
    expect(s.sent[1]).toMatchObject({ cmd: 'subscribe', subscriptions: TOPICS.map((topic) => ({ topic, qos: 0 })) });
    s.deliver({ cmd: 'connack', returnCode: 0 });
    s.deliver({ cmd: 'suback', messageId: 1, granted: [0, 0] }, state);
    expect(got).toEqual([['deskd/office/state', '{"height_mm":731}']]);
    expect(ends).toEqual([]);
  });

  it('speaks at once on a socket that is already open (the early one)', () => {
    const s = new FakeSocket();
    s.readyState = 1;
    probe(s);
    expect(s.cmds()).toEqual(['connect', 'subscribe']);
  });

  it('ends "refused" on a CONNACK that wants a login (4, 5), "error" on another refusal', () => {
    for (const [code, why] of [[4, 'refused'], [5, 'refused'], [3, 'error'], [2, 'error']] as const) {
      const s = new FakeSocket();
      const { got, ends } = probe(s);
      s.open();
      s.deliver({ cmd: 'connack', returnCode: code }, state);
      expect(ends).toEqual([why]);
      expect(s.closes).toBe(1);
      expect(got).toEqual([]);
    }
  });

  it('ends "denied" when the ACL refuses every topic, and goes on when it grants one', () => {
    const s = new FakeSocket();
    const { ends } = probe(s);
    s.open();
    s.deliver({ cmd: 'connack', returnCode: 0 }, { cmd: 'suback', messageId: 1, granted: [128, 128] });
    expect(ends).toEqual(['denied']);
    const t = new FakeSocket();
    const other = probe(t);
    t.open();
    t.deliver({ cmd: 'connack', returnCode: 0 }, { cmd: 'suback', messageId: 1, granted: [128, 0] }, state);
    expect(other.ends).toEqual([]);
    expect(other.got).toHaveLength(1);
  });

  it('publishes a Stop at QoS 1, not retained: at once when open, right after CONNECT when not yet', () => {
    const s = new FakeSocket();
    const { p } = probe(s);
    expect(p.publish('deskd/office/set', '{"action":"stop"}')).toBe(true);
    expect(s.sent).toEqual([]);
    s.open();
    expect(s.cmds()).toEqual(['connect', 'subscribe', 'publish']);
    expect(s.sent[2]).toMatchObject({ topic: 'deskd/office/set', qos: 1, retain: false, messageId: 2 });
    expect(String(s.sent[2].cmd === 'publish' && s.sent[2].payload)).toBe('{"action":"stop"}');
    expect(p.publish('deskd/office/set', '{"action":"stop"}')).toBe(true);
    expect(s.sent[3]).toMatchObject({ cmd: 'publish', qos: 1, messageId: 3 });
    s.deliver({ cmd: 'puback', messageId: 2 });
    p.close();
    expect(p.publish('deskd/office/set', '{"action":"stop"}')).toBe(false);
  });

  it('acknowledges a QoS 1 delivery', () => {
    const s = new FakeSocket();
    const { got } = probe(s);
    s.open();
    s.deliver({ cmd: 'connack', returnCode: 0 }, { ...state, qos: 1, messageId: 9 });
    expect(s.sent[2]).toMatchObject({ cmd: 'puback', messageId: 9 });
    expect(got).toHaveLength(1);
  });

  it('close() says DISCONNECT, closes the socket, ends "stopped" once and hands on nothing more', () => {
    const s = new FakeSocket();
    const { p, got, ends } = probe(s);
    s.open();
    s.deliver({ cmd: 'connack', returnCode: 0 });
    p.close();
    p.close();
    expect(s.cmds()).toEqual(['connect', 'subscribe', 'disconnect']);
    expect(s.closes).toBe(1);
    expect(ends).toEqual(['stopped']);
    expect(p.done).toBe(true);
    s.emit('message', bytes(state).buffer);
    s.emit('close');
    expect(got).toEqual([]);
    expect(ends).toEqual(['stopped']);
  });

  it('closed before the socket opened: closes it on open without a word', () => {
    const s = new FakeSocket();
    const { p, ends } = probe(s);
    p.close();
    s.open();
    expect(s.sent).toEqual([]);
    expect(s.closes).toBe(1);
    expect(ends).toEqual(['stopped']);
  });

  it('ends "error" on a malformed packet and "closed" when the socket closes', () => {
    const s = new FakeSocket();
    const bad = probe(s);
    s.open();
    s.emit('message', new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]).buffer);
    expect(bad.ends).toEqual(['error']);
    expect(s.closes).toBe(1);
    const t = new FakeSocket();
    const gone = probe(t);
    t.open();
    t.emit('close');
    expect(gone.ends).toEqual(['closed']);
  });
});
