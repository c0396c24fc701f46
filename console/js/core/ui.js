/**
 * core/ui.js — the shared pieces every screen uses to talk to the person.
 *
 * Contract (stable):
 *   export function errorMessage(err) -> string   // the person's language, never raw JSON
 *   export function showError(err, {target}={}) -> string
 *       Shows errorMessage(err) in an alert banner (inside `target` when given, else at the top
 *       of the current screen) and returns it. Maps 0 (network), 401, 403 (names the missing
 *       role), 404, 409 (the ticket changed), 422 (each detail), 429, the API's 502 codes
 *       platform_retryable | platform_rejected | platform_outcome_unknown, 503.
 *   export function toast(msg, {kind='info'}={})   // polite live region, fades after ~4 s
 *   export function field({label, input, name, hint}) -> <div class="field"> with a <label>,
 *       the input (given `name` and an id), a hint and an error slot (aria-describedby wired)
 *   export function applyFieldErrors(form, details) -> details not matched to a field
 *       422 `details` [{field: 'body.text' | 'text', problem}] are put under the field whose
 *       name is the last path segment; call with [] to clear.
 *   export function loading(el) -> el     // replaces el's content with a busy indicator
 *   export function emptyState(text) -> Element
 *   export function button(label, onClick, {kind, type, attrs}={}) -> <button>
 *   export function busy(button, promiseFn) -> result   // disables the button while running
 */

import { clear, h, uid } from './dom.js';
import { registerStrings, t } from './i18n.js';

registerStrings({
  en: {
    'error.network': 'The server could not be reached. Check your connection and try again.',
    'error.401': 'Your session has ended. Sign in again.',
    'error.403': 'You do not have permission for this. It needs the {role} role.',
    'error.403.plain': 'You do not have permission for this.',
    'error.404': 'Not found. It may have been removed.',
    'error.409': 'This changed while you were working on it. Reload to see the current state.',
    'error.409.sent':
      'Your message was sent to the customer, but someone else changed the ticket meanwhile.',
    'error.422': 'Some fields need attention:',
    'error.429': 'Too many requests. Wait a moment and try again.',
    'error.platform_retryable':
      'The network did not accept the message right now. Nothing was sent; try again in a moment.',
    'error.platform_rejected': 'The network refused the message: {reason}',
    'error.platform_outcome_unknown':
      'The network did not answer in time. The message may have been sent: check the conversation before sending again.',
    'error.502': 'The network returned an error.',
    'error.503': 'The service is not configured or unavailable right now.',
    'error.generic': 'Something went wrong ({status}).',
    'error.dismiss': 'Dismiss',
    'role.agent': 'agent',
    'role.manager': 'manager',
    'role.admin': 'admin',
    loading: 'Loading…',
  },
  fa: {
    'error.network': 'ارتباط با سرور برقرار نشد. اتصال را بررسی کنید و دوباره تلاش کنید.',
    'error.401': 'نشست شما تمام شده است. دوباره وارد شوید.',
    'error.403': 'اجازهٔ این کار را ندارید. این کار نقش {role} لازم دارد.',
    'error.403.plain': 'اجازهٔ این کار را ندارید.',
    'error.404': 'پیدا نشد. شاید حذف شده باشد.',
    'error.409': 'این مورد هم‌زمان تغییر کرده است. برای دیدن وضعیت فعلی دوباره بارگذاری کنید.',
    'error.409.sent': 'پیام شما برای مشتری فرستاده شد، ولی هم‌زمان کس دیگری تیکت را تغییر داد.',
    'error.422': 'چند فیلد نیاز به اصلاح دارد:',
    'error.429': 'درخواست‌ها زیاد است. کمی صبر کنید و دوباره تلاش کنید.',
    'error.platform_retryable':
      'شبکه فعلاً پیام را نپذیرفت. چیزی فرستاده نشد؛ کمی بعد دوباره تلاش کنید.',
    'error.platform_rejected': 'شبکه پیام را رد کرد: {reason}',
    'error.platform_outcome_unknown':
      'شبکه به‌موقع پاسخ نداد. شاید پیام فرستاده شده باشد؛ پیش از ارسال دوباره گفتگو را بررسی کنید.',
    'error.502': 'شبکه خطا برگرداند.',
    'error.503': 'این سرویس پیکربندی نشده یا فعلاً در دسترس نیست.',
    'error.generic': 'مشکلی پیش آمد ({status}).',
    'error.dismiss': 'بستن',
    'role.agent': 'کارشناس',
    'role.manager': 'مدیر',
    'role.admin': 'مدیر سیستم',
    loading: 'در حال بارگذاری…',
  },
});

function missingRole(message) {
  const found = /needs the (\w+) role/.exec(message || '');
  return found ? found[1] : null;
}

export function errorMessage(err) {
  if (!err) return t('error.generic', { status: '?' });
  const status = err.status;
  if (status === undefined) return t('error.generic', { status: err.name || 'error' });
  if (status === 0) return t('error.network');
  if (status === 401) return t('error.401');
  if (status === 403) {
    const role = missingRole(err.message);
    return role ? t('error.403', { role: t(`role.${role}`) }) : t('error.403.plain');
  }
  if (status === 404) return t('error.404');
  if (status === 409) {
    const sent = (err.details || []).some((d) => d && d.message_sent);
    return sent ? t('error.409.sent') : t('error.409');
  }
  if (status === 422) {
    const lines = (err.details || []).map((d) => `${d.field}: ${d.problem}`);
    return [t('error.422'), ...lines].join(' ');
  }
  if (status === 429) return t('error.429');
  if (status === 502) {
    if (err.code === 'platform_rejected') {
      return t('error.platform_rejected', { reason: err.message || '' });
    }
    if (err.code === 'platform_retryable' || err.code === 'platform_outcome_unknown') {
      return t(`error.${err.code}`);
    }
    return t('error.502');
  }
  if (status === 503) return t('error.503');
  return t('error.generic', { status });
}

export function showError(err, { target } = {}) {
  if (err && err.name === 'AbortError') return '';
  const text = errorMessage(err);
  const host = target || document.querySelector('#main .screen') || document.body;
  const existing = host.querySelector(':scope > .alert[data-kind="error"]');
  if (existing) existing.remove();
  const banner = h(
    'div',
    { class: 'alert alert-error', role: 'alert', dataset: { kind: 'error', status: err?.status } },
    h('p', { class: 'alert-text' }, text),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-quiet alert-close',
        'aria-label': t('error.dismiss'),
        on: { click: () => banner.remove() },
      },
      '×',
    ),
  );
  host.prepend(banner);
  return text;
}

export function toast(msg, { kind = 'info' } = {}) {
  const region = document.getElementById('toasts');
  if (!region) return;
  const item = h('div', { class: ['toast', `toast-${kind}`] }, msg);
  region.appendChild(item);
  setTimeout(() => item.classList.add('toast-leaving'), 3600);
  setTimeout(() => item.remove(), 4200);
}

export function field({ label, input, name, hint }) {
  const id = input.id || uid(`f-${name || 'field'}`);
  input.id = id;
  if (name) input.name = name;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [hint ? hintId : null, errorId].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', described);
  return h(
    'div',
    { class: 'field', dataset: { field: name || '' } },
    h('label', { for: id, class: 'field-label' }, label),
    input,
    hint ? h('p', { class: 'field-hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

export function applyFieldErrors(form, details) {
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.textContent = '';
    slot.hidden = true;
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  const unmatched = [];
  for (const detail of details || []) {
    const path = String(detail.field || '').split('.');
    let matched = false;
    for (let i = path.length - 1; i >= 0 && !matched; i -= 1) {
      const name = path[i];
      if (!name || /^\d+$/.test(name)) continue;
      const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
      if (!input) continue;
      const slot = document.getElementById(`${input.id}-error`);
      if (slot) {
        slot.textContent = slot.textContent ? `${slot.textContent} ${detail.problem}` : detail.problem;
        slot.hidden = false;
      }
      input.setAttribute('aria-invalid', 'true');
      matched = true;
    }
    if (!matched) unmatched.push(detail);
  }
  return unmatched;
}

export function loading(el) {
  clear(el);
  el.setAttribute('aria-busy', 'true');
  el.appendChild(h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading')));
  return el;
}

export function doneLoading(el) {
  el.removeAttribute('aria-busy');
  const spinner = el.querySelector(':scope > .loading');
  if (spinner) spinner.remove();
  return el;
}

export function emptyState(text) {
  return h('div', { class: 'empty' }, h('p', {}, text));
}

export function button(label, onClick, { kind = 'secondary', type = 'button', attrs = {} } = {}) {
  const { class: extra, ...rest } = attrs;
  return h(
    'button',
    { ...rest, type, class: ['btn', `btn-${kind}`, extra], on: onClick ? { click: onClick } : undefined },
    label,
  );
}

export async function busy(btn, fn) {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}
