// Issue 23, daily use: a warning no one misses (sticky banner on a phone, within 500 ms of the
// warning event, and its Snooze works) and Stop first (enabled with the first painted height and
// able to reach the broker then; Esc stops a moving desk from anywhere on the page; a held Up/Down
// button moves the desk and stops it on release).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Broker, Deskd, deskdAvailable, deskdBin, ensureCalibrated, launchBrowser, mqttClient, openPage, outDir,
  screenshot, sleep, stopAll, waitAttr, waitFor,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

/** Records every message on `topic` (JSON-parsed) with the node clock's time of arrival. */
async function recorder(client, topic) {
  const seen = [];
  client.on('message', (t, payload) => {
    if (t !== topic) return;
    let v = payload.toString();
    try {
      v = JSON.parse(v);
    } catch {
      // plain text
    }
    seen.push({ at: Date.now(), v });
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return seen;
}

/** A calibrated desk at rest (calibrating it, at the bottom, if needed); its B/state recorder. */
async function calibrated(client, desk) {
  const states = await recorder(client, `${desk.topic}/state`);
  await waitFor('a state', () => states.length > 0, 10_000);
  if (!states.at(-1).v.calibrated) {
    await client.publishAsync(`${desk.topic}/set`, JSON.stringify({ action: 'calibrate' }), { qos: 1 });
    await waitFor('calibrated and stopped', () => {
      const s = states.at(-1).v;
      return s.calibrated && s.motion === 'stopped' && s.target_mm === null;
    }, 60_000);
  }
  return states;
}

/** Watches the page for the warning banner becoming visible inside the viewport (epoch ms). */
function watchBanner() {
  const rec = { visibleAt: null, snoozeInView: false };
  window.__banner = rec;
  const check = () => {
    if (rec.visibleAt !== null) return;
    const b = document.querySelector('[data-testid=warning-banner]');
    if (!b || b.hidden || !b.isConnected) return;
    const r = b.getBoundingClientRect();
    if (r.height === 0 || r.top < 0 || r.bottom > window.innerHeight) return;
    const s = b.querySelector('[data-testid=warning-snooze]')?.getBoundingClientRect();
    rec.snoozeInView = !!s && s.height > 0 && s.top >= 0 && s.bottom <= window.innerHeight;
    rec.visibleAt = performance.timeOrigin + performance.now();
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  setInterval(check, 20);
}

describe('a warning no one misses (phone, --time-scale 60)', { skip, timeout: 240_000 }, () => {
  let broker;
  let desk;
  let browser;
  let client;

  before(async () => {
    broker = await new Broker().start();
    desk = await new Deskd({ id: 'warn1', broker, timeScale: 60 }).start();
    browser = await launchBrowser();
    client = await mqttClient(broker);
  });

  after(async () => {
    await client?.endAsync();
    await browser?.close();
    await stopAll();
  });

  it('shows a sticky banner within 500 ms of the warning event, with the countdown in the title, and Snooze works', async () => {
    const page = await openPage(browser, null);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(desk.url);
    await ensureCalibrated(page);
    const titleBefore = await page.title();
    // Sit/stand 5 minutes (5 s at 60x) with a 240 s (4 s) warning: one arrives within seconds.
    await waitAttr(page, '[data-testid=schedule-save]', 'disabled', (d) => d === null, 10_000);
    await page.fill('[data-testid=sch-sit_minutes]', '5');
    await page.fill('[data-testid=sch-stand_minutes]', '5');
    await page.fill('[data-testid=sch-warn_seconds]', '240');
    const events = await recorder(client, `${desk.topic}/event`);
    await page.click('[data-testid=schedule-save]');
    await page.waitForFunction(() => document.querySelector('[data-testid=schedule-status]').textContent === 'Saved', null, { timeout: 10_000 });
    // The reader is somewhere down the page (the history), not at the top.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    await page.evaluate(watchBanner);
    await waitFor('a warning event', () => events.some((e) => e.v?.type === 'warning'), 60_000);
    const warnedAt = events.find((e) => e.v?.type === 'warning').at;
    await waitFor('the banner in view', () => page.evaluate(() => window.__banner.visibleAt !== null), 5_000)
      .catch(() => {});
    const rec = await page.evaluate(() => window.__banner);
    assert.ok(rec.visibleAt !== null, 'the warning banner never showed inside the viewport');
    const latency = rec.visibleAt - warnedAt;
    console.log(`# warning banner in view ${Math.round(latency)} ms after the warning event (phone, scrolled)`);
    assert.ok(latency <= 500, `banner in view ${Math.round(latency)} ms after the warning event`);
    assert.ok(rec.snoozeInView, 'the banner\'s Snooze is inside the viewport');
    const banner = page.locator('[data-testid=warning-banner]');
    const live = await banner.evaluate((b) => b.closest('[role=alert],[aria-live]') !== null
      || b.querySelector('[role=alert],[aria-live]:not([aria-live=off])') !== null);
    assert.ok(live, 'the banner is an alert or a live region');
    const text = await banner.textContent();
    assert.match(text, /rises to 1,100\s?mm/, `banner text: ${text}`);
    assert.match(text, /Snooze 10 min/, `banner text: ${text}`);
    assert.match(await page.title(), /\d:\d\d/, 'the countdown is in the tab title');
    // What the reader sees, still scrolled half-way down, then the whole page.
    await page.screenshot({ path: path.join(outDir, 'phone-warning-banner-scrolled.png') });
    await screenshot(page, 'phone-warning-banner');

    const snoozesBefore = events.filter((e) => e.v?.type === 'snoozed').length;
    await page.click('[data-testid=warning-snooze]');
    await waitFor('a snoozed event', () => events.filter((e) => e.v?.type === 'snoozed').length > snoozesBefore, 3_000);
    await page.waitForSelector('[data-testid=warning-banner]', { state: 'hidden', timeout: 3_000 });
    await waitAttr(page, '[data-testid=phase]', 'data-phase', (p) => p === 'counting', 3_000);
    await waitFor('the title restored', async () => !/\d:\d\d/.test(await page.title()), 2_000);
    assert.equal((await page.title()).replace(/[\d,.]+\s?mm/, 'H'), titleBefore.replace(/[\d,.]+\s?mm/, 'H'), 'the title is restored');
    assert.deepEqual(page.errors, []);
  });
});

/** In the page from its first script on: when the first height is in the document, whether Stop
 *  is enabled then (and clicks it at once); when Stop became enabled. */
function watchFirstHeight() {
  const rec = { heightAt: null, stopEnabledAt: null, stopEnabledWithHeight: null, clicked: false, mqttConnectedAtClick: null };
  window.__first = rec;
  const check = () => {
    const stop = document.querySelector('[data-testid=btn-stop]');
    const enabled = !!stop && !stop.disabled;
    if (enabled && rec.stopEnabledAt === null) rec.stopEnabledAt = performance.now();
    if (rec.heightAt !== null) return;
    if (!document.querySelector('[data-testid=height][data-height-mm]')) return;
    rec.heightAt = performance.now();
    rec.stopEnabledWithHeight = enabled;
    if (enabled && window.__clickStopAtOnce) {
      rec.mqttConnectedAtClick = window.deskdMetrics?.connected_ms != null;
      stop.click();
      rec.clicked = true;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
}

describe('Stop first', { skip, timeout: 180_000 }, () => {
  let broker;
  let desk;
  let browser;
  let client;

  before(async () => {
    broker = await new Broker().start();
    desk = await new Deskd({ id: 'stop1', broker }).start();
    browser = await launchBrowser();
    client = await mqttClient(broker);
    await calibrated(client, desk);
  });

  after(async () => {
    await client?.endAsync();
    await browser?.close();
    await stopAll();
  });

  it('Stop is enabled when the first height is painted, and a Stop pressed then stops the desk', async () => {
    const sets = await recorder(client, `${desk.topic}/set`);
    const states = await recorder(client, `${desk.topic}/state`);
    // The desk is moving up a long way when the page opens.
    await client.publishAsync(`${desk.topic}/set`, JSON.stringify({ height_mm: 1250 }), { qos: 1 });
    await waitFor('moving up', () => states.some((s) => s.v.motion === 'up'), 5_000);
    const page = await openPage(browser, null);
    await page.addInitScript(() => {
      window.__clickStopAtOnce = true;
    });
    await page.addInitScript(watchFirstHeight);
    await page.goto(desk.url);
    await waitFor('the first height', () => page.evaluate(() => window.__first.heightAt !== null), 10_000);
    const rec = await page.evaluate(() => window.__first);
    console.log(`# first height at ${Math.round(rec.heightAt)} ms, Stop enabled at ${rec.stopEnabledAt === null ? 'never' : Math.round(rec.stopEnabledAt)} ms (after navigation); MQTT.js connected at the click: ${rec.mqttConnectedAtClick}`);
    assert.equal(rec.stopEnabledWithHeight, true, 'Stop is enabled in the frame that shows the first height');
    await waitFor('the stop on B/set', () => sets.some((m) => m.v?.action === 'stop'), 5_000);
    await waitFor('stopped', () => states.at(-1).v.motion === 'stopped', 5_000);
    const h = states.at(-1).v.height_mm;
    assert.ok(h < 1200, `the desk stopped at ${h} mm, short of 1250`);
    await page.close();
  });

  it('Stop is enabled at once on a plain load too (measured)', async () => {
    const page = await openPage(browser, null);
    await page.addInitScript(watchFirstHeight);
    await page.goto(desk.url);
    await waitFor('Stop enabled', () => page.evaluate(() => window.__first.stopEnabledAt !== null), 10_000);
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 10_000);
    const rec = await page.evaluate(() => ({ ...window.__first, connected: window.deskdMetrics.connected_ms, paint: window.deskdMetrics.first_paint_ms }));
    console.log(`# plain load: first height ${Math.round(rec.heightAt)} ms, painted ${Math.round(rec.paint)} ms, Stop enabled ${Math.round(rec.stopEnabledAt)} ms, MQTT.js connected ${Math.round(rec.connected)} ms`);
    assert.equal(rec.stopEnabledWithHeight, true);
    await page.close();
  });

  it('hold-to-move: Up moves the desk while held (past one step) and stops on release', async () => {
    const states = await recorder(client, `${desk.topic}/state`);
    const page = await openPage(browser, desk.url);
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 10_000);
    await client.publishAsync(`${desk.topic}/get`, '', { qos: 1 });
    await waitFor('a settled state', () => states.length > 0 && states.at(-1).v.motion === 'stopped', 10_000);
    const from = states.at(-1).v.height_mm;
    const dir = from < 1000 ? 'up' : 'down';
    const box = await page.locator(`[data-testid=btn-hold-${dir}]`).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await waitFor('moving', () => states.some((s) => s.v.motion === dir), 3_000);
    await sleep(2500); // one step is 50 mm (~1.3 s): the steps must go on while held
    assert.equal(states.at(-1).v.motion, dir, 'still moving while held');
    const releasedAt = Date.now();
    await page.mouse.up();
    await waitFor('stopped after release', () => states.some((s) => s.at >= releasedAt && s.v.motion === 'stopped'), 2_000);
    const settled = await waitFor('settled', () => states.at(-1).v.motion === 'stopped' && states.at(-1).v.target_mm === null, 3_000)
      .then(() => states.at(-1).v.height_mm);
    const travel = Math.abs(settled - from);
    console.log(`# held ${dir} ~2.5 s: moved ${travel} mm, stopped ${states.find((s) => s.at >= releasedAt && s.v.motion === 'stopped').at - releasedAt} ms after release`);
    assert.ok(travel > 60 && travel < 200, `moved ${travel} mm`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  it('Esc stops a moving desk from anywhere on the page', async () => {
    const states = await recorder(client, `${desk.topic}/state`);
    const page = await openPage(browser, desk.url);
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 10_000);
    await client.publishAsync(`${desk.topic}/get`, '', { qos: 1 });
    await waitFor('a state', () => states.length > 0, 5_000);
    const from = states.at(-1).v.height_mm;
    const target = from < 900 ? 1250 : 650;
    // Started from the page, then the focus goes elsewhere (a schedule field).
    await page.fill('[data-testid=height-slider]', String(target));
    await page.click('[data-testid=btn-go]');
    await waitFor('moving', () => states.some((s) => s.v.motion !== 'stopped'), 5_000);
    await sleep(300);
    await page.focus('[data-testid=sch-sit_minutes]');
    const pressedAt = Date.now();
    await page.keyboard.press('Escape');
    await waitFor('stopped after Esc', () => states.some((s) => s.at >= pressedAt && s.v.motion === 'stopped'), 3_000);
    const h = states.at(-1).v.height_mm;
    assert.ok(Math.abs(h - target) > 100, `stopped at ${h} mm, well short of ${target}`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});

describe('heights on purpose (presets and the posture heights)', { skip, timeout: 120_000 }, () => {
  let broker;
  let desk;
  let browser;
  let client;
  let states;

  before(async () => {
    broker = await new Broker().start();
    desk = await new Deskd({ id: 'heights1', broker }).start();
    browser = await launchBrowser();
    client = await mqttClient(broker);
    states = await calibrated(client, desk);
  });

  after(async () => {
    await client?.endAsync();
    await browser?.close();
    await stopAll();
  });

  const last = () => states.at(-1).v;

  it('saving a preset never changes the sit/stand heights; each is set only when confirmed', async () => {
    const page = await openPage(browser, desk.url);
    await waitAttr(page, '[data-testid=conn-status]', 'data-state', (s) => s === 'connected', 10_000);
    await client.publishAsync(`${desk.topic}/get`, '', { qos: 1 });
    await waitFor('a known height', () => last().height_mm !== null, 10_000);
    const { sit_height_mm: sit, stand_height_mm: stand, height_mm: here } = last();

    // A preset named "stand" is refused in words; nothing is sent.
    await page.fill('[data-testid=preset-name]', 'stand');
    await page.click('[data-testid=preset-save]');
    await waitFor('the refusal', async () => /standing height/.test(await page.textContent('[data-testid=preset-status]')), 3_000);
    // A legitimate preset is saved after it: once it shows, the refused one would have too.
    await page.fill('[data-testid=preset-name]', 'read');
    await page.click('[data-testid=preset-save]');
    await waitFor('the preset "read"', () => last().presets?.read === here, 5_000);
    assert.equal(last().stand_height_mm, stand, 'the standing height is unchanged');
    assert.equal(last().sit_height_mm, sit, 'the sitting height is unchanged');
    assert.equal(last().presets.stand, undefined);

    // "Set as standing height", dismissed: nothing changes.
    page.once('dialog', (d) => d.dismiss());
    await page.click('[data-testid=set-stand-height]');
    await waitFor('unchanged', async () => /unchanged/.test(await page.textContent('[data-testid=preset-status]')), 3_000);
    // "Set as sitting height", accepted: the sitting height is the desk's height now.
    page.once('dialog', (d) => d.accept());
    await page.click('[data-testid=set-sit-height]');
    await waitFor('the new sitting height', () => last().sit_height_mm === here, 5_000);
    assert.equal(last().stand_height_mm, stand);

    // Rename keeps the height; delete removes it.
    await page.click('[data-testid=preset-edit] summary');
    page.once('dialog', (d) => d.accept('reading'));
    await page.click('[data-testid=preset-rename-read]');
    await waitFor('renamed', () => last().presets?.reading === here && last().presets.read === undefined, 5_000);
    page.once('dialog', (d) => d.accept());
    await page.click('[data-testid=preset-delete-reading]');
    await waitFor('deleted', () => last().presets?.reading === undefined, 5_000);
    assert.equal(last().stand_height_mm, stand);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
});
