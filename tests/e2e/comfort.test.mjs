// The comfort check-in on the dashboard (issue 24 §3): after a standing period the Schedule card
// asks "How does your back feel?" with buttons 1–5; an answer goes to deskd and the progress card
// shows this week's comfort against last week's next to the standing share. The card can record
// comfort at any time too. deskd starts with last week's statistics (one answer of 4 a day).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Broker, Deskd, deskdAvailable, deskdBin, launchBrowser, localDate, mqttClient, nextMessage, openPage, outDir, sleep,
  stopAll, tmpDir, waitFor,
} from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

/** A version 4 stats file: every day of last week stood 50 min and answered comfort 4 once. */
function statsFile() {
  const lines = ['deskd-stats 4'];
  for (let off = -13; off <= -7; off++) lines.push(`${localDate(off)} 20000 3000 10 0 0 0 3000 0 0 0 0 4 1`);
  return lines.join('\n') + '\n';
}

describe('comfort check-in', { skip, timeout: 150_000 }, () => {
  let broker;
  let desk;
  let browser;
  let mq;

  before(async () => {
    broker = await new Broker().start();
    const stateDir = tmpDir('state-comfort');
    fs.writeFileSync(path.join(stateDir, 'stats.txt'), statsFile());
    fs.writeFileSync(path.join(stateDir, 'desk.toml'), 'height_mm = 720.0\nclean_shutdown = true\n');
    desk = await new Deskd({ id: 'e2ec', broker, stateDir, timeScale: 60 }).start();
    mq = await mqttClient(broker);
    browser = await launchBrowser();
  });

  after(async () => {
    await mq?.endAsync();
    await browser?.close();
    await stopAll();
  });

  const card = (page) => page.evaluate(() => {
    const t = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? null;
    return {
      comfort: t('progress-comfort'), last: t('progress-comfort-last'), arrow: t('progress-comfort-trend'),
      tone: document.querySelector('[data-testid=progress-comfort-trend]')?.getAttribute('data-tone') ?? null,
      share: t('progress-stand_share'),
    };
  });

  it('asks after a standing period, takes the answer, and shows comfort on the progress card', async () => {
    // After a standing period, nothing else moves the desk (4 h periods).
    const saved = nextMessage(mq, `${desk.topic}/response/schedule/set`, (r) => r?.transaction === 'c1', 10_000);
    await mq.publishAsync(`${desk.topic}/request/schedule/set`, JSON.stringify({
      comfort_checkin: 'after_stand', sit_minutes: 240, stand_minutes: 240, transaction: 'c1',
    }), { qos: 1 });
    assert.equal((await saved).status, 'ok');

    const page = await openPage(browser, desk.url);
    await page.waitForSelector('[data-testid=progress-card] .progress-body:not([hidden])', { timeout: 15_000 });
    assert.equal(await page.isVisible('[data-testid=comfort-question]'), false, 'no question before a stand');
    assert.equal((await card(page)).last, '4 / 5');

    const standing = nextMessage(mq, `${desk.topic}/state`, (s) => s?.posture === 'standing' && s.motion === 'stopped', 30_000);
    await mq.publishAsync(`${desk.topic}/set`, JSON.stringify({ posture: 'standing' }), { qos: 1 });
    await standing;
    await sleep(6_000); // 6 deskd minutes at x60: a standing period
    await mq.publishAsync(`${desk.topic}/set`, JSON.stringify({ posture: 'sitting' }), { qos: 1 });
    await page.waitForSelector('[data-testid=comfort-question]', { state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: path.join(outDir, 'comfort-question.png') });

    const stats = nextMessage(mq, `${desk.topic}/stats`, (s) => s?.days?.at(-1)?.comfort_answers === 1, 10_000);
    await page.click('[data-testid=btn-comfort-3]');
    const day = (await stats).days.at(-1);
    assert.equal(day.date, localDate(0));
    assert.equal(day.comfort, 3);
    await page.waitForSelector('[data-testid=comfort-question]', { state: 'hidden', timeout: 10_000 });
    await waitFor('the card to show this week\'s comfort', async () => (await card(page)).comfort === '3 / 5', 10_000);
    const c = await card(page);
    console.log(`card: ${JSON.stringify(c)}`);
    assert.deepEqual([c.comfort, c.last, c.arrow, c.tone], ['3 / 5', '4 / 5', '↓', 'worse']);
    assert.notEqual(c.share, null, 'comfort sits next to the standing share');

    // Any time, without a question: the card's own buttons.
    await page.click('[data-testid=progress-comfort-5]');
    await waitFor('the mean of 3 and 5', async () => (await card(page)).comfort === '4 / 5', 10_000);
    assert.equal((await card(page)).arrow, '→');
    await page.evaluate(() => document.getElementById('progress').scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(outDir, 'comfort-progress.png') });
    assert.deepEqual(page.errors, []);
  });
});
