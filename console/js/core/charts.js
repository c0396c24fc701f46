/**
 * core/charts.js — small SVG charts a manager reads at a glance, with no chart library.
 *
 * Contract (stable):
 *   lineChart({title, labels, series, format, summary, durations})  lines over time
 *     (durations: values are seconds; the axis steps are whole seconds/minutes/hours/days)
 *   stackedBars({title, labels, series, format, percent, summary})   stacked columns per label
 *   hbars({title, items, format, summary})                   horizontal bars (shares, rankings)
 *   heatmap({title, rows, columns, format, summary})         e.g. weekday × hour
 *     labels:  x-axis labels (strings, already localised)
 *     series:  [{key, label, values: [number|null, ...]}]    (values aligned with labels)
 *     items:   [{key, label, value}]
 *     rows:    [{label, cells: [number|null, ...]}]; columns: column labels
 *     format:  value -> string (localised digits, units); summary: extra text for screen readers
 *   Each returns a <figure class="chart"> with a caption, the SVG (role="img" and an aria-label
 *   that states the chart's point), an HTML legend and a <details> data table: the numbers are
 *   always available to a screen reader, a keyboard and a printout.
 *
 * WHY hand-written: four chart kinds in ~300 lines cost less than any library's first load and
 * keep the console free of runtime dependencies. Colours come from CSS classes (`s-<key>`,
 * `s-<n>` and `heat-<n>` in screens.css), never inline styles (CSP). The SVG is always laid out
 * left to right (time flows that way on every axis), while labels and tables follow the page's
 * direction.
 */

import { h, svg, uid } from './dom.js';
import { formatNumber } from './format.js';
import { registerStrings, t } from './i18n.js';

registerStrings({
  en: {
    'chart.table': 'Show the numbers',
    'chart.empty': 'No data in this range.',
    'chart.total': 'Total',
    'chart.heat_low': 'lower',
    'chart.heat_high': 'higher',
    'chart.heat_none': 'no data',
  },
  fa: {
    'chart.table': 'نمایش اعداد',
    'chart.empty': 'در این بازه داده‌ای نیست.',
    'chart.total': 'جمع',
    'chart.heat_low': 'کمتر',
    'chart.heat_high': 'بیشتر',
    'chart.heat_none': 'بدون داده',
  },
});

const W = 640;
const H = 240;
const PAD = { top: 12, right: 12, bottom: 30, left: 56 };

const plain = (v) => formatNumber(v);

function niceMax(value) {
  if (!(value > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * exp) return step * exp;
  }
  return 10 * exp;
}

/** For whole numbers (counts): a maximum of four equal whole steps (1, 2, 3, 4, 5, 10, 20 …). */
function niceCountMax(value) {
  const quarter = Math.max(1, value / 4);
  const exp = 10 ** Math.floor(Math.log10(quarter));
  const step = [1, 2, 2.5, 3, 4, 5, 10]
    .map((m) => m * exp)
    .find((x) => Number.isInteger(x) && x >= quarter);
  return 4 * step;
}

function scaleMax(values, durations) {
  const top = Math.max(...values);
  if (durations) return niceDurationMax(top);
  return values.every(Number.isInteger) ? niceCountMax(top) : niceMax(top);
}

// Steps that read as whole units on a time axis: seconds, minutes, hours, days.
const DURATION_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
  21600, 43200, 86400, 172800, 604800];

function niceDurationMax(value) {
  const step = DURATION_STEPS.find((s) => 4 * s >= value) || Math.ceil(value / 4 / 86400) * 86400;
  return 4 * step;
}

function seriesClass(item, index) {
  return ['series', `s-${index % 8}`, item.key ? `s-${item.key}` : null];
}

function frame(title, body, legend, table) {
  const captionId = uid('chart');
  return h(
    'figure',
    { class: 'chart', 'aria-labelledby': captionId },
    h('figcaption', { id: captionId, class: 'chart-title' }, title),
    body,
    legend,
    table,
  );
}

function svgRoot(label, children, height = H) {
  return svg(
    'svg',
    {
      viewBox: `0 0 ${W} ${height}`,
      role: 'img',
      'aria-label': label,
      direction: 'ltr',
      class: 'chart-svg',
      preserveAspectRatio: 'xMidYMid meet',
    },
    children,
  );
}

function legendOf(series) {
  if (series.length < 2) return null;
  return h(
    'ul',
    { class: 'chart-legend' },
    series.map((s, i) =>
      h(
        'li',
        {},
        h('span', { class: ['swatch', ...seriesClass(s, i)], 'aria-hidden': 'true' }),
        s.label,
      ),
    ),
  );
}

function dataTable(headers, rows) {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, t('chart.table')),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data-table' },
        h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
        h(
          'tbody',
          {},
          rows.map((row) =>
            h('tr', {}, row.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell)))),
          ),
        ),
      ),
    ),
  );
}

function empty(title) {
  return h(
    'figure',
    { class: 'chart chart-empty' },
    h('figcaption', { class: 'chart-title' }, title),
    h('p', { class: 'empty' }, t('chart.empty')),
  );
}

function axes(max, format, plotW, plotH, labels, xAt) {
  const out = [];
  for (let i = 0; i <= 4; i += 1) {
    const value = (max * i) / 4;
    const y = PAD.top + plotH - (plotH * i) / 4;
    out.push(svg('line', { x1: PAD.left, x2: PAD.left + plotW, y1: y, y2: y, class: 'grid-line' }));
    out.push(
      svg('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis-label' }, format(value)),
    );
  }
  const every = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % every !== 0 && i !== labels.length - 1) return;
    out.push(
      svg('text', { x: xAt(i), y: H - 8, 'text-anchor': 'middle', class: 'axis-label' }, label),
    );
  });
  return out;
}

function peakText(series, labels, format) {
  const parts = [];
  for (const s of series) {
    let best = -Infinity;
    let at = -1;
    s.values.forEach((v, i) => {
      if (v !== null && v !== undefined && v > best) {
        best = v;
        at = i;
      }
    });
    if (at >= 0) parts.push(`${s.label}: ${format(best)} (${labels[at]})`);
  }
  return parts.join('؛ ');
}

export function lineChart({ title, labels, series, format = plain, summary = '', durations = false }) {
  const values = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  if (!labels.length || !values.length) return empty(title);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const max = scaleMax(values, durations);
  const xAt = (i) => PAD.left + (labels.length === 1 ? plotW / 2 : (plotW * i) / (labels.length - 1));
  const yAt = (v) => PAD.top + plotH - (plotH * v) / max;
  const shapes = series.map((s, index) => {
    const points = s.values
      .map((v, i) => (v === null || v === undefined ? null : [xAt(i), yAt(v)]))
      .filter(Boolean);
    const path = points.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
    return svg(
      'g',
      { class: seriesClass(s, index) },
      svg('path', { d: path, class: 'line' }),
      points.map(([x, y], i) => svg('circle', { cx: x, cy: y, r: points.length > 40 ? 1.5 : 3, class: 'dot' },
        svg('title', {}, `${s.label} ${labels[i]}: ${format(s.values[i])}`))),
    );
  });
  const label = `${title}. ${peakText(series, labels, format)}. ${summary}`.trim();
  return frame(
    title,
    svgRoot(label, [...axes(max, format, plotW, plotH, labels, xAt), ...shapes]),
    legendOf(series),
    dataTable(['', ...series.map((s) => s.label)], labels.map((l, i) => [l, ...series.map((s) => format(s.values[i]))])),
  );
}

export function stackedBars({ title, labels, series, format = plain, percent = false, summary = '' }) {
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (Number(s.values[i]) || 0), 0));
  if (!labels.length || !totals.some((x) => x > 0)) return empty(title);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const max = percent ? 100 : scaleMax(totals, false);
  const slot = plotW / labels.length;
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  const xAt = (i) => PAD.left + slot * i + slot / 2;
  const bars = [];
  labels.forEach((label, i) => {
    let base = 0;
    series.forEach((s, index) => {
      const raw = Number(s.values[i]) || 0;
      const v = percent ? (totals[i] ? (100 * raw) / totals[i] : 0) : raw;
      if (v <= 0) return;
      const y = PAD.top + plotH - (plotH * (base + v)) / max;
      const height = (plotH * v) / max;
      bars.push(
        svg(
          'rect',
          { x: xAt(i) - barW / 2, y, width: barW, height, class: ['bar', ...seriesClass(s, index)] },
          svg('title', {}, `${label} — ${s.label}: ${format(raw)}${percent ? ` (${formatNumber(v, { maximumFractionDigits: 0 })}٪)` : ''}`),
        ),
      );
      base += v;
    });
  });
  const axisFormat = percent ? (v) => `${formatNumber(v)}%` : format;
  const label = `${title}. ${series
    .map((s) => `${s.label}: ${format(s.values.reduce((a, b) => a + (Number(b) || 0), 0))}`)
    .join('؛ ')}. ${summary}`.trim();
  return frame(
    title,
    svgRoot(label, [...axes(max, axisFormat, plotW, plotH, labels, xAt), ...bars]),
    legendOf(series),
    dataTable(
      ['', ...series.map((s) => s.label), t('chart.total')],
      labels.map((l, i) => [l, ...series.map((s) => format(s.values[i] ?? 0)), format(totals[i])]),
    ),
  );
}

export function hbars({ title, items, format = plain, summary = '' }) {
  const shown = items.filter((x) => x.value !== null && x.value !== undefined);
  if (!shown.length || !shown.some((x) => x.value > 0)) return empty(title);
  const rowH = 28;
  const height = shown.length * rowH + 8;
  const labelW = 150;
  const valueW = 70;
  const plotW = W - labelW - valueW - 8;
  const max = Math.max(...shown.map((x) => x.value));
  const rows = shown.map((item, i) => {
    const y = 4 + i * rowH;
    const width = max ? Math.max(1, (plotW * item.value) / max) : 0;
    return svg(
      'g',
      { class: seriesClass(item, i) },
      svg('text', { x: labelW - 8, y: y + 18, 'text-anchor': 'end', class: 'axis-label bar-label' }, item.label),
      svg('rect', { x: labelW, y: y + 4, width, height: rowH - 10, class: 'bar' }),
      svg('text', { x: labelW + width + 6, y: y + 18, class: 'axis-label value-label' }, format(item.value)),
    );
  });
  const label = `${title}. ${shown.map((x) => `${x.label}: ${format(x.value)}`).join('؛ ')}. ${summary}`.trim();
  return frame(
    title,
    svgRoot(label, rows, height),
    null,
    dataTable(['', title], shown.map((x) => [x.label, format(x.value)])),
  );
}

export function heatmap({ title, rows, columns, format = plain, summary = '', cellTitle }) {
  const values = rows.flatMap((r) => r.cells).filter((v) => v !== null && v !== undefined);
  if (!rows.length) return empty(title);
  const labelW = 70;
  const cellW = (W - labelW - 4) / columns.length;
  const cellH = 24;
  const top = 18;
  const height = top + rows.length * cellH + 4;
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 0;
  const bucket = (v) => {
    if (v === null || v === undefined) return 'heat-none';
    if (hi <= lo) return 'heat-2';
    return `heat-${Math.min(4, Math.floor((5 * (v - lo)) / (hi - lo)))}`;
  };
  const shapes = [];
  columns.forEach((c, j) => {
    if (columns.length > 12 && j % 3 !== 0) return;
    shapes.push(
      svg('text', { x: labelW + cellW * j + cellW / 2, y: 12, 'text-anchor': 'middle', class: 'axis-label' }, c),
    );
  });
  rows.forEach((row, i) => {
    const y = top + i * cellH;
    shapes.push(svg('text', { x: labelW - 6, y: y + 16, 'text-anchor': 'end', class: 'axis-label' }, row.label));
    row.cells.forEach((v, j) => {
      const text = cellTitle ? cellTitle(row, j, v) : `${row.label} ${columns[j]}: ${v === null ? t('chart.heat_none') : format(v)}`;
      shapes.push(
        svg(
          'rect',
          {
            x: labelW + cellW * j + 1,
            y: y + 1,
            width: cellW - 2,
            height: cellH - 2,
            rx: 3,
            class: ['cell', bucket(v), row.marks && row.marks[j] ? 'cell-top' : null],
          },
          svg('title', {}, text),
        ),
      );
    });
  });
  const label = `${title}. ${summary}`.trim();
  const legend = h(
    'ul',
    { class: 'chart-legend heat-legend' },
    h('li', {}, h('span', { class: 'swatch cell heat-none', 'aria-hidden': 'true' }), t('chart.heat_none')),
    values.length ? h('li', {}, h('span', { class: 'swatch cell heat-0', 'aria-hidden': 'true' }), `${t('chart.heat_low')} (${format(lo)})`) : null,
    values.length ? h('li', {}, h('span', { class: 'swatch cell heat-4', 'aria-hidden': 'true' }), `${t('chart.heat_high')} (${format(hi)})`) : null,
  );
  return frame(
    title,
    svgRoot(label, shapes, height),
    legend,
    dataTable(['', ...columns], rows.map((r) => [r.label, ...r.cells.map((v) => (v === null ? '—' : format(v)))])),
  );
}
