/**
 * The loader merchants embed: `<script src="https://KEFU_HOST/widget.js" data-inbox="PUBLIC_ID" async>`.
 * Built as a standalone IIFE (dist/widget/widget.js, budget 6 KB gzipped): it runs inside someone
 * else's page, so it must be tiny, define no globals but `window.Kefu`, and style nothing outside
 * its own shadow root. The chat itself lives in an iframe on the Kefu host, isolated both ways.
 * The shop opens it with `window.Kefu.open()` or any element carrying `data-kefu-open`.
 */
import type { FrameToLoader, KefuSettings, LoaderToFrame, StoreKey, Stored, PageInfo } from './bridge.ts';
import { textOn } from './color.ts';

type KefuApi = { open(): void; close(): void; toggle(): void };
const win = window as Window & { Kefu?: KefuApi; kefuSettings?: unknown };

const visitorIdPattern = /^[A-Za-z0-9_-]{24,64}$/;
// Only defined while this script first runs, not later in a DOMContentLoaded callback.
const ownScript = document.currentScript;

function findScript(): HTMLScriptElement | null {
  if (ownScript instanceof HTMLScriptElement && ownScript.dataset.inbox) return ownScript;
  return document.querySelector<HTMLScriptElement>('script[data-inbox][src*="widget.js"]');
}

function randomId(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  // 18 bytes → 24 base64url characters (144 bits): unguessable, and valid for the session schema.
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/** Web Storage can throw (Safari private mode, storage disabled, sandboxed pages): then we forget. */
function storageGet(key: string, session?: boolean): string | null {
  try {
    return (session ? sessionStorage : localStorage).getItem(key);
  } catch {
    return null;
  }
}
function storageSet(key: string, value: string | null, session?: boolean): void {
  try {
    const store = session ? sessionStorage : localStorage;
    if (value === null) store.removeItem(key);
    else store.setItem(key, value);
  } catch {
    /* the visitor is then new on every page view */
  }
}

const storeKeys: StoreKey[] = ['read', 'prechat', 'outbox', 'active'];
const inSession = (key: StoreKey) => key === 'outbox';

/** Only plain strings cross into the frame: a function or DOM node in kefuSettings would make postMessage throw. */
function readSettings(): KefuSettings {
  const raw = win.kefuSettings;
  const out: KefuSettings = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const key of ['userId', 'userHash', 'name', 'email', 'phone', 'language'] as const) {
    const value = (raw as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = String(value);
  }
  return out;
}

const css = `:host{all:initial}
.l{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;padding:0;border:0;border-radius:50%;background:var(--kefu-color,#1677ff);color:var(--kefu-fg,#fff);box-shadow:0 4px 16px rgba(0,0,0,.22);cursor:pointer;display:flex;align-items:center;justify-content:center;transition:transform .15s}
.l[hidden]{display:none}
.l:hover{transform:scale(1.06)}
.l:focus-visible{outline:3px solid #111;outline-offset:3px}
.l svg{width:28px;height:28px;fill:currentColor}
.b{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#f5222d;color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center}
.b[hidden]{display:none}
.f{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:380px;height:min(640px,calc(100vh - 108px));max-width:calc(100vw - 40px);border:0;border-radius:12px;background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.24);visibility:hidden;opacity:0;transform:translateY(12px);transition:opacity .18s,transform .18s,visibility 0s .18s}
.f.o{visibility:visible;opacity:1;transform:none;transition:opacity .18s,transform .18s}
@media (max-width:480px),(max-height:500px){.f{top:0;left:0;right:0;bottom:0;width:100%;height:100%;max-width:none;border-radius:0}.f.o+.l{display:none}}
@media (prefers-reduced-motion:reduce){.l,.f,.f.o{transition:none}}`;

const chatPath =
  'M12 3C6.5 3 2 6.8 2 11.5c0 2.4 1.2 4.6 3.1 6.1L4.5 21l3.9-2.1c1.1.3 2.3.5 3.6.5 5.5 0 10-3.8 10-8.5S17.5 3 12 3z';
const closePath =
  'M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 0 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z';
const svgNs = 'http://www.w3.org/2000/svg';

function boot(): void {
  if (win.Kefu) return; // the tag was pasted twice
  const script = findScript();
  const publicId = script?.dataset.inbox;
  if (!script || !publicId || !/^[\w-]{1,64}$/.test(publicId)) {
    console.warn('[kefu] widget.js needs a data-inbox="…" attribute');
    return;
  }
  const src = new URL(script.src, location.href);
  const hostOrigin = src.origin;
  // KEFU_HOST may carry a path prefix (a reverse proxy mounting Kefu under /support/).
  const hostBase = hostOrigin + src.pathname.replace(/\/widget\.js$/, '');

  const visitorKey = `kefu.visitor.${publicId}`;
  const savedVisitor = storageGet(visitorKey);
  const visitorId = savedVisitor && visitorIdPattern.test(savedVisitor) ? savedVisitor : randomId();
  if (visitorId !== savedVisitor) storageSet(visitorKey, visitorId);
  const storeKey = (key: StoreKey) => `kefu.${key}.${publicId}`;
  const readStored = (): Stored => {
    const stored: Stored = {};
    for (const key of storeKeys) {
      try {
        stored[key] = JSON.parse(storageGet(storeKey(key), inSession(key)) || 'null');
      } catch {
        /* corrupt: forget it */
      }
    }
    return stored;
  };

  const zh = /^zh/i.test(readSettings().language || navigator.language || '');
  const t = (zhText: string, enText: string) => (zh ? zhText : enText);

  const host = document.createElement('div');
  host.id = 'kefu-widget';
  // Inline !important beats any rule of the shop's stylesheets (a `div { transform: … }` would
  // otherwise break position:fixed inside). Open shadow root: browser tests can reach the launcher.
  host.style.cssText = 'all:initial!important';
  const root = host.attachShadow({ mode: 'open' });
  // A constructed stylesheet is not an inline <style>, so a shop's strict style-src CSP cannot block it.
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }

  const frame = document.createElement('iframe');
  frame.className = 'f';
  frame.title = t('在线客服', 'Chat');
  frame.setAttribute('aria-hidden', 'true');
  frame.setAttribute('allow', 'clipboard-write');
  frame.src = `${hostBase}/widget/frame.html?inbox=${encodeURIComponent(publicId)}`;

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'l';
  launcher.hidden = true; // until the frame has its config: no launcher for a missing or broken inbox
  launcher.setAttribute('aria-haspopup', 'dialog');
  // Built node by node, not with innerHTML: a shop enforcing Trusted Types would refuse the string.
  const icon = document.createElementNS(svgNs, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  const iconPath = document.createElementNS(svgNs, 'path');
  icon.appendChild(iconPath);
  const badge = document.createElement('span');
  badge.className = 'b';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  launcher.append(icon, badge);
  root.append(frame, launcher);

  let isOpen = false;
  let unread = 0;
  let label = t('打开在线客服', 'Open chat');

  const post = (message: LoaderToFrame) => frame.contentWindow?.postMessage(message, hostOrigin);

  const renderLauncher = () => {
    iconPath.setAttribute('d', isOpen ? closePath : chatPath);
    launcher.setAttribute('aria-expanded', String(isOpen));
    const unreadText = unread > 0 ? t(`，${unread} 条未读消息`, `, ${unread} unread`) : '';
    launcher.setAttribute('aria-label', isOpen ? t('关闭在线客服', 'Close chat') : label + unreadText);
    badge.hidden = isOpen || unread === 0;
    badge.textContent = unread > 99 ? '99+' : String(unread);
  };

  const setOpen = (open: boolean) => {
    if (open === isOpen) return;
    // Focus inside the panel goes back to the launcher on close, never elsewhere on the shop's page.
    const focusWasInside = root.activeElement === frame;
    isOpen = open;
    frame.classList.toggle('o', open);
    frame.setAttribute('aria-hidden', String(!open));
    renderLauncher();
    post({ type: 'kefu:visibility', open });
    if (open) frame.focus();
    else if (focusWasInside) launcher.focus();
  };

  launcher.addEventListener('click', () => setOpen(!isOpen));
  // Any element of the shop marked data-kefu-open opens the chat, without the shop writing script.
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-kefu-open]') : null;
    if (!target) return;
    event.preventDefault();
    setOpen(true);
  });
  root.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape' && isOpen) setOpen(false);
  });

  window.addEventListener('message', (event: MessageEvent) => {
    if (event.origin !== hostOrigin || event.source !== frame.contentWindow) return;
    const data = event.data as FrameToLoader | null;
    if (!data || typeof data !== 'object') return;
    switch (data.type) {
      case 'kefu:ready':
        if (/^#[0-9a-fA-F]{6}$/.test(data.color)) {
          host.style.setProperty('--kefu-color', data.color);
          host.style.setProperty('--kefu-fg', textOn(data.color));
        }
        if (typeof data.name === 'string' && data.name)
          label = `${t('打开在线客服', 'Open chat')}: ${data.name.slice(0, 100)}`;
        launcher.hidden = false;
        renderLauncher();
        post({
          type: 'kefu:init',
          visitorId,
          origin: location.origin,
          settings: readSettings(),
          stored: readStored(),
          page: pageInfo(),
        });
        watchPage();
        if (isOpen) post({ type: 'kefu:visibility', open: true });
        break;
      case 'kefu:close':
        setOpen(false);
        break;
      case 'kefu:unread':
        unread = Math.max(0, Math.floor(Number(data.count)) || 0);
        renderLauncher();
        break;
      case 'kefu:store': {
        if (!storeKeys.includes(data.key)) break;
        const json = data.value === null || data.value === undefined ? null : JSON.stringify(data.value);
        // A cap, so a confused frame cannot fill the shop's storage quota.
        if (json === null || json.length <= 65536) storageSet(storeKey(data.key), json, inSession(data.key));
        break;
      }
    }
  });

  // Single-page shops change the address without a page load: the frame hears of each new page.
  let lastHref = location.href;
  let watching = false;
  function watchPage() {
    if (watching) return;
    watching = true;
    const check = () => {
      if (location.href === lastHref) return;
      lastHref = location.href;
      post({ type: 'kefu:page', page: pageInfo() });
    };
    window.addEventListener('popstate', check);
    window.addEventListener('hashchange', check);
    setInterval(check, 2000);
  }

  renderLauncher();
  (document.body || document.documentElement).appendChild(host);
  win.Kefu = { open: () => setOpen(true), close: () => setOpen(false), toggle: () => setOpen(!isOpen) };
}

/** Bounded here too: the frame and the server check again. */
function pageInfo(): PageInfo {
  return {
    url: location.href.slice(0, 1000),
    title: document.title.slice(0, 300),
    referrer: document.referrer.slice(0, 1000),
  };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
