/**
 * screens/ticket.js — one ticket: the conversation as a thread (customer messages, our replies,
 * internal notes, routing and SLA events from its history), the two SLA clocks, the customer's
 * other conversations, every action the ticket's status allows, and the reply box.
 *
 * Reply box: templates searchable by name, text and language; placeholders filled from the
 * ticket and editable; the length counted as the customer's network counts it; a refused send
 * shows the platform's reason and keeps every word typed (the draft is also kept per ticket in
 * sessionStorage until it is sent, so leaving the screen loses nothing).
 */

import { ApiError, api, apiHas } from '../core/api.js';
import {
  chip,
  customerName,
  legalActions,
  platformIcon,
  platformName,
  slaBadge,
} from '../core/care.js';
import { add, clear, h, uid, userText } from '../core/dom.js';
import { formatNumber, timeElement } from '../core/format.js';
import { registerStrings, t } from '../core/i18n.js';
import { registerScreen } from '../core/router.js';
import { me } from '../core/session.js';
import { measure, replyLimit } from '../core/textlength.js';
import { applyFieldErrors, busy, emptyState, errorMessage, field, loading, showError, toast } from '../core/ui.js';

const REFRESH_MS = 15000;
const DRAFT_KEY = (id) => `carecycle.draft.${id}`;
const PLACEHOLDER = /\{(customer_name|ticket_number|private_link)\}/g;

registerStrings({
  en: {
    'ticket.title': 'Ticket',
    'ticket.heading': 'Ticket #{number}',
    'ticket.back': '← Inbox',
    'ticket.original': 'Open the original on {network}',
    'ticket.thread': 'Conversation',
    'ticket.clocks': 'SLA',
    'ticket.details': 'Details',
    'ticket.team': 'Team',
    'ticket.assignee': 'Assignee',
    'ticket.nobody': 'nobody',
    'ticket.opened': 'Opened',
    'ticket.language': 'Language',
    'ticket.related': "Customer's other conversations",
    'ticket.related.none': 'No other conversations with this customer.',
    'ticket.actions': 'Actions',
    'ev.opened': 'Ticket opened{team}',
    'ev.team': ' for team {team}',
    'ev.acknowledge': 'Acknowledged by {by}',
    'ev.assign': 'Assigned to {assignee} by {by}',
    'ev.unassigned': 'Unassigned by {by}',
    'ev.route': 'Routed to team {team} by {by}',
    'ev.pause': 'Paused (waiting on the customer) by {by}',
    'ev.resume': 'Resumed by {by}',
    'ev.resolve': 'Resolved by {by}',
    'ev.reopen': 'Reopened by {by}',
    'ev.reply': 'Reply by {by}',
    'ev.message_sent': 'Message sent by {by} (after a concurrent change)',
    'ev.sla_at_risk': '{clock} deadline at risk',
    'ev.sla_breached': '{clock} deadline missed',
    'ev.note': 'Internal note by {by}',
    'ev.other': '{action} by {by}',
    'msg.customer': 'Customer',
    'msg.ours.public': 'Our public reply',
    'msg.ours.private': 'Our private message',
    'msg.view': 'view',
    'msg.note.label': 'Internal note, never sent to the customer',
    'compose.title': 'Reply',
    'compose.mode': 'What to write',
    'compose.mode.reply': 'Reply to the customer',
    'compose.mode.note': 'Internal note',
    'compose.private': 'Move to private (send as a direct message)',
    'compose.templates': 'Templates',
    'compose.search': 'Find a template',
    'compose.search.hint': 'By name or text',
    'compose.language': 'Template language',
    'compose.any': 'Any language',
    'compose.none': 'No template matches.',
    'compose.placeholders': 'Filled in from the ticket (edit before sending)',
    'compose.ph.customer_name': 'Customer name',
    'compose.ph.ticket_number': 'Ticket number',
    'compose.ph.private_link': 'Private link',
    'compose.text': 'Message',
    'compose.note': 'Note for the team',
    'compose.count': '{used} / {max}',
    'compose.count.label': 'Length as {network} counts it: {used} of {max}',
    'compose.over': 'Too long for {network} by {over}.',
    'compose.send.ack': 'Acknowledge and send',
    'compose.send.reply': 'Send reply',
    'compose.send.resolve': 'Send and resolve',
    'compose.send.note': 'Add note',
    'compose.sent': 'Sent to the customer.',
    'compose.noted': 'Note added (not sent to the customer).',
    'compose.empty': 'Write a message first.',
    'compose.kept': 'Your text is still here; nothing was lost.',
    'compose.cannot': 'This ticket is resolved: reopen it to reply.',
    'kind.acknowledgement': 'acknowledgement',
    'kind.private': 'move to private',
    'kind.reply': 'reply',
    'kind.resolution': 'resolution',
    'act.route': 'Route to a team',
    'act.route.team': 'Team',
    'act.route.auto': 'By the routing rules',
    'act.route.note': 'Note for the team (required)',
    'act.route.go': 'Route',
    'act.assign': 'Assign',
    'act.assign.who': 'Agent (empty: least busy on duty)',
    'act.assign.go': 'Assign',
    'act.assign.me': 'Assign to me',
    'act.pause': 'Pause (waiting on customer)',
    'act.resume': 'Resume',
    'act.resolve': 'Resolve',
    'act.reopen': 'Reopen',
    'act.done': 'Done.',
    'labels.edit': 'Correct labels',
    'labels.intent': 'Intent',
    'labels.sentiment': 'Sentiment',
    'labels.save': 'Save labels',
    'labels.saved': 'Labels saved.',
  },
  fa: {
    'ticket.title': 'تیکت',
    'ticket.heading': 'تیکت {number}',
    'ticket.back': '→ صندوق',
    'ticket.original': 'دیدن پیام اصلی در {network}',
    'ticket.thread': 'گفتگو',
    'ticket.clocks': 'تعهد زمانی (SLA)',
    'ticket.details': 'جزئیات',
    'ticket.team': 'تیم',
    'ticket.assignee': 'مسئول',
    'ticket.nobody': 'هیچ‌کس',
    'ticket.opened': 'باز شده',
    'ticket.language': 'زبان',
    'ticket.related': 'گفتگوهای دیگر این مشتری',
    'ticket.related.none': 'گفتگوی دیگری با این مشتری نیست.',
    'ticket.actions': 'کارها',
    'ev.opened': 'تیکت باز شد{team}',
    'ev.team': ' برای تیم {team}',
    'ev.acknowledge': 'پاسخ اولیه توسط {by}',
    'ev.assign': 'سپرده به {assignee} توسط {by}',
    'ev.unassigned': 'بدون مسئول شد توسط {by}',
    'ev.route': 'ارجاع به تیم {team} توسط {by}',
    'ev.pause': 'توقف (در انتظار مشتری) توسط {by}',
    'ev.resume': 'ادامه توسط {by}',
    'ev.resolve': 'حل شد توسط {by}',
    'ev.reopen': 'بازگشایی توسط {by}',
    'ev.reply': 'پاسخ توسط {by}',
    'ev.message_sent': 'پیام توسط {by} فرستاده شد (پس از تغییر هم‌زمان)',
    'ev.sla_at_risk': 'موعد {clock} در خطر است',
    'ev.sla_breached': 'موعد {clock} گذشت',
    'ev.note': 'یادداشت داخلی از {by}',
    'ev.other': '{action} توسط {by}',
    'msg.customer': 'مشتری',
    'msg.ours.public': 'پاسخ عمومی ما',
    'msg.ours.private': 'پیام خصوصی ما',
    'msg.view': 'مشاهده',
    'msg.note.label': 'یادداشت داخلی؛ هرگز برای مشتری فرستاده نمی‌شود',
    'compose.title': 'پاسخ',
    'compose.mode': 'چه می‌نویسید',
    'compose.mode.reply': 'پاسخ به مشتری',
    'compose.mode.note': 'یادداشت داخلی',
    'compose.private': 'انتقال به گفتگوی خصوصی (ارسال به‌صورت پیام مستقیم)',
    'compose.templates': 'قالب‌ها',
    'compose.search': 'جستجوی قالب',
    'compose.search.hint': 'با نام یا متن',
    'compose.language': 'زبان قالب',
    'compose.any': 'همهٔ زبان‌ها',
    'compose.none': 'قالبی پیدا نشد.',
    'compose.placeholders': 'از روی تیکت پر شد (پیش از ارسال ویرایش کنید)',
    'compose.ph.customer_name': 'نام مشتری',
    'compose.ph.ticket_number': 'شمارهٔ تیکت',
    'compose.ph.private_link': 'پیوند خصوصی',
    'compose.text': 'پیام',
    'compose.note': 'یادداشت برای تیم',
    'compose.count': '{used} / {max}',
    'compose.count.label': 'طول پیام به حساب {network}: {used} از {max}',
    'compose.over': 'برای {network} به اندازهٔ {over} طولانی است.',
    'compose.send.ack': 'پاسخ اولیه و ارسال',
    'compose.send.reply': 'ارسال پاسخ',
    'compose.send.resolve': 'ارسال و حل',
    'compose.send.note': 'افزودن یادداشت',
    'compose.sent': 'برای مشتری فرستاده شد.',
    'compose.noted': 'یادداشت افزوده شد (برای مشتری فرستاده نشد).',
    'compose.empty': 'اول پیامی بنویسید.',
    'compose.kept': 'متن شما سر جایش است؛ چیزی از دست نرفت.',
    'compose.cannot': 'این تیکت حل شده است؛ برای پاسخ آن را بازگشایی کنید.',
    'kind.acknowledgement': 'پاسخ اولیه',
    'kind.private': 'انتقال به خصوصی',
    'kind.reply': 'پاسخ',
    'kind.resolution': 'حل',
    'act.route': 'ارجاع به تیم',
    'act.route.team': 'تیم',
    'act.route.auto': 'طبق قواعد ارجاع',
    'act.route.note': 'یادداشت برای تیم (لازم)',
    'act.route.go': 'ارجاع',
    'act.assign': 'سپردن',
    'act.assign.who': 'کارشناس (خالی: کم‌کارترین کشیک)',
    'act.assign.go': 'سپردن',
    'act.assign.me': 'به خودم',
    'act.pause': 'توقف (در انتظار مشتری)',
    'act.resume': 'ادامه',
    'act.resolve': 'حل شد',
    'act.reopen': 'بازگشایی',
    'act.done': 'انجام شد.',
    'labels.edit': 'اصلاح برچسب‌ها',
    'labels.intent': 'قصد',
    'labels.sentiment': 'احساس',
    'labels.save': 'ذخیرهٔ برچسب‌ها',
    'labels.saved': 'برچسب‌ها ذخیره شد.',
  },
});

function loadDraft(id) {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT_KEY(id)) || 'null');
  } catch {
    return null;
  }
}

function saveDraft(id, draft) {
  try {
    if (draft && draft.text) sessionStorage.setItem(DRAFT_KEY(id), JSON.stringify(draft));
    else sessionStorage.removeItem(DRAFT_KEY(id));
  } catch {
    /* storage full or unavailable: the textarea still holds the text */
  }
}

/** Customer messages, our messages, notes and events, in time order. */
function threadItems(ticket) {
  const items = [];
  for (const mention of ticket.mentions || []) {
    items.push({ at: mention.created_at || ticket.created_at, kind: 'customer', mention });
  }
  for (const entry of ticket.history || []) {
    if (entry.action === 'mention_added') continue;
    if (entry.action === 'note') {
      items.push({ at: entry.at, kind: 'note', entry });
      continue;
    }
    if (entry.message) items.push({ at: entry.at, kind: 'ours', entry });
    if (entry.action !== 'reply' && entry.action !== 'message_sent') {
      items.push({ at: entry.at, kind: 'event', entry });
    }
  }
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function eventText(entry) {
  const by = entry.by || 'system';
  switch (entry.action) {
    case 'opened':
      return t('ev.opened', { team: entry.team ? t('ev.team', { team: entry.team }) : '' });
    case 'assign':
      return entry.assignee ? t('ev.assign', { assignee: entry.assignee, by }) : t('ev.unassigned', { by });
    case 'route':
      return t('ev.route', { team: entry.team || '?', by });
    case 'sla_at_risk':
    case 'sla_breached':
      return t(`ev.${entry.action}`, { clock: t(`sla.clock.${entry.clock || 'ack'}`) });
    case 'acknowledge':
    case 'pause':
    case 'resume':
    case 'resolve':
    case 'reopen':
      return t(`ev.${entry.action}`, { by });
    default:
      return t('ev.other', { action: entry.action, by });
  }
}

function drawThread(list, ticket, { labelsApi, onLabels }) {
  clear(list);
  for (const item of threadItems(ticket)) {
    if (item.kind === 'customer') {
      const m = item.mention;
      const author = m.author || {};
      const labels = h(
        'div',
        { class: 'ticket-meta' },
        chip('intent', m.intent),
        chip('sentiment', m.sentiment),
        labelsApi ? labelEditor(m, onLabels) : null,
      );
      list.appendChild(
        h(
          'li',
          { class: 'msg msg-customer', dataset: { kind: 'customer', mention: m.id } },
          h(
            'div',
            { class: 'msg-meta' },
            userText(author.name || author.handle || author.id || t('msg.customer'), 'strong'),
            timeElement(m.created_at),
            m.url ? h('a', { href: m.url, target: '_blank', rel: 'noopener noreferrer' }, t('msg.view')) : null,
          ),
          userText(m.text || '', 'p'),
          labels,
        ),
      );
    } else if (item.kind === 'ours') {
      const msg = item.entry.message;
      list.appendChild(
        h(
          'li',
          { class: 'msg msg-ours', dataset: { kind: 'ours', action: item.entry.action } },
          h(
            'div',
            { class: 'msg-meta' },
            h('strong', {}, t(msg.private ? 'msg.ours.private' : 'msg.ours.public')),
            h('span', { dir: 'auto' }, item.entry.by),
            timeElement(item.entry.at),
            msg.url ? h('a', { href: msg.url, target: '_blank', rel: 'noopener noreferrer' }, t('msg.view')) : null,
          ),
          userText(msg.text, 'p'),
        ),
      );
    } else if (item.kind === 'note') {
      list.appendChild(
        h(
          'li',
          { class: 'msg msg-note', dataset: { kind: 'note' }, 'aria-label': t('msg.note.label') },
          h(
            'div',
            { class: 'msg-meta' },
            h('strong', {}, t('ev.note', { by: item.entry.by })),
            timeElement(item.entry.at),
          ),
          userText(item.entry.note, 'p'),
        ),
      );
    } else {
      const entry = item.entry;
      const tone = entry.action === 'sla_breached' ? 'is-bad' : entry.action === 'sla_at_risk' ? 'is-warn' : '';
      list.appendChild(
        h(
          'li',
          { class: ['msg', 'msg-event', tone], dataset: { kind: 'event', action: entry.action } },
          h('span', {}, eventText(entry), ' · '),
          timeElement(entry.at),
          entry.note ? h('div', {}, userText(entry.note)) : null,
        ),
      );
    }
  }
}

function labelEditor(mention, onLabels) {
  const intent = h(
    'select',
    { class: 'input' },
    ['complaint', 'question', 'praise', 'other'].map((v) => h('option', { value: v, selected: v === mention.intent }, t(`intent.${v}`))),
  );
  const sentiment = h(
    'select',
    { class: 'input' },
    ['negative', 'neutral', 'positive'].map((v) => h('option', { value: v, selected: v === mention.sentiment }, t(`sentiment.${v}`))),
  );
  const save = h('button', { type: 'submit', class: 'btn btn-small' }, t('labels.save'));
  const form = h(
    'form',
    { class: 'toolbar' },
    field({ label: t('labels.intent'), input: intent, name: 'intent' }),
    field({ label: t('labels.sentiment'), input: sentiment, name: 'sentiment' }),
    save,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy(save, () => onLabels(mention, { intent: intent.value, sentiment: sentiment.value }, form));
  });
  return h('details', { class: 'action' }, h('summary', {}, t('labels.edit')), form);
}

function placeholderValues(ticket) {
  return {
    customer_name: customerName(ticket) === '—' ? '' : customerName(ticket),
    ticket_number: String(ticket.number),
    private_link: '',
  };
}

function fill(text, values) {
  return text.replace(PLACEHOLDER, (whole, name) => (values[name] ? values[name] : whole));
}

registerScreen({
  route: '/tickets/:id',
  nav: null,
  titleKey: 'ticket.title',
  render(root, params) {
    const id = params.id;
    let ticket = null;
    let templates = [];
    let teams = [];
    let stopped = false;
    let labelsApi = false;
    loading(root);

    const head = h('div', { class: 'ticket-head' });
    const thread = h('ol', { class: 'thread', 'aria-label': t('ticket.thread') });
    const clocks = h('section', { class: 'card', 'aria-labelledby': 'clocks-h' });
    const details = h('section', { class: 'card', 'aria-labelledby': 'details-h' });
    const actions = h('section', { class: 'card', 'aria-labelledby': 'actions-h' });
    const related = h('section', { class: 'card', 'aria-labelledby': 'related-h' });
    const composerHost = h('section', { class: 'card', 'aria-labelledby': 'compose-h' });

    // --- the reply box (kept across refreshes: it is drawn once) -----------------------------
    const draft = loadDraft(id) || {};
    const state = {
      mode: draft.mode || 'reply',
      private: Boolean(draft.private),
      template: null,
      generated: null,
      values: null,
    };
    const textarea = h('textarea', { class: 'input', rows: '5', dir: 'auto' });
    textarea.value = draft.text || '';
    const counter = h('p', { class: 'counter', 'aria-live': 'polite' });
    const composeError = h('div', { class: 'compose-errors' });
    const privateBox = h('input', { type: 'checkbox', checked: state.private });
    const search = h('input', { type: 'search', class: 'input', autocomplete: 'off' });
    const language = h('select', { class: 'input' });
    const templateList = h('ul', { class: 'template-list', 'aria-label': t('compose.templates') });
    const placeholderBox = h('fieldset', { class: 'placeholders', hidden: true });
    const sendButton = h('button', { type: 'submit', class: 'btn btn-primary' });
    const resolveButton = h('button', { type: 'button', class: 'btn' }, t('compose.send.resolve'));
    const textLabel = h('span');
    const form = h('form', { class: 'composer', novalidate: true });
    const modeName = uid('mode');
    const modes = h(
      'fieldset',
      { class: 'composer-modes' },
      h('legend', { class: 'visually-hidden' }, t('compose.mode')),
      ['reply', 'note'].map((mode) => {
        const radioId = uid('mode');
        return h(
          'span',
          { class: 'field-inline' },
          h('input', {
            type: 'radio',
            name: modeName,
            id: radioId,
            value: mode,
            checked: state.mode === mode,
            on: { change: () => setMode(mode) },
          }),
          h('label', { for: radioId }, t(`compose.mode.${mode}`)),
        );
      }),
    );
    const templatePart = h(
      'div',
      { class: 'template-part' },
      h(
        'div',
        { class: 'toolbar' },
        field({ label: t('compose.search'), input: search, name: 'template_search', hint: t('compose.search.hint') }),
        field({ label: t('compose.language'), input: language, name: 'template_language' }),
      ),
      templateList,
      placeholderBox,
    );
    const privateRow = h(
      'div',
      { class: 'field-inline' },
      privateBox,
      h('label', { for: (privateBox.id = uid('private')) }, t('compose.private')),
    );
    const textField = field({ label: textLabel, input: textarea, name: 'text' });
    const closedHint = h('p', { class: 'muted compose-hint', hidden: true }, t('compose.cannot'));
    add(form, 
      h('h2', { id: 'compose-h' }, t('compose.title')),
      modes,
      templatePart,
      privateRow,
      closedHint,
      textField,
      counter,
      composeError,
      h('div', { class: 'actions' }, sendButton, resolveButton),
    );
    composerHost.appendChild(form);

    function persist() {
      saveDraft(id, { text: textarea.value, mode: state.mode, private: state.private });
    }

    function setMode(mode) {
      state.mode = mode;
      persist();
      drawComposer();
    }

    function limitRules() {
      return replyLimit(ticket ? ticket.platform : 'default');
    }

    function drawCounter() {
      if (state.mode === 'note' || !ticket) {
        counter.textContent = '';
        counter.classList.remove('is-over');
        return true;
      }
      const rules = limitRules();
      const used = measure(textarea.value, rules);
      const over = used - rules.max;
      const network = platformName(ticket.platform);
      counter.textContent = over > 0
        ? `${t('compose.count', { used, max: rules.max })} · ${t('compose.over', { network, over })}`
        : t('compose.count', { used, max: rules.max });
      counter.setAttribute('aria-label', t('compose.count.label', { network, used, max: rules.max }));
      counter.classList.toggle('is-over', over > 0);
      counter.dataset.used = String(used);
      return over <= 0;
    }

    function drawComposer() {
      if (!ticket) return;
      const legal = legalActions(ticket.status);
      const note = state.mode === 'note';
      const canSend = legal.includes('acknowledge') || legal.includes('reply');
      templatePart.hidden = note || !canSend;
      privateRow.hidden = note || !canSend;
      textField.hidden = !note && !canSend;
      counter.hidden = !note && !canSend;
      closedHint.hidden = note || canSend;
      textLabel.textContent = note ? t('compose.note') : t('compose.text');
      sendButton.textContent = note
        ? t('compose.send.note')
        : legal.includes('acknowledge')
          ? t('compose.send.ack')
          : t('compose.send.reply');
      sendButton.hidden = !note && !canSend;
      resolveButton.hidden = note || !legal.includes('resolve');
      drawCounter();
    }

    function drawTemplates() {
      clear(templateList);
      const q = search.value.trim().toLowerCase();
      const lang = language.value;
      const order = { acknowledgement: 0, private: 1, reply: 2, resolution: 3 };
      const open = ticket && ticket.status === 'open';
      const shown = templates
        .filter((tpl) => !lang || tpl.language === lang)
        .filter((tpl) => !q || `${tpl.name || ''} ${tpl.id} ${tpl.text}`.toLowerCase().includes(q))
        .sort((a, b) => (open ? order[a.kind] - order[b.kind] : 0) || a.id.localeCompare(b.id));
      if (!shown.length) {
        templateList.appendChild(h('li', { class: 'muted template-option' }, t('compose.none')));
        return;
      }
      for (const tpl of shown) {
        templateList.appendChild(
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'template-option',
                'aria-pressed': state.template && state.template.id === tpl.id ? 'true' : 'false',
                dataset: { template: tpl.id },
                on: { click: () => chooseTemplate(tpl) },
              },
              userText(tpl.name || tpl.id, 'strong'),
              ' ',
              h('span', { class: 'chip' }, t(`kind.${tpl.kind}`)),
              ' ',
              h('span', { class: 'chip', lang: tpl.language }, tpl.language),
            ),
          ),
        );
      }
    }

    function chooseTemplate(tpl, { focus = true } = {}) {
      state.template = tpl;
      state.values = placeholderValues(ticket);
      if (tpl.kind === 'private') {
        state.private = true;
        privateBox.checked = true;
      }
      regenerate(true);
      drawPlaceholders();
      drawTemplates();
      if (focus) textarea.focus();
    }

    function regenerate(force) {
      if (!state.template) return;
      const text = fill(state.template.text, state.values);
      if (force || textarea.value === state.generated) {
        textarea.value = text;
        state.generated = text;
      }
      persist();
      drawCounter();
    }

    function drawPlaceholders() {
      clear(placeholderBox);
      const used = state.template ? [...new Set([...state.template.text.matchAll(PLACEHOLDER)].map((m) => m[1]))] : [];
      placeholderBox.hidden = !used.length;
      if (!used.length) return;
      placeholderBox.appendChild(h('legend', {}, t('compose.placeholders')));
      for (const name of used) {
        const input = h('input', {
          class: 'input',
          type: 'text',
          dir: 'auto',
          value: state.values[name] || '',
          on: {
            input: (event) => {
              state.values[name] = event.target.value;
              regenerate(false);
            },
          },
        });
        placeholderBox.appendChild(field({ label: t(`compose.ph.${name}`), input, name: `ph_${name}` }));
      }
    }

    search.addEventListener('input', drawTemplates);
    language.addEventListener('change', drawTemplates);
    textarea.addEventListener('input', () => {
      persist();
      drawCounter();
    });
    privateBox.addEventListener('change', () => {
      state.private = privateBox.checked;
      persist();
    });

    async function send(resolveToo) {
      clear(composeError);
      applyFieldErrors(form, []);
      const text = textarea.value.trim();
      if (!text) {
        composeError.appendChild(h('p', { class: 'alert alert-error', role: 'alert' }, t('compose.empty')));
        textarea.focus();
        return;
      }
      if (state.mode !== 'note' && !drawCounter()) {
        textarea.focus();
        return;
      }
      const legal = legalActions(ticket.status);
      try {
        if (state.mode === 'note') {
          await api(`/tickets/${encodeURIComponent(id)}/notes`, { method: 'POST', body: { note: text } });
          toast(t('compose.noted'));
        } else {
          const body = { text, private: state.private };
          let action = legal.includes('acknowledge') ? 'acknowledge' : 'reply';
          if (resolveToo && legal.includes('resolve')) action = 'resolve';
          await api(`/tickets/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });
          toast(t('compose.sent'));
        }
        textarea.value = '';
        state.template = null;
        state.generated = null;
        placeholderBox.hidden = true;
        saveDraft(id, null);
        await reload();
      } catch (err) {
        const wasSent = err.status === 409 && (err.details || []).some((d) => d && d.message_sent);
        if (!wasSent) persist();
        const message = errorMessage(err);
        if (err instanceof ApiError && err.status === 422) {
          const left = applyFieldErrors(form, err.details);
          if (!left.length) {
            composeError.appendChild(h('p', { class: 'alert alert-error', role: 'alert' }, `${t('error.422')} ${t('compose.kept')}`));
            return;
          }
        }
        composeError.appendChild(
          h(
            'div',
            { class: 'alert alert-error', role: 'alert', dataset: { status: err.status, code: err.code || '' } },
            h('p', { class: 'alert-text' }, message, wasSent ? null : ` ${t('compose.kept')}`),
          ),
        );
        if (err.status === 409) {
          if (wasSent) {
            // The customer has it: clear the draft so it cannot be sent twice.
            textarea.value = '';
            saveDraft(id, null);
          }
          reload();
        }
      }
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(sendButton, () => send(false));
    });
    resolveButton.addEventListener('click', () => busy(resolveButton, () => send(true)));

    // --- actions --------------------------------------------------------------------------
    async function act(action, body, button) {
      await busy(button, async () => {
        try {
          await api(`/tickets/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });
          toast(t('act.done'));
          await reload();
        } catch (err) {
          showError(err, { target: actions });
          if (err.status === 409) reload();
        }
      });
    }

    function drawActions() {
      clear(actions);
      actions.appendChild(h('h2', { id: 'actions-h' }, t('ticket.actions')));
      const legal = legalActions(ticket.status);
      const grid = h('div', { class: 'action-grid' });
      const simple = [
        ['pause', 'act.pause'],
        ['resume', 'act.resume'],
        ['resolve', 'act.resolve'],
        ['reopen', 'act.reopen'],
      ];
      for (const [action, key] of simple) {
        if (!legal.includes(action)) continue;
        const btn = h('button', { type: 'button', class: 'btn', dataset: { action } }, t(key));
        btn.addEventListener('click', () => act(action, {}, btn));
        grid.appendChild(btn);
      }
      actions.appendChild(grid);

      if (legal.includes('route')) {
        const team = h(
          'select',
          { class: 'input' },
          h('option', { value: '' }, t('act.route.auto')),
          teams.map((tm) => h('option', { value: tm.id, selected: tm.id === ticket.team }, tm.name || tm.id)),
        );
        const note = h('textarea', { class: 'input', rows: '2', dir: 'auto', required: true });
        const go = h('button', { type: 'submit', class: 'btn' }, t('act.route.go'));
        const routeForm = h(
          'form',
          { novalidate: true },
          field({ label: t('act.route.team'), input: team, name: 'team' }),
          field({ label: t('act.route.note'), input: note, name: 'note' }),
          go,
        );
        routeForm.addEventListener('submit', async (event) => {
          event.preventDefault();
          applyFieldErrors(routeForm, []);
          if (!note.value.trim()) {
            applyFieldErrors(routeForm, [{ field: 'note', problem: t('compose.empty') }]);
            note.focus();
            return;
          }
          const body = { note: note.value.trim() };
          if (team.value) body.team = team.value;
          await busy(go, async () => {
            try {
              await api(`/tickets/${encodeURIComponent(id)}/route`, { method: 'POST', body });
              toast(t('act.done'));
              await reload();
            } catch (err) {
              if (err.status === 422) applyFieldErrors(routeForm, err.details);
              showError(err, { target: actions });
            }
          });
        });
        actions.appendChild(h('details', { class: 'action', dataset: { action: 'route' } }, h('summary', {}, t('act.route')), routeForm));
      }

      if (legal.includes('assign')) {
        const members = [...new Set(teams.flatMap((tm) => (tm.members || []).map((m) => m.agent)))];
        const listId = uid('agents');
        const who = h('input', { class: 'input', type: 'text', list: listId, autocomplete: 'off', dir: 'ltr', value: ticket.assignee || '' });
        const go = h('button', { type: 'submit', class: 'btn' }, t('act.assign.go'));
        const mine = h('button', { type: 'button', class: 'btn btn-quiet' }, t('act.assign.me'));
        const assignForm = h(
          'form',
          { novalidate: true },
          field({ label: t('act.assign.who'), input: who, name: 'assignee' }),
          h('datalist', { id: listId }, members.map((m) => h('option', { value: m }))),
          h('div', { class: 'actions' }, go, me() ? mine : null),
        );
        const submit = async (assignee, button) => {
          applyFieldErrors(assignForm, []);
          await busy(button, async () => {
            try {
              await api(`/tickets/${encodeURIComponent(id)}/assign`, { method: 'POST', body: assignee ? { assignee } : {} });
              toast(t('act.done'));
              await reload();
            } catch (err) {
              if (err.status === 422) applyFieldErrors(assignForm, err.details);
              showError(err, { target: actions });
            }
          });
        };
        assignForm.addEventListener('submit', (event) => {
          event.preventDefault();
          submit(who.value.trim(), go);
        });
        mine.addEventListener('click', () => submit(me().name, mine));
        actions.appendChild(h('details', { class: 'action', dataset: { action: 'assign' } }, h('summary', {}, t('act.assign')), assignForm));
      }
    }

    function drawHead() {
      clear(head);
      const first = (ticket.mentions || [])[0];
      add(head, 
        h('a', { href: '#/inbox', class: 'btn btn-quiet' }, t('ticket.back')),
        platformIcon(ticket.platform),
        h('h1', {}, t('ticket.heading', { number: formatNumber(ticket.number, { useGrouping: false }) }), ' · ', userText(customerName(ticket))),
        chip('status', ticket.status),
        chip('priority', ticket.priority),
        slaBadge(ticket),
        first && first.url
          ? h('a', { href: first.url, target: '_blank', rel: 'noopener noreferrer', class: 'btn btn-small' }, t('ticket.original', { network: platformName(ticket.platform) }))
          : null,
      );
    }

    function drawClocks() {
      clear(clocks);
      add(clocks, 
        h('h2', { id: 'clocks-h' }, t('ticket.clocks')),
        ...['ack', 'resolve'].map((clock) =>
          h(
            'div',
            { class: 'clock', dataset: { clock } },
            slaBadge(ticket, { clock }),
            timeElement(clock === 'ack' ? ticket.ack_due_at : ticket.resolve_due_at),
          ),
        ),
      );
    }

    function drawDetails() {
      clear(details);
      const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
      add(details, 
        h('h2', { id: 'details-h' }, t('ticket.details')),
        h(
          'dl',
          { class: 'dl' },
          row(t('ticket.team'), ticket.team || '—'),
          row(t('ticket.assignee'), ticket.assignee ? h('span', { dir: 'auto' }, ticket.assignee) : t('ticket.nobody')),
          row(t('ticket.opened'), timeElement(ticket.created_at)),
          row(t('ticket.language'), ticket.language),
        ),
      );
    }

    async function drawRelated() {
      clear(related);
      related.appendChild(h('h2', { id: 'related-h' }, t('ticket.related')));
      try {
        const page = await api(`/tickets/${encodeURIComponent(id)}/related`);
        if (stopped) return;
        if (!page.items.length) {
          related.appendChild(h('p', { class: 'muted' }, t('ticket.related.none')));
          return;
        }
        related.appendChild(
          h(
            'ul',
            { class: 'related' },
            page.items.map((other) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `#/tickets/${encodeURIComponent(other.id)}` },
                  platformIcon(other.platform),
                  ' ',
                  `#${formatNumber(Number(other.id.slice(1)), { useGrouping: false })}`,
                  ' ',
                  userText((other.preview || {}).text || ''),
                ),
                ' ',
                chip('status', other.status),
                ' ',
                timeElement(other.created_at, { zone: false }),
              ),
            ),
          ),
        );
      } catch (err) {
        related.appendChild(h('p', { class: 'muted' }, errorMessage(err)));
      }
    }

    async function onLabels(mention, labels, labelForm) {
      try {
        await api(`/mentions/${encodeURIComponent(mention.id)}/labels`, { method: 'PATCH', body: labels });
        toast(t('labels.saved'));
        await reload();
      } catch (err) {
        if (err.status === 422) applyFieldErrors(labelForm, err.details);
        showError(err, { target: labelForm });
      }
    }

    let actionsKey = null;

    function drawAll() {
      drawHead();
      drawThread(thread, ticket, { labelsApi, onLabels });
      drawClocks();
      drawDetails();
      // The action forms are redrawn only when what they offer changes, so a refresh never
      // wipes a routing note being typed.
      const key = `${ticket.status}|${ticket.team}|${ticket.assignee}`;
      if (key !== actionsKey) {
        actionsKey = key;
        drawActions();
      }
      drawComposer();
    }

    async function reload() {
      const fresh = await api(`/tickets/${encodeURIComponent(id)}`);
      if (stopped) return;
      const changed = !ticket || fresh.version !== ticket.version;
      ticket = fresh;
      if (changed) drawAll();
    }

    async function first() {
      try {
        const [found, templatePage, teamPage, hasLabels] = await Promise.all([
          api(`/tickets/${encodeURIComponent(id)}`),
          api('/templates', { query: { limit: 100 } }).catch(() => ({ items: [] })),
          api('/teams', { query: { limit: 100 } }).catch(() => ({ items: [] })),
          apiHas('PATCH', '/mentions/{mention_id}/labels'),
        ]);
        if (stopped) return;
        ticket = found;
        templates = templatePage.items || [];
        teams = teamPage.items || [];
        labelsApi = hasLabels;
      } catch (err) {
        clear(root);
        root.removeAttribute('aria-busy');
        add(root, h('p', {}, h('a', { href: '#/inbox' }, t('ticket.back'))));
        if (err.status === 404) root.appendChild(emptyState(t('error.404')));
        else showError(err, { target: root });
        return;
      }
      clear(root);
      root.removeAttribute('aria-busy');
      const languages = [...new Set(templates.map((tpl) => tpl.language))].sort();
      add(language, 
        h('option', { value: '' }, t('compose.any')),
        ...languages.map((l) => h('option', { value: l, selected: l === (ticket.language === 'fa' || ticket.language === 'en' ? ticket.language : '') }, l)),
      );
      add(root, 
        head,
        h(
          'div',
          { class: 'ticket-layout' },
          h('div', { class: 'ticket-column' }, h('h2', { class: 'visually-hidden' }, t('ticket.thread')), thread, composerHost),
          h('aside', { class: 'side-panel' }, clocks, actions, details, related),
        ),
      );
      drawAll();
      drawTemplates();
      if (!textarea.value && ticket.status === 'open' && ticket.suggested_template) {
        const suggested = templates.find((tpl) => tpl.id === ticket.suggested_template.id) || ticket.suggested_template;
        chooseTemplate(suggested, { focus: false });
      }
      drawRelated();
    }

    first();
    const timer = setInterval(() => {
      if (!document.hidden && ticket) reload().catch(() => {});
    }, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      persist();
    };
  },
});

