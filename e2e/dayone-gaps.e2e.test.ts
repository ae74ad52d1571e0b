/**
 * Day one, the gaps an audit found untested (issue 16): the inbox's shortcuts e / z / s and `/` in
 * the conversation view; the customer links of the conversation sidebar and the ticket header;
 * the composer above a phone's on-screen keyboard (the viewport shrinks to a short height at 390
 * wide, as `interactive-widget=resizes-content` makes Chromium do); and the phone layout at
 * 390×844 in both languages: "New canned reply" whole inside its row, the tickets' views a compact
 * select above the list instead of a rail that pushed it down, and no page wider than the screen.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, openPage, screenshot, signIn, useDesk, type Json } from './support.ts';
import { pickOption } from './ui-retry.ts';

const wait = { timeout: 45_000 }; // a busy shared machine

const api = (page: Page, url: string): Promise<Json> => page.evaluate(async (u) => (await fetch(u)).json(), url);

/** Presses a shortcut as a person would: with nothing focused (keys typed into the composer are text). */
async function press(page: Page, key: string) {
  await page.waitForTimeout(800); // the composer focuses itself shortly after a conversation opens
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(key);
}

/** What sticks out sideways: the document, clipped page actions, buttons whose words do not fit. */
async function overflow(page: Page, width: number): Promise<string[]> {
  return page.evaluate((max) => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth)
      out.push(`document ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('[data-testid="page-extra"]'))
      if (el.scrollWidth > el.clientWidth + 1) out.push(`page actions scroll: ${el.scrollWidth} > ${el.clientWidth}`);
    // A button's words wider than the button, anywhere; the title row's buttons inside the screen
    // (a table's own sideways scrolling may carry its row buttons past the edge).
    for (const b of document.querySelectorAll<HTMLElement>('.ant-layout-content .ant-btn')) {
      const r = b.getBoundingClientRect();
      if (!r.width) continue;
      if (b.scrollWidth > b.clientWidth + 1) out.push(`button "${b.textContent}" wider than its words allow`);
      if (b.closest('[data-testid="page-header"]') && (r.right > max + 1 || r.left < 0))
        out.push(`button "${b.textContent}" outside the screen (${r.left}–${r.right})`);
    }
    return out;
  }, width);
}

describeWithBrowser(
  'day one gaps: shortcuts, customer links, the composer above the keyboard, the phone layout',
  () => {
    const desk = useDesk({ demoData: true });
    beforeAll(() => signIn(desk.page, { lang: 'zh-CN' }));

    it('resolves with e, snoozes with z, searches with s and opens canned replies with /', async () => {
      const page = desk.page;
      const open = (await api(page, '/api/conversations?status=open&limit=10')).items as Json[];
      expect(open.length).toBeGreaterThanOrEqual(3);
      const status = async (id: string) => (await api(page, `/api/conversations/${id}`)).status as string;

      await page.goto(`/inbox?status=open&c=${open[0].id}`);
      await page.getByTestId('composer-input').waitFor(wait);
      await press(page, 'e');
      await expect.poll(() => status(open[0].id), wait).toBe('resolved');

      await page.goto(`/inbox?status=open&c=${open[1].id}`);
      await page.getByTestId('composer-input').waitFor(wait);
      await press(page, 'z');
      const presets = page.locator('.ant-popover:not(.ant-popover-hidden) .ant-btn');
      await presets.first().waitFor(wait);
      await screenshot(page, 'shortcut-snooze');
      await presets.first().click();
      await expect.poll(() => status(open[1].id), wait).toBe('snoozed');

      await page.goto(`/inbox?status=open&c=${open[2].id}`);
      await page.getByTestId('composer-input').waitFor(wait);
      await press(page, 's');
      await expect
        .poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid="conversation-search"]')), wait)
        .toBe(true);
      await page.keyboard.type('退款');
      expect(await page.getByTestId('conversation-search').locator('input').inputValue()).toBe('退款');
      await page.keyboard.press('Escape');

      await press(page, '/');
      await page.getByTestId('canned-picker').waitFor(wait);
      expect(await page.getByTestId('composer-input').inputValue()).toBe('/');
      expect(await page.getByTestId('canned-picker').textContent()).toMatch(/\/\S+/);
      await screenshot(page, 'shortcut-canned');
      await page.keyboard.press('Escape');
    });

    it("links the conversation sidebar's and the ticket header's customer to the customer page", async () => {
      const page = desk.page;
      const conv = ((await api(page, '/api/conversations?limit=5')).items as Json[]).find((c) => c.customerName)!;
      await page.goto(`/inbox?status=any&c=${conv.id}`);
      const link = page.getByTestId('sidebar-customer-link');
      await link.filter({ hasText: conv.customerName }).waitFor(wait);
      await link.click();
      await page.waitForURL(new RegExp(`/customers/${conv.customerId}$`), wait);
      await page.getByTestId('customer-name').filter({ hasText: conv.customerName }).waitFor(wait);

      const ticket = ((await api(page, '/api/tickets?view=all&limit=50')).items as Json[]).find(
        (x) => x.customerId && x.customerName,
      )!;
      await page.goto(`/tickets/${ticket.id}`);
      const header = page.getByTestId('ticket-customer');
      await header.filter({ hasText: ticket.customerName }).waitFor(wait);
      await header.click();
      await page.waitForURL(new RegExp(`/customers/${ticket.customerId}$`), wait);
      await page.getByTestId('customer-name').filter({ hasText: ticket.customerName }).waitFor(wait);
    });

    it('keeps the composer above the on-screen keyboard when the viewport shrinks at 390 wide', async () => {
      const page = await openPage(desk.browser, { baseURL: desk.server.url, width: 390, height: 844 });
      try {
        await signIn(page, { lang: 'zh-CN' });
        const conv = ((await api(page, '/api/conversations?limit=1')).items as Json[])[0];
        await page.goto(`/inbox?status=any&c=${conv.id}`);
        const input = page.getByTestId('composer-input');
        await input.waitFor(wait);
        await input.click();
        // The keyboard takes the lower part: the layout viewport shrinks (resizes-content) to what a
        // phone keeps above it (about 500 px; 420 with a suggestion bar).
        for (const height of [500, 420]) {
          await page.setViewportSize({ width: 390, height });
          await page.waitForTimeout(600);
          expect(await page.evaluate(() => window.innerHeight)).toBe(height);
          for (const id of ['composer-input', 'composer-send']) {
            const box = (await page.getByTestId(id).boundingBox())!;
            expect(box.y, `${id} at ${height}`).toBeGreaterThanOrEqual(0);
            expect(box.y + box.height, `${id} at ${height}`).toBeLessThanOrEqual(height);
          }
          // The page itself does not scroll: the thread shrinks and stays above the composer.
          expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(height + 1);
          expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('composer-input');
        }
        await page.keyboard.type('好的，马上为您处理');
        await screenshot(page, 'phone-composer-keyboard');
      } finally {
        await page.context().close();
      }
    });

    for (const lang of ['zh-CN', 'en'] as const)
      it(`fits the phone at 390×844 in ${lang}: canned replies, tickets with a views select`, async () => {
        const page = await openPage(desk.browser, { baseURL: desk.server.url, width: 390, height: 844 });
        try {
          await signIn(page, { lang });
          await page.goto('/settings/canned-replies');
          const create = page.getByTestId('create-canned');
          await create.waitFor(wait);
          expect(await create.textContent()).toBe(lang === 'en' ? 'New canned reply' : '新建快捷回复');
          await page.locator('.ant-table-row').first().waitFor(wait);
          expect(await overflow(page, 390)).toEqual([]);
          await screenshot(page, `phone-canned-replies-${lang}`);

          await page.goto('/tickets');
          const select = page.getByTestId('views-select');
          await select.waitFor(wait);
          expect(await page.getByTestId('views-rail').count()).toBe(0);
          // The list starts on the first screen, right under the select (the rail pushed it a screen down).
          const row = page.locator('.ant-table-row, .ant-list-item, [data-testid^="ticket-row"]').first();
          await row.waitFor(wait);
          const s = (await select.boundingBox())!;
          const r = (await row.boundingBox())!;
          expect(r.y).toBeGreaterThan(s.y);
          expect(r.y).toBeLessThan(700);
          expect(await overflow(page, 390)).toEqual([]);
          await screenshot(page, `phone-tickets-${lang}`);
          // The select switches views like the rail.
          await pickOption(page, select, lang === 'en' ? /^All$/ : /^全部$/, () =>
            page.waitForURL(/view=all/, { timeout: 10_000 }),
          );
          await expect.poll(() => select.textContent(), wait).toBe(lang === 'en' ? 'All' : '全部');
          await screenshot(page, `phone-tickets-views-${lang}`);
        } finally {
          await page.context().close();
        }
      });
  },
);
