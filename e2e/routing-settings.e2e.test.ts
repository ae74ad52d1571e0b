/**
 * The routing and CSAT settings page in a real browser (1440 and 390 wide): the supervisor gives an
 * inbox its own rule (sticky, with a window, a complaint boost), a group its own policy, an agent a
 * capacity and skills, and the workspace a faces survey with an extra question; every change is
 * read back from the API. Capacity 0 is refused by the server with its reason.
 */
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, describeWithBrowser, openContext, screenshot, signIn, useDesk, type Json } from './support.ts';

const wait = { timeout: 30_000 };

describeWithBrowser('routing settings: rules per inbox and group, capacity, CSAT', () => {
  const desk = useDesk({ signIn: 'form' });
  let page: Page;
  let inboxId = '';
  let groupId = '';
  let adminId = '';

  it('an inbox gets its own rule: sticky within 30 minutes, complaints first', async () => {
    page = desk.page;
    adminId = (await call(page, 'GET', '/api/auth/me')).user.id as string;
    inboxId = (
      await call(page, 'POST', '/api/inboxes', {
        name: '旗舰店',
        settings: { allowedOrigins: ['https://shop.example.com'] },
      })
    ).id as string;
    groupId = (await call(page, 'POST', '/api/groups', { name: '售后组', memberIds: [adminId] })).id as string;
    await page.goto('/settings/routing');
    const form = page.getByTestId('rule-form');
    await form.waitFor(wait);
    await page.getByTestId('scope').click();
    await page.getByTitle('渠道：旗舰店').click();
    await form.getByText('此渠道尚无自己的规则').waitFor(wait);
    await page.getByTestId('rule-strategy').click();
    await page.getByTitle('熟客优先（上次接待的客服）').click();
    await form.getByLabel('熟客回访时间窗（分钟）').fill('30');
    await form.getByLabel('投诉加权').fill('40');
    await form.getByLabel('最长等待（秒）').fill('240');
    await page.getByTestId('save-rule').click();
    await page.getByText('已保存').first().waitFor(wait);
    const rules = await call(page, 'GET', '/api/routing/rules');
    expect(rules.byInbox[inboxId]).toMatchObject({
      strategy: 'sticky',
      stickyMinutes: 30,
      complaintBoost: 40,
      maxWaitSeconds: 240,
    });
    // The workspace's rule is untouched.
    expect(rules.base.strategy).toBe('least_busy');
    await screenshot(page, 'routing-settings-rules');
  });

  it("a group's own policy, and an agent's capacity and skills", async () => {
    await page.getByRole('tab', { name: '分组策略' }).click();
    const card = page.locator('[data-testid="group-policy"][data-group="售后组"]');
    await card.waitFor(wait);
    await card.getByRole('switch').click();
    await card.locator('.ant-select').click();
    await page.getByTitle('轮流分配').click();
    await card.getByRole('button', { name: /保\s*存/ }).click();
    await expect
      .poll(async () => (await call(page, 'GET', '/api/routing/rules')).byGroup[groupId] as Json | undefined, wait)
      .toMatchObject({ enabled: true, strategy: 'round_robin' });
    await screenshot(page, 'routing-settings-groups');

    await page.getByRole('tab', { name: '客服容量与技能' }).click();
    const table = page.getByTestId('agents-table');
    await table.waitFor(wait);
    await table
      .getByRole('button', { name: /编\s*辑/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('同时接待会话上限').fill('3');
    const skills = dialog.getByLabel('技能');
    await skills.fill('日语');
    await skills.press('Enter');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await table.getByTestId('agent-chat-load').filter({ hasText: '/ 3' }).waitFor(wait);
    await table.getByText('日语').waitFor(wait);
    await screenshot(page, 'routing-settings-agents');
    // The server refuses capacity 0 with its reason, nothing changed.
    const me = (await (await page.request.get('/api/auth/me')).json()) as Json;
    const bad = await page.request.put(`/api/routing/agents/${adminId}`, {
      data: { capacityChat: 0, capacityTicket: 5, skills: [] },
      headers: { 'x-csrf-token': me.csrfToken as string },
    });
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain('at least 1');
    const agent = ((await call(page, 'GET', '/api/routing/war-room')).agents as Json[]).find(
      (a) => a.userId === adminId,
    );
    expect(agent).toMatchObject({ capacityChat: 3, skills: ['日语'] });
  });

  it('the workspace survey: faces, a new question wording, an extra question, link expiry', async () => {
    await page.getByRole('tab', { name: '满意度评价' }).click();
    const form = page.getByTestId('csat-settings');
    await form.waitFor(wait);
    await form.getByText('表情（1–5）').click();
    await form.getByLabel('评分提问（中文）').fill('这次服务您还满意吗？');
    await form.getByRole('button', { name: '添加问题' }).click();
    await form.getByPlaceholder('中文').last().fill('问题解决了吗？');
    await form.getByPlaceholder('英文').last().fill('Was it solved?');
    await form.getByLabel('邀请有效期（小时）').fill('24');
    await page.getByTestId('save-csat').click();
    await page.getByText('已保存').first().waitFor(wait);
    const s = await call(page, 'GET', '/api/csat/settings');
    expect(s.base).toMatchObject({
      scale: 'faces',
      prompt: { 'zh-CN': '这次服务您还满意吗？' },
      linkTtlHours: 24,
    });
    // The workspace's survey had one question already; the new one follows it.
    expect(s.base.questions).toHaveLength(2);
    expect(s.base.questions[1]).toEqual({
      id: 'q2',
      kind: 'yes_no',
      label: { 'zh-CN': '问题解决了吗？', en: 'Was it solved?' },
    });
    await screenshot(page, 'routing-settings-csat'); // fullPage draws the fixed sidebar mid-page
  });

  it('works on a phone (390×844), in English too', async () => {
    const context = await openContext(desk.browser, { width: 390, height: 844, baseURL: desk.server.url, scale: 2 });
    const phone = await context.newPage();
    try {
      await signIn(phone, { lang: 'en' });
      await phone.goto('/settings/routing');
      await phone.getByTestId('rule-form').waitFor(wait);
      await phone.getByRole('heading', { name: 'Routing & CSAT' }).waitFor(wait);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phone, 'routing-settings-phone-en');
      await phone.getByRole('tab', { name: 'CSAT' }).click();
      await phone.getByTestId('csat-settings').waitFor(wait);
      await screenshot(phone, 'routing-settings-csat-phone-en');
    } finally {
      await context.close();
    }
  });
});
