// The page's MQTT session: MQTT.js over WebSockets, like Home Assistant's. Commands go out
// not retained at QoS 1; requests carry a transaction and resolve on the matching response.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { claimEarlySocket, type EarlySocketUse } from './early_socket';
import type { Response } from './store';
import { deskTopic, fleetSubscriptions, responseSubscription } from './topics';

export type ConnStatus =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'disconnected'
  | 'auth_required'
  | 'auth_failed';

export interface Credentials {
  username: string;
  password: string;
}

export interface ConnectionHandlers {
  onStatus(status: ConnStatus, detail: string): void;
  onMessage(topic: string, payload: Uint8Array): void;
}

/** CONNACK codes that mean "log in": 4/5 (MQTT 3.1.1), 134/135 (MQTT 5). */
export function isAuthError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 4 || code === 5 || code === 134 || code === 135) return true;
  const msg = err instanceof Error ? err.message : String(err);
  return /not authori[sz]ed|bad user ?name or password/i.test(msg);
}

interface Pending {
  resolve(r: Response): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class RequestTimeout extends Error {}

export class Connection {
  private client: MqttClient | null = null;
  private responseDesk: string | null = null;
  private readonly pending = new Map<string, Pending>();
  private counter = 0;
  private readonly prefix = Math.random().toString(36).slice(2, 8);
  private credentials: Credentials | null = null;
  private statusValue: ConnStatus = 'connecting';
  /** Whether the first socket was the one index.html opened early. */
  earlyUse: EarlySocketUse = 'none';

  constructor(
    private readonly url: string,
    private readonly base: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  get status(): ConnStatus {
    return this.statusValue;
  }

  get isConnected(): boolean {
    return this.statusValue === 'connected';
  }

  private setStatus(s: ConnStatus, detail = ''): void {
    this.statusValue = s;
    this.handlers.onStatus(s, detail);
  }

  connect(credentials: Credentials | null = this.credentials): void {
    this.credentials = credentials;
    if (this.client) {
      this.client.removeAllListeners();
      this.client.end(true);
    }
    const opts: IClientOptions = {
      clientId: `deskd-web-${this.prefix}-${Date.now().toString(36)}`,
      clean: true,
      keepalive: 30,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      resubscribe: false,
      protocolVersion: 4,
      // mqtt-packet otherwise builds a cache of 65,536 packet-id buffers on the first packet
      // written: 40-70 ms of main thread between opening the socket and handling its answer.
      writeCache: false,
      createWebsocket: (url: string, protocols: string[]) => {
        const early = claimEarlySocket(url);
        if (early.use !== 'none') this.earlyUse = early.use;
        return early.socket ?? new WebSocket(url, protocols);
      },
    };
    if (credentials) {
      opts.username = credentials.username;
      opts.password = credentials.password;
    }
    this.setStatus('connecting');
    const client = mqtt.connect(this.url, opts);
    this.client = client;
    client.on('connect', () => {
      const topics = fleetSubscriptions(this.base);
      if (this.responseDesk) topics.push(responseSubscription(this.base, this.responseDesk));
      client.subscribe(topics, { qos: 1 }, (err) => {
        if (err && this.client === client) this.setStatus('reconnecting', err.message);
      });
      this.setStatus('connected');
    });
    client.on('reconnect', () => {
      if (this.client === client) this.setStatus('reconnecting');
    });
    client.on('close', () => {
      if (this.client === client && this.statusValue === 'connected') this.setStatus('disconnected');
    });
    client.on('offline', () => {
      if (this.client === client && this.statusValue !== 'auth_required') this.setStatus('disconnected');
    });
    client.on('error', (err) => {
      if (this.client !== client) return;
      if (isAuthError(err)) {
        client.end(true);
        this.setStatus(credentials ? 'auth_failed' : 'auth_required', err.message);
      }
    });
    client.on('message', (topic, payload) => {
      if (this.client === client) this.handlers.onMessage(topic, payload);
    });
  }

  /** Ends the session for good (no reconnect); pending requests fail. */
  close(): void {
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners();
      c.end(true);
    }
    for (const [tx, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('connection closed'));
      this.pending.delete(tx);
    }
  }

  /** Follows one desk's responses (B/response/#). */
  setResponseDesk(deskId: string): void {
    if (deskId === this.responseDesk) return;
    const old = this.responseDesk;
    this.responseDesk = deskId;
    const c = this.client;
    if (c && c.connected) {
      if (old) c.unsubscribe(responseSubscription(this.base, old));
      c.subscribe(responseSubscription(this.base, deskId), { qos: 1 });
    }
  }

  /** Publishes a command on B/set (not retained, QoS 1). */
  command(deskId: string, body: Record<string, unknown>): Promise<void> {
    return this.publish(deskTopic(this.base, deskId, 'set'), JSON.stringify(body));
  }

  /** Publishes raw JSON on B/<suffix> (not retained, QoS 1). */
  publish(topic: string, payload: string): Promise<void> {
    const c = this.client;
    if (!c || !c.connected) return Promise.reject(new Error('not connected to the broker'));
    return new Promise((resolve, reject) => {
      c.publish(topic, payload, { qos: 1, retain: false }, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Sends B/request/<op> and waits for the B/response/<op> with the same transaction. */
  request(
    deskId: string,
    op: string,
    body: Record<string, unknown>,
    timeoutMs = 5000,
  ): Promise<Response> {
    const transaction = `web-${this.prefix}-${++this.counter}`;
    this.setResponseDesk(deskId);
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(new RequestTimeout(`no answer from desk "${deskId}" to ${op}`));
      }, timeoutMs);
      this.pending.set(transaction, { resolve, reject, timer });
      this.publish(deskTopic(this.base, deskId, `request/${op}`), JSON.stringify({ ...body, transaction })).catch(
        (e: Error) => {
          clearTimeout(timer);
          this.pending.delete(transaction);
          reject(e);
        },
      );
    });
  }

  /** Hands a received response to its waiting request; false when nobody waits for it. */
  resolveResponse(r: Response): boolean {
    if (!r.transaction) return false;
    const p = this.pending.get(r.transaction);
    if (!p) return false;
    clearTimeout(p.timer);
    this.pending.delete(r.transaction);
    p.resolve(r);
    return true;
  }
}
