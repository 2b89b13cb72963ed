// A schedule edited on the page survives a deskd restart (persisted in the state directory).
// This page talks to mosquitto's own WebSocket listener ([web] mqtt_bridge = false), so it stays
// connected while deskd is down and shows the desk offline. A page on deskd's /mqtt bridge loses
// the broker with deskd and reconnects when it is back (second test).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Broker, Deskd, deskdAvailable, deskdBin, launchBrowser, mqttClient, nextMessage, openPage,
  stopAll, waitAttr,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

describe('schedule persistence', { skip, timeout: 180_000 }, () => {
  let broker;
  let desk;
  let browser;
  let mq;

  before(async () => {
    broker = await new Broker().start();
    desk = await new Deskd({ id: 'e2e1', broker, webToml: 'mqtt_bridge = false' }).start();
    mq = await mqttClient(broker);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await mq?.endAsync();
    await stopAll();
  });

  it('a schedule edit survives a deskd restart', async () => {
    const page = await openPage(browser, desk.url);
    await waitAttr(page, '[data-testid=schedule-save]', 'disabled', (d) => d === null, 15_000);
    await page.waitForFunction(() => document.querySelector('[data-testid=sch-sit_minutes]')?.value !== '');
    await page.fill('[data-testid=sch-sit_minutes]', '41');
    await page.fill('[data-testid=sch-stand_minutes]', '17');
    await page.fill('[data-testid=sch-windows-tue]', '08:00-12:00, 13:00-16:30');
    await page.fill('[data-testid=sch-skip_dates]', '2031-12-24');
    await page.click('[data-testid=schedule-save]');
    await waitAttr(page, '[data-testid=schedule-status]', 'role', () => true);
    await page.waitForFunction(() => document.querySelector('[data-testid=schedule-status]').textContent === 'Saved', null, { timeout: 10_000 });

    await desk.stop();
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'desk_offline', 10_000);
    assert.ok(await page.isVisible('[data-testid=banner-offline]'), 'the page says the desk is offline');
    await desk.start();
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 15_000);

    const doc = await nextMessage(mq, `${desk.topic}/schedule`, (s) => typeof s === 'object');
    assert.equal(doc.sit_minutes, 41);
    assert.equal(doc.stand_minutes, 17);
    assert.deepEqual(doc.windows.tue, ['08:00-12:00', '13:00-16:30']);
    assert.deepEqual(doc.skip_dates, ['2031-12-24']);

    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid=sch-sit_minutes]')?.value === '41', null, { timeout: 10_000 });
    assert.equal(await page.inputValue('[data-testid=sch-windows-tue]'), '08:00-12:00, 13:00-16:30');
    assert.deepEqual(page.errors, []);
  });

  it('a page on the /mqtt bridge reconnects by itself after deskd restarts', async () => {
    const bridged = await new Deskd({ id: 'e2e2', broker }).start();
    const page = await openPage(browser, bridged.url);
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 15_000);
    await bridged.stop();
    // deskd was this page's way to the broker: the page says the connection is down.
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s !== 'connected', 10_000);
    await bridged.start();
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 15_000);
    await page.waitForSelector('[data-testid=posture][data-posture]', { timeout: 10_000 });
    assert.deepEqual(page.errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|502/.test(e)), []);
  });
});
