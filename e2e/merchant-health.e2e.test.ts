/**
 * A merchant workspace's read-only health page in a real browser: the installation's owner creates
 * a merchant workspace and watches the e-mail component with a probe whose target refuses
 * connections; the merchant's admin opens 运维 → 监控 and sees the components their workspace
 * depends on, e-mail down and the console up (Kefu's own probes), with no overview, probes,
 * rules or silences, and the management API refuses them. At 1440×900 and 390×844, in Chinese and
 * English. Screenshots: merchant-health-*.png (look at them).
 */
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, describeWithBrowser, openPage, screenshot, signIn, useDesk } from './support.ts';

describeWithBrowser("a merchant's health page", () => {
  const desk = useDesk({ signIn: 'form' });
  let merchant: Page;
  const admin = { email: 'ops@lanshan-tea.example.com', password: 'Lanshan-Merchant-Passw0rd!' };

  beforeAll(async () => {
    const vendor = desk.page;
    await call(vendor, 'POST', '/api/workspaces', {
      name: '岚山茶舍',
      slug: 'lanshan-tea',
      admin: { ...admin, name: '周店长' },
    });
    // Port 9 (discard) refuses connections: the probe is down after its first check.
    await call(vendor, 'PUT', '/api/ops/probes/smtp-relay', {
      name: 'smtp-relay',
      type: 'http',
      url: 'http://127.0.0.1:9/',
      interval: '1s',
      retries: 0,
      component: 'email',
    });
    merchant = await openPage(desk.browser, { width: 1440, height: 900, baseURL: desk.server.url });
    await signIn(merchant, admin);
  }, 120_000);

  /** The status tag of a component's card, by its title. */
  const statusOf = (title: string) =>
    merchant.locator('.ant-card').filter({ hasText: title }).locator('.ant-tag').first().textContent();

  it('shows the components their workspace depends on, one of them down', { timeout: 120_000 }, async () => {
    await merchant.goto('/ops/monitoring');
    await merchant.getByText('服务健康').first().waitFor();
    await expect.poll(() => statusOf('邮件通知'), { timeout: 60_000 }).toBe('中断');
    await expect.poll(() => statusOf('客服工作台'), { timeout: 60_000 }).toBe('正常');
    expect(await statusOf('开放接口')).toBe('未知'); // no probe watches it
    await merchant.getByText('本工作区依赖的组件及其 90 天可用率（只读）').waitFor();
    expect(await merchant.getByRole('link', { name: '公开状态页' }).getAttribute('href')).toBe('/status/lanshan-tea');
    await merchant.waitForTimeout(1000);
    await screenshot(merchant, 'merchant-health');
  });

  it("cannot see or reach the installation's monitoring management", async () => {
    for (const tab of ['概览', '探针', '告警规则', '静默与维护'])
      expect(await merchant.getByRole('tab', { name: tab }).count(), tab).toBe(0);
    expect(await merchant.getByText('smtp-relay').count()).toBe(0);
    for (const path of ['/api/ops/probes', '/api/ops/config', '/api/ops/alerts', '/api/ops/components']) {
      const res = await merchant.request.get(path);
      expect(res.status(), path).toBe(403);
    }
    const query = await merchant.request.get('/api/ops/query_range?expr=up&from=2026-01-01T00:00:00Z');
    expect(query.status()).toBe(403);
    // Its own health, read-only, is what the route gives it.
    const health = await merchant.request.get('/api/ops/health/components');
    expect(health.status()).toBe(200);
    const items = ((await health.json()) as { items: { name: string; status: string }[] }).items;
    expect(items.find((c) => c.name === 'email')?.status).toBe('down');
  });

  it('reads on a phone and in English', { timeout: 120_000 }, async () => {
    await merchant.setViewportSize({ width: 390, height: 844 });
    await merchant.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await merchant.reload();
    await expect.poll(() => statusOf('邮件通知'), { timeout: 30_000 }).toBe('中断');
    // Nothing runs off the side of the screen.
    expect(await merchant.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The component that is down in view (below the fold on a phone).
    await merchant.locator('.ant-card').filter({ hasText: '邮件通知' }).scrollIntoViewIfNeeded();
    await merchant.waitForTimeout(1000);
    await screenshot(merchant, 'merchant-health-phone');
    await merchant.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await merchant.reload();
    await merchant.getByText('Service health').first().waitFor();
    await expect.poll(() => statusOf('E-mail'), { timeout: 30_000 }).toBe('Down');
    expect(await statusOf('Agent console')).toBe('Up');
    expect(await merchant.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await merchant.locator('.ant-card').filter({ hasText: 'E-mail' }).scrollIntoViewIfNeeded();
    await merchant.waitForTimeout(1000);
    await screenshot(merchant, 'merchant-health-phone-en');
    await merchant.setViewportSize({ width: 1440, height: 900 });
    await merchant.evaluate(() => localStorage.setItem('kefu.sider', 'open'));
    await merchant.reload();
    await expect.poll(() => statusOf('E-mail'), { timeout: 30_000 }).toBe('Down');
    for (const tab of ['Overview', 'Probes', 'Alert rules'])
      expect(await merchant.getByRole('tab', { name: tab }).count(), tab).toBe(0);
    await merchant.waitForTimeout(1000);
    await screenshot(merchant, 'merchant-health-en');
  });
});
