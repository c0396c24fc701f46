/**
 * core/dom.js — building DOM without innerHTML (user text can never become markup).
 *
 * Contract (stable):
 *   export function h(tag, attrs, ...children) -> Element
 *       attrs: class (string | array, falsy items dropped), on: {event: fn}, dataset: {k: v},
 *       aria-* / role / any attribute (true -> present, false/null/undefined -> absent),
 *       value / checked / selected / disabled / hidden / indeterminate set as properties.
 *       children: strings/numbers (text nodes), Elements, arrays (flattened), null/false (skipped).
 *   export function clear(el) -> el                 // removes every child
 *   export function add(el, ...children) -> el      // append with h()'s child rules (null-safe;
 *                                                   // the native el.append writes "null")
 *   export function userText(str, tag='span') -> <span dir="auto">   // text people wrote
 *   export function uid(prefix) -> 'prefix-7'       // unique ids for label/aria wiring
 *   export function svg(tag, attrs, ...children)    // SVG elements (charts, icons)
 */

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'indeterminate']);
let counter = 0;

function append(el, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) {
    for (const c of child) append(el, c);
  } else if (child instanceof Node) {
    el.appendChild(child);
  } else {
    el.appendChild(document.createTextNode(String(child)));
  }
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') {
      const names = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      if (names) el.setAttribute('class', names);
    } else if (key === 'on') {
      for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) el.dataset[k] = v;
    } else if (key === 'style') {
      throw new Error('h(): no inline styles (CSP style-src self); use a class');
    } else if (PROPS.has(key) && key in el) {
      el[key] = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else if (value !== false) {
      el.setAttribute(key, String(value));
    }
  }
}

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function add(el, ...children) {
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function userText(str, tag = 'span', attrs = {}) {
  return h(tag, { ...attrs, dir: 'auto', class: ['user-text', attrs.class] }, str ?? '');
}

export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}
