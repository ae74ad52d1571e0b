/**
 * The monitoring pages in a real browser against a real server (the living demo with its hour of
 * history, the built-in probes of Kefu's own endpoints, the sampler): every overview chart draws
 * points across the chosen range, a probe's response-time chart, the rule editor (create, a field
 * error from the PromQL parser, "test this expression" with the current value, edit, delete), and
 * the public status page, at 1440×900 and 390×844, in Chinese and English. Screenshots go to
 * docs/screenshots/monitoring-*.png.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, describeWithBrowser, screenshot, useDesk } from './support.ts';
import { confirmPopup } from './ui-retry.ts';

describeWithBrowser('monitoring console', () => {
  const desk = useDesk({ demoData: true, signIn: 'form' });
  let page: Page;
  beforeAll(() => void (page = desk.page));

  // Five chart waits of up to a minute each (Chinese, phone, English): more than the default budget on a loaded machine.
  it('shows the overview with real figures within a minute', { timeout: 300_000 }, async () => {
    await page.goto('/ops/monitoring');
    await page.getByRole('tab', { name: '概览' }).waitFor();
    // The built-in probes of Kefu's own endpoints come up, and the sampler's CPU series is drawn.
    await expect
      .poll(
        async () =>
          page
            .locator('.ant-tag')
            .filter({ hasText: /客服工作台 · 正常/ })
            .count(),
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);
    // Every chart has figures (the seeded hour and the live samples), not just an axis.
    const drawn = () =>
      page.locator('.series-chart').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points') ?? 0)));
    await expect.poll(async () => (await drawn()).filter((n) => n > 10).length, { timeout: 60_000 }).toBe(8);
    // CPU, memory and disk carry a dashed least-squares forecast, and the disk says when it is full.
    const forecasts = () =>
      page.locator('.series-chart').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-forecasts') ?? 0)));
    await expect.poll(async () => (await forecasts()).filter((n) => n > 0).length, { timeout: 30_000 }).toBe(3);
    await expect
      .poll(() => page.getByTestId('forecast-disk').textContent(), { timeout: 30_000 })
      .toMatch(/磁盘将在 [\d.]+ 天后写满|剩余空间没有减少/);
    await page.waitForTimeout(1500);
    await screenshot(page, 'monitoring-overview');
    // The 15-minute range also draws every chart.
    await page.getByText('15 分钟').click();
    await expect.poll(async () => (await drawn()).filter((n) => n > 10).length, { timeout: 60_000 }).toBe(8);
    // On a phone (loaded at that size, as a phone would): the menu folds away, cards stack.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await page.reload();
    await page.getByRole('tab', { name: '概览' }).waitFor();
    await expect.poll(async () => (await drawn()).filter((n) => n > 10).length, { timeout: 60_000 }).toBe(8);
    await page.waitForTimeout(1500);
    // Components by name in the reader's language, not by key; the range choice inside the screen.
    await page
      .getByText(/网页在线客服 · /)
      .first()
      .waitFor();
    expect(await page.getByText(/^web_chat · /).count()).toBe(0);
    const range = (await page.getByTestId('monitoring-range').boundingBox())!;
    expect(range.x + range.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'monitoring-overview-phone');
    // In English, on the desktop and the phone.
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await page.reload();
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    await expect.poll(async () => (await drawn()).filter((n) => n > 10).length, { timeout: 60_000 }).toBe(8);
    await page.waitForTimeout(1500);
    await screenshot(page, 'monitoring-overview-phone-en');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'open'));
    await page.reload();
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    await expect.poll(async () => (await drawn()).filter((n) => n > 10).length, { timeout: 60_000 }).toBe(8);
    await page.waitForTimeout(1500);
    await screenshot(page, 'monitoring-overview-en');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
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
    // The probe page on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByText('响应时间').last().scrollIntoViewIfNeeded();
    await page.waitForTimeout(1500);
    await screenshot(page, 'monitoring-probes-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('cuts a long probe target with an ellipsis and keeps the whole of it in the title', async () => {
    const url = `http://127.0.0.1:9/${'very-long-health-check-path/'.repeat(8)}status`;
    await call(page, 'PUT', '/api/ops/probes/long-target', { name: 'long-target', type: 'http', url, interval: '1h' });
    await page.reload();
    await page.getByRole('tab', { name: '探针' }).click();
    const cell = page
      .locator('tr')
      .filter({ hasText: 'long-target' })
      .locator('td')
      .filter({ hasText: url.slice(0, 30) });
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await cell.waitFor();
      expect(await cell.getAttribute('title')).toBe(`GET ${url}`);
      const box = (await cell.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(262);
      // The text overflows the cell and is cut, not wrapped onto more lines.
      expect(await cell.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      expect(box.height).toBeLessThan(60);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await call(page, 'DELETE', '/api/ops/probes/long-target');
  });

  it('tests an expression in the rule editor', async () => {
    await page.getByRole('tab', { name: '告警规则' }).click();
    // Each rule's current value: its expression evaluated now ("—" when it returns nothing).
    await expect.poll(() => page.getByTestId('rule-value').count(), { timeout: 30_000 }).toBeGreaterThan(5);
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

  it('creates, edits and deletes a rule in the rule editor', async () => {
    await page.getByRole('button', { name: '新建规则' }).click();
    const drawer = page.locator('.ant-drawer-section');
    await drawer.getByLabel('告警', { exact: true }).fill('DemoShopDown');
    const expr = drawer.getByLabel('表达式');
    // The PromQL parser's error is shown at the field, and nothing is saved.
    await expr.fill('probe_success{probe="kefu-live"} == (');
    await drawer.getByRole('button', { name: /保\s*存规则/ }).click();
    await drawer
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: /at character/ })
      .waitFor();
    await expr.fill('probe_success{probe="kefu-live"}');
    await drawer.getByRole('button', { name: '测试表达式' }).click();
    await expect
      .poll(() => drawer.getByTestId('rule-current-value').textContent(), { timeout: 30_000 })
      .toMatch(/kefu-live.*\s1$/s);
    await expr.fill('probe_success{probe="kefu-live"} == 0');
    await drawer.getByLabel('持续', { exact: true }).fill('2m');
    await drawer.getByLabel('恢复后保持').fill('5m');
    await drawer.getByLabel('组件').fill('console');
    await drawer.getByLabel('摘要', { exact: true }).fill('控制台 {{ $labels.probe }} 无法访问');
    await screenshot(page, 'monitoring-rule-editor');
    await drawer.getByRole('button', { name: /保\s*存规则/ }).click();
    const row = page.locator('tr').filter({ hasText: 'DemoShopDown' });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toMatch(/P3.*2m/);
    // Edit: the severity becomes P1.
    await row.getByRole('button', { name: '编辑规则' }).click();
    expect(await drawer.getByLabel('告警', { exact: true }).inputValue()).toBe('DemoShopDown');
    await drawer.getByLabel('级别').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'P1' }).click();
    await drawer.getByRole('button', { name: /保\s*存规则/ }).click();
    await expect.poll(() => row.textContent()).toMatch(/P1/);
    const config = await (await page.request.get('/api/ops/config')).json();
    const saved = config.groups.find((g: { name: string }) => g.name === 'custom').rules[0];
    expect(saved).toMatchObject({
      alert: 'DemoShopDown',
      for: '2m',
      keep_firing_for: '5m',
      labels: { severity: 'P1', component: 'console' },
    });
    // On a phone the editor takes the whole width.
    await page.setViewportSize({ width: 390, height: 844 });
    await row.getByRole('button', { name: '编辑规则' }).click();
    await drawer.getByLabel('表达式').waitFor();
    await screenshot(page, 'monitoring-rule-editor-phone');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
    await confirmPopup(page, row.getByRole('button', { name: /删\s*除/ }), () =>
      expect.poll(() => page.locator('tr').filter({ hasText: 'DemoShopDown' }).count(), { timeout: 10_000 }).toBe(0),
    );
  });

  it('serves the public status page in Chinese and English, readable on a phone', async () => {
    const status = await desk.session.context.newPage();
    await status.goto('/status/demo?lang=zh-CN');
    await status.getByText('服务状态').first().waitFor();
    await status.getByText('90 天可用率').first().waitFor();
    // The demo's incidents: the open one with its public update, the late one among the past;
    // internal notes and the drill never shown.
    await status.getByText('当前事件').waitFor();
    await status.getByText('智能客服暂时离线，新会话已自动转人工客服，我们正在恢复。').waitFor();
    await status.getByText('过去 90 天的事件').waitFor();
    await status.getByText('工单流转卡住：售后队列 40 分钟无状态变化').waitFor();
    const text = await status.locator('body').innerText();
    for (const hidden of ['模型服务进程 OOM', '队列消费者阻塞在数据库锁上', '演练：主数据库宕机切换'])
      expect(text).not.toContain(hidden);
    await screenshot(status, 'monitoring-status-page', { fullPage: true });
    await status.setViewportSize({ width: 390, height: 844 });
    await status.goto('/status/demo?lang=en');
    await status.getByText('Service status').first().waitFor();
    await status.getByText('Current incidents').waitFor();
    // Nothing wider than the phone.
    expect(await status.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(status, 'monitoring-status-page-phone-en', { fullPage: true });
    expect((await status.request.get('/status/no-such-shop')).status()).toBe(404);
    await status.close();
    expect(desk.session.problems).toEqual([]);
  });
});
