// Issue 23, "history of any length": a year of deskd's statistics (stats/get beyond B/stats' 30
// days) as a chart, a per-day table and a CSV download that match deskd's own figures, with the
// one definition of the standing share stated on the page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  deskdAvailable, deskdBin, localDate, nextMessage, openPage, screenshot, tmpDir, useDesk, waitFor,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

/** 400 days of statistics before today (every 7th day empty), each day's figures distinct. */
function statsFile() {
  const lines = ['deskd-stats 1'];
  for (let off = -400; off < 0; off++) {
    if (off % 7 === 0) continue;
    const i = off + 401;
    lines.push(`${localDate(off)} ${18000 + i * 10} ${3000 + i * 7} ${5 + (i % 9)} 0 0 0 ${1200 + i}`);
  }
  return lines.join('\n') + '\n';
}

describe('a year of history', { skip, timeout: 180_000 }, () => {
  const stateDir = tmpDir('state-history');
  fs.writeFileSync(path.join(stateDir, 'stats.txt'), statsFile());
  const f = useDesk({ id: 'hist1', stateDir });

  it('draws 365 days from stats/get, lists them per day and downloads the same figures', async () => {
    const { desk, browser, client } = f;
    const answer = nextMessage(client, `${desk.topic}/response/stats/get`, (r) => r.transaction === 'h', 10_000);
    await client.publishAsync(`${desk.topic}/request/stats/get`, JSON.stringify({ days: 365, transaction: 'h' }), { qos: 1 });
    const days = (await answer).data.days;
    const page = await openPage(browser, desk.url);
    await page.click('[data-testid=history-365]');
    await waitFor('365 bars', async () =>
      (await page.locator('[data-testid=history-chart] g.bar').count()) === 365, 15_000);
    // The year starts 364 days ago; its first day with data is drawn from deskd's stats/get.
    const oldest = localDate(-364);
    const first = days.find((d) => d.date >= oldest && d.sit_s > 0);
    assert.ok(first, `deskd has a day since ${oldest}`);
    await waitFor('the year\'s first day from stats/get', async () => {
      const h = await page.locator(`[data-testid=history-chart] g.bar[data-date="${first.date}"] rect.sitting`).getAttribute('height');
      return Number(h) > 0;
    }, 10_000);

    await page.click('[data-testid=history-days] summary');
    // Today is still counting (the page adds B/state's live totals): the stored days are compared.
    const today = localDate(0);
    const stored = days.filter((d) => d.date >= oldest && d.date < today && d.sit_s + d.stand_s > 0);
    const rows = await page.locator(`[data-testid=history-days] tbody tr[data-date]:not([data-date="${today}"])`).count();
    const withData = stored.length;
    assert.equal(rows, withData, 'one row per day with data in the year');
    assert.match(await page.textContent('[data-testid=share-definition]'), /standing time ÷ time at the desk/);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=history-csv]')]);
    const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\r\n');
    assert.equal(csv[0], 'date,sitting_minutes,standing_minutes,standing_share_percent,changes,longest_sit_minutes');
    const byDate = new Map(csv.slice(1).map((l) => [l.split(',')[0], l.split(',')]));
    for (const d of stored) {
      const row = byDate.get(d.date);
      assert.ok(row, `CSV has ${d.date}`);
      assert.equal(row[1], (d.sit_s / 60).toFixed(1));
      assert.equal(row[2], (d.stand_s / 60).toFixed(1));
      assert.equal(row[3], ((d.stand_s / (d.sit_s + d.stand_s)) * 100).toFixed(1));
      assert.equal(row[4], String(d.transitions));
    }
    console.log(`stats/get: ${days.length} days; chart 365 bars; table ${rows} rows; CSV ${csv.length - 1} rows`);
    await page.locator('#history').scrollIntoViewIfNeeded();
    await screenshot(page, 'history-year');
    assert.deepEqual(page.errors, []);
  });
});
