/**
 * The service worker caches the shell only: API data, the socket, uploads and the widget always go
 * to the server. Its Web Push handlers show the notification the server sent and, when it is
 * clicked, bring the console to its page (an open window navigates and takes focus, else a new one).
 * The script runs as-is against a fake `self` (registration, clients) in a fresh context.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

type Shown = { title: string; options: { body: string; icon: string; tag?: string; data: { url: string } } };
type FakeWindow = { url: string; focused: boolean; navigate(u: string): Promise<unknown>; focus(): Promise<unknown> };

/** Runs sw.js against a fake `self`; returns its listeners and what it did to the registration and clients. */
function runWorker(windows: FakeWindow[] = []) {
  const listeners = new Map<string, (e: unknown) => void>();
  const shown: Shown[] = [];
  const opened: string[] = [];
  const self = {
    location: { origin: 'https://kefu.example.com' },
    addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, fn),
    registration: {
      showNotification: async (title: string, options: Shown['options']) => void shown.push({ title, options }),
    },
    clients: {
      matchAll: async (o: unknown) => {
        expect(o).toEqual({ type: 'window', includeUncontrolled: true });
        return windows;
      },
      openWindow: async (u: string) => void opened.push(u),
    },
  };
  runInNewContext(readFileSync(new URL('./public/sw.js', import.meta.url), 'utf8'), {
    self,
    URL,
    caches: { match: async () => undefined, open: async () => ({ put: async () => undefined }) },
    fetch: async () => new Response('x'),
    Response,
  });
  return { listeners, self, shown, opened };
}

function loadWorker() {
  const { listeners, self } = runWorker();
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

  /** Dispatches an event as the browser would and waits for what it passed to waitUntil. */
  async function dispatch(w: ReturnType<typeof runWorker>, type: string, event: object) {
    let pending: Promise<unknown> | undefined;
    w.listeners.get(type)!({ ...event, waitUntil: (p: Promise<unknown>) => (pending = p) });
    expect(pending, `${type} waits for its work`).toBeInstanceOf(Promise);
    await pending;
  }

  it("shows a push as a notification: the server's words, the app icon, its tag and the page to open", async () => {
    const w = runWorker();
    const data = { title: '分配给您：工单 #12', body: '物流三天未更新', url: '/tickets/tkt_1', tag: 'ntf_1' };
    await dispatch(w, 'push', { data: { json: () => data } });
    expect(w.shown).toEqual([
      {
        title: '分配给您：工单 #12',
        options: { body: '物流三天未更新', icon: '/icon-192.png', tag: 'ntf_1', data: { url: '/tickets/tkt_1' } },
      },
    ]);
    // A push without a payload still shows something, and opens the console's start page.
    await dispatch(w, 'push', { data: null });
    expect(w.shown[1]).toEqual({
      title: 'Kefu',
      options: { body: '', icon: '/icon-192.png', tag: undefined, data: { url: '/' } },
    });
  });

  it('on a click closes the notification and brings an open console to its page, else opens a window', async () => {
    const calls: string[] = [];
    const open: FakeWindow = {
      url: 'https://kefu.example.com/inbox',
      focused: false,
      navigate: async (u) => void calls.push(`navigate ${u}`),
      focus: async () => void calls.push('focus'),
    };
    const click = (url?: string) => {
      let closed = false;
      return {
        event: { notification: { data: url ? { url } : null, close: () => (closed = true) } },
        closed: () => closed,
      };
    };
    const withWindow = runWorker([open]);
    const c1 = click('/conversations?c=cnv_1');
    await dispatch(withWindow, 'notificationclick', c1.event);
    expect(c1.closed()).toBe(true);
    expect(calls).toEqual(['navigate /conversations?c=cnv_1', 'focus']); // navigated first, then focused
    expect(withWindow.opened).toEqual([]);

    const none = runWorker([]);
    const c2 = click(undefined);
    await dispatch(none, 'notificationclick', c2.event);
    expect(c2.closed()).toBe(true);
    expect(none.opened).toEqual(['/']);
  });
});
