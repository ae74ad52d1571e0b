/**
 * PIPL requests in a real browser against the real server (issue #9): a shopper leaves their name,
 * phone and a file through the widget's API; an administrator opens the customer page, exports the
 * shopper's data (a ZIP download holding the profile and the file) and erases it (typed
 * confirmation); the page then shows an empty profile and the history of both requests, and the API
 * confirms nothing is left. Also the retention settings page. Screenshots at 1440×900 and 390×844,
 * in Chinese (the default) and English.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, describeWithBrowser, screenshot, useDesk, type Json } from './support.ts';
import { closeDialog } from './ui-retry.ts';

const wait = { timeout: 20_000 };
const phone = `139${String(Date.now()).slice(-8)}`;
const fileText = `invoice-${Date.now()}`;

describeWithBrowser('PIPL: export and erase a shopper from the console', () => {
  const desk = useDesk({ signIn: 'api' });
  let page: Page;
  let customerId = '';

  /** Opens the request history dialog, runs `check` on it, closes it. */
  async function history(check: (dialog: ReturnType<Page['getByRole']>) => Promise<void>) {
    await page.getByRole('button', { name: /记录|History/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor(wait);
    await check(dialog);
    await closeDialog(dialog, dialog.getByRole('button', { name: /Close|关闭/ }));
  }

  beforeAll(async () => {
    page = desk.page;
    // A shopper: the pre-chat form with their name and phone, then a file they send.
    const inbox = await call(page, 'POST', '/api/inboxes', {
      name: '隐私测试店',
      settings: {
        allowedOrigins: ['https://shop.example.com'],
        preChat: { enabled: true, fields: ['name', 'phone'], required: [] },
      },
    });
    const widget = await page.request.post(`/api/widget/${inbox.publicId}/session`, {
      data: {
        visitorId: `visitor-pipl-${Date.now()}`,
        origin: 'https://shop.example.com',
        preChat: { name: '林小满', phone },
      },
    });
    expect(widget.ok(), await widget.text()).toBe(true);
    const shopper = (await widget.json()) as Json;
    customerId = shopper.customerId;
    const upload = await page.request.post('/api/uploads', {
      headers: { authorization: `Widget ${shopper.token}` },
      multipart: { file: { name: '发票.txt', mimeType: 'text/plain', buffer: Buffer.from(fileText) } },
    });
    expect(upload.ok(), await upload.text()).toBe(true);
    await page.request.post(`/api/widget/${inbox.publicId}/offline-message`, {
      headers: { authorization: `Widget ${shopper.token}` },
      data: { contact: phone, body: '请帮我开发票，谢谢' },
    });
  }, 200_000);

  it('exports the shopper’s data as a ZIP download', async () => {
    await page.goto(`/customers/${customerId}`);
    await expect.poll(() => page.getByText(phone).count(), wait).toBeGreaterThan(0);
    await page.getByTestId('privacy-actions').waitFor(wait);
    await screenshot(page, 'privacy-customer');
    await history(async (dialog) => expect(await dialog.getByText('暂无导出或删除记录').count()).toBe(1));

    const [download] = await Promise.all([
      page.waitForEvent('download', wait),
      page.getByRole('button', { name: /导出个人信息/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`customer-${customerId}.zip`);
    const zip = readFileSync((await download.path())!);
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    // Stored entries: the JSON and the file's bytes are in the archive as they are.
    expect(zip.includes(Buffer.from(phone))).toBe(true);
    expect(zip.includes(Buffer.from(fileText))).toBe(true);
    expect(zip.includes(Buffer.from('林小满'))).toBe(true);
    await history(async (dialog) => {
      await expect.poll(() => dialog.getByText('导出', { exact: true }).count(), wait).toBe(1);
    });
  });

  it('erases it after a typed confirmation, and nothing is left', async () => {
    await page.getByRole('button', { name: /删除个人信息/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor(wait);
    const ok = dialog.getByRole('button', { name: /永久删除/ });
    expect(await ok.isDisabled()).toBe(true);
    await dialog.getByRole('textbox').fill('删除');
    await screenshot(page, 'privacy-erase-confirm');
    await ok.click();
    await dialog.waitFor({ state: 'hidden', ...wait });
    await expect.poll(() => page.getByText(phone).count(), wait).toBe(0);
    await screenshot(page, 'privacy-erased');
    await history(async (dialog) => {
      await expect.poll(() => dialog.locator('.ant-tag').getByText('删除', { exact: true }).count(), wait).toBe(1);
      await screenshot(page, 'privacy-history');
    });

    const c = await call(page, 'GET', `/api/customers/${customerId}`);
    expect(c).toMatchObject({ name: null, phone: null, email: null, externalId: null, identities: [] });
    const audit = await call(page, 'GET', '/api/audit?objectType=customer');
    const actions = (audit.items as Json[]).filter((e) => e.objectId === customerId).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['customer.exported', 'customer.erased']));
    expect(JSON.stringify(audit)).not.toContain(phone);
    expect(desk.session.problems).toEqual([]);
  });

  it('sets retention rules, and fits a phone in both languages', async () => {
    await page.goto('/settings/privacy');
    const conversations = page.getByLabel(/会话消息/);
    await conversations.waitFor(wait);
    await conversations.fill('180');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect
      .poll(async () => (await call(page, 'GET', '/api/privacy/retention')).rules.conversations, wait)
      .toBe(180);
    await screenshot(page, 'privacy-retention');

    await page.setViewportSize({ width: 390, height: 844 });
    // The shell does not fold its menu by itself on a phone (yet): fold it as a phone user would.
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await page.goto(`/customers/${customerId}`);
    await page.getByTestId('privacy-actions').waitFor(wait);
    await screenshot(page, 'privacy-customer-mobile');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await page.reload();
    await page.getByRole('button', { name: /Export personal data/ }).waitFor(wait);
    await screenshot(page, 'privacy-customer-mobile-en');
    expect(desk.session.problems).toEqual([]);
  });
});
