// Only the owner moves the desk (issue 19): cross-site WebSocket hijacking, DNS rebinding,
// clickjacking and the default install, against the real deskd, a real mosquitto and Chromium.
// Another host is played by 127.0.0.2 (deskd counts only 127.0.0.1/::1 as this machine); names
// are mapped to 127.0.0.1 by Chromium's --host-resolver-rules, so nothing leaves loopback.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import {
  BASE, Broker, Deskd, deskdAvailable, freePort, launchBrowser, mqttClient, openPage, repoRoot,
  screenshot, sleep, startProcess, stopAll, stopProcess, tmpDir, waitFor, waitHeight, webDist,
  writePasswordFile,
} from './harness.mjs';

const skip = deskdAvailable() ? false : 'deskd is not built';
const hostName = os.hostname().toLowerCase();

// The attacker's page: opens deskd's bridge from its own origin and, if it gets in, asks the desk
// to move (MQTT 3.1.1 CONNECT, then PUBLISH {"action":"calibrate"} to the desk's set topic).
function attackPage(bridgeUrl, setTopic) {
  return `<!doctype html><title>cats</title><script>
  const enc = new TextEncoder();
  const str = (s) => { const b = enc.encode(s); return [b.length >> 8, b.length & 255, ...b]; };
  const packet = (type, body) => new Uint8Array([type, body.length, ...body]);
  window.result = 'pending';
  const ws = new WebSocket(${JSON.stringify(bridgeUrl)}, ['mqtt']);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    window.result = 'open';
    ws.send(packet(0x10, [...str('MQTT'), 4, 2, 0, 60, ...str('evil')]));
    ws.send(packet(0x30, [...str(${JSON.stringify(setTopic)}), ...enc.encode('{"action":"calibrate"}')]));
  };
  ws.onmessage = (e) => { if (new Uint8Array(e.data)[0] === 0x20) window.result = 'connack'; };
  ws.onerror = () => { if (window.result === 'pending') window.result = 'error'; };
  </script>`;
}

function framePage(dashboardUrl) {
  return `<!doctype html><title>win a prize</title>
  <iframe id="f" src="${dashboardUrl}" style="opacity:0.0001;width:900px;height:700px"></iframe>`;
}

// Serves `pages` (path -> html) on `host`:port.
async function pageServer(host, pages) {
  const port = await freePort();
  const srv = http.createServer((req, res) => {
    const body = pages[new URL(req.url, 'http://x').pathname];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? '');
  });
  await new Promise((resolve) => srv.listen(port, host, resolve));
  return { url: `http://${host}:${port}/`, close: () => new Promise((r) => srv.close(r)) };
}

// The status of a raw /mqtt upgrade to deskd with `headers`, from `localAddress`.
function upgradeStatus(port, headers, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: '/mqtt', localAddress, setHost: false,
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'mqtt', ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

// An MQTT client through deskd's bridge from `localAddress`; resolves to 'connected' or the error.
function bridgeClient(port, localAddress, opts = {}) {
  return new Promise((resolve) => {
    const c = mqtt.connect(`ws://127.0.0.1:${port}/mqtt`, {
      reconnectPeriod: 0, connectTimeout: 5000, wsOptions: { localAddress }, ...opts,
    });
    c.once('connect', () => resolve({ state: 'connected', client: c }));
    const fail = (why) => {
      c.end(true);
      resolve({ state: `error: ${why}` });
    };
    c.once('error', (e) => fail(e.message));
    c.once('close', () => fail('closed before CONNACK'));
    setTimeout(() => fail('no CONNACK in 8 s'), 8000).unref();
  });
}

// Every B/state motion seen from now on, by an observer with the broker's own access.
async function watchMotion(broker, topic) {
  const mq = await mqttClient(broker);
  const seen = [];
  mq.on('message', (t, payload) => {
    try {
      seen.push(JSON.parse(payload.toString()).motion);
    } catch {
      // not JSON: not a state
    }
  });
  await mq.subscribeAsync(`${topic}/state`);
  await sleep(300); // the retained state
  return { seen, stop: () => mq.endAsync() };
}

describe('only the owner moves the desk', { skip, timeout: 240_000 }, () => {
  let broker;
  let deskd;
  let browser;
  let attacker;

  before(async () => {
    broker = await new Broker('mosquitto-sec').start(); // anonymous, loopback: Debian's default
    deskd = await new Deskd({ id: 'sec1', broker }).start();
    browser = await launchBrowser([
      `--host-resolver-rules=MAP attacker.test 127.0.0.1, MAP ${hostName} 127.0.0.1`,
    ]);
    const bridge = `ws://127.0.0.1:${deskd.httpPort}/mqtt`;
    attacker = await pageServer('127.0.0.2', {
      '/': attackPage(bridge, `${deskd.topic}/set`),
      '/frame': framePage(deskd.url),
    });
  });

  after(async () => {
    await browser?.close();
    await attacker?.close();
    await stopAll();
  });

  it('a page of another origin cannot drive the desk through the bridge', async () => {
    const watch = await watchMotion(broker, deskd.topic);
    const page = await openPage(browser, attacker.url);
    await waitFor('the attack to finish', async () => (await page.evaluate(() => window.result)) !== 'pending');
    await sleep(1500);
    const result = await page.evaluate(() => window.result);
    await watch.stop();
    assert.equal(result, 'error', 'the bridge must refuse a foreign origin');
    assert.deepEqual(watch.seen.filter((m) => m !== 'stopped'), [], 'the desk must not move');
    await page.close();
  });

  it('a forged Origin or Host gets 403 from node', async () => {
    const own = `127.0.0.1:${deskd.httpPort}`;
    assert.equal(await upgradeStatus(deskd.httpPort, { Host: own, Origin: 'http://attacker.example' }), 403);
    assert.equal(await upgradeStatus(deskd.httpPort, { Host: 'attacker.example', Origin: 'http://attacker.example' }), 403);
    assert.equal(await upgradeStatus(deskd.httpPort, { Host: own, Origin: `http://${own}` }), 101);
  });

  it('a page loaded by another name (DNS rebinding) gets no settings, no bridge and no desk', async () => {
    const page = await openPage(browser, `http://attacker.test:${deskd.httpPort}/`);
    await page.waitForSelector('[data-testid=fatal-banner]', { state: 'visible', timeout: 15_000 });
    assert.match(await page.textContent('[data-testid=fatal-text]'), /settings/);
    assert.equal(await page.getAttribute('[data-testid=height]', 'data-height-mm'), null);
    const json = await page.goto(`http://attacker.test:${deskd.httpPort}/config.json`);
    assert.equal(json.status(), 403);
    await page.close();
  });

  it('the dashboard framed by another origin does not render', async () => {
    const page = await openPage(browser, `${attacker.url}frame`);
    await sleep(2000);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame, 'the iframe exists');
    const rendered = await frame.locator('[data-testid=height]').count().catch(() => 0);
    await screenshot(page, 'framed-dashboard');
    assert.equal(rendered, 0, 'the dashboard must not render inside another site');
    await page.close();
  });

  it('the dashboard works from its own origin, by address, by localhost and by host name', async () => {
    for (const host of ['127.0.0.1', 'localhost', hostName]) {
      const page = await openPage(browser, `http://${host}:${deskd.httpPort}/`);
      const h = await waitHeight(page, (v) => v !== null, 15_000);
      assert.ok(h > 0, `height shown at ${host}`);
      assert.deepEqual(page.errors.filter((e) => /Content Security Policy|Refused/.test(e)), [], host);
      await page.close();
    }
  });

  it('another host gets no bridge to a broker that accepts anonymous clients', async () => {
    const lan = await bridgeClient(deskd.httpPort, '127.0.0.2');
    assert.match(lan.state, /error/);
    const own = await bridgeClient(deskd.httpPort, '127.0.0.1');
    assert.equal(own.state, 'connected');
    await own.client.endAsync();
  });
});

describe('the default install', { skip, timeout: 180_000 }, () => {
  let broker;
  let child;
  let httpPort;
  const id = 'pkg1';

  before(async () => {
    broker = await new Broker('mosquitto-debian-default').start(); // anonymous, local only
    httpPort = await freePort();
    // The packaged config file, changed only where a test must: ports, paths, the desk's id.
    const shipped = fs.readFileSync(path.join(repoRoot, 'config', 'deskd.toml'), 'utf8');
    const conf = shipped
      .replace(/^\[desk\]$/m, `[desk]\nid = "${id}"`)
      .replace(/^\[mqtt\]$/m, `[mqtt]\nuri = "tcp://127.0.0.1:${broker.tcpPort}"`)
      .replace(/^\[web\]$/m, `[web]\nlisten = "127.0.0.1:${httpPort}"\nroot = "${webDist}"`)
      .replace(/^\[state\]$/m, `[state]\ndir = "${tmpDir('pkg-state')}"`);
    const file = path.join(tmpDir('pkg-conf'), 'deskd.toml');
    fs.writeFileSync(file, conf);
    child = startProcess('deskd-pkg', process.env.DESKD_BIN ?? path.join(repoRoot, 'build/daemon/deskd'),
      ['--config', file, '--simulate']);
    await waitFor('deskd on the packaged config', async () => {
      if (child.exitCode !== null) throw new Error(`deskd exited with ${child.exitCode}`);
      return (await fetch(`http://127.0.0.1:${httpPort}/config.json`)).ok;
    }, 15_000);
  });

  after(async () => {
    await stopProcess(child);
    await stopAll();
  });

  it('a browser on another host sees why it cannot move the desk', async () => {
    // A plain TCP relay whose connections to deskd come from 127.0.0.2: to deskd, the browser
    // is a device on the network (no proxy headers), as behind a NAT.
    const relay = net.createServer((c) => {
      const up = net.connect({ port: httpPort, host: '127.0.0.1', localAddress: '127.0.0.2' });
      c.pipe(up);
      up.pipe(c);
      up.on('error', () => c.destroy());
      c.on('error', () => up.destroy());
    });
    const relayPort = await freePort();
    await new Promise((resolve) => relay.listen(relayPort, '127.0.0.1', resolve));
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, `http://127.0.0.1:${relayPort}/`);
      await page.waitForSelector('[data-testid=banner-broker]', { state: 'visible', timeout: 20_000 });
      const text = await page.textContent('[data-testid=banner-broker]');
      await screenshot(page, 'lan-browser-anonymous-broker');
      assert.match(text, /accepts clients without a password/);
      assert.equal(await page.getAttribute('[data-testid=height]', 'data-height-mm'), null);
    } finally {
      await browser.close();
      relay.close();
    }
  });

  it('a second address cannot drive the desk or write to the broker through deskd', async () => {
    const watch = await watchMotion(broker, `${BASE}/${id}`);
    const lan = await bridgeClient(httpPort, '127.0.0.2');
    if (lan.client) {
      await lan.client.publishAsync(`${BASE}/${id}/set`, '{"action":"calibrate"}');
      await lan.client.publishAsync(`${BASE}/${id}/state`, '{"height_mm":1234,"fault":"obstruction"}', { retain: true });
      await lan.client.endAsync();
    }
    await sleep(1500);
    await watch.stop();
    assert.match(lan.state, /error/, 'the bridge must not relay another host to an anonymous broker');
    assert.deepEqual(watch.seen.filter((m) => m !== 'stopped'), [], 'the desk must not move');
    const own = await bridgeClient(httpPort, '127.0.0.1');
    assert.equal(own.state, 'connected', "this machine's own browser still gets the dashboard");
    await own.client.endAsync();
  });
});

describe('behind a reverse proxy, with a broker that requires a password', { skip, timeout: 180_000 }, () => {
  let broker;
  let deskd;
  let proxy;
  let browser;
  const proxyName = 'desk.proxy.test';

  before(async () => {
    broker = await new Broker('mosquitto-proxy', { passwordFile: writePasswordFile('owner', 'pw-owner') }).start();
    const proxyPort = await freePort();
    deskd = await new Deskd({
      id: 'sec2', broker,
      mqttToml: 'username = "owner"\npassword = "pw-owner"',
      webToml: `allowed_origins = ["http://${proxyName}:${proxyPort}"]`,
    }).start();
    proxy = await reverseProxy(proxyPort, deskd.httpPort);
    browser = await launchBrowser([`--host-resolver-rules=MAP ${proxyName} 127.0.0.1`]);
  });

  after(async () => {
    await browser?.close();
    await proxy?.close();
    await stopAll();
  });

  it('the page through the proxy logs in and shows the desk', async () => {
    const page = await openPage(browser, `http://${proxyName}:${proxy.port}/`);
    await page.waitForSelector('[data-testid=login-form]', { state: 'visible', timeout: 15_000 });
    await page.fill('[data-testid=login-user]', 'owner');
    await page.fill('[data-testid=login-pass]', 'pw-owner');
    await page.press('[data-testid=login-pass]', 'Enter');
    const h = await waitHeight(page, (v) => v !== null, 15_000);
    assert.ok(h > 0);
    await page.close();
  });

  it('slowloris and held bridge sessions from one address do not lock another out', async () => {
    const held = [];
    try {
      let sessions = 0;
      for (let i = 0; i < 64; i++) { // logged-in MQTT sessions that only ping
        const c = await bridgeClient(deskd.httpPort, '127.0.0.2', { username: 'owner', password: 'pw-owner', keepalive: 20 });
        if (c.client) {
          sessions++;
          held.push({ end: () => c.client.end(true) });
        }
      }
      for (let i = 0; i < 200; i++) { // half a request header each, never finished
        const s = net.connect({ port: deskd.httpPort, host: '127.0.0.1', localAddress: '127.0.0.2' });
        s.on('error', () => {});
        s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${deskd.httpPort}\r\nX-a: `);
        held.push({ end: () => s.destroy() });
      }
      assert.ok(sessions >= 1 && sessions <= 8, `one address holds at most its budget of bridge sessions (${sessions})`);
      const t0 = Date.now();
      const page = await fetch(`${deskd.url}`);
      assert.equal(page.status, 200);
      const own = await bridgeClient(deskd.httpPort, '127.0.0.1', { username: 'owner', password: 'pw-owner' });
      assert.equal(own.state, 'connected');
      const moving = new Promise((resolve) => {
        own.client.on('message', (_t, p) => {
          if (JSON.parse(p.toString()).motion !== 'stopped') resolve(Date.now());
        });
      });
      await own.client.subscribeAsync(`${deskd.topic}/state`);
      // A fresh simulated desk rests at its bottom: calibration there is immediate, then a move.
      await own.client.publishAsync(`${deskd.topic}/set`, '{"action":"calibrate"}');
      await own.client.publishAsync(`${deskd.topic}/set`, '{"height_mm":800}');
      const movedAt = await Promise.race([moving, sleep(5000).then(() => null)]);
      await own.client.publishAsync(`${deskd.topic}/set`, '{"action":"stop"}');
      await own.client.endAsync();
      assert.ok(movedAt !== null, 'the owner moves the desk');
      console.log(`lockout: 200 slowloris sockets + 64 bridge attempts from 127.0.0.2 (${sessions} held); `
        + `the owner's page, bridge login and first motion in ${movedAt - t0} ms`);
      assert.ok(movedAt - t0 < 1000, `page, login and first motion took ${movedAt - t0} ms`);
    } finally {
      for (const h of held) h.end();
    }
  });

  it('without the configured origin the proxy page gets no bridge', async () => {
    assert.equal(await upgradeStatus(deskd.httpPort, {
      Host: `127.0.0.1:${deskd.httpPort}`, Origin: 'http://other.proxy.test', 'X-Forwarded-For': '192.0.2.1',
    }), 403);
  });
});

// A reverse proxy as nginx is set up by default: Host rewritten to the upstream, the client's
// address in X-Forwarded-For, WebSocket upgrades passed through.
async function reverseProxy(port, upstreamPort) {
  const upstreamHost = `127.0.0.1:${upstreamPort}`;
  const srv = http.createServer((req, res) => {
    const up = http.request({
      host: '127.0.0.1', port: upstreamPort, path: req.url, method: req.method,
      headers: { ...req.headers, host: upstreamHost, 'x-forwarded-for': req.socket.remoteAddress },
    }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  srv.on('upgrade', (req, socket, head) => {
    const up = net.connect(upstreamPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [k, v] of Object.entries({ ...req.headers, host: upstreamHost, 'x-forwarded-for': socket.remoteAddress })) {
        lines.push(`${k}: ${v}`);
      }
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head?.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise((resolve) => srv.listen(port, '127.0.0.1', resolve));
  return { port, close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(r); }) };
}
