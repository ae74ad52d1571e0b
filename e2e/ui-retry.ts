/**
 * Antd controls the browser tests operate again until what they do shows: on a loaded machine a
 * click can be lost (a confirmation's 确定 during its opening animation, a Select's option under a
 * redraw of the page). Each step is retried at most four times; `done` waits with its own timeout
 * and its error is the test's.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

async function repeatUntil(step: () => Promise<void>, done: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await step();
    try {
      await done();
      return;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
}

/**
 * Opens `trigger`'s confirmation (Popconfirm) and presses its OK until `done` holds. Only a popup
 * that is shown counts (closed ones stay in the page, hidden). Seen: the reports sign-off at load 10,
 * and in CI the inbox view's delete on a phone, whose 确定 never became clickable in 30 s.
 */
export function confirmPopup(
  page: Page,
  trigger: Locator,
  done: () => Promise<unknown>,
  ok: RegExp = /^(确\s*定|OK)$/,
): Promise<void> {
  const button = page.locator('.ant-popconfirm:not(.ant-popover-hidden)').getByRole('button', { name: ok });
  return repeatUntil(async () => {
    // A trigger gone or a button not shown is not the failure: `done` says whether it worked.
    if (!(await button.isVisible())) await trigger.click({ timeout: 5_000 }).catch(() => undefined);
    await button.click({ timeout: 5_000 }).catch(() => undefined);
  }, done);
}

/**
 * Presses a modal's `close` button until the modal is hidden. Seen: the privacy history dialog's
 * 关闭 pressed during the modal's opening animation in a full run, and the dialog stayed open.
 */
export function closeDialog(dialog: Locator, close: Locator): Promise<void> {
  return repeatUntil(
    () => close.click({ timeout: 5_000 }).catch(() => undefined),
    () => dialog.waitFor({ state: 'hidden', timeout: 5_000 }),
  );
}

/**
 * Opens `select` and clicks its option `name` until `done` holds. An option already selected is not
 * clicked again (a multiple select would drop it). Seen: the inbox's label filter and the views
 * select on a phone.
 */
export function pickOption(
  page: Page,
  select: Locator,
  name: string | RegExp,
  done: () => Promise<unknown>,
): Promise<void> {
  const option = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: name })
    .first();
  return repeatUntil(async () => {
    if (!(await option.isVisible())) await select.click({ timeout: 5_000 }).catch(() => undefined);
    if ((await option.getAttribute('aria-selected', { timeout: 5_000 }).catch(() => null)) !== 'true')
      await option.click({ timeout: 5_000 }).catch(() => undefined);
  }, done);
}

/** Picks the view `name` from the phone's views select (tickets and inbox) until the select shows it. */
export async function pickPhoneView(page: Page, name: string | RegExp): Promise<void> {
  const select = page.getByTestId('views-select');
  const shown = () => select.filter({ hasText: name }).count();
  if (await shown()) return;
  await pickOption(page, select, name, () => expect.poll(shown, { timeout: 5_000 }).toBeGreaterThan(0));
}
