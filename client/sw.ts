// The service worker (served at /sw.js, scope /): makes Stereodose installable and lets it open
// offline. It pre-caches the shell (CSS, the player script, the icons and /offline), serves those
// from the cache, and sends page visits to the network first, showing /offline when that fails.
// Nothing else is answered by it or stored: audio, the APIs, the private pages and every non-GET
// request go to the network exactly as without a service worker.
// A module, so that `self` may be declared as what it is here.
export {};
declare const self: ServiceWorkerGlobalScope;
// Filled in by scripts/build-client.mjs: the shell's URLs, and a hash of their contents.
declare const SHELL_FILES: string[];
declare const SHELL_VERSION: string;

const CACHE_PREFIX = 'stereodose-shell-';
const CACHE = `${CACHE_PREFIX}${SHELL_VERSION}`;
const OFFLINE_PAGE = '/offline';
const shell = new Set(SHELL_FILES);
// Audio, the APIs and the pages about a person: never answered from a cache, never put in one.
const LEFT_TO_THE_NETWORK = /^\/(?:media|api|rest|admin|account|me|my|favorites|login|register|logout)(?:\/|$)/;

self.addEventListener('install', (event) => {
  // A new deploy takes over as soon as its shell is cached: its files are what the server now serves.
  void self.skipWaiting();
  event.waitUntil(
    // 'reload': past the HTTP cache, which may hold the previous deploy's files for a day.
    caches.open(CACHE).then((cache) => cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const stale = (await caches.keys()).filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE);
      await Promise.all(stale.map((key) => caches.delete(key)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || LEFT_TO_THE_NETWORK.test(url.pathname)) return;
  if (request.mode === 'navigate') event.respondWith(networkFirst(request));
  else if (shell.has(url.pathname + url.search)) event.respondWith(cacheFirst(request));
});

async function networkFirst(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch {
    return (await caches.match(OFFLINE_PAGE, { cacheName: CACHE })) ?? Response.error();
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  return (await caches.match(request, { cacheName: CACHE })) ?? fetch(request);
}
