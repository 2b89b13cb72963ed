// The warning no one misses: a banner in the sticky header (on top at any scroll, on every screen
// size) while a posture change is pending or an automatic move runs, saying what the desk will do
// and when, with Confirm (only where it moves the desk), Snooze, Skip and, during the warning
// and while moving, Stop.
import { confirmRule, type ControlInputs, skipRule, snoozeRule } from '../control_rules';
import { skipLabel } from '../skip_label';
import { type PendingChange } from '../pending_change';
import { warningText } from '../warning_text';
import type { Ctx } from './context';
import { applyRule, h, setAttr, setText, show } from './dom';

export class WarningBanner {
  readonly el: HTMLElement;
  private readonly headline = h('span', { class: 'warning-headline', 'data-testid': 'warning-text' });
  // The countdown changes every second: kept out of the alert's spoken text.
  private readonly countdown = h('span', { class: 'warning-countdown', 'data-testid': 'warning-countdown', 'aria-hidden': 'true' });
  private readonly detail = h('span', { class: 'warning-detail', 'data-testid': 'warning-detail' });
  private readonly confirmBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'warning-confirm' }, 'Confirm');
  private readonly snoozeBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'warning-snooze' }, 'Snooze');
  private readonly skipBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'warning-skip' }, 'Skip');
  private readonly stopBtn = h('button', { type: 'button', class: 'btn danger', 'data-testid': 'warning-stop' }, 'Stop');
  private readonly alert: HTMLElement;
  private ctx: Ctx | null = null;
  /** The announcement last shown: a new one is a new alert. */
  private shownKey = '';

  constructor() {
    const cmd = (action: string) => () => this.ctx?.actions.command({ action });
    this.confirmBtn.addEventListener('click', cmd('confirm'));
    this.snoozeBtn.addEventListener('click', cmd('snooze'));
    this.skipBtn.addEventListener('click', cmd('skip'));
    this.stopBtn.addEventListener('click', () => this.ctx?.actions.stop());
    this.alert = h('p', { class: 'warning-say', role: 'alert', 'aria-atomic': 'true' }, this.headline, ' ', this.countdown, ' ', this.detail);
    this.el = h('div', { class: 'warning-banner', 'data-testid': 'warning-banner', role: 'region', 'aria-label': 'Posture change', hidden: true },
      this.alert,
      h('span', { class: 'row wrap warning-actions' }, this.confirmBtn, this.snoozeBtn, this.skipBtn, this.stopBtn));
  }

  update(ctx: Ctx, pending: PendingChange | null, rules: ControlInputs): void {
    this.ctx = ctx;
    show(this.el, pending !== null);
    if (!pending) {
      this.shownKey = '';
      return;
    }
    const snoozeMin = ctx.entry?.schedule?.snooze_minutes ?? null;
    const t = warningText(pending, ctx.fmt, snoozeMin);
    setAttr(this.el, 'data-kind', pending.kind);
    setText(this.countdown, t.countdown);
    setText(this.detail, t.detail);
    setText(this.snoozeBtn, t.snooze);
    const key = `${pending.kind}|${t.headline}`;
    if (key !== this.shownKey) {
      // Rewriting the alert's text makes screen readers announce it once per announcement.
      this.shownKey = key;
      setText(this.headline, t.headline);
    }
    show(this.confirmBtn, t.confirm !== null);
    if (t.confirm !== null) setText(this.confirmBtn, t.confirm);
    applyRule(this.confirmBtn, confirmRule(rules));
    const announced = pending.kind !== 'moving';
    show(this.snoozeBtn, announced);
    show(this.skipBtn, announced);
    applyRule(this.snoozeBtn, snoozeRule(rules));
    const skip = skipRule(rules);
    applyRule(this.skipBtn, skip);
    const label = skipLabel(ctx.entry?.state?.skips_left ?? null, snoozeMin);
    setText(this.skipBtn, label.text);
    if (skip.enabled && label.title) setAttr(this.skipBtn, 'title', label.title);
    // deskd takes a stop during the warning as the answer to it: that change is cancelled.
    const stops = pending.kind === 'moving' || pending.kind === 'warning';
    show(this.stopBtn, stops || ctx.entry?.state?.motion !== 'stopped');
  }
}
