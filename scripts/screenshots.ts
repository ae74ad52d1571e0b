/**
 * The screenshot tour (issue 16): starts Kefu on a fresh data folder with the living demo, signs in
 * as the demo administrator and as a demo agent, and captures every page the console menu reaches
 * (plus an open conversation, a ticket and a customer), the sign-in page, the /demo shop with the
 * widget open and the public status page, at 1440×900 and 390×844, in zh-CN and English (switched
 * with the console's language switch), as <out>/<page>-<lang>-<width>.png (agent pages: agent-<page>…).
 *
 * Usage: npm run build && npx node scripts/screenshots.ts [--out docs/screenshots/tour] [--port N]
 *        [--only admin,agent,public] [--pages /tickets,/war-room]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { adminPassword, api, signInHttp, startKefuProcess } from '../src/server/testing/spawn.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/screenshots/tour' },
    port: { type: 'string' },
    only: { type: 'string', default: 'admin,agent,public' },
    // Only these menu pages (and their detail pages), e.g. after changing a few: /tickets,/war-room
    pages: { type: 'string' },
  },
});
const out = resolve(root, flags.out);
const parts = new Set(flags.only.split(','));
const langs = ['zh-CN', 'en'] as const;
type Lang = (typeof langs)[number];
const sizes = [
  [1440, 900],
  [390, 844],
] as const;
const adminEmail = 'admin@kefu.local';
/** A demo agent (src/server/demo/content.ts); the tour gives them a password through a reset. */
const agentEmail = 'xiaolin@demo.kefu.local';
const agentPassword = 'Tour-Agent-Passw0rd!';

if (!existsSync(join(root, 'dist/web/index.html')) || !existsSync(join(root, 'dist/widget'))) {
  console.error('The console is not built: run `npm run build` first.');
  process.exit(1);
}

/** Waits until the page has its data: no spinner or skeleton, no toast, fonts loaded. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 8_000 }).catch(() => undefined);
  await page
    .waitForFunction(
      () =>
        !document.querySelector('.ant-spin-spinning, .ant-skeleton-active, .ant-message-notice') &&
        document.fonts.status === 'loaded',
      null,
      { timeout: 15_000 },
    )
    .catch(() => console.warn(`  still loading after 15 s: ${page.url()}`));
  await page.waitForTimeout(500);
}

let shots = 0;
async function shoot(page: Page, name: string, lang: Lang, width: number, fullPage = false): Promise<void> {
  await settle(page);
  await page.screenshot({ path: join(out, `${name}-${lang}-${width}.png`), animations: 'disabled', fullPage });
  shots++;
}

async function newPage(browser: Browser, url: string, lang: Lang, width: number, height: number): Promise<Page> {
  const phone = width < 768;
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width, height },
    deviceScaleFactor: 1,
    isMobile: phone,
    hasTouch: phone,
    locale: lang === 'en' ? 'en-US' : 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return context.newPage();
}

/** Picks a language with the switch on the page (the sign-in page or the console's header). */
async function switchLanguage(page: Page, lang: Lang): Promise<void> {
  const current = await page.evaluate(() => document.documentElement.lang);
  if (current === lang) return;
  await page.getByTestId('lang-switch').first().click();
  await page.getByTestId(`lang-${lang}`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/邮箱|E-mail/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
}

/** The menu's pages as the signed-in person sees them (every submenu opened). */
async function menuPaths(page: Page): Promise<string[]> {
  const menu = page.getByTestId('sider-menu');
  await menu.waitFor();
  const closed = menu.locator('.ant-menu-submenu:not(.ant-menu-submenu-open) > .ant-menu-submenu-title');
  while ((await closed.count()) > 0) {
    await closed.first().click();
    await page.waitForTimeout(300);
  }
  const ids = await menu
    .locator('.ant-menu-item')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-menu-id') ?? ''));
  return [...new Set(ids.map((id) => id.replace(/^.*?\//, '/')).filter((p) => p.startsWith('/')))];
}

/** The first link on the page whose address starts with `prefix` (a detail page to capture). */
async function firstLink(page: Page, prefix: string): Promise<string | undefined> {
  const link = page.locator(`a[href^="${prefix}"]`).first();
  return (await link.count()) ? ((await link.getAttribute('href')) ?? undefined) : undefined;
}

async function consoleTour(browser: Browser, url: string, who: 'admin' | 'agent', password: string): Promise<void> {
  const email = who === 'admin' ? adminEmail : agentEmail;
  const prefix = who === 'admin' ? '' : 'agent-';
  let paths: string[] | undefined;
  for (const lang of langs)
    for (const [w, h] of sizes) {
      const page = await newPage(browser, url, lang, w, h);
      try {
        await page.goto('/login');
        await switchLanguage(page, lang);
        if (who === 'admin') await shoot(page, 'login', lang, w);
        await signIn(page, email, password);
        await switchLanguage(page, lang);
        if (!paths) {
          const only = flags.pages?.split(',');
          paths = (await menuPaths(page)).filter((p) => !only || only.includes(p));
        }
        if (w < 768) {
          await page.getByTestId('open-menu').click();
          await page.getByTestId('nav-drawer').waitFor();
          await shoot(page, `${prefix}menu`, lang, w);
          await page.keyboard.press('Escape');
        }
        for (const path of paths) {
          await page.goto(path);
          await shoot(page, `${prefix}${path.slice(1).replace(/\//g, '-')}`, lang, w);
          // Detail pages one click away: an open conversation, a ticket, a customer.
          if (path === '/inbox') {
            const row = page.getByTestId('conversation-row').first();
            if (await row.count()) {
              await row.click();
              await page.getByTestId('composer-input').waitFor({ timeout: 15_000 });
              await shoot(page, `${prefix}inbox-conversation`, lang, w);
            }
          }
          const detail = { '/tickets': '/tickets/tkt_', '/customers': '/customers/' }[path];
          const href = detail && (await firstLink(page, detail));
          if (href) {
            await page.goto(href);
            await shoot(page, `${prefix}${path.slice(1)}-detail`, lang, w);
          }
        }
      } finally {
        await page.context().close();
      }
    }
}

async function publicTour(browser: Browser, url: string): Promise<void> {
  for (const lang of langs)
    for (const [w, h] of sizes) {
      const page = await newPage(browser, url, lang, w, h);
      try {
        await page.goto(`/demo?lang=${lang}`);
        await page.getByTestId('demo-ribbon').waitFor();
        await page.locator('#kefu-widget button').first().click({ timeout: 30_000 });
        await page.frameLocator('#kefu-widget iframe').locator('textarea, input').first().waitFor({ timeout: 30_000 });
        await shoot(page, 'demo-shop', lang, w);
        await page.goto(`/status/demo?lang=${lang}`);
        await shoot(page, 'status-page', lang, w, true);
      } finally {
        await page.context().close();
      }
    }
}

mkdirSync(out, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'kefu-tour-'));
const server = await startKefuProcess({
  dataDir,
  port: flags.port ? Number(flags.port) : undefined,
  env: { KEFU_DEMO_DATA: 'true' },
});
const browser = await chromium.launch({
  executablePath: process.env.KEFU_E2E_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  console.log(`Kefu at ${server.url}; screenshots into ${out}`);
  if (parts.has('public')) await publicTour(browser, server.url);
  if (parts.has('admin')) await consoleTour(browser, server.url, 'admin', adminPassword);
  if (parts.has('agent')) {
    // The demo agents' passwords are random: reset one, then change the temporary password.
    const admin = await signInHttp(server.url);
    const users = await api<{ items: { id: string; email: string }[] }>(server.url, admin, 'GET', '/api/users');
    const agent = users.items.find((u) => u.email === agentEmail);
    if (!agent) throw new Error(`no demo agent ${agentEmail}`);
    const reset = await api<{ temporaryPassword: string }>(
      server.url,
      admin,
      'POST',
      `/api/users/${agent.id}/reset-password`,
    );
    const temp = await signInHttp(server.url, agentEmail, reset.temporaryPassword);
    await api(server.url, temp, 'POST', '/api/auth/password', {
      currentPassword: reset.temporaryPassword,
      newPassword: agentPassword,
    });
    await consoleTour(browser, server.url, 'agent', agentPassword);
  }
  console.log(`${shots} screenshots in ${out}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
