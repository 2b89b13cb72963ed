// Issue 23, accessibility: axe-core finds no violation on the dashboard in light and dark, on a
// desktop and a phone, at rest, during a warning and with a fault. Screenshots of each go to
// tests/out/e2e (a11y-<moment>-<desktop|phone>-<light|dark>.png).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { deskdAvailable, deskdBin, ensureCalibrated, nextMessage, openPage, outDir, useDesk } from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWS = [['desktop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]];
const SCHEMES = ['light', 'dark'];

/** axe-core's violations on the page as it is now (WCAG 2.x A/AA and best practices). */
async function violations(page) {
  // Through the devtools protocol: the page's Content-Security-Policy refuses injected scripts.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1] ?? ''}`) }));
  });
}

/** Every view and colour scheme, each checked and photographed; the failures by name. */
async function checkAll(page, moment) {
  const failures = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, size] of VIEWS) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150); // layout and the chart's resize
      const found = await violations(page);
      await page.screenshot({ path: path.join(outDir, `a11y-${moment}-${name}-${scheme}.png`) });
      for (const v of found) failures.push(`${moment}, ${name}, ${scheme}: ${v.id} (${v.impact}): ${v.nodes.join(' | ')}`);
      console.log(`# axe ${moment} ${name} ${scheme}: ${found.length} violation(s)`);
    }
  }
  return failures;
}

describe('accessibility (axe-core)', { skip, timeout: 240_000 }, () => {
  const f = useDesk({ id: 'a11y1', timeScale: 60 });

  it('has no violation in light and dark, desktop and phone, at rest, during a warning and with a fault', async () => {
    const { desk, browser, client } = f;
    const page = await openPage(browser, desk.url);
    await ensureCalibrated(page);
    await page.waitForSelector('[data-testid=history-chart] g.bar', { state: 'attached' });
    const failures = await checkAll(page, 'rest');

    // Sit and stand 5 minutes (5 s at 60x) with a 10-minute (10 s) warning: one comes soon and
    // lasts through the four checks.
    const saved = nextMessage(client, `${desk.topic}/response/schedule/set`, (r) => r.transaction === 'a11y', 10_000);
    await client.publishAsync(`${desk.topic}/request/schedule/set`, JSON.stringify({
      sit_minutes: 5, stand_minutes: 5, warn_seconds: 600, transaction: 'a11y' }), { qos: 1 });
    assert.equal((await saved).status, 'ok');
    await page.waitForSelector('[data-testid=warning-banner]:not([hidden])', { timeout: 60_000 });
    failures.push(...(await checkAll(page, 'warning')));
    assert.ok(await page.isVisible('[data-testid=warning-banner]'), 'the warning lasted through the checks');

    // A fault: the simulated motor stalls on the next move, which deskd latches.
    await client.publishAsync(`${desk.topic}/sim/set`, JSON.stringify({ fault: 'stall' }), { qos: 1 });
    const height = Number(await page.getAttribute('[data-testid=height]', 'data-height-mm'));
    await client.publishAsync(`${desk.topic}/set`, JSON.stringify({ height_mm: height > 900 ? 750 : 1050 }), { qos: 1 });
    await page.waitForSelector('[data-testid=fault-banner]', { state: 'visible', timeout: 20_000 });
    failures.push(...(await checkAll(page, 'fault')));
    assert.deepEqual(failures, []);
    assert.deepEqual(page.errors, []);
  });
});
