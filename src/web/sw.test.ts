/** The service worker caches the shell only: API data, the socket, uploads and the widget always go to the server. */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

function loadWorker() {
  const listeners = new Map<string, (e: unknown) => void>();
  const self = {
    location: { origin: 'https://kefu.example.com' },
    addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, fn),
  };
  runInNewContext(readFileSync(new URL('./public/sw.js', import.meta.url), 'utf8'), {
    self,
    URL,
    caches: { match: async () => undefined, open: async () => ({ put: async () => undefined }) },
    fetch: async () => new Response('x'),
    Response,
  });
  return (url: string, method = 'GET', mode = 'cors') => {
    let answered = false;
    listeners.get('fetch')!({
      request: { url: new URL(url, self.location.origin).href, method, mode },
      respondWith: () => (answered = true),
    });
    return answered;
  };
}

describe('the service worker', () => {
  it('answers the shell (pages, hashed assets, icons) and leaves everything else to the network', () => {
    const handles = loadWorker();
    expect(handles('/inbox', 'GET', 'navigate')).toBe(true);
    expect(handles('/assets/index-abc123.js')).toBe(true);
    expect(handles('/icon.svg')).toBe(true);
    expect(handles('/icon-192.png')).toBe(true);
    for (const url of [
      '/api/conversations',
      '/api/auth/me',
      '/api/attachments/att_1?t=sig',
      '/ws',
      '/widget.js',
      '/widget/frame.html?inbox=x',
      '/demo',
      '/metrics',
      'https://elsewhere.example.com/app.js',
    ])
      expect(handles(url), url).toBe(false);
    expect(handles('/inbox', 'POST', 'navigate')).toBe(false);
  });
});
