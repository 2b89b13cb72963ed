// The schedule editor: reads the form, validates it like deskd does, sends only the changes with
// schedule/set and shows deskd's answer (its error when it refuses). Also the 7-day preview.
import {
  decodePreview,
  defaultSchedule,
  isValidDate,
  parseIntField,
  schedulePatch,
  splitList,
  splitWindows,
  validateSchedule,
  WEEKDAYS,
  type PreviewChange,
  type ScheduleDoc,
} from '../schedule';
import { COMFORT_CHECKINS, checkinLabel, type ComfortCheckin } from '../comfort';
import { fieldError } from '../form_error';
import { localIsoDate } from '../stats';
import { MODES, type Mode } from '../desk_state';
import type { Ctx } from './context';
import { clear, h, setDisabled, setText, show } from './dom';

type NumField =
  | 'sit_minutes'
  | 'stand_minutes'
  | 'warn_seconds'
  | 'snooze_minutes'
  | 'max_auto_moves_per_day'
  | 'max_skips_per_day'
  | 'busy_max_defer_minutes'
  | 'break_wait_minutes'
  | 'break_idle_seconds'
  | 'progression.start_minutes'
  | 'progression.step_minutes'
  | 'progression.period_days'
  | 'progression.target_minutes'
  | 'breaks.every_minutes'
  | 'breaks.duration_minutes';

const NUM_FIELDS: Array<[NumField, string, string]> = [
  ['sit_minutes', 'Sit (minutes)', '5–240'],
  ['stand_minutes', 'Stand (minutes)', '5–240'],
  ['warn_seconds', 'Warning (seconds)', '0–600'],
  ['snooze_minutes', 'Snooze (minutes)', '1–240'],
  ['max_auto_moves_per_day', 'Automatic moves per day at most', '0–100'],
  ['max_skips_per_day', 'Skips per day at most (0: no limit)', '0–50'],
  ['busy_max_defer_minutes', 'During a call, wait at most (minutes)', '0–480'],
  ['break_wait_minutes', 'Wait for a pause at most (minutes; 0: never)', '0–60'],
  ['break_idle_seconds', 'A pause is this long without input (seconds)', '10–1800'],
];
const PROG_FIELDS: Array<[NumField, string, string]> = [
  ['progression.start_minutes', 'Start with (minutes standing)', '1–240'],
  ['progression.step_minutes', 'Add (minutes)', '1–120'],
  ['progression.period_days', 'Every (days)', '1–365'],
  ['progression.target_minutes', 'Up to (minutes)', '5–240'],
];
const BREAK_FIELDS: Array<[NumField, string, string]> = [
  ['breaks.every_minutes', 'Every (minutes)', '10–480'],
  ['breaks.duration_minutes', 'Walk for (minutes)', '1–60'],
];

const lower = (t: string) => t.charAt(0).toLowerCase() + t.slice(1);
/** Form field name -> its label, for problems in plain words (form_error.ts). */
const FIELD_LABELS: ReadonlyMap<string, string> = new Map([
  ...NUM_FIELDS.map(([n, l]): [string, string] => [n, l]),
  ...PROG_FIELDS.map(([n, l]): [string, string] => [n, `Progression: ${lower(l)}`]),
  ...BREAK_FIELDS.map(([n, l]): [string, string] => [n, `Movement breaks: ${lower(l)}`]),
  ['mode', 'Mode'],
  ['skip_dates', 'Skip dates'],
  ['progression.start_date', 'Progression: from (date)'],
]);

function fieldId(name: string): string {
  return `sch-${name.replace('.', '-')}`;
}

export interface FormRead {
  doc: ScheduleDoc;
  error: string | null;
}

export class ScheduleEditor {
  readonly el: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private readonly error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'schedule-error', hidden: true });
  private readonly status = h('p', { class: 'muted', role: 'status', 'data-testid': 'schedule-status' });
  private readonly saveBtn = h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'schedule-save' }, 'Save schedule');
  private readonly revertBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'schedule-revert' }, 'Revert');
  private readonly previewBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-preview' }, 'Refresh');
  private readonly preview = h('div', { class: 'preview', 'data-testid': 'preview' });
  private readonly previewStatus = h('p', { class: 'muted', role: 'status', 'data-testid': 'preview-status' });
  private readonly dayLabels: HTMLLabelElement[] = [];
  private shown: ScheduleDoc | null = null;
  private dirty = false;
  private busy = false;
  private previewDesk = '';
  private ctx: Ctx | null = null;

  constructor(private readonly clientValidation: boolean) {
    const num = ([name, label, range]: [NumField, string, string]) => {
      const input = h('input', { id: fieldId(name), name, type: 'text', inputmode: 'numeric', autocomplete: 'off', size: 5, 'data-testid': fieldId(name), 'aria-describedby': `${fieldId(name)}-hint` });
      this.inputs.set(name, input);
      return h('div', { class: 'field' }, h('label', { for: fieldId(name) }, label), input, h('small', { id: `${fieldId(name)}-hint`, class: 'muted' }, range));
    };
    const check = (name: string, label: string) => {
      const input = h('input', { id: fieldId(name), name, type: 'checkbox', 'data-testid': fieldId(name) });
      this.inputs.set(name, input);
      return h('div', { class: 'field check' }, input, h('label', { for: fieldId(name) }, label));
    };
    const mode = h('select', { id: fieldId('mode'), name: 'mode', 'data-testid': fieldId('mode') },
      ...MODES.map((m) => h('option', { value: m }, m === 'auto' ? 'auto: warn, then move' : m === 'confirm' ? 'confirm: ask first' : 'remind: never move')));
    this.inputs.set('mode', mode);
    const checkin = h('select', { id: fieldId('comfort_checkin'), name: 'comfort_checkin', 'data-testid': fieldId('comfort_checkin') },
      ...COMFORT_CHECKINS.map((c) => h('option', { value: c }, checkinLabel(c))));
    this.inputs.set('comfort_checkin', checkin);
    const windows = WEEKDAYS.map((d) => {
      const input = h('input', { id: fieldId(`windows-${d}`), name: `windows.${d}`, type: 'text', autocomplete: 'off', placeholder: 'no working hours', 'data-testid': `sch-windows-${d}` });
      this.inputs.set(`windows.${d}`, input);
      const label = h('label', { for: fieldId(`windows-${d}`) }, d);
      this.dayLabels.push(label);
      return h('div', { class: 'field day' }, label, input);
    });
    const skip = h('input', { id: fieldId('skip_dates'), name: 'skip_dates', type: 'text', autocomplete: 'off', placeholder: '2026-12-24, 2026-12-31', 'data-testid': 'sch-skip_dates' });
    this.inputs.set('skip_dates', skip);
    const start = h('input', { id: fieldId('progression.start_date'), name: 'progression.start_date', type: 'text', autocomplete: 'off', placeholder: 'YYYY-MM-DD', size: 10, 'data-testid': 'sch-progression-start_date' });
    this.inputs.set('progression.start_date', start);

    this.form = h('form', { novalidate: true, 'data-testid': 'schedule-form', 'aria-labelledby': 'schedule-title' },
      h('fieldset', {}, h('legend', {}, 'Rhythm'),
        // On/off is the one switch on the Schedule card (it acts at once): not a second one here.
        h('div', { class: 'field' }, h('label', { for: fieldId('mode') }, 'Mode'), mode),
        h('div', { class: 'grid-fields' }, ...NUM_FIELDS.map(num)),
        check('nudge', 'Nudge the desk as the prompt (confirm mode)'),
        check('require_time_sync', 'Only move when the clock is synchronised')),
      h('fieldset', {}, h('legend', {}, 'Working hours'),
        h('p', { class: 'muted' }, 'Per weekday, windows as HH:MM-HH:MM separated by commas; empty = no work that day.'),
        ...windows,
        h('div', { class: 'field' }, h('label', { for: fieldId('skip_dates') }, 'Skip dates (YYYY-MM-DD)'), skip)),
      h('fieldset', {}, h('legend', {}, 'Progression'),
        check('progression.enabled', 'Build standing time up gradually'),
        h('div', { class: 'grid-fields' }, ...PROG_FIELDS.map(num),
          h('div', { class: 'field' }, h('label', { for: fieldId('progression.start_date') }, 'From (date, optional)'), start))),
      h('fieldset', {}, h('legend', {}, 'Movement breaks'),
        check('breaks.enabled', 'Remind me to walk'),
        check('breaks.ask_walked', 'Afterwards, ask whether I walked'),
        h('div', { class: 'grid-fields' }, ...BREAK_FIELDS.map(num))),
      h('fieldset', {}, h('legend', {}, 'Comfort check-in'),
        h('div', { class: 'field' }, h('label', { for: fieldId('comfort_checkin') }, 'Ask “How does your back feel? 1–5”'), checkin),
        h('p', { class: 'muted' }, 'Never required. The progression steps up only while comfort holds steady.')),
      this.error,
      h('div', { class: 'row' }, this.saveBtn, this.revertBtn),
      this.status,
    );
    this.form.addEventListener('input', () => {
      this.dirty = true;
      setText(this.status, 'Unsaved changes');
    });
    // Unsaved edits are not lost without a word: the browser asks before a reload or leaving.
    window.addEventListener('beforeunload', (e) => {
      if (!this.dirty) return;
      e.preventDefault();
      e.returnValue = '';
    });
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    this.revertBtn.addEventListener('click', () => {
      this.dirty = false;
      this.clearError();
      if (this.shown) this.fill(this.shown);
      setText(this.status, 'Reverted to the desk\'s schedule');
    });
    this.previewBtn.addEventListener('click', () => void this.loadPreview());

    this.el = h('section', { class: 'card wide', id: 'schedule', 'aria-labelledby': 'schedule-title' },
      h('h2', { id: 'schedule-title' }, 'Schedule editor'),
      h('div', { class: 'editor-grid' },
        this.form,
        h('div', { class: 'preview-box' },
          h('div', { class: 'row spread' }, h('h3', {}, 'Next 7 days'), this.previewBtn),
          this.previewStatus,
          this.preview)),
    );
  }

  private input(name: string): HTMLInputElement | HTMLSelectElement {
    const el = this.inputs.get(name);
    if (!el) throw new Error(`no field ${name}`);
    return el;
  }

  private setValue(name: string, v: string | boolean): void {
    const el = this.input(name);
    if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = Boolean(v);
    else el.value = String(v);
  }

  fill(d: ScheduleDoc): void {
    this.setValue('mode', d.mode);
    for (const [n] of [...NUM_FIELDS, ...PROG_FIELDS, ...BREAK_FIELDS]) {
      const [a, b] = n.split('.');
      const v = b === undefined ? d[a as keyof ScheduleDoc] : (d[a as 'progression' | 'breaks'] as unknown as Record<string, number>)[b];
      this.setValue(n, String(v));
    }
    this.setValue('nudge', d.nudge);
    this.setValue('require_time_sync', d.require_time_sync);
    for (const day of WEEKDAYS) this.setValue(`windows.${day}`, d.windows[day].join(', '));
    this.setValue('skip_dates', d.skip_dates.join(', '));
    this.setValue('progression.enabled', d.progression.enabled);
    this.setValue('progression.start_date', d.progression.start_date ?? '');
    this.setValue('breaks.enabled', d.breaks.enabled);
    this.setValue('breaks.ask_walked', d.breaks.ask_walked);
    this.setValue('comfort_checkin', d.comfort_checkin);
  }

  /** The document the form describes, and the first problem found (field-prefixed). */
  read(base: ScheduleDoc): FormRead {
    const doc: ScheduleDoc = structuredClone(base);
    const checked = (n: string) => (this.input(n) as HTMLInputElement).checked;
    let error: string | null = null;
    const int = (n: string): number => {
      const v = parseIntField(this.input(n).value);
      if (v === null) {
        error ??= `${n}: must be a whole number`;
        return NaN;
      }
      return v;
    };
    // doc.enabled stays as deskd has it: the Schedule card's switch changes it.
    doc.mode = this.input('mode').value as Mode;
    doc.sit_minutes = int('sit_minutes');
    doc.stand_minutes = int('stand_minutes');
    doc.warn_seconds = int('warn_seconds');
    doc.snooze_minutes = int('snooze_minutes');
    doc.max_auto_moves_per_day = int('max_auto_moves_per_day');
    doc.max_skips_per_day = int('max_skips_per_day');
    doc.busy_max_defer_minutes = int('busy_max_defer_minutes');
    doc.break_wait_minutes = int('break_wait_minutes');
    doc.break_idle_seconds = int('break_idle_seconds');
    doc.nudge = checked('nudge');
    doc.require_time_sync = checked('require_time_sync');
    for (const d of WEEKDAYS) doc.windows[d] = splitWindows(this.input(`windows.${d}`).value);
    doc.skip_dates = splitList(this.input('skip_dates').value);
    doc.progression.enabled = checked('progression.enabled');
    doc.progression.start_minutes = int('progression.start_minutes');
    doc.progression.step_minutes = int('progression.step_minutes');
    doc.progression.period_days = int('progression.period_days');
    doc.progression.target_minutes = int('progression.target_minutes');
    const sd = this.input('progression.start_date').value.trim();
    doc.progression.start_date = sd === '' ? null : sd;
    if (sd !== '' && !isValidDate(sd)) error ??= `progression.start_date: invalid date ${sd} (use YYYY-MM-DD)`;
    doc.breaks.enabled = checked('breaks.enabled');
    doc.breaks.ask_walked = checked('breaks.ask_walked');
    doc.comfort_checkin = this.input('comfort_checkin').value as ComfortCheckin;
    doc.breaks.every_minutes = int('breaks.every_minutes');
    doc.breaks.duration_minutes = int('breaks.duration_minutes');
    // Whole-number problems in a disabled progression/breaks block do not block saving.
    if (error !== null) {
      const e: string = error;
      if ((e.startsWith('progression.') && !doc.progression.enabled && !e.startsWith('progression.start_date')) ||
          (e.startsWith('breaks.') && !doc.breaks.enabled)) {
        const group = e.startsWith('breaks.') ? 'breaks' : 'progression';
        doc[group] = { ...base[group], enabled: false } as never;
        error = null;
      }
    }
    return { doc, error };
  }

  private clearError(): void {
    show(this.error, false);
    setText(this.error, '');
    for (const el of this.inputs.values()) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-errormessage');
    }
    for (const e of this.form.querySelectorAll('.field-error')) e.remove();
  }

  // "mon: …", "sit_minutes: …", "progression.step_minutes: …" name the field: the words go next
  // to it, under its label (on a phone, Save is far away), and into the alert beside Save.
  private showError(problem: string, fromServer: boolean): void {
    const { field, text } = fieldError(problem, FIELD_LABELS);
    setText(this.error, fromServer ? `The desk refused the change: ${text}` : text);
    show(this.error, true);
    const el = field ? this.inputs.get(field) : undefined;
    if (!el) return;
    const note = h('small', { id: `${el.id}-error`, class: 'field-error', 'data-testid': `${el.id}-error` }, text);
    el.closest('.field')?.append(note);
    el.setAttribute('aria-invalid', 'true');
    el.setAttribute('aria-errormessage', note.id);
    el.focus();
  }

  async save(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx || this.busy) return;
    this.clearError();
    const base = this.shown ?? defaultSchedule();
    const { doc, error } = this.read(base);
    const problem = this.clientValidation ? (error ?? validateSchedule(doc)) : error;
    if (problem) {
      this.showError(problem, false);
      setText(this.status, 'Not saved');
      return;
    }
    const patch = schedulePatch(base, doc);
    if (Object.keys(patch).length === 0) {
      setText(this.status, 'No changes to save');
      this.dirty = false;
      return;
    }
    this.busy = true;
    setDisabled(this.saveBtn, true);
    setText(this.status, 'Saving…');
    try {
      const r = await ctx.actions.request('schedule/set', patch);
      if (r.status === 'ok') {
        this.dirty = false;
        const current = this.ctx?.entry?.schedule;
        if (current) {
          this.shown = current;
          this.fill(current);
        }
        setText(this.status, 'Saved');
        void this.loadPreview();
      } else {
        this.showError(r.error, true);
        setText(this.status, 'Not saved');
      }
    } catch (e) {
      this.showError((e as Error).message, false);
      setText(this.status, 'Not saved');
    } finally {
      this.busy = false;
      setDisabled(this.saveBtn, !ctx.deskReachable);
    }
  }

  async loadPreview(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx || !ctx.deskReachable) return;
    setText(this.previewStatus, 'Loading…');
    try {
      const r = await ctx.actions.request('schedule/preview', {});
      if (r.status !== 'ok') {
        setText(this.previewStatus, `Refused: ${r.error}`);
        return;
      }
      const changes = decodePreview(r.data);
      clear(this.preview);
      const fmt = this.ctx?.fmt ?? ctx.fmt;
      // One collapsible group per local day; the first one open.
      const days = new Map<string, PreviewChange[]>();
      for (const c of changes) {
        const day = localIsoDate(c.at);
        days.set(day, [...(days.get(day) ?? []), c]);
      }
      let first = true;
      for (const [day, list] of days) {
        const items = h('ol', {});
        for (const c of list) {
          items.append(h('li', { 'data-posture': c.posture },
            h('time', { datetime: new Date(c.at).toISOString() }, fmt.time(c.at)), ' ',
            h('span', { class: `pill ${c.posture}` }, c.posture)));
        }
        this.preview.append(h('details', { open: first },
          h('summary', {}, `${fmt.date(day)} · ${fmt.number(list.length)} ${list.length === 1 ? 'change' : 'changes'}`),
          items));
        first = false;
      }
      setText(this.previewStatus, changes.length === 0 ? 'No changes planned in the next 7 days.' : `${fmt.number(changes.length)} changes planned`);
    } catch (e) {
      setText(this.previewStatus, (e as Error).message);
    }
  }

  update(ctx: Ctx): void {
    const first = this.ctx === null;
    this.ctx = ctx;
    if (first) this.dayLabels.forEach((l, i) => setText(l, ctx.fmt.weekdayName(i)));
    setDisabled(this.saveBtn, !ctx.deskReachable || this.busy);
    setDisabled(this.previewBtn, !ctx.deskReachable);
    const doc = ctx.entry?.schedule ?? null;
    if (doc && doc !== this.shown) {
      this.shown = doc;
      if (!this.dirty) this.fill(doc);
      else setText(this.status, 'The desk\'s schedule changed elsewhere; Revert to see it');
    }
    if (ctx.deskReachable && this.previewDesk !== ctx.deskId) {
      this.previewDesk = ctx.deskId;
      void this.loadPreview();
    }
    if (!ctx.deskReachable) this.previewDesk = '';
  }
}
