/**
 * screens/signin.js — paste the personal token an admin issued (POST /tokens).
 *
 * The token is checked with GET /me before it is kept (sessionStorage only; never in the URL,
 * never logged). A wrong token stays on this screen with the reason.
 */

import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { registerStrings, t } from '../core/i18n.js';
import { navigate, registerScreen } from '../core/router.js';
import { setMe, setToken } from '../core/session.js';
import { busy, errorMessage, field } from '../core/ui.js';

registerStrings({
  en: {
    'signin.title': 'Sign in',
    'signin.intro': 'Paste the personal token an administrator gave you. It is kept only in this tab.',
    'signin.token': 'Access token',
    'signin.submit': 'Sign in',
    'signin.invalid': 'This token is not valid, has expired or was revoked.',
    'signin.empty': 'Paste your token first.',
  },
  fa: {
    'signin.title': 'ورود',
    'signin.intro': 'توکن شخصی‌ای را که مدیر سیستم به شما داده است این‌جا بچسبانید. فقط در همین زبانه نگه داشته می‌شود.',
    'signin.token': 'توکن دسترسی',
    'signin.submit': 'ورود',
    'signin.invalid': 'این توکن معتبر نیست، منقضی شده یا باطل شده است.',
    'signin.empty': 'اول توکن را بچسبانید.',
  },
});

registerScreen({
  route: '/signin',
  nav: null,
  titleKey: 'signin.title',
  render(root) {
    const input = h('input', {
      type: 'password',
      autocomplete: 'off',
      spellcheck: 'false',
      dir: 'ltr',
      required: true,
      class: 'input',
    });
    const error = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('signin.submit'));
    const form = h(
      'form',
      { class: 'card signin-card', novalidate: true, 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title' }, t('signin.title')),
      h('p', { class: 'muted' }, t('signin.intro')),
      field({ label: t('signin.token'), input, name: 'token' }),
      error,
      h('div', { class: 'actions' }, submit),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const token = input.value.trim();
      error.hidden = true;
      if (!token) {
        error.textContent = t('signin.empty');
        error.hidden = false;
        input.focus();
        return;
      }
      await busy(submit, async () => {
        try {
          const who = await api('/me', { headers: { Authorization: `Bearer ${token}` } });
          setToken(token);
          setMe(who);
          input.value = '';
          navigate('/inbox');
        } catch (err) {
          error.textContent = err.status === 401 ? t('signin.invalid') : errorMessage(err);
          error.hidden = false;
          input.focus();
        }
      });
    });
    root.appendChild(h('div', { class: 'signin' }, form));
    input.focus();
  },
});
