// The weekly progress card shows what deskd computed and published on B/progress, on a desktop
// and on a phone. deskd starts with two weeks of statistics in its state directory.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Broker, Deskd, deskdAvailable, deskdBin, localDate, distGzipBytes, launchBrowser, mqttClient, nextMessage, openPage,
  outDir, stopAll, tmpDir, waitFor,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

/**
 * deskd's stats file (core/stats_codec.h) from last week's Monday to today: ordinary days stand
 * 50 min, the two days before today meet the goal of the all-day windows (5 min a period: 205 min
 * of standing), today has stood an hour so far.
 */
function statsFile() {
  const weekday = (new Date().getDay() + 6) % 7; // 0 = Monday
  const lines = ['deskd-stats 1'];
  for (let off = -(weekday + 7); off <= 0; off++) {
    let [sit, stand, changes, longest] = [20000, 3000, 10, 3000];
    if (off === -1 || off === -2) [sit, stand, changes, longest] = [20000, 13000, 20, 1500];
    if (off === 0) [sit, stand, changes, longest] = [1800, 3600, 4, 1200];
    lines.push(`${localDate(off)} ${sit} ${stand} ${changes} 0 0 0 ${longest}`);
  }
  return lines.join('\n') + '\n';
}

describe('progress card', { skip, timeout: 120_000 }, () => {
  let broker;
  let desk;
  let browser;
  let mq;

  before(async () => {
    broker = await new Broker().start();
    const stateDir = tmpDir('state-progress');
    fs.writeFileSync(path.join(stateDir, 'stats.txt'), statsFile());
    // The progression began 3 days ago: its next step is 4 days ahead, named by its weekday.
    const progression = ['[schedule.progression]', 'enabled = true', 'start_minutes = 5', 'step_minutes = 5',
      'period_days = 7', 'target_minutes = 20', `start_date = ${localDate(-3)}`].join('\n');
    desk = await new Deskd({ id: 'e2ep', broker, stateDir, extraToml: progression }).start();
    mq = await mqttClient(broker);
    browser = await launchBrowser();
  });

  after(async () => {
    await mq?.endAsync();
    await browser?.close();
    await stopAll();
  });

  const shown = (page) => page.evaluate(() => {
    const t = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? null;
    const tone = (id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-tone') ?? null;
    return {
      share: t('progress-stand_share'), shareLast: t('progress-stand_share-last'),
      shareArrow: t('progress-stand_share-trend'), shareTone: tone('progress-stand_share-trend'),
      changes: t('progress-changes'), changesArrow: t('progress-changes-trend'),
      longest: t('progress-longest_sit'), longestArrow: t('progress-longest_sit-trend'),
      longestTone: tone('progress-longest_sit-trend'),
      streak: t('progress-streak'), plan: t('progress-plan'), lastSpan: t('progress-last-span'),
    };
  });

  it('shows the figures deskd published, with trend arrows, on desktop and phone', async () => {
    const retained = nextMessage(mq, `${desk.topic}/progress`, (p) => typeof p === 'object' && p.this_week, 10_000);
    await mq.subscribeAsync(`${desk.topic}/progress`, { qos: 1 });
    let published = await retained;
    const page = await openPage(browser, desk.url);
    await page.waitForSelector('[data-testid=progress-card] .progress-body:not([hidden])', { timeout: 15_000 });
    // Ask for a fresh publication and compare the card with it once the page shows it.
    const fresh = nextMessage(mq, `${desk.topic}/progress`, (p) => typeof p === 'object' && p.this_week, 10_000);
    await mq.publishAsync(`${desk.topic}/get`, '', { qos: 1 });
    published = await fresh;
    const pct = (v) => new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 }).format(v);
    await waitFor('the card to show the published share', async () =>
      (await shown(page)).share === pct(published.this_week.stand_share), 5_000);
    const s = await shown(page);
    console.log(`B/progress: ${JSON.stringify(published)}`);
    console.log(`card: ${JSON.stringify(s)}`);

    // Last week's stored days: 3000 s standing of 24 working hours each; this week has the two
    // goal days before today. The figures are deskd's, the card only formats them.
    assert.equal(published.last_week.has_data, true);
    // One definition of the standing share for deskd, the progress card and the history card.
    const definition = await page.textContent('[data-testid=progress-share-definition]');
    const historyDefinition = await page.textContent('[data-testid=share-definition]');
    assert.ok(definition.startsWith(historyDefinition), `progress card: ${definition}`);
    assert.match(definition, /Changes: switches between sitting and standing, and how many per working hour/);
    const w = published.this_week;
    assert.ok(Math.abs(w.stand_share - w.stand_s / (w.sit_s + w.stand_s)) < 0.001, 'B/progress: standing over time at the desk');
    assert.equal(s.shareLast, pct(published.last_week.stand_share));
    const arrow = { up: '↑', down: '↓', flat: '→' };
    assert.equal(s.shareArrow, arrow[published.trend.stand_share] ?? '');
    assert.equal(s.changes.split(' ')[0], String(published.this_week.changes));
    assert.equal(s.longestArrow, arrow[published.trend.longest_sit] ?? '');
    if (published.trend.longest_sit === 'down') assert.equal(s.longestTone, 'better');
    if (published.trend.stand_share === 'up') assert.equal(s.shareTone, 'better');
    assert.equal(published.this_week.longest_sit_s >= 1200, true);
    // The two days before today met their goal, the one before did not.
    assert.equal(published.streak.days, 2);
    assert.equal(s.streak, 'Standing goal met 2 days in a row');
    // The plan: 5 min now, 10 min from the weekday 4 days ahead.
    assert.equal(published.plan.minutes, 5);
    assert.deepEqual(published.plan.next, { date: localDate(4), minutes: 10 });
    assert.equal(s.plan, published.plan.text);
    assert.match(s.plan, /^From (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) you stand 10 min each period$/);
    assert.match(s.lastSpan, /^(Mon|Mon–(Tue|Wed|Thu|Fri|Sat|Sun))$/);

    await page.evaluate(() => document.getElementById('progress').scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(outDir, 'progress-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => document.getElementById('progress').scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(outDir, 'progress-phone.png') });
    const overflow = await page.evaluate(() => {
      const card = document.getElementById('progress');
      return Math.max(card.scrollWidth - card.clientWidth, document.documentElement.scrollWidth - window.innerWidth);
    });
    assert.ok(overflow <= 0, `the progress card is ${overflow}px wider than a phone screen`);
    const kb = distGzipBytes() / 1024;
    console.log(`dashboard JS+CSS gzip: ${kb.toFixed(1)} KB (target <= 150 KB)`);
    assert.ok(kb <= 150, `bundle is ${kb.toFixed(1)} KB gzip`);
    assert.deepEqual(page.errors, []);
  });
});
