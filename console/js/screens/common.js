/**
 * screens/common.js — helpers shared by the calendar, listening, reports and settings screens.
 *
 *   NETWORKS, networkLabel(n)          the five publishing networks (+ labels in both languages)
 *   civil(y, m, d) -> Date             a calendar day as a UTC-noon Date (day arithmetic without
 *                                      DST surprises); civilOf(iso) -> that day in the brand zone
 *   addDays(day, n), isoDay(day)       'YYYY-MM-DD'
 *   jalaliParts(day) -> {year, month, day}   the Solar Hijri date of a civil day (Latin digits)
 *   zonedToUtc('YYYY-MM-DDTHH:MM') -> ISO UTC   a brand-zone wall time as an instant
 *   toLocalInput(iso) -> 'YYYY-MM-DDTHH:MM'     an instant as a brand-zone datetime-local value
 *   lines(text) -> [non-empty trimmed lines]    one item per line in textareas
 *   download(filename, text, type)     a Blob download (the token cannot go in a URL)
 *   chip(text, kind)                   a small labelled badge
 *
 * WHY civil days at UTC noon: a calendar grid is a sequence of the brand's days, not of instants;
 * noon keeps every day inside its own UTC date whatever the offset, and Intl formats it with
 * timeZone 'UTC' as exactly that day, in the Jalali or the Gregorian calendar.
 */

import { h } from '../core/dom.js';
import { brandZone, zonedParts } from '../core/format.js';
import { locale, registerStrings, t } from '../core/i18n.js';

export const NETWORKS = ['telegram', 'instagram', 'x', 'facebook', 'linkedin'];
export const PLATFORMS = ['telegram', 'instagram', 'x', 'facebook', 'linkedin', 'generic'];

registerStrings({
  en: {
    'net.telegram': 'Telegram',
    'net.instagram': 'Instagram',
    'net.x': 'X',
    'net.facebook': 'Facebook',
    'net.linkedin': 'LinkedIn',
    'net.generic': 'Other (generic)',
    'common.any': 'Any',
    'common.save': 'Save',
    'common.saved': 'Saved.',
    'common.cancel': 'Cancel',
    'common.close': 'Close',
    'common.delete': 'Delete',
    'common.edit': 'Edit',
    'common.new': 'New',
    'common.refresh': 'Refresh',
    'common.more': 'Load more',
    'common.yes': 'Yes',
    'common.no': 'No',
    'common.from': 'From',
    'common.to': 'To',
    'common.apply': 'Apply',
    'common.reset': 'Clear filters',
    'common.one_per_line': 'One per line.',
    'common.confirm_delete': 'Delete “{name}”? This cannot be undone.',
    'common.readonly': 'You can view this; changing it needs the manager role.',
  },
  fa: {
    'net.telegram': 'تلگرام',
    'net.instagram': 'اینستاگرام',
    'net.x': 'ایکس',
    'net.facebook': 'فیسبوک',
    'net.linkedin': 'لینکدین',
    'net.generic': 'سایر (عمومی)',
    'common.any': 'همه',
    'common.save': 'ذخیره',
    'common.saved': 'ذخیره شد.',
    'common.cancel': 'انصراف',
    'common.close': 'بستن',
    'common.delete': 'حذف',
    'common.edit': 'ویرایش',
    'common.new': 'جدید',
    'common.refresh': 'تازه‌سازی',
    'common.more': 'موارد بیشتر',
    'common.yes': 'بله',
    'common.no': 'خیر',
    'common.from': 'از',
    'common.to': 'تا',
    'common.apply': 'اعمال',
    'common.reset': 'پاک کردن فیلترها',
    'common.one_per_line': 'هر مورد در یک خط.',
    'common.confirm_delete': '«{name}» حذف شود؟ این کار برگشت‌پذیر نیست.',
    'common.readonly': 'می‌توانید ببینید؛ تغییر آن نقش مدیر لازم دارد.',
  },
});

export function networkLabel(network) {
  const key = `net.${network}`;
  const label = t(key);
  return label === key ? network : label;
}

export function civil(year, month, day) {
  return new Date(Date.UTC(year, month - 1, day, 12));
}

export function civilOf(iso) {
  const p = zonedParts(iso);
  return p ? civil(p.year, p.month, p.day) : null;
}

export function today() {
  return civilOf(new Date());
}

export function addDays(day, n) {
  return new Date(day.getTime() + n * 86400000);
}

export function isoDay(day) {
  return day.toISOString().slice(0, 10);
}

export function sameDay(a, b) {
  return isoDay(a) === isoDay(b);
}

const jalali = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

export function jalaliParts(day) {
  const parts = jalali.formatToParts(day);
  const get = (type) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const dayFormats = new Map();

/** A civil day formatted in the interface's calendar (options as Intl.DateTimeFormat). */
export function formatDay(day, options, calendar) {
  const fa = locale() === 'fa';
  const cal = calendar || (fa ? 'persian' : 'gregory');
  const tag = fa ? `fa-IR-u-ca-${cal}` : `en-GB-u-ca-${cal}`;
  const key = tag + JSON.stringify(options);
  if (!dayFormats.has(key)) {
    dayFormats.set(key, new Intl.DateTimeFormat(tag, { timeZone: 'UTC', ...options }));
  }
  return dayFormats.get(key).format(day);
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** 'YYYY-MM-DDTHH:MM[:SS]' on the brand's wall clock -> ISO instant (Z). */
export function zonedToUtc(local) {
  const found = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(local || '');
  if (!found) return null;
  const [, y, mo, d, hh = '0', mi = '0', ss = '0'] = found;
  const wanted = Date.UTC(+y, +mo - 1, +d, +hh, +mi, +ss);
  let guess = wanted;
  for (let i = 0; i < 3; i += 1) {
    const p = zonedParts(new Date(guess));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, new Date(guess).getUTCSeconds());
    guess += wanted - shown;
  }
  return new Date(guess).toISOString().replace('.000Z', 'Z');
}

/** An instant as the value of a datetime-local input on the brand's wall clock. */
export function toLocalInput(iso) {
  const p = zonedParts(iso);
  if (!p) return '';
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

export function lines(text) {
  return String(text || '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: filename, class: 'visually-hidden' }, filename);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function chip(text, kind) {
  return h('span', { class: ['chip', kind ? `chip-${kind}` : null] }, text);
}

export function zoneNote() {
  return h('p', { class: 'zone-note' }, t('common.zone', { zone: brandZone() }));
}

registerStrings({
  en: { 'common.zone': 'Times are in {zone}.' },
  fa: { 'common.zone': 'زمان‌ها به وقت {zone} است.' },
});

/** Element.append with h()'s child rules: arrays are flattened, null/false/undefined skipped. */
export function add(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    el.append(child);
  }
  return el;
}

// --- the API's 422 problems in the person's language ---------------------------------------------
// The API names each invalid field with an English `problem`; the common ones are recognised here
// and said in Persian (anything unrecognised is shown as the API wrote it, never as JSON).
const PROBLEMS = [
  [/^(weighted length|length) (\d+) exceeds (\w+)'s limit of (\d+)( with media \(caption\))?$/, 'problem.too_long'],
  [/^a post needs text or media$/, 'problem.empty_post'],
  [/^(\w+) posts need at least one image or video$/, 'problem.needs_media'],
  [/^(\w+) takes at most (\d+) media items$/, 'problem.too_many_media'],
  [/^type '([^']*)' is not accepted by (\w+) \(allowed: ([^)]*)\)$/, 'problem.media_type'],
  [/^must be an http\(s\) URL$/, 'problem.http_url'],
  [/^must have a host$/, 'problem.http_url'],
  [/ is not after now /, 'problem.past'],
  [/^required$|^Field required$/, 'problem.required'],
  [/^String should have at least 1 character$/, 'problem.required'],
  [/handle '([^']*)' is not an account name/, 'problem.handle'],
  [/hashtag '([^']*)' must be letters, digits or underscores/, 'problem.hashtag'],
  [/each term must be 1 to 200 characters/, 'problem.term_length'],
  [/term '([^']*)' has no letters or digits/, 'problem.term_letters'],
  [/a query needs at least one of any, all, phrases, handles or hashtags/, 'problem.query_empty'],
  [/end must be after start/, 'problem.window'],
  [/unknown time zone '([^']*)'/, 'problem.zone'],
  [/members must be unique/, 'problem.members_unique'],
  [/^Input should be a valid (date|time)/, 'problem.format'],
  [/is not a valid email|^String should match pattern/, 'problem.format'],
  [/^Input should be greater than 0$/, 'problem.positive'],
];

registerStrings({
  en: {
    'problem.too_long': 'Too long for {net}: {count} of {limit}.',
    'problem.empty_post': 'A post needs text or media.',
    'problem.needs_media': '{net} posts need at least one image or video.',
    'problem.too_many_media': '{net} takes at most {limit} media items.',
    'problem.media_type': '{net} does not accept .{kind} files (allowed: {allowed}).',
    'problem.http_url': 'Must be an http(s) address.',
    'problem.past': 'This time has passed; choose a later one.',
    'problem.required': 'Required.',
    'problem.handle': '“{value}” is not an account name like @acme_store.',
    'problem.hashtag': '“{value}” is not a hashtag (letters, digits, underscores).',
    'problem.term_length': 'Each term is 1 to 200 characters.',
    'problem.term_letters': '“{value}” has no letters or digits to match.',
    'problem.query_empty': 'Give at least one word, phrase, account or hashtag to listen for.',
    'problem.window': 'A window must close after it opens (00:00 means midnight).',
    'problem.zone': '“{value}” is not a time zone name.',
    'problem.members_unique': 'Each member only once.',
    'problem.format': 'This is not in the expected format.',
    'problem.positive': 'Must be more than zero.',
  },
  fa: {
    'problem.too_long': 'برای {net} طولانی است: {count} از {limit}.',
    'problem.empty_post': 'پست باید متن یا رسانه داشته باشد.',
    'problem.needs_media': 'پست‌های {net} دست‌کم یک تصویر یا ویدیو لازم دارند.',
    'problem.too_many_media': '{net} حداکثر {limit} رسانه می‌پذیرد.',
    'problem.media_type': '{net} فایل ‎.{kind}‎ نمی‌پذیرد (مجاز: {allowed}).',
    'problem.http_url': 'باید نشانی http(s) باشد.',
    'problem.past': 'این زمان گذشته است؛ زمان دیرتری انتخاب کنید.',
    'problem.required': 'لازم است.',
    'problem.handle': '«{value}» نام حساب نیست (مثل @acme_store).',
    'problem.hashtag': '«{value}» هشتگ نیست (حرف، رقم و زیرخط).',
    'problem.term_length': 'هر واژه ۱ تا ۲۰۰ نویسه است.',
    'problem.term_letters': '«{value}» حرف یا رقمی برای جست‌وجو ندارد.',
    'problem.query_empty': 'دست‌کم یک واژه، عبارت، حساب یا هشتگ برای پایش بدهید.',
    'problem.window': 'بازه باید پس از شروع تمام شود (۰۰:۰۰ یعنی نیمه‌شب).',
    'problem.zone': '«{value}» نام منطقهٔ زمانی نیست.',
    'problem.members_unique': 'هر عضو فقط یک بار.',
    'problem.format': 'قالب این مقدار درست نیست.',
    'problem.positive': 'باید بیشتر از صفر باشد.',
  },
});

/** A 422 `problem` in the person's language (the API's own text when it is not recognised). */
export function problemText(problem) {
  const text = String(problem || '').replace(/^Value error, /, '');
  for (const [pattern, key] of PROBLEMS) {
    const m = pattern.exec(text);
    if (!m) continue;
    switch (key) {
      case 'problem.too_long':
        return t(key, { net: networkLabel(m[3]), count: Number(m[2]), limit: Number(m[4]) });
      case 'problem.needs_media':
        return t(key, { net: networkLabel(m[1]) });
      case 'problem.too_many_media':
        return t(key, { net: networkLabel(m[1]), limit: Number(m[2]) });
      case 'problem.media_type':
        return t(key, { kind: m[1], net: networkLabel(m[2]), allowed: m[3] });
      case 'problem.handle':
      case 'problem.hashtag':
      case 'problem.term_letters':
      case 'problem.zone':
        return t(key, { value: m[1] });
      default:
        return t(key);
    }
  }
  return text;
}

/** 422 details with their problems said in the person's language. */
export function localDetails(details) {
  return (details || []).map((d) => ({ ...d, problem: problemText(d.problem) }));
}
