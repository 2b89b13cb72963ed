// Presets and the posture heights, changed on purpose (issue 23): a new preset from the current
// height (the names sit and stand are reserved), "Set as sitting/standing height" (each
// confirmed), and rename / delete for the named presets.
import { heightRule } from '../control_rules';
import {
  type Presets, presetNameError, renamedPreset, withPostureHeight, withPreset, withoutPreset,
} from '../preset_edit';
import type { Ctx } from './context';
import { applyRule, clear, h, setText } from './dom';

export class PresetEditor {
  readonly el: HTMLElement;
  private readonly name = h('input', {
    id: 'preset-name',
    type: 'text',
    'data-testid': 'preset-name',
    autocomplete: 'off',
    maxlength: 24,
    pattern: '[a-z0-9_\\-]+',
    placeholder: 'focus',
  });
  private readonly save = h('button', { type: 'submit', class: 'btn', 'data-testid': 'preset-save' }, 'Save current height');
  private readonly setSit = h('button', { type: 'button', class: 'btn', 'data-testid': 'set-sit-height' }, 'Set as sitting height');
  private readonly setStand = h('button', { type: 'button', class: 'btn', 'data-testid': 'set-stand-height' }, 'Set as standing height');
  private readonly msg = h('span', { class: 'muted', role: 'status', 'data-testid': 'preset-status' });
  private readonly list = h('ul', { class: 'preset-list', 'data-testid': 'preset-list' });
  private listKey = '';
  private ctx: Ctx | null = null;

  constructor() {
    const form = h('form', { class: 'row wrap preset-form', 'data-testid': 'preset-form' },
      h('label', { for: 'preset-name' }, 'New preset'), this.name, this.save);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.saveNew();
    });
    this.setSit.addEventListener('click', () => void this.setPosture('sit'));
    this.setStand.addEventListener('click', () => void this.setPosture('stand'));
    this.el = h('div', { class: 'preset-editor' },
      form,
      h('div', { class: 'row wrap', role: 'group', 'aria-label': 'Posture heights' }, this.setSit, this.setStand),
      this.msg,
      h('details', { 'data-testid': 'preset-edit' }, h('summary', {}, 'Rename or delete presets'), this.list),
    );
  }

  update(ctx: Ctx): void {
    this.ctx = ctx;
    const height = heightRule(ctx.controls);
    for (const b of [this.save, this.setSit, this.setStand]) applyRule(b, height);
    const presets = ctx.entry?.state?.presets ?? {};
    const key = JSON.stringify(presets) + ctx.fmt.locale + ctx.fmt.units;
    if (key === this.listKey) return;
    this.listKey = key;
    clear(this.list);
    for (const [name, mm] of Object.entries(presets).sort(([a], [b]) => a.localeCompare(b))) {
      const rename = h('button', { type: 'button', class: 'btn small', 'data-testid': `preset-rename-${name}` }, 'Rename');
      const del = h('button', { type: 'button', class: 'btn small', 'data-testid': `preset-delete-${name}` }, 'Delete');
      rename.addEventListener('click', () => void this.rename(name));
      del.addEventListener('click', () => void this.remove(name));
      this.list.append(h('li', {}, h('span', {}, `${name} · ${ctx.fmt.heightMm(mm)}`), rename, del));
    }
  }

  private async send(body: { presets: Presets }, done: string): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    setText(this.msg, 'Saving…');
    try {
      const r = await ctx.actions.request('presets/set', body);
      setText(this.msg, r.status === 'ok' ? done : `Not saved: ${r.error}`);
      if (r.status === 'ok') this.name.value = '';
    } catch (e) {
      setText(this.msg, (e as Error).message);
    }
  }

  private async saveNew(): Promise<void> {
    const st = this.ctx?.entry?.state;
    if (!st) return;
    const name = this.name.value.trim();
    const why = presetNameError(name, st.presets);
    this.name.toggleAttribute('aria-invalid', why !== null);
    if (why) return setText(this.msg, why);
    if (st.height_mm === null) return setText(this.msg, 'Height unknown: calibrate first');
    await this.send(withPreset(st.presets, name, st.height_mm), `Saved "${name}"`);
  }

  private async setPosture(which: 'sit' | 'stand'): Promise<void> {
    const st = this.ctx?.entry?.state;
    const fmt = this.ctx?.fmt;
    if (!st || !fmt || st.height_mm === null) return;
    const word = which === 'sit' ? 'sitting' : 'standing';
    const now = which === 'sit' ? st.sit_height_mm : st.stand_height_mm;
    const ok = window.confirm(`Set the ${word} height to ${fmt.heightMm(st.height_mm)}? It is ${fmt.heightMm(now)} now. ` +
      `${which === 'sit' ? 'Sit' : 'Stand'} and the schedule will move the desk there.`);
    if (!ok) return setText(this.msg, `The ${word} height is unchanged`);
    await this.send(withPostureHeight(st.presets, which, st.height_mm), `The ${word} height is ${fmt.heightMm(st.height_mm)}`);
  }

  private async rename(from: string): Promise<void> {
    const st = this.ctx?.entry?.state;
    if (!st) return;
    const to = window.prompt(`New name for "${from}"`, from)?.trim();
    if (!to || to === from) return;
    const why = presetNameError(to, st.presets, from);
    if (why) return setText(this.msg, why);
    await this.send(renamedPreset(st.presets, from, to), `Renamed "${from}" to "${to}"`);
  }

  private async remove(name: string): Promise<void> {
    const st = this.ctx?.entry?.state;
    if (!st || !window.confirm(`Delete the preset "${name}"?`)) return;
    await this.send(withoutPreset(st.presets, name), `Deleted "${name}"`);
  }
}
