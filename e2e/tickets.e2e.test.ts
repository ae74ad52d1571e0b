/**
 * Tickets and SLAs in a real browser against the real server (and its real clock): a 24×7
 * calendar and a 30-minute first-response policy made through the settings pages, a ticket
 * made by hand, its live countdown, the clock pausing while the ticket waits on the customer,
 * and the first response fulfilled by a reply. Works at any time of day or week, because the
 * calendar has no closed hours and no holidays.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { call, describeWithBrowser, screenshot, signIn, useDesk, type Json } from './support.ts';

// Names are made unique per run only against a long-lived server (KEFU_E2E_URL); a fresh one keeps the screenshots clean.
const run = process.env.KEFU_E2E_URL ? ` ${Date.now().toString(36)}` : '';
const calendarName = `全天候客服${run}`;
const policyName = `标准 SLA${run}`;
const subject = `退货申请：鞋子尺码不对${run}`;
const callerPhone = `136${String(Date.now()).slice(-8)}`; // unique even against a long-lived server

/** How long to wait for the page to show a change (the server answers in milliseconds; CI machines are slow). */
const wait = { timeout: 30_000 };

describeWithBrowser('tickets and SLA', () => {
  const desk = useDesk();
  let page: Page;
  beforeAll(() => void (page = desk.page));
  let ticketUrl = '';
  let urgentNumber = 0;

  /** A menu entry by its exact text (the accessible name also holds the icon's label). */
  const menuEntry = (text: string) =>
    page.locator('.ant-layout-sider .ant-menu-title-content').getByText(text, { exact: true });

  async function openMenu(group: string | null, item: string) {
    if (group && !(await menuEntry(item).isVisible())) await menuEntry(group).click();
    await menuEntry(item).click();
  }

  /** Picks an option of an antd Select (the open dropdown is rendered at the end of <body>). */
  async function choose(select: Locator, option: string | RegExp) {
    await select.click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: option })
      .first()
      .click();
  }

  const drawer = () => page.locator('.ant-drawer-open');

  it('signs in and makes a 24×7 calendar, showing the server’s validation problems first', async () => {
    await signIn(page);

    await openMenu('设置', 'SLA 策略');
    await page.waitForURL('**/settings/sla');
    await page.getByTestId('create-calendar').click();
    await drawer().getByTestId('calendar-name').fill(calendarName);
    await drawer().getByTestId('preset-always').click();
    await drawer().getByTestId('cn-holidays').click(); // no holidays: the clock runs every day of the year
    // An extra Monday interval overlapping 00:00–24:00: the server names the problem.
    await drawer()
      .getByTestId('hours-mon')
      .getByRole('button', { name: /添加时段/ })
      .click();
    await drawer().getByTestId('calendar-save').click();
    const problems = drawer().getByTestId('calendar-problems');
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/overlaps/);
    await drawer()
      .getByTestId('hours-mon')
      .getByRole('button', { name: /删除时段/ })
      .nth(1)
      .click();
    await drawer().getByTestId('calendar-save').click();
    await page.getByRole('cell', { name: calendarName }).waitFor();

    const calendars = (await call(page, 'GET', '/api/calendars')).items as Json[];
    const saved = calendars.find((c) => c.name === calendarName)!;
    expect(saved.definition.holidays).toEqual([]);
    expect(saved.definition.hours.sun).toEqual([['00:00', '24:00']]);
    expect(saved.definition.hours.mon).toEqual([['00:00', '24:00']]);
  });

  it('makes a first-response policy of 30 business minutes and orders the policies', async () => {
    await page.getByTestId('create-policy').click();
    await drawer().getByTestId('policy-name').fill(policyName);
    await drawer().getByLabel('首次响应', { exact: true }).fill('30');
    await choose(drawer().getByTestId('policy-calendar'), calendarName);
    await drawer().getByTestId('policy-save').click();
    await page.getByTestId('policies').getByText(policyName).waitFor();

    const policies = (await call(page, 'GET', '/api/sla-policies')).items as Json[];
    const standard = policies.find((p) => p.name === policyName)!;
    expect(standard).toMatchObject({
      businessHours: true,
      targets: { firstResponse: 30, resolution: 480 },
      conditions: {},
      pauseStatuses: ['pending', 'on_hold'],
    });

    // Stricter policies for urgent and high tickets, made through the API; they land after the
    // catch-all one, so the arrows move the catch-all to the end (the first match wins).
    const strict = { calendarId: standard.calendarId as string, businessHours: true, warnAtShare: 0.5 };
    await call(page, 'POST', '/api/sla-policies', {
      ...strict,
      name: `紧急工单${run}`,
      conditions: { priorities: ['urgent'] },
      targets: { firstResponse: 1, resolution: 240 },
    });
    await call(page, 'POST', '/api/sla-policies', {
      ...strict,
      name: `高优先级${run}`,
      conditions: { priorities: ['high'] },
      targets: { firstResponse: 3, resolution: 360 },
      warnAtShare: 0.25,
    });
    await page.reload();
    const rows = page.getByTestId('policies').locator('[data-testid^="policy-"]');
    await expect.poll(() => rows.count(), wait).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 2; i++) {
      const row = rows.filter({ hasText: policyName });
      await row.getByRole('button', { name: '下移' }).click();
      await expect
        .poll(
          async () =>
            (await call(page, 'GET', '/api/sla-policies')).items.findIndex((p: Json) => p.name === policyName),
          wait,
        )
        .toBe(policies.findIndex((p) => p.name === policyName) + i + 1);
    }
    expect(await rows.last().textContent()).toContain(policyName);
    await screenshot(page, 'sla-settings');
  });

  it('creates a ticket and shows its first-response countdown', async () => {
    // What a shop sets up under Settings → Tickets: a group, custom fields, a macro.
    const me = (await call(page, 'GET', '/api/auth/me')).user as Json;
    await call(page, 'POST', '/api/groups', { name: `售后组${run}`, supervisorId: me.id, memberIds: [me.id] });
    const refundKey = `refund_${Date.now().toString(36)}`;
    await call(page, 'POST', '/api/ticket-fields', {
      key: refundKey,
      label: '退款金额',
      type: 'number',
      requiredOnSolve: true,
    });
    await call(page, 'POST', '/api/ticket-fields', {
      key: `return_${Date.now().toString(36)}`,
      label: '退货快递单号',
      type: 'order_number',
    });
    await call(page, 'POST', '/api/macros', {
      name: `请客户补充照片${run}`,
      actions: { status: 'pending', reply: { body: '麻烦您拍一张商品和鞋盒标签的照片发给我们，谢谢！' } },
    });

    // Background tickets for a realistic list: an urgent one (mine) whose 1-minute clock will run
    // out, a high one that warns after 45 s, one waiting on the customer, one solved.
    const urgent = await call(page, 'POST', '/api/tickets', {
      subject: `物流三天没有更新，客户要求加急${run}`,
      type: 'logistics',
      priority: 'urgent',
      orderNo: 'JD2025110800321',
      tags: ['物流'],
      assigneeId: me.id,
    });
    urgentNumber = urgent.number as number;
    await call(page, 'POST', '/api/tickets', {
      subject: `发票抬头写错了，需要重开${run}`,
      type: 'invoice',
      priority: 'high',
      orderNo: 'TB2025110700158',
    });
    const waiting = await call(page, 'POST', '/api/tickets', {
      subject: `赠品漏发${run}`,
      type: 'after_sales',
      priority: 'low',
      tags: ['赠品'],
    });
    await call(page, 'PATCH', `/api/tickets/${waiting.id as string}`, { version: waiting.version, status: 'pending' });
    // Solving needs the required field, by reply as by any other way.
    const done = await call(page, 'POST', '/api/tickets', {
      subject: `咨询尺码表${run}`,
      type: 'inquiry',
      fields: { [refundKey]: 0 },
    });
    await call(page, 'POST', `/api/tickets/${done.id as string}/replies`, {
      body: '尺码表在商品详情页底部。',
      status: 'solved',
    });

    await openMenu(null, '工单');
    await page.waitForURL('**/tickets');
    await page.getByTestId('create-ticket').click();
    await drawer().getByTestId('ticket-subject').fill(subject);
    await drawer().getByLabel('问题描述').fill('客户收到的运动鞋偏小一码，要求换成 42 码；订单已签收 3 天。');
    await choose(drawer().getByTestId('ticket-type'), '售后/退换/退款');
    await choose(drawer().getByTestId('ticket-assignee'), /^我（/);
    await drawer().getByLabel('订单号').fill('TB2025110900123');
    // A caller with no profile yet: the agent enters the customer from the form (defect 2).
    await drawer().getByTestId('new-customer').click();
    const newCustomer = page.getByRole('dialog', { name: '新建客户' });
    await newCustomer.getByTestId('new-customer-name').fill(`刘洋${run}`);
    await newCustomer.getByTestId('new-customer-submit').click();
    await newCustomer.getByText('请填写手机号或邮箱').waitFor(wait); // a way to reach them is required
    await newCustomer.getByTestId('new-customer-phone').fill(callerPhone);
    await newCustomer.getByTestId('new-customer-submit').click();
    await newCustomer.waitFor({ state: 'hidden', ...wait });
    await drawer().getByTestId('customer-picker').getByText(`刘洋${run} · ${callerPhone}`).waitFor(wait);
    await drawer().getByTestId('create-ticket-submit').click();
    await page.waitForURL(/\/tickets\/tkt_/);
    ticketUrl = new URL(page.url()).pathname;
    await page
      .getByTestId('ticket-customer')
      .filter({ hasText: `刘洋${run}` })
      .waitFor(wait);
    // No channel reaches a customer entered by hand: the composer starts as an internal note.
    expect(await page.getByTestId('composer-mode').locator('.ant-segmented-item-selected').textContent()).toContain(
      '内部备注',
    );

    const firstResponse = page.getByTestId('sla-target-firstResponse');
    await firstResponse.waitFor();
    expect(await firstResponse.getAttribute('data-kind')).toBe('running');
    expect(await firstResponse.textContent()).toMatch(/剩余 (29|30) 分钟/);
    expect(await page.getByTestId('ticket-page').getByTestId('sla-badge').first().textContent()).toMatch(
      /剩余 (29|30) 分钟/,
    );

    // The list counts down live, client-side: the urgent ticket's last minute ticks in seconds.
    await page.goto('/tickets?view=all');
    const urgentBadge = page.getByTestId(`ticket-row-${urgentNumber}`).getByTestId('sla-badge');
    await urgentBadge.waitFor();
    const before = await urgentBadge.textContent();
    // Within 15 s: a per-minute badge would seldom change in that time, a per-second one always does.
    await expect.poll(() => urgentBadge.textContent(), { timeout: 15_000 }).not.toBe(before);
    const mine = page.locator('[data-testid^="ticket-row-"]').filter({ hasText: subject }).getByTestId('sla-badge');
    expect(await mine.textContent()).toMatch(/剩余 (29|30) 分钟/);
  });

  it('pauses the clock while the ticket waits on the customer, and a reply fulfils the first response', async () => {
    await page.goto(ticketUrl);
    const firstResponse = page.getByTestId('sla-target-firstResponse');
    await firstResponse.waitFor();

    await choose(page.getByTestId('ticket-status'), '待客户回复');
    await expect.poll(() => firstResponse.getAttribute('data-kind'), wait).toBe('paused');
    expect(await firstResponse.textContent()).toContain('已暂停');
    expect(await page.getByTestId('ticket-page').getByTestId('sla-badge').first().textContent()).toContain('已暂停');

    // An internal note does not count as a response.
    await page.getByTestId('composer-mode').getByText('内部备注').click();
    await page.getByTestId('composer-body').fill('已联系仓库确认 42 码有货，等客户发鞋盒照片。');
    await page.getByTestId('composer-submit').click();
    await page.getByTestId('timeline-note').waitFor();
    expect(await firstResponse.getAttribute('data-kind')).toBe('paused');

    // A public reply, submitted as open: the first response is met and the resolution clock runs again.
    await page.getByTestId('composer-mode').getByText('公开回复').click();
    await page.getByTestId('composer-body').fill('您好，42 码有货。请把鞋盒标签拍照发给我们，我们马上为您安排换货。');
    await page.getByTestId('composer-more').click();
    await page.getByTestId('submit-as-open').click();
    await page.getByTestId('timeline-reply').waitFor();
    await expect.poll(() => firstResponse.getAttribute('data-kind'), wait).toBe('fulfilled');
    expect(await firstResponse.textContent()).toContain('已达成');
    await expect.poll(() => page.getByTestId('sla-target-resolution').getAttribute('data-kind'), wait).toBe('running');
    await expect.poll(() => page.getByTestId('ticket-status').textContent(), wait).toContain('处理中');
    expect(await page.getByTestId('timeline').textContent()).toMatch(/将状态从「新建」改为「待客户回复」/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'ticket');

    const server = (await call(page, 'GET', `/api/tickets${ticketUrl.slice('/tickets'.length)}`)).sla as Json;
    expect(server.targets.firstResponse.fulfilledAt).not.toBeNull();
    expect(server.targets.firstResponse.breached).toBe(false);
  });

  it('refuses a stale change and tells the user someone else changed the ticket', async () => {
    const id = ticketUrl.split('/').pop()!;
    const current = await call(page, 'GET', `/api/tickets/${id}`);
    await call(page, 'PATCH', `/api/tickets/${id}`, { version: current.version, tags: ['换货'] }); // someone else
    await choose(page.getByTestId('ticket-assignee-select'), '未分配');
    const conflict = page.locator('.ant-modal-confirm').filter({ hasText: '工单已被他人修改' });
    await conflict.waitFor();
    await conflict.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => page.getByTestId('ticket-properties').textContent(), wait).toContain('换货');
    expect(await page.getByTestId('ticket-assignee-select').textContent()).toContain('我（'); // the refused change is not shown as made
  });

  it('tells the assignee about the breach: the bell, the notification, the alert on the timeline', async () => {
    // The worker looks for due clocks once a minute, at the minute: a breach due at T is found by
    // T + 60 s at the latest, and the urgent ticket's clock ran out a minute after its creation —
    // up to two minutes after it was made. (It may first have warned: wait for the breach itself.)
    const breached = async () =>
      ((await call(page, 'GET', '/api/notifications')).items as Json[]).some(
        (n) => n.type === 'sla.breached' && !n.read && n.data.subject?.number === urgentNumber,
      );
    await expect.poll(breached, { timeout: 170_000, interval: 2_000 }).toBe(true);
    await page.goto('/tickets?view=mine');
    const bell = page.getByTestId('notifications-bell');
    await expect.poll(() => bell.textContent(), wait).toMatch(/[1-9]/);
    await bell.click();
    const item = page.getByTestId('notifications').getByText(`SLA 已超时 · #${urgentNumber}`);
    await item.click();
    await page.waitForURL(/\/tickets\/tkt_/);
    await page.getByTestId('timeline-sla_breach').waitFor();
    expect(await page.getByTestId('timeline-sla_breach').textContent()).toContain('SLA 超时：首次响应已超时');
    expect(await page.getByTestId('sla-target-firstResponse').getAttribute('data-kind')).toBe('breached');
  }, 240_000);

  it('shows the list with live countdowns, a breached ticket in red', async () => {
    await page.goto('/tickets?view=all');
    const urgentBadge = page.getByTestId(`ticket-row-${urgentNumber}`).getByTestId('sla-badge');
    await urgentBadge.waitFor();
    expect(await urgentBadge.getAttribute('data-kind')).toBe('breached');
    expect(await urgentBadge.textContent()).toMatch(/已超时 \d+ (秒|分钟)/);
    const rows = page.locator('[data-testid^="ticket-row-"]');
    expect(
      await rows
        .filter({ hasText: `赠品漏发${run}` })
        .getByTestId('sla-badge')
        .textContent(),
    ).toContain('已暂停');
    expect(
      await rows
        .filter({ hasText: `咨询尺码表${run}` })
        .getByTestId('sla-badge')
        .textContent(),
    ).toContain('已达成');
    await page.mouse.move(0, 0);
    await screenshot(page, 'tickets');
  }, 240_000);

  it('logged no page errors', () => {
    expect(desk.session.problems).toEqual([]);
  });
});
