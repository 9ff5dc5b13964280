{% autoescape off %}// kneecap's service worker. The app shell (static files, exercise pictures, the offline page)
// is cached per version, all or nothing, when the worker installs; the runner's own Today,
// plan and exercise pages are fetched from the network first and kept for a visit with no
// signal; finished sessions waiting in the outbox are sent by Background Sync.
const KC = {{ config }};
importScripts(KC.outbox);
const SHELL = `kc-shell-${KC.version}`;
const PAGES = `kc-pages-${KC.version}`;
const kept = KC.pages.map((p) => new RegExp(p));
const SLOW_MS = 4000; // a weak signal: show the kept page rather than wait longer

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((cache) => cache.addAll(KC.precache))
      .then(() => self.skipWaiting()),
  );
});

// A new version's caches replace the old ones whole: nothing of an older version is left.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function fromShell(request) {
  const hit = await caches.match(request, { cacheName: SHELL });
  return hit || fetch(request);
}

async function keep(request, response) {
  // only a page the runner saw, never a redirect to the login page
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(PAGES);
    await cache.put(request, response.clone());
  }
  return response;
}

async function networkFirst(request) {
  const cached = caches.match(request, { cacheName: PAGES });
  const network = fetch(request).then((response) => keep(request, response));
  network.catch(() => null); // answered below when it matters
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_MS)).then(() => cached);
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    return await network;
  } catch {
    return (await cached) || (await caches.match(KC.offline, { cacheName: SHELL }));
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (KC.precache.includes(url.pathname) && url.pathname !== KC.offline) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate" && kept.some((re) => re.test(url.pathname))) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(KC.offline, { cacheName: SHELL })));
  }
});

// A page asks to keep the pages its session needs offline (the exercises on Today).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "kc-keep") {
    event.waitUntil(Promise.all(data.urls.filter((u) => kept.some((re) => re.test(new URL(u, self.location).pathname)))
      .map((u) => fetch(u, { credentials: "same-origin" }).then((r) => keep(new Request(u), r)).catch(() => null))));
  }
});

async function tell(result) {
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ type: "kc-outbox", result });
}

self.addEventListener("sync", (event) => {
  if (event.tag !== "kc-outbox") return;
  event.waitUntil(self.kcOutbox.flush(null).then(async (result) => {
    await tell(result);
    if (result.waiting.length) throw new Error("still waiting"); // the browser tries again later
  }));
});
{% endautoescape %}
