// The dashboard: wires the MQTT connection, the fleet store and the views together.
import { decodeConfig, loadConfig, type PageConfig } from './config';
import type { Connection, ConnStatus } from './connection';
import type { ControlInputs } from './control_rules';
import { claimEarlySocket, type EarlySocketUse, takeEarlySocket } from './early_socket';
import { Formatter, HEIGHT_UNITS, type HeightUnit, isHeightUnit, userLocales } from './format';
import { applyResponseData, FleetStore, MAX_EVENTS, type Response } from './store';
import { decodeProgress, progressDesk, type Progress } from './progress';
import { localIsoDate } from './stats';
import { pendingChange } from './pending_change';
import { StopSender } from './stop_sender';
import { decodeDeskTimeline, type DeskTimeline, newTimeline, observe, type Timeline, timelineDesk, timelineFromDesk, type TimelinePosture } from './timeline';
import { type ProbeEnd, StateProbe } from './state_probe';
import { deskTopic, parseTopic } from './topics';
import { Banners } from './ui/banners';
import type { Ctx } from './ui/context';
import { DeskView } from './ui/desk_view';
import { h, setAttr, setText } from './ui/dom';
import { FleetView } from './ui/fleet_view';
import { HistoryView, TodayView } from './ui/history_view';
import { LoginView } from './ui/login_view';
import { ProgressView } from './ui/progress_view';
import { ScheduleEditor } from './ui/schedule_editor';
import { StatusView } from './ui/status_view';
import { WarningBanner } from './ui/warning_banner';
import { warningText } from './warning_text';

const CONN_TEXT: Record<ConnStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Broker disconnected',
  disconnected: 'Broker disconnected',
  auth_required: 'Login required',
  auth_failed: 'Login refused',
};

/**
 * Times the page reached its milestones, in ms since navigation: first_state_ms = the first state
 * is in the page's DOM; first_paint_ms = the frame showing it was painted (the first task after
 * that frame's animation callback); complete_ms = every card rendered.
 */
export interface PageMetrics {
  script_ms: number;
  config_ms: number | null;
  first_state_ms: number | null;
  first_paint_ms: number | null;
  connected_ms: number | null;
  /** Every card of the page rendered (they follow the first state's frame). */
  complete_ms: number | null;
  /** The socket index.html opened early: taken by the probe or by MQTT.js ('used'), or not. */
  early_socket: EarlySocketUse;
  /** The first-state probe: still open, how it ended, or 'skipped' (it was refused lately). */
  probe: 'open' | 'skipped' | ProbeEnd | null;
  /** Which session brought the first state: the probe or MQTT.js. */
  first_state_from: 'probe' | 'mqtt' | null;
  /** MQTT.js evaluated (its import resolved). */
  mqtt_loaded_ms: number | null;
  /** Messages the probe received (whatever the broker's ACL let it read). */
  probe_messages: number;
}

declare global {
  interface Window {
    deskdMetrics?: PageMetrics;
  }
}

interface Cards {
  status: StatusView;
  today: TodayView;
  progress: ProgressView;
  history: HistoryView;
  editor: ScheduleEditor;
  fleet: FleetView;
}

const TIMELINE_GAP_MS = 90_000;
const CONFIG_KEY = 'deskd.config';
const UNITS_KEY = 'deskd.units';

function rememberedConfig(): PageConfig | null {
  try {
    const raw = localStorage.getItem(CONFIG_KEY);
    return raw ? decodeConfig(JSON.parse(raw), location.href) : null;
  } catch {
    return null;
  }
}

function rememberConfig(c: PageConfig): void {
  try {
    localStorage.setItem(CONFIG_KEY, JSON.stringify(c));
  } catch {
    // Storage off: every visit waits for /config.json.
  }
}

const PROBE_REFUSED_KEY = 'deskd.probe_refused';
/** A broker that refused the anonymous first-state probe is not asked again for a day. */
const PROBE_REFUSED_FOR_MS = 86_400_000;

function probeRefusedLately(url: string): boolean {
  try {
    const v = JSON.parse(localStorage.getItem(PROBE_REFUSED_KEY) ?? 'null') as { url?: unknown; at?: unknown } | null;
    return v?.url === url && typeof v.at === 'number' && Math.abs(Date.now() - v.at) < PROBE_REFUSED_FOR_MS;
  } catch {
    return false;
  }
}

function rememberProbeRefused(url: string): void {
  try {
    localStorage.setItem(PROBE_REFUSED_KEY, JSON.stringify({ url, at: Date.now() }));
  } catch {
    // Storage off: the probe is tried on every visit.
  }
}

/** A client id MQTT 3.1.1 obliges every broker to accept: 1-23 letters and digits. */
function probeClientId(): string {
  return `deskdprobe${Math.random().toString(36).slice(2, 12).padEnd(10, '0')}`;
}

function sameConnection(a: PageConfig, b: PageConfig): boolean {
  return a.broker_ws_url === b.broker_ws_url && a.base_topic === b.base_topic && a.desk_id === b.desk_id;
}
const RENDER_GAP_MS = 50;
/** The other cards wait at most this long for the first state's frame (none in a hidden tab). */
const PAINT_WAIT_MS = 250;
/** The page shows "Loading the dashboard…" at most this long while waiting for the first state. */
const FIRST_STATE_WAIT_MS = 400;
/**
 * MQTT.js is evaluated once the first state is painted, or the probe ended, or after this long:
 * its 60-80 ms of main thread (more on a phone) would otherwise delay the probe's answer.
 */
const PROBE_WAIT_MS = 300;

export class App {
  private readonly store = new FleetStore();
  private readonly fmt = new Formatter(userLocales());
  private conn: Connection | null = null;
  private probe: StateProbe | null = null;
  /** Counts open() calls: a connection set up for an older one is dropped. */
  private session = 0;
  private openGate: () => void = () => {};
  /** Opens when MQTT.js may be loaded (see PROBE_WAIT_MS). */
  private readonly mqttGate = new Promise<void>((resolve) => {
    this.openGate = resolve;
  });
  private connStatus: ConnStatus = 'connecting';
  private connDetail = '';
  private bridgeNotice = '';
  private deskId = '';
  private base = 'deskd';
  private timeline: Timeline | null = null;
  /** deskd's own record of today per desk (B/timeline), preferred over what this page saw. */
  private readonly deskTimelines = new Map<string, DeskTimeline>();
  private lastObserved = 0;
  private lastSaved = 0;
  private renderQueued = false;
  private lastRender = -Infinity;
  private mounted = false;
  /** fatal() was called: the page says so and nothing else. */
  private failed = false;
  /** The first state's frame is not painted yet: the cards but the desk's wait for it. */
  private paintPending = false;
  /** The cards were just built: scroll to the one the address names, once they show content. */
  private scrollToLink = false;
  private mountBy = 0;
  private readonly metrics: PageMetrics = {
    script_ms: performance.now(), config_ms: null, first_state_ms: null, first_paint_ms: null, connected_ms: null, complete_ms: null,
    early_socket: 'none', probe: null, first_state_from: null, mqtt_loaded_ms: null, probe_messages: 0,
  };

  private readonly connPill = h('span', { class: 'pill conn', role: 'status', 'data-testid': 'conn-status', 'data-state': 'connecting' }, 'Connecting…');
  private readonly deskName = h('span', { class: 'desk-name', 'data-testid': 'desk-id' });
  private readonly deskTitle = h('span', { class: 'desk-title', 'data-testid': 'desk-name' });
  private readonly unitsSelect = h('select', { 'data-testid': 'units', 'aria-label': 'Height units', title: 'Height units' },
    ...HEIGHT_UNITS.map((u) => h('option', { value: u }, u)));
  private configDesk = { id: '', name: '' };
  private readonly banners = new Banners();
  private readonly warning = new WarningBanner();
  /** Stop first: by MQTT.js when connected, else by the probe's session (stop_sender.ts). */
  private readonly stopper = new StopSender(() => this.stopByMqtt(), () => this.stopByProbe());
  private readonly login = new LoginView();
  private readonly deskView = new DeskView();
  private readonly progress = new Map<string, Progress>();
  /** The cards but the desk's: built after the first state's frame (see cardViews()). */
  private cards: Cards | null = null;
  private readonly validate: boolean;
  private readonly footer = h('footer', { class: 'muted' });
  private readonly grid: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    const params = new URLSearchParams(location.search);
    // ?validate=off sends schedule edits without the page's own checks (to see deskd's answer).
    this.validate = params.get('validate') !== 'off';
    this.grid = h('div', { class: 'grid' }, this.deskView.el);
    window.deskdMetrics = this.metrics;
    this.unitsSelect.addEventListener('change', () => {
      const u = this.unitsSelect.value;
      if (!isHeightUnit(u)) return;
      this.fmt.units = u;
      try {
        localStorage.setItem(UNITS_KEY, u);
      } catch {
        // storage off: this page only
      }
      this.queueRender();
    });
    // Esc stops the desk from anywhere on the page (also inside a field or a dialog).
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.repeat) this.stop();
    });
  }

  /** Stops the selected desk by the first connection that can carry it. */
  private stop(): void {
    if (!this.deskId) return;
    if (this.stopper.stop(Date.now()) === 'none') this.banners.showError('Stop not sent: not connected to the broker');
  }

  private stopByMqtt(): boolean {
    const conn = this.conn;
    if (!conn?.isConnected || !this.deskId) return false;
    conn.command(this.deskId, { action: 'stop' }).catch((e: Error) => this.banners.showError(`Stop not sent: ${e.message}`));
    return true;
  }

  private stopByProbe(): boolean {
    const probe = this.probe;
    if (!probe || probe.done || !this.deskId) return false;
    return probe.publish(deskTopic(this.base, this.deskId, 'set'), JSON.stringify({ action: 'stop' }));
  }

  /** A Stop can leave the page now: MQTT.js is connected, or the probe that brought the shown
   *  height is still open. */
  private stopPath(): boolean {
    if (this.connStatus === 'connected') return true;
    return this.probe !== null && !this.probe.done && this.store.get(this.deskId)?.state != null;
  }

  async start(): Promise<void> {
    // The dashboard joins the document with the first state (or after FIRST_STATE_WAIT_MS, or once
    // the connection needs the user): its first layout and paint take ~50-100 ms of main thread,
    // which would otherwise sit between opening the broker's socket and handling its answer.
    this.mountBy = performance.now() + FIRST_STATE_WAIT_MS;
    setTimeout(() => this.queueRender(), FIRST_STATE_WAIT_MS);
    setTimeout(() => this.openGate(), PROBE_WAIT_MS);
    // On a repeat visit, connect with the settings remembered from last time while /config.json
    // loads: they nearly always match, and the fetch is then off the path to the first live state.
    const remembered = rememberedConfig();
    if (remembered) this.open(remembered);
    let config: PageConfig;
    try {
      config = await loadConfig();
      this.metrics.config_ms = performance.now();
    } catch (e) {
      this.fatal(`Cannot load the dashboard's settings: ${(e as Error).message}`);
      return;
    }
    this.bridgeNotice = config.bridge_notice ?? '';
    this.configDesk = { id: config.desk_id, name: config.desk_name };
    this.useUnits(config.units);
    rememberConfig(config);
    if (!remembered || !sameConnection(remembered, config)) this.open(config);
    setText(this.footer, `deskd ${config.version} · broker ${config.broker_ws_url} · topics ${config.base_topic}/…`);
    setInterval(() => this.tick(), 1000);
    window.addEventListener('hashchange', () => {
      const id = this.deskFromHash();
      if (id && id !== this.deskId) this.selectDesk(id);
    });
  }

  /** (Re)connects to the broker of `config`, forgetting what an earlier connection showed. */
  private open(config: PageConfig): void {
    const session = ++this.session;
    this.conn?.close();
    this.conn = null;
    this.probe?.close();
    this.store.desks.clear();
    this.progress.clear();
    this.deskTimelines.clear();
    this.base = config.base_topic;
    this.deskId = this.deskFromHash() ?? config.desk_id;
    this.connStatus = 'connecting';
    this.connDetail = '';
    if (this.deskId) this.loadTimeline(this.base);
    this.startProbe(config);
    void this.connectMqtt(config, session);
    this.queueRender();
  }

  /** Reads the first state with a StateProbe (on the early socket) while MQTT.js waits. */
  private startProbe(config: PageConfig): void {
    const url = config.broker_ws_url;
    if (this.metrics.first_state_ms !== null || probeRefusedLately(url)) {
      this.metrics.probe ??= 'skipped';
      this.openGate();
      return;
    }
    const early = claimEarlySocket(url);
    if (early.use !== 'none') this.metrics.early_socket = early.use;
    let socket: WebSocket;
    try {
      socket = early.socket ?? new WebSocket(url, ['mqtt']);
    } catch {
      this.openGate();
      return;
    }
    const base = config.base_topic;
    // MQTT.js's own filters (a broker may check filters against its ACL), availability first: a
    // desk's state counts only once the probe has seen it online.
    const topics = ['availability', 'state'].map((k) => deskTopic(base, '+', k));
    this.metrics.probe = 'open';
    const probe = new StateProbe(socket, probeClientId(), topics, {
      onMessage: (topic, payload) => {
        if (this.probe === probe) this.onProbeMessage(base, topic, payload);
      },
      onEnd: (why) => {
        if (this.probe === probe) this.probe = null;
        this.metrics.probe = why;
        if (why === 'refused') rememberProbeRefused(url);
        // 'stopped': the page closed it (MQTT.js is connected, or open() starts over).
        if (why !== 'stopped') this.openGate();
        this.queueRender(); // Stop may no longer have a way out
      },
    });
    this.probe = probe;
  }

  /** Loads MQTT.js once the gate opens, then connects with it (the page's real session). */
  private async connectMqtt(config: PageConfig, session: number): Promise<void> {
    await this.mqttGate;
    let Conn: typeof Connection;
    try {
      Conn = (await import('./connection')).Connection;
    } catch (e) {
      if (session === this.session) this.fatal(`Cannot load the dashboard's MQTT client (${(e as Error).message}): reload the page.`);
      return;
    }
    this.metrics.mqtt_loaded_ms ??= performance.now();
    if (session !== this.session) return;
    const base = config.base_topic;
    const conn = new Conn(config.broker_ws_url, base, {
      onStatus: (s, detail) => this.onStatus(conn, s, detail),
      onMessage: (topic, payload) => this.onMessage(base, topic, payload, 'mqtt'),
    });
    this.conn = conn;
    if (this.deskId) conn.setResponseDesk(this.deskId);
    conn.connect();
  }

  private onStatus(conn: Connection, s: ConnStatus, detail: string): void {
    if (conn !== this.conn) return;
    this.connStatus = s;
    this.connDetail = detail;
    if (s === 'connected') {
      // A Stop that went only by the probe goes again (an ACL may have dropped it).
      this.stopper.mqttConnected(Date.now());
      // MQTT.js has the session now: the probe has nothing more to bring.
      this.probe?.close();
      if (this.metrics.connected_ms === null) {
        this.metrics.connected_ms = performance.now();
        if (conn.earlyUse !== 'none') this.metrics.early_socket = conn.earlyUse;
      }
      this.loadEvents();
    }
    if (s !== 'connected') this.lastObserved = 0;
    this.queueRender();
  }

  private deskFromHash(): string | null {
    const m = /^#desk=([a-z0-9_-]+)$/.exec(location.hash);
    return m ? m[1] : null;
  }

  private mount(): void {
    this.mounted = true;
    const nav = h('nav', { 'aria-label': 'Sections' },
      h('a', { href: '#desk' }, 'Desk'),
      h('a', { href: '#schedule' }, 'Schedule'),
      h('a', { href: '#history' }, 'History'),
      h('a', { href: '#fleet' }, 'Fleet'));
    // In-page links must not replace the #desk=<id> selection in the address.
    nav.addEventListener('click', (e) => {
      const a = (e.target as Element).closest('a');
      if (!a) return;
      e.preventDefault();
      const target = document.getElementById(a.getAttribute('href')!.slice(1));
      target?.scrollIntoView({ behavior: 'smooth', block: 'start' });
      target?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
    });
    this.root.replaceChildren(
      h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
      h('header', { class: 'top' },
        h('div', { class: 'brand' }, h('h1', {}, 'deskd'), this.deskTitle, this.deskName),
        this.unitsSelect,
        nav,
        this.connPill,
        this.warning.el),
      h('main', { id: 'main', tabindex: -1 },
        this.banners.el,
        this.login.el,
        this.grid),
      this.footer,
    );
    for (const h2 of this.root.querySelectorAll('h2')) h2.setAttribute('tabindex', '-1');
  }

  /** The page cannot go on: says why, for good (renders leave the pill at "Error"). */
  private fatal(text: string): void {
    this.failed = true;
    takeEarlySocket('', window); // closes a socket opened early for nothing
    this.probe?.close();
    if (!this.mounted) this.mount();
    setText(this.connPill, 'Error');
    setAttr(this.connPill, 'data-state', 'error');
    this.banners.showFatal(text);
  }

  /**
   * The probe's messages, as MQTT.js's, but a desk's state only while the probe has seen the desk
   * online (an offline desk's retained state is its last height, which MQTT.js shows with the
   * "Desk offline" pill and banner once connected).
   */
  private onProbeMessage(base: string, topic: string, payload: Uint8Array): void {
    this.metrics.probe_messages++;
    const t = parseTopic(base, topic);
    if (t?.kind === 'state' && this.store.get(t.deskId)?.availability !== 'online') return;
    this.onMessage(base, topic, payload, 'probe');
  }

  private onMessage(base: string, topic: string, payload: Uint8Array, from: 'probe' | 'mqtt'): void {
    const timelineOf = timelineDesk(base, topic);
    if (timelineOf) {
      const d = payload.length ? decodeDeskTimeline(payload) : null;
      if (d) this.deskTimelines.set(timelineOf, d);
      else this.deskTimelines.delete(timelineOf);
      this.queueRender();
      return;
    }
    const progressOf = progressDesk(base, topic);
    if (progressOf) {
      const p = payload.length ? decodeProgress(payload) : null;
      if (p) this.progress.set(progressOf, p);
      else this.progress.delete(progressOf);
      this.queueRender();
      return;
    }
    const t = parseTopic(base, topic);
    if (!t) return;
    const change = this.store.apply(t, payload, Date.now());
    if (!change) return;
    if (!this.deskId && change.kind !== 'response') {
      this.deskId = change.deskId;
      this.conn?.setResponseDesk(this.deskId);
      this.loadTimeline(base);
      this.loadEvents();
    }
    if (change.deskId === this.deskId) {
      if (change.kind === 'state') {
        this.metrics.first_state_from ??= from;
        this.observeTimeline();
      } else if (change.kind === 'availability') {
        this.observeTimeline();
      } else if (change.kind === 'event' && change.event.type === 'error') {
        const err = change.event.fields['error'];
        this.banners.showError(`The desk refused a command: ${typeof err === 'string' ? err : 'unknown error'}`);
      } else if (change.kind === 'response') {
        applyResponseData(this.store, change.deskId, change.response);
        this.conn?.resolveResponse(change.response);
      }
    }
    this.queueRender();
  }

  private timelineKey(base: string): string {
    return `deskd.timeline.${base}.${this.deskId}`;
  }

  private loadTimeline(base: string): void {
    this.timeline = null;
    this.lastObserved = 0;
    try {
      const raw = localStorage.getItem(this.timelineKey(base));
      if (raw) {
        const t = JSON.parse(raw) as Timeline;
        if (t && t.date === localIsoDate(Date.now()) && Array.isArray(t.segments)) this.timeline = t;
      }
    } catch {
      // Private mode or a damaged entry: start a fresh timeline.
    }
  }

  private currentPosture(): TimelinePosture | null {
    const e = this.store.get(this.deskId);
    if (!e?.state) return null;
    if (e.availability === 'offline') return 'offline';
    if (e.state.motion !== 'stopped') return 'moving';
    return e.state.posture;
  }

  private observeTimeline(): void {
    const posture = this.currentPosture();
    const st = this.store.get(this.deskId)?.state;
    if (!posture || !st || this.connStatus !== 'connected') return;
    const now = Date.now();
    const today = localIsoDate(now);
    if (!this.timeline || this.timeline.date !== today) {
      this.timeline = newTimeline(today, now, st.sit_today_s, st.stand_today_s);
      this.lastObserved = 0;
    }
    const continuous = this.lastObserved > 0 && now - this.lastObserved < TIMELINE_GAP_MS;
    this.timeline = observe(this.timeline, posture, now, continuous);
    this.lastObserved = now;
    if (now - this.lastSaved > 15_000 || !continuous) {
      this.lastSaved = now;
      try {
        localStorage.setItem(this.timelineKey(this.base), JSON.stringify(this.timeline));
      } catch {
        // Storage full or disabled: the timeline lives only in this page.
      }
    }
  }

  /** Asks deskd for the events it kept (events/get): a fresh page shows why the desk moved. */
  private loadEvents(): void {
    if (!this.conn || !this.deskId || this.connStatus !== 'connected') return;
    // The answer is applied as it arrives (applyResponseData); a refusal leaves the live ones.
    this.request('events/get', { limit: MAX_EVENTS }).catch(() => undefined);
  }

  /**
   * Today's timeline and its "now": deskd's record when it has one for the desk's today (on the
   * desk's clock, simulated under --time-scale), else what this page saw.
   */
  private todayTimeline(now: number, reachable: boolean): { timeline: Timeline | null; now: number } {
    const entry = this.store.get(this.deskId);
    const kept = this.deskTimelines.get(this.deskId);
    const st = entry?.state;
    if (kept && st && entry.state_at !== null) {
      const deskNow = st.now === null ? now : st.now + (now - entry.state_at) * st.time_scale;
      if (kept.date === localIsoDate(deskNow)) {
        // Offline or out of reach: the last period is not drawn past what is known.
        const last = kept.periods.length ? kept.periods[kept.periods.length - 1].start : deskNow;
        return { timeline: timelineFromDesk(kept, reachable ? deskNow : last), now: deskNow };
      }
    }
    return { timeline: this.timeline, now };
  }

  private tick(): void {
    this.observeTimeline();
    this.queueRender();
  }

  private selectDesk(id: string): void {
    if (id === this.deskId) return;
    this.deskId = id;
    history.replaceState(null, '', `#desk=${id}`);
    this.conn?.setResponseDesk(id);
    this.loadTimeline(this.base);
    this.loadEvents();
    this.observeTimeline();
    this.render();
    document.getElementById('desk')?.scrollIntoView({ block: 'start' });
  }

  /** Renders soon, at most every RENDER_GAP_MS (a busy fleet sends hundreds of states a second). */
  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    const firstState = this.metrics.first_state_ms === null;
    const wait = firstState ? 0 : Math.max(0, this.lastRender + RENDER_GAP_MS - performance.now());
    setTimeout(() => {
      this.renderQueued = false;
      this.render();
    }, wait);
  }

  /** Heights in this browser's chosen unit, else the configured default ([web] units). */
  private useUnits(fallback: HeightUnit): void {
    let chosen: string | null = null;
    try {
      chosen = localStorage.getItem(UNITS_KEY);
    } catch {
      // storage off: the configured default
    }
    this.fmt.units = isHeightUnit(chosen) ? chosen : fallback;
    this.unitsSelect.value = this.fmt.units;
    this.queueRender();
  }

  private render(): void {
    if (this.failed) return;
    const entry = this.store.get(this.deskId);
    if (!this.mounted) {
      // Until then the views render detached (no layout), which also warms their code up.
      const waiting = this.connStatus === 'connecting' || this.connStatus === 'connected';
      if (entry?.state || !waiting || performance.now() >= this.mountBy) this.mount();
    }
    this.lastRender = performance.now();
    const brokerUp = this.connStatus === 'connected';
    const deskReachable = brokerUp && entry?.availability !== 'offline' && entry !== undefined;
    const controls: ControlInputs = {
      state: entry?.state ?? null,
      reachable: deskReachable,
      brokerUp,
      deskOffline: entry?.availability === 'offline',
      stopPath: this.stopPath(),
    };
    const today = this.todayTimeline(Date.now(), deskReachable);
    const ctx: Ctx = {
      fmt: this.fmt,
      store: this.store,
      deskId: this.deskId,
      entry,
      conn: this.connStatus,
      connDetail: this.connDetail,
      bridgeNotice: this.bridgeNotice,
      brokerUp,
      deskReachable,
      controls,
      timeline: today.timeline,
      timelineNow: today.now,
      now: Date.now(),
      actions: {
        command: (body) => this.command(body),
        stop: () => this.stop(),
        request: (op, body) => this.request(op, body),
        selectDesk: (id) => this.selectDesk(id),
        login: (c) => this.conn?.connect(c),
      },
    };
    let pillState: string = this.connStatus;
    let pillText = CONN_TEXT[this.connStatus];
    if (this.connStatus === 'reconnecting' || this.connStatus === 'disconnected') pillState = 'disconnected';
    if (brokerUp && entry?.availability === 'offline') {
      pillState = 'desk_offline';
      pillText = 'Desk offline';
    }
    setText(this.connPill, pillText);
    setAttr(this.connPill, 'data-state', pillState);
    setText(this.deskName, this.deskId || 'no desk yet');
    setText(this.deskTitle, this.deskId && this.deskId === this.configDesk.id ? this.configDesk.name : '');
    const st = entry?.state;
    const pending = entry?.availability === 'offline' ? null : pendingChange(st ?? null, entry?.state_at ?? ctx.now, ctx.now);
    const title = st
      ? `${this.deskId}: ${st.posture} ${this.fmt.heightMm(st.height_mm)} — deskd`
      : 'deskd dashboard';
    // While a change is pending, its countdown leads the tab title (restored once it is over).
    document.title = pending ? `${warningText(pending, this.fmt, entry?.schedule?.snooze_minutes ?? null).title} · ${title}` : title;
    this.warning.update(ctx, pending, controls);
    this.banners.update(ctx);
    this.login.update(ctx);
    const needLogin = this.connStatus === 'auth_required' || this.connStatus === 'auth_failed';
    this.grid.hidden = needLogin && this.store.desks.size === 0;
    // Values the desk can no longer confirm (broker down, desk offline) are dimmed, not shown as live.
    const stale = Boolean(entry?.state) && !deskReachable;
    this.grid.classList.toggle('stale', stale);
    setAttr(this.grid, 'data-stale', stale ? 'true' : null);
    this.deskView.update(ctx);
    // The first live state goes to the screen with the desk's own card alone; the other cards
    // follow in the next task after that frame (on a cold page their first dates cost 10-20 ms of
    // Intl set-up and the history chart forces a 20-30 ms layout). Until the page is in the
    // document, only the desk's card renders (detached), warming its code up.
    if (entry?.state && this.metrics.first_state_ms === null) {
      this.noteFirstState();
      return;
    }
    if (!this.mounted || this.paintPending) return;
    const cards = this.cardViews();
    cards.status.update(ctx);
    cards.today.update(ctx);
    cards.history.update(ctx);
    cards.progress.update(ctx, this.progress.get(this.deskId) ?? null);
    cards.editor.update(ctx);
    cards.fleet.update(ctx);
    if (this.scrollToLink) {
      // A link to a card (#schedule, #history, …) found nothing to scroll to at load.
      this.scrollToLink = false;
      const linked = /^#[a-z]+$/.test(location.hash) ? document.getElementById(location.hash.slice(1)) : null;
      linked?.scrollIntoView({ block: 'start' });
    }
    if (this.metrics.complete_ms === null && entry?.state) this.metrics.complete_ms = performance.now();
  }

  /**
   * The status, today, progress, history, schedule and fleet cards, built on first use: on a
   * cold page building them (DOM and their first Intl formatters) costs 10-25 ms, which the first
   * live state need not wait for.
   */
  private cardViews(): Cards {
    if (!this.cards) {
      const c: Cards = {
        status: new StatusView(),
        today: new TodayView(),
        progress: new ProgressView(),
        history: new HistoryView(),
        editor: new ScheduleEditor(this.validate),
        fleet: new FleetView(),
      };
      this.grid.append(c.status.el, c.today.el, c.progress.el, c.history.el, c.editor.el, c.fleet.el);
      for (const h2 of this.grid.querySelectorAll('h2')) h2.setAttribute('tabindex', '-1');
      this.cards = c;
      this.scrollToLink = true;
    }
    return this.cards;
  }

  private noteFirstState(): void {
    this.metrics.first_state_ms = performance.now();
    performance.mark('deskd-first-state');
    this.paintPending = true;
    // The other cards, then MQTT.js (see PROBE_WAIT_MS).
    const rest = () => {
      this.openGate();
      if (!this.paintPending) return;
      this.paintPending = false;
      this.render();
    };
    requestAnimationFrame(() => setTimeout(() => {
      this.metrics.first_paint_ms = performance.now();
      performance.mark('deskd-first-paint');
      rest();
    }, 0));
    // A hidden tab has no animation frames: the other cards do not wait for a paint there.
    setTimeout(rest, PAINT_WAIT_MS);
  }

  private command(body: Record<string, unknown>): void {
    if (!this.deskId) return;
    if (!this.conn) return;
    this.conn.command(this.deskId, body).catch((e: Error) => this.banners.showError(`Command not sent: ${e.message}`));
  }

  private request(op: string, body: Record<string, unknown>): Promise<Response> {
    if (!this.conn) return Promise.reject(new Error('not connected to the broker'));
    return this.conn.request(this.deskId, op, body);
  }
}
