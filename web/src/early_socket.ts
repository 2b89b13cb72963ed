// The broker's WebSocket, opened by the inline script in index.html while the dashboard's script
// still downloads and compiles: on a cold load the handshake no longer waits for it. The
// first-state probe (state_probe.ts) takes it; when the probe is skipped, MQTT.js takes it over
// through its createWebsocket option (it handles a socket that is already open).

export interface EarlySocket {
  url: string;
  socket: WebSocket;
}

/** What became of the early socket: taken over by MQTT.js, closed unused, or never opened. */
export type EarlySocketUse = 'used' | 'unused' | 'none';

declare global {
  interface Window {
    deskdEarlySocket?: EarlySocket;
    /** Set at the page's first MQTT connect: from then on index.html opens nothing. */
    deskdMqttStarted?: boolean;
  }
}

/**
 * Hands over the early socket if it was opened for `url` and is not closing or closed, once;
 * otherwise closes it (a different broker) and returns null.
 */
export function takeEarlySocket(url: string, holder: { deskdEarlySocket?: EarlySocket }): WebSocket | null {
  const early = holder.deskdEarlySocket;
  if (!early) return null;
  holder.deskdEarlySocket = undefined;
  const open = early.socket.readyState === 0 || early.socket.readyState === 1;
  const usable = open && sameUrl(early.url, url);
  if (usable) return early.socket;
  closeQuietly(early.socket);
  return null;
}

/**
 * The page's first socket to `url`, by whoever opens it first (the probe, or MQTT.js when the
 * probe is skipped): from then on index.html opens nothing. `use` says what became of an early
 * socket ('none' when index.html had opened none, or it was claimed already).
 */
export function claimEarlySocket(url: string): { socket: WebSocket | null; use: EarlySocketUse } {
  window.deskdMqttStarted = true;
  const opened = window.deskdEarlySocket !== undefined;
  const socket = takeEarlySocket(url, window);
  return { socket, use: opened ? (socket ? 'used' : 'unused') : 'none' };
}

/** The same WebSocket URL however spelled (MQTT.js writes the port and a "/" path out). */
function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** Closes `socket`; one still connecting is closed once open (closing it earlier logs an error). */
function closeQuietly(socket: WebSocket): void {
  if (socket.readyState === 0) socket.addEventListener('open', () => socket.close());
  else if (socket.readyState === 1) socket.close();
}
