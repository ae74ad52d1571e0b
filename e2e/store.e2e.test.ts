/**
 * The store and the bot's corrections in a real browser against the real server and its demo data:
 * the agent's sidebar shows a shopper's orders and location (from a tiny MaxMind database the test
 * writes: no GeoLite data), an admin links an unanswered question to a knowledge entry, and sets
 * up Shopify (against the FAKE Admin API, shop-api.fake.ts) with "test connection".
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFakeShop, type FakeShop } from '../src/server/modules/store/shop-api.fake.ts';
import { buildMmdb, cityRecord } from '../src/server/testing/mmdb.ts';
import {
  call,
  danglingLabels,
  describeWithBrowser,
  openContext,
  screenshot,
  startServer,
  useDesk,
  type Json,
} from './support.ts';

const wait = { timeout: 30_000 };
const token = 'shpat_e2e_admin_token_1';

describeWithBrowser('the store: sidebar location and orders, linking unanswered questions, Shopify settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-e2e-geoip-'));
  const desk = useDesk({
    start: () => {
      // The browser, the widget's requests and this test all reach Kefu from 127.0.0.1: 杭州 in this file.
      const mmdb = join(dir, 'City.mmdb');
      writeFileSync(
        mmdb,
        buildMmdb({
          '127.0.0.0/8': cityRecord({
            city: { en: 'Hangzhou', zh: '杭州' },
            subdivision: { en: 'Zhejiang', zh: '浙江', iso: 'ZJ' },
            country: { en: 'China', zh: '中国', iso: 'CN' },
          }),
        }),
      );
      return startServer({
        demoData: true,
        env: { KEFU_GEOIP_DATABASE: mmdb, KEFU_OUTBOUND_ALLOW_LIST: '127.0.0.1' },
      });
    },
    signIn: 'form',
    timeout: 240_000,
  });
  let fake: FakeShop;
  let page: Page;

  beforeAll(async () => {
    page = desk.page;
    fake = await startFakeShop(token);
  });

  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows a signed-in shopper's location, orders and pre-chat order number in the agent's sidebar", async () => {
    // 王丽 (shop user u10086) opens the demo shop's chat signed in: the widget reports her page.
    const inboxes = ((await (await page.request.get('/api/inboxes')).json()) as Json).items as Json[];
    const demo = inboxes.find((i) => i.identitySecret)!;
    const hash = createHmac('sha256', demo.identitySecret as string)
      .update('u10086')
      .digest('hex');
    // She gives one of her orders in the pre-chat form (the older one: the panel opens it, not the newest).
    const start = async (orderNo: string) =>
      (await (
        await fetch(`${desk.server.url}/api/widget/${demo.publicId as string}/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            visitorId: 'e2e-store-visitor-0001',
            origin: desk.server.url,
            identity: { userId: 'u10086', hash },
            preChat: { name: '王丽', orderNo },
          }),
        })
      ).json()) as Json;
    const session = await start('DD20261201002');
    expect(session.token, JSON.stringify(session)).toBeTruthy();
    const reported = await fetch(`${desk.server.url}/api/widget/${demo.publicId as string}/context`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Widget ${session.token as string}`,
        'user-agent':
          'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50',
      },
      body: JSON.stringify({
        url: `${desk.server.url}/demo`,
        title: '轻薄羽绒服 – 演示店铺',
        referrer: 'https://www.baidu.com/s?wd=羽绒服',
        timeZone: 'Asia/Shanghai',
      }),
    });
    expect(reported.status, await reported.text()).toBe(200);

    await page.goto('/inbox');
    await page.getByTestId('conversation-row').filter({ hasText: '王丽' }).first().click(wait);
    const context = page.getByTestId('shopper-context');
    await context.getByText('杭州 浙江 中国').waitFor(wait);
    await context.getByText('所在地').waitFor(wait);
    await page.getByTestId('customer-order').first().waitFor(wait);
    expect(await page.getByTestId('customer-order').count()).toBeGreaterThan(0);
    // The order number she gave: in the visitor panel, and her order marked and opened in the orders panel.
    expect(await context.getByTestId('shopper-order-no').textContent()).toBe('DD20261201002');
    await context.getByText('订单号').waitFor(wait);
    const given = page
      .getByTestId('customer-orders')
      .locator('.ant-collapse-item')
      .filter({ has: page.getByTestId('given-order') });
    expect(await given.count()).toBe(1);
    await given.getByText('DD20261201002').waitFor(wait);
    // Opened (its card can be sent), though her newest order is listed first.
    await given.getByTestId('send-order-card').waitFor(wait);
    expect(await given.getAttribute('class')).toContain('ant-collapse-item-active');
    // The visitor panel (with its location) and the orders below it, in one view of the sidebar.
    await context.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'store-sidebar-location-orders');

    // Another shopper's order number: looked up in the store, shown first with a warning and no card to send.
    expect((await start('DD20261204003')).token).toBeTruthy();
    await page.reload();
    await page.getByTestId('conversation-row').filter({ hasText: '王丽' }).first().click(wait);
    await page.getByTestId('shopper-order-no').filter({ hasText: 'DD20261204003' }).waitFor(wait);
    const foreign = page.getByTestId('customer-orders').locator('.ant-collapse-item').first();
    await foreign.getByTestId('given-order-not-theirs').waitFor(wait);
    await foreign.getByText('DD20261204003').waitFor(wait);
    expect(await foreign.getByTestId('send-order-card').count()).toBe(0);
    expect(await danglingLabels(page)).toEqual([]);
    await page.getByTestId('shopper-context').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'store-sidebar-prechat-order-not-theirs');
    // A number the store does not have: said so above her own orders.
    expect((await start('NOSUCH-0001')).token).toBeTruthy();
    await page.reload();
    await page.getByTestId('conversation-row').filter({ hasText: '王丽' }).first().click(wait);
    await page.getByTestId('given-order-missing').filter({ hasText: 'NOSUCH-0001' }).waitFor(wait);
    expect(await page.getByTestId('given-order').count()).toBe(0);
  }, 180_000);

  it('links an unanswered question to a knowledge entry from the knowledge page', async () => {
    const shopper = await openContext(desk.browser, { width: 1280, height: 800 });
    const shop = await shopper.newPage();
    await shop.goto(`${desk.server.url}/demo`);
    await shop.getByRole('button', { name: /打开在线客服/ }).click(wait);
    const widget = shop.frameLocator('#kefu-widget iframe');
    const question = '下雨天快递会不会晚到几天';
    await widget.getByPlaceholder('输入消息…').fill(question);
    await widget.getByPlaceholder('输入消息…').press('Enter');
    await widget.getByTestId('message-theirs').last().waitFor(wait);
    await shopper.close();

    await page.goto('/knowledge');
    const list = page.getByTestId('unanswered');
    const group = list.locator('.ant-list-item').filter({ hasText: question });
    await group.waitFor(wait);
    await screenshot(page, 'knowledge-unanswered');
    await group.getByRole('button', { name: '关联到条目' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('searchbox').fill('发货');
    const choice = dialog.getByTestId('link-entry-list').locator('.ant-list-item').first();
    await choice.waitFor(wait);
    const entryQuestion = (await choice.locator('.ant-list-item-meta-title').textContent())!;
    expect(await danglingLabels(page)).toEqual([]);
    await screenshot(page, 'knowledge-link-entry');
    const linked = page.waitForResponse((r) => r.url().endsWith('/api/bot/unanswered/link') && r.status() === 200);
    await choice.getByRole('button', { name: /^关\s*联$/ }).click();
    expect(((await (await linked).json()) as Json).linked).toBeGreaterThanOrEqual(1);
    await page.getByText(`到「${entryQuestion}」`).first().waitFor(wait);
    await group.waitFor({ state: 'detached', ...wait });
    const left = ((await (await page.request.get('/api/bot/unanswered')).json()) as Json).items as Json[];
    expect(left.map((g) => g.sample)).not.toContain(question);
  }, 180_000);

  it('sets up Shopify with a write-only token and secret and tests the connection', async () => {
    await page.goto('/settings/store');
    const form = page.getByTestId('store-settings');
    await form.getByText('Shopify', { exact: true }).click(wait);
    await form.getByLabel('店铺域名').fill('127.0.0.1:1'); // nothing listens there
    await form.getByLabel('Admin API 访问令牌').fill(token);
    await form.getByRole('button', { name: '测试连接' }).click();
    await expect
      .poll(async () => (await page.getByTestId('store-test-result').textContent()) ?? '', wait)
      .toMatch(/连接失败/);
    await form.getByLabel('店铺域名').fill(fake.url);
    await form.getByLabel('Admin API 访问令牌').fill('shpat_not_the_token');
    await form.getByRole('button', { name: '测试连接' }).click();
    await expect
      .poll(async () => (await page.getByTestId('store-test-result').textContent()) ?? '', wait)
      .toMatch(/连接失败：店铺拒绝了访问令牌/);
    await form.getByLabel('Admin API 访问令牌').fill(token);
    await form.getByLabel('Webhook 签名密钥').fill('shpss_e2e_webhook_secret_01');
    await form.getByRole('button', { name: '测试连接' }).click();
    await expect
      .poll(async () => (await page.getByTestId('store-test-result').textContent()) ?? '', wait)
      .toMatch(/连接成功：示例旗舰店 \(fake\)（kefu-fake\.myshopify\.com）/);
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/store/settings') && r.request().method() === 'PUT',
    );
    await form.getByRole('button', { name: /保\s*存/ }).click();
    expect((await saved).status()).toBe(200);
    await page.reload();
    await form
      .getByText(/已设置（加密保存/)
      .first()
      .waitFor(wait);
    expect(await form.getByLabel('Admin API 访问令牌').inputValue()).toBe('');
    expect(await page.content()).not.toContain(token);
    expect(await danglingLabels(page)).toEqual([]);
    // The stored token answers too (nothing typed).
    await form.getByRole('button', { name: '测试连接' }).click();
    await expect
      .poll(async () => (await page.getByTestId('store-test-result').textContent()) ?? '', wait)
      .toMatch(/连接成功/);
    await screenshot(page, 'store-settings-shopify');

    const phone = await desk.browser.newContext({
      baseURL: desk.server.url,
      storageState: await desk.session.context.storageState(),
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const small = await phone.newPage();
    await small.goto('/settings/store');
    await small
      .getByTestId('store-settings')
      .getByText(/已设置（加密保存/)
      .first()
      .waitFor(wait);
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(small, 'store-settings-phone', { fullPage: true });
    await phone.close();

    // Back to the demo store.
    await call(page, 'PUT', '/api/store/settings', { adapter: 'demo' });
  }, 180_000);
});
