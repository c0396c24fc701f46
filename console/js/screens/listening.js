/**
 * screens/listening.js — what people say: the mentions feed with every filter of GET /mentions,
 * the alerts (GET /alerts), and the watch-rule editor with every query operator.
 *
 * Decisions:
 * - Filters live in the URL (#/listening?category=brand&sentiment=negative), so a filtered feed
 *   can be bookmarked or sent to a colleague; the time range is typed on the brand's wall clock
 *   and sent as instants.
 * - A filtered page may come back short (the API examines a bounded number of items per request
 *   and returns a cursor to continue), so "Load more" is offered whenever there is a cursor.
 * - The feed refreshes its first page every 15 s unless the reader has loaded more pages (their
 *   place is never pulled away from under them).
 * - Rule terms are edited one per line; the API's 422 details (`query.handles`, `query`, `name`)
 *   are shown under the field they name, and the form keeps everything typed.
 */

import { api } from '../core/api.js';
import { clear, h, userText } from '../core/dom.js';
import { formatNumber, timeElement } from '../core/format.js';
import { registerStrings, t } from '../core/i18n.js';
import { registerScreen } from '../core/router.js';
import { hasRole } from '../core/session.js';
import { applyFieldErrors, busy, button, emptyState, errorMessage, field, loading, showError, toast } from '../core/ui.js';
import { add, PLATFORMS, localDetails, chip, lines, networkLabel, toLocalInput, zoneNote, zonedToUtc } from './common.js';

const CATEGORIES = ['brand', 'industry', 'competitor', 'influencer', 'figure'];
const SENTIMENTS = ['negative', 'neutral', 'positive'];
const INTENTS = ['complaint', 'question', 'praise', 'other'];
const LANGUAGES = ['fa', 'en', 'ar', 'fa-Latn', 'other'];
const OPERATORS = ['any', 'all', 'none', 'phrases', 'handles', 'hashtags'];
const FILTERS = ['category', 'rule', 'sentiment', 'intent', 'language', 'platform', 'text', 'from', 'to'];

registerStrings({
  en: {
    'lis.title': 'Listening',
    'lis.feed': 'Mentions',
    'lis.alerts': 'Alerts',
    'lis.rules': 'Watch rules',
    'lis.filters': 'Filters',
    'lis.category': 'Category',
    'lis.rule': 'Rule',
    'lis.sentiment': 'Sentiment',
    'lis.intent': 'Intent',
    'lis.language': 'Language',
    'lis.platform': 'Network',
    'lis.text': 'Text contains',
    'lis.text_hint': 'Spelling-insensitive (Persian letters, digits, half-spaces).',
    'lis.from': 'From',
    'lis.to': 'To',
    'lis.no_mentions': 'No mentions match these filters.',
    'lis.needs_reply': 'needs a reply',
    'lis.open': 'Open original',
    'lis.no_alerts': 'No alerts yet.',
    'lis.show_feed': 'Show its mentions',
    'lis.new_rule': 'New rule',
    'lis.no_rules': 'No watch rules yet.',
    'lis.enabled': 'Enabled',
    'lis.disabled': 'Disabled',
    'lis.rule_name': 'Name',
    'lis.rule_category': 'Category',
    'lis.rule_enabled': 'Listen with this rule',
    'lis.query': 'Query',
    'lis.query_help':
      'A mention matches when any positive clause matches (any term, a phrase, a handle or a hashtag), every “all” term is present, and no “none” term is.',
    'lis.op.any': 'Any of these words',
    'lis.op.all': 'All of these words',
    'lis.op.none': 'None of these words',
    'lis.op.phrases': 'Exact phrases',
    'lis.op.handles': 'Accounts (@handle)',
    'lis.op.hashtags': 'Hashtags',
    'lis.op.platforms': 'Only on these networks',
    'lis.op.languages': 'Only in these languages',
    'lis.rule_saved': 'Rule saved. New mentions are matched within a minute.',
    'lis.rule_deleted': 'Rule deleted.',
    'lis.edit_rule': 'Edit rule {name}',
    'lis.terms': '{count} terms',
    'cat.brand': 'Brand',
    'cat.industry': 'Industry',
    'cat.competitor': 'Competitor',
    'cat.influencer': 'Influencer',
    'cat.figure': 'Public figure',
    'sent.negative': 'Negative',
    'sent.neutral': 'Neutral',
    'sent.positive': 'Positive',
    'intent.complaint': 'Complaint',
    'intent.question': 'Question',
    'intent.praise': 'Praise',
    'intent.other': 'Other',
    'lang.fa': 'Persian',
    'lang.en': 'English',
    'lang.ar': 'Arabic',
    'lang.fa-Latn': 'Finglish',
    'lang.other': 'Other',
    'alert.person_brand_mention': '{rule} talked about the brand',
    'alert.competitor_sentiment': 'Strong {sentiment} sentiment about {rule}',
    'alert.spike': 'Spike: {count} mentions this hour for {rule} (usually {baseline})',
    'alert.negative_brand': 'negative brand mentions',
  },
  fa: {
    'lis.title': 'پایش شبکه‌ها',
    'lis.feed': 'اشاره‌ها',
    'lis.alerts': 'هشدارها',
    'lis.rules': 'قواعد پایش',
    'lis.filters': 'فیلترها',
    'lis.category': 'دسته',
    'lis.rule': 'قاعده',
    'lis.sentiment': 'احساس',
    'lis.intent': 'قصد',
    'lis.language': 'زبان',
    'lis.platform': 'شبکه',
    'lis.text': 'متن شامل',
    'lis.text_hint': 'به املا حساس نیست (حروف فارسی، ارقام، نیم‌فاصله).',
    'lis.from': 'از',
    'lis.to': 'تا',
    'lis.no_mentions': 'اشاره‌ای با این فیلترها نیست.',
    'lis.needs_reply': 'نیاز به پاسخ',
    'lis.open': 'دیدن اصل پیام',
    'lis.no_alerts': 'هنوز هشداری نیست.',
    'lis.show_feed': 'دیدن اشاره‌هایش',
    'lis.new_rule': 'قاعدهٔ تازه',
    'lis.no_rules': 'هنوز قاعده‌ای نیست.',
    'lis.enabled': 'فعال',
    'lis.disabled': 'غیرفعال',
    'lis.rule_name': 'نام',
    'lis.rule_category': 'دسته',
    'lis.rule_enabled': 'پایش با این قاعده',
    'lis.query': 'پرس‌وجو',
    'lis.query_help':
      'اشاره‌ای جور است که یکی از بندهای مثبت (یکی از واژه‌ها، یک عبارت، یک حساب یا یک هشتگ) را داشته باشد، همهٔ واژه‌های «همه» را داشته باشد و هیچ واژهٔ «هیچ‌کدام» را نداشته باشد.',
    'lis.op.any': 'یکی از این واژه‌ها',
    'lis.op.all': 'همهٔ این واژه‌ها',
    'lis.op.none': 'هیچ‌کدام از این واژه‌ها',
    'lis.op.phrases': 'عبارت‌های دقیق',
    'lis.op.handles': 'حساب‌ها (@handle)',
    'lis.op.hashtags': 'هشتگ‌ها',
    'lis.op.platforms': 'فقط در این شبکه‌ها',
    'lis.op.languages': 'فقط به این زبان‌ها',
    'lis.rule_saved': 'قاعده ذخیره شد. اشاره‌های تازه تا یک دقیقه با آن سنجیده می‌شوند.',
    'lis.rule_deleted': 'قاعده حذف شد.',
    'lis.edit_rule': 'ویرایش قاعدهٔ {name}',
    'lis.terms': '{count} واژه',
    'cat.brand': 'برند',
    'cat.industry': 'صنعت',
    'cat.competitor': 'رقیب',
    'cat.influencer': 'اینفلوئنسر',
    'cat.figure': 'چهرهٔ شناخته‌شده',
    'sent.negative': 'منفی',
    'sent.neutral': 'خنثی',
    'sent.positive': 'مثبت',
    'intent.complaint': 'شکایت',
    'intent.question': 'پرسش',
    'intent.praise': 'تعریف',
    'intent.other': 'سایر',
    'lang.fa': 'فارسی',
    'lang.en': 'انگلیسی',
    'lang.ar': 'عربی',
    'lang.fa-Latn': 'فینگلیش',
    'lang.other': 'سایر',
    'alert.person_brand_mention': '{rule} دربارهٔ برند نوشت',
    'alert.competitor_sentiment': 'احساس {sentiment} شدید دربارهٔ {rule}',
    'alert.spike': 'جهش: {count} اشاره در این ساعت برای {rule} (معمولاً {baseline})',
    'alert.negative_brand': 'اشاره‌های منفی به برند',
  },
});

function options(values, prefix, selected, anyLabel = t('common.any')) {
  return [
    h('option', { value: '' }, anyLabel),
    ...values.map((v) => h('option', { value: v, selected: v === selected }, prefix ? t(`${prefix}.${v}`) : v)),
  ];
}

function render(root, _params, query) {
  let alive = true;
  let rules = [];
  let pages = 0;
  let cursor = null;
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) || '']));

  const feedList = h('ul', { class: 'mention-list', 'aria-live': 'polite' });
  const feedMore = h('div', { class: 'more' });
  const alertsBox = h('div', { class: 'alerts-body' });
  const rulesBox = h('div', { class: 'rules-body' });

  // --- filters -------------------------------------------------------------------------------
  const controls = {
    category: h('select', {}, options(CATEGORIES, 'cat', filters.category)),
    rule: h('select', {}, options([], null, filters.rule)),
    sentiment: h('select', {}, options(SENTIMENTS, 'sent', filters.sentiment)),
    intent: h('select', {}, options(INTENTS, 'intent', filters.intent)),
    language: h('select', {}, options(LANGUAGES, 'lang', filters.language)),
    platform: h('select', {}, [h('option', { value: '' }, t('common.any')), ...PLATFORMS.map((p) => h('option', { value: p, selected: p === filters.platform }, networkLabel(p)))]),
    text: h('input', { type: 'search', value: filters.text, dir: 'auto', maxlength: 200 }),
    from: h('input', { type: 'datetime-local', value: filters.from ? toLocalInput(filters.from) : '', dir: 'ltr' }),
    to: h('input', { type: 'datetime-local', value: filters.to ? toLocalInput(filters.to) : '', dir: 'ltr' }),
  };
  const filterForm = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': t('lis.filters') },
    h('div', { class: 'filter-grid' },
      field({ label: t('lis.category'), input: controls.category, name: 'category' }),
      field({ label: t('lis.rule'), input: controls.rule, name: 'rule' }),
      field({ label: t('lis.sentiment'), input: controls.sentiment, name: 'sentiment' }),
      field({ label: t('lis.intent'), input: controls.intent, name: 'intent' }),
      field({ label: t('lis.language'), input: controls.language, name: 'language' }),
      field({ label: t('lis.platform'), input: controls.platform, name: 'platform' }),
      field({ label: t('lis.text'), input: controls.text, name: 'text', hint: t('lis.text_hint') }),
      field({ label: t('lis.from'), input: controls.from, name: 'from' }),
      field({ label: t('lis.to'), input: controls.to, name: 'to' }),
    ),
    h('div', { class: 'actions' },
      button(t('common.apply'), null, { kind: 'primary', type: 'submit' }),
      button(t('common.reset'), () => {
        for (const [k, el] of Object.entries(controls)) {
          el.value = '';
          filters[k] = '';
        }
        loadFeed();
      }),
      button(t('common.refresh'), () => loadFeed(), { attrs: { 'data-action': 'refresh-feed' } }),
    ),
  );
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const k of FILTERS) {
      const value = controls[k].value.trim();
      filters[k] = (k === 'from' || k === 'to') && value ? zonedToUtc(value) : value;
    }
    loadFeed();
  });

  add(root, 
    h('div', { class: 'screen-head' }, h('h1', { class: 'screen-title' }, t('lis.title')), zoneNote()),
    h('div', { class: 'listening-layout' },
      h('section', { class: 'feed', 'aria-labelledby': 'lis-feed-title' },
        h('h2', { id: 'lis-feed-title', class: 'section-title' }, t('lis.feed')),
        filterForm,
        feedList,
        feedMore,
      ),
      h('div', { class: 'listening-side' },
        h('section', { class: 'card', 'aria-labelledby': 'lis-alerts-title' }, h('h2', { id: 'lis-alerts-title', class: 'section-title' }, t('lis.alerts')), alertsBox),
        h('section', { class: 'card', 'aria-labelledby': 'lis-rules-title' }, h('h2', { id: 'lis-rules-title', class: 'section-title' }, t('lis.rules')), rulesBox),
      ),
    ),
  );

  function remember() {
    const q = new URLSearchParams();
    for (const k of FILTERS) if (filters[k]) q.set(k, filters[k]);
    const text = q.toString();
    history.replaceState(null, '', `#/listening${text ? `?${text}` : ''}`);
  }

  function ruleName(id) {
    return rules.find((r) => r.id === id)?.name || id;
  }

  function mentionItem(m) {
    const author = m.author?.name || (m.author?.handle ? `@${m.author.handle}` : m.author?.id);
    return h(
      'li',
      { class: 'mention card', dataset: { mentionId: `${m.platform}:${m.platform_id}` } },
      h('div', { class: 'mention-top' },
        h('span', { class: ['platform-icon', `platform-${PLATFORMS.includes(m.platform) ? m.platform : 'generic'}`], 'aria-hidden': 'true' }, (networkLabel(m.platform) || '?').slice(0, 2)),
        h('span', { class: 'visually-hidden' }, networkLabel(m.platform)),
        userText(author, 'span', { class: 'mention-author' }),
        timeElement(m.created_at),
      ),
      userText(m.text, 'p', { class: 'mention-text' }),
      h('div', { class: 'mention-meta' },
        chip(t(`sent.${m.sentiment}`), m.sentiment),
        chip(t(`intent.${m.intent}`), m.intent),
        chip(t(`lang.${m.language}`) || m.language),
        (m.categories || []).map((c) => chip(t(`cat.${c}`), 'category')),
        (m.rules || []).map((r) => chip(ruleName(r), 'rule')),
        m.needs_reply ? chip(t('lis.needs_reply'), 'complaint') : null,
        m.url ? h('a', { href: m.url, target: '_blank', rel: 'noopener noreferrer', class: 'mention-link' }, t('lis.open')) : null,
      ),
    );
  }

  function feedQuery(extra = {}) {
    const q = { limit: 20, ...extra };
    for (const k of FILTERS) if (filters[k]) q[k] = filters[k];
    return q;
  }

  let loads = 0;
  async function loadFeed({ quiet = false } = {}) {
    const mine = ++loads; // only the latest request draws
    remember();
    if (!quiet) loading(feedList);
    applyFieldErrors(filterForm, []);
    try {
      const data = await api('/mentions', { query: feedQuery() });
      if (!alive || mine !== loads) return;
      pages = 1;
      cursor = data.next_cursor;
      clear(feedList).removeAttribute('aria-busy');
      if (!data.items.length && !cursor) add(feedList, h('li', {}, emptyState(t('lis.no_mentions'))));
      add(feedList, ...data.items.map(mentionItem));
      drawMore();
    } catch (err) {
      if (!alive || mine !== loads) return;
      clear(feedList).removeAttribute('aria-busy');
      if (err.status === 422) applyFieldErrors(filterForm, localDetails(err.details));
      showError(err, { target: feedList.parentElement });
    }
  }

  function drawMore() {
    clear(feedMore);
    if (!cursor) return;
    add(feedMore, button(t('common.more'), async (event) => {
      try {
        await busy(event.currentTarget, async () => {
          const data = await api('/mentions', { query: feedQuery({ cursor }) });
          pages += 1;
          cursor = data.next_cursor;
          add(feedList, ...data.items.map(mentionItem));
          drawMore();
        });
      } catch (err) {
        showError(err, { target: feedMore });
      }
    }));
  }

  // --- alerts --------------------------------------------------------------------------------
  function alertText(a) {
    const rule = a.rule_name || (a.subject === 'brand_negative' || a.counter === 'brand_negative' ? t('alert.negative_brand') : a.subject);
    return t(`alert.${a.kind}`, {
      rule,
      sentiment: a.sentiment ? t(`sent.${a.sentiment}`) : '',
      count: a.count ?? 0,
      baseline: formatNumber(a.baseline_mean ?? 0, { maximumFractionDigits: 1 }),
    });
  }

  async function loadAlerts() {
    loading(alertsBox);
    try {
      const data = await api('/alerts', { query: { limit: 10 } });
      if (!alive) return;
      clear(alertsBox).removeAttribute('aria-busy');
      if (!data.items.length) {
        add(alertsBox, h('p', { class: 'muted' }, t('lis.no_alerts')));
        return;
      }
      add(alertsBox, 
        h('ul', { class: 'alert-list' }, data.items.map((a) =>
          h('li', { class: ['alert-item', `alert-${a.kind}`] },
            h('p', {}, userText(alertText(a))),
            h('p', { class: 'muted small' }, timeElement(a.raised_at)),
            a.rule_id ? button(t('lis.show_feed'), () => {
              controls.rule.value = a.rule_id;
              filters.rule = a.rule_id;
              loadFeed();
            }, { kind: 'quiet', attrs: { class: 'btn-small' } }) : null,
          ))),
      );
    } catch (err) {
      clear(alertsBox);
      showError(err, { target: alertsBox });
    }
  }

  // --- rules ---------------------------------------------------------------------------------
  async function loadRules() {
    loading(rulesBox);
    try {
      rules = [];
      let next = null;
      do {
        const data = await api('/watch-rules', { query: { limit: 100, cursor: next } });
        rules.push(...data.items);
        next = data.next_cursor;
      } while (next);
      if (!alive) return;
      add(clear(controls.rule), ...options(rules.map((r) => r.id), null, filters.rule));
      [...controls.rule.options].forEach((o) => {
        if (o.value) o.textContent = ruleName(o.value);
      });
      drawRules();
    } catch (err) {
      clear(rulesBox);
      showError(err, { target: rulesBox });
    }
  }

  function drawRules() {
    clear(rulesBox).removeAttribute('aria-busy');
    const manager = hasRole('manager');
    if (manager) add(rulesBox, button(t('lis.new_rule'), () => openRule(null), { kind: 'primary', attrs: { 'data-action': 'new-rule' } }));
    else add(rulesBox, h('p', { class: 'muted small' }, t('common.readonly')));
    if (!rules.length) {
      add(rulesBox, h('p', { class: 'muted' }, t('lis.no_rules')));
      return;
    }
    add(rulesBox, 
      h('ul', { class: 'rule-list' }, rules.map((r) => {
        const terms = OPERATORS.reduce((n, op) => n + (r.query?.[op]?.length || 0), 0);
        return h('li', { class: 'rule-item', dataset: { ruleId: r.id } },
          h('div', {},
            userText(r.name, 'strong'),
            ' ',
            chip(t(`cat.${r.category}`), 'category'),
            ' ',
            chip(r.enabled === false ? t('lis.disabled') : t('lis.enabled'), r.enabled === false ? 'off' : 'on'),
          ),
          h('p', { class: 'muted small' }, t('lis.terms', { count: terms })),
          h('div', { class: 'actions' },
            button(manager ? t('common.edit') : t('lis.query'), () => openRule(r), { attrs: { class: 'btn-small', 'aria-label': t('lis.edit_rule', { name: r.name }), 'data-action': 'edit-rule' } }),
            button(t('lis.show_feed'), () => {
              controls.rule.value = r.id;
              filters.rule = r.id;
              loadFeed();
            }, { kind: 'quiet', attrs: { class: 'btn-small' } }),
          ));
      })),
    );
  }

  function openRule(rule) {
    const manager = hasRole('manager');
    const dialog = h('dialog', { class: 'dialog rule-dialog', 'aria-labelledby': 'rule-dialog-title' });
    const form = h('form', { class: 'form', novalidate: true });
    const name = h('input', { type: 'text', value: rule?.name || '', required: true, dir: 'auto', maxlength: 100, disabled: !manager });
    const category = h('select', { disabled: !manager }, CATEGORIES.map((c) => h('option', { value: c, selected: (rule?.category || 'brand') === c }, t(`cat.${c}`))));
    const enabled = h('input', { type: 'checkbox', checked: rule ? rule.enabled !== false : true, disabled: !manager, name: 'enabled' });
    const ops = Object.fromEntries(OPERATORS.map((op) => [op, h('textarea', { rows: 2, dir: op === 'handles' ? 'ltr' : 'auto', value: (rule?.query?.[op] || []).join('\n'), disabled: !manager })]));
    const checks = (values, chosen, label) => h('div', { class: 'check-row' }, values.map((v) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: v, checked: (chosen || []).includes(v), disabled: !manager }), ' ', label(v))));
    const platforms = checks(PLATFORMS, rule?.query?.platforms, networkLabel);
    const languages = checks(LANGUAGES, rule?.query?.languages, (v) => t(`lang.${v}`));
    const errors = h('div', { class: 'form-errors' });
    const queryErrorId = 'rule-query-error';
    const queryBox = h('fieldset', { class: 'query-box', name: 'query', id: 'rule-query', 'aria-describedby': queryErrorId },
      h('legend', {}, t('lis.query')),
      h('p', { class: 'field-hint' }, t('lis.query_help')),
      h('p', { class: 'field-error', id: queryErrorId, hidden: true }),
      h('div', { class: 'form-grid' }, OPERATORS.map((op) => field({ label: t(`lis.op.${op}`), input: ops[op], name: op, hint: t('common.one_per_line') }))),
      h('fieldset', { class: 'sub-fieldset', name: 'platforms', id: 'rule-platforms' }, h('legend', {}, t('lis.op.platforms')), h('p', { class: 'field-error', id: 'rule-platforms-error', hidden: true }), platforms),
      h('fieldset', { class: 'sub-fieldset', name: 'languages', id: 'rule-languages' }, h('legend', {}, t('lis.op.languages')), h('p', { class: 'field-error', id: 'rule-languages-error', hidden: true }), languages),
    );
    const chosen = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);

    const save = async (event) => {
      applyFieldErrors(form, []);
      clear(errors);
      const body = {
        name: name.value.trim(),
        category: category.value,
        enabled: enabled.checked,
        query: {
          ...Object.fromEntries(OPERATORS.map((op) => [op, lines(ops[op].value)])),
          platforms: chosen(platforms),
          languages: chosen(languages),
        },
      };
      try {
        await busy(event.currentTarget, async () => {
          if (rule) await api(`/watch-rules/${encodeURIComponent(rule.id)}`, { method: 'PUT', body: { ...body, version: rule.version } });
          else await api('/watch-rules', { method: 'POST', body });
        });
        toast(t('lis.rule_saved'));
        dialog.close();
        loadRules();
      } catch (err) {
        const unmatched = err.status === 422 ? applyFieldErrors(form, localDetails(err.details)) : [];
        if (err.status !== 422 || unmatched.length) {
          add(errors, h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, err.status === 422 ? unmatched.map((d) => d.problem).join(' ') : errorMessage(err))));
        }
        form.querySelector('[aria-invalid="true"]')?.focus();
      }
    };
    const remove = async (event) => {
      if (!window.confirm(t('common.confirm_delete', { name: rule.name }))) return;
      try {
        await busy(event.currentTarget, () => api(`/watch-rules/${encodeURIComponent(rule.id)}`, { method: 'DELETE' }));
        toast(t('lis.rule_deleted'));
        dialog.close();
        loadRules();
      } catch (err) {
        add(errors, h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, errorMessage(err))));
      }
    };

    add(form, 
      h('div', { class: 'dialog-head' },
        h('h2', { id: 'rule-dialog-title' }, rule ? rule.name : t('lis.new_rule')),
        h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': t('common.close'), on: { click: () => dialog.close() } }, '×'),
      ),
      errors,
      h('div', { class: 'form-grid' },
        field({ label: t('lis.rule_name'), input: name, name: 'name' }),
        field({ label: t('lis.rule_category'), input: category, name: 'category' }),
      ),
      h('div', { class: 'field field-check' }, h('label', {}, enabled, ' ', t('lis.rule_enabled'))),
      queryBox,
      h('div', { class: 'dialog-actions' },
        manager ? button(t('common.save'), save, { kind: 'primary', attrs: { 'data-action': 'save-rule' } }) : null,
        manager && rule ? button(t('common.delete'), remove, { kind: 'danger' }) : null,
        button(t('common.close'), () => dialog.close(), { kind: 'quiet' }),
      ),
    );
    form.addEventListener('submit', (e) => e.preventDefault());
    add(dialog, form);
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    name.focus();
  }

  loadRules().then(() => loadFeed());
  loadAlerts();
  const timer = setInterval(() => {
    if (pages <= 1 && !document.querySelector('dialog[open]')) loadFeed({ quiet: true });
  }, 15000);
  const alertTimer = setInterval(loadAlerts, 60000);
  return () => {
    alive = false;
    clearInterval(timer);
    clearInterval(alertTimer);
    document.querySelector('dialog.rule-dialog')?.remove();
  };
}

registerScreen({ route: '/listening', nav: 'listening', titleKey: 'lis.title', render });
