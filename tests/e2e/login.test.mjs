// A broker that refuses anonymous clients: the page asks for a login and then goes live.
// Needs no deskd: the dashboard is served by the harness and a retained state is published.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BASE, Broker, launchBrowser, mqttClient, openPage, screenshot, staticServer, stopAll, waitAttr,
  waitHeight, writePasswordFile,
} from './harness.mjs';

describe('broker login', { timeout: 120_000 }, () => {
  let broker;
  let server;
  let browser;

  before(async () => {
    broker = await new Broker('mosquitto-auth', { passwordFile: writePasswordFile('deskuser', 's3cret') }).start();
    server = await staticServer({ broker_ws_url: broker.wsUrl, base_topic: BASE, desk_id: 'e2e9', version: 'test' });
    const mq = await mqttClient(broker, { username: 'deskuser', password: 's3cret' });
    await mq.publishAsync(`${BASE}/e2e9/availability`, 'online', { retain: true, qos: 1 });
    await mq.publishAsync(`${BASE}/e2e9/state`, JSON.stringify({ height_mm: 1100, motion: 'stopped', posture: 'standing', calibrated: true, fault: 'none', phase: 'counting' }), { retain: true, qos: 1 });
    await mq.endAsync();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await stopAll();
  });

  it('asks for a login, refuses a wrong password, then shows the desk', async () => {
    const page = await openPage(browser, server.url);
    await page.waitForSelector('[data-testid=login-form]', { state: 'visible', timeout: 10_000 });
    assert.equal(await page.getAttribute('[data-testid=conn-status]', 'data-state'), 'auth_required');
    // The anonymous first-state probe was refused like any client without a login: no height.
    assert.equal(await page.evaluate(() => window.deskdMetrics.probe), 'refused');
    assert.equal(await page.getAttribute('[data-testid=height]', 'data-height-mm'), null);
    await screenshot(page, 'desktop-login');
    await page.fill('[data-testid=login-user]', 'deskuser');
    await page.fill('[data-testid=login-pass]', 'wrong');
    await page.click('[data-testid=login-submit]');
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'auth_failed', 10_000);
    assert.match(await page.textContent('[data-testid=login-error]'), /refused/i);
    await page.fill('[data-testid=login-pass]', 's3cret');
    await page.press('[data-testid=login-pass]', 'Enter');
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 10_000);
    assert.ok(await page.isHidden('[data-testid=login-form]'));
    assert.equal(await waitHeight(page, () => true, 5_000), 1100);
    assert.deepEqual(page.errors, []);
  });

  it('does not knock with the probe again on the next visit (the refusal is remembered)', async () => {
    const page = await openPage(browser, server.url);
    await page.waitForSelector('[data-testid=login-form]', { state: 'visible', timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.deskdMetrics.probe), 'skipped');
    assert.equal(await page.getAttribute('[data-testid=conn-status]', 'data-state'), 'auth_required');
    assert.deepEqual(page.errors, []);
  });
});
