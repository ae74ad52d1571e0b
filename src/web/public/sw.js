/**
 * Kefu console's service worker: it caches the application shell only (the page, its hashed
 * scripts and styles, icons) so the console opens fast and installs as an app. It never caches
 * API data, the realtime socket, uploads or the widget: those always go to the server.
 */
const shell = 'kefu-shell-v2';

/** Whether a request is part of the shell (cacheable); everything else passes through untouched. */
function isShell(url, method) {
  if (method !== 'GET') return false;
  if (url.origin !== self.location.origin) return false;
  if (/^\/(api|ws|widget|widget\.js|demo|livez|readyz|metrics)(\/|$|\?)/.test(url.pathname)) return false;
  return (
    url.pathname.startsWith('/assets/') || /\.(svg|png|webmanifest)$/.test(url.pathname) || !/\.\w+$/.test(url.pathname)
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(shell)
      .then((c) => c.addAll(['/', '/manifest.webmanifest', '/icon.svg', '/icon-192.png']))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== shell).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (!isShell(url, event.request.method)) return;
  if (url.pathname.startsWith('/assets/')) {
    // Hashed file names never change: cache first.
    event.respondWith(
      caches.match(event.request).then(
        (hit) =>
          hit ||
          fetch(event.request).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              void caches.open(shell).then((c) => c.put(event.request, copy));
            }
            return res;
          }),
      ),
    );
    return;
  }
  // Pages: the network first (a new release shows at once), the cached shell when offline.
  event.respondWith(
    fetch(event.request)
      .then((res) => {
        if (res.ok && event.request.mode === 'navigate') {
          const copy = res.clone();
          void caches.open(shell).then((c) => c.put('/', copy));
        }
        return res;
      })
      .catch(() =>
        caches.match(event.request.mode === 'navigate' ? '/' : event.request).then((hit) => hit || Response.error()),
      ),
  );
});

self.addEventListener('push', (event) => {
  const data = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(data.title || 'Kefu', {
      body: data.body || '',
      icon: '/icon-192.png',
      tag: data.tag,
      data: { url: data.url || '/' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || '/';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
      for (const c of list) if ('focus' in c) return c.navigate(url).then(() => c.focus());
      return self.clients.openWindow(url);
    }),
  );
});
