// The dashboard against a real mosquitto and a real `deskd --simulate`: live height, Stand,
// Stop, fault injection, schedule validation, screenshots and the two measured numbers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Broker, brokerWsConnectMs, Deskd, deskdAvailable, deskdBin, distGzipBytes, ensureCalibrated, launchBrowser,
  mqttClient, nextMessage, openPage, outDir, screenshot, settledHeight, sleep, stopAll, waitAttr,
  waitHeight,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

async function currentState(mq, desk) {
  return nextMessage(mq, `${desk.topic}/state`, (s) => typeof s === 'object');
}

describe('dashboard with one simulated desk', { skip, timeout: 300_000 }, () => {
  let broker;
  let desk;
  let browser;
  let page;
  let mq;

  before(async () => {
    broker = await new Broker().start();
    desk = await new Deskd({ id: 'e2e1', broker }).start();
    mq = await mqttClient(broker);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await mq?.endAsync();
    await stopAll();
  });

  it('loads and shows the live height', async () => {
    page = await openPage(browser);
    await page.goto(desk.url);
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 10_000);
    await page.waitForSelector('[data-testid=posture][data-posture]', { timeout: 10_000 });
    const cold = await page.evaluate(() => window.deskdMetrics);
    assert.ok(cold.first_state_ms !== null, 'the page saw a state');
    // Warm loads (browser running, files cached) are what a user opening the dashboard sees.
    const warm = [];
    for (let i = 0; i < 5; i++) {
      await page.reload();
      await page.waitForSelector('[data-testid=posture][data-posture]', { timeout: 10_000 });
      warm.push(await page.evaluate(() => window.deskdMetrics));
    }
    warm.sort((a, b) => a.first_state_ms - b.first_state_ms);
    const med = warm[2];
    const ms = (v) => Math.round(v);
    console.log(`first live state after navigation: ${ms(med.first_state_ms)} ms warm median of 5 ` +
      `(target <= 500 ms; script ${ms(med.script_ms)}, config ${ms(med.config_ms)}, broker connected ` +
      `${ms(med.connected_ms)} ms), ${ms(cold.first_state_ms)} ms cold first load`);
    console.log(`for comparison, MQTT.js in node connecting over mosquitto's WebSocket listener: ` +
      `${ms(await brokerWsConnectMs(broker))} ms`);
    await ensureCalibrated(page);
    const shown = await waitHeight(page, () => true, 10_000);
    const st = await currentState(mq, desk);
    assert.equal(typeof st.height_mm, 'number');
    assert.ok(Math.abs(shown - st.height_mm) <= 2, `page shows ${shown} mm, desk says ${st.height_mm} mm`);
    const text = await page.textContent('[data-testid=height]');
    assert.match(text, /\d.*mm/);
    assert.equal(await page.textContent('[data-testid=desk-id]'), 'e2e1');
    const kb = distGzipBytes() / 1024;
    console.log(`dashboard JS+CSS gzip: ${kb.toFixed(1)} KB (target <= 150 KB)`);
    assert.ok(kb <= 150, `bundle is ${kb.toFixed(1)} KB gzip`);
  });

  it('Stand moves the desk: the page shows motion, then standing at the stand height', async () => {
    const st = await currentState(mq, desk);
    if (st.posture === 'standing') {
      await page.click('[data-testid=btn-sit]');
      await waitAttr(page, '[data-testid=posture]', 'data-posture', (p) => p === 'sitting', 40_000);
    }
    await page.click('[data-testid=btn-stand]');
    await waitAttr(page, '[data-testid=motion]', 'data-motion', (m) => m === 'up', 5_000);
    await screenshot(page, 'desktop-moving');
    await waitAttr(page, '[data-testid=motion]', 'data-motion', (m) => m === 'stopped', 40_000);
    const h = await settledHeight(page);
    assert.ok(Math.abs(h - st.stand_height_mm) <= 3, `stopped at ${h} mm, stand height ${st.stand_height_mm} mm`);
    await waitAttr(page, '[data-testid=posture]', 'data-posture', (p) => p === 'standing', 5_000);
    assert.equal(await page.textContent('[data-testid=posture]'), 'standing');
  });

  it('Stop stops the desk mid-move', async () => {
    const st = await currentState(mq, desk);
    await page.click('[data-testid=btn-sit]');
    await waitAttr(page, '[data-testid=motion]', 'data-motion', (m) => m === 'down', 5_000);
    await waitHeight(page, (h) => h < st.stand_height_mm - 60, 20_000);
    await page.click('[data-testid=btn-stop]');
    await waitAttr(page, '[data-testid=motion]', 'data-motion', (m) => m === 'stopped', 3_000);
    const h1 = await waitHeight(page, () => true);
    // The motor is off; the desk may coast a few mm, then stays put.
    const h2 = await settledHeight(page);
    assert.ok(Math.abs(h2 - h1) <= 15, `desk went on after Stop: ${h1} -> ${h2} mm`);
    await sleep(1000);
    assert.equal(await waitHeight(page, () => true), h2, 'desk stays where it stopped');
    assert.ok(h2 > st.sit_height_mm + 20 && h2 < st.stand_height_mm - 20, `stopped at ${h2} mm, not mid-move`);
    assert.equal(await page.getAttribute('[data-testid=motion]', 'data-motion'), 'stopped');
  });

  it('an injected fault shows the banner, and "clear fault" works', async () => {
    await page.click('[data-testid=btn-stand]');
    await waitAttr(page, '[data-testid=motion]', 'data-motion', (m) => m === 'up', 5_000);
    await mq.publishAsync(`${desk.topic}/sim/set`, JSON.stringify({ fault: 'stall' }), { qos: 1 });
    await page.waitForSelector('[data-testid=fault-banner]', { state: 'visible', timeout: 10_000 });
    assert.match(await page.textContent('[data-testid=fault-banner]'), /stall/);
    await waitAttr(page, '[data-testid=motion]', 'data-motion', (m) => m === 'stopped', 5_000);
    assert.ok(await page.isDisabled('[data-testid=btn-stand]'), 'moves are refused while a fault is latched');
    await screenshot(page, 'desktop-fault');
    await mq.publishAsync(`${desk.topic}/sim/set`, JSON.stringify({ clear: true }), { qos: 1 });
    await page.click('[data-testid=btn-clear-fault]');
    await page.waitForSelector('[data-testid=fault-banner]', { state: 'hidden', timeout: 10_000 });
    const st = await currentState(mq, desk);
    assert.equal(st.fault, 'none');
    await ensureCalibrated(page);
  });

  it('an invalid schedule is refused on the page and sends nothing', async () => {
    const before = await nextMessage(mq, `${desk.topic}/schedule`, (s) => typeof s === 'object');
    const requests = [];
    const onMsg = (t) => {
      if (t.startsWith(`${desk.topic}/request/schedule/set`)) requests.push(t);
    };
    mq.on('message', onMsg);
    await mq.subscribeAsync(`${desk.topic}/request/#`);
    await page.fill('[data-testid=sch-sit_minutes]', '2');
    await page.click('[data-testid=schedule-save]');
    await page.waitForSelector('[data-testid=schedule-error]', { state: 'visible', timeout: 5_000 });
    // In words, next to the field (issue 23): its label, not its key.
    assert.equal(await page.textContent('[data-testid=schedule-error]'), 'Sit (minutes): must be between 5 and 240, got 2');
    assert.equal(await page.textContent('[data-testid=sch-sit_minutes-error]'), 'Sit (minutes): must be between 5 and 240, got 2');
    assert.equal(await page.getAttribute('[data-testid=sch-sit_minutes]', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('[data-testid=sch-sit_minutes]', 'aria-errormessage'), 'sch-sit_minutes-error');
    // An unsaved edit: leaving the page asks first (a dialog the test dismisses, so it stays).
    let asked = false;
    page.once('dialog', async (d) => { asked = d.type() === 'beforeunload'; await d.dismiss(); });
    await page.evaluate(() => { location.reload(); }).catch(() => {});
    await sleep(500);
    assert.ok(asked, 'a reload with unsaved edits asks first');
    await sleep(500);
    assert.deepEqual(requests, [], 'nothing was sent');
    mq.removeListener('message', onMsg);
    await mq.unsubscribeAsync(`${desk.topic}/request/#`);
    const afterDoc = await nextMessage(mq, `${desk.topic}/schedule`, (s) => typeof s === 'object');
    assert.deepEqual(afterDoc, before);
    await page.click('[data-testid=schedule-revert]');
  });

  it('a schedule deskd rejects shows deskd\'s error and changes nothing', async () => {
    const before = await nextMessage(mq, `${desk.topic}/schedule`, (s) => typeof s === 'object');
    // ?validate=off sends the edit without the page's own checks, so deskd's answer is shown.
    const p2 = await openPage(browser, `${desk.url}?validate=off`);
    await waitAttr(p2, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 10_000);
    await p2.waitForSelector('[data-testid=sch-sit_minutes]');
    await waitAttr(p2, '[data-testid=schedule-save]', 'disabled', (d) => d === null, 10_000);
    await p2.fill('[data-testid=sch-windows-mon]', '09:00-12:00, 11:00-13:00');
    await p2.click('[data-testid=schedule-save]');
    await p2.waitForSelector('[data-testid=schedule-error]', { state: 'visible', timeout: 10_000 });
    const err = await p2.textContent('[data-testid=schedule-error]');
    assert.match(err, /refused the change: Monday working hours: /);
    console.log(`deskd's schedule error as shown: ${err}`);
    await screenshot(p2, 'desktop-schedule-error');
    const afterDoc = await nextMessage(mq, `${desk.topic}/schedule`, (s) => typeof s === 'object');
    assert.deepEqual(afterDoc, before, 'the schedule did not change');
    assert.deepEqual(p2.errors, []);
    await p2.close();
  });

  it('shows the next-7-days preview, history chart and fleet', async () => {
    await page.waitForSelector('[data-testid=preview] li', { timeout: 10_000 });
    assert.ok((await page.$$('[data-testid=preview] li')).length > 0);
    assert.equal((await page.$$('[data-testid=history-chart] g.bar')).length, 7);
    // No value label of the chart is cut off at its left edge (issue 23).
    const lefts = await page.$$eval('[data-testid=history-chart] text.axis-label', (els) => els.map((e) => e.getBBox().x));
    assert.ok(lefts.length > 0 && lefts.every((x) => x >= 0), `axis labels start at ${lefts.join(', ')}`);
    await page.click('[data-testid=history-30]');
    assert.equal((await page.$$('[data-testid=history-chart] g.bar')).length, 30);
    await page.click('[data-testid=history-7]');
    assert.ok((await page.$$('[data-testid=timeline] rect.tl')).length > 0, 'today\'s timeline has segments');
    assert.equal((await page.$$('[data-testid=fleet-row]')).length, 1);
  });

  it('saves screenshots of the main views on desktop and phone, with no console errors', async () => {
    await screenshot(page, 'desktop-dashboard');
    await page.setViewportSize({ width: 390, height: 844 });
    await sleep(300);
    await screenshot(page, 'phone-dashboard');
    for (const id of ['desk', 'now', 'today', 'history', 'schedule', 'fleet']) {
      await page.evaluate((s) => document.getElementById(s).scrollIntoView(), id);
      await sleep(100);
      await page.screenshot({ path: `${outDir}/phone-${id}.png` });
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than a phone screen`);
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(page.errors, []);
  });

  it('is usable from the keyboard', async () => {
    await page.goto(desk.url);
    await page.waitForSelector('[data-testid=posture][data-posture]');
    // Tab from the top reaches the Stand button, and Enter presses it.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'btn-stop');
    }
    assert.ok(reached, 'Stop is reachable with Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused button shows a focus ring');
    assert.deepEqual(page.errors, []);
  });
});
