/**
 * The vendor signs a merchant's report from the home workspace, in a real browser: the
 * installation's owner creates a merchant workspace, whose own admin produces a daily report and
 * signs it for the merchant; the vendor picks the merchant in the reports page's workspace
 * picker, opens the report and signs it for the vendor; the merchant sees both sign-offs and its
 * audit log names the vendor; the month under way is shown as provisional. At 1440×900 and 390×844, in Chinese and English.
 * Screenshots: reports-vendor-*.png (look at them).
 */
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call, describeWithBrowser, openPage, screenshot, signIn, useDesk, type Json } from './support.ts';
import { confirmPopup } from './ui-retry.ts';

describeWithBrowser('the vendor signs a merchant report', () => {
  const desk = useDesk({ signIn: 'form' });
  let vendor: Page;
  let merchant: Page;
  let shop: string;
  let report: string;
  const admin = { email: 'boss@xinghe-baby.example.com', password: 'Xinghe-Merchant-Passw0rd!' };

  beforeAll(async () => {
    vendor = desk.page;
    const created = await call(vendor, 'POST', '/api/workspaces', {
      name: '星河母婴旗舰店',
      slug: 'xinghe-baby',
      admin: { ...admin, name: '林店长' },
    });
    shop = created.workspace.id as string;
    merchant = await openPage(desk.browser, { width: 1440, height: 900, baseURL: desk.server.url });
    await signIn(merchant, admin);
    const yesterday = new Date(Date.now() - 86400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    report = ((await call(merchant, 'POST', '/api/reports', { type: 'daily', period: yesterday })) as Json).id;
  }, 120_000);

  /** Signs with the button named `as`, confirmed, until the sign-off `signed` shows. */
  const sign = (page: Page, as: RegExp, signed: string) =>
    confirmPopup(page, page.getByRole('button', { name: as }), () =>
      page.getByTestId(signed).waitFor({ timeout: 10_000 }),
    );

  it("the merchant's admin signs for the merchant only", async () => {
    await merchant.goto(`/reports?type=daily&r=${report}`);
    await merchant.getByTestId('report-title').waitFor();
    expect(await merchant.getByTestId('report-workspace').count()).toBe(0); // no picker: not the vendor
    expect(await merchant.getByRole('button', { name: /以服务商身份签字确认/ }).count()).toBe(0);
    await sign(merchant, /以商户身份签字确认/, 'signed-merchant');
    expect(await merchant.getByTestId('signed-merchant').innerText()).toContain('林店长');
  });

  it('the vendor picks the merchant, opens its report and signs it from the home workspace', async () => {
    await vendor.goto('/reports?type=daily');
    await vendor.getByTestId('report-workspace').click();
    await vendor.locator('.ant-select-item-option').filter({ hasText: '星河母婴旗舰店' }).click();
    await vendor.waitForURL((u) => u.searchParams.get('workspace') === shop);
    await vendor.getByTestId('report-row').first().waitFor();
    await screenshot(vendor, 'reports-vendor-list');
    await vendor.getByTestId('report-row').first().click();
    await vendor.getByTestId('report-title').waitFor();
    expect(new URL(vendor.url()).searchParams.get('r')).toBe(report);
    await vendor.getByTestId('signed-merchant').waitFor(); // the merchant's sign-off, as the vendor sees it
    expect(await vendor.getByRole('button', { name: /以商户身份签字确认/ }).count()).toBe(0);
    await sign(vendor, /以服务商身份签字确认/, 'signed-vendor');
    expect(await vendor.getByTestId('signed-vendor').innerText()).toContain('Administrator');
    await screenshot(vendor, 'reports-vendor-signed');
    // The rendered report (as the vendor downloads it) carries both sign-offs.
    const html = await (
      await vendor.request.get(`/api/reports/${report}/download?format=html&workspace=${shop}`)
    ).text();
    expect(html).toMatch(/商户 \/ Merchant<\/dt><dd>林店长 · /);
    expect(html).toMatch(/服务商 \/ Vendor<\/dt><dd>Administrator · /);
  });

  it('the merchant sees both sign-offs, and its audit log names the vendor', async () => {
    await merchant.reload();
    await merchant.getByTestId('signed-vendor').waitFor();
    const audit = (await call(merchant, 'GET', '/api/audit?action=report.signed')).items as Json[];
    expect(audit.map((e) => [e.actorName, e.data.party]).sort()).toEqual([
      ['Administrator', 'vendor'],
      ['林店长', 'merchant'],
    ]);
    await screenshot(merchant, 'reports-vendor-merchant-view');
  });

  it('shows the period under way as provisional: marked, recomputed, without fingerprint or sign-off', async () => {
    await merchant.goto('/reports?type=monthly-cs');
    await merchant.getByTestId('open-provisional').click();
    await merchant.getByTestId('provisional-note').waitFor();
    expect(await merchant.getByTestId('provisional-view').innerText()).toContain('暂定');
    expect(await merchant.getByTestId('signoffs').count()).toBe(0);
    await screenshot(merchant, 'reports-provisional');
    await merchant.setViewportSize({ width: 390, height: 844 });
    await merchant.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await merchant.reload();
    await merchant.getByTestId('provisional-note').filter({ hasText: 'Provisional report' }).waitFor();
    await screenshot(merchant, 'reports-provisional-phone-en');
  });

  it('works on a phone and in English', async () => {
    await vendor.setViewportSize({ width: 390, height: 844 });
    await vendor.evaluate(() => localStorage.setItem('kefu.sider', 'collapsed'));
    await vendor.goto(`/reports?type=daily&workspace=${shop}&r=${report}`);
    await vendor.getByTestId('signed-vendor').waitFor();
    const overflow = await vendor.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(vendor, 'reports-vendor-signed-phone');
    await vendor.evaluate(() => localStorage.setItem('kefu.lang', 'en'));
    await vendor.reload();
    await vendor
      .getByTestId('signed-vendor')
      .filter({ hasText: /vendor/i })
      .waitFor();
    await screenshot(vendor, 'reports-vendor-signed-phone-en');
    await vendor.setViewportSize({ width: 1440, height: 900 });
    await vendor.goto(`/reports?type=daily&workspace=${shop}`);
    await vendor.getByTestId('report-row').first().waitFor();
    await screenshot(vendor, 'reports-vendor-list-en');
    await vendor.evaluate(() => localStorage.setItem('kefu.lang', 'zh-CN'));
    expect(desk.session.problems).toEqual([]);
  });
});
