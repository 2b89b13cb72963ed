// The fleet view lists every desk under the base topic with its state.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Broker, Deskd, deskdAvailable, deskdBin, launchBrowser, openPage, screenshot, stopAll, waitFor,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

describe('fleet view', { skip, timeout: 180_000 }, () => {
  let broker;
  let desk1;
  let desk2;
  let browser;

  before(async () => {
    broker = await new Broker().start();
    [desk1, desk2] = await Promise.all([
      new Deskd({ id: 'e2e1', broker }).start(),
      new Deskd({ id: 'e2e2', broker }).start(),
    ]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await stopAll();
  });

  const rows = (page) => page.$$eval('[data-testid=fleet-row]', (trs) => trs.map((tr) => ({
    id: tr.getAttribute('data-desk-id'),
    status: tr.querySelector('[data-testid=fleet-status]').textContent,
    posture: tr.querySelector('[data-testid=fleet-posture]').textContent,
  })));

  it('shows two desks with their state, and opens either one', async () => {
    const page = await openPage(browser, desk1.url);
    await waitFor('two online desks in the fleet', async () => {
      const r = await rows(page);
      return r.length === 2 && r.every((x) => x.status === 'online' && x.posture !== '—');
    }, 15_000);
    const r = await rows(page);
    assert.deepEqual(r.map((x) => x.id), ['e2e1', 'e2e2']);
    await page.evaluate(() => document.getElementById('fleet').scrollIntoView());
    await screenshot(page, 'desktop-fleet');
    await page.click('[data-testid=fleet-open-e2e2]');
    await page.waitForFunction(() => document.querySelector('[data-testid=desk-id]').textContent === 'e2e2');
    assert.match(page.url(), /#desk=e2e2$/);

    await desk2.stop();
    await waitFor('e2e2 offline in the fleet', async () => (await rows(page)).some((x) => x.id === 'e2e2' && x.status === 'offline'), 10_000);
    assert.ok(await page.isVisible('[data-testid=banner-offline]'), 'the chosen desk is shown offline');
    assert.deepEqual(page.errors, []);
  });
});
