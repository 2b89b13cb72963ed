// The few MQTT 3.1.1 packets the first-state probe (state_probe.ts) speaks, and a reader that cuts
// a byte stream into packets. Everything else the page says goes through MQTT.js, but a Stop
// pressed before MQTT.js is connected (a PUBLISH on the probe's session, see stop_sender.ts).

/** The control packet types the probe reads (the high nibble of a packet's first byte). */
export const PacketType = { connack: 2, publish: 3, suback: 9 } as const;

export interface Packet {
  type: number;
  flags: number;
  body: Uint8Array;
}

export interface Publish {
  topic: string;
  qos: number;
  packetId: number | null;
  payload: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const MAX_REMAINING = 268_435_455;
/** More than this buffered is not a desk's state (deskd's /mqtt bridge takes 256 KB messages). */
export const MAX_BUFFERED = 262_144;

function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

function str(s: string): number[] {
  const b = encoder.encode(s);
  if (b.length > 0xffff) throw new Error('MQTT string longer than 65535 bytes');
  return [b.length >> 8, b.length & 0xff, ...b];
}

function packet(first: number, body: number[]): Uint8Array {
  return Uint8Array.from([first, ...remainingLength(body.length), ...body]);
}

/** CONNECT with a clean session, no credentials, no will. */
export function connectPacket(clientId: string, keepAliveS: number): Uint8Array {
  const body = [...str('MQTT'), 4, 0x02, keepAliveS >> 8, keepAliveS & 0xff, ...str(clientId)];
  return packet(0x10, body);
}

/** SUBSCRIBE to `topics`, each at QoS 0. */
export function subscribePacket(packetId: number, topics: readonly string[]): Uint8Array {
  const body = [packetId >> 8, packetId & 0xff];
  for (const t of topics) body.push(...str(t), 0);
  return packet(0x82, body);
}

/** PUBLISH at QoS 1, not retained (a command: the contract's B/set is QoS 1, never retained). */
export function publishPacket(packetId: number, topic: string, payload: string): Uint8Array {
  return packet(0x32, [...str(topic), packetId >> 8, packetId & 0xff, ...encoder.encode(payload)]);
}

export function pubackPacket(packetId: number): Uint8Array {
  return Uint8Array.from([0x40, 2, packetId >> 8, packetId & 0xff]);
}

export function disconnectPacket(): Uint8Array {
  return Uint8Array.from([0xe0, 0]);
}

/** Cuts a stream (WebSocket frames need not hold whole packets) into MQTT packets. */
export class PacketReader {
  private buf = new Uint8Array(0);

  /** Appends `chunk`; returns the packets it completed. Throws on a malformed length and on a
   *  packet longer than MAX_BUFFERED. */
  push(chunk: Uint8Array): Packet[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    const out: Packet[] = [];
    let at = 0;
    for (;;) {
      const head = readHeader(joined, at);
      if (head && head.length > MAX_BUFFERED) throw new Error('MQTT: packet too large');
      if (!head || head.end + head.length > joined.length) break;
      const first = joined[at];
      out.push({ type: first >> 4, flags: first & 0x0f, body: joined.slice(head.end, head.end + head.length) });
      at = head.end + head.length;
    }
    this.buf = joined.slice(at);
    return out;
  }
}

/** The remaining length at `at` and where the body starts; null while incomplete. */
function readHeader(b: Uint8Array, at: number): { length: number; end: number } | null {
  let length = 0;
  let scale = 1;
  for (let i = at + 1; i < b.length; i++) {
    length += (b[i] & 0x7f) * scale;
    if ((b[i] & 0x80) === 0) return { length, end: i + 1 };
    scale *= 128;
    if (i - at >= 4 || length > MAX_REMAINING) throw new Error('MQTT: malformed remaining length');
  }
  return null;
}

/** The return code of a CONNACK (0 = accepted); throws when the body is not two bytes. */
export function connackCode(p: Packet): number {
  if (p.body.length !== 2) throw new Error('MQTT: malformed CONNACK');
  return p.body[1];
}

/** The SUBACK's codes (0-2 granted, 0x80 refused) for `packetId` and its `count` filters. */
export function subackCodes(p: Packet, packetId: number, count: number): number[] {
  if (p.body.length < 2 || ((p.body[0] << 8) | p.body[1]) !== packetId) throw new Error('MQTT: unexpected SUBACK');
  const codes = [...p.body.slice(2)];
  if (codes.length !== count || codes.some((c) => c > 2 && c !== 0x80)) throw new Error('MQTT: malformed SUBACK');
  return codes;
}

/** Decodes a PUBLISH; throws on a malformed one. */
export function decodePublish(p: Packet): Publish {
  const qos = (p.flags >> 1) & 3;
  if (qos === 3 || p.body.length < 2) throw new Error('MQTT: malformed PUBLISH');
  const topicLength = (p.body[0] << 8) | p.body[1];
  let at = 2 + topicLength;
  if (at > p.body.length) throw new Error('MQTT: malformed PUBLISH');
  const topic = decoder.decode(p.body.subarray(2, at));
  let packetId: number | null = null;
  if (qos > 0) {
    if (at + 2 > p.body.length) throw new Error('MQTT: malformed PUBLISH');
    packetId = (p.body[at] << 8) | p.body[at + 1];
    at += 2;
  }
  return { topic, qos, packetId, payload: p.body.slice(at) };
}
