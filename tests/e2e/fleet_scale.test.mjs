// The fleet view with 100 desks whose states are published from node (no deskd processes): every
// desk is listed and the table follows a burst of state changes. Prints how long the page took.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BASE, Broker, launchBrowser, mqttClient, openPage, staticServer, stopAll, waitFor,
} from './harness.mjs';

const DESKS = 100;
const id = (i) => `desk${String(i).padStart(3, '0')}`;
const state = (h) => JSON.stringify({ height_mm: h, motion: 'stopped', posture: h > 1000 ? 'standing' : 'sitting', calibrated: true, fault: 'none', phase: 'counting', sit_today_s: 600, stand_today_s: 300 });

describe('fleet of 100 desks', { timeout: 120_000 }, () => {
  let broker;
  let server;
  let browser;
  let mq;

  before(async () => {
    broker = await new Broker('mosquitto-fleet').start();
    server = await staticServer({ broker_ws_url: broker.wsUrl, base_topic: BASE, desk_id: id(0), version: 'test' });
    mq = await mqttClient(broker);
    for (let i = 0; i < DESKS; i++) {
      await mq.publishAsync(`${BASE}/${id(i)}/availability`, 'online', { retain: true, qos: 1 });
      await mq.publishAsync(`${BASE}/${id(i)}/state`, state(720), { retain: true, qos: 1 });
    }
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await mq?.endAsync();
    await server?.close();
    await stopAll();
  });

  it('lists every desk and keeps up with 10 state changes per desk', async () => {
    const page = await openPage(browser, server.url);
    await waitFor('100 rows', async () => (await page.$$('[data-testid=fleet-row]')).length === DESKS, 15_000);
    // 1000 state messages as fast as the broker takes them (like 100 desks moving at 10/s for 1 s).
    const t0 = Date.now();
    for (let step = 1; step <= 10; step++) {
      await Promise.all(Array.from({ length: DESKS }, (_, i) =>
        mq.publishAsync(`${BASE}/${id(i)}/state`, state(720 + step * 40), { retain: true, qos: 0 })));
    }
    const sent = Date.now() - t0;
    await waitFor('every row at the final height', async () => {
      const heights = await page.$$eval('[data-testid=fleet-height]', (tds) => tds.map((td) => td.textContent));
      return heights.length === DESKS && heights.every((h) => h.replace(/\D/g, '') === '1120');
    }, 15_000, 20);
    const shown = Date.now() - t0;
    console.log(`fleet of ${DESKS} desks: 1000 state messages sent in ${sent} ms, all shown after ${shown} ms`);
    assert.equal(await page.textContent('[data-testid=fleet-count]'), `${DESKS} desks`);
    assert.deepEqual(page.errors, []);
  });
});
