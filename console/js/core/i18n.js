/**
 * core/i18n.js — the interface's two languages. Persian (RTL) is the default.
 *
 * Contract (stable):
 *   export function t(key, vars) -> string        // '{name}' placeholders filled from vars;
 *                                                 // numbers in vars are shown in the locale's digits
 *   export function registerStrings({fa: {...}, en: {...}})   // screens add their own keys
 *   export function locale() -> 'fa' | 'en'
 *   export function setLocale(l)                  // remembered (localStorage), sets <html lang dir>,
 *                                                 // fires 'carecycle:locale' on window (the router
 *                                                 // re-renders the current screen)
 *   export function dir() -> 'rtl' | 'ltr'
 *
 * A missing key falls back to English, then to the key itself (visible, never a crash).
 */

const LOCALE_KEY = 'carecycle.locale';
const strings = { fa: {}, en: {} };
let current = initial();

function initial() {
  try {
    const saved = localStorage.getItem(LOCALE_KEY);
    if (saved === 'fa' || saved === 'en') return saved;
  } catch {
    /* storage unavailable */
  }
  return 'fa';
}

export function registerStrings(table) {
  for (const lang of Object.keys(table)) {
    strings[lang] = { ...(strings[lang] || {}), ...table[lang] };
  }
}

export function locale() {
  return current;
}

export function dir() {
  return current === 'fa' ? 'rtl' : 'ltr';
}

export function applyLocale() {
  document.documentElement.lang = current;
  document.documentElement.dir = dir();
}

export function setLocale(value) {
  if (value !== 'fa' && value !== 'en') return;
  current = value;
  try {
    localStorage.setItem(LOCALE_KEY, value);
  } catch {
    /* not remembered, still applied */
  }
  applyLocale();
  window.dispatchEvent(new CustomEvent('carecycle:locale', { detail: value }));
}

const numberFormats = {};

function localNumber(value) {
  const tag = current === 'fa' ? 'fa-IR' : 'en-US';
  numberFormats[tag] ||= new Intl.NumberFormat(tag, { maximumFractionDigits: 2 });
  return numberFormats[tag].format(value);
}

export function t(key, vars) {
  const template = strings[current][key] ?? strings.en[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in vars)) return whole;
    const value = vars[name];
    return typeof value === 'number' ? localNumber(value) : String(value);
  });
}
