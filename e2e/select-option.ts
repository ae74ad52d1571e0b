/** Picking an option of an antd Select in the e2e suites. */
import type { Locator, Page } from 'playwright-core';

/**
 * Opens `select` and clicks its option `name` until `done` holds, at most four times: on a loaded
 * machine a click on an option can be lost under a redraw of the page (the inbox's label filter and
 * the tickets' views select on a phone, once each in one full run). An option already selected is
 * not clicked again (a multiple select would drop it). `done` waits with its own timeout.
 */
export async function pickOption(
  page: Page,
  select: Locator,
  name: string | RegExp,
  done: () => Promise<unknown>,
): Promise<void> {
  const option = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: name })
    .first();
  for (let attempt = 1; ; attempt++) {
    if (!(await option.isVisible())) await select.click({ timeout: 5_000 }).catch(() => undefined);
    if ((await option.getAttribute('aria-selected', { timeout: 5_000 }).catch(() => null)) !== 'true')
      await option.click({ timeout: 5_000 }).catch(() => undefined);
    try {
      await done();
      return;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
}
