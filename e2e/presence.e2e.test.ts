/**
 * Presence where agents are listed, in a real browser against the real server: an agent signs in
 * and opens the inbox (their socket makes them online); a supervisor's team page shows them online,
 * then busy and away as the agent changes status (in words and colour; the page polls presence
 * every 15 s). Then the war room with surge mode on and six shoppers for three seats, on a wall screen and
 * a phone. Screenshots: the team page in Chinese (1440×900) and English (390×844), the war room in
 * surge mode (1440×900 and 390×844).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type WebSocket from 'ws';
import {
  call,
  describeWithBrowser,
  screenshot,
  signIn,
  useDesk,
  type BrowserSession,
  type Json,
  type RunningServer,
} from './support.ts';
import { shopperWrites } from './shop.ts';

const wait = { timeout: 40_000 };
const shopOrigin = 'https://shop.example.com';

describeWithBrowser('presence on the team page; the war room in surge mode', () => {
  const desk = useDesk({ serverLog: true });
  let server: RunningServer;
  let admin: BrowserSession;
  let agentContext: BrowserContext;
  let agentPage: Page;
  let agentId = '';
  const shoppers: WebSocket[] = [];

  beforeAll(async () => {
    server = desk.server;
    admin = desk.session;
    agentContext = await admin.browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    agentPage = await agentContext.newPage();
  });

  afterAll(async () => {
    for (const s of shoppers) s.close();
    await agentContext?.close().catch(() => undefined);
  });

  /** A shopper writes through the widget's socket (no page needed); resolves with the conversation id. */
  async function shopperSays(publicId: string, n: number, text: string): Promise<string> {
    const visitorId = `presence-visitor-${String(n).padStart(6, '0')}`;
    const { conversationId, socket } = await shopperWrites(server.url, {
      publicId,
      visitorId,
      origin: shopOrigin,
      text,
    });
    shoppers.push(socket);
    return conversationId;
  }

  const badgeOf = (page: Page, userId: string): Locator =>
    page.locator(`[data-testid="user-row"][data-user-id="${userId}"] [data-testid="presence-badge"]`);

  it("shows an agent's presence on the team page and follows their status changes", async () => {
    await signIn(admin.page);
    const password = 'Presence-Agent-Passw0rd!';
    const created = await call(admin.page, 'POST', '/api/users', {
      email: `presence-${Date.now()}@example.com`,
      name: '林小雨',
      role: 'agent',
      password,
    });
    agentId = created.user.id as string;
    await call(admin.page, 'PUT', '/api/routing/rules/*', { enabled: true, strategy: 'least_busy' });
    await signIn(agentPage, { email: created.user.email as string, password });
    await agentPage.goto('/inbox');
    await agentPage.getByTestId('inbox').waitFor(wait);

    await admin.page.goto('/settings/users');
    const badge = badgeOf(admin.page, agentId);
    await expect.poll(() => badge.getAttribute('data-presence'), wait).toBe('online');
    expect(await badge.textContent()).toBe('在线');
    // An auditor takes no conversations: no presence for them.
    const auditor = await call(admin.page, 'POST', '/api/users', {
      email: `auditor-${Date.now()}@example.com`,
      name: '审计员',
      role: 'auditor',
      password,
    });
    await admin.page.reload();
    const auditorRow = admin.page.locator(`[data-testid="user-row"][data-user-id="${auditor.user.id as string}"]`);
    await auditorRow.waitFor(wait);
    expect(await auditorRow.getByTestId('presence-badge').count()).toBe(0);

    await call(agentPage, 'PUT', '/api/routing/me/status', { status: 'busy' });
    await expect.poll(() => badge.getAttribute('data-presence'), wait).toBe('busy');
    expect(await badge.textContent()).toBe('忙碌');
    await screenshot(admin.page, 'team-presence');

    // In English on a phone; the agent steps away and the page follows.
    await admin.page.setViewportSize({ width: 390, height: 844 });
    await admin.page.evaluate(() => {
      localStorage.setItem('kefu.lang', 'en');
      localStorage.setItem('kefu.sider', 'collapsed');
    });
    await admin.page.goto('/settings/users');
    await expect.poll(() => badge.textContent(), wait).toBe('Busy');
    await call(agentPage, 'PUT', '/api/routing/me/status', { status: 'away' });
    await expect.poll(() => badge.getAttribute('data-presence'), wait).toBe('away');
    expect(await badge.textContent()).toBe('Away');
    await screenshot(admin.page, 'team-presence-phone-en');

    // The agent's profile carries the same badge.
    await admin.page.goto(`/agents/${agentId}`);
    await admin.page.getByTestId('agent-profile').waitFor(wait);
    expect(await admin.page.getByTestId('page-extra').getByTestId('presence-badge').getAttribute('data-presence')).toBe(
      'away',
    );
    await call(agentPage, 'PUT', '/api/routing/me/status', { status: 'online' });
  });

  it('the war room in surge mode: the notice, who waits, agents with their presence', async () => {
    await admin.page.setViewportSize({ width: 1440, height: 900 });
    await admin.page.evaluate(() => {
      localStorage.setItem('kefu.lang', 'zh-CN');
      localStorage.setItem('kefu.sider', 'open');
    });
    const inbox = await call(admin.page, 'POST', '/api/inboxes', {
      name: '山茶小铺',
      settings: { allowedOrigins: [shopOrigin], preChat: { enabled: false, fields: ['name'], required: [] } },
    });
    // Both consoles that opened the inbox count (the admin's until its grace period ends): 1 + 2 seats.
    const me = (await (await admin.page.request.get('/api/auth/me')).json()) as Json;
    for (const [id, capacityChat] of [
      [me.user.id as string, 1],
      [agentId, 2],
    ] as const)
      await call(admin.page, 'PUT', `/api/routing/agents/${id}`, { capacityChat, capacityTicket: 20, skills: [] });
    await call(admin.page, 'PUT', '/api/routing/surge', { mode: 'on', notice: '双十一咨询量较大，客服正在逐一接待。' });
    const texts = [
      '请问明前龙井还有货吗？',
      '我想改一下收货地址',
      '发票怎么开？',
      '满减活动怎么算？',
      '什么时候发货？',
      '可以开专票吗？',
    ];
    for (const [i, text] of texts.entries()) await shopperSays(inbox.publicId as string, i + 1, text);

    await admin.page.goto('/war-room');
    await admin.page.getByTestId('war-room').waitFor(wait);
    await expect.poll(() => admin.page.getByTestId('waiting-row').count(), wait).toBeGreaterThanOrEqual(3);
    await admin.page.getByText('双十一咨询量较大，客服正在逐一接待。').first().waitFor(wait);
    const agentRow = admin.page.locator('tr', { hasText: '林小雨' }).getByTestId('presence-badge');
    await expect.poll(() => agentRow.first().getAttribute('data-presence'), wait).toBe('online');
    await screenshot(admin.page, 'routing-war-room-surge');
    await admin.page.setViewportSize({ width: 390, height: 844 });
    await admin.page.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await admin.page.reload();
    await admin.page.getByTestId('war-room').waitFor(wait);
    await admin.page.getByTestId('waiting-row').first().waitFor(wait);
    await screenshot(admin.page, 'routing-war-room-surge-phone', { fullPage: true });
    expect(admin.problems).toEqual([]);
  });
});
