// Issue 23, "deskd keeps the story": a page opened after the desk moved shows deskd's own record
// of the day (B/timeline) and its recent events (events/get), not only what this browser saw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deskdAvailable, deskdBin, nextMessage, openPage, screenshot, useDesk, waitFor } from './harness.mjs';

const skip = deskdAvailable() ? false : `deskd binary not found at ${deskdBin} (set DESKD_BIN)`;

/** Moves the desk over MQTT and waits for deskd's move_finished. */
async function moveTo(client, desk, heightMm) {
  const done = nextMessage(client, `${desk.topic}/event`, (e) => e.type === 'move_finished', 60_000);
  await client.publishAsync(`${desk.topic}/set`, JSON.stringify({ height_mm: heightMm }), { qos: 1 });
  return done;
}

async function request(client, desk, op, body) {
  const answer = nextMessage(client, `${desk.topic}/response/${op}`, (r) => r.transaction === 'story', 10_000);
  await client.publishAsync(`${desk.topic}/request/${op}`, JSON.stringify({ ...body, transaction: 'story' }), { qos: 1 });
  return answer;
}

describe('a fresh page tells the day deskd saw', { skip, timeout: 240_000 }, () => {
  const f = useDesk({ id: 'story1' });

  it('draws deskd\'s timeline and lists deskd\'s events after the desk moved unseen', async () => {
    const { desk, browser, client } = f;
    const state = await nextMessage(client, `${desk.topic}/state`, (s) => typeof s === 'object', 10_000);
    if (!state.calibrated) {
      const cal = nextMessage(client, `${desk.topic}/event`, (e) => e.type === 'move_finished', 60_000);
      await client.publishAsync(`${desk.topic}/set`, JSON.stringify({ action: 'calibrate' }), { qos: 1 });
      await cal;
    }
    await moveTo(client, desk, state.stand_height_mm);
    await moveTo(client, desk, state.sit_height_mm);

    const timeline = await nextMessage(client, `${desk.topic}/timeline`,
      (t) => typeof t === 'object' && t.periods?.some((p) => p.posture === 'standing') &&
        t.periods.at(-1).posture === 'sitting', 10_000);
    const { data } = await request(client, desk, 'events/get', { limit: 20 });
    const kept = data.events.map((e) => e.type);
    console.log(`B/timeline: ${timeline.periods.map((p) => `${p.start.slice(11, 19)} ${p.posture}`).join(', ')}`);
    console.log(`events/get: ${kept.join(', ')}`);
    assert.ok(kept.filter((t) => t === 'move_finished').length >= 2, 'deskd kept both moves');

    const page = await openPage(browser, desk.url);
    await page.waitForSelector('[data-testid=timeline] rect.tl.standing', { timeout: 15_000 });
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=timeline] rect.tl')].map((r) =>
        [...r.classList].filter((c) => c !== 'tl').join(' ')));
    // Every period of deskd's record, in order; nothing made up from totals before it.
    assert.deepEqual(drawn, timeline.periods.map((p) => p.posture));
    assert.equal(await page.locator('[data-testid=timeline] rect.earlier').count(), 0);

    await waitFor('the page to list deskd\'s events', async () => (await page.evaluate(() =>
      document.querySelectorAll('[data-testid=events] li[data-type]').length)) >= 4, 10_000);
    const listed = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=events] li[data-type]')].map((li) => li.dataset.type));
    // Newest first: deskd's last events, the page having seen none of them live.
    assert.deepEqual(listed, kept.slice(-listed.length).reverse());
    await screenshot(page, 'story-fresh-page');
    assert.deepEqual(page.errors, []);
  });
});
