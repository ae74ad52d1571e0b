/**
 * The backups page in a real browser against the real server (demo data, a backup key set): the
 * installation owner sees the targets and a week of history, starts a backup and watches it finish,
 * reads the drill report and the restore command, and opens the form of an S3 target. Screenshots
 * at 1440×900 and 390×844, in Chinese and English.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeWithBrowser, screenshot, useDesk } from './support.ts';

const wait = { timeout: 30_000 };

describeWithBrowser('backups console', () => {
  const desk = useDesk({
    signIn: 'api',
    env: { KEFU_BACKUP_KEY: 'e2e backup key, long enough to be accepted by kefu' },
  });
  let page: Page;
  beforeAll(() => void (page = desk.page));

  afterAll(async () => {
    // The demo's local target lives beside the server's data folder: removed once the server has stopped.
    const status = await page?.request.get('/api/backups/targets').catch(() => null);
    const local = status?.ok()
      ? ((await status.json()) as { items: { kind: string; settings: { path?: string } }[] }).items.find(
          (x) => x.kind === 'local',
        )
      : undefined;
    await desk.close();
    if (local?.settings.path) rmSync(local.settings.path, { recursive: true, force: true });
  });

  it('shows targets and history, runs a backup to the end, and gives the restore command', async () => {
    await page.goto('/ops/backups');
    await page.getByText('local-nightly').first().waitFor(wait);
    await expect(page.getByText('shanghai-offsite').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('最近一次校验通过', { exact: false }).count()).resolves.toBe(1);
    await screenshot(page, 'backups');

    await page.getByTestId('backup-now-local-nightly').click();
    // The worker picks the run up; the history polls until it is done.
    const done = page
      .locator('.ant-table-row', { hasText: '备份' })
      .filter({ hasText: '成功' })
      .filter({ hasNotText: '定时' });
    await done.first().waitFor(wait);
    // The restore guide reads the target: the new backup with its command.
    const command = page.getByText(/^kefu restore bak_\w+ --target local-nightly --to \/srv\/kefu-restored$/);
    await command.first().waitFor(wait);
    await screenshot(page, 'backups-after-run');

    // The drill report of the demo's quarterly drill.
    const drillRow = page.locator('.ant-table-row', { hasText: '恢复演练 · 定时' }).first();
    await drillRow.locator('.ant-table-row-expand-icon').click();
    await page.getByText('RTO（恢复到可用）').waitFor(wait);
    await page.getByText('各表行数（恢复/备份）').scrollIntoViewIfNeeded();
    await screenshot(page, 'backups-drill-report');
  }, 120_000);

  it('edits an S3 target in a drawer that keeps secrets write-only', async () => {
    await page.goto('/ops/backups');
    await page
      .getByRole('button', { name: /添加目标/ })
      .first()
      .click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('类型').click();
    await page.locator('.ant-select-item-option', { hasText: 'S3 兼容存储' }).click();
    await drawer.getByLabel('名称').fill('oss-hangzhou');
    await drawer.getByLabel('服务地址（Endpoint）').fill('https://oss-cn-hangzhou.aliyuncs.com');
    await drawer.getByLabel('存储桶').fill('kefu-backup');
    await drawer.getByLabel('Access Key ID').fill('LTAI5tExample');
    await drawer.getByLabel('Secret Access Key').fill('an-example-secret');
    await screenshot(page, 'backups-target-s3');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await page.locator('.ant-table-row', { hasText: 'oss-hangzhou' }).waitFor(wait);
    const listed = await (await page.request.get('/api/backups/targets')).text();
    expect(listed).toContain('"secrets":["secretAccessKey"]');
    expect(listed).not.toContain('an-example-secret');
  }, 60_000);

  it('fits a phone and reads in English', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await page.goto('/ops/backups');
    await page.getByText('local-nightly').first().waitFor(wait);
    await screenshot(page, 'backups-mobile');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate(() => {
      localStorage.setItem('kefu.lang', 'en');
      localStorage.setItem('kefu.sider', 'open');
    });
    await page.goto('/ops/backups');
    await page.getByText('Backups and restores').first().waitFor(wait);
    await screenshot(page, 'backups-english');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    expect(desk.session.problems).toEqual([]);
  }, 60_000);
});
