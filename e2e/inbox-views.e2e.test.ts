/**
 * Saved inbox views in the browser (issue 16): at 1440×900 and 390×844 an administrator filters
 * the inbox by two labels, saves the filters as a view, sees its conversations and its count,
 * picks it again from another tab, renames and deletes it. And a saved ticket view can be deleted
 * on a phone (the phone's views select had no delete button). The customer-merge dialog links to
 * the duplicate it names (issue 16: every module that shows a customer links to their page).
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { call, describeWithBrowser, type Json, openPage, screenshot, signIn, useDesk } from './support.ts';
import { confirmPopup, pickPhoneView } from './ui-retry.ts';

const wait = { timeout: 20_000 };

async function saveAndDeleteView(page: Page, size: string) {
  const labels = (await call(page, 'GET', '/api/conversation-labels')).items as { id: string; name: string }[];
  const picked = labels.filter((l) => l.name === '退换货' || l.name === '发票');
  expect(picked).toHaveLength(2);
  await page.goto('/inbox?status=any');
  await page.getByTestId('conversation-row').first().waitFor(wait);
  // The demo's shared views are there, with their counts.
  await page.getByTestId('inbox-view').filter({ hasText: '退货退款' }).waitFor(wait);

  // Two labels in the filter: the conversations carrying either.
  const filter = page.getByTestId('label-filter');
  await filter.click();
  for (const l of picked) await page.locator('.ant-select-item-option').filter({ hasText: l.name }).click(wait);
  await page.keyboard.press('Escape');
  await page.waitForURL((url) => (url.searchParams.get('label') ?? '').split(',').length === 2, wait);
  const expected = (
    await call(page, 'GET', `/api/conversations?labelIds=${picked.map((l) => l.id).join(',')}&limit=100`)
  ).items as { labelIds: string[] }[];
  expect(expected.length).toBeGreaterThan(2);
  expect(expected.every((c) => c.labelIds.some((id) => picked.some((l) => l.id === id)))).toBe(true);
  await expect.poll(() => page.getByTestId('conversation-row').count(), wait).toBe(expected.length);

  // Saved as a view: it appears, marked, with the same count.
  const name = `售后 ${size}`;
  await page.getByTestId('inbox-view-save').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('view-name').fill(name);
  await screenshot(page, `inbox-view-save-${size}`);
  await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
  await dialog.waitFor({ state: 'hidden', ...wait });
  const chip = page.getByTestId('inbox-view').filter({ hasText: name });
  await chip.waitFor(wait);
  await expect.poll(() => chip.getAttribute('aria-pressed'), wait).toBe('true');
  expect(await chip.getByTestId('inbox-view-count').textContent()).toBe(String(expected.length));
  const saved = ((await call(page, 'GET', '/api/inbox-views')).items as { name: string; query: object }[]).find(
    (v) => v.name === name,
  );
  expect(saved?.query).toEqual({ status: 'any', labelIds: picked.map((l) => l.id) });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    page.viewportSize()!.width,
  );
  await screenshot(page, `inbox-views-${size}`);

  // Elsewhere (the open ones, no labels), then back to the view by its button.
  await page.goto('/inbox');
  await page.getByTestId('conversation-row').first().waitFor(wait);
  await chip.click();
  await page.waitForURL(/label=/, wait);
  await expect.poll(() => page.getByTestId('conversation-row').count(), wait).toBe(expected.length);

  // Renamed, then deleted.
  await page.getByTestId('inbox-view-edit').click();
  await dialog.getByTestId('view-name').fill(`${name} 改`);
  await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
  await dialog.waitFor({ state: 'hidden', ...wait });
  const renamed = page.getByTestId('inbox-view').filter({ hasText: `${name} 改` });
  await renamed.waitFor(wait);
  await page.getByTestId('inbox-view-edit').click();
  await confirmPopup(page, dialog.getByTestId('view-delete'), () =>
    dialog.waitFor({ state: 'hidden', timeout: 10_000 }),
  );
  await renamed.waitFor({ state: 'detached', ...wait });
  const left = (await call(page, 'GET', '/api/inbox-views')).items as { name: string }[];
  expect(left.map((v) => v.name).sort()).toEqual(['我的待处理', '退货退款']);
}

describeWithBrowser('saved inbox views', () => {
  const desk = useDesk({ demoData: true, signIn: 'form' });

  it('saves the inbox filters with two labels as a view, counts it, renames and deletes it (1440×900)', async () => {
    await saveAndDeleteView(desk.page, '1440');
  });

  it('does the same on a phone (390×844)', async () => {
    const page = await openPage(desk.browser, { baseURL: desk.server.url, width: 390, height: 844 });
    try {
      await signIn(page);
      await saveAndDeleteView(page, '390');
    } finally {
      await page.context().close();
    }
  });

  it('deletes a saved ticket view on a phone', async () => {
    const page = await openPage(desk.browser, { baseURL: desk.server.url, width: 390, height: 844 });
    try {
      await signIn(page);
      const view = await call(page, 'POST', '/api/ticket-views', { name: '加急工单', query: { priority: 'urgent' } });
      await page.goto('/tickets');
      await pickPhoneView(page, '加急工单');
      await screenshot(page, 'ticket-view-delete-390');
      await confirmPopup(page, page.getByTestId('view-delete'), () =>
        expect
          .poll(async () => ((await call(page, 'GET', '/api/ticket-views')).items as { id: string }[]).length, {
            timeout: 10_000,
          })
          .toBe(0),
      );
      await expect.poll(() => page.getByTestId('view-delete').count(), wait).toBe(0);
      expect(view.id).toBeTruthy();
    } finally {
      await page.context().close();
    }
  });

  it('links the merge dialog to the duplicate it names', async () => {
    const page = desk.page;
    const customers = (await call(page, 'GET', '/api/customers?limit=50')).items as Json[];
    const [kept, duplicate] = customers.filter((c) => c.name && c.email);
    await page.goto(`/customers/${kept.id}`);
    await page.getByTestId('customer-merge').click(wait);
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('customer-picker').click();
    await page.keyboard.type(duplicate.email as string);
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: duplicate.name as string })
      .click(wait);
    const link = dialog.getByTestId('merge-other-link');
    await link.waitFor(wait);
    expect(await link.textContent()).toContain(duplicate.name);
    expect(await link.getAttribute('href')).toBe(`/customers/${duplicate.id}`);
    await screenshot(page, 'customer-merge-link');
    // It opens the duplicate's page (in a new tab), and nothing was merged.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await tab
      .getByTestId('customer-name')
      .filter({ hasText: duplicate.name as string })
      .waitFor(wait);
    await tab.close();
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    expect((await call(page, 'GET', `/api/customers/${duplicate.id}`)).id).toBe(duplicate.id);
  });
});
