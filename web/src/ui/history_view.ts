// Today's totals and sit/stand timeline, and the bar chart of the last 7 or 30 days.
import { endOfLocalDay, startOfLocalDay } from '../format';
import {
  axisLabelRoom, buildDailySeries, chartScale, layoutBars, localIsoDate, mergeStats, type SeriesDay, seriesEndDate,
  seriesTotals, SHARE_DEFINITION, standShare, statsCsv,
} from '../stats';
import { layoutTimeline } from '../timeline';
import type { Ctx } from './context';
import { clear, h, s, setAttr, setText } from './dom';

const TL_W = 600;
const TL_H = 56;
const CH_H = 220;

export class TodayView {
  readonly el: HTMLElement;
  private readonly sit = h('dd', { 'data-testid': 'sit-today' }, '—');
  private readonly stand = h('dd', { 'data-testid': 'stand-today' }, '—');
  private readonly transitions = h('dd', { 'data-testid': 'transitions-today' }, '—');
  private readonly longest = h('dd', { 'data-testid': 'longest-sit-today' }, '—');
  private readonly timeline = s('svg', {
    viewBox: `0 0 ${TL_W} ${TL_H}`,
    class: 'timeline',
    role: 'img',
    'data-testid': 'timeline',
    preserveAspectRatio: 'none',
  });
  private readonly earlierKey = h('span', {}, h('span', { class: 'key earlier' }), ' before this page was open (from totals)');
  private readonly legend = h('p', { class: 'legend' },
    h('span', {}, h('span', { class: 'key sitting' }), ' sitting'),
    h('span', {}, h('span', { class: 'key standing' }), ' standing'),
    h('span', {}, h('span', { class: 'key moving' }), ' moving'),
    this.earlierKey);
  private readonly axis = h('div', { class: 'axis' });
  private key = '';

  constructor() {
    this.el = h('section', { class: 'card', id: 'today', 'aria-labelledby': 'today-title' },
      h('h2', { id: 'today-title' }, 'Today'),
      h('dl', { class: 'facts four' },
        h('dt', {}, 'Sitting'), this.sit,
        h('dt', {}, 'Standing'), this.stand,
        h('dt', {}, 'Changes'), this.transitions,
        h('dt', {}, 'Longest sit'), this.longest),
      this.timeline,
      this.axis,
      this.legend,
    );
  }

  update(ctx: Ctx): void {
    const st = ctx.entry?.state ?? null;
    const fmt = ctx.fmt;
    setText(this.sit, st ? fmt.duration(st.sit_today_s) : '—');
    setText(this.stand, st ? fmt.duration(st.stand_today_s) : '—');
    setText(this.transitions, st ? fmt.number(st.transitions_today) : '—');
    setText(this.longest, st ? fmt.duration(st.longest_sit_today_s) : '—');
    const t = ctx.timeline;
    // Redraw at most every 10 s unless the timeline itself changed.
    const now = ctx.timelineNow;
    const key = `${JSON.stringify(t)}|${Math.floor(now / 10000)}|${fmt.locale}`;
    if (key === this.key) return;
    this.key = key;
    clear(this.timeline);
    clear(this.axis);
    if (!t) return;
    const lay = layoutTimeline(t, startOfLocalDay(now), endOfLocalDay(now), now);
    this.earlierKey.hidden = !lay.blocks.some((b) => b.kind.startsWith('earlier'));
    this.timeline.append(s('rect', { x: 0, y: 8, width: TL_W, height: TL_H - 16, class: 'tl-bg' }));
    for (const b of lay.blocks) {
      const w = Math.max((b.x1 - b.x0) * TL_W, b.kind.startsWith('earlier') ? 0 : 1);
      if (w <= 0) continue;
      const cls = b.kind === 'earlier_sitting' ? 'earlier sitting' : b.kind === 'earlier_standing' ? 'earlier standing' : b.kind;
      const r = s('rect', { x: (b.x0 * TL_W).toFixed(1), y: 8, width: w.toFixed(1), height: TL_H - 16, class: `tl ${cls}` },
        s('title', {}, `${b.kind.replace('_', ' ')}: ${fmt.time(b.start)}–${fmt.time(b.end)}`));
      this.timeline.append(r);
    }
    const span = lay.axis_end - lay.axis_start;
    const step = Math.ceil(lay.hours.length / 8);
    lay.hours.forEach((hms, i) => {
      const x = ((hms - lay.axis_start) / span) * TL_W;
      this.timeline.append(s('line', { x1: x.toFixed(1), x2: x.toFixed(1), y1: 2, y2: TL_H - 2, class: 'tick' }));
      if (i % step === 0) {
        const pct = (x / TL_W) * 100;
        const shift = pct < 6 ? '0' : pct > 94 ? '-100%' : '-50%';
        const label = h('span', { style: `left:${pct.toFixed(2)}%;transform:translateX(${shift})` }, fmt.time(hms));
        this.axis.append(label);
      }
    });
    const nowX = ((now - lay.axis_start) / span) * TL_W;
    this.timeline.append(s('line', { x1: nowX.toFixed(1), x2: nowX.toFixed(1), y1: 0, y2: TL_H, class: 'now' }));
    setAttr(this.timeline, 'aria-label',
      `Today's timeline from ${fmt.time(lay.axis_start)} to ${fmt.time(lay.axis_end)}`);
  }
}

/** What B/stats carries; a longer period is asked for with stats/get. */
const PUBLISHED_DAYS = 30;
const PERIODS = [[7, '7 days'], [30, '30 days'], [365, '1 year']] as const;

export class HistoryView {
  readonly el: HTMLElement;
  private days = 7;
  private readonly periodButtons = PERIODS.map(([n, label]) =>
    h('button', { type: 'button', class: 'btn chip', 'aria-pressed': String(n === 7), 'data-testid': `history-${n}` }, label));
  private readonly csvButton = h('button', { type: 'button', class: 'btn', 'data-testid': 'history-csv' }, 'Download CSV');
  private readonly dayRows = h('tbody');
  private readonly dayTable = h('details', { 'data-testid': 'history-days' },
    h('summary', {}, 'Per day'),
    h('div', { class: 'table-scroll' }, h('table', { class: 'days' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Sitting'), h('th', { scope: 'col' }, 'Standing'),
        h('th', { scope: 'col' }, 'Standing share'), h('th', { scope: 'col' }, 'Changes'),
        h('th', { scope: 'col' }, 'Longest sit'))),
      this.dayRows)));
  private series: SeriesDay[] = [];
  private askedFor = '';
  private readonly chart = s('svg', {
    viewBox: `0 0 600 ${CH_H}`,
    height: CH_H,
    class: 'chart',
    role: 'img',
    'data-testid': 'history-chart',
  });
  private readonly summary = h('p', { 'data-testid': 'history-summary' });
  private key = '';
  private ctx: Ctx | null = null;

  constructor() {
    const pick = (n: number) => () => {
      this.days = n;
      PERIODS.forEach(([d], i) => setAttr(this.periodButtons[i], 'aria-pressed', String(d === n)));
      if (this.ctx) this.update(this.ctx);
    };
    // Drawn in CSS pixels of its box so the labels keep their size on a phone.
    new ResizeObserver(() => {
      if (this.ctx) this.update(this.ctx);
    }).observe(this.chart);
    PERIODS.forEach(([n], i) => this.periodButtons[i].addEventListener('click', pick(n)));
    this.csvButton.addEventListener('click', () => this.download());
    this.el = h('section', { class: 'card', id: 'history', 'aria-labelledby': 'history-title' },
      h('div', { class: 'row spread' },
        h('h2', { id: 'history-title' }, 'History'),
        h('div', { class: 'row', role: 'group', 'aria-label': 'Period' }, ...this.periodButtons)),
      this.chart,
      h('p', { class: 'legend' },
        h('span', {}, h('span', { class: 'key sitting' }), ' sitting'),
        h('span', {}, h('span', { class: 'key standing' }), ' standing')),
      this.summary,
      h('p', { class: 'muted', 'data-testid': 'share-definition' }, SHARE_DEFINITION),
      h('div', { class: 'row' }, this.csvButton),
      this.dayTable,
    );
  }

  /** The shown period as a CSV file (days with data, oldest first). */
  private download(): void {
    const first = this.series[0]?.date ?? '';
    const last = this.series[this.series.length - 1]?.date ?? '';
    const url = URL.createObjectURL(new Blob([statsCsv(this.series)], { type: 'text/csv' }));
    const a = h('a', { href: url, download: `deskd-${this.ctx?.deskId ?? 'desk'}-${first}-to-${last}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** Asks deskd for the days B/stats does not carry, once per desk and period. */
  private askForHistory(ctx: Ctx): void {
    const key = `${ctx.deskId}|${this.days}`;
    if (this.days <= PUBLISHED_DAYS || !ctx.brokerUp || this.askedFor === key) return;
    this.askedFor = key;
    ctx.actions.request('stats/get', { days: this.days }).catch(() => {
      this.askedFor = ''; // asked again on the next update
    });
  }

  private fillDays(ctx: Ctx): void {
    clear(this.dayRows);
    const fmt = ctx.fmt;
    for (const d of [...this.series].reverse()) {
      if (d.sit_s + d.stand_s <= 0) continue;
      const share = standShare(d.sit_s, d.stand_s);
      this.dayRows.append(h('tr', { 'data-date': d.date },
        h('th', { scope: 'row' }, fmt.date(d.date)), h('td', {}, fmt.duration(d.sit_s)), h('td', {}, fmt.duration(d.stand_s)),
        h('td', {}, share === null ? '—' : fmt.percent(share)), h('td', {}, fmt.number(d.transitions)),
        h('td', {}, fmt.duration(d.longest_sit_s))));
    }
    if (!this.dayRows.firstChild) this.dayRows.append(h('tr', {}, h('td', { colspan: '6' }, 'No days with data in this period.')));
  }

  update(ctx: Ctx): void {
    this.ctx = ctx;
    const fmt = ctx.fmt;
    this.askForHistory(ctx);
    const stats = mergeStats(ctx.entry?.history ?? null, ctx.entry?.stats ?? null);
    const st = ctx.entry?.state ?? null;
    const today = localIsoDate(ctx.now);
    const end = seriesEndDate(stats, today);
    const live = st
      ? { date: end, sit_s: st.sit_today_s, stand_s: st.stand_today_s, transitions: st.transitions_today, longest_sit_s: st.longest_sit_today_s }
      : undefined;
    const series = buildDailySeries(stats, this.days, end, live);
    const CH_W = Math.max(280, Math.round(this.chart.getBoundingClientRect().width) || 600);
    const key = JSON.stringify(series) + fmt.locale + CH_W;
    if (key === this.key) return;
    this.key = key;
    this.series = series;
    this.fillDays(ctx);
    clear(this.chart);
    setAttr(this.chart, 'viewBox', `0 0 ${CH_W} ${CH_H}`);
    const max = Math.max(...series.map((d) => d.sit_s + d.stand_s));
    const scale = chartScale(max);
    const tickText = scale.ticks_s.map((t) => (t === 0 ? fmt.number(0) : fmt.duration(t)));
    const left = axisLabelRoom(tickText);
    const plot = { x: left, y: 10, width: CH_W - left - 8, height: CH_H - 40 };
    scale.ticks_s.forEach((tick, i) => {
      const y = plot.y + plot.height - (tick / scale.max_s) * plot.height;
      this.chart.append(
        s('line', { x1: plot.x, x2: plot.x + plot.width, y1: y.toFixed(1), y2: y.toFixed(1), class: 'grid' }),
        s('text', { x: plot.x - 6, y: (y + 4).toFixed(1), class: 'axis-label', 'text-anchor': 'end' }, tickText[i]),
      );
    });
    const bars = layoutBars(series, scale, plot);
    const labelEvery = this.days > 30 ? (CH_W < 500 ? 91 : 61) : this.days > 7 ? (CH_W < 500 ? 7 : 5) : 1;
    bars.forEach((b, i) => {
      const d = series[i];
      const g = s('g', { class: 'bar', 'data-date': b.date },
        s('title', {}, `${fmt.date(d.date)}: sitting ${fmt.duration(d.sit_s)}, standing ${fmt.duration(d.stand_s)}`),
        s('rect', { x: b.x.toFixed(1), y: b.sit.y.toFixed(1), width: b.width.toFixed(1), height: b.sit.height.toFixed(1), class: 'sitting' }),
        s('rect', { x: b.x.toFixed(1), y: b.stand.y.toFixed(1), width: b.width.toFixed(1), height: b.stand.height.toFixed(1), class: 'standing' }));
      this.chart.append(g);
      if ((series.length - 1 - i) % labelEvery === 0) {
        this.chart.append(s('text', { x: (b.x + b.width / 2).toFixed(1), y: CH_H - 12, class: 'axis-label', 'text-anchor': 'middle' },
          this.days > 7 ? fmt.shortDate(d.date) : fmt.weekday(d.date)));
      }
    });
    const tot = seriesTotals(series);
    setAttr(this.chart, 'aria-label', `Sitting and standing per day, last ${this.days} days`);
    setText(this.summary, tot.stand_share === null
      ? 'No history yet.'
      : `Last ${this.days} days: sitting ${fmt.duration(tot.sit_s)}, standing ${fmt.duration(tot.stand_s)} (${fmt.percent(tot.stand_share)} standing) on ${fmt.number(tot.days_with_data)} ${tot.days_with_data === 1 ? 'day' : 'days'}.`);
  }
}
