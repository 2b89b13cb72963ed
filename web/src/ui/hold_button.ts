// A hold-to-move button: steps while pressed (pointer, or Space/Enter held), and ends the hold on
// release, pointer-cancel, lost pointer capture, losing focus, and the page being hidden.
import { HOLD_REPEAT_MS, type HoldDir } from '../hold_step';
import { h } from './dom';

export interface HoldHandlers {
  /** Called at the press and every HOLD_REPEAT_MS while held. */
  step(dir: HoldDir): void;
  /** Called once when the hold ends, however it ends. */
  release(): void;
}

export class HoldButton {
  readonly el: HTMLButtonElement;
  private timer: ReturnType<typeof setInterval> | undefined;
  private holding = false;

  constructor(label: string, testId: string, private readonly dir: HoldDir, private readonly handlers: HoldHandlers) {
    this.el = h('button', { type: 'button', class: 'btn hold', 'data-testid': testId, 'aria-label': `${label} (hold to move)` }, label);
    this.el.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      this.el.focus();
      try {
        this.el.setPointerCapture(e.pointerId);
      } catch {
        // a synthetic pointer: no capture, the other ends still apply
      }
      this.start();
    });
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture', 'blur'] as const) {
      this.el.addEventListener(type, () => this.end());
    }
    this.el.addEventListener('keydown', (e) => {
      if ((e.key === ' ' || e.key === 'Enter') && !e.repeat) {
        e.preventDefault();
        this.start();
      }
    });
    this.el.addEventListener('keyup', (e) => {
      if (e.key === ' ' || e.key === 'Enter') this.end();
    });
    this.el.addEventListener('contextmenu', (e) => e.preventDefault());
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) this.end();
    });
  }

  /** Disables the button (ending a hold) with `reason` as its tooltip. */
  setEnabled(enabled: boolean, reason: string): void {
    if (!enabled) this.end();
    if (this.el.disabled !== !enabled) this.el.disabled = !enabled;
    if (reason) this.el.title = reason;
    else this.el.removeAttribute('title');
  }

  private start(): void {
    if (this.holding || this.el.disabled) return;
    this.holding = true;
    this.el.setAttribute('aria-pressed', 'true');
    this.handlers.step(this.dir);
    this.timer = setInterval(() => this.handlers.step(this.dir), HOLD_REPEAT_MS);
  }

  private end(): void {
    if (!this.holding) return;
    this.holding = false;
    this.el.removeAttribute('aria-pressed');
    clearInterval(this.timer);
    this.handlers.release();
  }
}
