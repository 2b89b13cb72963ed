// The first-state probe: a short, read-only MQTT session that fetches the desk's retained state
// for the page's first paint while MQTT.js (most of the page's script) still waits to be
// evaluated. It is a real client of the same broker at the same URL: anonymous, so the broker's
// ACL decides what it may read; a broker that wants a login refuses it, and the page then waits
// for MQTT.js and the login form as before. The page closes it once MQTT.js is connected.
import {
  connackCode,
  connectPacket,
  decodePublish,
  disconnectPacket,
  type Packet,
  PacketReader,
  PacketType,
  pubackPacket,
  publishPacket,
  subackCodes,
  subscribePacket,
} from './mqtt_wire';

/** How a probe ended: the broker refused it or every topic, the socket closed, or it broke. */
export type ProbeEnd = 'refused' | 'denied' | 'closed' | 'error' | 'stopped';

/** The part of a browser WebSocket the probe uses. */
export interface ProbeSocket {
  readonly readyState: number;
  binaryType: BinaryType;
  send(data: Uint8Array): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', fn: () => void): void;
  addEventListener(type: 'message', fn: (e: { data: unknown }) => void): void;
}

export interface ProbeHandlers {
  onMessage(topic: string, payload: Uint8Array): void;
  /** Called once, when the probe ends for any reason. */
  onEnd(why: ProbeEnd): void;
}

const SUBSCRIBE_ID = 1;
/** The broker drops the session after 1.5 × this without a packet (the page closes it at once
 *  once MQTT.js is connected, or when it cannot load MQTT.js). */
const KEEP_ALIVE_S = 30;
const OPEN = 1;

export class StateProbe {
  private readonly reader = new PacketReader();
  private ended = false;
  private greeted = false;
  /** PUBLISHes asked for before the socket opened: sent right after CONNECT. */
  private readonly queued: Uint8Array[] = [];
  private nextPacketId = SUBSCRIBE_ID + 1;

  constructor(
    private readonly socket: ProbeSocket,
    private readonly clientId: string,
    private readonly topics: readonly string[],
    private readonly handlers: ProbeHandlers,
  ) {
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('message', (e) => this.onData(e.data));
    socket.addEventListener('close', () => this.end('closed'));
    socket.addEventListener('error', () => this.end('closed'));
    if (socket.readyState === OPEN) this.hello();
    else socket.addEventListener('open', () => this.hello());
  }

  /** CONNECT and SUBSCRIBE in one frame: MQTT 3.1.1 lets a client go on before its CONNACK
   *  (§3.1.4), and a broker that refuses the CONNECT drops the SUBSCRIBE with the session. */
  private hello(): void {
    const connect = connectPacket(this.clientId, KEEP_ALIVE_S);
    const subscribe = subscribePacket(SUBSCRIBE_ID, this.topics);
    const both = new Uint8Array(connect.length + subscribe.length);
    both.set(connect);
    both.set(subscribe, connect.length);
    this.send(both);
    this.greeted = true;
    for (const p of this.queued.splice(0)) this.send(p);
  }

  /**
   * Publishes `payload` on `topic` at QoS 1 on this session (used for a Stop pressed before
   * MQTT.js is connected): at once when the socket is open, else right after its CONNECT. Like any
   * PUBLISH sent before the CONNACK, a broker that refuses the session drops it; a broker whose ACL
   * denies the topic drops it silently (MQTT 3.1.1). false when the probe has ended.
   */
  publish(topic: string, payload: string): boolean {
    if (this.ended) return false;
    const id = this.nextPacketId;
    this.nextPacketId = id >= 0xffff ? SUBSCRIBE_ID + 1 : id + 1;
    const p = publishPacket(id, topic, payload);
    if (this.greeted) this.send(p);
    else this.queued.push(p);
    return true;
  }

  get done(): boolean {
    return this.ended;
  }

  /** Ends the session (DISCONNECT, then close); onEnd('stopped') unless it had ended already. */
  close(): void {
    this.end('stopped');
  }

  private send(data: Uint8Array): void {
    if (!this.ended && this.socket.readyState === OPEN) this.socket.send(data);
  }

  private onData(data: unknown): void {
    if (this.ended || !(data instanceof ArrayBuffer)) return;
    try {
      for (const p of this.reader.push(new Uint8Array(data))) this.onPacket(p);
    } catch {
      this.end('error');
    }
  }

  private onPacket(p: Packet): void {
    if (this.ended) return;
    switch (p.type) {
      case PacketType.connack: {
        const code = connackCode(p);
        // 4, 5: bad user name or password, not authorised; others (e.g. 3, unavailable): 'error'.
        if (code === 4 || code === 5) this.end('refused');
        else if (code !== 0) this.end('error');
        return;
      }
      case PacketType.suback:
        if (subackCodes(p, SUBSCRIBE_ID, this.topics.length).every((c) => c === 0x80)) this.end('denied');
        return;
      case PacketType.publish: {
        const m = decodePublish(p);
        if (m.qos === 2) throw new Error('MQTT: QoS 2 from a QoS 0 subscription');
        if (m.packetId !== null) this.send(pubackPacket(m.packetId));
        this.handlers.onMessage(m.topic, m.payload);
        return;
      }
      default:
        return; // PUBACK of a Stop, PINGRESP and the like: nothing to do
    }
  }

  private end(why: ProbeEnd): void {
    if (this.ended) return;
    if (this.socket.readyState === OPEN) {
      if (why === 'stopped') this.socket.send(disconnectPacket());
      this.socket.close();
    } else if (this.socket.readyState === 0) {
      this.socket.addEventListener('open', () => this.socket.close());
    }
    this.ended = true;
    this.handlers.onEnd(why);
  }
}
