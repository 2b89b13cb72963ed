// Every desk under the base topic, with its state; choosing one makes it the page's desk.
import type { Ctx } from './context';
import { clear, h, setText } from './dom';

export class FleetView {
  readonly el: HTMLElement;
  private readonly body = h('tbody', {});
  private readonly count = h('span', { class: 'muted', 'data-testid': 'fleet-count' });
  private key = '';
  private ctx: Ctx | null = null;
  private lastBuild = -Infinity;
  private trailing: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.el = h('section', { class: 'card wide', id: 'fleet', 'aria-labelledby': 'fleet-title' },
      h('div', { class: 'row spread' }, h('h2', { id: 'fleet-title' }, 'Fleet'), this.count),
      h('div', { class: 'table-scroll' },
        h('table', { 'data-testid': 'fleet' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Desk'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Height'),
            h('th', { scope: 'col' }, 'Posture'),
            h('th', { scope: 'col' }, 'Schedule'),
            h('th', { scope: 'col' }, 'Today sit / stand'),
            h('th', { scope: 'col' }, 'Fault'))),
          this.body)),
    );
  }

  update(ctx: Ctx): void {
    this.ctx = ctx;
    const fmt = ctx.fmt;
    const rows = ctx.store.ids().map((id) => {
      const e = ctx.store.get(id)!;
      const st = e.state;
      return {
        id,
        status: e.availability,
        height: st ? fmt.heightMm(st.height_mm) : '—',
        motion: st?.motion ?? 'stopped',
        posture: st?.posture ?? '—',
        phase: st ? st.phase.replace('_', ' ') : '—',
        today: st ? `${fmt.duration(st.sit_today_s)} / ${fmt.duration(st.stand_today_s)}` : '—',
        fault: st && st.fault !== 'none' ? st.fault : '',
      };
    });
    const key = JSON.stringify(rows) + ctx.deskId;
    if (key === this.key) return;
    // Rebuilding the table is the costly part: at most 4 times a second, the last state wins.
    const wait = this.lastBuild + 250 - performance.now();
    if (wait > 0) {
      clearTimeout(this.trailing);
      this.trailing = setTimeout(() => this.ctx && this.update(this.ctx), wait);
      return;
    }
    this.lastBuild = performance.now();
    this.key = key;
    setText(this.count, `${fmt.number(rows.length)} ${rows.length === 1 ? 'desk' : 'desks'}`);
    clear(this.body);
    for (const r of rows) {
      const selected = r.id === ctx.deskId;
      const btn = h('button', { type: 'button', class: 'link', 'aria-current': selected ? 'true' : undefined, 'data-testid': `fleet-open-${r.id}` }, r.id);
      btn.addEventListener('click', () => this.ctx?.actions.selectDesk(r.id));
      this.body.append(h('tr', { 'data-testid': 'fleet-row', 'data-desk-id': r.id, class: selected ? 'selected' : undefined },
        h('th', { scope: 'row' }, btn),
        h('td', {}, h('span', { class: `pill ${r.status}`, 'data-testid': 'fleet-status' }, r.status)),
        h('td', { 'data-testid': 'fleet-height' }, r.height, r.motion !== 'stopped' ? (r.motion === 'up' ? ' ▲' : ' ▼') : ''),
        h('td', { 'data-testid': 'fleet-posture' }, r.posture),
        h('td', {}, r.phase),
        h('td', {}, r.today),
        h('td', { class: r.fault ? 'fault' : undefined }, r.fault || '—')));
    }
    if (rows.length === 0) {
      this.body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No desk has announced itself under this base topic yet.')));
    }
  }
}
