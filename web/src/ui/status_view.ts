// The schedule's live status: phase, countdown to the next change, Confirm/Snooze/Skip, pause.
import { COMFORT_VALUES, COMFORT_WORDS, comfortCommand } from '../comfort';
import { confirmRule, pauseRule, resumeRule, skipRule, snoozeRule } from '../control_rules';
import { skipLabel } from '../skip_label';
import { statusSentence } from '../status_sentence';
import { secondsUntil } from '../desk_state';
import type { Ctx } from './context';
import { applyRule, clear, h, setAttr, setDisabled, setText, show } from './dom';

const MODE_TEXT: Record<string, string> = {
  auto: 'moves the desk after a warning',
  confirm: 'asks you to confirm each move',
  remind: 'only reminds you; never moves the desk',
};

function describeEvent(ctx: Ctx, type: string, f: Record<string, unknown>): string {
  const fmt = ctx.fmt;
  const mm = (k: string) => (typeof f[k] === 'number' ? fmt.heightMm(f[k] as number) : '?');
  switch (type) {
    case 'warning': return `Changing to ${String(f['posture'] ?? '?')} in ${fmt.duration(Number(f['in_s'] ?? 0))}` +
      (f['detail'] === 'pause' ? ', now that you paused' : '');
    case 'prompt': return `Time to change to ${String(f['posture'] ?? '?')}: confirm to move`;
    case 'reminder': return `Reminder: time to change to ${String(f['posture'] ?? '?')}`;
    case 'move_started': return typeof f['target_mm'] === 'number'
      ? `Moving to ${mm('target_mm')} (${String(f['source'] ?? '')})`
      : `Moving to the bottom${f['detail'] ? ` to ${String(f['detail'])}` : ''} (${String(f['source'] ?? '')})`;
    case 'calibrated': return `Calibrated at ${mm('height_mm')}${f['detail'] ? ` (${String(f['detail'])})` : ''}`;
    case 'stopped': return `Stopped at ${mm('height_mm')} by ${String(f['source'] ?? '?')}${f['detail'] ? ` (${String(f['detail'])})` : ''}`;
    case 'move_finished': return `Stopped at ${mm('height_mm')}`;
    case 'manual_move': return `Moved by hand from ${mm('from_mm')} to ${mm('to_mm')}`;
    case 'fault': return `Fault: ${String(f['fault'] ?? '?')} ${String(f['detail'] ?? '')}`.trim();
    case 'error': return `Refused: ${String(f['error'] ?? '?')}`;
    case 'declined': return f['detail'] === 'busy'
      ? `Change to ${String(f['posture'] ?? '?')} skipped: busy for too long`
      : 'Change declined';
    case 'deferred': return f['detail'] === 'pause'
      ? `Change to ${String(f['posture'] ?? '?')} waits for your next pause`
      : `Change to ${String(f['posture'] ?? '?')} waits: you are busy`;
    case 'snoozed': return (typeof f['until'] === 'string' && !Number.isNaN(Date.parse(f['until']))
      ? `Snoozed until ${fmt.time(Date.parse(f['until']))}` : 'Snoozed') +
      (f['detail'] ? ` (${String(f['detail'])})` : '');
    case 'break': return `Movement break: ${fmt.number(Number(f['minutes'] ?? 0))} min`;
    case 'walk_question': return 'Movement break over: did you walk?';
    case 'walked': return f['detail'] === 'yes' ? 'You walked during the break' : 'You did not walk during the break';
    case 'comfort_question': return 'How does your back feel? Answer 1–5';
    case 'comfort': return typeof f['comfort'] === 'number' ? `Comfort recorded: ${fmt.number(f['comfort'] as number)} of 5` : 'Comfort recorded';
    case 'clock_jump': return `Clock jumped by ${fmt.duration(Math.abs(Number(f['by_s'] ?? 0)))}`;
    default: return type;
  }
}

export class StatusView {
  readonly el: HTMLElement;
  private readonly phase = h('strong', { 'data-testid': 'phase' }, '—');
  private readonly phaseReason = h('span', { class: 'muted', 'data-testid': 'phase-reason' });
  private readonly next = h('span', { 'data-testid': 'next-change' }, '—');
  private readonly countdown = h('span', { class: 'big', 'data-testid': 'countdown', 'aria-live': 'off' }, '');
  private readonly confirmBtn = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'btn-confirm' }, 'Confirm');
  private readonly snoozeBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-snooze' }, 'Snooze');
  private readonly skipBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-skip' }, 'Skip');
  private readonly pauseBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-pause' }, 'Pause today');
  private readonly resumeBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-resume' }, 'Resume');
  private readonly reason = h('p', { class: 'muted reason', 'data-testid': 'schedule-reason' });
  private readonly enabled = h('input', { type: 'checkbox', id: 'schedule-enabled', 'data-testid': 'schedule-enabled' });
  private readonly walkedYes = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-walked' }, 'Yes');
  private readonly walkedNo = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-not-walked' }, 'No');
  private readonly walkQuestion = h('div', { class: 'row wrap walk-question', role: 'group', 'aria-label': 'Did you walk?', 'data-testid': 'walk-question' },
    h('span', {}, 'Did you walk during the break?'), this.walkedYes, this.walkedNo);
  private readonly comfortButtons = COMFORT_VALUES.map((n) =>
    h('button', { type: 'button', class: 'btn', 'data-testid': `btn-comfort-${n}`, 'aria-label': `${n}: ${COMFORT_WORDS[n]}` }, String(n)));
  private readonly comfortQuestion = h('div', { class: 'comfort-question', role: 'group', 'aria-label': 'How does your back feel?', 'data-testid': 'comfort-question' },
    h('p', {}, 'How does your back feel? ', h('span', { class: 'muted' }, '1 sore … 5 great')),
    h('div', { class: 'row' }, ...this.comfortButtons));
  private readonly mode = h('span', { 'data-testid': 'mode' });
  private readonly events = h('ol', { class: 'events', 'data-testid': 'events', 'aria-label': 'Recent events' });
  private eventsKey = '';
  private ctx: Ctx | null = null;

  constructor() {
    const cmd = (action: string) => () => this.ctx?.actions.command({ action });
    this.confirmBtn.addEventListener('click', cmd('confirm'));
    this.snoozeBtn.addEventListener('click', cmd('snooze'));
    this.skipBtn.addEventListener('click', cmd('skip'));
    this.pauseBtn.addEventListener('click', cmd('pause_today'));
    this.resumeBtn.addEventListener('click', cmd('resume'));
    this.walkedYes.addEventListener('click', cmd('walked'));
    this.walkedNo.addEventListener('click', cmd('not_walked'));
    COMFORT_VALUES.forEach((n, i) => this.comfortButtons[i].addEventListener('click', () => {
      const c = comfortCommand(n);
      if (c) this.ctx?.actions.command(c);
    }));
    this.enabled.addEventListener('change', () => this.ctx?.actions.command({ schedule_enabled: this.enabled.checked }));
    this.el = h('section', { class: 'card', id: 'now', 'aria-labelledby': 'now-title' },
      h('h2', { id: 'now-title' }, 'Schedule'),
      h('p', { class: 'phase-line' }, this.phase, ' ', this.phaseReason),
      h('p', {}, this.next),
      h('p', {}, this.countdown),
      h('div', { class: 'row wrap', role: 'group', 'aria-label': 'Next change' }, this.confirmBtn, this.snoozeBtn, this.skipBtn),
      this.walkQuestion,
      this.comfortQuestion,
      h('div', { class: 'row wrap' }, this.pauseBtn, this.resumeBtn,
        h('label', { class: 'switch', for: 'schedule-enabled' }, this.enabled, ' Automatic schedule')),
      this.reason,
      h('p', { class: 'muted' }, 'The schedule ', this.mode, '.'),
      h('h3', {}, 'Recent events'),
      this.events,
    );
  }

  update(ctx: Ctx): void {
    this.ctx = ctx;
    const st = ctx.entry?.state ?? null;
    const can = ctx.deskReachable && st !== null;
    const snooze = snoozeRule(ctx.controls);
    const skip = skipRule(ctx.controls);
    const confirm = confirmRule(ctx.controls);
    applyRule(this.snoozeBtn, snooze);
    applyRule(this.skipBtn, skip);
    const label = skipLabel(st?.skips_left ?? null, ctx.entry?.schedule?.snooze_minutes ?? null);
    setText(this.skipBtn, label.text);
    if (skip.enabled && label.title) setAttr(this.skipBtn, 'title', label.title);
    applyRule(this.confirmBtn, confirm);
    applyRule(this.pauseBtn, pauseRule(ctx.controls));
    applyRule(this.resumeBtn, resumeRule(ctx.controls));
    setText(this.reason, snooze.enabled ? '' : snooze.reason);
    setDisabled(this.enabled, !can);
    show(this.walkQuestion, can && st.walk_question);
    show(this.comfortQuestion, can && st.comfort_question);
    if (!st) {
      setText(this.phase, '—');
      return;
    }
    const said = statusSentence(st, ctx.fmt, ctx.entry?.schedule?.max_auto_moves_per_day ?? null);
    setText(this.phase, said.headline);
    setAttr(this.phase, 'data-phase', st.phase);
    setText(this.phaseReason, said.why);
    this.confirmBtn.classList.toggle('attention', confirm.enabled);
    show(this.pauseBtn, st.phase !== 'paused');
    show(this.resumeBtn, st.phase === 'paused');
    if (document.activeElement !== this.enabled) this.enabled.checked = st.schedule_enabled;
    setText(this.mode, MODE_TEXT[st.mode] ?? st.mode);
    if (st.next_change !== null && st.next_posture) {
      setText(this.next, `Next: ${st.next_posture} at ${ctx.fmt.dayTime(st.next_change)}`);
    } else {
      setText(this.next, 'No change planned');
    }
    let remaining: number | null = null;
    if (st.phase === 'warning' && st.warning_remaining_s !== null && ctx.entry?.state_at) {
      remaining = st.warning_remaining_s / st.time_scale - (ctx.now - ctx.entry.state_at) / 1000;
    } else if (st.next_change !== null) {
      remaining = secondsUntil(st, st.next_change, ctx.entry?.state_at ?? ctx.now, ctx.now);
    }
    if (!ctx.deskReachable) remaining = null;  // a countdown the desk cannot confirm does not tick
    setText(this.countdown, remaining === null ? '' : remaining > 0 ? `in ${ctx.fmt.countdown(remaining)}` : 'now');
    this.countdown.classList.toggle('attention', st.phase === 'warning');

    const events = ctx.entry?.events ?? [];
    const key = events.map((e) => e.at + e.type).join('|') + ctx.fmt.locale + ctx.fmt.units;
    if (key !== this.eventsKey) {
      this.eventsKey = key;
      clear(this.events);
      for (const ev of events.slice(0, 6)) {
        this.events.append(h('li', { 'data-type': ev.type },
          h('time', { datetime: new Date(ev.at).toISOString() }, ctx.fmt.time(ev.at)), ' ',
          describeEvent(ctx, ev.type, ev.fields)));
      }
      if (events.length === 0) this.events.append(h('li', { class: 'muted' }, 'Nothing yet.'));
    }
  }
}
