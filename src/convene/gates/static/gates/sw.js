// The gate's service worker: keeps the gate page, its scripts and the badge photos available
// when the venue network is down. It never touches /api/: scans and uploads always go to the
// network (or fail, and the page then decides offline and queues them).
const SHELL = "convene-gate-shell-v1";
const PHOTOS = "convene-gate-photos";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/gates/photo/")) {
    // Photos: from the cache first (the page fills it while online).
    event.respondWith(caches.open(PHOTOS).then(async (cache) => {
      const hit = await cache.match(request);
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok) cache.put(request, response.clone());
      return response;
    }));
    return;
  }
  if (request.mode === "navigate" || url.pathname.startsWith("/static/")) {
    // The page and its files: the network first (always the latest), the cache when offline.
    event.respondWith(fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(SHELL).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(async () => (await caches.match(request)) || Response.error()));
  }
});
