/**
 * screens/inbox.js — the inbox: tabs Mine / Unassigned / All (/ Triage when the API has it),
 * filters, one row per ticket with its live SLA badge, next deadline first (the API's order).
 *
 * It refreshes itself every 15 s without losing the reader's place: rows are keyed by ticket
 * id and updated in place, the focused row keeps focus and the first visible row stays where
 * it was. Tab and filters live in the URL (`#/inbox?tab=all&status=open`), so back, reload and
 * a shared link keep them. Tab counts are exact up to one page (50) and "50+" beyond, because
 * an exact count would read every open ticket on each refresh.
 */

import { api, apiHas } from '../core/api.js';
import { chip, customerName, platformIcon, platformName, slaBadge } from '../core/care.js';
import { add, clear, h, userText } from '../core/dom.js';
import { formatNumber, formatRelative, formatTime } from '../core/format.js';
import { registerStrings, t } from '../core/i18n.js';
import { registerScreen } from '../core/router.js';
import { me, meReady } from '../core/session.js';
import { emptyState, field, loading, showError, doneLoading } from '../core/ui.js';

const REFRESH_MS = 15000;
const PAGE = 20;
const COUNT_PAGE = 50;
const STATUSES = ['open', 'acknowledged', 'in_progress', 'waiting', 'resolved'];
const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const PLATFORMS = ['telegram', 'meta', 'x', 'linkedin', 'generic'];

registerStrings({
  en: {
    'inbox.title': 'Inbox',
    'inbox.tabs': 'Ticket views',
    'inbox.tab.mine': 'Mine',
    'inbox.tab.unassigned': 'Unassigned',
    'inbox.tab.all': 'All',
    'inbox.tab.triage': 'Triage',
    'inbox.filters': 'Filters',
    'inbox.filter.status': 'Status',
    'inbox.filter.team': 'Team',
    'inbox.filter.platform': 'Network',
    'inbox.filter.priority': 'Priority',
    'inbox.filter.any': 'Any',
    'inbox.filter.active': 'Active (not resolved)',
    'inbox.more': 'Load more',
    'inbox.empty': 'Nothing here. New conversations show up by themselves.',
    'inbox.updated': 'Updated {when}',
    'inbox.refresh': 'Refresh',
    'inbox.assignee': 'Assigned to {name}',
    'inbox.unassigned': 'Unassigned',
    'inbox.list': 'Tickets',
    'inbox.count': '{count} tickets',
    'inbox.keys': 'Arrow keys move between tickets; Enter opens one.',
    'inbox.triage.empty': 'Nothing to triage.',
  },
  fa: {
    'inbox.title': 'صندوق',
    'inbox.tabs': 'نماهای تیکت',
    'inbox.tab.mine': 'مال من',
    'inbox.tab.unassigned': 'بدون مسئول',
    'inbox.tab.all': 'همه',
    'inbox.tab.triage': 'بررسی اولیه',
    'inbox.filters': 'پالایه‌ها',
    'inbox.filter.status': 'وضعیت',
    'inbox.filter.team': 'تیم',
    'inbox.filter.platform': 'شبکه',
    'inbox.filter.priority': 'اولویت',
    'inbox.filter.any': 'همه',
    'inbox.filter.active': 'فعال (حل‌نشده)',
    'inbox.more': 'موارد بیشتر',
    'inbox.empty': 'چیزی این‌جا نیست. گفتگوهای تازه خودشان پیدا می‌شوند.',
    'inbox.updated': 'به‌روزرسانی {when}',
    'inbox.refresh': 'تازه‌سازی',
    'inbox.assignee': 'مسئول: {name}',
    'inbox.unassigned': 'بدون مسئول',
    'inbox.list': 'تیکت‌ها',
    'inbox.count': '{count} تیکت',
    'inbox.keys': 'با کلیدهای جهت بین تیکت‌ها بروید؛ Enter یکی را باز می‌کند.',
    'inbox.triage.empty': 'چیزی برای بررسی نیست.',
  },
});

// An agent id as the API accepts it (AGENT_PATTERN); a token whose name is not one (the local
// "local admin") can have no tickets assigned, so its Mine tab is empty without asking.
const AGENT = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
const NOTHING = { items: [], next_cursor: null };

function mineImpossible(tab) {
  return tab === 'mine' && !AGENT.test((me() || {}).name || '');
}

function tabQuery(tab) {
  if (tab === 'mine') return { assignee: (me() || {}).name };
  if (tab === 'unassigned') return { assignee: 'unassigned' };
  return {};
}

function readState(query) {
  const who = me() || {};
  const tab = query.get('tab') || ((who.teams || []).length ? 'mine' : 'all');
  return {
    tab: ['mine', 'unassigned', 'all', 'triage'].includes(tab) ? tab : 'mine',
    status: query.get('status') || '',
    team: query.get('team') || '',
    platform: query.get('platform') || '',
    priority: query.get('priority') || '',
  };
}

function writeState(state) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v) params.set(k, v);
  history.replaceState(null, '', `#/inbox?${params.toString()}`);
}

function filterQuery(state) {
  const { status, team, platform, priority } = state;
  return { status, team: state.tab === 'mine' ? '' : team, platform, priority };
}

function row(ticket) {
  const preview = ticket.preview || {};
  const name = customerName(ticket);
  const link = h(
    'a',
    {
      class: ['ticket-row'],
      href: `#/tickets/${encodeURIComponent(ticket.id)}`,
      dataset: { ticket: ticket.id },
    },
  );
  fillRow(link, ticket, name, preview);
  return link;
}

function fillRow(link, ticket, name, preview) {
  clear(link);
  const clockState = ticket.sla ? ticket.sla[ticket.acknowledged_at ? 'resolve' : 'ack'] : '';
  link.classList.toggle('is-breached', clockState === 'breached');
  link.classList.toggle('is-at_risk', clockState === 'at_risk');
  link.dataset.version = String(ticket.version);
  link.setAttribute(
    'aria-label',
    `${ticket.id} · ${platformName(ticket.platform)} · ${name} · ${preview.text || ''}`,
  );
  add(link, 
    platformIcon(ticket.platform),
    h(
      'div',
      { class: 'ticket-main' },
      h(
        'div',
        { class: 'ticket-top' },
        userText(name, 'span', { class: 'ticket-customer' }),
        h('span', { class: 'ticket-id' }, `#${formatNumber(ticket.number, { useGrouping: false })}`),
      ),
      userText(preview.text || '—', 'span', { class: 'ticket-line' }),
      h(
        'div',
        { class: 'ticket-meta' },
        chip('status', ticket.status),
        chip('intent', preview.intent),
        chip('sentiment', preview.sentiment),
        ticket.priority === 'high' || ticket.priority === 'urgent' ? chip('priority', ticket.priority) : null,
        h(
          'span',
          { class: 'chip' },
          ticket.assignee ? t('inbox.assignee', { name: ticket.assignee }) : t('inbox.unassigned'),
        ),
      ),
    ),
    h('div', { class: 'ticket-side' }, slaBadge(ticket), h('span', { class: 'muted' }, formatRelative(ticket.created_at))),
  );
}

function select(label, name, options, value) {
  const input = h(
    'select',
    { class: 'input' },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
  return field({ label, input, name });
}

registerScreen({
  route: '/inbox',
  nav: 'inbox',
  titleKey: 'inbox.title',
  early: true,
  render(root, _params, query) {
    // Rendered before GET /me answers (its first page overlaps /me) unless the tab depends on
    // who is signed in.
    const tab = query.get('tab');
    if (me() || (tab && tab !== 'mine')) return mountInbox(root, query);
    loading(root);
    return meReady().then(() => {
      clear(root);
      root.removeAttribute('aria-busy');
      return mountInbox(root, query);
    });
  },
});

function mountInbox(root, query) {
  {
    const state = readState(query);
    let items = [];
    let cursor = null;
    let timer = null;
    let stopped = false;
    let teams = [];
    let triage = false;
    const counts = {};

    const tabBar = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('inbox.tabs') });
    const filters = h('form', { class: 'toolbar', 'aria-label': t('inbox.filters') });
    const list = h('ul', { class: 'ticket-list', 'aria-label': t('inbox.list'), id: 'inbox-list' });
    const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
    const more = h('button', { type: 'button', class: 'btn', hidden: true }, t('inbox.more'));
    const panel = h(
      'section',
      { role: 'tabpanel', id: 'inbox-panel', 'aria-labelledby': `tab-${state.tab}` },
      list,
      h('div', { class: 'more' }, more),
    );
    add(root, 
      h('div', { class: 'ticket-head' }, h('h1', {}, t('inbox.title')), h('span', { class: 'muted kbd-hint' }, t('inbox.keys'))),
      tabBar,
      filters,
      status,
      panel,
    );

    function drawTabs() {
      clear(tabBar);
      const tabs = ['mine', 'unassigned', 'all', ...(triage ? ['triage'] : [])];
      for (const tab of tabs) {
        const selected = tab === state.tab;
        const count = counts[tab];
        tabBar.appendChild(
          h(
            'button',
            {
              type: 'button',
              role: 'tab',
              class: 'tab',
              id: `tab-${tab}`,
              'aria-selected': selected ? 'true' : 'false',
              'aria-controls': 'inbox-panel',
              tabindex: selected ? '0' : '-1',
              dataset: { tab },
              on: {
                click: () => switchTab(tab),
                keydown: (event) => tabKeys(event, tabs, tab),
              },
            },
            t(`inbox.tab.${tab}`),
            count === undefined ? null : h('span', { class: 'count', 'aria-label': t('inbox.count', { count: count.n }) }, count.more ? `${formatNumber(count.n)}+` : formatNumber(count.n)),
          ),
        );
      }
    }

    function tabKeys(event, tabs, tab) {
      const forward = document.documentElement.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
      const back = forward === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
      if (event.key !== forward && event.key !== back) return;
      event.preventDefault();
      const i = tabs.indexOf(tab) + (event.key === forward ? 1 : -1);
      const next = tabs[(i + tabs.length) % tabs.length];
      switchTab(next);
      tabBar.querySelector(`[data-tab="${next}"]`)?.focus();
    }

    function switchTab(tab) {
      if (tab === state.tab) return;
      state.tab = tab;
      writeState(state);
      panel.setAttribute('aria-labelledby', `tab-${tab}`);
      drawTabs();
      drawFilters();
      reload();
    }

    function drawFilters() {
      clear(filters);
      const any = t('inbox.filter.any');
      add(filters, 
        select(t('inbox.filter.status'), 'status', [['', t('inbox.filter.active')], ...STATUSES.map((s) => [s, t(`status.${s}`)])], state.status),
        state.tab === 'mine'
          ? null
          : select(t('inbox.filter.team'), 'team', [['', any], ...teams.map((team) => [team.id, team.name || team.id])], state.team),
        select(t('inbox.filter.platform'), 'platform', [['', any], ...PLATFORMS.map((p) => [p, platformName(p)])], state.platform),
        select(t('inbox.filter.priority'), 'priority', [['', any], ...PRIORITIES.map((p) => [p, t(`priority.${p}`)])], state.priority),
        h('button', { type: 'button', class: 'btn', on: { click: () => refresh() } }, t('inbox.refresh')),
      );
    }

    filters.addEventListener('change', (event) => {
      const name = event.target.name;
      if (!name) return;
      state[name] = event.target.value;
      writeState(state);
      reload();
    });
    filters.addEventListener('submit', (event) => event.preventDefault());

    function source() {
      if (state.tab === 'triage') return { path: '/triage', query: {} };
      return { path: '/tickets', query: { ...tabQuery(state.tab), ...filterQuery(state) } };
    }

    function paint(fresh) {
      // Keyed update: rows stay the same nodes, so focus and the reader's place survive.
      const focusedId = document.activeElement?.closest?.('[data-ticket]')?.dataset.ticket;
      const anchor = [...list.querySelectorAll('[data-ticket]')].find((el) => el.getBoundingClientRect().top >= 0);
      const anchorId = anchor?.dataset.ticket;
      const anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
      const existing = new Map([...list.children].map((li) => [li.firstChild.dataset.ticket, li]));
      const wanted = [];
      for (const ticket of fresh) {
        let li = existing.get(ticket.id);
        if (li) {
          const link = li.firstChild;
          if (link.dataset.version !== String(ticket.version)) {
            fillRow(link, ticket, customerName(ticket), ticket.preview || {});
          }
          existing.delete(ticket.id);
        } else {
          li = h('li', {}, row(ticket));
        }
        wanted.push(li);
      }
      for (const li of existing.values()) li.remove();
      wanted.forEach((li, i) => {
        if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
      });
      if (!fresh.length) {
        list.replaceChildren();
        panel.querySelector('.empty')?.remove();
        panel.prepend(emptyState(state.tab === 'triage' ? t('inbox.triage.empty') : t('inbox.empty')));
      } else {
        panel.querySelector('.empty')?.remove();
      }
      if (focusedId && !document.activeElement?.closest?.('[data-ticket]')) {
        list.querySelector(`[data-ticket="${CSS.escape(focusedId)}"]`)?.focus();
      }
      if (anchorId) {
        const again = list.querySelector(`[data-ticket="${CSS.escape(anchorId)}"]`);
        if (again) window.scrollBy(0, again.getBoundingClientRect().top - anchorTop);
      }
      more.hidden = !cursor;
      status.textContent = t('inbox.updated', { when: formatTime(new Date(), { seconds: true }) });
    }

    async function fetchPage(limit, after) {
      if (mineImpossible(state.tab)) return NOTHING;
      const { path, query: q } = source();
      return api(path, { query: { ...q, limit, cursor: after } });
    }

    async function reload() {
      items = [];
      cursor = null;
      list.replaceChildren();
      loading(status);
      try {
        const page = await fetchPage(PAGE);
        if (stopped) return;
        items = page.items || [];
        cursor = page.next_cursor;
        doneLoading(status);
        paint(items);
      } catch (err) {
        doneLoading(status);
        status.textContent = '';
        showError(err, { target: root });
      }
      refreshCounts();
    }

    async function refresh() {
      // Re-read as many as are shown (pages of at most 100, the API's limit) and keep the
      // cursor after them, so "load more" goes on from the same place.
      const want = Math.max(PAGE, items.length);
      try {
        let fresh = [];
        let after;
        do {
          const page = await fetchPage(Math.min(100, want - fresh.length), after);
          fresh = fresh.concat(page.items || []);
          after = page.next_cursor;
        } while (after && fresh.length < want);
        if (stopped) return;
        items = fresh;
        cursor = after || null;
        paint(items);
        root.querySelector(':scope > .alert[data-kind="error"]')?.remove();
      } catch (err) {
        if (!stopped) showError(err, { target: root });
      }
      refreshCounts();
    }

    async function refreshCounts() {
      await meReady();
      const tabs = ['mine', 'unassigned', 'all'];
      const base = filterQuery(state);
      await Promise.all(
        tabs.map(async (tab) => {
          try {
            const q = { ...base, ...tabQuery(tab), limit: COUNT_PAGE };
            if (tab === 'mine') q.team = '';
            const page = mineImpossible(tab) ? NOTHING : await api('/tickets', { query: q });
            counts[tab] = { n: (page.items || []).length, more: Boolean(page.next_cursor) };
          } catch {
            delete counts[tab];
          }
        }),
      );
      if (triage) {
        try {
          const page = await api('/triage', { query: { limit: COUNT_PAGE } });
          counts.triage = { n: (page.items || []).length, more: Boolean(page.next_cursor) };
        } catch {
          delete counts.triage;
        }
      }
      if (!stopped) drawTabs();
    }

    more.addEventListener('click', async () => {
      more.disabled = true;
      try {
        const page = await fetchPage(PAGE, cursor);
        items = [...items, ...(page.items || [])];
        cursor = page.next_cursor;
        paint(items);
      } catch (err) {
        showError(err, { target: root });
      } finally {
        more.disabled = false;
      }
    });

    list.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      const rows = [...list.querySelectorAll('.ticket-row')];
      const i = rows.indexOf(document.activeElement);
      if (i === -1) return;
      event.preventDefault();
      const next = rows[Math.min(rows.length - 1, Math.max(0, i + (event.key === 'ArrowDown' ? 1 : -1)))];
      next.focus();
    });

    drawTabs();
    drawFilters();
    reload();
    api('/teams', { query: { limit: 100 } })
      .then((page) => {
        teams = page.items || [];
        if (!stopped) drawFilters();
      })
      .catch(() => {});
    apiHas('GET', '/triage').then((has) => {
      triage = has;
      if (!has && state.tab === 'triage') switchTab('all');
      if (!stopped) drawTabs();
    });
    timer = setInterval(() => {
      if (!document.hidden) refresh();
    }, REFRESH_MS);

    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }
}
