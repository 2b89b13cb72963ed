// Office benchmark (issue 13 §5; not run by run.sh, which takes *.test.mjs): 100 real
// `deskd --simulate` processes (ids desk000..desk099, each with its own state directory and HTTP
// port) on one mosquitto on loopback, plus the dashboard's fleet view in headless Chromium.
// Prints total RSS, idle CPU of the desks and of the broker, the time until the fleet view shows
// all 100 online, and the command latency to one desk while the other 99 move and publish: from
// publishing B/set to receiving the B/state that shows the new target with the motor running
// (two broker hops plus deskd; moves in one direction, so no reverse dead time is included).
// Usage: node office.bench.mjs   (env DESKS, default 100; DESKD_BIN as for run.sh)
import fs from 'node:fs';
import {
  BASE, Broker, Deskd, deskdAvailable, deskdBin, launchBrowser, mqttClient, openPage, sleep,
  stopAll, waitFor,
} from './harness.mjs';

const DESKS = Number(process.env.DESKS ?? 100);
const id = (i) => `desk${String(i).padStart(3, '0')}`;

function procStat(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { cpuTicks: Number(f[11]) + Number(f[12]) };
}
function rssKib(pid) {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}
const HZ = 100;  // USER_HZ on Linux

// CPU used by `pids` over `ms` of wall time, in % of one core.
async function cpuPercent(pids, ms) {
  const before = pids.map((p) => procStat(p).cpuTicks);
  await sleep(ms);
  const after = pids.map((p) => procStat(p).cpuTicks);
  const used = after.reduce((a, t, i) => a + t - before[i], 0) / HZ;
  return (100 * used) / (ms / 1000);
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main() {
  if (!deskdAvailable()) throw new Error(`deskd binary not found at ${deskdBin}`);
  const deadline = Date.now() + 15 * 60_000;  // the whole run is bounded
  const broker = await new Broker('mosquitto-office').start();
  const desks = Array.from({ length: DESKS }, (_, i) => new Deskd({ id: id(i), broker }));
  const t0 = Date.now();
  for (let i = 0; i < DESKS; i += 10) {
    await Promise.all(desks.slice(i, i + 10).map((d) => d.start()));
  }
  console.log(`office: ${DESKS} deskd processes started in ${Date.now() - t0} ms`);
  const mq = await mqttClient(broker);
  // Every desk knows its position only after a calibration run; do it now, then let them settle.
  for (const d of desks) await mq.publishAsync(`${d.topic}/set`, '{"action":"calibrate"}', { qos: 1 });
  const states = new Map();
  mq.on('message', (topic, payload) => {
    const m = /^deskd\/([^/]+)\/state$/.exec(topic);
    if (m) {
      try { states.set(m[1], { at: performance.now(), s: JSON.parse(payload) }); } catch { /* not JSON */ }
    }
  });
  await mq.subscribeAsync(`${BASE}/+/state`, { qos: 0 });
  await waitFor('all desks calibrated and stopped', async () => desks.every((d) => {
    const s = states.get(d.id)?.s;
    return s && s.calibrated === true && s.motion === 'stopped';
  }), 120_000, 200);
  await sleep(3000);

  const deskPids = desks.map((d) => d.child.pid);
  const rss = deskPids.reduce((a, p) => a + rssKib(p), 0);
  const idleDesks = await cpuPercent(deskPids, 20_000);
  const idleBroker = await cpuPercent([broker.child.pid], 5_000);
  console.log(`office: total RSS of ${DESKS} deskd ${(rss / 1024).toFixed(1)} MiB (${(rss / DESKS / 1024).toFixed(2)} MiB each), broker ${(rssKib(broker.child.pid) / 1024).toFixed(1)} MiB`);
  console.log(`office: idle CPU: all ${DESKS} deskd ${idleDesks.toFixed(2)} % of one core, broker ${idleBroker.toFixed(2)} %`);

  // The fleet view, served by desk000's deskd, on a fresh browser profile.
  const browser = await launchBrowser();
  const page = await openPage(browser);
  const tNav = performance.now();
  await page.goto(desks[0].url);
  await waitFor(`${DESKS} online rows`, async () => page.$$eval('[data-testid=fleet-status]',
    (tds, n) => tds.length === n && tds.every((td) => td.textContent === 'online'), DESKS), 60_000, 20);
  const fleetMs = performance.now() - tNav;
  console.log(`office: fleet view showed all ${DESKS} desks online ${fleetMs.toFixed(0)} ms after navigation`);

  // The other 99 move up and down without pause; B/state streams at <= 10/s from each moving desk.
  let moving = true;
  const others = desks.slice(1);
  let flip = false;
  const mover = (async () => {
    while (moving && Date.now() < deadline) {
      flip = !flip;
      await Promise.all(others.map((d) => mq.publishAsync(`${d.topic}/set`, JSON.stringify({ height_mm: flip ? 1100 : 720 }), { qos: 0 })));
      await sleep(12_000);  // a 380 mm move takes ~10 s on the default simulated desk
    }
  })();
  await sleep(2000);
  let seen = 0;
  const counter = () => { seen++; };
  mq.on('message', counter);
  const busyStart = performance.now();
  const cpuBusy = cpuPercent([broker.child.pid, ...deskPids], 5_000);
  const rate0 = seen;
  const latencies = [];
  const target = desks[0];
  // Upward steps of 30 mm: a reversal would add the 500 ms reverse dead time (a safety pause).
  for (let i = 0; i < 20 && Date.now() < deadline; i++) {
    const mm = 680 + 30 * i;
    const sent = performance.now();
    await mq.publishAsync(`${target.topic}/set`, JSON.stringify({ height_mm: mm }), { qos: 1 });
    await waitFor('desk000 takes the command', async () => {
      const st = states.get(target.id);
      return st && st.at >= sent && st.s.target_mm === mm && st.s.motion !== 'stopped';
    }, 10_000, 1);
    latencies.push(states.get(target.id).at - sent);
    await waitFor('desk000 stopped', async () => states.get(target.id)?.s.motion === 'stopped', 20_000, 20);
  }
  const busySecs = (performance.now() - busyStart) / 1000;
  const busyCpu = await cpuBusy;
  moving = false;
  mq.off('message', counter);
  console.log(`office: while ${others.length} desks moved (${((seen - rate0) / busySecs).toFixed(0)} state messages/s seen by one subscriber, desks+broker ${busyCpu.toFixed(1)} % CPU):`);
  console.log(`office: command -> state with the new target and motion, desk000: p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length} commands`);
  const errors = page.errors.length;
  if (errors) console.log(`office: page errors: ${page.errors.join('; ')}`);
  await browser.close();
  await mq.endAsync();
  await mover;
  await stopAll();
  if (errors) process.exitCode = 1;
}

main().catch(async (e) => {
  console.error(e);
  await stopAll();
  process.exit(1);
});
