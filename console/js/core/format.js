/**
 * core/format.js — dates, times, numbers and durations, always in the brand's time zone.
 *
 * Contract (stable):
 *   export function brandZone() -> 'Asia/Tehran'                 (config.json brand_zone)
 *   export function formatDateTime(iso, {zone=true, seconds=false, calendar}={}) -> string
 *       Persian: Solar Hijri (Jalali) calendar with Persian digits; English: Gregorian.
 *       With zone, the zone's name follows the time ("… (Asia/Tehran)").
 *   export function formatDate(iso, {calendar}={})  -> string (no time, no zone)
 *   export function formatTime(iso, {zone=true, seconds=false}={}) -> string
 *   export function formatGregorian(iso) -> string  (always Gregorian, with zone: title text)
 *   export function formatNumber(n, opts) -> string (Persian digits in fa)
 *   export function formatDuration(seconds) -> '2h 05m' / '۲ ساعت ۵ دقیقه' (absolute value)
 *   export function formatRelative(iso) -> 'in 5 minutes' / '۵ دقیقه دیگر'
 *   export function timeElement(iso, opts) -> <time datetime title=Gregorian> showing
 *       formatDateTime(iso, opts): where a Jalali date is shown, the Gregorian is on hover.
 *   export function zonedParts(iso) -> {year, month, day, hour, minute, weekday} in the brand
 *       zone, Gregorian numbers (for calendars and grids)
 * `calendar`: 'persian' | 'gregory'; defaults to persian in fa, gregory in en.
 */

import { config } from './config.js';
import { h } from './dom.js';
import { locale } from './i18n.js';

const cache = new Map();

function fmt(tag, options) {
  const key = tag + JSON.stringify(options);
  if (!cache.has(key)) cache.set(key, new Intl.DateTimeFormat(tag, options));
  return cache.get(key);
}

function tagFor(calendar) {
  const fa = locale() === 'fa';
  const cal = calendar || (fa ? 'persian' : 'gregory');
  if (fa) return cal === 'persian' ? 'fa-IR-u-ca-persian' : 'fa-IR-u-ca-gregory';
  return cal === 'persian' ? 'en-GB-u-ca-persian' : 'en-GB-u-ca-gregory';
}

export function brandZone() {
  try {
    return config().brand_zone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function toDate(iso) {
  if (iso instanceof Date) return iso;
  if (iso === null || iso === undefined || iso === '') return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function withZone(text, zone) {
  return zone ? `${text} (${brandZone()})` : text;
}

export function formatDateTime(iso, { zone = true, seconds = false, calendar } = {}) {
  const date = toDate(iso);
  if (!date) return '—';
  const options = {
    timeZone: brandZone(),
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  if (seconds) options.second = '2-digit';
  return withZone(fmt(tagFor(calendar), options).format(date), zone);
}

export function formatDate(iso, { calendar, month = 'short' } = {}) {
  const date = toDate(iso);
  if (!date) return '—';
  return fmt(tagFor(calendar), {
    timeZone: brandZone(),
    year: 'numeric',
    month,
    day: 'numeric',
  }).format(date);
}

export function formatTime(iso, { zone = true, seconds = false } = {}) {
  const date = toDate(iso);
  if (!date) return '—';
  const options = { timeZone: brandZone(), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (seconds) options.second = '2-digit';
  return withZone(fmt(tagFor(), options).format(date), zone);
}

export function formatGregorian(iso) {
  const date = toDate(iso);
  if (!date) return '';
  const options = {
    timeZone: brandZone(),
    dateStyle: 'full',
    timeStyle: 'short',
  };
  const tag = locale() === 'fa' ? 'fa-IR-u-ca-gregory' : 'en-GB-u-ca-gregory';
  return withZone(fmt(tag, options).format(date), true);
}

export function timeElement(iso, opts = {}) {
  const date = toDate(iso);
  return h(
    'time',
    { datetime: date ? date.toISOString() : '', title: formatGregorian(iso) },
    formatDateTime(iso, opts),
  );
}

export function zonedParts(iso) {
  const date = toDate(iso);
  if (!date) return null;
  const parts = fmt('en-US-u-ca-gregory', {
    timeZone: brandZone(),
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type)?.value;
  const days = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')) % 24,
    minute: Number(get('minute')),
    weekday: days[get('weekday')],
  };
}

const numbers = new Map();

export function formatNumber(value, opts = {}) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  const tag = locale() === 'fa' ? 'fa-IR' : 'en-US';
  const key = tag + JSON.stringify(opts);
  if (!numbers.has(key)) numbers.set(key, new Intl.NumberFormat(tag, opts));
  return numbers.get(key).format(Number(value));
}

const UNITS = {
  fa: { d: 'روز', h: 'ساعت', m: 'دقیقه', s: 'ثانیه', sep: ' ' },
  en: { d: 'd', h: 'h', m: 'm', s: 's', sep: '' },
};

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return '—';
  let rest = Math.floor(Math.abs(Number(seconds)));
  const u = UNITS[locale()] || UNITS.en;
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  const pad = (n) => (u.sep ? formatNumber(n) : formatNumber(n, { minimumIntegerDigits: 2 }));
  const part = (n, unit, padded) => `${padded ? pad(n) : formatNumber(n)}${u.sep}${unit}`;
  if (days) return `${part(days, u.d)} ${part(hours, u.h)}`;
  if (hours) return `${part(hours, u.h)} ${part(minutes, u.m, true)}`;
  if (minutes) return `${part(minutes, u.m)} ${part(secs, u.s, true)}`;
  return part(secs, u.s);
}

export function formatRelative(iso) {
  const date = toDate(iso);
  if (!date) return '—';
  const diff = (date.getTime() - Date.now()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale() === 'fa' ? 'fa-IR' : 'en', { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs < 60) return rtf.format(Math.round(diff), 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86400), 'day');
}
