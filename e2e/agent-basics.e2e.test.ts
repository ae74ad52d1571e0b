/**
 * Agent basics in the browser (issue 16). Conversation labels: an admin keeps them in settings, an
 * agent ticks them on a conversation, the inbox filters by one; at 1440×900 and 390×844, in both
 * languages. @mentions: the note composer's picker, by keyboard, and the announced mention.
 * And defect 10 where lint cannot see it: every label's `for` names an element in the drawers
 * and dialogs (the SLA calendar drawer was the case found).
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { danglingLabels, describeWithBrowser, openPage, screenshot, signIn, useDesk } from './support.ts';
import { pickOption } from './ui-retry.ts';

const wait = { timeout: 20_000 };

const api = (page: Page, url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url);

describeWithBrowser('agent basics: conversation labels, @mentions in notes, labelled controls', () => {
  const desk = useDesk({ demoData: true });
  beforeAll(() => signIn(desk.page, { lang: 'zh-CN' }));

  it('keeps labels in settings: creates one with a colour, and the dialog labels its controls', async () => {
    const page = desk.page;
    await page.goto('/settings/labels');
    await page.getByTestId('label-row').first().waitFor(wait);
    expect(await page.getByTestId('label-row').count()).toBe(5); // the demo's
    await page.getByTestId('create-label').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('label-name').fill('催发货');
    await dialog.locator('.ant-radio-button-wrapper').filter({ hasText: '紫' }).click();
    await dialog.getByTestId('label-preview').filter({ hasText: '催发货' }).waitFor(wait);
    expect(await danglingLabels(page)).toEqual([]);
    await screenshot(page, 'labels-create');
    await dialog.getByRole('button', { name: /^新\s*建$/ }).click();
    await dialog.waitFor({ state: 'hidden', ...wait });
    await page.getByTestId('label-row').filter({ hasText: '催发货' }).waitFor(wait);
    await screenshot(page, 'labels-settings');
    const labels = (await api(page, '/api/conversation-labels')).items as { name: string; color: string }[];
    expect(labels.find((l) => l.name === '催发货')?.color).toBe('purple');
  });

  it('ticks a label on a conversation, shows it on the row and in the header, and filters the inbox by it', async () => {
    const page = desk.page;
    await page.goto('/inbox?status=any');
    await page.getByTestId('conversation-row').first().waitFor(wait);
    // The demo's labels show on the rows.
    await page.getByTestId('conversation-row').getByTestId('conversation-label').first().waitFor(wait);
    await page.getByTestId('conversation-row').first().click();
    await page.getByTestId('label-picker').click();
    await page.locator('.ant-dropdown-menu-item').filter({ hasText: '催发货' }).click();
    const header = page.getByTestId('conversation-view').getByTestId('conversation-label');
    await header.filter({ hasText: '催发货' }).waitFor(wait);
    await page.keyboard.press('Escape');
    const id = new URL(page.url()).searchParams.get('c')!;
    const conv = await api(page, `/api/conversations/${id}`);
    const all = (await api(page, '/api/conversation-labels')).items as { id: string; name: string }[];
    const urge = all.find((l) => l.name === '催发货')!;
    expect(conv.labelIds).toContain(urge.id);
    await screenshot(page, 'inbox-labels');

    // Filter: only the labelled conversation is listed, and the URL keeps the filter.
    await pickOption(page, page.getByTestId('label-filter'), '退换货', () =>
      page.waitForURL(/label=/, { timeout: 10_000 }),
    );
    const returns = all.find((l) => l.name === '退换货')!;
    const expected = (await api(page, `/api/conversations?labelIds=${returns.id}&limit=100`)).items.length;
    expect(expected).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('conversation-row').count(), wait).toBe(expected);
    await screenshot(page, 'inbox-label-filter');
    const audit = await api(page, '/api/audit?action=conversation.labeled');
    expect(audit.items[0].data).toEqual({ added: [urge.id], removed: [] });
  });

  it('mentions a colleague in a note with the @ picker (keyboard), and the mention is announced', async () => {
    const page = desk.page;
    await page.goto('/inbox?status=any');
    await page.getByTestId('conversation-row').first().click();
    await page.getByTestId('composer-mode').getByText('内部备注').click();
    const input = page.getByTestId('composer-input');
    await input.click();
    await page.keyboard.type('请 @林');
    const picker = page.getByTestId('mention-picker');
    await picker.waitFor(wait);
    const options = picker.getByTestId('mention-option');
    await expect.poll(() => options.first().textContent(), wait).toContain('客服小雨');
    await screenshot(page, 'inbox-mention-picker');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden', ...wait });
    expect(await input.inputValue()).toBe('请 @客服小雨 ');
    await page.keyboard.type('帮忙跟进物流');
    await page.keyboard.press('Enter');
    const people = (await api(page, '/api/mentionable-users')).items as { id: string; accountName: string }[];
    const lin = people.find((p) => p.accountName === '林小雨')!;
    await expect
      .poll(async () => (await api(page, '/api/audit?action=conversation.mentioned')).items.length, wait)
      .toBe(1);
    const [entry] = (await api(page, '/api/audit?action=conversation.mentioned')).items;
    expect(entry.data.userIds).toEqual([lin.id]);
  });

  it('shows labels on a phone and in English', async () => {
    for (const [lang, w, h] of [
      ['zh-CN', 390, 844],
      ['en', 1440, 900],
      ['en', 390, 844],
    ] as const) {
      const page = await openPage(desk.browser, { baseURL: desk.server.url, width: w, height: h });
      try {
        await signIn(page, { lang });
        await page.goto('/inbox'); // open ones: the demo's labelled conversations are among them
        await page.getByTestId('conversation-row').getByTestId('conversation-label').first().waitFor(wait);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
        await screenshot(page, `inbox-labels-${lang}-${w}`);
        await page.goto('/settings/labels');
        await page.getByTestId('label-row').first().waitFor(wait);
        if (lang === 'en') await page.getByText('Conversation labels').first().waitFor(wait);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
        await screenshot(page, `labels-settings-${lang}-${w}`);
      } finally {
        await page.context().close();
      }
    }
  }, 400_000); // three browser contexts, each signing in, on a loaded machine

  it('points every label of the SLA calendar drawer at a control that exists (defect 10)', async () => {
    const page = desk.page;
    await page.goto('/settings/sla');
    await page.getByTestId('create-calendar').click();
    await page.getByTestId('calendar-name').waitFor(wait);
    await page.waitForTimeout(500);
    expect(await page.locator('.ant-drawer label').count()).toBeGreaterThan(2);
    expect(await danglingLabels(page)).toEqual([]);
    await screenshot(page, 'sla-calendar-drawer');
  });
});
