/**
 * core/shell.js — the top bar: brand, navigation (from the registered screens), who is signed
 * in, the language switch and sign-out. Re-drawn on every route and language change.
 */

import { h, clear } from './dom.js';
import { locale, registerStrings, setLocale, t } from './i18n.js';
import { currentPath, navigate, screens } from './router.js';
import { clearToken, hasRole, me } from './session.js';

registerStrings({
  en: {
    'app.name': 'carecycle',
    'nav.label': 'Main',
    'nav.inbox': 'Inbox',
    'nav.listening': 'Listening',
    'nav.calendar': 'Calendar',
    'nav.reports': 'Reports',
    'nav.settings': 'Settings',
    'shell.language': 'Language',
    'shell.signout': 'Sign out',
    'shell.signedin': '{name} ({role})',
    'shell.skip': 'Skip to content',
  },
  fa: {
    'app.name': 'کرسایکل',
    'nav.label': 'اصلی',
    'nav.inbox': 'صندوق',
    'nav.listening': 'پایش',
    'nav.calendar': 'تقویم',
    'nav.reports': 'گزارش‌ها',
    'nav.settings': 'تنظیمات',
    'shell.language': 'زبان',
    'shell.signout': 'خروج',
    'shell.signedin': '{name} ({role})',
    'shell.skip': 'پرش به محتوا',
  },
});

export function drawShell(bar) {
  clear(bar);
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('shell.skip');
  const path = currentPath();
  const who = me();
  bar.appendChild(h('a', { class: 'brand', href: '#/inbox' }, t('app.name')));
  if (who) {
    const links = screens()
      .filter((s) => hasRole(s.role || 'agent'))
      .map((s) => {
        const href = `#${s.route}`;
        const active = path === s.route || path.startsWith(`${s.route}/`) ||
          (s.nav === 'inbox' && path.startsWith('/tickets/'));
        return h(
          'li',
          {},
          h('a', { href, class: 'nav-link', 'aria-current': active ? 'page' : false }, t(`nav.${s.nav}`)),
        );
      });
    bar.appendChild(h('nav', { class: 'nav', 'aria-label': t('nav.label') }, h('ul', {}, links)));
  }
  const tools = h('div', { class: 'topbar-tools' });
  const other = locale() === 'fa' ? 'en' : 'fa';
  tools.appendChild(
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-quiet lang-switch',
        lang: other,
        'aria-label': `${t('shell.language')}: ${other === 'fa' ? 'فارسی' : 'English'}`,
        on: { click: () => setLocale(other) },
      },
      other === 'fa' ? 'فارسی' : 'English',
    ),
  );
  if (who) {
    tools.appendChild(
      h('span', { class: 'whoami', dir: 'auto' }, t('shell.signedin', { name: who.name, role: t(`role.${who.role}`) })),
    );
    tools.appendChild(
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-quiet',
          on: {
            click: () => {
              clearToken();
              navigate('/signin');
            },
          },
        },
        t('shell.signout'),
      ),
    );
  }
  bar.appendChild(tools);
}
