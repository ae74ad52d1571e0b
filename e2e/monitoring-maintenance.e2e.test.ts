/**
 * Maintenance windows in the console, in a real browser against a real server: create a one-off
 * window and a weekly one, edit one, end a running one early, delete one; each change is checked
 * in the configuration the server keeps (GET /api/ops/config). A silence is ended now after a
 * confirmation (its end time and the audit entry checked). In Chinese and English, at
 * 1440×900 and 390×844. Screenshots: docs/screenshots/monitoring-maintenance*.png.
 */
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeWithBrowser, screenshot, useDesk } from './support.ts';
import { confirmPopup } from './ui-retry.ts';

type Window = { name: string; startsAt?: string; endsAt?: string; recurring?: { weekdays: number[]; start: string } };

describeWithBrowser('maintenance windows in the console', () => {
  const desk = useDesk({ signIn: 'form' });
  let page: Page;
  beforeAll(() => void (page = desk.page));
  const windows = async (): Promise<Window[]> => (await (await page.request.get('/api/ops/config')).json()).maintenance;
  const byName = async (name: string) => (await windows()).find((w) => w.name === name);
  const row = (name: string) => page.locator('tr').filter({ hasText: name });
  const modal = () => page.getByRole('dialog');
  const ok = (scope: ReturnType<Page['locator']>) => scope.getByRole('button', { name: /保\s*存|Save/ });

  it('creates, edits, ends early and deletes maintenance windows', { timeout: 180_000 }, async () => {
    await page.goto('/ops/monitoring');
    await page.getByRole('tab', { name: '静默与维护' }).click();
    await page.getByText('维护窗口').first().waitFor();

    // A one-off window, running now for two hours (the form's default range), on one component.
    await page.getByRole('button', { name: '新建维护窗口' }).click();
    await modal().getByLabel('名称').fill('db-upgrade');
    await modal().getByLabel('标签').fill('component');
    await modal().getByLabel('值').fill('database');
    await ok(modal()).click();
    await row('db-upgrade').waitFor();
    await expect.poll(() => row('db-upgrade').textContent()).toMatch(/进行中/);
    const created = (await byName('db-upgrade'))!;
    expect(Date.parse(created.endsAt!) - Date.parse(created.startsAt!)).toBeGreaterThan(115 * 60_000);
    expect(created).toMatchObject({ matchers: [{ name: 'component', value: 'database' }] });

    // A weekly window: Tuesdays and Thursdays from 02:00 for 2 hours.
    await page.getByRole('button', { name: '新建维护窗口' }).click();
    await modal().getByLabel('名称').fill('nightly-patch');
    await modal().getByText('每周', { exact: true }).click();
    await modal().getByLabel('周二').check();
    await modal().getByLabel('周四').check();
    await modal().getByLabel('时长').fill('90m');
    await ok(modal()).click();
    await expect.poll(() => row('nightly-patch').textContent()).toMatch(/每周 周二,周四 02:00 起 90m/);
    expect((await byName('nightly-patch'))!.recurring).toMatchObject({ weekdays: [2, 4], start: '02:00' });
    await screenshot(page, 'monitoring-maintenance');

    // Edit: it starts at 03:30 instead (the name stays).
    await row('nightly-patch').getByRole('button', { name: '编辑' }).click();
    expect(await modal().getByLabel('名称').isDisabled()).toBe(true);
    await modal().getByLabel('开始时间').fill('03:30');
    await ok(modal()).click();
    await expect.poll(() => row('nightly-patch').textContent()).toMatch(/03:30 起 90m/);
    expect((await byName('nightly-patch'))!.recurring!.start).toBe('03:30');

    // A bad start time is refused at the field, nothing saved.
    await row('nightly-patch').getByRole('button', { name: '编辑' }).click();
    await modal().getByLabel('开始时间').fill('25:00');
    await ok(modal()).click();
    await modal().locator('.ant-form-item-explain-error').first().waitFor();
    await page.keyboard.press('Escape');
    expect((await byName('nightly-patch'))!.recurring!.start).toBe('03:30');

    // End the running window early: it ends now and shows as ended.
    await row('db-upgrade').getByRole('button', { name: '立即结束' }).click();
    await expect.poll(() => row('db-upgrade').textContent()).toMatch(/已结束/);
    expect(Date.parse((await byName('db-upgrade'))!.endsAt!)).toBeLessThanOrEqual(Date.now());

    // Delete: gone from the list and from the configuration.
    await confirmPopup(page, row('db-upgrade').getByRole('button', { name: /删\s*除/ }), () =>
      expect.poll(() => row('db-upgrade').count(), { timeout: 10_000 }).toBe(0),
    );
    expect(await byName('db-upgrade')).toBeUndefined();
    expect(await byName('nightly-patch')).toBeDefined();

    // On a phone, and in English.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await page.reload();
    await page.getByRole('tab', { name: '静默与维护' }).click();
    await row('nightly-patch').scrollIntoViewIfNeeded();
    await page.waitForTimeout(800);
    await screenshot(page, 'monitoring-maintenance-phone');
    await row('nightly-patch').getByRole('button', { name: '编辑' }).click();
    await modal().getByLabel('开始时间').waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, 'monitoring-maintenance-editor-phone');
    await page.keyboard.press('Escape');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'open'));
    await page.reload();
    await page.getByRole('tab', { name: 'Silences & maintenance' }).click();
    await expect.poll(() => row('nightly-patch').textContent()).toMatch(/Weekly on Tue,Thu from 03:30 for 90m/);
    await page.getByRole('button', { name: 'New window' }).waitFor();
    await screenshot(page, 'monitoring-maintenance-en');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    expect(desk.session.problems).toEqual([]);
  });

  it('ends a silence now, after a confirmation', { timeout: 120_000 }, async () => {
    const silences = async (): Promise<{ name: string; endsAt: string }[]> =>
      (await (await page.request.get('/api/ops/config')).json()).silences;
    await page.goto('/ops/monitoring');
    await page.getByRole('tab', { name: '静默与维护' }).click();
    const form = page.locator('.ant-card').filter({ hasText: '新建静默' });
    await form.getByLabel('名称').fill('deploy-freeze');
    await form.getByLabel('值').fill('web_chat');
    await form.getByLabel('原因').fill('release');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await row('deploy-freeze').getByRole('button', { name: '立即结束' }).waitFor();
    const scheduled = Date.parse((await silences()).find((x) => x.name === 'deploy-freeze')!.endsAt);
    expect(scheduled).toBeGreaterThan(Date.now() + 60 * 60_000);

    // The confirmation names it; cancelling changes nothing.
    await row('deploy-freeze').getByRole('button', { name: '立即结束' }).click();
    const confirm = page.locator('.ant-popconfirm');
    await expect.poll(() => confirm.textContent()).toContain('deploy-freeze');
    await confirm.getByRole('button', { name: /取\s*消|Cancel/ }).click();
    expect(Date.parse((await silences()).find((x) => x.name === 'deploy-freeze')!.endsAt)).toBe(scheduled);

    await confirmPopup(page, row('deploy-freeze').getByRole('button', { name: '立即结束' }), () =>
      expect.poll(() => row('deploy-freeze').textContent(), { timeout: 10_000 }).toMatch(/已结束/),
    );
    expect(Date.parse((await silences()).find((x) => x.name === 'deploy-freeze')!.endsAt)).toBeLessThanOrEqual(
      Date.now(),
    );
    const audit = (await (await page.request.get('/api/audit?action=ops_silence.ended')).json()).items;
    expect(audit.map((x: { data: { name: string } }) => x.data.name)).toEqual(['deploy-freeze']);
    expect(desk.session.problems).toEqual([]);
  });
});
