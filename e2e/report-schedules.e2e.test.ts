/**
 * The reports page's schedule editor (投递计划) in a real browser: the daily report's defaults show
 * the administrator as its recipient; a new time, an added recipient and "no channels" are saved
 * and read back from the API; a bad address is refused in the form. At 1440×900 and 390×844.
 * Screenshots: report-schedules-*.png (look at them).
 */
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { adminEmail, describeWithBrowser, screenshot, useDesk } from './support.ts';

describeWithBrowser('report schedules editor', () => {
  const desk = useDesk({ signIn: 'form', timeout: 200_000 });
  let page: Page;
  beforeAll(() => void (page = desk.page));

  const schedules = () =>
    page.evaluate(async () => (await (await fetch('/api/reports/schedules')).json()) as { schedules: unknown[] });

  it('shows the defaults and saves a new time, recipients and channels', async () => {
    await page.goto('/reports');
    await page.getByTestId('report-schedules').click();
    const form = page.getByTestId('schedule-form');
    await form.waitFor();
    await expect.poll(() => form.getByTestId('schedule-recipients').innerText()).toContain(adminEmail);
    await screenshot(page, 'report-schedules-defaults');

    await form.getByTestId('schedule-time').click();
    await page.keyboard.type('07:30');
    await page.keyboard.press('Enter');
    const input = form.getByTestId('schedule-recipients').locator('input');
    await input.fill('not-an-address');
    await input.press('Enter');
    await form.getByTestId('schedule-save').click();
    await page.getByText('请输入有效的邮箱地址').waitFor();
    await form.locator('.ant-select-selection-item', { hasText: 'not-an-address' }).locator('.anticon-close').click();
    await input.fill('boss@shop.example');
    await input.press('Enter');
    await form.getByText('指定渠道').click();
    await form.getByTestId('schedule-save').click();
    await page.locator('.ant-message-notice', { hasText: '已保存' }).waitFor();
    await expect
      .poll(async () => (await schedules()).schedules[0])
      .toEqual({
        type: 'daily',
        custom: true,
        enabled: true,
        localTime: '07:30',
        recipients: [adminEmail, 'boss@shop.example'],
        channelIds: [],
      });
    await screenshot(page, 'report-schedules-saved');
  });

  it('works on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await page.goto('/reports');
    await page.getByTestId('report-schedules').click();
    await page.getByTestId('schedule-form').waitFor();
    await page.getByTestId('schedule-types').getByText('客服分析月报').click();
    await page.getByText('每月 1 日此时生成上个月的客服分析月报').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'report-schedules-phone');
    expect(desk.session.problems).toEqual([]);
  });
});
