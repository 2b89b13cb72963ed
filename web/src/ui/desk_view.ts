// The desk card: drawing, height, motion, posture, Sit/Stand/Stop, presets and the height slider.
import { heightRule, moveRule, stopRule } from '../control_rules';
import { isMoving } from '../desk_state';
import { type HoldDir, holdTarget } from '../hold_step';
import type { Ctx } from './context';
import { applyRule, clear, h, s, setAttr, setText } from './dom';
import { HoldButton } from './hold_button';
import { PresetEditor } from './preset_editor';

const FLOOR_Y = 230;
const TOP_Y = 20;

export class DeskView {
  readonly el: HTMLElement;
  private readonly height = h('output', { class: 'big', 'data-testid': 'height', 'aria-live': 'off' }, '—');
  private readonly motion = h('span', { 'data-testid': 'motion' }, '—');
  private readonly posture = h('span', { 'data-testid': 'posture' }, '—');
  private readonly target = h('span', { 'data-testid': 'target' }, '—');
  private readonly position = h('span', { 'data-testid': 'position' }, '—');
  private readonly sitBtn = h('button', { type: 'button', 'data-testid': 'btn-sit', class: 'btn' }, 'Sit');
  private readonly standBtn = h('button', { type: 'button', 'data-testid': 'btn-stand', class: 'btn' }, 'Stand');
  private readonly stopBtn = h('button', { type: 'button', 'data-testid': 'btn-stop', class: 'btn danger' }, 'Stop');
  private readonly upBtn: HoldButton;
  private readonly downBtn: HoldButton;
  private readonly moveReason = h('p', { class: 'muted reason', 'data-testid': 'controls-reason' });
  private readonly heightReason = h('p', { class: 'muted reason', 'data-testid': 'height-reason' });
  private readonly presets = h('div', { class: 'row wrap', 'data-testid': 'presets', role: 'group', 'aria-label': 'Presets' });
  private readonly slider = h('input', {
    type: 'range',
    id: 'height-slider',
    'data-testid': 'height-slider',
    min: 620,
    max: 1270,
    step: 1,
    value: 720,
  });
  private readonly sliderOut = h('output', { for: 'height-slider', 'data-testid': 'slider-value' }, '');
  private readonly goBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-go' }, 'Move');
  private readonly presetEditor = new PresetEditor();
  private readonly drawing: SVGSVGElement;
  private readonly movable: SVGGElement;
  private readonly targetLine: SVGLineElement;
  private readonly minLine: SVGLineElement;
  private readonly maxLine: SVGLineElement;
  private readonly arrow: SVGTextElement;
  private sliderDirty = false;
  private presetKey = '';
  private scaleMax = 1400;
  private ctx: Ctx | null = null;

  constructor() {
    this.movable = s('g', { class: 'movable' },
      // Inner legs (hidden behind the outer tubes when low).
      s('rect', { x: 52, y: 0, width: 10, height: 260, class: 'leg-inner' }),
      s('rect', { x: 178, y: 0, width: 10, height: 260, class: 'leg-inner' }),
      s('rect', { x: 20, y: -8, width: 200, height: 10, rx: 3, class: 'top' }),
      // Monitor and keyboard.
      s('rect', { x: 95, y: -58, width: 60, height: 38, rx: 3, class: 'screen' }),
      s('rect', { x: 120, y: -20, width: 10, height: 12, class: 'stand' }),
      s('rect', { x: 60, y: -12, width: 30, height: 4, rx: 1, class: 'stand' }),
    );
    this.movable.style.transform = `translateY(${this.y(720).toFixed(1)}px)`;
    this.movable.classList.add('unknown');
    this.targetLine = s('line', { x1: 6, x2: 234, class: 'target-line', visibility: 'hidden' });
    this.minLine = s('line', { x1: 6, x2: 234, class: 'limit-line' });
    this.maxLine = s('line', { x1: 6, x2: 234, class: 'limit-line' });
    this.arrow = s('text', { x: 232, y: 40, class: 'arrow', 'text-anchor': 'end' }, '');
    this.drawing = s('svg', {
      viewBox: '0 0 240 240',
      class: 'desk-drawing',
      role: 'img',
      'aria-label': 'Desk height drawing',
      'data-testid': 'desk-drawing',
    },
      s('defs', {}, s('clipPath', { id: 'above-floor' }, s('rect', { x: 0, y: -100, width: 240, height: FLOOR_Y + 100 }))),
      this.minLine,
      this.maxLine,
      s('g', { 'clip-path': 'url(#above-floor)' }, this.movable),
      // Outer leg tubes and feet, fixed to the floor.
      s('rect', { x: 49, y: 150, width: 16, height: FLOOR_Y - 150, class: 'leg' }),
      s('rect', { x: 175, y: 150, width: 16, height: FLOOR_Y - 150, class: 'leg' }),
      s('rect', { x: 34, y: FLOOR_Y - 4, width: 46, height: 6, rx: 2, class: 'leg' }),
      s('rect', { x: 160, y: FLOOR_Y - 4, width: 46, height: 6, rx: 2, class: 'leg' }),
      s('line', { x1: 0, x2: 240, y1: FLOOR_Y + 2, y2: FLOOR_Y + 2, class: 'floor' }),
      this.targetLine,
      this.arrow,
    );

    this.sitBtn.addEventListener('click', () => this.ctx?.actions.command({ posture: 'sitting' }));
    this.standBtn.addEventListener('click', () => this.ctx?.actions.command({ posture: 'standing' }));
    this.stopBtn.addEventListener('click', () => this.ctx?.actions.stop());
    const hold = { step: (dir: HoldDir) => this.holdStep(dir), release: () => this.ctx?.actions.stop() };
    this.upBtn = new HoldButton('▲ Up', 'btn-hold-up', 'up', hold);
    this.downBtn = new HoldButton('▼ Down', 'btn-hold-down', 'down', hold);
    this.slider.addEventListener('input', () => {
      this.sliderDirty = true;
      this.showSliderValue();
    });
    this.slider.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.go();
    });
    this.goBtn.addEventListener('click', () => this.go());

    this.el = h('section', { class: 'card desk-card', id: 'desk', 'aria-labelledby': 'desk-title' },
      h('h2', { id: 'desk-title' }, 'Desk'),
      h('div', { class: 'desk-grid' },
        this.drawing,
        h('div', { class: 'readouts' },
          this.height,
          h('dl', { class: 'facts' },
            h('dt', {}, 'Posture'), h('dd', {}, this.posture),
            h('dt', {}, 'Motion'), h('dd', {}, this.motion),
            h('dt', {}, 'Target'), h('dd', {}, this.target),
            h('dt', {}, 'Position'), h('dd', {}, this.position),
          ),
        ),
      ),
      h('div', { class: 'row controls', role: 'group', 'aria-label': 'Move the desk' }, this.sitBtn, this.standBtn, this.stopBtn),
      h('div', { class: 'row controls hold-row', role: 'group', 'aria-label': 'Hold to move' }, this.downBtn.el, this.upBtn.el),
      this.moveReason,
      h('h3', {}, 'Presets'),
      this.presets,
      h('div', { class: 'slider-row' },
        h('label', { for: 'height-slider' }, 'Height'),
        this.slider,
        this.sliderOut,
        this.goBtn,
      ),
      this.heightReason,
      this.presetEditor.el,
    );
  }

  /** One step of a held Up/Down button: a bounded go-to a little ahead of the desk. */
  private holdStep(dir: HoldDir): void {
    const st = this.ctx?.entry?.state;
    if (!st || st.height_mm === null) return;
    const target = holdTarget(st.height_mm, dir, st.min_height_mm, st.max_height_mm);
    if (target !== null) this.ctx?.actions.command({ height_mm: target });
  }

  private go(): void {
    const mm = Number(this.slider.value);
    this.sliderDirty = false;
    this.ctx?.actions.command({ height_mm: mm });
  }

  private showSliderValue(): void {
    setText(this.sliderOut, this.ctx ? this.ctx.fmt.heightMm(Number(this.slider.value)) : this.slider.value);
  }

  private y(mm: number): number {
    return FLOOR_Y - ((FLOOR_Y - TOP_Y) * mm) / this.scaleMax;
  }

  update(ctx: Ctx): void {
    this.ctx = ctx;
    const st = ctx.entry?.state ?? null;
    const fmt = ctx.fmt;
    const move = moveRule(ctx.controls);
    const height = heightRule(ctx.controls);
    const heightMove = move.enabled ? height : move;
    applyRule(this.sitBtn, move);
    applyRule(this.standBtn, move);
    applyRule(this.stopBtn, stopRule(ctx.controls));
    applyRule(this.goBtn, heightMove);
    applyRule(this.slider, height);
    this.presetEditor.update(ctx);
    this.upBtn.setEnabled(heightMove.enabled, heightMove.reason);
    this.downBtn.setEnabled(heightMove.enabled, heightMove.reason);
    setText(this.moveReason, move.reason);
    setText(this.heightReason, move.enabled && !height.enabled ? height.reason : '');
    if (!st) {
      setText(this.height, '—');
      setText(this.motion, '—');
      setText(this.posture, '—');
      setText(this.target, '—');
      setText(this.position, '—');
      setAttr(this.height, 'data-height-mm', null);
      return;
    }
    setText(this.height, fmt.heightWithin(st.height_mm, st.height_uncertainty_mm));
    setAttr(this.height, 'data-height-mm', st.height_mm === null ? null : String(st.height_mm));
    setText(this.motion, st.motion === 'up' ? 'moving up' : st.motion === 'down' ? 'moving down' : 'stopped');
    setAttr(this.motion, 'data-motion', st.motion);
    setText(this.posture, st.posture);
    setAttr(this.posture, 'data-posture', st.posture);
    setText(this.target, st.target_mm === null ? '—' : fmt.heightMm(st.target_mm));
    setText(this.position, st.position === null ? '—' : fmt.percent(st.position / 100));
    this.el.classList.toggle('is-moving', isMoving(st));

    // Drawing.
    this.scaleMax = Math.max(1400, st.max_height_mm + 100);
    const hmm = st.height_mm ?? st.sit_height_mm;
    this.movable.style.transform = `translateY(${this.y(hmm).toFixed(1)}px)`;
    this.movable.classList.toggle('unknown', st.height_mm === null);
    for (const [line, mm] of [[this.minLine, st.min_height_mm], [this.maxLine, st.max_height_mm]] as const) {
      setAttr(line, 'y1', this.y(mm).toFixed(1));
      setAttr(line, 'y2', this.y(mm).toFixed(1));
    }
    if (st.target_mm !== null) {
      setAttr(this.targetLine, 'y1', this.y(st.target_mm).toFixed(1));
      setAttr(this.targetLine, 'y2', this.y(st.target_mm).toFixed(1));
      setAttr(this.targetLine, 'visibility', 'visible');
    } else {
      setAttr(this.targetLine, 'visibility', 'hidden');
    }
    setText(this.arrow, st.motion === 'up' ? '▲' : st.motion === 'down' ? '▼' : '');

    // Slider bounded by the desk's limits; follows the desk unless the user is choosing.
    setAttr(this.slider, 'min', String(st.min_height_mm));
    setAttr(this.slider, 'max', String(st.max_height_mm));
    if (!this.sliderDirty && document.activeElement !== this.slider && st.height_mm !== null) {
      this.slider.value = String(st.height_mm);
    }
    this.showSliderValue();

    // Presets: sit and stand first, then the named ones.
    const entries: Array<[string, number, Record<string, unknown>]> = [
      ['sit', st.sit_height_mm, { posture: 'sitting' }],
      ['stand', st.stand_height_mm, { posture: 'standing' }],
      ...Object.entries(st.presets)
        .filter(([n]) => n !== 'sit' && n !== 'stand')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([n, mm]): [string, number, Record<string, unknown>] => [n, mm, { preset: n }]),
    ];
    const key = JSON.stringify(entries) + fmt.locale + fmt.units;
    if (key !== this.presetKey) {
      this.presetKey = key;
      clear(this.presets);
      for (const [name, mm, body] of entries) {
        const b = h('button', { type: 'button', class: 'btn chip', 'data-testid': `preset-${name}` },
          h('span', {}, name), h('span', { class: 'muted' }, fmt.heightMm(mm)));
        b.addEventListener('click', () => this.ctx?.actions.command(body));
        this.presets.append(b);
      }
    }
    for (const b of this.presets.querySelectorAll('button')) applyRule(b, move);
  }
}
