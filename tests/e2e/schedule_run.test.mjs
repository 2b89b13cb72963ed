// The schedule running under --time-scale: the page shows the warning, the automatic move and
// the new posture, as a newcomer watching the demo would see them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Broker, Deskd, deskdAvailable, deskdBin, ensureCalibrated, launchBrowser, openPage, screenshot,
  stopAll, waitAttr,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

describe('schedule under --time-scale 60', { skip, timeout: 180_000 }, () => {
  let broker;
  let desk;
  let browser;

  before(async () => {
    broker = await new Broker().start();
    desk = await new Deskd({ id: 'e2e1', broker, timeScale: 60 }).start();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stopAll();
  });

  it('warns, moves the desk by itself, and shows the new posture', async () => {
    const page = await openPage(browser, desk.url);
    await ensureCalibrated(page);
    // Sit 5 minutes (5 s at 60x) with a 60 s (1 s) warning.
    await waitAttr(page, '[data-testid=schedule-save]', 'disabled', (d) => d === null, 10_000);
    await page.fill('[data-testid=sch-sit_minutes]', '5');
    await page.fill('[data-testid=sch-stand_minutes]', '5');
    await page.fill('[data-testid=sch-warn_seconds]', '60');
    await page.click('[data-testid=schedule-save]');
    await page.waitForFunction(() => document.querySelector('[data-testid=schedule-status]').textContent === 'Saved', null, { timeout: 10_000 });
    const start = await page.getAttribute('[data-testid=posture]', 'data-posture');
    await waitAttr(page, '[data-testid=phase]', 'data-phase', (p) => p === 'warning' || p === 'moving', 60_000);
    await screenshot(page, 'desktop-schedule-warning');
    await waitAttr(page, '[data-testid=motion]', 'data-motion', (m) => m !== 'stopped', 30_000);
    await waitAttr(page, '[data-testid=posture]', 'data-posture', (p) => p !== start && (p === 'standing' || p === 'sitting'), 60_000);
    const events = await page.$$eval('[data-testid=events] li', (lis) => lis.map((li) => li.getAttribute('data-type')));
    assert.ok(events.includes('move_started'), `events seen: ${events.join(', ')}`);
    assert.deepEqual(page.errors, []);
  });
});
