/**
 * core/session.js — who is signed in.
 *
 * Contract (stable):
 *   export function getToken() -> string | null
 *   export function setToken(token)        // sessionStorage only ('carecycle.token')
 *   export function clearToken()
 *   export function me() -> {token_id, name, role, teams:[...]} | null   // cached GET /me
 *   export function setMe(who)
 *   export function hasRole(role) -> bool   // agent < manager < admin
 *   export function meReady() -> Promise    // settles when GET /me of a restored session has
 *                                           // answered (screens render after it unless they
 *                                           // registered with `early: true`)
 *   export function setMeReady(promise)     // main.js only
 *
 * WHY sessionStorage: the token dies with the tab, is never sent anywhere but the API's
 * Authorization header, and never appears in a URL or a log.
 */

const TOKEN_KEY = 'carecycle.token';
const RANK = { agent: 1, manager: 2, admin: 3 };
let who = null;
let ready = Promise.resolve();

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  who = null;
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage unavailable: nothing to clear */
  }
}

export function me() {
  return who;
}

export function setMe(value) {
  who = value;
}

export function hasRole(role) {
  return Boolean(who && (RANK[who.role] || 0) >= (RANK[role] || 99));
}

export function meReady() {
  return ready;
}

export function setMeReady(promise) {
  ready = promise.catch(() => undefined);
}
