/**
 * The monitoring pages in a real browser against a real server (demo data, the built-in probes of
 * Kefu's own endpoints, the sampler): the overview shows real figures, a probe's response-time
 * chart, the rule editor's "test this expression" box, and the public status page, at 1440×900
 * and 390×844. Screenshots go to docs/screenshots/monitoring-*.png.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  adminEmail,
  adminPassword,
  describeWithBrowser,
  launchBrowser,
  screenshot,
  startServer,
  type BrowserSession,
  type RunningServer,
} from './support.ts';

describeWithBrowser('monitoring console', () => {
  let server: RunningServer;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    session = await launchBrowser(server.url);
    page = session.page;
    await page.goto('/login');
    await page.getByLabel(/邮箱|E-mail/).fill(adminEmail);
    await page.getByLabel(/^(密码|Password)$/).fill(adminPassword);
    await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  });

  afterAll(async () => {
    await session?.close();
    await server?.stop();
  });

  it('shows the overview with real figures within a minute', async () => {
    await page.goto('/ops/monitoring');
    await page.getByRole('tab', { name: '概览' }).waitFor();
    // The built-in probes of Kefu's own endpoints come up, and the sampler's CPU series is drawn.
    await expect
      .poll(
        async () =>
          page
            .locator('.ant-tag')
            .filter({ hasText: /console · 正常/ })
            .count(),
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);
    await expect.poll(async () => page.locator('canvas').count(), { timeout: 60_000 }).toBeGreaterThan(3);
    await page.waitForTimeout(1500);
    await screenshot(page, 'monitoring-overview');
    // On a phone (loaded at that size, as a phone would): the menu folds away, cards stack.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('tab', { name: '概览' }).waitFor();
    await expect.poll(async () => page.locator('canvas').count(), { timeout: 60_000 }).toBeGreaterThan(1);
    await page.waitForTimeout(1500);
    await screenshot(page, 'monitoring-overview-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.reload();
    await page.getByRole('tab', { name: '探针' }).waitFor();
  });

  it('lists probes with their uptime and a response-time chart', async () => {
    await page.getByRole('tab', { name: '探针' }).click();
    const row = page.locator('tr').filter({ hasText: 'kefu-live' });
    await row.waitFor();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/正常/);
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByText('响应时间').last().waitFor();
    await page.waitForTimeout(1500);
    await screenshot(page, 'monitoring-probes');
  });

  it('tests an expression in the rule editor', async () => {
    await page.getByRole('tab', { name: '告警规则' }).click();
    await page.getByPlaceholder(/probe_success/).fill('sum by (probe) (probe_success)');
    await page.getByRole('button', { name: /运\s*行/ }).click();
    await expect
      .poll(() => page.locator('.ant-typography code').first().textContent(), { timeout: 30_000 })
      .toMatch(/kefu-live/);
    await page.getByPlaceholder(/probe_success/).fill('rate(');
    await page.getByRole('button', { name: /运\s*行/ }).click();
    await page
      .locator('.ant-alert-error')
      .filter({ hasText: /at character/ })
      .waitFor();
    await page.getByPlaceholder(/probe_success/).fill('probe_success == 0 or no_such_metric');
    await page.getByRole('button', { name: /运\s*行/ }).click();
    await page.locator('.ant-alert-warning').filter({ hasText: 'no_such_metric' }).waitFor();
    await screenshot(page, 'monitoring-rules');
  });

  it('serves the public status page in Chinese and English, readable on a phone', async () => {
    const status = await session.context.newPage();
    await status.goto('/status/demo?lang=zh-CN');
    await status.getByText('服务状态').first().waitFor();
    await status.getByText('90 天可用率').first().waitFor();
    await screenshot(status, 'monitoring-status-page');
    await status.setViewportSize({ width: 390, height: 844 });
    await status.goto('/status/demo?lang=en');
    await status.getByText('Service status').first().waitFor();
    await screenshot(status, 'monitoring-status-page-phone-en');
    expect((await status.request.get('/status/no-such-shop')).status()).toBe(404);
    await status.close();
    expect(session.problems).toEqual([]);
  });
});
