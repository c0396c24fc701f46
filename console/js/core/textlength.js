/**
 * core/textlength.js — a message's length as the customer's network counts it.
 *
 * Contract:
 *   export function replyLimit(platform) -> {max, count, ...}   from config.json reply_limits
 *   export function measure(text, rules) -> number
 *       count 'utf16' (Telegram), 'chars' (code points), 'x_weighted' (X: URLs weigh
 *       url_weight, code points in light_ranges 1, others 2, an emoji sequence 2).
 * A port of chalicelib/publishing/validation.py (x_weighted_length, find_urls), whose ranges
 * arrive through config.json so the two cannot drift apart.
 */

import { config } from './config.js';

const URL_PATTERN = /https?:\/\/[^\s<>"'\u200c\u200f]+/giu;
const TRAILING = new Set(Array.from('.,;:!?)]}»،؛'));
const JOINER = 0x200d;
const REGIONAL = [0x1f1e6, 0x1f1ff];

function isModifier(code) {
  return (
    code === 0xfe0f ||
    code === 0xfe0e ||
    code === 0x20e3 ||
    (code >= 0x1f3fb && code < 0x1f400) ||
    (code >= 0xe0020 && code < 0xe0080)
  );
}

function inRanges(ranges, code) {
  return ranges.some(([low, high]) => low <= code && code <= high);
}

export function replyLimit(platform) {
  let limits = {};
  try {
    limits = config().reply_limits || {};
  } catch {
    limits = {};
  }
  return limits[platform] || limits.default || { max: 4000, count: 'chars' };
}

function weigh(segment, rules) {
  const codes = Array.from(segment, (ch) => ch.codePointAt(0));
  const emoji = (c) => inRanges(rules.emoji_ranges || [], c) || (c >= REGIONAL[0] && c <= REGIONAL[1]);
  let weight = 0;
  let i = 0;
  while (i < codes.length) {
    const code = codes[i];
    if (emoji(code)) {
      weight += 2;
      i += 1;
      if (code >= REGIONAL[0] && code <= REGIONAL[1]) {
        if (i < codes.length && codes[i] >= REGIONAL[0] && codes[i] <= REGIONAL[1]) i += 1;
        continue;
      }
      while (i < codes.length) {
        if (isModifier(codes[i])) i += 1;
        else if (codes[i] === JOINER && i + 1 < codes.length && emoji(codes[i + 1])) i += 2;
        else break;
      }
      continue;
    }
    const keycap =
      (codes[i + 1] === 0xfe0f && codes[i + 2] === 0x20e3) || codes[i + 1] === 0x20e3;
    if (keycap && ((code >= 0x30 && code <= 0x39) || code === 0x23 || code === 0x2a)) {
      weight += 2;
      i += codes[i + 1] === 0xfe0f ? 3 : 2;
      continue;
    }
    weight += inRanges(rules.light_ranges || [[0, 0x10ff]], code) ? 1 : 2;
    i += 1;
  }
  return weight;
}

function xWeighted(text, rules) {
  const normal = text.normalize('NFC');
  let total = 0;
  let position = 0;
  for (const match of normal.matchAll(URL_PATTERN)) {
    const start = match.index;
    let end = start + match[0].length;
    while (end > start && TRAILING.has(normal[end - 1])) end -= 1;
    total += weigh(normal.slice(position, start), rules) + (rules.url_weight || 23);
    position = end;
  }
  return total + weigh(normal.slice(position), rules);
}

export function measure(text, rules) {
  const value = text || '';
  if (rules.count === 'utf16') return value.length;
  if (rules.count === 'x_weighted') return xWeighted(value, rules);
  return Array.from(value).length;
}
