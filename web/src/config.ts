// /config.json, served by deskd next to the page.
import { isObject } from './json';
import { type HeightUnit, isHeightUnit } from './format';
import { isValidDeskId } from './topics';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]']);

export interface PageConfig {
  broker_ws_url: string;
  base_topic: string;
  desk_id: string;
  version: string;
  /** [web] units: how heights are shown unless this browser chose otherwise. */
  units: HeightUnit;
  /** [desk] name, for the configured desk's header. */
  desk_name: string;
  /** deskd's word when its /mqtt bridge will not relay this browser (and why), else absent. */
  bridge_notice?: string;
}

/**
 * deskd's own MQTT-over-WebSocket bridge, on the origin that served the page (so it follows the
 * page through a TLS reverse proxy: https → wss). The path is taken relative to the page's
 * directory, like config.json itself, so a page served under a sub-path keeps working.
 */
export function bridgeUrl(path: string, pageUrl: string): string {
  const page = new URL(pageUrl);
  const url = new URL(path.replace(/^\/+/, ''), page);
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** Validates config.json's content; throws an Error naming the bad field. */
export function decodeConfig(v: unknown, pageUrl: string): PageConfig {
  if (!isObject(v)) throw new Error('config.json: not a JSON object');
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
  const base = s('base_topic') || 'deskd';
  if (/[+#]/.test(base) || base.startsWith('/') || base.endsWith('/')) {
    throw new Error(`config.json: base_topic "${base}" is not a usable topic prefix`);
  }
  const deskId = s('desk_id');
  if (deskId !== '' && !isValidDeskId(deskId)) throw new Error(`config.json: bad desk_id "${deskId}"`);
  const units = isHeightUnit(v['units']) ? v['units'] : 'mm';
  const deskName = s('desk_name');
  const bridge = s('mqtt_ws_path');
  if (bridge !== '') {
    const notice = s('bridge_notice');
    return {
      broker_ws_url: bridgeUrl(bridge, pageUrl), base_topic: base, desk_id: deskId, version: s('version'),
      units, desk_name: deskName,
      ...(notice ? { bridge_notice: notice } : {}),
    };
  }
  let ws = s('broker_ws_url');
  if (ws === '') {
    const u = new URL(pageUrl);
    ws = `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.hostname}:9001`;
  }
  // A loopback broker URL means "the machine serving this page" to a browser elsewhere.
  const url = new URL(ws);
  if (!/^wss?:$/.test(url.protocol)) throw new Error('config.json: broker_ws_url must be ws:// or wss://');
  const page = new URL(pageUrl);
  if (LOOPBACK.has(url.hostname) && !LOOPBACK.has(page.hostname) && page.hostname !== '') {
    url.hostname = page.hostname;
    ws = url.toString();
  }
  return { broker_ws_url: ws, base_topic: base, desk_id: deskId, version: s('version'), units, desk_name: deskName };
}

declare global {
  interface Window {
    /** config.json as index.html's inline script fetched it on a first visit (taken once). */
    deskdConfigResponse?: Promise<globalThis.Response>;
    /** Settles once index.html has opened its early socket for that answer, or decided not to. */
    deskdEarlySocketDecided?: Promise<unknown>;
  }
}

export async function loadConfig(): Promise<PageConfig> {
  const early = window.deskdConfigResponse;
  window.deskdConfigResponse = undefined;
  const decided = window.deskdEarlySocketDecided;
  window.deskdEarlySocketDecided = undefined;
  const res = (await early?.catch(() => null)) ?? (await fetch('config.json', { mode: 'cors', credentials: 'same-origin' }));
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  const config = decodeConfig(await res.json(), location.href);
  await decided?.catch(() => undefined); // the probe must find the early socket (early-socket.js)
  return config;
}
