// The weekly progress card: this week against the same days of last week with trend arrows, the
// standing-goal streak and the progression's next step (B/progress).
import { COMFORT_VALUES, COMFORT_WORDS, comfortCommand } from '../comfort';
import { decisionText, planText, progressRows, span, streakText, type Progress } from '../progress';
import { CHANGES_DEFINITION, SHARE_DEFINITION } from '../stats';
import type { Ctx } from './context';
import { h, setAttr, setText, show } from './dom';
import './progress_view.css';

interface RowEls {
  value: HTMLElement;
  arrow: HTMLElement;
  last: HTMLElement;
}

export class ProgressView {
  readonly el: HTMLElement;
  private readonly empty = h('p', { class: 'muted', 'data-testid': 'progress-empty' }, 'No progress published yet.');
  private readonly body = h('div', { class: 'progress-body' });
  private readonly lastSpan = h('span', { class: 'progress-span', 'data-testid': 'progress-last-span' });
  private readonly lastHead = h('th', { scope: 'col' }, 'Last week', this.lastSpan);
  private readonly rows = new Map<string, RowEls>();
  private readonly streakDays = h('strong', { class: 'progress-streak', 'data-testid': 'progress-streak' }, '—');
  private readonly streakToday = h('span', { class: 'muted', 'data-testid': 'progress-today' });
  private readonly plan = h('p', { class: 'progress-plan', 'data-testid': 'progress-plan' });
  private readonly wentWell = h('p', { class: 'progress-went-well', 'data-testid': 'progress-went-well' });
  private readonly suggestion = h('p', { class: 'progress-suggestion muted', 'data-testid': 'progress-suggestion' });
  private readonly decision = h('p', { class: 'progress-decision muted', 'data-testid': 'progress-decision' });
  private readonly comfortButtons: HTMLButtonElement[] = [];
  private ctx: Ctx | null = null;

  constructor() {
    const tbody = h('tbody', {});
    for (const [metric, label] of [['stand_share', 'Standing'], ['comfort', 'Comfort'], ['changes', 'Changes'], ['longest_sit', 'Longest sit']] as const) {
      const els: RowEls = {
        value: h('span', { 'data-testid': `progress-${metric}` }, '—'),
        arrow: h('span', { class: 'trend', 'data-testid': `progress-${metric}-trend`, 'data-tone': 'none' }),
        last: h('td', { 'data-testid': `progress-${metric}-last` }, '—'),
      };
      this.rows.set(metric, els);
      tbody.append(h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, els.value, ' ', els.arrow), els.last));
    }
    this.body.append(
      h('table', { class: 'progress-table' },
        h('thead', {}, h('tr', {}, h('td', {}), h('th', { scope: 'col' }, 'This week'), this.lastHead)),
        tbody),
      h('p', { class: 'muted', 'data-testid': 'progress-share-definition' }, SHARE_DEFINITION, ' ', CHANGES_DEFINITION),
      h('p', { class: 'progress-streak-line' }, this.streakDays, ' ', this.streakToday),
      this.wentWell,
      this.suggestion,
      this.plan,
      this.decision,
      this.recordComfort(),
    );
    this.el = h('section', { class: 'card', id: 'progress', 'aria-labelledby': 'progress-title', 'data-testid': 'progress-card' },
      h('h2', { id: 'progress-title' }, 'Progress'),
      this.empty,
      this.body);
    this.body.hidden = true;
  }

  /** "How does your back feel today?" with 1–5: an answer at any time (never required). */
  private recordComfort(): HTMLElement {
    for (const n of COMFORT_VALUES) {
      const b = h('button', { type: 'button', class: 'btn small', 'data-testid': `progress-comfort-${n}`, title: COMFORT_WORDS[n] }, String(n)) as HTMLButtonElement;
      b.addEventListener('click', () => {
        const cmd = comfortCommand(n);
        if (cmd) this.ctx?.actions.command(cmd);
      });
      this.comfortButtons.push(b);
    }
    return h('div', { class: 'row wrap progress-comfort', role: 'group', 'aria-label': 'Record how your back feels, 1 to 5' },
      h('span', { class: 'muted' }, 'How does your back feel today?'), ...this.comfortButtons);
  }

  update(ctx: Ctx, p: Progress | null): void {
    this.ctx = ctx;
    for (const b of this.comfortButtons) b.disabled = !ctx.deskReachable;
    show(this.empty, p === null);
    show(this.body, p !== null);
    if (!p) return;
    const fmt = ctx.fmt;
    setText(this.lastSpan, span(fmt, p.last_week.from, p.last_week.to));
    for (const r of progressRows(fmt, p)) {
      const els = this.rows.get(r.metric)!;
      setText(els.value, r.value);
      setText(els.arrow, r.arrow);
      setAttr(els.arrow, 'data-tone', r.tone);
      setAttr(els.arrow, 'role', r.sr ? 'img' : null);
      setAttr(els.arrow, 'aria-label', r.sr);
      setAttr(els.arrow, 'title', r.sr);
      setText(els.last, r.last);
    }
    const st = streakText(fmt, p);
    setText(this.streakDays, st.days);
    setText(this.streakToday, st.today);
    setText(this.plan, planText(fmt, p));
    setText(this.wentWell, p.summary.went_well);
    show(this.wentWell, p.summary.went_well !== '');
    setText(this.suggestion, p.summary.suggestion);
    show(this.suggestion, p.summary.suggestion !== '');
    const why = decisionText(p);
    setText(this.decision, why);
    show(this.decision, why !== '');
  }
}
