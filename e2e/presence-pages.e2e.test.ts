/**
 * Presence follows the person, not the page (issue #15): an agent on the war room holds the
 * console's realtime connection, so they stay online past the offline grace period (3 s here,
 * set through the routing rule) as a supervisor's API call sees it, and go offline once the tab
 * is closed and the grace period has passed. Then the presence badges on the ticket table's
 * assignee column and the macro editor's assignee picker, screenshot at 1440×900 and 390×844 in
 * zh-CN and English.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, describeWithBrowser, openPage, screenshot, signInByApi, useDesk, type Json } from './support.ts';

const wait = { timeout: 40_000 };
const graceSeconds = 3;

describeWithBrowser('presence on every console page', () => {
  const desk = useDesk({ signIn: 'api' });
  let agentId = '';

  const presenceOf = async (userId: string): Promise<string> => {
    const r = await call(desk.page, 'GET', '/api/routing/presence');
    return ((r.items as Json[]).find((i) => i.userId === userId)?.presence as string) ?? 'unknown';
  };

  it('an agent on the war room stays online past the grace period, and goes offline after the tab closes', async () => {
    await call(desk.page, 'PUT', '/api/routing/rules/*', { enabled: true, strategy: 'least_busy', graceSeconds });
    const password = 'Presence-Pages-Passw0rd!';
    const email = `presence-pages-${Date.now()}@example.com`;
    const created = await call(desk.page, 'POST', '/api/users', { email, name: '林小雨', role: 'agent', password });
    agentId = created.user.id as string;

    const agent = await openPage(desk.browser, { width: 1440, height: 900, baseURL: desk.server.url });
    await signInByApi(agent, password, email);
    await agent.goto('/war-room');
    await agent.getByTestId('war-room').waitFor(wait);
    await expect.poll(() => presenceOf(agentId), wait).toBe('online');
    const since = async () =>
      ((await call(desk.page, 'GET', '/api/routing/presence')).items as Json[]).find((i) => i.userId === agentId)
        ?.since as string;
    const onlineSince = await since();

    // Past the grace period (and the job poller's second) on a page that is not the inbox.
    await agent.waitForTimeout((graceSeconds + 5) * 1000);
    expect(await presenceOf(agentId)).toBe('online');
    // Moving between pages inside the console keeps the one connection: still online, same since.
    await agent.evaluate(() => {
      window.history.pushState({}, '', '/tickets');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    await agent.getByTestId('create-ticket').waitFor(wait);
    await agent.waitForTimeout((graceSeconds + 3) * 1000);
    expect(await presenceOf(agentId)).toBe('online');
    expect(await since()).toBe(onlineSince);

    // The tab closes: online through the grace period, offline after it.
    await agent.context().close();
    const closedAt = Date.now();
    await expect.poll(() => presenceOf(agentId), wait).toBe('offline');
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(graceSeconds * 1000 - 500);
  });

  async function openMacroPicker(page: Page) {
    await page.goto('/settings/tickets?tab=macros');
    await page.getByRole('button', { name: /新建宏|New macro/ }).click();
    await page.getByTestId('macro-assignee').click();
    await page.locator('.ant-select-dropdown [data-testid="presence-badge"]').first().waitFor(wait);
  }

  it('the ticket table and the macro editor show the assignee presence badge', async () => {
    const page = desk.page;
    const me = (await call(page, 'GET', '/api/auth/me')).user as Json;
    for (const [subject, assigneeId] of [
      ['发票抬头需要修改', agentId],
      ['退货地址确认', me.id as string],
    ] as const)
      await call(page, 'POST', '/api/tickets', { subject, assigneeId, priority: 'high' });
    await page.goto('/tickets'); // localStorage belongs to the console's origin

    for (const [lang, width, height] of [
      ['zh-CN', 1440, 900],
      ['en', 1440, 900],
      ['zh-CN', 390, 844],
      ['en', 390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate((l) => localStorage.setItem('kefu.lang', l), lang);
      const suffix = `${width === 390 ? 'phone-' : ''}${lang === 'en' ? 'en' : 'zh'}`;

      await page.goto('/tickets?view=all');
      const row = page.locator('tr', { hasText: '发票抬头需要修改' });
      const badge = row.getByTestId('presence-badge');
      await badge.waitFor(wait);
      expect(await badge.getAttribute('data-presence')).toBe('offline'); // the agent's tab was closed
      expect(await badge.textContent()).toBe(lang === 'en' ? 'Offline' : '离线');
      await badge.scrollIntoViewIfNeeded(); // a phone scrolls the table sideways to the column
      await screenshot(page, `tickets-assignee-presence-${suffix}`);

      await openMacroPicker(page);
      const option = page.locator('.ant-select-item-option', { hasText: '林小雨' });
      expect(await option.getByTestId('presence-badge').getAttribute('data-presence')).toBe('offline');
      await screenshot(page, `macro-assignee-presence-${suffix}`);
      // Searching still works by name, the badge being part of the label.
      await page.keyboard.type('林小');
      await expect.poll(() => page.locator('.ant-select-item-option').count(), wait).toBe(1);
    }
    expect(desk.session.problems).toEqual([]);
  }, 300_000); // four pages and pickers, each loaded twice, on a shared machine
});
