// The dashboard's broker login over wss:// (secure WebSockets). A test CA and a broker
// certificate for "localhost" are made with openssl at test time; Chromium trusts exactly that
// certificate's key (--ignore-certificate-errors-spki-list, the way Chromium accepts a private
// certificate without a system-wide CA). A browser without that trust must not connect at all.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BASE, Broker, launchBrowser, mqttClient, openPage, sleep, staticServer, stopAll, tmpDir,
  waitAttr, waitHeight, writePasswordFile,
} from './harness.mjs';

const openssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

// A CA and a server certificate for localhost/127.0.0.1 (EC P-256, valid for a day).
function makeCertificates() {
  const dir = tmpDir('wss-ca');
  const f = (n) => path.join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=deskd e2e CA');
  openssl('req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(f('ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial',
    '-out', f('server.crt'), '-days', '1', '-extfile', f('ext'));
  // base64(sha256(SubjectPublicKeyInfo)): what --ignore-certificate-errors-spki-list takes.
  const pub = openssl('x509', '-in', f('server.crt'), '-pubkey', '-noout');
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: pub });
  const spki = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
  return { certfile: f('server.crt'), keyfile: f('server.key'), spki };
}

describe('broker login over wss://', { timeout: 120_000 }, () => {
  let broker;
  let server;
  let certs;

  before(async () => {
    certs = makeCertificates();
    broker = await new Broker('mosquitto-wss', {
      passwordFile: writePasswordFile('deskuser', 's3cret'), tls: certs,
    }).start();
    server = await staticServer({ broker_ws_url: broker.wssUrl, base_topic: BASE, desk_id: 'e2ewss', version: 'test' });
    const mq = await mqttClient(broker, { username: 'deskuser', password: 's3cret' });
    await mq.publishAsync(`${BASE}/e2ewss/availability`, 'online', { retain: true, qos: 1 });
    await mq.publishAsync(`${BASE}/e2ewss/state`, JSON.stringify({ height_mm: 1040, motion: 'stopped', posture: 'standing', calibrated: true, fault: 'none', phase: 'counting' }), { retain: true, qos: 1 });
    await mq.endAsync();
  });

  after(async () => {
    await server?.close();
    await stopAll();
  });

  it('asks for a login, refuses a wrong password, then shows the desk', async () => {
    const browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${certs.spki}`]);
    try {
      const page = await openPage(browser, server.url);
      await page.waitForSelector('[data-testid=login-form]', { state: 'visible', timeout: 15_000 });
      assert.equal(await page.getAttribute('[data-testid=conn-status]', 'data-state'), 'auth_required');
      await page.fill('[data-testid=login-user]', 'deskuser');
      await page.fill('[data-testid=login-pass]', 'wrong');
      await page.click('[data-testid=login-submit]');
      await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'auth_failed', 10_000);
      await page.fill('[data-testid=login-pass]', 's3cret');
      await page.press('[data-testid=login-pass]', 'Enter');
      await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 10_000);
      assert.equal(await waitHeight(page, () => true, 5_000), 1040);
      assert.deepEqual(page.errors, []);
    } finally {
      await browser.close();
    }
  });

  it('does not connect when the browser does not trust the broker certificate', async () => {
    const browser = await launchBrowser();
    try {
      const page = await openPage(browser, server.url);
      await sleep(4000);
      const state = await page.getAttribute('[data-testid=conn-status]', 'data-state');
      assert.notEqual(state, 'connected');
      assert.notEqual(state, 'auth_required', 'the TLS handshake must fail before any MQTT login');
      assert.ok(await page.isHidden('[data-testid=login-form]'));
    } finally {
      await browser.close();
    }
  });
});
