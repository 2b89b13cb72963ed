// The page's first live state and its MQTT path through deskd's own /mqtt bridge (issue 14):
// the retained B/state arrives right after SUBSCRIBE (nothing else sent, keep-alive 60 s), the
// page on a fresh profile shows it (read by its first-state probe, then MQTT.js takes over), and
// the broker's authentication and ACL still decide, for the probe as for MQTT.js.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import {
  Broker, Deskd, deskdAvailable, deskdBin, launchBrowser, mqttClient, openPage, staticServer, stopAll,
  tmpDir, waitAttr, webDist, writePasswordFile,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;
const FLEET = ['availability', 'state', 'schedule', 'stats', 'event'].map((k) => `deskd/+/${k}`);

/** The page's MQTT URL, as the page derives it from /config.json. */
async function pageMqttUrl(desk) {
  const cfg = await (await fetch(`${desk.url}config.json`)).json();
  assert.equal(cfg.mqtt_ws_path, '/mqtt', 'config.json names the bridge');
  return `ws://127.0.0.1:${desk.httpPort}${cfg.mqtt_ws_path}`;
}

/** Connects like the page (MQTT.js over WebSocket, 3.1.1) but with a 60 s keep-alive. */
function pageLikeClient(url, opts = {}) {
  return mqtt.connect(url, { protocolVersion: 4, keepalive: 60, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
}

/** The retained B/state as a plain MQTT client reads it. */
async function retainedState(broker, topic, login = {}) {
  const mq = await mqttClient(broker, login);
  try {
    return await new Promise((resolve) => {
      mq.on('message', (_t, payload) => resolve(payload));
      mq.subscribe(`${topic}/state`);
    });
  } finally {
    await mq.endAsync();
  }
}

function once(client, event) {
  return new Promise((resolve, reject) => {
    client.once(event, resolve);
    client.once('error', reject);
  });
}

describe('first live state through the /mqtt bridge', { skip, timeout: 120_000 }, () => {
  let broker;
  let desk;

  before(async () => {
    broker = await new Broker().start();
    desk = await new Deskd({ id: 'first', broker }).start();
    // deskd's retained state is on the broker before any page connects.
    const mq = await mqttClient(broker);
    await new Promise((resolve) => {
      mq.on('message', resolve);
      mq.subscribe(`${desk.topic}/state`);
    });
    await mq.endAsync();
  });

  after(stopAll);

  it('delivers the retained B/state right after SUBSCRIBE, with nothing else sent', async () => {
    const c = pageLikeClient(await pageMqttUrl(desk));
    try {
      await once(c, 'connect');
      const t0 = performance.now();
      const got = new Promise((resolve) => c.on('message', (topic, payload, packet) => {
        if (topic === `${desk.topic}/state`) resolve({ ms: performance.now() - t0, retain: packet.retain, payload });
      }));
      c.subscribe(FLEET, { qos: 1 });
      // The keep-alive is 60 s: a broker that flushes only on client traffic would miss this.
      const r = await Promise.race([got, new Promise((resolve) => setTimeout(() => resolve(null), 3000))]);
      assert.ok(r, 'no retained B/state within 3 s of SUBSCRIBE');
      assert.equal(r.retain, true);
      assert.equal(typeof JSON.parse(r.payload.toString()).motion, 'string');
      console.log(`retained B/state ${r.ms.toFixed(1)} ms after SUBSCRIBE through /mqtt`);
    } finally {
      c.end(true);
    }
  });

  it('shows the live height on a fresh profile from the probe, then MQTT.js takes over', async () => {
    const retained = JSON.parse((await retainedState(broker, desk.topic)).toString());
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser);
      const assets = [];
      page.on('response', (r) => {
        if (/\/assets\/.*\.(js|css)$/.test(r.url())) assets.push(r);
      });
      await page.goto(desk.url);
      const shown = await waitAttr(page, '[data-testid=height]', 'data-height-mm', (v) => v !== null, 10_000);
      assert.equal(Number(shown), retained.height_mm);
      await waitAttr(page, '[data-testid=conn-status]', 'data-state', (v) => v === 'connected', 10_000);
      const m = await page.evaluate(() => window.deskdMetrics);
      assert.equal(m.first_state_from, 'probe');
      assert.ok(m.mqtt_loaded_ms > m.first_paint_ms, `MQTT.js evaluated at ${m.mqtt_loaded_ms} ms, first paint ${m.first_paint_ms}`);
      assert.equal(m.probe, 'stopped', 'the page closes the probe once MQTT.js is connected');
      // MQTT.js's chunk is prefetched: downloaded once while the page loads, then taken from the cache.
      const lazy = await page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => /\/assets\/connection-.*\.js$/.test(e.name)).map((e) => e.transferSize));
      assert.equal(lazy.length, 2, `connection chunk: ${lazy}`);
      assert.equal(lazy.filter((n) => n > 0).length, 1, `connection chunk transfer sizes: ${lazy}`);
      // The build's precompressed copies: the script comes gzip-coded, about a third of its size.
      const fetched = new Map();
      for (const r of assets) if (!fetched.has(r.url())) fetched.set(r.url(), r);
      assert.equal(fetched.size, 3, [...fetched.keys()].join(' '));
      for (const r of fetched.values()) {
        const file = path.join(webDist, new URL(r.url()).pathname.replace(/^\//, ''));
        assert.equal((await r.allHeaders())['content-encoding'], 'gzip', r.url());
        const sent = (await r.request().sizes()).responseBodySize;
        assert.equal(sent, fs.statSync(`${file}.gz`).size, `${r.url()}: body bytes on the wire`);
        assert.ok(sent < fs.statSync(file).size / 2, `${r.url()}: ${sent} bytes sent`);
      }
      assert.ok(m.first_state_ms !== null && m.first_state_ms < 5000, `first state at ${m.first_state_ms} ms`);
      assert.equal(m.early_socket, 'used', "the probe took over the socket index.html opened early");
      assert.match(await page.textContent('footer'), new RegExp(`ws://127\\.0\\.0\\.1:${desk.httpPort}/mqtt`));
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  });
});

describe("a page whose broker is not deskd's bridge", { skip, timeout: 120_000 }, () => {
  after(stopAll);

  it('opens no early socket on a first visit, and the remembered broker URL on the next', async () => {
    const broker = await new Broker().start();
    const desk = await new Deskd({ id: 'direct', broker, webToml: 'mqtt_bridge = false' }).start();
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser);
      await page.addInitScript(() => {
        const Native = window.WebSocket;
        window.__sockets = [];
        window.WebSocket = class extends Native {
          constructor(...args) {
            super(...args);
            window.__sockets.push(this);
          }
        };
      });
      const load = async () => {
        await waitAttr(page, '[data-testid=height]', 'data-height-mm', (v) => v !== null, 10_000);
        await waitAttr(page, '[data-testid=conn-status]', 'data-state', (v) => v === 'connected', 10_000);
        await page.waitForFunction(() => window.__sockets[0]?.readyState === 3, null, { timeout: 5000 });
        return page.evaluate(() => ({
          use: window.deskdMetrics.early_socket,
          from: window.deskdMetrics.first_state_from,
          sockets: window.__sockets.map((s) => ({ port: new URL(s.url).port, state: s.readyState })),
        }));
      };
      // Two sockets each time, both to the broker's own listener: the probe's (closed once MQTT.js
      // is connected) and MQTT.js's. On the first visit the probe opens its own.
      const expected = [{ port: String(broker.wsPort), state: 3 }, { port: String(broker.wsPort), state: 1 }];
      await page.goto(desk.url);
      const first = await load();
      assert.equal(first.use, 'none');
      assert.equal(first.from, 'probe');
      assert.deepEqual(first.sockets, expected);
      await page.reload();
      const second = await load();
      assert.equal(second.use, 'used');
      assert.equal(second.from, 'probe');
      assert.deepEqual(second.sockets, expected);
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  });
});

describe("the broker's authentication and ACL apply through the bridge", { skip, timeout: 120_000 }, () => {
  let broker;
  let desk;

  before(async () => {
    const passwordFile = writePasswordFile('deskd', 'desk-secret');
    const r = spawnSync('mosquitto_passwd', ['-b', passwordFile, 'viewer', 'view-only']);
    assert.equal(r.status, 0, String(r.stderr));
    // deskd may do everything under deskd/; the viewer may only read one other desk's state.
    const aclFile = path.join(tmpDir('acl'), 'acl');
    fs.writeFileSync(aclFile, 'user deskd\ntopic readwrite deskd/#\ntopic readwrite homeassistant/#\n' +
      'user viewer\ntopic read deskd/other/state\n');
    broker = await new Broker('mosquitto-acl', { passwordFile, aclFile }).start();
    desk = await new Deskd({ id: 'acl', broker, mqttToml: 'username = "deskd"\npassword = "desk-secret"' }).start();
    const mq = await mqttClient(broker, { username: 'deskd', password: 'desk-secret' });
    await mq.publishAsync('deskd/other/state', JSON.stringify({ motion: 'stopped' }), { retain: true, qos: 1 });
    await mq.endAsync();
  });

  after(stopAll);

  it('refuses a page without credentials and a wrong password', async () => {
    const url = await pageMqttUrl(desk);
    for (const opts of [{}, { username: 'viewer', password: 'wrong' }]) {
      const c = pageLikeClient(url, opts);
      const err = await once(c, 'connect').then(() => null, (e) => e);
      c.end(true);
      assert.ok(err, `connected with ${JSON.stringify(opts)}`);
      assert.equal(err.code, 5, err.message);
    }
  });

  it('delivers only what the ACL lets the user read', async () => {
    const c = pageLikeClient(await pageMqttUrl(desk), { username: 'viewer', password: 'view-only' });
    try {
      await once(c, 'connect');
      const topics = new Set();
      c.on('message', (t) => topics.add(t));
      c.subscribe(FLEET, { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.deepEqual([...topics], ['deskd/other/state']);
    } finally {
      c.end(true);
    }
  });
});

describe("the probe reads only what the broker's ACL gives an anonymous client", { skip, timeout: 120_000 }, () => {
  after(stopAll);

  it('shows no height from a desk whose state anonymous clients may not read', async () => {
    const passwordFile = writePasswordFile('deskd', 'desk-secret');
    // Anonymous clients may connect but read only another desk's state.
    const aclFile = path.join(tmpDir('acl-anon'), 'acl');
    fs.writeFileSync(aclFile, 'topic read deskd/other/state\n\nuser deskd\ntopic readwrite deskd/#\ntopic readwrite homeassistant/#\n');
    const broker = await new Broker('mosquitto-acl-anon', { passwordFile, aclFile, anonymous: true }).start();
    const login = { username: 'deskd', password: 'desk-secret' };
    const desk = await new Deskd({ id: 'hidden', broker, mqttToml: 'username = "deskd"\npassword = "desk-secret"' }).start();
    await retainedState(broker, desk.topic, login);
    const mq = await mqttClient(broker, login);
    await mq.publishAsync('deskd/other/state', JSON.stringify({ motion: 'stopped' }), { retain: true, qos: 1 });
    await mq.endAsync();
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser);
      await page.goto(desk.url);
      await waitAttr(page, '[data-testid=conn-status]', 'data-state', (v) => v === 'connected', 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const m = await page.evaluate(() => window.deskdMetrics);
      assert.equal(await page.getAttribute('[data-testid=height]', 'data-height-mm'), null);
      assert.equal(m.first_state_from, null);
      assert.ok(['denied', 'stopped'].includes(m.probe), `probe: ${m.probe}`);
      // It subscribed like MQTT.js and got exactly what anonymous may read: the other desk's state.
      assert.equal(m.probe_messages, 1);
      console.log(`anonymous probe on a desk it may not read: ${m.probe}, ${m.probe_messages} message`);
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  });
});

describe('what the probe shows, and when it gives way', { skip, timeout: 120_000 }, () => {
  let broker;
  let server;

  before(async () => {
    broker = await new Broker().start();
    server = await staticServer({ broker_ws_url: broker.wsUrl, base_topic: 'deskd', desk_id: 'gone', version: 'test' });
    const mq = await mqttClient(broker);
    const st = { height_mm: 1004, motion: 'stopped', posture: 'standing', calibrated: true, fault: 'none', phase: 'counting' };
    for (const [id, availability] of [['gone', 'offline'], ['here', 'online']]) {
      await mq.publishAsync(`deskd/${id}/availability`, availability, { retain: true, qos: 1 });
      await mq.publishAsync(`deskd/${id}/state`, JSON.stringify(st), { retain: true, qos: 1 });
    }
    await mq.endAsync();
  });

  after(async () => {
    await server?.close();
    await stopAll();
  });

  it("leaves an offline desk's last state to MQTT.js, which shows it as offline", async () => {
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser);
      await page.goto(server.url);
      await waitAttr(page, '[data-testid=conn-status]', 'data-state', (v) => v === 'desk_offline', 10_000);
      const m = await page.evaluate(() => window.deskdMetrics);
      assert.equal(m.first_state_from, 'mqtt');
      assert.ok(m.probe_messages >= 2, `probe messages: ${m.probe_messages}`);
      assert.ok(await page.isVisible('[data-testid=banner-offline]'));
      // The same page on the online desk: the probe's state is the first.
      await page.goto(`${server.url}#desk=here`);
      await page.reload();
      await waitAttr(page, '[data-testid=conn-status]', 'data-state', (v) => v === 'connected', 10_000);
      assert.equal((await page.evaluate(() => window.deskdMetrics)).first_state_from, 'probe');
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  });

  it('says for good that MQTT.js could not be loaded, and closes the probe', async () => {
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser);
      await page.route(/\/assets\/connection-[^/]*\.js$/, (route) => route.abort());
      await page.goto(`${server.url}#desk=here`);
      await page.waitForSelector('[data-testid=fatal-banner]', { state: 'visible', timeout: 10_000 });
      assert.match(await page.textContent('[data-testid=fatal-text]'), /MQTT client.*reload the page/);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a tick re-renders every second
      assert.equal(await page.getAttribute('[data-testid=conn-status]', 'data-state'), 'error');
      assert.ok(await page.isVisible('[data-testid=fatal-banner]'));
      assert.equal(await page.evaluate(() => window.deskdMetrics.probe), 'stopped');
    } finally {
      await browser.close();
    }
  });
});

