/**
 * The reports page in a real browser against a real server with the living demo: the list per
 * type, the demo's monthly customer-service report (figures, ECharts charts, drilling from a figure
 * to the conversations behind it, into the inbox), a comparison of two periods side by side,
 * sign-off as the vendor, a PDF page rendered with pdftoppm, the live hot questions on
 * the reports page and the war room, at 1440×900 and 390×844, in Chinese and English; the demo's
 * daily health report from the list with every figure (zh-CN and English, desktop and phone), the monthly ops report's faults drilled to an incident's
 * page, and a question a shopper asks now showing in the live hot questions.
 * Screenshots: reports-*.png (look at them).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, describeWithBrowser, screenshot, screenshotDir, useDesk, type Json } from './support.ts';
import { confirmPopup } from './ui-retry.ts';
import { shopperWrites } from './shop.ts';

describeWithBrowser('reports console', () => {
  const desk = useDesk({ demoData: true, signIn: 'form', timeout: 200_000 });
  let page: Page;
  beforeAll(() => void (page = desk.page));

  it('lists the demo monthly report and opens it with real figures and charts', async () => {
    await page.goto('/reports');
    await page.getByTestId('report-row').first().waitFor();
    await page.getByTestId('live-hot-questions').waitFor();
    await screenshot(page, 'reports-list');
    await page.getByTestId('report-row').first().click();
    await page.getByTestId('report-title').filter({ hasText: '客服分析月报' }).waitFor();
    // Real figures: conversations were created in the demo's last month, and the charts are drawn.
    const created = page.getByTestId('report-figure').first();
    await expect
      .poll(async () => Number((await created.locator('.ant-statistic-content').innerText()).replace(/\D/g, '')))
      .toBeGreaterThan(10);
    const drawn = () =>
      page.locator('.report-chart').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points') ?? 0)));
    await expect.poll(async () => (await drawn()).filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('report-section').count()).toBeGreaterThanOrEqual(5);
    await page.waitForTimeout(800);
    await screenshot(page, 'reports-monthly-cs');
    await page
      .locator('[data-section="hot-questions"], [data-section="hot"]')
      .first()
      .scrollIntoViewIfNeeded()
      .catch(() => undefined);
    await page.screenshot({ path: join(screenshotDir, 'reports-monthly-cs-full.png'), fullPage: true });
  });

  it('drills from a figure to the conversations behind it, into the inbox', async () => {
    await page.locator('[data-testid="report-figure"][data-drill="conversations"]').first().click();
    const list = page.getByTestId('drill-list');
    await list.waitFor();
    expect(await list.locator('.ant-list-item').count()).toBeGreaterThan(10);
    await screenshot(page, 'reports-drill');
    const first = list.locator('.ant-list-item').first();
    const id = (await first.locator('[title^="cnv_"]').first().getAttribute('title'))!; // shown shortened, whole in the title
    await first.getByRole('link').click();
    await page.waitForURL((u) => u.pathname === '/inbox');
    expect(new URL(page.url()).searchParams.get('c')).toBe(id);
    await page.getByTestId('inbox').waitFor();
    await page.goBack();
    await page.getByTestId('report-view').waitFor();
  });

  it('compares two periods side by side and signs off as the vendor', async () => {
    const url = new URL(page.url());
    const reportId = url.searchParams.get('r')!;
    // A second month to compare with: the one before (produced on demand; the demo has no data there).
    const produced = await page.evaluate(async () => {
      const me = await (await fetch('/api/auth/me')).json();
      const start = new Date();
      start.setUTCMonth(start.getUTCMonth() - 2);
      const period = start.toISOString().slice(0, 7);
      const r = await fetch('/api/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ type: 'monthly-cs', period }),
      });
      return { status: r.status, body: await r.json() };
    });
    expect(produced.status).toBe(201);
    await page.goto(`/reports?type=monthly-cs&r=${reportId}&vs=${produced.body.id}`);
    await page.getByTestId('comparison').waitFor();
    expect(await page.getByTestId('report-body').count()).toBe(2);
    await expect.poll(() => page.getByTestId('comparison').locator('tbody tr').count()).toBeGreaterThan(5);
    await page.waitForTimeout(800);
    await screenshot(page, 'reports-compare');

    // The demo's administrator owns the installation: the vendor, never the merchant (a merchant's
    // own owner or admin signs for it: reports-vendor.e2e.test.ts).
    await page.goto(`/reports?type=monthly-cs&r=${reportId}`);
    const signVendor = page.getByRole('button', { name: /以服务商身份签字确认/ });
    await signVendor.waitFor();
    expect(await page.getByRole('button', { name: /以商户身份签字确认/ }).count()).toBe(0);
    await confirmPopup(page, signVendor, () => page.getByTestId('signed-vendor').waitFor({ timeout: 10_000 }));
    expect(await page.getByTestId('signed-vendor').innerText()).toContain('Administrator');
    await screenshot(page, 'reports-signed');
  });

  it('downloads every format; the PDF page renders', async () => {
    const reportId = new URL(page.url()).searchParams.get('r')!;
    const dir = join(screenshotDir, 'reports-pdf');
    mkdirSync(dir, { recursive: true });
    for (const format of ['html', 'pdf', 'csv', 'xlsx', 'json']) {
      const res = await page.request.get(`/api/reports/${reportId}/download?format=${format}`);
      expect(res.status(), format).toBe(200);
      const body = await res.body();
      expect(body.length, format).toBeGreaterThan(500);
      if (format === 'pdf') {
        expect(body.subarray(0, 5).toString()).toBe('%PDF-');
        const file = join(dir, 'monthly-cs.pdf');
        writeFileSync(file, body);
        execFileSync('pdftoppm', [
          '-png',
          '-r',
          '70',
          '-f',
          '1',
          '-l',
          '2',
          file,
          join(screenshotDir, 'reports-pdf-page'),
        ]);
      }
    }
  });

  it('works on a phone and in English, and the war room shows the live hot questions', async () => {
    const reportId = new URL(page.url()).searchParams.get('r')!;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await page.goto('/reports');
    await page.getByTestId('report-row').first().waitFor();
    await screenshot(page, 'reports-list-phone');
    await page.goto(`/reports?type=monthly-cs&r=${reportId}`);
    await page.getByTestId('report-title').waitFor();
    await page.waitForTimeout(800);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'reports-monthly-cs-phone');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await page.reload();
    await page.getByTestId('report-title').filter({ hasText: 'customer-service' }).waitFor();
    await page.waitForTimeout(800);
    await screenshot(page, 'reports-monthly-cs-phone-en');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/war-room');
    await page.getByTestId('live-hot-questions').waitFor();
    await screenshot(page, 'reports-war-room-live');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    expect(desk.session.problems).toEqual([]);
  });

  it("opens the demo's daily health report from the list with real figures", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/reports');
    await page.getByTestId('report-types').getByText('健康日报').click();
    await page.waitForURL((u) => u.searchParams.get('type') === 'daily');
    await page.getByTestId('report-row').first().click();
    await page.getByTestId('report-title').filter({ hasText: '健康日报' }).waitFor();
    // Yesterday's samples from the demo's monitoring history: API p99 and p95, peaks, in their units.
    const figure = (label: RegExp) =>
      page
        .locator('[data-section="performance"] [data-testid="report-figure"]')
        .filter({ hasText: label })
        .locator('.ant-statistic-content');
    expect(await figure(/^API p99/).innerText()).toMatch(/^\d[\d.,]* ms \/ \d[\d.,]* ms$/);
    expect(await figure(/^API p95/).innerText()).toMatch(/^\d[\d.,]* ms \/ \d[\d.,]* ms$/);
    expect(await figure(/^CPU 峰值/).innerText()).toMatch(/^\d+\.\d\d %$/);
    expect(await figure(/^磁盘最少剩余/).innerText()).toMatch(/^\d[\d,.]* GB$/);
    expect(await figure(/^请求数/).innerText()).toMatch(/^[1-9][\d,]* \/ \d+\.\d\d %$/);
    // The process's peaks from the demo's history (they read "-" while it lacked the series).
    expect(await figure(/^内存峰值/).innerText()).toMatch(/^[1-9][\d,]* MB$/);
    expect(await figure(/^事件循环延迟峰值/).innerText()).toMatch(/^\d[\d.,]* ms$/);
    // Availability of each built-in probe (the demo seeds them with their history); only the demo's
    // push probe, which is off, has no checks.
    const availability = page.locator('[data-section="availability"] tbody tr.ant-table-row');
    const rows = await availability.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())),
    );
    expect(rows.map((r) => r[0])).toEqual(['kefu-live', 'kefu-ready', 'kefu-widget', '订单同步任务']);
    for (const r of rows.slice(0, 3)) expect(r.at(-1), r[0]).toMatch(/^\d+\.\d\d %$/);
    expect(rows[3]!.at(-1)).toBe('无检测'); // the console shows the reader's language
    // The anomaly flags see a week of reference: the two blips planted yesterday, nothing else.
    const flagged = page.locator('[data-section="anomalies"] tbody tr.ant-table-row');
    expect(await flagged.count()).toBe(2);
    await page.waitForTimeout(800);
    await screenshot(page, 'reports-daily');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await page.reload();
    await page.getByTestId('report-title').filter({ hasText: 'health' }).waitFor();
    await page.waitForTimeout(800);
    await screenshot(page, 'reports-daily-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId('report-title').filter({ hasText: 'health' }).waitFor();
    await page.waitForTimeout(800);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'reports-daily-phone-en');
    await page.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    await page.reload();
    await page.getByTestId('report-title').filter({ hasText: '健康日报' }).waitFor();
    await page.waitForTimeout(800);
    await screenshot(page, 'reports-daily-phone');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("drills from the monthly ops report's faults to an incident's page", async () => {
    // The month under way (provisional) holds an incident declared now: the demo's own are minutes
    // to days old, so in a month's first minutes the month under way would have none.
    await call(page, 'POST', '/api/ops/incidents', { title: '支付回调延迟（报表钻取）', severity: 'P3' });
    await page.goto('/reports?type=monthly-ops');
    await page.getByTestId('open-provisional').click();
    await page.getByTestId('report-title').filter({ hasText: '运维月报' }).waitFor();
    const faults = page.locator('[data-section="faults"]');
    await faults.waitFor();
    const listed = await faults.locator('tbody').last().innerText();
    await faults.locator('[data-testid="report-figure"][data-drill="incidents"]').click();
    const list = page.getByTestId('drill-list');
    await list.waitFor();
    const first = list.locator('.ant-list-item').first();
    const id = (await first.locator('[title^="inc_"]').first().getAttribute('title'))!;
    const incident = await call(page, 'GET', `/api/ops/incidents/${id}`);
    // The report's incident list names it by number and title.
    expect(listed).toContain(`#${incident.number as number}`);
    expect(listed).toContain(incident.title as string);
    await first.getByRole('link', { name: '打开故障' }).click();
    await page.waitForURL((u) => u.pathname === `/ops/incidents/${id}`);
    await page
      .getByText(`#${incident.number as number}`, { exact: true })
      .first()
      .waitFor();
    await page
      .getByText(incident.title as string)
      .first()
      .waitFor();
    expect(desk.session.problems).toEqual([]);
  });

  it('shows a question a shopper asks now in the live hot questions', async () => {
    const inboxes = (await call(page, 'GET', '/api/inboxes')).items as Json[];
    const demo = inboxes.find((i) => i.identitySecret)!;
    // The knowledge base's entry "羽绒服怎么洗？" labels the cluster (the bot's own matcher).
    const label = '羽绒服怎么洗？';
    const panel = page.getByTestId('live-last15m');
    const countNow = async () => {
      const item = panel.getByTestId('hot-question').filter({ hasText: label });
      if (!(await item.count())) return 0;
      return Number((await item.locator('.ant-typography-secondary').innerText()).replace(/\D/g, ''));
    };
    await page.goto('/reports');
    await panel.waitFor();
    const before = await countNow();
    const sockets = [];
    for (const [n, text] of ['羽绒服怎么洗？', '请问羽绒服怎么洗？'].entries())
      sockets.push(
        (
          await shopperWrites(desk.server.url, {
            publicId: demo.publicId as string,
            visitorId: `e2e-reports-live-visitor-${n}`,
            origin: desk.server.url,
            text,
          })
        ).socket,
      );
    // The panel refreshes every 30 s; a reload reads it at once.
    await expect
      .poll(
        async () => {
          await page.reload();
          await panel.waitFor();
          return countNow();
        },
        { timeout: 40_000, interval: 3_000 },
      )
      .toBe(before + 2);
    for (const s of sockets) s.close();
    await screenshot(page, 'reports-live');
  });
});
