/**
 * core/care.js — the care pieces the inbox and the ticket share: platform icons, label chips,
 * the live SLA badge, status names and which actions a status allows.
 *
 * Contract:
 *   export function platformIcon(platform) -> <span class="platform-icon" role="img" aria-label>
 *   export function platformName(platform) -> 'Telegram'
 *   export function chip(kind, value) -> <span class="chip chip-<value>">   (intent|sentiment|
 *       priority|status, translated)
 *   export function slaBadge(ticket, {clock}={}) -> <span class="sla" data-state=...>
 *       live: every badge on the page is re-drawn each second by one shared ticker.
 *   export function slaView(ticket, clock, now) -> {state, text, label}
 *   export function legalActions(status) -> ['acknowledge', ...]   (mirrors care/lifecycle.py)
 *   export function customerName(ticket) -> string
 */

import { config } from './config.js';
import { h } from './dom.js';
import { formatDateTime, formatDuration } from './format.js';
import { registerStrings, t } from './i18n.js';

registerStrings({
  en: {
    'platform.telegram': 'Telegram',
    'platform.meta': 'Facebook / Instagram',
    'platform.instagram': 'Instagram',
    'platform.facebook': 'Facebook',
    'platform.x': 'X',
    'platform.linkedin': 'LinkedIn',
    'platform.generic': 'Other network',
    'intent.complaint': 'Complaint',
    'intent.question': 'Question',
    'intent.praise': 'Praise',
    'intent.other': 'Other',
    'sentiment.negative': 'Negative',
    'sentiment.neutral': 'Neutral',
    'sentiment.positive': 'Positive',
    'priority.low': 'Low',
    'priority.normal': 'Normal',
    'priority.high': 'High',
    'priority.urgent': 'Urgent',
    'status.open': 'Open',
    'status.acknowledged': 'Acknowledged',
    'status.in_progress': 'In progress',
    'status.waiting': 'Waiting on customer',
    'status.resolved': 'Resolved',
    'sla.clock.ack': 'First reply',
    'sla.clock.resolve': 'Resolution',
    'sla.left': '{clock} · {time} left',
    'sla.over': '{clock} · {time} overdue',
    'sla.met': '{clock} · met',
    'sla.breached.done': '{clock} · was late',
    'sla.paused': 'Paused (waiting on customer)',
    'sla.done': 'Resolved',
    'sla.due': 'due {at}',
    'sla.state.pending': 'on time',
    'sla.state.at_risk': 'at risk',
    'sla.state.breached': 'breached',
    'sla.state.met': 'met',
  },
  fa: {
    'platform.telegram': 'تلگرام',
    'platform.meta': 'فیسبوک / اینستاگرام',
    'platform.instagram': 'اینستاگرام',
    'platform.facebook': 'فیسبوک',
    'platform.x': 'ایکس',
    'platform.linkedin': 'لینکدین',
    'platform.generic': 'شبکهٔ دیگر',
    'intent.complaint': 'شکایت',
    'intent.question': 'پرسش',
    'intent.praise': 'تعریف',
    'intent.other': 'سایر',
    'sentiment.negative': 'منفی',
    'sentiment.neutral': 'خنثی',
    'sentiment.positive': 'مثبت',
    'priority.low': 'کم',
    'priority.normal': 'عادی',
    'priority.high': 'زیاد',
    'priority.urgent': 'فوری',
    'status.open': 'باز',
    'status.acknowledged': 'پاسخ اولیه داده شد',
    'status.in_progress': 'در حال پیگیری',
    'status.waiting': 'در انتظار مشتری',
    'status.resolved': 'حل‌شده',
    'sla.clock.ack': 'پاسخ اول',
    'sla.clock.resolve': 'حل',
    'sla.left': '{clock} · {time} مانده',
    'sla.over': '{clock} · {time} تأخیر',
    'sla.met': '{clock} · به‌موقع',
    'sla.breached.done': '{clock} · با تأخیر',
    'sla.paused': 'متوقف (در انتظار مشتری)',
    'sla.done': 'حل‌شده',
    'sla.due': 'موعد {at}',
    'sla.state.pending': 'در زمان',
    'sla.state.at_risk': 'در خطر',
    'sla.state.breached': 'نقض‌شده',
    'sla.state.met': 'رعایت‌شده',
  },
});

const ICONS = { telegram: 'TG', meta: 'f', instagram: 'IG', facebook: 'f', x: 'X', linkedin: 'in' };

export function platformName(platform) {
  const key = `platform.${platform}`;
  const name = t(key);
  return name === key ? platform : name;
}

export function platformIcon(platform) {
  const known = platform in ICONS;
  return h(
    'span',
    {
      class: ['platform-icon', `platform-${known ? platform : 'other'}`],
      role: 'img',
      'aria-label': platformName(platform),
      title: platformName(platform),
    },
    h('span', { 'aria-hidden': 'true' }, ICONS[platform] || '•'),
  );
}

export function chip(kind, value) {
  if (!value) return null;
  const cls = kind === 'priority' ? `chip-priority-${value}` : `chip-${value}`;
  return h('span', { class: ['chip', cls], dataset: { [kind]: value } }, t(`${kind}.${value}`));
}

export function customerName(ticket) {
  const author = (ticket.conversation && ticket.conversation.author) || {};
  return author.name || (author.handle ? `@${String(author.handle).replace(/^@/, '')}` : '') || author.id || '—';
}

const LEGAL_FROM = {
  acknowledge: ['open'],
  assign: ['open', 'acknowledged', 'in_progress', 'waiting'],
  route: ['acknowledged', 'in_progress', 'waiting'],
  reply: ['acknowledged', 'in_progress', 'waiting'],
  pause: ['acknowledged', 'in_progress'],
  resume: ['waiting'],
  resolve: ['acknowledged', 'in_progress', 'waiting'],
  reopen: ['resolved'],
};

export function legalActions(status) {
  return Object.keys(LEGAL_FROM).filter((a) => LEGAL_FROM[a].includes(status));
}

function warnFraction() {
  try {
    return Number(config().sla_warn_fraction) || 0.75;
  } catch {
    return 0.75;
  }
}

/** The clock that matters now: the first reply until acknowledged, then the resolution. */
export function activeClock(ticket) {
  if (ticket.status === 'resolved') return null;
  return ticket.acknowledged_at ? 'resolve' : 'ack';
}

export function slaView(ticket, clock, now = Date.now()) {
  const clockName = t(`sla.clock.${clock}`);
  const due = Date.parse(clock === 'ack' ? ticket.ack_due_at : ticket.resolve_due_at);
  const server = (ticket.sla || {})[clock] || 'pending';
  const dueText = t('sla.due', { at: formatDateTime(clock === 'ack' ? ticket.ack_due_at : ticket.resolve_due_at) });
  const finished = clock === 'ack' ? Boolean(ticket.acknowledged_at) : ticket.status === 'resolved';
  if (finished || server === 'met') {
    const late = server === 'breached';
    return {
      state: late ? 'breached' : 'met',
      text: t(late ? 'sla.breached.done' : 'sla.met', { clock: clockName }),
      label: dueText,
    };
  }
  if (ticket.status === 'waiting') {
    return { state: 'none', text: t('sla.paused'), label: dueText };
  }
  const remaining = Math.round((due - now) / 1000);
  const start = Date.parse(ticket.created_at);
  const target = Math.max(1, (due - start) / 1000);
  let state = server;
  if (remaining <= 0) state = 'breached';
  else if (state !== 'breached' && remaining <= target * (1 - warnFraction())) state = 'at_risk';
  const text =
    state === 'breached' && remaining <= 0
      ? t('sla.over', { clock: clockName, time: formatDuration(-remaining) })
      : t('sla.left', { clock: clockName, time: formatDuration(Math.max(0, remaining)) });
  return { state, text, label: `${t(`sla.state.${state}`)} · ${dueText}` };
}

const live = new Set();
let ticker = null;

function paint(el) {
  const view = slaView(el._ticket, el._clock);
  el.className = `sla sla-${view.state}`;
  el.dataset.state = view.state;
  el.textContent = view.text;
  el.title = view.label;
}

function tick() {
  for (const el of live) {
    if (!el.isConnected) live.delete(el);
    else paint(el);
  }
  if (!live.size) {
    clearInterval(ticker);
    ticker = null;
  }
}

export function slaBadge(ticket, { clock } = {}) {
  const which = clock || activeClock(ticket);
  if (!which) {
    return h('span', { class: 'sla sla-none', dataset: { state: 'none' } }, t('sla.done'));
  }
  const el = h('span', { class: 'sla', dataset: { clock: which, ticket: ticket.id } });
  el._ticket = ticket;
  el._clock = which;
  paint(el);
  live.add(el);
  if (!ticker) ticker = setInterval(tick, 1000);
  return el;
}
