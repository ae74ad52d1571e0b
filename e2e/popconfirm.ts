/** Confirming an antd Popconfirm (删除 → 确定) in the e2e suites. */
import type { Locator, Page } from 'playwright-core';

/**
 * Opens `trigger`'s confirmation and presses its OK until `done` resolves, at most four times: on
 * a loaded machine a press on 确定 during the popup's opening animation can miss (the reports
 * sign-off at load 10), and once in CI the popup of the inbox view's delete button on a phone
 * never became clickable in 30 s. Only a popup that is shown counts (closed ones stay in the page,
 * hidden). `done` waits for what the confirmation does, with its own timeout.
 */
export async function confirmPopup(
  page: Page,
  trigger: Locator,
  done: () => Promise<unknown>,
  ok: RegExp = /^(确\s*定|OK)$/,
): Promise<void> {
  const button = page.locator('.ant-popconfirm:not(.ant-popover-hidden)').getByRole('button', { name: ok });
  for (let attempt = 1; ; attempt++) {
    // A trigger gone or a button not shown is not the failure: `done` says whether it worked.
    if (!(await button.isVisible())) await trigger.click({ timeout: 5_000 }).catch(() => undefined);
    await button.click({ timeout: 5_000 }).catch(() => undefined);
    try {
      await done();
      return;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
}
