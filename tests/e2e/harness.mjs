// Test harness for the browser end-to-end tests: free loopback ports, a real mosquitto with TCP
// and WebSocket listeners, the real deskd binary on the simulated desk, headless Chromium.
// Every process started here is tracked by pid and stopped in stopAll() (and at exit).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import mqtt from 'mqtt';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const webDist = path.join(repoRoot, 'web', 'dist');
export const outDir = path.join(repoRoot, 'tests', 'out', 'e2e');
// DESKD_BIN is taken relative to the working directory; the default to this folder.
export const deskdBin = process.env.DESKD_BIN
  ? path.resolve(process.env.DESKD_BIN)
  : path.resolve(here, '../../build/daemon/deskd');
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const BASE = 'deskd';

fs.mkdirSync(outDir, { recursive: true });

const live = new Set(); // child processes still running
const tmpDirs = new Set();

/** Local calendar date `offset` days from today, "YYYY-MM-DD" (deskd runs in this zone too). */
export function localDate(offset) {
  const d = new Date();
  d.setHours(12, 0, 0, 0);
  d.setDate(d.getDate() + offset);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function tmpDir(prefix) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `deskd-e2e-${prefix}-`));
  tmpDirs.add(d);
  return d;
}

/** A free TCP port on 127.0.0.1 (never 1883 or 9001). */
export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    if (port !== 1883 && port !== 9001) return port;
  }
}

async function waitFor(what, fn, timeoutMs = 10000, everyMs = 50) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts a child process whose output goes to tests/out/e2e/logs/<name>.log. */
export function startProcess(name, cmd, args) {
  const logDir = path.join(outDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  fs.writeSync(log, `\n--- ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
  const child = spawn(cmd, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  live.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    live.delete(child);
    resolve({ code, signal });
  }));
  return child;
}

/** Stops one child by pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const done = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await child.exited;
  }
}

process.on('exit', () => {
  for (const c of live) {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export class Broker {
  /** aclFile: a mosquitto acl_file (with passwordFile: per-user topic rights).
   *  tls: {certfile, keyfile} adds a wss:// listener (secure WebSockets) on wssPort.
   *  anonymous: let clients without a login in (default: only when there is no passwordFile). */
  constructor(name = 'mosquitto', { passwordFile, aclFile, tls, anonymous = !passwordFile } = {}) {
    this.name = name;
    this.dir = tmpDir('broker');
    this.anonymous = anonymous;
    this.passwordFile = passwordFile;
    this.aclFile = aclFile;
    this.tls = tls;
    this.child = null;
  }

  async start() {
    this.tcpPort ??= await freePort();
    this.wsPort ??= await freePort();
    if (this.tls) this.wssPort ??= await freePort();
    const wss = this.tls
      ? [`listener ${this.wssPort} 127.0.0.1`, 'protocol websockets', 'socket_domain ipv4',
        `certfile ${this.tls.certfile}`, `keyfile ${this.tls.keyfile}`]
      : [];
    const auth = `allow_anonymous ${this.anonymous}\n` + (this.passwordFile ? `password_file ${this.passwordFile}\n` : '');
    const acl = this.aclFile ? `acl_file ${this.aclFile}\n` : '';
    const conf = [
      // Started as root, mosquitto would switch to user "mosquitto" and lose our temp files.
      `user ${os.userInfo().username}`,
      'per_listener_settings false',
      'set_tcp_nodelay true',
      'persistence false',
      'log_dest stdout',
      'log_type error',
      'log_type warning',
      'log_type notice',
      `listener ${this.tcpPort} 127.0.0.1`,
      'socket_domain ipv4',
      `listener ${this.wsPort} 127.0.0.1`,
      'protocol websockets',
      'socket_domain ipv4',
      ...wss,
      auth,
      acl,
    ].join('\n');
    const file = path.join(this.dir, 'mosquitto.conf');
    fs.writeFileSync(file, conf);
    this.child = startProcess(this.name, 'mosquitto', ['-c', file]);
    await waitFor(`${this.name} on ${this.tcpPort}/${this.wsPort}`, async () => {
      if (this.child.exitCode !== null) throw new Error(`mosquitto exited with ${this.child.exitCode}`);
      return (await canConnect(this.tcpPort)) && (await canConnect(this.wsPort))
        && (!this.tls || (await canConnect(this.wssPort)));
    });
    return this;
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.wsPort}`;
  }

  /** The secure WebSocket URL, by the host name the test certificate names. */
  get wssUrl() {
    return `wss://localhost:${this.wssPort}`;
  }

  get tcpUrl() {
    return `mqtt://127.0.0.1:${this.tcpPort}`;
  }

  async stop() {
    await stopProcess(this.child);
    this.child = null;
  }
}

/** Writes a password file for mosquitto with one user. */
export function writePasswordFile(user, password) {
  const file = path.join(tmpDir('passwd'), 'passwd');
  fs.writeFileSync(file, '');
  const r = spawnSync('mosquitto_passwd', ['-b', file, user, password]);
  if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
  return file;
}

export function deskdAvailable() {
  return fs.existsSync(deskdBin);
}

export class Deskd {
  /**
   * @param {{id: string, broker: Broker, timeScale?: number, stateDir?: string, extraToml?: string,
   *   webToml?: string, mqttToml?: string, webRoot?: string}} o  webToml/mqttToml: extra lines for the [web]/[mqtt]
   *   table (e.g. "mqtt_bridge = false", 'username = "deskd"')
   */
  constructor({ id, broker, timeScale, stateDir, extraToml = '', webToml = '', mqttToml = '', webRoot = webDist }) {
    this.id = id;
    this.broker = broker;
    this.timeScale = timeScale;
    this.stateDir = stateDir ?? tmpDir(`state-${id}`);
    this.extraToml = extraToml;
    this.webToml = webToml;
    this.mqttToml = mqttToml;
    this.webRoot = webRoot;
    this.child = null;
  }

  async start() {
    this.httpPort ??= await freePort();
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `${d} = ["00:00-24:00"]`);
    const toml = [
      '[desk]',
      `id = "${this.id}"`,
      '[gpio]',
      'backend = "sim"',
      '[sensor]',
      'kind = "encoder"',
      '[schedule]',
      ...days,
      'require_time_sync = false',
      '[mqtt]',
      `uri = "tcp://127.0.0.1:${this.broker.tcpPort}"`,
      `base_topic = "${BASE}"`,
      this.mqttToml,
      '[web]',
      `listen = "127.0.0.1:${this.httpPort}"`,
      `broker_ws_url = "${this.broker.wsUrl}"`,
      `root = "${this.webRoot}"`,
      this.webToml,
      '[state]',
      `dir = "${this.stateDir}"`,
      this.extraToml,
    ].join('\n');
    this.configFile ??= path.join(tmpDir(`conf-${this.id}`), 'deskd.toml');
    fs.writeFileSync(this.configFile, toml + '\n');
    const args = ['--config', this.configFile, '--simulate'];
    if (this.timeScale) args.push('--time-scale', String(this.timeScale));
    this.child = startProcess(`deskd-${this.id}`, deskdBin, args);
    await waitFor(`deskd ${this.id} serving on ${this.httpPort}`, async () => {
      if (this.child.exitCode !== null) throw new Error(`deskd exited with ${this.child.exitCode}`);
      const r = await fetch(`${this.url}config.json`);
      return r.ok;
    }, 15000);
    return this;
  }

  get url() {
    return `http://127.0.0.1:${this.httpPort}/`;
  }

  get topic() {
    return `${BASE}/${this.id}`;
  }

  async stop() {
    await stopProcess(this.child);
    this.child = null;
  }
}

/** Serves web/dist and a given /config.json (for tests that need no deskd). */
export async function staticServer(config) {
  const port = await freePort();
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(config));
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(webDist, rel);
    if (!file.startsWith(webDist + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => srv.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => srv.close(r)) };
}

/** An MQTT.js client from node on the broker's TCP listener. */
export async function mqttClient(broker, opts = {}) {
  const c = await mqtt.connectAsync(broker.tcpUrl, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  return c;
}

/** Milliseconds for an MQTT.js client in node to connect over the broker's WebSocket listener. */
export async function brokerWsConnectMs(broker) {
  const t0 = performance.now();
  const c = await mqtt.connectAsync(broker.wsUrl, { reconnectPeriod: 0, connectTimeout: 5000 });
  const ms = performance.now() - t0;
  await c.endAsync();
  return ms;
}

/** Resolves with the first message on `topic` matching `pred` (JSON-parsed when possible). */
export async function nextMessage(client, topic, pred = () => true, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const onMsg = (t, payload) => {
      if (t !== topic) return;
      let v = payload.toString();
      try {
        v = JSON.parse(v);
      } catch {
        // plain payload
      }
      if (pred(v)) {
        cleanup();
        resolve(v);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      client.removeListener('message', onMsg);
    };
    client.on('message', onMsg);
    client.subscribe(topic, { qos: 1 });
  });
}

export async function launchBrowser(extraArgs = []) {
  const dir = tmpDir('chromium');
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    viewport: { width: 1280, height: 900 },
  });
  return ctx;
}

/** Opens a page that records console errors and uncaught exceptions into page.errors. */
export async function openPage(ctx, url) {
  const page = await ctx.newPage();
  page.errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  if (url) await page.goto(url);
  return page;
}

/** Waits for the page's live height (data-height-mm on [data-testid=height]) to satisfy pred. */
export async function waitHeight(page, pred, timeoutMs = 20000) {
  let last = null;
  await waitFor('height', async () => {
    const v = await page.getAttribute('[data-testid=height]', 'data-height-mm');
    last = v === null ? null : Number(v);
    return last !== null && pred(last);
  }, timeoutMs, 50).catch((e) => {
    throw new Error(`${e.message} (last height ${last})`);
  });
  return last;
}

/** The page's height once it has not changed for `quietMs` (after a stop, the desk coasts). */
export async function settledHeight(page, quietMs = 600, timeoutMs = 10000) {
  let last = null;
  let since = Date.now();
  const t0 = Date.now();
  for (;;) {
    const v = Number(await page.getAttribute('[data-testid=height]', 'data-height-mm'));
    if (v !== last) {
      last = v;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return v;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`height did not settle (last ${last} mm)`);
    await sleep(50);
  }
}

export async function waitAttr(page, selector, attr, pred, timeoutMs = 20000) {
  let last = null;
  await waitFor(`${selector}[${attr}]`, async () => {
    last = await page.getAttribute(selector, attr);
    return pred(last);
  }, timeoutMs, 50).catch((e) => {
    throw new Error(`${e.message} (last ${attr}=${last})`);
  });
  return last;
}

/** If the simulated desk starts with an unknown position, calibrates it from the page. */
export async function ensureCalibrated(page, timeoutMs = 60000) {
  await page.waitForSelector('[data-testid=posture][data-posture]');
  await sleep(100);
  const needs = await page.isVisible('[data-testid=calibrate-banner]');
  if (!needs) return;
  await page.click('[data-testid=btn-calibrate-uncal]');
  await page.waitForSelector('[data-testid=calibrate-banner]', { state: 'hidden', timeout: timeoutMs });
  await waitAttr(page, '[data-testid=motion]', 'data-motion', (m) => m === 'stopped', timeoutMs);
}

export async function screenshot(page, name) {
  const file = path.join(outDir, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Gzip size of the dashboard's JS and CSS in web/dist. */
export function distGzipBytes() {
  const assets = path.join(webDist, 'assets');
  let total = 0;
  for (const f of fs.readdirSync(assets)) {
    if (!/\.(js|css)$/.test(f)) continue;
    total += zlib.gzipSync(fs.readFileSync(path.join(assets, f)), { level: 9 }).length;
  }
  return total;
}

/**
 * Inside a describe(): before its tests, a broker, a deskd with `deskd` options (id, timeScale,
 * stateDir, ...), headless Chromium and an MQTT client; after them, all stopped. The returned
 * object's broker/desk/browser/client are set once the suite's tests run.
 */
export function useDesk(deskOptions) {
  const f = { broker: null, desk: null, browser: null, client: null };
  before(async () => {
    f.broker = await new Broker().start();
    f.desk = await new Deskd({ ...deskOptions, broker: f.broker }).start();
    f.browser = await launchBrowser();
    f.client = await mqttClient(f.broker);
  });
  after(async () => {
    await f.client?.endAsync();
    await f.browser?.close();
    await stopAll();
  });
  return f;
}

export async function stopAll() {
  await Promise.all([...live].map((c) => stopProcess(c)));
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  tmpDirs.clear();
}

export { waitFor };
