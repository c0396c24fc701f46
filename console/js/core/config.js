/**
 * core/config.js — the deployment's settings, read once from `config.json` next to index.html.
 *
 * Contract (stable):
 *   export async function loadConfig() -> object   // fetched once, before any screen renders
 *   export function config() -> object             // the loaded settings (throws before load)
 *
 * Keys: api_base (the API's origin, or a path on this origin such as '/api'; no trailing slash), brand_zone (IANA zone of the brand),
 * limits ({network: {max, weighted, url_length}} for the reply box), version.
 * WHY a file and not a build-time constant: the same static files are served by `make run` and
 * dropped into a bucket by the deployment, which writes its own config.json.
 */

let loaded = null;

export async function loadConfig() {
  if (loaded) return loaded;
  // Matches the <link rel=preload> in index.html, so the preloaded answer is used.
  const response = await fetch('config.json', { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const data = await response.json();
  loaded = {
    brand_zone: 'UTC',
    limits: {},
    ...data,
    api_base: String(data.api_base || '').replace(/\/+$/, ''),
  };
  return loaded;
}

export function config() {
  if (!loaded) throw new Error('config() before loadConfig()');
  return loaded;
}
