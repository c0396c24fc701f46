/**
 * core/router.js — hash routes and the screen registry.
 *
 * Contract (stable):
 *   export function registerScreen({route, nav, titleKey, render, role})
 *       route: '/inbox' or with params '/tickets/:id'; nav: a nav key ('inbox', 'calendar',
 *       'listening', 'reports', 'settings') or null (not in the top bar; label = t('nav.<key>'));
 *       titleKey: i18n key of the document title; role: minimum role to see it (default agent);
 *       early: true renders before GET /me has answered (me() may still be null; the inbox
 *       uses it to overlap its first page with /me), else the screen renders after it;
 *       render(root, params, query) -> optional cleanup fn (called when leaving the screen, and
 *       before a re-render when the language changes). `root` is an empty <div> in <main>.
 *   export function navigate(path)       // '#/tickets/T1' style, without the '#'
 *   export function currentPath() -> '/tickets/T1'
 *   export function screens() -> registered screens in nav order
 *   export function start(root, {guard}) // main.js only
 *   export function rerender()           // re-run the current screen (e.g. after sign-in)
 * Screens register at import time; main.js imports them (one import per line, alphabetical).
 * A URL query after the path ('#/inbox?tab=mine') is passed to render as a URLSearchParams.
 */

const NAV_ORDER = ['inbox', 'listening', 'calendar', 'reports', 'settings'];
const registry = [];
let mount = null;
let guardFn = null;
let cleanup = null;
let renderToken = 0;
let readyFn = null;

function compile(route) {
  const names = [];
  const pattern = route.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${pattern}$`), names };
}

export function registerScreen(screen) {
  if (!screen || !screen.route || typeof screen.render !== 'function') {
    throw new Error('registerScreen needs {route, render}');
  }
  registry.push({ nav: null, role: 'agent', ...screen, ...compile(screen.route) });
}

export function screens() {
  const rank = (s) => {
    const i = NAV_ORDER.indexOf(s.nav);
    return i === -1 ? NAV_ORDER.length : i;
  };
  return registry.filter((s) => s.nav).sort((a, b) => rank(a) - rank(b));
}

export function currentPath() {
  const raw = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  return raw.split('?')[0] || '/';
}

function currentQuery() {
  const raw = location.hash.replace(/^#/, '');
  const at = raw.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : raw.slice(at + 1));
}

export function navigate(path) {
  const target = `#${path}`;
  if (location.hash === target) rerender();
  else location.hash = target;
}

function match(path) {
  for (const screen of registry) {
    const found = screen.regex.exec(path);
    if (found) {
      const params = {};
      screen.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1]);
      });
      return { screen, params };
    }
  }
  return null;
}

export function rerender() {
  if (!mount) return;
  const token = ++renderToken;
  if (typeof cleanup === 'function') {
    try {
      cleanup();
    } catch (err) {
      console.error(err);
    }
  }
  cleanup = null;
  let path = currentPath();
  if (guardFn) {
    const redirect = guardFn(path);
    if (redirect && redirect !== path) {
      location.replace(`#${redirect}`);
      return;
    }
  }
  let found = match(path);
  if (!found) {
    path = '/inbox';
    found = match(path);
    if (!found) return;
  }
  if (readyFn && !found.screen.early) {
    const gate = readyFn();
    if (gate) {
      gate.then(() => {
        if (token === renderToken) show(found, token);
      });
      return;
    }
  }
  show(found, token);
}

function show(found, token) {
  const root = document.createElement('div');
  root.className = 'screen';
  root.dataset.screen = found.screen.route;
  while (mount.firstChild) mount.removeChild(mount.firstChild);
  mount.appendChild(root);
  window.dispatchEvent(new CustomEvent('carecycle:route', { detail: found.screen }));
  const result = found.screen.render(root, found.params, currentQuery());
  if (result && typeof result.then === 'function') {
    result.then((fn) => {
      if (token === renderToken) cleanup = fn;
      else if (typeof fn === 'function') fn();
    });
  } else {
    cleanup = result;
  }
}

export function start(root, { guard, ready } = {}) {
  mount = root;
  guardFn = guard || null;
  readyFn = ready || null;
  window.addEventListener('hashchange', () => {
    rerender();
    window.scrollTo(0, 0);
  });
  window.addEventListener('carecycle:locale', rerender);
  rerender();
}
