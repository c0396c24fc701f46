/**
 * screens/settings.js — teams (members, duty, routing rules), each team's SLA business calendar
 * (windows per weekday, days off, holidays, targets per priority) and escalation, people's
 * notification contacts, reply templates, and API tokens (admin only; a new token is shown once).
 *
 * Decisions:
 * - Sections are in the URL (#/settings?section=teams&team=billing) so a link opens the place.
 * - Targets are typed in hours (decimals allowed) and sent as seconds; the API's 422 paths
 *   (`by_priority.urgent.ack_seconds`, `calendar.hours.mon.0`) are mapped to the exact input.
 * - Duty is switched on its own endpoint at once (someone going home should not need a "save");
 *   everything else is saved by its form's button, and a failed save leaves the form as typed.
 * - A created token's secret appears once in a highlighted box with a copy button; it is never
 *   stored by the console and disappears when the section is left.
 */

import { api } from '../core/api.js';
import { clear, h, userText } from '../core/dom.js';
import { brandZone, formatDateTime } from '../core/format.js';
import { locale, registerStrings, t } from '../core/i18n.js';
import { registerScreen } from '../core/router.js';
import { hasRole } from '../core/session.js';
import { applyFieldErrors, busy, button, errorMessage, field, loading, showError, toast } from '../core/ui.js';
import { add, lines, localDetails, zonedToUtc } from './common.js';

const SECTIONS = ['teams', 'contacts', 'templates', 'tokens'];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const CATEGORIES = ['brand', 'industry', 'competitor', 'influencer', 'figure'];
const KINDS = ['acknowledgement', 'reply', 'resolution', 'private'];
const CHANNELS = ['dm', 'email', 'phone'];
const ROLES = ['agent', 'manager', 'admin'];
const TEAM_ID = /^[a-z][a-z0-9_-]{0,31}$/;

registerStrings({
  en: {
    'set.title': 'Settings',
    'set.sections': 'Settings sections',
    'set.teams': 'Teams',
    'set.contacts': 'Contacts',
    'set.templates': 'Templates',
    'set.tokens': 'Tokens',
    'set.new_team': 'New team',
    'set.team_id': 'Team id',
    'set.team_id_hint': 'Lowercase letters, digits, - and _ (e.g. billing). It cannot be changed later.',
    'set.team_id_bad': 'Use lowercase letters, digits, - and _, starting with a letter.',
    'set.team_name': 'Name',
    'set.members': 'Members and duty',
    'set.member': 'Member (agent name)',
    'set.on_duty': 'On duty',
    'set.add_member': 'Add member',
    'set.remove': 'Remove',
    'set.duty_saved': '{agent} is now {state}.',
    'set.duty_on': 'on duty',
    'set.duty_off': 'off duty',
    'set.routing': 'Routing rules',
    'set.terms': 'Words or phrases that route a ticket here',
    'set.categories': 'Mention categories that route here',
    'set.save_team': 'Save team',
    'set.team_saved': 'Team saved.',
    'set.delete_team': 'Delete team',
    'set.team_deleted': 'Team deleted.',
    'set.no_teams': 'No teams yet.',
    'set.members_count': '{count} members',
    'set.sla': 'SLA business calendar',
    'set.timezone': 'Time zone',
    'set.timezone_hint': 'IANA name, e.g. Asia/Tehran',
    'set.week': 'Opening hours per weekday',
    'set.always_open': 'No windows on any day means open around the clock.',
    'set.day_off': 'Day off',
    'set.window_from': 'Opens',
    'set.window_to': 'Closes',
    'set.add_window': 'Add window',
    'set.holidays': 'Holidays',
    'set.add_holiday': 'Add holiday',
    'set.holiday': 'Holiday date',
    'set.targets': 'Targets (hours)',
    'set.targets_default': 'All priorities',
    'set.use_defaults': 'Default ({ack} h / {resolve} h from the server)',
    'set.own_targets': 'Own targets for {priority}',
    'set.ack': 'First reply within',
    'set.resolve': 'Resolve within',
    'set.save_sla': 'Save SLA',
    'set.sla_saved': 'SLA saved. New tickets use it; open tickets keep their deadlines.',
    'set.escalation': 'Escalation',
    'set.manager': 'Manager (breaches go to them)',
    'set.team_channel': "The team's own channel",
    'set.telegram_chat_id': 'Telegram chat id',
    'set.slack_webhook_url': 'Slack incoming webhook URL',
    'set.email': 'E-mail',
    'set.save_escalation': 'Save escalation',
    'set.escalation_saved': 'Escalation saved.',
    'set.contact_agent': 'Person (agent name)',
    'set.load_contact': 'Load',
    'set.contact_new': 'No contact yet for {agent}: fill it in and save.',
    'set.save_contact': 'Save contact',
    'set.contact_saved': 'Contact saved.',
    'set.contacts_help': 'How each person is told about SLA warnings and breaches.',
    'set.new_template': 'New template',
    'set.template_id': 'Template id',
    'set.template_name': 'Name',
    'set.kind': 'Kind',
    'set.language': 'Language code',
    'set.channel': 'Private channel',
    'set.text': 'Text',
    'set.text_hint': 'Placeholders: {customer_name} {ticket_number} {private_link}',
    'set.save_template': 'Save template',
    'set.template_saved': 'Template saved.',
    'set.template_deleted': 'Template deleted.',
    'set.search_templates': 'Search templates',
    'kind.acknowledgement': 'Acknowledgement',
    'kind.reply': 'Reply',
    'kind.resolution': 'Resolution',
    'kind.private': 'Move to private',
    'channel.dm': 'Direct message',
    'channel.email': 'E-mail',
    'channel.phone': 'Phone',
    'set.new_token': 'New token',
    'set.token_name': 'Name (the person)',
    'set.token_role': 'Role',
    'set.token_expires': 'Expires at (optional)',
    'set.create_token': 'Create token',
    'set.token_once': 'Copy this token now: it is shown only once and cannot be read again.',
    'set.copy': 'Copy',
    'set.copied': 'Copied.',
    'set.revoke': 'Revoke',
    'set.revoked': 'Revoked',
    'set.revoke_confirm': 'Revoke the token of {name}? It stops working at once.',
    'set.token_created': 'Created {time}',
    'set.expires': 'expires {time}',
    'set.admin_only': 'Tokens are managed by an admin.',
    'prio.low': 'Low',
    'prio.normal': 'Normal',
    'prio.high': 'High',
    'prio.urgent': 'Urgent',
  },
  fa: {
    'set.title': 'تنظیمات',
    'set.sections': 'بخش‌های تنظیمات',
    'set.teams': 'تیم‌ها',
    'set.contacts': 'راه‌های تماس',
    'set.templates': 'قالب‌ها',
    'set.tokens': 'توکن‌ها',
    'set.new_team': 'تیم تازه',
    'set.team_id': 'شناسهٔ تیم',
    'set.team_id_hint': 'حروف کوچک لاتین، رقم، - و _ (مثلاً billing). بعداً قابل تغییر نیست.',
    'set.team_id_bad': 'فقط حروف کوچک لاتین، رقم، - و _ و با یک حرف شروع شود.',
    'set.team_name': 'نام',
    'set.members': 'اعضا و نوبت کاری',
    'set.member': 'عضو (نام کارشناس)',
    'set.on_duty': 'سر کار',
    'set.add_member': 'افزودن عضو',
    'set.remove': 'حذف',
    'set.duty_saved': '{agent} اکنون {state} است.',
    'set.duty_on': 'سر کار',
    'set.duty_off': 'خارج از نوبت',
    'set.routing': 'قواعد ارجاع',
    'set.terms': 'واژه‌ها یا عبارت‌هایی که تیکت را به این تیم می‌فرستند',
    'set.categories': 'دسته‌های اشاره که به این تیم می‌آیند',
    'set.save_team': 'ذخیرهٔ تیم',
    'set.team_saved': 'تیم ذخیره شد.',
    'set.delete_team': 'حذف تیم',
    'set.team_deleted': 'تیم حذف شد.',
    'set.no_teams': 'هنوز تیمی نیست.',
    'set.members_count': '{count} عضو',
    'set.sla': 'تقویم کاری SLA',
    'set.timezone': 'منطقهٔ زمانی',
    'set.timezone_hint': 'نام IANA، مثلاً Asia/Tehran',
    'set.week': 'ساعت کاری هر روز هفته',
    'set.always_open': 'اگر برای هیچ روزی بازه‌ای تعریف نشود، تیم شبانه‌روزی باز است.',
    'set.day_off': 'تعطیل',
    'set.window_from': 'شروع',
    'set.window_to': 'پایان',
    'set.add_window': 'افزودن بازه',
    'set.holidays': 'تعطیلات',
    'set.add_holiday': 'افزودن تعطیلی',
    'set.holiday': 'تاریخ تعطیلی',
    'set.targets': 'اهداف (ساعت)',
    'set.targets_default': 'همهٔ اولویت‌ها',
    'set.use_defaults': 'پیش‌فرض ({ack} ساعت / {resolve} ساعت از سرور)',
    'set.own_targets': 'اهداف جدا برای {priority}',
    'set.ack': 'نخستین پاسخ تا',
    'set.resolve': 'حل مشکل تا',
    'set.save_sla': 'ذخیرهٔ SLA',
    'set.sla_saved': 'SLA ذخیره شد. تیکت‌های تازه از آن پیروی می‌کنند؛ مهلت تیکت‌های باز تغییر نمی‌کند.',
    'set.escalation': 'ارجاع به مدیر',
    'set.manager': 'مدیر (نقض‌ها به او می‌رسد)',
    'set.team_channel': 'کانال خود تیم',
    'set.telegram_chat_id': 'شناسهٔ گفتگوی تلگرام',
    'set.slack_webhook_url': 'نشانی وب‌هوک Slack',
    'set.email': 'ایمیل',
    'set.save_escalation': 'ذخیرهٔ ارجاع',
    'set.escalation_saved': 'ارجاع ذخیره شد.',
    'set.contact_agent': 'شخص (نام کارشناس)',
    'set.load_contact': 'بارگذاری',
    'set.contact_new': 'برای {agent} هنوز راه تماسی نیست؛ پر کنید و ذخیره کنید.',
    'set.save_contact': 'ذخیرهٔ راه تماس',
    'set.contact_saved': 'راه تماس ذخیره شد.',
    'set.contacts_help': 'هر کس از هشدارها و نقض‌های SLA از چه راهی باخبر شود.',
    'set.new_template': 'قالب تازه',
    'set.template_id': 'شناسهٔ قالب',
    'set.template_name': 'نام',
    'set.kind': 'نوع',
    'set.language': 'کد زبان',
    'set.channel': 'کانال خصوصی',
    'set.text': 'متن',
    'set.text_hint': 'جای‌نگهدارها: {customer_name} {ticket_number} {private_link}',
    'set.save_template': 'ذخیرهٔ قالب',
    'set.template_saved': 'قالب ذخیره شد.',
    'set.template_deleted': 'قالب حذف شد.',
    'set.search_templates': 'جستجوی قالب‌ها',
    'kind.acknowledgement': 'اعلام دریافت',
    'kind.reply': 'پاسخ',
    'kind.resolution': 'حل مشکل',
    'kind.private': 'انتقال به خصوصی',
    'channel.dm': 'پیام مستقیم',
    'channel.email': 'ایمیل',
    'channel.phone': 'تلفن',
    'set.new_token': 'توکن تازه',
    'set.token_name': 'نام (شخص)',
    'set.token_role': 'نقش',
    'set.token_expires': 'انقضا (اختیاری)',
    'set.create_token': 'ساخت توکن',
    'set.token_once': 'این توکن را همین حالا کپی کنید: فقط یک بار نمایش داده می‌شود و دوباره خواندنی نیست.',
    'set.copy': 'کپی',
    'set.copied': 'کپی شد.',
    'set.revoke': 'باطل کردن',
    'set.revoked': 'باطل‌شده',
    'set.revoke_confirm': 'توکن {name} باطل شود؟ بی‌درنگ از کار می‌افتد.',
    'set.token_created': 'ساخته‌شده در {time}',
    'set.expires': 'انقضا {time}',
    'set.admin_only': 'توکن‌ها را مدیر سیستم مدیریت می‌کند.',
    'prio.low': 'کم',
    'prio.normal': 'عادی',
    'prio.high': 'زیاد',
    'prio.urgent': 'فوری',
  },
});

/** Show a failed save: 422 details under their fields (after `rename`), the rest in a banner. */
/** Every item of a cursor-paged listing (settings lists are short: a few pages at most). */
async function allPages(path) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(path, { query: { limit: 100, cursor } });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

function fail(form, errors, err, rename = (f) => f) {
  clear(errors);
  const details = localDetails(err.details).map((d) => ({ ...d, field: rename(String(d.field || '')) }));
  const unmatched = err.status === 422 ? applyFieldErrors(form, details) : [];
  if (err.status !== 422 || unmatched.length) {
    const text = err.status === 422 ? `${t('error.422')} ${unmatched.map((d) => d.problem).join(' ')}` : errorMessage(err);
    add(errors, h('div', { class: 'alert alert-error', role: 'alert' }, h('p', { class: 'alert-text' }, text)));
  }
  form.querySelector('[aria-invalid="true"]')?.focus();
}

function blank(value) {
  const v = String(value ?? '').trim();
  return v || null;
}

const hours = (seconds) => (seconds ? String(Math.round((seconds / 3600) * 100) / 100) : '');
const seconds = (text) => Math.round(Number(text) * 3600);

function render(root, _params, query) {
  let alive = true;
  const manager = hasRole('manager');
  const admin = hasRole('admin');
  const state = {
    section: SECTIONS.includes(query.get('section')) ? query.get('section') : 'teams',
    team: query.get('team') || '',
  };
  const nav = h('nav', { class: 'settings-nav', 'aria-label': t('set.sections') });
  const body = h('div', { class: 'settings-section' });
  add(root, h('h1', { class: 'screen-title' }, t('set.title')), h('div', { class: 'settings-layout' }, nav, body));

  function go(section, team = '') {
    state.section = section;
    state.team = team;
    const q = new URLSearchParams({ section });
    if (team) q.set('team', team);
    history.replaceState(null, '', `#/settings?${q}`);
    draw();
  }

  function drawNav() {
    add(clear(nav), 
      h('ul', {}, SECTIONS.filter((s) => s !== 'tokens' || admin).map((s) =>
        h('li', {}, h('a', {
          href: `#/settings?section=${s}`,
          'aria-current': s === state.section ? 'page' : null,
          on: { click: (e) => { e.preventDefault(); go(s); } },
        }, t(`set.${s}`))))),
    );
  }

  function draw() {
    drawNav();
    clear(body);
    if (!manager) add(body, h('p', { class: 'alert alert-info' }, t('common.readonly')));
    ({ teams: drawTeams, contacts: drawContacts, templates: drawTemplates, tokens: drawTokens })[state.section]();
  }

  // --- teams -----------------------------------------------------------------------------------
  async function drawTeams() {
    const list = h('div', { class: 'card' });
    const editor = h('div', { class: 'team-editor' });
    add(body, list, editor);
    loading(list);
    let teams = [];
    try {
      teams = await allPages('/teams');
    } catch (err) {
      clear(list);
      showError(err, { target: list });
      return;
    }
    if (!alive) return;
    clear(list).removeAttribute('aria-busy');
    add(list, 
      h('div', { class: 'panel-head' }, h('h2', { class: 'section-title' }, t('set.teams')),
        manager ? button(t('set.new_team'), () => go('teams', '_new'), { kind: 'primary', attrs: { 'data-action': 'new-team' } }) : null),
      teams.length
        ? h('ul', { class: 'item-list' }, teams.map((team) => h('li', { class: 'item-row', dataset: { team: team.id } },
            h('div', {}, userText(team.name, 'strong'), ' ', h('span', { class: 'muted', dir: 'ltr' }, team.id), ' · ', h('span', { class: 'muted' }, t('set.members_count', { count: team.members.length }))),
            button(t('common.edit'), () => { go('teams', team.id); }, { attrs: { class: 'btn-small', 'aria-label': `${t('common.edit')} ${team.name}`, 'data-action': 'edit-team' } }),
          )))
        : h('p', { class: 'muted' }, t('set.no_teams')),
    );
    const chosen = teams.find((x) => x.id === state.team);
    if (chosen) teamEditor(editor, chosen);
    else if (state.team === '_new' && manager) teamEditor(editor, null);
  }

  function teamEditor(host, team) {
    clear(host);
    const form = h('form', { class: 'card form', novalidate: true, 'aria-labelledby': 'team-form-title' });
    const errors = h('div', { class: 'form-errors' });
    const id = h('input', { type: 'text', value: team?.id || '', dir: 'ltr', disabled: Boolean(team) || !manager, autocomplete: 'off', required: true });
    const name = h('input', { type: 'text', value: team?.name || '', dir: 'auto', disabled: !manager, required: true });
    const members = h('div', { class: 'members' });
    const terms = h('textarea', { rows: 3, dir: 'auto', value: (team?.terms || []).join('\n'), disabled: !manager });
    const categories = h('div', { class: 'check-row' }, CATEGORIES.map((c) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: c, checked: (team?.categories || []).includes(c), disabled: !manager }), ' ', t(`cat.${c}`))));

    const memberRow = (m) => {
      const agent = h('input', { type: 'text', value: m?.agent || '', dir: 'ltr', disabled: !manager || Boolean(m?.saved), 'aria-label': t('set.member'), class: 'member-agent' });
      const duty = h('input', { type: 'checkbox', checked: m ? m.on_duty !== false : true, disabled: !manager, class: 'member-duty' });
      if (m?.saved) {
        duty.addEventListener('change', async () => {
          try {
            await api(`/teams/${encodeURIComponent(team.id)}/members/${encodeURIComponent(m.agent)}/duty`, { method: 'PUT', body: { on_duty: duty.checked } });
            toast(t('set.duty_saved', { agent: m.agent, state: t(duty.checked ? 'set.duty_on' : 'set.duty_off') }));
          } catch (err) {
            duty.checked = !duty.checked;
            showError(err, { target: host });
          }
        });
      }
      const row = h('div', { class: 'member-row', dataset: { agent: m?.agent } },
        agent,
        h('label', { class: 'check' }, duty, ' ', t('set.on_duty')),
        manager ? button(t('set.remove'), () => row.remove(), { kind: 'quiet', attrs: { class: 'btn-small', 'aria-label': `${t('set.remove')} ${m?.agent || ''}`.trim() } }) : null,
      );
      return row;
    };
    add(members, ...(team?.members || []).map((m) => memberRow({ ...m, saved: true })));

    const save = async (event) => {
      applyFieldErrors(form, []);
      clear(errors);
      const teamId = team ? team.id : id.value.trim();
      if (!TEAM_ID.test(teamId)) {
        applyFieldErrors(form, [{ field: 'team_id', problem: t('set.team_id_bad') }]);
        id.focus();
        return;
      }
      const payload = {
        name: name.value.trim(),
        members: [...members.querySelectorAll('.member-row')]
          .map((row) => ({ agent: row.querySelector('.member-agent').value.trim(), on_duty: row.querySelector('.member-duty').checked }))
          .filter((m) => m.agent),
        terms: lines(terms.value),
        categories: [...categories.querySelectorAll('input:checked')].map((i) => i.value),
      };
      try {
        const saved = await busy(event.currentTarget, () => api(`/teams/${encodeURIComponent(teamId)}`, { method: 'PUT', body: payload }));
        toast(t('set.team_saved'));
        go('teams', saved.id);
      } catch (err) {
        fail(form, errors, err, (f) => f.replace(/^members\.\d+\.agent$/, 'members'));
      }
    };
    const remove = async (event) => {
      if (!window.confirm(t('common.confirm_delete', { name: team.name }))) return;
      try {
        await busy(event.currentTarget, () => api(`/teams/${encodeURIComponent(team.id)}`, { method: 'DELETE' }));
        toast(t('set.team_deleted'));
        go('teams', '');
      } catch (err) {
        fail(form, errors, err);
      }
    };

    add(form, 
      h('h2', { id: 'team-form-title', class: 'section-title' }, team ? team.name : t('set.new_team')),
      errors,
      h('div', { class: 'form-grid' },
        field({ label: t('set.team_id'), input: id, name: 'team_id', hint: team ? null : t('set.team_id_hint') }),
        field({ label: t('set.team_name'), input: name, name: 'name' }),
      ),
      h('fieldset', { name: 'members', id: 'team-members' },
        h('legend', {}, t('set.members')),
        h('p', { class: 'field-error', id: 'team-members-error', hidden: true }),
        members,
        manager ? button(t('set.add_member'), () => { const row = memberRow(null); add(members, row); row.querySelector('input').focus(); }, { attrs: { class: 'btn-small', 'data-action': 'add-member' } }) : null,
      ),
      h('fieldset', {},
        h('legend', {}, t('set.routing')),
        field({ label: t('set.terms'), input: terms, name: 'terms', hint: t('common.one_per_line') }),
        h('fieldset', { class: 'sub-fieldset', name: 'categories', id: 'team-categories' }, h('legend', {}, t('set.categories')), h('p', { class: 'field-error', id: 'team-categories-error', hidden: true }), categories),
      ),
      manager ? h('div', { class: 'actions' },
        button(t('set.save_team'), save, { kind: 'primary', attrs: { 'data-action': 'save-team' } }),
        team ? button(t('set.delete_team'), remove, { kind: 'danger' }) : null,
      ) : null,
    );
    form.addEventListener('submit', (e) => e.preventDefault());
    add(host, form);
    if (team) {
      const sla = h('div', { class: 'sla-host' });
      const escalation = h('div', { class: 'escalation-host' });
      add(host, sla, escalation);
      slaEditor(sla, team);
      escalationEditor(escalation, team);
    } else {
      id.focus();
    }
  }

  // --- SLA calendar ------------------------------------------------------------------------------
  async function slaEditor(host, team) {
    loading(host);
    let policy;
    try {
      policy = await api(`/teams/${encodeURIComponent(team.id)}/sla`);
    } catch (err) {
      clear(host);
      showError(err, { target: host });
      return;
    }
    if (!alive) return;
    clear(host).removeAttribute('aria-busy');
    const cal = policy.calendar || {};
    const form = h('form', { class: 'card form sla-form', novalidate: true, 'aria-labelledby': 'sla-title' });
    const errors = h('div', { class: 'form-errors' });
    const zone = h('input', { type: 'text', value: cal.timezone || brandZone(), dir: 'ltr', list: 'zones', disabled: !manager });
    const zones = h('datalist', { id: 'zones' }, [...new Set([brandZone(), 'Asia/Tehran', 'UTC', 'Europe/Berlin', 'Asia/Dubai', 'Europe/Istanbul'])].map((z) => h('option', { value: z })));
    const order = locale() === 'fa' ? ['sat', 'sun', 'mon', 'tue', 'wed', 'thu', 'fri'] : WEEKDAYS;
    const dayBlocks = {};

    const windowRow = (dayLabel, w) => {
      const start = h('input', { type: 'time', value: (w?.start || '09:00').slice(0, 5), dir: 'ltr', disabled: !manager, class: 'w-start' });
      const end = h('input', { type: 'time', value: (w?.end || '17:00').slice(0, 5), dir: 'ltr', disabled: !manager, class: 'w-end' });
      const row = h('div', { class: 'window-row' },
        field({ label: `${t('set.window_from')} (${dayLabel})`, input: start }),
        field({ label: `${t('set.window_to')} (${dayLabel})`, input: end }),
        manager ? button(t('set.remove'), () => row.remove(), { kind: 'quiet', attrs: { class: 'btn-small', 'aria-label': `${t('set.remove')} ${dayLabel}` } }) : null,
      );
      return row;
    };
    const days = order.map((d) => {
      const label = t(`day.${d}`);
      const windows = h('div', { class: 'windows' }, (cal.hours?.[d] || []).map((w) => windowRow(label, w)));
      const off = h('input', { type: 'checkbox', checked: (cal.days_off || []).includes(d), disabled: !manager, class: 'day-off' });
      const block = h('fieldset', { class: 'weekday-block', name: d, id: `sla-day-${d}`, dataset: { day: d } },
        h('legend', {}, label),
        h('p', { class: 'field-error', id: `sla-day-${d}-error`, hidden: true }),
        h('div', { class: 'weekday-head' },
          h('label', { class: 'check' }, off, ' ', t('set.day_off')),
          manager ? button(t('set.add_window'), () => { add(windows, windowRow(label, null)); windows.lastChild.querySelector('input').focus(); }, { attrs: { class: 'btn-small', 'data-action': `add-window-${d}` } }) : null,
        ),
        windows,
      );
      dayBlocks[d] = { windows, off };
      return block;
    });

    const holidayList = h('div', { class: 'holidays' });
    const holidayRow = (value) => {
      const input = h('input', { type: 'date', value: value || '', dir: 'ltr', disabled: !manager, class: 'holiday' });
      const row = h('div', { class: 'window-row' }, field({ label: t('set.holiday'), input }),
        manager ? button(t('set.remove'), () => row.remove(), { kind: 'quiet', attrs: { class: 'btn-small' } }) : null);
      return row;
    };
    add(holidayList, ...(cal.holidays || []).map(holidayRow));

    const targetInputs = (p, targets) => {
      const suffix = p ? `_${p}` : '';
      const ack = h('input', { type: 'number', min: 0, step: 0.25, value: hours(targets?.ack_seconds), dir: 'ltr', disabled: !manager, inputmode: 'decimal' });
      const res = h('input', { type: 'number', min: 0, step: 0.25, value: hours(targets?.resolve_seconds), dir: 'ltr', disabled: !manager, inputmode: 'decimal' });
      return { ack, res, fields: h('div', { class: 'form-grid' },
        field({ label: `${t('set.ack')} (${p ? t(`prio.${p}`) : t('set.targets_default')})`, input: ack, name: `ack_seconds${suffix}` }),
        field({ label: `${t('set.resolve')} (${p ? t(`prio.${p}`) : t('set.targets_default')})`, input: res, name: `resolve_seconds${suffix}` })) };
    };
    const base = targetInputs(null, policy.targets);
    const per = Object.fromEntries(PRIORITIES.map((p) => {
      const own = h('input', { type: 'checkbox', checked: Boolean(policy.by_priority?.[p]), disabled: !manager });
      const inputs = targetInputs(p, policy.by_priority?.[p]);
      inputs.fields.hidden = !own.checked;
      own.addEventListener('change', () => { inputs.fields.hidden = !own.checked; });
      return [p, { own, ...inputs }];
    }));

    const save = async (event) => {
      applyFieldErrors(form, []);
      clear(errors);
      const hoursByDay = {};
      for (const d of WEEKDAYS) {
        const windows = [...dayBlocks[d].windows.querySelectorAll('.window-row')].map((row) => ({ start: row.querySelector('.w-start').value, end: row.querySelector('.w-end').value }));
        if (windows.length) hoursByDay[d] = windows;
      }
      const targets = (inputs) => (inputs.ack.value || inputs.res.value ? { ack_seconds: seconds(inputs.ack.value), resolve_seconds: seconds(inputs.res.value) } : null);
      const payload = {
        calendar: {
          timezone: zone.value.trim(),
          hours: hoursByDay,
          days_off: WEEKDAYS.filter((d) => dayBlocks[d].off.checked),
          holidays: [...holidayList.querySelectorAll('.holiday')].map((i) => i.value).filter(Boolean),
        },
        targets: targets(base),
        by_priority: Object.fromEntries(PRIORITIES.filter((p) => per[p].own.checked).map((p) => [p, targets(per[p]) || { ack_seconds: 0, resolve_seconds: 0 }])),
      };
      try {
        await busy(event.currentTarget, () => api(`/teams/${encodeURIComponent(team.id)}/sla`, { method: 'PUT', body: payload }));
        toast(t('set.sla_saved'));
      } catch (err) {
        fail(form, errors, err, (f) => {
          const prio = /^by_priority\.(\w+)\.(ack_seconds|resolve_seconds)$/.exec(f);
          if (prio) return `${prio[2]}_${prio[1]}`;
          const target = /^targets\.(ack_seconds|resolve_seconds)$/.exec(f);
          if (target) return target[1];
          return f.replace(/^calendar\.hours\.(\w+)(\.\d+)?$/, '$1').replace(/^calendar\./, '');
        });
      }
    };

    add(form, 
      h('h2', { id: 'sla-title', class: 'section-title' }, `${t('set.sla')} · ${team.name}`),
      errors,
      field({ label: t('set.timezone'), input: zone, name: 'timezone', hint: t('set.timezone_hint') }),
      zones,
      h('p', { class: 'field-hint' }, t('set.always_open')),
      h('fieldset', { name: 'days_off', id: 'sla-days-off' }, h('legend', {}, t('set.week')), h('p', { class: 'field-error', id: 'sla-days-off-error', hidden: true }), days),
      h('fieldset', { name: 'holidays', id: 'sla-holidays' },
        h('legend', {}, t('set.holidays')),
        h('p', { class: 'field-error', id: 'sla-holidays-error', hidden: true }),
        holidayList,
        manager ? button(t('set.add_holiday'), () => { add(holidayList, holidayRow('')); holidayList.lastChild.querySelector('input').focus(); }, { attrs: { class: 'btn-small', 'data-action': 'add-holiday' } }) : null,
      ),
      h('fieldset', {},
        h('legend', {}, t('set.targets')),
        base.fields,
        PRIORITIES.map((p) => h('div', { class: 'priority-targets', dataset: { priority: p } },
          h('label', { class: 'check' }, per[p].own, ' ', t('set.own_targets', { priority: t(`prio.${p}`) })),
          per[p].fields)),
      ),
      manager ? h('div', { class: 'actions' }, button(t('set.save_sla'), save, { kind: 'primary', attrs: { 'data-action': 'save-sla' } })) : null,
    );
    form.addEventListener('submit', (e) => e.preventDefault());
    add(host, form);
  }

  // --- escalation and contacts ------------------------------------------------------------------
  function contactFields(contact, disabled) {
    const inputs = {
      telegram_chat_id: h('input', { type: 'text', value: contact?.telegram_chat_id || '', dir: 'ltr', disabled }),
      slack_webhook_url: h('input', { type: 'url', value: contact?.slack_webhook_url || '', dir: 'ltr', disabled }),
      email: h('input', { type: 'email', value: contact?.email || '', dir: 'ltr', disabled }),
    };
    const fields = h('div', { class: 'form-grid' }, Object.entries(inputs).map(([k, input]) => field({ label: t(`set.${k}`), input, name: k })));
    const value = () => Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, blank(input.value)]));
    return { fields, value };
  }

  async function escalationEditor(host, team) {
    loading(host);
    let current;
    try {
      current = await api(`/teams/${encodeURIComponent(team.id)}/escalation`);
    } catch (err) {
      clear(host);
      showError(err, { target: host });
      return;
    }
    if (!alive) return;
    clear(host).removeAttribute('aria-busy');
    const form = h('form', { class: 'card form', novalidate: true, 'aria-labelledby': 'esc-title' });
    const errors = h('div', { class: 'form-errors' });
    const managerInput = h('input', { type: 'text', value: current.manager || '', dir: 'ltr', disabled: !manager });
    const contact = contactFields(current.contact, !manager);
    const save = async (event) => {
      applyFieldErrors(form, []);
      try {
        await busy(event.currentTarget, () => api(`/teams/${encodeURIComponent(team.id)}/escalation`, { method: 'PUT', body: { manager: blank(managerInput.value), contact: contact.value() } }));
        toast(t('set.escalation_saved'));
      } catch (err) {
        fail(form, errors, err);
      }
    };
    add(form, 
      h('h2', { id: 'esc-title', class: 'section-title' }, `${t('set.escalation')} · ${team.name}`),
      errors,
      field({ label: t('set.manager'), input: managerInput, name: 'manager' }),
      h('h3', { class: 'subsection-title' }, t('set.team_channel')),
      contact.fields,
      manager ? h('div', { class: 'actions' }, button(t('set.save_escalation'), save, { kind: 'primary', attrs: { 'data-action': 'save-escalation' } })) : null,
    );
    form.addEventListener('submit', (e) => e.preventDefault());
    add(host, form);
  }

  function drawContacts() {
    const form = h('form', { class: 'card form', novalidate: true, 'aria-labelledby': 'contacts-title' });
    const agent = h('input', { type: 'text', dir: 'ltr', autocomplete: 'off' });
    const slot = h('div', {});
    const errors = h('div', { class: 'form-errors' });
    const load = async (event) => {
      event?.preventDefault();
      const who = agent.value.trim();
      if (!who) return;
      clear(slot);
      clear(errors);
      let contact = null;
      try {
        contact = await api(`/contacts/${encodeURIComponent(who)}`);
      } catch (err) {
        if (err.status !== 404) {
          fail(form, errors, err);
          return;
        }
      }
      const fields = contactFields(contact, !manager);
      const save = async (e) => {
        applyFieldErrors(form, []);
        try {
          await busy(e.currentTarget, () => api(`/contacts/${encodeURIComponent(who)}`, { method: 'PUT', body: fields.value() }));
          toast(t('set.contact_saved'));
        } catch (err) {
          fail(form, errors, err);
        }
      };
      add(slot, 
        contact ? null : h('p', { class: 'muted' }, t('set.contact_new', { agent: who })),
        fields.fields,
        manager ? h('div', { class: 'actions' }, button(t('set.save_contact'), save, { kind: 'primary' })) : null,
      );
    };
    form.addEventListener('submit', load);
    add(form, 
      h('h2', { id: 'contacts-title', class: 'section-title' }, t('set.contacts')),
      h('p', { class: 'muted' }, t('set.contacts_help')),
      errors,
      h('div', { class: 'toolbar' }, field({ label: t('set.contact_agent'), input: agent, name: 'agent' }), button(t('set.load_contact'), null, { type: 'submit' })),
      slot,
    );
    add(body, form);
  }

  // --- templates ---------------------------------------------------------------------------------
  async function drawTemplates() {
    const card = h('div', { class: 'card' });
    const editor = h('div', {});
    add(body, card, editor);
    loading(card);
    let items = [];
    try {
      items = await allPages('/templates');
    } catch (err) {
      clear(card);
      showError(err, { target: card });
      return;
    }
    if (!alive) return;
    clear(card).removeAttribute('aria-busy');
    const search = h('input', { type: 'search', dir: 'auto' });
    const list = h('ul', { class: 'item-list' });
    const drawList = () => {
      const q = search.value.trim().toLowerCase();
      add(clear(list), ...items
        .filter((x) => !q || `${x.id} ${x.name || ''} ${x.language} ${x.text}`.toLowerCase().includes(q))
        .map((x) => h('li', { class: 'item-row' },
          h('div', {}, userText(x.name || x.id, 'strong'), ' ', h('span', { class: 'chip' }, t(`kind.${x.kind}`)), ' ', h('span', { class: 'chip', dir: 'ltr' }, x.language),
            userText(x.text.length > 120 ? `${x.text.slice(0, 119)}…` : x.text, 'p', { class: 'muted small' })),
          button(manager ? t('common.edit') : t('set.text'), () => templateEditor(editor, x), { attrs: { class: 'btn-small', 'aria-label': `${t('common.edit')} ${x.name || x.id}` } }))));
    };
    search.addEventListener('input', drawList);
    add(card, 
      h('div', { class: 'panel-head' }, h('h2', { class: 'section-title' }, t('set.templates')),
        manager ? button(t('set.new_template'), () => templateEditor(editor, null), { kind: 'primary' }) : null),
      field({ label: t('set.search_templates'), input: search, name: 'template_search' }),
      list,
    );
    drawList();
  }

  function templateEditor(host, tpl) {
    clear(host);
    const form = h('form', { class: 'card form', novalidate: true, 'aria-labelledby': 'tpl-title' });
    const errors = h('div', { class: 'form-errors' });
    const id = h('input', { type: 'text', value: tpl?.id || '', dir: 'ltr', disabled: Boolean(tpl) || !manager });
    const name = h('input', { type: 'text', value: tpl?.name || '', dir: 'auto', disabled: !manager });
    const kind = h('select', { disabled: !manager }, KINDS.map((k) => h('option', { value: k, selected: (tpl?.kind || 'reply') === k }, t(`kind.${k}`))));
    const language = h('input', { type: 'text', value: tpl?.language || locale(), dir: 'ltr', disabled: !manager, maxlength: 3 });
    const channel = h('select', { disabled: !manager }, [h('option', { value: '' }, '—'), ...CHANNELS.map((c) => h('option', { value: c, selected: tpl?.channel === c }, t(`channel.${c}`)))]);
    const text = h('textarea', { rows: 5, dir: 'auto', value: tpl?.text || '', disabled: !manager });
    const save = async (event) => {
      applyFieldErrors(form, []);
      const templateId = tpl ? tpl.id : id.value.trim();
      if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(templateId)) {
        applyFieldErrors(form, [{ field: 'template_id', problem: t('set.team_id_bad') }]);
        id.focus();
        return;
      }
      const payload = { kind: kind.value, language: language.value.trim(), text: text.value, name: blank(name.value), channel: kind.value === 'private' ? channel.value || null : null };
      try {
        await busy(event.currentTarget, () => api(`/templates/${encodeURIComponent(templateId)}`, { method: 'PUT', body: payload }));
        toast(t('set.template_saved'));
        go('templates');
      } catch (err) {
        fail(form, errors, err);
      }
    };
    const remove = async (event) => {
      if (!window.confirm(t('common.confirm_delete', { name: tpl.name || tpl.id }))) return;
      try {
        await busy(event.currentTarget, () => api(`/templates/${encodeURIComponent(tpl.id)}`, { method: 'DELETE' }));
        toast(t('set.template_deleted'));
        go('templates');
      } catch (err) {
        fail(form, errors, err);
      }
    };
    add(form, 
      h('h2', { id: 'tpl-title', class: 'section-title' }, tpl ? tpl.name || tpl.id : t('set.new_template')),
      errors,
      h('div', { class: 'form-grid' },
        field({ label: t('set.template_id'), input: id, name: 'template_id' }),
        field({ label: t('set.template_name'), input: name, name: 'name' }),
        field({ label: t('set.kind'), input: kind, name: 'kind' }),
        field({ label: t('set.language'), input: language, name: 'language' }),
        field({ label: t('set.channel'), input: channel, name: 'channel' }),
      ),
      field({ label: t('set.text'), input: text, name: 'text', hint: t('set.text_hint') }),
      manager ? h('div', { class: 'actions' }, button(t('set.save_template'), save, { kind: 'primary' }), tpl ? button(t('common.delete'), remove, { kind: 'danger' }) : null) : null,
    );
    form.addEventListener('submit', (e) => e.preventDefault());
    add(host, form);
    (tpl ? text : id).focus();
  }

  // --- tokens ------------------------------------------------------------------------------------
  async function drawTokens() {
    if (!admin) {
      add(body, h('p', { class: 'alert alert-info' }, t('set.admin_only')));
      return;
    }
    const form = h('form', { class: 'card form', novalidate: true, 'aria-labelledby': 'token-title' });
    const errors = h('div', { class: 'form-errors' });
    const secret = h('div', { class: 'secret-slot', 'aria-live': 'polite' });
    const name = h('input', { type: 'text', dir: 'ltr', autocomplete: 'off' });
    const role = h('select', {}, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
    const expires = h('input', { type: 'datetime-local', dir: 'ltr' });
    const list = h('div', { class: 'card' });
    add(form, 
      h('h2', { id: 'token-title', class: 'section-title' }, t('set.new_token')),
      errors,
      h('div', { class: 'form-grid' },
        field({ label: t('set.token_name'), input: name, name: 'name' }),
        field({ label: t('set.token_role'), input: role, name: 'role' }),
        field({ label: t('set.token_expires'), input: expires, name: 'expires_at' }),
      ),
      h('div', { class: 'actions' }, button(t('set.create_token'), null, { kind: 'primary', type: 'submit' })),
      secret,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      applyFieldErrors(form, []);
      clear(errors);
      clear(secret);
      try {
        const created = await api('/tokens', { method: 'POST', body: { name: name.value.trim(), role: role.value, expires_at: expires.value ? zonedToUtc(expires.value) : null } });
        const code = h('code', {}, created.token);
        add(secret, h('div', { class: 'secret-box', role: 'status' },
          h('p', {}, t('set.token_once')),
          code,
          button(t('set.copy'), async () => {
            try {
              await navigator.clipboard.writeText(created.token);
              toast(t('set.copied'));
            } catch {
              getSelection().selectAllChildren(code);
            }
          })));
        name.value = '';
        loadTokens();
      } catch (err) {
        fail(form, errors, err);
      }
    });
    add(body, form, list);

    async function loadTokens() {
      loading(list);
      try {
        const items = await allPages('/tokens');
        if (!alive) return;
        clear(list).removeAttribute('aria-busy');
        add(list, 
          h('h2', { class: 'section-title' }, t('set.tokens')),
          h('ul', { class: 'item-list' }, items.map((x) => h('li', { class: 'item-row', dataset: { tokenId: x.token_id } },
            h('div', {}, h('strong', { dir: 'ltr' }, x.name), ' ', h('span', { class: 'chip' }, t(`role.${x.role}`)), ' ',
              h('span', { class: 'muted small' }, t('set.token_created', { time: formatDateTime(x.created_at) })),
              x.expires_at_iso ? h('span', { class: 'muted small' }, ` · ${t('set.expires', { time: formatDateTime(x.expires_at_iso) })}`) : null),
            x.revoked
              ? h('span', { class: 'chip' }, t('set.revoked'))
              : button(t('set.revoke'), async (e) => {
                  if (!window.confirm(t('set.revoke_confirm', { name: x.name }))) return;
                  try {
                    await busy(e.currentTarget, () => api(`/tokens/${encodeURIComponent(x.token_id)}`, { method: 'DELETE' }));
                    loadTokens();
                  } catch (err) {
                    showError(err, { target: list });
                  }
                }, { kind: 'danger', attrs: { class: 'btn-small', 'aria-label': `${t('set.revoke')} ${x.name}` } }),
          ))),
        );
      } catch (err) {
        clear(list);
        showError(err, { target: list });
      }
    }
    loadTokens();
  }

  draw();
  return () => {
    alive = false;
  };
}

registerScreen({ route: '/settings', nav: 'settings', titleKey: 'set.title', render });
