/**
 * The console's lists with a season of data (the volume benchmark's S shop: 1,000 conversations
 * and tickets, 3,000 audit entries, written straight into the tables): the inbox, the tickets and
 * the audit log load their next page by cursor as the reader scrolls, and searches say how they
 * were answered (an exact phone or ticket number, or full text newest first). Screenshots at
 * 1440×900 and 390×844, in Chinese and English.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { adminPassword, install, type Installation } from '../bench/volume/place.ts';
import { ensureConsoleBuilt } from '../src/cli/commands/start.ts';
import { processIo } from '../src/cli/io.ts';
import { describeWithBrowser, screenshot, useDesk } from './support.ts';

const wait = { timeout: 30_000 };

describeWithBrowser('lists at volume', () => {
  let shop: Installation;
  const desk = useDesk({
    start: async () => {
      ensureConsoleBuilt(processIo());
      shop = await install('sqlite', 1000, undefined);
      return { url: shop.server.url, logs: () => '', stop: () => shop.stop() };
    },
    signIn: 'api',
    password: adminPassword,
  });
  let page: Page;
  beforeAll(() => void (page = desk.page));

  /** Scrolls a box (or the page) to its end until `rows` counts more than `than`. */
  async function scrollForMore(rows: Locator, than: number, box?: Locator) {
    await expect
      .poll(
        async () => {
          if (box) await box.evaluate((el) => el.scrollTo(0, el.scrollHeight));
          else await page.mouse.wheel(0, 20_000);
          return rows.count();
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBeGreaterThan(than);
  }

  async function search(input: Locator, q: string) {
    await input.locator('input').fill(q);
    await input.locator('input').press('Enter');
  }

  it('inbox: the next page arrives while scrolling; searches say what matched', async () => {
    await page.goto('/inbox?status=any');
    const rows = page.getByTestId('conversation-row');
    await expect.poll(() => rows.count(), wait).toBe(30);
    await scrollForMore(rows, 30, page.getByTestId('conversation-list'));
    expect(await page.getByTestId('conversations-more').count()).toBeLessThanOrEqual(1);
    await screenshot(page, 'lists-inbox');

    const box = page.getByTestId('conversation-search');
    await search(box, shop.probes.phone);
    await expect.poll(() => page.getByTestId('conversation-search-kind').getAttribute('data-kind'), wait).toBe('phone');
    await expect.poll(() => rows.count(), wait).toBe(1);
    await expect(page.getByTestId('conversation-search-kind').textContent()).resolves.toContain('手机号');

    await search(box, '发票');
    await expect.poll(() => page.getByTestId('conversation-search-kind').getAttribute('data-kind'), wait).toBe('text');
    await expect.poll(() => rows.count(), wait).toBe(30);
    await screenshot(page, 'lists-inbox-search');
  });

  it('tickets: cursor pages while scrolling; a number or an order number is an exact match, words are full text', async () => {
    await page.goto('/tickets?view=all');
    const rows = page.locator('tr[data-testid^="ticket-row-"]');
    await expect.poll(() => rows.count(), wait).toBe(50);
    await scrollForMore(rows, 50);
    await page.mouse.wheel(0, -50_000);
    await screenshot(page, 'lists-tickets');

    const box = page.getByTestId('ticket-search');
    await search(box, `#${shop.probes.ticketNumber}`);
    await expect
      .poll(() => page.getByTestId('ticket-search-kind').getAttribute('data-kind'), wait)
      .toBe('ticket_number');
    await expect.poll(() => rows.count(), wait).toBe(1);

    await search(box, shop.probes.orderNo);
    await expect.poll(() => page.getByTestId('ticket-search-kind').getAttribute('data-kind'), wait).toBe('order_no');

    await search(box, '退货地址');
    await expect.poll(() => page.getByTestId('ticket-search-kind').getAttribute('data-kind'), wait).toBe('text');
    // Full text lists newest first: the sort is shown as that, and fixed.
    await expect(page.getByTestId('ticket-sort').getAttribute('class')).resolves.toContain('disabled');
    await expect.poll(() => rows.count(), wait).toBeGreaterThan(0);
    await screenshot(page, 'lists-tickets-search');
  });

  it('audit log: older entries arrive while scrolling', async () => {
    await page.goto('/settings/audit');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), wait).toBe(50);
    await scrollForMore(rows, 50);
    await page.mouse.wheel(0, -50_000);
    await screenshot(page, 'lists-audit');
  });

  it('on a phone and in English', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // The shell does not fold its menu by itself on a phone (yet): fold it as a phone user would.
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    for (const [path, name] of [
      ['/inbox?status=any', 'lists-inbox-mobile'],
      [`/tickets?view=all&q=${encodeURIComponent('发票')}`, 'lists-tickets-mobile'],
      ['/settings/audit', 'lists-audit-mobile'],
    ] as const) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await screenshot(page, name);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate(() => {
      localStorage.setItem('kefu.lang', 'en');
      localStorage.setItem('kefu.sider', 'open');
    });
    await page.goto(`/inbox?status=any&q=${encodeURIComponent(shop.probes.phone)}`);
    await expect(page.getByTestId('conversation-search-kind').textContent(wait)).resolves.toContain('phone');
    await screenshot(page, 'lists-inbox-english');
    await page.goto(`/tickets?view=all&q=${encodeURIComponent('发票')}`);
    await expect(page.getByTestId('ticket-search-kind').textContent(wait)).resolves.toContain('Full-text');
    await screenshot(page, 'lists-tickets-english');
    expect(desk.session.problems).toEqual([]);
  });
});
