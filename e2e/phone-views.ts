/** The phone's views select (tickets and inbox): one select above the list instead of the views rail. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Picks the view `name` from the phone's views select (`views-select`) until the select shows it: on
 * a loaded machine the list was redrawn under the click (the saved views arrive after the page) and
 * the pick did not take, in two suites.
 */
export async function pickPhoneView(page: Page, name: string | RegExp): Promise<void> {
  const select = page.getByTestId('views-select');
  const chosen = select.filter({ hasText: name });
  await expect
    .poll(
      async () => {
        if (await chosen.count()) return true;
        await select.click({ timeout: 20_000 });
        const option = page.locator('.ant-select-item-option').filter({ hasText: name });
        await option.click({ timeout: 5_000 }).catch(() => page.keyboard.press('Escape'));
        return (await chosen.count()) > 0;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
}
