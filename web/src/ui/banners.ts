// Connection state, fault, calibration and break banners above the cards.
import { faultGuide, stepsText } from '../fault_guide';
import type { Ctx } from './context';
import { h, setDisabled, setText, show } from './dom';

export class Banners {
  readonly el: HTMLElement;
  private readonly broker = h('div', { class: 'banner warn', role: 'alert', 'data-testid': 'banner-broker', hidden: true });
  private readonly offline = h('div', { class: 'banner warn', role: 'alert', 'data-testid': 'banner-offline', hidden: true });
  private readonly faultText = h('strong', { 'data-testid': 'fault-text' });
  private readonly faultCheck = h('span', { 'data-testid': 'fault-check' });
  private readonly faultDetail = h('small', { class: 'muted', 'data-testid': 'fault-detail' });
  private readonly clearBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-clear-fault' }, 'Clear fault');
  private readonly calibrateBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-calibrate' }, 'Calibrate');
  private readonly fault = h('div', { class: 'banner error', role: 'alert', 'data-testid': 'fault-banner', hidden: true },
    h('span', { class: 'fault-words' }, this.faultText, ' ', this.faultCheck, ' ', this.faultDetail),
    h('span', { class: 'row' }, this.clearBtn, this.calibrateBtn));
  private readonly uncalText = h('span', {}, 'Position unknown: no automatic moves until the desk is calibrated.');
  private readonly uncalBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-calibrate-uncal' }, 'Calibrate');
  private readonly uncal = h('div', { class: 'banner warn', role: 'status', 'data-testid': 'calibrate-banner', hidden: true }, this.uncalText, this.uncalBtn);
  private readonly breakBanner = h('div', { class: 'banner info', role: 'status', 'data-testid': 'break-banner', hidden: true },
    'Time for a short walk: your movement break is due.');
  private readonly noData = h('div', { class: 'banner info', role: 'status', 'data-testid': 'banner-nodata', hidden: true });
  private waitingSince: number | null = null;
  private readonly commandError = h('div', { class: 'banner error', role: 'alert', 'data-testid': 'command-error', hidden: true });
  private readonly fatalText = h('span', { 'data-testid': 'fatal-text' });
  private readonly reloadBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'btn-reload' }, 'Reload');
  private readonly fatal = h('div', { class: 'banner error', role: 'alert', 'data-testid': 'fatal-banner', hidden: true },
    this.fatalText, this.reloadBtn);
  private errorTimer: ReturnType<typeof setTimeout> | undefined;
  private ctx: Ctx | null = null;

  constructor() {
    this.clearBtn.addEventListener('click', () => this.ctx?.actions.command({ action: 'clear_fault' }));
    this.calibrateBtn.addEventListener('click', () => this.ctx?.actions.command({ action: 'calibrate' }));
    this.uncalBtn.addEventListener('click', () => this.ctx?.actions.command({ action: 'calibrate' }));
    this.reloadBtn.addEventListener('click', () => location.reload());
    this.el = h('div', { class: 'banners' }, this.fatal, this.broker, this.offline, this.noData, this.fault, this.uncal, this.breakBanner, this.commandError);
  }

  /** Shows why the page cannot work (it stays, with a Reload button). */
  showFatal(text: string): void {
    setText(this.fatalText, text);
    show(this.fatal, true);
  }

  /** Shows a rejected command or request for a few seconds. */
  showError(text: string): void {
    setText(this.commandError, text);
    show(this.commandError, true);
    clearTimeout(this.errorTimer);
    this.errorTimer = setTimeout(() => show(this.commandError, false), 8000);
  }

  update(ctx: Ctx): void {
    this.ctx = ctx;
    const e = ctx.entry;
    const st = e?.state ?? null;
    const brokerDown = ctx.conn === 'reconnecting' || ctx.conn === 'disconnected';
    show(this.broker, brokerDown);
    if (brokerDown) {
      setText(this.broker, ctx.bridgeNotice
        ? `Cannot connect: ${ctx.bridgeNotice}`
        : 'Broker disconnected: trying to reconnect… The values below may be out of date.');
    }
    const offline = ctx.brokerUp && e?.availability === 'offline';
    show(this.offline, offline);
    if (offline) setText(this.offline, `Desk "${ctx.deskId}" is offline: deskd is not running or lost its broker connection.`);
    // Connected but nothing from the chosen desk for 2 s: say so instead of showing dashes.
    const waiting = ctx.brokerUp && !e?.state;
    this.waitingSince = waiting ? (this.waitingSince ?? ctx.now) : null;
    show(this.noData, waiting && ctx.now - (this.waitingSince ?? ctx.now) >= 2000);
    if (waiting) {
      setText(this.noData, ctx.deskId
        ? `No data from desk "${ctx.deskId}" yet: is its deskd running and connected to this broker?`
        : 'No desk has announced itself under this base topic yet.');
    }
    const faulted = st !== null && st.fault !== 'none';
    show(this.fault, faulted);
    if (st && faulted) {
      const guide = faultGuide(st.fault, st.calibrated);
      setText(this.faultText, `${guide.what} The desk stays stopped until the fault is cleared.`);
      setText(this.faultCheck, `${guide.check} ${stepsText(guide.steps)}`);
      setText(this.faultDetail, `(${st.fault}${st.fault_detail ? `: ${st.fault_detail}` : ''})`);
      show(this.calibrateBtn, guide.steps.includes('calibrate'));
      setDisabled(this.clearBtn, !ctx.deskReachable);
      setDisabled(this.calibrateBtn, !ctx.deskReachable);
    }
    show(this.uncal, st !== null && !faulted && !st.calibrated);
    setDisabled(this.uncalBtn, !ctx.deskReachable);
    show(this.breakBanner, st !== null && st.break_due);
  }
}
