import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import {
  connackCode,
  connectPacket,
  decodePublish,
  disconnectPacket,
  MAX_BUFFERED,
  PacketReader,
  pubackPacket,
  subackCodes,
  subscribePacket,
} from '../src/mqtt_wire';

// MQTT.js's own encoder is the reference: what the probe sends must be byte for byte what a
// conforming client would send.
const reference = (p: object) => new Uint8Array(mqttPacket.generate(p as mqttPacket.Packet));

describe('MQTT 3.1.1 packets the probe sends', () => {
  it('CONNECT: clean session, anonymous, the keep-alive and the client id', () => {
    for (const clientId of ['deskd-web-probe-abc', 'x', 'c'.repeat(150), 'ü'.repeat(200)]) {
      expect(connectPacket(clientId, 30)).toEqual(
        reference({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30, clientId }),
      );
    }
  });

  it('SUBSCRIBE at QoS 0, PUBACK and DISCONNECT', () => {
    const topics = ['deskd/office/state', 'deskd/+/availability'];
    expect(subscribePacket(1, topics)).toEqual(
      reference({ cmd: 'subscribe', messageId: 1, subscriptions: topics.map((topic) => ({ topic, qos: 0 })) }),
    );
    expect(pubackPacket(0x1234)).toEqual(reference({ cmd: 'puback', messageId: 0x1234 }));
    expect(disconnectPacket()).toEqual(reference({ cmd: 'disconnect' }));
  });
});

describe('PacketReader', () => {
  const state = JSON.stringify({ height_mm: 732.4, motion: 'stopped', pad: 'x'.repeat(20_000) });
  const publish = reference({ cmd: 'publish', topic: 'deskd/office/state', payload: state, qos: 0, retain: true });
  const connack = reference({ cmd: 'connack', returnCode: 0, sessionPresent: false });

  it('cuts a stream split at any byte into whole packets (a 3-byte remaining length included)', () => {
    const stream = new Uint8Array([...connack, ...publish]);
    for (const cut of [1, 2, 3, 4, 5, 100, publish.length]) {
      const reader = new PacketReader();
      const got = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
      expect(got.map((p) => p.type)).toEqual([2, 3]);
      const m = decodePublish(got[1]);
      expect(m.topic).toBe('deskd/office/state');
      expect(new TextDecoder().decode(m.payload)).toBe(state);
      expect(connackCode(got[0])).toBe(0);
    }
  });

  it('reads two packets from one chunk and keeps an incomplete third', () => {
    const reader = new PacketReader();
    const pingresp = reference({ cmd: 'pingresp' });
    expect(reader.push(new Uint8Array([...pingresp, ...connack, publish[0]])).map((p) => p.type)).toEqual([13, 2]);
    expect(reader.push(publish.subarray(1)).map((p) => p.type)).toEqual([3]);
  });

  it('refuses a packet longer than MAX_BUFFERED as soon as its length is read', () => {
    const reader = new PacketReader();
    const big = reference({ cmd: 'publish', topic: 't', payload: Buffer.alloc(MAX_BUFFERED + 1), qos: 0 });
    expect(() => reader.push(big.subarray(0, 4))).toThrow(/too large/);
    const fits = reference({ cmd: 'publish', topic: 't', payload: Buffer.alloc(MAX_BUFFERED - 3), qos: 0 });
    expect(new PacketReader().push(fits)).toHaveLength(1);
  });

  it('refuses a remaining length of more than four bytes', () => {
    expect(() => new PacketReader().push(new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(/remaining length/);
  });
});

describe('decoding what the broker sends', () => {
  const read = (p: object) => new PacketReader().push(reference(p))[0];

  it('a QoS 1 PUBLISH carries its packet id before the payload', () => {
    const m = decodePublish(read({ cmd: 'publish', topic: 'deskd/a/state', payload: '{}', qos: 1, messageId: 7 }));
    expect(m).toMatchObject({ topic: 'deskd/a/state', qos: 1, packetId: 7 });
    expect(new TextDecoder().decode(m.payload)).toBe('{}');
  });

  it('a PUBLISH whose topic runs past its end, or is not UTF-8, is malformed', () => {
    const long = new PacketReader().push(new Uint8Array([0x30, 4, 0, 9, 0x61, 0x62]))[0];
    expect(() => decodePublish(long)).toThrow(/malformed/);
    const latin1 = new PacketReader().push(new Uint8Array([0x30, 4, 0, 2, 0xe9, 0x61]))[0];
    expect(() => decodePublish(latin1)).toThrow();
  });

  it('CONNACK return codes and SUBACK grants', () => {
    expect(connackCode(read({ cmd: 'connack', returnCode: 5 }))).toBe(5);
    const suback = read({ cmd: 'suback', messageId: 1, granted: [0, 128] });
    expect(subackCodes(suback, 1, 2)).toEqual([0, 0x80]);
    expect(() => subackCodes(suback, 2, 2)).toThrow(/unexpected SUBACK/);
    expect(() => subackCodes(suback, 1, 3)).toThrow(/malformed SUBACK/);
    const odd = new PacketReader().push(new Uint8Array([0x90, 3, 0, 1, 0x05]))[0];
    expect(() => subackCodes(odd, 1, 1)).toThrow(/malformed SUBACK/);
  });
});
