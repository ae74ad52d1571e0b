/**
 * Day one, proven in a real browser (issue 16's audit): a ticket made from a conversation names
 * and links its customer (defect 1); a shopper's link is a safe `<a>` in the agent's thread and a
 * `javascript:` text is not (defect 13); the shopper's context reported by the real widget on
 * /demo (page, referrer, device, browser, time zone); the customer page's orders and notes; the
 * service worker caching the shell and never API data; and the bell's "push to this device"
 * switch as far as a browser without a push service can go.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { zhCN } from '../src/web/i18n/zh-CN.ts';
import {
  chromiumArgs,
  chromiumPath,
  describeWithBrowser,
  openContext,
  screenshot,
  signIn,
  useDesk,
  type Json,
} from './support.ts';

const wait = { timeout: 45_000 }; // a busy shared machine (load 25–30 seen)

const api = (page: Page, url: string): Promise<Json> => page.evaluate(async (u) => (await fetch(u)).json(), url);

/** A shopper on an Android phone in Hong Kong's time zone, arriving at /demo from a search page. */
const shopperAgent =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const referrer = 'https://www.baidu.com/s?wd=%E7%BE%BD%E7%BB%92%E6%9C%8D';

/** Opens /demo's widget in `context` and sends `text`; the shopper then asks for a person. */
async function chat(context: BrowserContext, url: string, text: string): Promise<FrameLocator> {
  const shop = await context.newPage();
  await shop.goto(`${url}/demo`, { referer: referrer });
  await shop.getByRole('button', { name: /打开在线客服/ }).click(wait);
  const widget = shop.frameLocator('#kefu-widget iframe');
  await widget.getByPlaceholder('输入消息…').fill(text, wait);
  await widget.getByPlaceholder('输入消息…').press('Enter', wait);
  await widget.getByRole('button', { name: '转人工' }).click(wait);
  return widget;
}

describeWithBrowser('day one, proven in the browser: defects 1 and 13, shopper context, customer page, PWA', () => {
  const desk = useDesk({ demoData: true });
  let shopper: BrowserContext;
  const marker = `proof-${Date.now()}`;
  const link = `https://shop.example.com/item/42?color=${marker}`;

  beforeAll(async () => {
    await signIn(desk.page, { lang: 'zh-CN' });
    shopper = await desk.browser.newContext({
      viewport: { width: 412, height: 915 },
      userAgent: shopperAgent,
      locale: 'zh-CN',
      timezoneId: 'Asia/Hong_Kong',
    });
    // Defect 13's message, through the real widget on /demo.
    await chat(shopper, desk.server.url, `看看这个 ${link} 还有 javascript:alert(1) ${marker}`);
    await shopper.close();
  });

  it("makes the shopper's link a safe <a> in the agent's thread, and a javascript: text no link (defect 13)", async () => {
    const page = desk.page;
    await page.goto(`/inbox?status=any&q=${marker}`);
    await page.getByTestId('conversation-row').first().click(wait);
    // The shopper's own message (the bot's hand-over note quotes it, cut short).
    const body = page.getByTestId('message-body').filter({ hasText: `javascript:alert(1) ${marker}` });
    await body.waitFor(wait);
    const anchors = await body.locator('a').evaluateAll((as) =>
      as.map((a) => ({
        href: a.getAttribute('href'),
        text: a.textContent,
        rel: a.getAttribute('rel'),
        target: a.getAttribute('target'),
      })),
    );
    expect(anchors, JSON.stringify(anchors)).toHaveLength(1);
    expect(anchors[0]).toMatchObject({ href: link, text: link, target: '_blank' });
    expect(anchors[0]!.rel!.split(' ')).toEqual(expect.arrayContaining(['noopener', 'noreferrer']));
    expect(await body.textContent()).toContain('javascript:alert(1)');
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
  });

  it('shows the page, referrer, device, browser and time zone the real widget on /demo reported', async () => {
    const page = desk.page; // the conversation of the test above is open
    const context = page.getByTestId('shopper-context');
    await context.waitFor(wait);
    await context.getByText('Asia/Hong_Kong').waitFor(wait);
    const text = (await context.textContent()) ?? '';
    expect(text).toContain('云帆优选 · Kefu 演示商店'); // the page's title, linked to its address
    expect(text).toContain('手机 · Android · Chrome 131');
    const hrefs = await context.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([`${desk.server.url}/demo`, referrer]);
    const id = new URL(page.url()).searchParams.get('c')!;
    const conv = await api(page, `/api/conversations/${id}`);
    const stored = (await api(page, `/api/customers/${conv.customerId as string}/context`)).context as Json;
    expect(stored).toMatchObject({ language: 'zh-CN', timeZone: 'Asia/Hong_Kong', device: 'mobile', os: 'Android' });
    await context.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'inbox-shopper-context');
  });

  it("creates a ticket from a conversation that names and links the conversation's customer (defect 1)", async () => {
    const page = desk.page;
    // The /demo shopper (a visitor who left no name: the case of the defect), and a named customer,
    // each a conversation without a ticket of its own.
    const visitor = ((await api(page, `/api/conversations?q=${marker}`)).items as Json[])[0]!;
    expect(visitor.customerName).toBeNull();
    const tickets = (await api(page, '/api/tickets?view=all&limit=100')).items as Json[];
    const taken = new Set(tickets.map((x) => x.conversationId));
    const named = ((await api(page, '/api/conversations?limit=100')).items as Json[]).find(
      (c) => c.customerName && !taken.has(c.id),
    )!;
    expect(named).toBeDefined();
    for (const [conv, name] of [
      [visitor, zhCN.tickets.anonymousCustomer],
      [named, named.customerName as string],
    ] as const) {
      await page.goto(`/inbox?status=any&c=${conv.id as string}`);
      await page.getByTestId('create-ticket-from-conversation').click(wait);
      await page.getByTestId('ticket-from-conversation-subject').fill(`来自会话的工单 ${marker}`, wait);
      await page.getByTestId('ticket-from-conversation-submit').click();
      await page.waitForURL(/\/tickets\/tkt_/, wait);
      const customer = page.getByTestId('ticket-customer');
      await customer.waitFor(wait);
      expect(await customer.textContent()).toBe(name);
      expect(await customer.getAttribute('href')).toBe(`/customers/${conv.customerId as string}`);
      if (conv === named) await screenshot(page, 'ticket-from-conversation');
      await customer.click();
      await page.waitForURL(new RegExp(`/customers/${conv.customerId as string}$`), wait);
      await page.getByTestId('customer-name').filter({ hasText: name }).waitFor(wait);
    }
  });

  it("shows the customer's orders from the store on the customer page, and keeps an agent's note after a reload", async () => {
    const page = desk.page;
    const customers = (await api(page, '/api/customers?q=13812345678')).items as Json[];
    const wang = customers.find((c) => c.name === '王丽')!;
    // The demo store's orders for her shop account (u10086), as the store's API gives them.
    const orders = (await api(page, `/api/store/customers/${wang.id as string}/orders`)).items as Json[];
    expect(orders.length).toBeGreaterThan(0);
    await page.goto(`/customers/${wang.id as string}`);
    const panel = page.getByTestId('customer-page-orders');
    await panel.getByTestId('customer-order').first().waitFor(wait);
    expect(await panel.getByTestId('customer-order').count()).toBe(orders.length);
    const shown = (await panel.textContent()) ?? '';
    for (const o of orders) expect(shown).toContain(o.orderNo as string);

    const note = `喜欢电话联系，下午两点后 ${marker}`;
    const notes = page.locator('#customer-notes');
    await notes.fill(note, wait);
    const saved = page.waitForResponse(
      (r) => r.url().includes(`/api/customers/${wang.id as string}`) && r.request().method() === 'PATCH',
    );
    await notes.blur();
    expect((await saved).status()).toBe(200);
    await page.reload();
    await expect.poll(() => page.locator('#customer-notes').inputValue(), wait).toBe(note);
    await screenshot(page, 'customer-orders-notes');
  });

  it('registers the service worker at /, serves the shell from its cache offline, and never caches API data', async () => {
    const context = await openContext(desk.browser, { width: 1440, height: 900, baseURL: desk.server.url });
    try {
      const page = await context.newPage();
      await signIn(page, { lang: 'zh-CN' });
      await page.goto('/');
      const registration = await page.evaluate(async () => {
        const r = await navigator.serviceWorker.ready;
        return { scope: r.scope, script: r.active?.scriptURL };
      });
      expect(registration).toEqual({ scope: `${desk.server.url}/`, script: `${desk.server.url}/sw.js` });
      await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), wait).toBe(true);
      // Under the worker's control the console's scripts go through it (and into the shell cache).
      await page.reload();
      await page.getByTestId('notifications-bell').waitFor(wait);
      await page.evaluate(() => fetch('/api/auth/me').then((r) => r.json()));
      const cached = () =>
        page.evaluate(async () => {
          const out: string[] = [];
          for (const name of await caches.keys())
            for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
          return out;
        });
      await expect.poll(async () => (await cached()).some((p) => /^\/assets\/.+\.js$/.test(p)), wait).toBe(true);
      const paths = await cached();
      expect(paths).toContain('/');
      expect(paths.filter((p) => p.startsWith('/api/'))).toEqual([]);
      const script = paths.find((p) => /^\/assets\/.+\.js$/.test(p))!;

      await context.setOffline(true);
      // The worker itself cannot reach the server either: what it answers comes from its cache.
      const worker = context.serviceWorkers()[0]!;
      expect(
        await worker.evaluate(() =>
          fetch('/livez').then(
            () => 'online',
            () => 'offline',
          ),
        ),
      ).toBe('offline');
      const shell = await page.reload();
      expect(shell?.status()).toBe(200);
      expect(shell?.fromServiceWorker()).toBe(true);
      expect(await page.evaluate((url) => fetch(url).then((r) => r.status), script)).toBe(200);
      // API data is never answered from a cache: offline, it fails.
      expect(
        await page.evaluate(() =>
          fetch('/api/auth/me').then(
            () => 'answered',
            () => 'failed',
          ),
        ),
      ).toBe('failed');
      expect((await cached()).filter((p) => p.startsWith('/api/'))).toEqual([]);
    } finally {
      await context.setOffline(false);
      await context.close();
    }
  });

  /** Opens the bell's panel and turns "push to this device" on; returns what the console said. */
  async function pushOn(page: Page): Promise<string> {
    await page.getByTestId('notifications-bell').click();
    const toggle = page.getByTestId('push-toggle');
    await expect.poll(() => toggle.getAttribute('class'), wait).not.toContain('ant-switch-loading');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    const key = page.waitForResponse((r) => r.url().endsWith('/api/push/key'));
    await toggle.click();
    expect((await key).status()).toBe(200);
    const notice = page.locator('.ant-message-notice');
    await notice.first().waitFor(wait);
    await expect.poll(() => toggle.getAttribute('class'), wait).not.toContain('ant-switch-loading');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    return (await notice.first().textContent()) ?? '';
  }

  it('push switch: with notifications allowed, a browser that cannot subscribe says so in words and stays off', async () => {
    // A Playwright context is a private window, where Chromium refuses push ("Registration failed -
    // permission denied" although permission was granted): the switch says what is wrong instead.
    const context = await openContext(desk.browser, { width: 1440, height: 900, baseURL: desk.server.url });
    try {
      await context.grantPermissions(['notifications'], { origin: desk.server.url });
      const page = await context.newPage();
      await signIn(page, { lang: 'zh-CN' });
      expect(await page.evaluate(() => Notification.permission)).toBe('granted');
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      expect(await pushOn(page)).toBe(zhCN.tickets.notifications.pushFailed);
      await screenshot(page, 'push-switch-failed');
      expect((await api(page, '/api/push/key')).subscriptions).toBe(0);
      await page.reload();
      await page.getByTestId('notifications-bell').click();
      const toggle = page.getByTestId('push-toggle');
      await expect.poll(() => toggle.getAttribute('class'), wait).not.toContain('ant-switch-loading');
      expect(await toggle.getAttribute('aria-checked')).toBe('false');
    } finally {
      await context.close();
    }
  });

  it('push switch: a normal profile without a reachable push service gives up with the same words, not a spinner for ever', async () => {
    // A real profile (not a private window) asks Chromium's push service, which this machine cannot
    // reach: Chromium waits for ever; the switch gives up after its timeout.
    const dir = mkdtempSync(join(tmpdir(), 'kefu-e2e-profile-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: chromiumPath,
      args: chromiumArgs,
      baseURL: desk.server.url,
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    try {
      await context.grantPermissions(['notifications'], { origin: desk.server.url });
      const page = await context.newPage();
      await signIn(page, { lang: 'zh-CN' });
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      expect(await pushOn(page)).toBe(zhCN.tickets.notifications.pushFailed);
      expect((await api(page, '/api/push/key')).subscriptions).toBe(0);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("push switch: with the browser's push service stood in for, subscribes with Kefu's key, is stored, stays on after a reload, and leaves", async () => {
    // What a browser with a reachable push service would hand the page, from the Push API itself
    // (PushManager replaced in the page: the one fake part, as no push service is reachable here).
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const sub = {
      endpoint: `https://fcm.googleapis.com/fcm/send/e2e-${marker}`,
      expirationTime: null,
      keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') },
    };
    const context = await openContext(desk.browser, { width: 1440, height: 900, baseURL: desk.server.url });
    try {
      await context.grantPermissions(['notifications'], { origin: desk.server.url });
      await context.addInitScript((json) => {
        const saved = 'kefu-e2e-push';
        const make = (j: typeof json) =>
          ({
            endpoint: j.endpoint,
            toJSON: () => j,
            unsubscribe: async () => {
              localStorage.removeItem(saved);
              return true;
            },
          }) as unknown as PushSubscription;
        PushManager.prototype.subscribe = async function (options) {
          const key = new Uint8Array(options!.applicationServerKey as ArrayBuffer);
          localStorage.setItem(`${saved}-key`, btoa(String.fromCharCode(...key)));
          localStorage.setItem(saved, JSON.stringify(json));
          return make(json);
        };
        PushManager.prototype.getSubscription = async function () {
          const j = localStorage.getItem(saved);
          return j ? make(JSON.parse(j) as typeof json) : null;
        };
      }, sub);
      const page = await context.newPage();
      await signIn(page, { lang: 'zh-CN' });
      const toggle = page.getByTestId('push-toggle');
      const openPanel = async () => {
        await page.getByTestId('notifications-bell').click();
        await expect.poll(() => toggle.getAttribute('class'), wait).not.toContain('ant-switch-loading');
      };
      await openPanel();
      expect(await toggle.getAttribute('aria-checked')).toBe('false');
      const posted = page.waitForResponse((r) => r.url().endsWith('/api/push/subscriptions'));
      await toggle.click();
      expect((await posted).status()).toBe(200);
      expect((await posted).request().postDataJSON()).toEqual(sub);
      await expect.poll(() => toggle.getAttribute('aria-checked'), wait).toBe('true');
      const key = await api(page, '/api/push/key');
      expect(key.subscriptions).toBe(1);
      const used = await page.evaluate(() => localStorage.getItem('kefu-e2e-push-key'));
      expect(Buffer.from(used!, 'base64').toString('base64url')).toBe(key.publicKey);

      await page.reload();
      await openPanel();
      expect(await toggle.getAttribute('aria-checked')).toBe('true');
      await screenshot(page, 'push-switch-on');
      const removed = page.waitForResponse((r) => r.url().endsWith('/api/push/subscriptions/remove'));
      await toggle.click();
      expect((await removed).status()).toBe(200);
      await expect.poll(() => toggle.getAttribute('aria-checked'), wait).toBe('false');
      expect((await api(page, '/api/push/key')).subscriptions).toBe(0);
    } finally {
      await context.close();
    }
  });
});
