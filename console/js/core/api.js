/**
 * core/api.js — every call to the carecycle API goes through here.
 *
 * Contract (stable):
 *   export class ApiError extends Error { status, code, message, details }
 *   export function apiBase() -> 'http://127.0.0.1:8000'  (from config.json)
 *   export async function api(path, {method='GET', query, body, headers, signal}={})
 *       -> parsed JSON, or null for 204. `query` is an object; null/undefined/'' values are
 *          left out. `body` is JSON-encoded. Throws ApiError on any non-2xx (status 0 when the
 *          network failed). On 401 the token is cleared and the app routes to sign-in.
 *   export async function apiText(path, {query}={}) -> string   (CSV downloads)
 *   export async function apiHas(method, path) -> bool
 *       Whether the API offers a route ('PATCH', '/mentions/{mention_id}/labels'), read once
 *       from its public OpenAPI document: optional features show only where the API has them.
 *
 * The bearer token is added from the session; it never goes into a URL.
 */

import { config } from './config.js';
import { clearToken, getToken } from './session.js';

export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || '';
    this.details = Array.isArray(details) ? details : [];
  }
}

export function apiBase() {
  return config().api_base;
}

function buildUrl(path, query) {
  // api_base may be an origin (make run) or a path on this origin ('/api', the deployment).
  const url = new URL(apiBase() + path, location.href);
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(key, String(value));
  }
  return url.toString();
}

async function send(path, { method = 'GET', query, body, headers, signal, accept }) {
  const sent = { Accept: accept, ...(headers || {}) };
  const token = getToken();
  if (token && !('Authorization' in sent)) sent.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    sent['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers: sent,
      body: payload,
      signal,
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'network error');
  }
  if (response.ok) return response;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  const error = new ApiError(
    response.status,
    data && data.error,
    data && data.message,
    data && data.details,
  );
  if (response.status === 401) {
    clearToken();
    window.dispatchEvent(new CustomEvent('carecycle:unauthorized', { detail: error }));
  }
  throw error;
}

export async function api(path, options = {}) {
  const response = await send(path, { ...options, accept: 'application/json' });
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export async function apiText(path, { query, headers } = {}) {
  const response = await send(path, { query, headers, accept: 'text/csv, text/plain, */*' });
  return response.text();
}

let openapi = null;

export async function apiHas(method, path) {
  if (!openapi) {
    openapi = fetch(`${apiBase()}/openapi.json`, { credentials: 'omit', cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : { paths: {} }))
      .catch(() => ({ paths: {} }));
  }
  const doc = await openapi;
  const entry = (doc.paths || {})[path];
  return Boolean(entry && entry[method.toLowerCase()]);
}
