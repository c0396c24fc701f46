/**
 * screens/reports.js — care, listening and engagement reports over a date range, as charts a
 * manager reads at a glance (each with its numbers in a table) and a CSV download of each.
 *
 * Decisions:
 * - The range is the brand's days (the API counts them so); the date inputs are Gregorian
 *   (browsers offer no Jalali picker) and the chosen range is echoed in the interface's calendar.
 * - "SLA compliance" is met + met-after-warning over all closed clocks, i.e. 100 % − breached.
 * - The CSV is fetched with the bearer token (`apiText`) and saved from a Blob: a plain link
 *   would need the token in its URL. A UTF-8 BOM is prepended so spreadsheet programs read
 *   Persian names correctly.
 */

import { apiText, api } from '../core/api.js';
import { hbars, lineChart, stackedBars } from '../core/charts.js';
import { clear, h } from '../core/dom.js';
import { formatDuration, formatNumber } from '../core/format.js';
import { registerStrings, t } from '../core/i18n.js';
import { registerScreen } from '../core/router.js';
import { busy, button, field, loading, showError, toast } from '../core/ui.js';
import { add, addDays, civil, download, formatDay, isoDay, networkLabel, today, zoneNote } from './common.js';

const KINDS = ['care', 'listening', 'engagement'];

registerStrings({
  en: {
    'rep.title': 'Reports',
    'rep.range': 'Date range',
    'rep.from': 'From',
    'rep.to': 'To',
    'rep.last7': 'Last 7 days',
    'rep.last30': 'Last 30 days',
    'rep.last90': 'Last 90 days',
    'rep.showing': '{from} to {to}',
    'rep.tab.care': 'Care',
    'rep.tab.listening': 'Listening',
    'rep.tab.engagement': 'Engagement',
    'rep.csv': 'Download CSV',
    'rep.csv_done': 'CSV downloaded.',
    'rep.frt_median': 'First response (median)',
    'rep.frt_p90': 'First response (90th percentile)',
    'rep.res_median': 'Resolution (median)',
    'rep.res_p90': 'Resolution (90th percentile)',
    'rep.sla_ack': 'First-reply SLA met',
    'rep.sla_res': 'Resolution SLA met',
    'rep.of_total': 'of {total}',
    'rep.times_week': 'Response and resolution times per week (median)',
    'rep.frt': 'First response',
    'rep.res': 'Resolution',
    'rep.sla_week': 'First-reply SLA per week',
    'rep.met': 'Met',
    'rep.at_risk': 'Met after a warning',
    'rep.breached': 'Breached',
    'rep.share_week': "Each network's share of our responses per week",
    'rep.share_total': 'Share of our responses by network',
    'rep.by_team': 'By team',
    'rep.team': 'Team',
    'rep.tickets': 'Tickets',
    'rep.compliance': 'SLA met',
    'rep.mentions': 'Mentions',
    'rep.volume': 'Mentions per day',
    'rep.sentiment_day': 'Sentiment per day',
    'rep.positive': 'Positive',
    'rep.neutral': 'Neutral',
    'rep.negative': 'Negative',
    'rep.net_sentiment': 'Net sentiment',
    'rep.sov': 'Share of voice: brand vs competitors',
    'rep.brand': 'Our brand',
    'rep.by_category': 'Mentions by category',
    'rep.top_terms': 'Top terms',
    'rep.top_hashtags': 'Top hashtags',
    'rep.questions': 'Questions asked',
    'rep.posts': 'Posts published',
    'rep.engagements': 'Engagements',
    'rep.rate': 'Engagement rate',
    'rep.rate_network': 'Engagement rate by network',
    'rep.eng_network': 'Engagements by network',
    'rep.eng_week': 'Engagements per week',
    'rep.followers': 'Follower growth',
    'rep.per_post': 'Per post',
    'rep.network': 'Network',
    'rep.published': 'Published',
    'rep.clicks': 'Link clicks',
    'rep.link': 'Link',
    'rep.open': 'open',
    'rep.none': 'Nothing in this range.',
    'rep.week_of': 'week of {day}',
    'rep.need_manager': 'Reports need the manager role.',
  },
  fa: {
    'rep.title': 'گزارش‌ها',
    'rep.range': 'بازهٔ تاریخ',
    'rep.from': 'از',
    'rep.to': 'تا',
    'rep.last7': '۷ روز گذشته',
    'rep.last30': '۳۰ روز گذشته',
    'rep.last90': '۹۰ روز گذشته',
    'rep.showing': '{from} تا {to}',
    'rep.tab.care': 'پاسخ‌گویی',
    'rep.tab.listening': 'پایش',
    'rep.tab.engagement': 'تعامل',
    'rep.csv': 'دریافت CSV',
    'rep.csv_done': 'فایل CSV دریافت شد.',
    'rep.frt_median': 'نخستین پاسخ (میانه)',
    'rep.frt_p90': 'نخستین پاسخ (صدک ۹۰)',
    'rep.res_median': 'حل مشکل (میانه)',
    'rep.res_p90': 'حل مشکل (صدک ۹۰)',
    'rep.sla_ack': 'رعایت SLA نخستین پاسخ',
    'rep.sla_res': 'رعایت SLA حل مشکل',
    'rep.of_total': 'از {total}',
    'rep.times_week': 'زمان پاسخ و حل مشکل در هر هفته (میانه)',
    'rep.frt': 'نخستین پاسخ',
    'rep.res': 'حل مشکل',
    'rep.sla_week': 'SLA نخستین پاسخ در هر هفته',
    'rep.met': 'رعایت‌شده',
    'rep.at_risk': 'رعایت‌شده پس از هشدار',
    'rep.breached': 'نقض‌شده',
    'rep.share_week': 'سهم هر شبکه از پاسخ‌های ما در هر هفته',
    'rep.share_total': 'سهم شبکه‌ها از پاسخ‌های ما',
    'rep.by_team': 'به تفکیک تیم',
    'rep.team': 'تیم',
    'rep.tickets': 'تیکت‌ها',
    'rep.compliance': 'رعایت SLA',
    'rep.mentions': 'اشاره‌ها',
    'rep.volume': 'اشاره‌ها در هر روز',
    'rep.sentiment_day': 'احساس در هر روز',
    'rep.positive': 'مثبت',
    'rep.neutral': 'خنثی',
    'rep.negative': 'منفی',
    'rep.net_sentiment': 'احساس خالص',
    'rep.sov': 'سهم صدا: برند در برابر رقبا',
    'rep.brand': 'برند ما',
    'rep.by_category': 'اشاره‌ها به تفکیک دسته',
    'rep.top_terms': 'پرتکرارترین واژه‌ها',
    'rep.top_hashtags': 'پرتکرارترین هشتگ‌ها',
    'rep.questions': 'پرسش‌ها',
    'rep.posts': 'پست‌های منتشرشده',
    'rep.engagements': 'تعامل‌ها',
    'rep.rate': 'نرخ تعامل',
    'rep.rate_network': 'نرخ تعامل هر شبکه',
    'rep.eng_network': 'تعامل‌های هر شبکه',
    'rep.eng_week': 'تعامل‌ها در هر هفته',
    'rep.followers': 'رشد دنبال‌کننده',
    'rep.per_post': 'به تفکیک پست',
    'rep.network': 'شبکه',
    'rep.published': 'زمان انتشار',
    'rep.clicks': 'کلیک پیوند',
    'rep.link': 'پیوند',
    'rep.open': 'دیدن',
    'rep.none': 'در این بازه چیزی نیست.',
    'rep.week_of': 'هفتهٔ {day}',
    'rep.need_manager': 'گزارش‌ها نقش مدیر لازم دارند.',
  },
});

const pct = (v) => (v === null || v === undefined ? '—' : formatNumber(v / 100, { style: 'percent', maximumFractionDigits: 1 }));
const count = (v) => formatNumber(v ?? 0);
const rate = (v) => (v === null || v === undefined ? '—' : formatNumber(v, { style: 'percent', maximumFractionDigits: 2 }));

function dayOf(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return civil(y, m, d);
}

function weekLabel(week) {
  // '2025-W11' -> that ISO week's Monday, in the interface's calendar.
  const [year, w] = week.split('-W').map(Number);
  const jan4 = civil(year, 1, 4);
  const monday = addDays(jan4, -((jan4.getUTCDay() + 6) % 7) + (w - 1) * 7);
  return formatDay(monday, { day: 'numeric', month: 'short' });
}

function shortDay(iso) {
  return formatDay(dayOf(iso), { day: 'numeric', month: 'short' });
}

function tile(label, value, note) {
  return h('div', { class: 'kpi' }, h('p', { class: 'kpi-label' }, label), h('p', { class: 'kpi-value' }, value), note ? h('p', { class: 'kpi-note' }, note) : null);
}

function table(headers, rows) {
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data-table' },
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))),
    ));
}

function compliance(sla) {
  if (!sla || !sla.total) return null;
  return 100 - (sla.breached_pct || 0);
}

function drawCare(host, r) {
  const o = r.overall;
  const weeks = r.by_week || [];
  const labels = weeks.map((w) => weekLabel(w.week));
  const shareWeeks = [...new Set((r.responses.by_week || []).map((x) => x.week))].sort();
  const shareNets = [...new Set((r.responses.by_week || []).map((x) => x.network))].sort();
  const sharePct = (week, net) => (r.responses.by_week.find((x) => x.week === week && x.network === net)?.responses ?? 0);
  add(host, 
    h('div', { class: 'kpis' },
      tile(t('rep.frt_median'), formatDuration(o.first_response.median_seconds), t('rep.of_total', { total: o.first_response.count })),
      tile(t('rep.frt_p90'), formatDuration(o.first_response.p90_seconds)),
      tile(t('rep.res_median'), formatDuration(o.resolution.median_seconds), t('rep.of_total', { total: o.resolution.count })),
      tile(t('rep.res_p90'), formatDuration(o.resolution.p90_seconds)),
      tile(t('rep.sla_ack'), pct(compliance(o.sla.first_response)), t('rep.of_total', { total: o.sla.first_response.total })),
      tile(t('rep.sla_res'), pct(compliance(o.sla.resolution)), t('rep.of_total', { total: o.sla.resolution.total })),
    ),
    h('div', { class: 'chart-grid' },
      lineChart({
        title: t('rep.times_week'),
        labels,
        series: [
          { key: 'frt', label: t('rep.frt'), values: weeks.map((w) => w.first_response.median_seconds) },
          { key: 'res', label: t('rep.res'), values: weeks.map((w) => w.resolution.median_seconds) },
        ],
        format: formatDuration,
        durations: true,
      }),
      stackedBars({
        title: t('rep.sla_week'),
        labels,
        series: [
          { key: 'met', label: t('rep.met'), values: weeks.map((w) => w.sla.first_response.met) },
          { key: 'at_risk', label: t('rep.at_risk'), values: weeks.map((w) => w.sla.first_response.at_risk) },
          { key: 'breached', label: t('rep.breached'), values: weeks.map((w) => w.sla.first_response.breached) },
        ],
        format: count,
      }),
      stackedBars({
        title: t('rep.share_week'),
        labels: shareWeeks.map(weekLabel),
        series: shareNets.map((n) => ({ key: n, label: networkLabel(n), values: shareWeeks.map((w) => sharePct(w, n)) })),
        format: count,
        percent: true,
      }),
      hbars({
        title: t('rep.share_total'),
        items: (r.responses.by_network || []).map((n) => ({ key: n.network, label: networkLabel(n.network), value: n.share_pct })),
        format: pct,
      }),
    ),
    h('h3', { class: 'subsection-title' }, t('rep.by_team')),
    (r.by_team || []).length
      ? table(
          [t('rep.team'), t('rep.frt_median'), t('rep.res_median'), t('rep.sla_ack'), t('rep.sla_res')],
          r.by_team.map((g) => [g.team, formatDuration(g.first_response.median_seconds), formatDuration(g.resolution.median_seconds), pct(compliance(g.sla.first_response)), pct(compliance(g.sla.resolution))]),
        )
      : h('p', { class: 'muted' }, t('rep.none')),
  );
}

function drawListening(host, r) {
  const days = r.sentiment_trend || [];
  const labels = days.map((d) => shortDay(d.day));
  const total = r.mentions || 0;
  const share = (n) => (total ? (100 * n) / total : null);
  add(host, 
    h('div', { class: 'kpis' },
      tile(t('rep.mentions'), count(total)),
      tile(t('rep.positive'), pct(share(r.sentiment.positive))),
      tile(t('rep.neutral'), pct(share(r.sentiment.neutral))),
      tile(t('rep.negative'), pct(share(r.sentiment.negative))),
      tile(t('rep.questions'), count(r.questions?.total)),
    ),
    h('div', { class: 'chart-grid' },
      lineChart({ title: t('rep.volume'), labels, series: [{ key: 'volume', label: t('rep.mentions'), values: days.map((d) => d.mentions) }], format: count }),
      stackedBars({
        title: t('rep.sentiment_day'),
        labels,
        series: ['positive', 'neutral', 'negative'].map((s) => ({ key: s, label: t(`rep.${s}`), values: days.map((d) => d[s]) })),
        format: count,
      }),
      hbars({
        title: t('rep.sov'),
        items: (r.share_of_voice || []).map((v, i) => ({ key: i === 0 ? 'brand' : null, label: v.subject === 'brand' && !v.rule_id ? t('rep.brand') : v.subject, value: v.share_pct })),
        format: pct,
      }),
      hbars({
        title: t('rep.by_category'),
        items: (r.by_category || []).map((c) => ({ key: c.category, label: t(`cat.${c.category}`), value: c.mentions })),
        format: count,
      }),
    ),
    h('div', { class: 'term-columns' },
      h('div', {}, h('h3', { class: 'subsection-title' }, t('rep.top_terms')),
        (r.top_terms || []).length ? h('ol', { class: 'term-list' }, r.top_terms.map((x) => h('li', {}, h('span', { dir: 'auto' }, x.term), ' ', h('span', { class: 'muted' }, count(x.mentions))))) : h('p', { class: 'muted' }, t('rep.none'))),
      h('div', {}, h('h3', { class: 'subsection-title' }, t('rep.top_hashtags')),
        (r.top_hashtags || []).length ? h('ol', { class: 'term-list' }, r.top_hashtags.map((x) => h('li', {}, h('span', { dir: 'auto' }, `#${x.term}`), ' ', h('span', { class: 'muted' }, count(x.mentions))))) : h('p', { class: 'muted' }, t('rep.none'))),
    ),
  );
}

function drawEngagement(host, r) {
  const nets = r.by_network || [];
  const weeks = [...new Set((r.by_week || []).map((w) => w.week))].sort();
  const weekNets = [...new Set((r.by_week || []).map((w) => w.network))].sort();
  const posts = r.posts || [];
  add(host, 
    h('div', { class: 'kpis' },
      tile(t('rep.posts'), count(posts.length)),
      tile(t('rep.engagements'), count(nets.reduce((a, n) => a + (n.engagements || 0), 0))),
      tile(t('rep.clicks'), count(nets.reduce((a, n) => a + (n.link_clicks || 0), 0))),
      tile(t('rep.followers'), count(nets.reduce((a, n) => a + (n.follower_growth || 0), 0))),
    ),
    h('div', { class: 'chart-grid' },
      hbars({ title: t('rep.rate_network'), items: nets.map((n) => ({ key: n.network, label: networkLabel(n.network), value: n.engagement_rate })), format: rate }),
      hbars({ title: t('rep.eng_network'), items: nets.map((n) => ({ key: n.network, label: networkLabel(n.network), value: n.engagements })), format: count }),
      lineChart({
        title: t('rep.eng_week'),
        labels: weeks.map(weekLabel),
        series: weekNets.map((n) => ({ key: n, label: networkLabel(n), values: weeks.map((w) => r.by_week.find((x) => x.week === w && x.network === n)?.engagements ?? null) })),
        format: count,
      }),
    ),
    h('h3', { class: 'subsection-title' }, t('rep.per_post')),
    posts.length
      ? table(
          [t('rep.published'), t('rep.network'), t('rep.engagements'), t('rep.rate'), t('rep.clicks'), t('rep.link')],
          posts.map((p) => [shortDay(p.day), networkLabel(p.network), count(p.engagements), rate(p.engagement_rate), count(p.link_clicks), p.url ? h('a', { href: p.url, target: '_blank', rel: 'noopener noreferrer' }, t('rep.open')) : '—']),
        )
      : h('p', { class: 'muted' }, t('rep.none')),
  );
}

const DRAW = { care: drawCare, listening: drawListening, engagement: drawEngagement };

function render(root, _params, query) {
  let alive = true;
  const last = today();
  const valid = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '');
  const state = {
    tab: KINDS.includes(query.get('tab')) ? query.get('tab') : 'care',
    from: valid(query.get('from')) ? query.get('from') : isoDay(addDays(last, -29)),
    to: valid(query.get('to')) ? query.get('to') : isoDay(last),
  };
  const from = h('input', { type: 'date', value: state.from, dir: 'ltr', required: true });
  const to = h('input', { type: 'date', value: state.to, dir: 'ltr', required: true });
  const echo = h('p', { class: 'muted range-echo', 'aria-live': 'polite' });
  const preset = (days) => () => {
    to.value = isoDay(today());
    from.value = isoDay(addDays(today(), -(days - 1)));
    apply();
  };
  const form = h('form', { class: 'toolbar report-range', 'aria-label': t('rep.range') },
    field({ label: t('rep.from'), input: from, name: 'from' }),
    field({ label: t('rep.to'), input: to, name: 'to' }),
    button(t('common.apply'), null, { kind: 'primary', type: 'submit' }),
    h('div', { class: 'toolbar-group' }, button(t('rep.last7'), preset(7)), button(t('rep.last30'), preset(30)), button(t('rep.last90'), preset(90))),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('rep.title') });
  const panel = h('section', { class: 'report-panel', role: 'tabpanel', id: 'report-panel', tabindex: '0' });
  const tabButtons = KINDS.map((kind) => h('button', {
    type: 'button',
    role: 'tab',
    class: 'tab',
    id: `tab-${kind}`,
    'aria-controls': 'report-panel',
    dataset: { tab: kind },
    on: {
      click: () => select(kind),
      keydown: (e) => {
        const i = KINDS.indexOf(kind);
        const forward = document.documentElement.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
        const back = forward === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
        let next = null;
        if (e.key === forward) next = KINDS[(i + 1) % KINDS.length];
        if (e.key === back) next = KINDS[(i + KINDS.length - 1) % KINDS.length];
        if (e.key === 'Home') next = KINDS[0];
        if (e.key === 'End') next = KINDS[KINDS.length - 1];
        if (next) {
          e.preventDefault();
          select(next);
          tabButtons[KINDS.indexOf(next)].focus();
        }
      },
    },
  }, t(`rep.tab.${kind}`)));
  add(tabs, ...tabButtons);

  add(root, h('div', { class: 'screen-head' }, h('h1', { class: 'screen-title' }, t('rep.title')), zoneNote()), form, echo, tabs, panel);

  function apply() {
    if (!from.value || !to.value) return;
    state.from = from.value;
    state.to = to.value;
    load();
  }

  function select(kind) {
    state.tab = kind;
    load();
  }

  let loads = 0;
  async function load() {
    const mine = ++loads; // only the latest request draws
    history.replaceState(null, '', `#/reports?${new URLSearchParams(state)}`);
    echo.textContent = t('rep.showing', {
      from: formatDay(dayOf(state.from), { day: 'numeric', month: 'long', year: 'numeric' }),
      to: formatDay(dayOf(state.to), { day: 'numeric', month: 'long', year: 'numeric' }),
    });
    tabButtons.forEach((b) => {
      const on = b.dataset.tab === state.tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    });
    panel.setAttribute('aria-labelledby', `tab-${state.tab}`);
    const kind = state.tab;
    loading(panel);
    try {
      const report = await api(`/reports/${kind}`, { query: { from: state.from, to: state.to } });
      if (!alive || mine !== loads) return;
      clear(panel).removeAttribute('aria-busy');
      panel.dataset.report = kind;
      const csv = button(t('rep.csv'), async (event) => {
        try {
          await busy(event.currentTarget, async () => {
            const text = await apiText(`/reports/${kind}`, { query: { from: state.from, to: state.to, format: 'csv' } });
            download(`${kind}-${state.from}-${state.to}.csv`, `\ufeff${text}`);
          });
          toast(t('rep.csv_done'));
        } catch (err) {
          showError(err, { target: panel });
        }
      }, { attrs: { 'data-action': 'csv' } });
      add(panel, h('div', { class: 'panel-head' }, h('h2', { class: 'section-title' }, t(`rep.tab.${kind}`)), csv));
      DRAW[kind](panel, report);
    } catch (err) {
      if (!alive || mine !== loads) return;
      clear(panel).removeAttribute('aria-busy');
      showError(err, { target: panel });
    }
  }

  load();
  return () => {
    alive = false;
  };
}

registerScreen({ route: '/reports', nav: 'reports', titleKey: 'rep.title', role: 'manager', render });
