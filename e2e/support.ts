/**
 * Browser-test support: starts the real Kefu server (a child process on a free port with its own
 * data directory), launches Debian's Chromium through playwright-core, and tears both down.
 * Without /usr/bin/chromium the suite is skipped with a message, or fails when CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { nodeCacheEnv } from '../src/server/testing/node-cache.ts';
import { startShop, type ShopServer } from './shop.ts';

export const root = fileURLToPath(new URL('../', import.meta.url));
export const chromiumPath = process.env.KEFU_E2E_CHROMIUM ?? '/usr/bin/chromium';
/**
 * Screenshots go to a temporary folder, so `npm test` leaves the work tree clean; set
 * KEFU_SCREENSHOTS=docs to refresh the committed ones in docs/screenshots.
 */
export const screenshotDir =
  process.env.KEFU_SCREENSHOTS === 'docs' ? join(root, 'docs/screenshots') : join(tmpdir(), 'kefu-screenshots');
export const adminEmail = 'admin@kefu.local';
export const adminPassword = process.env.KEFU_E2E_ADMIN_PASSWORD ?? 'E2e-Admin-Passw0rd!';

/**
 * How long a page may take to load: the console's first load parses megabytes of script, which on a
 * loaded machine took longer than Playwright's 30 s (monitoring's sign-in, at load 59).
 */
const navigationTimeout = 90_000;

/** Chromium's switches for the tests (headless, no sandbox, no background traffic). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `describe` when Chromium is installed; otherwise skip (or throw under CI=true) with a clear message. */
export function describeWithBrowser(name: string, body: () => void): void {
  if (existsSync(chromiumPath)) {
    describe(name, body);
    return;
  }
  const message = `${chromiumPath} not found: install it with \`apt-get install -y chromium\` (or set KEFU_E2E_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`e2e: ${message}`);
  console.warn(`\n  [e2e] skipping "${name}": ${message}\n`);
  describe.skip(name, body);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export type RunningServer = { url: string; logs: () => string; stop: () => Promise<void> };

/**
 * Starts `kefu start` (which builds the console and widget when stale) and waits until GET /readyz answers 200;
 * `env`: settings for this server (KEFU_* variables).
 * With KEFU_E2E_URL set, uses that already running server instead (its admin password must be
 * KEFU_E2E_ADMIN_PASSWORD or the default above).
 */
export async function startServer(
  opts: { demoData?: boolean; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  // Vitest sets NODE_ENV=test; the console must be built (and the server run) as in production.
  const env = { ...process.env };
  delete env.NODE_ENV;
  const external = process.env.KEFU_E2E_URL;
  if (external) return { url: external.replace(/\/$/, ''), logs: () => '', stop: async () => undefined };

  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-e2e-'));
  let output = '';
  // This test's Node runs the CLI (bin/kefu.js moves to the pinned Node itself when it is older):
  // `npx node` cost a second npm process per start, and the compile cache skips most of the
  // server's TypeScript loading after the first start.
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/kefu.js', 'start', '--port', String(port), '--data-dir', dataDir],
    {
      cwd: root,
      // The demo workspace starts empty (the suites make their own data) unless a test asks for the living demo.
      env: {
        ...env,
        ...nodeCacheEnv(),
        KEFU_ADMIN_PASSWORD: adminPassword,
        KEFU_DEMO_DATA: opts.demoData ? 'true' : 'false',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so stop() ends the server and anything it started
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });

  const stop = async () => {
    if (alive && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000));
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (!alive) {
      await stop();
      throw new Error(`kefu start exited before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return { url, logs: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`kefu start was not ready within 150 s:\n${output}`);
}

export type BrowserSession = {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far (failed resource loads excluded: 401/403 are expected). */
  problems: string[];
  close: () => Promise<void>;
};

export async function launchBrowser(baseURL: string): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  context.setDefaultNavigationTimeout(navigationTimeout);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
      problems.push(`console: ${msg.text()}`);
  });
  return {
    browser,
    context,
    page,
    problems,
    close: async () => {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * Labels whose `for` names no element on the page (defect 10: the label lookup and screen readers
 * fail). Lint checks that labels have a control; only the rendered page shows that the id exists.
 */
export async function danglingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('label[for]')]
      .filter((l) => !document.getElementById(l.getAttribute('for') ?? ''))
      .map((l) => `${l.getAttribute('for')} (${(l.textContent ?? '').trim().slice(0, 30)})`),
  );
}

/** Saves docs/screenshots/<name>.png once animations have settled and earlier toasts have gone. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page
    .waitForFunction(() => !document.querySelector('.ant-message-notice'), null, { timeout: 8_000 })
    .catch(() => undefined);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), animations: 'disabled', fullPage: opts.fullPage });
}

/** An API answer as the tests read it. */
export type Json = Record<string, any>;

/** Fills in the sign-in form of the page at /login and submits it (it may be refused). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel(/邮箱|E-mail/).fill(email);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
}

/**
 * Signs in through the console's form (the administrator unless told), in `lang` when given
 * (remembered in localStorage before the form loads), and waits until the console has left /login.
 */
export async function signIn(
  page: Page,
  opts: { email?: string; password?: string; lang?: 'zh-CN' | 'en' } = {},
): Promise<void> {
  await page.goto('/login');
  if (opts.lang) {
    await page.evaluate((l) => localStorage.setItem('kefu.lang', l), opts.lang);
    await page.reload();
  }
  await submitSignIn(page, opts.email ?? adminEmail, opts.password ?? adminPassword);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Signs the page's context in through the API (no form), as the administrator unless told. */
export async function signInByApi(page: Page, password = adminPassword, email = adminEmail): Promise<void> {
  const login = await page.request.post('/api/auth/login', { data: { email, password } });
  expect(login.ok(), await login.text()).toBe(true);
}

/** The API with the signed-in page's session and CSRF token; expects a 2xx and returns its JSON. */
export async function call(
  page: Page,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Json> {
  const me = (await (await page.request.get('/api/auth/me')).json()) as Json;
  const res = await page.request.fetch(path, {
    method,
    data: body,
    headers: { 'x-csrf-token': me.csrfToken as string },
  });
  const text = await res.text();
  expect(res.ok(), `${method} ${path}: ${res.status()} ${text}`).toBe(true);
  return JSON.parse(text) as Json;
}

/**
 * A context as a person's device in China (zh-CN, Asia/Shanghai): a phone (mobile, touch) when
 * narrower than 768 px. `baseURL` for the console; a shopper's context goes to the shop's URL.
 */
export async function openContext(
  browser: Browser,
  opts: { width: number; height: number; baseURL?: string; scale?: number; locale?: string },
): Promise<BrowserContext> {
  const phone = opts.width < 768;
  const context = await browser.newContext({
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    viewport: { width: opts.width, height: opts.height },
    deviceScaleFactor: opts.scale ?? 1,
    isMobile: phone,
    hasTouch: phone,
    locale: opts.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultNavigationTimeout(navigationTimeout);
  return context;
}

/** A page in a new context of `openContext` (closing it: `page.context().close()`). */
export async function openPage(browser: Browser, opts: Parameters<typeof openContext>[1]): Promise<Page> {
  return (await openContext(browser, opts)).newPage();
}

/**
 * A page of `openContext` signed in through the API (the administrator unless told), in `lang` when
 * given (set in localStorage before each load unless set already): for a test not about signing in,
 * one load of the console (its first `goto`) instead of `signIn`'s three (form, reload, inbox).
 */
export async function openSignedIn(
  browser: Browser,
  opts: Parameters<typeof openContext>[1] & { lang?: 'zh-CN' | 'en'; email?: string; password?: string },
): Promise<Page> {
  const context = await openContext(browser, opts);
  if (opts.lang)
    await context.addInitScript((l) => {
      try {
        if (!localStorage.getItem('kefu.lang')) localStorage.setItem('kefu.lang', l);
      } catch {
        // a document without storage (about:blank)
      }
    }, opts.lang);
  const page = await context.newPage();
  await signInByApi(page, opts.password, opts.email);
  return page;
}

/** After a failed test, a screenshot of each page (named after the test, `who` first) into the temporary folder. */
export function screenshotOnFailure(pages: () => Record<string, Page | undefined>): void {
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    for (const [who, page] of Object.entries(pages())) {
      if (!page) continue;
      const name = `${who ? `${who}-` : ''}${task.name.replace(/\W+/g, '-').slice(0, 60)}`;
      const file = join(tmpdir(), `kefu-e2e-failure-${name}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      console.error(`  [e2e] failure screenshot: ${file} (at ${page.url()})`);
    }
  });
}

export type Desk = {
  server: RunningServer;
  /** The shop page's server (`shop: true`). */
  shop: ShopServer;
  session: BrowserSession;
  browser: Browser;
  /** The console's page (1440×900), signed in as the administrator when `signIn` says how. */
  page: Page;
  /** Closes the browser, the shop and the server, and puts `env` back; later calls do nothing. */
  close: () => Promise<void>;
};

export type DeskOptions = {
  /** The living demo's data (otherwise an empty workspace). */
  demoData?: boolean;
  /** Environment for the server, set before it starts and restored after it stops. */
  env?: Record<string, string>;
  /** Starts the server another way than `startServer` (it must serve the built console). */
  start?: () => Promise<RunningServer>;
  /** Serve the shop page too (`desk.shop`). */
  shop?: boolean;
  /** How the console's page signs in as the administrator: through the form, the API, or not at all. */
  signIn?: 'form' | 'api';
  /** The administrator's password when not the default one (a `start` of its own). */
  password?: string;
  /** The set-up's time budget (the hook timeout of the e2e project otherwise). */
  timeout?: number;
  /** After a failed test, print the end of the server's log too (what it decided, e.g. routing). */
  serverLog?: boolean;
};

/**
 * The suite's fixture: in a `beforeAll`, the server (and shop), Chromium and the console's page,
 * signed in as asked; a failure screenshot of that page after a failed test; all of it closed in
 * an `afterAll`. Its fields are set once its `beforeAll` has run: the suite's own `beforeAll`
 * hooks, registered after it, run after it, and the suite's own `afterAll` hooks run before it
 * (Vitest runs after-hooks in reverse order).
 */
export function useDesk(opts: DeskOptions = {}): Desk {
  const desk = {} as Desk;
  const saved = Object.keys(opts.env ?? {}).map((k) => [k, process.env[k]] as const);
  let closed = false;
  desk.close = async () => {
    if (closed) return;
    closed = true;
    await desk.session?.close();
    await desk.shop?.stop();
    await desk.server?.stop();
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  beforeAll(async () => {
    Object.assign(process.env, opts.env);
    desk.server = await (opts.start ?? (() => startServer({ demoData: opts.demoData })))();
    if (opts.shop) desk.shop = await startShop(desk.server.url);
    desk.session = await launchBrowser(desk.server.url);
    desk.browser = desk.session.browser;
    desk.page = desk.session.page;
    if (opts.signIn === 'form') await signIn(desk.page, { password: opts.password });
    if (opts.signIn === 'api') await signInByApi(desk.page, opts.password);
  }, opts.timeout);
  screenshotOnFailure(() => ({ '': desk.page }));
  if (opts.serverLog)
    afterEach(({ task }) => {
      if (task.result?.state === 'fail') console.error(`  [e2e] server log:\n${desk.server?.logs().slice(-4000)}`);
    });
  afterAll(() => desk.close());
  return desk;
}
