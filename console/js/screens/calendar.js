/**
 * screens/calendar.js — the publishing calendar: month and week views in the brand's zone, the
 * post composer/editor, scheduling (at a time, the next free slot or the next best slot),
 * approval, cancellation, and the best-times heatmap.
 *
 * Decisions:
 * - In Persian the month view is a real Solar Hijri month (Farvardin…Esfand), weeks start on
 *   Saturday; in English it is a Gregorian month starting on Monday. Every day shows the other
 *   calendar's date on hover (title).
 * - Times typed into the composer are the brand's wall clock (`timezone` is sent with them), so
 *   the person never converts zones in their head; the zone is printed beside the field.
 * - A failed post (the platform refused, nothing went out) can be edited and scheduled again.
 *   A post that needs review may already be on the network (the publish's outcome is unknown), so
 *   it offers only what cannot post twice: cancel, and a link to check the network.
 * - Nothing typed is lost: the composer stays open with its fields on any failed save, and a post
 *   created before a failed schedule is patched (never created twice) on the next attempt.
 */

import { api } from '../core/api.js';
import { heatmap } from '../core/charts.js';
import { clear, h } from '../core/dom.js';
import { brandZone, formatDateTime, formatNumber, formatTime, zonedParts } from '../core/format.js';
import { locale, registerStrings, t } from '../core/i18n.js';
import { registerScreen } from '../core/router.js';
import { measure, replyLimit } from '../core/textlength.js';
import { hasRole } from '../core/session.js';
import { applyFieldErrors, busy, button, emptyState, errorMessage, field, loading, showError, toast } from '../core/ui.js';
import { add, NETWORKS, localDetails, addDays, civil, civilOf, formatDay, isoDay, jalaliParts, lines, networkLabel, sameDay, toLocalInput, today, zonedToUtc, zoneNote } from './common.js';


export const STATUSES = ['draft', 'pending_approval', 'scheduled', 'publishing', 'published', 'failed', 'needs_review', 'cancelled'];
const MARKS = {
  draft: '✎',
  pending_approval: '◐',
  scheduled: '◷',
  publishing: '↻',
  published: '✓',
  failed: '✕',
  needs_review: '⚠',
  cancelled: '⊘',
};
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

registerStrings({
  en: {
    'cal.title': 'Publishing calendar',
    'cal.month': 'Month',
    'cal.week': 'Week',
    'cal.view': 'View',
    'cal.prev': 'Previous',
    'cal.next': 'Next',
    'cal.today': 'Today',
    'cal.network': 'Network',
    'cal.all_networks': 'All networks',
    'cal.new_post': 'New post',
    'cal.new_on': 'New post on {day}',
    'cal.drafts': 'Unscheduled drafts',
    'cal.no_drafts': 'No unscheduled drafts.',
    'cal.legend': 'Legend',
    'cal.day_posts': '{count} posts',
    'cal.no_posts': 'Nothing planned this week.',
    'status.draft': 'Draft',
    'status.pending_approval': 'Awaiting approval',
    'status.scheduled': 'Scheduled',
    'status.publishing': 'Publishing',
    'status.published': 'Published',
    'status.failed': 'Failed',
    'status.needs_review': 'Needs review',
    'status.cancelled': 'Cancelled',
    'post.compose': 'New post',
    'post.edit': 'Post',
    'post.network': 'Network',
    'post.account': 'Account',
    'post.account_hint': 'The channel, page or profile, e.g. @acme',
    'post.text': 'Text',
    'post.count': '{count} of {limit}',
    'post.count_x': '{count} of {limit} (X weighs URLs as 23 and most non-Latin letters as 2)',
    'post.media': 'Media URLs',
    'post.link': 'Link',
    'post.track': 'Track link clicks (short links)',
    'post.when': 'Publish at',
    'post.when_hint': 'Wall-clock time in {zone}.',
    'post.save_draft': 'Save draft',
    'post.schedule': 'Schedule',
    'post.next_free': 'Next free slot',
    'post.best_slot': 'Next best slot',
    'post.slot_found': 'Slot: {time}',
    'post.best_found': 'Best slot: {time} (confidence {confidence})',
    'post.no_slot': 'No free slot was found in the coming weeks.',
    'post.approve': 'Approve',
    'post.cancel_post': 'Cancel post',
    'post.delete': 'Delete post',
    'post.confirm_cancel': 'Cancel this post? It will not be published.',
    'post.confirm_delete': 'Delete this post?',
    'post.saved': 'Draft saved.',
    'post.scheduled': 'Scheduled for {time}.',
    'post.pending': 'Waiting for a manager to approve.',
    'post.approved': 'Approved and scheduled.',
    'post.cancelled': 'Post cancelled.',
    'post.deleted': 'Post deleted.',
    'post.error': 'The platform said: {error}',
    'post.failed_help': 'Nothing was published. Fix the post if needed and schedule it again.',
    'post.review_help':
      'The platform did not confirm whether this post went out, so it may already be published. Check the network first; to be safe it cannot be scheduled again from here, only cancelled.',
    'post.edit_returns_draft': 'Saving changes returns the post to draft; schedule it again afterwards.',
    'post.published_at': 'Published {time}',
    'post.open': 'Open on the network',
    'post.status': 'Status',
    'post.readonly': 'This post cannot be changed in its current state.',
    'post.cadence': 'This time breaks the posting rules (cadence).',
    'post.use_slot': 'Use {time}',
    'best.title': 'Best times to post',
    'best.network': 'Network for best times',
    'best.basis': 'Based on: {basis}',
    'best.basis.own': 'our posts',
    'best.basis.own+competitors': 'our posts and competitors',
    'best.basis.own+prior': 'our few posts and a neutral prior',
    'best.basis.competitors': "competitors' posts",
    'best.basis.prior': 'no data yet (neutral prior)',
    'best.top': 'Top slots',
    'best.none': 'No slot stands out yet.',
    'best.summary': 'Expected engagement rate by weekday and hour in {zone}; darker is better.',
    'best.cell': '{day} {hour}:00 — expected rate {rate}, confidence {confidence}',
    'day.mon': 'Mon',
    'day.tue': 'Tue',
    'day.wed': 'Wed',
    'day.thu': 'Thu',
    'day.fri': 'Fri',
    'day.sat': 'Sat',
    'day.sun': 'Sun',
  },
  fa: {
    'cal.title': 'تقویم انتشار',
    'cal.month': 'ماه',
    'cal.week': 'هفته',
    'cal.view': 'نما',
    'cal.prev': 'قبلی',
    'cal.next': 'بعدی',
    'cal.today': 'امروز',
    'cal.network': 'شبکه',
    'cal.all_networks': 'همهٔ شبکه‌ها',
    'cal.new_post': 'پست تازه',
    'cal.new_on': 'پست تازه در {day}',
    'cal.drafts': 'پیش‌نویس‌های بدون زمان',
    'cal.no_drafts': 'پیش‌نویس بدون زمانی نیست.',
    'cal.legend': 'راهنما',
    'cal.day_posts': '{count} پست',
    'cal.no_posts': 'این هفته برنامه‌ای نیست.',
    'status.draft': 'پیش‌نویس',
    'status.pending_approval': 'در انتظار تأیید',
    'status.scheduled': 'زمان‌بندی‌شده',
    'status.publishing': 'در حال انتشار',
    'status.published': 'منتشرشده',
    'status.failed': 'ناموفق',
    'status.needs_review': 'نیازمند بررسی',
    'status.cancelled': 'لغوشده',
    'post.compose': 'پست تازه',
    'post.edit': 'پست',
    'post.network': 'شبکه',
    'post.account': 'حساب',
    'post.account_hint': 'کانال، صفحه یا حساب؛ مثلاً @acme',
    'post.text': 'متن',
    'post.count': '{count} از {limit}',
    'post.count_x': '{count} از {limit} (ایکس هر پیوند را ۲۳ و بیشتر حروف غیرلاتین را ۲ می‌شمارد)',
    'post.media': 'نشانی‌های رسانه',
    'post.link': 'پیوند',
    'post.track': 'شمارش کلیک‌ها (پیوند کوتاه)',
    'post.when': 'زمان انتشار',
    'post.when_hint': 'ساعت به وقت {zone}.',
    'post.save_draft': 'ذخیرهٔ پیش‌نویس',
    'post.schedule': 'زمان‌بندی',
    'post.next_free': 'نخستین زمان آزاد',
    'post.best_slot': 'بهترین زمان بعدی',
    'post.slot_found': 'زمان: {time}',
    'post.best_found': 'بهترین زمان: {time} (اطمینان {confidence})',
    'post.no_slot': 'در هفته‌های پیش رو زمان آزادی پیدا نشد.',
    'post.approve': 'تأیید',
    'post.cancel_post': 'لغو پست',
    'post.delete': 'حذف پست',
    'post.confirm_cancel': 'این پست لغو شود؟ منتشر نخواهد شد.',
    'post.confirm_delete': 'این پست حذف شود؟',
    'post.saved': 'پیش‌نویس ذخیره شد.',
    'post.scheduled': 'برای {time} زمان‌بندی شد.',
    'post.pending': 'در انتظار تأیید مدیر.',
    'post.approved': 'تأیید و زمان‌بندی شد.',
    'post.cancelled': 'پست لغو شد.',
    'post.deleted': 'پست حذف شد.',
    'post.error': 'پاسخ شبکه: {error}',
    'post.failed_help': 'چیزی منتشر نشد. در صورت نیاز پست را اصلاح و دوباره زمان‌بندی کنید.',
    'post.review_help':
      'شبکه تأیید نکرد که این پست منتشر شده یا نه، پس شاید منتشر شده باشد. اول شبکه را بررسی کنید؛ برای جلوگیری از انتشار دوباره، اینجا فقط می‌توان آن را لغو کرد.',
    'post.edit_returns_draft': 'ذخیرهٔ تغییرات پست را به پیش‌نویس برمی‌گرداند؛ سپس دوباره زمان‌بندی کنید.',
    'post.published_at': 'منتشرشده در {time}',
    'post.open': 'دیدن در شبکه',
    'post.status': 'وضعیت',
    'post.readonly': 'این پست در وضعیت فعلی قابل تغییر نیست.',
    'post.cadence': 'این زمان با قواعد انتشار (فاصله و سقف روزانه) جور نیست.',
    'post.use_slot': 'استفاده از {time}',
    'best.title': 'بهترین زمان‌های انتشار',
    'best.network': 'شبکه برای بهترین زمان‌ها',
    'best.basis': 'بر پایهٔ: {basis}',
    'best.basis.own': 'پست‌های خودمان',
    'best.basis.own+competitors': 'پست‌های خودمان و رقبا',
    'best.basis.own+prior': 'چند پست خودمان و پیش‌فرض خنثی',
    'best.basis.competitors': 'پست‌های رقبا',
    'best.basis.prior': 'هنوز داده‌ای نیست (پیش‌فرض خنثی)',
    'best.top': 'بهترین زمان‌ها',
    'best.none': 'هنوز زمانی برجسته نیست.',
    'best.summary': 'نرخ تعامل مورد انتظار بر حسب روز هفته و ساعت به وقت {zone}؛ پررنگ‌تر بهتر است.',
    'best.cell': '{day} ساعت {hour} — نرخ مورد انتظار {rate}، اطمینان {confidence}',
    'day.mon': 'دوشنبه',
    'day.tue': 'سه‌شنبه',
    'day.wed': 'چهارشنبه',
    'day.thu': 'پنجشنبه',
    'day.fri': 'جمعه',
    'day.sat': 'شنبه',
    'day.sun': 'یکشنبه',
  },
});

// --- post limits the composer counts against (the server checks them again) ----------------------

const LIMITS = {
  x: { text: 280 },
  telegram: { text: 4096, caption: 1024 },
  instagram: { text: 2200 },
  facebook: { text: 63206 },
  linkedin: { text: 3000 },
};

export function textLength(network, text) {
  // Counted as the network counts it (the core's port of publishing/validation.py): Telegram in
  // UTF-16 units, X by weighted length with its ranges from config.json, the rest in characters.
  if (network === 'x') return measure(text, replyLimit('x'));
  return measure(text, { count: network === 'telegram' ? 'utf16' : 'chars' });
}

function statusBadge(status) {
  return h(
    'span',
    { class: ['status', `status-${status}`] },
    h('span', { class: 'status-mark', 'aria-hidden': 'true' }, MARKS[status] || '•'),
    t(`status.${status}`),
  );
}

// --- the grid ----------------------------------------------------------------------------------

function weekStart(day) {
  // Persian weeks start on Saturday, English (ISO) ones on Monday.
  const first = locale() === 'fa' ? 6 : 1;
  const back = (day.getUTCDay() - first + 7) % 7;
  return addDays(day, -back);
}

function monthBounds(anchor) {
  if (locale() === 'fa') {
    const j = jalaliParts(anchor);
    const first = addDays(anchor, -(j.day - 1));
    let last = first;
    while (jalaliParts(addDays(last, 1)).month === j.month) last = addDays(last, 1);
    return [first, last];
  }
  const first = civil(anchor.getUTCFullYear(), anchor.getUTCMonth() + 1, 1);
  const last = addDays(civil(anchor.getUTCFullYear(), anchor.getUTCMonth() + 2, 1), -1);
  return [first, last];
}

function shiftMonth(anchor, n) {
  const [first, last] = monthBounds(anchor);
  return n > 0 ? addDays(last, 1) : monthBounds(addDays(first, -1))[0];
}

function otherCalendar(day) {
  return formatDay(day, { dateStyle: 'full' }, locale() === 'fa' ? 'gregory' : 'persian');
}

function render(root, _params, query) {
  const state = {
    view: query.get('view') === 'week' ? 'week' : 'month',
    anchor: /^\d{4}-\d{2}-\d{2}$/.test(query.get('day') || '') ? civil(...query.get('day').split('-').map(Number)) : today(),
    network: NETWORKS.includes(query.get('network')) ? query.get('network') : '',
    posts: [],
  };
  let alive = true;
  let timer = null;

  const title = h('h1', { class: 'screen-title' }, t('cal.title'));
  const rangeLabel = h('h2', { class: 'cal-range', 'aria-live': 'polite' });
  const viewSelect = h(
    'select',
    { on: { change: () => { state.view = viewSelect.value; load(); } } },
    h('option', { value: 'month', selected: state.view === 'month' }, t('cal.month')),
    h('option', { value: 'week', selected: state.view === 'week' }, t('cal.week')),
  );
  const networkSelect = h(
    'select',
    { on: { change: () => { state.network = networkSelect.value; load(); } } },
    h('option', { value: '' }, t('cal.all_networks')),
    NETWORKS.map((n) => h('option', { value: n, selected: state.network === n }, networkLabel(n))),
  );
  const step = (n) => {
    state.anchor = state.view === 'week' ? addDays(state.anchor, 7 * n) : shiftMonth(state.anchor, n);
    load();
  };
  const toolbar = h(
    'div',
    { class: 'toolbar cal-toolbar' },
    h('div', { class: 'toolbar-group' },
      button(t('cal.prev'), () => step(-1), { attrs: { 'aria-label': t('cal.prev') } }),
      button(t('cal.today'), () => { state.anchor = today(); load(); }),
      button(t('cal.next'), () => step(1), { attrs: { 'aria-label': t('cal.next') } }),
    ),
    field({ label: t('cal.view'), input: viewSelect, name: 'view' }),
    field({ label: t('cal.network'), input: networkSelect, name: 'network' }),
    button(t('cal.new_post'), () => openEditor(null, null), { kind: 'primary', attrs: { 'data-action': 'new-post' } }),
  );
  const grid = h('div', { class: 'cal-grid-host' });
  const drafts = h('section', { class: 'cal-drafts', 'aria-labelledby': 'cal-drafts-title' });
  const legend = h(
    'section',
    { class: 'cal-legend', 'aria-labelledby': 'cal-legend-title' },
    h('h2', { id: 'cal-legend-title', class: 'section-title' }, t('cal.legend')),
    h('ul', { class: 'legend-list' }, NETWORKS.map((n) => h('li', {}, h('span', { class: ['net-dot', `net-${n}`], 'aria-hidden': 'true' }), networkLabel(n)))),
    h('ul', { class: 'legend-list' }, STATUSES.map((s) => h('li', {}, statusBadge(s)))),
  );
  const best = h('section', { class: 'card best-times', 'aria-labelledby': 'best-title' });

  add(root, 
    h('div', { class: 'screen-head' }, title, zoneNote()),
    toolbar,
    h('div', { class: 'cal-layout' }, h('div', { class: 'cal-main' }, rangeLabel, grid), h('aside', { class: 'cal-side' }, drafts, legend)),
    best,
  );

  function range() {
    if (state.view === 'week') {
      const start = weekStart(state.anchor);
      return { first: start, last: addDays(start, 6), gridStart: start, gridEnd: addDays(start, 6) };
    }
    const [first, last] = monthBounds(state.anchor);
    const gridStart = weekStart(first);
    const gridEnd = addDays(weekStart(last), 6);
    return { first, last, gridStart, gridEnd };
  }

  function remember() {
    const q = new URLSearchParams({ view: state.view, day: isoDay(state.anchor) });
    if (state.network) q.set('network', state.network);
    history.replaceState(null, '', `#/calendar?${q}`);
  }

  let loads = 0;
  async function load() {
    const mine = ++loads; // only the latest request draws (quick clicks on Next overtake)
    remember();
    const r = range();
    rangeLabel.textContent =
      state.view === 'week'
        ? `${formatDay(r.first, { day: 'numeric', month: 'long' })} – ${formatDay(r.last, { day: 'numeric', month: 'long', year: 'numeric' })}`
        : formatDay(addDays(r.first, 3), { month: 'long', year: 'numeric' });
    if (!grid.firstChild) loading(grid);
    try {
      const data = await api('/calendar', {
        query: {
          from: `${isoDay(r.gridStart)}T00:00:00`,
          to: `${isoDay(addDays(r.gridEnd, 1))}T00:00:00`,
          tz: brandZone(),
          network: state.network || undefined,
        },
      });
      if (!alive || mine !== loads) return;
      state.posts = Object.values(data.networks || {}).flat();
      drawGrid(r);
    } catch (err) {
      if (!alive || mine !== loads) return;
      clear(grid);
      showError(err, { target: grid });
    }
    loadDrafts();
  }

  function postsOn(day) {
    return state.posts
      .filter((p) => p.scheduled_at && sameDay(civilOf(p.scheduled_at), day))
      .sort((a, b) => a.scheduled_at.localeCompare(b.scheduled_at));
  }

  function postChip(post, compact) {
    const time = post.scheduled_at ? formatTime(post.scheduled_at, { zone: false }) : '';
    return h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: ['post-chip', `net-${post.network}`, `status-${post.status}`, compact ? 'compact' : null],
          dataset: { postId: post.id, status: post.status },
          on: { click: () => openPost(post.id) },
        },
        h('span', { class: 'status-mark', 'aria-hidden': 'true' }, MARKS[post.status] || '•'),
        h('span', { class: 'chip-time' }, time),
        h('span', { class: 'visually-hidden' }, ` ${networkLabel(post.network)}, ${t(`status.${post.status}`)}: `),
        h('span', { class: 'chip-text', dir: 'auto' }, post.text || post.account_id),
      ),
    );
  }

  function dayCell(day, r, compact) {
    const inMonth = day >= r.first && day <= r.last;
    const posts = postsOn(day);
    const isToday = sameDay(day, today());
    const label = formatDay(day, { weekday: 'long', day: 'numeric', month: 'long' });
    return h(
      'div',
      {
        class: ['cal-day', inMonth ? null : 'outside', isToday ? 'today' : null],
        role: 'gridcell',
        dataset: { day: isoDay(day) },
      },
      h(
        'div',
        { class: 'cal-day-head' },
        h('span', { class: 'cal-day-num', title: otherCalendar(day), 'aria-hidden': compact ? 'true' : null },
          compact ? formatDay(day, { day: 'numeric' }) : label),
        compact ? h('span', { class: 'visually-hidden' }, label) : null,
        posts.length ? h('span', { class: 'visually-hidden' }, `، ${t('cal.day_posts', { count: posts.length })}`) : null,
        h('button', {
          type: 'button',
          class: 'btn btn-quiet cal-add',
          'aria-label': t('cal.new_on', { day: label }),
          on: { click: () => openEditor(null, day) },
        }, '+'),
      ),
      posts.length ? h('ul', { class: 'cal-posts' }, posts.map((p) => postChip(p, compact))) : null,
    );
  }

  function drawGrid(r) {
    clear(grid);
    grid.removeAttribute('aria-busy');
    const start = weekStart(r.gridStart);
    const heads = Array.from({ length: 7 }, (_, i) => addDays(start, i));
    if (state.view === 'week') {
      const days = heads.map((d) => dayCell(d, r, false));
      add(grid, h('div', { class: 'cal-week', role: 'grid', 'aria-label': rangeLabel.textContent }, h('div', { role: 'row', class: 'cal-row' }, days)));
      if (!state.posts.length) add(grid, emptyState(t('cal.no_posts')));
      return;
    }
    const rows = [];
    for (let d = r.gridStart; d <= r.gridEnd; d = addDays(d, 7)) {
      rows.push(h('div', { role: 'row', class: 'cal-row' }, Array.from({ length: 7 }, (_, i) => dayCell(addDays(d, i), r, true))));
    }
    add(grid, 
      h(
        'div',
        { class: 'cal-month', role: 'grid', 'aria-label': rangeLabel.textContent },
        h('div', { role: 'row', class: 'cal-row cal-head' }, heads.map((d) => h('div', { role: 'columnheader', class: 'cal-weekday' }, formatDay(d, { weekday: 'short' })))),
        rows,
      ),
    );
  }

  async function loadDrafts() {
    try {
      const data = await api('/posts', { query: { status: 'draft', limit: 50, network: state.network || undefined } });
      if (!alive) return;
      const items = (data.items || []).filter((p) => !p.scheduled_at);
      add(clear(drafts), 
        h('h2', { id: 'cal-drafts-title', class: 'section-title' }, t('cal.drafts')),
        items.length ? h('ul', { class: 'cal-posts' }, items.map((p) => postChip(p, false))) : h('p', { class: 'muted' }, t('cal.no_drafts')),
      );
    } catch (err) {
      clear(drafts);
      showError(err, { target: drafts });
    }
  }

  async function openPost(id) {
    try {
      openEditor(await api(`/posts/${encodeURIComponent(id)}`), null);
    } catch (err) {
      showError(err);
    }
  }

  // --- the composer / editor (a modal dialog) ------------------------------------------------

  function openEditor(existing, day) {
    let post = existing;
    const status = post ? post.status : 'draft';
    const editable = ['draft', 'pending_approval', 'scheduled', 'failed'].includes(status);
    const dialog = h('dialog', { class: 'dialog post-dialog', 'aria-labelledby': 'post-dialog-title' });
    const form = h('form', { class: 'form post-form', novalidate: true, method: 'dialog' });
    const network = h('select', { disabled: Boolean(post) || !editable, required: true }, NETWORKS.map((n) => h('option', { value: n, selected: (post?.network || state.network || 'telegram') === n }, networkLabel(n))));
    const account = h('input', { type: 'text', required: true, value: post?.account_id || '', dir: 'ltr', autocomplete: 'off', disabled: !editable });
    const text = h('textarea', { rows: 5, dir: 'auto', value: post?.text || '', disabled: !editable });
    const counter = h('p', { class: 'counter', 'aria-live': 'polite' });
    const media = h('textarea', { rows: 2, dir: 'ltr', value: (post?.media_urls || []).join('\n'), disabled: !editable });
    const link = h('input', { type: 'url', dir: 'ltr', value: post?.link || '', disabled: !editable });
    const track = h('input', { type: 'checkbox', checked: Boolean(post?.track_links), disabled: !editable });
    const initialWhen = post?.scheduled_at ? toLocalInput(post.scheduled_at) : day ? `${isoDay(day)}T10:00` : '';
    const when = h('input', { type: 'datetime-local', step: 1, value: initialWhen, dir: 'ltr', disabled: !editable });
    const whenPreview = h('p', { class: 'field-hint when-preview', 'aria-live': 'polite' });
    const slotNote = h('div', { class: 'slot-note', 'aria-live': 'polite' });
    const errors = h('div', { class: 'form-errors' });

    const updateCount = () => {
      const n = network.value;
      const limits = LIMITS[n] || {};
      const hasMedia = lines(media.value).length > 0;
      const limit = hasMedia && limits.caption ? limits.caption : limits.text;
      const count = textLength(n, text.value);
      counter.textContent = t(n === 'x' ? 'post.count_x' : 'post.count', { count, limit });
      counter.classList.toggle('is-over', count > limit);
    };
    const updatePreview = () => {
      whenPreview.textContent = when.value ? formatDateTime(zonedToUtc(when.value)) : t('post.when_hint', { zone: brandZone() });
    };
    for (const el of [network, text, media]) el.addEventListener('input', updateCount);
    when.addEventListener('input', updatePreview);

    const body = () => {
      const out = {
        account_id: account.value.trim(),
        text: text.value,
        media_urls: lines(media.value),
        link: link.value.trim() || null,
        track_links: track.checked,
        timezone: brandZone(),
      };
      if (when.value) out.scheduled_at = withSeconds(when.value);
      if (!post) out.network = network.value;
      return out;
    };

    const fail = (err) => {
      clear(errors);
      const unmatched = err.status === 422 ? applyFieldErrors(form, localDetails(err.details)) : [];
      if (err.status === 409 && Array.isArray(err.details)) {
        const slot = err.details.find((d) => d && 'next_free_slot' in d);
        if (slot) {
          add(errors, h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, t('post.cadence')),
            slot.next_free_slot ? button(t('post.use_slot', { time: formatDateTime(slot.next_free_slot) }), () => {
              when.value = toLocalInput(slot.next_free_slot);
              updatePreview();
              clear(errors);
            }) : null));
          return;
        }
      }
      if (err.status !== 422 || unmatched.length) {
        add(errors, h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, err.status === 422 ? unmatched.map((d) => d.problem).join(' ') : errorMessage(err))));
      }
    };

    async function save() {
      applyFieldErrors(form, []);
      clear(errors);
      const payload = body();
      if (post) {
        delete payload.network;
        post = await api(`/posts/${encodeURIComponent(post.id)}`, { method: 'PATCH', body: payload });
      } else {
        post = await api('/posts', { method: 'POST', body: payload });
      }
      return post;
    }

    const act = (fn) => async (event) => {
      const btn = event.currentTarget;
      try {
        await busy(btn, fn);
      } catch (err) {
        fail(err);
      }
    };

    const saveDraft = act(async () => {
      await save();
      toast(t('post.saved'));
      close(true);
    });
    const schedule = act(async () => {
      if (!when.value) {
        applyFieldErrors(form, [{ field: 'scheduled_at', problem: t('post.when_hint', { zone: brandZone() }) }]);
        when.focus();
        return;
      }
      await save();
      post = await api(`/posts/${encodeURIComponent(post.id)}/schedule`, { method: 'POST', body: { scheduled_at: withSeconds(when.value), timezone: brandZone() } });
      toast(post.status === 'pending_approval' ? t('post.pending') : t('post.scheduled', { time: formatDateTime(post.scheduled_at) }));
      close(true);
    });
    const findSlot = (prefer) => act(async () => {
      if (!account.value.trim()) {
        applyFieldErrors(form, [{ field: 'account_id', problem: t('post.account_hint') }]);
        account.focus();
        return;
      }
      const soon = new Date(Date.now() + 5 * 60000).toISOString();
      const after = when.value && zonedToUtc(when.value) > soon ? zonedToUtc(when.value) : soon;
      const slot = await api('/calendar/next-slot', {
        query: { network: network.value, account_id: account.value.trim(), after, prefer: prefer ? 'best_times' : undefined },
      });
      clear(slotNote);
      if (!slot.slot_at) {
        add(slotNote, h('p', {}, t('post.no_slot')));
        return;
      }
      when.value = toLocalInput(slot.slot_at);
      updatePreview();
      add(slotNote, h('p', {}, slot.best_time
        ? t('post.best_found', { time: formatDateTime(slot.slot_at), confidence: formatNumber(slot.best_time.confidence, { style: 'percent' }) })
        : t('post.slot_found', { time: formatDateTime(slot.slot_at) })));
    });
    const approve = act(async () => {
      post = await api(`/posts/${encodeURIComponent(post.id)}/approve`, { method: 'POST' });
      toast(t('post.approved'));
      close(true);
    });
    const cancelPost = act(async () => {
      if (!window.confirm(t('post.confirm_cancel'))) return;
      post = await api(`/posts/${encodeURIComponent(post.id)}/cancel`, { method: 'POST' });
      toast(t('post.cancelled'));
      close(true);
    });
    const deletePost = act(async () => {
      if (!window.confirm(t('post.confirm_delete'))) return;
      await api(`/posts/${encodeURIComponent(post.id)}`, { method: 'DELETE' });
      toast(t('post.deleted'));
      close(true);
    });

    const info = [];
    if (post) {
      info.push(h('p', { class: 'post-status' }, `${t('post.status')}: `, statusBadge(status)));
      if (status === 'published') {
        info.push(h('p', {}, t('post.published_at', { time: formatDateTime(post.published_at || post.updated_at) })));
      }
      if (post.error || post.last_error) {
        info.push(h('div', { class: 'alert alert-warning post-error' }, h('p', {}, t('post.error', { error: '' }), h('span', { dir: 'auto', class: 'user-text' }, post.error || post.last_error))));
      }
      if (status === 'failed') info.push(h('p', { class: 'help' }, t('post.failed_help')));
      if (status === 'needs_review') info.push(h('p', { class: 'help help-warning' }, t('post.review_help')));
      if (['pending_approval', 'scheduled'].includes(status)) info.push(h('p', { class: 'help' }, t('post.edit_returns_draft')));
      if (!editable && status !== 'needs_review') info.push(h('p', { class: 'help' }, t('post.readonly')));
      if (post.url) info.push(h('p', {}, h('a', { href: post.url, target: '_blank', rel: 'noopener noreferrer' }, t('post.open'))));
    }

    const actions = [];
    if (editable) {
      actions.push(button(t('post.schedule'), schedule, { kind: 'primary', attrs: { 'data-action': 'schedule' } }));
      actions.push(button(t('post.save_draft'), saveDraft, { attrs: { 'data-action': 'save-draft' } }));
    }
    if (post && status === 'pending_approval' && hasRole('manager')) actions.push(button(t('post.approve'), approve, { kind: 'primary', attrs: { 'data-action': 'approve' } }));
    if (post && ['draft', 'pending_approval', 'scheduled', 'failed', 'needs_review'].includes(status)) actions.push(button(t('post.cancel_post'), cancelPost, { kind: 'danger', attrs: { 'data-action': 'cancel-post' } }));
    if (post && ['draft', 'cancelled', 'failed'].includes(status)) actions.push(button(t('post.delete'), deletePost, { kind: 'danger', attrs: { 'data-action': 'delete-post' } }));

    add(form, 
      h('div', { class: 'dialog-head' },
        h('h2', { id: 'post-dialog-title' }, post ? `${t('post.edit')} · ${networkLabel(post.network)}` : t('post.compose')),
        h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': t('common.close'), on: { click: () => close(false) } }, '×'),
      ),
      info,
      errors,
      h('div', { class: 'form-grid' },
        field({ label: t('post.network'), input: network, name: 'network' }),
        field({ label: t('post.account'), input: account, name: 'account_id', hint: t('post.account_hint') }),
      ),
      field({ label: t('post.text'), input: text, name: 'text' }),
      counter,
      field({ label: t('post.media'), input: media, name: 'media_urls', hint: t('common.one_per_line') }),
      h('div', { class: 'form-grid' },
        field({ label: t('post.link'), input: link, name: 'link' }),
        h('div', { class: 'field field-check' }, h('label', {}, track, ' ', t('post.track'))),
      ),
      field({ label: t('post.when'), input: when, name: 'scheduled_at' }),
      whenPreview,
      editable ? h('div', { class: 'toolbar-group' },
        button(t('post.next_free'), findSlot(false), { attrs: { 'data-action': 'next-free' } }),
        button(t('post.best_slot'), findSlot(true), { attrs: { 'data-action': 'best-slot' } }),
      ) : null,
      slotNote,
      h('div', { class: 'dialog-actions' }, actions, button(t('common.close'), () => close(false), { kind: 'quiet' })),
    );
    form.addEventListener('submit', (e) => e.preventDefault());
    add(dialog, form);
    dialog.addEventListener('close', () => dialog.remove());
    dialog.addEventListener('cancel', () => close(false));
    document.body.append(dialog);
    updateCount();
    updatePreview();
    dialog.showModal();
    (post ? dialog.querySelector('.dialog-actions button') : account)?.focus();

    function close(changed) {
      if (dialog.open) dialog.close();
      if (changed) load();
    }
  }

  // --- best times -------------------------------------------------------------------------------

  async function loadBest(network) {
    const select = h('select', { on: { change: () => loadBest(select.value) } }, NETWORKS.map((n) => h('option', { value: n, selected: n === network }, networkLabel(n))));
    const body = h('div', { class: 'best-body' });
    add(clear(best), 
      h('h2', { id: 'best-title', class: 'section-title' }, t('best.title')),
      field({ label: t('best.network'), input: select, name: 'best_network' }),
      body,
    );
    loading(body);
    try {
      const data = await api('/insights/best-times', { query: { network } });
      if (!alive) return;
      clear(body);
      body.removeAttribute('aria-busy');
      const top = new Set((data.top_slots || []).map((s) => `${s.weekday}:${s.hour}`));
      const order = locale() === 'fa' ? ['sat', 'sun', 'mon', 'tue', 'wed', 'thu', 'fri'] : DAYS;
      const byDay = Object.fromEntries((data.grid || []).map((r) => [r.weekday, r.hours]));
      const pct = (v) => formatNumber(v, { style: 'percent', maximumFractionDigits: 1 });
      const rows = order.map((d) => ({
        label: t(`day.${d}`),
        weekday: d,
        cells: (byDay[d] || []).map((c) => c.expected_rate),
        confidence: (byDay[d] || []).map((c) => c.confidence),
        marks: Array.from({ length: 24 }, (_, hour) => top.has(`${d}:${hour}`)),
      }));
      add(body, 
        h('p', { class: 'muted' }, t('best.basis', { basis: t(`best.basis.${data.basis}`) })),
        heatmap({
          title: `${t('best.title')} · ${networkLabel(network)}`,
          rows,
          columns: Array.from({ length: 24 }, (_, i) => formatNumber(i)),
          format: pct,
          summary: t('best.summary', { zone: data.timezone || brandZone() }),
          cellTitle: (row, hour, v) => t('best.cell', { day: row.label, hour: formatNumber(hour), rate: v === null ? '—' : pct(v), confidence: pct(row.confidence[hour] || 0) }),
        }),
        h('h3', { class: 'subsection-title' }, t('best.top')),
        (data.top_slots || []).length
          ? h('ol', { class: 'top-slots' }, data.top_slots.map((s) => h('li', {}, `${t(`day.${s.weekday}`)} ${formatNumber(s.hour, { minimumIntegerDigits: 2 })}:${formatNumber(0, { minimumIntegerDigits: 2 })}`, ' — ', pct(s.expected_rate))))
          : h('p', { class: 'muted' }, t('best.none')),
      );
    } catch (err) {
      clear(body);
      showError(err, { target: body });
    }
  }

  load();
  loadBest(state.network || 'telegram');
  // Statuses move on their own (the sweep publishes): refresh the grid every 20 s while open.
  timer = setInterval(() => {
    if (!document.querySelector('dialog[open]')) load();
  }, 20000);
  return () => {
    alive = false;
    clearInterval(timer);
    document.querySelector('dialog.post-dialog')?.remove();
  };
}

function withSeconds(local) {
  return local.length === 16 ? `${local}:00` : local;
}

registerScreen({ route: '/calendar', nav: 'calendar', titleKey: 'cal.title', render });
