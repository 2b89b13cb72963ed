// Broker login, shown when the broker refuses an anonymous (or wrong) login.
import type { Ctx } from './context';
import { h, setText, show } from './dom';

export class LoginView {
  readonly el: HTMLElement;
  private readonly user = h('input', { id: 'login-user', name: 'username', type: 'text', autocomplete: 'username', required: true, 'data-testid': 'login-user' });
  private readonly pass = h('input', { id: 'login-pass', name: 'password', type: 'password', autocomplete: 'current-password', 'data-testid': 'login-pass' });
  private readonly msg = h('p', { role: 'alert', class: 'form-error', 'data-testid': 'login-error' });
  private ctx: Ctx | null = null;

  constructor() {
    const form = h('form', { class: 'login', 'data-testid': 'login-form' },
      h('p', {}, 'The MQTT broker needs a user name and password.'),
      h('div', { class: 'field' }, h('label', { for: 'login-user' }, 'User name'), this.user),
      h('div', { class: 'field' }, h('label', { for: 'login-pass' }, 'Password'), this.pass),
      this.msg,
      h('button', { type: 'submit', class: 'btn primary', 'data-testid': 'login-submit' }, 'Log in'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      setText(this.msg, '');
      this.ctx?.actions.login({ username: this.user.value.trim(), password: this.pass.value });
    });
    this.el = h('section', { class: 'card login-card', id: 'login', 'aria-labelledby': 'login-title', hidden: true },
      h('h2', { id: 'login-title' }, 'Log in to the broker'), form);
  }

  update(ctx: Ctx): void {
    const wasHidden = this.el.hidden;
    this.ctx = ctx;
    const needed = ctx.conn === 'auth_required' || ctx.conn === 'auth_failed';
    show(this.el, needed);
    if (ctx.conn === 'auth_failed') setText(this.msg, `Login refused: ${ctx.connDetail || 'wrong user name or password'}`);
    if (needed && wasHidden) this.user.focus();
  }
}
