/**
 * Every page of the console with a table, at 390×844 in both languages (issue 16): the page body
 * never scrolls sideways (a wide table scrolls inside its own box), no column is squashed so
 * narrow that its title wraps (the ticket settings' "中文名称" stood one character a line), and the
 * page's key content is on the screen. The tickets header's figures stay inside the screen, and the
 * war room's waits read in the reader's language. The installable console's PNG icons are served.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser, openPage, screenshot, signIn, useDesk } from './support.ts';

const wait = { timeout: 20_000 };
const width = 390;

/** A table page, its tabs (each shows another table) and text that must be on the screen. */
type TablePage = { path: string; key: string | RegExp; tabs?: { zh: string; en: string }[] };

const tablePages: TablePage[] = [
  {
    path: '/settings/tickets',
    key: 'inquiry',
    tabs: [
      { zh: '自定义字段', en: 'Custom fields' },
      { zh: '分组', en: 'Groups' },
      { zh: '宏', en: 'Macros' },
    ],
  },
  { path: '/settings/canned-replies', key: '/发票' },
  { path: '/settings/workspaces', key: 'demo' },
  { path: '/settings/users', key: '林小雨' },
  { path: '/settings/inboxes', key: '官网在线客服' },
  { path: '/settings/sla', key: '紧急工单' },
  { path: '/settings/labels', key: '发票' },
  { path: '/settings/tokens', key: /新建令牌|New token/ },
  { path: '/settings/audit', key: /系统|System/ },
  { path: '/customers', key: '朱琳' },
  { path: '/knowledge', key: '什么时候发货？' },
  { path: '/ops/backups', key: 'hangzhou-local' },
  {
    path: '/ops/monitoring',
    key: /组件|Components/,
    tabs: [
      { zh: '探针', en: 'Probes' },
      { zh: '告警规则', en: 'Alert rules' },
      { zh: '静默与维护', en: 'Silences & maintenance' },
    ],
  },
  { path: '/ops/incidents', key: '智能客服机器人离线' },
  { path: '/reports', key: /健康日报|Daily health/ },
  { path: '/tickets', key: /首次响应达成率|First response/ },
  { path: '/war-room', key: /排队中|Waiting/ },
];

/** Table titles that wrap (text · lines) and the elements wider than the screen, of what is shown now. */
async function squeezed(page: Page): Promise<{ wrapped: string[]; pageWidth: number }> {
  return page.evaluate(() => {
    const wrapped: string[] = [];
    for (const th of document.querySelectorAll<HTMLElement>('.ant-table-thead th')) {
      const text = th.textContent?.trim() ?? '';
      if (!text || th.getClientRects().length === 0) continue;
      const range = document.createRange();
      range.selectNodeContents(th);
      // One line box per row of text: their distinct tops are the title's lines.
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) wrapped.push(`${text} · ${tops.size}`);
    }
    return { wrapped, pageWidth: document.scrollingElement?.scrollWidth ?? 0 };
  });
}

describeWithBrowser('table pages at 390×844: no sideways page, no squashed columns, key content on screen', () => {
  const desk = useDesk({ demoData: true });

  it('lists PNG app icons (192, 512 and a maskable 512) in the manifest, served as image/png of those sizes', async () => {
    const base = desk.server.url;
    const manifest = (await (await fetch(`${base}/manifest.webmanifest`)).json()) as {
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    const pngs = manifest.icons.filter((i) => i.type === 'image/png');
    expect(pngs.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ]);
    for (const icon of pngs) {
      const res = await fetch(`${base}${icon.src}`);
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type'), icon.src).toBe('image/png');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.subarray(1, 4).toString(), icon.src).toBe('PNG');
      // The IHDR chunk's width and height are what the manifest says.
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
    }
    const html = await (await fetch(`${base}/login`)).text();
    expect(html).toContain('rel="apple-touch-icon" href="/icon-192.png"');
  });

  for (const lang of ['zh-CN', 'en'] as const)
    it(`walks every table page in ${lang}`, async () => {
      const page = await openPage(desk.browser, { baseURL: desk.server.url, width, height: 844 });
      try {
        await signIn(page, { lang });
        for (const entry of tablePages) {
          await page.goto(entry.path);
          const key = page.getByText(entry.key).first();
          await key.waitFor(wait);
          const box = (await key.boundingBox())!;
          expect(box.x, `${lang} ${entry.path}: key content off screen`).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width, `${lang} ${entry.path}: key content off screen`).toBeLessThanOrEqual(width);
          await screenshot(page, `phone-table-${lang}${entry.path.replace(/\//g, '-')}`);
          const views = [undefined, ...(entry.tabs ?? [])];
          for (const tab of views) {
            if (tab) {
              await page.getByRole('tab', { name: lang === 'en' ? tab.en : tab.zh, exact: true }).click();
              await page.waitForTimeout(600);
            }
            await page.locator('.ant-table-wrapper:visible').first().waitFor(wait);
            await page.waitForTimeout(500);
            const where = `${lang} ${entry.path}${tab ? ` (${tab.en})` : ''}`;
            const { wrapped, pageWidth } = await squeezed(page);
            expect(pageWidth, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(width);
            expect(wrapped, `${where}: squashed column titles`).toEqual([]);
          }
        }
        // The Chinese tickets header was cut at the screen's edge: every figure is inside it.
        await page.goto('/tickets');
        const figures = page.getByTestId('sla-summary').locator('.ant-statistic');
        await figures.first().waitFor(wait);
        for (const figure of await figures.all()) {
          const box = (await figure.boundingBox())!;
          expect(box.x + box.width, `${lang} a tickets header figure is cut`).toBeLessThanOrEqual(width);
        }
        // The war room's waits read in the reader's language ("0秒", not "0s", in Chinese).
        await page.goto('/war-room');
        const longest = page
          .locator('.ant-statistic')
          .filter({ hasText: lang === 'en' ? 'Longest wait' : '最长等待' })
          .locator('.ant-statistic-content');
        await longest.waitFor(wait);
        expect(await longest.textContent()).toMatch(lang === 'en' ? /^\d+[smhd]/ : /^\d+(秒|分|小时|天)/);
      } finally {
        await page.context().close();
      }
    }, 600_000);
});
