// DL101 Live's service worker: keeps one version of the site in Cache Storage (every file that
// scripts/precache.py lists in precache.json, checked against its SHA-256) and answers every
// request of a page load from that one version, so the book opens with the network off.
//
// A redeploy changes VERSION below (precache.py stamps it), so the browser sees a new service
// worker at its next update check. The new one downloads the files that changed (unchanged ones
// are copied from the old cache) while the old one keeps serving; it then waits until the reader
// accepts the page's "new version: reload" notice (message 'skip-waiting'), and on activation
// deletes the older versions' caches. The datasets under data/ are not handled here: the training
// worker keeps them itself (Cache Storage dl101-data-v1, keyed by content hash).
'use strict';

const VERSION = 'unstamped';
const PREFIX = 'dl101-shell-';
const CACHE = PREFIX + VERSION;
const MANIFEST = 'precache.json';
// The site's folder: '/' at a domain root, '/dl101/' under a sub-path.
const SCOPE = new URL(self.registration.scope);
const at = (path) => new URL(path, SCOPE).href;

self.addEventListener('install', (event) => event.waitUntil(install()));

self.addEventListener('activate', (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
  }
  await self.clients.claim();
})()));

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const address = new URL(request.url);
  if (address.origin !== SCOPE.origin || !address.pathname.startsWith(SCOPE.pathname)) return;
  const path = decodeURIComponent(address.pathname.slice(SCOPE.pathname.length));
  // The datasets go to the network; the training worker caches them by hash itself.
  if (path.startsWith('data/') && path !== 'data/manifest.json') return;
  event.respondWith(answer(request, path));
});

// Downloads this version's files into its cache. Throws (and the browser retries at a later
// update check) if a file is missing or differs from the manifest, e.g. during a redeploy.
async function install() {
  const listed = await fetch(at(MANIFEST), { cache: 'no-cache' });
  if (!listed.ok) throw new Error(`${MANIFEST}: HTTP ${listed.status}`);
  const manifest = await listed.clone().json();
  if (manifest.version !== VERSION) {
    throw new Error(`${MANIFEST} is version ${manifest.version}, this service worker ${VERSION}`);
  }
  const cache = await caches.open(CACHE);
  const earlier = await earlierCopies();
  // Small files first, a few at a time: the lessons are kept before the training worker.
  const files = [...manifest.files].sort((a, b) => a.bytes - b.bytes);
  let next = 0;
  const fetcher = async () => {
    while (next < files.length) await keep(cache, files[next++], earlier);
  };
  await Promise.all([fetcher(), fetcher(), fetcher(), fetcher()]);
  // Last: its presence says the version is complete (the page reads it for the sizes).
  await cache.put(at(MANIFEST), listed);
}

// The files of earlier versions still cached, by SHA-256.
async function earlierCopies() {
  const found = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    try {
      const manifest = await (await cache.match(at(MANIFEST))).json();
      for (const file of manifest.files) found.set(file.sha256, { cache, address: at(file.url) });
    } catch {
      // An incomplete earlier version: nothing to reuse from it.
    }
  }
  return found;
}

async function keep(cache, file, earlier) {
  const address = at(file.url);
  // Already here from an interrupted install of this same version.
  if (await cache.match(address)) return;
  const copy = earlier.get(file.sha256);
  const old = copy && await copy.cache.match(copy.address);
  if (old) {
    await cache.put(address, old);
    return;
  }
  const response = await fetch(address, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${file.url}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  if (body.byteLength !== file.bytes || await sha256(body) !== file.sha256) {
    throw new Error(`${file.url} differs from ${MANIFEST}`);
  }
  const type = response.headers.get('content-type');
  await cache.put(address, new Response(body, { headers: type ? { 'content-type': type } : {} }));
}

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// From this version's cache: the file, or for a page address (`vi/02-initialization`) its
// route page. Anything else from the network; offline, an unknown page gets the 404 page.
async function answer(request, path) {
  const cache = await caches.open(CACHE);
  const page = request.mode === 'navigate';
  const candidates = !page ? [path] : path === '' ? ['index.html'] : [path, `${path}.html`, `${path}/index.html`];
  for (const candidate of candidates) {
    const hit = await cache.match(at(candidate));
    if (hit) return hit;
  }
  try {
    return await fetch(request);
  } catch (error) {
    const missing = page && await cache.match(at('404.html'));
    if (!missing) throw error;
    return new Response(missing.body, { status: 404, headers: missing.headers });
  }
}
