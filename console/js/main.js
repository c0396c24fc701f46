/**
 * main.js — boots the console: loads config.json, applies the language, restores the session
 * (GET /me with the token kept in sessionStorage), then starts the hash router.
 *
 * Screens register themselves when imported. Keep this list one import per line, alphabetical
 * (two people add to it; that keeps merges clean).
 */

import './screens/calendar.js';
import './screens/inbox.js';
import './screens/listening.js';
import './screens/reports.js';
import './screens/settings.js';
import './screens/signin.js';
import './screens/ticket.js';

import { api } from './core/api.js';
import { loadConfig } from './core/config.js';
import { h } from './core/dom.js';
import { applyLocale, t } from './core/i18n.js';
import { currentPath, navigate, rerender, start } from './core/router.js';
import { clearToken, getToken, me, setMe, setMeReady } from './core/session.js';
import { drawShell } from './core/shell.js';

const PUBLIC_ROUTES = new Set(['/signin']);

function guard(path) {
  if (!getToken()) return PUBLIC_ROUTES.has(path) ? null : '/signin';
  if (path === '/signin' || path === '/') return '/inbox';
  return null;
}

let restoring = null;

function restoreSession() {
  // GET /me runs while the first screen starts: the inbox (early) fetches its first page at
  // the same time instead of after it.
  if (!getToken() || me()) return null;
  restoring = api('/me')
    .then((who) => setMe(who))
    .catch(() => {
      clearToken();
      setMe(null);
      if (currentPath() !== '/signin') navigate('/signin');
    })
    .finally(() => {
      restoring = null;
      drawShell(document.getElementById('topbar'));
    });
  setMeReady(restoring);
  return restoring;
}

async function boot() {
  applyLocale();
  const main = document.getElementById('main');
  const bar = document.getElementById('topbar');
  try {
    await loadConfig();
  } catch (err) {
    main.appendChild(h('p', { class: 'alert alert-error', role: 'alert' }, `config.json: ${err.message}`));
    return;
  }
  restoreSession();
  window.addEventListener('carecycle:route', (event) => {
    drawShell(bar);
    const key = event.detail && event.detail.titleKey;
    document.title = key ? `${t(key)} · ${t('app.name')}` : t('app.name');
  });
  window.addEventListener('carecycle:unauthorized', () => {
    setMe(null);
    if (currentPath() !== '/signin') navigate('/signin');
  });
  window.addEventListener('carecycle:signedin', () => rerender());
  start(main, { guard, ready: () => restoring || restoreSession() });
}

boot();
